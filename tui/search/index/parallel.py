"""Large builds in worker processes, started safely from anywhere Glose runs.

Inside the terminal interface ``sys.stderr`` is Textual's capture (its ``fileno()`` is -1)
and file descriptors 1 and 2 are the screen: multiprocessing's resource tracker passes
``sys.stderr.fileno()`` to the process it spawns (a ``ValueError`` about a bad value in
``fds_to_keep``), and whatever a worker prints would land on the screen. So processes are
started with a real (null) stderr in place, each worker's own stdout and stderr go to the
null device when the parent has none of its own, and a start that fails anyway is
:class:`CannotStart`, on which the caller builds in one process instead of failing.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path

from ...errors import IndexError_
from ...text.corpus import FileStat
from .manifest import FileEntry
from .state import State
from .writing import LazyWriter, UpdateReport, cancelled_on_error, index_one


class CannotStart(Exception):
    """Worker processes could not be started here; ``str()`` says why, in a few words."""


def _has_stderr() -> bool:
    try:
        return sys.stderr is not None and sys.stderr.fileno() >= 0
    except (AttributeError, OSError, ValueError):
        return False


@contextlib.contextmanager
def _real_stderr() -> Iterator[None]:
    """A ``sys.stderr`` with a file descriptor while processes start (the null device when
    the real one is a capture without one, as in the terminal interface)."""
    if _has_stderr():
        yield
        return
    saved = sys.stderr
    with open(os.devnull, "w", encoding="utf-8") as null:
        sys.stderr = null
        try:
            yield
        finally:
            sys.stderr = saved


def _start_pool(context, procs: int, initializer=None, initargs: tuple = ()):
    """A pool of ``procs`` workers (they start with the first jobs: :func:`_submit`), or
    :class:`CannotStart`. A ``concurrent.futures`` pool, not ``multiprocessing.Pool``: when a
    worker dies (the system's out-of-memory killer) ``multiprocessing.Pool`` starts another and
    loses the job, so the build waited for ever; here the job fails (:func:`_result`)."""
    from concurrent.futures import ProcessPoolExecutor

    quiet = not _has_stderr()  # the parent draws on fds 1 and 2: workers must not write there
    try:
        with _real_stderr():  # its semaphores may start multiprocessing's resource tracker
            return ProcessPoolExecutor(
                procs, mp_context=context, initializer=_init_worker, initargs=(quiet, initializer, initargs)
            )
    except (OSError, ValueError, RuntimeError, ImportError) as exc:
        raise CannotStart(f"{type(exc).__name__}: {exc}") from None


def _submit(pool, fn, jobs: list) -> list:
    """The jobs' futures; the workers start here, or :class:`CannotStart` (nothing ran)."""
    try:
        with _real_stderr():
            return [pool.submit(fn, job) for job in jobs]
    except (OSError, ValueError, RuntimeError, ImportError) as exc:
        pool.shutdown(wait=False, cancel_futures=True)
        raise CannotStart(f"{type(exc).__name__}: {exc}") from None


def _result(future):
    """A job's result; a worker that died under it is an :class:`IndexError_` that says so."""
    from concurrent.futures.process import BrokenProcessPool

    try:
        return future.result()
    except BrokenProcessPool:
        raise IndexError_(
            "a worker process of the build stopped before it was done (killed by the system: "
            "out of memory?); the index is as it was"
        ) from None


def _quiet_stdio() -> None:
    """Point this worker's stdout and stderr at the null device (its parent draws on them)."""
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, 1)
        os.dup2(null, 2)
    finally:
        os.close(null)


def _init_worker(quiet: bool, initializer, initargs: tuple) -> None:
    if quiet:
        _quiet_stdio()
    if initializer is not None:
        initializer(*initargs)


def _single_threaded() -> bool:
    """Whether this process runs one thread, native ones included (Linux: ``/proc``). Only
    then is a fork safe: a fork copies no other thread, and a lock one of them held (in the
    allocator, in SQLite, in a Rust engine's pool) would stay held for ever in the child."""
    try:
        return len(os.listdir("/proc/self/task")) == 1
    except OSError:
        return False


def _context():
    """Fork where it is safe (a command line, before any thread), else spawn (the reader,
    a progress bar's thread, anything not Linux). A forked worker starts with every module
    this process imported: spawned ones import Glose again, a tenth of a second of CPU each."""
    import multiprocessing

    if _single_threaded() and "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def parallel_build(
    engine, gen_dir: Path, files: list[FileStat], state, report, overrides, previous, progress, procs: int
) -> None:
    """Build a fresh index with ``procs`` worker processes that each read, analyse and write
    their share of the files into a segment of their own; the parent only lists the segments.

    Whoosh's MpWriter pickles every document from the parent to the workers, so the parent
    (reading files, guessing metadata) competes with them for the cores; here the workers
    read the files themselves and the parent waits.
    """
    shares: list[list[FileStat]] = [[] for _ in range(procs)]
    loads = [0] * procs
    for stat in sorted(files, key=lambda f: -f.size):  # balance by bytes
        i = loads.index(min(loads))
        shares[i].append(stat)
        loads[i] += stat.size
    jobs = _jobs(engine.name, gen_dir, shares, overrides, previous)
    context = _context()
    try:
        with _real_stderr():
            done = context.Value("i", 0)
    except (OSError, ValueError, RuntimeError) as exc:
        raise CannotStart(f"{type(exc).__name__}: {exc}") from None
    pool = _start_pool(context, len(jobs), _set_counter, (done,))
    futures = _submit(pool, _build_share, jobs)

    def run() -> list:
        from concurrent.futures import wait

        while wait(futures, timeout=0.1).not_done:
            if progress:
                progress(done.value, len(files), "")
        results = [_result(future) for future in futures]
        for _segment, part_state, part_report in results:
            _merge(state, report, part_state, part_report)
        return [segment for segment, _, _ in results]

    try:
        engine.commit_segments(gen_dir, run)
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
    report.skipped.sort()
    report.warnings.sort()
    if progress:
        progress(len(files), len(files), "")


