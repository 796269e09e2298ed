"""The ``glose`` group: workspace options, ``glose DIR``, one-line errors, and the pieces
every command shares (the library, ``--json``, bringing the index up to date)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from contextlib import contextmanager
from functools import wraps
from importlib import import_module

import click

from .. import __version__
from ..api import Library
from ..commands import COMMANDS, MODULES
from ..errors import GloseError, IndexError_
from ..sanitize import NotText, argument, terminal
from .render import echo

PATH_OPTIONS = {"--workspace", "-w", "--articles", "--index", "--db", "--coder"}


class Failure(click.ClickException):
    """A foreseen failure: ``glose: message`` on stderr, exit 1."""

    def show(self, file=None) -> None:
        echo(f"glose: {self.message}", err=True)


@contextmanager
def printable_errors():
    """Click's own messages quote what was typed (a path, a value): sanitised like the rest."""
    try:
        yield
    except click.ClickException as exc:
        exc.message = terminal(exc.message)
        raise


class TextArguments:
    """Every text argument and option (all but paths) as the person typed it, before any
    command sees it: bytes a terminal that is not UTF-8 sent (``café`` in ISO-8859-1, which
    Python passes on as ``caf\\udce9``) are read in the legacy encoding, or the command is
    refused in one line (see :func:`tui.sanitize.argument`). Paths keep their bytes: a
    file's name is what the system says it is."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        rest = super().parse_args(ctx, args)
        for param in self.get_params(ctx):
            if param.name in ctx.params and not isinstance(param.type, click.Path):
                ctx.params[param.name] = _as_text(ctx.params[param.name], param)
        return rest


def _as_text(value, param: click.Parameter):
    if isinstance(value, (tuple, list)):
        return type(value)(_as_text(v, param) for v in value)
    if not isinstance(value, str):
        return value
    try:
        return argument(value)
    except NotText as exc:
        name = (
            param.opts[0] if param.opts and param.param_type_name == "option" else (param.name or "").upper()
        )
        raise Failure(f"{name}: not text ({exc}); set the terminal to UTF-8") from None


class GloseCommand(TextArguments, click.Command):
    pass


class GloseSubgroup(TextArguments, click.Group):
    command_class = GloseCommand


class GloseGroup(TextArguments, click.Group):
    """Reads ``glose DIR`` as ``glose --workspace DIR`` (a subcommand name wins over a folder
    of the same name), turns every :class:`GloseError` into one line and exit 1, and imports a
    command's module only when that command is asked for."""

    command_class = GloseCommand
    group_class = GloseSubgroup

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        args = list(args)
        i = 0
        while i < len(args):
            arg = args[i]
            if arg == "--":
                break
            if arg in PATH_OPTIONS:
                i += 2
                continue
            if arg.startswith("-"):
                i += 1
                continue
            if arg not in COMMANDS:
                args[i : i + 1] = ["--workspace", arg]
            break
        return super().parse_args(ctx, args)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        """The command ``name``, its module imported now (see :mod:`tui.commands`)."""
        if name not in self.commands and name in MODULES:
            import_module(f"{__package__}.{MODULES[name]}")
        return super().get_command(ctx, name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Every command (``glose --help``): each module imported."""
        self.load_all()
        return super().list_commands(ctx)

    def load_all(self) -> None:
        """Import every command's module, so that :attr:`commands` holds them all."""
        for module in sorted(set(MODULES.values())):
            import_module(f"{__package__}.{module}")

    def make_context(self, *args, **kwargs) -> click.Context:
        with printable_errors():
            return super().make_context(*args, **kwargs)

    def invoke(self, ctx: click.Context):
        try:
            with printable_errors():
                return super().invoke(ctx)
        except GloseError as exc:
            raise Failure(str(exc)) from None
        except KeyboardInterrupt:
            echo("interrupted", err=True)
            sys.exit(130)


def with_library(fn: Callable) -> Callable:
    """Pass the workspace's :class:`Library` (closed when the command ends) first."""

    @wraps(fn)
    @click.pass_context
    def wrapper(ctx: click.Context, *args, **kwargs):
        with ctx.obj["library"]() as lib:
            for warning in lib.warnings:
                echo(f"glose: {warning}", err=True)
            return fn(lib, *args, **kwargs)

    return wrapper


def json_option(help: str = "JSON (keys documented in the README).") -> Callable:
    """The one ``--json`` flag, passed as ``as_json``."""
    return click.option("--json", "as_json", is_flag=True, help=help)


def where_option(
    help: str = "Only the articles this search finds (a query, as glose search: set:NAME too).",
) -> Callable:
    """The one ``--where QUERY`` option of every listing and analysis, passed as ``where``;
    the command narrows with :func:`where_articles`."""
    return click.option("--where", "where", metavar="QUERY", help=help)


def where_articles(lib: Library, where: str | None, dedupe: str | None = None) -> frozenset[str] | None:
    """Bring the index up to date (in place of :func:`note_update`: a ``--where`` query
    needs the index, the rest does not), then the articles ``--where`` names (None: no
    ``--where``, every article), each wire family counted once among them with ``--dedupe
    families`` (its note on stderr): what every API call takes as ``within=``."""
    note_update(lib, search=where is not None or dedupe is not None)
    within = lib.search.within(where)
    if dedupe is None:
        return within
    kept, note = lib.families.counted_once(None if within is None else sorted(within))
    echo(f"note: {note}", err=True)
    return frozenset(kept)


def dedupe_option() -> Callable:
    """The one ``--dedupe families`` option (passed as ``dedupe``): count each wire family
    once (its canonical member, else its source)."""
    return click.option(
        "--dedupe",
        type=click.Choice(["families"]),
        help="Count each wire family once: its canonical member, else its source (glose families).",
    )


def query_text(words: tuple[str, ...]) -> str:
    for word in words:
        if word.startswith("--"):
            raise click.UsageError(f"no such option: {word}")
    text = " ".join(words).strip()
    if not text:
        raise click.UsageError("give a query, for example: glose search deshabiller")
    return text


# Commands that cannot answer without a usable index; the others (annotations, review, export,
# import, stats...) go on without one.


def note_update(lib: Library, *, search: bool = False) -> None:
    """Bring the index up to date before a command, telling stderr when it did work.

    When the index cannot be updated, the annotations still follow the files (the library
    re-anchors them against the files themselves) and stderr says once why: searches then use
    the index as it was, and with no usable index at all only the search commands fail (one
    line, exit 1: ``search``), since listing, reviewing or exporting annotations does not need
    one.
    """
    report = lib.index.ensure()
    if report is None:
        return
    for note in report.notes:
        echo(f"glose: {note}", err=True)
    if report.failed:
        if lib.index.exists():
            echo(f"glose: {report.failed}; searching the index as it is", err=True)
        elif search:
            raise IndexError_(report.failed)
        else:
            echo(f"glose: {report.failed}; search is unavailable", err=True)
    elif report.changed or report.skipped or report.warnings:
        echo(f"index {report.action}: {report.summary()}", err=True)
    if report.annotations is not None and report.annotations.changed:
        echo(report.annotations.summary(), err=True)


def _version(ctx: click.Context, root, index_dir) -> None:
    """``glose --version``: Glose's version, then the engine that searches this workspace."""
    from ..api.indexing import engine_description
    from ..workspace import Workspace

    echo(f"glose, version {__version__}")
    try:
        echo(engine_description(Workspace.resolve(root, index=index_dir)))
    except (GloseError, OSError):
        pass
    ctx.exit()


@click.group(
    cls=GloseGroup, invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]}
)
@click.option(
    "-w",
    "--workspace",
    "root",
    type=click.Path(file_okay=False),
    help="Workspace folder (default: the current one).",
)
@click.option("--articles", type=click.Path(), help="Articles folder (default: WORKSPACE/articles).")
@click.option("--index", "index_dir", type=click.Path(), help="Index folder (default: WORKSPACE/index).")
@click.option(
    "--db", type=click.Path(dir_okay=False), help="Annotations database (default: WORKSPACE/annotations.db)."
)
@click.option("--coder", help="Who is coding (default: GLOSE_CODER, coder in glose.toml, the OS user).")
@click.option(
    "-V", "--version", "version", is_flag=True, help="Show the version and the search engine, and exit."
)
@click.pass_context
def main(ctx: click.Context, root, articles, index_dir, db, coder, version) -> None:
    """Glose: read, search and annotate a folder of plain-text articles.

    \b
    glose [DIR]               open the reader on DIR (default: the current folder)
    glose COMMAND --help      help on one command
    """
    if version:
        _version(ctx, root, index_dir)
    ctx.ensure_object(dict)

    def library(frontend: str = "cli") -> Library:
        return Library.open(root, articles=articles, index=index_dir, db=db, frontend=frontend, coder=coder)

    ctx.obj["library"] = library
    if ctx.invoked_subcommand is None:
        from ..ui import start

        start(root, articles=articles, index=index_dir, db=db, coder=coder)
