"""Full-text engines behind one seam (:mod:`tui.engines.base`): Whoosh by default, tantivy
for large corpora. See docs/SCALING.md for the road to a shared OpenSearch cluster."""

from __future__ import annotations

from ..config import ENGINES as ENGINE_NAMES
from .base import FIELDS, SEARCHED, Engine, Field, QueryBuilder, Reader, Writer

DEFAULT_ENGINE = "whoosh"
# Past this many articles Whoosh's search as you type slows down (p95 ≈ 100 ms at 5,000,
# ≈ 800 ms at 50,000 in BENCHMARKS.md): `glose index` suggests tantivy.
SUGGEST_TANTIVY_FROM = 5_000

__all__ = [
    "DEFAULT_ENGINE",
    "ENGINE_NAMES",
    "FIELDS",
    "SEARCHED",
    "SUGGEST_TANTIVY_FROM",
    "Engine",
    "Field",
    "QueryBuilder",
    "Reader",
    "Writer",
    "get_engine",
]


def get_engine(name: str | None) -> Engine:
    """The engine called ``name`` (None: the default). Cheap: the engine's library is
    imported on first use, and a missing one says how to install it."""
    if name in (None, "whoosh"):
        from .whoosh_engine import WhooshEngine

        return WhooshEngine()
    if name == "tantivy":
        from .tantivy_engine import TantivyEngine

        return TantivyEngine()
    from ..errors import GloseError

    raise GloseError(f"unknown search engine '{name}' (use {', '.join(ENGINE_NAMES)})")
