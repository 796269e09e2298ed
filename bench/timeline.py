"""The timeline and the code × variable matrix at scale (issue 26): ``glose timeline`` and
``glose stats --matrix`` on a generated corpus whose articles name their outlet (see
``generate(sourced=True)``), with coded passages in the store.

    python -m bench.timeline [--size 50000] [--engines tantivy,whoosh] [--annotations 20000]

Prints a Markdown table (in-process, a fresh Library each time: the variables table is made
from the index's records once per process, as a CLI command does; and the wall time of the
command, process start to exit, index check included)."""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

from .corpus import generate

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "bench" / ".cache"
TAGS = ["cadrage", "cadrage/payant", "cadrage/victimes", "acteurs", "acteurs/état", "réaction", "ton/ironie"]

# (label, how the timeline is asked for, in process and on the command line)
TIMELINES = [
    ("timeline by month, split by outlet", None, ["--by", "month", "--split", "source"]),
    ("timeline by week, --tag cadrage", None, ["--by", "week", "--tag", "cadrage"]),
    (
        "timeline of a rare word (131 articles), hits counted",
        "zétiquoka",
        ["--by", "month", "--split", "source"],
    ),
    ("timeline of a word in 3,445 articles, hits counted", "dragontruro", ["--by", "week"]),
    ("timeline of a word in 37,793 articles, --no-hits", "gouvernement", ["--by", "month", "--no-hits"]),
    ("timeline of a word in 37,793 articles, hits counted", "gouvernement", ["--by", "month"]),
]
MATRICES = [
    ("matrix tag × outlet", ["--rows", "tag", "--cols", "source"]),
    (
        "matrix tag × month, --where an outlet",
        ["--rows", "tag", "--cols", "date.month", "--where", 'source:"le monde"'],
    ),
    ("matrix outlet × month (every article)", ["--rows", "source", "--cols", "date.month"]),
]


def workspace(size: int, engine: str) -> Path:
    """A workspace folder over the shared articles and this engine's index (built if missing)."""
    from tui.search.index import update

    base = CACHE / f"timeline-{size}"
    articles = generate(base / "articles", size, sourced=True)
    ws = base / f"ws-{engine}"
    ws.mkdir(parents=True, exist_ok=True)
    (ws / "glose.toml").write_text(f'engine = "{engine}"\n', "utf-8")
    if not (ws / "articles").exists():
        (ws / "articles").symlink_to(articles.resolve())
    index = base / f"index-{engine}"
    if not (index / "state.json").exists():
        update(articles, index, "fr", rebuild=True, engine=engine)
    if not (ws / "index").exists():
        (ws / "index").symlink_to(index.resolve())
    return ws


def code(ws: Path, count: int) -> int:
    """``count`` coded passages over a random tenth of the articles, once (kept in the store)."""
    from tui.api import Library

    with Library.open(ws) as lib:
        have = lib.ctx.store.coders()
        if sum(have.values()) >= count:
            return sum(have.values())
        rng = random.Random(26)
        ids = lib.search.ids(None)
        chosen = rng.sample(ids, max(1, min(len(ids), count // 4)))
        spans, per_tag = [], {}
        for n in range(count):
            article = chosen[n % len(chosen)]
            start = rng.randint(0, 300)
            spans.append((article, start, start + rng.randint(5, 60)))
            per_tag.setdefault(TAGS[n % len(TAGS)], []).append(spans[-1])
        for tag, tagged in per_tag.items():
            lib.annotations.code_spans(tagged, [tag])
        return count


def timed(call, runs: int = 3) -> tuple[float, object]:
    """The median of ``runs`` calls (one when the first takes over 5 s), and what it answered."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        found = call()
        times.append(time.perf_counter() - started)
        if times[0] > 5:
            break
    return statistics.median(times), found


def wall(ws: Path, args: list[str]) -> float:
    """Seconds from starting ``glose ARGS`` to its exit (the median of three)."""
    times = []
    for _ in range(3):
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "tui.cli", "--workspace", str(ws), *args], capture_output=True, text=True
        )
        times.append(time.perf_counter() - started)
        if done.returncode:
            raise SystemExit(f"glose {' '.join(args)}: {done.stderr.strip()}")
    return statistics.median(times)


def measure(ws: Path):
    """(figure, in process, wall, what) for each timeline and matrix, one at a time."""
    from tui.api import Library

    for label, query, args in TIMELINES:
        by = args[args.index("--by") + 1]
        split = args[args.index("--split") + 1] if "--split" in args else None
        tag = args[args.index("--tag") + 1] if "--tag" in args else None
        hits = "--no-hits" not in args

        def one(query=query, by=by, split=split, tag=tag, hits=hits):
            with Library.open(ws) as lib:
                return lib.counts.timeline(query, by=by, split=split, tag=tag, hits=hits)

        seconds, found = timed(one)
        matched = sum(r.articles for r in found.rows)
        command = ["timeline", *([query] if query else []), *args, "--json"]
        yield label, seconds, wall(ws, command), f"{matched:,} articles, {len(found.rows)} rows"
    for label, args in MATRICES:
        where = args[args.index("--where") + 1] if "--where" in args else None

        def one(args=args, where=where):
            with Library.open(ws) as lib:
                return lib.counts.matrix(args[1], args[3], within=lib.search.within(where))

        seconds, found = timed(one)
        yield label, seconds, wall(ws, ["stats", "--matrix", *args, "--json"]), f"{len(found.cells)} cells"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=50_000)
    parser.add_argument("--engines", default="tantivy,whoosh")
    parser.add_argument("--annotations", type=int, default=20_000)
    args = parser.parse_args()
    print(
        f"| figure ({args.size:,} articles, {args.annotations:,} coded passages) | engine | in process (s) | `glose` wall (s) | what |"
    )
    print("|---|---|---:|---:|---|")
    for engine in args.engines.split(","):
        ws = workspace(args.size, engine)
        code(ws, args.annotations)
        for label, inside, outside, what in measure(ws):
            print(f"| {label} | {engine} | {inside:.2f} | {outside:.2f} | {what} |", flush=True)


if __name__ == "__main__":
    main()
