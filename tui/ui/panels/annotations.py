"""The annotations panel: what an :class:`AnnotationFilter` selects (the open article's,
all, one tag, those to review) or the passages two open articles share.

Loading runs in a worker; the panel keeps the annotations it shows, so the app can tell
which one is highlighted without reading the store on the UI thread.
"""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ...errors import GloseError
from ...model import Annotation, AnnotationFilter, tag_colors
from ...sanitize import terminal
from ...wording import short
from ..focus import focus_now
from ..workers import app_of, reply


class AnnotationsPanel(Vertical):
    class AnnotationChosen(Message):
        def __init__(self, annotation: Annotation) -> None:
            super().__init__()
            self.annotation = annotation

    class SharedChosen(Message):
        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    class Loaded(Message):
        """The codebook as read with the list (the app completes tags from it)."""

        def __init__(self, codebook: list) -> None:
            super().__init__()
            self.codebook = codebook

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.filter = AnnotationFilter()
        self.shown: dict[str, Annotation] = {}
        self.coders: dict[str, int] = {}  # every coder, with a count (the filter offers them)
        self.heading = Static(Content("Annotations"), id="annotations-title")
        self.listing = OptionList(id="annotations")

    def compose(self) -> ComposeResult:
        yield self.heading
        yield self.listing

    def highlighted(self) -> Annotation | None:
        option = self.listing.highlighted_option
        return self.shown.get(option.id) if option is not None and option.id else None

    def show(
        self,
        which: AnnotationFilter | None = None,
        *,
        article: str | None = None,
        focus: bool = False,
        where: str | None = None,
    ) -> None:
        """Show ``which`` (default: what it shows now), for the active ``article``, in the
        articles the query ``where`` finds (None: all)."""
        from dataclasses import replace

        self.filter = replace(which or self.filter, article=article, where=where)
        if focus:
            focus_now(self.listing)
        if self.filter.scope == "shared":
            self.app.across.show_shared_list()
            return
        self._load(self.filter)

    @work(thread=True, exclusive=True, group="panel")
    def _load(self, which: AnnotationFilter) -> None:
        app = app_of(self)
        if app is None:
            return
        lib = app.lib
        titles: dict[str, str] = {}
        try:
            anns = lib.annotations.listing(which)
            tags = lib.codebook.tags()
            coders = lib.coders.counts()
            title = which.title(len(anns))
            if which.scope != "article":
                titles = lib.articles.titles(a.article for a in anns)
        except GloseError as exc:
            anns, tags, title, coders = [], [], str(exc), {}
        reply(self, self._show, which, title, anns, tags, titles, coders)

    def _show(
        self,
        which: AnnotationFilter,
        title: str,
        anns: list[Annotation],
        tags: list,
        titles: dict[str, str],
        coders: dict[str, int],
    ) -> None:
        if which != self.filter:
            return  # another list was asked for since
        self.coders = coders
        several = len(coders) > 1  # then each says whose it is
        self.heading.update(Content.styled(terminal(title), "bold"))
        colors = tag_colors(tags)
        kept = self.listing.highlighted_option
        self.shown = {a.id: a for a in anns}
        self.listing.set_options(
            [
                Option(
                    annotation_content(a, colors, titles if which.scope != "article" else None, several),
                    id=a.id,
                )
                for a in anns
            ]
        )
        if anns:  # enter acts on a highlighted annotation, never on nothing
            ids = [a.id for a in anns]
            self.listing.highlighted = ids.index(kept.id) if kept is not None and kept.id in ids else 0
        self.post_message(self.Loaded(tags))

    def show_shared(self, title: str, passages: list[Content]) -> None:
        self.heading.update(Content.styled(terminal(title), "bold"))
        self.shown = {}
        self.listing.set_options([Option(p, id=f"shared:{n}") for n, p in enumerate(passages)])

    @on(OptionList.OptionSelected, "#annotations")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        ident = event.option.id or ""
        if ident.startswith("shared:"):
            self.post_message(self.SharedChosen(int(ident.removeprefix("shared:"))))
        elif ident in self.shown:
            self.post_message(self.AnnotationChosen(self.shown[ident]))


def annotation_content(
    ann: Annotation, colors: dict[str, str], titles: dict[str, str] | None, coder: bool = False
) -> Content:
    """One annotation of the list; ``titles``: say which article it is in (lists that span
    articles), by title; ``coder``: say who made it (there are several coders)."""
    parts: list = [("▌", ann.color(colors))]
    if ann.status != "anchored":
        parts.append((f"{ann.status} ", "bold $warning"))
    parts.append(f"“{short(ann.exact, 70)}”")
    parts += ["\n ", (", ".join(ann.tags) or "no tag", "$text-muted")]
    if coder:
        parts += ["  ", (f"by {terminal(ann.coder) or '?'}", "$text-muted")]
    if titles is not None:
        parts += ["  ", (short(terminal(titles.get(ann.article) or ann.article), 40), "$text-muted italic")]
    if ann.note:
        parts += ["\n ", (short(ann.note, 70), "italic")]
    return Content.assemble(*parts)
