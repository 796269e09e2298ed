"""``lib.codebook``: the tags, their colors and descriptions, and the changes to them that
every annotation follows (rename, merge, delete)."""

from __future__ import annotations

from ..model import Tag, tag_colors
from .context import Context


class CodebookPart:
    def __init__(self, ctx: Context):
        self._ctx = ctx

    def tags(self) -> list[Tag]:
        return self._ctx.store.tags()

    def names(self) -> list[str]:
        return [t.name for t in self.tags()]

    def colors(self) -> dict[str, str]:
        return tag_colors(self.tags())

    def matrix(self) -> dict[tuple[str, str], int]:
        """(tag, article) → live annotations: the tag × article matrix."""
        return self._ctx.store.tag_article_counts()

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
