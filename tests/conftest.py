"""Shared fixtures: real workspaces in tmp_path, built from the shipped sample articles."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from tui.api import Library
from tui.workspace import Workspace

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "articles"
SAMPLE_IDS = sorted(p.name for p in SAMPLES.glob("*.txt"))
# The search engines the engine-facing tests run on (search, query language, kwic, where-else,
# tag queries, crash and damage handling): they take the ``engine_name`` fixture.
ENGINES = ("whoosh", "tantivy")


def use_engine(root: Path, engine: str | None) -> None:
    """Make a workspace folder use ``engine`` (its glose.toml), as a user would."""
    if engine is not None:
        (root / "glose.toml").write_text(f'engine = "{engine}"\n', "utf-8")


@pytest.fixture(scope="session", params=ENGINES)
def engine_name(request) -> str:
    """Each search engine in turn, for the tests that exercise the engine (tantivy's are
    skipped, and say so, where the extra is not installed; CI installs it with [test])."""
    if request.param == "tantivy":
        try:
            import tantivy  # noqa: F401
        except ImportError:
            if os.environ.get("CI"):  # .ci/run installs [test]: both engines must run there
                pytest.fail("tantivy is not installed: CI must run the suite on both engines")
            pytest.skip("pip install '.[tantivy]' to run the tests on tantivy")
    return request.param


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
def workspace(tmp_path: Path, request) -> Workspace:
    """A workspace holding a copy of the five sample articles (not yet indexed); on the
    engine of ``engine_name`` when the test takes it."""
    shutil.copytree(SAMPLES, tmp_path / "articles")
    if "engine_name" in request.fixturenames:
        use_engine(tmp_path, request.getfixturevalue("engine_name"))
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


@pytest.fixture(scope="session")
def engine_index(tmp_path_factory, engine_name) -> Workspace:
    """One indexed sample workspace per engine, for read-only tests: built once each."""
    root = tmp_path_factory.mktemp(f"samples-{engine_name}")
    shutil.copytree(SAMPLES, root / "articles")
    use_engine(root, engine_name)
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
