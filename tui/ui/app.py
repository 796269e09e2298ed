"""The Glose app: search on the left, one or two readers on the right, annotations below.

A thin :class:`App`: the panels (search, annotations, reader panes) own their widgets and
workers and talk through typed messages; coding actions live in :mod:`.coding`; every call
into the core goes through the one :class:`tui.api.Library` (``self.lib``), in workers.
Every string from files, tags and notes is turned into ``Content`` literally.
"""

from __future__ import annotations

from collections.abc import Callable

from textual import on, work
from textual.app import App, ComposeResult, SystemCommand
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from ..api import Library, Session
from ..errors import GloseError
from ..model import Annotation, AnnotationFilter
from ..sanitize import terminal
from ..wording import counted, short
from . import actions
from .controllers.coding import Changed, Coding
from .controllers.comparing import Compare
from .controllers.files import Files
from .controllers.focus import focus_now
from .controllers.reading_across import Across
from .layout import Layout
from .panels.annotations import AnnotationsPanel
from .panels.footer import FittingFooter
from .panels.search import SearchPanel
from .reader.pane import ReaderPane
from .reader.view import Reader

POLL_SECONDS = 2.0
CONTROLLERS = ("coding", "across", "compare", "files", "reader")  # what ``do(...)`` may run


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
        self.files = Files(self)
        self.panes_layout = Layout(self)
        self.codebook: list[str] = []  # tag names, as last read by a worker (for completion and 1–9)
        self.split = False
        self.sync_scroll = False
        self.active = "left"
        self.indexing = False
        self.engine_ready = False
        self.engine_name = ""  # the engine holding the index, for the top bar
        self.ready = False  # the first index check is done (tests wait on it)
        self._data_version: int | None = None
        self._polls = 0
        self._advised = False  # the engine tip, once per session
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

    def notify(self, message: str, *, title: str = "", **kwargs) -> None:
        """Every notification (widgets' too) passes the sanitiser: messages quote file names,
        and Textual keeps ESC and C1 controls, markup or not."""
        super().notify(terminal(message), title=terminal(title), **kwargs)

    def on_mount(self) -> None:
        config = self.ws.config
        if config.keys:
            self.set_keymap(dict(config.keys))
        if config.theme and config.theme in self.available_themes:
            self.theme = config.theme
        for warning in self.lib.warnings:
            self.notify(warning, severity="warning", markup=False, timeout=8)
        self.reader_panes["right"].display = False
        self._set_topbar("")
        self.search_panel.box.focus()
        # The first screen first: the workers' threads (opening the store, importing the
        # search engine) would hold the interpreter while it is drawn.
        self.call_after_refresh(self._start)

    def _start(self) -> None:
        self._open_store()
        self._restore_session()
        self.update_index()
        self.set_interval(POLL_SECONDS, self.poll)

    def _set_topbar(self, status: str) -> None:
        name = terminal(self.ws.root.name or str(self.ws.root))
        parts = [("Glose", "bold $accent"), "  ", (name, "bold")]
        if status:
            parts += ["  ", (status, "$text-muted")]
        self.topbar.update(Content.assemble(*parts))

    @work(thread=True, group="store")
    def _open_store(self) -> None:
        try:
            self._data_version = self.lib.data_version()
            readonly = self.lib.readonly
        except GloseError as exc:
            self.call_from_thread(self.notify, str(exc), severity="error", markup=False, timeout=10)
            return
        if readonly:
            self.call_from_thread(self.notify, readonly, severity="warning", markup=False, timeout=10)
        self.call_from_thread(self.refresh_panel)

    # --- the last session ---------------------------------------------------------------------

    @work(thread=True, group="session")
    def _restore_session(self) -> None:
        state = self.lib.session()
        self.call_from_thread(self._apply_session, state)

    def _apply_session(self, state: Session) -> None:
        """Put back the articles that were open, where they were, and the query."""
        for pane in self.reader_panes.values():
            pane.positions.update(state.positions)
        if state.query and not self.search_panel.box.value:
            self.search_panel.put_back(state.query)
        if state.left:
            self.pane("left").open(state.left, quiet=True)
        if state.split and state.right:
            self.action_toggle_split()
            self.pane("right").open(state.right, quiet=True)
            if state.active == "left":
                self.set_active("left")

    def session_state(self) -> Session:
        positions: dict[str, tuple[int, float]] = {}
        for pane in self.reader_panes.values():
            positions.update(pane.places())
        split, right = self.split, self.pane("right").reader.article_id
        if self.compare.active:  # a relaunch puts back the view the comparison left
            split, right = self.compare.view_before
        return Session(
            left=self.pane("left").reader.article_id,
            right=right if split else None,
            split=split,
            active=self.active if split else "left",
            query=self.search_panel.ran_query,
            positions=positions,
        )

    @work(thread=True, exclusive=True, group="session-save")
    def _save_session(self, state: Session) -> None:
        self.lib.save_session(state)

    async def action_quit(self) -> None:
        if not self.screen_allows_quit():
            return
        self.lib.save_session(self.session_state())
        self.exit()

    def screen_allows_quit(self) -> bool:
        """A dialog holding typed, unsaved work asks before ctrl+q throws it away."""
        confirm = getattr(self.screen, "confirm_discard", None)
        return confirm is None or confirm("quit")

    # --- index ------------------------------------------------------------------------------

    def action_reindex(self) -> None:
        self.update_index()

    @work(thread=True, exclusive=True, group="index")
    def update_index(self) -> None:
        """Bring the index up to date (the app is usable meanwhile), then search again."""
        self.indexing = True
        self.call_from_thread(self._set_topbar, "checking the index…")

        searchable = 0  # files of a first build already committed: searched meanwhile

        def progress(done: int, total: int, article_id: str) -> None:
            status = f"indexing {done:,}/{total:,}" if done < total else "writing the index…"
            if searchable:
                status += f" · searching the first {searchable:,}"
            self.call_from_thread(self._set_topbar, status)

        def published(done: int) -> None:
            nonlocal searchable
            searchable = done
            self.lib.index.refresh()
            self.call_from_thread(self._partly_indexed)

        try:
            # An index that cannot be updated (locked, read-only, not a folder) still gets the
            # annotations re-anchored against the files; the report says why it stayed.
            report = self.lib.index.ensure(progress=progress, published=published)
            if report is not None and report.failed:
                if not self.lib.index.exists():
                    raise GloseError(report.failed)
                message = f"{report.failed}; searching the index as it is"
                if report.annotations is not None and report.annotations.changed:
                    message += "\n" + report.annotations.summary()
                self.call_from_thread(
                    self.notify,
                    message,
                    severity="warning",
                    markup=False,
                    timeout=8,
                )
            elif report is not None and report.rebuilt and report.action != "built":
                self.call_from_thread(
                    self.notify, f"Index {report.action}", severity="warning", markup=False, timeout=8
                )
            self.lib.index.refresh()
            count = self.lib.articles.head(0)[1]
            self.engine_name = self.lib.index.engine_name() or ""
            advice = self.lib.index.advice()
            if advice and not self._advised:
                self._advised = True
                self.call_from_thread(self.notify, advice, markup=False, timeout=10)
            for note in report.notes if report is not None else ():
                self.call_from_thread(self.notify, note, severity="warning", markup=False, timeout=8)
        except GloseError as exc:
            self.call_from_thread(self._index_failed, str(exc))
            return
        except Exception as exc:  # a failed background build is a message, never the app's end
            self.call_from_thread(self._index_failed, f"indexing failed: {type(exc).__name__}: {exc}")
            return
        finally:
            self.indexing = False
        self.call_from_thread(self._index_done, count, report)

    def _partly_indexed(self) -> None:
        """A first build committed a batch: the list and searches cover what it holds so far."""
        self.engine_ready = True
        self.search_panel.again()

    def _index_failed(self, message: str) -> None:
        self._set_topbar("index unavailable")
        self.notify(message, severity="error", markup=False, timeout=10)
        self.ready = True

    def _index_done(self, count: int, report) -> None:
        self.engine_ready = True
        self._set_topbar(" · ".join(x for x in (counted(count, "article"), self.engine_name) if x))
        if report is not None and (report.changed or report.skipped):
            message = f"Index: {report.summary()}"
            if report.annotations is not None and report.annotations.changed:
                message += "\n" + report.annotations.summary()
            self.notify(message, markup=False, timeout=6)
        self.search_panel.again()
        self.reload_open_articles()
        self.ready = True

    # --- messages from the panels ---------------------------------------------------------------

    @on(SearchPanel.QueryShown)
    def _query_shown(self, event: SearchPanel.QueryShown) -> None:
        for pane in self.panes():
            pane.show_hits(event.compiled)

    @on(SearchPanel.ArticleChosen)
    def _article_chosen(self, event: SearchPanel.ArticleChosen) -> None:
        self.open_article(event.article, self.active)

    @on(ReaderPane.Opened)
    def _opened(self, event: ReaderPane.Opened) -> None:
        event.pane.show_hits(self.search_panel.compiled)
        if self.compare.active:  # coder A's reader keeps the keys
            self.compare.opened(event.pane)
        else:
            self.set_active(event.pane.id)
        self.across.update()
        self._save_session(self.session_state())

    @on(ReaderPane.MarksChanged)
    def _marks_changed(self, event: ReaderPane.MarksChanged) -> None:
        if event.pane.id == self.active:
            self.refresh_panel()
        self._note_for(event.pane.reader)

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
                markup=False,
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

    def set_active(self, name: str) -> None:
        if name != self.active:
            self.active = name
            for pane in self.reader_panes.values():
                pane.set_class(pane.id == name, "-active")
            self.panes_layout.fit()
            self.refresh_panel()

    def _note_for(self, reader: Reader) -> None:
        """The bar under the reader: the annotation under the cursor (tags, note) or the
        passage selected, with what can be done to it, clickable."""
        pane = reader.parent
        if not isinstance(pane, ReaderPane):
            return
        marks = reader.marks_at(reader.cursor)
        ann = pane.annotations.get(marks[0].id) if marks else None
        passage = reader.passage
        # Comparing coders, a disagreement under the cursor comes first (unless selecting).
        disputed = self.compare.note(reader) if reader.selection is None else None
        if disputed is not None:
            pane.set_note(disputed if ann is None else Content.assemble(note_content(ann, 1), "\n", disputed))
        elif passage is not None:
            pane.set_note(
                Content.assemble((counted(passage[1] - passage[0], "character"), "bold"), "  ", PASSAGE_LINKS)
            )
        elif ann is not None:
            several = len(self.annotations_panel.coders) > 1
            pane.set_note(Content.assemble(note_content(ann, len(marks), several), "\n", ANNOTATION_LINKS))
        else:
            pane.set_note(None)

    @on(Reader.CursorMoved)
    def cursor_moved(self, event: Reader.CursorMoved) -> None:
        reader = event.reader
        self._note_for(reader)
        pane = reader.parent
        if self.sync_scroll and self.split and isinstance(pane, ReaderPane):
            other = self.pane("right" if pane.id == "left" else "left").reader
            if other.article_id and reader.layout_ and other.layout_:
                ratio = reader.scroll_y / max(1, len(reader.layout_))
                other.scroll_to(y=ratio * len(other.layout_), animate=False)

    def on_descendant_focus(self, event) -> None:
        widget = event.widget
        if isinstance(widget, Reader) and isinstance(widget.parent, ReaderPane):
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
            return
        if self.search_panel.results.option_count:
            focus_now(self.search_panel.results)
        else:
            focus_now(self.reader)





    def action_toggle_split(self) -> None:
        if self.compare.active and self.split:
            self.compare.leave()  # the comparison is a split: unsplitting ends it
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

    def action_next_pane(self) -> None:
        """tab in a reader: to the other reader when the view is split (never round into the
        search box, where the next command key would be typed), else on along the screen."""
        if self.split and isinstance(self.focused, Reader):
            other = "right" if self.active == "left" else "left"
            self.set_active(other)  # shown first: one reader at a time in a narrow terminal
            focus_now(self.pane(other).reader)
        else:
            self.screen.focus_next()

    def action_focus_next(self) -> None:
        self._focus_step(1)

    def action_focus_previous(self) -> None:
        self._focus_step(-1)

    def _focus_step(self, delta: int) -> None:
        """tab from the side column into the readers goes to the active one (the one just
        opened by ``o``), not to whichever comes first on the screen."""
        screen = self.screen
        chain, focused = screen.focus_chain, self.focused
        if self.split and focused in chain and self.panes_layout.focus_in_side():
            following = chain[(chain.index(focused) + delta) % len(chain)]
            if isinstance(following, Reader):
                focus_now(self.reader)
                return
        if delta > 0:
            screen.focus_next()
        else:
            screen.focus_previous()

    def action_toggle_sync(self) -> None:
        self.sync_scroll = not self.sync_scroll
        self.notify(f"synchronised scrolling {'on' if self.sync_scroll else 'off'}", markup=False, timeout=2)

    # --- the annotations list ------------------------------------------------------------------

    def refresh_panel(self) -> None:
        self.annotations_panel.show(article=self.reader.article_id)

    def action_filter_annotations(self) -> None:
        def done(which: AnnotationFilter | None) -> None:
            if which is not None:
                self.annotations_panel.show(which, article=self.reader.article_id, focus=True)

        from .screens.choosers import FilterDialog  # the dialogs load when first opened: a faster start

        panel = self.annotations_panel
        self.push_screen(FilterDialog(self.codebook, panel.coders, panel.filter), done)

    def action_all_annotations(self) -> None:
        showing_all = self.annotations_panel.filter.scope == "all"
        which = AnnotationFilter("article" if showing_all else "all")
        self.annotations_panel.show(which, article=self.reader.article_id, focus=True)

    def action_trash(self) -> None:
        self.annotations_panel.show(AnnotationFilter("trash"), article=self.reader.article_id, focus=True)


    @property
    def shared(self) -> list:
        """The passages the two open articles share."""
        return self.across.spans

    def show_shared_list(self) -> None:
        self.across.show_shared_list()




    def action_review(self) -> None:
        self.annotations_panel.show(AnnotationFilter("review"), article=self.reader.article_id, focus=True)

    def action_list_shared(self) -> None:
        self.annotations_panel.show(AnnotationFilter("shared"), article=self.reader.article_id, focus=True)

    # --- coding (see coding.py) ---------------------------------------------------------------









    # --- outside changes ----------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="poll")
    def poll(self) -> None:
        """See annotations written by another glose (a CLI call) and files edited meanwhile."""
        self._polls += 1
        try:
            version = self.lib.data_version()
        except GloseError:
            return
        if self._data_version is not None and version != self._data_version:
            self.call_from_thread(self.reload_open_articles)
        self._data_version = version
        if self._polls % 5 == 0 and not self.indexing and self.engine_ready and self.lib.index.needs_update():
            self.call_from_thread(self.update_index)

    # --- screens ------------------------------------------------------------------------------

    def action_codebook(self) -> None:
        from .screens.codebook import CodebookScreen

        def done(tag: str | None) -> None:
            if tag is not None:
                self.annotations_panel.show(AnnotationFilter.of_tag(tag), article=self.reader.article_id)
            self.reload_open_articles()

        self.push_screen(CodebookScreen(self.lib), done)



    def action_help(self) -> None:
        from .screens.choosers import HelpScreen

        self.push_screen(HelpScreen(self.binding_sections()))

    def binding_sections(self) -> list[tuple[str, list[tuple[str, str]]]]:
        return actions.help_sections(self, Reader.BINDINGS)

    def get_system_commands(self, screen: Screen):
        yield from super().get_system_commands(screen)
        for action in actions.palette():
            yield SystemCommand(action.palette, action.help, self._runner(action.action))

    def _runner(self, action: str) -> Callable[[], None]:
        return lambda: self.run_action(action)


