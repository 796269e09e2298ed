"""``glose add`` through the library: read each input whole, set aside what the folder already
holds, write the rest as article files (all or nothing per input), and say what happened."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import GloseError
from ..intake import SourceError, read_source
from ..intake.duplicates import Known, signature
from ..intake.writing import check_into, file_stem, folder_name, plan_names, render, write_all
from ..text.corpus import MAX_ARTICLE_BYTES, Skipped, article_id, read_with_meta, scan
from ..workspace import Workspace
from .context import Context

NEAR_CHOICES = ("keep", "skip")


@dataclass(frozen=True)
class Added:
    article: str  # the new article's id
    title: str | None
    date: str | None
    source: str | None
    author: str | None


@dataclass(frozen=True)
class SetAside:
    title: str | None
    why: str
    article: str | None = None  # the article it repeats, when it is one


@dataclass
class InputReport:
    """What became of one input file."""

    path: str
    format: str | None = None
    added: list[Added] = field(default_factory=list)
    duplicates: list[SetAside] = field(default_factory=list)
    near: list[SetAside] = field(default_factory=list)  # kept or skipped, as asked
    skipped: list[SetAside] = field(default_factory=list)
    error: str | None = None  # the whole input failed: nothing of it was added


@dataclass
class AddReport:
    inputs: list[InputReport]
    dry_run: bool
    near: str

    @property
    def added(self) -> int:
        return sum(len(i.added) for i in self.inputs)

    @property
    def duplicates(self) -> int:
        return sum(len(i.duplicates) for i in self.inputs)

    @property
    def skipped(self) -> int:
        near_skipped = sum(len(i.near) for i in self.inputs) if self.near == "skip" else 0
        return sum(len(i.skipped) for i in self.inputs) + near_skipped

    @property
    def failed(self) -> int:
        return sum(1 for i in self.inputs if i.error)

    def summary(self) -> str:
        verb = "would add" if self.dry_run else "added"
        near = sum(len(i.near) for i in self.inputs)
        parts = [f"{verb} {self.added}", f"duplicates {self.duplicates}", f"skipped {self.skipped}"]
        if near:
            parts.append(f"near-duplicates {near} ({'kept' if self.near == 'keep' else 'skipped'})")
        if self.failed:
            parts.append(f"failed {self.failed}")
        return ", ".join(parts)


def known_articles(articles_dir: Path) -> Known:
    """The articles the folder holds, for duplicate checks (body, and id: from the block)."""
    known = Known()
    if not articles_dir.is_dir():
        return known
    for stat in scan(articles_dir):
        try:
            body, meta, _, _ = read_with_meta(stat.path)
        except Skipped:
            continue
        known.add(stat.id, signature(body), meta.get("id"))
    return known


class IntakePart:
    """``lib.intake``: press exports, web pages and documents turned into articles."""

    def __init__(self, ctx: Context):
        self._ctx = ctx

    def add(
        self,
        paths,
        *,
        into: str | None = None,
        dry_run: bool = False,
        near: str = "keep",
        progress: Callable[[int, int, str], None] | None = None,
    ) -> AddReport:
        """Add press exports, web pages and documents as articles: one file per article in
        the articles folder, duplicates set aside, all or nothing per input. The index is not
        touched: call ``lib.index.ensure`` after."""
        return add(
            self._ctx.ws, [Path(p) for p in paths], into=into, dry_run=dry_run, near=near, progress=progress
        )


def add(
    ws: Workspace,
    paths: list[Path],
    *,
    into: str | None = None,
    dry_run: bool = False,
    near: str = "keep",
    progress: Callable[[int, int, str], None] | None = None,
) -> AddReport:
    """``paths``: files, or folders whose files are added (see :func:`folder_inputs`), each
    an input of its own. ``progress(done, total, input)``: called while an input is read
    (total 0) and for each of its articles (duplicate checks); the files are written after."""
    if near not in NEAR_CHOICES:
        raise GloseError(f"near-duplicates are kept or skipped, not {near!r}")
    articles_dir = ws.articles
    if (
        not articles_dir.is_dir()
        and not dry_run
        and articles_dir.parent.is_dir()
        and not articles_dir.exists()
    ):
        articles_dir.mkdir()  # a new workspace: adding is how its corpus starts
    if not articles_dir.is_dir() and not dry_run:
        ws.check()  # says what Glose expects
    if into is not None:
        into = check_into(into)
    known = known_articles(articles_dir)
    report = AddReport([], dry_run, near)
    own = [articles_dir, ws.index, ws.db]
    for given in paths:
        given = Path(given)
        if not given.is_dir():
            inputs: list[Path] = [given]
        elif not (inputs := folder_inputs(given, own)):
            report.inputs.append(InputReport(str(given), error="a folder with no file to add"))
            continue
        for path in inputs:
            if progress:
                progress(0, 0, str(path))  # reading: no count yet
            report.inputs.append(_add_one(articles_dir, path, into, dry_run, near, known, progress))
    return report


def folder_inputs(folder: Path, own: list[Path]) -> list[Path]:
    """The files of a folder of downloaded exports, recursively, in name order: hidden files
    and folders skipped (``.DS_Store``, ``.git``), symbolic links to folders not followed, and
    nothing of the workspace's own (its articles, index and database) taken as an input."""
    own_resolved = {p.resolve() for p in own}
    found: list[Path] = []
    for root, dirs, files in os.walk(folder, onerror=None, followlinks=False):
        here = Path(root)
        dirs[:] = sorted(
            d for d in dirs if not d.startswith(".") and (here / d).resolve() not in own_resolved
        )
        for name in sorted(files):
            path = here / name
            if not name.startswith(".") and path.resolve() not in own_resolved and path.is_file():
                found.append(path)
    return found


