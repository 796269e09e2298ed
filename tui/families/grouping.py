"""Families: articles that carry the same text, grouped, their source named.

Two articles are in one family when the passages they share (the alignment of
:func:`tui.text.passages.shared_word_spans`, boilerplate left out) cover at least
``min_share`` of the shorter one; a family is a connected group of such pairs. Candidates
come from :mod:`.candidates`, best first, and a pair already connected is not aligned again
(a family of 200 copies needs 199 alignments that succeed, not 19,900).

**Family ids** are ``f`` and the first 10 hex digits of the SHA-1 of the sorted member ids,
one per line: the same members give the same id in every run, and an article that joins no
family changes no id. A family that gains or loses a member is another family, with another id
(a canonical member chosen for the old one still counts while it is a member: see
:func:`tui.api.families`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np

from ..text.passages import norms, shared_word_spans
from .candidates import BOILERPLATE_SHARE, Pool, Sketches, boilerplate_limit
from .credit import agency, time_of
from .sketch import boilerplate_mask

DEFAULT_MIN_SHARE = 0.5
MIN_WORDS = 8  # the shortest passage that counts as shared (as side by side shows them)


@dataclass(frozen=True)
class Meta:
    """What a member's place in its family is decided on: its date and who it is credited to."""

    date: str | None = None
    source: str | None = None
    author: str | None = None


@dataclass(frozen=True)
class Member:
    article: str
    date: str | None
    time: str | None
    source_name: str | None
    share: float  # the share of the family's source this member holds
    agency: str | None = None

    def to_json(self) -> dict:
        return {
            "article": self.article,
            "date": self.date,
            "source_name": self.source_name,
            "share": self.share,
        }


@dataclass(frozen=True)
class Family:
    id: str
    source: str
    members: tuple[Member, ...]  # by date and time, the source first among its equals

    @property
    def articles(self) -> list[str]:
        return [m.article for m in self.members]

    def to_json(self) -> dict:
        return {"id": self.id, "source": self.source, "members": [m.to_json() for m in self.members]}


def family_id(articles: Iterable[str]) -> str:
    return "f" + hashlib.sha1("\n".join(sorted(articles)).encode("utf-8", "surrogatepass")).hexdigest()[:10]


class _Words:
    """Each article's words and boilerplate mask, read when an alignment needs them (a few
    hundred kept: the candidates of one family come together)."""

    def __init__(
        self, sk: Sketches, text_of: Callable[[str], str | None], boiler: tuple[np.ndarray, set[int]]
    ):
        self.sk, self.text_of = sk, text_of
        self.frequent, self.boiled = boiler
        self.kept: dict[int, tuple[list[str], np.ndarray]] = {}
        self.pairs: dict[tuple[int, int], tuple[int, int, int, int]] = {}

    def get(self, doc: int) -> tuple[list[str], np.ndarray]:
        found = self.kept.get(doc)
        if found is None:
            if len(self.kept) > 512:
                self.kept.clear()
            text = self.text_of(self.sk.ids[doc]) or ""
            words = norms(text)
            if doc in self.boiled:
                mask = boilerplate_mask(text, self.frequent)
            else:
                mask = np.zeros(len(words), dtype=bool)
            found = self.kept[doc] = (words, mask)
        return found


def _overlap(words: _Words, i: int, j: int) -> tuple[int, int, int, int]:
    """:func:`overlap` of two articles, kept: choosing a source and the members' shares ask
    again for pairs the grouping aligned."""
    if (i, j) in words.pairs:
        return words.pairs[(i, j)]
    if (j, i) in words.pairs:
        held_b, own_b, held_a, own_a = words.pairs[(j, i)]
        return held_a, own_a, held_b, own_b
    found = words.pairs[(i, j)] = overlap(words.get(i), words.get(j))
    return found


