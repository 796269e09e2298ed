"""The core never imports Textual: the CLI stays fast and the core stays testable alone."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import tui

CORE = sorted(f"tui.{m.name}" for m in pkgutil.iter_modules(tui.__path__) if m.name != "app")


def test_there_are_core_modules():
    assert {"tui.corpus", "tui.analysis", "tui.index", "tui.search", "tui.cli"} <= set(CORE)


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
