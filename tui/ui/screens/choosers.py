"""Screens that choose or show, and write nothing themselves: the help (every key), what the
annotations list shows (a view, the trash, a tag, a coder), which two coders to compare.

Every user string reaches the screen as ``Content`` built literally, never as markup.
"""

from __future__ import annotations

from dataclasses import replace

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from ...model import AnnotationFilter


class HelpScreen(ModalScreen[None]):
    """Every key binding of the app, the reader and the lists, by where it applies."""

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > Vertical {
        width: 90%; max-width: 110; height: 90%; border: thick $accent; background: $panel; padding: 0 1;
    }
    HelpScreen VerticalScroll { height: 1fr; }
    HelpScreen #close-row { height: auto; align-horizontal: right; }
    """
    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close", id="help.close")]

    def __init__(self, sections: list[tuple[str, list[tuple[str, str]]]]):
        super().__init__()
        self.sections = sections

    def compose(self) -> ComposeResult:
        with Vertical():
            with VerticalScroll():
                for title, rows in self.sections:
                    parts: list = [(title + "\n", "bold $accent")]
                    width = max((len(k) for k, _ in rows), default=0)
                    for keys, description in rows:
                        parts.append((f"  {keys:<{width}}  ", "bold"))
                        parts.append(description + "\n")
                    yield Static(Content.assemble(*parts))
            with Horizontal(id="close-row"):
                yield Button("Close (escape)", id="close", compact=True)

    def on_click(self, event: events.Click) -> None:
        if event.widget is self:  # a click outside the panel closes it, as in any popup
            self.dismiss(None)

    @on(Button.Pressed, "#close")
    def action_dismiss(self) -> None:  # type: ignore[override]
        self.dismiss(None)


class FilterDialog(ModalScreen[AnnotationFilter | None]):
    """What the annotations list shows: a fixed view or one tag, picked from a list that
    typing narrows. Views and tags are different entries, so a tag named ``review`` or ``*``
    is listed like any other."""

    DEFAULT_CSS = """
    FilterDialog { align: center middle; }
    FilterDialog > Vertical {
        width: 70%; max-width: 90; height: 80%; border: thick $accent; background: $panel; padding: 0 1;
    }
    FilterDialog OptionList { height: 1fr; border: none; }
    """
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="filter.cancel"),
        Binding("down", "move(1)", "Next", show=False, id="filter.down"),
        Binding("up", "move(-1)", "Previous", show=False, id="filter.up"),
    ]
    VIEWS = (
        ("article", "This article's annotations"),
        ("all", "All annotations"),
        ("review", "To review: moved and orphaned"),
        ("trash", "Trash: deleted annotations (R restores)"),
        ("shared", "Passages the two open articles share"),
    )

    def __init__(
        self, tags: list[str], coders: dict[str, int] | None = None, current: AnnotationFilter | None = None
    ):
        super().__init__()
        self.tags = tags
        self.coders = coders or {}
        self.current = current or AnnotationFilter()
        self.entries: list[AnnotationFilter] = []

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Content("Show in the annotations list (type to narrow, enter picks)"))
            yield Input(placeholder="a tag or a view", id="narrow")
            yield OptionList(id="choices")

    def on_mount(self) -> None:
        self._fill("")
        self.query_one("#narrow", Input).focus()

    @on(Input.Changed, "#narrow")
    def _narrow(self, event: Input.Changed) -> None:
        self._fill(event.value)

    def _fill(self, typed: str) -> None:
        needle = typed.strip().casefold()
        self.entries, options = [], []
        for scope, label in self.VIEWS:
            if needle in label.casefold():
                self.entries.append(AnnotationFilter(scope))
                options.append(Option(Content.styled(label, "italic")))
        for name in self.tags:
            if needle in name.casefold():
                self.entries.append(AnnotationFilter.of_tag(name))
                options.append(Option(Content.assemble(("tag ", "$text-muted"), name)))
        if len(self.coders) > 1:  # the list as it is, by one coder; or by everyone again
            for coder, count in self.coders.items():
                if needle in f"coder {coder}".casefold():
                    self.entries.append(replace(self.current, coders=(coder,)))
                    options.append(
                        Option(
                            Content.assemble(("coder ", "$text-muted"), coder, (f"  {count}", "$text-muted"))
                        )
                    )
            if self.current.coders is not None and needle in "every coder":
                self.entries.append(replace(self.current, coders=None))
                options.append(Option(Content.styled("Every coder", "italic")))
        listing = self.query_one("#choices", OptionList)
        listing.set_options(options)
        if options:
            listing.highlighted = 0

    def action_move(self, delta: int) -> None:
        listing = self.query_one("#choices", OptionList)
        if listing.option_count:
            listing.highlighted = ((listing.highlighted or 0) + delta) % listing.option_count

    @on(Input.Submitted, "#narrow")
    def _submitted(self) -> None:
        listing = self.query_one("#choices", OptionList)
        if listing.highlighted is not None and self.entries:
            self.dismiss(self.entries[listing.highlighted])

    @on(OptionList.OptionSelected, "#choices")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.entries[event.option_index])

    def action_cancel(self) -> None:
        self.dismiss(None)


class CoderPairDialog(ModalScreen[tuple[str, str] | None]):
    """Which two coders to compare: every pair, the likeliest first (see :func:`pairings`)."""

    DEFAULT_CSS = """
    CoderPairDialog { align: center middle; }
    CoderPairDialog > Vertical {
        width: 70%; max-width: 80; height: auto; max-height: 80%; border: thick $accent;
        background: $panel; padding: 0 1;
    }
    CoderPairDialog OptionList { height: auto; max-height: 20; border: none; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="coders.cancel")]

    def __init__(self, pairs: list[tuple[str, str]], counts: dict[str, int]):
        super().__init__()
        self.pairs = pairs
        self.counts = counts

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Content("Compare which coders? (enter picks; left reader, then right)"))
            yield OptionList(
                *(
                    Option(
                        Content.assemble(
                            (a, "bold"),
                            (f" ({self.counts[a]})", "$text-muted"),
                            "  vs  ",
                            (b, "bold"),
                            (f" ({self.counts[b]})", "$text-muted"),
                        )
                    )
                    for a, b in self.pairs
                ),
                id="pairs",
            )

    def on_mount(self) -> None:
        listing = self.query_one("#pairs", OptionList)
        listing.highlighted = 0
        listing.focus()

    @on(OptionList.OptionSelected, "#pairs")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.pairs[event.option_index])

    def action_cancel(self) -> None:
        self.dismiss(None)


def pairings(counts: dict[str, int], me: str) -> list[tuple[str, str]]:
    """Every pair of coders, the likeliest first: you (else the coder with most annotations)
    against each other coder by how many they made, then the pairs without you."""
    order = sorted(counts, key=lambda c: (c != me, -counts[c], c))
    return [(a, b) for i, a in enumerate(order) for b in order[i + 1 :]]
