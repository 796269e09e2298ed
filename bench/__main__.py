"""Run the benchmark and write BENCHMARKS.md.

    python -m bench                      # 1k, 5k and 50k generated articles + French man pages
    python -m bench --sizes 1000,5000    # fewer corpora
    python -m bench --no-real            # skip the man pages (needs apt-get and groff)
    python -m bench --quick              # a seconds-long smoke run (used by the test suite)
    python -m bench --engines whoosh     # one engine only (default: whoosh and tantivy)

Glose and SQLite FTS5 are measured on the same files in the same run. Timings vary from run to
run on a shared machine: compare within one run (the ratios), not across runs.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from bench.app import export_times, journal_cost, reader_times, tui_times
from bench.common import CACHE, QUERIES, ROOT, machine, percentile, wall, worker
from bench.corpus import generate, manpages
from bench.fts5 import Searcher

# --- search ----------------------------------------------------------------------------------


def time_queries(articles: Path, index: Path, db: Path | None, reps: int) -> dict:
    """Latencies of the query set, Glose's under the name of the index's engine; FTS5's too
    when ``db`` is given."""
    from tui.search.searcher import SearchEngine

    engine = SearchEngine(articles, index, "fr")
    name = engine.engine_name
    fts = Searcher(db) if db is not None else None
    out: dict[str, dict[str, list[float]]] = {}

    def record(system: str, kind: str, ms: float) -> None:
        out.setdefault(system, {}).setdefault(kind, []).append(ms)

    for _ in range(reps):
        for kind, gq, fq in QUERIES:
            for snippets in (False, True):
                label = kind + (" +snippets" if snippets else "")
                # snippets read the article files, as on a first view, and every query is
                # asked of the engine
                engine.forget()
                started = time.perf_counter()
                results = engine.search(gq, limit=10)
                if snippets:
                    for hit in results.hits:
                        engine.snippet(hit.article, results.compiled.highlight)
                record(name, label, (time.perf_counter() - started) * 1000)
                if fq is not None and fts is not None:
                    started = time.perf_counter()
                    fts.search(fq, snippets)
                    record("fts5", label, (time.perf_counter() - started) * 1000)
    engine.close()
    if fts is not None:
        fts.close()
    summary = {}
    for system, kinds in out.items():
        summary[system] = {}
        everything: dict[bool, list[float]] = {False: [], True: []}
        for kind, values in kinds.items():
            summary[system][kind] = (statistics.median(values), percentile(values, 0.95))
            everything["+snippets" in kind] += values
        summary[system]["all"] = (statistics.median(everything[False]), percentile(everything[False], 0.95))
        summary[system]["all +snippets"] = (
            statistics.median(everything[True]),
            percentile(everything[True], 0.95),
        )
    return summary


def incremental(articles: Path, index: Path) -> float:
    from tui.search.index import update
    from tui.text.corpus import scan

    files = [f.path for f in scan(articles)][:: max(1, len(list(scan(articles))) // 10)][:10]
    saved = {p: p.read_bytes() for p in files}
    try:
        for p in files:
            p.write_text(p.read_text("utf-8") + "\nUne phrase ajoutée pour le banc d'essai.\n", "utf-8")
            st = p.stat()
            os.utime(p, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
        started = time.perf_counter()
        report = update(articles, index, "fr")
        seconds = time.perf_counter() - started
        assert len(report.updated) == len(files), report.summary()
        return seconds
    finally:
        for p, data in saved.items():
            p.write_bytes(data)
            st = p.stat()
            os.utime(p, ns=(st.st_atime_ns, st.st_mtime_ns + 2_000_000_000))
        update(articles, index, "fr")


def where_else_time(articles: Path, index: Path, reps: int) -> tuple[float, int]:
    from tui.search.searcher import SearchEngine
    from tui.text.passages import where_else

    engine = SearchEngine(articles, index, "fr")
    first = engine.ids()[len(engine.ids()) // 2]
    text = engine.text(first)
    words = text.split()
    passage = " ".join(words[40:60])
    times, found = [], 0
    for _ in range(reps):
        engine._texts.clear()
        started = time.perf_counter()
        found = len(where_else(engine, passage))
        times.append((time.perf_counter() - started) * 1000)
    engine.close()
    return statistics.median(times), found


# --- report ----------------------------------------------------------------------------------


# The targets of issue 16 (DESIGN.md's performance contract): (figure, corpus, whoosh, tantivy).
TARGETS = [
    ("index build, ratio to FTS5", None, 8.0, 1.5),
    ("search p95 with snippets (ms)", "generated 5,000", 30.0, 10.0),
    ("search p95 with snippets (ms)", "generated 50,000", 150.0, 20.0),
    ("one-shot `glose search` wall (s)", "generated 5,000", 0.3, 0.25),
    ("one-shot `glose search` wall (s)", "generated 50,000", 0.6, 0.3),
    ("10-article update (s)", "generated 50,000", 0.3, 0.3),
    ("TUI first results after typing (ms)", "generated 50,000", 150.0, 50.0),
]


def targets(builds, searches, extras) -> list[str]:
    """The targets table: each figure per engine, measured in this run, with ✓ or ✗."""
    measured: dict[tuple[str, str | None, str], float] = {}
    for label, engine, _n, _mb, g, f, upd in builds:
        ratio = g["seconds"] / f["seconds"]
        key = ("index build, ratio to FTS5", None, engine)
        measured[key] = max(measured.get(key, 0.0), ratio)  # the worst corpus
        measured[("10-article update (s)", label, engine)] = upd
    for label, summary in searches:
        for system, kinds in summary.items():
            measured[("search p95 with snippets (ms)", label, system)] = kinds["all +snippets"][1]
    for label, engine, _cg, _cf, one, _w, _wf, tui in extras:
        measured[("one-shot `glose search` wall (s)", label, engine)] = one
        measured[("TUI first results after typing (ms)", label, engine)] = tui["results"] * 1000
    rows = [
        "## Targets (issue 16)",
        "",
        "Measured in this run; the build ratio is the worst corpus's. ✓ met, ✗ missed (see the notes below the tables).",
        "",
        "| figure | corpus | Whoosh (target) | tantivy (target) |",
        "|---|---|---:|---:|",
    ]
    for figure, corpus, *limits in TARGETS:
        cells = []
        for engine, limit in zip(("whoosh", "tantivy"), limits, strict=True):
            value = measured.get((figure, corpus, engine))
            if value is None:
                cells.append(f"— (< {limit:g})")
            else:
                mark = "✓" if value < limit or (figure.startswith("index") and value <= limit) else "✗"
                cells.append(f"{value:.2f} {mark} ({'≤' if figure.startswith('index') else '<'} {limit:g})")
        rows.append(f"| {figure} | {corpus or 'every corpus'} | {cells[0]} | {cells[1]} |")
    return [*rows, ""]


def fmt_ms(pair: tuple[float, float]) -> str:
    return f"{pair[0]:.1f} / {pair[1]:.1f}"


def _measure_engine(
    engine, label, articles, files, megabytes, db, f, cold_f, work, reps, builds, searches, extras
):
    """Build, update, query and start up one engine's index of one corpus."""
    index = work / f"{articles.name}-{engine}-index"
    print(f"[{label}] {engine}: building…", file=sys.stderr)
    g = worker("glose-build", str(articles), str(index), engine)
    update_10 = incremental(articles, index)
    builds.append((label, engine, len(files), megabytes, g, f, update_10))
    print(f"[{label}] {engine} {g['seconds']:.1f} s, fts5 {f['seconds']:.1f} s; querying…", file=sys.stderr)
    first = not any(s_label == label for s_label, _ in searches)
    searches.append((label, time_queries(articles, index, db if first else None, reps)))
    cold_g = min(worker("glose-cold", str(articles), str(index), "grok")["seconds"] for _ in range(3))
    glose = shutil.which("glose") or str(Path(sys.executable).with_name("glose"))
    oneshot = min(
        wall(
            [
                glose,
                "--articles",
                str(articles),
                "--index",
                str(index),
                "--db",
                str(work / "none.db"),
                "search",
                "grok",
            ]
        )
        for _ in range(3)
    )
    where_ms, where_found = where_else_time(articles, index, max(1, reps // 4))
    tui = asyncio.run(tui_times(articles, index, work / f"{articles.name}.db"))
    extras.append((label, engine, cold_g, cold_f, oneshot, where_ms, where_found, tui))


def run(
    sizes: list[int],
    real: bool,
    reps: int,
    quick: bool,
    out: Path | None,
    engines: list[str] | None = None,
    with_reader: bool = True,
) -> str:
    engines = engines or ["whoosh", "tantivy"]
    from tui.text.corpus import scan

    CACHE.mkdir(parents=True, exist_ok=True)
    work = CACHE / ("quick" if quick else "work")
    work.mkdir(parents=True, exist_ok=True)
    corpora: list[tuple[str, Path]] = [(f"generated {n:,}", generate(CACHE / f"gen-{n}", n)) for n in sizes]
    if real:
        pages = manpages(CACHE / "manpages-fr")
        if pages is not None:
            corpora.append(("French man pages", pages))
        else:
            print("note: the man pages could not be fetched or rendered; skipped", file=sys.stderr)
    lines: list[str] = []
    builds, searches, extras = [], [], []
    for label, articles in corpora:
        files = [f.path for f in scan(articles)]
        megabytes = sum(p.stat().st_size for p in files) / 1e6
        db = work / f"{articles.name}.fts5"
        print(f"[{label}] {len(files)} files, {megabytes:.1f} MB: FTS5…", file=sys.stderr)
        f = worker("fts5-build", str(articles), str(db))
        cold_f = min(worker("fts5-cold", str(db), "grok")["seconds"] for _ in range(3))
        for engine in engines:
            _measure_engine(
                engine, label, articles, files, megabytes, db, f, cold_f, work, reps, builds, searches, extras
            )
    samples = CACHE / "samples"
    if samples.exists():
        shutil.rmtree(samples)
    shutil.copytree(ROOT / "articles", samples / "articles")
    from tui.api import Library
    from tui.workspace import Workspace

    with Library(Workspace.resolve(samples)) as lib:
        lib.index.update()
    sample_tui = asyncio.run(tui_times(samples / "articles", samples / "index", samples / "annotations.db"))
    sample_oneshot = min(
        wall([shutil.which("glose") or "glose", "search", "grok"], cwd=samples) for _ in range(5)
    )
    tui_import = min(wall([sys.executable, "-c", "import tui.ui.app"]) for _ in range(3))
    reader = exports = None
    if with_reader:
        reader = asyncio.run(reader_times(work, 0.5 if quick else 5.0, 100 if quick else 1000))
        exports = export_times(work, 2000 if quick else 100_000)

    today = datetime.now(UTC).strftime("%Y-%m-%d")
    lines += [
        "# Benchmarks",
        "",
        f"Generated by `python -m bench{' --quick' if quick else ''}` on {today}, on {machine()}.",
        "Glose and SQLite FTS5 (`unicode61 remove_diacritics 2`) index and search the same files in the same run.",
        "Timings on a shared machine vary between runs: compare within a run (the ratios).",
        "",
        *targets(builds, searches, extras),
        "## Index build",
        "",
        "| corpus | engine | files | MB | Glose | docs/s | index MB | peak MB | FTS5 | FTS5 MB | Glose / FTS5 | 10-article update |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for label, engine, n, mb, g, f, upd in builds:
        lines.append(
            f"| {label} | {engine} | {n:,} | {mb:.1f} | {g['seconds']:.2f} s | {n / g['seconds']:,.0f} | {g['bytes'] / 1e6:.1f} | "
            f"{g['peak_mb']:.0f} | {f['seconds']:.2f} s | {f['bytes'] / 1e6:.1f} | {g['seconds'] / f['seconds']:.1f}× | {upd * 1000:.0f} ms |"
        )
    lines += [
        "",
        "## Query latency (ms, median / p95, top 10)",
        "",
        "Each kind mixes several queries (see `QUERIES` in `bench/common.py`); `+snippets` adds a",
        "highlighted snippet for each of the 10 hits (Glose reads the article files for it, cache cleared).",
        "",
    ]
    kinds = [k for k, *_ in QUERIES]
    kinds = list(dict.fromkeys(kinds))
    header = "| corpus | system | " + " | ".join(kinds) + " | all | all +snippets |"
    lines += [header, "|---|---|" + "---:|" * (len(kinds) + 2)]
    for label, summary in searches:
        for system in summary:
            cells = [fmt_ms(summary[system][k]) if k in summary[system] else "—" for k in kinds]
            lines.append(
                f"| {label} | {system} | "
                + " | ".join(cells)
                + f" | {fmt_ms(summary[system]['all'])} | {fmt_ms(summary[system]['all +snippets'])} |"
            )
    lines += [
        "",
        "## Start-up and one-shot commands",
        "",
        "| corpus | engine | cold start, Glose (process, open, query, snippets) | cold start, FTS5 | `glose search grok` wall | TUI first screen | TUI index checked | TUI query → results | where-else |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
        f"| the 5 samples | whoosh | — | — | {sample_oneshot * 1000:.0f} ms | {sample_tui['screen'] * 1000:.0f} ms | "
        f"{sample_tui['ready'] * 1000:.0f} ms | {sample_tui['results'] * 1000:.0f} ms | — |",
    ]
    for label, engine, cg, cf, one, where_ms, where_found, tui in extras:
        lines.append(
            f"| {label} | {engine} | {cg * 1000:.0f} ms | {cf * 1000:.0f} ms | {one * 1000:.0f} ms | {tui['screen'] * 1000:.0f} ms | "
            f"{tui['ready'] * 1000:.0f} ms | {tui['results'] * 1000:.0f} ms | {where_ms:.0f} ms ({where_found} found) |"
        )
    lines += [
        "",
        f"TUI figures are headless (`run_test`, in-process: imports excluded). Importing the TUI in a fresh process takes {tui_import * 1000:.0f} ms "
        "(Python start-up included), to be added for a real terminal.",
        "",
        "## Reader and export",
        "",
        *(
            _reader_lines(reader, exports, quick)
            if reader is not None
            else ["Not measured in this run (`--no-reader`)."]
        ),
        "",
    ]
    report = "\n".join(lines)
    if out is not None:
        previous = out.read_text("utf-8") if out.exists() else ""
        marker = "<!-- measured: the sections below are written by hand -->"
        tail = previous[previous.index(marker) :] if marker in previous else marker + "\n"
        out.write_text(report + "\n" + tail, "utf-8")
    return report


def _reader_lines(reader: dict, exports: dict, quick: bool) -> list[str]:
    return [
        f"- Opening a {reader['big_lines']:,}-line article ({0.5 if quick else 5.0:.1f} MB) in the reader, first screen drawn: "
        f"{reader['open_big'] * 1000:.0f} ms.",
        f"- Scrolling an article carrying {reader['annotations']:,} annotations, one screen (page down + render): "
        f"{reader['scroll_ms'][0]:.1f} ms mean, {reader['scroll_ms'][1]:.1f} ms worst.",
        f"- Exporting {exports['count']:,} annotations (200 articles): "
        + ", ".join(
            f"{fmt} {exports[fmt][0]:.2f} s ({exports[fmt][1] / 1e6:.1f} MB)"
            for fmt in ("markdown", "csv", "json", "qdpx")
        )
        + f"; creating them took {exports['create']:.2f} s; importing the JSON backup into an empty store "
        f"{exports['import'][0]:.2f} s ({exports['import'][1]:,} added).",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,5000,50000", help="generated corpus sizes (articles)")
    parser.add_argument("--no-real", action="store_true", help="skip the French man pages")
    parser.add_argument("--reps", type=int, default=8, help="repetitions of the query set")
    parser.add_argument("--quick", action="store_true", help="tiny corpora, few repetitions (smoke test)")
    parser.add_argument("--engines", default="whoosh,tantivy", help="Glose's engines to measure")
    parser.add_argument("--no-reader", action="store_true", help="skip the reader and export measures")
    parser.add_argument(
        "--out", default=str(ROOT / "BENCHMARKS.md"), help="where to write the report ('-' for stdout only)"
    )
    parser.add_argument(
        "--journal", type=int, metavar="N", help="only measure what the journal costs on N annotations"
    )
    args = parser.parse_args()
    if args.journal:
        print(journal_cost(CACHE / "journal", args.journal))
        return
    sizes = [int(s) for s in args.sizes.split(",") if s]
    if args.quick:
        sizes, args.reps, args.no_real = [60], 1, True
    out = None if args.out == "-" or args.quick else Path(args.out)
    engines = [e for e in args.engines.split(",") if e]
    print(run(sizes, not args.no_real, args.reps, args.quick, out, engines, not args.no_reader))


if __name__ == "__main__":
    main()
