"""The checkouts a bench times run for run: this one, and with ``--against REV`` that commit
as a git worktree (made for the run, removed after it)."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@contextmanager
def against_trees(against: str | None, work: Path) -> Iterator[dict[str, Path]]:
    """``{"now": this checkout, REV: its worktree under work}`` (REV only with ``against``)."""
    trees = {"now": ROOT}
    if against:
        trees[against] = work / "against"
        subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "add", "--detach", str(trees[against]), against],
            check=True,
            capture_output=True,
        )
    try:
        yield trees
    finally:
        if against:
            subprocess.run(
                ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(trees[against])],
                capture_output=True,
            )
