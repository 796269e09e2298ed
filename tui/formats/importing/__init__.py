"""Importing annotations: Glose's W3C JSON-LD, REFI-QDA projects (``.qdpx``, ``.qde``) and
codebooks (``.qdc``) from any tool (offsets mapped per producer and verified: ``producers``;
sources matched by content: ``sources``; every item accounted for: ``project``, ``codebook``),
and web annotations (Hypothesis API JSON, foreign W3C: ``hypothesis``).

An import is a merge by annotation id: new ones are added, ones we have are updated only when
the file's copy is newer (times compared as instants), so importing the same file twice changes
nothing. Everything is parsed and checked before anything is written, and written in one
transaction: a file that cannot be read changes nothing and says why in one line; an item that
cannot be read is skipped with a reason naming it, and the rest imports. Every string that
comes from the file is cleaned as article text is (no escape sequence or control character
reaches the store, hence no terminal). Nothing is ever extracted to disk.
"""

from __future__ import annotations

from .common import (
    MAX_FILE_BYTES,
    UNDATED,
    CodebookEntry,
    ImportRefused,
    ImportReport,
    Incoming,
    timestamp,
)
from .merge import plan, read_file
from .refi import read_qdpx
from .w3c import read_w3c

__all__ = [
    "MAX_FILE_BYTES",
    "UNDATED",
    "CodebookEntry",
    "ImportRefused",
    "ImportReport",
    "Incoming",
    "plan",
    "read_file",
    "read_qdpx",
    "read_w3c",
    "timestamp",
]
