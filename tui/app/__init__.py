"""The Textual interface. The only package allowed to import Textual."""

from __future__ import annotations

from ..workspace import Workspace


def run(ws: Workspace) -> None:
    from .app import GloseApp

    GloseApp(ws).run()
