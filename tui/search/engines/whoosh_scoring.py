"""Whoosh's top results, scored a posting list at a time instead of a document at a time.

Whoosh's collector walks the matcher tree document by document: for every matching document,
``is_active``/``id``/``next``/``score`` recurse through the tree, and the BM25F scorer reads the
document's field length from a column. On a corpus where common words are in nearly every
article (``(plateforme OR réseau) images`` at 5,000 articles: 4,459 matches), that Python
overhead per document per node *is* the search (120-190 ms); its block-quality skipping
barely applies (a segment of 2,500 documents is a few blocks) and the total is a second pass.

:class:`TopScored` keeps Whoosh's matchers — built by Whoosh, from our query objects, as its
own collector builds them — and evaluates each node over whole posting blocks: a leaf's block
of ids and weights becomes a dict of scores in one comprehension, unions and intersections
become dict merges, the other side of an intersection or an exclusion is only scored on the
documents the first side left. Every node computes the same float operations, in the same order,
as its ``score()`` does (a leaf: Whoosh's ``bm25`` with the same operands; a union: ``a + b``;
an array union: the sum in the order of its sub-matchers), so scores are bit-identical and the
order (score, then document number) is Whoosh's. A node of a kind not known here is walked
with its own ``id``/``score``/``next``: slower, the same result. Every match is found, so the
total is exact and free.
"""

from __future__ import annotations

from heapq import nlargest
from itertools import accumulate
from pickle import loads
from typing import Any

from . import whoosh_import

whoosh_import.load()  # before any module of Whoosh's (see there)

from whoosh import collectors  # noqa: E402
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, W3PerDocReader, _lenfield  # noqa: E402
from whoosh.columns import NumericColumn  # noqa: E402
from whoosh.formats import Positions  # noqa: E402
from whoosh.matching import binary, combo, wrappers  # noqa: E402
from whoosh.query.spans import SpanNear2  # noqa: E402
from whoosh.scoring import BM25FScorer  # noqa: E402
from whoosh.system import _INT_SIZE  # noqa: E402
from whoosh.util.numeric import byte_to_length  # noqa: E402

Scores = dict[int, float]


class Norms:
    """Per segment and field, the length part of BM25F's denominator for every document,
    ``K1 * ((1 - B) + B * length / avgfl)``, computed once per searcher (the scorer computes it
    at every posting, after a column read). A document whose length Whoosh reads as None (no
    length stored: never a document holding the term) gets None, and is scored by the scorer."""

    def __init__(self) -> None:
        self._kept: dict[tuple, tuple[Any, list]] = {}

    def of(self, ixreader, fieldname: str, scorer: BM25FScorer) -> list:
        key = (id(ixreader), fieldname, scorer.B, scorer.K1, scorer.avgfl)
        kept = self._kept.get(key)
        if kept is not None:
            return kept[1]
        K1, B, avgfl = scorer.K1, scorer.B, scorer.avgfl
        norms = [
            None if fl is None else K1 * ((1 - B) + B * fl / avgfl) for fl in _lengths(ixreader, fieldname)
        ]
        self._kept[key] = (ixreader, norms)  # (the reader held: its id is not reused meanwhile)
        return norms


def _lengths(ixreader, fieldname: str) -> list:
    """Every document's length in ``fieldname`` as ``doc_field_length(doc, field, 1)`` gives it,
    read from the lengths column in one piece where it is the usual column of bytes."""
    count = ixreader.doc_count_all()
    perdoc = getattr(ixreader, "_perdoc", None)
    if type(perdoc) is W3PerDocReader:
        column = perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
        if column is None:
            return [1] * count  # the field's default: no length column in this segment
        if type(column) is NumericColumn.Reader and column._typecode == "B":
            stored = min(column._count, count)
            data = column._dbfile.get(column._basepos, stored)
            return [byte_to_length(b) if b else None for b in data] + [None] * (count - stored)
    return [ixreader.doc_field_length(d, fieldname, 1) for d in range(count)]


