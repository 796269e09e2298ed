"""The Glose app: search on the left, one or two readers on the right, annotations below.

It calls the same core functions as the CLI (workspace, search, store, annotating, export).
Anything that touches the disk or the index runs in a thread worker; results come back to
the UI thread with ``call_from_thread``. Every string from files, tags and notes is turned
into ``Content`` literally (see ``Content(...)`` and ``Content.assemble`` with plain strings).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from ..annotating import ArticleText, article_text, open_store
from ..errors import GloseError
from ..store import Annotation, Store
from ..workspace import Workspace, ensure_index, open_engine
from .dialogs import AnnotateDialog, AnnotationInput, ExportDialog, ExportRequest, HelpScreen, PromptDialog
from .history import History
from .reader import Mark, Reader

if TYPE_CHECKING:  # the search engine loads in a worker, after the first screen
    from ..query import Compiled
    from ..search import SearchEngine

SEARCH_DEBOUNCE = 0.15
RESULTS_LIMIT = 200
SNIPPETS = 40  # results that get a snippet (the rest show title and date only)
POLL_SECONDS = 2.0


class ReaderPane(Vertical):
    """A reader with its header (title, date, source) and the note bar below it."""

    DEFAULT_CSS = """
    ReaderPane { width: 1fr; border-left: tall $panel-lighten-1; }
    ReaderPane.-active { border-left: tall $accent; }
    ReaderPane > .pane-title, ReaderPane > .pane-details {
        height: 1; padding: 0 1; background: $panel; text-wrap: nowrap; text-overflow: ellipsis;
    }
    ReaderPane > .pane-title { text-style: bold; }
    ReaderPane > .pane-details { color: $text-muted; }
    ReaderPane > .note-bar { height: auto; max-height: 5; padding: 0 1; background: $panel; color: $text; }
    ReaderPane > .note-bar.-empty { display: none; }
    """

    def compose(self) -> ComposeResult:
        yield Static(Content(""), classes="pane-title")
        yield Static(Content(""), classes="pane-details")
        yield Reader(id=f"{self.id}-reader")
        yield Static(Content(""), classes="note-bar -empty")

    @property
    def reader(self) -> Reader:
        return self.query_one(Reader)

    def set_header(self, title: str, details: str) -> None:
        self.query_one(".pane-title", Static).update(Content(title))
        self.query_one(".pane-details", Static).update(Content(details))

    def set_note(self, content: Content | None) -> None:
        bar = self.query_one(".note-bar", Static)
        bar.set_class(content is None, "-empty")
        bar.update(content or Content(""))


class GloseApp(App[None]):
    TITLE = "Glose"
    CSS_PATH = "glose.tcss"

    BINDINGS = [
        Binding("slash", "focus_search", "Search", id="app.search"),
        Binding("escape", "leave_search", "Leave search", show=False, id="app.leave-search"),
        Binding("s", "toggle_split", "Split", id="app.split"),
        Binding("o", "open_other", "Open in other", show=False, id="app.open-other"),
        Binding("S", "toggle_sync", "Sync scroll", show=False, id="app.sync"),
        Binding("a", "annotate", "Annotate", id="app.annotate"),
        Binding("e", "edit", "Edit", show=False, id="app.edit"),
        Binding("d", "delete", "Delete", show=False, id="app.delete"),
        Binding("u", "undo", "Undo", show=False, id="app.undo"),
        Binding("ctrl+r,U", "redo", "Redo", show=False, id="app.redo"),
        Binding("full_stop", "repeat_coding", "Repeat coding", show=False, id="app.repeat"),
        *[
            Binding(str(n), f"quick_tag({n})", f"Tag {n}", show=False, id=f"app.tag-{n}")
            for n in range(1, 10)
        ],
        Binding("f", "filter_annotations", "Filter", show=False, id="app.filter"),
        Binding("A", "all_annotations", "All annotations", show=False, id="app.all-annotations"),
        Binding("r", "reattach", "Re-attach", show=False, id="app.reattach"),
        Binding("K", "concordance", "Concordance", show=False, id="app.concordance"),
        Binding("W", "where_else", "Where else", show=False, id="app.where-else"),
        Binding("p", "shared(1)", "Next shared passage", show=False, id="app.shared-next"),
        Binding("P", "shared(-1)", "Previous shared passage", show=False, id="app.shared-prev"),
        Binding("c", "codebook", "Codebook", id="app.codebook"),
        Binding("x", "export", "Export", id="app.export"),
        Binding("question_mark", "help", "Keys", id="app.help"),
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True, id="app.quit-anywhere"),
    ]

    def __init__(self, ws: Workspace):
        super().__init__()
        self.ws = ws
        self.engine: SearchEngine | None = None
        self.store: Store | None = None
        self.history = History()
        self.compiled: Compiled | None = None
        self.query_text = ""
        self.split = False
        self.sync_scroll = False
        self.active = "left"
        self.positions: dict[str, tuple[int, float]] = {}
        self.shared: list = []  # passages the two open articles share (passages.SharedSpan)
        self.annotations: dict[str, Annotation] = {}  # live annotations of the open articles, by id
        self.panel_filter: str | None = None  # None: the active article; "*": all; else a tag name
        self.last_coding: list[str] | None = None
        self.indexing = False
        self._search_timer: Timer | None = None
        self._data_version: int | None = None
        self._polls = 0
        self.ready = False  # the first index check is done (tests wait on it)
        self.shown_query: str | None = None  # the query whose results are on screen

    # --- layout -----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(Content(""), id="topbar")
        with Horizontal(id="main"):
            with Vertical(id="side"):
                yield Input(placeholder='Search (/)  e.g. deshabiller, "service premium"', id="query")
                yield Static(Content(""), id="search-status")
                yield OptionList(id="results")
                yield Static(Content("Annotations"), id="annotations-title")
                yield OptionList(id="annotations")
            with Horizontal(id="readers"):
                yield ReaderPane(id="left", classes="-active")
                yield ReaderPane(id="right")
        yield Footer()

    def on_mount(self) -> None:
        keys = self.ws.config.get("keys")
        if isinstance(keys, dict):
            self.set_keymap({str(k): str(v) for k, v in keys.items()})
        theme = self.ws.config.get("theme")
        if isinstance(theme, str) and theme in self.available_themes:
            self.theme = theme
        self.query_one("#right", ReaderPane).display = False
        self._set_topbar("")
        try:
            self.store = open_store(self.ws)
            self._data_version = self.store.data_version()
        except GloseError as exc:
            self.notify(str(exc), severity="error", markup=False, timeout=10)
        self.query_one("#query", Input).focus()
        self.refresh_annotations_panel()
        self.update_index()
        self.set_interval(POLL_SECONDS, self.poll)

    def _set_topbar(self, status: str) -> None:
        name = self.ws.root.name or str(self.ws.root)
        parts = [("Glose", "bold $accent"), "  ", (name, "bold")]
        if status:
            parts += ["  ", (status, "$text-muted")]
        self.query_one("#topbar", Static).update(Content.assemble(*parts))

    # --- index ------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="index")
    def update_index(self) -> None:
        """Bring the index up to date (the app is usable meanwhile), then search again."""
        self.indexing = True
        self.call_from_thread(self._set_topbar, "checking the index…")

        def progress(done: int, total: int, article_id: str) -> None:
            self.call_from_thread(self._set_topbar, f"indexing {done}/{total}")

        report = None
        try:
            try:
                report = ensure_index(self.ws, progress=progress)
            except GloseError as exc:
                if not (self.ws.index / "state.json").exists():
                    raise
                # read-only or full disk: the index as it is still serves searches
                self.call_from_thread(
                    self.notify,
                    f"{exc}; searching the index as it is",
                    severity="warning",
                    markup=False,
                    timeout=8,
                )
            engine = self.engine
            if engine is None:
                engine = open_engine(self.ws)
            else:
                engine.refresh()
        except GloseError as exc:
            self.call_from_thread(self._index_failed, str(exc))
            return
        finally:
            self.indexing = False
        self.call_from_thread(self._index_done, engine, report)

    def _index_failed(self, message: str) -> None:
        self._set_topbar("index unavailable")
        self.notify(message, severity="error", markup=False, timeout=10)
        self.ready = True

    def _index_done(self, engine: SearchEngine, report) -> None:
        self.engine = engine
        count = len(engine.ids())
        self._set_topbar(f"{count} articles")
        if report is not None and (report.changed or report.skipped):
            message = f"Index: {report.summary()}"
            if report.annotations is not None and report.annotations.changed:
                message += "\n" + report.annotations.summary()
            self.notify(message, markup=False, timeout=6)
        self.run_search(self.query_text)
        self.reload_open_articles()
        self.ready = True

    # --- search -----------------------------------------------------------------------------

    @on(Input.Changed, "#query")
    def query_changed(self, event: Input.Changed) -> None:
        if self._search_timer is not None:
            self._search_timer.stop()
        self._search_timer = self.set_timer(SEARCH_DEBOUNCE, lambda: self.run_search(event.value))

    @on(Input.Submitted, "#query")
    def query_submitted(self, event: Input.Submitted) -> None:
        if self._search_timer is not None:
            self._search_timer.stop()
        self.run_search(event.value)
        self.query_one("#results", OptionList).focus()

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def run_search(self, query: str) -> None:
        engine = self.engine
        self.query_text = query
        if engine is None:
            self.call_from_thread(self._show_status, Content("indexing… results will come"))
            return
        try:
            if not query.strip():
                hits = engine.catalog()
                compiled, rows = None, [(h, None) for h in hits]
                total = len(hits)
            else:
                results = engine.search(query, limit=RESULTS_LIMIT)
                compiled, total = results.compiled, None
                rows = []
                for n, hit in enumerate(results.hits):
                    snippet = None
                    if n < SNIPPETS:
                        try:
                            snippet = engine.snippet(hit.article, compiled.highlight)
                        except GloseError:
                            snippet = None
                    rows.append((hit, snippet))
        except GloseError as exc:
            self.call_from_thread(self._show_status, Content.styled(str(exc), "$error"))
            return
        self.call_from_thread(self._show_results, query, compiled, rows, total)
        if total is None:  # the results are on screen; counting every match comes after
            try:
                total = results.total
            except GloseError:
                return
            self.call_from_thread(self._show_count, query, total)

    def _show_count(self, query: str, total: int) -> None:
        if query == self.shown_query:
            label = f"{total} article{'s' * (total != 1)}" if total else "no article matches"
            self.query_one("#search-status", Static).update(Content.styled(label, "bold"))

    def _show_status(self, content: Content) -> None:
        self.query_one("#search-status", Static).update(content)

    def _show_results(self, query: str, compiled: Compiled | None, rows, total: int | None) -> None:
        if query != self.query_one("#query", Input).value and self.query_one("#query", Input).value.strip():
            return  # typed on since: a newer search is coming
        self.shown_query = query
        self.compiled = compiled
        options = [Option(_result_content(hit, snippet), id=hit.article) for hit, snippet in rows]
        results = self.query_one("#results", OptionList)
        results.set_options(options)
        if options:
            results.highlighted = 0
        if query.strip():
            if total is None:
                label = f"{len(rows)}+ articles" if rows else "no article matches"
            else:
                label = f"{total} article{'s' * (total != 1)}" if total else "no article matches"
            status = Content.styled(label, "bold")
        else:
            status = Content.styled(f"{total} articles — type to search", "$text-muted")
        self.query_one("#search-status", Static).update(status)
        self.refresh_hits()

    def refresh_hits(self) -> None:
        for pane in self.panes():
            self._load_hits(pane.reader)

    def _load_hits(self, reader: Reader) -> None:
        if reader.article_id is None or self.engine is None:
            return
        if self.compiled is None or not self.compiled.highlight:
            reader.set_hits([])
            return
        from ..search import find_hits

        reader.set_hits(list(find_hits(reader.text, self.compiled.highlight, self.ws.language)))

    @on(OptionList.OptionSelected, "#results")
    def result_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.open_article(event.option.id, self.active)

    def action_open_other(self) -> None:
        results = self.query_one("#results", OptionList)
        option = results.highlighted_option
        if option is None or option.id is None:
            return
        other = "right" if self.active == "left" else "left"
        if not self.split:
            self.action_toggle_split()
            other = "right"
        self.open_article(option.id, other)

    # --- readers ----------------------------------------------------------------------------

    def panes(self) -> list[ReaderPane]:
        panes = [self.query_one("#left", ReaderPane)]
        if self.split:
            panes.append(self.query_one("#right", ReaderPane))
        return panes

    def pane(self, name: str | None = None) -> ReaderPane:
        return self.query_one(f"#{name or self.active}", ReaderPane)

    @property
    def reader(self) -> Reader:
        return self.pane().reader

    def open_article(self, article_id: str, pane: str, then: Callable[[Reader], None] | None = None) -> None:
        self._load_article(article_id, pane, then)

    @work(thread=True, group="open")
    def _load_article(self, article_id: str, pane: str, then) -> None:
        try:
            doc = article_text(self.ws, article_id)
            info = self.engine.info(doc.id) if self.engine else None
            anns = self.store.annotations(article=doc.id) if self.store else []
            if self.store is not None and any(a.article_hash != doc.hash for a in anns):
                self.store.reanchor(doc.id, doc.text, doc.hash)  # the file changed since
                anns = self.store.annotations(article=doc.id)
            colors = self._tag_colors()
        except GloseError as exc:
            self.call_from_thread(self.notify, str(exc), severity="error", markup=False)
            return
        self.call_from_thread(self._show_article, doc, info, anns, colors, pane, then)

    def _show_article(
        self, doc: ArticleText, info, anns: list[Annotation], colors, pane_name: str, then
    ) -> None:
        pane = self.pane(pane_name)
        reader = pane.reader
        if reader.article_id is not None:
            self.positions[reader.article_id] = reader.scroll_state
        cursor, scroll = self.positions.get(doc.id, (0, 0.0))
        reader.load(doc.id, doc.text, cursor=cursor, scroll_y=scroll)
        title = info.title if info else doc.id
        details = " · ".join(
            x for x in ((info.date if info else None), (info.source if info else None), doc.id) if x
        )
        pane.set_header(title, details)
        self._set_marks(reader, anns, colors)
        self._load_hits(reader)
        self.set_active(pane_name)
        reader.focus()
        if then is not None:
            then(reader)
        self.update_shared()

    def _set_marks(self, reader: Reader, anns: list[Annotation], colors: dict[str, str]) -> None:
        """Show ``anns`` in ``reader`` (``colors``, tag → color, read by the calling worker)."""
        for ann_id in [i for i, a in self.annotations.items() if a.article == reader.article_id]:
            del self.annotations[ann_id]
        marks = []
        for ann in anns:
            self.annotations[ann.id] = ann
            if ann.status == "orphaned" or ann.deleted:
                continue
            color = colors.get(ann.tags[0].casefold(), "#8C8C8C") if ann.tags else "#8C8C8C"
            marks.append(Mark(ann.id, ann.start, ann.end, color, ", ".join(ann.tags)))
        reader.set_marks(marks)
        if reader is self.reader:
            self.refresh_annotations_panel()

    def _tag_colors(self) -> dict[str, str]:
        if self.store is None:
            return {}
        return {t.name.casefold(): t.color for t in self.store.tags()}

    def reload_open_articles(self) -> None:
        for pane in self.panes():
            if pane.reader.article_id:
                self._reload_marks(pane.id)
        self.refresh_annotations_panel()

    @work(thread=True, group="marks")
    def _reload_marks(self, pane_name: str) -> None:
        reader = self.pane(pane_name).reader
        article = reader.article_id
        if article is None or self.store is None:
            return
        anns = self.store.annotations(article=article)
        self.call_from_thread(self._apply_marks, pane_name, article, anns, self._tag_colors())

    def _apply_marks(
        self, pane_name: str, article: str, anns: list[Annotation], colors: dict[str, str]
    ) -> None:
        reader = self.pane(pane_name).reader
        if reader.article_id == article:
            self._set_marks(reader, anns, colors)

    def set_active(self, name: str) -> None:
        if name != self.active:
            self.active = name
            for pane in self.query(ReaderPane):
                pane.set_class(pane.id == name, "-active")
            self.refresh_annotations_panel()

    @on(Reader.CursorMoved)
    def cursor_moved(self, event: Reader.CursorMoved) -> None:
        reader = event.reader
        pane = reader.parent
        if isinstance(pane, ReaderPane):
            marks = reader.marks_at(reader.cursor)
            ann = self.annotations.get(marks[0].id) if marks else None
            pane.set_note(_note_content(ann, len(marks)) if ann else None)
            if self.sync_scroll and self.split:
                other = self.pane("right" if pane.id == "left" else "left").reader
                if other.article_id and reader.layout_ and other.layout_:
                    ratio = reader.scroll_y / max(1, len(reader.layout_))
                    other.scroll_to(y=ratio * len(other.layout_), animate=False)

    def on_descendant_focus(self, event) -> None:
        widget = event.widget
        if isinstance(widget, Reader) and isinstance(widget.parent, ReaderPane):
            self.set_active(widget.parent.id)

    def action_focus_search(self) -> None:
        self.query_one("#query", Input).focus()

    def action_leave_search(self) -> None:
        """escape in the search box: on to the results, or to the reader when there are none."""
        if self.focused is not self.query_one("#query", Input):
            return
        results = self.query_one("#results", OptionList)
        if results.option_count:
            results.focus()
        else:
            self.reader.focus()

    def action_toggle_split(self) -> None:
        self.split = not self.split
        right = self.query_one("#right", ReaderPane)
        right.display = self.split
        if self.split:
            if right.reader.article_id is None:
                right.reader.clear("Open an article here: select a result and press o (or enter here).")
            self.set_active("right")
            right.reader.focus()
        else:
            self.set_active("left")
            self.pane("left").reader.focus()
        self.update_shared()

    # --- shared passages ---------------------------------------------------------------------

    def update_shared(self) -> None:
        left, right = self.pane("left").reader, self.pane("right").reader
        if not self.split or left.article_id is None or right.article_id is None:
            self.shared = []
            left.set_shared([])
            right.set_shared([])
            return
        self._compute_shared(left.article_id, left.text, right.article_id, right.text)

    @work(thread=True, exclusive=True, group="shared")
    def _compute_shared(self, a_id: str, a_text: str, b_id: str, b_text: str) -> None:
        from ..passages import shared_passages

        spans = shared_passages(a_text, b_text)
        self.call_from_thread(self._show_shared, a_id, b_id, spans)

    def _show_shared(self, a_id: str, b_id: str, spans) -> None:
        left, right = self.pane("left").reader, self.pane("right").reader
        if (left.article_id, right.article_id) != (a_id, b_id):
            return
        self.shared = spans
        left.set_shared([(s.a_start, s.a_end) for s in spans])
        right.set_shared([(s.b_start, s.b_end) for s in spans])
        if spans:
            words = sum(s.words for s in spans)
            self.notify(
                f"{len(spans)} passage(s) shared by the two articles ({words} words): p jumps to them",
                markup=False,
                timeout=4,
            )
        if self.panel_filter == "shared":
            self.refresh_annotations_panel()

    def action_shared(self, delta: int) -> None:
        if not self.split or not self.shared:
            self.notify(
                "no shared passages: open two articles side by side (s, then o)", markup=False, timeout=3
            )
            return
        side = "a" if self.active == "left" else "b"
        reader = self.reader
        starts = [getattr(s, f"{side}_start") for s in self.shared]
        if delta > 0:
            i = next((n for n, x in enumerate(starts) if x > reader.cursor), 0)
        else:
            i = next(
                (n for n in range(len(starts) - 1, -1, -1) if starts[n] < reader.cursor), len(starts) - 1
            )
        self.show_shared(i)

    def show_shared(self, i: int) -> None:
        span = self.shared[i]
        left, right = self.pane("left").reader, self.pane("right").reader
        for reader, start in ((left, span.a_start), (right, span.b_start)):
            reader.jump_to(start)
            reader.scroll_to(y=max(0, reader.layout_.line_of(start) - 2), animate=False, immediate=True)

    # --- concordance and where else --------------------------------------------------------------

    def action_concordance(self) -> None:
        from .across import ConcordanceScreen

        query = self.query_one("#query", Input).value.strip()
        if self.engine is None or not query:
            self.notify("type a search first: the concordance lists every hit of it", markup=False, timeout=3)
            return
        self.push_screen(ConcordanceScreen(self.engine, query, self._codebook_names()), self._after_across)

    def action_where_else(self) -> None:
        reader = self.reader
        if self.engine is None or reader.article_id is None:
            return
        span = reader.selection
        if span is None:
            marks = reader.marks_at(reader.cursor)
            span = (marks[0].start, marks[0].end) if marks else None
        if span is None:
            self.notify(
                "select a passage (or move onto an annotation) to look for it elsewhere",
                markup=False,
                timeout=3,
            )
            return
        self._where_else(reader.article_id, reader.text[span[0] : span[1]], span)

    @work(thread=True, exclusive=True, group="where")
    def _where_else(self, article: str, passage: str, span: tuple[int, int]) -> None:
        from ..passages import where_else

        try:
            found = where_else(self.engine, passage, exclude=(article, *span))
        except GloseError as exc:
            self.call_from_thread(self.notify, str(exc), severity="error", markup=False)
            return
        self.call_from_thread(self._show_where_else, passage, found)

    def _show_where_else(self, passage: str, found) -> None:
        from .across import WhereElseScreen

        if not found:
            self.notify("this passage appears in no other article", markup=False, timeout=3)
            return
        self.push_screen(WhereElseScreen(passage, found), self._after_across)

    def _after_across(self, result) -> None:
        from .across import CodeAll, Place

        if isinstance(result, Place):
            target = self.active
            if self.reader.article_id not in (None, result.article) and self.split:
                target = "right" if self.active == "left" else "left"
            self.open_article(result.article, target, lambda r: r.select(result.start, result.end))
        elif isinstance(result, CodeAll):
            self.code_all(result)

    def code_all(self, request) -> None:
        from ..corpus import content_hash

        def write() -> tuple[list, list]:
            texts: dict[str, str] = {}
            items = []
            for line in request.lines:
                if line.article not in texts:
                    texts[line.article] = self.engine.text(line.article)
                text = texts[line.article]
                items.append((line.article, text, content_hash(text), line.start, line.end))
            made = self.store.create_many(items, tags=[request.tag])
            return [None] * len(made), made

        self._change(f"code {len(request.lines)} hits", write)
        self.notify(
            f"tagging {len(request.lines)} occurrences with {request.tag} (u undoes it)",
            markup=False,
            timeout=4,
        )
        self.last_coding = [request.tag]

    def action_toggle_sync(self) -> None:
        self.sync_scroll = not self.sync_scroll
        self.notify(f"synchronised scrolling {'on' if self.sync_scroll else 'off'}", markup=False, timeout=2)

    # --- annotations panel -----------------------------------------------------------------

    def refresh_annotations_panel(self) -> None:
        self._load_panel(self.panel_filter, self.reader.article_id)

    @work(thread=True, exclusive=True, group="panel")
    def _load_panel(self, panel_filter: str | None, article: str | None) -> None:
        if self.store is None:
            return
        try:
            if panel_filter is None:
                anns = self.store.annotations(article=article) if article else []
                title = (
                    f"Annotations of this article ({len(anns)})"
                    if article
                    else "Annotations (open an article)"
                )
            elif panel_filter == "*":
                anns = self.store.annotations()
                title = f"All annotations ({len(anns)})"
            elif panel_filter == "shared":
                self.call_from_thread(self._show_shared_panel)
                return
            elif panel_filter == "review":
                anns = self.store.annotations(review=True)
                title = f"To review: moved and orphaned ({len(anns)})"
            else:
                anns = self.store.annotations(tag=panel_filter)
                title = f"Tag {panel_filter} ({len(anns)})"
            colors = self._tag_colors()
        except GloseError as exc:
            anns, title, colors = [], str(exc), {}
        self.call_from_thread(self._show_panel, title, anns, colors)

    def _show_panel(self, title: str, anns: list[Annotation], colors: dict[str, str]) -> None:
        self.query_one("#annotations-title", Static).update(Content.styled(title, "bold"))
        show_article = self.panel_filter is not None
        options = [Option(_annotation_content(a, colors, show_article), id=a.id) for a in anns]
        self.query_one("#annotations", OptionList).set_options(options)

    def _show_shared_panel(self) -> None:
        left = self.pane("left").reader
        title = (
            f"Shared passages ({len(self.shared)})" if self.split else "Shared passages (split the view: s)"
        )
        self.query_one("#annotations-title", Static).update(Content.styled(title, "bold"))
        options = [
            Option(
                Content.assemble(
                    (f"{s.words} words ", "bold"),
                    ("" if s.exact else "≈ ", "$warning"),
                    _short(left.text[s.a_start : s.a_end], 90),
                ),
                id=f"shared:{n}",
            )
            for n, s in enumerate(self.shared)
        ]
        self.query_one("#annotations", OptionList).set_options(options)

    def action_list_shared(self) -> None:
        self.panel_filter = "shared"
        self.refresh_annotations_panel()
        self.query_one("#annotations", OptionList).focus()

    @on(OptionList.OptionSelected, "#annotations")
    def annotation_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is None or self.store is None:
            return
        if event.option.id.startswith("shared:"):
            self.show_shared(int(event.option.id.removeprefix("shared:")))
            return
        try:
            ann = self.store.get(event.option.id)
        except GloseError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        if ann.status == "orphaned":
            self.notify(
                f"“{_short(ann.exact, 60)}” is orphaned: its text is gone. Select a new passage and press r "
                "here to re-attach it.",
                markup=False,
                timeout=6,
            )
            return

        def show(reader: Reader) -> None:
            reader.jump_to(ann.start, ann.end)
            reader.anchor = None
            reader.jump_to(ann.start)

        if self.reader.article_id == ann.article:
            show(self.reader)
            self.reader.focus()
        else:
            self.open_article(ann.article, self.active, show)

    def action_filter_annotations(self) -> None:
        names = [t.name for t in self.store.tags()] if self.store else []

        def done(value: str | None) -> None:
            if value is None:
                return
            value = value.strip()
            self.panel_filter = {"": None, "*": "*", "all": "*", "review": "review", "shared": "shared"}.get(
                value.lower(), value
            )
            self.refresh_annotations_panel()

        self.push_screen(
            PromptDialog(
                "Show the annotations of… (a tag, * for all, review, shared, or empty for this article)",
                help="Tags: " + ", ".join(names[:30]),
                suggestions=names,
            ),
            done,
        )

    def action_all_annotations(self) -> None:
        self.panel_filter = None if self.panel_filter == "*" else "*"
        self.refresh_annotations_panel()

    def action_review(self) -> None:
        self.panel_filter = "review"
        self.refresh_annotations_panel()
        self.query_one("#annotations", OptionList).focus()

    # --- changing annotations ----------------------------------------------------------------

    def _current_annotation(self) -> Annotation | None:
        """The annotation the user means: highlighted in the panel when it has focus, else
        the innermost one under the reader's cursor."""
        panel = self.query_one("#annotations", OptionList)
        if panel.has_focus and panel.highlighted_option is not None:
            return self.store.get(panel.highlighted_option.id) if self.store else None
        marks = self.reader.marks_at(self.reader.cursor)
        return self.annotations.get(marks[0].id) if marks else None

    def _codebook_names(self) -> list[str]:
        return [t.name for t in self.store.tags()] if self.store else []

    def action_annotate(self) -> None:
        reader = self.reader
        if self.store is None or reader.article_id is None:
            self.notify("open an article first", markup=False, timeout=3)
            return
        selection = reader.selection
        if selection is None:
            if reader.marks_at(reader.cursor):
                self.action_edit()
                return
            self.notify(
                "select a passage first: v then w, ) or }, or drag with the mouse", markup=False, timeout=4
            )
            return
        start, end = selection
        article, text = reader.article_id, reader.text

        def done(result: AnnotationInput | None) -> None:
            if result is not None:
                self.create_annotation(article, text, start, end, result.tags, result.note)

        self.push_screen(AnnotateDialog("New annotation", text[start:end], self._codebook_names()), done)

    def create_annotation(
        self, article: str, text: str, start: int, end: int, tags: list[str], note: str
    ) -> None:
        from ..corpus import content_hash

        def write() -> tuple[list, list]:
            ann = self.store.create(article, text, content_hash(text), start, end, tags=tags, note=note)
            return [None], [ann]

        self._change("annotate", write, clear_selection=True)
        if tags:
            self.last_coding = list(tags)

    def action_edit(self) -> None:
        ann = self._current_annotation()
        if ann is None:
            self.notify(
                "no annotation here: move the cursor onto one, or pick one in the list",
                markup=False,
                timeout=3,
            )
            return

        def done(result: AnnotationInput | None) -> None:
            if result is None:
                return
            self._change(
                "edit", lambda: ([ann], [self.store.edit(ann.id, tags=result.tags, note=result.note)])
            )

        self.push_screen(
            AnnotateDialog(
                "Edit annotation", ann.exact, self._codebook_names(), tags=list(ann.tags), note=ann.note
            ),
            done,
        )

    def action_delete(self) -> None:
        ann = self._current_annotation()
        if ann is None:
            self.notify("no annotation here to delete", markup=False, timeout=3)
            return
        self._change("delete", lambda: ([ann], [self.store.delete(ann.id)]))
        self.notify(f"deleted “{_short(ann.exact, 40)}” (u undoes)", markup=False, timeout=3)

    def action_quick_tag(self, n: int) -> None:
        names = self._codebook_names()
        if n > len(names):
            self.notify(
                f"the codebook has {len(names)} tag(s); key {n} has none yet", markup=False, timeout=3
            )
            return
        self._apply_tags([names[n - 1]])

    def action_repeat_coding(self) -> None:
        if not self.last_coding:
            self.notify("nothing to repeat yet: code a passage first", markup=False, timeout=3)
            return
        self._apply_tags(self.last_coding)

    def _apply_tags(self, tags: list[str]) -> None:
        reader = self.reader
        if self.store is None or reader.article_id is None:
            return
        selection = reader.selection
        if selection is not None:
            self.create_annotation(reader.article_id, reader.text, *selection, tags, "")
            return
        ann = self._current_annotation()
        if ann is None:
            self.notify("select a passage (v) or move onto an annotation first", markup=False, timeout=3)
            return
        self._change("tag", lambda: ([ann], [self.store.edit(ann.id, add_tags=tags)]))
        self.last_coding = list(tags)

    def action_reattach(self) -> None:
        panel = self.query_one("#annotations", OptionList)
        reader = self.reader
        option = panel.highlighted_option
        if option is None or option.id is None or reader.selection is None or reader.article_id is None:
            self.notify(
                "select the new passage in the reader, then highlight the orphan in the list and press r",
                markup=False,
                timeout=5,
            )
            return
        from ..corpus import content_hash

        ann = self.store.get(option.id)
        start, end = reader.selection
        text, article = reader.text, reader.article_id
        self._change(
            "re-attach",
            lambda: (
                [ann],
                [self.store.reattach(ann.id, text, content_hash(text), start, end, article=article)],
            ),
        )

    def action_undo(self) -> None:
        self._history("undo")

    def action_redo(self) -> None:
        self._history("redo")

    def _history(self, which: str) -> None:
        if self.store is None:
            return
        possible = self.history.can_undo if which == "undo" else self.history.can_redo
        if not possible:
            self.notify(f"nothing to {which}", markup=False, timeout=2)
            return
        self._run_write(
            lambda: getattr(self.history, which)(self.store), lambda step: self._after_history(which, step)
        )

    def _after_history(self, which: str, step) -> None:
        if step is not None:
            self.notify(f"{which}: {step.label}", markup=False, timeout=2)
        self.reload_open_articles()

    def _change(
        self, label: str, write: Callable[[], tuple[list, list]], clear_selection: bool = False
    ) -> None:
        """Run a store change in a worker, record it for undo, then refresh what shows it."""

        def then(result) -> None:
            before, after = result
            self.history.record(label, before, after)
            if clear_selection and after and after[0].article == self.reader.article_id:
                # the new annotation is under the cursor: number keys and e act on it next
                self.reader.jump_to(after[0].start)
            self.reload_open_articles()

        self._run_write(write, then)

    @work(thread=True, group="write")
    def _run_write(self, write: Callable, then: Callable) -> None:
        try:
            result = write()
        except GloseError as exc:
            self.call_from_thread(self.notify, str(exc), severity="error", markup=False, timeout=6)
            return
        if self.store is not None:
            self._data_version = self.store.data_version()
        self.call_from_thread(then, result)

    # --- outside changes ----------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="poll")
    def poll(self) -> None:
        """See annotations written by another glose (a CLI call) and files edited meanwhile."""
        self._polls += 1
        if self.store is not None:
            version = self.store.data_version()
            if self._data_version is not None and version != self._data_version:
                self._data_version = version
                self.call_from_thread(self.reload_open_articles)
        if self._polls % 5 == 0 and not self.indexing and self.engine is not None:
            from ..index import needs_update

            if needs_update(self.ws.articles, self.ws.index, self.ws.language):
                self.call_from_thread(self.update_index)

    # --- screens ------------------------------------------------------------------------------

    def action_codebook(self) -> None:
        from .codebook import CodebookScreen

        if self.store is None:
            return

        def done(tag: str | None) -> None:
            if tag is not None:
                self.panel_filter = tag
            self.reload_open_articles()

        self.push_screen(CodebookScreen(self.ws, self.store), done)

    def action_export(self) -> None:
        default = f"exports/glose-{date.today().isoformat()}"

        def done(request: ExportRequest | None) -> None:
            if request is not None:
                self.export(request)

        self.push_screen(ExportDialog(default, self.reader.article_id, self._codebook_names()), done)

    @work(thread=True, group="export")
    def export(self, request: ExportRequest) -> None:
        from ..export import gather, render, write_file

        path = Path(request.path)
        if not path.is_absolute():
            path = self.ws.root / path
        try:
            data = gather(self.ws, self.store, tag=request.tag, article=request.article)
            write_file(path, render(data, request.fmt))
        except GloseError as exc:
            self.call_from_thread(
                self.notify, f"export failed: {exc}", severity="error", markup=False, timeout=8
            )
            return
        message = f"Exported {len(data.annotations)} annotations to {path}"
        if data.notes:
            message += "\n" + "\n".join(data.notes)
        self.call_from_thread(self.notify, message, markup=False, timeout=8)

    def action_help(self) -> None:
        self.push_screen(HelpScreen(self.binding_sections()))

    def binding_sections(self) -> list[tuple[str, list[tuple[str, str]]]]:
        keymap = self._keymap

        def rows(bindings) -> list[tuple[str, str]]:
            out = []
            for b in bindings:
                keys = keymap.get(b.id, b.key) if b.id else b.key
                shown = ", ".join(self.get_key_display(Binding(k.strip(), "")) for k in keys.split(","))
                out.append((shown, b.description))
            return out

        return [
            ("Everywhere", rows(self.BINDINGS)),
            ("Reader (move; with a selection, motions extend it)", rows(Reader.BINDINGS)),
            (
                "Lists and search",
                [
                    ("enter", "open the article (results) / jump to the annotation (annotations list)"),
                    ("o", "open the highlighted result in the other reader"),
                    ("tab, shift+tab", "move between the search box, the lists and the readers"),
                    ("escape", "leave the search box"),
                    ("ctrl+p", "command palette: every command by name"),
                ],
            ),
        ]

    def get_system_commands(self, screen: Screen):
        yield from super().get_system_commands(screen)
        commands = [
            ("Search", "Focus the search box", self.action_focus_search),
            ("Split view", "Read two articles side by side (toggle)", self.action_toggle_split),
            (
                "Open in the other reader",
                "Open the highlighted result in the other reader",
                self.action_open_other,
            ),
            ("Synchronised scrolling", "Scroll both readers together (toggle)", self.action_toggle_sync),
            ("Annotate selection", "Tag and note the selected passage", self.action_annotate),
            (
                "Edit annotation",
                "Change the tags or note of the annotation under the cursor",
                self.action_edit,
            ),
            ("Delete annotation", "Move the annotation under the cursor to the trash", self.action_delete),
            ("Undo", "Undo the last change to annotations", self.action_undo),
            ("Redo", "Redo the last undone change", self.action_redo),
            ("Repeat last coding", "Apply the last tags to the selection", self.action_repeat_coding),
            ("Annotations: all", "List every annotation (toggle)", self.action_all_annotations),
            ("Annotations: filter by tag", "List the annotations of one tag", self.action_filter_annotations),
            ("Annotations: review", "Moved and orphaned annotations", self.action_review),
            ("Re-attach orphan", "Attach the highlighted orphan to the selection", self.action_reattach),
            (
                "Concordance (KWIC)",
                "Every hit of the search across the corpus, aligned; code them all",
                self.action_concordance,
            ),
            ("Where else", "Articles holding the selected passage, or nearly", self.action_where_else),
            ("Shared passages: list", "Passages the two open articles share", self.action_list_shared),
            (
                "Shared passages: next",
                "Jump both readers to the next shared passage",
                lambda: self.action_shared(1),
            ),
            ("Codebook", "Tags, counts, colors; rename, merge, recolor, describe", self.action_codebook),
            ("Export annotations", "Markdown, CSV, W3C JSON-LD or REFI-QDA", self.action_export),
            ("Rebuild index check", "Bring the index up to date now", self.update_index),
            ("Keys", "Every key binding", self.action_help),
        ]
        for title, help_text, callback in commands:
            yield SystemCommand(title, help_text, callback)


