"""Where the coder was: the articles open in each reader, the places in them, the split and the
last query run, put back at launch and kept as they change (per user, never in the workspace:
see :mod:`tui.session`).

The view is put back before the first key is handled, in two steps. At mount (before the first
screen) the split, the reader that has the keys and the focus, from one small local file: a key
pressed in the first second goes where it will stay, never to a layout the session then
changes under it (the session used to come back from a worker, toggling the split and the
active reader after the coder's first tab). Once the first screen is drawn, the articles load
in workers, into their readers, without moving the focus: an article the coder opened
meanwhile wins (the reader shows the latest load asked of it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...api import Session
from ..focus import focus_now

if TYPE_CHECKING:
    from ..host import Host
    from ..reader.pane import ReaderPane


class SessionKeeper:
    def __init__(self, app: Host):
        self.app = app
        self._state = Session()
        self._gone: set[str] = set()  # the readers whose article from the session is gone

    def restore(self) -> None:
        """The layout, at mount: the split, the active reader, the focus on it if an article
        comes back there."""
        app = self.app
        self._state = state = app.lib.session()
        for pane in app.reader_panes.values():
            pane.positions.update(state.positions)
        if state.split and state.right:
            app.action_toggle_split()  # the right reader active and focused
            if state.active == "left":
                app.set_active("left")
                focus_now(app.pane("left").reader)
        elif state.left:
            focus_now(app.pane("left").reader)

    def reopen(self) -> None:
        """The articles and the query, once the first screen is drawn (the workers' threads
        would hold the interpreter while it is)."""
        app, state = self.app, self._state
        if state.query and not app.search_panel.box.value:
            app.search_panel.put_back(state.query)
        # not into a reader the coder already asked for an article (enter typed at once)
        if state.left and app.pane("left").untouched():
            app.pane("left").open(state.left, restored=True)
        if state.split and state.right and app.pane("right").untouched():
            app.pane("right").open(state.right, restored=True)

    def lost(self, pane: ReaderPane) -> None:
        """The session's article in ``pane`` is gone: an empty reader keeps neither the focus
        nor the screen (one reader at a time in a narrow terminal). The other reader takes
        them if it has an article or is loading the session's other one; else the search box,
        as on a first launch."""
        app = self.app
        self._gone.add(pane.id)
        if pane.reader.article_id is not None or app.focused is not pane.reader:
            return  # the coder opened another article there, or moved on
        other = app.pane("right" if pane.id == "left" else "left")
        state = self._state
        coming = other.id not in self._gone and (state.right if other.id == "right" else state.left)
        if app.split and (other.reader.article_id is not None or coming):
            app.set_active(other.id)
            focus_now(other.reader)
        else:
            focus_now(app.search_panel.box)

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
