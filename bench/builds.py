"""Index build time against SQLite FTS5, in one run (issue 30): FTS5 and each engine build the
same corpus, each in a fresh process, one after the other, ``--reps`` rounds; the figures are
the medians of the rounds (times, and each round's ratio to that round's FTS5).

    python -m bench.builds                  # the French man pages, 3 rounds (what BENCHMARKS.md shows)
    python -m bench.builds --sizes 5000     # and the generated 5,000
    python -m bench.builds --pairs          # also Whoosh without its pairs field: build, size, phrases
    python -m bench.builds --distinct       # also the man pages without their exact copies

``--pairs`` adds a Whoosh build with no pairs field (``--common 0``) and one per ``--common``
size, and times the corpus's phrase queries on each index (median / p95 with snippets, and
the number of matching articles, which must not differ). CPU seconds include the worker
processes; on a shared machine the wall times move with the load, the ratios less.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import CACHE, machine, percentile, worker
from bench.corpus import distinct, generate, manpages

# Phrases of each corpus's common words: the slow queries of a positional index, which the
# pairs field answers from one posting list.
PHRASES = {
    "man pages": [
        '"ligne de commande"',
        '"fichier de configuration"',
        '"valeur de retour"',
        '"page de manuel"',
        '"système de fichiers"',
        '"voir aussi"',
        '"en cas d\'erreur"',
        '"le processus appelant"',
        '"nombre d\'octets"',
        '"option est utilisée"',
    ],
    "generated": [
        '"service premium"',
        '"la création d\'images illégales"',
        '"elon musk"',
        '"réseau social"',
        '"le gouvernement français"',
        '"les images générées"',
        '"la commission européenne"',
        '"les réseaux sociaux"',
    ],
}


def _cpu_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def build(kind: str, *args: str, tree: Path | None = None) -> dict:
    """One build in a fresh process, with the CPU seconds it and its workers used; ``tree``:
    another checkout of Glose to run instead of this one (``--against``)."""
    cpu = _cpu_children()
    started = time.perf_counter()
    if tree is None:
        result = worker(kind, *args)
    else:
        env = {**os.environ, "PYTHONPATH": str(tree)}
        out = subprocess.run(
            [sys.executable, "-m", "bench.worker", kind, *args],
            cwd=tree,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        result = json.loads(out.stdout.strip().splitlines()[-1])
    result["wall"] = time.perf_counter() - started
    result["cpu"] = _cpu_children() - cpu
    return result


def phrase_times(articles: Path, index: Path, phrases: list[str], reps: int) -> dict:
    """Median / p95 (ms) of the phrases with a snippet per hit (top 10, article texts read
    afresh each time), and each phrase's number of matching articles."""
    from tui.search.searcher import SearchEngine

    engine = SearchEngine(articles, index, "fr")
    times, totals = [], {}
    try:
        for _ in range(reps):
            for phrase in phrases:
                engine.forget()
                started = time.perf_counter()
                results = engine.search(phrase, limit=10)
                for hit in results.hits:
                    engine.snippet(hit.article, results.compiled.highlight)
                times.append((time.perf_counter() - started) * 1000)
                totals[phrase] = results.total
    finally:
        engine.close()
    return {"p50": statistics.median(times), "p95": percentile(times, 0.95), "totals": totals}


