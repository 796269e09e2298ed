"""The timeline screen: the current search over time, one row per period, a bar split by
outlet (the 8 largest and "other") drawn with block characters; enter on a period lists its
articles, enter on an article opens it in the reader.

Drawn by hand as ``Content`` rather than with textual-plotext (see the README): a period is a
row of an option list, so choosing one is the list's own cursor, the chart fits 80 columns
whatever the number of periods (it scrolls), and outlet names reach the screen as text."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import OptionList, Static

from ...api import Library
from ...counts.timeline import Stacked, stack
from ...model import NO_TAG_COLOR, PALETTE
from ...sanitize import terminal
from ...wording import counted, short
from ..panels.footer import FittingFooter
from ..panels.one_row_list import OneRowOptionList, RowOption
from ..workers import in_worker

BY = ("day", "week", "month", "year")
TOP = 8  # outlets drawn in their own color; the others together
COLORS = [c for _, c in PALETTE[:TOP]]


# the built-in variables a bar can be split by (dates and word counts are no groups); every
# variable of the user's too
SPLITS = ("source", "author", "section", "page", "language", "origin")


@dataclass(frozen=True)
class Listed:
    """A period's articles: (id, date, source, title) each."""

    period: str | None
    rows: list[tuple[str, str | None, str | None, str]]


class TimelineScreen(Screen[str | None]):
    """Dismisses with the id of the article to open, or None."""

    DEFAULT_CSS = """
    TimelineScreen #timeline-title { height: 1; padding: 0 1; background: $panel; }
    TimelineScreen #timeline-legend { height: auto; max-height: 3; padding: 0 1; }
    TimelineScreen OptionList { height: 1fr; border: none; }
    """
    BINDINGS = [
        Binding("escape,q", "back", "Back", id="timeline.back"),
        Binding("b", "by", "Day/week/month/year", id="timeline.by"),
        Binding("v", "split", "Split by", id="timeline.split"),
    ]

    class Charted(Message):
        """The worker's chart of the search."""

        def __init__(self, by: str, split: str, chart: Stacked, splits: list[str]) -> None:
            super().__init__()
            self.by, self.split = by, split
            self.chart = chart
            self.splits = splits  # what the bars can be split by (the variables with values)

    class Found(Message):
        """The worker's list of one period's articles."""

        def __init__(self, listed: Listed) -> None:
            super().__init__()
            self.listed = listed

    def __init__(self, lib: Library, query: str | None, by: str = "month"):
        super().__init__()
        self.lib = lib
        self.search_query = query or None
        self.by = by
        self.split = "source"  # the outlet first; v: any other variable (genre…)
        self.splits = ["source"]
        self.chart: Stacked | None = None
        self.listed: Listed | None = None

    def compose(self) -> ComposeResult:
        yield Static(Content(""), id="timeline-title")
        yield Static(Content(""), id="timeline-legend")
        yield OneRowOptionList(id="timeline-periods")
        articles = OneRowOptionList(id="timeline-articles")
        articles.display = False
        yield articles
        yield FittingFooter()

    def on_mount(self) -> None:
        self.load()

    # --- the chart ----------------------------------------------------------------------------

    def load(self) -> None:
        self._title("counting…")
        query, by, split, lib = self.search_query, self.by, self.split, self.lib

        def chart() -> tuple[Stacked, list[str]]:
            found = stack(lib.counts.timeline(query, by=by, split=split, hits=False), TOP)
            splits = [
                r["name"]
                for r in lib.variables.summary(top=1)
                if r["articles"] and (r["name"] in SPLITS or not r["builtin"])
            ]
            return found, splits or ["source"]

        in_worker(
            self.app,
            chart,
            lambda found: self.post_message(self.Charted(by, split, *found)),
            group="timeline",
            exclusive=True,
        )

    @on(Charted)
    def _charted(self, event: Charted) -> None:
        if (event.by, event.split) != (self.by, self.split):
            return  # an older answer, for another period or split
        self.splits = event.splits
        self.chart = chart = event.chart
        periods = self.query_one("#timeline-periods", OptionList)
        width = max(30, self.size.width - 4)
        periods.set_options(_period_options(chart, width))
        self.query_one("#timeline-legend", Static).update(_legend(chart, width))
        total = sum(chart.total(i) for i in range(len(chart.periods)))
        self._title(
            f"{counted(total, 'article')} · by {self.by} · split by {self.split} (v) · enter lists a period's articles"
        )
        if chart.periods:
            busiest = max(range(len(chart.periods)), key=chart.total)
            periods.highlighted = busiest
        periods.focus()

    def action_by(self) -> None:
        self.by = BY[(BY.index(self.by) + 1) % len(BY)]
        self._show_articles(False)
        self.load()

    def action_split(self) -> None:
        """Split the bars by the next variable: the outlet, the author, the section..., yours."""
        at = self.splits.index(self.split) if self.split in self.splits else -1
        self.split = self.splits[(at + 1) % len(self.splits)]
        self._show_articles(False)
        self.load()

    # --- a period's articles ------------------------------------------------------------------

    @on(OptionList.OptionSelected, "#timeline-periods")
    def _period_chosen(self, event: OptionList.OptionSelected) -> None:
        if self.chart is None:
            return
        period = self.chart.periods[int(event.option.id)]
        query, by, lib = self.search_query, self.by, self.lib

        def find() -> Listed:
            ids = lib.counts.period_articles(query, by, period)
            titles = lib.articles.titles(ids)
            table = lib.variables.table(ids)
            rows = [
                (a, table.get(a, {}).get("date"), table.get(a, {}).get("source"), titles.get(a) or a)
                for a in ids
            ]
            return Listed(period, sorted(rows, key=lambda r: (r[1] or "", r[3].casefold())))

        in_worker(
            self.app, find, lambda listed: self.post_message(self.Found(listed)), group="timeline-period"
        )

    @on(Found)
    def _found(self, event: Found) -> None:
        self.listed = listed = event.listed
        articles = self.query_one("#timeline-articles", OptionList)
        width = max(30, self.size.width - 4)
        articles.set_options(
            [RowOption(partial(_article_row, row, width), id=str(n)) for n, row in enumerate(listed.rows)]
        )
        self._show_articles(True)
        if listed.rows:
            articles.highlighted = 0
        label = listed.period or "undated"
        self._title(f"{label}: {counted(len(listed.rows), 'article')} · enter opens one · escape: the chart")

    @on(OptionList.OptionSelected, "#timeline-articles")
    def _article_chosen(self, event: OptionList.OptionSelected) -> None:
        if self.listed is not None:
            self.dismiss(self.listed.rows[int(event.option.id)][0])

    def _show_articles(self, shown: bool) -> None:
        articles = self.query_one("#timeline-articles", OptionList)
        periods = self.query_one("#timeline-periods", OptionList)
        articles.display, periods.display = shown, not shown
        (articles if shown else periods).focus()

    def action_back(self) -> None:
        if self.query_one("#timeline-articles", OptionList).display:
            self._show_articles(False)
            self._title(f"by {self.by} · enter lists a period's articles")
            return
        self.dismiss(None)

    def _title(self, state: str) -> None:
        what = self.search_query or "every article"
        self.query_one("#timeline-title", Static).update(
            Content.assemble(
                ("Timeline ", "bold"), (terminal(what), "bold $accent"), (f"  {state}", "$text-muted")
            )
        )


