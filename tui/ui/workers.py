"""Handing a thread worker's result back to the screen."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.app import App
from textual.dom import DOMNode
from textual.worker import NoActiveWorker, get_current_worker


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
