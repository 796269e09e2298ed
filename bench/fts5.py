"""The yardstick: SQLite FTS5 (stdlib sqlite3, ``unicode61 remove_diacritics 2``) on the same
documents, as a search engine of this kind would use it."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path


def build(files: list[Path], db: Path) -> float:
    """Index every file (title = first line, body = the text); returns seconds."""
    if db.exists():
        db.unlink()
    started = time.perf_counter()
    conn = sqlite3.connect(db)
    conn.execute(
        "CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, title, body, tokenize = 'unicode61 remove_diacritics 2')"
    )
    with conn:
        for path in files:
            text = path.read_text("utf-8", errors="replace")
            conn.execute("INSERT INTO docs VALUES (?, ?, ?)", (path.name, text.split("\n", 1)[0], text))
    conn.close()
    return time.perf_counter() - started


class Searcher:
    def __init__(self, db: Path):
        self.conn = sqlite3.connect(db)

    def search(self, query: str, snippets: bool) -> int:
        if snippets:
            sql = "SELECT id, snippet(docs, 2, '[', ']', '…', 16) FROM docs WHERE docs MATCH ? ORDER BY rank LIMIT 10"
        else:
            sql = "SELECT id FROM docs WHERE docs MATCH ? ORDER BY rank LIMIT 10"
        return len(self.conn.execute(sql, (query,)).fetchall())

    def close(self) -> None:
        self.conn.close()
