"""Memos in the reader, on the real app: ``m`` on an article and in the codebook, the header
line, the codebook's mark, the memo manager opening targets, and a memo never lost (a cancel
asks, a failed save keeps the text and says why, a quit asks once, a change made meanwhile is
refused and shown)."""

from __future__ import annotations

import sqlite3

from textual.widgets import DataTable, Input, TextArea

from tui.api import Library
from tui.ui.screens.codebook import CodebookScreen
from tui.ui.screens.memo import MemoDialog
from tui.ui.screens.memos import MemosScreen

from .app_helpers import make_app, press, ready, search_and_open, settle, until
from .conftest import SAMPLE_IDS, newer

A004 = SAMPLE_IDS[4]
QUERY = '"service premium"'


async def type_memo(pilot, text: str) -> MemoDialog:
    dialog = pilot.app.screen
    assert isinstance(dialog, MemoDialog)
    dialog.query_one("#memo", TextArea).insert(text)
    return dialog


async def memo_on_the_article(pilot, text: str) -> tuple[str, MemoDialog]:
    """Open QUERY's first result, press m on it and type ``text``: (the article, the dialog)."""
    await ready(pilot)
    await search_and_open(pilot, QUERY)
    article = pilot.app.reader.article_id
    await pilot.press("m")
    await settle(pilot)
    return article, await type_memo(pilot, text)


def memo_text(ws, kind="article", target=A004):
    with Library(ws, coder=None) as lib:
        found = lib.memos.of(kind, target if kind != "project" else None)
    return [m.text for m in found]


async def test_m_writes_the_articles_memo_which_its_header_then_shows(indexed):
    app = make_app(indexed)
    async with app.run_test(size=(120, 35)) as pilot:
        article, _dialog = await memo_on_the_article(pilot, "wire copy, compare with 002")
        pane = app.pane()
        assert pane.memo_bar.has_class("-empty")  # no memo yet: no line
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, MemoDialog)
        await until(pilot, lambda: not pane.memo_bar.has_class("-empty"), "the memo line")
        assert "wire copy, compare with 002" in str(pane.memo_bar.render())
    assert memo_text(indexed, target=article) == ["wire copy, compare with 002"]


async def test_cancel_with_typed_text_asks_once_before_throwing_it_away(indexed):
    app = make_app(indexed)
    async with app.run_test(size=(120, 35)) as pilot:
        article, dialog = await memo_on_the_article(pilot, "à ne pas perdre")
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is dialog  # asked, not closed
        assert "not saved" in str(dialog.query_one("#error").render())
        assert dialog.text() == "à ne pas perdre"
        await pilot.press("escape")  # asked again: thrown away
        await settle(pilot)
        assert app.screen is not dialog
    assert memo_text(indexed, target=article) == []


async def test_quit_with_typed_text_asks_once(indexed):
    app = make_app(indexed)
    async with app.run_test(size=(120, 35)) as pilot:
        article, dialog = await memo_on_the_article(pilot, "presque fini")
        await pilot.press("ctrl+q")
        await settle(pilot)
        assert app.is_running and app.screen is dialog
        assert "ctrl+q again" in str(dialog.query_one("#error").render())
        await pilot.press("ctrl+s")  # saved after all
        await settle(pilot)
    assert memo_text(indexed, target=article) == ["presque fini"]


async def test_a_save_on_a_read_only_store_keeps_the_text_and_says_why(indexed):
    with Library(indexed) as lib:
        lib.memos.set("project", None, "avant")
    newer(indexed)
    app = make_app(indexed)
    async with app.run_test(size=(120, 35)) as pilot:
        await ready(pilot)
        await pilot.press("escape")  # out of the search box, no article open: the project's memo
        app.memos.open()
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, MemoDialog)
        assert "read-only" in str(dialog.query_one("#error").render())  # said before typing
        await type_memo(pilot, "\nmon ajout")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is dialog
        error = str(dialog.query_one("#error").render())
        assert error.startswith("Not saved") and "read-only" in error
        assert dialog.text().endswith("mon ajout")


