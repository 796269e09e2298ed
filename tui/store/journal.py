"""The change journal: every write to annotations and tags is an event, in the same
transaction as the write.

An event holds who made it (front end and coder), when, a label for people, and one
:class:`Change` per annotation or tag it touched: the version the target reached and the
fields that changed, before and after (``None`` where the target did not exist, or no
longer does). Undo and redo are computed from it, never from a copy held in memory:

- undo reverts the newest undoable event of the coder that no event reverted yet; redo
  reverts the newest undo of the coder's, as long as the coder has made no new change since;
- reverting applies only the fields the event changed, and only when every event that
  touched the same targets since is itself undone (the target is at the version the event
  produced); otherwise it is refused, naming the change in the way;
- the program's own changes (re-anchoring after a file changed) are logged, not undoable.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields

from .. import wording
from ..model import Annotation, default_coder

# Fields of an annotation the journal tracks (``tags`` as tag ids); ``updated`` is a stamp.
ANNOTATION_FIELDS = (
    *(
        f.name
        for f in fields(Annotation)
        if f.name not in ("id", "created", "updated", "version", "tags", "extra")
    ),
    "tags",
)
# What a new annotation's change records: where, and its tags (its quote is kept forever as the
# made selector; its first note is the ``before`` of the first edit).
CREATED_FIELDS = ("article", "start", "end", "tags")
TAG_FIELDS = ("name", "color", "description", "created")
# Changes of these fields alone keep the version: the text was re-hashed, nothing moved.
BOOKKEEPING = frozenset({"article_hash"})

FRONTENDS = {"cli": "command line", "tui": "reader", "api": "Glose API"}


@dataclass(frozen=True, slots=True)
class Actor:
    """Who is writing: the front end (``cli``, ``tui``, ``api``) and the coder's name."""

    frontend: str = "api"
    coder: str = field(default_factory=default_coder)


@dataclass(frozen=True, slots=True)
class Change:
    target: str  # "a:<annotation id>", "t:<tag id>", "d:" + JSON [coder, article] (a done mark),
    # "v:" + JSON [article, name] (a variable), "m:" + JSON [kind, key, coder] (a memo),
    # "s:<set name, case-folded>" (a set), "f:<family id>" (its canonical member) or
    # "p:<proposal id>" (a proposed coding)
    version: int  # the target's version after the change
    before: dict | None  # the changed fields before (None: it did not exist)
    after: dict | None  # ... and after (None: it no longer exists)

    @property
    def kind(self) -> str:
        return {
            "a": "annotation",
            "d": "done",
            "v": "variable",
            "m": "memo",
            "s": "set",
            "f": "canonical",
            "p": "proposal",
        }.get(self.target[:1], "tag")

    @property
    def ident(self) -> str:
        return self.target[2:]

    @property
    def bookkeeping(self) -> bool:
        return self.before is not None and self.after is not None and set(self.after) <= BOOKKEEPING

    def to_json(self) -> dict:
        return {
            "target": self.kind,
            "id": self.ident,
            "version": self.version,
            "before": self.before,
            "after": self.after,
        }


@dataclass(frozen=True, slots=True)
class Event:
    seq: int
    at: str
    kind: str
    label: str
    frontend: str
    coder: str
    undoable: bool
    reverts: int | None = None
    reverted_by: int | None = None
    changes: tuple[Change, ...] = ()

    @property
    def where(self) -> str:
        return FRONTENDS.get(self.frontend, self.frontend)

    @property
    def by_whom(self) -> str:
        """Who made it, where, when and what, as messages name it."""
        return (
            f"{self.coder} in the {self.where} at {self.at[:19].replace('T', ' ')} UTC "
            f"(#{self.seq} {self.label})"
        )

    def to_json(self, with_changes: bool = True) -> dict:
        out = {
            "seq": self.seq,
            "at": self.at,
            "kind": self.kind,
            "label": self.label,
            "frontend": self.frontend,
            "coder": self.coder,
            "undoable": self.undoable,
            "reverts": self.reverts,
            "reverted_by": self.reverted_by,
        }
        if with_changes:
            out["changes"] = [c.to_json() for c in self.changes]
        return out


def short(ann: Annotation, width: int = 40) -> str:
    """How an event's label names an annotation."""
    return f"{ann.id[:8]} “{wording.short(ann.exact, width)}”"


def diff(before: dict, after: dict) -> tuple[dict, dict]:
    """The fields that differ, before and after."""
    changed = [k for k in after if before.get(k) != after[k]]
    return {k: before.get(k) for k in changed}, {k: after[k] for k in changed}


def _dump(value: dict | None) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _load(value: str | None) -> dict | None:
    return None if value is None else json.loads(value)


_EVENT_COLUMNS = "seq, at, kind, label, frontend, coder, undoable, reverts, reverted_by"


