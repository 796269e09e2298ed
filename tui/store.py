"""The annotation store: ``annotations.db`` (SQLite through sqlite-utils).

This is the data users trust us with, so:

- WAL journal, ``synchronous=FULL`` and a busy timeout: a killed process loses no committed
  annotation, and the TUI and a CLI call can write the same workspace at once;
- every write runs in :meth:`Store.transaction` (``BEGIN IMMEDIATE`` around ``db.atomic()``),
  so a change of several rows lands whole or not at all, and two writers queue instead of
  failing on a lock upgrade;
- the schema is created and upgraded by ``sqlite_utils.Migrations``;
- nothing is ever ``DELETE``d by a user action: deleting moves an annotation to the trash
  (``deleted`` timestamp), and orphans keep their quote, tags and note.

The store knows nothing of files: callers pass an article's canonical text and hash.
"""

from __future__ import annotations

import contextlib
import re
import sqlite3
import threading
import unicodedata
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from .anchoring import Location, Selector, relocate, select
from .errors import GloseError

BUSY_TIMEOUT_MS = 15_000
STATUSES = ("anchored", "moved", "fuzzy", "orphaned")

# Mid-tone colors that read on dark and light backgrounds (Tableau 10, slightly deepened).
PALETTE = (
    ("blue", "#4E79A7"),
    ("orange", "#F28E2B"),
    ("red", "#E15759"),
    ("teal", "#4BA3A0"),
    ("green", "#59A14F"),
    ("yellow", "#D4B02A"),
    ("purple", "#B07AA1"),
    ("pink", "#E8738A"),
    ("brown", "#9C755F"),
    ("grey", "#8C8C8C"),
    ("olive", "#8A9A2B"),
    ("indigo", "#6C6FCF"),
)
_HEX = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
TAG_MAX = 120


class StoreError(GloseError):
    """A change the store refuses (unknown id, invalid tag, locked database...)."""


