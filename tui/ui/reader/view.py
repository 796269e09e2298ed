"""The reader: one article, soft-wrapped, with a cursor, a selection, hits and annotations.

A Line API widget (``ScrollView`` + ``render_line``, as toolong does): only the lines on
screen are rendered, each once until something on it changes (strips are cached per line and
dropped when the marks change), so a 5 MB article or one with 1,000 annotations scrolls
without lag. The text is only ever cut into plain ``Segment``s: nothing in it is markup.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import OrderedDict
from dataclasses import dataclass
from itertools import pairwise

from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding
from textual.color import Color
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from .moving import Moving
from .pointing import Pointing
from .wrap import Layout


@dataclass(frozen=True, slots=True)
class Mark:
    """An annotation as the reader shows it."""

    id: str
    start: int
    end: int
    color: str
    label: str = ""  # tags, for the note bar


class Reader(Moving, Pointing, ScrollView, can_focus=True):
    """Shows one article. Offsets everywhere are code points of the canonical text."""

    COMPONENT_CLASSES = {
        "reader--cursor",
        "reader--selection",
        "reader--hit",
        "reader--shared",
        "reader--disputed",
        "reader--cut",
        "reader--added",
        "reader--reworded",
        "reader--moved",
        "reader--target",
        "reader--placeholder",
    }

    DEFAULT_CSS = """
    Reader {
        background: $surface;
        color: $foreground;
        scrollbar-gutter: stable;
        & > .reader--cursor { background: $accent; color: $background; }
        & > .reader--selection { background: $primary 60%; }
        & > .reader--hit { text-style: bold reverse; }
        & > .reader--shared { text-style: underline; }
        & > .reader--disputed { text-style: bold underline; color: $text-error; }
        & > .reader--cut { text-style: strike; color: $text-error; }
        & > .reader--added { text-style: bold; color: $text-success; }
        & > .reader--reworded { text-style: underline; color: $text-warning; }
        & > .reader--moved { text-style: italic; color: $text-accent; }
        & > .reader--target { text-style: bold underline; }
        & > .reader--placeholder { color: $text-muted; text-style: italic; }
        &:focus { background-tint: $foreground 3%; }
    }
    """

    BINDINGS = [
        Binding("down,j", "move_line(1)", "Down", show=False, id="reader.down"),
        Binding("up,k", "move_line(-1)", "Up", show=False, id="reader.up"),
        Binding("right,l", "move_char(1)", "Right", show=False, id="reader.right"),
        Binding("left,h", "move_char(-1)", "Left", show=False, id="reader.left"),
        Binding("shift+right", "extend('char', 1)", "Extend right", show=False, id="reader.extend-right"),
        Binding("shift+left", "extend('char', -1)", "Extend left", show=False, id="reader.extend-left"),
        Binding("shift+down", "extend('line', 1)", "Extend down", show=False, id="reader.extend-down"),
        Binding("shift+up", "extend('line', -1)", "Extend up", show=False, id="reader.extend-up"),
        Binding("w", "word(1)", "Next word", show=False, id="reader.word-next"),
        Binding("b", "word(-1)", "Previous word", show=False, id="reader.word-prev"),
        Binding("right_parenthesis", "sentence(1)", "Next sentence", show=False, id="reader.sentence-next"),
        Binding(
            "left_parenthesis", "sentence(-1)", "Previous sentence", show=False, id="reader.sentence-prev"
        ),
        Binding(
            "right_curly_bracket", "paragraph(1)", "Next paragraph", show=False, id="reader.paragraph-next"
        ),
        Binding(
            "left_curly_bracket",
            "paragraph(-1)",
            "Previous paragraph",
            show=False,
            id="reader.paragraph-prev",
        ),
        Binding("home,0", "line_edge(-1)", "Line start", show=False, id="reader.line-start"),
        Binding("end,dollar_sign", "line_edge(1)", "Line end", show=False, id="reader.line-end"),
        Binding("pagedown,space", "page(1)", "Page down", show=False, id="reader.page-down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="reader.page-up"),
        Binding("g", "edge(-1)", "Top", show=False, id="reader.top"),
        Binding("G", "edge(1)", "Bottom", show=False, id="reader.bottom"),
        Binding("v", "toggle_selection", "Select", id="reader.select"),
        Binding("V", "select_paragraph", "Select paragraph", show=False, id="reader.select-paragraph"),
        Binding("escape", "clear_selection", "Clear selection", show=False, id="reader.clear"),
        Binding("tab", "app.do('tabbing', 'next_pane')", "Other reader", show=False, id="reader.next-pane"),
        Binding("n", "hit(1)", "Next hit", id="reader.hit-next"),
        Binding("N", "hit(-1)", "Previous hit", show=False, id="reader.hit-prev"),
        Binding(
            "right_square_bracket",
            "mark(1)",
            "Next annotation (in a wire family: next change)",
            show=False,
            id="reader.annotation-next",
        ),
        Binding(
            "left_square_bracket",
            "mark(-1)",
            "Previous annotation (in a wire family: previous change)",
            show=False,
            id="reader.annotation-prev",
        ),
    ]

    class CursorMoved(Message):
        """The cursor or the selection changed (the app updates the note bar)."""

        def __init__(self, reader: Reader) -> None:
            super().__init__()
            self.reader = reader

        @property
        def control(self) -> Reader:
            return self.reader

    CACHE_LINES = 512

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None):
        super().__init__(name=name, id=id, classes=classes)
        self.article_id: str | None = None
        self.text = ""
        self.placeholder = "Search on the left, then press enter to open an article."
        self.layout_: Layout | None = None
        self.cursor = 0
        self.anchor: int | None = None  # selection anchor; the selection runs to the cursor
        self.marks: list[Mark] = []
        self._mark_starts: list[int] = []
        self._longest_mark = 0
        self.hits: list[tuple[int, int]] = []
        self.shared: list[tuple[int, int]] = []
        self.disputed: list[tuple[int, int]] = []  # where the coders compared disagree
        # a wire family's copy beside its source: (start, end, cut|added|reworded|moved)
        self.changes: list[tuple[int, int, str]] = []
        self._cache: OrderedDict[int, Strip] = OrderedDict()
        self._dragging = False
        # What a jump landed on: shown (not selected) until the cursor moves, and kept in the
        # middle of the reader while its height settles (the note bar opens under it, the
        # first layout of a relaunch comes after the jump).
        self.target: tuple[int, int] | None = None
        self._revealing: tuple[int, int] | None = None
        self._restore: float | None = None  # a scroll to put back once the reader has a size
        self._height = 0

    # --- content ----------------------------------------------------------------------------

    def load(self, article_id: str, text: str, *, cursor: int = 0, scroll_y: float = 0) -> None:
        self.article_id = article_id
        self.text = text
        self.cursor = min(cursor, len(text))
        self.anchor = None
        self.target = self._revealing = None
        self.hits = []
        self.shared = []
        self.disputed = []
        self.changes = []
        self._relayout()
        self._restore = scroll_y
        self._apply_restore()
        self._moved()

    def _apply_restore(self) -> None:
        """Put back the scroll a reader had on this article, once the reader has a size (a
        reader shown by a split has none yet); with the cursor in view whatever the width."""
        if self._restore is None or not self._visible_height():
            return
        self.scroll_to(y=self._restore, animate=False, immediate=True, force=True)
        self._restore = None
        if self.cursor and not self._in_view(self.cursor, self.cursor):
            self._revealing = (self.cursor, self.cursor)
            self._center()

    def clear(self, placeholder: str | None = None) -> None:
        self.article_id = None
        self.text = ""
        if placeholder:
            self.placeholder = placeholder
        self.marks, self.hits, self.shared, self.disputed, self.changes = [], [], [], [], []
        self._relayout()

    def set_marks(self, marks: list[Mark]) -> None:
        self.marks = sorted(marks, key=lambda m: (m.start, m.end))
        self._mark_starts = [m.start for m in self.marks]
        self._longest_mark = max((m.end - m.start for m in self.marks), default=0)
        self._refresh_lines()
        self._moved()

    def set_hits(self, hits: list[tuple[int, int]]) -> None:
        self.hits = sorted(hits)
        self._refresh_lines()

    def set_shared(self, spans: list[tuple[int, int]]) -> None:
        self.shared = sorted(spans)
        self._refresh_lines()

    def set_disputed(self, spans: list[tuple[int, int]]) -> None:
        self.disputed = sorted(spans)
        self._refresh_lines()

    def set_changes(self, changes: list[tuple[int, int, str]]) -> None:
        """What a wire family's copy changed, marked (``]``/``[`` then step through them)."""
        self.changes = sorted(changes)
        self._refresh_lines()

    @property
    def selection(self) -> tuple[int, int] | None:
        if self.anchor is None or self.anchor == self.cursor:
            return None
        return min(self.anchor, self.cursor), max(self.anchor, self.cursor)

    @property
    def passage(self) -> tuple[int, int] | None:
        """What ``a`` and ``W`` act on: the selection, else the passage a jump landed on (a
        concordance line, a where-else place) unless that is an annotation already."""
        if self.selection is not None:
            return self.selection
        if self.target is None:
            return None
        if any((m.start, m.end) == self.target for m in self.marks_at(self.target[0])):
            return None
        return self.target

    def select(self, start: int, end: int) -> None:
        """Select ``[start, end)`` and show it."""
        self.anchor, self.cursor = start, end
        self.target = self._revealing = None
        self._refresh_lines()
        self._show(start)
        self._moved()

    def marks_at(self, offset: int) -> list[Mark]:
        """Annotations covering ``offset``, innermost (shortest) first."""
        found = [m for m in self._marks_between(offset, offset + 1) if m.start <= offset < m.end]
        return sorted(found, key=lambda m: m.end - m.start)

    def reveal(self, start: int, end: int | None = None, *, keep_if_visible: bool = False) -> None:
        """Jump to ``[start, end)``: the cursor on its start, no selection, the span marked and
        in the middle of the reader (its first lines when taller). ``keep_if_visible``: do not
        scroll when it is already in full view (``n``, ``]``: reading on, not jumping away)."""
        start = min(max(0, start), len(self.text))
        end = start if end is None else min(max(start, end), len(self.text))
        self.anchor = None
        self.cursor = start
        self.target = (start, end) if end > start else None
        if not (keep_if_visible and self._in_view(start, end)):
            self._revealing = (start, end)
            self._center()
        self._refresh_lines()
        self._moved()

    def _visible_height(self) -> int:
        return self.scrollable_content_region.height or self.size.height

    def _lines_of(self, start: int, end: int) -> tuple[int, int]:
        """The first and last wrapped lines of ``[start, end)`` (a caret: its own line)."""
        return self.layout_.line_of(start), self.layout_.line_of(max(start, end - 1))

    def _in_view(self, start: int, end: int) -> bool:
        if self.layout_ is None:
            return False
        height = self._visible_height()
        first, last = self._lines_of(start, end)
        return bool(height) and self.scroll_y <= first and last < self.scroll_y + height

    def _center(self) -> None:
        if self.layout_ is None or self._revealing is None:
            return
        height = self._visible_height()
        if not height:
            return  # not laid out yet: on_resize centres it
        first, last = self._lines_of(*self._revealing)
        lines = last - first + 1
        top = first - (height - lines) // 2 if lines < height else first - min(2, height // 4)
        self.scroll_to(y=max(0, top), animate=False, immediate=True, force=True)

    @property
    def scroll_state(self) -> tuple[int, float]:
        return self.cursor, self.scroll_y

    # --- layout -----------------------------------------------------------------------------

    def _text_width(self) -> int:
        return max(10, self.scrollable_content_region.width or self.size.width or 80)

    def _relayout(self) -> None:
        self.layout_ = Layout(self.text, self._text_width()) if self.text else None
        self._size_virtually()
        self._refresh_lines()

    def _size_virtually(self) -> None:
        """The text's lines and half a screen more: a jump to the last paragraph can bring it
        to the middle, above the note bar, as editors scroll past the end. Half the terminal,
        not of the reader: the reader's height changes with the note bar under it, and a size
        taken at one of those moments left the scrollbar drawn for another."""
        margin = (self.app.size.height if self.is_attached else self._visible_height()) // 2
        lines = len(self.layout_) + margin if self.layout_ else 1
        self.virtual_size = Size(self._text_width(), lines)

    def on_resize(self) -> None:
        line = self.layout_.line_of(self.cursor) if self.layout_ is not None else 0
        was_visible = self.scroll_y <= line < self.scroll_y + self._height
        if self.layout_ is None or self.layout_.width != self._text_width():
            self._relayout()
        else:
            self._size_virtually()
        if not self.text:
            return
        if self._restore is not None:
            self._apply_restore()
        elif self._revealing is not None:
            self._center()
        elif was_visible or self._height == 0:
            # the note bar opening must not hide the cursor, nor the passage it tells of
            self._show_span(*self._span_at_cursor())
        self._height = self._visible_height()

    def _span_at_cursor(self) -> tuple[int, int]:
        """The passage the note bar tells of: the selection, the annotation under the
        cursor, the passage a jump marked, or just the cursor."""
        marks = self.marks_at(self.cursor)
        span = self.selection or self.target or ((marks[0].start, marks[0].end) if marks else None)
        return span or (self.cursor, self.cursor)

    def _show_span(self, start: int, end: int) -> None:
        """Scroll as little as needed for ``[start, end)`` to be in view; its start first
        when it is taller than the reader."""
        if self.selection is not None:  # the cursor is one end of it: that end wins
            other = start if self.cursor >= end else max(start, end - 1)
            self._show(other)
            self._show(self.cursor)
            return
        self._show(max(start, end - 1))
        self._show(start)

    def _refresh_lines(self) -> None:
        self._cache.clear()
        self.refresh()

    # --- rendering --------------------------------------------------------------------------

    def _marks_between(self, start: int, end: int) -> list[Mark]:
        lo = bisect_left(self._mark_starts, start - self._longest_mark)
        hi = bisect_left(self._mark_starts, end)
        return [m for m in self.marks[lo:hi] if m.end > start and m.start < end]

    @staticmethod
    def _spans_between(spans: list[tuple[int, int]], start: int, end: int) -> list[tuple[int, int]]:
        lo = bisect_left(spans, (start - 100_000, 0))
        out = []
        for s, e in spans[lo:]:
            if s >= end:
                break
            if e > start:
                out.append((s, e))
        return out

    def render_line(self, y: int) -> Strip:
        index = int(self.scroll_y) + y
        width = self.size.width
        base = self.rich_style
        if self.layout_ is None:
            if y == 1:
                style = self.get_component_rich_style("reader--placeholder")
                return Strip(
                    [Segment(" " + self.placeholder[: max(0, width - 2)], style)]
                ).adjust_cell_length(width, base)
            return Strip.blank(width, base)
        if index >= len(self.layout_):
            return Strip.blank(width, base)
        cached = self._cache.get(index)
        if cached is not None and cached.cell_length == width:
            self._cache.move_to_end(index)
            return cached
        strip = self._render_text_line(index, width, base)
        self._cache[index] = strip
        while len(self._cache) > self.CACHE_LINES:
            self._cache.popitem(last=False)
        return strip

    def _cursor_line(self) -> int:
        return self.layout_.line_of(self.cursor) if self.layout_ else -1

    def _render_text_line(self, index: int, width: int, base: Style) -> Strip:
        start, end = self.layout_.lines[index]
        text = self.text
        cuts = {start, end}
        marks = self._marks_between(start, end)
        hits = self._spans_between(self.hits, start, end)
        shared = self._spans_between(self.shared, start, end)
        disputed = self._spans_between(self.disputed, start, end)
        changes = [c for c in self.changes if c[0] < end and c[1] > start]
        sel = self.selection
        for m in marks:
            cuts.update((max(start, m.start), min(end, m.end)))
        for s, e in (
            hits + shared + disputed + [c[:2] for c in changes] + ([self.target] if self.target else [])
        ):
            cuts.update((max(start, s), min(end, e)))
        if sel:
            cuts.update((max(start, min(sel[0], end)), min(end, max(sel[1], start))))
        show_cursor = start <= self.cursor < end or (self.cursor == end and self._cursor_line() == index)
        if start <= self.cursor < end:
            cuts.update((self.cursor, self.cursor + 1))
        points = sorted(p for p in cuts if start <= p <= end)
        background = Color.from_rich_color(base.bgcolor) if base.bgcolor else Color(0, 0, 0)
        hit_style = self.get_component_rich_style("reader--hit")
        shared_style = self.get_component_rich_style("reader--shared")
        # Partial: over an annotation's tint, not the reader's background in its place.
        disputed_style = self.get_component_rich_style("reader--disputed", partial=True)
        target_style = self.get_component_rich_style("reader--target")
        sel_style = self.get_component_rich_style("reader--selection")
        cursor_style = (
            self.get_component_rich_style("reader--cursor") if self.has_focus else Style(reverse=True)
        )
        segments: list[Segment] = []
        for a, b in pairwise(points):
            if a == b:
                continue
            style = base
            covering = [m for m in marks if m.start <= a < m.end]
            if covering:
                inner = min(covering, key=lambda m: m.end - m.start)
                tint = background.blend(Color.parse(inner.color), 0.55 if len(covering) == 1 else 0.8)
                style += Style(bgcolor=tint.rich_color, underline=len(covering) > 1)
            if any(s <= a < e for s, e in shared):
                style += shared_style
            if any(s <= a < e for s, e in disputed):
                style += disputed_style
            for s, e, kind in changes:
                if s <= a < e:
                    style += self.get_component_rich_style(f"reader--{kind}", partial=True)
            if any(s <= a < e for s, e in hits):
                style += hit_style
            if self.target is not None and self.target[0] <= a < self.target[1]:
                style += target_style
            if sel and sel[0] <= a < sel[1]:
                style += sel_style
            if a == self.cursor and self.article_id is not None:
                style += cursor_style
            segments.append(Segment(text[a:b].replace("\t", " "), style))
        strip = Strip(segments)
        if show_cursor and self.cursor == end:
            strip = Strip([*segments, Segment(" ", cursor_style)])
        return strip.adjust_cell_length(width, base)

    def on_mouse_scroll_down(self) -> None:
        self._revealing = None  # the reader scrolls where the wheel takes it

    def on_mouse_scroll_up(self) -> None:
        self._revealing = None

    def on_focus(self) -> None:
        self._refresh_lines()

    def on_blur(self) -> None:
        self._refresh_lines()
