"""Modal dialogs: annotate, export, one-line prompts, and the key-binding help.

Every user string reaches the screen as ``Content`` built literally (``Content(text)``), never
as markup: a tag named ``[bold]`` shows as typed.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Button, Input, Label, OptionList, Select, Static, TextArea
from textual.widgets.option_list import Option

from ..model import AnnotationFilter


class TagSuggester(Suggester):
    """Completes the last tag of a comma-separated list from the codebook."""

    def __init__(self, names: list[str]):
        super().__init__(use_cache=False, case_sensitive=True)
        self.names = names

    async def get_suggestion(self, value: str) -> str | None:
        _, _, last = value.rpartition(",")
        typed = last.lstrip()
        if not typed:
            return None
        lowered = typed.casefold()
        for name in self.names:
            if name.casefold().startswith(lowered) and name != typed:
                prefix = value[: len(value) - len(typed)]
                return prefix + name
        return None


def split_tags(value: str) -> list[str]:
    return [t.strip() for t in value.split(",") if t.strip()]


@dataclass
class AnnotationInput:
    tags: list[str]
    note: str


class AnnotateDialog(ModalScreen[AnnotationInput | None]):
    """Tags (with completion from the codebook; new ones allowed) and a multi-line note."""

    DEFAULT_CSS = """
    AnnotateDialog { align: center middle; }
    AnnotateDialog > Vertical {
        width: 80%; max-width: 100; height: auto; max-height: 90%;
        border: thick $accent; background: $panel; padding: 0 1;
    }
    AnnotateDialog #quote { color: $text-muted; max-height: 4; margin-bottom: 1; }
    AnnotateDialog #codebook { color: $text-muted; height: auto; max-height: 3; }
    AnnotateDialog TextArea { height: 6; }
    AnnotateDialog Horizontal { height: auto; align-horizontal: right; margin-top: 1; }
    AnnotateDialog Button { margin-left: 1; }
    """
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="dialog.cancel"),
        Binding("ctrl+s", "save", "Save", id="dialog.save"),
    ]

    def __init__(self, title: str, quote: str, codebook: list[str], tags: list[str] = (), note: str = ""):
        super().__init__()
        self.title_text = title
        self.quote = quote
        self.codebook = codebook
        self.initial_tags = list(tags)
        self.initial_note = note

    def compose(self) -> ComposeResult:
        quote = " ".join(self.quote.split())
        if len(quote) > 300:
            quote = quote[:299] + "…"
        with Vertical():
            yield Label(Content(self.title_text), id="title")
            yield Static(Content(f"“{quote}”"), id="quote")
            yield Label(Content("Tags (comma-separated; → accepts a suggestion)"))
            yield Input(
                ", ".join(self.initial_tags),
                placeholder="réaction/politique, enquête",
                suggester=TagSuggester(self.codebook),
                id="tags",
            )
            if self.codebook:
                shown = ", ".join(self.codebook[:30]) + (" …" if len(self.codebook) > 30 else "")
                yield Static(Content("Codebook: " + shown), id="codebook")
            yield Label(Content("Note (ctrl+s saves, escape cancels)"))
            yield TextArea(self.initial_note, id="note", soft_wrap=True, show_line_numbers=False)
            with Horizontal():
                yield Button("Cancel", id="cancel")
                yield Button("Save", variant="primary", id="save")

    def on_mount(self) -> None:
        self.query_one("#tags", Input).focus()

    @on(Input.Submitted, "#tags")
    def next_field(self) -> None:
        self.query_one("#note", TextArea).focus()

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        self.dismiss(
            AnnotationInput(
                split_tags(self.query_one("#tags", Input).value), self.query_one("#note", TextArea).text
            )
        )

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class PromptDialog(ModalScreen[str | None]):
    """One line of text (rename, merge into, color, describe, filter...)."""

    DEFAULT_CSS = """
    PromptDialog { align: center middle; }
    PromptDialog > Vertical {
        width: 70%; max-width: 90; height: auto; border: thick $accent; background: $panel; padding: 0 1;
    }
    PromptDialog #help { color: $text-muted; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="prompt.cancel")]

    def __init__(self, question: str, value: str = "", help: str = "", suggestions: list[str] | None = None):
        super().__init__()
        self.question, self.value, self.help = question, value, help
        self.suggestions = suggestions or []

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Content(self.question))
            yield Input(
                self.value,
                suggester=TagSuggester(self.suggestions) if self.suggestions else None,
                id="answer",
            )
            if self.help:
                yield Static(Content(self.help), id="help")

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)


