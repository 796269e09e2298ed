"""Writing one file into the index, and the report an update makes: shared by the update in
this process and the parallel build's workers (:mod:`.parallel`), so neither imports the other."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ...text.corpus import Article, FileStat, Skipped, decoding_warning, read_article
from .state import (
    NO_INDEX,
    FileEntry,
    State,
)


@dataclass
class Change:
    """One article whose indexed content changed; annotations follow these."""

    id: str
    kind: str  # "added", "updated" or "removed"
    old_hash: str | None
    new_hash: str | None


@dataclass
class UpdateReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)  # indexed, with a caveat
    rebuilt: str | None = None  # why the index was rebuilt from scratch, if it was
    failed: str | None = None  # why the index could not be updated (it stays as it was)
    changes: list[Change] = field(default_factory=list)
    seconds: float = 0.0
    annotations: object | None = None  # what the annotations did (set by workspace.update_index)
    notes: list[str] = field(default_factory=list)  # one line each about how it was done
    engine: str = ""  # the engine that holds the index now

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed or self.rebuilt)

    @property
    def action(self) -> str:
        """What was done to the index: "built", "rebuilt (why)" or "updated"."""
        if self.rebuilt is None:
            return "updated"
        return "built" if self.rebuilt == NO_INDEX else f"rebuilt ({self.rebuilt})"

    def summary(self) -> str:
        parts = [
            f"{len(self.added)} added",
            f"{len(self.updated)} updated",
            f"{len(self.removed)} removed",
            f"{self.unchanged} unchanged",
            f"{len(self.skipped)} skipped",
        ]
        return ", ".join(parts)


Progress = Callable[[int, int, str], None]
Overrides = Callable[[str], dict[str, str]]


def index_document(article: Article, overrides: dict[str, str]) -> dict:
    from ...text.metadata import with_overrides  # not at the top: a freshness check does not need it

    guessed = {
        "title": article.title,
        "date": article.date,
        "source": article.source,
        "author": article.author,
        "section": article.section,
        "page": article.page,
        "origin": article.origin,
        "language": article.language,
    }
    meta = with_overrides(guessed, overrides)
    return {
        "id": article.id,
        "title": meta["title"] or article.id,
        "body": article.text,
        "source": meta["source"] or "",
        "author": meta["author"] or "",
        "date": meta["date"] or "",
        "hash": article.hash,
        "size": article.size,
        "mtime": article.mtime_ns,
        "encoding": article.encoding,
        "section": meta["section"] or "",
        "page": meta["page"] or "",
        "origin": meta["origin"] or "",
        "words": str(article.words),
        "language": meta["language"] or "",
        "docid": article.docid or "",
        "url": article.url or "",
    }


def read_indexed(stat: FileStat) -> Article:
    return read_article(stat.path, stat.id)


class LazyWriter:
    """Opens the engine's writer (and takes its lock) only when a document must be written, so
    an update that finds only touched-but-identical files writes nothing."""

    def __init__(self, engine, folder: Path, language: str, batch: int):
        self.engine, self.folder, self.language, self.batch = engine, folder, language, batch
        self.writer = None

    def get(self):
        if self.writer is None:
            self.writer = self.engine.writer(self.folder, self.language, self.batch)
        return self.writer

    def commit(self) -> None:
        if self.writer is not None:
            self.writer.commit()

    def cancel(self) -> None:
        if self.writer is not None:
            self.writer.cancel()


@contextlib.contextmanager
def cancelled_on_error(writer) -> Iterator:
    """``writer``, cancelled if the block fails: a cancel that fails too (tantivy's rollback
    when its folder went away, a full disk) must not hide why the write stopped (a Ctrl-C,
    a worker killed): the first error goes on, the cancel's is a note on it."""
    try:
        yield writer
    except BaseException as exc:
        try:
            writer.cancel()
        except Exception as failed:
            exc.add_note(f"(cancelling the index's write failed too: {type(failed).__name__}: {failed})")
        raise


def index_one(
    writer: LazyWriter,
    stat: FileStat,
    state: State,
    report: UpdateReport,
    overrides: Overrides,
    previous: FileEntry | None,
    always_write: bool,
) -> None:
    """Read one file and write it to the index if its content changed (or ``always_write``),
    recording the outcome in ``state`` and ``report``."""
    old_hash = previous.hash if previous else None
    try:
        article = read_indexed(stat)
    except Skipped as exc:
        state.files[stat.id] = FileEntry(stat.size, stat.mtime_ns, None, str(exc))
        report.skipped.append((stat.id, str(exc)))
        if old_hash is not None:
            if not always_write:  # a fresh index never had it
                writer.get().delete(stat.id)
            report.removed.append(stat.id)
            report.changes.append(Change(stat.id, "removed", old_hash, None))
        return
    warning = decoding_warning(article.encoding)
    state.files[stat.id] = FileEntry(article.size, article.mtime_ns, article.hash, warning=warning)
    if warning:
        report.warnings.append((stat.id, warning))
    if old_hash == article.hash:
        report.unchanged += 1  # only the stat changed (touched, copied back)
        if not always_write:
            return
    else:
        kind = "added" if old_hash is None else "updated"
        getattr(report, kind).append(stat.id)
        report.changes.append(Change(stat.id, kind, old_hash, article.hash))
    document = index_document(article, overrides(stat.id))
    if always_write:  # a fresh index: no older copy to replace
        writer.get().add(document)
    else:
        writer.get().replace(document)
