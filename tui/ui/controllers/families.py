"""The families view: the wire families of the current search, listed (``Y`` or the
palette); choosing a copy puts its family's source in the left reader and the copy in the
right one, with what the copy cut (in the source), added (in the copy), reworded and moved
(in both) marked, and ``]``/``[`` stepping through those changes instead of the annotations
(the reader's own keys: :meth:`~tui.ui.reader.moving.Moving.action_mark`). Escape, ``F`` again
or unsplitting leaves. A controller of the app, like :mod:`.comparing`; the families and the
changes come from the library, in workers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.content import Content

from ...sanitize import terminal
from ..focus import focus_now
from ..workers import in_worker

if TYPE_CHECKING:
    from ..host import Host
    from ..reader.pane import ReaderPane
    from ..reader.view import Reader

KINDS = {"cut": "cut from the source", "added": "added by the copy", "reworded": "reworded", "moved": "moved"}


class Families:
    def __init__(self, app: Host) -> None:
        self.app = app
        self.pair: tuple[str, str] | None = None  # (source, copy) side by side
        self.family: str | None = None  # theirs
        self.marks: tuple[list, list] = ([], [])  # (source's, copy's) (start, end, kind)
        self.links: list[tuple[int, int, int, int]] = []  # a reworded or moved passage's two sides
        self._before: tuple[bool, str | None] = (False, None)

    @property
    def active(self) -> bool:
        return self.pair is not None

    def toggle(self) -> None:
        """List the families of the current search (every article without one)."""
        if self.active:
            self.leave()
            return
        app = self.app
        query = (app.search_panel.shown_query or "").strip() or None  # the results on screen
        app.notify("finding the wire families…" + (f" of “{query}”" if query else ""), timeout=3)
        in_worker(
            app,
            lambda: app.lib.families.find(query),
            lambda found: self._choose(found, query),
            group="families",
            exclusive=True,
            timeout=120,
        )

    def _choose(self, found: list, query: str | None) -> None:
        from ..screens.families import FamiliesDialog

        if not found:
            where = f"among the results of “{query}”" if query else "in the corpus"
            self.app.notify(f"no wire families {where}: no two articles share enough text", timeout=5)
            return

        def done(row: tuple[str, str, str] | None) -> None:
            if row is not None:
                self.family = row[0]
                self.enter(*row[1:])

        self.app.push_screen(FamiliesDialog(found), done)

    def enter(self, source: str, copy: str) -> None:
        app = self.app
        if app.compare.active:
            app.compare.leave()
        if not self.active:
            self._before = (app.split, app.pane("right").reader.article_id)
        self.pair, self.marks = (source, copy), ([], [])
        if not app.split:
            app.action_toggle_split()
        app.pane("left").open(source)
        app.pane("right").open(copy)
        in_worker(
            app,
            lambda: app.lib.families.compare(source, copy),
            lambda changes: self._show(source, copy, changes),
            group="family-changes",
            exclusive=True,
            timeout=30,
        )

    def _show(self, source: str, copy: str, changes) -> None:
        if self.pair != (source, copy):
            return
        self.marks = changes.marks()
        self.links = [
            (r.source.start, r.source.end, r.copy.start, r.copy.end) for r in changes.reworded + changes.moved
        ]
        for pane in self.app.panes():
            self.mark(pane)
        counts = {k: 0 for k in KINDS}
        for _s, _e, kind in self.marks[0] + self.marks[1]:
            counts[kind] += 1
        counts["reworded"] //= 2
        counts["moved"] //= 2
        said = ", ".join(f"{n} {k}" for k, n in counts.items() if n) or "no change"
        self.app.notify(
            f"{terminal(copy)} beside its source {terminal(source)}: {said}; ] and [ step through "
            "the changes, escape leaves",
            timeout=8,
        )
        focus_now(self.app.pane("right").reader)

    def opened(self, pane: ReaderPane) -> None:
        self.mark(pane)

    def mark(self, pane: ReaderPane) -> None:
        """Mark the changes in a reader (again: loading an article clears them); a reader
        that shows another article now leaves the family view."""
        if not self.active:
            return
        source, copy = self.pair
        reader = pane.reader
        if pane.id == "left" and reader.article_id == source:
            reader.set_changes(self.marks[0])
        elif pane.id == "right" and reader.article_id == copy:
            reader.set_changes(self.marks[1])

    def follow(self, reader: Reader) -> None:
        """The cursor on a reworded or moved passage: the other reader shows its other side."""
        if not self.active or not self.app.split or reader is not self.app.focused:
            return  # (only the reader being read leads: the other's reveal must not answer back)
        left = self.app.pane("left").reader
        for a0, a1, b0, b1 in self.links:
            here, there, other = ((a0, a1), (b0, b1), self.app.pane("right").reader)
            if reader is not left:
                here, there, other = (b0, b1), (a0, a1), left
            if here[0] <= reader.cursor < here[1]:
                if not there[0] <= other.cursor < there[1]:
                    other.reveal(*there, keep_if_visible=True)
                return

    def note(self, reader: Reader) -> Content | None:
        if not self.active:
            return None
        here = [c for c in reader.changes if c[0] <= reader.cursor < c[1]]
        if not here:
            return None
        return Content.assemble(
            (KINDS[here[0][2]], "bold"), ("  ] next change · [ previous · escape leaves", "$text-muted")
        )

    # --- coding once ---------------------------------------------------------------------

    def propagate(self) -> None:
        """Propose the source's codings on every copy of the family open side by side that
        still holds the coded passage; then the proposals to decide on."""
        app = self.app
        if not self.active or self.family is None:
            app.notify("open a wire family first (Y), then propose its source's codings", timeout=4)
            return
        if not app.coding.writable():
            return
        family = self.family

        def done(report) -> None:
            why = "; ".join(f"not on {s['article']}: {s['reason']}" for s in report.skipped[:3])
            app.notify(f"family {family}: {report.summary()}" + (f" ({why}…)" if why else ""), timeout=8)
            self.proposals(family)

        app.coding.write(lambda: app.lib.families.propagate(family), done)

    def proposals(self, family: str | None = None) -> None:
        """The proposed codings waiting (of ``family``): accept or reject, one or all."""
        from ..screens.families import ProposalsDialog

        app = self.app

        def decide(ids: list[str] | None, accept: bool) -> None:
            if not app.coding.writable():
                return

            def done(result) -> None:
                decided, made = result
                verb = "accepted" if accept else "rejected"
                app.notify(
                    f"{verb} {len(decided)} proposed coding{'s' if len(decided) != 1 else ''} (u undoes)",
                    timeout=5,
                )
                if made:
                    app.coding.changed(made)
                in_worker(app, lambda: app.lib.families.proposals(family), dialog.show, group="proposals")

            app.coding.write(lambda: app.lib.families.decide(ids, accept=accept, family=family), done)

        dialog = None

        def shown(rows: list[dict]) -> None:
            nonlocal dialog
            dialog = ProposalsDialog(rows, decide)
            app.push_screen(dialog)

        in_worker(app, lambda: app.lib.families.proposals(family), shown, group="proposals")

    def leave(self) -> None:
        app = self.app
        split, right_article = self._before
        self.pair, self.marks, self.links, self.family = None, ([], []), [], None
        for pane in app.reader_panes.values():
            pane.reader.set_changes([])
        if not split and app.split:
            app.action_toggle_split()
        elif right_article is not None and app.pane("right").reader.article_id != right_article:
            app.pane("right").open(right_article)
        focus_now(app.pane("left").reader)
