"""Comparing two coders in the reader, under Pilot: one article side by side, one coder's
annotations in each reader, disagreements marked and jumped to, each settled in one key
and undone by one ``u``."""

from __future__ import annotations

import pytest

from tui.api import Library, Passage
from tui.ui.app import GloseApp

from .app_helpers import ready, settle, until
from .test_reader_flow import in_view
from .test_settling import ONLY_ANA, ONLY_BEN, two_coders

ARTICLE = "002_00db0d28d759d443.txt"


def settler_app(ws) -> GloseApp:
    """The reader of a third person, who settles the two coders' disagreements."""
    return GloseApp(Library(ws, frontend="tui", coder="lead"))


async def comparing(pilot, coders=("ana", "ben")) -> GloseApp:
    app: GloseApp = await ready(pilot)
    app.open_article(ARTICLE, "left")
    await until(pilot, lambda: app.reader.article_id == ARTICLE, "the article opening")
    await settle(pilot)
    await pilot.press("C")
    await until(pilot, lambda: len(app.compare.found) == 4, "the disagreements being found")
    await until(
        pilot,
        lambda: all(p.reader.article_id == ARTICLE and p.annotations for p in app.panes()),
        "both readers showing the article",
    )
    await settle(pilot)
    assert app.compare.coders == coders
    return app


def truth(ws) -> list:
    with Library(ws) as lib:
        return lib.coders.disagreements(["ana", "ben"], article=ARTICLE)


async def jump_to(pilot, app: GloseApp, tag: str, coded_by: str):
    """``>`` until the disagreement on ``tag`` coded by ``coded_by`` is under the cursor."""
    for _ in range(len(app.compare.found)):
        await pilot.press("greater_than_sign")
        await settle(pilot, 1)
        d = app.compare.at_cursor(app.reader)
        if d is not None and d.tag == tag and d.coded_by == (coded_by,):
            return d
    raise AssertionError(f"no disagreement on {tag} coded by {coded_by}")


async def test_compare_shows_each_coders_annotations_in_its_reader_and_leaves_as_it_was(indexed):
    two_coders(indexed)
    app = settler_app(indexed)
    async with app.run_test(size=(120, 35)) as pilot:
        app = await comparing(pilot)
        left, right = app.pane("left"), app.pane("right")
        assert app.split and left.reader.article_id == right.reader.article_id == ARTICLE
        assert {a.coder for a in left.annotations.values()} == {"ana"}
        assert {a.coder for a in right.annotations.values()} == {"ben"}
        assert {m.id for m in left.reader.marks} == set(left.annotations)
        assert str(left.title_bar.render()).startswith("coder ana")
        assert str(right.title_bar.render()).startswith("coder ben")
        spans = [(d.start, d.end) for d in truth(indexed)]
        assert left.reader.disputed == right.reader.disputed == spans
        assert left.reader.shared == []  # the same article twice is not "shared passages"
        assert app.focused is left.reader
        state = app.session.state()  # a relaunch puts back the view from before, not the comparison
        assert not state.split and state.right is None and state.left == ARTICLE
        await pilot.press("escape")  # nothing to clear in the reader: out of the comparison
        await settle(pilot)
        assert not app.compare.active and not app.split and left.coder is None
        await until(pilot, lambda: {a.coder for a in left.annotations.values()} == {"ana", "ben"}, "reload")
        assert left.reader.disputed == [] and "coder" not in str(left.title_bar.render())


async def test_jumps_land_on_each_disagreement_in_view_and_say_who_coded_it(indexed):
    two_coders(indexed)
    app = settler_app(indexed)
    async with app.run_test(size=(120, 35)) as pilot:
        app = await comparing(pilot)
        found = truth(indexed)
        for d in found:
            await pilot.press("greater_than_sign")
            await settle(pilot, 1)
            for pane in app.panes():
                assert pane.reader.target == (d.start, d.end)
                assert in_view(pane.reader, d.start, d.end)
            note = str(app.pane("left").note_bar.render())
            assert d.tag in note and f"coded by {d.coded_by[0]}, not by {d.not_coded_by[0]}" in note
        await pilot.press("greater_than_sign")  # round to the first
        assert app.reader.target == (found[0].start, found[0].end)
        await pilot.press("less_than_sign")
        assert app.reader.target == (found[-1].start, found[-1].end)


@pytest.mark.parametrize(
    ("key", "tag", "coded_by", "left"),
    [("plus", "politique", "ana", 3), ("minus", "abus", "ben", 3), ("equals_sign", "plateforme", "ana", 2)],
)
async def test_one_key_settles_a_disagreement_and_one_u_undoes_it(indexed, key, tag, coded_by, left):
    two_coders(indexed)
    app = settler_app(indexed)
    async with app.run_test(size=(120, 35)) as pilot:
        app = await comparing(pilot)
        before = truth(indexed)
        await jump_to(pilot, app, tag, coded_by)
        await pilot.press(key)
        await until(pilot, lambda: len(app.compare.found) == left, "the disagreement settled")
        assert app.compare.found == truth(indexed) and len(truth(indexed)) == left
        assert not any(d.tag == tag for d in truth(indexed))
        await settle(pilot)
        assert app.pane("left").reader.disputed == [(d.start, d.end) for d in truth(indexed)]
        if key == "plus":  # ben now codes it too, in his own reader
            assert any(a.exact == ONLY_ANA for a in app.pane("right").annotations.values())
        if key == "minus":
            assert not any(a.exact == ONLY_BEN for a in app.pane("right").annotations.values())
        await pilot.press("u")
        await until(pilot, lambda: len(app.compare.found) == 4, "the settle undone")
        assert truth(indexed) == before