def _jobs(
    engine_name: str, first, groups: list[list[FileStat]], overrides, previous: dict[str, FileEntry]
) -> list[tuple]:
    """One picklable job per group of files for a worker process: what it needs to read and
    analyse them (the metadata overrides, the files' previous entries)."""
    return [
        (
            engine_name,
            first,
            group,
            {f.id: overrides(f.id) for f in group},
            {f.id: previous.get(f.id) for f in group},
        )
        for group in groups
    ]


def _merge(state: State, report: UpdateReport, part_state: State, part_report: UpdateReport) -> None:
    state.files.update(part_state.files)
    for name in ("added", "updated", "removed", "skipped", "warnings", "changes"):
        getattr(report, name).extend(getattr(part_report, name))
    report.unchanged += part_report.unchanged


PREPARE_CHUNK = 200  # files per job of a parallel prepare


PUBLISH_EVERY = 2_000  # files between two commits of a first build that publishes its progress


def parallel_prepare(
    engine,
    gen_dir: Path,
    files: list[FileStat],
    state,
    report,
    overrides,
    previous,
    progress,
    procs: int,
    publish=None,
) -> None:
    """Build a fresh index whose engine writes with its own threads (tantivy): worker processes
    read and analyse the files (Glose's Python part, most of the time), the parent hands what
    they prepared to the engine's writer as it comes. ``publish(done)``, if given, is called
    after each commit of :data:`PUBLISH_EVERY` more files (a first build: searchable so far)."""
    from concurrent.futures import as_completed

    language = state.language
    chunks = [files[i : i + PREPARE_CHUNK] for i in range(0, len(files), PREPARE_CHUNK)]
    jobs = _jobs(engine.name, language, chunks, overrides, previous)
    pool = _start_pool(_context(), procs)
    futures = _submit(pool, _prepare_chunk, jobs)  # before the writer: a failed start leaves nothing open
    done = published = 0
    try:
        with cancelled_on_error(engine.writer(gen_dir, language, len(files))) as writer:
            # as_completed lets go of each future it yields (the list is handed over, emptied):
            # a chunk's documents are freed once written, not kept to the end of the build
            for future in as_completed(_handed_over(futures)):
                prepared, part_state, part_report = _result(future)
                for item in prepared:
                    writer.add_prepared(item)
                _merge(state, report, part_state, part_report)
                done += len(part_state.files.stats())
                if publish is not None and done - published >= PUBLISH_EVERY and done < len(files):
                    writer.flush()
                    publish(done)
                    published = done
                if progress:
                    progress(done, len(files), "")
            writer.commit()
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
    report.skipped.sort()
    report.warnings.sort()


def _handed_over(futures: list) -> set:
    """The futures as a set only the caller's callee holds (``futures`` is emptied)."""
    out = set(futures)
    futures.clear()
    return out


class _Collector:
    """A writer for :func:`index_one` in a worker: keeps each document as the engine prepares it."""

    def __init__(self, engine, language: str):
        self.engine, self.language, self.prepared = engine, language, []

    def get(self):
        return self

    def add(self, document: dict) -> None:
        self.prepared.append(self.engine.prepare(document, self.language))


def _prepare_chunk(job) -> tuple:
    """In a worker process: read and prepare a chunk of the files for the engine."""
    from ..engines import get_engine

    name, language, chunk, overrides, previous = job
    collector = _Collector(get_engine(name), language)
    state, report = State(), UpdateReport()
    for stat in chunk:
        index_one(
            collector, stat, state, report, lambda aid: overrides.get(aid, {}), previous.get(stat.id), True
        )
    return collector.prepared, state, report


_done_counter = None


def _set_counter(counter) -> None:
    global _done_counter
    _done_counter = counter


def _build_share(job) -> tuple:
    """In a worker process: index a share of the files into a new segment of the index."""
    from ..engines import get_engine

    name, gen_dir, share, overrides, previous = job
    engine = get_engine(name)
    writer = engine.segment_writer(gen_dir)
    lazy = LazyWriter(engine, gen_dir, "", len(share))
    lazy.writer = writer
    state, report = State(), UpdateReport()
    for stat in share:
        index_one(lazy, stat, state, report, lambda aid: overrides.get(aid, {}), previous.get(stat.id), True)
        if _done_counter is not None:
            with _done_counter.get_lock():
                _done_counter.value += 1
    return writer.finish_segment(), state, report
