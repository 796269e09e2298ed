"""The search panel: the query box, its status line and the results list.

It owns searching as you type (debounced, in a worker) and tells the app what happened
through typed messages: a new query for the readers to highlight, an article to open.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from ...errors import GloseError
from ...sanitize import terminal
from ...wording import counted, middle, short
from ..focus import focus_now
from ..workers import app_of, cancelled, reply

if TYPE_CHECKING:
    from ...api import Compiled

SEARCH_DEBOUNCE = 0.15
RESULTS_LIMIT = 200
SNIPPETS = 40  # results that get a snippet (the rest show title and date only)
FIRST_SHOWN = 20  # results shown at once (a tall terminal's screen); the rest follow


class QueryBox(Input):
    """The search box. ``/`` is the "go to search" key: pressed in an empty box (or one whose
    text is all selected, as it is when the box takes the focus) it is not typed, so ``/``
    pressed first, or twice, leaves no ``/`` in front of the query."""

    async def _on_key(self, event: events.Key) -> None:
        if event.character == "/" and (not self.value or self.selection == (0, len(self.value))):
            event.stop()
            event.prevent_default()
            self.cursor_position = len(self.value)
            return
        await super()._on_key(event)


class SearchPanel(Vertical):
    BINDINGS = [Binding("down", "to_results", "Results", show=False, id="search.results")]

    class QueryShown(Message):
        """Results for ``compiled`` are on screen: readers highlight its terms."""

        def __init__(self, compiled: Compiled | None) -> None:
            super().__init__()
            self.compiled = compiled

    class ArticleChosen(Message):
        """The user picked a result: open it (``other``: in the other reader)."""

        def __init__(self, article: str, other: bool = False) -> None:
            super().__init__()
            self.article = article
            self.other = other

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._timer: Timer | None = None
        self.shown_query: str | None = None  # the query whose results are on screen
        # What the session keeps: the last query the coder ran (enter in the box, a result
        # opened from it), not one typed and left (a "q" typed at launch, a half-typed word).
        self.ran_query = ""
        self.compiled: Compiled | None = None
        self.box = QueryBox(placeholder='Search (/)  e.g. deshabiller, "service premium"', id="query")
        self.status = Static(Content(""), id="search-status")
        self.results = OptionList(id="results")
        self._open_first = False  # enter was pressed before the results came: open the first
        self._put_back: str | None = None  # a query restored from the last session
        self._first_shown: list[Option] | None = None  # the options _show put in the list

    def compose(self) -> ComposeResult:
        yield self.box
        yield self.status
        yield self.results

    def highlighted_article(self) -> str | None:
        option = self.results.highlighted_option
        return option.id if option is not None else None

    def put_back(self, query: str) -> None:
        """Show a query from the last session and search it at once: no typing to wait for."""
        self._put_back = query
        self.ran_query = query
        self.box.value = query

    def ran(self) -> None:
        """A result of the query on screen was opened: that query is the one to keep."""
        if self.shown_query is not None:
            self.ran_query = self.shown_query

    @on(Input.Changed, "#query")
    def _changed(self, event: Input.Changed) -> None:
        if self._timer is not None:
            self._timer.stop()
        if self._put_back is not None and event.value == self._put_back:
            self._put_back = None
            self.run_search(event.value)
            return
        self._timer = self.set_timer(SEARCH_DEBOUNCE, lambda: self.run_search(event.value))

    @on(Input.Submitted, "#query")
    def _submitted(self, event: Input.Submitted) -> None:
        """enter in the box opens the highlighted result (the first one if it has not moved):
        one key from a query to reading, as in a launcher."""
        if self._timer is not None:
            self._timer.stop()
        self.ran_query = event.value
        article = self.highlighted_article()
        if self.shown_query == event.value and article is not None:
            self.post_message(self.ArticleChosen(article))
            return
        self._open_first = True
        self.run_search(event.value)

    def action_to_results(self) -> None:
        if self.results.option_count:
            focus_now(self.results)
            if self.results.highlighted is None:
                self.results.highlighted = 0

    @on(OptionList.OptionSelected, "#results")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.ran()
            self.post_message(self.ArticleChosen(event.option.id))

    def again(self) -> None:
        """Search again (the index changed, or is ready): what the box shows, which a search
        still queued (a query put back at start, before the index was ready) may not have
        recorded anywhere yet."""
        self.run_search(self.box.value)

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def run_search(self, query: str) -> None:
        app = app_of(self)
        if app is None:
            return
        lib = app.lib
        if not app.indexer.engine_ready:
            reply(self, self._status, Content("indexing… results will come"))
            return
        results = None
        try:
            if not query.strip():
                # a screenful, then the rest a screenful at a time (below): a query typed
                # meanwhile does not share the interpreter with listing 200 articles
                hits, total = lib.articles.head(FIRST_SHOWN)
                compiled, rows = None, [(h, None) for h in hits]
                listed = min(total, RESULTS_LIMIT)
            else:
                results = lib.search.run(query, limit=RESULTS_LIMIT)
                compiled, total = results.compiled, None
                hits = results.hits
                if cancelled():  # a newer search is on its way: no snippets for this one
                    return
                rows = _with_snippets(lib, hits[:FIRST_SHOWN], compiled) + [
                    (h, None) for h in hits[FIRST_SHOWN:]
                ]
                listed = len(rows)
        except GloseError as exc:
            self._open_first = False
            reply(self, self._refused, query, str(exc))
            return
        # The rows are laid out here, in the worker, a screenful first: laying out and swapping
        # in 200 rows on the UI thread took 40-100 ms before the first could be seen.
        width = self.row_width()
        first = [
            Option(result_content(hit, snippet, width), id=hit.article) for hit, snippet in rows[:FIRST_SHOWN]
        ]
        reply(self, self._show, query, compiled, first, total, listed)
        if compiled is None:
            try:
                while len(rows) < listed and not cancelled():
                    more, _ = lib.articles.head(FIRST_SHOWN, len(rows))
                    if not more:
                        break
                    rows += [(h, None) for h in more]
            except GloseError:
                return
        if len(rows) > FIRST_SHOWN and not cancelled():
            rest = rows[FIRST_SHOWN:]
            if compiled is not None:
                with_snippets = _with_snippets(lib, [h for h, _ in rest[: SNIPPETS - FIRST_SHOWN]], compiled)
                rest[: SNIPPETS - FIRST_SHOWN] = with_snippets
            more = [Option(result_content(hit, snippet, width), id=hit.article) for hit, snippet in rest]
            reply(self, self._more, first, more)
        if results is not None:  # the results are on screen; counting every match comes after
            try:
                total = results.total
            except GloseError:
                return
            reply(self, self._count, query, total)

    def row_width(self) -> int:
        """The cells a result's line has: the list's, less the options' padding."""
        return max(20, (self.results.scrollable_content_region.width or 40) - 2)

    def _refused(self, query: str, message: str) -> None:
        """A query Glose cannot honour: the whole message (wrapped), and no list of results
        that belongs to another query under it."""
        if query != self.box.value:
            return
        self.shown_query = query
        self.compiled = None
        self._first_shown = None
        self.results.clear_options()
        self._status(Content.styled(terminal(message), "$error"))
        self.post_message(self.QueryShown(None))

    def _status(self, content: Content) -> None:
        self.status.update(content)

    def _count(self, query: str, total: int) -> None:
        if query == self.shown_query:
            self._status(Content.styled(_matching(total), "bold"))

    def _show(
        self, query: str, compiled: Compiled | None, options: list[Option], total: int | None, listed: int
    ) -> None:
        """Show the first ``options`` of the ``listed`` results (the rest come by :meth:`_more`)."""
        typed = self.box.value
        if query != typed and typed.strip():
            return  # typed on since: a newer search is coming
        self.shown_query = query
        self.compiled = compiled
        self._first_shown = options
        self.results.set_options(options)
        if options:
            self.results.highlighted = 0
        if self._open_first:
            self._open_first = False
            if options:
                self.post_message(self.ArticleChosen(options[0].id))
        if query.strip():
            label = _matching(total) if total is not None or not options else f"{listed}+ articles"
            status = Content.styled(label, "bold")
        else:
            first = "" if listed >= (total or 0) else f", the first {listed} listed"
            status = Content.styled(
                f"{counted(total or 0, 'article')}{first} — type to search", "$text-muted"
            )
        self._status(status)
        self.post_message(self.QueryShown(compiled))

    def _more(self, first: list[Option], more: list[Option]) -> None:
        """The results after the first screenful, when the list still shows that first one."""
        if self._first_shown is first:
            self.results.add_options(more)


