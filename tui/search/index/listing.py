"""The update's scan of ``articles/``, skipping the listing of folders whose entries did not
change, and never missing a change.

What a folder's times say, and what they do not (POSIX, and NTFS for the modification time):

- adding, removing or renaming an entry (a file, a subfolder, a link; an editor's "write a
  temporary file, rename it over") changes the folder's modification and change times;
- rewriting a file in place changes that file's times only, never its folder's;
- a subfolder's own entries change the subfolder's times, not its parent's.

So an unchanged folder (same device, inode, modification and change times as when it was
listed) holds the same names as then, and its listing is taken from ``folders.db`` instead of
being read again; but **every article file is still stat'ed**, because only its own stat shows
an edit in place. The change time matters because tools set modification times back (``rsync
-t``, ``tar x``, ``touch -d``) while nothing can set a change time. What the skip saves is the
listing's Python work (an entry object per name, the name → id conversion, the sort: about
half the scan at 50,000 articles): the stat calls remain, made with the folder's descriptor.

A listing is recorded only when the folder's times are older than :data:`TRUST_AFTER_NS`:
times are coarse (a kernel tick; 2 s on FAT), so an entry added in the same tick as the
listing could leave the times as they were. A folder changed that recently is listed again
each time until it has been quiet long enough. A name that was not a regular file when listed
(a link to nothing yet) is stat'ed again too, and the folder listed anew when it becomes one.

``folders.db`` is a cache beside the index's generations: unreadable, damaged or absent, it is
ignored (every folder is listed) and written again; each record carries a checksum of itself.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
import stat as stat_mod
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ...text.corpus import FileStat, name_to_id, read_folder
from .manifest import stat_digest

CACHE_FILE = "folders.db"
TRUST_AFTER_NS = 2_000_000_000  # a folder's listing is recorded once its times are this old
_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS listings (folder TEXT PRIMARY KEY, signature TEXT NOT NULL, "
    "files BLOB NOT NULL, others BLOB NOT NULL, dirs BLOB NOT NULL, checksum BLOB NOT NULL) WITHOUT ROWID"
)
_DIR_FD = os.stat in os.supports_dir_fd
_OPEN_DIR = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0)


@dataclass(slots=True)
class Listed:
    """The article files directly in one folder, in id order, with their stats."""

    where: str  # the folder's path as the OS gave it
    names: list[str] = field(default_factory=list)  # as the OS lists them
    ids: list[str] = field(default_factory=list)
    sizes: list[int] = field(default_factory=list)
    mtimes: list[int] = field(default_factory=list)

    def files(self) -> list[FileStat]:
        join = os.path.join
        return [
            FileStat(i, join(self.where, n), s, m)
            for i, n, s, m in zip(self.ids, self.names, self.sizes, self.mtimes, strict=True)
        ]

    def differing(self, known: dict[str, tuple[int, int]]) -> list[FileStat]:
        """The files whose (size, mtime) is not the one ``known`` holds, taking every file of
        this folder out of ``known`` (what is left there was not seen)."""
        join, pop = os.path.join, known.pop
        return [
            FileStat(i, join(self.where, n), s, m)
            for i, n, s, m in zip(self.ids, self.names, self.sizes, self.mtimes, strict=True)
            if pop(i, None) != (s, m)
        ]

    def digest(self) -> bytes:
        return stat_digest(self.ids, self.sizes, self.mtimes)


@dataclass(slots=True)
class _Record:
    signature: str
    files: list[str]  # article files, in id order (OS names)
    others: list[str]  # article-named entries that were not regular files
    dirs: list[str]  # subfolders (OS names)


def _signature(st: os.stat_result) -> str:
    return f"{st.st_dev}:{st.st_ino}:{st.st_mtime_ns}:{st.st_ctime_ns}"


def _pack(names: list[str]) -> bytes:
    return os.fsencode("\0".join(names))  # no name holds a NUL, and none splits across one


def _unpack(blob: bytes) -> list[str]:
    return os.fsdecode(blob).split("\0") if blob else []


def _checksum(folder: str, signature: str, files: bytes, others: bytes, dirs: bytes) -> bytes:
    h = hashlib.blake2b(digest_size=16)
    for part in (folder.encode("utf-8", "surrogatepass"), signature.encode(), files, others, dirs):
        h.update(len(part).to_bytes(8, "little"))
        h.update(part)
    return h.digest()


@contextlib.contextmanager
def _cache(index_dir: Path, create: bool) -> Iterator[sqlite3.Connection | None]:
    """The cache's connection, or None when it cannot be had (no file to read, read-only,
    locked, damaged): the scan then lists every folder."""
    path = index_dir / CACHE_FILE
    if not create and not path.is_file():
        yield None
        return
    try:
        conn = sqlite3.connect(
            f"{path.absolute().as_uri()}?mode={'rwc' if create else 'ro'}", uri=True, timeout=2
        )
    except sqlite3.Error:
        yield None
        return
    try:
        yield conn
    finally:
        conn.close()


def _load(index_dir: Path) -> dict[str, _Record]:
    records: dict[str, _Record] = {}
    with _cache(index_dir, create=False) as conn:
        if conn is None:
            return records
        try:
            rows = conn.execute(
                "SELECT folder, signature, files, others, dirs, checksum FROM listings"
            ).fetchall()
        except sqlite3.Error:
            return records
    for folder, signature, files, others, dirs, checksum in rows:
        if _checksum(folder, signature, files, others, dirs) == checksum:
            records[folder] = _Record(signature, _unpack(files), _unpack(others), _unpack(dirs))
    return records


def _save(index_dir: Path, fresh: dict[str, _Record], gone: set[str]) -> None:
    """Record ``fresh`` listings and forget those of ``gone`` folders; failing is harmless."""
    if not fresh and not gone:
        return
    with _cache(index_dir, create=True) as conn:
        if conn is None:
            return
        try:
            with conn:
                conn.execute(_SCHEMA)
                conn.executemany("DELETE FROM listings WHERE folder = ?", [(f,) for f in gone])
                rows = []
                for folder, r in fresh.items():
                    files, others, dirs = _pack(r.files), _pack(r.others), _pack(r.dirs)
                    checksum = _checksum(folder, r.signature, files, others, dirs)
                    rows.append((folder, r.signature, files, others, dirs, checksum))
                conn.executemany("INSERT OR REPLACE INTO listings VALUES (?, ?, ?, ?, ?, ?)", rows)
        except sqlite3.OperationalError:  # locked, read-only: the next scan lists again
            return
        except sqlite3.DatabaseError:  # damaged: start it again next time
            with contextlib.suppress(OSError):
                (index_dir / CACHE_FILE).unlink()


def _child(folder: str, name: str) -> str:
    return f"{folder}/{name_to_id(name)}" if folder else name_to_id(name)


def _list(folder: str, where: str) -> tuple[Listed, _Record] | None:
    """Read one folder's entries (:func:`tui.text.corpus.read_folder`, as the full scan does)."""
    read = read_folder(where)
    if read is None:
        return None
    files, others, dirs = read
    prefix = folder + "/" if folder else ""
    found = sorted((prefix + name_to_id(e.name), e.name, st.st_size, st.st_mtime_ns) for e, st in files)
    listed = Listed(
        where, [f[1] for f in found], [f[0] for f in found], [f[2] for f in found], [f[3] for f in found]
    )
    return listed, _Record("", listed.names, sorted(others), sorted(d.name for d in dirs))


