"""Tag analysis: co-occurrence on spans and in articles, the matrix, counts by source/date."""

from __future__ import annotations

import csv
import io
import json

from tui.api import Library, Passage

from .conftest import SAMPLE_IDS

A000, A001, A002, A003, A004 = SAMPLE_IDS


def coded(ws):
    with Library(ws) as lib:
        lib.annotations.annotate(
            Passage("004", quote="Keir Starmer", occurrence=1), tags=["acteurs", "réaction"]
        )  # both on one span
        lib.annotations.annotate(
            Passage("004", quote="un porte-parole du Premier ministre britannique Keir Starmer"),
            tags=["gouvernement"],
        )  # overlaps it
        lib.annotations.annotate(Passage("004", quote="Thomas Régnier"), tags=["acteurs"])
        lib.annotations.annotate(Passage("000", quote="Keir Starmer"), tags=["acteurs"])
        lib.annotations.annotate(Passage("003", quote="Roland Lescure"), tags=["gouvernement"])
        gone = lib.annotations.annotate(
            Passage("001", quote="Elon Musk a finalement pris la parole"), tags=["réaction"]
        )
        lib.annotations.delete(gone.id)


def test_cooccurrence_matrix_and_counts(indexed):
    coded(indexed)
    with Library(indexed) as lib:
        stats = lib.coders.stats()
    assert stats.span_cooccurrence == {
        ("acteurs", "réaction"): 1,
        ("acteurs", "gouvernement"): 1,
        ("gouvernement", "réaction"): 1,
    }
    assert stats.article_cooccurrence == {
        ("acteurs", "gouvernement"): 1,
        ("acteurs", "réaction"): 1,
        ("gouvernement", "réaction"): 1,
    }
    assert stats.matrix == {
        ("acteurs", A004): 2,
        ("réaction", A004): 1,
        ("gouvernement", A004): 1,
        ("acteurs", A000): 1,
        ("gouvernement", A003): 1,
    }
    assert stats.by_source == {"ATS": 3, "Mediapart": 1, "NotreContinent.com": 1}
    assert stats.by_date == {"2026-01-09": 4, "2025-01-23": 1}
    assert {t.name: t.count for t in stats.tags} == {"acteurs": 3, "gouvernement": 2, "réaction": 1}


def test_cli_stats_json_and_csv(cli, indexed):
    coded(indexed)
    data = json.loads(cli(indexed, "stats", "--json").stdout)
    assert set(data) == {"tags", "cooccurrence", "matrix", "by_source", "by_date", "notes"}
    assert {"tags": ["acteurs", "réaction"], "count": 1} in data["cooccurrence"]["span"]
    rows = list(csv.DictReader(io.StringIO(cli(indexed, "stats", "--csv").stdout)))
    assert {"table": "by_source", "row": "ATS", "column": "annotations", "value": "3"} in rows
    assert {r["table"] for r in rows} == {
        "tag_counts",
        "cooccurrence_span",
        "cooccurrence_article",
        "tag_by_article",
        "by_source",
        "by_date",
    }
    text = cli(indexed, "stats").stdout
    assert "Co-occurring on a span" in text and "acteurs" in text
