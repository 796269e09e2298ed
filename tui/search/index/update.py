"""Building and updating the index: incremental by stat then hash, a rebuild beside the current
generation, two writer processes for large batches, and re-indexing one article's metadata."""

from __future__ import annotations

import os
import shutil
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

from ...errors import GloseError, IndexError_
from ...text.corpus import FileStat, Skipped, scan
from ..engines import choose, get_engine
from .listing import Listed, scan_listed, scan_some
from .manifest import manifest_path, remove_stale
from .state import (
    NO_INDEX,
    PARALLEL_PROCS,
    SCHEMA_VERSION,
    STATE_FILE,
    FileEntry,
    State,
    commit_state,
    engine_for,
    index_damage,
    problem,
    write_lock,
)
from .writing import (
    Change,
    LazyWriter,
    Overrides,
    Progress,
    UpdateReport,
    cancelled_on_error,
    index_document,
    index_one,
    read_indexed,
)

# A build of this many files runs in worker processes. Measured on generated articles (first
# builds, 2 cores, quiet): at 300 files Whoosh 1.4-1.7 s in one process, 1.0-1.3 s in two (forked
# or spawned), tantivy 0.36-0.46 s against 0.28-0.40 s; at 1,000 Whoosh 4.6 -> 2.5 s, tantivy
# 0.9 -> 0.6 s; at 100, spawned tantivy workers cost more than they save (0.14 -> 0.30 s).
PARALLEL_THRESHOLD = 300


def _no_overrides(article_id: str) -> dict[str, str]:
    return {}


def _changed_folders(
    folders: dict[str, Listed], saved: dict[str, bytes] | None, scope: set[str] | None = None
) -> set[str] | None:
    """The folders whose files' stats differ from the manifest's digests ``saved`` (files
    added, removed, edited, touched), or None when the manifest has no digests to compare
    with. ``scope``: the only folders scanned (the others are taken to be as recorded)."""
    if saved is None:
        return None
    now = {folder: listed.digest() for folder, listed in folders.items()}
    looked = now.keys() | (saved.keys() if scope is None else scope)
    return {folder for folder in looked if now.get(folder) != saved.get(folder)}


def _stale(
    folders: dict[str, Listed], state: State, saved: dict[str, bytes] | None, scope: set[str] | None = None
) -> tuple[list[FileStat], list[str]]:
    """Files whose stat differs from the manifest, and manifest ids no longer on disk. Only the
    rows of the folders whose digest changed are read, when the manifest has digests
    (``saved``; a partial scan, ``scope``, needs them)."""
    changed = _changed_folders(folders, saved, scope)
    if changed is None:
        known = state.files.stats()
        looked = list(folders.values())
    elif not changed:
        return [], []
    else:
        known = state.files.folder_stats(changed)
        looked = [folders[folder] for folder in changed if folder in folders]
    candidates = sorted(f for listed in looked for f in listed.differing(known))
    if changed and not candidates and not known:  # digests out of step with unchanged rows
        state.files.redigest(changed)
    return candidates, sorted(known)  # what is left was not seen on disk


def needs_update(articles_dir: Path, index_dir: Path, language: str, engine: str | None = None) -> bool:
    """Cheap check (a stat of every file, no manifest row read) for whether ``update`` would
    have anything to do: articles changed, or the index is missing, from elsewhere, built by
    another engine than ``engine``, damaged, or has no record of its files.

    Every file is stat'ed because an edit in place changes only the file's own mtime; the
    stats are compared with the manifest's digest of each folder (see ``index.manifest``).
    Folders whose entries did not change are not listed again (see ``index.listing``)."""
    state = State.load(index_dir)
    if state is None or state.generation is None or state.schema != SCHEMA_VERSION:
        return True
    if engine is not None and state.engine != engine:
        return True
    if state.language != language or state.index_files is None or index_damage(index_dir, state):
        return True
    if state.files.path is None:  # a manifest still in state.json (older Glose): move it
        return True
    changed = _changed_folders(scan_listed(articles_dir, index_dir), state.files.digests())
    return changed is None or bool(changed)  # None: no digests yet (older Glose): add them


