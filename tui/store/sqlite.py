"""One connection to ``annotations.db``: opening it safely, transactions, readable errors.

This is the data users trust us with, so:

- WAL journal, ``synchronous=FULL`` and a busy timeout: a killed process loses no committed
  annotation, and the TUI and a CLI call can write the same workspace at once;
- every write runs in :meth:`Connection.transaction` (``BEGIN IMMEDIATE`` around
  ``db.atomic()``), so a change of several rows and its journal event land whole or not at
  all, and two writers queue instead of failing on a lock upgrade;
- the schema is created and upgraded by ``sqlite_utils.Migrations``; a database that a newer
  Glose migrated further is opened read-only, never written;
- a file that cannot be written (read-only media, permissions) opens read-only: browsing
  works, every write says why it cannot.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..model import StoreError
from . import schema

BUSY_TIMEOUT_MS = 15_000


class Connection:
    """Thread-safe (one lock): the TUI's workers share one connection."""

    def __init__(self, path: Path | str, *, readonly: bool = False, busy_timeout_ms: int = BUSY_TIMEOUT_MS):
        self.busy_timeout_ms = busy_timeout_ms
        self.readonly = readonly
        self.readonly_reason = "opened read-only" if readonly else ""
        self._lock = threading.RLock()
        self._open(path)

    @property
    def where(self) -> str:
        """The store, as messages name it."""
        return str(self.path)

    def _open(self, path: Path | str) -> None:
        self.path = Path(path)
        readonly = self.readonly
        if not readonly:
            try:
                self._open_for_writing()
                return
            except _NewerDatabase as exc:
                self.close()
                self.readonly, self.readonly_reason = True, str(exc)
            except StoreError as exc:
                if not _is_readonly_error(exc):
                    raise
                self.close()
                self.readonly, self.readonly_reason = True, f"{self.path} is read-only"
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
            migrations = schema.migrations()
            with self._errors():
                self._refuse_newer(migrations)
                pending = migrations.pending(self.db)
            if pending:  # under the write lock: two first runs cannot race
                with self.transaction():
                    self._refuse_newer(migrations)
                    if migrations.pending(self.db):
                        migrations.apply(self.db)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"cannot open {self.path}: {exc}") from None

    def _refuse_newer(self, migrations) -> None:
        unknown = [m.name for m in migrations.applied(self.db)] if self.path.exists() else []
        unknown = [n for n in unknown if n not in schema.known_names()]
        if unknown:
            raise _NewerDatabase(
                f"{self.path.name} was written by a newer Glose (migration {unknown[-1]}): "
                "opened read-only, nothing will be written; update Glose to change it"
            )

    def _open_read_only(self) -> None:
        """Read-only access to the file as it is, committed changes included; an empty store
        only when there is no file at all. A file that cannot be read is an error, never an
        empty list: "no annotations" must mean there are none.

        On read-only media SQLite cannot make the WAL index (``-shm``): ``immutable`` would then
        ignore the write-ahead log and show only what was checkpointed, so when a non-empty
        ``-wal`` is there, a private copy of the database and its log is read instead."""
        if not self.path.exists():
            self._connect(":memory:")  # nothing to read: an empty, unwritable store
            schema.migrations().apply(self.db)
            return
        if self.path.is_dir():
            raise StoreError(f"cannot open {self.path}: it is a folder, not an annotations database")
        problem = "unreadable"
        wal = self.path.with_name(self.path.name + "-wal")
        attempts = [("mode=ro", self.path)]
        if wal.exists() and wal.stat().st_size > 0:
            attempts.append(("snapshot", self.path))
        else:
            attempts.append(("mode=ro&immutable=1", self.path))
        for options, path in attempts:
            try:
                if options == "snapshot":
                    path, options = self._snapshot(wal), "mode=ro"
                conn = self._connect(f"{path.absolute().as_uri()}?{options}", uri=True)
                conn.execute("SELECT count(*) FROM annotations").fetchone()
                return
            except (sqlite3.DatabaseError, OSError) as exc:
                problem = getattr(exc, "strerror", None) or str(exc)
                with contextlib.suppress(Exception):
                    self.db.close()
        raise StoreError(f"cannot open {self.path}: {problem}")

    def _snapshot(self, wal: Path) -> Path:
        """Copy the database and its write-ahead log somewhere writable, and fold the log in
        there (the original stays untouched)."""
        import shutil
        import tempfile

        self._snapshot_dir = tempfile.TemporaryDirectory(prefix="glose-ro-")
        copy = Path(self._snapshot_dir.name) / self.path.name
        shutil.copyfile(self.path, copy)
        shutil.copyfile(wal, copy.with_name(copy.name + "-wal"))
        conn = sqlite3.connect(copy)
        try:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            conn.close()
        self.readonly_reason = f"{self.path} is read-only (reading a copy that includes its write-ahead log)"
        return copy

    def _check_writable(self) -> None:
        if self.readonly:
            raise StoreError(f"annotations cannot be saved: {self.readonly_reason} (reading still works)")

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.db.close()

    def __enter__(self):
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

    # The statements the store runs, written once in SQL both SQLite and PostgreSQL read
    # (``?`` placeholders, ``ON CONFLICT``, ``RETURNING``-free inserts): the PostgreSQL
    # connection overrides these few methods, nothing above them.

    def _query(self, sql: str, params: Iterable = ()) -> list[dict]:
        with self._lock, self._errors():
            cursor = self.db.conn.execute(sql, tuple(params))
            names = [d[0] for d in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def _rows(self, sql: str, params: Iterable = ()) -> list[tuple]:
        """Rows as tuples (cheaper than dicts for 100,000 annotations)."""
        with self._lock, self._errors():
            return self.db.conn.execute(sql, tuple(params)).fetchall()

    def _execute(self, sql: str, params: Iterable = ()) -> None:
        """A write; call inside :meth:`transaction`."""
        self.db.conn.execute(sql, tuple(params))

    def _executemany(self, sql: str, rows: Iterable[tuple]) -> None:
        self.db.conn.executemany(sql, rows)

    def _insert(self, sql: str, params: Iterable, key: str) -> int:
        """An ``INSERT`` of one row; returns the number the database gave its ``key`` column."""
        return self.db.conn.execute(sql, tuple(params)).lastrowid

    def _sequence(self, table: str) -> int:
        """The last number ``table``'s counter handed out (numbers are never reused)."""
        rows = self._query("SELECT seq FROM sqlite_sequence WHERE name = ?", [table])
        return rows[0]["seq"] if rows else 0

    def _set_sequence(self, table: str, value: int) -> None:
        if self._query("SELECT 1 FROM sqlite_sequence WHERE name = ?", [table]):
            self._execute("UPDATE sqlite_sequence SET seq = ? WHERE name = ?", [value, table])
        else:
            self._execute("INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)", [table, value])

    def data_version(self) -> int:
        """Changes whenever another connection commits (how the TUI sees CLI writes)."""
        return self._query("PRAGMA data_version")[0]["data_version"]


class _NewerDatabase(StoreError):
    pass


def _is_readonly_error(exc: Exception) -> bool:
    message = str(exc).lower()
    return any(k in message for k in ("read-only", "readonly", "unable to open", "permission denied"))


def chunks(items: list, size: int = 900) -> Iterator[list]:
    """Pieces of a list small enough for one SQL statement's variables."""
    for i in range(0, len(items), size):
        yield items[i : i + size]


def like_prefix(key: str) -> str:
    """The LIKE pattern of the tags below ``key`` (``droit`` → ``droit/%``)."""
    return key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "/%"
