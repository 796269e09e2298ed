"""Which file watcher keeps the reader's index current: watchfiles (Rust's notify), watchdog
(inotify in Python threads) and polling with Glose's own scan, on one generated corpus, each
in a fresh process, ``--runs`` times (medians reported).

For each: the import, the time to start watching, the delay from a file rewritten in place to
the watcher saying so (median of ``--edits``), and the CPU the process spends while nothing
changes (``--idle`` seconds).

    python -m bench.watching                       # 50,000 generated articles
    python -m bench.watching --size 5000 --runs 3
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

BACKENDS = ("watchfiles", "watchdog", "polling")
POLL_SECONDS = 1.0  # the polling backend's interval


def _cpu() -> float:
    t = os.times()
    return t.user + t.system


def _edit(path: Path, n: int) -> None:
    with open(path, "r+b") as fh:  # in place: only the file's own times change
        fh.seek(0)
        fh.write(b"%05d" % n)


def child(backend: str, articles: Path, edits: int, idle: float, burst: int) -> dict:
    seen = threading.Event()
    calls = [0, 0]  # times the watcher called back into Python, changes it reported
    started = time.perf_counter()
    if backend == "watchfiles":
        import watchfiles
        from watchfiles._rust_notify import RustNotify  # what watchfiles.watch() opens, timed alone

        imported = time.perf_counter()
        notify = RustNotify([str(articles)], False, False, 300, True, False)
        stop = threading.Event()

        def run() -> None:
            with notify:
                while not stop.is_set():
                    changes = notify.watch(1600, 50, 500, stop)  # watchfiles.watch's defaults
                    if isinstance(changes, set) and changes:
                        calls[0] += 1
                        calls[1] += len(changes)
                        seen.set()

        assert watchfiles  # the package imports as the app imports it
        thread = threading.Thread(target=run, daemon=True)
        thread.start()

        def close() -> None:
            stop.set()
            thread.join(5)

    elif backend == "watchdog":
        from watchdog.events import FileSystemEventHandler
        from watchdog.observers import Observer

        imported = time.perf_counter()

        class Handler(FileSystemEventHandler):
            def on_any_event(self, event) -> None:
                if not event.is_directory:
                    calls[0] += 1
                    calls[1] += 1
                    seen.set()

        observer = Observer()
        observer.schedule(Handler(), str(articles), recursive=True)
        observer.start()

        def close() -> None:
            observer.stop()
            observer.join(5)

    else:
        from tui.search.index.listing import scan_listed

        imported = time.perf_counter()
        index = Path(tempfile.mkdtemp(prefix="glose-watch-"))
        stop = threading.Event()
        last = {f: listed.digest() for f, listed in scan_listed(articles, index).items()}
        scan_listed(articles, index)  # the listings recorded: a poll is a stat of every file

        def run() -> None:
            nonlocal last
            while not stop.wait(POLL_SECONDS):
                now = {f: listed.digest() for f, listed in scan_listed(articles, index).items()}
                if now != last:
                    calls[0] += 1
                    calls[1] += sum(now.get(f) != last.get(f) for f in now.keys() | last.keys())
                    last = now
                    seen.set()

        thread = threading.Thread(target=run, daemon=True)
        thread.start()

        def close() -> None:
            stop.set()
            thread.join(10)

    watching = time.perf_counter()
    files = sorted(p for p in articles.rglob("*.txt"))[:: max(1, len(list(articles.rglob("*.txt"))) // edits)]
    delays = []
    saved = {path: path.read_bytes() for path in files[:edits]}  # put back after: a cached corpus
    for n, path in enumerate(files[:edits]):
        seen.clear()
        at = time.perf_counter()
        _edit(path, n)
        if seen.wait(10):
            delays.append(time.perf_counter() - at)
        time.sleep(0.05)
    for path, data in saved.items():
        path.write_bytes(data)
    time.sleep(2)  # the last debounce window closes
    cpu = _cpu()
    time.sleep(idle)
    idle_cpu = _cpu() - cpu
    # a burst: another process writes ``burst`` new files in a new folder (a sync client, an
    # unpacked export); what it costs this process to hear of them
    calls[0] = calls[1] = 0
    folder = articles / f"burst-{os.getpid()}"
    script = (
        "import os, sys; d = sys.argv[1]; os.mkdir(d)\n"
        "for i in range(int(sys.argv[2])):\n"
        "    open(os.path.join(d, f'{i:05d}.txt'), 'w').write('Un article.\\n')"
    )
    cpu = _cpu()
    subprocess.run([sys.executable, "-c", script, str(folder), str(burst)], check=True)
    time.sleep(3 + POLL_SECONDS)
    burst_cpu = _cpu() - cpu
    burst_calls = calls[0]
    stopped = time.perf_counter()
    close()
    stop_s = time.perf_counter() - stopped
    for p in folder.iterdir():
        p.unlink()
    folder.rmdir()
    return {
        "backend": backend,
        "import_s": imported - started,
        "start_s": watching - imported,
        "delay_ms": statistics.median(delays) * 1000 if delays else None,
        "missed": edits - len(delays),
        "idle_cpu_pct": 100 * idle_cpu / idle,
        "burst_cpu_s": burst_cpu,
        "burst_calls": burst_calls,
        "stop_s": stop_s,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size", type=int, default=50_000)
    parser.add_argument("--articles", help="an existing folder instead of a generated corpus")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--edits", type=int, default=10)
    parser.add_argument("--idle", type=float, default=5.0)
    parser.add_argument("--burst", type=int, default=2000, help="new files written at once")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, Path(args.articles), args.edits, args.idle, args.burst)))
        return
    if args.articles:
        articles = Path(args.articles)
    else:
        from bench.common import CACHE
        from bench.corpus import generate

        articles = generate(CACHE / f"gen-{args.size}", args.size)
    from importlib.util import find_spec

    backends = [b for b in BACKENDS if b == "polling" or find_spec(b) is not None]  # watchdog: optional
    results: dict[str, list[dict]] = {b: [] for b in backends}
    for _ in range(args.runs):
        for backend in backends:
            cmd = [sys.executable, "-m", "bench.watching", "--child", backend, "--articles", str(articles)]
            cmd += ["--edits", str(args.edits), "--idle", str(args.idle), "--burst", str(args.burst)]
            out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
            results[backend].append(json.loads(out.strip().splitlines()[-1]))
            print(results[backend][-1], flush=True)
    count = sum(1 for _ in articles.rglob("*.txt"))
    print(f"\n{count:,} files; medians of {args.runs} runs (polling: every {POLL_SECONDS:g} s)\n")
    print(
        f"| watcher | import | start watching | edit → event | missed | idle CPU | "
        f"{args.burst:,} new files: CPU, calls into Python | stop |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for backend, rows in results.items():

        def med(key: str, rows=rows) -> float:
            return statistics.median(r[key] for r in rows if r[key] is not None)

        print(
            f"| {backend} | {med('import_s') * 1000:.0f} ms | {med('start_s') * 1000:.0f} ms | "
            f"{med('delay_ms'):.0f} ms | {sum(r['missed'] for r in rows)} | {med('idle_cpu_pct'):.1f} % | "
            f"{med('burst_cpu_s'):.2f} s, {med('burst_calls'):.0f} | "
            f"{med('stop_s') * 1000:.0f} ms |"
        )


if __name__ == "__main__":
    main()
