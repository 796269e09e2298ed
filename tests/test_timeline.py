"""``glose timeline`` and ``glose stats --matrix``: every count agrees with the search and the
annotations listing it stands for (``date:PERIOD``, ``glose kwic``, ``glose annotations``)."""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections import Counter

import pytest

from tui.api import Library, Passage
from tui.workspace import Workspace

from .conftest import SAMPLES, update_index, use_engine

# Articles beyond the samples: other weeks, months and years, outlets, and one with no date.
EXTRA = {
    "x1.txt": ("Le gouvernement répond sur Grok et ses images", "2026-02-03", "Le Monde"),
    "x2.txt": ("Grok encore au cœur des critiques du régulateur", "2026-02-04", "Le Monde"),
    "x3.txt": ("Le régulateur européen ouvre une enquête formelle", "2026-01-12", "Le Figaro"),
    "x4.txt": ("Une année de débats sur les images générées par Grok", "2025-12-29", "Le Figaro"),
    "x5.txt": ("Un texte sans date où Grok revient deux fois, Grok", None, "Le Monde"),
}


def _write(folder, name, title, day, source) -> None:
    lines = [title, ""]
    if day:
        lines += [day, ""]
    lines += [source, "", f"{title}. Le texte parle de Grok une fois, puis du régulateur.", ""]
    (folder / name).write_text("\n".join(lines), "utf-8")


def _corpus(root, engine: str | None = None) -> Workspace:
    shutil.copytree(SAMPLES, root / "articles")
    for name, (title, day, source) in EXTRA.items():
        _write(root / "articles", name, title, day, source)
    use_engine(root, engine)
    ws = Workspace.resolve(root)
    update_index(ws)
    return ws


@pytest.fixture
def corpus(tmp_path) -> Workspace:
    return _corpus(tmp_path)


@pytest.fixture
def engine_corpus(tmp_path, engine_name) -> Workspace:
    """The corpus on each search engine in turn."""
    return _corpus(tmp_path, engine_name)


def coded(ws: Workspace) -> None:
    with Library(ws) as lib:
        lib.annotations.annotate(Passage("x1", quote="Grok", occurrence=1), tags=["cadrage/payant"])
        lib.annotations.annotate(Passage("x1", quote="gouvernement", occurrence=1), tags=["acteurs"])
        lib.annotations.annotate(Passage("x2", quote="Grok", occurrence=1), tags=["cadrage", "acteurs"])
        lib.annotations.annotate(Passage("x3", quote="régulateur", occurrence=1), tags=["cadrage"])
        lib.annotations.annotate(Passage("x5", quote="Grok", occurrence=1), tags=["cadrage/payant"])
        lib.annotations.annotate(Passage("004", quote="Keir Starmer", occurrence=1), tags=["acteurs"])
        gone = lib.annotations.annotate(Passage("x4", quote="Grok", occurrence=1), tags=["cadrage"])
        lib.annotations.delete(gone.id)


