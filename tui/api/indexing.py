"""Keeping the index and the annotations in step with the files of ``articles/``.

Driven by the hashes the annotations remember, not by a list of changes, so a crash between
indexing and re-anchoring is repaired by the next run.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import GloseError
from ..workspace import Workspace


@dataclass
class SyncReport:
    moved: int = 0
    fuzzy: int = 0
    orphaned: int = 0
    recovered: int = 0  # orphans that found their text again

    @property
    def changed(self) -> bool:
        return bool(self.moved or self.fuzzy or self.orphaned or self.recovered)

    def summary(self) -> str:
        parts = [
            f"{n} {label}"
            for n, label in (
                (self.moved, "moved"),
                (self.fuzzy, "re-anchored approximately"),
                (self.orphaned, "orphaned"),
                (self.recovered, "recovered"),
            )
            if n
        ]
        return "annotations: " + ", ".join(parts) + " (see glose review)"


def update_index(ws: Workspace, store_factory, *, rebuild: bool = False, progress=None):
    """Bring the index up to date with ``articles/``, then make the annotations follow the
    files. The report's ``annotations`` says what moved."""
    from ..index import update

    ws.check()
    meta: dict[str, dict[str, str]] = store_factory().all_meta() if ws.db.exists() else {}
    report = update(
        ws.articles,
        ws.index,
        ws.language,
        rebuild=rebuild,
        progress=progress,
        overrides=lambda a: meta.get(a, {}),
    )
    if ws.db.exists():
        report.annotations = sync_store(ws, store_factory)
    return report


def sync_store(ws: Workspace, store_factory) -> SyncReport:
    """Make the annotations follow the files the index holds. When they already do (the usual
    case) this costs one read-only query, without opening the store for writing."""
    from ..index import State

    state = State.load(ws.index)
    indexed = {k: v.hash for k, v in state.files.items()} if state else {}
    if not annotations_lag(ws, indexed):
        return SyncReport()
    return sync_annotations(ws, store_factory(), indexed)


def annotations_lag(ws: Workspace, indexed: dict[str, str | None]) -> bool:
    """Whether some annotation was anchored on a text other than the indexed one (an orphan of
    a vanished file remembers the empty hash, so it does not count). A plain read-only
    ``sqlite3`` query: a one-shot search does not pay for importing sqlite-utils."""
    import sqlite3

    try:
        conn = sqlite3.connect(f"{ws.db.absolute().as_uri()}?mode=ro", uri=True)
        try:
            rows = conn.execute("SELECT DISTINCT article, article_hash FROM annotations").fetchall()
        finally:
            conn.close()
    except sqlite3.Error:
        return True  # no table yet, locked, damaged: the full path decides and reports
    return any((indexed.get(article) or "") != article_hash for article, article_hash in rows)


def sync_annotations(ws: Workspace, store, indexed: dict[str, str | None]) -> SyncReport:
    """Make every annotation agree with the current files. ``indexed`` maps article id →
    content hash of what the index holds (None: skipped)."""
    from ..corpus import article_text

    report = SyncReport()
    for article, hashes in store.article_hashes().items():
        current = indexed.get(article)
        if current is None:
            report.orphaned += len(store.orphan_article(article))
            continue
        if all(h == current for h in hashes):
            continue
        try:
            doc = article_text(ws.articles, article)
        except GloseError:
            report.orphaned += len(store.orphan_article(article))
            continue
        for before, after in store.reanchor(article, doc.text, doc.hash):
            if after.status == "orphaned":
                report.orphaned += 1
            elif before.status == "orphaned":
                report.recovered += 1
            elif after.status == "fuzzy":
                report.fuzzy += 1
            else:
                report.moved += 1
    return report
