"""``lib.passages``: text that articles share — the passages two articles have in common, and
every article holding a passage (where else)."""

from __future__ import annotations

from .context import Context


class PassagesPart:
    def __init__(self, ctx: Context):
        self._ctx = ctx

    def shared(self, first: str, second: str, *, min_words: int = 8):
        """Passages two articles share: (first's text, second's text, spans)."""
        from ..text.passages import shared_passages

        a, b = self._ctx.article(first), self._ctx.article(second)
        return a, b, shared_passages(a.text, b.text, min_words=min_words)

    def shared_texts(self, a_text: str, b_text: str):
        """The same for two texts a reader holds."""
        from ..text.passages import shared_passages

        return shared_passages(a_text, b_text)

    def where(
        self,
        *,
        quote: str | None = None,
        article: str | None = None,
        start: int | None = None,
        end: int | None = None,
        min_similarity: float = 0.6,
        exclude: tuple[str, int, int] | None = None,
    ):
        """Every article holding a passage (or nearly): a quote (``exclude``: where it was
        taken from), or a span of an article (which is then left out of the answer)."""
        from ..errors import GloseError
        from ..text.passages import where_else

        if quote is None:
            if article is None or start is None or end is None:
                raise GloseError("give a quote, or an article with start and end")
            doc = self._ctx.article(article)
            if not 0 <= start < end <= len(doc.text):
                raise GloseError(f"offsets {start}-{end} are outside {doc.id} (0-{len(doc.text)})")
            quote, exclude = doc.text[start:end], (doc.id, start, end)
        return where_else(self._ctx.engine, quote, exclude=exclude, min_similarity=min_similarity)