class _Run:
    """One evaluation over one segment: its reader (for the lengths), and the positions of the
    leaves a phrase asked for, gathered as their postings are read."""

    def __init__(self, ixreader, norms: Norms):
        self.ixreader = ixreader
        self.norms = norms
        self.values: dict[int, dict[int, bytes]] = {}  # id(leaf) -> doc -> posting value

    def evaluate(self, m, within: Scores | set | None, scored: bool) -> Scores:
        """The documents ``m`` matches from where it stands (a matcher may already stand past
        documents that cannot match), with their scores (``scored``) or 1.0; only those in
        ``within`` when given."""
        if not m.is_active():
            return {}
        kind = type(m)
        if kind is W3LeafMatcher:
            return self._leaf(m, within, scored)
        if kind is binary.UnionMatcher:
            a = self.evaluate(m.a, within, scored)
            b = self.evaluate(m.b, within, scored)
            if len(a) < len(b):
                a, b = b, a  # a.score() + b.score(): the addition of two floats commutes
            out = dict(a)
            for d, s in b.items():
                out[d] = out[d] + s if d in out else s
            return out
        if kind is binary.IntersectionMatcher:
            # the smaller side first: the other is then read only for what it left
            first, second = (m.b, m.a) if _size(m.b) < _size(m.a) else (m.a, m.b)
            x = self.evaluate(first, within, scored)
            if not x:
                return {}
            y = self.evaluate(second, x, scored)
            return {d: x[d] + s for d, s in y.items()}
        if kind is binary.AndNotMatcher:
            a = self.evaluate(m.a, within, scored)
            if not a:
                return {}
            b = self.evaluate(m.b, a, False)
            return {d: s for d, s in a.items() if d not in b}
        if kind is binary.AndMaybeMatcher:
            a = self.evaluate(m.a, within, scored)
            if not a:
                return {}
            b = self.evaluate(m.b, a, scored)
            return {d: (s + b[d] if d in b else s) for d, s in a.items()}
        if kind is wrappers.WrappingMatcher:
            child = self.evaluate(m.child, within, scored)
            boost = m.boost
            return {d: s * boost for d, s in child.items()} if scored else child
        if kind is wrappers.FilterMatcher:
            child = self.evaluate(m.child, within, scored)
            ids, boost = m._ids, m.boost
            if m._exclude:
                return {d: s * boost for d, s in child.items() if d not in ids}
            return {d: s * boost for d, s in child.items() if d in ids}
        if kind is wrappers.InverseMatcher:
            return self._inverse(m, within)
        if kind is combo.ArrayUnionMatcher:
            return self._array_union(m, within, scored)
        if kind is SpanNear2.SpanNear2Matcher and m.ordered and m.slop == 1 and m.mindist == 1:
            leaves = [_leaf_of(x) for x in m.ms]
            if all(leaf is not None for leaf in leaves):
                return self._phrase(m, leaves, within, scored)
        return _walk(m, within, scored)

    def _leaf(self, m, within, scored: bool) -> Scores:
        out: Scores = {}
        values = self.values.get(id(m))
        scorer = m.scorer
        fast = scored and type(scorer) is BM25FScorer
        if fast:
            norms = self.norms.of(self.ixreader, m.term()[0], scorer)
            idf, c1 = scorer.idf, scorer.K1 + 1
        while m.is_active():
            if m._ids is None:
                m._read_ids()
            start, ids = m._i, m._ids
            if within is None:
                picked = range(start, len(ids))
            else:
                picked = [k for k in range(start, len(ids)) if ids[k] in within]
            if picked and scored:
                if m._weights is None:
                    m._read_weights()
                ws = m._weights
                block = None
                if fast:
                    # bm25(idf, tf, fl, avgfl, B, K1) as Whoosh writes it, its length part kept
                    try:
                        block = {ids[k]: idf * ((ws[k] * c1) / (ws[k] + norms[ids[k]])) for k in picked}
                    except TypeError:  # a document without a length: the scorer says what that gives
                        block = None
                if block is None:
                    block = {}
                    for k in picked:
                        m._i = k
                        block[ids[k]] = scorer.score(m)
                out.update(block)
            elif picked:
                out.update(dict.fromkeys((ids[k] for k in picked), 1.0))
            if picked and values is not None:
                if m._values is None:
                    m._read_values()
                vs = m._values
                values.update((ids[k], vs[k]) for k in picked)
            m._i = m._blocklength
            m._next_block()
        return out

    def _inverse(self, m, within) -> Scores:
        start, limit, missing, weight = m._id, m.limit, m.missing, m._weight
        if within is None:
            candidates: Any = range(start, limit)
        else:
            candidates = [d for d in within if start <= d < limit]
        inside = self.evaluate(m.child, None if within is None else set(candidates), False)
        return {d: weight for d in candidates if d not in inside and not missing(d)}

    def _array_union(self, m, within, scored: bool) -> Scores:
        scored = scored and m._scored
        boost, a, offset = m._boost, m._a, m._offset
        out: Scores = {}
        # the part already read into the matcher's array
        for d in range(m._docnum, m._limit):
            v = a[d - offset]
            if v > 0 and (within is None or d in within):
                out[d] = v
        acc: Scores = {}
        for sub in m._submatchers:  # a[i] += m.score() * boost, sub-matcher after sub-matcher
            for d, s in self.evaluate(sub, within, scored).items():
                acc[d] = acc.get(d, 0.0) + s * boost if scored else 1.0
        out.update((d, v) for d, v in acc.items() if v > 0)
        return out

    def _phrase(self, m, leaves, within, scored: bool) -> Scores:
        """Whoosh's phrase (SpanNear2, slop 1, ordered): the score of its intersection of the
        words' matchers, on the documents where the words stand at consecutive positions."""
        for leaf in leaves:
            self.values[id(leaf)] = {}
        child = self.evaluate(m.child, within, scored)
        positions = [(self.values.pop(id(leaf)), _positions(leaf.format)) for leaf in leaves]
        boost = m.boost
        out: Scores = {}
        for d, s in child.items():
            values, decode = positions[0]
            starts = list(decode(values[d]))
            for k in range(1, len(positions)):
                values, decode = positions[k]
                at = set(decode(values[d]))
                starts = [p for p in starts if p + k in at]
                if not starts:
                    break
            if starts:
                out[d] = s * boost
        return out


