"""``lib.annotations``: listing, making, editing and placing annotations. Every change is one
journaled event of the store (undo comes from there)."""

from __future__ import annotations

from collections.abc import Collection, Iterable

from ..model import Annotation, AnnotationFilter
from ..text.corpus import ArticleText
from .context import Context
from .passage import Passage


def narrowed(anns: list[Annotation], within: Collection[str] | None) -> list[Annotation]:
    """The annotations of the articles ``within`` (None: all of them): the one way a listing
    or an analysis is narrowed to the articles a query finds (``--where``; see
    :meth:`.searching.SearchPart.within`)."""
    if within is None:
        return anns
    return [a for a in anns if a.article in within]


class AnnotationsPart:
    def __init__(self, ctx: Context):
        self._ctx = ctx

    def find(
        self,
        *,
        tag: str | None = None,
        article: str | None = None,
        orphaned: bool = False,
        deleted: bool = False,
        review: bool = False,
        coders: Iterable[str] | None = None,
        within: Collection[str] | None = None,
    ) -> list[Annotation]:
        """``coders``: only these coders' annotations (None: everyone's); ``within``: only in
        these articles (``--where``)."""
        ctx = self._ctx
        if article is not None:
            article = ctx.article_id(article) if ctx.ws.articles.is_dir() else article
        found = ctx.store.annotations(
            tag=tag, article=article, orphaned=orphaned, deleted=deleted, review=review, coders=coders
        )
        return narrowed(found, within)

    def listing(self, which: AnnotationFilter) -> list[Annotation]:
        """The annotations a list shows (see :class:`AnnotationFilter`; ``where``: in the
        articles that query finds)."""
        from .searching import within

        return narrowed(self._listing(which), within(self._ctx, which.where))

    def _listing(self, which: AnnotationFilter) -> list[Annotation]:
        store, coders = self._ctx.store, which.coders
        if which.scope == "article":
            return store.annotations(article=which.article, coders=coders) if which.article else []
        if which.scope == "all":
            return store.annotations(coders=coders)
        if which.scope == "review":
            return store.annotations(review=True, coders=coders)
        if which.scope == "tag":
            return store.annotations(tag=which.tag, coders=coders)
        if which.scope == "trash":
            return store.annotations(deleted=True, coders=coders)
        return []

    def get(self, ident: str) -> Annotation:
        """An annotation by id or its first characters (at least 4)."""
        return self._ctx.store.get(ident)

    def annotate(self, passage: Passage, *, tags=(), note: str | None = None) -> Annotation:
        """Annotate a passage of an article's canonical text (or of the text a reader showed
        when it was selected)."""
        doc, start, end = passage.resolve(self._ctx)
        made = self._ctx.store.create(doc.id, doc.text, doc.hash, start, end, tags=tags, note=note)
        self._ctx.remember([doc.id])
        return made

    def code_spans(self, spans: list[tuple[str, int, int]], tags) -> list[Annotation]:
        """Annotate many passages (article, start, end) with the same tags, all or none, as
        one undoable change (coding every hit of a concordance)."""
        docs: dict[str, ArticleText] = {}
        items = []
        for article, start, end in spans:
            if article not in docs:
                docs[article] = self._ctx.article(article)
            doc = docs[article]
            items.append((doc.id, doc.text, doc.hash, start, end))
        if not items:
            return []
        made = self._ctx.store.create_many(items, tags=tags)
        self._ctx.remember(docs)
        return made

    def edit(
        self,
        ident: str,
        *,
        tags=None,
        add_tags=(),
        remove_tags=(),
        note: str | None = None,
        version: int | None = None,
    ) -> Annotation:
        """``version``: the one shown to the user; a change made since (by another coder, in
        another front end) refuses the edit instead of being overwritten."""
        return self._ctx.store.edit(
            ident, tags=tags, add_tags=add_tags, remove_tags=remove_tags, note=note, version=version
        )

    def delete(self, ident: str) -> Annotation:
        """To the trash (restorable, undoable): nothing is ever erased."""
        return self._ctx.store.delete(ident)

    def restore(self, ident: str) -> Annotation:
        return self._ctx.store.restore(ident)

    def review(self, within: Collection[str] | None = None) -> list[Annotation]:
        """Moved, approximately re-anchored and orphaned annotations, waiting for a look
        (``within``: in these articles only)."""
        return narrowed(self._ctx.store.annotations(review=True), within)

    def candidates(self, ann: Annotation) -> list:
        """Where an orphan's quote occurs: the articles, and the places in each, that
        ``glose review reattach ID --article ARTICLE`` could put it on."""
        from ..errors import GloseError
        from .following import candidates

        def text_of(article: str) -> str | None:
            try:
                return self._ctx.article(article).text
            except GloseError:
                return None

        try:
            return candidates(ann, self._ctx.holding, text_of)
        except GloseError:  # no usable index: nothing to propose
            return []

    def accept(self, idents: list[str] | None = None) -> list[Annotation]:
        """Accept the new place of these annotations (None: every moved and fuzzy one)."""
        if idents is None:
            idents = [a.id for a in self.review() if a.status in ("moved", "fuzzy")]
        return [self._ctx.store.accept(i) for i in idents]

    def reattach(self, ident: str, passage: Passage) -> Annotation:
        """Attach an annotation (an orphan, typically) to a passage of its or another
        article (``passage.article`` None: its own)."""
        store = self._ctx.store
        ann = store.get(ident, include_deleted=False)
        doc, start, end = passage.elsewhere(passage.article or ann.article).resolve(self._ctx)
        placed = store.reattach(ann.id, doc.text, doc.hash, start, end, article=doc.id)
        self._ctx.remember([doc.id])
        return placed