@dataclass
class ExportRequest:
    fmt: str
    tag: str | None
    article: str | None
    path: str


class ExportDialog(ModalScreen[ExportRequest | None]):
    DEFAULT_CSS = """
    ExportDialog { align: center middle; }
    ExportDialog > Vertical {
        width: 80%; max-width: 100; height: auto; border: thick $accent; background: $panel; padding: 0 1;
    }
    ExportDialog Horizontal { height: auto; align-horizontal: right; margin-top: 1; }
    ExportDialog Button { margin-left: 1; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="export.cancel")]
    SUFFIX = {"markdown": ".md", "csv": ".csv", "json": ".jsonld", "qdpx": ".qdpx"}

    def __init__(self, default_path: str, article: str | None, codebook: list[str]):
        super().__init__()
        self.default_path = default_path
        self.article = article
        self.codebook = codebook

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Content("Export annotations"))
            yield Select(
                [
                    (Content(label), value)
                    for label, value in (
                        ("Markdown (notes)", "markdown"),
                        ("CSV (spreadsheet)", "csv"),
                        ("W3C Web Annotation (JSON-LD)", "json"),
                        ("REFI-QDA project (QualCoder, ATLAS.ti, MAXQDA, NVivo)", "qdpx"),
                    )
                ],
                value="markdown",
                allow_blank=False,
                id="format",
            )
            yield Select(
                [(Content("All articles"), "all")]
                + ([(Content(f"Only {self.article}"), "article")] if self.article else []),
                value="all",
                allow_blank=False,
                id="scope",
            )
            yield Input(
                placeholder="Only this tag (empty: every tag)",
                suggester=TagSuggester(self.codebook),
                id="tag",
            )
            yield Input(self.default_path + ".md", id="path")
            with Horizontal():
                yield Button("Cancel", id="cancel")
                yield Button("Export", variant="primary", id="export")

    @on(Select.Changed, "#format")
    def format_changed(self, event: Select.Changed) -> None:
        path = self.query_one("#path", Input)
        stem = path.value
        for suffix in self.SUFFIX.values():
            stem = stem.removesuffix(suffix)
        path.value = stem + self.SUFFIX[str(event.value)]

    @on(Button.Pressed, "#export")
    @on(Input.Submitted, "#path")
    def export(self) -> None:
        scope = self.query_one("#scope", Select).value
        self.dismiss(
            ExportRequest(
                fmt=str(self.query_one("#format", Select).value),
                tag=self.query_one("#tag", Input).value.strip() or None,
                article=self.article if scope == "article" else None,
                path=self.query_one("#path", Input).value.strip(),
            )
        )

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class HelpScreen(ModalScreen[None]):
    """Every key binding of the app, the reader and the lists, by where it applies."""

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 90%; max-width: 110; height: 90%; border: thick $accent; background: $panel; padding: 0 1;
    }
    """
    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close", id="help.close")]

    def __init__(self, sections: list[tuple[str, list[tuple[str, str]]]]):
        super().__init__()
        self.sections = sections

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            for title, rows in self.sections:
                parts: list = [(title + "\n", "bold $accent")]
                width = max((len(k) for k, _ in rows), default=0)
                for keys, description in rows:
                    parts.append((f"  {keys:<{width}}  ", "bold"))
                    parts.append(description + "\n")
                yield Static(Content.assemble(*parts))

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

    def __init__(self, tags: list[str]):
        super().__init__()
        self.tags = tags
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