async def test_coder_names_show_literally_and_it_works_at_80_by_24(indexed):
    two_coders(indexed, "[bold]ana\x1b]0;pwned\x07", "ben")
    odd = "[bold]ana"  # as the configuration cleans it: no escape sequence reaches the store
    app = settler_app(indexed)
    async with app.run_test(size=(80, 24)) as pilot:
        app = await comparing(pilot, (odd, "ben"))
        title = str(app.pane("left").title_bar.render())
        assert "[bold]ana" in title and "\x1b" not in title and "pwned" not in title
        d = await jump_to(pilot, app, "politique", odd)
        assert in_view(app.reader, d.start, d.end)
        note = str(app.pane("left").note_bar.render())
        assert "coded by [bold]ana" in note and "\x1b" not in note
        await pilot.press("plus")
        await until(pilot, lambda: len(app.compare.found) == 3, "the disagreement settled")
        await pilot.press("C")
        await settle(pilot)
        assert not app.compare.active


async def test_the_list_filters_by_coder_and_says_whose(indexed):
    two_coders(indexed)
    app = settler_app(indexed)
    async with app.run_test(size=(120, 35)) as pilot:
        app = await ready(pilot)
        await pilot.press("escape", "A")
        await until(pilot, lambda: len(app.annotations_panel.shown) == 4, "every annotation listed")
        assert "by ben" in str(
            app.annotations_panel.listing.get_option_at_index(0).prompt
        ) or "by ana" in str(app.annotations_panel.listing.get_option_at_index(0).prompt)
        await pilot.press("f")
        await settle(pilot)
        await pilot.press(*"coder ben", "enter")
        await until(pilot, lambda: len(app.annotations_panel.shown) == 2, "ben's annotations only")
        assert {a.coder for a in app.annotations_panel.shown.values()} == {"ben"}
        assert str(app.annotations_panel.heading.render()).endswith("by ben")


def test_pairings_put_you_first_against_the_coder_with_most_annotations():
    from tui.ui.screens.choosers import pairings

    counts = {"ana": 9, "ben": 4, "eve": 7}
    assert pairings(counts, "ben") == [("ben", "ana"), ("ben", "eve"), ("ana", "eve")]
    assert pairings(counts, "lead")[0] == ("ana", "eve")  # not a coder: the two with most


async def test_with_three_coders_a_chooser_asks_which_two(indexed):
    two_coders(indexed)
    with Library(indexed, coder="eve") as eve:
        eve.annotations.annotate(Passage(ARTICLE, quote=ONLY_BEN), tags=["abus"])
    app = settler_app(indexed)
    async with app.run_test(size=(120, 35)) as pilot:
        app = await ready(pilot)
        app.open_article(ARTICLE, "left")
        await until(pilot, lambda: app.reader.article_id == ARTICLE, "the article opening")
        await settle(pilot)
        await pilot.press("C")
        await settle(pilot)
        await pilot.press("down", "enter")  # ana (2) vs ben (2) is first; then ana vs eve
        await until(pilot, lambda: app.compare.coders == ("ana", "eve"), "the pair chosen")
        # ana's politique and plateforme, eve's abus
        await until(pilot, lambda: len(app.compare.found) == 3, "the disagreements being found")
        assert {a.coder for a in app.pane("right").annotations.values()} == {"eve"}


async def test_another_article_opens_in_both_readers_with_its_own_disagreements(indexed):
    two_coders(indexed)
    app = settler_app(indexed)
    async with app.run_test(size=(120, 35)) as pilot:
        app = await comparing(pilot)
        other = "004_82fd22c88201b152.txt"
        app.open_article(other, app.active)
        await until(pilot, lambda: all(p.reader.article_id == other for p in app.panes()), "both on 004")
        await until(pilot, lambda: app.compare.found == [], "004's disagreements: none")
        assert app.pane("left").reader.disputed == [] and app.focused is app.pane("left").reader
        app.open_article(ARTICLE, app.active)
        await until(pilot, lambda: len(app.compare.found) == 4, "002's disagreements again")
        await until(pilot, lambda: len(app.pane("right").reader.disputed) == 4, "marked in ben's reader")


async def test_adopting_a_boundary_in_the_reader_extends_the_other_coders_annotation(indexed):
    """``+`` on the part of [plateforme] only ana coded: ben's overlapping annotation grows
    over it (the same annotation, one unit), instead of a second one touching it."""
    two_coders(indexed)
    with Library(indexed) as lib:
        (ben_own,) = [a for a in lib.annotations.find(coders=["ben"]) if "plateforme" in a.tags]
    app = settler_app(indexed)
    async with app.run_test(size=(120, 35)) as pilot:
        app = await comparing(pilot)
        d = await jump_to(pilot, app, "plateforme", "ana")
        await pilot.press("plus")
        await until(pilot, lambda: len(app.compare.found) == 3, "the disagreement settled")
        with Library(indexed) as lib:
            mine = [a for a in lib.annotations.find(coders=["ben"]) if "plateforme" in a.tags]
        assert [(a.id, a.start, a.end) for a in mine] == [(ben_own.id, d.start, ben_own.end)]
        await until(
            pilot,
            lambda: (
                [(a.start, a.end) for a in app.pane("right").annotations.values() if "plateforme" in a.tags]
                == [(d.start, ben_own.end)]
            ),
            "ben's reader showing the one annotation, extended",
        )