# Fixed text of ours, so markup is safe here: links that run the same actions as the keys.
PASSAGE_LINKS = Content.from_markup(
    "[@click=app.do('coding','annotate')]annotate (a)[/]  ·  [@click=app.do('across','where_else')]where else (W)[/]"
    "  ·  [@click=app.do('reader','action_clear_selection')]clear (escape)[/]"
).stylize("$text-muted")
ANNOTATION_LINKS = Content.from_markup(
    "[@click=app.do('coding','edit')]edit (e)[/]  ·  [@click=app.do('coding','delete')]delete (d)[/]  ·  "
    "[@click=app.do('across','where_else')]where else (W)[/]  ·  [@click=app.do('coding','undo')]undo (u)[/]"
).stylize("$text-muted")


def note_content(ann: Annotation, depth: int, coder: bool = False) -> Content:
    """``coder``: say who made it (there are several coders)."""
    parts: list = [(", ".join(ann.tags) or "no tag", "bold")]
    if coder:
        parts.append((f"  by {terminal(ann.coder) or '?'}", "$text-muted"))
    if depth > 1:
        parts.append((f"  (+{depth - 1} overlapping)", "$text-muted"))
    if ann.status != "anchored":
        parts.append((f"  {ann.status}", "$warning"))
    if ann.note:
        parts += ["\n", ann.note]
    return Content.assemble(*parts)


def run(lib: Library) -> None:
    GloseApp(lib).run()
