"""Coding once: where a family's copy still holds a passage coded in its source.

The coded passage is aligned in the copy as where-else aligns a passage
(:func:`tui.text.passages.align`): the span of the copy that holds most of its words, in
order. At least :data:`SAME` of them: the copy holds it (exactly or nearly), and the coding is
proposed there. Less: the copy reworded it beyond recognition (:data:`GONE` or more) or cut
it, and nothing is proposed; the reason says which.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..text.passages import align, tokens

SAME = 0.85  # share of the coded passage's words the copy must hold, in order
GONE = 0.4  # below this, the copy cut the passage; between the two, it reworded it


@dataclass(frozen=True)
class Found:
    start: int
    end: int
    similarity: float


def find_coded(passage: str, copy: str) -> Found | str:
    """Where ``copy`` holds ``passage`` (exactly first, else by alignment), or why it does
    not: ``"cut"`` or ``"reworded"`` (with the share found)."""
    at = copy.find(passage)
    if at >= 0 and copy.find(passage, at + 1) < 0:
        return Found(at, at + len(passage), 1.0)
    words = tokens(passage)
    if not words:
        return "cut"
    hit = align(words, copy, k=min(4, max(2, len(words) // 2)))
    if hit is None or hit[2] < GONE:
        if at >= 0:  # only short, repeated passages get here: the first place
            return Found(at, at + len(passage), 1.0)
        return "cut"
    start, end, score = hit
    if score < SAME:
        return f"reworded ({score:.0%} of its words found)"
    return Found(start, end, score)
