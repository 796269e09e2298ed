"""Coding in the reader: annotate, edit, delete, quick tags, repeat, re-attach, code every
hit of a concordance, undo and redo. Every change is one call of the library in a worker;
when it lands, a :class:`Changed` message tells the app to refresh what shows it."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.message import Message

from ...api import Passage
from ...model import Annotation
from ...wording import counted, short
from ..workers import in_worker

if TYPE_CHECKING:
    from ..host import Host


class Changed(Message):
    """A change to annotations landed (``made``: what it wrote, first first)."""

    def __init__(self, made: list[Annotation], jump: bool = False) -> None:
        super().__init__()
        self.made = made
        self.jump = jump  # put the reader's cursor on the first one (it is under the cursor next)


class Coding:
    """The coding actions of one app (not a widget: it works on the active reader and the
    annotations panel, which the app owns)."""

    def __init__(self, app: Host) -> None:
        self.app = app
        self.last_coding: list[str] | None = None

    def write(self, write: Callable[[], object], then: Callable[[object], None] | None = None) -> None:
        in_worker(self.app, write, then, group="write")

    def changed(self, made: list[Annotation], jump: bool = False) -> None:
        self.app.post_message(Changed(made, jump))

    # --- making annotations ---------------------------------------------------------------------

    def annotate(self) -> None:
        app = self.app
        reader = app.reader
        if reader.article_id is None:
            app.notify("open an article first", timeout=3)
            return
        selection = reader.passage
        if selection is None:
            if reader.marks_at(reader.cursor):
                self.edit()
                return
            app.notify("select a passage first: v then w, ) or }, or drag with the mouse", timeout=4)
            return
        if not self.writable():
            return
        start, end = selection
        article, text = reader.article_id, reader.text
        lib = app.lib

        def save(tags: list[str], note: str) -> Annotation:
            ann = lib.annotations.annotate(
                Passage(article, start=start, end=end, text=text), tags=tags, note=note
            )
            if tags:
                self.last_coding = list(tags)
            return ann

        def done(ann: Annotation | None) -> None:
            if ann is not None:
                self.changed([ann], jump=True)

        from ..screens.dialogs import AnnotateDialog  # loaded when first opened: a faster start

        app.push_screen(AnnotateDialog("New annotation", text[start:end], app.codebook, save), done)

    def writable(self) -> bool:
        """Say before anything is typed that it could not be saved (a read-only database)."""
        reason = self.app.lib.readonly
        if reason:
            self.app.notify(f"annotations cannot be saved: {reason}", severity="error", timeout=8)
        return not reason

    def create(self, article: str, text: str, start: int, end: int, tags: list[str], note: str) -> None:
        lib = self.app.lib
        self.write(
            lambda: lib.annotations.annotate(
                Passage(article, start=start, end=end, text=text), tags=tags, note=note
            ),
            lambda ann: self.changed([ann], jump=True),
        )
        if tags:
            self.last_coding = list(tags)

    def current(self) -> Annotation | None:
        """The annotation the user means: highlighted in the panel when it has focus, else
        the innermost one under the active reader's cursor."""
        panel = self.app.annotations_panel
        if panel.listing.has_focus:
            found = panel.highlighted()
            if found is not None:
                return found
        return self.app.pane().annotation_at_cursor()

    def edit(self) -> None:
        ann = self.current()
        if ann is None:
            self.app.notify(
                "no annotation here: move the cursor onto one, or pick one in the list",
                timeout=3,
            )
            return
        if not self.writable():
            return
        lib = self.app.lib

        def done(edited: Annotation | None) -> None:
            if edited is not None:
                self.changed([edited])

        from ..screens.dialogs import AnnotateDialog

        self.app.push_screen(
            AnnotateDialog(
                "Edit annotation",
                ann.exact,
                self.app.codebook,
                lambda tags, note: lib.annotations.edit(ann.id, tags=tags, note=note, version=ann.version),
                tags=list(ann.tags),
                note=ann.note,
            ),
            done,
        )

    def restore(self) -> None:
        ann = self.app.annotations_panel.highlighted()
        if ann is None or ann.deleted is None:
            self.app.notify(
                "pick a deleted annotation in the trash (palette: Annotations: trash), then R",
                timeout=4,
            )
            return
        self.write(lambda: self.app.lib.annotations.restore(ann.id), lambda a: self.changed([a]))
        self.app.notify(f"restored “{short(ann.exact, 40)}”", timeout=3)

    def delete(self) -> None:
        ann = self.current()
        if ann is None:
            self.app.notify("no annotation here to delete", timeout=3)
            return
        self.write(lambda: self.app.lib.annotations.delete(ann.id), lambda a: self.changed([a]))
        self.app.notify(f"deleted “{short(ann.exact, 40)}” (u undoes)", timeout=3)

    def quick_tag(self, n: int) -> None:
        names = self.app.codebook
        if n > len(names):
            self.app.notify(
                f"the codebook has {counted(len(names), 'tag')}; key {n} has none yet",
                timeout=3,
            )
            return
        self.apply_tags([names[n - 1]])

    def repeat(self) -> None:
        if not self.last_coding:
            self.app.notify("nothing to repeat yet: code a passage first", timeout=3)
            return
        self.apply_tags(self.last_coding)

    def apply_tags(self, tags: list[str]) -> None:
        reader = self.app.reader
        if reader.article_id is None:
            return
        if reader.selection is not None:
            self.create(reader.article_id, reader.text, *reader.selection, tags, "")
            return
        ann = self.current()
        if ann is None:
            self.app.notify("select a passage (v) or move onto an annotation first", timeout=3)
            return
        self.write(lambda: self.app.lib.annotations.edit(ann.id, add_tags=tags), lambda a: self.changed([a]))
        self.last_coding = list(tags)

    def reattach(self) -> None:
        app = self.app
        ann = app.annotations_panel.highlighted()
        reader = app.reader
        if ann is None or reader.selection is None or reader.article_id is None:
            app.notify(
                "select the new passage in the reader, then highlight the orphan in the list and press r",
                timeout=5,
            )
            return
        start, end = reader.selection
        text, article = reader.text, reader.article_id
        self.write(
            lambda: app.lib.annotations.reattach(ann.id, Passage(article, start=start, end=end, text=text)),
            lambda a: self.changed([a], jump=True),
        )

    def code_all(self, tag: str, lines) -> None:
        spans = [(line.article, line.start, line.end) for line in lines]
        self.write(lambda: self.app.lib.annotations.code_spans(spans, [tag]), lambda made: self.changed(made))
        self.app.notify(f"tagging {counted(len(spans), 'occurrence')} with {tag} (u undoes it)", timeout=4)
        self.last_coding = [tag]

    # --- the journal ------------------------------------------------------------------------------

    def undo(self, after: Callable[[], None] | None = None) -> None:
        self._history("undo", after)

    def redo(self, after: Callable[[], None] | None = None) -> None:
        self._history("redo", after)

    def _history(self, which: str, after: Callable[[], None] | None) -> None:
        """``after``: what else shows the change (the codebook screen over the reader)."""
        lib = self.app.lib

        def then(event) -> None:
            self.app.notify(event.label, timeout=3)
            self.changed([])
            if after is not None:
                after()

        self.write(lambda: getattr(lib.journal, which)(here=True), then)
