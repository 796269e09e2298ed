"""Moving the focus at once, for keys typed in a burst.

``Widget.focus()`` moves the focus after the messages already queued, and the app forwards
queued keys to whatever has the focus *now*: a coder typing ``/`` then a query quickly would
see the query's first letters run as the reader's commands. Key-driven focus moves go
through :func:`focus_now`, which sets the screen's focus before the next key is handled.
"""

from __future__ import annotations

from textual.widget import Widget


def focus_now(widget: Widget) -> None:
    widget.screen.set_focus(widget)
