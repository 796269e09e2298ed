"""Anchoring annotations to text the W3C Web Annotation way, and finding them again.

An annotation remembers where it was (TextPositionSelector: start, end), what it said
(TextQuoteSelector: exact, plus ~32 characters of prefix and suffix) and the content hash of
the text it was made on. When the text changes, :func:`relocate` looks for it in this order:

1. the exact quote still at the old position → ``anchored``;
2. the exact quote elsewhere: the occurrence whose prefix/suffix fit best, nearest the old
   position → ``moved``;
3. a fuzzy match (candidates seeded from pieces of the quote and from its context, scored on
   quote similarity, context and distance, as Hypothesis does) above :data:`FUZZY_THRESHOLD`
   → ``fuzzy``;
4. otherwise → ``orphaned``: the annotation keeps its quote and note and waits for review.
"""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher

CONTEXT = 32
FUZZY_THRESHOLD = 0.75  # quote similarity below this is another passage, not an edit
MAX_CANDIDATES = 60
_PIECE = 24


@dataclass(frozen=True, slots=True)
class Selector:
    """Both W3C selectors of one span of one text."""

    start: int
    end: int
    exact: str
    prefix: str
    suffix: str


@dataclass(frozen=True, slots=True)
class Location:
    start: int
    end: int
    status: str  # anchored | moved | fuzzy | orphaned
    score: float  # quote similarity (1.0 for exact matches, 0 for orphans)


def select(text: str, start: int, end: int) -> Selector:
    """The selectors of ``text[start:end]``; the caller has checked the bounds."""
    return Selector(
        start, end, text[start:end], text[max(0, start - CONTEXT) : start], text[end : end + CONTEXT]
    )


def relocate(text: str, sel: Selector) -> Location:
    """Where ``sel`` now is in ``text`` (see the module docstring for the order of attempts)."""
    exact = sel.exact
    if exact and text[sel.start : sel.end] == exact:
        return Location(sel.start, sel.end, "anchored", 1.0)
    if not exact:
        return Location(sel.start, sel.end, "orphaned", 0.0)
    occurrences = _occurrences(text, exact)
    if occurrences:
        best = max(occurrences, key=lambda at: _fit(text, sel, at, at + len(exact)))
        return Location(best, best + len(exact), "moved", 1.0)
    return _fuzzy(text, sel)


def _occurrences(text: str, needle: str, limit: int = 1000) -> list[int]:
    found, at = [], text.find(needle)
    while at != -1 and len(found) < limit:
        found.append(at)
        at = text.find(needle, at + 1)
    return found


def _common_suffix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(reversed(a), reversed(b), strict=False):
        if x != y:
            break
        n += 1
    return n


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _fit(text: str, sel: Selector, start: int, end: int) -> float:
    """How well the context around ``[start, end)`` matches the remembered one, minus a small
    penalty for distance from the old position (which only breaks ties between equal fits)."""
    before = text[max(0, start - len(sel.prefix)) : start]
    after = text[end : end + len(sel.suffix)]
    context = _common_suffix(before, sel.prefix) + _common_prefix(after, sel.suffix)
    distance = abs(start - sel.start) / max(len(text), 1)
    return context - distance


def _similarity(a: str, b: str) -> float:
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def _fuzzy(text: str, sel: Selector) -> Location:
    exact = sel.exact
    length = len(exact)
    candidates: set[tuple[int, int]] = set()
    # Pieces of the quote that survived the edit suggest where the rest of it is.
    heads = _occurrences(text, exact[:_PIECE], 20) if length > _PIECE else []
    tails = _occurrences(text, exact[-_PIECE:], 20) if length > _PIECE else []
    for h in heads:
        candidates.add((h, h + length))
        for t in tails:
            if 0 < t + _PIECE - h <= 2 * length + CONTEXT:
                candidates.add((h, t + _PIECE))
    for t in tails:
        candidates.add((max(0, t + _PIECE - length), t + _PIECE))
    if length > 3 * _PIECE:
        middle = length // 2 - _PIECE // 2
        for m in _occurrences(text, exact[middle : middle + _PIECE], 20):
            candidates.add((max(0, m - middle), m - middle + length))
    # The context on both sides brackets an edited quote.
    if len(sel.prefix) >= 8:
        for p in _occurrences(text, sel.prefix, 20):
            start = p + len(sel.prefix)
            candidates.add((start, start + length))
            if sel.suffix:
                s = text.find(sel.suffix, start)
                if s != -1 and s - start <= 2 * length + CONTEXT:
                    candidates.add((start, s))
    if len(sel.suffix) >= 8:
        for s in _occurrences(text, sel.suffix, 20):
            candidates.add((max(0, s - length), s))
    # Near the old position, in case everything around it changed a little.
    if sel.start < len(text):
        candidates.add((sel.start, min(len(text), sel.start + length)))
    best: tuple[float, float, int, int] | None = None
    for start, end in sorted(candidates)[:MAX_CANDIDATES]:
        end = min(end, len(text))
        if end <= start:
            continue
        start, end = _trim(text, start, end, exact)
        score = _similarity(exact, text[start:end])
        rank = (score, _fit(text, sel, start, end), -start, end)
        if best is None or rank > best:
            best = rank
    if best is None or best[0] < FUZZY_THRESHOLD:
        return Location(sel.start, sel.end, "orphaned", 0.0)
    return Location(best[2] * -1, best[3], "fuzzy", round(best[0], 3))


def _trim(text: str, start: int, end: int, exact: str) -> tuple[int, int]:
    """Snap a candidate to the part of it that aligns with the quote (drops extra context)."""
    blocks = [
        b
        for b in SequenceMatcher(None, exact, text[start:end], autojunk=False).get_matching_blocks()
        if b.size
    ]
    if not blocks:
        return start, end
    first, last = blocks[0], blocks[-1]
    new_start = start + first.b - min(first.a, first.b)
    new_end = (
        start
        + last.b
        + last.size
        + min(len(exact) - (last.a + last.size), end - start - (last.b + last.size))
    )
    return max(start, new_start), max(max(start, new_start) + 1, min(end, new_end))
