"""``lib.coders``: who coded what, agreement between coders, settling their disagreements,
and the statistics of the coding."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..errors import GloseError
from ..model import Annotation, StoreError
from .annotating import AnnotationsPart
from .articles import ArticlesPart
from .context import Context

if TYPE_CHECKING:
    from ..agreement import Agreement, Disagreement


@dataclass(frozen=True)
class Settled:
    """A settled disagreement: the journal's label for it and the annotations it wrote."""

    label: str
    annotations: list[Annotation]


class CodersPart:
    def __init__(self, ctx: Context, articles: ArticlesPart, annotations: AnnotationsPart):
        self._ctx = ctx
        self._articles = articles
        self._annotations = annotations

    def counts(self) -> dict[str, int]:
        """The coders with live annotations, and how many each (most first)."""
        return self._ctx.store.coders()

    def disagreements(
        self,
        coders: list[str],
        *,
        article: str | None = None,
        tags: list[str] | None = None,
    ) -> list[Disagreement]:
        """Spans some of ``coders`` coded with a tag and others did not (see :mod:`tui.agreement`)."""
        from ..agreement import disagreements

        return disagreements(self._annotations.find(article=article, coders=coders), coders, tags)

    def agreement(
        self,
        coders: Iterable[str] | None = None,
        *,
        tags: Iterable[str] | None = None,
        articles: Iterable[str] | None = None,
    ) -> Agreement:
        """Agreement between ``coders`` (default: every coder with annotations) per tag and
        pooled, with the disagreements (see :mod:`tui.agreement`). The units are the
        characters of ``articles`` (default: every article one of them annotated), read from
        their current text; an article whose file is missing is left out (said in ``notes``)."""
        from ..agreement import Agreement, disagreements, measure

        ctx, find = self._ctx, self._annotations.find
        known = self.counts()
        listing = ", ".join(f"{c or '(no coder)'} ({n})" for c, n in known.items()) or "none yet"
        given = coders is not None
        # "": annotations from before coders were recorded, compared only when named
        coders = list(dict.fromkeys(coders if given else (c for c in known if c)))
        unknown = [c for c in coders if c not in known]
        if unknown:
            raise GloseError(f"no annotations by {', '.join(unknown)}: the coders are {listing}")
        if len(coders) < 2:
            raise GloseError(
                f"give at least two coders to compare; the coders are {listing}"
                if given
                else f"agreement needs two coders with annotations; the coders are {listing}: "
                "import the other coders' exports (glose import FILE)"
            )
        anns = find(coders=coders)
        wanted = (
            list(dict.fromkeys(ctx.article_id(a) for a in articles))
            if articles is not None
            else sorted({a.article for a in anns if a.status != "orphaned"})
        )
        docs, notes = {}, []
        for article in wanted:
            try:
                docs[article] = ctx.article(article)
            except GloseError:
                notes.append(f"{article} left out: its file is missing")
        if ctx.follow(docs.values(), anns):
            anns = find(coders=coders)
        anns = [a for a in anns if a.article in docs]
        rows, overall = measure(anns, coders, {a: len(d.text) for a, d in docs.items()}, tags)
        found = disagreements(anns, coders, tags)
        titles = self._articles.titles(docs)
        return Agreement(
            tuple(coders),
            tuple(docs),
            rows,
            overall,
            found,
            units=sum(len(d.text) for d in docs.values()),
            titles={a: titles.get(a) or a for a in docs},
            quotes=[docs[d.article].text[d.start : d.end] for d in found],
            notes=notes,
        )

    # --- settling ---------------------------------------------------------------------------

    def adopt(self, found: Disagreement) -> Settled:
        """Settle ``found``: the coders who did not code its span get the coding (a new
        annotation of theirs with its tag), as one undoable change of this coder's."""
        from ..settling import adoption

        return self._settle(found, lambda doc, anns: adoption(found, doc.text, doc.hash))

    def reject(self, found: Disagreement) -> Settled:
        """Settle ``found``: the coders who coded its span no longer do (see
        :mod:`tui.settling` for what happens to annotations going beyond it)."""
        from ..settling import rejection

        return self._settle(found, lambda doc, anns: rejection(found, anns, doc.text, doc.hash))

    def merge(self, found: Disagreement) -> Settled:
        """Settle a boundary disagreement: the overlapping annotations with its tag of the
        coders compared all take the union of their spans."""
        from ..settling import merging

        return self._settle(found, lambda doc, anns: merging(found, anns, doc.text, doc.hash))

    def _settle(self, found: Disagreement, plan) -> Settled:
        """Write ``plan`` for ``found`` if it is still a disagreement as the store stands."""
        from ..agreement import disagreements

        ctx = self._ctx
        with ctx.lock:
            doc = ctx.article(found.article)
            anns = ctx.following(doc)
            coders = [*found.coded_by, *found.not_coded_by]
            if found not in disagreements(anns, coders, [found.tag]):
                raise StoreError(
                    f"[{found.tag}] at {found.start}-{found.end} of {found.article} is no longer "
                    "a disagreement as it was (changed since): look again"
                )
            made = plan(doc, anns)
            return Settled(made.label, ctx.store.settle(made.label, made.made, made.changed))

    def stats(self):
        """Tag counts, co-occurrence, tag × article, counts by source and date."""
        from ..stats import compute

        store = self._ctx.store
        return compute(store.annotations(), store.tags(), store.tag_article_counts(), self._articles.catalog_meta())
