"""Done marks: the articles a coder has finished coding (``glose done``). Agreement reads them
to tell "coded nothing here" from "did not code this article" (missing data); each mark and
unmark is a journal event that undo reverts, like a change to an annotation."""

from __future__ import annotations

import json

from ..model import StoreError, clean_line, now
from .journal import Change


def done_target(coder: str, article: str) -> str:
    """A done mark's target in the journal."""
    return "d:" + json.dumps([coder, article], ensure_ascii=False)


def done_of(change: Change) -> tuple[str, str]:
    """The (coder, article) of a done mark's change."""
    coder, article = json.loads(change.ident)
    return coder, article


class DoneMarks:
    """Mixed into :class:`~tui.store.store.Store`."""

    def done_marks(self) -> dict[str, dict[str, str]]:
        """coder → {article: when it was marked done}."""
        found: dict[str, dict[str, str]] = {}
        for row in self._query("SELECT coder, article, at FROM done ORDER BY coder, article"):
            found.setdefault(row["coder"], {})[row["article"]] = row["at"]
        return found

    def mark_done(self, articles: list[str], coder: str | None = None, *, done: bool = True) -> list[str]:
        """Mark ``articles`` done (``done`` False: not done) for ``coder`` (default: the
        actor), as one undoable event of the actor's; returns the articles that changed
        (marking one done twice changes nothing and writes no event)."""
        who = clean_line(self.actor.coder if coder is None else coder)
        if not who:
            raise StoreError("a done mark needs a coder's name")
        stamp = now()
        with self.transaction():
            held = set(self.done_marks().get(who, {}))
            todo = [a for a in dict.fromkeys(articles) if (a in held) != done]
            changes = []
            for article in todo:
                target = done_target(who, article)
                if done:
                    self._execute(
                        "INSERT INTO done (article, coder, at) VALUES (?, ?, ?)", (article, who, stamp)
                    )
                    changes.append(Change(target, self._target_version(target), None, {"at": stamp}))
                else:
                    at = self._query("SELECT at FROM done WHERE article = ? AND coder = ?", [article, who])
                    self._execute("DELETE FROM done WHERE article = ? AND coder = ?", (article, who))
                    changes.append(Change(target, self._target_version(target), {"at": at[0]["at"]}, None))
            self.last_event = None
            if changes:
                what = todo[0] if len(todo) == 1 else f"{len(todo)} articles"
                label = f"{'mark' if done else 'unmark'} {what} done by {who}"
                kind = "done" if done else "undone"
                self.last_event = self.journal.record(
                    self.actor, kind, label, changes, at=stamp, undoable=True
                )
        return todo

    def _restore_done(self, marks) -> list[Change]:
        """Put back a backup's done marks (coder, article, when) that this store lacks, inside
        the caller's transaction and event; the changes, for that event (undo takes them back)."""
        held = self.done_marks()
        changes = []
        for coder, article, at in dict.fromkeys(marks):
            who = clean_line(coder)
            if not who or article in held.get(who, {}):
                continue
            self._execute("INSERT INTO done (article, coder, at) VALUES (?, ?, ?)", (article, who, at))
            held.setdefault(who, {})[article] = at
            target = done_target(who, article)
            changes.append(Change(target, self._target_version(target), None, {"at": at}))
        return changes

    def _target_version(self, target: str) -> int:
        rows = self._query("SELECT max(version) AS v FROM changes WHERE target = ?", [target])
        return (rows[0]["v"] or 0) + 1 if rows else 1

    def _revert_done(self, changes: list[Change]) -> list[Change]:
        """Put the done marks of ``changes`` back as they were before (inside the undo's
        transaction); the changes this makes."""
        out = []
        for change in changes:
            coder, article = done_of(change)
            version = self._target_version(change.target)
            if change.before is None:  # it was marked: unmark
                self._execute("DELETE FROM done WHERE article = ? AND coder = ?", (article, coder))
                out.append(Change(change.target, version, change.after, None))
            else:
                self._execute(
                    "INSERT INTO done (article, coder, at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                    (article, coder, change.before["at"]),
                )
                out.append(Change(change.target, version, None, change.before))
        return out
