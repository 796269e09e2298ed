"""Where tab goes: between the two readers inside them, and from the side column into the reader
just opened (not to whichever comes first on the screen)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..focus import focus_now

if TYPE_CHECKING:
    from ..host import Host


class Tabbing:
    """Where tab goes: between the two readers inside them, and from the side column into the
    reader just opened."""

    def __init__(self, app: Host):
        self.app = app

    def next_pane(self) -> None:
        """tab in a reader: to the other reader when the view is split (never round into the
        search box, where the next command key would be typed), else on along the screen."""
        from ..reader.view import Reader

        app = self.app
        if app.split and isinstance(app.focused, Reader):
            other = "right" if app.active == "left" else "left"
            app.set_active(other)  # shown first: one reader at a time in a narrow terminal
            focus_now(app.pane(other).reader)
        else:
            app.screen.focus_next()

    def step(self, delta: int) -> None:
        """tab from the side column into the readers goes to the active one (the one just
        opened by ``o``), not to whichever comes first on the screen."""
        from ..reader.view import Reader

        app = self.app
        screen = app.screen
        chain, focused = screen.focus_chain, app.focused
        if app.split and focused in chain and app.panes_layout.focus_in_side():
            following = chain[(chain.index(focused) + delta) % len(chain)]
            if isinstance(following, Reader):
                focus_now(app.reader)
                return
        if delta > 0:
            screen.focus_next()
        else:
            screen.focus_previous()
