"""The index's manifest: for every article file, the size and mtime it had when indexed, its
content hash, and why it was skipped or what was said about it.

An update compares every file's stat with the manifest, then reads only what changed. At
50,000 articles a JSON manifest cost more than the update itself (≈0.7 s to parse into objects,
≈0.35 s to write back for ten changed rows), so the manifest is a SQLite file beside the
generation it describes (``<generation>.manifest``): the comparison reads two integers per
file in one query, and an update writes only the rows that changed. A rebuild writes a new
generation and its own manifest; ``state.json`` names the generation, so switching to it
switches both at once.

Beside the rows, a digest per folder of its files' (id, size, mtime) (table ``folders``): a
check that nothing changed compares the digests of a fresh scan with these few rows instead of
reading 50,000 rows into a dict (≈0.2 s at 50,000), and an update reads the rows of the folders
whose digest differs only. Every file is still stat'ed: an edit in place changes a file's mtime,
never its folder's.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ...errors import IndexError_

SUFFIX = ".manifest"


@dataclass(slots=True)
class FileEntry:
    size: int
    mtime_ns: int
    hash: str | None = None  # None for a skipped file
    skipped: str | None = None
    warning: str | None = None  # indexed, but with something to say (invalid bytes replaced)

    def to_json(self) -> list:
        data = [self.size, self.mtime_ns, self.hash, self.skipped]
        return [*data, self.warning] if self.warning else data

    @classmethod
    def from_json(cls, data: list) -> FileEntry:
        return cls(int(data[0]), int(data[1]), data[2], data[3], data[4] if len(data) > 4 else None)


_COLUMNS = "id, size, mtime_ns, hash, skipped, warning"
_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS files (id TEXT PRIMARY KEY, size INTEGER NOT NULL, "
    "mtime_ns INTEGER NOT NULL, hash TEXT, skipped TEXT, warning TEXT) WITHOUT ROWID"
)


_FOLDERS = "CREATE TABLE IF NOT EXISTS folders (folder TEXT PRIMARY KEY, digest BLOB NOT NULL) WITHOUT ROWID"

Stat = tuple[str, int, int]  # (id, size, mtime_ns)


def folder_of(aid: str) -> str:
    """The folder part of an article id ("" for a file directly in ``articles/``)."""
    return aid.rpartition("/")[0]


def folder_digests(folders: dict[str, list], size: int = 1, mtime: int = 2) -> dict[str, bytes]:
    """folder → digest of the (id, size, mtime_ns) of the files directly in it, from each
    folder's entries in id order (tuples whose first item is the id; ``size`` and ``mtime``
    say where the others are): equal digests, equal stats. Columns are hashed as joined text
    and machine integers: formatting 100,000 integers as text took longer than the stats."""
    return {
        folder: stat_digest([e[0] for e in entries], [e[size] for e in entries], [e[mtime] for e in entries])
        for folder, entries in folders.items()
    }


def stat_digest(ids: list[str], sizes: list[int], mtimes: list[int]) -> bytes:
    """The digest of one folder's files (see :func:`folder_digests`), from its columns."""
    h = hashlib.blake2b(digest_size=16)
    h.update("\n".join(ids).encode("utf-8", "surrogatepass"))
    h.update(array("q", sizes).tobytes())
    h.update(array("q", mtimes).tobytes())
    return h.digest()


def _by_folder(rows: list[Stat]) -> dict[str, list[Stat]]:
    """Manifest rows (id, size, mtime_ns) by folder, each folder's in id order."""
    folders: dict[str, list[Stat]] = {}
    for row in sorted(rows):
        folders.setdefault(folder_of(row[0]), []).append(row)
    return folders


def _in_folder(folder: str) -> tuple[str, tuple]:
    """A WHERE clause (and its parameters) for the rows of the files directly in ``folder``."""
    if not folder:
        return "instr(id, '/') = 0", ()
    # ids below "a/b/" sort between "a/b/" and "a/b0" ('0' follows '/'), in UTF-8 as in Python
    return "id >= ? AND id < ? AND instr(substr(id, ?), '/') = 0", (
        folder + "/",
        folder + "0",
        len(folder) + 2,
    )


