"""The bar under a reader: the annotation under the cursor (its tags, note, coder, status) or the
passage selected, with what can be done to it as links that run the same actions as the keys.
Tags, notes and names are data: built into ``Content`` literally."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.content import Content

from ...model import Annotation
from ...sanitize import terminal
from ...wording import counted
from ..reader.pane import ReaderPane
from ..reader.view import Reader

if TYPE_CHECKING:
    from ..host import Host


class NoteBar:
    def __init__(self, app: Host):
        self.app = app

    def show(self, reader: Reader) -> None:
        """The bar under the reader: the annotation under the cursor (tags, note) or the
        passage selected, with what can be done to it, clickable."""
        pane = reader.parent
        if not isinstance(pane, ReaderPane):
            return
        marks = reader.marks_at(reader.cursor)
        ann = pane.annotations.get(marks[0].id) if marks else None
        passage = reader.passage
        # Comparing coders, a disagreement under the cursor comes first (unless selecting).
        disputed = self.app.compare.note(reader) if reader.selection is None else None
        if disputed is None and reader.selection is None:  # beside a wire family's source: the change
            disputed = self.app.families.note(reader)
        if disputed is not None:
            pane.set_note(disputed if ann is None else Content.assemble(note_content(ann, 1), "\n", disputed))
        elif passage is not None:
            pane.set_note(
                Content.assemble((counted(passage[1] - passage[0], "character"), "bold"), "  ", PASSAGE_LINKS)
            )
        elif ann is not None:
            several = len(self.app.annotations_panel.coders) > 1
            pane.set_note(Content.assemble(note_content(ann, len(marks), several), "\n", ANNOTATION_LINKS))
        else:
            pane.set_note(None)


# Fixed text of ours, so markup is safe here: links that run the same actions as the keys.
PASSAGE_LINKS = Content.from_markup(
    "[@click=app.do('coding','annotate')]annotate (a)[/]  ·  [@click=app.do('across','where_else')]where else (W)[/]"
    "  ·  [@click=app.do('reader','action_clear_selection')]clear (escape)[/]"
).stylize("$text-muted")
ANNOTATION_LINKS = Content.from_markup(
    "[@click=app.do('coding','edit')]edit (e)[/]  ·  [@click=app.do('coding','delete')]delete (d)[/]  ·  "
    "[@click=app.do('across','where_else')]where else (W)[/]  ·  [@click=app.do('coding','undo')]undo (u)[/]"
).stylize("$text-muted")


def note_content(ann: Annotation, depth: int, coder: bool = False) -> Content:
    """``coder``: say who made it (there are several coders)."""
    parts: list = [(", ".join(ann.tags) or "no tag", "bold")]
    if coder:
        parts.append((f"  by {terminal(ann.coder) or '?'}", "$text-muted"))
    if depth > 1:
        parts.append((f"  (+{depth - 1} overlapping)", "$text-muted"))
    if ann.status != "anchored":
        parts.append((f"  {ann.status}", "$warning"))
    if ann.note:
        parts += ["\n", ann.note]
    return Content.assemble(*parts)
