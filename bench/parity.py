"""What a search finds, written down to compare two versions of Glose on the same index.

    PYTHONPATH=/tmp/before python -m bench.parity dump ARTICLES INDEX before.json
    PYTHONPATH=.           python -m bench.parity dump ARTICLES INDEX after.json
    python -m bench.parity compare before.json after.json [--strict]

For every query of the benchmark (and a few more shapes: exclusions alone, long ORs, fields,
date ranges): the ids of the first 10 and of the first 200 results in order, their scores
(exactly, as ``repr``), the total, and every matching id; for Whoosh, also what its unlimited
collector (every match scored, nothing skipped) ranks first, the reference. A speed-up of the
search must leave all of it unchanged, or differ only where the first version differed from the
reference (``compare`` lists both; it fails when the second version differs from the reference,
and with ``--strict`` on any difference).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

EXTRA = [
    "-premium",
    "-grok -musk",
    "grok -title:grok",
    "musk OR premium OR images OR plateforme OR réseau OR service",
    '"service premium" OR "elon musk" OR grok',
    '"réseau social" images -grok',
    "title:(grok OR musk)",
    'title:"elon musk"',
    "source:monde",
    "date:2026 grok",
    "date:2026-01-05..2026-01-20 musk",
    "date:..2026-01-10",
    "pla* -plateforme",
    "numéri* OR harcel*",
    "(grok musk) OR (premium images)",
    "fichier",
    "commande OR option",
    '"la commande"',
    '"fichier de configuration"',
    "syst* -noyau",
    "utilis* fichier",
    "title:(commande OR fichier)",
]


def queries() -> list[str]:
    from bench.common import QUERIES

    return [q for _, q, _ in QUERIES] + EXTRA


def dump(articles: str, index: str, out: str) -> None:
    from tui.errors import GloseError
    from tui.search.searcher import SearchEngine

    engine = SearchEngine(Path(articles), Path(index), "fr")
    found = {}
    for q in queries():
        engine.forget()
        try:
            top = engine.search(q, limit=10)
            wide = engine.search(q, limit=200)
            found[q] = {
                "top": [[h.article, h.score] for h in top.hits],
                "wide": [h.article for h in wide.hits],
                "total": top.total,
                "wide_total": wide.total,
                "ids": engine.matching_ids(q),
            }
            raw = engine._reader.search(top.compiled.query, 10)[0]
            found[q]["raw"] = [[f["id"], repr(s)] for f, s in raw]
            if engine.engine_name == "whoosh":
                # Whoosh's reference: its unlimited collector scores every match, skipping nothing
                searcher = engine._reader.searcher
                every = searcher.search(top.compiled.query, limit=None)
                found[q]["reference"] = {
                    "raw": [[h["id"], repr(h.score)] for h in every[:10]],
                    "wide": [h["id"] for h in every[:200]],
                    "total": len(every),
                }
        except GloseError as exc:
            found[q] = {"error": str(exc)}
    engine.close()
    Path(out).write_text(json.dumps(found, ensure_ascii=False, indent=1), "utf-8")


def compare(a: str, b: str) -> int:
    before = json.loads(Path(a).read_text("utf-8"))
    after = json.loads(Path(b).read_text("utf-8"))
    bad = 0
    for q in before:
        if before[q] != after.get(q):
            bad += 1
            for key in before[q]:
                if before[q].get(key) != after.get(q, {}).get(key):
                    print(
                        f"DIFFERENT {q!r} {key}: {str(before[q][key])[:200]} != {str(after.get(q, {}).get(key))[:200]}"
                    )
    print(f"{len(before) - bad} of {len(before)} queries identical")
    wrong = 0
    for name, found in (("first", before), ("second", after)):
        for q, f in found.items():
            ref = f.get("reference")
            if ref is None:
                continue
            if (f["raw"], f["wide"], f["total"], f["wide_total"]) != (
                ref["raw"],
                ref["wide"],
                ref["total"],
                ref["total"],
            ):
                wrong += name == "second"
                print(f"{name}: {q!r} differs from Whoosh's unlimited collector (the reference)")
    return 1 if wrong or (bad and "--strict" in sys.argv) else 0


if __name__ == "__main__":
    kind, *args = sys.argv[1:]
    if kind == "dump":
        dump(*args)
    else:
        sys.exit(compare(*args[:2]))