def run_json(cli, ws, *args):
    result = cli(ws, *args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def search_ids(cli, ws, query) -> set[str]:
    return {h["article"] for h in run_json(cli, ws, "search", query, "--limit", "1000")["results"]}


@pytest.mark.parametrize("by", ["day", "week", "month", "year"])
def test_articles_per_period_are_what_date_period_finds(cli, engine_corpus, by):
    from tui.api.counting import period_query

    corpus = engine_corpus
    for query in (None, "grok"):
        found = run_json(cli, corpus, "timeline", *([query] if query else []), "--by", by)
        assert found["by"] == by and found["split"] is None
        rows = found["rows"]
        assert all(r["value"] is None for r in rows)
        dated = [r for r in rows if r["period"] is not None]
        assert len(dated) >= 2
        for row in dated:
            wanted = f"{query} {period_query(row['period'])}" if query else period_query(row["period"])
            assert row["articles"] == len(search_ids(cli, corpus, wanted)), (by, row)
        every = (
            search_ids(cli, corpus, query) if query else set(p.name for p in corpus.articles.glob("*.txt"))
        )
        assert sum(r["articles"] for r in rows) == len(every)
        undated = [r for r in rows if r["period"] is None]
        assert undated and undated[0]["articles"] == 1  # x5.txt


def test_week_periods_are_iso_weeks(cli, corpus):
    rows = run_json(cli, corpus, "timeline", "--by", "week")["rows"]
    periods = {r["period"] for r in rows}
    assert {"2026-W06", "2026-W03", "2026-W01", "2026-W02"} <= periods  # 2025-12-29 is in 2026-W01


def test_hits_are_the_concordance_lines(cli, corpus):
    rows = run_json(cli, corpus, "timeline", "grok", "--by", "month")["rows"]
    lines = run_json(cli, corpus, "kwic", "grok")
    with Library(corpus) as lib:
        months = lib.variables.column("date.month")
    per_month = Counter(months[line["article"]] for line in lines)
    assert {r["period"]: r["hits"] for r in rows} == dict(per_month)
    assert all(r["hits"] is None for r in run_json(cli, corpus, "timeline", "--by", "year")["rows"])


def test_coded_passages_per_period_follow_the_tag_and_its_children(cli, corpus):
    coded(corpus)
    rows = run_json(cli, corpus, "timeline", "--by", "month", "--tag", "cadrage")["rows"]
    listed = run_json(cli, corpus, "annotations", "--tag", "cadrage")  # cadrage/payant included
    with Library(corpus) as lib:
        months = lib.variables.column("date.month")
    assert {r["period"]: r["annotations"] for r in rows if r["annotations"]} == dict(
        Counter(months[a["article"]] for a in listed)
    )
    assert {r["period"]: r["annotations"] for r in rows if r["annotations"]} == {
        "2026-02": 2,
        "2026-01": 1,
        None: 1,
    }
    every = run_json(cli, corpus, "timeline", "--by", "year")["rows"]
    assert sum(r["annotations"] for r in every) == 6  # the deleted one is not counted


def test_split_and_where(cli, corpus):
    found = run_json(cli, corpus, "timeline", "grok", "--by", "month", "--split", "source")
    assert found["split"] == "source"
    cells = {(r["period"], r["value"]): r["articles"] for r in found["rows"]}
    assert cells[("2026-02", "Le Monde")] == 2
    assert cells[(None, "Le Monde")] == 1
    for (period, value), n in cells.items():
        if period and value:
            query = f'grok date:{period} source:"{value}"'
            assert n == len(search_ids(cli, corpus, query))
    narrowed = run_json(cli, corpus, "timeline", "--by", "month", "--where", 'source:"le figaro"')["rows"]
    assert {r["period"]: r["articles"] for r in narrowed} == {"2025-12": 1, "2026-01": 1}


def test_csv_and_text(cli, corpus):
    out = cli(corpus, "timeline", "grok", "--by", "year", "--split", "source", "--csv").stdout
    table = list(csv.reader(io.StringIO(out)))
    assert table[0] == ["period", "value", "articles", "hits", "annotations"]
    assert table[[r[:2] for r in table].index(["2026", "Le Monde"])][:3] == ["2026", "Le Monde", "2"]
    text = cli(corpus, "timeline", "--by", "year").stdout
    assert "(undated)" in text and "2026" in text


def test_matrix_cell_is_the_annotations_listing_of_its_articles(cli, corpus):
    coded(corpus)
    found = run_json(cli, corpus, "stats", "--matrix", "--rows", "tag", "--cols", "source")
    assert found["rows"] == "tag" and found["cols"] == "source"
    assert found["cells"]
    for cell in found["cells"]:
        if cell["col"]:
            where = f'source:"{cell["col"]}"'
            listed = run_json(cli, corpus, "annotations", "--tag", cell["row"], "--where", where)
        else:  # the articles without a source: no query names them
            listed = run_json(cli, corpus, "annotations", "--tag", cell["row"])
            with Library(corpus) as lib:
                sources = lib.variables.column("source")
            listed = [a for a in listed if sources.get(a["article"]) is None]
        assert cell["annotations"] == len(listed), cell
        assert cell["articles"] == len({a["article"] for a in listed}), cell
    cells = {(c["row"], c["col"]): (c["annotations"], c["articles"]) for c in found["cells"]}
    assert cells[("cadrage", "Le Monde")] == (3, 3)  # x1 cadrage/payant, x2, x5 cadrage/payant
    assert cells[("cadrage/payant", "Le Monde")] == (2, 2)
    assert cells[("acteurs", "Le Monde")] == (2, 2)


def test_matrix_by_month_with_where(cli, corpus):
    coded(corpus)
    found = run_json(
        cli,
        corpus,
        "stats",
        "--matrix",
        "--rows",
        "tag",
        "--cols",
        "date.month",
        "--where",
        'source:"le monde"',
    )
    cells = {(c["row"], c["col"]): (c["annotations"], c["articles"]) for c in found["cells"]}
    assert cells == {
        ("acteurs", "2026-02"): (2, 2),
        ("cadrage", "2026-02"): (2, 2),
        ("cadrage", None): (1, 1),
        ("cadrage/payant", "2026-02"): (1, 1),
        ("cadrage/payant", None): (1, 1),
    }
    for (tag, month), (n, articles) in cells.items():
        if month is None:
            continue
        where = f'source:"le monde" date:{month}'
        listed = run_json(cli, corpus, "annotations", "--tag", tag, "--where", where)
        assert (n, articles) == (len(listed), len({a["article"] for a in listed}))


def test_matrix_of_two_variables_counts_every_article(cli, corpus):
    coded(corpus)
    found = run_json(cli, corpus, "stats", "--matrix", "--rows", "source", "--cols", "date.year")
    cells = {(c["row"], c["col"]): (c["annotations"], c["articles"]) for c in found["cells"]}
    assert cells[("Le Figaro", "2025")] == (0, 1)  # x4: its one passage is deleted
    assert cells[("Le Monde", "2026")] == (3, 2)
    assert sum(a for _, a in cells.values()) == len(list(corpus.articles.glob("*.txt")))
    tags = run_json(cli, corpus, "stats", "--matrix", "--rows", "tag", "--cols", "tag")
    pairs = {(c["row"], c["col"]): (c["annotations"], c["articles"]) for c in tags["cells"]}
    assert pairs[("acteurs", "cadrage")] == (1, 2)  # one passage has both; x1 and x2 have both


def test_matrix_csv(cli, corpus):
    coded(corpus)
    out = cli(corpus, "stats", "--matrix", "--rows", "tag", "--cols", "date.year", "--csv").stdout
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["row", "col", "annotations", "articles"]
    assert ["cadrage", "2026", "3", "3"] in rows and ["cadrage", "", "1", "1"] in rows


@pytest.mark.parametrize(
    "args, message",
    [
        (["timeline", "--split", "genre"], "unknown variable 'genre'"),
        (["timeline", "--split", "date.fortnight"], "date.day|date.week"),
        (["timeline", "--tag", "nowhere"], "no tag 'nowhere'"),
        (["timeline", "grok", "-(("], ""),
        (["stats", "--matrix", "--rows", "tag", "--cols", "nope"], "unknown variable 'nope'"),
        (["stats", "--matrix", "--rows", "tag"], "--matrix needs --rows and --cols"),
        (["stats", "--rows", "tag"], "go with --matrix"),
        (
            ["stats", "--matrix", "--rows", "tag", "--cols", "source", "--where", "date:2026-13"],
            "invalid date",
        ),
    ],
)
def test_bad_input_is_one_line(cli, corpus, args, message):
    coded(corpus)
    result = cli(corpus, *args)
    assert result.exit_code in (1, 2)
    assert message in result.stderr
    assert "Traceback" not in result.output
    if result.exit_code == 1:
        assert len(result.stderr.strip().splitlines()) == 1


def test_malformed_by_is_one_line(cli, corpus):
    result = cli(corpus, "timeline", "--by", "fortnight")
    assert result.exit_code == 1
    assert result.stderr == "glose: --by is day, week, month or year, not 'fortnight'\n"


def test_values_with_markup_and_escapes_are_text(cli, corpus):
    bad = "[bold]tribune\x1b]0;pwned\x07"
    assert cli(corpus, "meta", "x1", "--set", f"genre={bad}").exit_code == 0
    found = run_json(cli, corpus, "timeline", "--by", "year", "--split", "genre")
    assert "[bold]tribune" in {r["value"] for r in found["rows"]}  # the store keeps no control character
    text = cli(corpus, "timeline", "--by", "year", "--split", "genre").stdout
    assert "\x1b" not in text and "\x07" not in text
    assert "[bold]tribune" in text
    coded(corpus)
    text = cli(corpus, "stats", "--matrix", "--rows", "genre", "--cols", "tag").stdout
    assert "[bold]tribune" in text and "\x1b" not in text


def test_empty_corpus(cli, tmp_path):
    (tmp_path / "articles").mkdir()
    ws = Workspace.resolve(tmp_path)
    result = cli(ws, "timeline", "grok")
    assert result.exit_code == 0
    assert "no articles" in result.stderr
    assert json.loads(cli(ws, "timeline", "--json").stdout) == {"by": "month", "split": None, "rows": []}
    result = cli(ws, "stats", "--matrix", "--rows", "tag", "--cols", "source")
    assert result.exit_code == 0 and "no coded passages" in result.stderr


def test_where_takes_a_set(cli, corpus):
    assert cli(corpus, "set", "freeze", "monde", 'source:"le monde"').exit_code == 0
    narrowed = run_json(cli, corpus, "timeline", "grok", "--by", "year", "--where", "set:monde")["rows"]
    assert {r["period"]: r["articles"] for r in narrowed} == {"2026": 2, None: 1}
    coded(corpus)
    cells = run_json(
        cli, corpus, "stats", "--matrix", "--rows", "tag", "--cols", "date.year", "--where", "set:monde"
    )
    assert {(c["row"], c["col"]): c["annotations"] for c in cells["cells"]}[("cadrage", "2026")] == 2


def test_counts_on_each_store(tmp_path, store_backend):
    """The light read of the coded passages (store.coded) on SQLite and on PostgreSQL."""
    from .conftest import use_store

    use_store(tmp_path, store_backend)
    ws = _corpus(tmp_path)
    coded(ws)
    with Library(ws) as lib:
        rows = lib.counts.timeline(None, by="year", tag="cadrage").rows
        cell = lib.counts.matrix("tag", "source").cell("cadrage", "Le Monde")
        passages = lib.counts.passages("tag", "cadrage", "source", "Le Monde")
    assert {r.period: r.annotations for r in rows} == {"2025": 0, "2026": 3, None: 1}
    assert (cell.annotations, cell.articles) == (3, 3)
    assert sorted(a.article for a in passages) == ["x1.txt", "x2.txt", "x5.txt"]


def test_the_chart_keeps_eight_outlets_and_groups_the_rest(cli, corpus):
    """An outlet named "other" stays apart from the group of the smaller ones."""
    from tui.counts.timeline import stack

    outlets = [f"Outlet {n}" for n in range(9)] + ["other"]
    with Library(corpus) as lib:
        ids = sorted(lib.search.ids(None))
        lib.variables.set_many({a: {"source": outlets[n % len(outlets)]} for n, a in enumerate(ids)})
        lib.variables.set(ids[0], {"source": "Outlet 0 bis"})  # a second change, in this process
        matched = set(lib.search.ids("grok"))
        assert sum(r.articles for r in lib.counts.timeline("grok", by="year").rows) == len(matched)
        found = lib.counts.timeline(None, by="year", split="source")
    chart = stack(found, 8)
    assert len(chart.series) == 9 and chart.grouped
    assert chart.series[-1].startswith("other (") and len(chart.members[chart.series[-1]]) == 2
    assert sum(map(chart.total, range(len(chart.periods)))) == 10
    assert chart.periods == ["2025", "2026", None]
