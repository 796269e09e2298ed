"""The Glose app: search on the left, one or two readers on the right, annotations below.

A thin :class:`App`: the panels (search, annotations, reader panes) own their widgets and
workers and talk through typed messages; coding actions live in :mod:`.coding`; every call
into the core goes through the one :class:`tui.api.Library` (``self.lib``), in workers.
Every string from files, tags and notes is turned into ``Content`` literally.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from textual import on
from textual.app import App, ComposeResult, SystemCommand
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from ..api import Library
from ..model import AnnotationFilter
from ..sanitize import terminal
from ..wording import short
from . import actions
from .controllers.coding import Changed, Coding
from .controllers.comparing import Compare
from .controllers.families import Families
from .controllers.files import Files
from .controllers.indexing import Indexing
from .controllers.lists import Lists
from .controllers.memos import Memos
from .controllers.notes import NoteBar
from .controllers.reading_across import Across
from .controllers.session import SessionKeeper
from .controllers.sets import Sets
from .controllers.tabbing import Tabbing
from .controllers.watching import Watching
from .focus import focus_now
from .layout import Layout
from .panels.annotations import AnnotationsPanel
from .panels.footer import FittingFooter
from .panels.search import SearchPanel
from .reader.pane import ReaderPane
from .reader.view import Reader

POLL_SECONDS = 2.0
CONTROLLERS = (
    "coding",
    "across",
    "compare",
    "families",
    "files",
    "indexer",
    "lists",
    "memos",
    "reader",
    "sets",
    "tabbing",
)  # what ``do(...)`` may run


class GloseApp(App[None]):
    TITLE = "Glose"
    CSS_PATH = "glose.tcss"
    BINDINGS = actions.bindings()

    def __init__(self, lib: Library):
        super().__init__()
        self.lib = lib
        self.ws = lib.ws
        self.coding = Coding(self)
        self.across = Across(self)
        self.compare = Compare(self)
        self.families = Families(self)
        self.files = Files(self)
        self.indexer = Indexing(self)
        self.watcher = Watching(self)
        self.session = SessionKeeper(self)
        self.lists = Lists(self)
        self.memos = Memos(self)
        self.sets = Sets(self)
        self.notes = NoteBar(self)
        self.tabbing = Tabbing(self)
        self.panes_layout = Layout(self)
        self.codebook: list[str] = []  # tag names, as last read by a worker (for completion and 1–9)
        self.split = False
        self.sync_scroll = False
        self.active = "left"
        # The main screen's parts, held here: a modal screen on top (or the app closing) must
        # not make the workers' callbacks lose them.
        self.topbar = Static(Content(""), id="topbar")
        self.search_panel = SearchPanel(id="search")
        self.annotations_panel = AnnotationsPanel(id="annotations-panel")
        self.reader_panes = {
            "left": ReaderPane(id="left", classes="-active"),
            "right": ReaderPane(id="right"),
        }

    # --- layout -----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield self.topbar
        with Horizontal(id="main"):
            with Vertical(id="side"):
                yield self.search_panel
                yield self.annotations_panel
            with Horizontal(id="readers"):
                yield self.reader_panes["left"]
                yield self.reader_panes["right"]
        yield FittingFooter(first=("quit", "help", "focus_search", actions.do("coding", "annotate")))

    def notify(self, message: str, *, title: str = "", markup: bool = False, **kwargs) -> None:
        """Every notification (widgets' too) passes the sanitiser: messages quote file names,
        and Textual keeps ESC and C1 controls, markup or not. Markup is off unless asked for:
        a message that quotes a tag named ``[bold]`` shows it as typed."""
        super().notify(terminal(message), title=terminal(title), markup=markup, **kwargs)

    def on_mount(self) -> None:
        config = self.ws.config
        if config.keys:
            self.set_keymap(dict(config.keys))
        if config.theme and config.theme in self.available_themes:
            self.theme = config.theme
        for warning in self.lib.warnings:
            self.notify(warning, severity="warning", timeout=8)
        self.reader_panes["right"].display = False
        self.indexer.topbar("")
        focus_now(self.search_panel.box)
        self.session.restore()  # the split and the focus from the first screen: keys go where they will stay
        # The first screen first: the workers' threads (opening the store, importing the
        # search engine) would hold the interpreter while it is drawn.
        self.call_after_refresh(self._start)

    def _start(self) -> None:
        self.indexer.open_store()
        self.sets.load()
        self.session.reopen()
        self.indexer.update()
        self.watcher.start()  # files edited while the reader is open are indexed again
        self.set_interval(POLL_SECONDS, self.indexer.poll)

    def on_unmount(self) -> None:
        self.watcher.stop()

    async def action_quit(self) -> None:
        if not self.screen_allows_quit():
            return
        self.lib.save_session(self.session.state())
        self.exit()

    def screen_allows_quit(self) -> bool:
        """A dialog holding typed, unsaved work asks before ctrl+q throws it away."""
        confirm = getattr(self.screen, "confirm_discard", None)
        return confirm is None or confirm("quit")

    # --- messages from the panels ---------------------------------------------------------------

    @on(SearchPanel.QueryShown)
    def _query_shown(self, event: SearchPanel.QueryShown) -> None:
        for pane in self.panes():
            pane.show_hits(event.compiled)
        self.lists.searched()

    @on(SearchPanel.ArticleChosen)
    def _article_chosen(self, event: SearchPanel.ArticleChosen) -> None:
        self.open_article(event.article, self.active)

    @on(ReaderPane.Opened)
    def _opened(self, event: ReaderPane.Opened) -> None:
        event.pane.show_hits(self.search_panel.compiled)
        if self.compare.active:  # coder A's reader keeps the keys
            self.compare.opened(event.pane)
        elif not event.restored:  # the session chose the active reader already
            self.set_active(event.pane.id)
        self.families.opened(event.pane)
        self.across.update()
        self.session.save()

    @on(ReaderPane.MarksChanged)
    def _marks_changed(self, event: ReaderPane.MarksChanged) -> None:
        if event.pane.id == self.active:
            self.refresh_panel()
        self.notes.show(event.pane.reader)

    @on(AnnotationsPanel.Loaded)
    def _codebook_read(self, event: AnnotationsPanel.Loaded) -> None:
        self.codebook = [t.name for t in event.codebook]

    @on(AnnotationsPanel.AnnotationChosen)
    def _annotation_chosen(self, event: AnnotationsPanel.AnnotationChosen) -> None:
        ann = event.annotation
        if ann.status == "orphaned":
            self.notify(
                f"“{short(ann.exact, 60)}” is orphaned: its text is gone. Select a new passage and press r "
                "here to re-attach it.",
                timeout=6,
            )
            return

        def show(reader: Reader) -> None:
            reader.reveal(ann.start, ann.end)

        if self.reader.article_id == ann.article:
            show(self.reader)
            focus_now(self.reader)
        else:
            self.open_article(ann.article, self.active, show)

    @on(AnnotationsPanel.SharedChosen)
    def _shared_chosen(self, event: AnnotationsPanel.SharedChosen) -> None:
        self.across.show_shared(event.index)

    @on(Changed)
    def _changed(self, event: Changed) -> None:
        for pane in self.panes():
            pane.show_made(event.made)
        if event.jump and event.made and event.made[0].article == self.reader.article_id:
            # under the cursor: number keys and e act on it
            self.reader.reveal(event.made[0].start, keep_if_visible=True)
        self.reload_open_articles()

    # --- readers ----------------------------------------------------------------------------

    def panes(self) -> list[ReaderPane]:
        return [self.reader_panes["left"], self.reader_panes["right"]][: 2 if self.split else 1]

    def pane(self, name: str | None = None) -> ReaderPane:
        return self.reader_panes[name or self.active]

    @property
    def reader(self) -> Reader:
        return self.pane().reader

    def open_article(self, article_id: str, pane: str, then: Callable[[Reader], None] | None = None) -> None:
        if self.compare.active:  # both coders' readers go to the article
            self.compare.open(article_id, then)
            return
        self.pane(pane).open(article_id, then)

    def action_open_other(self) -> None:
        article = self.search_panel.highlighted_article()
        if article is None:
            return
        self.search_panel.ran()
        self.open_article(article, self.other_pane())

    def other_pane(self) -> str:
        """Where "the other reader" is: an empty one if the view is split (``s`` then ``o``
        fills the new reader, whichever has focus), else the one without focus; splitting the
        view when it is not."""
        if not self.split:
            self.action_toggle_split()
            return "right"
        for name in ("right", "left"):
            if self.pane(name).reader.article_id is None:
                return name
        return "right" if self.active == "left" else "left"

    def reload_open_articles(self) -> None:
        for pane in self.panes():
            pane.reload()
        self.refresh_panel()
        self.compare.refresh()
        self.sets.load()  # a set saved, undone, or changed by another glose

    def set_active(self, name: str) -> None:
        if name != self.active:
            self.active = name
            for pane in self.reader_panes.values():
                pane.set_class(pane.id == name, "-active")
            self.panes_layout.fit()
            self.refresh_panel()

    @on(Reader.CursorMoved)
    def cursor_moved(self, event: Reader.CursorMoved) -> None:
        reader = event.reader
        self.notes.show(reader)
        self.families.follow(reader)
        pane = reader.parent
        if self.sync_scroll and self.split and isinstance(pane, ReaderPane):
            other = self.pane("right" if pane.id == "left" else "left").reader
            if other.article_id and reader.layout_ and other.layout_:
                ratio = reader.scroll_y / max(1, len(reader.layout_))
                other.scroll_to(y=ratio * len(other.layout_), animate=False)

    def on_descendant_focus(self, event) -> None:
        widget = event.widget
        # Only if it still has the focus: the event is queued, and a focus moved twice in one
        # step (the session put back: split, then the left reader) must not flip the readers
        # back and forth, each flip refocusing the other through fit().
        if isinstance(widget, Reader) and isinstance(widget.parent, ReaderPane) and widget is self.focused:
            self.set_active(widget.parent.id)
        self.panes_layout.fit()  # the side column folds or comes back with the focus

    def on_resize(self) -> None:
        self.panes_layout.fit()

    def action_toggle_side(self) -> None:
        self.panes_layout.toggle_side()

    def action_focus_search(self) -> None:
        focus_now(self.search_panel.box)

    def action_leave_search(self) -> None:
        """escape in the search box: on to the results, or to the reader when there are none;
        elsewhere (a reader with nothing selected), out of the comparison of coders."""
        if self.focused is not self.search_panel.box:
            if self.compare.active:
                self.compare.leave()
            elif self.families.active:
                self.families.leave()
            return
        if self.search_panel.results.option_count:
            focus_now(self.search_panel.results)
        else:
            focus_now(self.reader)

    def action_toggle_split(self) -> None:
        if self.compare.active and self.split:
            self.compare.leave()  # the comparison is a split: unsplitting ends it
            return
        if self.families.active and self.split:
            self.families.leave()  # so is the families view
            return
        self.split = not self.split
        right = self.reader_panes["right"]
        if self.split:
            if right.reader.article_id is None:
                right.reader.clear("Open an article here: select a result and press o (or enter here).")
            self.set_active("right")
            focus_now(right.reader)
        else:
            self.set_active("left")
            focus_now(self.pane("left").reader)
        self.panes_layout.fit()
        self.across.update()

    def action_do(self, controller: str, method: str, *args) -> None:
        """Run what one of the app's helpers answers (``do('coding', 'annotate')``): the
        ACTIONS table binds them without a forwarding method each. Only our own table and
        links name them (glose.toml remaps keys, not actions)."""
        if controller not in CONTROLLERS:
            raise ValueError(f"no controller {controller!r}")
        getattr(getattr(self, controller), method)(*args)

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        """Keys that need two readers leave the footer while there is one."""
        name = ".".join(map(str, parameters[:2])) if action == "do" else action
        if name == "toggle_side":
            return self.split
        if name in ("across.step", "toggle_sync"):
            return self.split and not self.compare.active
        if name in ("compare.step", "compare.settle"):
            return self.compare.active
        return True

    def action_focus_next(self) -> None:
        self.tabbing.step(1)

    def action_focus_previous(self) -> None:
        self.tabbing.step(-1)

    def action_toggle_sync(self) -> None:
        self.sync_scroll = not self.sync_scroll
        self.notify(f"synchronised scrolling {'on' if self.sync_scroll else 'off'}", timeout=2)

    # --- the annotations list ------------------------------------------------------------------

    def refresh_panel(self) -> None:
        self.lists.refresh()

    # --- screens ------------------------------------------------------------------------------

    def action_codebook(self, tag: str | None = None) -> None:
        """The codebook screen (``tag``: with that tag selected, from the memo manager)."""
        from .screens.codebook import CodebookScreen

        def done(chosen) -> None:
            from .controllers.across import Place

            if isinstance(chosen, Place):
                self.open_article(chosen.article, self.active, lambda r: r.reveal(chosen.start, chosen.end))
            elif chosen is not None:
                self.annotations_panel.show(
                    AnnotationFilter.of_tag(chosen), article=self.reader.article_id, where=self.lists.where()
                )
            self.reload_open_articles()

        self.push_screen(CodebookScreen(self.lib, self.lists.where, select=tag), done)

    def action_help(self) -> None:
        from .screens.choosers import HelpScreen

        self.push_screen(HelpScreen(actions.help_sections(self, Reader.BINDINGS)))

    def get_system_commands(self, screen: Screen):
        yield from super().get_system_commands(screen)
        for action in actions.palette():
            yield SystemCommand(action.palette, action.help, partial(self.run_action, action.action))
        for title, help, name in self.sets.commands():
            yield SystemCommand(title, help, partial(self.sets.search, name))


def run(lib: Library) -> None:
    GloseApp(lib).run()
