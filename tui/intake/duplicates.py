"""What is already in the articles folder: the same article (added once), or nearly so.

Two overlapping exports hold the same documents: an article is a **duplicate** when an
article already there has the same database document id (``id:`` in its metadata block), or
the same text once case, accents, punctuation and spacing are set aside. A **near-duplicate**
(the print and web editions of one article, a corrected version) shares most of its word
5-grams with an existing article: at least :data:`NEAR` of the shorter one's. Near-duplicates
are reported, and kept or skipped as the user asks.

The 5-grams are sampled (those whose hash falls in one bucket of :data:`SAMPLE`), which keeps
the comparison cheap on thousands of articles and, on texts of a few hundred words, measures
the same overlap.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field

from ..text.analysis import fold

NEAR = 0.8
SHINGLE = 5
SAMPLE = 4
MIN_SHINGLES = 8  # below this, texts are too short to call near-identical
_WORD = re.compile(r"\w+")


def words(text: str) -> list[str]:
    """The text's words, folded (case, accents, ligatures: :func:`tui.text.analysis.fold`), each
    distinct word folded once (a whole-text ``str.translate`` measured twice as slow)."""
    cache = _FOLDED
    out = []
    for word in _WORD.findall(text.lower()):
        folded = cache.get(word)
        if folded is None:
            folded = fold(word)
            if len(cache) < 500_000:
                cache[word] = folded
        out.append(folded)
    return out


_FOLDED: dict[str, str] = {}


@dataclass(frozen=True)
class Signature:
    """What duplicates are recognised by: the folded text's hash, and sampled 5-grams."""

    print: str
    grams: frozenset[int]


def signature(text: str) -> Signature:
    w = words(text)
    digest = hashlib.sha256(" ".join(w).encode("utf-8")).hexdigest()
    # str hashes change between runs (PYTHONHASHSEED), which is fine: signatures are computed
    # afresh by each run and never stored
    hashes = map(hash, zip(*(w[i:] for i in range(SHINGLE)), strict=False))  # shifted copies: shorter is fine
    return Signature(digest, frozenset(h for h in hashes if h % SAMPLE == 0))


@dataclass
class Match:
    kind: str  # "duplicate" or "near"
    article: str  # the article id already there (or the input piece it repeats)
    why: str  # "same document id", "same text", "92% the same text"


@dataclass
class Known:
    """Every article the folder holds (and every one added in this run), by id, text and
    sampled 5-grams."""

    by_doc_id: dict[str, str] = field(default_factory=dict)
    by_print: dict[str, str] = field(default_factory=dict)
    grams: dict[str, frozenset[int]] = field(default_factory=dict)
    postings: dict[int, set[str]] = field(default_factory=dict)

    def add(self, article: str, sig: Signature, doc_id: str | None = None) -> None:
        if doc_id:
            self.by_doc_id.setdefault(doc_id, article)
        self.by_print.setdefault(sig.print, article)
        grams = sig.grams
        self.grams[article] = grams
        for g in grams:
            self.postings.setdefault(g, set()).add(article)

    def match(self, sig: Signature, doc_id: str | None = None) -> Match | None:
        if doc_id and doc_id in self.by_doc_id:
            return Match("duplicate", self.by_doc_id[doc_id], "same document id")
        if (found := self.by_print.get(sig.print)) is not None:
            return Match("duplicate", found, "same text")
        grams = sig.grams
        if len(grams) < MIN_SHINGLES:
            return None
        shared = Counter(a for g in grams for a in self.postings.get(g, ()))
        best, best_score = None, 0.0
        for article, n in shared.most_common(5):
            other = self.grams[article]
            if len(other) < MIN_SHINGLES:
                continue
            score = n / min(len(grams), len(other))
            if score > best_score:
                best, best_score = article, score
        if best is not None and best_score >= NEAR:
            return Match("near", best, f"about {best_score:.0%} the same text")
        return None