class Manifest:
    """The entries of one generation: rows read from its file when asked for, changes kept in
    memory until :meth:`save`. Picklable while it has no file (worker processes fill one)."""

    def __init__(self, entries: dict[str, FileEntry] | None = None, *, path: Path | None = None):
        self.path = path
        self._changed: dict[str, FileEntry | None] = dict(entries or {})  # None: removed
        self._redigest: set[str] = set()  # folders whose digest to write again at the next save

    # --- reading ---------------------------------------------------------------------------

    @contextlib.contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection | None]:
        if self.path is None:
            yield None
            return
        try:
            conn = sqlite3.connect(f"{self.path.absolute().as_uri()}?mode=ro", uri=True, timeout=10)
        except sqlite3.Error as exc:
            raise IndexError_(f"cannot read the index's manifest {self.path.name}: {exc}") from None
        try:
            yield conn
        except sqlite3.Error as exc:
            raise IndexError_(f"cannot read the index's manifest {self.path.name}: {exc}") from None
        finally:
            conn.close()

    def check(self) -> None:
        """Raise :class:`IndexError_` when the file is missing or not a manifest."""
        if self.path is not None and not self.path.is_file():
            raise IndexError_(f"the index's manifest {self.path.name} is missing")
        with self._reading() as conn:
            if conn is not None:
                conn.execute("SELECT 1 FROM files LIMIT 1").fetchall()

    def stats(self) -> dict[str, tuple[int, int]]:
        """id → (size, mtime_ns) of every entry: what the stat comparison needs, in one query."""
        with self._reading() as conn:
            found: dict[str, tuple[int, int]] = {}
            if conn is not None:
                found = {i: (s, m) for i, s, m in conn.execute("SELECT id, size, mtime_ns FROM files")}
        return self._overlay(found, lambda e: (e.size, e.mtime_ns))

    def folder_stats(self, folders: Iterable[str]) -> dict[str, tuple[int, int]]:
        """id → (size, mtime_ns) of the entries directly in ``folders`` (an update reads only the
        folders whose digest changed)."""
        found: dict[str, tuple[int, int]] = {}
        wanted = set(folders)
        with self._reading() as conn:
            for folder in wanted if conn is not None else ():
                where, params = _in_folder(folder)
                found.update(
                    {
                        i: (s, m)
                        for i, s, m in conn.execute(
                            f"SELECT id, size, mtime_ns FROM files WHERE {where}", params
                        )
                    }
                )
        changed = [aid for aid in self._changed if folder_of(aid) in wanted]
        return self._overlay(found, lambda e: (e.size, e.mtime_ns), ids=changed)

    def digests(self) -> dict[str, bytes] | None:
        """folder → digest of the saved entries (see :func:`folder_digests`), or None when this
        manifest has none (written by an older Glose, or not saved yet)."""
        if self.path is None or self._changed:
            return None
        with self._reading() as conn:
            assert conn is not None
            try:
                return dict(conn.execute("SELECT folder, digest FROM folders"))
            except sqlite3.OperationalError:  # no such table: an older manifest
                return None

    def redigest(self, folders: Iterable[str]) -> None:
        """Write these folders' digests again at the next save (they disagreed with rows that
        did not change)."""
        self._redigest.update(folders)

    def stale_digests(self) -> bool:
        """Whether a save would rewrite digests although no row changed (an older manifest
        without them, or folders marked by :meth:`redigest`)."""
        return bool(self._redigest) or (self.path is not None and self.digests() is None)

    def _overlay(self, found: dict, value=lambda entry: entry, keep=None, ids=None) -> dict:
        """``found`` (read from the file) with the changes not yet saved laid over it: entries
        removed since go, changed ones take their new ``value``; ``keep`` filters the changed
        entries as the query filtered the rows, ``ids`` limits the overlay to those asked."""
        changed = (
            self._changed.items()
            if ids is None
            else ((i, self._changed[i]) for i in ids if i in self._changed)
        )
        for aid, entry in changed:
            if entry is None or (keep is not None and not keep(entry)):
                found.pop(aid, None)
            else:
                found[aid] = value(entry)
        return found

    def _rows(self, where: str = "", params: tuple = ()) -> dict[str, FileEntry]:
        with self._reading() as conn:
            if conn is None:
                return {}
            return {
                r[0]: FileEntry(*r[1:]) for r in conn.execute(f"SELECT {_COLUMNS} FROM files {where}", params)
            }

    def flagged(self) -> dict[str, FileEntry]:
        """The entries that were skipped or carry a warning (an update says them again)."""
        rows = self._rows("WHERE skipped IS NOT NULL OR warning IS NOT NULL")
        return self._overlay(rows, keep=lambda e: bool(e.skipped or e.warning))

    def hashes(self) -> dict[str, str | None]:
        with self._reading() as conn:
            found = dict(conn.execute("SELECT id, hash FROM files")) if conn is not None else {}
        return self._overlay(found, lambda e: e.hash)

    def some(self, ids: list[str]) -> dict[str, FileEntry]:
        """The entries of ``ids`` (those there are), read in one connection."""
        rows: dict[str, FileEntry] = {}
        with self._reading() as conn:
            for i in range(0, len(ids) if conn is not None else 0, 500):
                piece = ids[i : i + 500]
                sql = f"SELECT {_COLUMNS} FROM files WHERE id IN ({','.join('?' * len(piece))})"
                rows.update({r[0]: FileEntry(*r[1:]) for r in conn.execute(sql, piece)})
        return self._overlay(rows, ids=ids)

    def indexed(self, limit: int, offset: int = 0) -> tuple[list[str], int]:
        """``limit`` indexed ids in id order from the ``offset``-th, and how many are indexed."""
        if self._changed or self.path is None:
            ids = sorted(aid for aid, h in self.hashes().items() if h is not None)
            return ids[offset : offset + limit], len(ids)
        with self._reading() as conn:
            assert conn is not None
            total = conn.execute("SELECT count(*) FROM files WHERE hash IS NOT NULL").fetchone()[0]
            rows = conn.execute(
                "SELECT id FROM files WHERE hash IS NOT NULL ORDER BY id LIMIT ? OFFSET ?", (limit, offset)
            )
            return [r[0] for r in rows], total

    def count(self) -> int:
        """How many entries there are (a count, not a read of every row, when saved)."""
        if self._changed or self.path is None:
            return len(self.stats())
        with self._reading() as conn:
            assert conn is not None
            return conn.execute("SELECT count(*) FROM files").fetchone()[0]

    def get(self, aid: str, default: FileEntry | None = None) -> FileEntry | None:
        if aid in self._changed:
            entry = self._changed[aid]
            return default if entry is None else entry
        return self._rows("WHERE id = ?", (aid,)).get(aid, default)

    def __getitem__(self, aid: str) -> FileEntry:
        entry = self.get(aid)
        if entry is None:
            raise KeyError(aid)
        return entry

    def __contains__(self, aid: object) -> bool:
        return isinstance(aid, str) and self.get(aid) is not None

    def all(self) -> dict[str, FileEntry]:
        """Every entry (reads the whole file: not for the update's hot path)."""
        return self._overlay(self._rows())

    def items(self):
        return self.all().items()

    def values(self):
        return self.all().values()

    def __len__(self) -> int:
        return len(self.stats())

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Manifest) and self.all() == other.all()

    # --- writing ---------------------------------------------------------------------------

    def __setitem__(self, aid: str, entry: FileEntry) -> None:
        self._changed[aid] = entry

    def pop(self, aid: str) -> FileEntry:
        entry = self[aid]
        self._changed[aid] = None
        return entry

    def update(self, other: Manifest) -> None:
        self._changed.update(other._changed)

    def save(self, path: Path) -> None:
        """Write the changes durably to ``path``: only the changed rows when it is this
        manifest's own file, every entry into a new file otherwise."""
        if path != self.path:
            entries = self.all()
            path.unlink(missing_ok=True)
            changes: dict[str, FileEntry | None] = dict(entries)
        else:
            changes = self._changed
        conn = sqlite3.connect(path, timeout=10)
        try:
            conn.execute("PRAGMA synchronous = FULL")
            with conn:
                conn.execute(_SCHEMA)
                fresh = not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'folders'").fetchall()
                conn.execute(_FOLDERS)
                gone = [(aid,) for aid, e in changes.items() if e is None]
                conn.executemany("DELETE FROM files WHERE id = ?", gone)
                conn.executemany(
                    "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, ?)",
                    [
                        (aid, e.size, e.mtime_ns, e.hash, e.skipped, e.warning)
                        for aid, e in changes.items()
                        if e is not None
                    ],
                )
                _save_digests(conn, None if fresh else {folder_of(a) for a in changes} | self._redigest)
        finally:
            conn.close()
        self.path, self._changed, self._redigest = path, {}, set()