def _restat(folder: str, where: str, record: _Record) -> Listed | None:
    """Stat the files a recorded listing names; None when one is no longer a regular file
    (or vanished behind a link), or an entry that was not one now is: list the folder again."""
    listed = Listed(where, record.files)
    prefix = folder + "/" if folder else ""
    listed.ids = [prefix + name_to_id(n) for n in record.files]
    sizes, mtimes = listed.sizes, listed.mtimes
    isreg = stat_mod.S_ISREG
    try:
        if _DIR_FD:
            fd = os.open(where, _OPEN_DIR)
            try:
                stats = [os.stat(n, dir_fd=fd) for n in record.files]
                for n in record.others:
                    with contextlib.suppress(OSError):
                        if isreg(os.stat(n, dir_fd=fd).st_mode):
                            return None
            finally:
                os.close(fd)
        else:
            join = os.path.join
            stats = [os.stat(join(where, n)) for n in record.files]
            for n in record.others:
                with contextlib.suppress(OSError):
                    if isreg(os.stat(join(where, n)).st_mode):
                        return None
    except OSError:
        return None
    for st in stats:
        if not isreg(st.st_mode):
            return None
        sizes.append(st.st_size)
        mtimes.append(st.st_mtime_ns)
    return listed


def scan_listed(articles_dir: Path, index_dir: Path, *, record: bool = True) -> dict[str, Listed]:
    """Every article file below ``articles_dir``, by folder id (as
    :func:`tui.text.corpus.scan_by_folder`, same ids, paths, stats and order), listing again
    only the folders whose times changed since ``folders.db`` recorded them. ``record``: write
    the listings that were read anew (and are old enough to trust) back to the cache."""
    records = _load(index_dir)
    out, seen, fresh = _walk(records, [("", os.fspath(articles_dir), True)])
    if record:
        _save(index_dir, fresh, set(records) - seen - set(fresh))
    return out


