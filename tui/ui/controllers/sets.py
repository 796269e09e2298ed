"""Sets in the reader: the command palette lists the saved sets (choosing one searches it,
``set:NAME``), and one key saves the search on screen as a set, named in a prompt that stays
open, with what was typed, when the name is refused."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from ...sanitize import terminal
from ...wording import counted, short
from ..workers import in_worker

if TYPE_CHECKING:
    from ..host import Host


class Sets:
    def __init__(self, app: Host):
        self.app = app
        self.known: list = []  # the sets (name, query, frozen), as last read by a worker

    def load(self) -> None:
        """Read the sets again (at start, after a change here or by another glose)."""
        in_worker(self.app, self.app.lib.sets.all, self._loaded, group="sets", exclusive=True)

    def _loaded(self, found: list) -> None:
        self.known = found

    def commands(self) -> Iterator[tuple[str, str, str]]:
        """(palette title, help, set name) of each set. The palette reads both as markup: a
        name has no bracket (see :func:`tui.store.sets.set_name`), a query is escaped."""
        from textual.markup import escape

        for kept in self.known:
            kind = "the articles kept when frozen" if kept.frozen else "run again now"
            about = escape(terminal(short(kept.query, 60)))
            yield f"Set: {kept.name}", f"Search set:{kept.name} ({kind}): {about}", kept.name

    def search(self, name: str) -> None:
        """Show the set's articles in the results, as if ``set:NAME`` had been typed."""
        panel = self.app.search_panel
        panel.put_back(f"set:{name}")
        panel.box.focus()

    def save(self) -> None:
        """Save the search on screen (its query, run again each time) as a set."""
        from ..screens.dialogs import PromptDialog

        app = self.app
        query = (app.search_panel.shown_query or "").strip()
        if not query:
            app.notify("type a search first: the set keeps its query (set:NAME then finds the same)")
            return
        names = [s.name for s in self.known]

        def done(made) -> None:
            if made:
                app.notify(f"saved set {made.name}: set:{made.name} in any search (u takes it back)")
                self.load()

        app.push_screen(
            PromptDialog(
                f"Save the search “{short(query, 50)}” as the set",
                "",
                help="A letter or digit first, then letters, digits, _ - or . "
                f"({counted(len(names), 'set')} so far: a name in use is replaced)",
                suggestions=names,
                submit=lambda name: app.lib.sets.save(name, query),
            ),
            done,
        )
