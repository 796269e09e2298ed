"""The memo dialog: a text area over one memo (the project's, an article's, a tag's). It is a
:class:`~.dialogs.SavingDialog`, so a memo is never lost: a cancel or a quit with typed text
asks once, a failed save (a read-only or locked store) keeps the text and says why, and a save
refused because the memo changed meanwhile shows what it now holds: the next save, made having
seen it, writes over it."""

from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Label, Static

from ...errors import GloseError
from ...model import Memo
from ..workers import reply
from .dialogs import NoteArea, SavingDialog, field_label


class MemoDialog(SavingDialog):
    """Dismisses with the memo saved (None: deleted, or nothing saved)."""

    DEFAULT_CSS = """
    MemoDialog { align: center middle; }
    MemoDialog > Vertical {
        width: 90%; max-width: 110; height: 90%; border: thick $accent; background: $panel; padding: 0 1;
    }
    MemoDialog #others { color: $text-muted; height: auto; max-height: 6; }
    MemoDialog #theirs { color: $warning; height: auto; max-height: 8; display: none; }
    MemoDialog #error { color: $error; height: auto; display: none; }
    MemoDialog TextArea { height: 1fr; min-height: 3; }
    MemoDialog #buttons { height: auto; }
    MemoDialog #buttons .spacer { width: 1fr; }
    """
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="memo.cancel"),
        Binding("ctrl+s", "save", "Save", id="memo.save", priority=True),
    ]

    def __init__(
        self,
        title: str,
        memo: Memo | None,
        save: Callable[[str, int], Memo | None],
        current: Callable[[], Memo | None],
        others: list[Memo] = (),
        readonly: str | None = None,
    ):
        super().__init__()
        self.title_text = title
        self.initial = memo.text if memo else ""
        self.version = memo.version if memo else 0  # what the next save is made over
        self.save = save
        self.current = current
        self.others = list(others)
        self.readonly = readonly

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Content.styled(self.title_text, "bold"), id="title")
            if self.others:
                yield Static(
                    Content("\n").join(
                        Content.assemble((f"{m.coder}: ", "bold"), m.text.split("\n", 1)[0])
                        for m in self.others
                    ),
                    id="others",
                )
            yield Label(field_label("Your memo", "ctrl+s saves, escape cancels; empty deletes it"))
            yield NoteArea(self.initial, id="memo", soft_wrap=True, show_line_numbers=False)
            yield Static(Content(""), id="theirs")
            yield Static(Content(""), id="error")
            with Horizontal(id="buttons"):
                yield Button("Cancel", id="cancel", compact=True)
                yield Static(classes="spacer")
                yield Button("Save (ctrl+s)", variant="primary", id="save", compact=True)

    def on_mount(self) -> None:
        self.query_one("#memo", NoteArea).focus()
        if self.readonly:  # said before anything is typed; what is typed stays if saved anyway
            self.show_error(f"{self.readonly}: this memo cannot be saved")

    def text(self) -> str:
        return self.query_one("#memo", NoteArea).text

    def typed(self) -> bool:
        return self.text() != self.initial

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        text, version = self.text(), self.version
        self.save_with(lambda: self.save(text, version))

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

    def _failed(self, message: str) -> None:
        super()._failed(message)
        self.run_worker(self._look_again, thread=True, group="memo-current")

    def _look_again(self) -> None:
        """After a refused save: what the memo holds now (changed meanwhile?)."""
        try:
            found = self.current()
        except GloseError:
            return
        reply(self, self._show_theirs, found)

    def _show_theirs(self, found: Memo | None) -> None:
        version = found.version if found else 0
        if version == self.version:
            return  # nothing changed meanwhile: the failure was the store's (read-only, locked)
        self.version = version  # seen now: the next save writes over it
        theirs = self.query_one("#theirs", Static)
        held = found.text if found else "(deleted)"
        theirs.update(
            Content.assemble(
                ("The memo now holds (ctrl+s saves yours over it, escape twice keeps it):\n", "bold"), held
            )
        )
        theirs.display = True
