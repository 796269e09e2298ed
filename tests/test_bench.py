"""The benchmark keeps working: a seconds-long run on a tiny corpus (no timing assertions)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_quick_benchmark_runs_and_reports_every_section():
    result = subprocess.run(
        [sys.executable, "-m", "bench", "--quick"], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = result.stdout
    for section in (
        "## Index build",
        "## Query latency",
        "## Start-up and one-shot commands",
        "## Reader and export",
    ):
        assert section in report
    for system in ("whoosh", "tantivy", "fts5"):  # the engine is a dimension of the bench
        assert f"| generated 60 | {system} |" in report
    assert "## Targets (issue 16)" in report