class Journal:
    """Reads and writes the ``events`` and ``changes`` tables through a store's connection
    (writes only inside the store's transaction, so an event and its change are one)."""

    def __init__(self, conn) -> None:
        self.conn = conn

    def record(
        self,
        actor: Actor,
        kind: str,
        label: str,
        changes: list[Change],
        *,
        at: str,
        undoable: bool,
        reverts: int | None = None,
    ) -> int:
        seq = self.conn._insert(
            "INSERT INTO events (at, kind, label, frontend, coder, undoable, reverts) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (at, kind, label, actor.frontend, actor.coder, int(undoable), reverts),
            "seq",
        )
        self.conn._executemany(
            "INSERT INTO changes (target, event, version, before, after) VALUES (?, ?, ?, ?, ?)",
            [(c.target, seq, c.version, _dump(c.before), _dump(c.after)) for c in changes],
        )
        if reverts is not None:
            self.conn._execute("UPDATE events SET reverted_by = ? WHERE seq = ?", (seq, reverts))
        return seq

    def _events(
        self, where: str, params: list, limit: int | None = None, changes: bool = True
    ) -> list[Event]:
        sql = f"SELECT {_EVENT_COLUMNS} FROM events WHERE {where} ORDER BY seq DESC"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        rows = self.conn._query(sql, params)
        events = [Event(**{**r, "undoable": bool(r["undoable"])}) for r in rows]
        if not changes or not events:
            return events
        by_event: dict[int, list[Change]] = {e.seq: [] for e in events}
        from .sqlite import chunks

        for piece in chunks(list(by_event)):
            marks = ",".join("?" * len(piece))
            for r in self.conn._query(
                f"SELECT event, target, version, before, after FROM changes WHERE event IN ({marks})", piece
            ):
                by_event[r["event"]].append(
                    Change(r["target"], r["version"], _load(r["before"]), _load(r["after"]))
                )
        return [
            Event(**{**_fields(e), "changes": tuple(sorted(by_event[e.seq], key=lambda c: c.target))})
            for e in events
        ]

    def events(self, limit: int | None = 20, coder: str | None = None) -> list[Event]:
        """Newest first."""
        if coder is None:
            return self._events("1 = 1", [], limit)
        return self._events("coder = ?", [coder], limit)

    def event(self, seq: int) -> Event | None:
        found = self._events("seq = ?", [seq])
        return found[0] if found else None

    def last_change(self, target: str) -> Event | None:
        """The newest event that changed ``target`` (``a:<id>`` or ``t:<id>``)."""
        rows = self.conn._query("SELECT max(event) AS seq FROM changes WHERE target = ?", [target])
        return self.event(rows[0]["seq"]) if rows and rows[0]["seq"] is not None else None

    def undo_candidate(self, coder: str, frontend: str | None = None) -> Event | None:
        """The coder's newest change (or redo) that nothing has reverted; with ``frontend``,
        the newest made there (the reader undoes its own changes)."""
        where, params = _scope(coder, frontend)
        found = self._events(f"{where} AND undoable = 1 AND reverted_by IS NULL", params, limit=1)
        return found[0] if found else None

    def redo_candidate(self, coder: str, frontend: str | None = None) -> Event | None:
        """The coder's newest undo not yet redone, if the coder changed nothing since."""
        where, params = _scope(coder, frontend)
        rows = self.conn._query(
            f"SELECT seq, kind, reverted_by FROM events WHERE {where} AND (undoable = 1 OR kind = 'undo') "
            "ORDER BY seq DESC LIMIT 500",
            params,
        )
        for row in rows:
            if row["kind"] == "redo":
                continue
            if row["kind"] != "undo":
                return None  # a new change since: what was undone stays undone
            if row["reverted_by"] is None:
                return self.event(row["seq"])
        return None

    def blockers(self, event: Event) -> list[tuple[Change, Event]]:
        """Later events on the same targets that are not undone pairs: what an undo of
        ``event`` would overwrite. The program's bookkeeping (a re-hash) does not count."""
        found = []
        for change in event.changes:
            rows = self.conn._query(
                f"SELECT c.after, c.before, {', '.join('e.' + c.strip() for c in _EVENT_COLUMNS.split(','))} "
                "FROM changes c JOIN events e ON e.seq = c.event WHERE c.target = ? AND c.event > ? "
                "ORDER BY c.event",
                [change.target, event.seq],
            )
            by_seq = {r["seq"]: r for r in rows}
            for r in rows:
                later = Change(change.target, 0, _load(r.pop("before")), _load(r.pop("after")))
                if later.bookkeeping or r["reverts"] in by_seq:
                    continue  # a re-hash, or part of a chain whose head is looked at
                # A chain (change, its undo, its redo...) of even length has no net effect.
                length, link = 1, r["reverted_by"]
                while link in by_seq:
                    length, link = length + 1, by_seq[link]["reverted_by"]
                if length % 2:
                    found.append((change, Event(**{**r, "undoable": bool(r["undoable"])})))
                    break
        return found


def _scope(coder: str, frontend: str | None) -> tuple[str, list]:
    if frontend is None:
        return "coder = ?", [coder]
    return "coder = ? AND frontend = ?", [coder, frontend]


def _fields(event: Event) -> dict:
    return {name: getattr(event, name) for name in event.__slots__ if name != "changes"}
