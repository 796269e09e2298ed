"""Hard conditions: a read-only workspace, a full disk, a database locked for long,
the TUI and the CLI writing at once, and no user text ever reaching a shell."""

from __future__ import annotations

import contextlib
import json
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tui.api import Library, Passage
from tui.store import Store, StoreError
from tui.workspace import Workspace

from .conftest import SAMPLE_IDS, SAMPLES, update_index

ROOT = Path(__file__).resolve().parent.parent


@contextlib.contextmanager
def tmpfs(path: Path, size: str):
    """A real small filesystem (root in CI can mount one); skips the test elsewhere."""
    path.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip("cannot mount a tmpfs here (needs root)")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], capture_output=True)


def remount_read_only(path: Path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(path)], check=True, capture_output=True)


def test_read_only_workspace_browses_and_refuses_writes_clearly(cli, tmp_path):
    with tmpfs(tmp_path / "ro", "20m") as root:
        shutil.copytree(SAMPLES, root / "articles")
        ws = Workspace.resolve(root)
        update_index(ws)
        with Library(ws) as lib:
            lib.annotations.annotate(Passage("004", quote="Thomas Régnier"), tags=["acteurs"])
        remount_read_only(root)
        search = cli(ws, "search", "grok", "--json")
        assert search.exit_code == 0 and json.loads(search.stdout)["total"] == 5
        listing = json.loads(cli(ws, "annotations", "--json").stdout)
        assert [r["quote"] for r in listing] == ["Thomas Régnier"]
        for args in (
            ("annotate", "004", "--quote", "Keir Starmer", "--occurrence", "1"),
            ("tag", "rename", "acteurs", "x"),
        ):
            result = cli(ws, *args)
            assert result.exit_code == 1
            assert "read-only" in result.stderr and "Traceback" not in result.stderr
        export = cli(ws, "export", "--format", "csv")
        assert export.exit_code == 0 and "Thomas Régnier" in export.stdout
        (tmp_path / "touch").write_text("x")  # outside the read-only mount: still fine


def test_changed_files_on_a_read_only_index_still_search(cli, tmp_path):
    with tmpfs(tmp_path / "ro2", "20m") as root:
        shutil.copytree(SAMPLES, root / "articles")
        ws = Workspace.resolve(root)
        update_index(ws)
        (root / "articles" / SAMPLE_IDS[0]).write_text("Texte remplacé sur Grok.", "utf-8")
        remount_read_only(root)
        result = cli(ws, "search", "grok", "--json")
        assert result.exit_code == 0
        assert "searching the index as it is" in result.stderr
        assert json.loads(result.stdout)["total"] == 5


def test_full_disk_gives_a_message_and_keeps_what_was_saved(cli, tmp_path):
    with tmpfs(tmp_path / "full", "600k") as root:
        shutil.copytree(SAMPLES, root / "articles")
        ws = Workspace.resolve(root)
        update_index(ws)
        saved, error = 0, None
        with Library(ws) as lib:
            store = lib.ctx.store
            text = (root / "articles" / SAMPLE_IDS[4]).read_text("utf-8")
            from tui.text.corpus import content_hash

            for n in range(20000):
                try:
                    store.create(
                        SAMPLE_IDS[4], text, content_hash(text), 10, 200, tags=[f"t{n % 50}"], note="x" * 200
                    )
                    saved += 1
                except StoreError as exc:
                    error = str(exc)
                    break
        assert error is not None and "disk is full" in error
        conn = sqlite3.connect(ws.db)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*) FROM annotations").fetchone()[0] == saved
        conn.close()
        export = cli(ws, "export", "--format", "json", "-o", str(root / "big.json"))
        assert export.exit_code == 1 and "cannot write" in export.stderr and "Traceback" not in export.stderr
        assert not list(root.glob(".big.json*")) and not (root / "big.json").exists()  # no half file


def test_a_database_locked_for_long_is_a_clear_message(tmp_path):
    db = tmp_path / "annotations.db"
    Store(db).close()
    blocker = sqlite3.connect(db, isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        with Store(db, busy_timeout_ms=300) as store, pytest.raises(StoreError, match="stayed locked"):
            store.create_tag("x")
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    with Store(db) as store:
        assert store.create_tag("x").name == "x"


async def test_tui_and_cli_write_the_same_workspace_at_once(indexed):
    """The app codes passages while a CLI process annotates: no lock error reaches anyone,
    and each sees the other's annotations."""
    from tui.ui.reader.view import Reader

    from .app_helpers import make_app, ready, search_and_open, settle

    app = make_app(indexed)
    async with app.run_test(size=(120, 35)) as pilot:
        await ready(pilot)
        await search_and_open(pilot, "ordonnance")
        cli = subprocess.Popen(
            [sys.executable, "-c", CLI_LOOP, str(indexed.root)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        reader: Reader = app.reader
        words = [m.start() for m in re.finditer(r"\b\w{6,}\b", reader.text)][:25]
        for start in words:
            reader.select(start, start + 6)
            await pilot.press("a")
            await settle(pilot)
            await pilot.press(*"tui", "ctrl+s")
            await settle(pilot)
        _, err = cli.communicate(timeout=120)
        assert cli.returncode == 0, err.decode()
        assert b"locked" not in err
        errors = [n for n in app._notifications if n.severity == "error"]
        assert errors == []
        with Store(indexed.db) as store:
            by_tag = {t.name: t.count for t in store.tags()}
        assert by_tag == {"tui": len(words), "cli": 25}


CLI_LOOP = """
import sys, subprocess
for n in range(25):
    r = subprocess.run([sys.executable, "-m", "tui.cli", "--workspace", sys.argv[1], "annotate", "002",
                        "--quote", "Grok", "--occurrence", str(n % 5 + 1), "-t", "cli"], capture_output=True, text=True)
    if r.returncode != 0:
        sys.stderr.write(r.stderr)
        sys.exit(1)
"""


# The one program Glose runs: the user's own $VISUAL/$EDITOR for ``glose memo --edit``, with
# an argument list (never a shell), on a file Glose made.
RUNS_A_PROGRAM = {"tui/cli/memos.py"}


def test_no_user_text_can_reach_a_shell():
    """Glose runs no shell: the code holds no shell=True, os.system or os.popen, and starts a
    program in one audited place only."""
    offenders = []
    for path in (ROOT / "tui").rglob("*.py"):
        source = path.read_text("utf-8")
        name = path.relative_to(ROOT).as_posix()
        for pattern in ("shell=True", "os.system(", "os.popen(", "subprocess"):
            if pattern in source and not (pattern == "subprocess" and name in RUNS_A_PROGRAM):
                offenders.append(f"{name}: {pattern}")
    assert offenders == []
    for name in RUNS_A_PROGRAM:
        source = (ROOT / name).read_text("utf-8")
        assert "subprocess.run([" in source and "shell=" not in source
