"""Passages that articles share: the same wire story, the same official statement.

Texts are compared as sequences of normalised words — case, accents, quote styles and
punctuation ignored — so ``« transforme … premium »`` in one outlet and ``"transforme …
premium"`` in another are the same passage. Word shingles (runs of ``k`` words) that two texts
have in common are chained into maximal spans; spans separated by a few differing words are
joined into one (a word changed by an editor does not split the passage in two).

``where_else`` finds a passage across the corpus without reading every file: the index
proposes candidates (articles holding some of the passage's word sequences), and only those
are read and aligned.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from itertools import chain, islice, repeat

from .analysis import fold

_WORD = re.compile(r"[^\W_]+")
DEFAULT_MIN_WORDS = 8
MAX_GAP = 3  # differing words tolerated inside one shared passage


@dataclass(frozen=True, slots=True)
class Token:
    norm: str
    start: int
    end: int


_FOLDED: dict[str, str] = {}
_PIECES: dict[bytes, tuple[str, ...]] = {}
# ASCII characters that cannot be in a word (all but letters and digits) become spaces: the
# text's bytes then split, in C, into pieces that hold whole words only (a multi-byte
# character is never cut: its bytes are all >= 0x80)
_ASCII_BREAKS = bytes(b if chr(b).isalnum() else 0x20 for b in range(128)) + bytes(range(128, 256))


def norms(text: str) -> list[str]:
    """The normalised words of ``text``, what :func:`tokens` holds without the spans (the
    where-else alignment of hundreds of candidates needs spans for two words of each).
    Tokenising is the cost (a regex over every character of hundreds of candidates), so the
    text is cut at ASCII breaks in C and each piece's words are cached: pieces repeat (a
    piece is a word, or words joined by an apostrophe or a non-ASCII dash...)."""
    pieces = _PIECES
    if len(pieces) > 500_000:
        pieces.clear()
    chunks = text.encode("utf-8", "surrogatepass").translate(_ASCII_BREAKS).split()
    found = list(map(pieces.get, chunks))  # in C: most pieces were met before
    if None in found:
        for n, words in enumerate(found):
            if words is None:
                chunk = chunks[n]
                words = pieces.get(chunk)  # (met earlier in this text)
                found[n] = words if words is not None else pieces.setdefault(chunk, _piece(chunk))
    return list(chain.from_iterable(found))


def _piece(chunk: bytes) -> tuple[str, ...]:
    """The normalised words of one piece of text (folding cached per word: words repeat)."""
    cache = _FOLDED
    if len(cache) > 500_000:
        cache.clear()
    out = []
    for word in _WORD.findall(chunk.decode("utf-8", "surrogatepass")):
        norm = cache.get(word)
        out.append(norm if norm is not None else cache.setdefault(word, fold(word)))
    return tuple(out)


def tokens(text: str) -> list[Token]:
    """Normalised words with their spans (elided articles like ``l'`` stay words here:
    sharing is about wording, not meaning)."""
    return [Token(n, m.start(), m.end()) for n, m in zip(norms(text), _WORD.finditer(text), strict=True)]


# (?:non-word* word){2**k}, possessive: skipping n words is a few regex calls in C, with no
# match object per word (the span of two words in each of hundreds of candidates)
_SKIPS = [re.compile(rf"(?:[\W_]*+[^\W_]++){{{1 << k}}}") for k in range(24)]


def _skip(text: str, count: int, pos: int = 0) -> int:
    """Where the ``count``-th word from ``pos`` ends (``pos`` itself for none)."""
    k = 0
    while count:
        if count & 1:
            found = _SKIPS[k].match(text, pos)
            if found is None:
                raise ValueError("fewer words than asked for")
            pos = found.end()
        count >>= 1
        k += 1
    return pos


def _word_span(text: str, first: int, last: int) -> tuple[int, int]:
    """Where the ``first``-th to the ``last``-th words of ``text`` are."""
    if last >= 1 << len(_SKIPS):
        found = list(islice(_WORD.finditer(text), last + 1))
        return found[first].start(), found[last].end()
    before = _skip(text, first)
    start = _WORD.search(text, before)
    assert start is not None
    return start.start(), _skip(text, last - first + 1, before)


@dataclass(frozen=True, slots=True)
class SharedSpan:
    """A passage found in two texts: word ranges and character offsets in each."""

    a_start: int
    a_end: int
    b_start: int
    b_end: int
    words: int  # length in words (in text A)
    exact: bool  # False when it bridges a few differing words

    def to_json(self, text_a: str) -> dict:
        return {
            "text": text_a[self.a_start : self.a_end],
            "words": self.words,
            "exact": self.exact,
            "a": {"start": self.a_start, "end": self.a_end},
            "b": {"start": self.b_start, "end": self.b_end},
        }


def _runs(na: list[str], nb: list[str], k: int) -> list[tuple[int, int, int, int]]:
    """Maximal runs of equal words, at least ``k`` long: (a_first, a_last, b_first, b_last).
    The shorter sequence's shingles are indexed and the longer one is scanned, looking up only
    where a shingle could start (a passage against a whole article: most words cannot)."""
    if len(na) < k or len(nb) < k:
        return []
    if len(na) > len(nb):
        return sorted((b0, b1, a0, a1) for a0, a1, b0, b1 in _runs(nb, na, k))
    index: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for i in range(len(na) - k + 1):
        index[tuple(na[i : i + k])].append(i)
    starts = {gram[0] for gram in index}
    diagonals: dict[int, list[int]] = defaultdict(list)
    for j in range(len(nb) - k + 1):
        if nb[j] in starts:
            for i in index.get(tuple(nb[j : j + k]), ()):
                diagonals[j - i].append(i)
    return _chained(diagonals, k)


def _chained(diagonals: dict[int, list[int]], k: int) -> list[tuple[int, int, int, int]]:
    """Shingles met on the same diagonal (text position minus passage position) at
    consecutive places, joined into runs: (a_first, a_last, b_first, b_last), sorted."""
    runs = []
    for offset, found in diagonals.items():
        found.sort()
        first = prev = found[0]
        for i in found[1:]:
            if i != prev + 1:
                runs.append((first, prev + k - 1, first + offset, prev + k - 1 + offset))
                first = i
            prev = i
        runs.append((first, prev + k - 1, first + offset, prev + k - 1 + offset))
    return sorted(runs)


def shared_word_spans(
    na: list[str], nb: list[str], min_words: int = DEFAULT_MIN_WORDS, max_gap: int = MAX_GAP
) -> list[tuple[int, int, int, int, bool]]:
    """The shared passages of two word sequences (:func:`norms`) as word ranges, in A's order:
    (a_first, a_last, b_first, b_last, exact). What :func:`shared_passages` reports with
    character offsets; wire families align thousands of pairs on words alone."""
    if min_words < 2:
        raise ValueError("min_words must be at least 2")
    runs = _runs(na, nb, min_words)
    merged: list[list] = []  # [a0, a1, b0, b1, exact]
    for a0, a1, b0, b1 in runs:
        if merged:
            last = merged[-1]
            gap_a, gap_b = a0 - last[1] - 1, b0 - last[3] - 1
            if 0 <= gap_a <= max_gap and 0 <= gap_b <= max_gap:
                last[1], last[3] = max(last[1], a1), max(last[3], b1)
                last[4] = last[4] and gap_a == gap_b == 0
                continue
            if a0 <= last[1] and b0 <= last[3] and a1 <= last[1] and b1 <= last[3]:
                continue  # inside the previous run (a repeated phrase)
        merged.append([a0, a1, b0, b1, True])
    spans: list[tuple[int, int, int, int, bool]] = []
    for a0, a1, b0, b1, exact in merged:
        # words short of a shingle at either end, across one changed word, still belong to it
        _, a0, b0, changed_before = _extend(na, nb, a0, b0, -1)
        _, a1, b1, changed_after = _extend(na, nb, a1, b1, 1)
        exact = exact and not (changed_before or changed_after)
        if spans and a0 <= spans[-1][1]:
            # grew into the previous one: what it holds past it is a passage of its own (a
            # reordered copy: the previous one's last word may begin this one)
            pa0, pa1, pb0, pb1, pexact = spans[-1]
            if a1 <= pa1:
                continue
            if a0 - pa0 >= min_words:  # the words both claim go to this one (the previous had
                spans[-1] = (pa0, a0 - 1, pb0, pb1 - (pa1 - a0 + 1), pexact)  # grown into it)
            else:
                a0, b0 = pa1 + 1, b0 + (pa1 + 1 - a0)
        spans.append((a0, a1, b0, b1, exact))
    return spans


def shared_passages(
    text_a: str, text_b: str, min_words: int = DEFAULT_MIN_WORDS, max_gap: int = MAX_GAP
) -> list[SharedSpan]:
    """Passages of at least ``min_words`` words that appear in both texts, in text A's order."""
    if min_words < 2:
        raise ValueError("min_words must be at least 2")
    ta, tb = tokens(text_a), tokens(text_b)
    spans = shared_word_spans([t.norm for t in ta], [t.norm for t in tb], min_words, max_gap)
    return [
        SharedSpan(ta[a0].start, ta[a1].end, tb[b0].start, tb[b1].end, a1 - a0 + 1, exact)
        for a0, a1, b0, b1, exact in spans
    ]


