"""``lib.codebook``: the tags, their colors and descriptions, and the changes to them that
every annotation follows (rename, merge, delete)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from dataclasses import replace

from ..model import Annotation, Tag, tag_colors
from .annotating import narrowed
from .context import Context


def counted_within(book: list[Tag], anns: list[Annotation]) -> list[Tag]:
    """The codebook's tags with their counts made again from ``anns`` (live ones, narrowed),
    as the store counts them: the annotations carrying the tag itself, and their articles."""
    uses: Counter = Counter()
    articles: dict[str, set[str]] = {}
    for ann in anns:
        for name in {t.casefold() for t in ann.tags}:
            uses[name] += 1
            articles.setdefault(name, set()).add(ann.article)
    return [
        replace(t, count=uses[t.name.casefold()], articles=len(articles.get(t.name.casefold(), ())))
        for t in book
    ]


class CodebookPart:
    def __init__(self, ctx: Context):
        self._ctx = ctx

    def tags(self, within: Collection[str] | None = None) -> list[Tag]:
        """The codebook with its counts (``within``: counted in these articles only)."""
        book = self._ctx.store.tags()
        if within is None:
            return book
        return counted_within(book, narrowed(self._ctx.store.annotations(), within))

    def names(self) -> list[str]:
        return [t.name for t in self.tags()]

    def colors(self) -> dict[str, str]:
        return tag_colors(self.tags())

    def matrix(self, within: Collection[str] | None = None) -> dict[tuple[str, str], int]:
        """(tag, article) → live annotations: the tag × article matrix (``within``: only
        these articles' columns)."""
        found = self._ctx.store.tag_article_counts()
        if within is None:
            return found
        return {k: n for k, n in found.items() if k[1] in within}

    def create(self, name: str, *, color: str | None = None, description: str | None = None) -> Tag:
        return self._ctx.store.create_tag(name, color=color, description=description)

    def rename(self, old: str, new: str) -> Tag:
        return self._ctx.store.rename_tag(old, new)

    def merge(self, sources: list[str], target: str) -> Tag:
        return self._ctx.store.merge_tags(list(sources), target)

    def delete(self, name: str) -> Tag:
        """Out of the codebook and off its annotations (which stay); undoable."""
        return self._ctx.store.delete_tag(name)

    def color(self, name: str, color: str) -> Tag:
        return self._ctx.store.color_tag(name, color)

    def describe(self, name: str, description: str) -> Tag:
        return self._ctx.store.describe_tag(name, description)
