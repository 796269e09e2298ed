"""The reader's keyboard: the cursor, motions by character, word, sentence, paragraph, page,
the selection they extend, and jumps between hits and annotations. Mixed into
:class:`~.view.Reader`, whose text, layout and cursor it moves."""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from textual.actions import SkipAction

from . import motions


class Moving:
    # --- cursor -----------------------------------------------------------------------------

    def _set_cursor(self, offset: int, *, extend: bool = False) -> None:
        offset = min(max(0, offset), len(self.text))
        if extend and self.anchor is None:
            self.anchor = self.cursor
        self.cursor = offset
        self.target = self._revealing = None
        self._refresh_lines()
        self._show(offset)
        self._moved()

    def _show(self, offset: int) -> None:
        if self.layout_ is None:
            return
        line = self.layout_.line_of(offset)
        height = self.scrollable_content_region.height or self.size.height or 1
        if line < self.scroll_y:
            self.scroll_to(y=line, animate=False, immediate=True, force=True)
        elif line >= self.scroll_y + height:
            self.scroll_to(y=line - height + 1, animate=False, immediate=True, force=True)

    def _moved(self) -> None:
        self.post_message(self.CursorMoved(self))

    @property
    def _extending(self) -> bool:
        return self.anchor is not None

    def action_move_char(self, delta: int) -> None:
        self._set_cursor(self.cursor + delta, extend=self._extending)

    def action_move_line(self, delta: int) -> None:
        if self.layout_ is None:
            return
        line = self.layout_.line_of(self.cursor)
        column = self.layout_.column_of(self.cursor)
        self._set_cursor(self.layout_.offset_at(line + delta, column), extend=self._extending)

    def action_extend(self, unit: str, delta: int) -> None:
        if self.anchor is None:
            self.anchor = self.cursor
        if unit == "char":
            self.action_move_char(delta)
        else:
            self.action_move_line(delta)

    def action_word(self, delta: int) -> None:
        if delta > 0:
            target = (
                motions.word_end(self.text, self.cursor)
                if self._extending
                else motions.word_start_after(self.text, self.cursor)
            )
        else:
            target = motions.word_start_before(self.text, self.cursor)
        self._set_cursor(target, extend=self._extending)

    def action_sentence(self, delta: int) -> None:
        if delta > 0:
            target = motions.sentence_end(self.text, self.cursor)
            if not self._extending:
                target = (
                    motions.word_start_after(self.text, target - 1) if target < len(self.text) else target
                )
        else:
            target = motions.sentence_start(self.text, self.cursor)
        self._set_cursor(target, extend=self._extending)

    def action_paragraph(self, delta: int) -> None:
        if delta > 0:
            target = motions.paragraph_end(self.text, self.cursor)
            if not self._extending:
                target = min(len(self.text), target + 1)
                while target < len(self.text) and self.text[target] == "\n":
                    target += 1
        else:
            target = motions.paragraph_start(self.text, self.cursor)
        self._set_cursor(target, extend=self._extending)

    def action_line_edge(self, direction: int) -> None:
        if self.layout_ is None:
            return
        start, end = self.layout_.lines[self.layout_.line_of(self.cursor)]
        self._set_cursor(end if direction > 0 else start, extend=self._extending)

    def action_page(self, direction: int) -> None:
        height = max(1, (self.scrollable_content_region.height or 10) - 1)
        if self.layout_ is None:
            return
        line = self.layout_.line_of(self.cursor) + direction * height
        self._set_cursor(
            self.layout_.offset_at(line, self.layout_.column_of(self.cursor)), extend=self._extending
        )
        self.scroll_to(
            y=max(0, self.layout_.line_of(self.cursor) - height // 2), animate=False, immediate=True
        )

    def action_edge(self, direction: int) -> None:
        self._set_cursor(len(self.text) if direction > 0 else 0, extend=self._extending)

    def action_toggle_selection(self) -> None:
        if self.anchor is None:
            self.anchor = self.cursor
        else:
            self.anchor = None
        self._refresh_lines()
        self._moved()

    def action_select_paragraph(self) -> None:
        start, end = motions.paragraph_at(self.text, self.cursor)
        if end > start:
            self.select(start, end)

    def action_clear_selection(self) -> None:
        """Drop the selection (or the mark a jump left). Never leaves the reader: the next
        command key would land in the search box (``/`` and ``tab`` go there). With nothing
        to clear, escape goes on to the app (leaving the comparison of coders)."""
        if self.anchor is None and self.target is None:
            raise SkipAction()
        self.anchor = self.target = None
        self._refresh_lines()
        self._moved()

    def _jump(self, spans: list[tuple[int, int]], delta: int, what: str) -> None:
        if not spans:
            self.app.bell()
            self.notify(f"no {what} in this article", timeout=2, markup=False)
            return
        starts = [s for s, _ in spans]
        if delta > 0:
            i = bisect_right(starts, self.cursor)
            i = i if i < len(spans) else 0
        else:
            i = bisect_left(starts, self.cursor) - 1
            i = i if i >= 0 else len(spans) - 1
        self.reveal(*spans[i], keep_if_visible=True)

    def action_hit(self, delta: int) -> None:
        self._jump(self.hits, delta, "hits of the search")

    def action_mark(self, delta: int) -> None:
        """The next annotation; beside a wire family's source (the family view), the next
        change the copy made instead (what that view is read for)."""
        if self.changes:
            self._jump([(s, e) for s, e, _ in self.changes], delta, "changes")
            return
        self._jump([(m.start, m.end) for m in self.marks], delta, "annotations")
