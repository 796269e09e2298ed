"""The reader's memos: ``m`` opens the memo of the open article (no article: the project's),
the codebook's ``m`` the selected tag's, ``M`` the memo manager. What the store holds is read in
a worker before the dialog opens; the dialog writes in its own (see :mod:`..screens.memo`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ..workers import in_worker

if TYPE_CHECKING:
    from ..host import Host


class Memos:
    def __init__(self, app: Host):
        self.app = app

    def open(self) -> None:
        """``m``: the open article's memo; with no article open, the project's."""
        article = self.app.reader.article_id
        if article is None:
            self.edit("project", None)
        else:
            self.edit("article", article)

    def edit(self, kind: str, target: str | None, after: Callable[[], None] | None = None) -> None:
        """Open this coder's memo on a target in the dialog (everyone else's shown above it)."""
        lib = self.app.lib

        def read():
            target_id = lib.memos.resolve(kind, target)
            return target_id, lib.memos.of(kind, target_id), lib.readonly

        def show(found) -> None:
            from ..screens.memo import MemoDialog

            target_id, memos, readonly = found
            mine = next((m for m in memos if m.coder == lib.coder), None)
            others = [m for m in memos if m.coder != lib.coder]
            title = "Project memo" if kind == "project" else f"Memo on {kind} {target_id}"

            def save(text: str, version: int):
                return lib.memos.set(kind, target_id, text, version=version)

            def done(result) -> None:
                if result is not None or mine is not None:  # (None: deleted, or cancelled)
                    self.saved(kind, target_id)
                if after is not None:
                    after()

            self.app.push_screen(
                MemoDialog(title, mine, save, lambda: lib.memos.get(kind, target_id), others, readonly),
                done,
            )

        in_worker(self.app, read, show, group="memo")

    def saved(self, kind: str, target: str | None) -> None:
        if kind == "article":
            for pane in self.app.panes():
                if pane.reader.article_id == target:
                    pane.reload()

    def manager(self) -> None:
        """``M``: every memo, filtered; enter opens its target, ctrl+e the memo."""
        from ..screens.memos import MemosScreen

        def chosen(result) -> None:
            if result is None:
                return
            what, kind, target = result
            if what == "edit":
                self.edit(kind, target or None)
            elif kind == "article":
                self.app.open_article(target, self.app.active)
            elif kind == "tag":
                self.app.action_codebook(target)
            else:
                self.edit("project", None)

        self.app.push_screen(MemosScreen(self.app.lib), chosen)
