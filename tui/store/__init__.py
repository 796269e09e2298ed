"""The annotation store seam: SQLite (``annotations.db``, the default) or a team's shared
PostgreSQL database; the API talks to it only through :class:`Store`'s methods, opened by
:func:`open_store` from ``glose.toml``'s ``store``."""

from __future__ import annotations

from pathlib import Path

from ..config import STORE_SCHEMES
from ..model import StoreError
from .copying import copy_store
from .journal import Actor, Change, Event
from .reverting import UndoRefused
from .store import Store


def is_shared(store: str) -> bool:
    """Whether ``store`` (glose.toml's value) names a PostgreSQL database."""
    return store.startswith(STORE_SCHEMES)


def open_store(store: str, sqlite_path: Path, *, actor: Actor | None = None, readonly: bool = False) -> Store:
    """The store ``store`` names: ``"sqlite"`` (the file ``sqlite_path``) or a
    ``postgresql://`` address."""
    if is_shared(store):
        from .postgres import PgStore

        return PgStore(store, actor=actor, readonly=readonly)
    return Store(sqlite_path, actor=actor, readonly=readonly)


__all__ = [
    "Actor",
    "Change",
    "Event",
    "Store",
    "StoreError",
    "UndoRefused",
    "copy_store",
    "is_shared",
    "open_store",
]
