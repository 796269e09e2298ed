"""Finding a passage that a person typed or pasted in an article's canonical text.

People copy quotes from a browser or a PDF: curly and straight quote marks differ, line
breaks come back as spaces. Exact matches win; then those differences are forgiven; when
nothing matches, the nearest passages are offered in the message.
"""

from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher

from ..errors import GloseError
from ..wording import counted


class QuoteError(GloseError):
    """A quote that is empty, missing from the article, or ambiguous."""


_LOOSE = str.maketrans(
    {
        "’": "'",
        "‘": "'",
        "ʼ": "'",
        "“": '"',
        "”": '"',
        "«": '"',
        "»": '"',
        "„": '"',
        "\u00a0": " ",
        "\u202f": " ",
    }
)


def _loose(text: str) -> tuple[str, list[int]]:
    """Text with quote marks unified and white space runs folded to one space, plus the
    offset in the original of every character of the result (to map matches back)."""
    out: list[str] = []
    where: list[int] = []
    previous_space = False
    for i, ch in enumerate(text):
        ch = ch.translate(_LOOSE)
        if ch.isspace():
            if previous_space:
                continue
            ch, previous_space = " ", True
        else:
            previous_space = False
        out.append(ch)
        where.append(i)
    return "".join(out), where


def find_quote(text: str, quote: str) -> list[tuple[int, int]]:
    """Every occurrence of ``quote`` in ``text``: exact first; if none, ignoring differences
    of quote marks (’ vs ') and of white space (a line break typed as a space)."""
    quote = unicodedata.normalize("NFC", quote)
    if not quote.strip():
        raise QuoteError("the quote is empty")
    found = []
    at = text.find(quote)
    while at != -1:
        found.append((at, at + len(quote)))
        at = text.find(quote, at + 1)
    if found:
        return found
    loose_text, where = _loose(text)
    loose_quote, _ = _loose(quote.strip())
    at = loose_text.find(loose_quote)
    while at != -1:
        found.append((where[at], where[at + len(loose_quote) - 1] + 1))
        at = loose_text.find(loose_quote, at + 1)
    return found


def nearest_passages(text: str, quote: str, n: int = 3) -> list[str]:
    """The passages of ``text`` most like ``quote``, for a 'did you mean' message."""
    words = [w for w in re.findall(r"\w{4,}", quote.lower())]
    lower = text.lower()
    starts: set[int] = set()
    for word in dict.fromkeys(words):
        offset = quote.lower().find(word)
        at = lower.find(word)
        while at != -1 and len(starts) < 400:
            starts.add(max(0, at - offset))
            at = lower.find(word, at + 1)
    scored = []
    for start in starts:
        piece = text[start : start + len(quote)]
        scored.append((SequenceMatcher(None, quote, piece, autojunk=False).ratio(), start, piece))
    scored.sort(key=lambda s: (-s[0], s[1]))
    result: list[str] = []
    for score, _, piece in scored:
        piece = " ".join(piece.split())
        if score >= 0.5 and piece not in result:
            result.append(piece)
        if len(result) == n:
            break
    return result


def locate_quote(text: str, article_id: str, quote: str, occurrence: int | None) -> tuple[int, int]:
    """The span of the quote's ``occurrence`` (1-based); a clear error when it is missing or
    ambiguous."""
    spans = find_quote(text, quote)
    if not spans:
        near = nearest_passages(text, quote)
        hint = "; nearest: " + " | ".join(f"“{p}”" for p in near) if near else ""
        raise QuoteError(f"the quote is not in {article_id}{hint}")
    if occurrence is None:
        if len(spans) > 1:
            raise QuoteError(
                f"the quote occurs {len(spans)} times in {article_id}: add --occurrence N (1 to {len(spans)})"
            )
        return spans[0]
    if not 1 <= occurrence <= len(spans):
        raise QuoteError(
            f"--occurrence {occurrence}: the quote occurs {counted(len(spans), 'time')} in {article_id}"
        )
    return spans[occurrence - 1]
