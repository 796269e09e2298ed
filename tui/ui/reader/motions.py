"""Cursor motions over a text: words, sentences, paragraphs (pure functions, no Textual).

Offsets are caret positions (between characters). Extending a selection by a word moves the
caret to the end of the next word, so ``v`` then ``w w`` selects two whole words.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_SENTENCE_END = re.compile(r"[.!?…]+[»”\"')\]]*(?=\s|$)|\n")


def word_end(text: str, pos: int) -> int:
    """End of the word at or after ``pos``."""
    m = _WORD.search(text, pos)
    return m.end() if m else len(text)


def word_start_after(text: str, pos: int) -> int:
    """Start of the next word after the one ``pos`` is in."""
    for m in _WORD.finditer(text, pos):
        if m.start() > pos:
            return m.start()
    return len(text)


def word_start_before(text: str, pos: int) -> int:
    """Start of the word before ``pos`` (or of the word ``pos`` is inside)."""
    best = 0
    for m in _WORD.finditer(text, max(0, pos - 200), pos):
        if m.start() < pos:
            best = m.start()
    if best == 0 and pos > 200:
        starts = [m.start() for m in _WORD.finditer(text, 0, pos)]
        return starts[-1] if starts else 0
    return best


def word_at(text: str, pos: int) -> tuple[int, int]:
    """The word containing ``pos`` (for a double click), or (pos, pos)."""
    for m in _WORD.finditer(text, max(0, pos - 100), min(len(text), pos + 100)):
        if m.start() <= pos < m.end():
            return m.start(), m.end()
    return pos, pos


def sentence_end(text: str, pos: int) -> int:
    """End of the sentence at ``pos`` (after its final punctuation and closing quotes)."""
    m = _SENTENCE_END.search(text, pos + 1 if pos < len(text) and text[pos] in ".!?…" else pos)
    if m is None:
        return len(text)
    return m.start() if m.group() == "\n" else m.end()


def sentence_start(text: str, pos: int) -> int:
    """Start of the sentence before ``pos``."""
    limit = max(0, pos - 1)
    starts = [0]
    for m in _SENTENCE_END.finditer(text, max(0, pos - 2000), limit):
        after = m.end()
        while after < len(text) and text[after].isspace():
            after += 1
        if after < limit:
            starts.append(after)
    return starts[-1]


def paragraph_end(text: str, pos: int) -> int:
    newline = text.find("\n", pos + 1 if pos < len(text) and text[pos] == "\n" else pos)
    return len(text) if newline == -1 else newline


def paragraph_start(text: str, pos: int) -> int:
    newline = text.rfind("\n", 0, max(0, pos - 1))
    return 0 if newline == -1 else newline + 1


def paragraph_at(text: str, pos: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return start, len(text) if end == -1 else end
