"""Moving a workspace's annotations between stores (``glose store migrate``): SQLite to a
team's PostgreSQL and back, every row as it is — annotations in the trash too, tags with
their ids, colors and descriptions, metadata overrides, the whole journal with its numbers,
and the counters that keep tag and event numbers from being reused."""

from __future__ import annotations

import contextlib

from ..model import StoreError
from .families import CANONICAL_COLUMNS, PROPOSAL_COLUMNS
from .sqlite import Connection
from .store import COLUMNS

# Every table, references first, with its columns and an order that makes copies comparable.
TABLES: dict[str, tuple[tuple[str, ...], str]] = {
    "tags": (("id", "key", "name", "color", "description", "created", "version"), "id"),
    "annotations": (COLUMNS, "id"),
    "annotation_tags": (("annotation", "tag"), "annotation, tag"),
    "article_meta": (("article", "title", "date", "source", "updated"), "article"),
    "done": (("article", "coder", "at"), "article, coder"),
    "article_content": (("article", "hash", "meta"), "article, hash"),
    "article_vars": (("article", "name", "value", "updated"), "article, name"),
    "memos": (("kind", "target", "coder", "text", "created", "updated", "version"), "kind, target, coder"),
    "sets": (("key", "name", "query", "frozen", "articles", "updated"), "key"),
    "families_canonical": (CANONICAL_COLUMNS, "family"),
    "families_proposals": (PROPOSAL_COLUMNS, "id"),
    "events": (
        ("seq", "at", "kind", "label", "frontend", "coder", "undoable", "reverts", "reverted_by"),
        "seq",
    ),
    "changes": (("target", "event", "version", "before", "after"), "event, target"),
}
COUNTERS = ("tags", "events")


def rows(store: Connection, table: str) -> list[tuple]:
    """Every row of ``table``, in a fixed order."""
    columns, order = TABLES[table]
    return store._rows(f"SELECT {_quoted(columns)} FROM {table} ORDER BY {order}")


def _quoted(columns: tuple[str, ...]) -> str:
    return ", ".join(f'"{c}"' for c in columns)


def snapshot(store: Connection) -> dict[str, list[tuple]]:
    """What a lossless copy keeps: every row of every table, and the counters."""
    found = {table: rows(store, table) for table in TABLES}
    found["counters"] = [(table, store._sequence(table)) for table in COUNTERS]
    return found


def copy_store(source: Connection, target: Connection) -> dict[str, int]:
    """Copy everything ``source`` holds into ``target``, which must be empty, in one
    transaction of the target (all or nothing), while the source's writers wait. Returns
    the number of rows copied per table."""
    holding = contextlib.nullcontext() if source.readonly else source.transaction()
    with holding, target.transaction():
        filled = [t for t in TABLES if target._rows(f"SELECT 1 FROM {t} LIMIT 1")]
        if filled:
            raise StoreError(
                f"{target.where} already holds {', '.join(filled)}: a store is migrated only into "
                "an empty one; nothing was copied"
            )
        data = snapshot(source)
        for table, (columns, _) in TABLES.items():
            found = data[table]
            if table == "events":  # an event names its later undo: link them once all are in
                links = [(r[-1], r[0]) for r in found if r[-1] is not None]
                found = [(*r[:-1], None) for r in found]
            target._executemany(
                f"INSERT INTO {table} ({_quoted(columns)}) VALUES ({', '.join('?' * len(columns))})", found
            )
        target._executemany("UPDATE events SET reverted_by = ? WHERE seq = ?", links)
        for table, value in data["counters"]:
            target._set_sequence(table, value)
    return {table: len(data[table]) for table in TABLES}
