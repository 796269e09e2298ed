"""The real `glose` in a real terminal (tmux): the flow of scripts/e2e-tmux.sh."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
@pytest.mark.parametrize("size", [("120", "35"), ("80", "24")])
def test_search_annotate_quit_relaunch_export_in_tmux(size):
    glose = Path(sys.executable).with_name("glose")
    assert glose.exists(), "the glose console script is not installed next to this Python"
    result = subprocess.run(
        ["bash", str(ROOT / "scripts" / "e2e-tmux.sh"), str(glose), *size],
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "e2e ok" in result.stdout
