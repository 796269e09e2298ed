"""Keeping the index and the annotations in step with the files of ``articles/``.

Driven by the hashes the annotations remember, not by a list of changes, so a crash between
indexing and re-anchoring is repaired by the next run.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import GloseError, IndexError_
from ..workspace import Workspace


@dataclass
class SyncReport:
    moved: int = 0
    fuzzy: int = 0
    orphaned: int = 0
    recovered: int = 0  # orphans that found their text again
    followed: list = field(default_factory=list)  # (old id, new id): renamed or moved files
    waiting: int = 0  # articles whose file is still changing: left as they were for now

    @property
    def changed(self) -> bool:
        return bool(
            self.moved or self.fuzzy or self.orphaned or self.recovered or self.followed or self.waiting
        )

    def summary(self) -> str:
        parts = [
            f"{n} {label}"
            for n, label in (
                (self.moved, "moved"),
                (self.fuzzy, "re-anchored approximately"),
                (self.orphaned, "orphaned"),
                (self.recovered, "recovered"),
                (len(self.followed), "followed their renamed or moved article"),
                (self.waiting, "left in place while their article is still being written"),
            )
            if n
        ]
        return "annotations: " + ", ".join(parts) + " (see glose review)"


def update_index(
    ws: Workspace,
    store_factory,
    *,
    rebuild: bool = False,
    progress=None,
    engine: str | None = None,
    published=None,
    paths: list[str] | None = None,
):
    """Bring the index up to date with ``articles/``, then make the annotations follow the
    files. The report's ``annotations`` says what moved. ``engine``: the one to build with
    (else glose.toml's ``engine``, else the index's own); another than the index's rebuilds it.
    ``paths``: only the folders of these (relative to ``articles/``) are looked at."""
    from ..search.index import update

    ws.check()
    meta: dict[str, dict[str, str]] = store_factory().all_meta() if ws.has_store() else {}
    report = update(
        ws.articles,
        ws.index,
        ws.language,
        rebuild=rebuild,
        progress=progress,
        overrides=lambda a: meta.get(a, {}),
        engine=engine or ws.config.engine,
        published=published,
        paths=paths,
    )
    if ws.has_store():
        report.annotations = sync_store(ws, store_factory, added=report.added)
    keep_counts(ws, report)  # after the annotations: they follow their text first
    return report


def keep_counts(ws: Workspace, report) -> None:
    """Count the forms of what the update added or changed, beside the index
    (:mod:`tui.lexicon.kept`: the lexicon's lists then read no file), once the counts exist:
    the first word list counts every article (about 2 ms each) and keeps them; a build does
    not pay for it, so opening a big folder is not slower for those who never ask. A failure
    here costs the lexicon a slower list, never the index: it says so in a note."""
    import sqlite3

    from ..lexicon.kept import FILE, Kept
    from ..search.index import State
    from ..text.corpus import article_text

    if not report.changed or not (ws.index / FILE).exists():
        return
    state = State.load(ws.index)
    if state is None:
        return
    hashes = {a: h for a, h in state.files.hashes().items() if h}

    def read(article: str) -> str | None:
        try:
            return article_text(ws.articles, article).text
        except GloseError:
            return None

    try:
        Kept(ws.index, ws.language).keep(hashes, read)
    except (sqlite3.Error, OSError) as exc:
        report.notes.append(
            f"word counts not kept beside the index ({exc}): word lists will count as they go"
        )


def ensure_index(ws: Workspace, store_factory, progress=None, published=None, paths=None):
    """Update the index if anything changed on disk (a stat of every file; no reading when
    nothing did), and make the annotations follow the files. Returns the update report, or
    None when the index was already current. ``paths`` (relative to ``articles/``: what the
    watcher heard): only their folders are stat'ed, and the update itself tells whether
    anything changed.

    An index that cannot be updated (locked by another process, read-only, not a folder) is
    not a reason to show annotations at stale offsets: they are re-anchored against the files
    themselves, and the report's ``failed`` says why the index stays as it was (searches,
    if it is usable, see the old one). ``glose index`` calls :func:`update_index` instead, so
    there the failure is the command's error.
    """
    from ..search.index import UpdateReport, needs_update

    ws.check()
    if paths is None and not needs_update(ws.articles, ws.index, ws.language, ws.config.engine):
        if ws.has_store():  # the index is current; annotations may still lag (a crash between)
            sync_store(ws, store_factory)
        return None
    try:
        report = update_index(ws, store_factory, progress=progress, published=published, paths=paths)
        return report if paths is None or report.changed else None  # (changed: rebuilt too)
    except IndexError_ as exc:
        report = UpdateReport(failed=str(exc))
        if ws.has_store():
            report.annotations = sync_store(ws, store_factory, from_files=True)
        return report


def sync_store(ws: Workspace, store_factory, *, from_files: bool = False, added=()) -> SyncReport:
    """Make the annotations follow the files the index holds (``from_files``: the files as they
    are now, for when the index could not be updated and its manifest is stale). When they
    already do (the usual case) this costs one read-only query, without opening the store for
    writing; the annotations of vanished files look for what they became only among the files
    ``added`` by the update that just ran (see :mod:`.following`)."""
    from ..search.index import State

    if ws.shared_store is not None:
        return sync_shared(ws, store_factory())
    state = State.load(ws.index)
    indexed = state.files.hashes() if state else {}
    anchored = _anchored_on(ws)
    if from_files:
        articles = {a for a, _ in anchored} if anchored is not None else store_factory().article_hashes()
        indexed = file_hashes(ws, articles, state)
    if not added and anchored is not None and all((indexed.get(a) or "") == h for a, h in anchored):
        return SyncReport()  # an orphan of a vanished file remembers the empty hash
    return sync_annotations(ws, store_factory(), indexed, follow=not from_files, added=added)


def sync_shared(ws: Workspace, store) -> SyncReport:
    """A team's shared store follows no one coder's folder: nothing is moved, orphaned or
    re-anchored there (see :mod:`.localview`: each coder's files are mapped to the store's
    articles by content, here); only what this folder's annotated files hold is recorded."""
    from .localview import LocalStore

    view = store.view if isinstance(store, LocalStore) else LocalStore(store, ws).view
    if not store.readonly:
        view.record_here()
    return SyncReport()


