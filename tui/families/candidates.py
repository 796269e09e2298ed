"""Candidate pairs without comparing all pairs: an inverted index of sampled shingles.

Each article's sampled shingles (:mod:`.sketch`) are pooled; a shingle held by two articles
makes them a pair, and pairs that share enough of the shorter one's sampled shingles are
candidates for the alignment (:mod:`.grouping`). A shingle held by more than ``limit``
articles is boilerplate (a newsletter footer, a legal notice): it makes no pairs, and the
words it covers count for nothing in a share.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np

from .sketch import sketch

BOILERPLATE_SHARE = 0.05  # a shingle in more than this share of the corpus is boilerplate ...
BOILERPLATE_FLOOR = 50  # ... and in more than this many articles (a small corpus's dispatch is not)


def _cat(parts: list[np.ndarray], dtype) -> np.ndarray:
    return np.concatenate(parts) if parts else np.empty(0, dtype=dtype)


@dataclass
class Sketches:
    """The sampled shingles of a corpus, as flat arrays (one row per article and shingle)."""

    ids: list[str]
    hashes: np.ndarray  # uint64
    docs: np.ndarray  # int32: the article of each row
    where: np.ndarray  # int32: the token position of each row
    heads: list[str] = field(default_factory=list)  # each article's first and last characters

    @classmethod
    def build(cls, ids: Iterable[str], text_of: Callable[[str], str | None]) -> Sketches:
        """Sketch every readable article (``text_of`` returns None for one that cannot be read:
        it is left out)."""
        kept, hashes, docs, where, heads = [], [], [], [], []
        for article in ids:
            text = text_of(article)
            if text is None:
                continue
            h, w = sketch(text)
            number = len(kept)
            kept.append(article)
            hashes.append(h)
            where.append(w.astype(np.int32))
            docs.append(np.full(len(h), number, dtype=np.int32))
            heads.append(text[:400] + "\n" + text[-400:] if len(text) > 800 else text)
        return cls(
            kept,
            _cat(hashes, np.uint64),
            _cat(docs, np.int32),
            _cat(where, np.int32),
            heads,
        )


def boilerplate_limit(count: int, share: float = BOILERPLATE_SHARE) -> int:
    """How many articles a shingle may be in before it is boilerplate."""
    return max(BOILERPLATE_FLOOR, math.ceil(share * count))


@dataclass
class Pool:
    """The shingles grouped by value: what pairs and boilerplate are read from."""

    sketches: Sketches
    limit: int
    order: np.ndarray  # rows sorted by hash
    starts: np.ndarray  # first sorted row of each distinct shingle
    sizes: np.ndarray  # articles holding it

    @classmethod
    def of(cls, sk: Sketches, limit: int) -> Pool:
        order = np.argsort(sk.hashes, kind="stable")
        sorted_h = sk.hashes[order]
        if len(sorted_h) == 0:
            empty = np.empty(0, dtype=np.int64)
            return cls(sk, limit, order, empty, empty)
        cut = np.flatnonzero(sorted_h[1:] != sorted_h[:-1]) + 1
        starts = np.concatenate(([0], cut))
        sizes = np.diff(np.concatenate((starts, [len(sorted_h)])))
        return cls(sk, limit, order, starts, sizes)

    def boilerplate(self) -> tuple[np.ndarray, set[int]]:
        """The boilerplate shingles (sorted) and the articles that hold some."""
        frequent = np.flatnonzero(self.sizes > self.limit)
        if len(frequent) == 0:
            return np.empty(0, dtype=np.uint64), set()
        rows = np.concatenate(
            [self.order[s : s + n] for s, n in zip(self.starts[frequent], self.sizes[frequent], strict=True)]
        )
        return np.unique(self.sketches.hashes[rows]), set(self.sketches.docs[rows].tolist())

    def pairs(self, min_share: float) -> list[tuple[int, int, float]]:
        """Pairs of articles (i < j) whose shared sampled shingles are a good share of the
        shorter one's, with that estimate, best first. The threshold is lower than
        ``min_share``: the alignment decides; this only keeps it from seeing every pair."""
        sk = self.sketches
        useful = np.flatnonzero((self.sizes >= 2) & (self.sizes <= self.limit))
        if len(useful) == 0:
            return []
        n = len(sk.ids)
        codes: list[np.ndarray] = []
        two = useful[self.sizes[useful] == 2]
        if len(two):
            a = sk.docs[self.order[self.starts[two]]].astype(np.int64)
            b = sk.docs[self.order[self.starts[two] + 1]].astype(np.int64)
            codes.append(np.minimum(a, b) * n + np.maximum(a, b))
        many = useful[self.sizes[useful] > 2]
        for size in np.unique(self.sizes[many]).tolist():  # all the groups of one size at once
            starts = self.starts[many[self.sizes[many] == size]]
            rows = self.order[starts[:, None] + np.arange(size)[None, :]]
            members = np.sort(sk.docs[rows].astype(np.int64), axis=1)
            i, j = np.triu_indices(size, 1)
            codes.append((members[:, i] * n + members[:, j]).ravel())
        pair_codes, counts = np.unique(np.concatenate(codes), return_counts=True)
        # each article's sampled shingles that are not boilerplate
        row_sizes = np.repeat(self.sizes, self.sizes)
        own = np.bincount(sk.docs[self.order[row_sizes <= self.limit]], minlength=n)
        lo, hi = pair_codes // n, pair_codes % n
        shorter = np.maximum(1, np.minimum(own[lo], own[hi]))
        estimate = counts / shorter
        keep = np.flatnonzero((counts >= 2) & (estimate >= 0.6 * min_share))
        ranked = keep[np.argsort(-estimate[keep], kind="stable")]
        return list(zip(lo[ranked].tolist(), hi[ranked].tolist(), estimate[ranked].tolist(), strict=True))