def update(
    articles_dir: Path,
    index_dir: Path,
    language: str = "fr",
    *,
    rebuild: bool = False,
    progress: Progress | None = None,
    overrides: Overrides = _no_overrides,
    engine: str | None = None,
    published: Callable[[int], None] | None = None,
    paths: list[str] | None = None,
) -> UpdateReport:
    """Bring the index up to date with the articles folder; rebuild it if it cannot be used
    (or was built by another ``engine``; None: keep the index's own). ``published(n)``: a first
    build (no index before) commits as it goes where the engine allows, and says how many
    files are searchable so far. ``paths`` (relative to the folder: what a watcher heard):
    only the folders they can have changed are scanned (see :func:`~.listing.scan_some`);
    the rest of the folder is taken to be as the index recorded it."""
    started = time.perf_counter()
    if not articles_dir.is_dir():
        raise GloseError(f"no articles folder at {articles_dir}")
    with write_lock(index_dir):
        state = State.load(index_dir)  # read once: at 50,000 articles a read costs ~0.1 s
        # a new index (or one whose record is lost) gets the engine its size calls for, in _rebuild
        known = engine is not None or (state is not None and state.generation is not None)
        eng = engine_for(index_dir, engine, state) if known else None
        reason = "--rebuild was asked for" if rebuild else problem(index_dir, language, eng, state)
        try:
            if reason is None:
                try:
                    report = _incremental(
                        eng, articles_dir, index_dir, language, progress, overrides, state, paths
                    )
                    report.engine = eng.name
                except (GloseError, OSError, RecursionError, MemoryError):
                    raise
                except Exception as exc:  # the engine tripped over its own files: start over
                    reason = f"the index is damaged ({type(exc).__name__} while updating it)"
            if reason is not None:
                first = published if reason == NO_INDEX else None  # else the old index serves meanwhile
                report = _rebuild(eng, articles_dir, index_dir, language, progress, overrides, reason, first)
        except OSError as exc:  # disk full, read-only: the previous index stays as it was
            raise IndexError_(f"cannot write the index in {index_dir}: {exc.strerror or exc}") from None
    report.seconds = time.perf_counter() - started
    return report


def _rebuild(
    engine, articles_dir, index_dir, language, progress, overrides, reason, published=None
) -> UpdateReport:
    """A new generation of the whole folder, with ``engine`` (None: the one :func:`choose`
    picks for the folder's size). With ``published``, the generation is recorded in
    ``state.json`` at each of the build's intermediate commits, so searches see what is
    indexed so far. A build that fails or is interrupted removes that record; one killed
    outright leaves it, and the next update adds the files its manifest lacks."""
    report = UpdateReport(rebuilt=reason)
    files = list(scan(articles_dir))
    if engine is None:
        name, note = choose(len(files))
        engine = get_engine(name)
        if note:
            report.notes.append(note)
    engine.check()
    report.engine = engine.name
    old = State.load(index_dir) or State()
    generation = f"g-{time.strftime('%Y%m%d-%H%M%S')}-{uuid.uuid4().hex[:6]}"
    gen_dir = index_dir / generation
    try:
        gen_dir.mkdir(parents=True)
    except OSError as exc:
        raise IndexError_(f"cannot write the index in {index_dir}: {exc.strerror or exc}") from exc
    state = State(language=language, generation=generation, engine=engine.name)
    previous = old.files.all()
    try:
        engine.create(gen_dir, language, _sample(files))
        procs = min(os.cpu_count() or 1, PARALLEL_PROCS)
        parallel = len(files) >= PARALLEL_THRESHOLD and procs > 1
        if parallel:
            from .parallel import CannotStart, parallel_build, parallel_prepare

            extra: dict = {}
            if published is not None and not engine.parallel:

                def publish(done: int) -> None:
                    commit_state(index_dir, state, previous=None)
                    published(done)

                extra["publish"] = publish
            build = parallel_build if engine.parallel else parallel_prepare
            try:
                build(engine, gen_dir, files, state, report, overrides, previous, progress, procs, **extra)
            except CannotStart as exc:  # nothing written yet: the same build in this process
                report.notes.append(f"indexing in one process: worker processes could not start ({exc})")
                parallel = False
        if not parallel:
            with cancelled_on_error(LazyWriter(engine, gen_dir, language, len(files))) as writer:
                _index_files(writer, files, state, report, overrides, previous, True, progress)
                writer.commit()
        commit_state(index_dir, state, previous=None)
    except BaseException:
        now = State.load(index_dir)
        if now is not None and now.generation == generation:  # published part-way: not an index
            (index_dir / STATE_FILE).unlink(missing_ok=True)
            manifest_path(index_dir, generation).unlink(missing_ok=True)
        shutil.rmtree(gen_dir, ignore_errors=True)
        raise
    _remove_old_generations(index_dir, keep=generation)
    indexed = state.files.stats()
    for aid, entry in sorted(previous.items()):
        if aid not in indexed and entry.hash is not None:
            report.removed.append(aid)
            report.changes.append(Change(aid, "removed", entry.hash, None))
    return report