def _anchored_on(ws: Workspace) -> list[tuple[str, str]] | None:
    """(article, hash of the text it was anchored on) of every annotation, or None when the
    store cannot be read that way (no table yet, locked, damaged: the full path decides and
    reports). A pair whose content is not recorded yet (see :func:`.following.remember`)
    has its hash left empty, so the full path records it. A plain read-only ``sqlite3``
    query: a one-shot search does not pay for importing sqlite-utils."""
    import sqlite3

    try:
        conn = sqlite3.connect(f"{ws.db.absolute().as_uri()}?mode=ro", uri=True)
        try:
            return conn.execute(
                "SELECT DISTINCT a.article, CASE WHEN a.article_hash = '' OR EXISTS (SELECT 1 "
                "FROM article_content c WHERE c.article = a.article AND c.hash = a.article_hash) "
                "THEN a.article_hash ELSE '?' END FROM annotations a"
            ).fetchall()
        finally:
            conn.close()
    except sqlite3.Error:
        return None


def file_hashes(ws: Workspace, articles, state) -> dict[str, str | None]:
    """The content hash of each article as its file is now (None: gone or unreadable). The
    manifest's hash is reused when the file's stat still matches it, so only the files that
    changed are read."""
    from ..text.corpus import article_text, resolve_path

    hashes: dict[str, str | None] = {}
    entries = state.files.some(list(articles)) if state else {}
    for article in articles:
        entry = entries.get(article)
        try:
            st = resolve_path(ws.articles, article).stat()
            if entry is not None and (entry.size, entry.mtime_ns) == (st.st_size, st.st_mtime_ns):
                hashes[article] = entry.hash
            else:
                hashes[article] = article_text(ws.articles, article).hash
        except (GloseError, OSError):
            hashes[article] = None
    return hashes


def sync_annotations(
    ws: Workspace, store, indexed: dict[str, str | None], *, follow: bool = True, added=()
) -> SyncReport:
    """Make every annotation agree with the current files. ``indexed`` maps article id →
    content hash of what the index holds (None: skipped); with ``follow``, it is the whole
    corpus, and annotations of a vanished file first look for it among the files ``added``.

    A file read now with another content than the one just indexed is still being written (an
    editor saving in place, a sync client): its annotations wait for the next look rather than
    being placed on a half-written text."""
    from ..text.corpus import article_text
    from .following import follow_moves, read_content, remember

    report = SyncReport()
    if follow:
        report.followed = follow_moves(store, indexed, added, lambda a: read_content(ws.articles, a))
    present = []
    for article, hashes in store.article_hashes().items():
        current = indexed.get(article)
        if current is None:
            report.orphaned += len(store.orphan_article(article))
            continue
        present.append(article)
        if all(h == current for h in hashes):
            continue
        try:
            doc = article_text(ws.articles, article)
        except GloseError:
            report.orphaned += len(store.orphan_article(article))
            continue
        if doc.hash != current:  # changed between two looks: not settled yet
            report.waiting += 1
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
    if present and not store.readonly:
        known = store.contents(present)
        remember(store, ws.articles, [a for a in present if indexed[a] not in known.get(a, {})])
    return report


def engine_description(ws: Workspace) -> str:
    """Which engine searches this workspace (``glose --version``): its index's, or the rule a
    new index follows, and the engines' versions."""
    from importlib.metadata import PackageNotFoundError, version

    from ..search.engines import TANTIVY_FROM
    from ..search.index import State

    state = State.load(ws.index)
    if state is not None and state.generation is not None:
        line = f"search engine: {state.engine} (the index in {ws.index})"
    elif ws.config.engine:
        line = f"search engine: {ws.config.engine} (glose.toml; no index yet)"
    else:
        line = f"search engine: none yet; a new index uses whoosh below {TANTIVY_FROM:,} articles, tantivy from there"
    versions = []
    for package, name in (("whoosh-reloaded", "whoosh"), ("tantivy", "tantivy")):
        try:
            versions.append(f"{name} {version(package)}")
        except PackageNotFoundError:
            versions.append(f"{name} not installed")
    return f"{line}\nengines: {', '.join(versions)}"
