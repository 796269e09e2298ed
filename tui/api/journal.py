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
        return self._reindexed(self._ctx.store.undo(here=here))

    def redo(self, *, here: bool = False) -> Event:
        """Re-apply what the last undo reverted (same rules)."""
        return self._reindexed(self._ctx.store.redo(here=here))

    def _reindexed(self, event: Event) -> Event:
        """The index keeps the title, source, date... set by hand: an undo of such a change
        writes those articles again."""
        from ..store.variables import OVERRIDABLE, var_of

        articles = sorted(
            {var_of(c)[0] for c in event.changes if c.kind == "variable" and var_of(c)[1] in OVERRIDABLE}
        )
        if articles:
            from .variables import reindex_overrides

            reindex_overrides(self._ctx, articles)
        return event

    def log(self, limit: int | None = 20, *, coder: str | None = None) -> list[Event]:
        """The journal, newest first."""
        return self._ctx.store.history(limit, coder)
