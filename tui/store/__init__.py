"""The annotation store seam: today SQLite (``annotations.db``); the API talks to it only
through :class:`Store`'s methods, so another backend can stand behind the same calls."""

from __future__ import annotations

from ..model import StoreError
from .journal import Actor, Change, Event
from .reverting import UndoRefused
from .sqlite import Store

__all__ = ["Actor", "Change", "Event", "Store", "StoreError", "UndoRefused"]
