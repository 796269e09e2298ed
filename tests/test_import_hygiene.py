"""The core never imports Textual: the CLI stays fast and the core stays testable alone."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import tui


def core_modules() -> list[str]:
    """Every module and package under ``tui`` except the app (found on disk, imported by none)."""
    found: list[str] = []

    def walk(folder: Path, prefix: str) -> None:
        for module in pkgutil.iter_modules([str(folder)]):
            name = prefix + module.name
            if name == "tui.app":
                continue
            found.append(name)
            if module.ispkg:
                walk(folder / module.name, name + ".")

    walk(Path(tui.__file__).parent, "tui.")
    return sorted(found)


CORE = core_modules()


def test_there_are_core_modules():
    assert {
        "tui.corpus",
        "tui.analysis",
        "tui.index",
        "tui.search",
        "tui.api",
        "tui.api.library",
        "tui.store",
        "tui.store.sqlite",
        "tui.cli",
        "tui.cli.main",
    } <= set(CORE)
    assert not [m for m in CORE if m == "tui.app" or m.startswith("tui.app.")]


def test_core_modules_never_import_textual():
    code = (
        "import sys\n"
        f"for name in {CORE!r}:\n"
        "    __import__(name)\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"core modules pulled in: {out.stdout.strip()}"
