"""What a report holds (:class:`tui.formats.report.ReportDoc`), gathered from the store, the
articles' variables and the memos (what :mod:`.gathering` gives).

The passages are read once; the groups are made as the report is written (a generator), so
only the annotations themselves are held, never the document."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from datetime import date

from ..errors import GloseError
from ..formats.citing import citation_line, reference
from ..formats.report import ArticleBlock, Entry, Group, ReportDoc
from ..model import Annotation, Tag, tag_key
from ..sanitize import stored
from ..wording import counted
from .context import Context
from .gathering import MemoText

NO_TAG = "(no tag)"
NO_VALUE = "(no value)"


def _joined(found: list[MemoText]) -> str:
    """One target's memos as one text: each coder's under their name when there are several."""
    if len(found) == 1:
        return found[0].text
    return "\n\n".join(f"{m.coder}:\n{m.text}" for m in found)


def _in_scope(tag: Tag, keys: list[str]) -> bool:
    key = tag_key(tag.name)
    return not keys or any(key == k or key.startswith(k + "/") for k in keys)


def _passages(
    ctx: Context, chosen: set[str] | None, tags: list[str], articles: list[str]
) -> list[Annotation]:
    store = ctx.store
    ids = [ctx.article_id(a) for a in articles]  # an unknown article: one line, before the work
    if tags:
        seen: dict[str, Annotation] = {}
        for tag in tags:
            for ann in store.annotations(tag=tag):  # an unknown tag: StoreError, one line
                seen.setdefault(ann.id, ann)
        anns = sorted(seen.values(), key=lambda a: (a.article, a.start, a.end, a.created))
    else:
        anns = store.annotations()
    if ids:
        wanted = set(ids)
        anns = [a for a in anns if a.article in wanted]
    if chosen is not None:
        anns = [a for a in anns if a.article in chosen]
    return anns


def _value_order(value: str) -> tuple:
    """Groups by a variable: numbers in numeric order (pages), the rest as text, no value last."""
    try:
        number = float(value.replace(",", "."))
    except ValueError:
        number = float("inf")
    return (value == NO_VALUE, number, value.casefold())


def build(
    ctx: Context,
    fields_of: Callable[[Iterable[str]], dict[str, dict]],
    column_of: Callable[[str, Iterable[str]], dict[str, str | None]],
    where_ids: Callable[[str | None], set[str] | None],
    memo_texts: list[MemoText],
    *,
    by: str,
    where: str | None,
    tags: list[str],
    articles: list[str],
) -> ReportDoc:
    """The report's content; its groups are made as the report is written."""
    if not ctx.ws.has_store():
        raise GloseError("no annotations yet: nothing to report")
    if by not in ("tag", "article"):
        column_of(by, [])  # an unknown variable: one line, before the work
    anns = _passages(ctx, where_ids(where), tags, articles)
    keys = [tag_key(t) for t in tags]
    codebook = [t for t in ctx.store.tags() if _in_scope(t, keys)]
    fields = fields_of(dict.fromkeys(a.article for a in anns))
    language = ctx.ws.language
    refs = {a: reference(a, f, language) for a, f in fields.items()}
    memos = defaultdict(list)
    for memo in memo_texts:
        memos[(memo.kind, memo.target if memo.kind != "tag" else tag_key(memo.target))].append(memo)

    def memo(kind: str, target: str) -> str:
        return _joined(memos[(kind, target)]) if (kind, target) in memos else ""

    by_tag: dict[str, list[Annotation]] = defaultdict(list)
    for ann in anns:
        for tag in ann.tags:
            by_tag[tag_key(tag)].append(ann)
    entries = [
        Entry(
            t.name,
            t.description,
            memo("tag", tag_key(t.name)),
            len(by_tag.get(tag_key(t.name), ())),
            len({a.article for a in by_tag.get(tag_key(t.name), ())}),
        )
        for t in codebook
    ]

    def blocks(passages: list[Annotation]) -> Iterator[ArticleBlock]:
        per: dict[str, list[Annotation]] = defaultdict(list)
        for ann in passages:
            per[ann.article].append(ann)
        order = sorted(per, key=lambda a: (refs[a].date or "", a))  # by date, as a chapter quotes
        for article in order:
            yield ArticleBlock(citation_line(refs[article], language), memo("article", article), per[article])

    def groups() -> Iterator[Group]:
        if by == "tag":
            scoped = {tag_key(t.name) for t in codebook}
            for tag in codebook:
                passages = by_tag.get(tag_key(tag.name), [])
                if passages:
                    yield Group(
                        tag.name,
                        len(passages),
                        blocks(passages),
                        tag.description,
                        memo("tag", tag_key(tag.name)),
                    )
            rest = [a for a in anns if not any(tag_key(t) in scoped for t in a.tags)]
            if rest and not tags:
                yield Group(NO_TAG, len(rest), blocks(rest))
        elif by == "article":
            per: dict[str, list[Annotation]] = defaultdict(list)
            for ann in anns:
                per[ann.article].append(ann)
            for article in sorted(per, key=lambda a: (refs[a].date or "", a)):
                yield Group(refs[article].title, len(per[article]), blocks(per[article]))
        else:
            column = column_of(by, fields)
            values: dict[str, list[Annotation]] = defaultdict(list)
            for ann in anns:
                values[column.get(ann.article) or NO_VALUE].append(ann)
            for value in sorted(values, key=_value_order):
                yield Group(value, len(values[value]), blocks(values[value]))

    selection = [f"{counted(len(anns), 'coded passage')} in {counted(len(fields), 'article')}"]
    if tags:
        selection.append("tags: " + ", ".join(tags))
    if where:
        selection.append(f"articles matching: {where}")
    return ReportDoc(
        title=stored(f"{ctx.ws.root.name or 'Glose'}: coded passages"),  # a folder name may not be UTF-8
        facts=[
            f"Report by {by}, written by Glose on {date.today().isoformat()} for {ctx.coder}.",
            "; ".join(selection) + ".",
        ],
        project_memo=memo("project", ""),
        codebook=entries,
        grouped_by=by,
        groups=groups(),
        language=language,
        coder=ctx.coder,
    )
