"""Modal dialogs that write before they close: annotate, one-line prompts (the choosers and the
help are in :mod:`.choosers`).

Every user string reaches the screen as ``Content`` built literally (``Content(text)``), never
as markup: a tag named ``[bold]`` shows as typed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Button, Input, Label, Static, TextArea

from ...errors import GloseError
from ...wording import short
from ..focus import focus_now
from ..workers import reply


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


class PassOn:
    """A field that passes on the keys reaching it after the focus left it. Textual forwards
    keys to the focused widget as they arrive, and a widget handles its queue in order: keys
    typed in a burst after ``enter`` (next field) or ``ctrl+s`` (save) would land in the field
    left behind. They go to where the focus is now, or to the screen (which holds them while
    it saves)."""

    async def _on_key(self, event: events.Key) -> None:
        if self.screen.focused is not self:
            event.stop()
            event.prevent_default()
            (self.screen.focused or self.screen).post_message(events.Key(event.key, event.character))
            return
        await super()._on_key(event)


class FieldInput(PassOn, Input):
    """An input whose enter moves on to the next field at once (synchronously)."""

    def __init__(self, *args, next_field: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.next_field = next_field

    async def _on_key(self, event: events.Key) -> None:
        if event.key == "enter" and self.screen.focused is self:
            event.stop()
            event.prevent_default()
            focus_now(self.screen.query_one(self.next_field))
            return
        await super()._on_key(event)


class NoteArea(PassOn, TextArea):
    def on_mount(self) -> None:
        """The cursor after the note being edited: what the coder adds goes at its end."""
        self.move_cursor(self.document.end)


class SavingDialog(ModalScreen):
    """A dialog that writes before it closes. The write runs in a thread; if it fails (a
    read-only or locked database, an invalid color) the dialog stays open with the message
    and everything typed; it closes with the write's result only when the write is done.
    Closing it with typed changes (escape, Cancel, ctrl+q) asks once before they are lost."""

    FAILED = "Not saved"  # how a failed write begins its message

    def __init__(self) -> None:
        super().__init__()
        self._saving = False
        self._warned: str | None = None
        self._typing_in = None
        self._held: list[events.Key] = []

    def typed(self) -> bool:
        """Whether the fields differ from what the dialog opened with."""
        return False

    def show_error(self, message: str) -> None:
        error = self.query_one("#error", Static)
        error.update(Content(message))
        error.display = bool(message)

    def confirm_discard(self, doing: str) -> bool:
        """True when closing loses nothing, or the user was warned and asks again."""
        if not self.typed() or self._warned == doing:
            return True
        self._warned = doing
        again = "ctrl+q" if doing == "quit" else "escape (or Cancel)"
        self.show_error(f"What you typed is not saved: ctrl+s saves it, {again} again throws it away.")
        return False

    def save_with(self, write: Callable[[], object]) -> None:
        """Write in a thread. Keys typed meanwhile (a coder saves with ctrl+s and presses the
        next command at once) are kept and played after the dialog closes, where they were
        meant to go; if the write fails they go back to the field they were typed in."""
        if self._saving:
            return
        self._saving = True
        self._typing_in = self.focused
        self._held: list[events.Key] = []
        self.show_error("")
        self.set_focus(None)  # keys now reach the screen, which holds them

        def work() -> None:
            try:
                result = write()
            except GloseError as exc:
                reply(self, self._failed, str(exc))
                return
            reply(self, self._saved, result)

        self.run_worker(work, thread=True, group="save")

    def on_key(self, event: events.Key) -> None:
        if self._saving:
            event.stop()
            event.prevent_default()
            self._held.append(events.Key(event.key, event.character))

    def _saved(self, result) -> None:
        held, self._held, self._saving = self._held, [], False
        app = self.app

        def replay() -> None:  # once this dialog is off the screen
            for key in held:
                app.post_message(key)

        self.dismiss(result)
        app.call_after_refresh(replay)

    def _failed(self, message: str) -> None:
        self._saving = False
        self._warned = None
        self.show_error(f"{self.FAILED}: {message}")
        if self._typing_in is not None:
            focus_now(self._typing_in)
            for key in self._held:
                self._typing_in.post_message(key)

    def action_cancel(self) -> None:
        if self.confirm_discard("close"):
            self.dismiss(None)


class AnnotateDialog(SavingDialog):
    """Tags (completion from the codebook, its tags clickable; new ones allowed) and a
    multi-line note. ``save(tags, note)`` writes them (in a thread) and returns what the
    dialog closes with."""

    DEFAULT_CSS = """
    AnnotateDialog { align: center middle; }
    AnnotateDialog > Vertical {
        width: 80%; max-width: 100; height: auto; max-height: 100%;
        border: thick $accent; background: $panel; padding: 0 1;
    }
    AnnotateDialog #quote { color: $text-muted; max-height: 4; margin-bottom: 1; }
    AnnotateDialog #codebook { color: $text-muted; height: auto; max-height: 3; }
    AnnotateDialog #codebook:hover { color: $text; }
    AnnotateDialog #error { color: $error; height: auto; display: none; }
    AnnotateDialog TextArea { height: 6; }
    AnnotateDialog #buttons { height: auto; margin-top: 1; }
    AnnotateDialog #buttons .spacer { width: 1fr; }
    AnnotateDialog .field { width: 100%; }
    AnnotateDialog.-small .field { text-wrap: nowrap; text-overflow: ellipsis; }
    AnnotateDialog.-small > Vertical { width: 100%; height: 100%; max-width: 100%; }
    AnnotateDialog.-small #quote { max-height: 2; margin-bottom: 0; }
    AnnotateDialog.-small #codebook { max-height: 1; }
    AnnotateDialog.-small TextArea { height: 1fr; min-height: 2; }
    AnnotateDialog.-small #error { max-height: 2; }
    AnnotateDialog.-small #buttons { margin-top: 0; }
    """
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="dialog.cancel"),
        # priority: handled as it arrives, before the keys typed after it are handed out
        Binding("ctrl+s", "save", "Save", id="dialog.save", priority=True),
    ]
    SMALL = 30  # screen rows under which the dialog packs itself so Save stays on screen

    def __init__(
        self,
        title: str,
        quote: str,
        codebook: list[str],
        save: Callable[[list[str], str], object],
        tags: list[str] = (),
        note: str = "",
    ):
        super().__init__()
        self.title_text = title
        self.quote = quote
        self.codebook = codebook
        self.save = save
        self.initial_tags = list(tags)
        self.initial_note = note

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Content(self.title_text), id="title")
            yield Static(Content(f"“{short(self.quote, 300)}”"), id="quote")
            yield Label(
                field_label("Tags", "comma-separated; → accepts a suggestion; click a tag below"),
                classes="field",
            )
            yield FieldInput(
                ", ".join(self.initial_tags),
                placeholder="réaction/politique, enquête",
                suggester=TagSuggester(self.codebook),
                id="tags",
                next_field="#note",
                compact=True,
            )
            yield Static(codebook_links(self.codebook), id="codebook")
            yield Label(field_label("Note", "ctrl+s saves, escape cancels"), classes="field")
            yield NoteArea(self.initial_note, id="note", soft_wrap=True, show_line_numbers=False)
            yield Static(Content(""), id="error")
            with Horizontal(id="buttons"):
                yield Button("Cancel", id="cancel", compact=True)
                yield Static(classes="spacer")
                yield Button("Save (ctrl+s)", variant="primary", id="save", compact=True)

    def on_mount(self) -> None:
        self.query_one("#codebook").display = bool(self.codebook)
        self.query_one("#tags", Input).focus()
        self._fit()

    def on_resize(self) -> None:
        self._fit()

    def _fit(self) -> None:
        self.set_class(self.app.size.height < self.SMALL, "-small")

    def values(self) -> AnnotationInput:
        return AnnotationInput(
            split_tags(self.query_one("#tags", Input).value), self.query_one("#note", TextArea).text
        )

    def typed(self) -> bool:
        given = self.values()
        return given.tags != self.initial_tags or given.note != self.initial_note

    def action_add_tag(self, n: int) -> None:
        """A click on a codebook tag: add it to the tags line (once)."""
        tags = self.query_one("#tags", Input)
        names = split_tags(tags.value)
        if 0 <= n < len(self.codebook) and self.codebook[n] not in names:
            tags.value = ", ".join([*names, self.codebook[n]])
            tags.cursor_position = len(tags.value)

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        given = self.values()
        self.save_with(lambda: self.save(given.tags, given.note))

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()


def field_label(name: str, hint: str) -> Content:
    """A field's name, then how to fill it, muted: on a small screen the hint is cut first,
    never the name."""
    return Content.assemble((name, "bold"), ("  " + hint, "$text-muted"))


def codebook_links(names: list[str], limit: int = 40) -> Content:
    """The codebook's tags, each clickable (the name is inserted as a variable: never markup)."""
    parts = [Content("Codebook: ")]
    for n, name in enumerate(names[:limit]):
        if n:
            parts.append(Content(" · "))
        parts.append(Content.from_markup(f"[@click=screen.add_tag({n})]$name[/]", name=name))
    if len(names) > limit:
        parts.append(Content(" …"))
    return Content("").join(parts)


class PromptDialog(SavingDialog):
    """One line of text (rename, merge into, color, describe, filter...). With ``submit``
    the answer is written from the dialog (kept open on an error, such as an invalid color);
    without, it closes with the answer."""

    DEFAULT_CSS = """
    PromptDialog { align: center middle; }
    PromptDialog > Vertical {
        width: 70%; max-width: 90; height: auto; border: thick $accent; background: $panel; padding: 0 1;
    }
    PromptDialog #help { color: $text-muted; }
    PromptDialog #error { color: $error; height: auto; display: none; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="prompt.cancel")]

    def __init__(
        self,
        question: str,
        value: str = "",
        help: str = "",
        suggestions: list[str] | None = None,
        submit: Callable[[str], object] | None = None,
    ):
        super().__init__()
        self.question, self.value, self.help = question, value, help
        self.suggestions = suggestions or []
        self.submit = submit

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
            yield Static(Content(""), id="error")

    def typed(self) -> bool:
        return self.query_one("#answer", Input).value != self.value

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        if self.submit is None:
            self.dismiss(event.value)
        else:
            answer = event.value
            self.save_with(lambda: self.submit(answer))