def run(
    corpora: list[tuple[str, Path]],
    reps: int,
    engines: list[str],
    commons: list[int] | None,
    against: Path | None = None,
) -> str:
    work = Path(tempfile.mkdtemp(prefix="glose-builds-", dir=CACHE))
    variants: list[tuple[str, int | None]] = [(engine, None) for engine in engines]
    if commons is not None:
        variants += [("whoosh", c) for c in commons]
    lines = [
        f"`python -m bench.builds{' --pairs' if commons is not None else ''}`, {reps} rounds, "
        f"{time.strftime('%Y-%m-%d %H:%M')}, on {machine()}.",
        "",
        "| corpus | files | MB | build | median s (rounds) | CPU s | × FTS5 (median of rounds) | index MB |",
        "|---|---:|---:|---|---:|---:|---:|---:|",
    ]
    phrase_lines = []
    for label, articles in corpora:
        files = sorted(p for p in articles.rglob("*.txt"))
        megabytes = sum(p.stat().st_size for p in files) / 1e6
        rounds: dict[str, list[dict]] = {}
        for n in range(reps):
            print(f"[{label}] round {n + 1}/{reps}", file=sys.stderr)
            fts = build("fts5-build", str(articles), str(work / "fts5.db"))
            rounds.setdefault("FTS5", []).append({**fts, "ratio": 1.0})
            for engine, common in variants:
                name = engine if common is None else f"whoosh, {common} common stems"
                args = [str(articles), str(work / f"{engine}-{common}"), engine]
                if common is not None:
                    args.append(str(common))
                got = build("glose-build", *args)
                got["ratio"] = got["wall"] / fts["wall"]
                rounds.setdefault(name, []).append(got)
                if against is not None and common is None:
                    old = build("glose-build", *args[:3], tree=against)
                    old["ratio"] = old["wall"] / fts["wall"]
                    rounds.setdefault(f"{engine} at {against.name}", []).append(old)
                    print(f"  {engine} at {against.name}: {old['wall']:.2f} s", file=sys.stderr)
                print(
                    f"  {name}: {got['wall']:.2f} s ({got['ratio']:.2f}× FTS5 {fts['wall']:.2f} s)",
                    file=sys.stderr,
                )
        for name, runs in rounds.items():
            walls = ", ".join(f"{r['wall']:.2f}" for r in runs)
            lines.append(
                f"| {label} | {len(files):,} | {megabytes:.1f} | {name} | "
                f"{statistics.median(r['wall'] for r in runs):.2f} ({walls}) | "
                f"{statistics.median(r['cpu'] for r in runs):.2f} | "
                f"{statistics.median(r['ratio'] for r in runs):.2f} | "
                f"{runs[-1]['bytes'] / 1e6:.1f} |"
            )
        if commons is not None:
            phrases = PHRASES["man pages" if "man" in label else "generated"]
            seen = None
            for engine, common in variants:
                if engine != "whoosh":
                    continue
                name = "whoosh" if common is None else f"whoosh, {common} common stems"
                got = phrase_times(articles, work / f"{engine}-{common}", phrases, max(3, reps))
                same = seen is None or got["totals"] == seen
                seen = seen or got["totals"]
                phrase_lines.append(
                    f"| {label} | {name} | {got['p50']:.1f} / {got['p95']:.1f} | "
                    f"{sum(got['totals'].values()):,} | {'same' if same else 'DIFFERENT'} |"
                )
    if phrase_lines:
        lines += [
            "",
            "Phrase queries (`PHRASES` in `bench/builds.py`), top 10 with a snippet each:",
            "",
            "| corpus | index | ms, median / p95 | articles matched, all phrases | hit sets |",
            "|---|---|---:|---:|---|",
            *phrase_lines,
        ]
    shutil.rmtree(work, ignore_errors=True)
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench.builds",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--reps", type=int, default=3, help="rounds (default 3)")
    parser.add_argument("--sizes", default="", help="generated corpus sizes to add (articles)")
    parser.add_argument("--no-real", action="store_true", help="skip the French man pages")
    parser.add_argument("--engines", default="tantivy,whoosh")
    parser.add_argument(
        "--distinct",
        action="store_true",
        help="also the man pages without their exact copies (half the files)",
    )
    parser.add_argument("--pairs", action="store_true", help="Whoosh with and without its pairs field")
    parser.add_argument("--common", default="0", help="with --pairs: common-stem set sizes to compare")
    parser.add_argument(
        "--against", type=Path, help="another checkout of Glose to build with too (before/after)"
    )
    args = parser.parse_args()
    CACHE.mkdir(parents=True, exist_ok=True)
    corpora: list[tuple[str, Path]] = []
    if not args.no_real:
        pages = manpages(CACHE / "manpages-fr")
        if pages is None:
            print("note: the man pages could not be fetched or rendered; skipped", file=sys.stderr)
        else:
            corpora.append(("French man pages", pages))
            if args.distinct:
                corpora.append(
                    ("French man pages, no copies", distinct(pages, CACHE / "manpages-fr-distinct"))
                )
    for n in (int(s) for s in args.sizes.split(",") if s):
        corpora.append((f"generated {n:,}", generate(CACHE / f"gen-{n}", n)))
    commons = [int(c) for c in args.common.split(",") if c] if args.pairs else None
    engines = [e for e in args.engines.split(",") if e]
    print(run(corpora, args.reps, engines, commons, args.against.resolve() if args.against else None))


if __name__ == "__main__":
    main()
