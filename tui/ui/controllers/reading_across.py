"""Reading across articles from the reader: the passages two open articles share (marked in
both, listed, jumped between), the concordance of a search, and where else a passage appears.
A controller of the app (not a widget), like :mod:`.coding`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.content import Content

from ...wording import counted, short
from ..workers import in_worker, reply

if TYPE_CHECKING:
    from ..host import Host


class Across:
    def __init__(self, app: Host) -> None:
        self.app = app
        self.spans: list = []  # passages the two open articles share (passages.SharedSpan)

    # --- shared passages ---------------------------------------------------------------------

    def update(self) -> None:
        left, right = self.app.pane("left").reader, self.app.pane("right").reader
        if (
            not self.app.split
            or self.app.compare.active  # one article twice: it shares everything with itself
            or self.app.families.active  # a copy beside its source: the changes are marked instead
            or left.article_id is None
            or right.article_id is None
        ):
            self.spans = []
            left.set_shared([])
            right.set_shared([])
            return
        self._compute_shared(left.article_id, left.text, right.article_id, right.text)

    def _compute_shared(self, a_id: str, a_text: str, b_id: str, b_text: str) -> None:
        app = self.app

        def work() -> None:
            spans = app.lib.passages.shared_texts(a_text, b_text)
            reply(app, self._show_shared, a_id, b_id, spans)

        app.run_worker(work, thread=True, exclusive=True, group="shared")

    def _show_shared(self, a_id: str, b_id: str, spans) -> None:
        left, right = self.app.pane("left").reader, self.app.pane("right").reader
        if (left.article_id, right.article_id) != (a_id, b_id):
            return
        self.spans = spans
        left.set_shared([(s.a_start, s.a_end) for s in spans])
        right.set_shared([(s.b_start, s.b_end) for s in spans])
        if spans:
            words = sum(s.words for s in spans)
            self.app.notify(
                f"{counted(len(spans), 'passage')} shared by the two articles ({counted(words, 'word')}): "
                "p jumps to them",
                timeout=4,
            )
        if self.app.annotations_panel.filter.scope == "shared":
            self.show_shared_list()

    def show_shared_list(self) -> None:
        left = self.app.pane("left").reader
        title = (
            f"Shared passages ({len(self.spans)})"
            if self.app.split
            else "Shared passages (split the view: s)"
        )
        self.app.annotations_panel.show_shared(
            title,
            [
                Content.assemble(
                    (f"{s.words} words ", "bold"),
                    ("" if s.exact else "≈ ", "$warning"),
                    short(left.text[s.a_start : s.a_end], 90),
                )
                for s in self.spans
            ],
        )

    def step(self, delta: int) -> None:
        if not self.app.split or not self.spans:
            self.app.notify("no shared passages: open two articles side by side (s, then o)", timeout=3)
            return
        side = "a" if self.app.active == "left" else "b"
        reader = self.app.reader
        starts = [getattr(s, f"{side}_start") for s in self.spans]
        if delta > 0:
            i = next((n for n, x in enumerate(starts) if x > reader.cursor), 0)
        else:
            i = next(
                (n for n in range(len(starts) - 1, -1, -1) if starts[n] < reader.cursor), len(starts) - 1
            )
        self.show_shared(i)

    def show_shared(self, i: int) -> None:
        span = self.spans[i]
        left, right = self.app.pane("left").reader, self.app.pane("right").reader
        left.reveal(span.a_start, span.a_end)
        right.reveal(span.b_start, span.b_end)

    def concordance(self) -> None:
        from .across import ConcordanceScreen

        query = self.app.search_panel.box.value.strip()
        if not self.app.indexer.engine_ready or not query:
            self.app.notify("type a search first: the concordance lists every hit of it", timeout=3)
            return
        self.app.push_screen(ConcordanceScreen(self.app.lib, query, self.app.codebook), self.after)

    def words(self) -> None:
        """The Words screen over the current search (none typed: every article)."""
        from ..screens.words import WordsScreen

        if not self.app.indexer.engine_ready:
            self.app.notify("the index is not ready yet: the word counts come from it", timeout=3)
            return
        query = self.app.search_panel.box.value.strip()
        self.app.push_screen(WordsScreen(self.app.lib, query, self.app.codebook), self.after)

    def timeline(self) -> None:
        """The timeline of the current search (none typed: every article); an article chosen
        there opens in the active reader."""
        from ..screens.timeline import TimelineScreen

        app = self.app
        if not app.indexer.engine_ready:
            app.notify("the index is not ready yet: the timeline counts what it holds", timeout=3)
            return

        def done(article: str | None) -> None:
            if article is not None:
                app.open_article(article, app.active)

        app.push_screen(TimelineScreen(app.lib, app.search_panel.box.value.strip() or None), done)

    def where_else(self) -> None:
        reader = self.app.reader
        if not self.app.indexer.engine_ready or reader.article_id is None:
            return
        span = reader.passage
        if span is None:
            marks = reader.marks_at(reader.cursor)
            span = (marks[0].start, marks[0].end) if marks else None
        if span is None:
            self.app.notify(
                "select a passage (or move onto an annotation) to look for it elsewhere",
                timeout=3,
            )
            return
        self._where_else(reader.article_id, reader.text[span[0] : span[1]], span)

    def _where_else(self, article: str, passage: str, span: tuple[int, int]) -> None:
        app = self.app

        def find() -> tuple:
            found = app.lib.passages.where(quote=passage, exclude=(article, *span))
            return found, app.lib.articles.titles(o.article for o in found)

        in_worker(
            app, find, lambda answer: self._show_where_else(passage, *answer), group="where", exclusive=True
        )

    def _show_where_else(self, passage: str, found, titles: dict[str, str]) -> None:
        from .across import WhereElseScreen

        if not found:
            self.app.notify("this passage appears in no other article", timeout=3)
            return
        self.app.push_screen(WhereElseScreen(passage, found, titles), self.after)

    def after(self, result) -> None:
        from .across import CodeAll, Place

        if isinstance(result, Place):
            target = self.app.active
            if self.app.reader.article_id not in (None, result.article) and self.app.split:
                target = "right" if self.app.active == "left" else "left"
            self.app.open_article(result.article, target, lambda r: r.reveal(result.start, result.end))
        elif isinstance(result, CodeAll):
            self.app.coding.code_all(result.tag, result.lines)
