"""The core never imports Textual: the CLI stays fast and the core stays testable alone."""

from __future__ import annotations

import os
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
            if name == "tui.ui":
                continue
            found.append(name)
            if module.ispkg:
                walk(folder / module.name, name + ".")

    walk(Path(tui.__file__).parent, "tui.")
    return sorted(found)


CORE = core_modules()


def test_there_are_core_modules():
    assert {
        "tui.text.corpus",
        "tui.text.analysis",
        "tui.search.index",
        "tui.search.searcher",
        "tui.api",
        "tui.api.library",
        "tui.store",
        "tui.store.store",
        "tui.cli",
        "tui.cli.main",
    } <= set(CORE)
    assert not [m for m in CORE if m == "tui.ui" or m.startswith("tui.ui.")]


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


def test_no_import_cycle_anywhere_in_the_package():
    """No module reaches itself through its imports (function-level and type-only imports
    count too: the app's helpers are typed against ``ui.host.Host``, not the app): the layers
    are a direction, not a knot."""
    import grimp

    graph = grimp.build_graph("tui", exclude_type_checking_imports=False)
    cycles = []
    for module in sorted(graph.modules):
        for imported in graph.find_modules_directly_imported_by(module):
            if imported != module and graph.chain_exists(importer=imported, imported=module):
                cycles.append((module, imported))
    # a package's __init__ re-exporting its submodules is not a cycle of code
    cycles = [(a, b) for a, b in cycles if not (b.startswith(a + ".") or a.startswith(b + "."))]
    assert cycles == []


def test_the_one_shot_commands_do_not_import_the_app_or_sqlite_utils():
    """glose search stays a quick process: the CLI path imports neither Textual nor, for a read
    that needs no store, sqlite-utils."""
    code = (
        "import sys\n"
        "import tui.cli\n"
        "tui.cli.main.load_all()\n"
        "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'tui') and "
        "(m.startswith('textual') or m.startswith('tui.ui')))))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_a_one_shot_search_of_a_current_index_imports_neither_the_store_nor_metadata(indexed):
    """``glose search`` on an index that is current reads no annotation store (a read-only
    query of the annotations' hashes aside) and guesses no metadata: each import is time a
    one-shot search pays before it prints."""
    code = (
        "import sys\n"
        "from tui.cli import main\n"
        f"sys.argv = ['glose', '--workspace', {str(indexed.root)!r}, 'search', 'grok']\n"
        "try:\n"
        "    main()\n"
        "except SystemExit as exc:\n"
        "    assert not exc.code, exc.code\n"
        "print(','.join(sorted(m for m in sys.modules if m.startswith(('tui.store', 'tui.text.metadata', 'sqlite_utils')))), file=sys.stderr)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "article" in out.stdout
    assert out.stderr.strip().splitlines()[-1:] in ([], [""]), out.stderr


def test_no_module_imports_another_modules_private_names():
    """An underscore name is its module's own: one that another module needs is part of an
    interface, and gets a public name (the house issue; tests may reach inside)."""
    import ast

    root = Path(tui.__file__).parent
    found = []
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.level or (node.module or "").startswith("tui")):
                found += [
                    f"{path.relative_to(root)}: {alias.name}"
                    for alias in node.names
                    if alias.name.startswith("_") and not alias.name.startswith("__")
                ]
    assert found == []


def test_the_tree_shows_the_layers():
    """At most 12 loose modules at the top of tui/, no module over 500 lines, no class with
    more than 40 methods: the limits the house issue set, so that the next capability lands
    in a room of its own rather than in a drawer."""
    import ast

    root = Path(tui.__file__).parent
    loose = sorted(p.name for p in root.glob("*.py"))
    assert len(loose) <= 12, loose
    long = {
        str(p.relative_to(root)): n
        for p in root.rglob("*.py")
        if (n := len(p.read_text("utf-8").splitlines())) > 500
    }
    assert long == {}
    big = {}
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.ClassDef):
                methods = sum(isinstance(m, ast.FunctionDef | ast.AsyncFunctionDef) for m in node.body)
                if methods > 40:
                    big[f"{path.relative_to(root)}:{node.name}"] = methods
    assert big == {}


def test_a_one_shot_whoosh_search_loads_only_what_it_uses_and_leaves_the_real_modules(indexed):
    """A search of a Whoosh index loads neither the API parts it does not call, nor the other
    commands, nor what Whoosh imports for nothing (``urllib.request``, ``asyncio``, its English
    morphology); and the stand-ins used for those while Whoosh loads are gone after: importing
    the real modules later gives the real ones, Whoosh's own ``variations`` included."""
    code = (
        "import sys\n"
        "from tui.launch import main\n"
        f"sys.argv = ['glose', '--workspace', {str(indexed.root)!r}, 'search', 'grok']\n"
        "try:\n"
        "    main()\n"
        "except SystemExit as exc:\n"
        "    assert not exc.code, exc.code\n"
        "unused = ('asyncio', 'urllib.request', 'cached_property', 'whoosh.lang.morph_en', 'rich',\n"
        "          'tui.model', 'tui.api.articles', 'tui.api.coders', 'tui.api.counting', 'tui.cli.coding')\n"
        "print('loaded:', [m for m in unused if m in sys.modules], file=sys.stderr)\n"
        "import cached_property, urllib.request\n"
        "from whoosh.query.terms import variations\n"
        "print('real:', hasattr(urllib.request, 'urlopen'), hasattr(cached_property, '__file__'),\n"
        "      'rendering' in variations('render'), file=sys.stderr)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}  # a pipe, as a script reads it
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert out.returncode == 0, out.stderr
    assert "grok" in out.stdout.lower()
    assert out.stderr.splitlines()[-2:] == ["loaded: []", "real: True True True"], out.stderr
