"""The engine a new index is built with: Whoosh for a small folder, tantivy from
``tui.search.engines.TANTIVY_FROM`` articles, unless glose.toml or ``--engine`` says otherwise; an
existing index keeps its engine, and every front end names it."""

from __future__ import annotations

import importlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tui.search.engines import TANTIVY_FROM
from tui.search.index import State
from tui.workspace import Workspace

from .app_helpers import make_app, ready
from .conftest import ROOT, SAMPLES, use_engine
from .test_background_index import small_articles

LARGE = 1_500


def _index_json(cli, ws: Workspace, *args: str) -> dict:
    return json.loads(cli(ws, "index", "--json", *args).stdout)


def _large(tmp_path: Path, count: int = LARGE) -> Workspace:
    small_articles(tmp_path / "articles", count)
    return Workspace.resolve(tmp_path)


def test_the_five_samples_get_whoosh_and_say_so(cli, workspace):
    report = _index_json(cli, workspace)
    assert report["engine"] == "whoosh" and report["added"] == 5
    assert set(report) >= {"engine", "added", "updated", "removed", "unchanged", "skipped", "seconds"}
    assert State.load(workspace.index).engine == "whoosh"
    again = _index_json(cli, workspace)
    assert (again["engine"], again["added"], again["unchanged"]) == ("whoosh", 0, 5)
    assert "search engine: whoosh" in cli(workspace, "--version").stdout


def test_a_new_folder_of_1500_articles_gets_tantivy_and_says_so(cli, tmp_path):
    pytest.importorskip("tantivy")
    ws = _large(tmp_path)
    report = _index_json(cli, ws)
    assert (report["engine"], report["added"]) == ("tantivy", LARGE)
    assert State.load(ws.index).engine == "tantivy"
    assert json.loads(cli(ws, "search", "phare", "--json").stdout)["total"] == LARGE // 10


def test_glose_toml_or_engine_overrides_the_size(cli, tmp_path):
    ws = _large(tmp_path)
    use_engine(ws.root, "whoosh")
    assert _index_json(cli, Workspace.resolve(ws.root))["engine"] == "whoosh"


def test_without_tantivy_a_large_folder_gets_whoosh_with_one_line_saying_why(tmp_path):
    ws = _large(tmp_path)
    script = (
        "import sys; sys.modules['tantivy'] = None\n"  # as if its wheel could not be installed
        "from tui.cli import main\n"
        f"main(['--workspace', {str(ws.root)!r}, 'index', '--json'])\n"
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["engine"] == "whoosh"
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "tantivy cannot be imported" in lines[0] and "Whoosh" in lines[0]


def test_a_whoosh_index_that_grows_past_the_threshold_stays_whoosh_and_says_how_to_switch(cli, tmp_path):
    shutil.copytree(SAMPLES, tmp_path / "articles")
    ws = Workspace.resolve(tmp_path)
    assert _index_json(cli, ws)["engine"] == "whoosh"
    small_articles(tmp_path / "articles" / "more", TANTIVY_FROM)
    result = cli(ws, "index")
    assert "Built a new" not in result.stdout  # never a silent rebuild
    assert State.load(ws.index).engine == "whoosh"
    tips = [line for line in result.stdout.splitlines() if line.startswith("tip:")]
    assert len(tips) == 1 and "glose index --engine tantivy" in tips[0]


async def test_the_reader_names_the_engine_in_its_top_bar(workspace):
    app = make_app(workspace)
    async with app.run_test(size=(120, 35)) as pilot:
        await ready(pilot)
        assert "5 articles · whoosh" in str(app.topbar.render())


def test_glose_index_into_a_log_prints_progress_lines_on_stderr(cli, tmp_path, monkeypatch):
    from tui.cli.reading import ProgressLines

    monkeypatch.setattr(ProgressLines, "EVERY", 0.0)  # a line at every step, not every few seconds
    # one process: a step per file (worker processes are polled every 0.1 s, and two of them
    # read 300 short files in less than that)
    monkeypatch.setattr(importlib.import_module("tui.search.index.update"), "PARALLEL_THRESHOLD", 10_000)
    ws = _large(tmp_path, 300)
    result = cli(ws, "index")
    lines = [line for line in result.stderr.splitlines() if line.startswith("indexing: ")]
    assert len(lines) >= 2 and all("/300 files (" in line and "/s" in line for line in lines[:-1])
    assert lines[-1].startswith("indexing: 300 files read in ") and lines[-1].endswith("writing the index")
    assert sum("300 files read" in line for line in lines) == 1  # said once, not every few seconds
    assert "300 added" in result.stdout  # the summary stays on stdout


def test_progress_lines_say_nothing_more_once_every_file_is_read(monkeypatch, capsys):
    """An engine may report the last file more than once (tantivy's build did, and the line
    after the last one compared a time with None): one "files read" line, then silence."""
    from tui.cli.reading import ProgressLines

    monkeypatch.setattr(ProgressLines, "EVERY", 0.0)
    progress = ProgressLines()
    for done in (150, 300, 300, 300):
        progress(done, 300, "x.txt")
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 2 and lines[0].startswith("indexing: 150/300 files (")
    assert lines[1].startswith("indexing: 300 files read in ")
