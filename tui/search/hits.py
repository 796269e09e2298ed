"""Where a query matches in a text: the hits (canonical-text offsets, found with the same
analyzer as the index), the snippet a results list shows, and the concordance's lines.

The engine decides *which* articles match; *where* is computed here from the canonical text,
so the offsets we print, highlight and jump to are exactly the ones annotations count in.
"""

from __future__ import annotations

import functools
import re
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass

from ..text.analysis import DEFAULT_LANGUAGE, WORD, Word, fold, term, words
from .query import Highlight

SNIPPET_BEFORE = 70
SNIPPET_LENGTH = 220
SNIPPET_SCAN = 64_000


@dataclass(frozen=True, slots=True)
class Hit:
    """One matching article, as the results list shows it."""

    article: str
    title: str
    date: str | None
    source: str | None
    score: float
    author: str | None = None


@dataclass(frozen=True, slots=True)
class Snippet:
    """A stretch of the canonical text (newlines shown as spaces, so offsets hold) with the
    spans to highlight, all in canonical-text offsets."""

    start: int
    text: str
    highlights: tuple[tuple[int, int], ...]


@dataclass(frozen=True, slots=True)
class KwicLine:
    article: str
    start: int
    end: int
    left: str
    match: str
    right: str


def kwic_line(article: str, text: str, start: int, end: int, width: int) -> KwicLine:
    """The concordance line of ``text[start:end]``, ``width`` characters each side, on one line."""
    left = text[max(0, start - width) : start]
    return KwicLine(article, start, end, _flat(left), _flat(text[start:end]), _flat(text[end : end + width]))


def _flat(text: str) -> str:
    return text.replace("\n", " ").replace("\t", " ")


# --- where a query matches a text -----------------------------------------------------------


def find_hits(
    text: str, highlight: Highlight, language: str = DEFAULT_LANGUAGE, *, jump: bool = True
) -> Iterator[tuple[int, int]]:
    """Spans of ``text`` that the query's positive words, prefixes and phrases match, in order,
    overlapping spans merged. Lazy, so a snippet needs only the text up to its first hits.

    Only the words near a candidate (see :func:`_candidates`) are analysed: the walk jumps
    from one to the next, so a text with few hits costs a regex scan, not a word-by-word pass
    (``jump=False``: every word, the reference the tests compare with)."""
    if not highlight:
        return
    longest = max((len(p) for p in highlight.phrases), default=1)
    pattern = _candidates(highlight)
    if not jump or pattern is None or _risky(text):
        stream: Iterator[Word | None] = words(text, language)
    else:
        stream = _near(text, pattern, longest, language)
    folded: dict[str, str] = {}  # words repeat: fold each once
    window: deque[Word] = deque()
    pending: tuple[int, int] | None = None

    def at_head() -> Iterator[tuple[int, int]]:
        head = window[0]
        if head.term in highlight.terms or any(head.term.startswith(p) for p in highlight.prefixes):
            yield head.start, head.end
        elif highlight.prefixes:
            word = text[head.start : head.end]
            surface = folded.get(word)
            if surface is None:
                surface = folded[word] = fold(word)
            if any(surface.startswith(p) for p in highlight.prefixes):
                yield head.start, head.end
        for phrase in highlight.phrases:
            n = len(phrase)
            if n <= len(window) and all(window[k].term == phrase[k] for k in range(n)):
                yield head.start, window[n - 1].end

    def merged(spans: Iterator[tuple[int, int]]) -> Iterator[tuple[int, int]]:
        nonlocal pending
        for span in spans:
            if pending is None:
                pending = span
            elif span[0] <= pending[1]:
                pending = (pending[0], max(pending[1], span[1]))
            else:
                yield pending
                pending = span

    for word in stream:
        if word is None:  # words were skipped: the window's words are not followed by the next
            while window:
                yield from merged(at_head())
                window.popleft()
            continue
        if word.term is None:
            continue
        window.append(word)
        if len(window) >= longest:
            yield from merged(at_head())
            window.popleft()
    while window:
        yield from merged(at_head())
        window.popleft()
    if pending is not None:
        yield pending


# Accented and ligature forms that fold to each ASCII letter (lowercase; matched ignoring case).
_VARIANTS = {
    "a": "aàáâãäåāăą",
    "c": "cçćč",
    "e": "eèéêëēĕėęě",
    "i": "iìíîïīĭį",
    "n": "nñńň",
    "o": "oòóôõöōŏő",
    "u": "uùúûüūŭůűų",
    "y": "yýÿ",
    "s": "sśšş",
    "z": "zźżž",
}
_LIGATURE_OF = {"oe": "œŒ", "ae": "æÆ", "ss": "ß", "ij": "ĳĲ"}


def _both_cases(chars: str) -> str:
    return "".join(dict.fromkeys(chars + "".join(c.upper() for c in chars if len(c.upper()) == 1)))


_KNOWN = frozenset(_both_cases("".join(_VARIANTS.values()) + "".join(_LIGATURE_OF.values())))
_ASCII_WORD = re.compile(r"[a-z0-9]+")
_WORD_CHAR = re.compile(r"[^\W_]")


