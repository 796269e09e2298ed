"""What the timeline and the matrix count, read lightly: every live annotation's article and
tags, without its quote, note and selectors (20,000 full annotations take ~1.5 s to build;
these, a tenth of that)."""

from __future__ import annotations

from typing import NamedTuple


class Coded(NamedTuple):
    """One live annotation, as counting sees it."""

    id: str
    article: str
    tags: tuple[str, ...]


class Counting:
    """Mixed into :class:`~tui.store.store.Store`."""

    def coded(self) -> list[Coded]:
        """Every live annotation (orphans included, as ``glose annotations`` lists them), in
        article order, with its tags."""
        with self._lock, self._errors():
            rows = self._rows(
                'SELECT id, article FROM annotations WHERE deleted IS NULL ORDER BY article, start, "end", created'
            )
            tags = self._tags_of([r[0] for r in rows])
        return [Coded(r[0], r[1], tags[r[0]]) for r in rows]