def _save_digests(conn: sqlite3.Connection, folders: set[str] | None) -> None:
    """Recompute the digests of ``folders`` (None: of every folder) from the rows as saved."""
    if folders is None:
        conn.execute("DELETE FROM folders")
        rows = conn.execute("SELECT id, size, mtime_ns FROM files").fetchall()
        digests = folder_digests(_by_folder(rows))
    else:
        digests = {}
        for folder in folders:
            where, params = _in_folder(folder)
            rows = conn.execute(f"SELECT id, size, mtime_ns FROM files WHERE {where}", params).fetchall()
            digests.update(folder_digests(_by_folder(rows)))
            if not rows:
                conn.execute("DELETE FROM folders WHERE folder = ?", (folder,))
    conn.executemany("INSERT OR REPLACE INTO folders VALUES (?, ?)", digests.items())


def manifest_path(index_dir: Path, generation: str) -> Path:
    return index_dir / f"{generation}{SUFFIX}"


def remove_stale(index_dir: Path, keep: str) -> None:
    """Delete the manifests of generations other than ``keep`` (and their journals)."""
    with contextlib.suppress(OSError):
        for name in os.listdir(index_dir):
            if name.startswith("g-") and SUFFIX in name and not name.startswith(keep + SUFFIX):
                with contextlib.suppress(OSError):
                    os.unlink(index_dir / name)
