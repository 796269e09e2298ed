"""Hearing of articles changed on disk while the reader is open: a watcher thread waits on the
folder (``lib.index.watch``) and, for each batch of changes, asks the indexer to update, the
same path as at start (so annotations follow an edited text as they always have), after which
the results and the open articles are shown again.

The watcher is a plain daemon thread, not a Textual worker: it lives as long as the app, and
waiting on it would hang whatever waits for the workers to finish. It never touches a widget:
it only hands the batch to the UI thread (:func:`~..workers.reply` then ``call_from_thread``).
It stops within one quiet step (50 ms) of :meth:`stop` (the app unmounting), or when the app
is no longer running."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from ...errors import GloseError

if TYPE_CHECKING:
    from ..host import Host


class _Stop:
    """What the watcher looks at every step: asked to stop, or the app gone."""

    def __init__(self, app: Host, event: threading.Event):
        self._app, self._event = app, event

    def is_set(self) -> bool:
        return self._event.is_set() or not self._app.is_running


class Watching:
    def __init__(self, app: Host):
        self.app = app
        self.active = False  # changes on disk are heard (the poll need not stat every file)
        self.batches = 0  # batches heard so far (tests wait on it)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread is not None:
            return
        self._thread = threading.Thread(target=self._run, name="glose-watch", daemon=True)
        self._thread.start()

    def stop(self, wait: float = 2.0) -> None:
        self._stop.set()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(wait)

    def _run(self) -> None:
        app = self.app
        try:
            for changed in app.lib.index.watch(_Stop(app, self._stop)):
                if not self.active:  # watching now: what changed before it is the scan's to find
                    self.active = True
                    self._hand(app.indexer.changed)
                if changed.paths:
                    self.batches += 1
                    self._hand(app.indexer.changed, changed.paths)
        except GloseError as exc:
            self._hand(
                app.notify, f"{exc}; checking for changes every few seconds instead", severity="warning"
            )
        except Exception as exc:  # the watcher failing is a message, never the app's end
            self._hand(
                app.notify, f"watching the articles failed: {type(exc).__name__}: {exc}", severity="warning"
            )
        finally:
            self.active = False

    def _hand(self, callback, *args, **kwargs) -> None:
        """Run ``callback`` on the UI thread, unless the app is closing."""
        app = self.app
        if self._stop.is_set() or not app.is_running:
            return
        try:
            app.call_from_thread(callback, *args, **kwargs)
        except RuntimeError:  # the app's loop closed between the check and the call
            pass
