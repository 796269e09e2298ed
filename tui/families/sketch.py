"""A containment sketch of each article: a content-defined sample of its word shingles.

Copies of a dispatch are often much shorter than it (a brief cut from a long story): the share
of the shorter text that two articles share — containment — is what makes a family, not the
Jaccard similarity MinHash estimates (a brief holding 30% of a dispatch is fully contained in
it, at a Jaccard of 0.3). Sampling shingles by their hash (keep those whose hash falls in
1/``RATE`` of the range) keeps the same shingles in every text that holds them, so the sampled
shingles two articles share estimate how much of the shorter one they share (BENCHMARKS.md
compares it with datasketch's MinHash LSH).

Words are those of :func:`tui.text.passages.norms` (case, accents, punctuation ignored), hashed
with a fixed function (not Python's salted ``hash``), so every run samples the same shingles.
"""

from __future__ import annotations

import zlib

import numpy as np

from ..text.passages import norms

K = 5  # words per shingle
RATE = 4  # one shingle in RATE is kept
_MIX = np.uint64(0x9E3779B97F4A7C15)
_WORDS: dict[str, int] = {}


def word_codes(words: list[str]) -> np.ndarray:
    """A stable 64-bit code per word (cached: words repeat)."""
    cache = _WORDS
    if len(cache) > 2_000_000:
        cache.clear()
    out = np.empty(len(words), dtype=np.uint64)
    for i, w in enumerate(words):
        code = cache.get(w)
        if code is None:
            data = w.encode("utf-8", "surrogatepass")
            code = cache[w] = (zlib.crc32(data) << 32) | zlib.adler32(data)
        out[i] = code
    return out


def shingle_hashes(codes: np.ndarray, k: int = K) -> np.ndarray:
    """One 64-bit hash per run of ``k`` words (wrapping arithmetic: a polynomial hash)."""
    n = len(codes) - k + 1
    if n <= 0:
        return np.empty(0, dtype=np.uint64)
    h = np.zeros(n, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j in range(k):
            h = h * _MIX + codes[j : j + n]
        h ^= h >> np.uint64(29)
        h *= _MIX
        h ^= h >> np.uint64(32)
    return h


def sample(hashes: np.ndarray, rate: int = RATE) -> tuple[np.ndarray, np.ndarray]:
    """The kept shingles (distinct, sorted) and the word positions where each first starts."""
    keep = np.nonzero(hashes % np.uint64(rate) == 0)[0]
    kept, first = np.unique(hashes[keep], return_index=True)
    return kept, keep[first]


def sketch(text: str, k: int = K, rate: int = RATE) -> tuple[int, np.ndarray, np.ndarray]:
    """(number of words, sampled shingle hashes, their word positions) of a text."""
    words = norms(text)
    kept, where = sample(shingle_hashes(word_codes(words), k), rate)
    return len(words), kept, where
