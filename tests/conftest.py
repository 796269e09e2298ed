"""Shared fixtures: real workspaces in tmp_path, built from the shipped sample articles."""

from __future__ import annotations

import os
import shutil
import sqlite3
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
# The annotation stores the store-facing tests run on (the ``store_backend`` fixture).
STORES = ("sqlite", "postgresql")
# The builtin article variables, in the order every listing and export gives them.
BUILTIN_VARIABLES = ("source", "date", "author", "section", "page", "words", "language", "origin")


def use_engine(root: Path, engine: str | None) -> None:
    """Make a workspace folder use ``engine`` (its glose.toml), as a user would."""
    if engine is not None:
        (root / "glose.toml").write_text(f'engine = "{engine}"\n', "utf-8")


@pytest.fixture(scope="session", params=ENGINES)
def engine_name(request) -> str:
    """Each search engine in turn, for the tests that exercise the engine (tantivy's are
    skipped, and say so, where its wheel cannot be imported; it is a dependency of Glose)."""
    if request.param == "tantivy":
        try:
            import tantivy  # noqa: F401
        except ImportError:
            if os.environ.get("CI"):  # .ci/run installs [test]: both engines must run there
                pytest.fail("tantivy is not installed: CI must run the suite on both engines")
            pytest.skip("tantivy cannot be imported here: the tests on tantivy are skipped")
    return request.param


def newer(ws: Workspace) -> None:
    """Make the store one a newer Glose migrated further: it opens read-only."""
    conn = sqlite3.connect(ws.db)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES ('glose', '0099_future', 'x')"
    )
    conn.commit()
    conn.close()


def update_index(ws: Workspace, **kwargs):
    """Index a workspace through the library (as ``glose index`` does); returns the report."""
    with Library(ws) as lib:
        return lib.index.update(**kwargs)


@pytest.fixture(autouse=True)
def private_state(tmp_path_factory, monkeypatch) -> Path:
    """The reader's session files go to a folder of the test's own, never the user's home."""
    state = tmp_path_factory.mktemp("state")
    monkeypatch.setenv("XDG_STATE_HOME", str(state))
    return state


@pytest.fixture
def workspace(tmp_path: Path, request) -> Workspace:
    """A workspace holding a copy of the five sample articles (not yet indexed); on the
    engine of ``engine_name`` and the store of ``store_backend`` when the test takes them."""
    shutil.copytree(SAMPLES, tmp_path / "articles")
    if "engine_name" in request.fixturenames:
        use_engine(tmp_path, request.getfixturevalue("engine_name"))
    if "store_backend" in request.fixturenames:
        use_store(tmp_path, request.getfixturevalue("store_backend"))
    return Workspace.resolve(tmp_path)


def use_store(root: Path, store: str) -> None:
    """Make a workspace folder keep its annotations in ``store`` (its glose.toml)."""
    if store != "sqlite":
        with open(root / "glose.toml", "a", encoding="utf-8") as fh:
            fh.write(f'store = "{store}"\n')


@pytest.fixture(scope="session")
def pg_cluster():
    """A throwaway PostgreSQL cluster for the session. Where none can be started the
    PostgreSQL tests skip, saying why, except under CI, where they must run: they fail."""
    from .pg_cluster import Cluster, Unavailable

    try:
        cluster = Cluster().start()
    except Unavailable as exc:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL could not be started, and CI must run the PostgreSQL tests: {exc}")
        pytest.skip(f"no PostgreSQL to test the shared store on: {exc}")
    yield cluster
    cluster.stop()


@pytest.fixture
def pg_url(pg_cluster) -> str:
    """A new, empty PostgreSQL database of the test's own (dropped after it)."""
    url = pg_cluster.create_database()
    yield url
    pg_cluster.drop_database(url)


@pytest.fixture(params=STORES)
def store_backend(request) -> str:
    """Each store in turn, as glose.toml names it: "sqlite", then a fresh PostgreSQL address."""
    return "sqlite" if request.param == "sqlite" else request.getfixturevalue("pg_url")


@pytest.fixture
def store(tmp_path, store_backend):
    """An empty annotation store of each backend (a SQLite file in tmp_path, a PostgreSQL
    database of the test's own)."""
    from tui.store import open_store

    with open_store(store_backend, tmp_path / "annotations.db") as s:
        yield s


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
