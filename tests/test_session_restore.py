"""A relaunch puts the last session back without fighting the coder's first keys: the split,
the active reader and the focus are there from the first screen, the articles come after, and
whatever the coder did in the meantime stays done (the tmux script used to press tab up to four
times, because the session, coming back from a worker, undid the first one)."""

from __future__ import annotations

from tui.api import Library

from .app_helpers import make_app, ready, settle, until

LEFT, RIGHT = "000_7525c6e5bbe6bac6.txt", "002_00db0d28d759d443.txt"


def _session(ws, **where) -> None:
    """The session a relaunch will find: by default both samples split, the left one active."""
    from tui.session import Session

    with Library(ws) as lib:
        lib.save_session(Session(**{"left": LEFT, "right": RIGHT, "split": True, "active": "left", **where}))


async def test_a_tab_pressed_before_the_articles_are_back_is_kept(indexed):
    _session(indexed, active="left")
    app = make_app(indexed)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("tab")  # at once: the articles are still loading
        await ready(pilot)
        await settle(pilot, 5)
        assert app.split and app.active == "right"
        assert app.focused is app.pane("right").reader
        shown = [pane.id for pane in app.panes() if pane.display]
        assert shown == ["right"], shown  # one reader at a time at 80 columns: the tabbed-to one
        assert app.pane("left").reader.article_id == LEFT
        assert app.pane("right").reader.article_id == RIGHT


async def test_the_session_puts_the_focus_on_its_active_reader_from_the_first_screen(indexed):
    _session(indexed, active="left")
    app = make_app(indexed)
    async with app.run_test(size=(120, 35)) as pilot:
        assert app.split and app.active == "left" and app.focused is app.pane("left").reader
        await ready(pilot)
        await settle(pilot, 5)
        assert app.active == "left" and app.focused is app.pane("left").reader
        assert app.pane("right").reader.article_id == RIGHT


async def test_once_the_session_is_back_one_tab_shows_the_other_reader_at_80_columns(indexed):
    _session(indexed, active="left")
    app = make_app(indexed)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await settle(pilot, 5)
        for expected in ("right", "left"):
            await pilot.press("tab")
            await settle(pilot)
            shown = [pane.id for pane in app.panes() if pane.display]
            assert app.active == expected and shown == [expected], (expected, shown)
            assert app.focused is app.pane(expected).reader


def _big_article(ws) -> str:
    """An article slow to open (2 MB): its load ends well after a small one asked after it."""
    from .conftest import update_index

    text = (ws.root / "articles" / LEFT).read_text("utf-8")
    (ws.root / "articles" / "big.txt").write_text((text + "\n\n") * (2_000_000 // len(text)), "utf-8")
    update_index(ws)
    return "big.txt"


async def test_an_article_opened_while_the_session_loads_is_not_replaced_by_it(indexed):
    big = _big_article(indexed)
    _session(indexed, left=big, right=None, split=False)
    app = make_app(indexed)
    async with app.run_test(size=(120, 35)) as pilot:
        chosen = "004_82fd22c88201b152.txt"
        # a result chosen at once: before the session's article is asked for or while it loads
        # (whichever this machine's timing gives), the coder's choice must stay
        app.open_article(chosen, "left")
        await ready(pilot)
        await settle(pilot, 5)
        assert app.pane("left").reader.article_id == chosen
        assert app.active == "left"


async def test_of_two_articles_opened_in_a_row_the_second_stays_even_if_the_first_is_slower(indexed):
    big = _big_article(indexed)
    app = make_app(indexed)
    async with app.run_test(size=(120, 35)) as pilot:
        await ready(pilot)
        app.open_article(big, "left")
        app.open_article(RIGHT, "left")
        await settle(pilot, 5)
        assert app.pane("left").reader.article_id == RIGHT


async def test_a_session_article_deleted_since_gives_the_search_box_the_focus(indexed):
    _session(indexed, right=None, split=False)
    (indexed.root / "articles" / LEFT).unlink()
    app = make_app(indexed)
    async with app.run_test(size=(120, 35)) as pilot:
        await ready(pilot)
        await settle(pilot, 5)
        await until(pilot, lambda: app.focused is app.search_panel.box, "the focus back in the search box")
        assert app.pane("left").reader.article_id is None


async def test_an_article_asked_for_is_not_replaced_by_a_refresh_of_the_one_it_replaces(indexed):
    """The watcher reloads the open article when its file changes; an article the coder asked
    for just before (still loading, slower) must still arrive."""
    big = _big_article(indexed)
    app = make_app(indexed)
    async with app.run_test(size=(120, 35)) as pilot:
        await ready(pilot)
        app.open_article(RIGHT, "left")
        await settle(pilot)
        pane = app.pane("left")
        app.open_article(big, "left")
        pane.reopen()  # RIGHT's file changed on disk, as the big one loads
        await settle(pilot, 5)
        assert pane.reader.article_id == big


async def test_a_split_session_whose_active_article_is_gone_shows_the_other_reader(indexed):
    _session(indexed, left="[bold]gone.txt")
    app = make_app(indexed)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await settle(pilot, 5)
        await until(pilot, lambda: app.active == "right", "the reader with an article shown")
        shown = [pane.id for pane in app.panes() if pane.display]
        assert shown == ["right"] and app.focused is app.pane("right").reader
        assert app.pane("right").reader.article_id == RIGHT


async def test_a_split_session_whose_articles_are_both_gone_gives_the_search_box_the_focus(indexed):
    _session(indexed, left="gone.txt", right="gone too.txt", active="right")
    app = make_app(indexed)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await settle(pilot, 5)
        await until(pilot, lambda: app.focused is app.search_panel.box, "the focus in the search box")
        await settle(pilot)
        assert app.focused is app.search_panel.box
