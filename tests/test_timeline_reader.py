"""The reader's timeline (H) and the codebook matrix's columns and drill-down, driven in the
real app: what they draw is what ``glose timeline`` and ``glose stats --matrix`` count."""

from __future__ import annotations

import pytest

from tui.api import Library, Passage
from tui.counts.timeline import stack

from .app_helpers import make_app, ready, screen_lines, settle, until
from .test_timeline import coded, corpus  # noqa: F401  (corpus: the fixture)


@pytest.mark.parametrize("size", [(80, 24), (120, 35)])
async def test_timeline_of_the_search_lists_a_period_and_opens_an_article(corpus, size):  # noqa: F811
    from tui.ui.screens.timeline import TimelineScreen

    app = make_app(corpus)
    async with app.run_test(size=size) as pilot:
        await ready(pilot)
        await pilot.press(*"grok", "enter")
        await settle(pilot)
        await pilot.press("escape", "H")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, TimelineScreen)
        await until(pilot, lambda: screen.chart is not None, "the chart")
        with Library(corpus) as lib:
            wanted = stack(lib.counts.timeline("grok", by="month", split="source", hits=False), 8)
        assert screen.chart == wanted
        lines = screen_lines(app)
        assert any("Le Monde" in line for line in lines)  # the legend names the outlets
        month = wanted.periods.index("2026-02")
        row = next(line for line in lines if "2026-02" in line)
        assert row.rstrip(" ▎").endswith(str(wanted.total(month)))
        assert all(len(line) <= size[0] for line in lines)
        periods = screen.query_one("#timeline-periods")
        periods.highlighted = month
        await pilot.press("enter")
        await settle(pilot)
        await until(pilot, lambda: screen.listed is not None, "the period's articles")
        assert sorted(r[0] for r in screen.listed.rows) == ["x1.txt", "x2.txt"]
        assert any("Le gouvernement répond" in line for line in screen_lines(app))
        await pilot.press("escape")  # back to the chart, then into the period again
        assert periods.display
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("enter")  # the first article (by date): x1.txt
        await settle(pilot)
        await until(pilot, lambda: app.reader.article_id == "x1.txt", "x1 opening")
        assert app.screen is not screen


async def test_timeline_changes_its_period_and_counts_undated_articles(corpus):  # noqa: F811
    app = make_app(corpus)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("escape", "H")
        await settle(pilot)
        screen = app.screen
        await until(pilot, lambda: screen.chart is not None, "the chart")
        assert screen.chart.periods[-1] is None  # x5.txt has no date
        await pilot.press("b")  # month -> year
        await settle(pilot)
        await until(pilot, lambda: screen.chart.periods[0] == "2025", "the chart by year")
        assert screen.chart.periods == ["2025", "2026", None]
        assert [screen.chart.total(i) for i in range(3)] == [2, 7, 1]


async def test_timeline_shows_outlet_names_as_text(corpus):  # noqa: F811
    with Library(corpus) as lib:
        lib.variables.set("x3", {"source": "[bold]Le Red[/bold]"})
    app = make_app(corpus)
    async with app.run_test(size=(120, 35)) as pilot:
        await ready(pilot)
        await pilot.press("escape", "H")
        await settle(pilot)
        await until(pilot, lambda: app.screen.chart is not None, "the chart")
        assert any("[bold]Le Red[/bold]" in line for line in screen_lines(app))


async def test_codebook_matrix_columns_cell_passages_and_jump(corpus):  # noqa: F811
    from tui.ui.screens.cells import CellPassagesScreen

    coded(corpus)
    app = make_app(corpus)
    async with app.run_test(size=(120, 35)) as pilot:
        await ready(pilot)
        await pilot.press("escape", "c")
        await settle(pilot)
        codebook = app.screen
        assert codebook.columns == "article"
        await pilot.press("v")
        await settle(pilot)
        await pilot.press("down", "enter")  # article, source
        await settle(pilot)
        await until(
            pilot, lambda: codebook.matrix is not None and codebook.matrix.cols == "source", "by source"
        )
        with Library(corpus) as lib:
            assert codebook.matrix == lib.counts.matrix("tag", "source")
        table = codebook.query_one("#matrix")
        col = codebook.matrix.col_labels.index("Le Monde")
        row = [t.name for t in codebook.tags].index("cadrage")
        table.focus()
        table.cursor_coordinate = (row, col + 1)
        await pilot.press("enter")
        await settle(pilot)
        await until(pilot, lambda: isinstance(app.screen, CellPassagesScreen), "the cell's passages")
        passages = app.screen.passages
        with Library(corpus) as lib:
            listed = [
                a for a in lib.annotations.find(tag="cadrage") if a.article in ("x1.txt", "x2.txt", "x5.txt")
            ]
        assert sorted(a.id for a in passages) == sorted(a.id for a in listed)
        assert len(passages) == codebook.matrix.cell("cadrage", "Le Monde").annotations == 3
        await pilot.press("enter")
        await settle(pilot)
        first = passages[0]
        await until(pilot, lambda: app.reader.article_id == first.article, "the passage's article")
        await until(pilot, lambda: app.reader.cursor == first.start, "the cursor on the passage")


async def test_codebook_matrix_by_month_counts_children(corpus):  # noqa: F811
    with Library(corpus) as lib:
        lib.annotations.annotate(Passage("x3", quote="régulateur", occurrence=1), tags=["cadrage/payant"])
        lib.annotations.annotate(Passage("x1", quote="Grok", occurrence=1), tags=["cadrage"])
    app = make_app(corpus)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("escape", "c")
        await settle(pilot)
        codebook = app.screen
        codebook.columns = "date.month"
        codebook.reload()
        await settle(pilot)
        await until(
            pilot, lambda: codebook.matrix is not None and codebook.matrix.cols == "date.month", "by month"
        )
        assert codebook.matrix.cell("cadrage", "2026-01").annotations == 1  # its child's
        assert codebook.matrix.cell("cadrage", "2026-02").annotations == 1
        assert codebook.matrix.cell("cadrage/payant", "2026-02").annotations == 0


async def test_timeline_splits_by_a_variable_of_the_users(corpus):  # noqa: F811
    """v splits the bars by the next variable: after an imported genre, by genre, as
    ``glose timeline --split genre`` counts."""
    with Library(corpus) as lib:
        ids = lib.search.ids(None)
        lib.variables.set_many({a: {"genre": "tribune" if i % 2 else "reportage"} for i, a in enumerate(ids)})
        wanted = stack(lib.counts.timeline(None, by="month", split="genre", hits=False), 8)
    app = make_app(corpus)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("escape", "H")
        screen = app.screen
        await until(pilot, lambda: screen.chart is not None and "genre" in screen.splits, "the chart")
        while screen.split != "genre":
            await pilot.press("v")
            await settle(pilot)
        await until(pilot, lambda: screen.chart == wanted, "the chart split by genre")
        assert any("tribune" in line for line in screen_lines(app))
