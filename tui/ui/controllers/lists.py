"""What the annotations list shows: the open article's, all, a filter chosen in a dialog (a
view, the trash, a tag, a coder), the review list, the passages two articles share
(``do('lists', …)`` from the keys and the palette)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...model import AnnotationFilter

if TYPE_CHECKING:
    from ..host import Host


class Lists:
    def __init__(self, app: Host):
        self.app = app
        self.following = False  # the list (and the codebook) keep to the search's articles

    def refresh(self) -> None:
        self.app.annotations_panel.show(article=self.app.reader.article_id, where=self.where())

    def where(self) -> str | None:
        """The query the lists keep to: the search on screen, when following it (an empty
        search: every article, no narrowing)."""
        query = (self.app.search_panel.shown_query or "").strip()
        return query if self.following and query else None

    def toggle_follow(self) -> None:
        """The annotations list, and the codebook's counts, matrix and chart, keep to the
        articles of the search on screen (and follow it as it changes), or not (toggle)."""
        self.following = not self.following
        self.refresh()
        self.app.notify(
            "the annotations list and the codebook follow the search"
            if self.following
            else "the annotations list and the codebook no longer follow the search",
            timeout=3,
        )

    def searched(self) -> None:
        """Other results are on screen: a list following the search shows their articles'."""
        if self.following:
            self.refresh()

    def choose(self) -> None:
        """The filter dialog: type to narrow, enter shows it (loaded when first opened)."""
        from ..screens.choosers import FilterDialog

        app, panel = self.app, self.app.annotations_panel

        def done(which: AnnotationFilter | None) -> None:
            if which is not None:
                panel.show(which, article=app.reader.article_id, focus=True, where=self.where())

        app.push_screen(FilterDialog(app.codebook, panel.coders, panel.filter), done)

    def toggle_all(self) -> None:
        """Every annotation, or back to the open article's."""
        showing_all = self.app.annotations_panel.filter.scope == "all"
        self.scope("article" if showing_all else "all")

    def scope(self, name: str) -> None:
        """``trash``, ``review``, ``shared``, ``all`` or ``article``."""
        self.app.annotations_panel.show(
            AnnotationFilter(name), article=self.app.reader.article_id, focus=True, where=self.where()
        )
