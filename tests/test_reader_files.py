"""The reader's file dialogs, under Pilot: exports never overwrite or land where nobody asked,
keys pressed while a dialog saves run after it closes, files added from the app are indexed, and
the reader suggests tantivy past the size where Whoosh slows."""

from __future__ import annotations

import os
import stat

from textual import events
from textual.widgets import Input

from tui.api import Library, Passage

from .app_helpers import act, lib_filter, make_app, open_dialog, ready, settle, until


async def test_export_never_overwrites_by_default_and_writes_readable_files(indexed):
    with Library(indexed) as lib:
        lib.annotations.annotate(Passage("004", quote="Thomas Régnier"), tags=["acteurs"])
    app = make_app(indexed)
    async with app.run_test(size=(120, 35)) as pilot:
        await ready(pilot)
        for _ in range(2):
            await pilot.press("escape", "x")
            await settle(pilot)
            await pilot.press("enter")  # on the format list: export with the defaults
            await settle(pilot)
    made = sorted((indexed.root / "exports").iterdir())
    assert len(made) == 2 and made[0].name != made[1].name
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(made[0].stat().st_mode) == 0o666 & ~umask


async def test_export_format_follows_the_name_and_paths_are_checked(indexed, tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    (tmp_path / "home").mkdir()
    with Library(indexed) as lib:
        lib.annotations.annotate(Passage("004", quote="Thomas Régnier"), tags=["acteurs"])
    app = make_app(indexed)
    async with app.run_test(size=(120, 35)) as pilot:
        await ready(pilot)

        async def export_to(name: str) -> None:
            await pilot.press("escape", "x")
            await settle(pilot)
            path = app.screen.query_one("#path", Input)
            path.value = name
            path.focus()
            await pilot.press("enter")
            await settle(pilot)

        await export_to("~/codage.csv")  # ~ is home; .csv asks for CSV
        assert (tmp_path / "home" / "codage.csv").read_text("utf-8").startswith("id,")
        assert not (indexed.root / "~").exists()
        await export_to(str(tmp_path / "nowhere" / "x.md"))
        assert not (tmp_path / "nowhere").exists()
        assert "does not exist" in str(app.screen.query_one("#error").render())  # still open
        await export_to("~/codage.csv")  # exists: a second press replaces it
        assert "exists" in str(app.screen.query_one("#error").render())
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is app.screen_stack[0]


async def test_keys_pressed_while_saving_run_after_the_dialog_closes(indexed):
    """ctrl+s then W at once: the where-else runs on the new annotation, and W is not typed
    into the note of the closing dialog. The reader's reload from the store is held back (a
    slow disk, a busy CI): W must not depend on it arriving first."""
    import threading

    app = make_app(indexed)
    store_answers = threading.Event()
    listing = app.lib.annotations.listing

    def slow_listing(*args, **kwargs):
        if threading.current_thread() is not threading.main_thread():
            store_answers.wait(20)
        return listing(*args, **kwargs)

    async with app.run_test(size=(120, 35)) as pilot:
        await ready(pilot)
        await open_dialog(pilot, "service premium")
        app.lib.annotations.listing = slow_listing
        await pilot.press(*"tag", "enter", *"note")
        for key, char in (("ctrl+s", None), ("W", "W")):
            app.post_message(events.Key(key, char))
        from tui.ui.controllers.across import WhereElseScreen

        try:
            await until(pilot, lambda: isinstance(app.screen, WhereElseScreen), "the where-else screen")
        finally:
            store_answers.set()
        await settle(pilot)
    with Library(indexed) as lib:
        (ann,) = lib.annotations.listing(lib_filter())
    assert ann.note == "note"


async def test_add_files_from_the_app_adds_and_indexes_them(indexed):
    from .conftest import ROOT

    export = ROOT / "tests" / "fixtures" / "sources" / "europresse-2023.html"
    app = make_app(indexed)
    async with app.run_test(size=(120, 35)) as pilot:
        await ready(pilot)
        await act(pilot, "do('files', 'add')")
        app.screen.query_one("#answer", Input).value = f"'{export}' /nowhere/missing.pdf"
        await pilot.press("enter")
        await settle(pilot, 8)
        for _ in range(100):  # the index follows in its own worker
            if len(app.lib.articles.catalog()) == 8:
                break
            await pilot.pause(0.05)
        assert len(app.lib.articles.catalog()) == 8
        error = str(app.screen.query_one("#error").render())  # open: one path failed
        assert "added 3" in error and "missing.pdf" in error


async def test_the_reader_suggests_tantivy_past_the_size_where_whoosh_slows(indexed, monkeypatch):
    import tui.search.engines

    monkeypatch.setattr(tui.search.engines, "SUGGEST_TANTIVY_FROM", 5)  # the samples stand in for 5,000
    app = make_app(indexed)
    async with app.run_test(size=(120, 35)) as pilot:
        await ready(pilot)
        assert any("tantivy" in n.message for n in app._notifications)


def test_a_row_whose_prompt_is_replaced_shows_the_replacement():
    from textual.content import Content

    from tui.ui.panels.one_row_list import RowOption

    made = []
    row = RowOption(lambda: made.append(1) or Content("made"))
    row._set_prompt(Content("replaced"))
    assert row.prompt.plain == "replaced" and not made
    assert RowOption(lambda: Content("made")).prompt.plain == "made"