_RISKY = re.compile(f"[^\\W_a-zA-Z0-9{''.join(sorted(_KNOWN))}]")


def _risky(text: str) -> bool:
    """Whether ``text`` holds a letter the candidate patterns do not account for (another
    script, a compatibility form such as "ﬁ" or "²"): such a text is walked word by word."""
    return not text.isascii() and _RISKY.search(text) is not None


def _letters(key: str) -> str:
    """A regex matching the raw spellings whose folded form starts with ``key``."""
    parts, i = [], 0

    def cls(ch: str) -> str:
        return f"[{_both_cases(_VARIANTS.get(ch, ch))}]"

    while i < len(key):
        pair = key[i : i + 2]
        if pair in _LIGATURE_OF:
            parts.append(f"(?:{cls(pair[0])}{cls(pair[1])}|[{_LIGATURE_OF[pair]}])")
            i += 2
            continue
        ligatures = (
            "".join(lig for two, lig in _LIGATURE_OF.items() if two[0] == key[i]) if i == len(key) - 1 else ""
        )
        parts.append(f"[{_both_cases(_VARIANTS.get(key[i], key[i]))}{ligatures}]")
        i += 1
    return "".join(parts)


@functools.lru_cache(maxsize=256)
def _candidate_pattern(keys: frozenset[str]) -> re.Pattern:
    # Every case spelt out, no look-behind: the pattern then starts with a set of characters,
    # which the regex engine scans for quickly; word starts are checked by :func:`_next`.
    return re.compile("|".join(_letters(k) for k in sorted(keys)))


def _candidates(highlight: Highlight) -> re.Pattern | None:
    """A regex for the word starts where a hit can begin, or None when it cannot be said.

    A hit begins at a word whose term (a stem of its folded form) is a query term or a phrase's
    first term, or whose term or folded form starts with a prefix. Stemming changes at most the
    last two letters of a folded word, so the first ``len - 2`` letters (at most 4) of each
    term and prefix are a prefix of every such word's folded form: the pattern matches them
    spelt with any accent, ligature or case."""
    keys = set()
    for stem in (*highlight.terms, *highlight.prefixes, *(p[0] for p in highlight.phrases)):
        if not _ASCII_WORD.fullmatch(stem):
            return None
        keys.add(stem[: max(1, min(4, len(stem) - 2))])
    return _candidate_pattern(frozenset(keys))


def _next(text: str, pattern: re.Pattern, pos: int) -> int | None:
    """Where the next candidate that begins a word is, from ``pos`` on."""
    while (m := pattern.search(text, pos)) is not None:
        at = m.start()
        if at == 0 or not _WORD_CHAR.match(text, at - 1):
            return at
        pos = at + 1
    return None


def _near(text: str, pattern: re.Pattern, longest: int, language: str) -> Iterator[Word | None]:
    """The words of ``text`` from each candidate on, until ``longest`` terms past the last
    candidate (so a phrase starting there is whole); None where words were skipped."""
    pos = 0
    while (at := _next(text, pattern, pos)) is not None:
        if at > pos:
            yield None
        left = longest
        for match in WORD.finditer(text, at):
            if pattern.match(text, match.start()):
                left = longest
            found = term(match.group(), language)
            yield Word(found, match.start(), match.end())
            pos = match.end()
            if found is not None:
                left -= 1
                if left <= 0:
                    break


def make_snippet(text: str, highlight: Highlight, language: str = DEFAULT_LANGUAGE) -> Snippet:
    """The first stretch of ``text`` around a hit (or its opening when no word hit)."""
    # A snippet shows the first hit; past SNIPPET_SCAN characters without one, the opening
    # is shown instead (the match is then in the title or too deep to be worth the wait).
    hits = find_hits(text[:SNIPPET_SCAN], highlight, language)
    first = next(hits, None)
    if first is None:
        start = 0
    else:
        start = max(0, first[0] - SNIPPET_BEFORE)
        while 0 < start < first[0] and text[start - 1].isalnum():
            start += 1  # begin on a whole word
    end = min(len(text), start + SNIPPET_LENGTH)
    if end < len(text):  # end on a word boundary
        cut = text.rfind(" ", start, end)
        if first is not None and cut > first[1]:
            end = cut
    spans: list[tuple[int, int]] = []
    if first is not None:
        spans.append(first)
        for span in hits:
            if span[0] >= end:
                break
            spans.append((span[0], min(span[1], end)))
    piece = text[start:end].replace("\n", " ").replace("\t", " ")
    return Snippet(start, piece, tuple(spans))


def sort_kwic(lines: list[KwicLine], sort: str) -> list[KwicLine]:
    """Concordance lines by ``position`` (article, then offset: as found), or by the words
    ``left`` of the hit (read backwards from it) or ``right`` of it."""
    if sort == "left":
        lines.sort(key=lambda k: (_context_key(k.left)[::-1], fold(k.match), k.article, k.start))
    elif sort == "right":
        lines.sort(key=lambda k: (fold(k.match), _context_key(k.right), k.article, k.start))
    return lines


def _context_key(text: str) -> list[str]:
    return [fold(w) for w in WORD.findall(text)]