@dataclass(slots=True)
class Partial:
    """What a scan of some folders found: their article files by folder id (as
    :func:`scan_listed`), and ``scope``, every folder id whose files are now known: those
    listed, and those recorded below a place that is gone or was scanned through (a folder
    in ``scope`` but not in ``folders`` holds no article file now)."""

    folders: dict[str, Listed]
    scope: set[str]


def folder_id(rel: str) -> str:
    """The id of a folder given by its path relative to ``articles/`` ("" for itself)."""
    parts = [part for part in rel.replace(os.sep, "/").split("/") if part and part != "."]
    return "/".join(name_to_id(part) for part in parts)


def scan_some(articles_dir: Path, index_dir: Path, paths: list[str], known: set[str]) -> Partial:
    """The folders that ``paths`` (relative to ``articles_dir``: what a watcher heard) can have
    changed, and nothing else: a file's folder, a folder (all below it), the folder of a
    name that is gone and whatever ``known`` (folder ids: the manifest's) has below it.
    At 50,000 articles ten edits stat ten folders' files, not every file."""
    root = os.fspath(articles_dir)
    roots: dict[str, tuple[str, bool]] = {}
    under: set[str] = set()  # folder ids whose recorded subfolders are in scope too
    for rel in paths:
        where = os.path.join(root, rel)
        if os.path.isdir(where) and not os.path.islink(where):
            fid = folder_id(rel)
            roots[fid] = (where, True)
            under.add(fid)
            continue
        parent = os.path.dirname(rel)
        pid = folder_id(parent)
        if pid not in roots:
            roots[pid] = (os.path.join(root, parent), False)
        if not os.path.lexists(where):  # perhaps a folder, removed or renamed away
            under.add(folder_id(rel))
    # a folder inside another that is scanned through is done by it
    starts = [(fid, where, deep) for fid, (where, deep) in roots.items() if not _inside(fid, under - {fid})]
    records = _load(index_dir)
    out, seen, fresh = _walk(records, starts)
    scope = seen | {fid for fid, _, _ in starts}
    scope |= {f for f in known | set(records) if _inside(f, under)}
    _save(index_dir, fresh, {f for f in records if f in scope and f not in seen})
    return Partial(out, scope)


def _inside(folder: str, tops: set[str]) -> bool:
    """Whether ``folder`` is one of ``tops`` or below one."""
    return any(folder == top or not top or folder.startswith(top + "/") for top in tops)


def _walk(
    records: dict[str, _Record], starts: list[tuple[str, str, bool]]
) -> tuple[dict[str, Listed], set[str], dict[str, _Record]]:
    """List (or re-stat, by ``records``) each start folder, and the folders below the ones
    marked to go deep; returns the article files by folder id, the folder ids seen, and the
    listings read anew that are old enough to record."""
    trusted_before = time.time_ns() - TRUST_AFTER_NS
    fresh: dict[str, _Record] = {}
    out: dict[str, Listed] = {}
    seen: set[str] = set()
    stack = [(folder, where, deep) for folder, where, deep in reversed(starts)]
    while stack:
        folder, where, deep = stack.pop()
        try:
            st = os.stat(where)
        except OSError:
            continue
        signature = _signature(st)
        known = records.get(folder)
        listed = None
        if known is not None and known.signature == signature:
            listed = _restat(folder, where, known)
            rec = known
        if listed is None:
            done = _list(folder, where)
            if done is None:
                continue
            listed, rec = done
            if max(st.st_mtime_ns, st.st_ctime_ns) < trusted_before:
                rec.signature = signature
                fresh[folder] = rec
        seen.add(folder)
        if listed.ids:
            out[folder] = listed
        if deep:
            stack.extend((_child(folder, name), os.path.join(where, name), True) for name in rec.dirs)
    return out, seen, fresh
