"""Screens for reading across articles: the concordance (KWIC) and "where else"."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ...api import Library
from ...errors import GloseError
from ...sanitize import terminal
from ...wording import counted, short
from ..panels.footer import FittingFooter
from ..panels.one_row_list import OneRowOptionList, RowOption
from ..workers import reply

KWIC_SHOWN = 50_000
"""Concordance lines listed (in article order, then sorted): more than anyone reads through,
and fewer than a word on every line of a large corpus, which would take minutes and gigabytes."""

if TYPE_CHECKING:
    from collections.abc import Callable

    from ...api import KwicLine, Occurrence

    Finder = Callable[..., tuple[list[KwicLine], bool]]  # (width=, sort=, limit=) → lines, more


@dataclass(frozen=True)
class Place:
    """Where to go when the user picks a line: an article and a span in it."""

    article: str
    start: int
    end: int


@dataclass(frozen=True)
class CodeAll:
    """The user asked to tag every line of the concordance."""

    tag: str
    lines: tuple[KwicLine, ...]


class ConcordanceScreen(Screen[Place | CodeAll | None]):
    """Every occurrence of the query across the corpus, one line each, aligned on the hit."""

    DEFAULT_CSS = """
    ConcordanceScreen #kwic-title { height: 1; padding: 0 1; background: $panel; }
    ConcordanceScreen OptionList { height: 1fr; border: none; }
    """
    BINDINGS = [
        Binding("escape,q", "close", "Back", id="kwic.close"),
        Binding("l", "sort('left')", "Sort by left", id="kwic.sort-left"),
        Binding("r", "sort('right')", "Sort by right", id="kwic.sort-right"),
        Binding("p", "sort('position')", "By position", id="kwic.sort-position"),
        Binding("t", "code_all", "Code all hits", id="kwic.code-all"),
    ]

    def __init__(self, lib: Library, query: str, codebook: list[str], finder: Finder | None = None):
        """``finder``: where the lines come from instead of the search (the Words screen's
        lines of one word, as the lexicon counts it); ``query`` then only names them."""
        super().__init__()
        self.lib = lib
        self.finder = finder
        self.search_query = query
        self.codebook = codebook
        self.lines: list[KwicLine] = []
        self.more = False  # more occurrences than listed
        self._titles: dict[str, str] = {}
        self._width = 0  # the rows were cut to it
        self.sort = "position"

    def compose(self) -> ComposeResult:
        yield Static(Content(""), id="kwic-title")
        yield OneRowOptionList(id="kwic")
        yield FittingFooter()

    def on_mount(self) -> None:
        self.load()

    def load(self) -> None:
        """Find the lines (a word common in a large corpus takes seconds) and say so meanwhile."""
        self._title(self._heading("finding the occurrences…"))
        self._load()

    @work(thread=True, exclusive=True)
    def _load(self) -> None:
        width = _row_width(self.app.size.width)
        try:
            find = self.finder or partial(self.lib.search.concordance, self.search_query)
            lines, more = find(width=max(60, width), sort=self.sort, limit=KWIC_SHOWN)
            titles = self.lib.articles.titles(k.article for k in lines)
        except GloseError as exc:
            reply(self, self._title, Content.styled(terminal(str(exc)), "$error"))
            return
        # made here, not on the UI thread (each row's text is made when first drawn)
        reply(self, self._show, lines, titles, _kwic_options(lines, titles, width), width, more)

    def on_resize(self, event: events.Resize) -> None:
        """Rows are cut to the width they were made for: made again for a new width (a row
        wider than the list would show its start only, without the hit)."""
        width = _row_width(event.size.width)
        if self.lines and width != self._width:
            listing = self.query_one("#kwic", OptionList)
            highlighted = listing.highlighted
            self._width = width
            listing.set_options(_kwic_options(self.lines, self._titles, width))
            listing.highlighted = highlighted

    def _heading(self, state: str) -> Content:
        return Content.assemble(
            ("Concordance ", "bold"), (self.search_query, "bold $accent"), (f"  {state}", "$text-muted")
        )

    def _title(self, content: Content) -> None:
        self.query_one("#kwic-title", Static).update(content)

    def _show(
        self, lines: list[KwicLine], titles: dict[str, str], options: list[Option], width: int, more: bool
    ) -> None:
        self.lines, self.more, self._titles, self._width = lines, more, titles, width
        listing = self.query_one("#kwic", OptionList)
        listing.set_options(options)
        articles = len({k.article for k in lines})
        found = (
            f"the first {counted(len(lines), 'occurrence')}" if more else counted(len(lines), "occurrence")
        )
        self._title(
            self._heading(
                f"{found} in {counted(articles, 'article')} · sorted by {self.sort}"
                + (" · glose kwic lists them all" if more else "")
            )
        )
        if options:
            listing.highlighted = 0
            listing.focus()

    def action_sort(self, how: str) -> None:
        self.sort = how
        self.load()

    @on(OptionList.OptionSelected)
    def picked(self, event: OptionList.OptionSelected) -> None:
        line = self.lines[int(event.option.id)]
        self.dismiss(Place(line.article, line.start, line.end))

    def action_code_all(self) -> None:
        from ..screens.dialogs import PromptDialog

        if not self.lines:
            return

        def done(tag: str | None) -> None:
            if tag and tag.strip():
                self.dismiss(CodeAll(tag.strip(), tuple(self.lines)))

        self.app.push_screen(
            PromptDialog(
                f"Tag the {counted(len(self.lines), 'occurrence')} listed with (u undoes it)"
                if self.more
                else f"Tag {'the' if len(self.lines) == 1 else 'all'} {counted(len(self.lines), 'occurrence')}"
                " with (u undoes it)",
                help="Tags: " + ", ".join(self.codebook[:20]),
                suggestions=self.codebook,
            ),
            done,
        )

    def action_close(self) -> None:
        self.dismiss(None)


def _row_width(screen_width: int) -> int:
    """The width a concordance row is cut to: the list's, less its scrollbar (2) and the
    option's padding (1 each side), and one column to spare."""
    return max(20, (screen_width or 100) - 5)


