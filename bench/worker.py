"""Measurements that must run in a fresh process (build time with its peak memory, cold
starts). ``python -m bench.worker KIND ...`` prints one JSON object."""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def glose_build(articles: str, index: str, engine: str = "whoosh", common: str | None = None) -> dict:
    """``common``: the size of Whoosh's set of common stems (0: no pairs field), for
    ``bench.builds --pairs``; else Glose's own."""
    from tui.search.index import update

    if common is not None:
        from tui.text import analysis

        analysis.COMMON_STEMS = int(common)

    started = time.perf_counter()
    report = update(Path(articles), Path(index), "fr", rebuild=True, engine=engine)
    seconds = time.perf_counter() - started
    size = sum(p.stat().st_size for p in Path(index).rglob("*") if p.is_file())
    return {
        "seconds": seconds,
        "docs": len(report.added) + report.unchanged,
        "bytes": size,
        "peak_mb": _peak_mb(),
    }


def fts5_build(articles: str, db: str) -> dict:
    from bench.fts5 import build
    from tui.text.corpus import scan

    files = [f.path for f in scan(Path(articles))]
    seconds = build(files, Path(db))
    return {"seconds": seconds, "docs": len(files), "bytes": Path(db).stat().st_size, "peak_mb": _peak_mb()}


def glose_cold(articles: str, index: str, query: str) -> dict:
    started = time.perf_counter()
    from tui.search.searcher import SearchEngine

    engine = SearchEngine(Path(articles), Path(index), "fr")
    results = engine.search(query, limit=10)
    for hit in results.hits:
        engine.snippet(hit.article, results.compiled.highlight)
    return {"seconds": time.perf_counter() - started, "hits": results.total}


def fts5_cold(db: str, query: str) -> dict:
    started = time.perf_counter()
    import sqlite3

    conn = sqlite3.connect(db)
    rows = conn.execute(
        "SELECT id, snippet(docs, 2, '[', ']', '…', 16) FROM docs WHERE docs MATCH ? ORDER BY rank LIMIT 10",
        (query,),
    ).fetchall()
    return {"seconds": time.perf_counter() - started, "hits": len(rows)}


if __name__ == "__main__":
    kind, *args = sys.argv[1:]
    result = {
        "glose-build": glose_build,
        "fts5-build": fts5_build,
        "glose-cold": glose_cold,
        "fts5-cold": fts5_cold,
    }[kind](*args)
    print(json.dumps(result))