def _with_snippets(lib, hits: list, compiled: Compiled) -> list:
    """(hit, its snippet) of each of ``hits``; None for a file that cannot be read."""
    return lib.search.snippets(hits, compiled.highlight)


def _matching(total: int) -> str:
    return counted(total, "article") if total else "no article matches"


def result_content(hit, snippet, width: int = 40) -> Content:
    """Title, then date · outlet · file on one line of ``width``: what tells a person which
    article it is; the file id (a long name for an added article) cut in its middle to fit."""
    date, source, article = terminal(hit.date or ""), terminal(hit.source or ""), terminal(hit.article)
    least = min(12, len(article))  # the id's cells, at least
    known = " · ".join(x for x in (date, source) if x)
    cut = width - len(date) - 6 - least  # what a long outlet may keep
    if known and width - len(known) - 3 < least and source and cut >= 4:
        known = " · ".join(x for x in (date, short(source, cut)) if x)  # a long outlet gives way
    room = width - len(known) - (3 if known else 0)
    if room >= least:
        details = " · ".join(x for x in (known, middle(article, room)) if x)
    else:  # a narrow column: the id on a line of its own
        details = f"{short(known, width)}\n{middle(article, width)}"
    parts: list = [(short(terminal(hit.title), 100), "bold"), "\n", (details, "$text-muted")]
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
