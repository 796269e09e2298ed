"""How messages say counts and quote passages, in one place: every front end and the store
write "1 annotation", "2 annotations" and a quote cut to one line the same way."""

from __future__ import annotations


def counted(n: int, word: str, plural: str | None = None) -> str:
    """``counted(1, "annotation")`` → ``1 annotation``; ``counted(2, "tag")`` → ``2 tags``."""
    return f"{n:,} {word if n == 1 else plural or word + 's'}"


def short(text: str, width: int) -> str:
    """``text`` on one line, cut to ``width`` characters with an ellipsis."""
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def middle(text: str, width: int) -> str:
    """``text`` cut to ``width`` characters in its middle (``europresse/2026-01…a1b2c3.txt``):
    a file name's start and its end (its date, its distinct tail) both stay."""
    if len(text) <= width:
        return text
    if width < 2:
        return text[:width]
    head = (width - 1) // 2
    return text[:head] + "…" + text[len(text) - (width - 1 - head) :]
