"""Snapshots of the main screens at 80×24 and 120×35 (pytest-textual-snapshot).

Update them after an intended change with ``pytest tests/test_snapshots.py --snapshot-update``
and look at the report before committing.
"""

from __future__ import annotations

import shutil

import pytest

from tui.api import Library, Passage
from tui.workspace import Workspace

from .app_helpers import make_app, ready, search_and_open, settle, steady, until
from .conftest import SAMPLES

STATEMENT = "la création d'images illégales en un service premium"


@pytest.fixture
def demo(tmp_path) -> Workspace:
    root = tmp_path / "demo"  # the folder name shows in the top bar: keep it fixed
    shutil.copytree(SAMPLES, root / "articles")
    ws = Workspace.resolve(root)
    with Library(ws) as lib:
        lib.index.update()
        lib.annotations.annotate(
            Passage("004", quote=STATEMENT), tags=["réaction/politique"], note="Downing Street"
        )
        lib.annotations.annotate(Passage("002", quote=STATEMENT), tags=["réaction/politique"])
        lib.annotations.annotate(
            Passage("004", quote="Thomas Régnier"), tags=["acteurs/UE"], note="[bold]pas du gras[/bold]"
        )
    return ws


async def open_statement(pilot, article_index: int = 0) -> None:
    await ready(pilot)
    await search_and_open(pilot, '"service premium"', article_index)
    reader = pilot.app.reader
    reader.reveal(reader.text.index("transforme simplement") if "transforme simplement" in reader.text else 0)
    await settle(pilot)
    pilot.app.clear_notifications()
    await pilot.pause()


@pytest.mark.parametrize("size", [(80, 24), (120, 35)])
def test_reader_with_annotations(snap_compare, demo, size):
    assert snap_compare(make_app(demo), terminal_size=size, run_before=lambda pilot: open_statement(pilot, 2))


@pytest.mark.parametrize("size", [(80, 24), (120, 35)])
def test_side_by_side(snap_compare, demo, size):
    async def split(pilot) -> None:
        await open_statement(pilot, 2)
        results = pilot.app.query_one("#results")
        results.focus()
        results.highlighted = 3
        await pilot.press("o")
        await settle(pilot)
        pilot.app.clear_notifications()
        await steady(pilot)

    assert snap_compare(make_app(demo), terminal_size=size, run_before=split)


def test_start_screen(snap_compare, demo):
    async def start(pilot) -> None:
        await ready(pilot)
        results = pilot.app.query_one("#results")
        await until(pilot, lambda: results.option_count == 5, "the list of the five articles")
        await settle(pilot)
        pilot.app.query_one("#query").cursor_blink = False  # the same frame however long it took
        pilot.app.clear_notifications()
        await pilot.pause()

    assert snap_compare(make_app(demo), terminal_size=(80, 24), run_before=start)


def test_codebook(snap_compare, demo):
    async def codebook(pilot) -> None:
        await ready(pilot)
        pilot.app.clear_notifications()
        await pilot.press("escape", "c")
        await settle(pilot)

    assert snap_compare(make_app(demo), terminal_size=(80, 24), run_before=codebook)


def test_annotate_dialog(snap_compare, demo):
    async def dialog(pilot) -> None:
        await open_statement(pilot, 0)
        reader = pilot.app.reader
        start = reader.text.index("Grok")
        reader.select(start, start + 4)
        await pilot.press("a")
        await settle(pilot)
        for field in pilot.app.screen.query("Input, TextArea"):  # no blink: the same frame on a slow machine
            field.cursor_blink = False
        await pilot.pause()

    assert snap_compare(make_app(demo), terminal_size=(120, 35), run_before=dialog)
