"""Start-up in a real terminal: seconds from launching ``glose`` in tmux to its first screen.

``python -m bench.startup [--runs N] [--size COLSxROWS]`` launches the reader on the shipped
samples (a copy, indexed first) in a tmux pane, polls the pane until the search box's
placeholder is drawn, quits with ctrl+q, and repeats. For scale, the same run times a bare
Python start and ``import textual`` in the same way (process start to exit).
Run 0 of each warms the file and bytecode caches and is not counted.

DESIGN.md's target: the first screen within 0.5 s on the samples.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIRST_SCREEN = "Search (/)"


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], capture_output=True, text=True, check=False).stdout


def first_screen(session: str, command: str, timeout: float = 20.0) -> float:
    started = time.perf_counter()
    tmux("respawn-pane", "-k", "-t", session, command)
    while time.perf_counter() - started < timeout:
        if FIRST_SCREEN in tmux("capture-pane", "-p", "-t", session):
            return time.perf_counter() - started
        time.sleep(0.004)
    return float("nan")


def process_time(argv: list[str], env: dict) -> float:
    started = time.perf_counter()
    subprocess.run(argv, env=env, check=True, capture_output=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.startup", description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--size", default="120x35")
    parser.add_argument(
        "--python",
        default=sys.executable,
        help="the interpreter of the install to time, its glose script beside it (default: this one; "
        "a venv made with `pip install .` is what users have: no editable-install finder)",
    )
    parser.add_argument(
        "--against",
        metavar="CHECKOUT",
        help="also time another checkout of Glose (e.g. a git worktree of an earlier commit), "
        "run for run, with the same Python and packages",
    )
    args = parser.parse_args()
    if shutil.which("tmux") is None:
        sys.exit("tmux is needed to measure start-up in a real terminal")
    cols, rows = args.size.split("x")
    python_exe = Path(args.python)
    glose = python_exe.with_name("glose")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}  # as installed
    with tempfile.TemporaryDirectory() as tmp:
        ws = Path(tmp) / "ws"
        shutil.copytree(ROOT / "articles", ws / "articles")
        env["XDG_STATE_HOME"] = str(Path(tmp) / "state")
        subprocess.run([str(glose), "index"], cwd=ws, env=env, check=True, capture_output=True)
        session = f"glose-startup-{os.getpid()}"
        tmux("new-session", "-d", "-s", session, "-x", cols, "-y", rows, "sleep 600")
        exports = " ".join(f"{k}={v!r}" for k, v in (("XDG_STATE_HOME", env["XDG_STATE_HOME"]),))
        prefix = f"cd {str(ws)!r} && env -u PYTHONDONTWRITEBYTECODE {exports}"
        command = f"{prefix} {str(glose)!r}; sleep 600"
        # The other checkout through its click group, as its console script did (an older one
        # may not have the script's module).
        group = "import sys; sys.argv[0] = 'glose'; from tui.cli import main; main()"
        against = (
            f"{prefix} PYTHONPATH={args.against!r} {str(python_exe)!r} -c {group!r}; sleep 600"
            if args.against
            else None
        )
        times, other, python, textual = [], [], [], []
        try:
            for run in range(args.runs + 1):
                seconds = first_screen(session, command)
                tmux("send-keys", "-t", session, "C-q")
                time.sleep(0.5)
                if against is not None:
                    then = first_screen(session, against)
                    tmux("send-keys", "-t", session, "C-q")
                    time.sleep(0.5)
                    if run:
                        other.append(then)
                python.append(process_time([str(python_exe), "-c", "pass"], env))
                textual.append(process_time([str(python_exe), "-c", "import textual.app"], env))
                if run:
                    times.append(seconds)
        finally:
            tmux("kill-session", "-t", session)
    load = os.getloadavg()[0]

    def row(name: str, values: list[float]) -> str:
        values = values[1:] if len(values) > len(times) else values
        return f"| {name} | {min(values):.2f} | {statistics.median(values):.2f} | {max(values):.2f} |"

    print(f"Start-up, {args.size}, {args.runs} runs, load average {load:.1f}")
    print("| | min s | median s | max s |\n|---|---:|---:|---:|")
    print(row("glose: launch to first screen (tmux)", times))
    if other:
        print(row(f"glose at {args.against}: launch to first screen (tmux)", other))
    print(row("python -c pass (process)", python))
    print(row("python -c 'import textual.app' (process)", textual))


if __name__ == "__main__":
    main()
