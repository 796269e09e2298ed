"""``glose memo`` and ``glose memos``: the researcher's memos on the project, an article or a
tag, written from the command line (``--set``, ``--append``, ``--edit`` in $VISUAL/$EDITOR)."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

import click

from ..api import Library
from ..errors import GloseError
from ..wording import counted
from . import render
from .main import Failure, json_option, main, note_update, with_library
from .render import emit_json


def _which(project: bool, article: str | None, tag: str | None) -> tuple[str, str | None]:
    given = [(k, v) for k, v in (("project", project or None), ("article", article), ("tag", tag)) if v]
    if len(given) != 1:
        raise click.UsageError("give one of --project, --article ID, --tag TAG")
    kind, value = given[0]
    return kind, None if kind == "project" else value


def _named(kind: str, target: str | None) -> str:
    return "the project" if kind == "project" else f"{kind} {target}"


def edit_in_editor(text: str) -> str:
    """The text after the user's $VISUAL/$EDITOR saved it; a missing editor, one that fails
    or exits non-zero, or what is not UTF-8 text: one line, nothing saved."""
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if not editor or not editor.strip():
        raise Failure(
            "no editor: set $VISUAL or $EDITOR, or give --set TEXT or --append TEXT; nothing was saved"
        )
    with tempfile.TemporaryDirectory(prefix="glose-memo-") as folder:
        path = Path(folder) / "memo.md"
        path.write_text(text, encoding="utf-8")
        try:
            done = subprocess.run([*shlex.split(editor), str(path)])
        except (OSError, ValueError) as exc:
            raise Failure(f"cannot run the editor {editor!r} ({exc}): nothing was saved") from None
        if done.returncode != 0:
            raise Failure(f"the editor {editor!r} exited with status {done.returncode}: nothing was saved")
        try:
            return path.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            raise Failure("the editor saved text that is not UTF-8: nothing was saved") from None
        except OSError as exc:
            raise Failure(f"cannot read what the editor saved ({exc.strerror}): nothing was saved") from None


@main.command()
@click.option("--project", is_flag=True, help="The project's memo (the research question, the rules).")
@click.option("--article", metavar="ID", help="The memo of an article (id or unique prefix).")
@click.option("--tag", metavar="TAG", help="The memo of a tag of the codebook.")
@click.option(
    "--set", "set_text", metavar="TEXT", help="Write the memo (- reads standard input; '' deletes it)."
)
@click.option("--append", "append_text", metavar="TEXT", help="Add a paragraph to the memo.")
@click.option("--edit", is_flag=True, help="Open the memo in $VISUAL or $EDITOR; saved when it exits.")
@click.option("--show", is_flag=True, help="Print the memo (the default).")
@json_option("JSON: kind, target, text, coder, created, updated (null: no memo).")
@with_library
def memo(
    lib: Library,
    project: bool,
    article: str | None,
    tag: str | None,
    set_text: str | None,
    append_text: str | None,
    edit: bool,
    show: bool,
    as_json: bool,
) -> None:
    """Write or show your memo on the project, an article or a tag (undo takes a change back)."""
    kind, target = _which(project, article, tag)
    actions = [a for a in (set_text is not None, append_text is not None, edit, show) if a]
    if len(actions) > 1:
        raise click.UsageError("give one of --set, --append, --edit, --show")
    target = lib.memos.resolve(kind, target)  # a missing article or tag: one line
    if set_text is not None:
        found = lib.memos.set(kind, target, sys.stdin.read() if set_text == "-" else set_text)
    elif append_text is not None:
        found = lib.memos.append(kind, target, append_text)
    elif edit:
        if lib.readonly:
            raise GloseError(f"{lib.readonly}: the memo cannot be saved")
        held = lib.memos.get(kind, target)
        seen = held.version if held else 0
        text = edit_in_editor(held.text if held else "")
        if text == (held.text if held else ""):
            render.echo(f"the memo of {_named(kind, target)} is unchanged", err=True)
            found = held
        else:
            found = lib.memos.set(kind, target, text, version=seen)
    else:
        found = lib.memos.get(kind, target)
        if as_json:
            emit_json(found.to_json() if found else None)
        elif found is None:
            render.echo(f"no memo of yours on {_named(kind, target)}", err=True)
        else:
            render.echo(found.text)
        return
    if as_json:
        emit_json(found.to_json() if found else None)
        return
    what = _named(kind, found.target if found else target)
    if found is None:
        render.echo(f"no memo on {what} now")
    else:
        render.echo(f"memo of {what}: {counted(len(found.text), 'character')} (glose undo takes it back)")


@main.command()
@click.option("--where", "where", metavar="QUERY", help="Only the memos of the articles this query matches.")
@click.option("--coder", "only", help="Only this coder's memos.")
@json_option("JSON: a list of {kind, target, text, coder, created, updated}.")
@with_library
def memos(lib: Library, where: str | None, only: str | None, as_json: bool) -> None:
    """Every memo: the project's, then articles', then tags', with who wrote each and when."""
    if where is not None:
        note_update(lib, search=True)
    found = lib.memos.all(where=where, coder=only)
    if as_json:
        emit_json([m.to_json() for m in found])
        return
    if not found:
        render.echo("no memos", err=True)
        return
    titles = lib.articles.titles(m.target for m in found if m.kind == "article")
    for m in found:
        head = "project" if m.kind == "project" else f"{m.kind} {m.target}"
        if m.kind == "article" and m.target in titles:
            head += f" · {titles[m.target]}"
        render.echo(f"{head} · {m.coder} · {m.updated[:16].replace('T', ' ')}")
        for line in m.text.splitlines() or [""]:
            render.echo(f"  {line}")
        render.echo()
