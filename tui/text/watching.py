"""Hearing of changes to ``articles/`` as they happen (the reader keeps its index current).

With watchfiles (Rust's ``notify``: inotify, FSEvents, ReadDirectoryChangesW). Measured
against watchdog and polling with Glose's own scan (``python -m bench.watching``, BENCHMARKS.md):
the three see every edit; watchfiles reports one edit in ~0.1 s (its 50 ms quiet step) and a
burst of 2,000 new files in one to three batches for ~0.05 s of CPU, where watchdog calls
back into Python ~8,000 times (0.36 s, competing with the screen for the interpreter) and a
poll costs a stat of every file each time (0.2 s at 50,000 articles).

What comes out says where to look: the update stats the folders of the paths heard (see
:func:`tui.search.index.listing.scan_some`) and decides there what changed, so a batch the
watcher merges or reorders costs nothing; one it drops (an overflowing event queue) waits for
the reader's check of every file, once a minute while it watches.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple, Protocol

from ..errors import GloseError
from .corpus import ARTICLE_SUFFIXES

DEBOUNCE_MS = 1600  # a burst is gathered into batches of at most this long
STEP_MS = 50  # and a batch ends after this much quiet
READY_MS = 1000  # an empty batch after this long without changes (the first: watching now)


class Heard(NamedTuple):
    # relative to the articles folder, sorted: article files, and folders or names that may be
    paths: list[str]


class Stop(Protocol):
    def is_set(self) -> bool: ...


def _relevant(articles: str, ignored: tuple[str, ...], path: str) -> bool:
    """An article file, or what may be a folder (a folder renamed or removed is one event),
    outside hidden folders and ``ignored`` ones; not editors' swap and backup files."""
    rel = os.path.relpath(path, articles)
    if rel.startswith("..") or any(part.startswith(".") for part in Path(rel).parts):
        return False
    if any(path == folder or path.startswith(folder + os.sep) for folder in ignored):
        return False
    name = os.path.basename(path).lower()
    return name.endswith(ARTICLE_SUFFIXES) or ("." not in name and not name.endswith("~"))


def watch_articles(articles_dir: Path, stop: Stop, ignore: tuple[Path, ...] = ()) -> Iterator[Heard]:
    """Batches of paths (relative to ``articles_dir``) that changed (:class:`Heard`), until
    ``stop.is_set()`` (looked at every :data:`STEP_MS`); an empty batch after each
    :data:`READY_MS` without changes, the first of which says the folder is watched.
    ``ignore``: folders whose changes are not heard (an index kept inside the articles folder:
    its own writes would call for updates without end). Raises :class:`GloseError` when the
    folder cannot be watched (watchfiles missing, the system's limit of watches reached)."""
    try:
        import watchfiles
    except ImportError as exc:
        raise GloseError(f"cannot watch the articles folder: watchfiles is not installed ({exc})") from None
    articles = os.path.abspath(articles_dir)
    ignored = tuple(os.path.abspath(folder) for folder in ignore)
    try:
        for changes in watchfiles.watch(
            articles,
            watch_filter=lambda change, path: _relevant(articles, ignored, path),
            debounce=DEBOUNCE_MS,
            step=STEP_MS,
            stop_event=stop,
            rust_timeout=READY_MS,
            yield_on_timeout=True,
            raise_interrupt=False,
        ):
            paths = sorted({os.path.relpath(path, articles) for _, path in changes})
            yield Heard(paths)
    except (OSError, RuntimeError) as exc:  # e.g. "OS file watch limit reached"
        raise GloseError(f"cannot watch the articles folder: {exc}") from None
