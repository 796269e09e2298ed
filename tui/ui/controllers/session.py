"""Where the coder was: the articles open in each reader, the places in them, the split and the
last query run, put back at launch and kept as they change (per user, never in the workspace:
see :mod:`tui.session`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...api import Session
from ..workers import reply

if TYPE_CHECKING:
    from ..host import Host


class SessionKeeper:
    def __init__(self, app: Host):
        self.app = app

    def restore(self) -> None:
        app = self.app
        app.run_worker(lambda: reply(app, self.apply, app.lib.session()), thread=True, group="session")

    def apply(self, state: Session) -> None:
        """Put back the articles that were open, where they were, and the query."""
        app = self.app
        for pane in app.reader_panes.values():
            pane.positions.update(state.positions)
        if state.query and not app.search_panel.box.value:
            app.search_panel.put_back(state.query)
        if state.left:
            app.pane("left").open(state.left, quiet=True)
        if state.split and state.right:
            app.action_toggle_split()
            app.pane("right").open(state.right, quiet=True)
            if state.active == "left":
                app.set_active("left")

    def state(self) -> Session:
        app = self.app
        positions: dict[str, tuple[int, float]] = {}
        for pane in app.reader_panes.values():
            positions.update(pane.places())
        split, right = app.split, app.pane("right").reader.article_id
        if app.compare.active:  # a relaunch puts back the view the comparison left
            split, right = app.compare.view_before
        return Session(
            left=app.pane("left").reader.article_id,
            right=right if split else None,
            split=split,
            active=app.active if split else "left",
            query=app.search_panel.ran_query,
            positions=positions,
        )

    def save(self) -> None:
        """Keep the session now, in a worker (a reader opened an article)."""
        app, state = self.app, self.state()
        app.run_worker(lambda: app.lib.save_session(state), thread=True, exclusive=True, group="session-save")
