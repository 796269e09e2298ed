"""The Words screen: the frequency list of the current search, the specificities of each part
of a variable side by side, and for the word under the cursor its collocates and a bar chart
of its frequency per part. Every row opens the concordance of its word within the articles it
was counted in (the lexicon's own lines, as many as the figure says), and from there the
article. The counting runs in thread workers, which answer with the typed messages below."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, HorizontalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ...errors import GloseError
from ...sanitize import terminal
from ...wording import counted, short
from ..panels.footer import FittingFooter
from ..workers import cancelled

if TYPE_CHECKING:
    from ...api import Library

UNITS = ("form", "lemma", "stem")
VARIABLES = ("source", "date.year", "date.month", "author")
LISTED = 200  # rows of the frequency list (the CLI gives them all)
PER_PART = 15  # specific words shown per part
BAR = 30  # the longest bar, in cells


@dataclass(frozen=True)
class Pick:
    """A row's word and the articles it was counted in (None: the whole selection)."""

    word: str
    among: tuple[str, ...] | None
    label: str


class WordsScreen(Screen):
    """Lexicometry next to the reading (dismissed with a concordance's Place or CodeAll)."""

    DEFAULT_CSS = """
    WordsScreen #words-title { height: 1; padding: 0 1; background: $panel; }
    WordsScreen #words-top { height: 1fr; }
    WordsScreen #words-freq { width: 34; border: round $accent; }
    WordsScreen #words-parts { width: 1fr; }
    WordsScreen .words-part { width: 30; border: round $secondary; }
    WordsScreen #words-bottom { height: 14; }
    WordsScreen #words-cooc { width: 40%; max-width: 46; border: round $secondary; }
    WordsScreen #words-chart { width: 1fr; border: round $secondary; padding: 0 1; }
    """
    BINDINGS = [
        Binding("escape,q", "close", "Back", id="words.close"),
        Binding("u", "unit", "Unit", id="words.unit"),
        Binding("b", "by", "Parts by", id="words.by"),
        Binding("t", "stop", "Stop words", id="words.stop"),
    ]

    class Listed(Message):
        """The frequency list and the specificities, counted."""

        def __init__(self, freq, specif, members: dict) -> None:
            super().__init__()
            self.freq, self.specif, self.members = freq, specif, members

    class Near(Message):
        """The collocates and the per-part counts of one word."""

        def __init__(self, word: str, cooc, chart: list[dict]) -> None:
            super().__init__()
            self.word, self.cooc, self.chart = word, cooc, chart

    class Failed(Message):
        def __init__(self, error: str) -> None:
            super().__init__()
            self.error = error

    def __init__(self, lib: Library, query: str, codebook: list[str]):
        super().__init__()
        self.lib, self.search_query, self.codebook = lib, query or None, codebook
        self.unit, self.by, self.stop = "form", "source", False
        self.picks: dict[str, Pick] = {}  # option id → what it opens
        self.members: dict = {}

    def compose(self) -> ComposeResult:
        yield Static(Content(""), id="words-title")
        with Horizontal(id="words-top"):
            yield OptionList(id="words-freq")
            yield HorizontalScroll(id="words-parts")
        with Horizontal(id="words-bottom"):
            yield OptionList(id="words-cooc")
            yield Static(Content(""), id="words-chart")
        yield FittingFooter()

    def on_mount(self) -> None:
        self.load()

    # --- counting, in workers ----------------------------------------------------------------

    def _title(self, state: str) -> None:
        scope = f"“{short(terminal(self.search_query), 40)}”" if self.search_query else "all articles"
        self.query_one("#words-title", Static).update(
            Content.assemble(
                ("Words ", "bold"),
                (scope, "bold $accent"),
                (f"  {self.unit}s · parts by {self.by} · stop words {'out' if self.stop else 'in'}", ""),
                (f"  {state}", "$text-muted"),
                ("   u unit · b parts · t stop words · enter: the lines", "$text-muted"),
            )
        )

    def load(self) -> None:
        self._title("counting…")
        self._count(self.unit, self.by, self.stop)

    @work(thread=True, exclusive=True, group="words")
    def _count(self, unit: str, by: str, stop: bool) -> None:
        lex = self.lib.lexicon
        try:
            freq = lex.words(self.search_query, unit=unit, stop=stop, top=LISTED)
            specif = lex.specif(by, query=self.search_query, unit=unit, stop=stop, top=PER_PART)
            members = dict(lex.parts(by, lex.scope(self.search_query)))
        except GloseError as exc:
            self.post_message(self.Failed(str(exc)))
            return
        if not cancelled():
            self.post_message(self.Listed(freq, specif, members))

    @work(thread=True, exclusive=True, group="words-near")
    def _near(self, word: str, unit: str, by: str, stop: bool) -> None:
        lex = self.lib.lexicon
        try:
            cooc = lex.cooc(word, query=self.search_query, unit=unit, stop=stop, top=30)
            chart = lex.chart(word, by, query=self.search_query, unit=unit, stop=stop)
        except GloseError as exc:
            self.post_message(self.Failed(str(exc)))
            return
        if not cancelled():
            self.post_message(self.Near(word, cooc, chart))

    # --- showing -----------------------------------------------------------------------------

    def _pick(self, key: str, word: str, among, label: str) -> str:
        self.picks[key] = Pick(word, tuple(among) if among is not None else None, label)
        return key

    def on_words_screen_failed(self, message: Failed) -> None:
        self._title("")
        self.query_one("#words-title", Static).update(Content.styled(terminal(message.error), "$error"))

    def on_words_screen_listed(self, message: Listed) -> None:
        freq, specif = message.freq, message.specif
        self.members = message.members
        self.picks = {}
        listing = self.query_one("#words-freq", OptionList)
        listing.set_options(
            [
                Option(
                    _row(r["word"], f"{r['f']}", 22), id=self._pick(f"f{n}", r["word"], None, "the selection")
                )
                for n, r in enumerate(freq.rows)
            ]
        )
        listing.border_title = Content(
            f"{counted(freq.tokens, self.unit)} · {counted(freq.articles, 'article')}"
        )
        parts = self.query_one("#words-parts", HorizontalScroll)
        parts.remove_children()
        columns = []
        for i, part in enumerate(specif.parts):
            name = part.name if part.name is not None else "(no value)"
            column = OptionList(
                *[
                    Option(
                        _row(r["word"], f"{r['score']:.1f}", 18),
                        id=self._pick(
                            f"p{i}-{n}", r["word"], self.members.get(part.name, []), f"{self.by} = {name}"
                        ),
                    )
                    for n, r in enumerate(part.rows)
                ],
                classes="words-part",
            )
            column.border_title = Content(short(terminal(name), 22))
            column.border_subtitle = Content(counted(part.tokens, self.unit))
            columns.append(column)
        if columns:
            parts.mount_all(columns)
        notes = " · ".join(specif.notes + freq.notes)
        self._title(notes or f"{counted(len(specif.parts), 'part')}")
        if freq.rows:
            listing.highlighted = 0
            listing.focus()
            self._near(freq.rows[0]["word"], self.unit, self.by, self.stop)

    @on(OptionList.OptionHighlighted)
    def highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_list.id == "words-cooc" or event.option.id is None or not event.option_list.has_focus:
            return  # a list being filled, or not the one the user moves in
        pick = self.picks.get(event.option.id)
        if pick is not None:
            self._near(pick.word, self.unit, self.by, self.stop)

    def on_words_screen_near(self, message: Near) -> None:
        cooc = message.cooc
        listing = self.query_one("#words-cooc", OptionList)
        holders = None
        listing.set_options(
            [
                Option(
                    _row(r["word"], f"{r['cooc']} · {r['score']:.1f}", 26),
                    id=self._pick(f"c{n}", r["word"], holders, f"near “{message.word}”"),
                )
                for n, r in enumerate(cooc.rows)
            ]
        )
        listing.border_title = Content(
            f"near “{short(terminal(message.word), 20)}” ({cooc.f}×, ±{cooc.window})"
        )
        chart = self.query_one("#words-chart", Static)
        chart.border_title = Content(
            f"“{short(terminal(message.word), 20)}” per 10,000 {self.unit}s, by {self.by}"
        )
        chart.update(bars(message.chart, chart.content_size.width))

    @on(OptionList.OptionSelected)
    def picked(self, event: OptionList.OptionSelected) -> None:
        pick = self.picks.get(event.option.id or "")
        if pick is not None:
            self._concordance(pick)

    def _concordance(self, pick: Pick) -> None:
        from ..controllers.across import ConcordanceScreen

        lex, unit, query = self.lib.lexicon, self.unit, self.search_query
        among = list(pick.among) if pick.among is not None else None

        def finder(*, width: int, sort: str, limit: int):
            lines = lex.lines(
                pick.word, query=query, among=among, unit=unit, width=width, sort=sort, limit=limit + 1
            )
            return lines[:limit], len(lines) > limit

        label = f"{pick.word} ({unit}, {pick.label})"
        self.app.push_screen(ConcordanceScreen(self.lib, label, self.codebook, finder), self._back)

    def _back(self, result) -> None:
        if result is not None:  # a line picked (open its article) or all lines to code
            self.dismiss(result)

    # --- keys --------------------------------------------------------------------------------

    def action_unit(self) -> None:
        self.unit = UNITS[(UNITS.index(self.unit) + 1) % len(UNITS)]
        self.load()

    def action_by(self) -> None:
        self.by = (
            VARIABLES[(VARIABLES.index(self.by) + 1) % len(VARIABLES)]
            if self.by in VARIABLES
            else VARIABLES[0]
        )
        self.load()

    def action_stop(self) -> None:
        self.stop = not self.stop
        self.load()

    def action_close(self) -> None:
        self.dismiss(None)


