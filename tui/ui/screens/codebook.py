"""The codebook screen: tags with colors and counts; rename, merge, recolor, describe; and the
tag × article matrix of counts."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Static, TabbedContent, TabPane

from ...api import Library
from ...errors import GloseError
from ...model import PALETTE, StoreError, Tag
from ...wording import counted
from ..panels.footer import FittingFooter
from ..workers import reply
from .dialogs import PromptDialog


class CodebookScreen(Screen[str | None]):
    """Dismisses with a tag name when the user asks to list that tag's annotations."""

    DEFAULT_CSS = """
    CodebookScreen #codebook-title { height: 1; padding: 0 1; background: $panel; }
    CodebookScreen TabbedContent { height: 1fr; }
    CodebookScreen DataTable { height: 1fr; }
    """
    BINDINGS = [
        Binding("escape,q", "close", "Back", id="codebook.close"),
        Binding("r", "rename", "Rename", id="codebook.rename"),
        Binding("m", "memo", "Memo", id="codebook.memo"),
        Binding("M", "merge", "Merge", id="codebook.merge"),
        Binding("c", "color", "Color", id="codebook.color"),
        Binding("d", "describe", "Describe", id="codebook.describe"),
        Binding("delete,D", "delete", "Delete", id="codebook.delete"),
        Binding("u", "undo", "Undo", id="codebook.undo"),
        Binding("ctrl+r,U", "redo", "Redo", show=False, id="codebook.redo"),
        Binding("enter", "show_tag", "List annotations", id="codebook.show"),
    ]

    def __init__(self, lib: Library, select: str | None = None):
        super().__init__()
        self.lib = lib
        self.tags: list[Tag] = []
        self.with_memo: set[str] = set()  # the tags someone wrote a memo on
        self.select = select  # the tag to put the cursor on once listed

    def compose(self) -> ComposeResult:
        yield Static(Content.styled("Codebook", "bold"), id="codebook-title")
        with TabbedContent():
            with TabPane("Tags", id="tags-tab"):
                yield DataTable(id="tags", cursor_type="row", zebra_stripes=True)
            with TabPane("Tag × article", id="matrix-tab"):
                yield DataTable(id="matrix", cursor_type="cell")
            with TabPane("Chart", id="chart-tab"):
                yield VerticalScroll(Static(Content(""), id="chart"))
        yield FittingFooter()

    def on_mount(self) -> None:
        table = self.query_one("#tags", DataTable)
        table.add_columns("", "Tag", "Annotations", "Articles", "Memo", "Description")
        self.reload()

    @work(thread=True, exclusive=True)
    def reload(self) -> None:
        try:
            tags = self.lib.codebook.tags()
            counts = self.lib.codebook.matrix()
            memos = self.lib.memos.targets("tag")
        except GloseError as exc:
            reply(self, self.notify, str(exc), severity="error", markup=False)
            return
        reply(self, self._show, tags, counts, memos)

    def _show(
        self, tags: list[Tag], counts: dict[tuple[str, str], int], memos: set[str] = frozenset()
    ) -> None:
        self.tags = tags
        self.with_memo = set(memos)
        table = self.query_one("#tags", DataTable)
        row = table.cursor_row
        table.clear()
        for tag in tags:
            table.add_row(
                Text("██", style=tag.color),
                Text(tag.name),
                Text(str(tag.count), justify="right"),
                Text(str(tag.articles), justify="right"),
                Text("✎" if tag.name in self.with_memo else "", justify="center"),
                Text(tag.description),
                key=tag.name,
            )
        if self.select is not None:  # once: the tag asked for (from the memo manager)
            names = [t.name.casefold() for t in tags]
            row = names.index(self.select.casefold()) if self.select.casefold() in names else row
            self.select = None
        if tags:
            table.move_cursor(row=min(row, len(tags) - 1))
        total = sum(t.count for t in tags)
        self.query_one("#codebook-title", Static).update(
            Content.assemble(
                ("Codebook", "bold"),
                (f"  {counted(len(tags), 'tag')}, {counted(total, 'coding')}", "$text-muted"),
            )
        )
        matrix = self.query_one("#matrix", DataTable)
        matrix.clear(columns=True)
        articles = sorted({a for _, a in counts})
        matrix.add_column(Text("tag \\ article"), key="tag")
        for article in articles:
            matrix.add_column(Text(article[:12]), key=article)
        for tag in tags:
            cells = [Text(tag.name, style="bold")]
            for article in articles:
                n = counts.get((tag.name, article), 0)
                cells.append(Text(str(n) if n else "·", justify="right", style="" if n else "dim"))
            matrix.add_row(*cells, key=tag.name)
        self.query_one("#chart", Static).update(tag_chart(tags, width=max(20, self.size.width - 40)))

    def _selected(self) -> Tag | None:
        table = self.query_one("#tags", DataTable)
        if not self.tags or table.cursor_row >= len(self.tags):
            return None
        return self.tags[table.cursor_row]

    def _ask(self, question: str, value: str, apply, help: str = "", suggestions=None) -> None:
        tag = self._selected()
        if tag is None:
            return

        def done(result) -> None:
            if result is not None:
                self.reload()

        # the dialog writes, and stays open with the message on an error (an invalid color)
        self.app.push_screen(
            PromptDialog(
                question, value, help, suggestions, submit=lambda answer: apply(tag, answer) or True
            ),
            done,
        )

    def action_rename(self) -> None:
        tag = self._selected()
        if tag:
            self._ask(f"Rename {tag.name} to", tag.name, lambda t, new: self.lib.codebook.rename(t.name, new))

    def action_memo(self) -> None:
        """``m``: your memo on the selected tag (its mark in the list follows)."""
        tag = self._selected()
        if tag:
            self.app.memos.edit("tag", tag.name, after=self.reload)

    def action_merge(self) -> None:
        tag = self._selected()
        if tag:
            others = [t.name for t in self.tags if t.name != tag.name]
            self._ask(
                f"Merge {tag.name} into (its {counted(tag.count, 'annotation')} move there)",
                "",
                lambda t, target: self.lib.codebook.merge([t.name], target),
                help="Tags: " + ", ".join(others[:20]),
                suggestions=others,
            )

    def action_color(self) -> None:
        tag = self._selected()
        if tag:
            names = ", ".join(n for n, _ in PALETTE)
            self._ask(
                f"Color of {tag.name}",
                tag.color,
                lambda t, c: self.lib.codebook.color(t.name, c),
                help=f"#RRGGBB or {names}",
            )

    def action_describe(self) -> None:
        tag = self._selected()
        if tag:
            self._ask(
                f"Description of {tag.name}",
                tag.description,
                lambda t, d: self.lib.codebook.describe(t.name, d),
            )

    def action_undo(self) -> None:
        self.app.coding.undo(after=self.reload)

    def action_redo(self) -> None:
        self.app.coding.redo(after=self.reload)

    def action_delete(self) -> None:
        tag = self._selected()
        if tag:

            def delete(t: Tag, answer: str) -> None:
                if answer.strip().casefold() != t.name.casefold():
                    raise StoreError(f"type {t.name} to delete it, or escape to keep it")
                self.lib.codebook.delete(t.name)

            self._ask(
                f"Delete {tag.name}? It comes off its {counted(tag.count, 'annotation')}, which stay "
                "(u in the reader, or glose undo, brings it back). Enter confirms.",
                tag.name,
                delete,
            )

    @on(DataTable.RowSelected, "#tags")
    def action_show_tag(self) -> None:
        tag = self._selected()
        if tag is not None:
            self.dismiss(tag.name)

    def action_close(self) -> None:
        self.dismiss(None)


def tag_chart(tags: list[Tag], width: int = 50) -> Content:
    """Horizontal bars of annotations per tag, in each tag's color, largest first."""
    if not tags:
        return Content.styled("No tags yet.", "$text-muted")
    ranked = sorted(tags, key=lambda t: (-t.count, t.name.casefold()))
    top = max(t.count for t in ranked) or 1
    name_width = min(30, max(len(t.name) for t in ranked))
    parts: list = []
    for t in ranked:
        name = t.name if len(t.name) <= name_width else t.name[: name_width - 1] + "…"
        bar = "█" * max(1 if t.count else 0, round(width * t.count / top))
        parts += [f"{name:<{name_width}} ", (bar, t.color), f" {t.count}\n"]
    return Content.assemble(*parts)
