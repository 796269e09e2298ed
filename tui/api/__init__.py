"""The application API: the one door to a workspace for every front end.

``glose`` commands and the reader's actions are thin calls of :class:`Library`; neither
touches the store, the index or SQL directly (an import-linter contract checks it).
"""

from __future__ import annotations

from .agreeing import Settled, SettledRound
from .indexing import SyncReport
from .library import ArticleView, Library, Session

__all__ = ["ArticleView", "Library", "Session", "Settled", "SettledRound", "SyncReport"]
