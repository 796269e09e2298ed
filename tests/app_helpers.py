"""Driving the real app under Pilot: wait for workers, not for fixed sleeps."""

from __future__ import annotations

from tui.api import Library
from tui.ui.app import GloseApp
from tui.workspace import Workspace


def make_app(ws: Workspace) -> GloseApp:
    """The real app on a workspace, writing as the reader does."""
    return GloseApp(Library(ws, frontend="tui"))


async def settle(pilot, rounds: int = 3) -> None:
    """Let workers finish and their results reach the screen."""
    from textual.worker import WorkerCancelled

    for _ in range(rounds):
        try:
            await pilot.app.workers.wait_for_complete()
        except WorkerCancelled:  # an exclusive worker replaced by a newer one: wait for that
            await pilot.pause()
            await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def steady(pilot, seconds: float = 10.0) -> None:
    """Wait until the screen stops changing: a reader opened in a narrow window is wrapped
    again once the layout settles, and its scrollbar follows a frame or two later (a snapshot
    taken between them shows the same text with another thumb)."""
    before = pilot.app.export_screenshot()
    stable = 0
    for _ in range(int(seconds / 0.05)):
        await settle(pilot, rounds=1)
        await pilot.pause(0.05)
        now = pilot.app.export_screenshot()
        stable = stable + 1 if now == before else 0
        if stable >= 3:
            return
        before = now


async def press(pilot, *keys: str):
    """Press ``keys`` and let what they start finish; returns the screen then on top."""
    await pilot.press(*keys)
    await settle(pilot)
    return pilot.app.screen


async def act(pilot, action: str):
    """Run one of the app's actions (``do('files', 'report')``) as its key or palette entry
    would, and let what it starts finish; returns the screen then on top."""
    await pilot.app.run_action(action)
    await settle(pilot)
    return pilot.app.screen


async def until(pilot, condition, what: str, seconds: float = 20.0) -> None:
    """Wait for something the app does in its own time (a worker, a timer), on a slow CI too."""
    for _ in range(int(seconds / 0.02)):
        if condition():
            return
        await pilot.pause(0.02)
    assert condition(), f"{what} never happened"


async def ready(pilot) -> GloseApp:
    app: GloseApp = pilot.app
    await until(pilot, lambda: app.indexer.ready, "the index becoming ready")
    await settle(pilot)
    return app


async def search_and_open(pilot, query: str, index: int = 0) -> None:
    app = pilot.app
    app.query_one("#query").focus()
    app.query_one("#query").value = ""
    await pilot.press(*query, "enter")  # enter in the box opens the first result
    await settle(pilot)
    if index:
        results = app.query_one("#results")
        results.focus()
        results.highlighted = index
        await pilot.press("enter")
        await settle(pilot)


async def open_concordance(pilot, query: str):
    """Search ``query`` and open its concordance (``K``); returns the concordance screen."""
    await pilot.press(*query, "enter")
    await settle(pilot)
    await pilot.press("K")
    await settle(pilot)
    return pilot.app.screen


def screen_lines(app) -> list[str]:
    """The text of the screen as the terminal shows it, line by line."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


def footer_fits(app) -> str:
    """The footer's line, after checking that every key in it is drawn whole (none past the
    edge, where the terminal would cut it mid-word)."""
    from textual.widgets._footer import FooterKey

    width = app.size.width
    for key in app.screen.query(FooterKey):
        region = key.region
        assert region.right <= width and region.width >= len(key.description), (key.description, region)
    return screen_lines(app)[-1]


async def open_dialog(pilot, quote: str = "service premium") -> None:
    """Select ``quote`` in the article a search for it opens, then press a: the annotate dialog."""
    app = pilot.app
    await search_and_open(pilot, f'"{quote}"')
    reader = app.reader
    start = reader.text.index(quote)
    reader.select(start, start + len(quote))
    await pilot.press("a")
    await settle(pilot)


def lib_filter():
    """Every annotation (the store's listings take a filter)."""
    from tui.model import AnnotationFilter

    return AnnotationFilter("all")
