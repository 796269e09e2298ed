"""The three things a report and a citation ask of the rest of Glose, each in one function
here and nowhere else: an article's variables (:func:`article_fields`), the articles a
``--where`` query selects (``lib.search.within``, the one narrowing), and the memos
(:func:`memos`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .articles import TITLES_ONE_BY_ONE, ArticlesPart
from .context import Context
from .memos import MemosPart
from .variables import VariablesPart


def article_fields(
    ctx: Context, articles: ArticlesPart, variables: VariablesPart, ids: Iterable[str] | None = None
) -> dict[str, dict]:
    """What a reference needs, by article: the title, the article's variables (``source`` is
    the outlet; date, author, section, page, language: what ``lib.variables`` holds, hand-set
    values included), and the document id and address the index keeps from the file's
    metadata block. ``ids``: these articles (one the index lost still gets what was set by hand), else every indexed
    one, in id order."""
    catalog = articles.catalog_meta()
    wanted = list(catalog) if ids is None else list(dict.fromkeys(ids))
    table = variables.table(wanted)
    lost = [a for a in wanted if a not in table]
    hand = ctx.store.variables(lost) if lost and ctx.ws.has_store() else {}
    kept: dict[str, dict] = {}  # what the index keeps of each (no file is read)
    if ctx.ws.has_index() and wanted:
        engine = ctx.engine
        many = len(wanted) > TITLES_ONE_BY_ONE  # then one pass over the records beats a lookup each
        kept = {r["id"]: r for r in engine.records()} if many else engine.records_of(wanted)
    found: dict[str, dict] = {}
    for article in wanted:
        row = dict(table.get(article) or hand.get(article) or {})
        row["title"] = (catalog.get(article) or {}).get("title") or row.get("title")
        record = kept.get(article, {})
        row["id"], row["url"] = record.get("docid") or None, record.get("url") or None
        found[article] = row
    return found


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
