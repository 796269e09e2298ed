"""``lib.journal``: undo, redo and the log, from the journal the store writes with every
change, so they work across front ends and restarts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .context import Context

if TYPE_CHECKING:
    from ..store import Event


class JournalPart:
    def __init__(self, ctx: Context):
        self._ctx = ctx

    def undo(self, *, here: bool = False) -> Event:
        """Revert this coder's last change, made in any front end and before a restart too
        (``here``: the last made in this front end: the reader's ``u``). Refused, with what
        changed since and by whom, when it would overwrite a later change."""
        return self._ctx.store.undo(here=here)

    def redo(self, *, here: bool = False) -> Event:
        """Re-apply what the last undo reverted (same rules)."""
        return self._ctx.store.redo(here=here)

    def log(self, limit: int | None = 20, *, coder: str | None = None) -> list[Event]:
        """The journal, newest first."""
        return self._ctx.store.history(limit, coder)
