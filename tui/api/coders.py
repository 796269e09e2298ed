"""``lib.coders``: coders side by side — who coded what, agreement, disagreements, settling
them one by one or a whole round at once, the done marks that say which articles a coder has
coded (see :mod:`tui.coders.agreement`, :mod:`tui.coders.settling`), and the statistics of the coding."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..errors import GloseError
from ..model import Annotation, StoreError
from .annotating import AnnotationsPart
from .articles import ArticlesPart
from .context import Context
from .searching import SearchPart

if TYPE_CHECKING:
    from ..coders.agreement import Agreement, Disagreement


@dataclass(frozen=True)
class Settled:
    """A settled disagreement: the journal's label for it and the annotations it wrote."""

    label: str
    annotations: list[Annotation]


@dataclass(frozen=True)
class SettledRound:
    """``glose settle``: how many disagreements were settled, in one journal event (``label``
    None: there was nothing to settle), the annotations written, and those left for a person
    (each with why), and the articles not looked at (a coder has not coded them)."""

    how: str
    coders: tuple[str, ...]
    settled: int
    label: str | None
    annotations: list[Annotation]
    left: list[tuple[Disagreement, str]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return {
            "how": self.how,
            "coders": list(self.coders),
            "settled": self.settled,
            "event": self.label,
            "annotations": [a.id for a in self.annotations],
            "left": [{**d.to_json(), "why": why} for d, why in self.left],
            "skipped": list(self.skipped),
        }


def _coverage_notes(anns: list[Annotation], present: dict[str, tuple[str, ...]], marked: dict) -> list[str]:
    """What done marks leave out: annotations on articles their coder has not marked done,
    and articles fewer than two coders coded."""
    notes = []
    outside = Counter(a.coder for a in anns if a.coder in marked and a.coder not in present[a.article])
    for coder, n in sorted(outside.items()):
        notes.append(
            f"{n} annotation{'s' * (n != 1)} by {coder} not counted: on articles {coder} has not marked "
            f"done (glose done ARTICLE --coder {coder})"
        )
    alone = [a for a, who in present.items() if len(who) < 2]
    if alone:
        notes.append(
            f"{len(alone)} article{'s' * (len(alone) != 1)} coded by fewer than two coders, not compared: "
            + ", ".join(alone[:5])
            + (" …" if len(alone) > 5 else "")
        )
    return notes


class CodersPart:
    def __init__(
        self, ctx: Context, articles: ArticlesPart, annotations: AnnotationsPart, search: SearchPart
    ):
        self._ctx = ctx
        self._articles = articles
        self._annotations = annotations
        self._search = search

    def counts(self) -> dict[str, int]:
        """The coders with live annotations, and how many each (most first)."""
        return self._ctx.store.coders()

    def stats(self, only: Collection[str] | None = None):
        """Tag counts, co-occurrence, tag × article, counts by source and date; ``only``: of
        these articles alone (``--dedupe families``: ``lib.families.dedupe`` gives them)."""
        from dataclasses import replace

        from ..coders.stats import compute

        store = self._ctx.store
        anns, tags, matrix = store.annotations(), store.tags(), store.tag_article_counts()
        catalog = self._articles.catalog_meta()
        if only is not None:
            keep = set(only)
            anns = [a for a in anns if a.article in keep]
            matrix = {k: n for k, n in matrix.items() if k[1] in keep}
            catalog = {k: v for k, v in catalog.items() if k in keep}
            per_tag: dict[str, int] = {}
            per_article: dict[str, set[str]] = {}
            for (tag, article), n in matrix.items():
                per_tag[tag] = per_tag.get(tag, 0) + n
                per_article.setdefault(tag, set()).add(article)
            tags = [
                replace(t, count=per_tag.get(t.name, 0), articles=len(per_article.get(t.name, ())))
                for t in tags
            ]
        return compute(anns, tags, matrix, catalog)

    def disagreements(
        self,
        coders: list[str],
        *,
        article: str | None = None,
        tags: list[str] | None = None,
    ) -> list[Disagreement]:
        """Spans some of ``coders`` coded with a tag and others did not (see :mod:`tui.coders.agreement`)."""
        from ..coders.agreement import disagreements

        return disagreements(self._annotations.find(article=article, coders=coders), coders, tags)

    def agreement(
        self,
        coders: Iterable[str] | None = None,
        *,
        tags: Iterable[str] | None = None,
        articles: Iterable[str] | None = None,
    ) -> Agreement:
        """Agreement between ``coders`` (default: every coder with annotations) per tag and
        pooled, with the disagreements (see :mod:`tui.coders.agreement`). The units are the
        characters of ``articles`` (default: every article one of them annotated or marked
        done), read from their current text; an article whose file is missing is left out
        (said in ``notes``). A coder who has marked articles done coded only those: elsewhere
        their values are missing (see :func:`tui.coders.agreement.present_coders`)."""
        from ..coders.agreement import Agreement, disagreements, measure, present_coders

        known = self.counts()
        for coder in self.done_marks():  # a coder who coded nothing, and said so
            known.setdefault(coder, 0)
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
        marks = self.done_marks()
        anns = self._annotations.find(coders=coders)
        marked = {c: set(marks.get(c, {})) for c in coders if marks.get(c)}
        wanted = (
            list(dict.fromkeys(self._ctx.article_id(a) for a in articles))
            if articles is not None
            else sorted({a.article for a in anns if a.status != "orphaned"}.union(*marked.values()))
        )
        docs, notes = {}, []
        for article in wanted:
            try:
                docs[article] = self._ctx.article(article)
            except GloseError:
                notes.append(f"{article} left out: its file is missing")
        if self._ctx.follow(docs.values(), anns):
            anns = self._annotations.find(coders=coders)
        anns = [a for a in anns if a.article in docs]
        present = present_coders(coders, docs, marked)
        notes += _coverage_notes(anns, present, marked)
        compared = {a: d for a, d in docs.items() if len(present[a]) >= 2}
        rows, overall = measure(anns, coders, {a: len(d.text) for a, d in compared.items()}, tags, present)
        found = disagreements([a for a in anns if a.article in compared], coders, tags, present)
        titles = self._articles.titles(docs)
        return Agreement(
            tuple(coders),
            tuple(docs),
            rows,
            overall,
            found,
            units=sum(len(d.text) for d in compared.values()),
            titles={a: titles.get(a) or a for a in docs},
            quotes=[docs[d.article].text[d.start : d.end] for d in found],
            notes=notes,
            covered={c: tuple(a for a in docs if c in present[a]) for c in coders},
            marked=tuple(c for c in coders if c in marked),
        )

    def adopt(self, found: Disagreement) -> Settled:
        """Settle ``found``: the coders who did not code its span get the coding, their
        touching annotation extended (or joined) so that they have one unit where the others
        have one (see :mod:`tui.coders.settling`), as one undoable change of this coder's."""
        from ..coders.settling import adoption

        return self._settle(found, lambda doc, anns: adoption(found, anns, doc.text, doc.hash))

    def reject(self, found: Disagreement) -> Settled:
        """Settle ``found``: the coders who coded its span no longer do (see
        :mod:`tui.coders.settling` for what happens to annotations going beyond it)."""
        from ..coders.settling import rejection

        return self._settle(found, lambda doc, anns: rejection(found, anns, doc.text, doc.hash))

    def merge(self, found: Disagreement) -> Settled:
        """Settle a boundary disagreement: the overlapping annotations with its tag of the
        coders compared all take the union of their spans."""
        from ..coders.settling import merging

        return self._settle(found, lambda doc, anns: merging(found, anns, doc.text, doc.hash))

    def _settle(self, found: Disagreement, plan) -> Settled:
        """Write ``plan`` for ``found`` if it is still a disagreement as the store stands."""
        with self._ctx.lock:
            doc = self._ctx.article(found.article)
            anns = self._ctx.following(doc)
            coders = [*found.coded_by, *found.not_coded_by]
            from ..coders.agreement import disagreements

            if found not in disagreements(anns, coders, [found.tag]):
                raise StoreError(
                    f"[{found.tag}] at {found.start}-{found.end} of {found.article} is no longer "
                    "a disagreement as it was (changed since): look again"
                )
            made = plan(doc, anns)
            return Settled(made.label, self._ctx.store.settle(made.label, made.made, made.changed))

    # --- a whole round at once ------------------------------------------------------------------

    def settle_all(
        self,
        coders: list[str],
        how: str,
        *,
        tags: list[str] | None = None,
        where: str | None = None,
    ) -> SettledRound:
        """Adopt or reject (``how``) every disagreement between ``coders`` (on ``tags``, in
        the articles the search ``where`` finds), as one journal event that one undo takes
        back. Articles a coder has not coded (done marks) are not looked at; rejections a
        person must make (see :mod:`tui.coders.settling`) are left and listed."""
        from ..coders.agreement import disagreements, present_coders
        from ..coders.settling import Plan, settling_all

        if how not in ("adopt", "reject"):
            raise GloseError(f"settle how? adopt or reject, not {how}")
        coders = list(dict.fromkeys(coders))
        if len(coders) < 2:
            raise GloseError("give at least two coders to settle between (--coders A,B)")
        known = {*self.counts(), *self.done_marks()}
        unknown = [c for c in coders if c not in known]
        if unknown:
            raise GloseError(
                f"no annotations by {', '.join(unknown)}: the coders are {', '.join(sorted(known))}"
            )
        within = None if where is None else {h.article for h in self._search.run(where, limit=None).hits}
        marks = self.done_marks()
        with self._ctx.lock:
            anns = self._annotations.find(coders=coders)
            articles = sorted({a.article for a in anns if a.status != "orphaned"})
            if within is not None:
                articles = [a for a in articles if a in within]
            present = present_coders(coders, articles, {c: set(marks.get(c, {})) for c in coders})
            made, changed, left, skipped, settled = [], [], [], [], 0
            for article in articles:
                here = list(present[article])
                if len(here) < 2:
                    skipped.append(article)
                    continue
                try:
                    doc = self._ctx.article(article)
                except GloseError:
                    skipped.append(article)
                    continue
                plan, count, refused = settling_all(
                    how, self._ctx.following(doc), here, tags, doc.text, doc.hash, disagreements
                )
                made += plan.made
                changed += plan.changed
                left += refused
                settled += count
            if not settled:
                return SettledRound(how, tuple(coders), 0, None, [], left, skipped)
            what = f" [{', '.join(tags)}]" if tags else ""
            scope = f" in “{where}”" if where else ""
            label = f"settle {settled} disagreements{what}{scope} between {', '.join(coders)}: {how} all"
            plan = Plan(label, made, changed)
            written = self._ctx.store.settle(plan.label, plan.made, plan.changed)
            return SettledRound(how, tuple(coders), settled, label, written, left, skipped)

    # --- done marks -----------------------------------------------------------------------------

    def done_marks(self) -> dict[str, dict[str, str]]:
        """coder → {article: when marked done} (``glose done``)."""
        if not self._ctx.ws.has_store():
            return {}
        return self._ctx.store.done_marks()

    def mark_done(self, articles: Iterable[str], *, coder: str | None = None, done: bool = True) -> list[str]:
        """Mark ``articles`` (ids or unique prefixes) as coded by ``coder`` (default: this
        library's), or no longer (``done`` False), as one undoable change; returns those that
        changed. Agreement then counts the articles that coder has not marked as missing data."""
        ids = list(dict.fromkeys(self._ctx.article_id(a) for a in articles))
        if not ids:
            raise GloseError("which article? glose done ARTICLE")
        if done:
            for article in ids:
                self._ctx.article(article)  # the file is there: a done mark is for an article read
        return self._ctx.store.mark_done(ids, coder, done=done)

    def toggle_done(self, article: str) -> bool:
        """Mark ``article`` done for this library's coder, or not done if it was (the reader's
        ``D``); whether it is done now."""
        ident = self._ctx.article_id(article)
        done = ident not in self.done_marks().get(self._ctx.coder, {})
        self.mark_done([ident], done=done)
        return done
