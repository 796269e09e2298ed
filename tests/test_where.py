"""``--where QUERY`` on every listing and analysis: each works on exactly the articles
``glose search QUERY`` lists, and its counts agree with the unnarrowed command's."""

from __future__ import annotations

import csv
import io
import json

import pytest

from tui.api import Library, Passage

from .conftest import SAMPLE_IDS

WHERE = "monde"  # two of the five sample articles


@pytest.fixture
def coded(indexed):
    """Every sample article coded by ana (two passages) and ben (one), the set ``lot`` saved."""
    with Library(indexed, coder="ana") as ana, Library(indexed, coder="ben") as ben:
        for article in SAMPLE_IDS:
            ana.annotations.annotate(Passage(article, start=0, end=12), tags=["frame"])
            ana.annotations.annotate(Passage(article, start=20, end=30), tags=["autre"])
            ben.annotations.annotate(Passage(article, start=0, end=12), tags=["frame"])
        ana.sets.save("lot", WHERE)
    return indexed


def run_json(cli, ws, *args):
    result = cli(ws, *args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def searched(cli, ws, query: str) -> set[str]:
    return {r["article"] for r in run_json(cli, ws, "search", query, "--limit", "100")["results"]}


@pytest.mark.parametrize("where", [WHERE, "set:lot", "grok -set:lot"])
def test_annotations_where_are_those_of_the_articles_search_lists(cli, coded, where):
    articles = searched(cli, coded, where)
    assert 0 < len(articles) < len(SAMPLE_IDS)
    every = run_json(cli, coded, "annotations")
    narrowed = run_json(cli, coded, "annotations", "--where", where)
    assert narrowed == [a for a in every if a["article"] in articles]
    both = run_json(cli, coded, "annotations", "--where", where, "--coder", "ben", "--tag", "frame")
    assert [a["id"] for a in both] == [
        a["id"] for a in narrowed if a["coder"] == "ben" and a["tags"] == ["frame"]
    ]


def test_tags_and_stats_count_within(cli, coded):
    articles = searched(cli, coded, WHERE)
    tags = {t["name"]: t for t in run_json(cli, coded, "tags", "--where", WHERE)}
    assert (tags["frame"]["count"], tags["frame"]["articles"]) == (2 * len(articles), len(articles))
    assert (tags["autre"]["count"], tags["autre"]["articles"]) == (len(articles), len(articles))
    assert run_json(cli, coded, "tags")[1]["count"] == 2 * len(SAMPLE_IDS)  # frame, unnarrowed
    stats = run_json(cli, coded, "stats", "--where", WHERE)
    assert {t["name"]: t["count"] for t in stats["tags"]} == {
        "autre": len(articles),
        "frame": 2 * len(articles),
    }
    assert {m["article"] for m in stats["matrix"]} == articles
    assert sum(stats["by_date"].values()) == 3 * len(articles)
    csv_rows = cli(coded, "stats", "--where", WHERE, "--csv").stdout
    assert f"tag_counts,frame,annotations,{2 * len(articles)}" in csv_rows


def test_export_every_format_where(cli, coded):
    articles = searched(cli, coded, WHERE)
    rows = list(csv.DictReader(io.StringIO(cli(coded, "export", "-f", "csv", "--where", WHERE).stdout)))
    assert rows and {r["article"] for r in rows} == articles
    assert len(rows) == 3 * len(articles)
    data = json.loads(cli(coded, "export", "-f", "json", "--where", WHERE).stdout)
    assert data["total"] == len(data["first"]["items"]) == 3 * len(articles)
    markdown = cli(coded, "export", "-f", "markdown", "--where", WHERE).stdout
    outside = sorted(set(SAMPLE_IDS) - articles)
    assert all(a in markdown for a in articles) and not any(a in markdown for a in outside)
    qdpx = cli(coded, "export", "-f", "qdpx", "--where", WHERE, "-o", str(coded.root / "x.qdpx"))
    assert qdpx.exit_code == 0 and f"exported {3 * len(articles)} annotations" in qdpx.stderr


def test_agreement_where_compares_only_those_articles(cli, coded):
    articles = searched(cli, coded, WHERE)
    result = run_json(cli, coded, "agreement", "--where", WHERE)
    assert sorted(result["articles"]) == sorted(articles)
    assert sorted(run_json(cli, coded, "agreement")["articles"]) == SAMPLE_IDS


def test_kwic_where_is_the_concordance_within(cli, coded):
    articles = searched(cli, coded, WHERE)
    every = run_json(cli, coded, "kwic", "grok")
    within = run_json(cli, coded, "kwic", "grok", "--where", WHERE)
    assert within == [k for k in every if k["article"] in articles]
    assert within and {k["article"] for k in within} == articles


def test_review_where_lists_only_those_articles(cli, coded):
    for article in SAMPLE_IDS:  # text before every passage: they all move
        path = coded.articles / article
        path.write_text("Avant. " + path.read_text("utf-8"), "utf-8")
    articles = searched(cli, coded, WHERE)
    every = run_json(cli, coded, "review")
    assert {a["article"] for a in every} == set(SAMPLE_IDS)
    narrowed = run_json(cli, coded, "review", "--where", WHERE)
    assert narrowed == [a for a in every if a["article"] in articles]


def test_a_bad_where_is_one_line(cli, coded):
    for args in (("annotations",), ("stats",), ("kwic", "grok"), ("tags",), ("export", "-f", "csv")):
        blank = cli(coded, *args, "--where", " ")
        assert blank.exit_code == 1 and blank.stderr.strip() == (
            "glose: --where needs a query, for example: --where source:monde"
        )
        unknown = cli(coded, *args, "--where", "set:nulle")
        assert unknown.exit_code == 1 and unknown.stderr.startswith(
            "glose: no set 'nulle' (the sets are: lot)"
        )
    nothing = run_json(cli, coded, "annotations", "--where", "introuvablexyz")
    assert nothing == []
