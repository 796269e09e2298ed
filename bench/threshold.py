"""Where a new index should switch from Whoosh to tantivy: both engines' build time, search
latency (with snippets) and cold start on generated corpora of a few sizes, in one run.

    python -m bench.threshold                      # 200, 500, 1000, 2000 articles
    python -m bench.threshold --sizes 500,1000 --reps 3
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path

from bench.__main__ import time_queries
from bench.common import CACHE, worker
from bench.corpus import generate

ENGINES = ("whoosh", "tantivy")


def measure(sizes: list[int], reps: int) -> list[dict]:
    rows = []
    work = Path(tempfile.mkdtemp(prefix="glose-threshold-"))
    try:
        for size in sizes:
            articles = CACHE / f"gen-{size}"
            if not articles.is_dir():
                generate(articles, size)
            for engine in ENGINES:
                index = work / f"{size}-{engine}"
                build = worker("glose-build", str(articles), str(index), engine)
                times = time_queries(articles, index, None, reps)[engine]
                cold = min(
                    worker("glose-cold", str(articles), str(index), "grok")["seconds"] for _ in range(3)
                )
                rows.append(
                    {
                        "size": size,
                        "engine": engine,
                        "build_s": build["seconds"],
                        "p50_ms": times["all +snippets"][0],
                        "p95_ms": times["all +snippets"][1],
                        "cold_s": cold,
                    }
                )
                print(rows[-1], flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="200,500,1000,2000")
    parser.add_argument("--reps", type=int, default=5)
    args = parser.parse_args()
    rows = measure([int(s) for s in args.sizes.split(",")], args.reps)
    print("| articles | engine | build | search p50 / p95 (+snippets) | cold start + first query |")
    print("|---:|---|---:|---:|---:|")
    for r in rows:
        print(
            f"| {r['size']:,} | {r['engine']} | {r['build_s']:.2f} s | "
            f"{r['p50_ms']:.1f} / {r['p95_ms']:.1f} ms | {r['cold_s'] * 1000:.0f} ms |"
        )


if __name__ == "__main__":
    main()
