"""The promise, as a property: whatever happens to the files — edits, restores, renames and
moves, half-written saves — and whatever the user does meanwhile — annotate, re-import a
backup, undo — every annotation ends either exactly where its quote is, or flagged. Never cut,
never silently moved, never lost.

A Hypothesis state machine drives a real workspace (real files, real index, real SQLite)
through the same Library the CLI and the reader use, and checks the invariants after each step.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from tui.api import Library, Passage
from tui.model import StoreError
from tui.workspace import Workspace

from .conftest import SAMPLES

FLAGGED = {"moved", "fuzzy", "unverified", "orphaned"}


class Workspaces(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.tmp = Path(tempfile.mkdtemp(prefix="glose-prop-"))
        shutil.copytree(SAMPLES, self.tmp / "articles")
        self.ws = Workspace.resolve(self.tmp)
        self.lib = Library(self.ws, coder="prop")
        self.lib.index.update()
        # what each file held when it arrived, by its current id (renames carry it along)
        self.original = {p.name: p.read_bytes() for p in (self.tmp / "articles").glob("*.txt")}
        self.made: dict[str, str] = {}  # annotation id -> the quote the user made
        self.backup: Path | None = None
        self.renames = 0

    def teardown(self) -> None:
        self.lib.close()
        shutil.rmtree(self.tmp, ignore_errors=True)

    # --- helpers ----------------------------------------------------------------------------

    def path(self, article: str) -> Path:
        return self.ws.articles / article

    def pick(self, n: int) -> str:
        names = sorted(self.original)
        return names[n % len(names)]

    def text(self, article: str) -> str:
        return self.path(article).read_text("utf-8", errors="replace")

    def settle(self) -> None:
        self.lib.index.update()

    # --- what happens to files ------------------------------------------------------------------

    @rule(n=st.integers(0, 99), at=st.floats(0, 1), word=st.sampled_from(["X", "nouveau", "", "Grok"]))
    def edit_a_word(self, n, at, word):
        article = self.pick(n)
        text = self.text(article)
        i = int(at * len(text))
        j = text.find(" ", i + 1)
        if j == -1:
            return
        k = text.find(" ", j + 1)
        if k == -1:
            k = len(text)
        self.path(article).write_text(text[: j + 1] + word + text[k:], "utf-8")
        self.settle()

    @rule(n=st.integers(0, 99), at=st.floats(0, 1))
    def insert_a_paragraph(self, n, at):
        article = self.pick(n)
        text = self.text(article)
        i = text.find("\n", int(at * len(text)))
        i = len(text) if i == -1 else i
        self.path(article).write_text(text[:i] + "\n\nUn paragraphe ajouté ici.\n" + text[i:], "utf-8")
        self.settle()

    @rule(n=st.integers(0, 99), fraction=st.floats(0.05, 0.95))
    def caught_half_written(self, n, fraction):
        """An editor saving in place, a sync client: indexed while half there, then whole."""
        article = self.pick(n)
        raw = self.path(article).read_bytes()
        self.path(article).write_bytes(raw[: max(1, int(len(raw) * fraction))])
        self.settle()
        self.path(article).write_bytes(raw)
        self.settle()

    @rule(n=st.integers(0, 99))
    def restore(self, n):
        article = self.pick(n)
        self.path(article).write_bytes(self.original[article])
        self.settle()

    @rule(n=st.integers(0, 99), folder=st.booleans())
    def rename(self, n, folder):
        article = self.pick(n)
        self.renames += 1
        new = f"{'sous/' if folder else ''}renomme-{self.renames}-{Path(article).name}"
        self.path(new).parent.mkdir(parents=True, exist_ok=True)
        self.path(article).rename(self.path(new))
        self.original[new] = self.original.pop(article)
        self.settle()

    # --- what the user does --------------------------------------------------------------------

    @rule(n=st.integers(0, 99), at=st.floats(0, 1), length=st.integers(8, 80))
    def annotate(self, n, at, length):
        article = self.pick(n)
        text = self.text(article)
        start = int(at * max(0, len(text) - length))
        if not text[start : start + length].strip():
            return
        ann = self.lib.annotations.annotate(Passage(article, start=start, end=start + length), tags=["p"])
        self.made[ann.id] = ann.exact

    @rule()
    def take_a_backup(self):
        self.backup = self.tmp / "backup.jsonld"
        self.lib.exchange.export("json", path=self.backup, replace=True)  # a newer backup replaces the last

    @precondition(lambda self: self.backup is not None)
    @rule()
    def import_the_backup(self):
        self.lib.exchange.import_file(self.backup)

    @rule()
    def undo(self):
        try:
            self.lib.journal.undo()
        except StoreError:
            pass  # nothing to undo, or refused: a later change is in the way

    # --- the promise ----------------------------------------------------------------------------

    @invariant()
    def every_annotation_is_where_its_quote_is_or_flagged(self):
        anns = self.lib.annotations.find() + self.lib.annotations.find(deleted=True)
        ids = {a.id for a in anns}
        assert set(self.made) <= ids, "an annotation was lost"
        hashes: dict[str, str | None] = {}
        for ann in anns:
            assert ann.made_exact == self.made.get(ann.id, ann.made_exact), "the made quote changed"
            if ann.article not in hashes:
                hashes[ann.article] = (
                    self.lib.articles.text(ann.article).hash if self.path(ann.article).exists() else None
                )
            if hashes[ann.article] == ann.made_hash:  # the very text it was made on: exactly there
                assert (ann.status, ann.start, ann.end, ann.exact) == (
                    "anchored",
                    ann.made_start,
                    ann.made_end,
                    ann.made_exact,
                ), "the text it was made on is back, the annotation is not"
            if ann.status in FLAGGED and ann.status != "moved":
                continue
            assert self.path(ann.article).exists(), f"{ann.status} on a missing file {ann.article}"
            text = self.text(ann.article)
            assert text[ann.start : ann.end] == ann.made_exact, f"{ann.status} but cut: {ann.exact!r}"
            if ann.status == "anchored":
                assert ann.start == ann.made_start, "anchored but silently moved"


Workspaces.TestCase.settings = settings(
    max_examples=8,
    stateful_step_count=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
test_files_and_users_never_lose_cut_or_silently_move_an_annotation = Workspaces.TestCase
