"""The index folder as files: its manifest (``state.json``), the write lock, fsynced commits,
and the checks that notice a damaged index before Whoosh trips over it."""

from __future__ import annotations

import contextlib
import json
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ...errors import IndexError_
from ..engines import DEFAULT_ENGINE, Engine, get_engine
from .manifest import FileEntry, Manifest, manifest_path

SCHEMA_VERSION = 5  # 2: body postings written by analysis.FastPositions; 3: author field;
# 4: Whoosh's pairs field (common stems' adjacent pairs); 5: section, page, origin, words, language
STATE_FILE = "state.json"
LOCK_FILE = "glose.lock"
NO_INDEX = "there is no index yet"
PARALLEL_PROCS = 2


# --- state ---------------------------------------------------------------------------------


@dataclass
class State:
    schema: int = SCHEMA_VERSION
    language: str = "fr"
    generation: str | None = None
    engine: str = DEFAULT_ENGINE  # the engine that wrote the generation
    files: Manifest = field(default_factory=Manifest)
    # name → size of every file of the generation at the last commit; None: not recorded
    # (an index written before Glose recorded them)
    index_files: dict[str, int] | None = None

    @classmethod
    def load(cls, index_dir: Path) -> State | None:
        """The recorded state, or None when there is none or it cannot be read."""
        try:
            data = json.loads((index_dir / STATE_FILE).read_text("utf-8"))
            generation = data["generation"]
            if "files" in data:  # written before the manifest moved to SQLite: read it once
                files = Manifest({k: FileEntry.from_json(v) for k, v in data["files"].items()})
            elif generation is None:
                files = Manifest()
            else:
                files = Manifest(path=manifest_path(index_dir, str(generation)))
                files.check()
            return cls(
                schema=int(data["schema"]),
                language=str(data["language"]),
                generation=generation,
                engine=str(data.get("engine", DEFAULT_ENGINE)),  # absent: written before tantivy
                files=files,
                index_files=_sizes(data.get("index_files")),
            )
        except (OSError, ValueError, KeyError, TypeError, IndexError, IndexError_):
            return None

    def save(self, index_dir: Path) -> None:
        """Write the manifest's changes, then the state durably: a temporary file, fsynced,
        renamed over the old one, and the folder fsynced, so a power cut leaves the old state
        or the new one."""
        data = {
            "schema": self.schema,
            "language": self.language,
            "generation": self.generation,
            "engine": self.engine,
        }
        if self.generation is not None:
            self.files.save(manifest_path(index_dir, self.generation))
        if self.index_files is not None:
            data["index_files"] = dict(sorted(self.index_files.items()))
        tmp = index_dir / f".{STATE_FILE}.{os.getpid()}.tmp"
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(json.dumps(data, ensure_ascii=False, separators=(",", ":")))
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, index_dir / STATE_FILE)
        _fsync_dir(index_dir)


def _sizes(data) -> dict[str, int] | None:
    return None if data is None else {str(k): int(v) for k, v in data.items()}


