"""What wire families keep in the store: the member chosen as a family's canonical copy
(``glose families canonical``), and the codings proposed on the copies of a family's source
(``glose families propagate``) until a coder accepts or rejects them.

A proposal is not an annotation: it lives in ``families_proposals`` with the state
``proposed`` (then ``accepted`` or ``rejected``), so no count, agreement or export sees it
until it is accepted — accepting makes the annotation, in the same event. Every change is a
journal event undo reverts, as done marks are (:mod:`.done`): the targets are ``f:`` + the
family id (a canonical mark) and ``p:`` + the proposal id, and each change carries the whole
row before and after (None: no row), so reverting a change is writing its ``before`` back.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterable

from ..model import Annotation, StoreError, clean_line, now
from .journal import Change

PROPOSAL_COLUMNS = (
    "id", "family", "origin", "article", "start", "end", "exact", "article_hash", "tags", "note",
    "similarity", "coder", "created", "state",
)  # fmt: skip
CANONICAL_COLUMNS = ("family", "article", "coder", "at")
STATES = ("proposed", "accepted", "rejected")


def _quoted(columns: Iterable[str]) -> str:
    return ", ".join(f'"{c}"' for c in columns)


class FamilyMarks:
    """Mixed into :class:`~tui.store.store.Store`."""

    # --- canonical members ---------------------------------------------------------------

    def canonical_marks(self) -> dict[str, str]:
        """family id → the article chosen as its canonical member."""
        return {
            r["family"]: r["article"] for r in self._query("SELECT family, article FROM families_canonical")
        }

    def set_canonical(self, family: str, article: str | None) -> bool:
        """Choose ``article`` as ``family``'s canonical member (None: back to its source), as
        one undoable event; False when it already was."""
        target = "f:" + family
        stamp = now()
        with self.transaction():
            rows = self._query(
                f"SELECT {_quoted(CANONICAL_COLUMNS)} FROM families_canonical WHERE family = ?", [family]
            )
            before = rows[0] if rows else None
            if (before["article"] if before else None) == article:
                self.last_event = None
                return False
            after = (
                None
                if article is None
                else {"family": family, "article": article, "coder": self.actor.coder, "at": stamp}
            )
            self._put_row("families_canonical", CANONICAL_COLUMNS, "family", family, after)
            label = (
                f"family {family}: canonical {article}"
                if article
                else f"family {family}: canonical back to its source"
            )
            self.last_event = self.journal.record(
                self.actor,
                "canonical",
                label,
                [Change(target, self._row_version(target), before, after)],
                at=stamp,
                undoable=True,
            )
        return True

    # --- proposals -----------------------------------------------------------------------

    def proposals(self, *, family: str | None = None, state: str | None = "proposed") -> list[dict]:
        """Proposals (oldest first), of one family and in one state when given."""
        where, params = [], []
        if family is not None:
            where.append("family = ?")
            params.append(family)
        if state is not None:
            where.append("state = ?")
            params.append(state)
        sql = f"SELECT {_quoted(PROPOSAL_COLUMNS)} FROM families_proposals"
        if where:
            sql += " WHERE " + " AND ".join(where)
        rows = self._query(sql + " ORDER BY created, article, start, id", params)
        for row in rows:
            row["tags"] = json.loads(row["tags"])
        return rows

    def propose(self, family: str, items: list[dict], label: str) -> list[dict]:
        """Write proposals (each: origin, article, start, end, exact, article_hash, tags, note,
        similarity) as one undoable event; one already proposed from the same coding at the
        same place (and not rejected) is not proposed twice. Returns those written."""
        stamp = now()
        with self.transaction():
            held = {
                (r["origin"], r["article"], r["start"], r["end"])
                for r in self.proposals(family=family, state=None)
                if r["state"] != "rejected"
            }
            made, changes = [], []
            for item in items:
                if (item["origin"], item["article"], item["start"], item["end"]) in held:
                    continue
                row = {
                    **{
                        k: item[k]
                        for k in ("origin", "article", "start", "end", "exact", "article_hash", "note")
                    },
                    "id": str(uuid.uuid4()),
                    "family": family,
                    "tags": json.dumps(list(item["tags"]), ensure_ascii=False),
                    "similarity": float(item["similarity"]),
                    "coder": self.actor.coder,
                    "created": stamp,
                    "state": "proposed",
                }
                self._put_row("families_proposals", PROPOSAL_COLUMNS, "id", row["id"], row)
                target = "p:" + row["id"]
                changes.append(Change(target, 1, None, row))
                made.append({**row, "tags": list(item["tags"])})
            self.last_event = None
            if changes:
                self.last_event = self.journal.record(
                    self.actor, "propose", label, changes, at=stamp, undoable=True
                )
        return made

    def decide_proposals(
        self, ids: list[str], accept: bool, make: Callable[[dict], Annotation | None]
    ) -> tuple[list[dict], list[Annotation]]:
        """Accept (``make`` builds the annotation of a proposal, None when its text no longer
        holds it: refused) or reject proposals, as one undoable event."""
        stamp = now()
        with self.transaction():
            rows = {r["id"]: r for r in self.proposals(state=None) if r["id"] in set(ids)}
            missing = [i for i in ids if i not in rows]
            if missing:
                raise StoreError(f"no proposal {missing[0][:8]}")
            decided, made, changes = [], [], []
            for ident in dict.fromkeys(ids):
                row = rows[ident]
                if row["state"] != "proposed":
                    raise StoreError(f"proposal {ident[:8]} was {row['state']} already; nothing was changed")
                if accept:
                    annotation = make(row)
                    if annotation is None:
                        raise StoreError(
                            f"proposal {ident[:8]}: {row['article']} no longer holds the passage; nothing was changed"
                        )
                    made.append(annotation)
                before = {**row, "tags": json.dumps(row["tags"], ensure_ascii=False)}
                after = {**before, "state": "accepted" if accept else "rejected"}
                self._put_row("families_proposals", PROPOSAL_COLUMNS, "id", ident, after)
                target = "p:" + ident
                changes.append(Change(target, self._row_version(target), before, after))
                decided.append(row)
            what = decided[0]["article"] if len(decided) == 1 else f"{len(decided)} proposals"
            label = f"{'accept' if accept else 'reject'} {what}"
            if accept:
                self._commit("accept-proposal", label, [(None, a) for a in made], finish=lambda: changes)
            else:
                self.last_event = self.journal.record(
                    self.actor, "reject-proposal", label, changes, at=stamp, undoable=True
                )
        return decided, made

    # --- the journal's side --------------------------------------------------------------

    def _put_row(self, table: str, columns: tuple[str, ...], key: str, ident: str, row: dict | None) -> None:
        self._execute(f'DELETE FROM {table} WHERE "{key}" = ?', (ident,))
        if row is not None:
            self._execute(
                f"INSERT INTO {table} ({_quoted(columns)}) VALUES ({', '.join('?' * len(columns))})",
                tuple(row[c] for c in columns),
            )

    def _row_version(self, target: str) -> int:
        rows = self._query("SELECT max(version) AS v FROM changes WHERE target = ?", [target])
        return (rows[0]["v"] or 0) + 1 if rows else 1

    def _revert_families(self, changes: list[Change]) -> list[Change]:
        """Write back the rows of ``changes`` as they were before (inside the undo's
        transaction); the changes this makes."""
        out = []
        for change in changes:
            if change.kind == "canonical":
                self._put_row("families_canonical", CANONICAL_COLUMNS, "family", change.ident, change.before)
            else:
                self._put_row("families_proposals", PROPOSAL_COLUMNS, "id", change.ident, change.before)
            out.append(Change(change.target, self._row_version(change.target), change.after, change.before))
        return out


def proposal_coder(row: dict) -> str:
    return clean_line(row.get("coder") or "")
