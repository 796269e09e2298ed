"""The three things a report and a citation ask of the rest of Glose, each in one function
here and nowhere else: an article's variables (:func:`article_fields`), the articles a
``--where`` query selects (:func:`where_ids`), and the memos (:func:`memos`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..errors import GloseError
from .articles import ArticlesPart
from .context import Context
from .memos import MemosPart
from .searching import SearchPart
from .variables import VariablesPart

FROM_THE_FILE = ("id", "url")  # not variables: the press database's document id, the address


def article_fields(
    ctx: Context, articles: ArticlesPart, variables: VariablesPart, ids: Iterable[str] | None = None
) -> dict[str, dict]:
    """What a reference needs, by article: the title, the article's variables (``source`` is
    the outlet; date, author, section, page, language: what ``lib.variables`` holds, hand-set
    values included), and the document id and address of the file's metadata block. ``ids``:
    these articles (one the index lost still gets what was set by hand), else every indexed
    one, in id order."""
    from ..text.corpus import read_with_meta, resolve_path

    catalog = articles.catalog_meta()
    wanted = list(catalog) if ids is None else list(dict.fromkeys(ids))
    table = variables.table(wanted)
    lost = [a for a in wanted if a not in table]
    hand = ctx.store.variables(lost) if lost and ctx.ws.has_store() else {}
    found: dict[str, dict] = {}
    for article in wanted:
        row = dict(table.get(article) or hand.get(article) or {})
        row["title"] = (catalog.get(article) or {}).get("title") or row.get("title")
        try:
            _, block, _, _ = read_with_meta(resolve_path(ctx.ws.articles, article))
        except (GloseError, OSError):
            block = {}
        for key in FROM_THE_FILE:
            row[key] = block.get(key)
        found[article] = row
    return found


def where_ids(search: SearchPart, query: str | None) -> set[str] | None:
    """The articles ``--where QUERY`` selects (None: no query, every article)."""
    if query is None or not query.strip():
        return None
    return set(search.ids(query))


@dataclass(frozen=True)
class MemoText:
    kind: str  # project, article, tag
    target: str  # "" for the project, an article id, a tag name
    coder: str
    text: str


def memos(part: MemosPart | None) -> list[MemoText]:
    """Every memo (project, article, tag) a report shows, every coder's."""
    if part is None:
        return []
    return [MemoText(m.kind, m.target or "", m.coder, m.text) for m in part.all()]
