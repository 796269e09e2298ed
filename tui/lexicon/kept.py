"""The form counts kept beside the index, so that a frequency list or the specificities of
50,000 articles never read the 50,000 files again.

One SQLite file in the index folder (``lexicon.sqlite``), independent of the engine: the
vocabulary (form → number) and, for each article *text* (keyed by its content hash, so a
renamed or copied file costs nothing and a rebuilt index keeps its counts), the numbers of its
forms and how often each occurs, packed (:func:`.packing.pack`: the form numbers sorted and
written as gaps, compressed with their counts; ~500 bytes an article). The index's update
calls :func:`keep` with the hashes it holds; :func:`load` counts whatever is still missing
(an index older than this file) and keeps that too. A folder where nothing can be written
still gets its counts, made in memory each time."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterable
from contextlib import closing
from pathlib import Path

from .packing import Packed, pack
from .tables import Corpus
from .tokens import form_counts

FILE = "lexicon.sqlite"
VERSION = "5"  # of the tokenizer and the packing: another one counts everything again

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS forms (id INTEGER PRIMARY KEY, form TEXT UNIQUE NOT NULL);
CREATE TABLE IF NOT EXISTS counts (
    hash TEXT PRIMARY KEY, n INTEGER NOT NULL, first INTEGER NOT NULL, wide INTEGER NOT NULL,
    gaps BLOB NOT NULL, counts BLOB NOT NULL
);
"""

Reader = Callable[[str], str | None]  # article id → its canonical text (None: unreadable now)


class Kept:
    """The counts file of one index folder, with the vocabulary read so far."""

    def __init__(self, index_dir: Path, language: str):
        self.path = index_dir / FILE
        self.language = language
        self.vocab: list[str] = []
        self._numbers: dict[str, int] = {}
        self._lock = threading.Lock()
        self.writable = True

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        conn.executescript(_SCHEMA)
        stamp = f"{VERSION}:{self.language}"
        row = conn.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
        if row is None or row[0] != stamp:
            conn.executescript(f"DROP TABLE counts; DROP TABLE forms; {_SCHEMA}")
            conn.execute("INSERT OR REPLACE INTO meta VALUES ('version', ?)", (stamp,))
            self.vocab, self._numbers = [], {}
        return conn

    def _read_vocab(self, conn: sqlite3.Connection) -> None:
        for number, form in conn.execute(
            "SELECT id, form FROM forms WHERE id >= ? ORDER BY id", (len(self.vocab),)
        ):
            while len(self.vocab) < number:  # never happens: ids are dense
                self.vocab.append("")
            self.vocab.append(form)
            self._numbers[form] = number

    def _encode(self, conn: sqlite3.Connection | None, counts: dict[str, int]) -> Packed:
        new = [form for form in counts if form not in self._numbers]
        for form in new:
            number = len(self.vocab)
            self.vocab.append(form)
            self._numbers[form] = number
            if conn is not None:
                conn.execute("INSERT INTO forms VALUES (?, ?)", (number, form))
        return pack([self._numbers[form] for form in counts], list(counts.values()))

    def keep(self, hashes: dict[str, str], read: Reader) -> int:
        """Count the texts of ``hashes`` (article → hash) not counted yet, drop the counts of
        texts no article has any more; returns how many were counted."""
        with self._lock, closing(self._connect()) as conn:
            self._read_vocab(conn)
            have = {h for (h,) in conn.execute("SELECT hash FROM counts")}
            wanted = set(hashes.values())
            done = 0
            conn.execute("BEGIN IMMEDIATE")
            try:
                self._read_vocab(conn)  # another process may have added forms meanwhile
                for article, digest in sorted(hashes.items()):
                    if digest in have:
                        continue
                    text = read(article)
                    if text is None:
                        continue
                    packed = self._encode(conn, form_counts(text, self.language))
                    conn.execute("INSERT OR REPLACE INTO counts VALUES (?, ?, ?, ?, ?, ?)", (digest, *packed))
                    have.add(digest)
                    done += 1
                gone = have - wanted
                conn.executemany("DELETE FROM counts WHERE hash = ?", ((h,) for h in gone))
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                self.vocab, self._numbers = [], {}  # forms numbered in the undone transaction
                raise
            return done

    def load(self, hashes: dict[str, str], read: Reader, order: Iterable[str]) -> Corpus:
        """The counts of the articles of ``order`` (those in ``hashes``), counting and keeping
        the texts not counted yet."""
        articles = [a for a in order if a in hashes]
        if not self.writable:
            blobs = self._in_memory(articles, hashes, read)
            got = [a for a in articles if hashes[a] in blobs]
            return Corpus.from_packed(list(self.vocab), got, [blobs[hashes[a]] for a in got])
        try:
            wanted = {hashes[a] for a in articles}
            blobs = self._blobs(wanted)
            if wanted - blobs.keys():
                self.keep(hashes, read)  # given every article the index holds: it drops the others
                blobs = self._blobs(wanted)
        except sqlite3.Error:
            self.writable = False
            blobs = self._in_memory(articles, hashes, read)
        got = [a for a in articles if hashes[a] in blobs]
        return Corpus.from_packed(list(self.vocab), got, [blobs[hashes[a]] for a in got])

    def _blobs(self, wanted: set[str]) -> dict[str, Packed]:
        with self._lock, closing(self._connect()) as conn:
            self._read_vocab(conn)
            found = conn.execute("SELECT hash, n, first, wide, gaps, counts FROM counts")
            return {row[0]: row[1:] for row in found if row[0] in wanted}

    def _in_memory(self, articles: list[str], hashes: dict[str, str], read: Reader) -> dict:
        blobs = {}
        with self._lock:
            for article in articles:
                text = read(article)
                if text is not None:
                    blobs[hashes[article]] = self._encode(None, form_counts(text, self.language))
        return blobs