def now() -> str:
    """UTC ISO 8601 with milliseconds and a Z, as every timestamp in the store."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


# --- tags ----------------------------------------------------------------------------------


def clean_tag(name: str) -> str:
    """A tag name as stored: NFC, trimmed, one space inside, ``/`` separating levels.

    Refuses (with a message) empty names, empty levels and control characters, rather than
    silently storing something other than what was typed.
    """
    if not isinstance(name, str):
        raise StoreError("a tag name must be text")
    if _CONTROL.search(name):
        raise StoreError(f"tag names cannot contain control characters: {name!r}")
    parts = [" ".join(p.split()) for p in unicodedata.normalize("NFC", name).split("/")]
    if not any(parts):
        raise StoreError("a tag name cannot be empty")
    if not all(parts):
        raise StoreError(f"tag '{name.strip()}' has an empty level (use a/b, not a//b or /a)")
    cleaned = "/".join(parts)
    if len(cleaned) > TAG_MAX:
        raise StoreError(f"tag names are at most {TAG_MAX} characters")
    return cleaned


def tag_key(name: str) -> str:
    """Case-insensitive identity of a tag (``Réaction`` and ``réaction`` are one tag)."""
    return clean_tag(name).casefold()


def clean_color(color: str) -> str:
    named = dict(PALETTE)
    value = color.strip().lower()
    if value in named:
        return named[value]
    if _HEX.match(value):
        if len(value) == 4:
            value = "#" + "".join(c * 2 for c in value[1:])
        return value.upper()
    names = ", ".join(n for n, _ in PALETTE)
    raise StoreError(f"invalid color '{color}': use #RRGGBB or one of {names}")


def clean_note(note: str | None) -> str:
    """Notes keep their lines and tabs; other control characters and escapes are removed."""
    from .corpus import strip_controls

    if note is None:
        return ""
    return unicodedata.normalize("NFC", strip_controls(note.replace("\r\n", "\n").replace("\r", "\n")))


@dataclass(frozen=True, slots=True)
class Tag:
    name: str
    color: str
    description: str = ""
    count: int = 0  # live annotations carrying it
    articles: int = 0


# --- annotations ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Annotation:
    id: str
    article: str
    start: int
    end: int
    exact: str
    prefix: str
    suffix: str
    article_hash: str
    note: str = ""
    status: str = "anchored"
    tags: tuple[str, ...] = ()
    created: str = ""
    updated: str = ""
    deleted: str | None = None
    old_start: int | None = None  # where it was before the last move, for review
    old_end: int | None = None
    old_exact: str | None = None  # the quote before a fuzzy re-anchoring changed it
    extra: dict = field(default_factory=dict, compare=False)

    @property
    def selector(self) -> Selector:
        return Selector(self.start, self.end, self.exact, self.prefix, self.suffix)

    def placed(self, sel: Selector, article_hash: str, **changes) -> Annotation:
        """This annotation anchored on ``sel`` of the text whose hash is ``article_hash``."""
        return replace(
            self,
            start=sel.start,
            end=sel.end,
            exact=sel.exact,
            prefix=sel.prefix,
            suffix=sel.suffix,
            article_hash=article_hash,
            **changes,
        )

    def to_json(self) -> dict:
        """The stable ``--json`` shape (documented in the README)."""
        return {
            "id": self.id,
            "article": self.article,
            "start": self.start,
            "end": self.end,
            "quote": self.exact,
            "tags": list(self.tags),
            "note": self.note,
            "status": self.status,
            "created": self.created,
            "updated": self.updated,
            "deleted": self.deleted,
        }


_COLUMNS = (
    "id",
    "article",
    "start",
    "end",
    "exact",
    "prefix",
    "suffix",
    "article_hash",
    "note",
    "status",
    "created",
    "updated",
    "deleted",
    "old_start",
    "old_end",
    "old_exact",
)


# --- schema --------------------------------------------------------------------------------


def _migrations():
    from sqlite_utils.migrations import Migrations

    migrations = Migrations("glose")

    @migrations(name="0001_initial")
    def initial(db) -> None:
        db.execute(
            """
            CREATE TABLE annotations (
                id TEXT PRIMARY KEY,
                article TEXT NOT NULL,
                start INTEGER NOT NULL,
                "end" INTEGER NOT NULL,
                exact TEXT NOT NULL,
                prefix TEXT NOT NULL DEFAULT '',
                suffix TEXT NOT NULL DEFAULT '',
                article_hash TEXT NOT NULL,
                note TEXT NOT NULL DEFAULT '',
                status TEXT NOT NULL DEFAULT 'anchored'
                    CHECK (status IN ('anchored', 'moved', 'fuzzy', 'orphaned')),
                created TEXT NOT NULL,
                updated TEXT NOT NULL,
                deleted TEXT,
                old_start INTEGER,
                old_end INTEGER,
                old_exact TEXT,
                CHECK (start >= 0 AND "end" >= start)
            )"""
        )
        db.execute("CREATE INDEX annotations_article ON annotations(article)")
        db.execute(
            """
            CREATE TABLE tags (
                id INTEGER PRIMARY KEY,
                key TEXT NOT NULL UNIQUE,
                name TEXT NOT NULL,
                color TEXT NOT NULL,
                description TEXT NOT NULL DEFAULT '',
                created TEXT NOT NULL
            )"""
        )
        db.execute(
            """
            CREATE TABLE annotation_tags (
                annotation TEXT NOT NULL REFERENCES annotations(id),
                tag INTEGER NOT NULL REFERENCES tags(id),
                PRIMARY KEY (annotation, tag)
            ) WITHOUT ROWID"""
        )
        db.execute("CREATE INDEX annotation_tags_tag ON annotation_tags(tag)")
        db.execute(
            """
            CREATE TABLE article_meta (
                article TEXT PRIMARY KEY,
                title TEXT,
                date TEXT,
                source TEXT,
                updated TEXT NOT NULL
            )"""
        )

    return migrations


# --- the store -----------------------------------------------------------------------------


class Store:
    """One connection to ``annotations.db``. Thread-safe (one lock): the TUI's workers share it."""

    def __init__(self, path: Path | str, *, readonly: bool = False, busy_timeout_ms: int = BUSY_TIMEOUT_MS):
        """Open (and create or upgrade) the store. When the file or its folder cannot be
        written, the store opens read-only: browsing works, every write says why it cannot."""
        self.path = Path(path)
        self.busy_timeout_ms = busy_timeout_ms
        self.readonly = readonly
        self._lock = threading.RLock()
        if not readonly:
            try:
                self._open_for_writing()
                return
            except StoreError as exc:
                if not _is_readonly_error(exc):
                    raise
                self.close()
                self.readonly = True
        self._open_read_only()

    def _connect(self, target: str, uri: bool = False):
        import sqlite_utils

        conn = sqlite3.connect(target, uri=uri, timeout=self.busy_timeout_ms / 1000, check_same_thread=False)
        conn.execute(f"PRAGMA busy_timeout = {self.busy_timeout_ms}")
        self.db = sqlite_utils.Database(conn, execute_plugins=False)
        return conn

    def _open_for_writing(self) -> None:
        try:
            conn = self._connect(str(self.path))
            with self._errors():
                mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
                if mode.lower() != "wal" and self.path.name != ":memory:":
                    raise StoreError(f"cannot use write-ahead logging on {self.path} (journal mode {mode})")
                conn.execute("PRAGMA synchronous = FULL")
                conn.execute("PRAGMA foreign_keys = ON")
            migrations = _migrations()
            with self._errors():
                pending = migrations.pending(self.db)
            if pending:  # under the write lock: two first runs cannot race
                with self.transaction():
                    migrations.apply(self.db)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"cannot open {self.path}: {exc}") from None

    def _open_read_only(self) -> None:
        """Read-only access: the file as it is (``mode=ro``; ``immutable`` on read-only media
        where SQLite cannot make its WAL index), or an empty store when there is no file."""
        if self.path.exists():
            for options in ("mode=ro", "mode=ro&immutable=1"):
                try:
                    conn = self._connect(f"{self.path.absolute().as_uri()}?{options}", uri=True)
                    conn.execute("SELECT count(*) FROM annotations").fetchone()
                    return
                except sqlite3.DatabaseError:
                    with contextlib.suppress(Exception):
                        self.db.close()
        conn = self._connect(":memory:")  # nothing to read: an empty, unwritable store
        _migrations().apply(self.db)

    def _check_writable(self) -> None:
        if self.readonly:
            raise StoreError(f"{self.path} is read-only: annotations cannot be saved (reading still works)")

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @contextlib.contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.OperationalError as exc:
            message = str(exc)
            if "locked" in message or "busy" in message:
                raise StoreError(
                    f"{self.path.name} stayed locked by another program for {self.busy_timeout_ms / 1000:g} s; "
                    "nothing was changed, try again"
                ) from None
            if "readonly" in message or "read-only" in message:
                raise StoreError(f"{self.path} is read-only: annotations cannot be saved") from None
            if "disk" in message and "full" in message:
                raise StoreError("the disk is full: nothing was changed") from None
            raise StoreError(f"database error on {self.path.name}: {message}") from None
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"database error on {self.path.name}: {exc}") from None

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """A write transaction: the write lock is taken first (``BEGIN IMMEDIATE``, waiting up
        to the busy timeout), then everything inside ``db.atomic()`` commits or rolls back."""
        self._check_writable()
        with self._lock, self._errors():
            conn = self.db.conn
            if conn.in_transaction:  # nested: a savepoint inside the outer transaction
                with self.db.atomic():
                    yield
                return
            conn.execute("BEGIN IMMEDIATE")
            try:
                with self.db.atomic():
                    yield
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise

    def _query(self, sql: str, params: Iterable = ()) -> list[dict]:
        with self._lock, self._errors():
            cursor = self.db.conn.execute(sql, tuple(params))
            names = [d[0] for d in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    # --- tags -----------------------------------------------------------------------------

    def _tag_row(self, name: str) -> dict | None:
        rows = self._query("SELECT * FROM tags WHERE key = ?", [tag_key(name)])
        return rows[0] if rows else None

    def _ensure_tag(self, name: str) -> int:
        """The id of tag ``name``, created (with the next free palette color) if new."""
        name = clean_tag(name)
        row = self._tag_row(name)
        if row:
            return row["id"]
        used = {r["color"] for r in self._query("SELECT color FROM tags")}
        count = self._query("SELECT count(*) AS n FROM tags")[0]["n"]
        free = [c for _, c in PALETTE if c not in used]
        color = free[0] if free else PALETTE[count % len(PALETTE)][1]
        cursor = self.db.conn.execute(
            "INSERT INTO tags (key, name, color, description, created) VALUES (?, ?, ?, '', ?)",
            (tag_key(name), name, color, now()),
        )
        return cursor.lastrowid

    def tags(self) -> list[Tag]:
        """The codebook, with counts of live (not deleted) annotations, sorted by name."""
        rows = self._query(
            """
            SELECT t.name, t.color, t.description,
                   count(a.id) AS count, count(DISTINCT a.article) AS articles
            FROM tags t
            LEFT JOIN annotation_tags at ON at.tag = t.id
            LEFT JOIN annotations a ON a.id = at.annotation AND a.deleted IS NULL
            GROUP BY t.id ORDER BY t.key
            """
        )
        return [Tag(**r) for r in rows]

    def tag(self, name: str) -> Tag:
        for tag in self.tags():
            if tag.name.casefold() == tag_key(name):
                return tag
        raise StoreError(f"no tag '{clean_tag(name)}' in the codebook")

    def create_tag(self, name: str, color: str | None = None, description: str | None = None) -> Tag:
        with self.transaction():
            tag_id = self._ensure_tag(name)
            if color is not None:
                self.db.conn.execute("UPDATE tags SET color = ? WHERE id = ?", (clean_color(color), tag_id))
            if description is not None:
                self.db.conn.execute(
                    "UPDATE tags SET description = ? WHERE id = ?", (clean_note(description), tag_id)
                )
        return self.tag(name)

    def rename_tag(self, old: str, new: str) -> Tag:
        """Rename a tag (every annotation follows). Renaming onto another existing tag is a
        merge, and must be asked for as one."""
        new = clean_tag(new)
        with self.transaction():
            row = self._tag_row(old)
            if row is None:
                raise StoreError(f"no tag '{clean_tag(old)}' in the codebook")
            other = self._tag_row(new)
            if other is not None and other["id"] != row["id"]:
                raise StoreError(f"tag '{other['name']}' exists already: use `glose tag merge` to join them")
            self.db.conn.execute(
                "UPDATE tags SET key = ?, name = ? WHERE id = ?", (tag_key(new), new, row["id"])
            )
            self._touch_tagged([row["id"]])
        return self.tag(new)

    def merge_tags(self, sources: list[str], target: str) -> Tag:
        """Move every annotation of ``sources`` to ``target`` (created if needed), then drop
        the source tags. An annotation that had both keeps one link."""
        with self.transaction():
            target_id = self._ensure_tag(target)
            source_ids = []
            for name in sources:
                row = self._tag_row(name)
                if row is None:
                    raise StoreError(f"no tag '{clean_tag(name)}' in the codebook")
                if row["id"] != target_id:
                    source_ids.append(row["id"])
            self._touch_tagged(source_ids)
            for sid in source_ids:
                self.db.conn.execute(
                    "INSERT OR IGNORE INTO annotation_tags (annotation, tag) "
                    "SELECT annotation, ? FROM annotation_tags WHERE tag = ?",
                    (target_id, sid),
                )
                self.db.conn.execute("DELETE FROM annotation_tags WHERE tag = ?", (sid,))
                self.db.conn.execute("DELETE FROM tags WHERE id = ?", (sid,))
        return self.tag(target)

    def _touch_tagged(self, tag_ids: list[int]) -> None:
        if not tag_ids:
            return
        marks = ",".join("?" * len(tag_ids))
        self.db.conn.execute(
            f"UPDATE annotations SET updated = ? WHERE id IN "
            f"(SELECT annotation FROM annotation_tags WHERE tag IN ({marks}))",
            (now(), *tag_ids),
        )

    def color_tag(self, name: str, color: str) -> Tag:
        return self._set_tag_field(name, "color", clean_color(color))

    def describe_tag(self, name: str, description: str) -> Tag:
        return self._set_tag_field(name, "description", clean_note(description))

    def _set_tag_field(self, name: str, column: str, value: str) -> Tag:
        with self.transaction():
            row = self._tag_row(name)
            if row is None:
                raise StoreError(f"no tag '{clean_tag(name)}' in the codebook")
            self.db.conn.execute(f"UPDATE tags SET {column} = ? WHERE id = ?", (value, row["id"]))
        return self.tag(name)

    def tag_articles(self, name: str) -> set[str]:
        """Articles with live annotations tagged ``name`` or a tag below it (``droit`` covers
        ``droit/RGPD``). An unknown tag is an error, so a typo is not an empty result."""
        key = tag_key(name)
        rows = self._query(
            "SELECT id FROM tags WHERE key = ? OR key LIKE ? ESCAPE '\\'", [key, _like_prefix(key)]
        )
        if not rows:
            raise StoreError(f"no tag '{clean_tag(name)}' in the codebook")
        ids = [r["id"] for r in rows]
        marks = ",".join("?" * len(ids))
        found = self._query(
            f"SELECT DISTINCT a.article FROM annotations a JOIN annotation_tags at ON at.annotation = a.id "
            f"WHERE a.deleted IS NULL AND at.tag IN ({marks})",
            ids,
        )
        return {r["article"] for r in found}

    # --- annotations ----------------------------------------------------------------------

    def _tags_of(self, ids: list[str]) -> dict[str, tuple[str, ...]]:
        found: dict[str, list[str]] = {i: [] for i in ids}
        if len(ids) > 5000:  # most of the store: one pass over every link beats 900-id chunks
            for annotation, name in self.db.conn.execute(
                "SELECT at.annotation, t.name FROM annotation_tags at JOIN tags t ON t.id = at.tag ORDER BY t.key"
            ):
                bucket = found.get(annotation)
                if bucket is not None:
                    bucket.append(name)
            return {k: tuple(v) for k, v in found.items()}
        for chunk in _chunks(ids, 900):
            marks = ",".join("?" * len(chunk))
            for row in self._query(
                f"SELECT at.annotation, t.name FROM annotation_tags at JOIN tags t ON t.id = at.tag "
                f"WHERE at.annotation IN ({marks}) ORDER BY t.key",
                chunk,
            ):
                found[row["annotation"]].append(row["name"])
        return {k: tuple(v) for k, v in found.items()}

    def _select(self, where: str, params: list) -> list[Annotation]:
        """Annotations matching ``where``, built straight from row tuples (an export reads
        100,000 of them: a dict per row costs a second)."""
        columns = ", ".join(f'"{c}"' for c in _COLUMNS)
        with self._lock, self._errors():
            rows = self.db.conn.execute(
                f'SELECT {columns} FROM annotations WHERE {where} ORDER BY article, start, "end", created',
                params,
            ).fetchall()
        tags = self._tags_of([r[0] for r in rows])
        build = Annotation
        return [
            build(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], tags[r[0]], *r[10:])
            for r in rows
        ]

    def annotations(
        self,
        *,
        article: str | None = None,
        tag: str | None = None,
        orphaned: bool = False,
        review: bool = False,
        deleted: bool = False,
        ids: Iterable[str] | None = None,
    ) -> list[Annotation]:
        """Annotations in article order then position. Live ones unless ``deleted`` (then only
        the trash); ``orphaned`` keeps only orphans, ``review`` moved, fuzzy and orphaned ones;
        ``tag`` includes the tags below it."""
        where = ["deleted IS NOT NULL" if deleted else "deleted IS NULL"]
        params: list = []
        if article is not None:
            where.append("article = ?")
            params.append(article)
        if orphaned:
            where.append("status = 'orphaned'")
        if review:
            where.append("status IN ('moved', 'fuzzy', 'orphaned')")
        if tag is not None:
            key = tag_key(tag)
            if not self._query(
                "SELECT 1 FROM tags WHERE key = ? OR key LIKE ? ESCAPE '\\'", [key, _like_prefix(key)]
            ):
                raise StoreError(f"no tag '{clean_tag(tag)}' in the codebook")
            where.append(
                "id IN (SELECT at.annotation FROM annotation_tags at JOIN tags t ON t.id = at.tag "
                "WHERE t.key = ? OR t.key LIKE ? ESCAPE '\\')"
            )
            params += [key, _like_prefix(key)]
        if ids is not None:
            id_list = list(ids)
            if not id_list:
                return []
            where.append(f"id IN ({','.join('?' * len(id_list))})")
            params += id_list
        return self._select(" AND ".join(where), params)

    def get(self, ident: str, *, include_deleted: bool = True) -> Annotation:
        """An annotation by id or unique id prefix (at least 4 characters, as git allows)."""
        ident = ident.strip().lower().removeprefix("urn:uuid:")
        if len(ident) < 4:
            raise StoreError(f"annotation id '{ident}' is too short: give at least 4 characters")
        pattern = ident.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        rows = self._query("SELECT id FROM annotations WHERE id LIKE ? ESCAPE '\\' LIMIT 3", [pattern])
        if not rows:
            raise StoreError(f"no annotation '{ident}'")
        if len(rows) > 1:
            raise StoreError(f"'{ident}' names several annotations: give more characters")
        found = self.annotations(ids=[rows[0]["id"]], deleted=False) or self.annotations(
            ids=[rows[0]["id"]], deleted=True
        )
        if not include_deleted and found[0].deleted:
            raise StoreError(
                f"annotation {found[0].id[:8]} is in the trash (glose restore {found[0].id[:8]})"
            )
        return found[0]

    def create_many(
        self,
        items: Iterable[tuple[str, str, str, int, int]],
        tags: Iterable[str] = (),
        note: str | None = None,
    ) -> list[Annotation]:
        """Annotate many spans at once (article, text, hash, start, end), in one transaction:
        all are made or none (coding every hit of a concordance)."""
        names = tuple(clean_tag(t) for t in tags)
        stamp = now()
        made = []
        for article, text, article_hash, start, end in items:
            check_span(text, start, end)
            sel = select(text, start, end)
            made.append(
                Annotation(
                    id=str(uuid.uuid4()),
                    article=article,
                    start=start,
                    end=end,
                    exact=sel.exact,
                    prefix=sel.prefix,
                    suffix=sel.suffix,
                    article_hash=article_hash,
                    note=clean_note(note),
                    tags=names,
                    created=stamp,
                    updated=stamp,
                )
            )
        self.put_many(made)
        return self.annotations(ids=[a.id for a in made])

    def create(
        self,
        article: str,
        text: str,
        article_hash: str,
        start: int,
        end: int,
        tags: Iterable[str] = (),
        note: str | None = None,
    ) -> Annotation:
        """Annotate ``text[start:end]`` of ``article``."""
        return self.create_many([(article, text, article_hash, start, end)], tags=tags, note=note)[0]

    def _write(self, ann: Annotation) -> None:
        """Insert or replace one annotation with its tag links (inside a transaction)."""
        values = {c: getattr(ann, c) for c in _COLUMNS}
        columns = ", ".join(f'"{c}"' for c in _COLUMNS)
        marks = ", ".join("?" * len(_COLUMNS))
        self.db.conn.execute(
            f"INSERT OR REPLACE INTO annotations ({columns}) VALUES ({marks})", tuple(values.values())
        )
        self.db.conn.execute("DELETE FROM annotation_tags WHERE annotation = ?", (ann.id,))
        for name in dict.fromkeys(tag_key(t) for t in ann.tags):
            tag_id = self._ensure_tag(next(t for t in ann.tags if tag_key(t) == name))
            self.db.conn.execute("INSERT OR IGNORE INTO annotation_tags VALUES (?, ?)", (ann.id, tag_id))

    def put_many(self, anns: Iterable[Annotation]) -> int:
        n = 0
        with self.transaction():
            for ann in anns:
                self._write(ann)
                n += 1
        return n

    def edit(
        self,
        ident: str,
        *,
        tags: Iterable[str] | None = None,
        add_tags: Iterable[str] = (),
        remove_tags: Iterable[str] = (),
        note: str | None = None,
    ) -> Annotation:
        """Change tags (replace, add, remove) and/or the note of a live annotation."""
        with self.transaction():
            ann = self.get(ident, include_deleted=False)
            current = list(ann.tags) if tags is None else [clean_tag(t) for t in tags]
            current += [clean_tag(t) for t in add_tags]
            removing = {tag_key(t) for t in remove_tags}
            missing = removing - {tag_key(t) for t in current}
            if missing:
                raise StoreError(f"annotation {ann.id[:8]} has no tag {', '.join(sorted(missing))}")
            current = [t for t in current if tag_key(t) not in removing]
            changed = replace(
                ann,
                tags=tuple(dict.fromkeys(current)),
                note=ann.note if note is None else clean_note(note),
                updated=now(),
            )
            self._write(changed)
        return self.get(ann.id)

    def delete(self, ident: str) -> Annotation:
        """Move to the trash (restorable)."""
        with self.transaction():
            ann = self.get(ident, include_deleted=False)
            self._write(replace(ann, deleted=now(), updated=now()))
        return self.get(ann.id)

    def restore(self, ident: str) -> Annotation:
        with self.transaction():
            ann = self.get(ident)
            if ann.deleted is None:
                raise StoreError(f"annotation {ann.id[:8]} is not in the trash")
            self._write(replace(ann, deleted=None, updated=now()))
        return self.get(ann.id)

    # --- anchoring ------------------------------------------------------------------------

    def reanchor(self, article: str, text: str, article_hash: str) -> list[tuple[Annotation, Annotation]]:
        """Follow ``article``'s annotations (deleted ones too) into its new text. Returns
        (before, after) for each annotation whose place or status changed."""
        changed = []
        with self.transaction():
            rows = self._query(
                "SELECT id FROM annotations WHERE article = ? AND article_hash != ?", [article, article_hash]
            )
            ids = [r["id"] for r in rows]
            before_all = self.annotations(ids=ids) + self.annotations(ids=ids, deleted=True)
            for before in before_all:
                after = _relocated(before, relocate(text, before.selector), text, article_hash)
                self._write(after)
                if (after.start, after.end, after.status) != (before.start, before.end, before.status):
                    changed.append((before, after))
        return changed

    def orphan_article(self, article: str) -> list[Annotation]:
        """The article's file is gone: its annotations become orphans (kept, quote intact)."""
        orphaned = []
        with self.transaction():
            for ann in self.annotations(article=article) + self.annotations(article=article, deleted=True):
                # An empty hash makes the next sync try again when the file comes back.
                if ann.status != "orphaned":
                    after = replace(
                        ann,
                        status="orphaned",
                        old_start=ann.start,
                        old_end=ann.end,
                        article_hash="",
                        updated=now(),
                    )
                    self._write(after)
                    orphaned.append(after)
                elif ann.article_hash:
                    self._write(replace(ann, article_hash=""))
        return orphaned

    def accept(self, ident: str) -> Annotation:
        """Accept a moved or fuzzy annotation's new place (it leaves the review list)."""
        with self.transaction():
            ann = self.get(ident, include_deleted=False)
            if ann.status not in ("moved", "fuzzy"):
                raise StoreError(
                    f"annotation {ann.id[:8]} is {ann.status}: only moved or fuzzy ones can be accepted"
                )
            self._write(
                replace(ann, status="anchored", old_start=None, old_end=None, old_exact=None, updated=now())
            )
        return self.get(ann.id)

    def reattach(
        self, ident: str, text: str, article_hash: str, start: int, end: int, article: str | None = None
    ) -> Annotation:
        """Attach an annotation (typically an orphan) to a new span, keeping tags and note."""
        check_span(text, start, end)
        sel = select(text, start, end)
        with self.transaction():
            ann = self.get(ident, include_deleted=False)
            self._write(
                ann.placed(
                    sel,
                    article_hash,
                    article=article or ann.article,
                    status="anchored",
                    old_start=None,
                    old_end=None,
                    old_exact=None,
                    updated=now(),
                )
            )
        return self.get(ann.id)

    def data_version(self) -> int:
        """Changes whenever another connection commits (how the TUI sees CLI writes)."""
        return self._query("PRAGMA data_version")[0]["data_version"]

    def tag_article_counts(self) -> dict[tuple[str, str], int]:
        """(tag name, article) → number of live annotations: the tag × article matrix."""
        rows = self._query(
            """
            SELECT t.name AS tag, a.article AS article, count(*) AS n
            FROM annotation_tags at JOIN tags t ON t.id = at.tag JOIN annotations a ON a.id = at.annotation
            WHERE a.deleted IS NULL GROUP BY t.id, a.article
            """
        )
        return {(r["tag"], r["article"]): r["n"] for r in rows}

    def article_hashes(self) -> dict[str, set[str]]:
        """For each annotated article, the content hashes its annotations were anchored on."""
        found: dict[str, set[str]] = {}
        for row in self._query("SELECT DISTINCT article, article_hash FROM annotations"):
            found.setdefault(row["article"], set()).add(row["article_hash"])
        return found

    # --- article metadata -----------------------------------------------------------------

    def meta(self, article: str) -> dict[str, str]:
        rows = self._query("SELECT title, date, source FROM article_meta WHERE article = ?", [article])
        return {k: v for k, v in rows[0].items() if v} if rows else {}

    def all_meta(self) -> dict[str, dict[str, str]]:
        rows = self._query("SELECT article, title, date, source FROM article_meta")
        return {r.pop("article"): {k: v for k, v in r.items() if v} for r in rows}

    def set_meta(self, article: str, **values: str | None) -> dict[str, str]:
        """Override title/date/source (an empty string clears one override)."""
        current = self.meta(article)
        for key, value in values.items():
            if value is None:
                continue
            value = " ".join(clean_note(value).split())
            if value:
                current[key] = value
            else:
                current.pop(key, None)
        with self.transaction():
            self.db.conn.execute(
                "INSERT OR REPLACE INTO article_meta (article, title, date, source, updated) VALUES (?, ?, ?, ?, ?)",
                (article, current.get("title"), current.get("date"), current.get("source"), now()),
            )
        return current