def _row(word: str, figure: str, width: int) -> Content:
    """A word and its figure on one row, the figure right-aligned (the word is data: literal)."""
    word = short(terminal(word), width - len(figure) - 1)
    return Content.assemble(word, " " * max(1, width - len(word) - len(figure)), (figure, "bold"))


def bars(chart: list[dict], room: int = 80) -> Content:
    """A text bar chart of a word's frequency per part, per 10,000 tokens (parts differ in
    size), with the raw count, on ``room`` cells a line; an empty part draws no bar and no
    division by zero."""
    rates = [(c, (c["f"] * 10_000 / c["tokens"]) if c["tokens"] else 0.0) for c in chart]
    top = max((r for _, r in rates), default=0.0)
    names = [terminal(c["part"]) if c["part"] is not None else "(no value)" for c in chart]
    pad = min(22, max(6, room // 3), max((len(n) for n in names), default=0))
    figures = [f" {rate:.1f} ({c['f']})" for c, rate in rates]
    width = max(1, min(BAR, room - pad - 1 - max((len(f) for f in figures), default=0)))
    lines = []
    for name, (_, rate), figure in zip(names, rates, figures, strict=True):
        cells = round(rate / top * width) if top else 0
        lines.append(
            Content.assemble(
                (short(name, pad).ljust(pad), "$text-muted"), " ", ("█" * cells, "$accent"), figure
            )
        )
    return Content("\n").join(lines) if lines else Content("no parts")
