"""The memo manager: every memo (the project's, articles', tags'; everyone's), narrowed by
what is typed, each opening its target (the article in the reader, the tag in the codebook)
or its writer's memo. It writes nothing itself: it dismisses with what to open."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Input, Static

from ...api import Library
from ...errors import GloseError
from ...model import Memo
from ...wording import counted, short
from ..panels.footer import FittingFooter
from ..workers import reply

KINDS = {"project": "project", "article": "article", "tag": "tag"}


class MemosScreen(Screen[tuple[str, str, str] | None]):
    """Dismisses with (what, kind, target): ``open`` its target, or ``edit`` its memo."""

    DEFAULT_CSS = """
    MemosScreen #memos-title { height: 1; padding: 0 1; background: $panel; }
    MemosScreen #filter { margin: 0 1; }
    MemosScreen DataTable { height: 1fr; }
    MemosScreen #preview { height: auto; max-height: 8; padding: 0 1; background: $panel; }
    """
    BINDINGS = [
        Binding("escape", "close", "Back", id="memos.close"),
        Binding("enter", "open_target", "Open target", id="memos.open", priority=True),
        Binding("ctrl+e", "edit", "Edit your memo", id="memos.edit"),
        Binding("down", "move(1)", "Next", show=False, id="memos.down"),
        Binding("up", "move(-1)", "Previous", show=False, id="memos.up"),
    ]

    def __init__(self, lib: Library):
        super().__init__()
        self.lib = lib
        self.memos: list[Memo] = []
        self.titles: dict[str, str] = {}
        self.shown: list[Memo] = []

    def compose(self) -> ComposeResult:
        yield Static(Content.styled("Memos", "bold"), id="memos-title")
        yield Input(placeholder="filter: words of a memo, a title, a tag, a coder", id="filter", compact=True)
        yield DataTable(id="memos", cursor_type="row", zebra_stripes=True)
        yield Static(Content(""), id="preview")
        yield FittingFooter()

    def on_mount(self) -> None:
        table = self.query_one("#memos", DataTable)
        table.add_columns("Kind", "Target", "Coder", "Updated", "Memo")
        self.query_one("#filter", Input).focus()
        self.reload()

    @work(thread=True, exclusive=True)
    def reload(self) -> None:
        try:
            memos = self.lib.memos.all()
            titles = self.lib.articles.titles(m.target for m in memos if m.kind == "article")
        except GloseError as exc:
            reply(self, self.notify, str(exc), severity="error", markup=False)
            return
        reply(self, self._loaded, memos, titles)

    def _loaded(self, memos: list[Memo], titles: dict[str, str]) -> None:
        self.memos, self.titles = memos, titles
        self._show()

    def _named(self, memo: Memo) -> str:
        if memo.kind == "project":
            return "the project"
        title = self.titles.get(memo.target)
        return f"{title} ({memo.target})" if title else memo.target

    @on(Input.Changed, "#filter")
    def _show(self) -> None:
        words = self.query_one("#filter", Input).value.casefold().split()
        self.shown = [
            m
            for m in self.memos
            if all(w in f"{m.kind} {self._named(m)} {m.coder} {m.text}".casefold() for w in words)
        ]
        table = self.query_one("#memos", DataTable)
        table.clear()
        for memo in self.shown:
            table.add_row(
                Text(KINDS[memo.kind]),
                Text(short(self._named(memo), 48)),
                Text(memo.coder),
                Text(memo.updated[:16].replace("T", " ")),
                Text(short(" ".join(memo.text.split()), 60)),
            )
        self.query_one("#memos-title", Static).update(
            Content.assemble(
                ("Memos", "bold"),
                (
                    f"  {counted(len(self.shown), 'memo')} of {len(self.memos)} · enter opens its "
                    "article or tag · ctrl+e edits your memo there",
                    "$text-muted",
                ),
            )
        )
        self._preview()

    @on(DataTable.RowHighlighted, "#memos")
    def _preview(self) -> None:
        memo = self._selected()
        self.query_one("#preview", Static).update(Content(memo.text if memo else ""))

    def _selected(self) -> Memo | None:
        table = self.query_one("#memos", DataTable)
        if not self.shown or table.cursor_row >= len(self.shown):
            return None
        return self.shown[table.cursor_row]

    def action_move(self, step: int) -> None:
        table = self.query_one("#memos", DataTable)
        if self.shown:
            table.move_cursor(row=max(0, min(len(self.shown) - 1, table.cursor_row + step)))

    def action_open_target(self) -> None:
        memo = self._selected()
        if memo is not None:
            self.dismiss(("open", memo.kind, memo.target))

    @on(DataTable.RowSelected, "#memos")
    def _chosen(self) -> None:
        self.action_open_target()

    def action_edit(self) -> None:
        memo = self._selected()
        if memo is not None:
            self.dismiss(("edit", memo.kind, memo.target))

    def action_close(self) -> None:
        self.dismiss(None)