# --- where else ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Occurrence:
    article: str
    start: int
    end: int
    similarity: float  # share of the passage's words found, in order
    text: str

    def to_json(self) -> dict:
        return {
            "article": self.article,
            "start": self.start,
            "end": self.end,
            "similarity": self.similarity,
            "snippet": self.text if len(self.text) <= 300 else self.text[:299] + "…",
        }


WHERE_MIN_SIMILARITY = 0.6
_LONG = 20_000  # characters past which an article is aligned only where the passage's words cluster
_PROBE_WORDS = 4  # word sequences used to ask the index for candidates


def _windows(passage: list[Token], text: str) -> list[tuple[int, int]]:
    """Stretches of ``text`` dense in the passage's rarer words (character ranges), so that
    only those are tokenised and aligned, not a whole long article."""
    words = {t.norm for t in passage if len(t.norm) > 3} or {t.norm for t in passage}
    span = max(200, len(" ".join(t.norm for t in passage)) * 2)
    folded = fold(text)
    hits = sorted(m.start() for w in words for m in re.finditer(re.escape(w), folded))
    if not hits:
        return []
    windows, start, last, count = [], hits[0], hits[0], 1
    for at in hits[1:]:
        if at - last > span:
            if count >= 2 or len(words) == 1:
                windows.append((max(0, start - span), last + span))
            start, count = at, 0
        last = at
        count += 1
    if count >= 2 or len(words) == 1:
        windows.append((max(0, start - span), last + span))
    return windows


