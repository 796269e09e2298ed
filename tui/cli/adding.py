"""``glose add``: press exports, web pages and documents into the articles folder."""

from __future__ import annotations

import sys
from dataclasses import asdict

import click

from ..api import Library
from . import render
from .main import json_option, main, note_update, with_library
from .render import emit_json


@main.command("add")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option(
    "--into", metavar="SUBFOLDER", help="Folder of articles/ to put them in (default: one per export)."
)
@click.option("-n", "--dry-run", is_flag=True, help="Say what would be added; write nothing.")
@click.option(
    "--near",
    type=click.Choice(["keep", "skip"]),
    default="keep",
    show_default=True,
    help="Near-duplicates (print and web editions): reported, and kept or skipped.",
)
@json_option("JSON: summary counts and, per input, added, duplicates, near, skipped, error.")
@with_library
def add(lib: Library, paths: tuple[str, ...], into, dry_run: bool, near: str, as_json: bool) -> None:
    """Add Europresse, Factiva, LexisNexis / Nexis Uni exports, saved web pages, PDF, DOCX,
    ODT, RTF and EPUB files: one article each, with title, date, publication and authors.
    A folder adds every file in it (and in its subfolders; hidden ones skipped)."""
    if sys.stderr.isatty() and not as_json:
        report = _add_with_progress(lib, paths, into, dry_run, near)
    else:
        report = lib.intake.add(paths, into=into, dry_run=dry_run, near=near)
    if report.added and not dry_run:
        note_update(lib)
    if as_json:
        emit_json(
            {
                "added": report.added,
                "duplicates": report.duplicates,
                "skipped": report.skipped,
                "failed": report.failed,
                "dry_run": dry_run,
                "inputs": [asdict(i) for i in report.inputs],
            }
        )
    else:
        _print(report)
    if report.failed:
        sys.exit(1)


def _add_with_progress(lib: Library, paths, into, dry_run: bool, near: str):
    from pathlib import Path

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    columns = (TextColumn("adding {task.description}", markup=False), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, console=render.console(err=True), transient=True) as bar:
        task = bar.add_task("", total=None)

        def progress(done: int, total: int, path: str) -> None:
            bar.update(task, completed=done, total=total or None, description=Path(path).name)

        return lib.intake.add(paths, into=into, dry_run=dry_run, near=near, progress=progress)


def _short(title: str | None, width: int = 90) -> str:
    """A title on one terminal line (some exports put a whole summary in it)."""
    if not title:
        return "(untitled)"
    return title if len(title) <= width else title[: width - 1].rstrip() + "…"


def _print(report) -> None:
    for item in report.inputs:
        if item.error:
            render.echo(f"glose: {item.path}: {item.error}; nothing added from it", err=True)
            continue
        render.echo(f"{item.path} ({item.format}): {len(item.added)} added")
        for a in item.added:
            facts = " · ".join(x for x in (a.date, a.source, _short(a.title)) if x)
            render.echo(f"  + {a.article}  {facts}")
        for d in item.duplicates:
            render.echo(f"  = {_short(d.title)}: {d.why}, already {d.article}")
        for d in item.near:
            verb = "kept" if report.near == "keep" else "skipped"
            render.echo(f"  ~ {_short(d.title)}: near-duplicate of {d.article} ({d.why}), {verb}")
        for d in item.skipped:
            render.echo(f"  - {_short(d.title)}: skipped, {d.why}")
    render.echo(report.summary())
