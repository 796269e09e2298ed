"""An option list whose options are one row each, laid out without measuring them, and whose
rows are made when first drawn.

Textual's ``OptionList`` measures every option's height (wrapping its text) when options are
set and again for its own height: 20,000 concordance lines held the UI thread for 3-4 s, and
making their text took as long again. A concordance line is one row by construction (cut to
the width, not wrapped), so the heights are known: this list takes them as 1, and a
:class:`RowOption` makes its text only when it is drawn. Everything else is ``OptionList``'s
(keys, mouse, highlighting, ``OptionSelected``).
"""

from __future__ import annotations

from collections.abc import Callable

from textual.content import Content
from textual.geometry import Size
from textual.widgets import OptionList
from textual.widgets.option_list import Option


class RowOption(Option):
    """An option whose text ``make()`` returns, called once, when the row is first drawn."""

    def __init__(self, make: Callable[[], Content], id: str | None = None) -> None:
        super().__init__("", id=id)
        self._make: Callable[[], Content] | None = make

    @property
    def prompt(self) -> Content:
        if self._make is not None:
            self._prompt, self._make = self._make(), None
        return self._prompt

    def _set_prompt(self, prompt) -> None:
        self._make = None  # what replace_option_prompt gives wins over what was to be made
        super()._set_prompt(prompt)


class OneRowOptionList(OptionList):
    def _update_lines(self) -> None:
        if not self.scrollable_content_region:
            return
        cache = self._line_cache
        lines = cache.lines
        for index in range(lines[-1][0] + 1 if lines else 0, len(self.options)):
            cache.index_to_line[index] = len(lines)
            cache.heights[index] = 1
            lines.append((index, 0))
        size = Size(self.scrollable_content_region.width - self._get_left_gutter_width(), len(lines))
        if size != self.virtual_size:
            self.virtual_size = size
            self._scroll_update(size)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.options)
