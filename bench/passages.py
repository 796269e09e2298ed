"""Where-else at scale (issue 30): the bench's passage (20 words from the middle article) looked
for across the corpus, texts not cached, each run in a fresh process; ``--against REV`` times
another commit of Glose (a git worktree) run for run. Prints the candidates the index
proposed, the occurrences found (which must be equal for both trees) and the medians.

    python -m bench.passages --articles /path/gen-5000 --index /path/index --against main
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def child(articles: Path, index: Path) -> dict:
    from tui.search.searcher import SearchEngine
    from tui.text.passages import probes, tokens, where_else

    engine = SearchEngine(articles, index, "fr")
    ids = engine.ids()
    text = engine.text(ids[len(ids) // 2])
    passage = " ".join(text.split()[40:60])
    where_else(engine, passage)  # imports and the fold cache warmed, as in the reader
    engine._texts.clear()
    started = time.perf_counter()
    found = where_else(engine, passage)
    seconds = time.perf_counter() - started
    asked = probes(tokens(passage))
    candidates = len(engine.phrase_candidates(asked, at_least=2))
    return {
        "seconds": seconds,
        "found": [[o.article, o.start, o.end, o.similarity] for o in found],
        "candidates": candidates,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=Path)
    parser.add_argument("--index", type=Path, action="append", help="one per engine")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--against", help="a git revision of Glose to time run for run")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(Path(args.child[0]), Path(args.child[1]))))
        return
    if args.articles is None or not args.index:
        parser.error("give --articles and at least one --index")
    from bench.trees import against_trees  # here: a child runs this file on another tree

    # the children run in each tree's folder: paths given relative to here must still point here
    articles, indexes = args.articles.resolve(), [index.resolve() for index in args.index]

    work = Path(tempfile.mkdtemp(prefix="glose-passages-"))
    rows = []
    with against_trees(args.against, work) as trees:
        for index in indexes:
            got: dict[str, list[dict]] = {name: [] for name in trees}
            for _ in range(args.runs):
                for name, tree in trees.items():
                    env = dict(os.environ, PYTHONPATH=str(tree))
                    cmd = [
                        sys.executable,
                        str(Path(__file__).resolve()),
                        "--child",
                        str(articles),
                        str(index),
                    ]
                    out = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=tree, check=True)
                    got[name].append(json.loads(out.stdout.strip().splitlines()[-1]))
                    print(index, name, got[name][-1]["seconds"], flush=True)
            founds = {json.dumps(r["found"]) for results in got.values() for r in results}
            assert len(founds) == 1, "the trees found different occurrences"
            for name, results in got.items():
                rows.append((Path(index).name, name, results))
    print(f"\nmedians of {args.runs} runs, each in a fresh process; the same occurrences in every run\n")
    print("| index | Glose | where-else | candidates read | found |")
    print("|---|---|---:|---:|---:|")
    for index, name, results in rows:
        median = statistics.median(r["seconds"] for r in results)
        print(
            f"| {index} | {name} | {median:.2f} s | {results[0]['candidates']} | {len(results[0]['found'])} |"
        )


if __name__ == "__main__":
    main()
