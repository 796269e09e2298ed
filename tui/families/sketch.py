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
_CODES: dict[str, int] = {}


def _code(token: str) -> int:
    """The code of a whitespace-separated token: of its normalised words joined (``l’IA`` and
    ``l'IA`` are one code, ``«`` none: 0, dropped)."""
    words = norms(token)
    if not words:
        return 0
    data = " ".join(words).encode("utf-8", "surrogatepass")
    return ((zlib.crc32(data) << 32) | zlib.adler32(data)) or 1


def text_codes(text: str) -> np.ndarray:
    """A stable 64-bit code per token of ``text`` (split on whitespace, each token cached:
    tokens repeat), tokens without a letter or digit left out. Sketching splits on
    whitespace, which is four times as fast as the word pattern the alignment uses: a
    shingle here is five tokens, the same in every text that holds the same words."""
    cache = _CODES
    if len(cache) > 500_000:
        cache.clear()
    get = cache.get
    tokens = text.split()
    out = [get(t) for t in tokens]
    if None in out:
        for i, code in enumerate(out):
            if code is None:
                out[i] = cache[tokens[i]] = _code(tokens[i])
    codes = np.array(out, dtype=np.uint64)
    return codes[codes != 0]


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


def sample(hashes: np.ndarray, rate: int = RATE) -> np.ndarray:
    """The kept shingles, distinct and sorted."""
    return np.unique(hashes[hashes % np.uint64(rate) == 0])


def boilerplate_mask(text: str, frequent: np.ndarray, k: int = K, rate: int = RATE) -> np.ndarray:
    """Per normalised word of ``text`` (:func:`norms`), whether boilerplate covers it: a
    shingle among ``frequent`` (sorted), and the words between two of them close together
    (the shingles between were not sampled, and are the same boilerplate)."""
    tokens = text.split()
    codes = text_codes(text)  # (fills the cache for every token)
    counts = np.array([len(norms(t)) if _CODES.get(t) else 0 for t in tokens], dtype=np.int64)
    counts = counts[counts > 0]
    hashes = shingle_hashes(codes, k)
    at = np.searchsorted(frequent, hashes)
    hit = np.flatnonzero((at < len(frequent)) & (frequent[np.minimum(at, len(frequent) - 1)] == hashes))
    covered = np.zeros(len(codes), dtype=bool)
    for n, start in enumerate(hit.tolist()):
        stop = start + k
        if n + 1 < len(hit) and hit[n + 1] - start <= 3 * rate:
            stop = int(hit[n + 1])
        covered[start:stop] = True
    return np.repeat(covered, counts)


def sketch(text: str, k: int = K, rate: int = RATE) -> np.ndarray:
    """The sampled shingle hashes of a text."""
    return sample(shingle_hashes(text_codes(text), k), rate)