def overlap(a: tuple[list[str], np.ndarray], b: tuple[list[str], np.ndarray]) -> tuple[int, int, int, int]:
    """Words of A and of B in passages they share, and A's and B's own words (boilerplate left
    out of all four)."""
    (na, ma), (nb, mb) = a, b
    hit_a, hit_b = np.zeros(len(na), dtype=bool), np.zeros(len(nb), dtype=bool)
    for a0, a1, b0, b1, _exact in shared_word_spans(na, nb, MIN_WORDS):
        hit_a[a0 : a1 + 1] = True
        hit_b[b0 : b1 + 1] = True
    return int((hit_a & ~ma).sum()), int((~ma).sum()), int((hit_b & ~mb).sum()), int((~mb).sum())


def _share(held: int, own: int) -> float:
    return held / own if own else 0.0


def _shorter_share(words: _Words, i: int, j: int) -> float:
    held_a, own_a, held_b, own_b = _overlap(words, i, j)
    return _share(held_a, own_a) if own_a <= own_b else _share(held_b, own_b)


def find_families(
    ids: Iterable[str],
    meta: Callable[[str], Meta],
    text_of: Callable[[str], str | None],
    *,
    min_share: float = DEFAULT_MIN_SHARE,
    boilerplate: float = BOILERPLATE_SHARE,
) -> list[Family]:
    """The families among ``ids``, by their source's date then id."""
    if not 0 < min_share <= 1:
        raise ValueError("the share must be above 0 and at most 1")
    sk = Sketches.build(ids, text_of)
    pool = Pool.of(sk, boilerplate_limit(len(sk.ids), boilerplate))
    boiler = pool.boilerplate()
    pool.hashes = np.empty(0, dtype=np.uint64)  # (only the articles of each shingle are left to read)
    candidates = pool.pairs(min_share)
    del pool  # the largest thing held: the alignments need only the candidates
    words = _Words(sk, text_of, boiler)
    parent = list(range(len(sk.ids)))

    def root(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, j, _estimate in candidates:
        ri, rj = root(i), root(j)
        if ri != rj and _shorter_share(words, i, j) >= min_share - 1e-9:
            parent[max(ri, rj)] = min(ri, rj)
    groups: dict[int, list[int]] = {}
    for doc in range(len(sk.ids)):
        groups.setdefault(root(doc), []).append(doc)
    families = [_family(sk, words, docs, meta) for docs in groups.values() if len(docs) > 1]
    families.sort(key=lambda f: (f.members[0].date or "9999", f.id))
    return families


def _family(sk: Sketches, words: _Words, docs: list[int], meta: Callable[[str], Meta]) -> Family:
    info = {}
    for doc in docs:
        m = meta(sk.ids[doc])
        head = sk.heads[doc]
        info[doc] = (m, time_of(head), agency(m.source, m.author, text=head))
    source = _source(words, docs, info)
    members = []
    for doc in docs:
        m, at, credit = info[doc]
        share = 1.0 if doc == source else _share(*_overlap(words, source, doc)[:2])
        members.append(Member(sk.ids[doc], m.date, at, m.source, round(share, 3), credit))
    first = sk.ids[source]
    members.sort(key=lambda x: (x.date or "9999", x.time or "99:99", x.article != first, x.article))
    return Family(family_id(sk.ids[d] for d in docs), first, tuple(members))


def _source(words: _Words, docs: list[int], info: dict) -> int:
    """The earliest member; among equally early ones (same date, and same time where both are
    known): one whose source or author is a news agency, else one whose text credits one (a
    copy often keeps the agency's dateline), else the one the others are most made of (the
    sum of the share of each other member that it holds: the fullest version, from which
    briefs were cut), else the first id."""
    dated = [d for d in docs if info[d][0].date]
    pool = dated or docs
    first_day = min((info[d][0].date or "") for d in pool)
    early = [d for d in pool if (info[d][0].date or "") == first_day]
    times = [info[d][1] for d in early if info[d][1]]
    if times:
        early = [d for d in early if info[d][1] in (None, min(times))]
    if len(early) > 1:
        named = [d for d in early if agency(info[d][0].source, info[d][0].author)]
        credited = [d for d in early if info[d][2]]
        early = named or credited or early
    if len(early) > 1:
        held = {d: sum(_share(*_overlap(words, d, o)[2:]) for o in docs if o != d) for d in early}
        best = max(held.values())
        early = [d for d in early if held[d] >= best - 1e-9]
    return min(early, key=lambda d: words.sk.ids[d])
