"""The Textual interface. The only package allowed to import Textual."""

from __future__ import annotations

from ..api import Library


def run(lib: Library) -> None:
    from .app import GloseApp

    GloseApp(lib).run()
