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


def _tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], capture_output=True, text=True, check=True).stdout


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_a_first_launch_on_2000_articles_in_a_real_terminal_indexes_then_searches(tmp_path):
    """The first thing a user with a real corpus sees: ``glose`` on a new folder of 2,000+
    articles comes up, indexes in the background (in worker processes), then searches."""
    import time

    from .test_background_index import BIG, small_articles

    glose = Path(sys.executable).with_name("glose")
    small_articles(tmp_path / "articles", BIG)
    session = f"glose-first-{tmp_path.name}"[:60]
    import os
    import shlex

    env = f"PYTHONPATH={shlex.quote(str(ROOT))} XDG_STATE_HOME={shlex.quote(os.environ['XDG_STATE_HOME'])}"
    command = f"cd {shlex.quote(str(tmp_path))} && {env} {glose}; echo GLOSE-EXITED $?; sleep 60"
    _tmux("new-session", "-d", "-s", session, "-x", "120", "-y", "35", command)
    try:
        screen = ""
        for _ in range(1200):  # up to 2 minutes on a slow machine
            screen = _tmux("capture-pane", "-p", "-t", session)
            if f"{BIG:,} articles" in screen.splitlines()[0] or "GLOSE-EXITED" in screen:
                break
            time.sleep(0.1)
        assert "GLOSE-EXITED" not in screen and "Traceback" not in screen, screen
        assert f"{BIG:,} articles" in screen.splitlines()[0], screen
        _tmux("send-keys", "-t", session, "phare")
        for _ in range(300):
            screen = _tmux("capture-pane", "-p", "-t", session)
            if f"{BIG // 10} articles" in screen:
                break
            time.sleep(0.1)
        assert f"{BIG // 10} articles" in screen, screen
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_the_reader_takes_the_terminals_size_over_a_stale_columns_and_lines(tmp_path):
    """CI's test runner exported COLUMNS=80 LINES=24 (so do some shell profiles, and xterm's
    ``resize``): the reader followed them, not the terminal, and stayed 80×24 in a larger window,
    even after a resize."""
    import os
    import shlex
    import time

    shutil.copytree(ROOT / "articles", tmp_path / "articles")
    glose = Path(sys.executable).with_name("glose")
    session = f"glose-size-{tmp_path.name}"[:60]
    env = f"XDG_STATE_HOME={shlex.quote(os.environ['XDG_STATE_HOME'])} COLUMNS=80 LINES=24"
    command = f"cd {shlex.quote(str(tmp_path))} && export {env} && {glose}; echo GLOSE-EXITED $?; sleep 60"
    _tmux("new-session", "-d", "-s", session, "-x", "120", "-y", "35", command)
    try:
        rows: list[str] = []
        for _ in range(300):
            rows = _tmux("capture-pane", "-p", "-t", session).splitlines()
            if rows and "5 articles" in rows[0] and any("^q Quit" in row for row in rows):
                break
            time.sleep(0.1)
        footer = [n for n, row in enumerate(rows, 1) if "^q Quit" in row]
        assert footer == [35], "\n".join(rows)
        assert "5 articles" in rows[0] and "GLOSE-EXITED" not in "\n".join(rows)
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
