"""Sets and "follow the search" in the reader: ctrl+s saves the search on screen as a set (a
refused name keeps the dialog open with what was typed), the command palette lists the sets
and runs one as the search, and F makes the annotations list and the codebook keep to the
search's articles, saying so in their heading."""

from __future__ import annotations

from textual.command import CommandPalette
from textual.widgets import Input, Static

from tui.api import Library, Passage
from tui.ui.screens.codebook import CodebookScreen
from tui.ui.screens.dialogs import PromptDialog

from .app_helpers import make_app, ready, settle, until
from .conftest import SAMPLE_IDS


async def type_search(pilot, query: str) -> None:
    app = pilot.app
    box = app.search_panel.box
    box.focus()
    box.value = query
    await until(pilot, lambda: app.search_panel.shown_query == query, f"the results of {query}")
    await settle(pilot)


async def test_ctrl_s_saves_the_search_and_the_palette_runs_the_set(indexed):
    app = make_app(indexed)
    async with app.run_test(size=(120, 35)) as pilot:
        await ready(pilot)
        await type_search(pilot, "monde")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, PromptDialog), "the name prompt")
        await pilot.press(*"[bold]", "enter")
        await until(pilot, lambda: app.screen.query_one("#error", Static).display, "the refusal")
        assert isinstance(app.screen, PromptDialog)
        assert app.screen.query_one("#answer", Input).value == "[bold]"  # kept, to correct
        assert "invalid set name" in str(app.screen.query_one("#error", Static).render())
        app.screen.query_one("#answer", Input).value = "presse"
        await pilot.press("enter")
        await until(pilot, lambda: not isinstance(app.screen, PromptDialog), "the dialog closing")
        await until(pilot, lambda: [s.name for s in app.sets.known] == ["presse"], "the sets read again")
        with Library(indexed) as lib:
            assert lib.sets.get("presse").query == "monde"
            expected = lib.search.ids("monde")

        await type_search(pilot, "grok")
        await pilot.press("ctrl+p")
        await until(pilot, lambda: isinstance(app.screen, CommandPalette), "the palette")
        await pilot.press(*"Set: presse")
        await settle(pilot)
        await pilot.pause(0.3)
        await pilot.press("enter")
        await until(pilot, lambda: app.search_panel.shown_query == "set:presse", "the set as the search")
        await settle(pilot)
        shown = [o.id for o in app.search_panel.results._options]
        assert sorted(shown) == expected


async def test_a_query_with_markup_shows_as_typed_in_the_palette(indexed):
    from textual.content import Content

    with Library(indexed) as lib:
        lib.sets.save("balise", "[red]grok")
    app = make_app(indexed)
    async with app.run_test(size=(120, 35)) as pilot:
        await ready(pilot)
        await until(pilot, lambda: app.sets.known, "the sets read")
        [(title, help, name)] = list(app.sets.commands())
        assert (title, name) == ("Set: balise", "balise")
        assert Content.from_markup(help).plain.endswith("(run again now): [red]grok")


async def test_the_lists_and_the_codebook_follow_the_search(indexed):
    with Library(indexed, coder="ana") as lib:
        for article in SAMPLE_IDS:
            lib.annotations.annotate(Passage(article, start=0, end=12), tags=["frame"])
        within = lib.search.ids("monde")
    assert 0 < len(within) < len(SAMPLE_IDS)
    app = make_app(indexed)
    async with app.run_test(size=(120, 35)) as pilot:
        await ready(pilot)
        await type_search(pilot, "monde")
        app.annotations_panel.listing.focus()
        await pilot.press("A")  # every annotation
        await until(pilot, lambda: len(app.annotations_panel.shown) == len(SAMPLE_IDS), "all annotations")
        await pilot.press("F")
        await until(pilot, lambda: len(app.annotations_panel.shown) == len(within), "the followed list")
        heading = str(app.annotations_panel.heading.render())
        assert heading == f"All annotations ({len(within)}) · in “monde”"
        assert sorted(a.article for a in app.annotations_panel.shown.values()) == within

        await type_search(pilot, "starmer OR monde")  # it follows the search as it changes
        await until(
            pilot, lambda: "“starmer OR monde”" in str(app.annotations_panel.heading.render()), "again"
        )

        await type_search(pilot, "monde")
        app.annotations_panel.listing.focus()
        await pilot.press("c")
        await until(pilot, lambda: isinstance(app.screen, CodebookScreen), "the codebook")
        screen = app.screen
        await until(pilot, lambda: screen.tags and screen.tags[0].count == len(within), "narrowed counts")
        title = str(screen.query_one("#codebook-title", Static).render())
        assert "in “monde”" in title
        matrix = screen.query_one("#matrix")
        assert len(matrix.columns) == 1 + len(within)  # the tag, then one column per article
        await pilot.press("F")  # off, from the codebook
        await until(pilot, lambda: screen.tags[0].count == len(SAMPLE_IDS), "every article again")
        assert "in “" not in str(screen.query_one("#codebook-title", Static).render())
        assert app.lists.following is False
