"""Soft-wrapping a text into screen lines, as (start, end) offsets into the text.

Kept apart from the widget (and free of Textual) so it is tested alone and stays fast: a 5 MB
article wraps in well under a second because each line costs one ``rfind`` for a space; only
paragraphs holding double-width characters (CJK, emoji) take the cell-by-cell path.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from rich.cells import cell_len, get_character_cell_size

# Characters that may take two cells (East Asian wide/fullwidth, emoji) or none (combining).
_NOT_SIMPLE = re.compile(
    "[\u0300-\u036f\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\U0001f000-\U0010ffff\u200b-\u200f\t]"
)


def wrap(text: str, width: int) -> list[tuple[int, int]]:
    """Screen lines of ``text`` at ``width`` cells: paragraphs split on newlines, long ones
    broken after the last space that fits (or mid-word when a word is longer than a line).
    The space a line breaks at belongs to no line; every other character belongs to one."""
    width = max(1, width)
    lines: list[tuple[int, int]] = []
    pos, n = 0, len(text)
    while True:
        newline = text.find("\n", pos)
        end = n if newline == -1 else newline
        if _NOT_SIMPLE.search(text, pos, end):
            _wrap_cells(text, pos, end, width, lines)
        else:
            _wrap_simple(text, pos, end, width, lines)
        if newline == -1:
            return lines
        pos = newline + 1


def _wrap_simple(text: str, start: int, end: int, width: int, out: list[tuple[int, int]]) -> None:
    i = start
    while end - i > width:
        cut = text.rfind(" ", i + 1, i + width + 1)
        if cut == -1:
            out.append((i, i + width))
            i += width
        else:
            out.append((i, cut))
            i = cut + 1
    out.append((i, end))


def _wrap_cells(text: str, start: int, end: int, width: int, out: list[tuple[int, int]]) -> None:
    i = start
    while True:
        cells, j, last_space = 0, i, -1
        while j < end:
            size = 1 if text[j] == "\t" else get_character_cell_size(text[j])
            if cells + size > width and j > i:
                break
            if text[j] == " ":
                last_space = j
            cells += size
            j += 1
        if j >= end:
            out.append((i, end))
            return
        if last_space > i:
            out.append((i, last_space))
            i = last_space + 1
        else:
            out.append((i, j))
            i = j


class Layout:
    """The wrapped lines of one text at one width, with offset ↔ line lookups."""

    def __init__(self, text: str, width: int):
        self.text = text
        self.width = width
        self.lines = wrap(text, width)
        self.starts = [s for s, _ in self.lines]

    def __len__(self) -> int:
        return len(self.lines)

    def line_of(self, offset: int) -> int:
        """The line showing ``offset`` (a break space shows at the end of the line before)."""
        return max(0, bisect_right(self.starts, offset) - 1)

    def column_of(self, offset: int) -> int:
        start, _ = self.lines[self.line_of(offset)]
        return cell_len(self.text[start:offset].replace("\t", " "))

    def offset_at(self, line: int, column: int) -> int:
        """The offset shown at (line, column), clamped to the line."""
        line = min(max(0, line), len(self.lines) - 1)
        start, end = self.lines[line]
        cells = 0
        for i in range(start, end):
            cells += 1 if self.text[i] == "\t" else get_character_cell_size(self.text[i])
            if cells > column:
                return i
        return end
