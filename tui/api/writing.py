"""``lib.writing``: what the researcher writes up from the coding — a report of the coded
passages (:mod:`.reporting`) and the articles as references (``glose cite``).

What comes from elsewhere (an article's variables, the ``--where`` articles, the memos) is
asked through :mod:`.gathering`'s three functions. The citation line of a report and the
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
from .gathering import MemoText, article_fields, memos, where_ids
from .memos import MemosPart
from .searching import SearchPart
from .variables import VariablesPart

if TYPE_CHECKING:
    from ..formats.citing import Reference


class WritingPart:
    def __init__(
        self,
        ctx: Context,
        articles: ArticlesPart,
        search: SearchPart,
        variables: VariablesPart,
        memos_part: MemosPart | None = None,
    ):
        self._ctx = ctx
        self._articles = articles
        self._search = search
        self._variables = variables
        self._memos = memos_part

    def fields(self, ids: Iterable[str] | None = None) -> dict[str, dict]:
        return article_fields(self._ctx, self._articles, self._variables, ids)

    def column(self, name: str, ids: Iterable[str]) -> dict[str, str | None]:
        """A variable's value per article, for ``--by VARIABLE`` (``date.month`` buckets; an
        unknown name: one line that lists the variables)."""
        return self._variables.column(name, ids)

    def where(self, query: str | None) -> set[str] | None:
        return where_ids(self._search, query)

    def memos(self) -> list[MemoText]:
        return memos(self._memos)

    def path(self, typed: str | Path) -> Path:
        """``~`` expanded; a relative name is in the current folder (as every CLI path)."""
        return Path(typed).expanduser().absolute()

    # --- citations ---------------------------------------------------------------------------

    def references(self, query: str | None = None, where: str | None = None) -> list[Reference]:
        """One reference per article that ``query`` and ``where`` both select, in id order;
        every indexed article when neither is given."""
        from ..formats.citing import reference

        ids: list[str] | None = None
        if query is not None and query.strip():
            ids = self._search.ids(query)
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
        doc = build(
            self._ctx,
            self.fields,
            self.column,
            self.where,
            self.memos(),
            by=by,
            where=where,
            tags=list(tags),
            articles=list(articles),
        )
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


@dataclass(frozen=True)
class Reported:
    path: Path
    format: str
    passages: int
    notes: tuple[str, ...] = ()

    def what(self) -> str:
        return counted(self.passages, "coded passage")
