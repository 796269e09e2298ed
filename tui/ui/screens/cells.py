"""The codebook matrix's drill-down: choosing what its columns are (articles, outlet, month, any
variable), and the passages one cell counts (enter on one jumps to it in the reader).

Tags, values, titles and quotes are data: every row is built as ``Content`` literally."""

from __future__ import annotations

from functools import partial

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ...model import Annotation
from ...sanitize import terminal
from ...wording import counted, short
from ..controllers.across import Place
from ..panels.one_row_list import OneRowOptionList, RowOption

FIRST_COLUMNS = ("article", "source", "date.month", "date.year")


def column_choices(variables: list[str]) -> list[str]:
    """What the matrix's columns can be: articles, the outlet, the month, the year, then every
    other variable (the date by week or day too)."""
    rest = [v for v in variables if v not in ("source", "date")]
    return [*FIRST_COLUMNS, "date.week", "date.day", *rest]


class ColumnsDialog(ModalScreen[str | None]):
    """Choose the matrix's columns."""

    DEFAULT_CSS = """
    ColumnsDialog { align: center middle; }
    ColumnsDialog > Vertical { width: 50; max-width: 90%; height: auto; max-height: 80%;
        border: thick $accent; background: $panel; padding: 0 1; }
    ColumnsDialog OptionList { height: auto; max-height: 20; border: none; }
    """
    BINDINGS = [Binding("escape,q", "dismiss", "Close", id="columns.close")]

    def __init__(self, choices: list[str], current: str):
        super().__init__()
        self.choices = choices
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content.styled("Matrix columns: tags by…", "bold"))
            yield OptionList(*(Option(Content(terminal(c)), id=str(n)) for n, c in enumerate(self.choices)))

    def on_mount(self) -> None:
        listing = self.query_one(OptionList)
        if self.current in self.choices:
            listing.highlighted = self.choices.index(self.current)
        listing.focus()

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.choices[int(event.option.id)])


class CellPassagesScreen(ModalScreen[Place | None]):
    """The passages of one cell; enter jumps to one."""

    DEFAULT_CSS = """
    CellPassagesScreen { align: center middle; }
    CellPassagesScreen > Vertical { width: 95%; max-width: 130; height: 85%;
        border: thick $accent; background: $panel; }
    CellPassagesScreen #cell-title { height: auto; padding: 0 1; }
    CellPassagesScreen OptionList { height: 1fr; border: none; }
    """
    BINDINGS = [Binding("escape,q", "dismiss", "Close", id="cell.close")]

    def __init__(self, heading: str, passages: list[Annotation], titles: dict[str, str]):
        super().__init__()
        self.heading = heading
        self.passages = passages
        self.titles = titles

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(
                Content.assemble(
                    (terminal(self.heading), "bold"),
                    (f"  {counted(len(self.passages), 'passage')} · enter jumps to one", "$text-muted"),
                ),
                id="cell-title",
            )
            yield OneRowOptionList(id="cell-passages")

    def on_mount(self) -> None:
        listing = self.query_one(OptionList)
        width = max(40, min(130, self.app.size.width) - 6)
        listing.set_options(
            [
                RowOption(
                    partial(_passage_row, ann, self.titles.get(ann.article) or ann.article, width), id=str(n)
                )
                for n, ann in enumerate(self.passages)
            ]
        )
        if self.passages:
            listing.highlighted = 0
        listing.focus()

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        ann = self.passages[int(event.option.id)]
        self.dismiss(Place(ann.article, ann.start, ann.end))


def _passage_row(ann: Annotation, title: str, width: int) -> Content:
    head = short(terminal(title), 28 if width >= 90 else 18)
    quote = " ".join(terminal(ann.exact).split())
    return Content.assemble(
        (head.ljust(28 if width >= 90 else 18), "$text-muted italic"),
        " ",
        (", ".join(terminal(t) for t in ann.tags), "$accent"),
        " ",
        quote,
    ).truncate(width)