def align(passage: list[Token], text: str, k: int = _PROBE_WORDS) -> tuple[int, int, float] | None:
    """The span of ``text`` that best matches the passage: (start, end, similarity)."""
    hit = _best(passage, text, k)
    return None if hit is None else _span(hit)


# a best match in words: (the text aligned, where it starts in the article, first and last
# word, similarity); its characters are found only for a match good enough to be kept (most
# where-else candidates share a few words and are dropped)
_Match = tuple[str, int, int, int, float]


def _span(hit: _Match) -> tuple[int, int, float]:
    text, lo, first_b, last_b, score = hit
    start, end = _word_span(text, first_b, last_b)
    return start + lo, end + lo, score


def _best(passage: list[Token], text: str, k: int) -> _Match | None:
    if len(text) <= _LONG:
        return _align(passage, text, k)
    # a long article: only where the passage's words cluster is tokenised and aligned (a
    # window may be the whole text, when they are everywhere)
    best = None
    for lo, hi in _windows(passage, text):
        hit = _align(passage, text[lo:hi], k, lo)
        if hit is not None and (best is None or hit[4] > best[4]):
            best = hit
    return best


def _align(passage: list[Token], text: str, k: int, lo: int = 0) -> _Match | None:
    tw = norms(text)
    if not passage or not tw:
        return None
    k = min(k, len(passage))
    pw = [t.norm for t in passage]
    runs = _runs(pw, tw, k) if len(pw) > len(tw) else _runs_of_short(pw, tw, k)
    if not runs:
        return None
    # chain runs on increasing positions in both sequences; score by passage words covered
    best: tuple[float, int, int] | None = None
    for n, (a0, a1, b0, b1) in enumerate(runs):
        covered, first_a, first_b, last_b, last_a = a1 - a0 + 1, a0, b0, b1, a1
        for c0, c1, d0, d1 in runs[n + 1 :]:
            if c0 > last_a and d0 > last_b and d0 - last_b <= (c0 - last_a) + MAX_GAP + 2:
                covered += c1 - c0 + 1
                last_a, last_b = c1, d1
        # words shorter than a shingle at either end still count (one changed word allowed)
        extra, first_a, first_b, _ = _extend(pw, tw, first_a, first_b, -1)
        covered += extra
        extra, last_a, last_b, _ = _extend(pw, tw, last_a, last_b, 1)
        covered += extra
        score = covered / len(passage)
        if best is None or score > best[0]:
            best = (score, first_b, last_b)
    score, first_b, last_b = best
    return text, lo, first_b, last_b, round(min(score, 1.0), 3)