def _is_readonly_error(exc: Exception) -> bool:
    message = str(exc).lower()
    return any(k in message for k in ("read-only", "readonly", "unable to open", "permission denied"))


def check_span(text: str, start: int, end: int) -> None:
    if not (0 <= start < end <= len(text)):
        raise StoreError(f"offsets {start}-{end} are outside the article (0-{len(text)}) or empty")
    if not text[start:end].strip():
        raise StoreError(f"the span {start}-{end} holds only white space")


def _relocated(before: Annotation, where: Location, text: str, article_hash: str) -> Annotation:
    stamp = now()
    if where.status == "orphaned":
        if before.status == "orphaned":
            return replace(before, article_hash=article_hash)
        return replace(
            before,
            status="orphaned",
            old_start=before.start,
            old_end=before.end,
            article_hash=article_hash,
            updated=stamp,
        )
    sel = select(text, where.start, where.end)
    status = where.status
    if status == "anchored" and before.status in ("moved", "fuzzy"):
        status = before.status  # still waiting for review
    moved = (where.start, where.end) != (before.start, before.end) or before.status == "orphaned"
    return before.placed(
        sel,
        article_hash,
        status=status,
        old_start=before.start if moved else before.old_start,
        old_end=before.end if moved else before.old_end,
        old_exact=before.exact if sel.exact != before.exact else before.old_exact,
        updated=stamp if moved or status != before.status else before.updated,
    )


def _like_prefix(key: str) -> str:
    return key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "/%"


def _chunks(items: list, size: int) -> Iterator[list]:
    for i in range(0, len(items), size):
        yield items[i : i + size]
