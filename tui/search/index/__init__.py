"""The index in ``index/`` (written by the engine of :mod:`tui.search.engines`): opening, rebuilding
and incremental updates.

Layout of the index folder (all generated, never edited by hand)::

    index/state.json   schema version, language, current generation, manifest of files
    index/glose.lock   serialises glose processes that write the index
    index/g-<stamp>/   the engine's index itself (Whoosh: non-compound segments; tantivy)
    index/folders.db   the listings of folders whose entries did not change (a cache: see
                       ``listing``; the files in them are still stat'ed at every update)

A rebuild writes a new generation beside the current one and switches ``state.json`` to it
with an atomic rename, so a rebuild killed half-way leaves the previous index in use, and a
reader holding the old generation keeps working until it reopens.

The manifest records (size, mtime, hash) of every file seen. ``update`` compares the folder
with it by stat first, reads only the files whose stat changed, and re-indexes only those
whose content hash changed. It is written after the Whoosh commit; if a crash falls between
the two, the next update redoes the same idempotent ``update_document`` calls.

Every commit is fsynced (the new Whoosh files, the generation folder, ``state.json`` and the
index folder): without it a power cut can leave zero-length segment files behind a table of
contents that names them. ``state.json`` also records the size of each file of the generation
(Whoosh files are written once), so a damaged index (an emptied or missing file, a missing
generation folder) is noticed by the same stat pass that finds changed articles, and rebuilt.
"""

from __future__ import annotations

from .state import (
    NO_INDEX,
    SCHEMA_VERSION,
    STATE_FILE,
    FileEntry,
    State,
    engine_for,
    not_a_folder,
    open_generation,
)
from .update import needs_update, reindex_metadata, update
from .writing import Change, UpdateReport

__all__ = [
    "NO_INDEX",
    "SCHEMA_VERSION",
    "STATE_FILE",
    "Change",
    "FileEntry",
    "State",
    "UpdateReport",
    "engine_for",
    "needs_update",
    "not_a_folder",
    "open_generation",
    "reindex_metadata",
    "update",
]
