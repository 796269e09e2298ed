"""Comparing two coders in the reader: the open article side by side, coder A's annotations
on the left and coder B's on the right, the spans where they disagree marked in both, jumped
between (``>``, ``<``) and settled in one key (``+`` adopt, ``-`` reject, ``=`` merge) through
the library, each one undoable change; and ``D``, which marks the open article as coded by
you (agreement's missing data). A controller of the app (not a widget), like :mod:`.coding`;
what a settle writes is decided by the library, never here."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from typing import TYPE_CHECKING

from textual.content import Content

from ...sanitize import terminal
from ...wording import counted
from ..focus import focus_now
from ..workers import in_worker

if TYPE_CHECKING:
    from ..host import Host
    from ..reader.pane import ReaderPane
    from ..reader.view import Reader

SETTLE_HOW = {"adopt": "adopted", "reject": "rejected", "merge": "merged"}

# Fixed text of ours, so markup is safe here: links that run the same actions as the keys.
SETTLE_LINKS = Content.from_markup(
    "[@click=app.do('compare','settle','adopt')]adopt (+)[/]  ·  [@click=app.do('compare','settle','reject')]reject (-)[/]  ·  "
    "[@click=app.do('compare','settle','merge')]merge (=)[/]  ·  [@click=app.do('compare','step',1)]next (>)[/]"
).stylize("$text-muted")


class Compare:
    def __init__(self, app: Host) -> None:
        self.app = app
        self.coders: tuple[str, str] | None = None
        self.found: list = []  # the open article's disagreements (tui.coders.agreement.Disagreement)
        self.at: int | None = None  # the one last jumped to
        self._announce = False
        self._before: tuple[bool, str | None, bool] = (False, None, False)  # split, right, sync

    @property
    def active(self) -> bool:
        return self.coders is not None

    @property
    def view_before(self) -> tuple[bool, str | None]:
        """Split or not, and the right reader's article, as they were before comparing."""
        return self._before[:2]

    # --- entering and leaving ------------------------------------------------------------------

    def toggle(self) -> None:
        if self.active:
            self.leave()
            return
        app = self.app
        article = app.reader.article_id
        if article is None:
            app.notify("open an article first, then C compares its coders", timeout=4)
            return

        in_worker(
            app,
            # "": annotations from before coders were recorded, nobody's to compare
            lambda: {c: n for c, n in app.lib.coders.counts().items() if c},
            lambda counts: self._choose(article, counts),
            group="compare",
        )

    def _choose(self, article: str, counts: dict[str, int]) -> None:
        from ..screens.choosers import CoderPairDialog, pairings

        if len(counts) < 2:
            who = f"only {next(iter(counts))} has" if counts else "nobody has"
            self.app.notify(f"comparing needs two coders: {who} annotations", timeout=5)
            return
        pairs = pairings(counts, self.app.lib.coder)
        if len(pairs) == 1:
            self.enter(article, pairs[0])
            return

        def done(pair: tuple[str, str] | None) -> None:
            if pair is not None:
                self.enter(article, pair)

        self.app.push_screen(CoderPairDialog(pairs, counts), done)

    def enter(self, article: str, pair: tuple[str, str]) -> None:
        app = self.app
        left, right = app.pane("left"), app.pane("right")
        self._before = (app.split, right.reader.article_id, app.sync_scroll)
        self.coders, self.found, self.at = pair, [], None
        if not app.split:
            app.action_toggle_split()
        app.sync_scroll = True
        left.show_coder(pair[0])
        right.show_coder(pair[1])
        if right.reader.article_id != article:
            right.open(article, self._focus_left)
        if left.reader.article_id != article:
            left.open(article, self._focus_left)
        self._focus_left()
        self._announce = True
        self.refresh()

    def _focus_left(self, _reader=None) -> None:
        """Coder A's reader has the keys (a reader opening takes the focus otherwise)."""
        self.app.set_active("left")
        focus_now(self.app.pane("left").reader)

    def leave(self) -> None:
        app = self.app
        split, right_article, sync = self._before
        left, right = app.pane("left"), app.pane("right")
        article = left.reader.article_id
        self.coders, self.found, self.at = None, [], None
        app.sync_scroll = sync
        for pane in (left, right):
            pane.reader.set_disputed([])
            pane.show_coder(None)
        if not split:
            app.action_toggle_split()
        elif right_article is not None and right_article != article:
            right.open(right_article)
        focus_now(left.reader)
        app.across.update()
        app.refresh_panel()

    # --- the disagreements ---------------------------------------------------------------------

    def refresh(self) -> None:
        """Find the open article's disagreements again (after any change to annotations)."""
        if self.coders is None:
            return
        app = self.app
        article = app.pane("left").reader.article_id
        coders = list(self.coders)
        if article is None:
            return

        in_worker(
            app,
            lambda: app.lib.coders.disagreements(coders, article=article),
            lambda found: self._show(article, tuple(coders), found),
            group="disagreements",
            exclusive=True,
        )

    def _show(self, article: str, coders: tuple[str, str], found: list) -> None:
        app = self.app
        if coders != self.coders or app.pane("left").reader.article_id != article:
            return  # left the comparison, or another article, meanwhile
        self.found = found
        for pane in app.panes():
            self.mark(pane.reader)
        if self._announce:  # the first count, with the keys
            self._announce = False
            app.notify(
                f"comparing {coders[0]} (left) and {coders[1]} (right): "
                f"{counted(len(found), 'disagreement')} here; > jumps to the next, "
                "+ adopts, - rejects, = merges; C or escape leaves",
                markup=False,
                timeout=8,
            )

    def open(self, article: str, then=None) -> None:
        """Another article, in both readers (``then`` runs on coder A's)."""
        left, right = self.app.pane("left"), self.app.pane("right")

        def shown(reader: Reader) -> None:
            self._focus_left()
            if then is not None:
                then(reader)

        right.open(article, self._focus_left)
        left.open(article, shown)

    def opened(self, pane: ReaderPane) -> None:
        if pane is self.app.pane("left"):
            self.refresh()  # the disagreements of the article now open
        self.mark(pane.reader)

    def mark(self, reader: Reader) -> None:
        """Mark the disagreements in ``reader`` (again: loading an article clears them)."""
        if self.active and reader.article_id == self.app.pane("left").reader.article_id:
            reader.set_disputed([(d.start, d.end) for d in self.found])

    def step(self, delta: int) -> None:
        app = self.app
        if not self.active:
            app.notify("compare coders first (C)", timeout=3)
            return
        if not self.found:
            app.bell()
            app.notify("no disagreements in this article", timeout=3)
            return
        starts = [d.start for d in self.found]
        cursor = app.reader.cursor
        if delta > 0:
            i = bisect_right(starts, cursor)
            i = i if i < len(starts) else 0
        else:
            i = bisect_left(starts, cursor) - 1
            i = i if i >= 0 else len(starts) - 1
        self.at = i
        d = self.found[i]
        active = app.reader
        for pane in app.panes():
            if pane.reader is not active:
                pane.reader.reveal(d.start, d.end)
        active.reveal(d.start, d.end)  # last: the note bar follows the reader with focus

    def at_cursor(self, reader: Reader) -> object | None:
        """The disagreement under ``reader``'s cursor (the one jumped to, if several)."""
        if not self.active:
            return None
        here = [d for d in self.found if d.start <= reader.cursor < d.end]
        if self.at is not None and self.at < len(self.found) and self.found[self.at] in here:
            return self.found[self.at]
        return here[0] if here else None

    def note(self, reader: Reader) -> Content | None:
        d = self.at_cursor(reader)
        if d is None:
            return None
        return Content.assemble(
            ("disagreement ", "$text-error"),
            (terminal(d.tag), "bold"),
            "  coded by ",
            (terminal(", ".join(d.coded_by)), "bold"),
            ", not by ",
            (terminal(", ".join(d.not_coded_by)), "bold"),
            "\n",
            SETTLE_LINKS,
        )

    # --- settling ------------------------------------------------------------------------------

    def settle(self, how: str) -> None:
        app = self.app
        if not self.active:
            app.notify("compare coders first (C)", timeout=3)
            return
        d = self.at_cursor(app.reader)
        if d is None:
            app.notify("move onto a disagreement first (> jumps to the next)", timeout=4)
            return
        if not app.coding.writable():
            return
        lib = app.lib

        def done(settled) -> None:
            app.notify(f"{SETTLE_HOW[how]}: {settled.label} (u undoes)", timeout=5)
            app.coding.changed(settled.annotations)

        app.coding.write(lambda: getattr(lib.coders, how)(d), done)

    # --- done marks ----------------------------------------------------------------------------

    def toggle_done(self) -> None:
        """Mark the open article as coded by you (``D``), or not any more: agreement then
        counts the articles you have not marked as not coded by you (missing data)."""
        app = self.app
        article = app.reader.article_id
        if article is None:
            app.notify("open an article first, then D marks it done", timeout=4)
            return
        if not app.coding.writable():
            return
        lib = app.lib

        def done(now_done: bool) -> None:
            state = "done: coded by" if now_done else "no longer done for"
            app.notify(f"{article} {state} {lib.coder} (u undoes)", timeout=5)

        app.coding.write(lambda: lib.coders.toggle_done(article), done)
