"""The three things a report and a citation ask of the rest of Glose, each in one function
here and nowhere else: an article's variables (:func:`article_fields`), the articles a
``--where`` query selects (:func:`where_ids`), and the memos (:func:`memos`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..errors import GloseError
from .articles import ArticlesPart
from .context import Context
from .searching import SearchPart

FROM_THE_FILE = ("section", "page", "id", "url")  # what the index does not hold (the metadata block)


def article_fields(ctx: Context, articles: ArticlesPart, ids: Iterable[str] | None = None) -> dict[str, dict]:
    """The variables a reference needs, by article: title, outlet (``source``), date and
    author as the index holds them (overrides applied), section, page, the database's
    document id and the address from the file's metadata block. ``ids``: these articles
    (one the index lost still gets its overrides), else every indexed one, in id order."""
    from ..text.corpus import read_with_meta, resolve_path
    from ..text.metadata import with_overrides

    catalog = articles.catalog_meta()
    wanted = list(catalog) if ids is None else list(dict.fromkeys(ids))
    has_store = ctx.ws.has_store()
    found: dict[str, dict] = {}
    for article in wanted:
        meta = dict(catalog.get(article) or with_overrides({}, ctx.store.meta(article) if has_store else {}))
        try:
            _, block, _, _ = read_with_meta(resolve_path(ctx.ws.articles, article))
        except (GloseError, OSError):
            block = {}
        for key in FROM_THE_FILE:
            meta.setdefault(key, block.get(key))
        found[article] = meta
    return found


def where_ids(search: SearchPart, query: str | None) -> set[str] | None:
    """The articles ``--where QUERY`` selects (None: no query, every article)."""
    if query is None or not query.strip():
        return None
    return {hit.article for hit in search.run(query, limit=None).hits}


@dataclass(frozen=True)
class MemoText:
    kind: str  # project, article, tag
    target: str  # "" for the project, an article id, a tag name
    coder: str
    text: str


def memos(lib_memos) -> list[MemoText]:
    """Every memo (project, article, tag) a report shows; none until memos exist."""
    if lib_memos is None:
        return []
    return []
