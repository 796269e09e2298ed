"""Export and import through the library: gathering what an export shows (annotations, the
codebook, each article's effective metadata and text), and merging what an import brings."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from ..errors import GloseError
from ..formats.export import SUFFIXES, ArticleInfo, ExportData, fresh_name, render, write_file
from ..formats.importing import ImportReport, plan, read_file
from ..text.corpus import article_text
from ..text.metadata import with_overrides
from ..wording import counted
from .annotating import narrowed
from .articles import ArticlesPart
from .context import Context
from .variables import VariablesPart


@dataclass(frozen=True)
class Exported:
    payload: bytes
    count: int  # annotations exported (tags, for a codebook)
    notes: tuple[str, ...]  # what the user should know (what was left out, and why)
    path: Path | None = None
    unit: str = "annotation"  # what ``count`` counts: a codebook (qdc) holds tags

    def what(self) -> str:
        """``2 annotations``, ``1 tag``: what the export holds, for a message."""
        return counted(self.count, self.unit)


def gather(
    ctx: Context,
    articles: ArticlesPart,
    *,
    tag: str | None = None,
    article: str | None = None,
    coders=None,
    within: Collection[str] | None = None,
    variables: VariablesPart | None = None,
    only: Collection[str] | None = None,
) -> ExportData:
    """The live annotations (filtered; ``coders``: only theirs; ``within``: only in these
    articles), the trash (filtered alike: backups restore it), the codebook, and what is
    known of their articles."""
    if article is not None:
        article = ctx.article_id(article)
    anns = narrowed(ctx.store.annotations(tag=tag, article=article, coders=coders), within)
    trash = narrowed(ctx.store.annotations(tag=tag, article=article, coders=coders, deleted=True), within)
    catalog = articles.catalog_meta()
    wanted = list(dict.fromkeys(a.article for a in anns))
    table = variables.table(wanted) if variables is not None else {}
    by_hand = ctx.store.variables(wanted) if ctx.ws.has_store() else {}
    infos: dict[str, ArticleInfo] = {}
    for article_id in dict.fromkeys(a.article for a in anns):
        infos[article_id] = _info(ctx, catalog, article_id, table, by_hand)
    marks = ctx.store.done_marks() if ctx.ws.has_store() else {}
    done = [
        (coder, a, at)
        for coder, articles in sorted(marks.items())
        for a, at in sorted(articles.items())
        if (article is None or a == article) and (within is None or a in within)
    ]
    memos = [
        m
        for m in (ctx.store.memos() if ctx.ws.has_store() else [])
        if (coders is None or m.coder in set(coders))
        and (article is None or m.kind != "article" or m.target == article)
        and (tag is None or m.kind != "tag" or m.target.casefold() == tag.casefold())
    ]
    for article_id in dict.fromkeys(m.target for m in memos if m.kind == "article"):
        if article_id not in infos:  # a memo's article: its source in a project, its title
            infos[article_id] = _info(ctx, catalog, article_id, table, by_hand)
    return ExportData(anns, ctx.store.tags(), infos, trash=trash, coder=ctx.coder, done=done, memos=memos)


def _info(ctx: Context, catalog: dict, article_id: str, table: dict, by_hand: dict) -> ArticleInfo:
    """What an export says of an article: its effective metadata, its variables and, when its
    file is here, its text."""
    meta = catalog.get(article_id) or with_overrides({}, ctx.store.meta(article_id))  # a file gone
    info = ArticleInfo(article_id, meta["title"] or article_id, meta["date"], meta["source"])
    info.author = meta.get("author")
    info.variables = table.get(article_id, {})
    info.by_hand = by_hand.get(article_id, {})
    try:
        doc = article_text(ctx.ws.articles, article_id)
        info.text, info.hash = doc.text, doc.hash
    except GloseError:
        pass  # a missing file: its annotations are orphans, exported with their quotes
    return info


class ExchangePart:
    """``lib.exchange``: exports to every format and imports from every file Glose reads."""

    def __init__(self, ctx: Context, articles: ArticlesPart, variables: VariablesPart | None = None):
        self._ctx = ctx
        self._articles = articles
        self._variables = variables

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
        coders=None,
        within: Collection[str] | None = None,
    ) -> Exported:
        """Render (and write to ``path``: ``~`` expanded, relative to the workspace; its folder
        must exist unless ``make_folder``; an existing file is replaced only with ``replace``);
        ``coders``: only their annotations; ``within``: only in these articles (``--where``)."""
        if path is not None:
            path = self.path(path)
            if not replace and path.is_file() and not path.is_symlink():  # before the work; re-checked
                raise GloseError(f"{path} exists: give --force to replace it")
        data = gather(
            self._ctx,
            self._articles,
            tag=tag,
            article=article,
            coders=coders,
            within=within,
            variables=self._variables,
        )
        payload = render(data, fmt, offsets=offsets)
        if fmt in ("json", "qdpx") and data.trash:
            data.notes.append(
                f"the trash too ({counted(len(data.trash), 'deleted annotation')}): glose import restores it"
            )
        if path is not None:
            write_file(path, payload, make_folder=make_folder, replace=replace)
        if fmt == "qdc":  # the codebook alone: its tags are what was exported
            return Exported(payload, len(data.tags), tuple(data.notes), path, "tag")
        return Exported(payload, len(data.annotations), tuple(data.notes), path)

    def write(
        self, typed: str | Path, payload: bytes, *, replace: bool = False, make_folder: bool = False
    ) -> Path:
        """Write a file the way every export does (:meth:`path`; never half a file; an existing
        one only with ``replace``: the CLI's ``--force``); where it went."""
        path = self.path(typed)
        write_file(path, payload, make_folder=make_folder, replace=replace)
        return path

    def path(self, typed: str | Path) -> Path:
        """Where an export named ``typed`` goes: a typed ``~`` is the home folder (never a
        folder named ``~``), a relative name is in the workspace."""
        path = Path(typed).expanduser()
        return path if path.is_absolute() else self._ctx.ws.root / path

    def folder(self) -> Path:
        """The reader's default folder for exports (the one folder an export may create)."""
        return self._ctx.ws.root / "exports"

    def default_path(self, fmt: str) -> Path:
        """Where the reader proposes to export: ``exports/glose-DATE.EXT`` in the workspace, a
        fresh name each time (never over an earlier export)."""
        from datetime import date

        return fresh_name(self.folder(), f"glose-{date.today().isoformat()}", SUFFIXES[fmt])

    @staticmethod
    def suffix(fmt: str) -> str:
        return SUFFIXES[fmt]

    @staticmethod
    def format_of(path: str | Path) -> str | None:
        """The format a file name asks for by its extension, if any."""
        from ..formats.export import format_of

        return format_of(Path(path))

    def import_file(
        self, path: Path, *, match_only: bool = False, article: str | None = None
    ) -> ImportReport:
        """Merge a file into the store: parsed and checked whole, then written as one journaled
        event (undoable), or not at all. Sources of a project that are no article yet are added
        to ``articles/`` first (not with ``match_only``); ``article`` is where web annotations
        (Hypothesis, W3C) go when given."""
        from .interop import WebCorpus, article_hashes, write_sources

        ctx = self._ctx
        path = Path(path)
        ids = set(self._articles.scan_ids())
        corpus = WebCorpus(ctx, self._articles, ids, ctx.article_id(article) if article else None)
        incoming, codebook, report = read_file(
            path,
            lambda: ids,
            hashes=lambda: article_hashes(ctx, ids),
            match_only=match_only,
            corpus=corpus,
            coders=lambda: [*ctx.store.coders(), ctx.coder],
        )
        if report.sources_added:
            write_sources(ctx, report.sources_added)
            ids.update(a for a, _ in report.sources_added)
        texts: dict = {}

        def doc(article: str):
            """The article of that exact id: ``ctx.article`` also takes a unique prefix, which
            would attach an annotation made on ``a.txt`` to ``a.txt.md``; and a missing one
            costs no scan of the folder each time."""
            if article not in ids:
                return None
            if article not in texts:
                try:
                    texts[article] = ctx.article(article)
                except GloseError:
                    texts[article] = None
            return texts[article]

        store = ctx.store
        existing = store.by_ids([i.id for i in incoming])
        writes, tags = plan(
            incoming,
            codebook,
            existing,
            doc,
            report,
            by_span=lambda a: store.annotations(article=a),
            coder=ctx.coder,
        )
        done = [(c, a, at) for c, a, at in report.done if a in ids]  # marks of articles here
        if len(done) < len(report.done):
            report.notes.append(
                f"{counted(len(report.done) - len(done), 'done mark')} of articles not here: left out"
            )
        memos = report.memos
        if memos:
            report.notes.append(f"{counted(len(memos), 'memo')} (glose memos)")
        variables = [(a, n, v) for a, n, v in report.variables if a in ids]  # set by hand, here
        if writes or tags or done or memos or variables:
            store.import_annotations(
                writes, tags, f"import {path.name}: {report.summary()}", done, memos, variables
            )
        if variables:
            from ..store.variables import OVERRIDABLE
            from .variables import reindex_overrides

            reindex_overrides(ctx, sorted({a for a, name, _ in variables if name.lower() in OVERRIDABLE}))
        return report
