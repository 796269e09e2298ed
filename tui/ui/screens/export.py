"""The reader's export dialog: format (up/down chooses, enter exports), scope, tag, file.

The file name follows the format and the format follows a name typed with a known extension;
an existing file is only replaced after a second press. The dialog writes (in a thread, as
every :class:`SavingDialog`) and stays open with everything chosen and typed when the export
fails (an unknown tag, a folder that cannot be written)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Checkbox, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from .dialogs import SavingDialog, TagSuggester


@dataclass
class ExportRequest:
    fmt: str
    tag: str | None
    article: str | None
    path: str


class ExportDialog(SavingDialog):
    """Format (up/down chooses, enter exports), scope, tag, file. The file name follows the
    format, and the format follows a file name typed with a known extension; an existing
    file is only replaced after a second press. ``write(request)`` exports (in a thread);
    the dialog closes with what it returns."""

    DEFAULT_CSS = """
    ExportDialog { align: center middle; }
    ExportDialog > Vertical {
        width: 80%; max-width: 100; height: auto; max-height: 100%;
        border: thick $accent; background: $panel; padding: 0 1;
    }
    ExportDialog #format { height: auto; max-height: 5; border: none; }
    ExportDialog #error { color: $error; height: auto; display: none; }
    ExportDialog #buttons { height: auto; margin-top: 1; }
    ExportDialog #buttons .spacer { width: 1fr; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="export.cancel")]
    FORMATS = (
        ("markdown", "Markdown (notes)"),
        ("csv", "CSV (spreadsheet)"),
        ("json", "W3C Web Annotation (JSON-LD)"),
        ("qdpx", "REFI-QDA project (QualCoder, ATLAS.ti, MAXQDA, NVivo)"),
        ("qdc", "REFI-QDA codebook (the tags only)"),
    )

    FAILED = "Not exported"

    def __init__(
        self, lib, article: str | None, codebook: list[str], write: Callable[[ExportRequest], object]
    ):
        super().__init__()
        self.write = write
        self.lib = lib
        self.article = article
        self.codebook = codebook
        self.fmt = "markdown"
        self.default = str(self._relative(lib.exchange.default_path(self.fmt)))
        self._confirmed: str | None = None

    def _relative(self, path: Path) -> Path:
        try:
            return path.relative_to(self.lib.ws.root)
        except ValueError:
            return path

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Content("Export annotations: ↑↓ format, tab on, enter exports"))
            yield OptionList(*[Option(Content(label), id=fmt) for fmt, label in self.FORMATS], id="format")
            yield Checkbox(
                Content(f"Only {self.article}" if self.article else "All articles (no article open)"),
                False,
                id="scope",
                disabled=self.article is None,
                compact=True,
            )
            yield Input(
                placeholder="Only this tag (empty: every tag)",
                suggester=TagSuggester(self.codebook),
                id="tag",
                compact=True,
            )
            yield Input(self.default, id="path", compact=True)
            yield Static(Content(""), id="error")
            with Horizontal(id="buttons"):
                yield Button("Cancel", id="cancel", compact=True)
                yield Static(classes="spacer")
                yield Button("Export", variant="primary", id="export", compact=True)

    def on_mount(self) -> None:
        formats = self.query_one("#format", OptionList)
        formats.highlighted = 0
        formats.focus()

    def _warn(self, message: str) -> None:
        self.show_error(message)

    @on(OptionList.OptionHighlighted, "#format")
    def format_changed(self, event: OptionList.OptionHighlighted) -> None:
        fmt = event.option.id or "markdown"
        if fmt == self.fmt:
            return
        self.fmt = fmt
        path = self.query_one("#path", Input)
        if path.value == self.default:  # untouched: a fresh default name for the new format
            self.default = str(self._relative(self.lib.exchange.default_path(fmt)))
            path.value = self.default
        else:
            path.value = (
                str(Path(path.value).with_suffix(self.lib.exchange.suffix(fmt))) if path.value else ""
            )

    @on(Input.Changed, "#path")
    def path_changed(self, event: Input.Changed) -> None:
        asked = self.lib.exchange.format_of(event.value)
        if asked is not None and asked != self.fmt:
            self.query_one("#format", OptionList).highlighted = [f for f, _ in self.FORMATS].index(asked)
        self._confirmed = None
        self._warn("")

    @on(OptionList.OptionSelected, "#format")
    @on(Button.Pressed, "#export")
    @on(Input.Submitted)
    def export(self) -> None:
        typed = self.query_one("#path", Input).value.strip()
        if not typed:
            self._warn("Give a file name.")
            return
        path = self.lib.exchange.path(typed)
        if path.exists() and self._confirmed != typed:
            self._confirmed = typed
            self._warn(f"{typed} exists: Export (or enter) again replaces it.")
            return
        request = ExportRequest(
            fmt=self.fmt,
            tag=self.query_one("#tag", Input).value.strip() or None,
            article=self.article if self.query_one("#scope", Checkbox).value else None,
            path=str(path),
        )
        self.save_with(lambda: self.write(request))

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()
