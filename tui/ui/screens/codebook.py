"""The codebook screen: tags with colors and counts; rename, merge, recolor, describe; and the
matrix of tags by articles, outlet, month or any variable (``v`` chooses; enter on a cell
lists its passages, enter on one jumps to it)."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Static, TabbedContent, TabPane

from ...api import Library
from ...counts.matrix import Matrix
from ...errors import GloseError
from ...model import PALETTE, StoreError, Tag
from ...sanitize import terminal
from ...wording import counted, short
from ..controllers.across import Place
from ..panels.footer import FittingFooter
from ..workers import in_worker, reply
from .cells import CellPassagesScreen, ColumnsDialog, column_choices
from .dialogs import PromptDialog


class CodebookScreen(Screen[str | Place | None]):
    """Dismisses with a tag name when the user asks to list that tag's annotations, or with
    the place of a passage chosen in the matrix."""

    DEFAULT_CSS = """
    CodebookScreen #codebook-title { height: 1; padding: 0 1; background: $panel; }
    CodebookScreen TabbedContent { height: 1fr; }
    CodebookScreen DataTable { height: 1fr; }
    CodebookScreen #matrix-title { height: 1; padding: 0 1; }
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
        Binding("v", "columns", "Matrix columns", id="codebook.columns"),
        Binding("F", "follow", "Follow search", id="codebook.follow"),
    ]

    def __init__(
        self, lib: Library, where: Callable[[], str | None] = lambda: None, select: str | None = None
    ):
        super().__init__()
        self.lib = lib
        self.where = where  # the search the counts keep to (None: every article)
        self.tags: list[Tag] = []
        self.columns = "article"  # what the matrix's columns are (see cells.column_choices)
        self.matrix: Matrix | None = None
        self.with_memo: set[str] = set()  # the tags someone wrote a memo on
        self.select = select  # the tag to put the cursor on once listed

    def compose(self) -> ComposeResult:
        yield Static(Content.styled("Codebook", "bold"), id="codebook-title")
        with TabbedContent():
            with TabPane("Tags", id="tags-tab"):
                yield DataTable(id="tags", cursor_type="row", zebra_stripes=True)
            with TabPane("Matrix", id="matrix-tab"):
                yield Static(Content(""), id="matrix-title")
                yield DataTable(id="matrix", cursor_type="cell")
            with TabPane("Chart", id="chart-tab"):
                yield VerticalScroll(Static(Content(""), id="chart"))
        yield FittingFooter()

    def on_mount(self) -> None:
        table = self.query_one("#tags", DataTable)
        table.add_columns("", "Tag", "Annotations", "Articles", "Memo", "Description")
        self.reload()

    def reload(self) -> None:
        self._reload(self.where())

    @work(thread=True, exclusive=True)
    def _reload(self, where: str | None) -> None:
        try:
            within = self.lib.search.within(where)
            tags = self.lib.codebook.tags(within)
            matrix = self.lib.counts.matrix("tag", self.columns, within=within)
            memos = self.lib.memos.targets("tag")
        except GloseError as exc:
            reply(self, self.notify, str(exc), severity="error", markup=False)
            return
        reply(self, self._show, tags, matrix, where, memos)

    def action_follow(self) -> None:
        """Count in the articles of the search on screen, or in all (the app's toggle)."""
        self.app.lists.toggle_follow()
        self.reload()

    def _show(
        self,
        tags: list[Tag],
        matrix: Matrix,
        where: str | None = None,
        memos: set[str] = frozenset(),
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
                (f"  · in “{terminal(where)}” (F: all articles)" if where else "", "bold $accent"),
            )
        )
        self._show_matrix(matrix)
        self.query_one("#chart", Static).update(tag_chart(tags, width=max(20, self.size.width - 40)))

    def _show_matrix(self, matrix: Matrix) -> None:
        """Tags down, the chosen columns across: each cell's coded passages, and its articles
        (but for the article columns, where that is 1)."""
        self.matrix = matrix
        table = self.query_one("#matrix", DataTable)
        table.clear(columns=True)
        table.add_column(Text(f"tag \\ {self.columns}"), key="tag")
        for n, col in enumerate(matrix.col_labels):
            table.add_column(Text(short("(none)" if col is None else col, 14)), key=f"c{n}")
        cells = {(c.row, c.col): c for c in matrix.cells}
        for tag in [t.name for t in self.tags]:
            row = [Text(tag, style="bold")]
            for col in matrix.col_labels:
                c = cells.get((tag, col))
                shown = (
                    "·"
                    if c is None
                    else str(c.annotations)
                    if self.columns == "article"
                    else f"{c.annotations} ({c.articles})"
                )
                row.append(Text(shown, justify="right", style="" if c else "dim"))
            table.add_row(*row, key=tag)
        what = "passages" if self.columns == "article" else "passages (articles)"
        self.query_one("#matrix-title", Static).update(
            Content.assemble(
                (f"tags × {self.columns}", "bold"),
                (f"  cells: coded {what} · v: columns · enter: the passages", "$text-muted"),
            )
        )

    def action_columns(self) -> None:
        def chosen(column: str | None) -> None:
            if column is not None and column != self.columns:
                self.columns = column
                self.reload()

        in_worker(
            self.app,
            lambda: column_choices(self.lib.variables.names()),  # the store's variables: a query
            lambda choices: self.app.push_screen(ColumnsDialog(choices, self.columns), chosen),
            group="codebook-columns",
        )

    @on(DataTable.CellSelected, "#matrix")
    def _cell_chosen(self, event: DataTable.CellSelected) -> None:
        """Enter on a cell: its passages (what the cell counts), in a worker."""
        if self.matrix is None or event.cell_key.column_key.value == "tag":
            return
        tag = event.cell_key.row_key.value
        col = self.matrix.col_labels[int(str(event.cell_key.column_key.value)[1:])]
        column, lib, where = self.columns, self.lib, self.where()

        def find():
            found = lib.counts.passages("tag", tag, column, col, within=lib.search.within(where))
            return found, lib.articles.titles({a.article for a in found})

        heading = f"{tag} × {column} {'(none)' if col is None else col}"
        in_worker(self.app, find, lambda got: self._passages(heading, *got), group="codebook-cell")

    def _passages(self, heading: str, found, titles: dict[str, str]) -> None:
        if not found:
            self.notify("no coded passage in this cell", timeout=2)
            return

        def chosen(place: Place | None) -> None:
            if place is not None:
                self.dismiss(place)

        self.app.push_screen(CellPassagesScreen(heading, found, titles), chosen)

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
