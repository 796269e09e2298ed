"""What the app's helpers (``controllers/``, the layout) may ask of the app: the small protocol
they are typed against, instead of the app's class. A controller that needs something new of
the app says so here first; none imports the app, so the app and its helpers form no loop.

The sibling controllers a helper reaches through the host (``compare``, ``coding``…) are typed
loosely: typing them would tie every controller to every other again."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from textual.geometry import Size
    from textual.screen import Screen
    from textual.widget import Widget
    from textual.widgets import Static

    from ..api import Library
    from ..workspace import Workspace
    from .panels.annotations import AnnotationsPanel
    from .panels.search import SearchPanel
    from .reader.pane import ReaderPane
    from .reader.view import Reader


class Host(Protocol):
    # the workspace and the one door to it
    lib: Library
    ws: Workspace
    codebook: list[str]  # tag names, as last read (completion, 1–9)
    # the view
    split: bool
    sync_scroll: bool
    active: str  # "left" or "right"
    topbar: Static
    search_panel: SearchPanel
    annotations_panel: AnnotationsPanel
    reader_panes: dict[str, ReaderPane]
    panes_layout: Any
    # the other helpers
    coding: Any
    compare: Any
    families: Any
    across: Any
    indexer: Any
    watcher: Any
    memos: Any
    session: Any  # where the coder was (SessionKeeper)
    lists: Any  # what the lists keep to (``where``: the search, when they follow it)

    @property
    def reader(self) -> Reader: ...
    @property
    def is_running(self) -> bool: ...
    @property
    def focused(self) -> Widget | None: ...
    @property
    def screen(self) -> Screen: ...
    @property
    def size(self) -> Size: ...

    def pane(self, name: str | None = None) -> ReaderPane: ...
    def panes(self) -> list[ReaderPane]: ...
    def set_active(self, name: str) -> None: ...
    def open_article(
        self, article_id: str, pane: str, then: Callable[[Reader], None] | None = None
    ) -> None: ...
    def reload_open_articles(self) -> None: ...
    def refresh_panel(self) -> None: ...
    def action_toggle_split(self) -> None: ...
    def action_codebook(self, tag: str | None = None) -> None: ...
    def notify(self, message: str, *, title: str = "", markup: bool = False, **kwargs) -> None: ...
    def push_screen(self, screen: Any, callback: Callable | None = None) -> Any: ...
    def run_worker(self, work: Callable, **kwargs) -> Any: ...
    def call_from_thread(self, callback: Callable, *args, **kwargs) -> Any: ...
    def post_message(self, message: Any) -> bool: ...
    def query_one(self, selector: Any, expect_type: Any = None) -> Any: ...
    def bell(self) -> None: ...