def _sample(files: list[FileStat]) -> Iterator[str]:
    """The texts of up to COMMON_SAMPLE files spread over the corpus (unreadable ones skipped:
    the build reports them), for the engine to tune a new index to."""
    from ...text.analysis import COMMON_SAMPLE
    from ...text.corpus import read_with_meta

    for stat in files[:: max(1, len(files) // COMMON_SAMPLE)][:COMMON_SAMPLE]:
        try:
            yield read_with_meta(stat.path)[0]
        except (Skipped, OSError):
            continue


def _index_files(
    writer, files, state, report, overrides, previous: dict[str, FileEntry], always_write: bool, progress
) -> None:
    for n, stat in enumerate(files, 1):
        index_one(writer, stat, state, report, overrides, previous.get(stat.id), always_write)
        if progress:
            progress(n, len(files), stat.id)


def _scan_stale(articles_dir, index_dir, state: State, paths: list[str] | None):
    """The scan and its comparison with the manifest: (candidates, removed, files on disk),
    the last None after a partial scan (it saw only some folders: the manifest's count tells).
    A manifest without folder digests (an older Glose) gets a whole scan."""
    saved = state.files.digests()
    if paths is not None and saved is not None:
        partial = scan_some(articles_dir, index_dir, paths, set(saved))
        return (*_stale(partial.folders, state, saved, partial.scope), None)
    folders = scan_listed(articles_dir, index_dir)
    return (*_stale(folders, state, saved), sum(len(listed.ids) for listed in folders.values()))


def _incremental(
    engine, articles_dir, index_dir, language, progress, overrides, state, paths=None
) -> UpdateReport:
    assert state is not None and state.generation is not None
    report = UpdateReport()
    candidates, removed, on_disk = _scan_stale(articles_dir, index_dir, state, paths)
    previous = state.files.some([f.id for f in candidates]) if candidates else {}
    if on_disk is None:  # the indexed files, less the removed ones, and the new ones
        on_disk = state.files.count() - len(removed) + len(candidates) - len(previous)
    candidate_ids = {f.id for f in candidates}
    flagged = state.files.flagged()
    gone = set(removed)
    report.unchanged = on_disk - len(candidates)
    for aid, entry in sorted(flagged.items()):
        if aid in candidate_ids or aid in gone:
            continue
        if entry.skipped:  # skipped before, untouched since: say so again
            report.skipped.append((aid, entry.skipped))
            report.unchanged -= 1
        elif entry.warning:
            report.warnings.append((aid, entry.warning))
    if not candidates and not removed:
        if state.index_files is None or state.files.path is None or state.files.stale_digests():
            commit_state(index_dir, state, previous=state.index_files)  # older Glose, or digests redone
        return report
    with cancelled_on_error(
        LazyWriter(engine, index_dir / state.generation, language, len(candidates))
    ) as writer:
        _index_files(writer, candidates, state, report, overrides, previous, False, progress)
        for aid in removed:
            entry = state.files.pop(aid)
            if entry.hash is not None:
                writer.get().delete(aid)
                report.removed.append(aid)
                report.changes.append(Change(aid, "removed", entry.hash, None))
        writer.commit()
    commit_state(index_dir, state, previous=state.index_files)
    report.warnings.sort()
    return report


def _remove_old_generations(index_dir: Path, keep: str) -> None:
    remove_stale(index_dir, keep)
    for child in index_dir.iterdir():
        if child.is_dir() and child.name.startswith("g-") and child.name != keep:
            shutil.rmtree(child, ignore_errors=True)


def reindex_metadata(
    articles_dir: Path, index_dir: Path, language: str, article_id: str, overrides: dict[str, str]
) -> None:
    """Re-index one article after its title/date/source override changed."""
    with write_lock(index_dir):
        state = State.load(index_dir)
        if state is None or state.generation is None or article_id not in state.files:
            return  # the next update indexes it with its overrides
        stat = next((f for f in scan(articles_dir) if f.id == article_id), None)
        if stat is None:
            return
        writer = engine_for(index_dir, state.engine).writer(index_dir / state.generation, language, 1)
        with cancelled_on_error(writer):
            writer.replace(index_document(read_indexed(stat), overrides))
            writer.commit()
        commit_state(index_dir, state, previous=state.index_files)
