"""Keeping the reader's index current: the first check at start (a first build of a big folder
is searchable as it goes), the top bar that says how far it is, an update for each batch of
changes the watcher hears (``watching``), and the poll that sees what another glose wrote
(and, when the folder cannot be watched, what files changed meanwhile). The app stays usable throughout: the
work runs in a thread worker and comes back through :func:`~..workers.reply`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.content import Content

from ...errors import GloseError
from ...sanitize import terminal
from ...wording import counted
from ..workers import reply

if TYPE_CHECKING:
    from ..host import Host


class Indexing:
    def __init__(self, app: Host):
        self.app = app
        self.running = False
        self.engine_ready = False  # searches can run (a first build: over what is committed)
        self.ready = False  # the first index check is done (tests wait on it)
        self.engine_name = ""  # the engine holding the index, for the top bar
        self._data_version: int | None = None
        self._polls = 0
        self._advised = False  # the engine tip, once per session
        self._again = False  # files changed during an update: another one after it

    def topbar(self, status: str) -> None:
        app = self.app
        name = terminal(app.ws.root.name or str(app.ws.root))
        parts = [("Glose", "bold $accent"), "  ", (name, "bold")]
        if status:
            parts += ["  ", (status, "$text-muted")]
        app.topbar.update(Content.assemble(*parts))

    def open_store(self) -> None:
        """Open the store in a worker: a read-only or locked database is said at once."""
        app = self.app

        def work() -> None:
            try:
                self._data_version = app.lib.data_version()
                readonly = app.lib.readonly
            except GloseError as exc:
                reply(app, app.notify, str(exc), severity="error", timeout=10)
                return
            if readonly:
                reply(app, app.notify, readonly, severity="warning", timeout=10)
            reply(app, app.refresh_panel)

        app.run_worker(work, thread=True, group="store")

    def update(self) -> None:
        """Bring the index up to date (the app is usable meanwhile), then search again."""
        self._again = False
        self.running = True  # at once: a change heard before the worker starts waits for it
        self.app.run_worker(self._update, thread=True, exclusive=True, group="index")

    def changed(self, articles: bool = False) -> None:
        """Files may have changed on disk (the watcher heard something, or has just started):
        update if the scan says so, or once the update under way is done (it may have scanned
        the folder before they changed). Nothing changed (a file that is no article): nothing
        is searched or shown again. ``articles``: article files were heard, so the update's
        own check decides (one scan of the folder, not two)."""
        if self.running:
            self._again = True
            return
        if articles:
            self.update()
            return

        def check() -> None:
            try:
                stale = self.app.lib.index.needs_update()
            except GloseError:
                stale = True  # the update says what is wrong
            if stale:
                reply(self.app, self._stale)

        self.app.run_worker(check, thread=True, exclusive=True, group="index-check")

    def _stale(self) -> None:
        if self.running:
            self._again = True
        else:
            self.update()

    def _update(self) -> None:
        app, lib = self.app, self.app.lib
        self.running = True
        reply(app, self.topbar, "checking the index…")
        searchable = 0  # files of a first build already committed: searched meanwhile

        def progress(done: int, total: int, article_id: str) -> None:
            status = f"indexing {done:,}/{total:,}" if done < total else "writing the index…"
            if searchable:
                status += f" · searching the first {searchable:,}"
            reply(app, self.topbar, status)

        def published(done: int) -> None:
            nonlocal searchable
            searchable = done
            lib.index.refresh()
            reply(app, self._partly_indexed)

        def say(message: str, severity: str = "information", timeout: float = 8) -> None:
            reply(app, app.notify, message, severity=severity, timeout=timeout)

        try:
            # An index that cannot be updated (locked, read-only, not a folder) still gets the
            # annotations re-anchored against the files; the report says why it stayed.
            report = lib.index.ensure(progress=progress, published=published)
            if report is not None and report.failed:
                if not lib.index.exists():
                    raise GloseError(report.failed)
                message = f"{report.failed}; searching the index as it is"
                if report.annotations is not None and report.annotations.changed:
                    message += "\n" + report.annotations.summary()
                say(message, "warning")
            elif report is not None and report.rebuilt and report.action != "built":
                say(f"Index {report.action}", "warning")
            lib.index.refresh()
            count = lib.articles.head(0)[1]
            self.engine_name = lib.index.engine_name() or ""
            advice = lib.index.advice()
            if advice and not self._advised:
                self._advised = True
                say(advice, timeout=10)
            for note in report.notes if report is not None else ():
                say(note, "warning")
        except GloseError as exc:
            reply(app, self._failed, str(exc))
            return
        except Exception as exc:  # a failed background build is a message, never the app's end
            reply(app, self._failed, f"indexing failed: {type(exc).__name__}: {exc}")
            return
        finally:
            self.running = False
        reply(app, self._done, count, report)

    def _partly_indexed(self) -> None:
        """A first build committed a batch: the list and searches cover what it holds so far."""
        self.engine_ready = True
        self.app.search_panel.again()

    def _failed(self, message: str) -> None:
        self.topbar("index unavailable")
        self.app.notify(message, severity="error", timeout=10)
        self.ready = True
        self._follow_up()

    def _follow_up(self) -> None:
        if self._again:
            self.update()

    def _done(self, count: int, report) -> None:
        app = self.app
        self.engine_ready = True
        self.topbar(" · ".join(x for x in (counted(count, "article"), self.engine_name) if x))
        if report is not None and (report.changed or report.skipped):
            message = f"Index: {report.summary()}"
            if report.annotations is not None and report.annotations.changed:
                message += "\n" + report.annotations.summary()
            app.notify(message, timeout=6)
        app.search_panel.again()
        app.reload_open_articles()
        edited = set(report.updated) if report is not None else set()
        for pane in app.panes():
            if pane.reader.article_id in edited:  # its text changed on disk: show the new one
                pane.reopen()
        self.ready = True
        self._follow_up()

    def poll(self) -> None:
        """See annotations written by another glose (a CLI call) and files edited meanwhile."""
        self.app.run_worker(self._poll, thread=True, exclusive=True, group="poll")

    def _poll(self) -> None:
        app = self.app
        self._polls += 1
        try:
            version = app.lib.data_version()
        except GloseError:
            return
        if self._data_version is not None and version != self._data_version:
            reply(app, app.reload_open_articles)
        self._data_version = version
        if self._polls % 5 or self.running or not self.engine_ready or app.watcher.active:
            return  # the watcher hears of changed files: no stat of every file needed
        if app.lib.index.needs_update():
            reply(app, self.update)