def _fsync_dir(folder: Path) -> None:
    """Make a folder's entries (files created, renamed, removed) durable; a no-op where
    folders cannot be opened (Windows)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _generation_files(gen_dir: Path) -> dict[str, int]:
    """name → size of the files of a generation (lock files and tantivy's hidden bookkeeping
    left out)."""
    with os.scandir(gen_dir) as entries:
        return {
            e.name: e.stat().st_size
            for e in entries
            if e.is_file() and not e.name.endswith("WRITELOCK") and not e.name.startswith(".")
        }


def commit_state(index_dir: Path, state: State, previous: dict[str, int] | None) -> None:
    """Make an engine's commit durable, then record it: fsync the files that are new or changed
    since ``previous`` (Whoosh never rewrites a file; tantivy rewrites only meta.json), the
    generation folder, then save the state
    with the list of files and their sizes."""
    gen_dir = index_dir / state.generation
    files = _generation_files(gen_dir)
    for name, size in files.items():
        if (previous or {}).get(name) != size:
            fd = os.open(gen_dir / name, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
    _fsync_dir(gen_dir)
    state.index_files = files
    state.save(index_dir)


@contextlib.contextmanager
def write_lock(index_dir: Path, timeout: float = 60.0) -> Iterator[None]:
    """Hold the index's write lock (other glose writers wait, up to ``timeout`` seconds)."""
    try:
        import fcntl
    except ImportError:  # Windows: Whoosh's own WRITELOCK still guards the segments
        yield
        return
    if (reason := not_a_folder(index_dir)) is not None:
        raise IndexError_(reason)
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
        fh = open(index_dir / LOCK_FILE, "a+b")  # noqa: SIM115 (closed by the with below)
    except OSError as exc:
        raise IndexError_(f"cannot write the index in {index_dir}: {exc.strerror or exc}") from exc
    with fh:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise IndexError_(
                        "the index is being updated by another glose process; try again shortly"
                    ) from None
                time.sleep(0.05)
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


# --- opening -------------------------------------------------------------------------------


def not_a_folder(index_dir: Path) -> str | None:
    """Why the index cannot live at ``index_dir`` (something other than a folder is there,
    which Glose will not remove), or None."""
    if index_dir.exists() and not index_dir.is_dir():
        return (
            f"the index cannot be used: {index_dir} is not a folder (move it away, or give another --index)"
        )
    return None


def index_damage(index_dir: Path, state: State) -> str | None:
    """What is missing or cut short in the index's files (stat only), or None.

    Against the sizes recorded at the last commit when there are some; for an index written
    before they were recorded, an empty file is the mark a power cut leaves. A file that
    differs because a commit by another process landed after ``state`` was read is told
    apart by the caller re-reading the state under the write lock."""
    gen_dir = index_dir / state.generation
    try:
        present = _generation_files(gen_dir)
    except OSError:
        return f"its folder {state.generation} is missing"
    if state.index_files is None:
        empty = sorted(name for name, size in present.items() if size == 0)
        return f"{empty[0]} is empty" if empty else None
    for name, size in sorted(state.index_files.items()):
        if name not in present:
            return f"{name} is missing"
        if present[name] != size:
            return f"{name} is {'empty' if present[name] == 0 else 'cut short or changed'}"
    return None


def engine_for(index_dir: Path, asked: str | None, state: State | None = None) -> Engine:
    """The engine to use: the one asked for (``engine`` in glose.toml, ``--engine``), else the
    one that built the index (``state``, if already read), else the default."""
    if asked is None:
        state = state or State.load(index_dir)
        asked = state.engine if state is not None else DEFAULT_ENGINE
    return get_engine(asked)


def problem(index_dir: Path, language: str, engine: Engine, state: State | None = None) -> str | None:
    """Why the index at ``index_dir`` (whose ``state`` may be read already) cannot be used as it
    is, or None when it can."""
    state = state or State.load(index_dir)
    if state is None or state.generation is None:
        if (index_dir / STATE_FILE).exists():
            return "the index is unreadable or incomplete"
        return NO_INDEX
    if state.schema != SCHEMA_VERSION:
        return "the index was built by another version of Glose"
    if state.language != language:
        return f"the index was built for language '{state.language}', the workspace uses '{language}'"
    if state.engine != engine.name:
        return f"the search engine changed from {state.engine} to {engine.name}"
    if (damage := index_damage(index_dir, state)) is not None:
        return f"the index is damaged: {damage}"
    engine.check()
    try:
        open_generation(index_dir, state).close()  # opens every segment's files
    except Exception as exc:  # engines raise many kinds on damaged files
        return f"the index is damaged ({type(exc).__name__})"
    return None


def open_generation(index_dir: Path, state: State):
    """A reader of the index's current generation, with the engine that wrote it."""
    return get_engine(state.engine).open(index_dir / state.generation)
