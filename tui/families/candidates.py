"""Candidate pairs without comparing all pairs: an inverted index of sampled shingles.

Each article's sampled shingles (:mod:`.sketch`) are pooled; a shingle held by two articles
makes them a pair, and pairs that share enough of the shorter one's sampled shingles are
candidates for the alignment (:mod:`.grouping`). A shingle held by more than ``limit``
articles is boilerplate (a newsletter footer, a legal notice): it makes no pairs, and the
words it covers count for nothing in a share. Memory: the pooled shingles (12 bytes each,
about 170 per article), then the pair codes of one shingle at a time, sorted in place.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np

from .sketch import sketch

BOILERPLATE_SHARE = 0.05  # a shingle in more than this share of the corpus is boilerplate ...
BOILERPLATE_FLOOR = 50  # ... and in more than this many articles (a small corpus's dispatch is not)
ALL_PAIRS = 10  # a shingle of at most this many articles pairs them all; of more, each with
WINDOW = 4  # the next WINDOW in id order


def _cat(parts: list[np.ndarray], dtype) -> np.ndarray:
    return np.concatenate(parts) if parts else np.empty(0, dtype=dtype)


@dataclass
class Sketches:
    """The sampled shingles of a corpus, as flat arrays (one row per article and shingle)."""

    ids: list[str]
    hashes: np.ndarray  # uint64
    docs: np.ndarray  # int32: the article of each row
    heads: list[str] = field(default_factory=list)  # each article's first and last characters

    @classmethod
    def build(cls, ids: Iterable[str], text_of: Callable[[str], str | None]) -> Sketches:
        """Sketch every readable article (``text_of`` returns None for one that cannot be read:
        it is left out)."""
        kept, hashes, docs, heads = [], [], [], []
        for article in ids:
            text = text_of(article)
            if text is None:
                continue
            h = sketch(text)
            docs.append(np.full(len(h), len(kept), dtype=np.int32))
            kept.append(article)
            hashes.append(h)
            heads.append(text[:400] + "\n" + text[-400:] if len(text) > 800 else text)
        return cls(kept, _cat(hashes, np.uint64), _cat(docs, np.int32), heads)


def boilerplate_limit(count: int, share: float = BOILERPLATE_SHARE) -> int:
    """How many articles a shingle may be in before it is boilerplate."""
    return max(BOILERPLATE_FLOOR, math.ceil(share * count))


@dataclass
class Pool:
    """The shingles grouped by value (rows sorted by hash): what pairs and boilerplate are
    read from."""

    count: int  # articles
    limit: int
    hashes: np.ndarray  # sorted
    docs: np.ndarray  # the article of each sorted row
    starts: np.ndarray  # first row of each distinct shingle
    sizes: np.ndarray  # articles holding it

    @classmethod
    def of(cls, sk: Sketches, limit: int) -> Pool:
        """The pool of ``sk``'s shingles; ``sk``'s arrays are given up to it (sorted here,
        not copied: the pool is the largest thing a run holds)."""
        order = np.argsort(sk.hashes, kind="stable")
        hashes, docs = sk.hashes[order], sk.docs[order]
        del order
        sk.hashes = sk.docs = np.empty(0)
        if len(hashes) == 0:
            empty = np.empty(0, dtype=np.int64)
            return cls(len(sk.ids), limit, hashes, docs, empty, empty)
        cut = np.flatnonzero(hashes[1:] != hashes[:-1]) + 1
        starts = np.concatenate(([0], cut))
        sizes = np.diff(np.concatenate((starts, [len(hashes)])))
        return cls(len(sk.ids), limit, hashes, docs, starts, sizes)

    def boilerplate(self) -> tuple[np.ndarray, set[int]]:
        """The boilerplate shingles (sorted) and the articles that hold some."""
        frequent = np.flatnonzero(self.sizes > self.limit)
        if len(frequent) == 0:
            return np.empty(0, dtype=np.uint64), set()
        rows = np.concatenate(
            [np.arange(s, s + n) for s, n in zip(self.starts[frequent], self.sizes[frequent], strict=True)]
        )
        return np.unique(self.hashes[rows]), set(self.docs[rows].tolist())

    def pairs(self, min_share: float) -> list[tuple[int, int, float]]:
        """Pairs of articles (i < j) whose shared sampled shingles are a good share of the
        shorter one's, with that estimate, best first. The threshold is lower than
        ``min_share``: the alignment decides; this only keeps it from seeing every pair."""
        useful = np.flatnonzero((self.sizes >= 2) & (self.sizes <= self.limit))
        if len(useful) == 0:
            return []
        n = self.count
        plan = []
        for size in np.unique(self.sizes[useful]).tolist():
            if size <= ALL_PAIRS:
                i, j = np.triu_indices(size, 1)
            else:  # each member with the next few: a shingle of 2,000 articles makes 8,000
                # pairs, not 2 million; the members of one family, in the same order under each
                # of their shingles, meet again and again, and one verified pair per member is
                # all that connecting them takes
                i = np.concatenate([np.arange(size - d) for d in range(1, WINDOW + 1)])
                j = np.concatenate([np.arange(d, size) for d in range(1, WINDOW + 1)])
            plan.append((size, useful[self.sizes[useful] == size], i, j))
        codes = np.empty(sum(len(groups) * len(i) for _s, groups, i, _j in plan), dtype=np.int64)
        at = 0
        for size, groups, i, j in plan:  # all the groups of one size at once, into one array
            members = np.sort(
                self.docs[self.starts[groups][:, None] + np.arange(size)[None, :]].astype(np.int64), axis=1
            )
            made = (members[:, i] * n + members[:, j]).ravel()
            codes[at : at + len(made)] = made
            at += len(made)
            del members, made
        codes.sort()
        # a pair met under one shingle only is a phrase in common, nothing more: only pairs
        # met twice or more are counted (most are met once)
        again = codes[1:][codes[1:] == codes[:-1]]
        del codes
        pair_codes, counts = _counted(again)
        counts += 1
        # each article's sampled shingles that are not boilerplate
        own = np.bincount(self.docs[np.repeat(self.sizes <= self.limit, self.sizes)], minlength=n)
        lo, hi = pair_codes // n, pair_codes % n
        estimate = counts / np.maximum(1, np.minimum(own[lo], own[hi]))
        keep = np.flatnonzero(estimate >= 0.6 * min_share)
        ranked = keep[np.argsort(-estimate[keep], kind="stable")]
        return list(zip(lo[ranked].tolist(), hi[ranked].tolist(), estimate[ranked].tolist(), strict=True))


def _counted(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct values of sorted ``codes`` and how often each occurs."""
    if len(codes) == 0:
        return codes, np.empty(0, dtype=np.int64)
    starts = np.flatnonzero(np.concatenate(([True], codes[1:] != codes[:-1])))
    counts = np.diff(np.append(starts, len(codes)))
    return codes[starts], counts
