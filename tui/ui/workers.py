"""Handing a thread worker's result back to the screen."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.app import App
from textual.dom import DOMNode
from textual.worker import NoActiveWorker, get_current_worker

from ..errors import GloseError


def app_of(node: DOMNode) -> App | None:
    """The app ``node`` is in, or None when it has left it (a worker starting or finishing
    after its widget was removed, or after the app closed)."""
    if isinstance(node, App):
        return node
    try:
        return node.app
    except Exception:  # NoActiveAppError
        return None


def cancelled() -> bool:
    """Whether the thread worker running this has been cancelled (superseded by a newer one of
    its exclusive group, or its widget left): its remaining work would only compete with the
    newer worker for the interpreter."""
    try:
        return get_current_worker().is_cancelled
    except NoActiveWorker:
        return False


def reply(node: DOMNode, callback: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
    """Run ``callback`` on the UI thread with what a worker found, unless nobody is left to see
    it: the worker was cancelled (its widget went away, the app is closing) or the app stopped.

    A thread worker cannot be stopped in the middle of a call into the core; it finishes, and
    must not then fail on a widget that is no longer in an app (a failed worker takes the app
    down with it)."""
    if cancelled():
        return
    app = app_of(node)
    if app is None or not app.is_running:
        return
    app.call_from_thread(callback, *args, **kwargs)


def in_worker(
    app: App,
    call: Callable[[], Any],
    then: Callable[[Any], None] | None = None,
    *,
    group: str,
    exclusive: bool = False,
    timeout: float = 6,
) -> None:
    """Ask the core in a thread worker and show the answer: ``call``'s result goes to ``then``
    on the UI thread; a :class:`GloseError` (a locked store, a refused change, a missing file)
    becomes one notification, as text. The one shape of "run a library call, say what failed"."""

    def work() -> None:
        try:
            result = call()
        except GloseError as exc:
            reply(app, app.notify, str(exc), severity="error", timeout=timeout)
            return
        if then is not None:
            reply(app, then, result)

    app.run_worker(work, thread=True, exclusive=exclusive, group=group)
