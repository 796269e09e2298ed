"""What an import from another tool needs of the workspace: the hash of every article (to
match sources by content), writing the sources that are no article yet, and finding the
article a web annotation (Hypothesis, W3C) was made on."""

from __future__ import annotations

from pathlib import Path

from ..errors import GloseError
from .articles import ArticlesPart
from .context import Context


def article_hashes(ctx: Context, ids) -> dict[str, str]:
    """Canonical text hash → article id, for every article that can be read."""
    found: dict[str, str] = {}
    for article in sorted(ids):
        try:
            found.setdefault(ctx.article(article).hash, article)
        except GloseError:
            continue
    return found


def write_sources(ctx: Context, sources: list[tuple[str, str]]) -> list[Path]:
    """Write each (article id, canonical text) as a new file in ``articles/``, never over an
    existing file, all of a folder or none of it (as ``glose add`` writes)."""
    from itertools import groupby

    from ..intake.writing import write_all

    root = Path(ctx.ws.articles)
    written: list[Path] = []
    for folder, group in groupby(sorted(sources), key=lambda s: s[0].rpartition("/")[0]):
        files = [(article.rpartition("/")[2], text) for article, text in group]
        for name, _ in files:
            path = root / folder / name
            if root.resolve() not in path.resolve().parents:
                raise GloseError(f"will not write {folder}/{name}: it is outside articles/")
        if folder and (root / folder).exists() and not (root / folder).is_dir():
            raise GloseError(f"cannot add {folder}/: a file is where its folder would be")
        written += write_all(root, folder, files)
    return written


class WebCorpus:
    """Finds the article a web annotation targets: the one given (``--article``), else the
    one whose source (metadata) is the annotation's URL, else the one article holding its
    quote."""

    def __init__(self, ctx: Context, articles: ArticlesPart, ids: set[str], article: str | None = None):
        self._ctx, self._articles, self.ids, self.article = ctx, articles, ids, article
        self._urls: dict[str, str] | None = None
        self._texts: dict[str, str] = {}

    def text(self, article: str) -> str | None:
        if article not in self._texts:
            try:
                self._texts[article] = self._ctx.article(article).text
            except GloseError:
                self._texts[article] = ""
        return self._texts[article] or None

    def by_url(self, url: str) -> str | None:
        if self._urls is None:
            self._urls = {}
            for article, meta in self._articles.catalog_meta().items():
                source = (meta.get("source") or "").strip()
                if "://" in source:
                    self._urls.setdefault(_url_key(source), article)
            for article in self.ids:
                source = (self._ctx.store.meta(article).get("source") or "").strip()
                if "://" in source:
                    self._urls[_url_key(source)] = article
        return self._urls.get(_url_key(url))

    def by_quote(self, exact: str, prefix: str, suffix: str) -> list[str]:
        """The articles holding the quote; with its context when more than one does."""
        holding = [a for a in sorted(self.ids) if exact in (self.text(a) or "")]
        if len(holding) > 1:
            tight = [a for a in holding if prefix[-8:] + exact + suffix[:8] in (self.text(a) or "")]
            holding = tight or holding
        return holding


def _url_key(url: str) -> str:
    text = url.strip().split("#", 1)[0].rstrip("/")
    return text.split("://", 1)[-1].removeprefix("www.").casefold()