def _add_one(
    articles_dir: Path, path: Path, into, dry_run: bool, near: str, known: Known, progress=None
) -> InputReport:
    result = InputReport(str(path))
    try:
        source = read_source(path)
    except SourceError as exc:
        result.error = str(exc)
        return result
    result.format = source.format
    result.skipped.extend(SetAside(what, why) for what, why in source.skipped)
    keep = []
    here = Known()  # this input's own pieces: an export can hold one document twice
    for n, piece in enumerate(source.pieces):
        if progress:
            progress(n, len(source.pieces), str(path))
        if len(piece.body.encode("utf-8")) > MAX_ARTICLE_BYTES:
            result.skipped.append(SetAside(piece.title, "too large for an article"))
            continue
        sig = signature(piece.body)
        found = [m for m in (known.match(sig, piece.doc_id), here.match(sig, piece.doc_id)) if m]
        match = next((m for m in found if m.kind == "duplicate"), found[0] if found else None)
        if match is not None and match.kind == "duplicate":
            result.duplicates.append(SetAside(piece.title, match.why, match.article))
            continue
        if match is not None:
            result.near.append(SetAside(piece.title, match.why, match.article))
            if near == "skip":
                continue
        keep.append((piece, sig))
        here.add(f"{path.name}, document {len(keep)}", sig, piece.doc_id)
    if not keep:
        return result
    folder = folder_name(into, path, len(keep))
    target = articles_dir.joinpath(*folder.split("/")) if folder else articles_dir
    names = plan_names(target, [file_stem(p) for p, _ in keep])
    origin = f"{source.format} ({path.name})"
    ids = [article_id(articles_dir, target / name) for name in names]
    if not dry_run:
        try:
            files = [(name, render(p, origin)) for name, (p, _) in zip(names, keep, strict=True)]
            write_all(articles_dir, folder, files)
        except GloseError as exc:
            result.error = str(exc)
            return result
    for new_id, (piece, sig) in zip(ids, keep, strict=True):
        known.add(new_id, sig, piece.doc_id)
        author = "; ".join(piece.authors) or None
        result.added.append(Added(new_id, piece.title, piece.date, piece.source, author))
    return result
