"""Full-text engines behind one seam (:mod:`tui.search.engines.base`): a new index is built with
Whoosh for a small folder and with tantivy from :data:`TANTIVY_FROM` articles (:func:`choose`),
unless glose.toml or ``--engine`` names one. See docs/SCALING.md for the road to a shared
OpenSearch cluster."""

from __future__ import annotations

from ...config import ENGINES as ENGINE_NAMES
from .base import FIELDS, SEARCHED, Engine, Field, QueryBuilder, Reader, Writer

DEFAULT_ENGINE = "whoosh"  # of an index recorded before Glose named its engine
# A new index of this many articles or more is built with tantivy. Measured on this 2-core
# machine (bench/threshold.py, BENCHMARKS.md 2026-12-06): Whoosh's first build takes 4 s at 500
# articles and 8 s at 1,000 (tantivy 0.6 and 0.9 s), its search p95 with snippets 16 ms at
# 1,000 and 30 ms (its target) at 2,000 (tantivy 3.5 ms), for the same results. Below it, the
# pure-Python engine the suite was written against, at a wait of a few seconds. Past it, a
# Whoosh index stays Whoosh and `glose index` says how to switch.
TANTIVY_FROM = 1_000
SUGGEST_TANTIVY_FROM = TANTIVY_FROM

__all__ = [
    "DEFAULT_ENGINE",
    "ENGINE_NAMES",
    "FIELDS",
    "SEARCHED",
    "SUGGEST_TANTIVY_FROM",
    "TANTIVY_FROM",
    "Engine",
    "Field",
    "QueryBuilder",
    "Reader",
    "Writer",
    "choose",
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
    from ...errors import GloseError

    raise GloseError(f"unknown search engine '{name}' (use {', '.join(ENGINE_NAMES)})")


def choose(articles: int) -> tuple[str, str | None]:
    """The engine for a new index of ``articles`` files, and a line saying why it is not the
    one the size calls for (tantivy's wheel missing or broken here), or None."""
    if articles < TANTIVY_FROM:
        return "whoosh", None
    try:
        import tantivy  # noqa: F401
    except ImportError as exc:  # no wheel for this platform, or a broken one
        return "whoosh", f"indexing with Whoosh: tantivy cannot be imported here ({exc})"
    return "tantivy", None