def _short(text: str, n: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _result_content(hit, snippet) -> Content:
    details = " · ".join(x for x in (hit.date, hit.source, hit.article) if x)
    parts: list = [(hit.title, "bold"), "\n", (details, "$text-muted")]
    if snippet is not None:
        text = snippet.text
        if len(text) > 160:
            text = text[:160]
        body = Content(text)
        for start, end in snippet.highlights:
            a, b = start - snippet.start, min(end - snippet.start, len(text))
            if a < b:
                body = body.stylize("bold reverse", a, b)
        parts += ["\n", Content("…" if snippet.start else ""), body, "…"]
    return Content.assemble(*parts)


def _annotation_content(ann: Annotation, colors: dict[str, str], show_article: bool) -> Content:
    color = colors.get(ann.tags[0].casefold(), "#8C8C8C") if ann.tags else "#8C8C8C"
    parts: list = [("▌", color)]
    if ann.status != "anchored":
        parts.append((f"{ann.status} ", "bold $warning"))
    parts.append(f"“{_short(ann.exact, 70)}”")
    meta = ", ".join(ann.tags) or "no tag"
    if show_article:
        meta += f"  {ann.article}"
    parts += ["\n ", (meta, "$text-muted")]
    if ann.note:
        parts += ["\n ", (_short(ann.note, 70), "italic")]
    return Content.assemble(*parts)


def _note_content(ann: Annotation, depth: int) -> Content:
    parts: list = [(", ".join(ann.tags) or "no tag", "bold")]
    if depth > 1:
        parts.append((f"  (+{depth - 1} overlapping)", "$text-muted"))
    if ann.status != "anchored":
        parts.append((f"  {ann.status}", "$warning"))
    if ann.note:
        parts += ["\n", ann.note]
    return Content.assemble(*parts)


def run(ws: Workspace) -> None:
    GloseApp(ws).run()
