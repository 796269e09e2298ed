"""Undo and redo from the journal (see :mod:`.journal` for the rules): revert an event's
changes as a new event, only where nothing changed the same targets since."""

from __future__ import annotations

from dataclasses import replace

from ..model import StoreError, now
from .done import done_of
from .journal import Change, Event
from .variables import var_of


class UndoRefused(StoreError):
    """An undo or redo that would overwrite a later change (or has nothing to act on)."""


class Reverting:
    """Mixed into :class:`~tui.store.store.Store`."""

    def history(self, limit: int | None = 20, coder: str | None = None) -> list[Event]:
        return self.journal.events(limit, coder)

    def undo(self, *, here: bool = False) -> Event:
        """Revert the coder's last change (``here``: the last made in this front end);
        refused when a later change would be overwritten."""
        return self._revert("undo", here)

    def redo(self, *, here: bool = False) -> Event:
        return self._revert("redo", here)

    def _revert(self, which: str, here: bool) -> Event:
        with self.transaction():
            coder, frontend = self.actor.coder, (self.actor.frontend if here else None)
            pick = self.journal.undo_candidate if which == "undo" else self.journal.redo_candidate
            target = pick(coder, frontend)
            if target is None:
                raise UndoRefused(f"nothing to {which}")
            shown = target.label if which == "undo" else self.journal.event(target.reverts).label
            blockers = self.journal.blockers(target)
            if blockers:
                change, later = blockers[0]
                what = (
                    f"annotation {change.ident[:8]}"
                    if change.kind == "annotation"
                    else "the done mark of {1} by {0}".format(*done_of(change))
                    if change.kind == "done"
                    else "{1} of {0}".format(*var_of(change))
                    if change.kind == "variable"
                    else self.memo_label(change)
                    if change.kind == "memo"
                    else f"the set {change.ident}"
                    if change.kind == "set"
                    else f"the canonical member of family {change.ident}"
                    if change.kind == "canonical"
                    else f"proposal {change.ident[:8]}"
                    if change.kind == "proposal"
                    else self._tag_label(change)
                )
                raise UndoRefused(
                    f"cannot {which} “{shown}”: {what} was changed since by {later.by_whom}; nothing was changed"
                )
            self._apply_reverse(target, f"{which} {shown}", which)
            return self.journal.event(self.last_event)

    def _tag_label(self, change: Change) -> str:
        rows = self._query("SELECT name FROM tags WHERE id = ?", [int(change.ident)])
        known = rows[0]["name"] if rows else (change.after or change.before or {}).get("name")
        return f"tag {known}" if known else f"tag #{change.ident}"

    def _apply_reverse(self, event: Event, label: str, kind: str) -> None:
        """Put back the ``before`` fields of every change of ``event``, as a new event."""
        tag_changes: list[Change] = []
        restore_tags = [c for c in event.changes if c.kind == "tag" and c.before is not None]
        drop_tags = [c for c in event.changes if c.kind == "tag" and c.before is None]
        for change in restore_tags:
            tag_id = int(change.ident)
            if change.after is None:  # dropped by the event (a merge): bring it back, same id
                if self._tag_row(change.before["name"]) is not None:
                    raise UndoRefused(
                        f"cannot {kind} “{label}”: a tag named {change.before['name']} exists again"
                    )
                fields = {**change.before, "version": change.version + 1}
                self._insert_tag(tag_id, fields)
                tag_changes.append(Change(change.target, change.version + 1, None, change.before))
            else:
                self._update_tag_row(tag_id, change.before, tag_changes)
        names = {r["id"]: r["name"] for r in self._query("SELECT id, name FROM tags")}
        notes = [c for c in event.changes if c.kind == "annotation"]
        current = self.by_ids([c.ident for c in notes])
        pairs = []
        stamp = now()
        for change in notes:
            before = current[change.ident]
            if change.before is None:  # it was created: undoing moves it to the trash
                fields = {"deleted": stamp}
            else:
                fields = dict(change.before)
                if fields.get("deleted"):
                    fields["deleted"] = stamp
            if "tags" in fields:
                missing = [t for t in fields["tags"] if t not in names]
                if missing:
                    raise UndoRefused(
                        f"cannot {kind} “{label}”: one of its tags was removed from the codebook since"
                    )
                fields["tags"] = tuple(names[t] for t in fields["tags"])
            pairs.append((before, replace(before, **fields, updated=stamp)))

        def drop_created() -> list[Change]:
            """Tags the event created go again, unless an annotation still carries them."""
            dropped: list[Change] = []
            for change in drop_tags:
                rows = self._query("SELECT * FROM tags WHERE id = ?", [int(change.ident)])
                if rows and not self._query(
                    "SELECT 1 FROM annotation_tags WHERE tag = ? LIMIT 1", [rows[0]["id"]]
                ):
                    dropped += self._drop_tags(rows)
            return dropped

        self._commit(
            kind,
            label,
            pairs,
            undoable=(kind == "redo"),
            tag_changes=tag_changes,
            reverts=event.seq,
            finish=lambda: (
                drop_created()
                + self._revert_done([c for c in event.changes if c.kind == "done"])
                + self._revert_variables([c for c in event.changes if c.kind == "variable"])
                + self._revert_memos([c for c in event.changes if c.kind == "memo"])
                + self._revert_sets([c for c in event.changes if c.kind == "set"])
                + self._revert_families([c for c in event.changes if c.kind in ("canonical", "proposal")])
            ),
        )