def _runs_of_short(na: list[str], nb: list[str], k: int) -> list[tuple[int, int, int, int]]:
    """What :func:`_runs` gives for a passage ``na`` no longer than the text ``nb``, with the
    text's words walked in C: each word becomes one character (the passage's words their own,
    every other word one that none of them has), and the passage's shingles are looked for
    with ``str.find`` (hundreds of where-else candidates of a thousand words each)."""
    if len(na) < k or len(nb) < k:
        return []
    code = {w: chr(0x100 + n) for n, w in enumerate(dict.fromkeys(na))}
    a = "".join(map(code.__getitem__, na))
    b = "".join(map(code.get, nb, repeat("\x00")))
    diagonals: dict[int, list[int]] = defaultdict(list)
    for i in range(len(a) - k + 1):
        gram = a[i : i + k]
        j = b.find(gram)
        while j != -1:
            diagonals[j - i].append(i)
            j = b.find(gram, j + 1)
    return _chained(diagonals, k)


def _extend(pw: list[str], tw: list[str], a: int, b: int, step: int) -> tuple[int, int, int, bool]:
    """Grow a match word by word from (a, b) in direction ``step``, stepping over a single
    differing word when the two words after it match again. Returns (words gained, a, b,
    whether a differing word was stepped over)."""
    gained, substituted = 0, False

    def same(i: int, j: int) -> bool:
        return 0 <= i < len(pw) and 0 <= j < len(tw) and pw[i] == tw[j]

    while True:
        i, j = a + step, b + step
        if same(i, j):
            a, b, gained = i, j, gained + 1
        elif same(i + step, j + step) and same(i + 2 * step, j + 2 * step):
            a, b, gained, substituted = i + step, j + step, gained + 1, True  # one word replaced
        else:
            return gained, a, b, substituted


def probes(passage: list[Token], count: int = 8) -> list[str]:
    """A few word sequences spread over the passage, to ask the index for candidates."""
    words = [t.norm for t in passage]
    if len(words) <= _PROBE_WORDS:
        return [" ".join(words)] if words else []
    step = max(1, (len(words) - _PROBE_WORDS) // max(1, count - 1))
    found = []
    for i in range(0, len(words) - _PROBE_WORDS + 1, step):
        found.append(" ".join(words[i : i + _PROBE_WORDS]))
    last = " ".join(words[-_PROBE_WORDS:])
    if last not in found:
        found.append(last)
    return found[: count + 1]


def where_else(
    engine,
    passage_text: str,
    exclude: tuple[str, int, int] | None = None,
    min_similarity: float = WHERE_MIN_SIMILARITY,
) -> list[Occurrence]:
    """Every article holding the passage or nearly it, or a long stretch of it, best first.

    A coder selects a quote with the sentence around it; another article carries the quote
    alone: it is found too, as the share of the passage it holds (a stretch of at least
    ``DEFAULT_MIN_WORDS`` words, as shared passages are), with the stretch's place.
    ``exclude`` (article, start, end) leaves out the place the passage was taken from.
    """
    from ..errors import GloseError

    passage = tokens(passage_text)
    if len(passage) < 2:
        raise GloseError("the passage is too short: give at least two words")
    asked = probes(passage)
    # A text holding most of the passage holds a good share of its word sequences: asking the
    # index for articles with at least that share keeps away those that merely share a phrase.
    # A stretch of a third of the passage holds about a third of the probes.
    need = max(1, min(round(len(asked) * (min_similarity - 0.2)), len(asked) // 4))
    candidates = engine.phrase_candidates(asked, at_least=need)

    def enough(score: float) -> bool:
        return score >= min_similarity or score * len(passage) >= DEFAULT_MIN_WORDS

    found = []
    for article in candidates:
        try:
            text = engine.text(article)
        except GloseError:
            continue
        # an article may hold the passage several times: align, mask, align again
        masked = text
        for _ in range(5):
            best = _best(passage, masked, _PROBE_WORDS)
            if best is None or not enough(best[4]):
                break
            start, end, score = _span(best)
            if exclude is None or not (exclude[0] == article and start < exclude[2] and end > exclude[1]):
                found.append(Occurrence(article, start, end, score, text[start:end]))
            masked = masked[:start] + " " * (end - start) + masked[end:]
    found.sort(key=lambda o: (-o.similarity, o.article, o.start))
    return found
