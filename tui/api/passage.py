"""A passage as a person names it, for annotating and re-attaching: an article and either a
quote (its n-th occurrence) or offsets; with the text a reader showed when it was selected,
the offsets count in that text (the file may have changed since)."""

from __future__ import annotations

from dataclasses import dataclass

from ..model import StoreError
from ..text.corpus import ArticleText, content_hash
from ..text.quotes import locate_quote
from .context import Context


@dataclass(frozen=True)
class Passage:
    article: str | None  # None: the annotation's own article (re-attaching)
    quote: str | None = None
    occurrence: int | None = None  # which occurrence of the quote (1-based): needed when it recurs
    start: int | None = None
    end: int | None = None
    text: str | None = None  # the text a reader showed: offsets count in it

    def resolve(self, ctx: Context) -> tuple[ArticleText, int, int]:
        """The article's text and the passage's offsets in it; refused in one line when the
        quote is not there (or is there several times without an occurrence)."""
        if self.article is None:
            raise StoreError("give the article the passage is in")
        if self.text is not None:
            doc = ArticleText(self.article, self.text, content_hash(self.text))
        else:
            doc = ctx.article(self.article)
        if self.quote is not None:
            start, end = locate_quote(doc.text, doc.id, self.quote, self.occurrence)
            return doc, start, end
        if self.start is None or self.end is None:
            raise StoreError("give the passage: --quote TEXT, or --start and --end")
        return doc, self.start, self.end

    def elsewhere(self, article: str | None) -> Passage:
        """The same passage in another article (re-attaching an orphan there)."""
        if article is None:
            return self
        return Passage(article, self.quote, self.occurrence, self.start, self.end, self.text)
