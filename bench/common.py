"""What every benchmark shares: where the repository and the cache are, the query set Glose and
FTS5 both answer, a fresh process to measure in, and the machine the figures were taken on.
Apart from ``python -m bench`` so that its parts (and ``bench.builds``, ``bench.updates``...)
import it without running or importing the report."""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "bench" / ".cache"

# (kind, Glose query, FTS5 query or None where FTS5 has no equivalent)
QUERIES = [
    ("term", "grok", "grok"),
    ("term", "gouvernement", "gouvernement"),
    ("term", "deshabiller", "deshabiller"),
    ("phrase", '"service premium"', '"service premium"'),
    ("phrase", '"la création d\'images illégales"', '"la création d images illégales"'),
    ("phrase", '"elon musk"', '"elon musk"'),
    ("phrase", '"réseau social"', '"réseau social"'),
    ("prefix", "harcel*", "harcel*"),
    ("prefix", "numéri*", "numeri*"),
    ("prefix", "pla*", "pla*"),
    ("boolean", "grok OR musk -premium", "(grok OR musk) NOT premium"),
    ("boolean", "(plateforme OR réseau) images", "(plateforme OR réseau) AND images"),
    ("field", "title:grok", "title:grok"),
    ("field", "date:2026-01 grok", None),
]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * p
    lo = int(k)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def worker(*args: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-m", "bench.worker", *args], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def wall(command: list[str], cwd: Path = ROOT) -> float:
    """Seconds from launching ``command`` to its exit, with the bytecode cache an installed
    package has (under PYTHONDONTWRITEBYTECODE every run compiled Glose's ~40 modules again:
    ~0.15 s of a one-shot search here)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=env, capture_output=True, check=True)
    return time.perf_counter() - started


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 1024 / 1024:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    import sqlite3

    import whoosh

    return (
        f"{os.cpu_count()} cores ({cpu}){mem}; Python {platform.python_version()}, "
        f"whoosh-reloaded {getattr(whoosh, '__version__', '?')}, SQLite {sqlite3.sqlite_version}"
    )