def _kwic_options(lines: list[KwicLine], titles: dict[str, str], width: int) -> list[Option]:
    """One option per line, one row each (cut to ``width``, never wrapped), its text made when
    drawn: the article's title, then the hit centred between its contexts."""
    source = 18 if width >= 90 else 12
    side = max(8, (width - 16 - source) // 2)
    heads = {a: short(terminal(titles.get(a) or a), source).ljust(source) for a in {k.article for k in lines}}
    return [
        RowOption(partial(_kwic_row, k, heads[k.article], side, width), id=str(n))
        for n, k in enumerate(lines)
    ]


def _kwic_row(k: KwicLine, head: str, side: int, width: int) -> Content:
    """The hits stay in one column (the left context is ``side`` wide); the right context
    takes the rest of the row, to its end."""
    right = max(0, width - len(head) - side - len(k.match) - 3)
    return Content.assemble(
        (head, "$text-muted italic"),
        " ",
        (k.left[-side:].rjust(side), "$text-muted"),
        " ",
        (k.match, "bold reverse"),
        " ",
        k.right[:right],
    ).truncate(width)


class WhereElseScreen(ModalScreen[Place | None]):
    """The articles holding a passage (or nearly it), best first."""

    DEFAULT_CSS = """
    WhereElseScreen { align: center middle; }
    WhereElseScreen > OptionList { width: 90%; max-width: 120; height: 80%; border: thick $accent; background: $panel; }
    """
    BINDINGS = [Binding("escape,q", "close", "Close", id="where.close")]

    def __init__(self, passage: str, found: list[Occurrence], titles: dict[str, str]):
        super().__init__()
        self.passage = passage
        self.found = found
        self.titles = titles

    def compose(self) -> ComposeResult:
        listing = OptionList(
            *[
                Option(
                    Content.assemble(
                        (f"{o.similarity:.0%} ", "bold"),
                        (terminal(self.titles.get(o.article) or o.article), "italic"),
                        (f"  {terminal(o.article)} {o.start}–{o.end}\n", "$text-muted"),
                        short(o.text, 200),
                    ),
                    id=str(n),
                )
                for n, o in enumerate(self.found)
            ]
        )
        listing.border_title = Content(f"Where else: “{short(self.passage, 80)}” ({len(self.found)})")
        yield listing

    @on(OptionList.OptionSelected)
    def picked(self, event: OptionList.OptionSelected) -> None:
        o = self.found[int(event.option.id)]
        self.dismiss(Place(o.article, o.start, o.end))

    def action_close(self) -> None:
        self.dismiss(None)
