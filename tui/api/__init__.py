"""The application API: the one door to a workspace for every front end.

``glose`` commands and the reader's actions are thin calls of the :class:`Library`'s parts;
neither touches the store, the index or SQL directly (an import-linter contract checks it).
The types a front end handles are re-exported here, so that it needs nothing below the API.
"""

from __future__ import annotations

from .articles import ArticleView
from .coders import Settled
from .context import Context
from .exchange import Exported
from .indexing import SyncReport
from .library import Library, Session
from .passage import Passage
from .searching import Page

__all__ = [
    "ArticleView",
    "Context",
    "Exported",
    "Library",
    "Page",
    "Passage",
    "Session",
    "Settled",
    "SyncReport",
]
