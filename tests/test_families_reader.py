"""The families view in the reader, under Pilot: ``F`` lists the wire families of the search,
a copy opens beside its source with its changes marked in both readers, ``]``/``[`` step
through the changes (the annotations otherwise), escape leaves as it was."""

from __future__ import annotations

from pathlib import Path

from tui.api import Library
from tui.ui.app import GloseApp
from tui.workspace import Workspace

from . import wire_corpus as w
from .app_helpers import ready, settle, until
from .conftest import update_index


def wire_workspace(tmp_path: Path) -> Workspace:
    w.write(tmp_path / "articles")
    ws = Workspace.resolve(tmp_path)
    update_index(ws)
    return ws


async def test_a_copy_opens_beside_its_source_with_its_changes_marked_and_stepped(tmp_path):
    ws = wire_workspace(tmp_path)
    app = GloseApp(Library(ws, frontend="tui"))
    async with app.run_test(size=(120, 35)) as pilot:
        await ready(pilot)
        await pilot.press("escape")  # out of the search box: F is a command
        await pilot.press("Y")
        await until(pilot, lambda: type(app.screen).__name__ == "FamiliesDialog", "the families listed")
        dialog = app.screen
        rows = [r[1:] for r in dialog.rows if r is not None]
        assert rows == [(w.DISPATCH, c) for c in (w.CUT, w.LEAD, w.REORDERED, w.SHORTENED)]
        at = next(i for i, r in enumerate(dialog.rows) if r is not None and r[2] == w.SHORTENED)
        dialog.query_one("#copies").highlighted = at
        await pilot.press("enter")
        left, right = app.pane("left").reader, app.pane("right").reader
        await until(pilot, lambda: bool(right.changes), "the changes marked")
        await settle(pilot)
        assert app.split and (left.article_id, right.article_id) == (w.DISPATCH, w.SHORTENED)
        assert {k for *_, k in left.changes} == {"cut", "reworded"}
        assert [right.text[s:e] for s, e, k in right.changes] == ["puis à deux canicules"]
        assert left.shared == right.shared == []  # the changes are what is marked here
        # ] steps through the source's changes in order, wrapping; [ goes back
        app.screen.set_focus(left)
        await settle(pilot)
        assert app.focused is left
        starts = [s for s, _e, _k in left.changes]
        seen = []
        for _ in range(len(starts)):
            await pilot.press("right_square_bracket")
            await settle(pilot, 1)
            seen.append(left.cursor)
        assert seen == starts
        await pilot.press("left_square_bracket")
        await settle(pilot, 1)
        assert left.cursor == starts[-2]
        # on the reworded passage, the copy shows its side
        reworded = next(s for s, _e, k in left.changes if k == "reworded")
        left.reveal(reworded)
        await settle(pilot)
        assert (
            right.target is not None
            and right.text[right.target[0] : right.target[1]] == "puis à deux canicules"
        )
        # escape (nothing selected) leaves: one reader again, nothing marked
        await pilot.press("escape", "escape")
        await settle(pilot)
        assert not app.families.active and not app.split and left.changes == []


async def test_outside_a_family_square_brackets_still_step_through_annotations(tmp_path):
    ws = wire_workspace(tmp_path)
    with Library(ws) as lib:
        from tui.api import Passage

        lib.annotations.annotate(Passage(w.DISPATCH, quote="quatre pour cent"), tags=["chiffre"])
    app = GloseApp(Library(ws, frontend="tui"))
    async with app.run_test(size=(120, 35)) as pilot:
        await ready(pilot)
        app.open_article(w.DISPATCH, "left")
        await until(pilot, lambda: bool(app.reader.marks), "the annotation shown")
        app.screen.set_focus(app.reader)
        await pilot.press("right_square_bracket")
        await settle(pilot, 1)
        text = app.reader.text
        assert text[app.reader.cursor :].startswith("quatre pour cent")


async def test_the_reader_proposes_the_sources_codings_and_decides_one_by_one_or_all(tmp_path):
    ws = wire_workspace(tmp_path)
    method = "Le réseau de surveillance mesure chaque automne une centaine de glaciers"
    with Library(ws) as lib:
        from tui.api import Passage

        lib.annotations.annotate(Passage(w.DISPATCH, quote=method), tags=["méthode"])
    app = GloseApp(Library(ws, frontend="tui"))
    async with app.run_test(size=(120, 35)) as pilot:
        await ready(pilot)
        await pilot.press("escape", "Y")
        await until(pilot, lambda: type(app.screen).__name__ == "FamiliesDialog", "the families listed")
        await pilot.press("enter")  # the first copy
        await until(pilot, lambda: bool(app.pane("left").reader.changes), "the view")
        app.families.propagate()
        await until(pilot, lambda: type(app.screen).__name__ == "ProposalsDialog", "the proposals shown")
        dialog = app.screen
        assert sorted(r["article"] for r in dialog.rows) == [w.LEAD, w.REORDERED]  # the cut and short: no
        assert app.lib.annotations.find() and len(app.lib.annotations.find()) == 1  # proposed is not coded
        first = dialog.rows[0]
        await pilot.press("plus")
        await until(pilot, lambda: len(dialog.rows) == 1, "one accepted")
        made = [a for a in app.lib.annotations.find() if a.article == first["article"]]
        assert [a.exact for a in made] == [method] and made[0].tags == ("méthode",)
        await pilot.press("X")
        await until(pilot, lambda: dialog.rows == [], "the rest rejected")
        assert len(app.lib.annotations.find()) == 2
        await pilot.press("escape")
        await settle(pilot)
        app.screen.set_focus(app.pane("left").reader)
        await pilot.press("u", "u")  # the rejection, then the acceptance
        await until(pilot, lambda: len(app.lib.annotations.find()) == 1, "both undone")
        assert len(app.lib.families.proposals()) == 2


async def test_the_families_are_those_of_the_search_on_screen_not_of_the_last_one_opened(tmp_path):
    """A result opened from one search, then another search typed: the families listed are
    the new search's (the reader once listed those of the search a result was opened from,
    or of the one the last session left)."""
    ws = wire_workspace(tmp_path)
    app = GloseApp(Library(ws, frontend="tui"))
    async with app.run_test(size=(120, 35)) as pilot:
        await ready(pilot)
        await pilot.press("slash", *"tramway", "enter")  # opens the tram article (no family)
        await until(pilot, lambda: app.reader.article_id == "g_tram.txt", "the tram article open")
        await pilot.press("slash", "ctrl+u", *"glacier")
        await until(pilot, lambda: app.search_panel.shown_query == "glacier", "the new results")
        await pilot.press("escape", "Y")
        await until(pilot, lambda: type(app.screen).__name__ == "FamiliesDialog", "the families listed")
        rows = [r[1:] for r in app.screen.rows if r is not None]
        assert rows and rows[0][0] == w.DISPATCH
