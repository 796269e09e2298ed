"""The reader's mouse: click to place the cursor, drag to select, double-click a word,
triple-click a paragraph. Mixed into :class:`~.view.Reader`."""

from __future__ import annotations

from textual.events import Click, MouseDown, MouseMove, MouseUp

from . import motions


class Pointing:
    # --- mouse ------------------------------------------------------------------------------

    def _offset_at(self, event) -> int | None:
        if self.layout_ is None:
            return None
        point = event.get_content_offset(self)
        if point is None:
            return None
        return self.layout_.offset_at(int(self.scroll_y) + point.y, point.x)

    def on_mouse_down(self, event: MouseDown) -> None:
        offset = self._offset_at(event)
        if offset is None or event.button != 1:
            return
        self.focus()
        self._dragging = True
        self.capture_mouse()
        self.anchor = offset
        self._set_cursor(offset)

    def on_mouse_move(self, event: MouseMove) -> None:
        if not self._dragging:
            return
        offset = self._offset_at(event)
        if offset is not None and offset != self.cursor:
            self._set_cursor(offset)

    def on_mouse_up(self, event: MouseUp) -> None:
        if not self._dragging:
            return
        self._dragging = False
        self.release_mouse()
        if self.anchor == self.cursor:
            self.anchor = None
            self._refresh_lines()
            self._moved()

    def on_click(self, event: Click) -> None:
        offset = self._offset_at(event)
        if offset is None:
            return
        if event.chain == 2:
            start, end = motions.word_at(self.text, offset)
            if end > start:
                self.select(start, end)
        elif event.chain >= 3:
            start, end = motions.paragraph_at(self.text, offset)
            if end > start:
                self.select(start, end)