def _color(chart: Stacked, series: int) -> str:
    return NO_TAG_COLOR if chart.grouped and series == len(chart.series) - 1 else COLORS[series % TOP]


def _legend(chart: Stacked, width: int) -> Content:
    """Each outlet's color, name and articles, entries wrapped whole to ``width``."""
    if not chart.series:
        return Content.styled("no articles", "$text-muted")
    parts: list = []
    used = 0
    for i, name in enumerate(chart.series):
        label = f" {terminal(short(name, 24))} {sum(row[i] for row in chart.counts)}"
        size = 2 + len(label)
        if used and used + 3 + size > width:
            parts.append("\n")
            used = 0
        elif used:
            parts.append("   ")
            used += 3
        parts += [("██", _color(chart, i)), label]
        used += size
    return Content.assemble(*parts)


def _period_options(chart: Stacked, width: int) -> list[RowOption]:
    label_width = max((len(p or "undated") for p in chart.periods), default=7)
    top = max((chart.total(i) for i in range(len(chart.periods))), default=0) or 1
    digits = len(str(top))
    bar_width = max(5, width - label_width - digits - 4)
    return [
        RowOption(partial(_period_row, chart, i, label_width, bar_width, top, digits), id=str(i))
        for i in range(len(chart.periods))
    ]


def _period_row(chart: Stacked, i: int, label_width: int, bar_width: int, top: int, digits: int) -> Content:
    """``2026-01 ██████▆▆▆▆░░ 123``: each outlet's share in its color, cumulative widths
    rounded so the bar's length is the period's total on the common scale."""
    parts: list = [((chart.periods[i] or "undated").ljust(label_width), "$text-muted"), " "]
    done = 0
    cumulative = 0
    for series, n in enumerate(chart.counts[i]):
        if not n:
            continue
        cumulative += n
        end = max(done + 1, round(cumulative * bar_width / top))
        parts.append(("█" * (end - done), _color(chart, series)))
        done = end
    parts.append(" " * max(1, bar_width - done + 1))
    parts.append(str(chart.total(i)).rjust(digits))
    return Content.assemble(*parts)


def _article_row(row: tuple[str, str | None, str | None, str], width: int) -> Content:
    _, date, source, title = row
    source_width = 18 if width >= 90 else 12
    head = f"{date or '—':<10} "
    return Content.assemble(
        (head, "$text-muted"),
        (short(terminal(source or "—"), source_width).ljust(source_width), "italic"),
        " ",
        terminal(title),
    ).truncate(width)