async def test_a_save_on_a_locked_store_keeps_the_text_and_saves_once_free(indexed):
    app = make_app(indexed)
    async with app.run_test(size=(120, 35)) as pilot:
        article, dialog = await memo_on_the_article(pilot, "tenu")
        app.lib.ctx.store.db.execute("PRAGMA busy_timeout = 200")  # a lock held longer than that
        blocker = sqlite3.connect(indexed.db, isolation_level=None, timeout=0.2)
        blocker.execute("BEGIN EXCLUSIVE")
        try:
            await pilot.press("ctrl+s")
            await until(pilot, lambda: dialog._saving is False, "the save to fail", seconds=60)
            await settle(pilot)
            assert app.screen is dialog and dialog.text() == "tenu"
            assert "Not saved" in str(dialog.query_one("#error").render())
        finally:
            blocker.execute("ROLLBACK")
            blocker.close()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is not dialog
    assert memo_text(indexed, target=article) == ["tenu"]


async def test_a_memo_changed_meanwhile_is_refused_shown_and_then_saved_over(indexed):
    app = make_app(indexed)
    async with app.run_test(size=(120, 35)) as pilot:
        article, dialog = await memo_on_the_article(pilot, "du lecteur")
        with Library(indexed, frontend="cli") as terminal:  # the same coder, in a terminal
            terminal.memos.set("article", article, "du terminal")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is dialog and dialog.text() == "du lecteur"
        error = str(dialog.query_one("#error").render())
        assert "changed by" in error and "command line" in error and "nothing was saved" in error
        await until(pilot, lambda: dialog.query_one("#theirs").display, "what the memo now holds")
        assert "du terminal" in str(dialog.query_one("#theirs").render())
        assert memo_text(indexed, target=article) == ["du terminal"]
        await pilot.press("ctrl+s")  # now seen: saved over it
        await settle(pilot)
        assert app.screen is not dialog
    assert memo_text(indexed, target=article) == ["du lecteur"]


async def test_the_codebook_marks_tags_with_a_memo_and_m_writes_one(indexed):
    with Library(indexed) as lib:
        lib.codebook.create("droit")
        lib.codebook.create("loi")
        lib.memos.set("tag", "loi", "un texte voté")
    app = make_app(indexed)
    async with app.run_test(size=(120, 35)) as pilot:
        await ready(pilot)
        screen = await press(pilot, "escape", "c")
        assert isinstance(screen, CodebookScreen)
        table = screen.query_one("#tags", DataTable)
        marks = {str(table.get_row_at(n)[1]): str(table.get_row_at(n)[4]) for n in range(table.row_count)}
        assert marks == {"droit": "", "loi": "✎"}
        table.move_cursor(row=0)  # droit
        await pilot.press("m")
        await settle(pilot)
        await type_memo(pilot, "quand une règle est citée")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        assert str(table.get_row_at(0)[4]) == "✎"
    assert memo_text(indexed, "tag", "droit") == ["quand une règle est citée"]


async def test_the_memo_manager_lists_filters_and_opens_the_target(indexed):
    with Library(indexed) as lib:
        lib.codebook.create("droit")
        lib.memos.set("project", None, "Question de recherche")
        lib.memos.set("article", "004", "dépêche reprise")
        lib.memos.set("tag", "droit", "[bold]règles[/]")
    app = make_app(indexed)
    async with app.run_test(size=(120, 35)) as pilot:
        await ready(pilot)
        screen = await press(pilot, "escape", "M")
        assert isinstance(screen, MemosScreen)
        table = screen.query_one("#memos", DataTable)
        assert table.row_count == 3
        assert "[bold]règles[/]" in [str(table.get_row_at(n)[4]) for n in range(3)]  # as typed
        screen.query_one("#filter", Input).value = "dépêche"
        await settle(pilot)
        assert table.row_count == 1
        await pilot.press("enter")
        await settle(pilot)
        assert app.reader.article_id == A004
        await until(pilot, lambda: "dépêche reprise" in str(app.pane().memo_bar.render()), "the header")
        await pilot.press("M")
        await settle(pilot)
        app.screen.query_one("#filter", Input).value = "règles"
        await settle(pilot)
        codebook = await press(pilot, "enter")
        assert isinstance(codebook, CodebookScreen)
        assert codebook._selected().name == "droit"
