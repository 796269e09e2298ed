"""A reader pane: the header (title, date, source; the article's memo when it has one), the
:class:`Reader` and the note bar.

It owns loading its article (text, metadata, annotations, tag colors: one worker through the
library), reloading its marks when the store changed, and painting search hits.
"""

from __future__ import annotations

from collections.abc import Callable

from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Static

from ...api import ArticleView
from ...errors import ArticleNotFound, GloseError
from ...model import Annotation, Memo, tag_colors
from ...sanitize import terminal
from ..focus import focus_now
from ..workers import app_of, reply
from .view import Mark, Reader

READER_HITS = 100_000
"""Hits painted in one article: n / N reach every one a reader will step through; finding
more (a file of one word repeated) would take seconds per hundred thousand and hold memory."""


_NOWHERE = object()  # "focused" when loading: never the app's focus, so it is never moved
_REFRESH = object()  # the same, for the open article loaded again (its file changed)


class ReaderPane(Vertical):
    DEFAULT_CSS = """
    ReaderPane { width: 1fr; border-left: tall $panel-lighten-1; }
    ReaderPane.-active { border-left: tall $accent; }
    ReaderPane > .pane-title, ReaderPane > .pane-details {
        height: 1; padding: 0 1; background: $panel; text-wrap: nowrap; text-overflow: ellipsis;
    }
    ReaderPane > .pane-title { text-style: bold; }
    ReaderPane > .pane-details { color: $text-muted; }
    ReaderPane > .pane-memo {
        height: 1; padding: 0 1; background: $panel; color: $text; text-wrap: nowrap; text-overflow: ellipsis;
    }
    ReaderPane > .pane-memo.-empty { display: none; }
    ReaderPane > .note-bar { height: auto; max-height: 5; padding: 0 1; background: $panel; color: $text; }
    ReaderPane > .note-bar.-empty { display: none; }
    """

    class Opened(Message):
        """An article is on screen in ``pane``. ``restored``: put back from the last session,
        so the reader that has the keys stays the one the session (or the coder since) chose."""

        def __init__(self, pane: ReaderPane, restored: bool = False) -> None:
            super().__init__()
            self.pane = pane
            self.restored = restored

    class MarksChanged(Message):
        def __init__(self, pane: ReaderPane) -> None:
            super().__init__()
            self.pane = pane

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.annotations: dict[str, Annotation] = {}  # of the open article (live and orphaned)
        self.positions: dict[str, tuple[int, float]] = {}  # cursor and scroll per article
        self.coder: str | None = None  # comparing coders: only this coder's annotations show
        self._colors: dict[str, str] = {}
        self._hits_wanted: tuple = (None, None)  # (article, highlight) the reader should show
        self._header = ("", "")
        self._place: str | None = None  # "1/2": the other reader is there but not shown
        self._asked = 0  # loads asked for here: only the latest is shown
        self.reader = Reader(id=f"{self.id}-reader")  # held: messages may land after unmount
        self.title_bar = Static(Content(""), classes="pane-title")
        self.details_bar = Static(Content(""), classes="pane-details")
        self.note_bar = Static(Content(""), classes="note-bar -empty")
        self.memo_bar = Static(Content(""), classes="pane-memo -empty")
        self.memos: tuple[Memo, ...] = ()  # every coder's memo on the open article

    def compose(self) -> ComposeResult:
        yield self.title_bar
        yield self.details_bar
        yield self.memo_bar
        yield self.reader
        yield self.note_bar

    def set_header(self, title: str, details: str) -> None:
        self._header = (title, details)
        shown = Content(terminal(title))
        if self.coder is not None:
            shown = Content.assemble(
                ("coder ", "$text-muted"), (terminal(self.coder), "$accent"), "  ", shown
            )
        if self._place is not None:
            shown = Content.assemble((f"{self._place} ", "$accent"), shown)
        self.title_bar.update(shown)
        self.details_bar.update(Content(terminal(details)))

    def show_place(self, place: str | None) -> None:
        """Say which of two readers this is when only one shows at a time (``1/2``)."""
        if place != self._place:
            self._place = place
            self.set_header(*self._header)

    def show_coder(self, coder: str | None) -> None:
        """Show only ``coder``'s annotations (None: everyone's), saying whose in the title."""
        self.coder = coder
        self.set_header(*self._header)
        self.reload()

    def show_memos(self, memos) -> None:
        """The article's memos in one line of the header (m opens yours), or no line."""
        self.memos = tuple(memos)
        self.memo_bar.set_class(not self.memos, "-empty")
        parts: list = [("memo ", "bold $accent")]
        for n, memo in enumerate(self.memos):
            if n:
                parts.append(("  ·  ", "$text-muted"))
            if len(self.memos) > 1:
                parts.append((f"{terminal(memo.coder)}: ", "bold"))
            parts.append(" ".join(terminal(memo.text).split()))
        self.memo_bar.update(Content.assemble(*parts) if self.memos else Content(""))

    def set_note(self, content: Content | None) -> None:
        self.note_bar.set_class(content is None, "-empty")
        self.note_bar.update(content or Content(""))

    def annotation_at_cursor(self) -> Annotation | None:
        marks = self.reader.marks_at(self.reader.cursor)
        return self.annotations.get(marks[0].id) if marks else None

    # --- loading --------------------------------------------------------------------------------

    def open(
        self, article: str, then: Callable[[Reader], None] | None = None, restored: bool = False
    ) -> None:
        """Load ``article`` here (in a worker), then run ``then`` on the reader. ``restored``:
        the article the last session had open here, with the focus already where the session
        put it; it may be gone, and that is not said (any other failure is)."""
        from textual.app import ScreenStackError

        try:
            focused = self.app.focused
        except ScreenStackError:  # the app is closing (a result chosen as it quit)
            return
        asked = (_NOWHERE, None) if restored else (focused, getattr(focused, "value", None))
        self._load(article, then, restored, asked, self._ask(), restored)

    def untouched(self) -> bool:
        """Nothing was ever asked of this reader (the session's article may go there)."""
        return self._asked == 0

    def _ask(self) -> int:
        """Number a load: only the latest one asked is shown. Loads run in threads and can end
        in any order; an article the coder opened must not be replaced by one asked before it
        (the session's, put back at launch, or a result opened a moment earlier)."""
        self._asked += 1
        return self._asked

    @work(thread=True, group="open")
    def _load(self, article: str, then, quiet: bool, focused, ticket: int, restored: bool = False) -> None:
        app = app_of(self)
        if app is None:
            return
        try:
            view = app.lib.articles.open(article)
        except GloseError as exc:
            if not quiet or not isinstance(exc, ArticleNotFound):  # gone is no news; a failure is
                reply(self, self.notify, str(exc), severity="error", markup=False)
            if restored:  # the session's article did not come back
                reply(self, app.session.lost, self)
            return
        reply(self, self._show, view, then, focused, ticket, restored)

    def _show(self, view: ArticleView, then, asked, ticket: int, restored: bool) -> None:
        if ticket != self._asked:
            return  # another article was asked for here since
        if asked[0] is _REFRESH and self.reader.article_id != view.doc.id:
            return  # a load asked before this refresh showed another article meanwhile
        reader = self.reader
        if reader.article_id is not None:
            self.positions[reader.article_id] = reader.scroll_state
        cursor, scroll = self.positions.get(view.doc.id, (0, 0.0))
        reader.load(view.doc.id, view.doc.text, cursor=cursor, scroll_y=scroll)
        self.set_header(view.title, view.details)
        self.show_memos(view.memos)
        self._set_marks(view.annotations, view.colors)
        self.post_message(self.Opened(self, restored))
        focused, value = asked
        if self.app.focused is focused and getattr(focused, "value", None) == value:
            focus_now(reader)  # only if the coder has not moved on meanwhile (typing a query...)
        if then is not None:
            then(reader)

    def places(self) -> dict[str, tuple[int, float]]:
        """Cursor and scroll of every article read in this pane, the open one's as it is now."""
        places = dict(self.positions)
        if self.reader.article_id is not None:
            places[self.reader.article_id] = self.reader.scroll_state
        return places

    def reload(self) -> None:
        if self.reader.article_id is not None:
            self._reload(self.reader.article_id)

    def reopen(self) -> None:
        """Load the open article again, text and all (its file changed on disk), at the same
        cursor and scroll, leaving the focus where it is."""
        if self.reader.article_id is not None:
            # not a load of its own: one the coder asked for and still running must win
            self._load(self.reader.article_id, None, True, (_REFRESH, None), self._asked)

    @work(thread=True, group="marks")
    def _reload(self, article: str) -> None:
        from ...model import AnnotationFilter

        app = app_of(self)
        if app is None:
            return
        lib = app.lib
        try:
            anns = lib.annotations.listing(AnnotationFilter("article", article=article))
            colors = tag_colors(lib.codebook.tags())
            memos = lib.memos.of("article", article)
        except GloseError:
            return
        reply(self, self._apply, article, anns, colors, memos)

    def _apply(self, article: str, anns: list[Annotation], colors: dict[str, str], memos=()) -> None:
        if self.reader.article_id == article:
            self.show_memos(memos)
            self._set_marks(anns, colors)

    def show_made(self, made: list[Annotation]) -> None:
        """Mark annotations just saved at once, before the reload from the store arrives: a
        coder who saves and presses the next key at once (``W``, ``e``, a number) acts on them."""
        mine = {a.id: a for a in made if a.article == self.reader.article_id}
        if mine:
            self._set_marks(list({**self.annotations, **mine}.values()), self._colors)

    def _set_marks(self, anns: list[Annotation], colors: dict[str, str]) -> None:
        self._colors = colors
        if self.coder is not None:
            anns = [a for a in anns if a.coder == self.coder]
        self.annotations = {a.id: a for a in anns}
        marks = [
            Mark(a.id, a.start, a.end, a.color(colors), ", ".join(a.tags))
            for a in anns
            if a.status != "orphaned" and not a.deleted
        ]
        self.reader.set_marks(marks)
        self.post_message(self.MarksChanged(self))

    def show_hits(self, compiled) -> None:
        """Paint the query's hits. They are found in a worker: a long article full of the
        query's word (a 20 MB file of one word: five million hits) would hold the screen."""
        reader = self.reader
        if reader.article_id is None:
            return
        highlight = compiled.highlight if compiled is not None else None
        self._hits_wanted = (reader.article_id, highlight)
        if not highlight:
            reader.set_hits([])
            return
        self._find_hits(reader.article_id, reader.text, highlight)

    @work(thread=True, exclusive=True, group="hits")
    def _find_hits(self, article: str, text: str, highlight) -> None:
        app = app_of(self)
        if app is None:
            return
        hits = app.lib.search.hits_in(text, highlight, READER_HITS + 1)
        reply(self, self._apply_hits, (article, highlight), hits[:READER_HITS], len(hits) > READER_HITS)

    def _apply_hits(self, wanted: tuple, hits: list[tuple[int, int]], more: bool) -> None:
        if wanted != self._hits_wanted:  # another article or query since
            return
        self.reader.set_hits(hits)
        if more:
            self.app.notify(f"the first {READER_HITS:,} matches in this article are highlighted", timeout=5)