def _positions(format_):
    """The format's decoder of a posting's positions; for Whoosh's own ``Positions`` encoding
    (a length, then the pickled gaps) the same numbers without its loop in Python."""
    if type(format_).decode_positions is not Positions.decode_positions:
        return format_.decoder("positions")

    def decode(value: bytes):
        return accumulate(loads(value[_INT_SIZE:] if value.endswith(b".") else value[_INT_SIZE:] + b"."))

    return decode


def _size(m) -> float:
    """Roughly how much reading ``m`` costs: the bytes of its postings (an exclusion, or a
    matcher not known here, counts as everything)."""
    if not m.is_active():
        return 0
    kind = type(m)
    if kind is W3LeafMatcher:
        length = m._length  # (as unpacked from the term's info: a 1-tuple)
        return length[0] if isinstance(length, tuple) else length
    if kind is binary.UnionMatcher:
        return _size(m.a) + _size(m.b)
    if kind is binary.IntersectionMatcher:
        return min(_size(m.a), _size(m.b))
    if kind is combo.ArrayUnionMatcher:
        return sum(_size(sub) for sub in m._submatchers) + m._limit - m._docnum
    if kind in (binary.AndNotMatcher, binary.AndMaybeMatcher):
        return _size(m.a)
    if kind in (wrappers.WrappingMatcher, wrappers.FilterMatcher, SpanNear2.SpanNear2Matcher):
        return _size(m.child)
    return float("inf")


def _leaf_of(m):
    """The posting reader under ``m`` whose positions a phrase reads (a segment with deleted
    documents wraps it in a filter), or None."""
    if type(m) is wrappers.FilterMatcher and m._exclude:
        m = m.child
    return m if type(m) is W3LeafMatcher else None


def _walk(m, within, scored: bool) -> Scores:
    """Any matcher, walked the way Whoosh's collector walks it."""
    out: Scores = {}
    while m.is_active():
        d = m.id()
        if within is None or d in within:
            out[d] = m.score() if scored else 1.0
        m.next()
    return out


class TopScored(collectors.TopCollector):
    """Whoosh's :class:`~whoosh.collectors.TopCollector`, the same matchers and the same top
    ``limit`` (None: every match, best first), evaluated by :class:`_Run`; it counts every
    match. ``norms``: kept across searches of one searcher."""

    def __init__(self, limit: int | None, norms: Norms):
        super().__init__(limit=limit or 1, usequality=False)
        self.unlimited = limit is None
        self.norms = norms
        self.found: list[tuple[float, int]] = []
        self.matched = 0

    def collect_matches(self) -> None:
        if self.final_fn is not None:  # a weighting with a final pass: Whoosh's own way
            super().collect_matches()
            self.matched = self.total
            return
        scores = _Run(self.subsearcher.reader(), self.norms).evaluate(self.matcher, None, True)
        self.matched += len(scores)
        offset = self.offset
        # Whoosh's heap holds (score, -docnum): the best scores, then the lowest numbers
        ranked = ((s, -(offset + d)) for d, s in scores.items())
        self.found.extend(ranked if self.unlimited else nlargest(self.limit, ranked))

    def results(self):
        if self.final_fn is None:
            self.items = sorted(self.found) if self.unlimited else nlargest(self.limit, self.found)
        return super().results()

    def computes_count(self) -> bool:
        return True

    def count(self) -> int:
        return self.matched
