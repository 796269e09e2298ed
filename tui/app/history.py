"""Undo and redo for every change to annotations made in the app (pure, no Textual).

Each step holds the annotations before and after the change (None where one did not exist);
undoing writes the "before" versions back, redoing the "after" ones. Creation is undone by
moving the annotation to the trash, so an undo never erases data either.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..store import Annotation, Store, now

LIMIT = 500


@dataclass(frozen=True)
class Step:
    label: str
    before: tuple[Annotation | None, ...]
    after: tuple[Annotation, ...]


class History:
    def __init__(self) -> None:
        self._undo: list[Step] = []
        self._redo: list[Step] = []

    def record(self, label: str, before: list[Annotation | None], after: list[Annotation]) -> None:
        self._undo.append(Step(label, tuple(before), tuple(after)))
        del self._undo[:-LIMIT]
        self._redo.clear()

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    def undo(self, store: Store) -> Step | None:
        if not self._undo:
            return None
        step = self._undo.pop()
        stamp = now()
        writes = []
        for before, after in zip(step.before, step.after, strict=True):
            if before is None:
                writes.append(replace(after, deleted=stamp, updated=stamp))
            else:
                writes.append(replace(before, updated=stamp))
        store.put_many(writes)
        self._redo.append(step)
        return step

    def redo(self, store: Store) -> Step | None:
        if not self._redo:
            return None
        step = self._redo.pop()
        stamp = now()
        store.put_many([replace(after, updated=stamp) for after in step.after])
        self._undo.append(step)
        return step
