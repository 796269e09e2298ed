"""Keeping the reader's index current: the first check at start (a first build of a big folder
is searchable as it goes), the top bar that says how far it is, an update of the folders of
each batch of changes the watcher hears (``watching``), and the poll that sees what another
glose wrote (and what files changed meanwhile: every 10 s when the folder cannot be watched,
once a minute for what a watcher can miss). The app stays usable throughout: the
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


WATCHED_CHECK_POLLS = 30  # with a watcher, a check of every file each 30 polls (a minute)


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
        self._again_paths: set[str] | None = set()  # ...of these only (None: look at every file)

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

    def update(self, paths: list[str] | None = None) -> None:
        """Bring the index up to date (the app is usable meanwhile), then search again.
        ``paths`` (what the watcher heard): only their folders are looked at."""
        self._again, self._again_paths = False, set()
        self.running = True  # at once: a change heard before the worker starts waits for it
        self.app.run_worker(lambda: self._update(paths), thread=True, exclusive=True, group="index")

    def changed(self, paths: list[str] | None = None) -> None:
        """Files may have changed on disk: update if the scan says so, or once the update under
        way is done (it may have scanned the folder before they changed). ``paths``: what the
        watcher heard (relative to ``articles/``): the update looks at their folders only, and
        itself decides whether anything changed; None (the watcher has just started): a check
        of every file first, so that nothing is searched or shown again if nothing changed."""
        if self.running:
            self._again = True
            if paths is None or self._again_paths is None:
                self._again_paths = None
            else:
                self._again_paths.update(paths)
            return
        if paths:
            self.update(paths)
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
            self._again, self._again_paths = True, None
        else:
            self.update()

    def _update(self, paths: list[str] | None = None) -> None:
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
            report = lib.index.ensure(progress=progress, published=published, paths=paths)
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
            self.update(None if self._again_paths is None else sorted(self._again_paths))

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
        # The watcher hears of changed files, and its updates look at their folders only: a
        # stat of every file once a minute then, for what a watcher can miss (an overflowing
        # queue of events, a folder mounted over another); every 10 s without one.
        every = WATCHED_CHECK_POLLS if app.watcher.active else 5
        if self._polls % every or self.running or not self.engine_ready:
            return
        if app.lib.index.needs_update():
            reply(app, self.update)
