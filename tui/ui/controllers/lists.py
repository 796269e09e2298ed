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

    def refresh(self) -> None:
        self.app.annotations_panel.show(article=self.app.reader.article_id)

    def choose(self) -> None:
        """The filter dialog: type to narrow, enter shows it (loaded when first opened)."""
        from ..screens.choosers import FilterDialog

        app, panel = self.app, self.app.annotations_panel

        def done(which: AnnotationFilter | None) -> None:
            if which is not None:
                panel.show(which, article=app.reader.article_id, focus=True)

        app.push_screen(FilterDialog(app.codebook, panel.coders, panel.filter), done)

    def toggle_all(self) -> None:
        """Every annotation, or back to the open article's."""
        showing_all = self.app.annotations_panel.filter.scope == "all"
        self.scope("article" if showing_all else "all")

    def scope(self, name: str) -> None:
        """``trash``, ``review``, ``shared``, ``all`` or ``article``."""
        self.app.annotations_panel.show(
            AnnotationFilter(name), article=self.app.reader.article_id, focus=True
        )
