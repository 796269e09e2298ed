"""How the screen is shared between the side column and one or two readers.

Two readers side by side are the point of the tool, so they get the width: with two open,
the side column (search, results, annotations) folds away while a reader has the focus and
comes back when the focus goes into it (``/``, ``A``, ``f``, tab) or when ``L`` pins it.
Below :data:`TWO_READERS` columns two readers would be too narrow to read (under 50 columns
each: titles cut, tags broken), so they take the whole width one at a time, the active one
shown, ``tab`` going to the other: a stack of two would leave each about eight lines of text
at 80×24, one at a time keeps full lines and the full height.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.css.query import NoMatches
from textual.widget import Widget

if TYPE_CHECKING:
    from .host import Host

TWO_READERS = 100  # columns from which two readers are side by side (each at least 50 wide)


class Layout:
    def __init__(self, app: Host) -> None:
        self.app = app
        self.pinned = False  # L: the side column stays beside two readers

    @property
    def side(self) -> Widget:
        return self.app.query_one("#side")

    def focus_in_side(self) -> bool:
        focused = self.app.focused
        side = self.app.search_panel.parent
        return focused is not None and side is not None and side in focused.ancestors_with_self

    def side_shown(self) -> bool:
        return not self.app.split or self.pinned or self.focus_in_side()

    def one_at_a_time(self) -> bool:
        return self.app.split and self.app.size.width < TWO_READERS

    def fit(self) -> None:
        """Show the side column and the readers as the state asks (split, focus, width)."""
        app = self.app
        try:
            side = self.side
        except NoMatches:  # the main screen is not composed yet
            return
        side.display = self.side_shown()
        alone = self.one_at_a_time()
        for name, pane in app.reader_panes.items():
            if name == "right" and not app.split:
                pane.display = False
            else:
                pane.display = not alone or name == app.active
            pane.show_place(f"{1 if name == 'left' else 2}/2" if alone else None)
        focused = app.focused
        if focused is not None and focused.parent in app.reader_panes.values() and not focused.parent.display:
            from .focus import focus_now

            focus_now(app.reader)  # the focus never stays on a reader put out of sight

    def toggle_side(self) -> None:
        """L: hide the side column if it shows (the focus goes to the reader), else pin it."""
        app = self.app
        if self.side_shown():
            self.pinned = False
            if self.focus_in_side():
                from .focus import focus_now

                focus_now(app.reader)
        else:
            self.pinned = True
        self.fit()
