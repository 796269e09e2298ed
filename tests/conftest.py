"""Shared fixtures: real workspaces in tmp_path, built from the shipped sample articles."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from tui.api import Library
from tui.workspace import Workspace

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "articles"
SAMPLE_IDS = sorted(p.name for p in SAMPLES.glob("*.txt"))


def update_index(ws: Workspace, **kwargs):
    """Index a workspace through the library (as ``glose index`` does); returns the report."""
    with Library(ws) as lib:
        return lib.update_index(**kwargs)


@pytest.fixture(autouse=True)
def private_state(tmp_path_factory, monkeypatch) -> Path:
    """The reader's session files go to a folder of the test's own, never the user's home."""
    state = tmp_path_factory.mktemp("state")
    monkeypatch.setenv("XDG_STATE_HOME", str(state))
    return state


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    """A workspace holding a copy of the five sample articles (not yet indexed)."""
    shutil.copytree(SAMPLES, tmp_path / "articles")
    return Workspace.resolve(tmp_path)


@pytest.fixture
def indexed(workspace: Workspace) -> Workspace:
    update_index(workspace)
    return workspace


@pytest.fixture(scope="session")
def shared_index(tmp_path_factory) -> Workspace:
    """One indexed sample workspace for read-only tests (search, kwic): built once."""
    root = tmp_path_factory.mktemp("samples")
    shutil.copytree(SAMPLES, root / "articles")
    ws = Workspace.resolve(root)
    update_index(ws)
    return ws


@pytest.fixture
def cli():
    """Run ``glose`` in-process through click's runner; returns the Result."""
    from tui.cli import main

    runner = CliRunner()

    def run(ws: Workspace, *args: str, input: str | None = None):
        return runner.invoke(main, ["--workspace", str(ws.root), *args], input=input, catch_exceptions=False)

    return run
