"""The benchmark keeps working: a seconds-long run on a tiny corpus (no timing assertions)."""

from __future__ import annotations

import re
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


def test_the_build_benchmark_compares_with_fts5_and_pairs_keep_the_hit_sets():
    result = subprocess.run(
        [sys.executable, "-m", "bench.builds", "--no-real", "--sizes", "60", "--reps", "1", "--pairs"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = result.stdout
    for build in ("FTS5", "tantivy", "whoosh", "whoosh, 0 common stems"):
        assert re.search(rf"\| generated 60 \| 60 \| [\d.]+ \| {re.escape(build)} \|", report), build
    assert "| generated 60 | whoosh, 0 common stems |" in report  # its phrases were timed
    assert "DIFFERENT" not in report  # the same articles match a phrase with and without pairs
