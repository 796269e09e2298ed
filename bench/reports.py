"""``glose report`` benchmark: a synthetic store of N coded passages over 1,000 generated
articles (three tags, a note on every other one, the codebook described), reported in each
format through the real CLI, each in its own process, timed wall to wall, with its peak
memory (``ru_maxrss``); then the DOCX and ODT converted by LibreOffice, where it is installed.

``python -m bench.reports [--passages 2000,20000] [--no-soffice]``

DESIGN.md's target: a report of 20,000 coded passages in under 30 s, memory flat.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.corpus import generate

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "bench" / ".cache" / "reports"
FORMATS = (".md", ".html", ".docx", ".odt")
ARTICLES = 1000

MEASURE = """
import resource, sys, time
from click.testing import CliRunner
from tui.cli import main
started = time.perf_counter()
result = CliRunner().invoke(main, sys.argv[1:], catch_exceptions=False)
elapsed = time.perf_counter() - started
assert result.exit_code == 0, result.output
print(elapsed, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def workspace(passages: int) -> Path:
    """A workspace with ``passages`` coded passages (made once, then kept in the cache)."""
    from tui.api import Library
    from tui.text.corpus import content_hash, read_canonical, scan
    from tui.workspace import Workspace

    root = CACHE / f"w{passages}"
    if (root / ".ready").exists():
        return root
    if root.exists():
        shutil.rmtree(root)
    generate(root / "articles", ARTICLES, seed=11)
    ws = Workspace.resolve(root)
    with Library(ws, coder="bench") as lib:
        lib.index.update()
        docs = [(f.id, read_canonical(f.path)[0]) for f in scan(ws.articles)]
        per = passages // len(docs) + 1
        items = []
        for article, text in docs:
            h = content_hash(text)
            step = max(60, len(text) // per)
            for i in range(0, len(text) - 120, step):
                items.append((article, text, h, i, i + 120))
        items = items[:passages]
        store = lib.ctx.store
        third = len(items) // 3
        store.create_many(
            items[:third], tags=["cadrage/économie"], note="Une note <b>sur</b> le passage & son contexte."
        )
        store.create_many(items[third : 2 * third], tags=["acteurs/état", "cadrage"])
        store.create_many(items[2 * third :], tags=["acteurs/entreprises"], note="Autre note.")
        for tag in ("cadrage", "acteurs/état", "acteurs/entreprises"):
            lib.codebook.describe(tag, f"Quand le passage relève de {tag}.")
    (root / ".ready").touch()
    return root


def measure(root: Path, output: Path) -> tuple[float, int]:
    """(seconds, peak RSS in MiB) of one ``glose report`` in a fresh process."""
    env_path = str(ROOT)
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, "--workspace", str(root), "report", "-o", str(output), "--force"],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": env_path, "PATH": "/usr/bin:/bin", "HOME": str(CACHE)},
    )
    seconds, rss = done.stdout.split()
    return float(seconds), int(rss) // 1024


def soffice(path: Path) -> tuple[float, bool]:
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        subprocess.run(
            ["soffice", f"-env:UserInstallation=file://{tmp}/lo", "--headless", "--convert-to", "pdf",
             "--outdir", tmp, str(path)],
            capture_output=True, check=False, timeout=1800,
        )  # fmt: skip
        made = Path(tmp) / (path.stem + ".pdf")
        return time.perf_counter() - started, made.exists() and made.read_bytes()[:5] == b"%PDF-"


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.reports", description=__doc__.splitlines()[0])
    parser.add_argument("--passages", default="2000,20000")
    parser.add_argument("--no-soffice", action="store_true")
    args = parser.parse_args()
    results: dict = {}
    for n in (int(x) for x in args.passages.split(",")):
        root = workspace(n)
        for suffix in FORMATS:
            out = root / f"report{suffix}"
            seconds, rss = measure(root, out)
            results[f"{n}{suffix}"] = {
                "seconds": round(seconds, 2),
                "peak_mib": rss,
                "bytes": out.stat().st_size,
            }
            print(
                f"{n:>6} passages {suffix:<6} {seconds:6.2f} s  peak {rss:4d} MiB  {out.stat().st_size / 1e6:6.1f} MB"
            )
            if suffix in (".docx", ".odt") and not args.no_soffice and shutil.which("soffice"):
                took, ok = soffice(out)
                results[f"{n}{suffix}"]["soffice"] = {"seconds": round(took, 1), "pdf": ok}
                print(f"{'':>6} LibreOffice → PDF {took:6.1f} s  {'ok' if ok else 'FAILED'}")
    print(json.dumps(results))


if __name__ == "__main__":
    main()
