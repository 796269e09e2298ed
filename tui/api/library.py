"""The :class:`Library`: one workspace, its index, its annotation store and its journal,
behind the methods every front end calls (see the README's "Architecture" table)."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .. import session as session_state
from ..corpus import ArticleText, article_text, scan
from ..errors import GloseError, IndexDamaged, QueryError
from ..model import Annotation, AnnotationFilter, StoreError, Tag, tag_colors
from ..quotes import locate_quote
from ..session import Session
from ..workspace import Workspace
from . import indexing
from .agreeing import Agreeing

if TYPE_CHECKING:  # the engines load on first use: a one-shot command pays only for its own
    from ..search import Hit, KwicLine, Results, SearchEngine, Snippet
    from ..store import Actor, Event, Store


TITLES_ONE_BY_ONE = 200  # more ids than this: one pass over the catalog beats a lookup each


@dataclass(frozen=True)
class ArticleView:
    """What a reader shows of one article: its text, metadata and annotations (with the
    colors of their tags), read together in a worker."""

    doc: ArticleText
    info: Hit | None
    annotations: list[Annotation]
    colors: dict[str, str]

    @property
    def title(self) -> str:
        return self.info.title if self.info else self.doc.id

    @property
    def details(self) -> str:
        parts = (self.info.date, self.info.source, self.info.author) if self.info else ()
        return " · ".join(x for x in (*parts, self.doc.id) if x)


class Library(Agreeing):
    """Everything Glose does to a workspace. Thread-safe: the reader's workers share one."""

    def __init__(self, ws: Workspace, *, frontend: str = "api", coder: str | None = None):
        self.ws = ws
        self._who = (frontend, ws.config.effective_coder(coder))
        self._actor: Actor | None = None
        self.warnings: list[str] = list(ws.config.warnings)
        self._store: Store | None = None
        self._engine: SearchEngine | None = None
        self._lock = threading.RLock()

    @classmethod
    def open(
        cls,
        root: str | Path | None = None,
        *,
        articles: str | Path | None = None,
        index: str | Path | None = None,
        db: str | Path | None = None,
        frontend: str = "api",
        coder: str | None = None,
    ) -> Library:
        return cls(Workspace.resolve(root, articles, index, db), frontend=frontend, coder=coder)

    def close(self) -> None:
        with self._lock:
            if self._engine is not None:
                self._engine.close()
            if self._store is not None:
                self._store.close()
            self._engine = self._store = None

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def actor(self) -> Actor:
        """Who writes through this library. Made on first use: importing the store package
        costs a one-shot ``glose search``, which never writes, ~15 ms."""
        if self._actor is None:
            from ..store.journal import Actor

            self._actor = Actor(*self._who)
        return self._actor

    @property
    def store(self) -> Store:
        """The annotation store, opened (and created or upgraded) on first use."""
        with self._lock:
            if self._store is None:
                from ..store import open_store

                self.ws.check()
                self._store = open_store(self.ws.config.store, self.ws.db, actor=self.actor)
                if self.ws.shared_store is not None:  # a team's: seen through this folder's files
                    from .localview import LocalStore

                    self._store = LocalStore(self._store, self.ws)
            return self._store

    @property
    def readonly(self) -> str | None:
        """Why annotations cannot be saved, or None when they can."""
        store = self.store
        return store.readonly_reason if store.readonly else None

    def session(self) -> Session:
        """Where this user was in this workspace (the articles open, the places in them)."""
        return session_state.load(self.ws.root)

    def save_session(self, state: Session) -> None:
        session_state.save(self.ws.root, state)

    def data_version(self) -> int:
        """Changes when another process commits to the store (how the reader sees CLI writes)."""
        return self.store.data_version()

    def migrate_store(self, to: str) -> dict[str, int]:
        """Copy everything this workspace's store holds (annotations, the trash, the codebook,
        metadata overrides, the journal) into ``to``: ``"sqlite"`` (the workspace's
        ``annotations.db``) or a ``postgresql://`` address. The target must be empty; the
        store in use stays as it is (glose.toml decides which one Glose uses). Returns the
        rows copied per table."""
        from ..store import copy_store, is_shared, open_store

        if to != "sqlite" and not is_shared(to):
            raise StoreError(f"cannot migrate to '{to}': give sqlite or a postgresql:// address")
        if to == self.ws.config.store:
            raise StoreError(f"the annotations are in {to} already (store in glose.toml)")
        source = self.store
        target = open_store(to, self.ws.db, actor=self.actor)
        try:
            return copy_store(source, target)
        finally:
            target.close()

    # --- the index ------------------------------------------------------------------------------

    def needs_update(self) -> bool:
        from ..index import needs_update

        return needs_update(self.ws.articles, self.ws.index, self.ws.language, self.ws.config.engine)

    def has_index(self) -> bool:
        return (self.ws.index / "state.json").exists()

    def update_index(self, *, rebuild: bool = False, progress=None, engine: str | None = None):
        """Index what changed (or everything), then make the annotations follow the files.
        ``engine`` (``glose index --engine``): build with it, rebuilding if the index has another."""
        return indexing.update_index(
            self.ws, lambda: self.store, rebuild=rebuild, progress=progress, engine=engine
        )

    def index_engine(self) -> str | None:
        """The engine that built the index (None: no index yet)."""
        from ..index import State

        state = State.load(self.ws.index)
        return state.engine if state is not None else None

    def engine_advice(self) -> str | None:
        """A suggestion to switch to tantivy when the corpus is past the size where Whoosh's
        search as you type slows down (None when there is nothing to say)."""
        from ..engines import SUGGEST_TANTIVY_FROM
        from ..index import State

        state = State.load(self.ws.index)
        if state is None or state.engine != "whoosh" or self.ws.config.engine == "whoosh":
            return None
        articles = state.files.indexed(0)[1]
        if articles < SUGGEST_TANTIVY_FROM:
            return None
        return (
            f"{articles:,} articles: the tantivy engine searches a corpus this size several times faster; "
            'switch with glose index --engine tantivy (or engine = "tantivy" in glose.toml)'
        )

    def _holding(self, quotes: list[str]) -> list[str]:
        """Articles holding most of ``quotes`` as phrases (where an orphan could go)."""
        self.refresh()
        return self.engine.phrase_candidates(quotes, at_least=max(1, (len(quotes) + 1) // 2))

    def ensure_index(self, progress=None, published=None):
        """Update the index if anything changed on disk, and make the annotations follow the
        files even when the index cannot be updated (see :func:`indexing.ensure_index`;
        ``published(n)``: a first build is searchable so far)."""
        return indexing.ensure_index(self.ws, lambda: self.store, progress=progress, published=published)

    @property
    def engine(self) -> SearchEngine:
        """The search engine over the index (a damaged index is rebuilt once)."""
        with self._lock:
            if self._engine is None:
                from ..search import SearchEngine

                try:
                    self._engine = SearchEngine(
                        self.ws.articles, self.ws.index, self.ws.language, self._tag_articles
                    )
                except IndexDamaged:
                    self.update_index(rebuild=True)
                    self._engine = SearchEngine(
                        self.ws.articles, self.ws.index, self.ws.language, self._tag_articles
                    )
            return self._engine

    def refresh(self) -> None:
        """See the latest committed index (after an update by this or another process)."""
        with self._lock:
            if self._engine is not None:
                self._engine.refresh()

    def _tag_articles(self, name: str) -> set[str]:
        if not self.ws.has_store():
            raise QueryError(f"no tag '{name}': there are no annotations yet")
        return self.store.tag_articles(name)

    # --- search ---------------------------------------------------------------------------------

    def search(self, query: str, limit: int | None = 20) -> Results:
        return self.engine.search(query, limit=limit)

    def snippet(self, article: str, highlight) -> Snippet:
        return self.engine.snippet(article, highlight)

    def article_hits(self, article: str, highlight, limit: int | None = None) -> list[tuple[int, int]]:
        """Where the query's terms are in the article (canonical-text offsets), the first
        ``limit`` of them."""
        return self.engine.article_hits(article, highlight, limit)

    def hits_in(self, text: str, highlight, limit: int | None = None) -> list[tuple[int, int]]:
        """Where the query's terms are in a text a reader already holds, the first ``limit``."""
        from itertools import islice

        from ..search import find_hits

        return list(islice(find_hits(text, highlight, self.ws.language), limit))

    def kwic(
        self, query: str, *, width: int = 40, sort: str = "position", limit: int | None = None
    ) -> list[KwicLine]:
        return self.engine.kwic(query, width=width, sort=sort, limit=limit)

    def concordance(
        self, query: str, *, width: int = 40, sort: str = "position", limit: int
    ) -> tuple[list[KwicLine], bool]:
        """The first ``limit`` occurrences in article order, sorted, and whether there are
        more: whatever the sort, the same lines (so "tag all listed" tags the same ones)."""
        from ..search import sort_kwic

        lines = self.engine.kwic(query, width=width, limit=limit + 1)
        return sort_kwic(lines[:limit], sort), len(lines) > limit

    def catalog(self) -> list[Hit]:
        """Every indexed article with its effective metadata, in id order."""
        return self.engine.catalog()

    def catalog_head(self, limit: int, offset: int = 0) -> tuple[list[Hit], int]:
        """``limit`` indexed articles in id order from the ``offset``-th, and how many there
        are: what a list shows before a query is typed (listing 50,000 takes seconds, drawing
        them more), a screenful at a time (a query typed meanwhile need not wait for the rest)."""
        from ..index import State

        state = State.load(self.ws.index)
        if state is None:
            hits = self.catalog()
            return hits[offset : offset + limit], len(hits)
        ids, total = state.files.indexed(limit, offset)
        engine = self.engine
        return [h for h in (engine.info(i) for i in ids) if h is not None], total

    def titles(self, ids: Iterable[str]) -> dict[str, str]:
        """The titles of the indexed ``ids`` (lists that name the article of each line): a few
        are looked up one by one, many come from one pass over the catalog; an id the index
        does not hold is left out (callers show the id)."""
        wanted = set(ids)
        if not wanted or not self.has_index():
            return {}
        try:
            if len(wanted) > TITLES_ONE_BY_ONE:
                return {h.article: h.title for h in self.catalog() if h.article in wanted}
            engine = self.engine
            return {a: h.title for a in wanted if (h := engine.info(a)) is not None}
        except GloseError:
            return {}

    def catalog_meta(self) -> dict[str, dict]:
        """Title, date and source of every indexed article, by id; empty with no usable index."""
        if not self.has_index():
            return {}
        try:
            return {
                h.article: {"title": h.title, "date": h.date, "source": h.source, "author": h.author}
                for h in self.catalog()
            }
        except GloseError:
            return {}

    # --- articles -------------------------------------------------------------------------------

    def article_id(self, given: str) -> str:
        return self.ws.article_id(given)

    def scan_ids(self) -> list[str]:
        return [f.id for f in scan(self.ws.articles)] if self.ws.articles.is_dir() else []

    def article(self, given: str) -> ArticleText:
        """The canonical text of an article named by id or unique prefix."""
        self.ws.check()
        return article_text(self.ws.articles, self.article_id(given))

    def open_article(self, given: str) -> ArticleView:
        """An article for a reader; annotations made on an older text follow it first."""
        doc = self.article(given)
        try:
            info = self.engine.info(doc.id)
        except GloseError:
            info = None
        return ArticleView(doc, info, self._following(doc), self.tag_colors())

    def _following(self, doc: ArticleText) -> list[Annotation]:
        """The article's live annotations, made to follow its text first if it changed."""
        store = self.store
        anns = store.annotations(article=doc.id)
        if self._follow([doc], anns):  # the file changed since
            anns = store.annotations(article=doc.id)
        return anns

    def meta(self, given: str, *, title=None, date=None, source=None) -> dict:
        """An article's metadata (title, date, source, what is set by hand, encoding, hash),
        after setting the overrides given ('' restores the guess)."""
        from ..corpus import load_article
        from ..index import reindex_metadata
        from ..metadata import parse_date, with_overrides

        self.ws.check()
        article_id = self.article_id(given)
        if date:
            iso = parse_date(date)
            if iso is None:
                raise GloseError(f"invalid date '{date}': use YYYY-MM-DD")
            date = iso
        guessed = load_article(self.ws.articles, article_id)
        if any(v is not None for v in (title, date, source)):
            overrides = self.store.set_meta(article_id, title=title, date=date, source=source)
            reindex_metadata(self.ws.articles, self.ws.index, self.ws.language, article_id, overrides)
        else:
            overrides = self.store.meta(article_id)
        merged = with_overrides(
            {"title": guessed.title, "date": guessed.date, "source": guessed.source}, overrides
        )
        return {
            "article": article_id,
            **merged,
            "author": guessed.author,  # from the file's metadata block (glose add)
            "overridden": sorted(overrides),
            "encoding": guessed.encoding,
            "hash": guessed.hash,
        }

    # --- annotations ----------------------------------------------------------------------------

    def annotations(
        self,
        *,
        tag: str | None = None,
        article: str | None = None,
        orphaned: bool = False,
        deleted: bool = False,
        review: bool = False,
        coders: Iterable[str] | None = None,
    ) -> list[Annotation]:
        """``coders``: only these coders' annotations (None: everyone's)."""
        if article is not None:
            article = self.article_id(article) if self.ws.articles.is_dir() else article
        return self.store.annotations(
            tag=tag, article=article, orphaned=orphaned, deleted=deleted, review=review, coders=coders
        )

    def coders(self) -> dict[str, int]:
        """The coders with live annotations, and how many each (most first)."""
        return self.store.coders()

    def _follow(self, docs: Iterable[ArticleText], anns: Iterable[Annotation]) -> bool:
        """Make the annotations of articles whose file changed since follow the new text
        (whether any did)."""
        texts = {d.id: d for d in docs}
        moved = {a.article for a in anns if a.article in texts and a.article_hash != texts[a.article].hash}
        if not moved or self.store.readonly:
            return False
        for article in sorted(moved):
            doc = texts[article]
            self.store.reanchor(doc.id, doc.text, doc.hash)
        return True

    @property
    def coder(self) -> str:
        """Who this library writes as."""
        return self.actor.coder

    def listing(self, which: AnnotationFilter) -> list[Annotation]:
        """The annotations a list shows (see :class:`AnnotationFilter`)."""
        store, coders = self.store, which.coders
        if which.scope == "article":
            return store.annotations(article=which.article, coders=coders) if which.article else []
        if which.scope == "all":
            return store.annotations(coders=coders)
        if which.scope == "review":
            return store.annotations(review=True, coders=coders)
        if which.scope == "tag":
            return store.annotations(tag=which.tag, coders=coders)
        if which.scope == "trash":
            return store.annotations(deleted=True, coders=coders)
        return []

    def annotation(self, ident: str) -> Annotation:
        return self.store.get(ident)

    def _passage(self, article, quote, occurrence, start, end, text) -> tuple[ArticleText, int, int]:
        if text is not None:  # the text a reader shows (the file may have changed since)
            from ..corpus import content_hash

            doc = ArticleText(article, text, content_hash(text))
        else:
            doc = self.article(article)
        if quote is not None:
            start, end = locate_quote(doc.text, doc.id, quote, occurrence)
        elif start is None or end is None:
            raise StoreError("give the passage: --quote TEXT, or --start and --end")
        return doc, start, end

    def annotate(
        self,
        article: str,
        *,
        quote: str | None = None,
        occurrence: int | None = None,
        start: int | None = None,
        end: int | None = None,
        tags=(),
        note: str | None = None,
        text: str | None = None,
    ) -> Annotation:
        """Annotate a passage given by quote or by offsets in the article's canonical text
        (or in ``text``, the text a reader showed when the passage was selected)."""
        doc, start, end = self._passage(article, quote, occurrence, start, end, text)
        made = self.store.create(doc.id, doc.text, doc.hash, start, end, tags=tags, note=note)
        self._remember([doc.id])
        return made

    def _remember(self, articles: Iterable[str]) -> None:
        """Record what these just-annotated files hold, so a rename is recognised by content
        (the next sync records it too: a failure here loses nothing)."""
        from .following import remember

        try:
            remember(self.store, self.ws.articles, articles)
        except StoreError:
            pass

    def code_spans(self, spans: list[tuple[str, int, int]], tags) -> list[Annotation]:
        """Annotate many passages (article, start, end) with the same tags, all or none, as
        one undoable change (coding every hit of a concordance)."""
        docs: dict[str, ArticleText] = {}
        items = []
        for article, start, end in spans:
            if article not in docs:
                docs[article] = self.article(article)
            doc = docs[article]
            items.append((doc.id, doc.text, doc.hash, start, end))
        if not items:
            return []
        made = self.store.create_many(items, tags=tags)
        self._remember(docs)
        return made

    def edit(
        self,
        ident: str,
        *,
        tags=None,
        add_tags=(),
        remove_tags=(),
        note: str | None = None,
        version: int | None = None,
    ) -> Annotation:
        """``version``: the one shown to the user; a change made since (by another coder, in
        another front end) refuses the edit instead of being overwritten."""
        return self.store.edit(
            ident, tags=tags, add_tags=add_tags, remove_tags=remove_tags, note=note, version=version
        )

    def delete(self, ident: str) -> Annotation:
        return self.store.delete(ident)

    def restore(self, ident: str) -> Annotation:
        return self.store.restore(ident)

    def review(self) -> list[Annotation]:
        """Moved, approximately re-anchored and orphaned annotations, waiting for a look."""
        return self.store.annotations(review=True)

    def candidates(self, ann: Annotation) -> list:
        """Where an orphan's quote occurs: the articles, and the places in each, that
        ``glose review reattach ID --article ARTICLE`` could put it on."""
        from .following import candidates

        def text_of(article: str) -> str | None:
            try:
                return self.article(article).text
            except GloseError:
                return None

        try:
            return candidates(ann, self._holding, text_of)
        except GloseError:  # no usable index: nothing to propose
            return []

    def accept(self, idents: list[str] | None = None) -> list[Annotation]:
        """Accept the new place of these annotations (None: every moved and fuzzy one)."""
        if idents is None:
            idents = [a.id for a in self.review() if a.status in ("moved", "fuzzy")]
        return [self.store.accept(i) for i in idents]

    def reattach(
        self,
        ident: str,
        *,
        article: str | None = None,
        quote: str | None = None,
        occurrence: int | None = None,
        start: int | None = None,
        end: int | None = None,
        text: str | None = None,
    ) -> Annotation:
        """Attach an annotation (an orphan, typically) to a passage of its or another article."""
        ann = self.store.get(ident, include_deleted=False)
        doc, start, end = self._passage(article or ann.article, quote, occurrence, start, end, text)
        placed = self.store.reattach(ann.id, doc.text, doc.hash, start, end, article=doc.id)
        self._remember([doc.id])
        return placed

    # --- the codebook ---------------------------------------------------------------------------

    def tags(self) -> list[Tag]:
        return self.store.tags()

    def tag_names(self) -> list[str]:
        return [t.name for t in self.tags()]

    def tag_colors(self) -> dict[str, str]:
        return tag_colors(self.tags())

    def tag_matrix(self) -> dict[tuple[str, str], int]:
        return self.store.tag_article_counts()

    def create_tag(self, name: str, *, color: str | None = None, description: str | None = None) -> Tag:
        return self.store.create_tag(name, color=color, description=description)

    def rename_tag(self, old: str, new: str) -> Tag:
        return self.store.rename_tag(old, new)

    def merge_tags(self, sources: list[str], target: str) -> Tag:
        return self.store.merge_tags(list(sources), target)

    def delete_tag(self, name: str) -> Tag:
        """Out of the codebook and off its annotations (which stay); undoable."""
        return self.store.delete_tag(name)

    def color_tag(self, name: str, color: str) -> Tag:
        return self.store.color_tag(name, color)

    def describe_tag(self, name: str, description: str) -> Tag:
        return self.store.describe_tag(name, description)

    # --- the journal ----------------------------------------------------------------------------

    def undo(self, *, here: bool = False) -> Event:
        """Revert this coder's last change, made in any front end and before a restart too
        (``here``: the last made in this front end: the reader's ``u``). Refused, with what
        changed since and by whom, when it would overwrite a later change."""
        return self.store.undo(here=here)

    def redo(self, *, here: bool = False) -> Event:
        """Re-apply what the last undo reverted (same rules)."""
        return self.store.redo(here=here)

    def log(self, limit: int | None = 20, *, coder: str | None = None) -> list[Event]:
        """The journal, newest first."""
        return self.store.history(limit, coder)

    # --- exchange and analysis ------------------------------------------------------------------

    def export(
        self,
        fmt: str,
        *,
        tag: str | None = None,
        article: str | None = None,
        path: Path | None = None,
        make_folder: bool = False,
        replace: bool = False,
        offsets: str = "codepoints",
        coders: Iterable[str] | None = None,
    ):
        """Render (and write to ``path``: ``~`` expanded, relative to the workspace; its folder
        must exist unless ``make_folder``; an existing file is replaced only with ``replace``);
        ``coders``: only their annotations."""
        from .exchange import export

        return export(
            self,
            fmt,
            tag=tag,
            article=article,
            path=path,
            make_folder=make_folder,
            replace=replace,
            offsets=offsets,
            coders=coders,
        )

    def default_export_path(self, fmt: str) -> Path:
        from .exchange import default_export_path

        return default_export_path(self, fmt)

    def export_path(self, typed: str | Path) -> Path:
        """The file an export named ``typed`` writes (``~`` expanded, relative to the workspace)."""
        from .exchange import export_path

        return export_path(self, typed)

    def export_folder(self) -> Path:
        from .exchange import export_folder

        return export_folder(self)

    @staticmethod
    def export_suffix(fmt: str) -> str:
        from ..export import SUFFIXES

        return SUFFIXES[fmt]

    @staticmethod
    def export_format_of(path: str | Path) -> str | None:
        """The format a file name asks for by its extension, if any."""
        from ..export import format_of

        return format_of(Path(path))

    def import_file(self, path: Path, *, match_only: bool = False, article: str | None = None):
        from .exchange import import_file

        return import_file(self, Path(path), match_only=match_only, article=article)

    def add(
        self,
        paths,
        *,
        into: str | None = None,
        dry_run: bool = False,
        near: str = "keep",
        progress=None,
    ):
        """Add press exports, web pages and documents as articles (see :mod:`.adding`):
        one file per article in the articles folder, duplicates set aside, all or nothing per
        input. The index is not touched: call :meth:`ensure_index` after."""
        from .adding import add

        return add(self, [Path(p) for p in paths], into=into, dry_run=dry_run, near=near, progress=progress)

    def stats(self):
        from ..stats import compute

        store = self.store
        return compute(store.annotations(), store.tags(), store.tag_article_counts(), self.catalog_meta())

    def shared(self, first: str, second: str, *, min_words: int = 8):
        """Passages two articles share: (first's text, second's text, spans)."""
        from ..passages import shared_passages

        a, b = self.article(first), self.article(second)
        return a, b, shared_passages(a.text, b.text, min_words=min_words)

    def shared_texts(self, a_text: str, b_text: str):
        from ..passages import shared_passages

        return shared_passages(a_text, b_text)

    def where(
        self,
        *,
        quote: str | None = None,
        article: str | None = None,
        start: int | None = None,
        end: int | None = None,
        min_similarity: float = 0.6,
        exclude: tuple[str, int, int] | None = None,
    ):
        """Every article holding a passage (or nearly): a quote (``exclude``: where it was
        taken from), or a span of an article (which is then left out of the answer)."""
        from ..passages import where_else

        if quote is None:
            if article is None or start is None or end is None:
                raise GloseError("give a quote, or an article with start and end")
            doc = self.article(article)
            if not 0 <= start < end <= len(doc.text):
                raise GloseError(f"offsets {start}-{end} are outside {doc.id} (0-{len(doc.text)})")
            quote, exclude = doc.text[start:end], (doc.id, start, end)
        return where_else(self.engine, quote, exclude=exclude, min_similarity=min_similarity)
