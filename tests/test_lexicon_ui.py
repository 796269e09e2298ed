"""The Words screen in the real app: the frequency list of the search, the specificities of
each part side by side, the word under the cursor's collocates and bar chart, and every row
opening the concordance of its word (as many lines as the figure) and from there the article."""

from __future__ import annotations

from textual.widgets import OptionList, Static

from tui.ui.controllers.across import ConcordanceScreen
from tui.ui.screens.words import WordsScreen

from .app_helpers import make_app, ready, screen_lines, settle, until


async def open_words(pilot, query: str = "") -> WordsScreen:
    app = pilot.app
    box = app.query_one("#query")
    box.focus()
    if query:
        await pilot.press(*query, "enter")
        await settle(pilot)
    await pilot.press("escape", "T")
    await until(pilot, lambda: isinstance(app.screen, WordsScreen) and app.screen.picks, "the words counted")
    await settle(pilot)
    return app.screen


async def test_words_screen_counts_the_search_and_opens_the_lines_then_the_article(indexed):
    app = make_app(indexed)
    async with app.run_test(size=(120, 35)) as pilot:
        await ready(pilot)
        screen = await open_words(pilot, "grok")
        expected = app.lib.lexicon.words("grok", top=1).rows[0]
        freq = screen.query_one("#words-freq", OptionList)
        assert freq.option_count > 0 and screen.picks["f0"].word == expected["word"]
        columns = screen.query(".words-part")
        assert len(columns) == len(app.lib.lexicon.specif("source", query="grok").parts)
        await until(
            pilot,
            lambda: "per 10,000" in str(screen.query_one("#words-chart", Static).border_title),
            "the chart",
        )
        assert any(expected["word"] in line for line in screen_lines(app))
        await pilot.press("enter")  # the first word: its concordance within the search
        await until(
            pilot, lambda: isinstance(app.screen, ConcordanceScreen) and app.screen.lines, "the lines"
        )
        assert len(app.screen.lines) == expected["f"]
        line = app.screen.lines[0]
        await pilot.press("enter")
        await until(pilot, lambda: app.reader.article_id == line.article, "the article opened")
        assert not isinstance(app.screen, WordsScreen | ConcordanceScreen)


async def test_a_part_row_opens_the_lines_of_that_part_only(indexed):
    app = make_app(indexed)
    async with app.run_test(size=(120, 35)) as pilot:
        await ready(pilot)
        screen = await open_words(pilot)
        column = screen.query(".words-part").first(OptionList)
        column.focus()
        await settle(pilot)
        pick = screen.picks[column.get_option_at_index(0).id]
        part = app.lib.lexicon.specif("source").parts[0]
        assert pick.word == part.rows[0]["word"]
        await pilot.press("enter")
        await until(
            pilot, lambda: isinstance(app.screen, ConcordanceScreen) and app.screen.lines, "the lines"
        )
        assert len(app.screen.lines) == part.rows[0]["f"]
        assert {k.article for k in app.screen.lines} <= set(pick.among)


async def test_unit_and_parts_keys_recount_and_bad_queries_say_so(indexed):
    app = make_app(indexed)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        screen = await open_words(pilot)
        await pilot.press("u")
        await until(pilot, lambda: screen.unit == "lemma" and screen.picks, "lemmas counted")
        await settle(pilot)
        lemmas = app.lib.lexicon.words(unit="lemma", top=1).rows[0]["word"]
        assert screen.picks["f0"].word == lemmas
        await pilot.press("b")
        await settle(pilot)
        assert screen.by == "date.year"
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, WordsScreen)
        box = app.query_one("#query")
        box.focus()
        await pilot.press(*"zzzzzz", "enter")
        await settle(pilot)
        await pilot.press("escape", "T")
        await until(pilot, lambda: isinstance(app.screen, WordsScreen), "the screen")
        await settle(pilot)
        assert app.screen.query_one("#words-freq", OptionList).option_count == 0
        assert any("no article matches" in line for line in screen_lines(app))


def test_the_bar_chart_draws_empty_parts_without_dividing_by_zero():
    from tui.ui.screens.words import bars

    chart = bars([{"part": "Le Monde", "f": 0, "tokens": 0}, {"part": None, "f": 3, "tokens": 100}], 40)
    lines = chart.plain.splitlines()
    assert lines[0].startswith("Le Monde") and "█" not in lines[0] and "0.0 (0)" in lines[0]
    assert lines[1].startswith("(no value)") and lines[1].count("█") > 0 and "300.0 (3)" in lines[1]
    assert all(len(line) <= 40 for line in lines)
    assert bars([], 40).plain == "no parts"
    assert bars([{"part": "[bold]x", "f": 0, "tokens": 5}], 40).plain.startswith("[bold]x")  # literal


def test_the_words_key_is_no_other_actions():
    from tui.ui.actions import ACTIONS

    words = next(a for a in ACTIONS if a.id == "app.words")
    others = {k for a in ACTIONS if a.id != "app.words" and a.keys for k in a.keys.split(",")}
    assert words.palette and not set(words.keys.split(",")) & others
