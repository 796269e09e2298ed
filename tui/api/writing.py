"""``lib.writing``: what the researcher writes up from the coding — a report of the coded
passages (:mod:`.reporting`) and the articles as references (``glose cite``).

Three things come from elsewhere, each asked in one function here and nowhere else: an
article's variables (:func:`article_fields`), the articles a ``--where`` query selects
(:func:`where_ids`), and the memos (:func:`memos`). The citation line of a report and the
references of ``glose cite`` are both made by :mod:`tui.formats.citing` from the same fields."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import GloseError
from ..wording import counted
from .articles import ArticlesPart
from .context import Context
from .searching import SearchPart

if TYPE_CHECKING:
    from ..formats.citing import Reference

FIELDS = ("title", "source", "date", "author", "section", "page", "id", "url", "language")
FROM_THE_FILE = ("section", "page", "id", "url")  # what the index does not hold (the metadata block)


# --- the three adapters ----------------------------------------------------------------------


def article_fields(ctx: Context, articles: ArticlesPart, ids: Iterable[str] | None = None) -> dict[str, dict]:
    """The variables a reference needs, by article: title, outlet (``source``), date and
    author as the index holds them (overrides applied), section, page, the database's
    document id and the address from the file's metadata block. ``ids``: these articles
    (one the index lost still gets its overrides), else every indexed one, in id order."""
    from ..text.corpus import read_with_meta, resolve_path
    from ..text.metadata import with_overrides

    catalog = articles.catalog_meta()
    wanted = list(catalog) if ids is None else list(dict.fromkeys(ids))
    has_store = ctx.ws.has_store()
    found: dict[str, dict] = {}
    for article in wanted:
        meta = dict(catalog.get(article) or with_overrides({}, ctx.store.meta(article) if has_store else {}))
        try:
            _, block, _, _ = read_with_meta(resolve_path(ctx.ws.articles, article))
        except (GloseError, OSError):
            block = {}
        for key in FROM_THE_FILE:
            meta.setdefault(key, block.get(key))
        found[article] = meta
    return found


def where_ids(search: SearchPart, query: str | None) -> set[str] | None:
    """The articles ``--where QUERY`` selects (None: no query, every article)."""
    if query is None or not query.strip():
        return None
    return {hit.article for hit in search.run(query, limit=None).hits}


@dataclass(frozen=True)
class MemoText:
    kind: str  # project, article, tag
    target: str  # "" for the project, an article id, a tag name
    coder: str
    text: str


def memos(lib_memos) -> list[MemoText]:
    """Every memo (project, article, tag) a report shows; none until memos exist."""
    if lib_memos is None:
        return []
    return []


# --- the part --------------------------------------------------------------------------------


class WritingPart:
    def __init__(self, ctx: Context, articles: ArticlesPart, search: SearchPart, memos_part=None):
        self._ctx = ctx
        self._articles = articles
        self._search = search
        self._memos = memos_part

    def fields(self, ids: Iterable[str] | None = None) -> dict[str, dict]:
        return article_fields(self._ctx, self._articles, ids)

    def where(self, query: str | None) -> set[str] | None:
        return where_ids(self._search, query)

    def memos(self) -> list[MemoText]:
        return memos(self._memos)

    def path(self, typed: str | Path) -> Path:
        """``~`` expanded; a relative name is in the current folder (as every CLI path)."""
        return Path(typed).expanduser().absolute()

    # --- citations ---------------------------------------------------------------------------

    def references(self, query: str | None = None, where: str | None = None) -> list[Reference]:
        """One reference per article that ``query`` (best first) and ``where`` select, in id
        order; every indexed article when neither is given."""
        from ..formats.citing import reference

        ids: list[str] | None = None
        if query is not None and query.strip():
            ids = sorted(hit.article for hit in self._search.run(query, limit=None).hits)
        chosen = self.where(where)
        if chosen is not None:
            ids = sorted(chosen) if ids is None else [a for a in ids if a in chosen]
        language = self._ctx.ws.language
        return [reference(a, f, language) for a, f in self.fields(ids).items()]

    def cite(
        self,
        fmt: str,
        path: str | Path,
        *,
        query: str | None = None,
        where: str | None = None,
        replace: bool = False,
    ) -> tuple[int, Path]:
        """Write the references in ``fmt`` (ris, csl-json, bibtex) to ``path`` (refused if it
        exists, unless ``replace``); (how many, where)."""
        from ..formats.citing.writers import FORMATS, render
        from ..formats.export import write_file

        if fmt not in FORMATS:
            raise GloseError(f"unknown citation format '{fmt}': use {', '.join(FORMATS)}")
        target = self._checked(path, replace)
        refs = self.references(query, where)
        if not refs:
            raise GloseError("no article to cite: nothing written")
        write_file(target, "".join(render(refs, fmt)).encode("utf-8"), replace=replace)
        return len(refs), target

    # --- reports -----------------------------------------------------------------------------

    def report(
        self,
        path: str | Path,
        *,
        by: str = "tag",
        where: str | None = None,
        tags: Iterable[str] = (),
        articles: Iterable[str] = (),
        replace: bool = False,
    ) -> Reported:
        """Write the report of the coded passages to ``path`` (the format from its
        extension), streamed into a file beside it then renamed: nothing half written."""
        from ..formats.export import write_file
        from ..formats.report import format_of, write_report
        from .reporting import build

        target = self._checked(path, replace)
        fmt = format_of(target)
        doc = build(self, by=by, where=where, tags=list(tags), articles=list(articles))
        written: list[int] = []
        write_file(target, lambda fh: written.append(write_report(fh, fmt, doc)), replace=replace)
        return Reported(target, fmt, written[0], tuple(doc.notes))

    def _checked(self, typed: str | Path, replace: bool) -> Path:
        """The output path, refused before any work when it exists (write_file checks again)
        or its folder does not."""
        path = self.path(typed)
        if not replace and (path.exists() or path.is_symlink()):
            raise GloseError(f"{path} exists: give --force to replace it")
        if not path.parent.is_dir():
            raise GloseError(f"cannot write {path}: the folder {path.parent} does not exist")
        return path

    @property
    def ctx(self) -> Context:
        return self._ctx


@dataclass(frozen=True)
class Reported:
    path: Path
    format: str
    passages: int
    notes: tuple[str, ...] = ()

    def what(self) -> str:
        return counted(self.passages, "coded passage")
