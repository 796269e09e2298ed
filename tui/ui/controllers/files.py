"""Writing files out and taking files in from the reader: the export dialog and "Add files".

Both dialogs write from the dialog itself (in a thread, as :class:`~.dialogs.SavingDialog`
does), so an error (an unknown tag, a folder that cannot be written, a file that cannot be
read) keeps the dialog open with everything typed; a notification says what was done.
"""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import TYPE_CHECKING

from ...errors import GloseError
from ...wording import counted

if TYPE_CHECKING:
    from ..host import Host
    from ..screens.export import ExportRequest


def open_export(app: Host) -> None:
    from ..screens.export import ExportDialog

    def write(request: ExportRequest):
        path = Path(request.path)
        return app.lib.exchange.export(
            request.fmt,
            tag=request.tag,
            article=request.article,
            path=path,
            make_folder=path.parent == app.lib.exchange.folder(),  # the default folder only
            replace=True,  # the dialog asked for a second press before an existing file
        )

    def done(exported) -> None:
        if exported is not None:
            message = f"Exported {exported.what()} to {exported.path}"
            app.notify("\n".join([message, *exported.notes]), timeout=8)

    app.push_screen(ExportDialog(app.lib, app.reader.article_id, app.codebook, write), done)


def open_add_files(app: Host) -> None:
    """The palette's "Add files": the paths (as a shell would split them, ~ allowed) are
    added as ``glose add`` adds them; the index follows."""
    from ..screens.dialogs import PromptDialog

    def done(report) -> None:
        if report is not None:
            app.notify(report.summary(), timeout=10)

    app.push_screen(
        PromptDialog(
            "Add files to articles/ (paths separated by spaces; quote those with spaces)",
            help="Europresse, Factiva, Nexis exports, saved web pages, PDF, DOCX, ODT, RTF, EPUB. "
            "Duplicates are set aside; a file that cannot be read adds nothing.",
            submit=lambda answer: add_files(app, answer),
        ),
        done,
    )


def add_files(app: Host, answer: str):
    """Add the paths of ``answer`` (in the dialog's thread). Any failure raises, so the
    dialog stays open saying what failed (and what was added meanwhile)."""
    try:
        paths = [Path(p).expanduser() for p in shlex.split(answer)]
    except ValueError as exc:
        raise GloseError(f"cannot read the paths: {exc}") from exc
    if not paths:
        raise GloseError("give the path of a file (or several, separated by spaces)")

    def progress(done: int, total: int, path) -> None:
        label = f"adding {done}/{total}" if total else f"reading {Path(str(path)).name}"
        app.call_from_thread(app.indexer.topbar, label)

    try:
        report = app.lib.intake.add(paths, progress=progress)
    finally:
        app.call_from_thread(app.indexer.update)  # what was added; the top bar's count again
    errors = [f"{i.path}: {i.error}" for i in report.inputs if i.error]
    if errors:
        raise GloseError("\n".join([report.summary(), *errors]))
    return report


def import_variables(app: Host, answer: str):
    """Import a spreadsheet of variables (in the dialog's thread), all or nothing, as ``glose
    vars import``: a row that names no single article keeps the dialog open, saying which."""
    typed = answer.strip()
    if not typed:
        raise GloseError("give the path of a CSV file: its first column names the articles")
    path = Path(typed).expanduser()
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise GloseError(f"cannot read {path}: {exc.strerror or exc}") from exc
    report = app.lib.variables.import_csv(data)
    if report["errors"]:
        rows = [f"row {e['row']}: {e['error']}" for e in report["errors"][:5]]
        more = len(report["errors"]) - len(rows)
        raise GloseError(
            "\n".join(
                [
                    f"nothing imported: {len(report['errors'])} of {report['rows']} rows name no single article",
                    *rows,
                    *([f"… and {more} more"] if more > 0 else []),
                    "(fix them, or glose vars import --partial)",
                ]
            )
        )
    return report


def open_import_variables(app: Host) -> None:
    from ..screens.dialogs import PromptDialog

    def done(report) -> None:
        if report is not None:
            columns = ", ".join(report["columns"]) or "no column"
            app.notify(
                f"{counted(report['changed'], 'value')} changed in {counted(report['articles'], 'article')} ({columns})",
                timeout=8,
            )

    app.push_screen(
        PromptDialog(
            "Import variables from a spreadsheet (CSV)",
            help="First column: the article (id, unique prefix or file name); then one column per variable "
            "(genre, …). , ; or tab separated. One change: u takes it back.",
            submit=lambda answer: import_variables(app, answer),
        ),
        done,
    )


def write_report(app: Host, answer: str, where: str | None):
    """Write the report to the path typed (in the dialog's thread): by tag, of the articles of
    the search on screen when the lists follow it. An existing file, a missing folder or an
    unknown format keeps the dialog open, saying why."""
    typed = answer.strip()
    if not typed:
        raise GloseError("give the report's file: its extension says the format (.docx, .odt, .html, .md)")
    path = Path(typed).expanduser()
    if not path.is_absolute():
        path = app.ws.root / path
    return app.lib.writing.report(path, by="tag", where=where)


def open_report(app: Host) -> None:
    from ..screens.dialogs import PromptDialog

    where = app.lists.where()

    def done(reported) -> None:
        if reported is not None:
            app.notify(f"Wrote the report ({reported.what()}) to {reported.path}", timeout=8)

    scope = f"the articles of “{where}”" if where else "every article"
    app.push_screen(
        PromptDialog(
            "Write a report of the coded passages, by tag",
            value="report.docx",
            help=f"Of {scope} (F: follow the search or not). .docx, .odt, .html or .md; "
            "an existing file is not replaced (glose report --force).",
            submit=lambda answer: write_report(app, answer, where),
        ),
        done,
    )


class Files:
    """What the reader's ``x`` and "Add files" run (``do('files', …)``)."""

    def __init__(self, app: Host):
        self.app = app

    def export(self) -> None:
        open_export(self.app)

    def add(self) -> None:
        open_add_files(self.app)

    def import_variables(self) -> None:
        open_import_variables(self.app)

    def report(self) -> None:
        open_report(self.app)
