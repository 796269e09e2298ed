"""A first launch on a real-sized folder: the reader opens, indexes in the background (in worker
processes, started from inside the terminal interface), then searches; and the engine a new
index is built with."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.search.index import State
from tui.workspace import Workspace

from .app_helpers import make_app, settle, until
from .conftest import use_engine

BIG = 2_100  # past the size from which a build runs in worker processes


def small_articles(folder: Path, count: int) -> Path:
    """``count`` short articles, every tenth one about a lighthouse keeper."""
    folder.mkdir(parents=True)
    for n in range(count):
        topic = "Le gardien du phare range ses cartes." if n % 10 == 0 else "La mairie vote le budget."
        (folder / f"a{n:05d}.txt").write_text(
            f"Article {n}\n\n2026-01-{n % 28 + 1:02d}\n\n{topic} Paragraphe numéro {n}.\n", "utf-8"
        )
    return folder


def _statuses(app) -> str:
    return str(app.topbar.render())


@pytest.mark.parametrize("engine", ["whoosh", "tantivy"])
async def test_a_first_launch_on_a_big_folder_indexes_in_the_background_then_searches(tmp_path, engine):
    if engine == "tantivy":
        pytest.importorskip("tantivy")
    small_articles(tmp_path / "articles", BIG)
    use_engine(tmp_path, engine)
    ws = Workspace.resolve(tmp_path)
    app = make_app(ws)
    seen: set[str] = set()
    async with app.run_test(size=(120, 35)) as pilot:

        def look() -> bool:
            seen.add(_statuses(app))
            return app.indexer.ready or not app.is_running  # a failed build used to end the app

        await until(pilot, look, "the first index build finishing", seconds=600)
        await settle(pilot)
        assert app.is_running  # the build did not take the app down
        assert any("indexing" in s for s in seen), seen  # progress was shown while it ran
        assert "index unavailable" not in _statuses(app)
        assert f"{BIG:,} articles" in _statuses(app)
        box = app.query_one("#query")
        box.focus()
        await pilot.press(*"phare")
        await settle(pilot)
        status = app.search_panel.status
        await until(pilot, lambda: f"{BIG // 10} " in str(status.render()), "the search's results")
        assert app.search_panel.results.option_count > 0
    state = State.load(ws.index)
    assert state is not None and state.engine == engine and len(state.files.stats()) == BIG


def test_a_build_whose_worker_processes_cannot_start_runs_in_one_process_and_says_so(tmp_path, monkeypatch):
    """Where processes cannot be started (a sandbox, exhausted limits), the same index is built
    in one process, with one line saying why."""
    import importlib
    import multiprocessing

    from tests.conftest import update_index

    updating = importlib.import_module("tui.search.index.update")
    monkeypatch.setattr(updating, "PARALLEL_THRESHOLD", 10)
    small_articles(tmp_path / "articles", 40)
    ws = Workspace.resolve(tmp_path)
    real = multiprocessing.get_context

    class NoProcesses:
        def __init__(self, method):
            self.inner = real(method)

        def __getattr__(self, name):
            return getattr(self.inner, name)

        def Process(self, *args, **kwargs):
            raise OSError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(multiprocessing, "get_context", NoProcesses)
    report = update_index(ws)
    assert len(report.added) == 40
    assert len(report.notes) == 1 and "one process" in report.notes[0]
    assert "Resource temporarily unavailable" in report.notes[0]
    assert len(State.load(ws.index).files.stats()) == 40


def _first_build(tmp_path: Path, monkeypatch, count: int = 1_000):
    import importlib

    pytest.importorskip("tantivy")
    updating = importlib.import_module("tui.search.index.update")
    parallel = importlib.import_module("tui.search.index.parallel")
    monkeypatch.setattr(updating, "PARALLEL_THRESHOLD", 100)  # worker processes, as from 300
    monkeypatch.setattr(parallel, "PUBLISH_EVERY", 300)  # a commit every 300 files, not 2,000
    small_articles(tmp_path / "articles", count)
    use_engine(tmp_path, "tantivy")
    return Workspace.resolve(tmp_path), updating


def test_a_first_build_is_searchable_as_it_goes(tmp_path, monkeypatch):
    from tui.search.searcher import SearchEngine

    ws, updating = _first_build(tmp_path, monkeypatch)
    seen = []

    def published(done: int) -> None:  # what a searcher opened now finds
        engine = SearchEngine(ws.articles, ws.index, ws.language)
        try:
            seen.append((done, len(engine.catalog()), engine.search("phare", limit=None).total))
        finally:
            engine.close()

    report = updating.update(ws.articles, ws.index, ws.language, engine="tantivy", published=published)
    assert len(report.added) == 1_000
    assert len(seen) >= 2 and [d for d, _, _ in seen] == sorted(d for d, _, _ in seen)
    for done, listed, phare in seen:
        assert listed == done < 1_000 and 0 < phare < 100  # part of the folder, and searchable
    with SearchEngine(ws.articles, ws.index, ws.language) as engine:
        assert engine.search("phare", limit=None).total == 100


def test_a_first_build_interrupted_after_a_commit_leaves_no_index_and_the_next_builds_it_all(
    tmp_path, monkeypatch
):
    ws, updating = _first_build(tmp_path, monkeypatch)

    def published(done: int) -> None:
        raise KeyboardInterrupt  # ctrl+c, or the reader quitting, after the first commit

    with pytest.raises(KeyboardInterrupt):
        updating.update(ws.articles, ws.index, ws.language, engine="tantivy", published=published)
    assert State.load(ws.index) is None and not list(ws.index.glob("g-*"))
    report = updating.update(ws.articles, ws.index, ws.language, engine="tantivy")
    assert report.action == "built" and len(report.added) == 1_000


def _worker_dies(*args, **kwargs):
    """In a forked worker process, in place of reading a file: the process ends at once, as
    when the system's out-of-memory killer picks it."""
    import os

    os._exit(9)


def test_a_build_whose_worker_process_dies_fails_with_a_message_instead_of_waiting_for_ever(
    tmp_path, monkeypatch, engine_name
):
    """multiprocessing.Pool replaced a dead worker and lost its job: the build never ended."""
    import importlib
    import multiprocessing
    import threading

    from tests.conftest import update_index
    from tui.errors import IndexError_

    updating = importlib.import_module("tui.search.index.update")
    parallel = importlib.import_module("tui.search.index.parallel")
    monkeypatch.setattr(updating, "PARALLEL_THRESHOLD", 10)
    monkeypatch.setattr(parallel, "_context", lambda: multiprocessing.get_context("fork"))
    monkeypatch.setattr(parallel, "index_one", _worker_dies)  # the forked workers inherit it
    small_articles(tmp_path / "articles", 40)
    use_engine(tmp_path, engine_name)
    ws = Workspace.resolve(tmp_path)
    outcome: list[BaseException | None] = []

    def build() -> None:
        try:
            update_index(ws)
            outcome.append(None)
        except BaseException as exc:  # what the build raised is the result
            outcome.append(exc)

    thread = threading.Thread(target=build, daemon=True)
    thread.start()
    thread.join(120)
    assert not thread.is_alive(), "the build is still waiting for its dead worker"
    (error,) = outcome
    assert isinstance(error, IndexError_) and "worker process" in str(error), error
    assert State.load(ws.index) is None  # no half-built index left to search
    assert len(list((tmp_path / "articles").iterdir())) == 40


@pytest.mark.parametrize("workers", [True, False], ids=["worker processes", "one process"])
def test_ctrl_c_stays_ctrl_c_when_cancelling_the_write_fails_too(tmp_path, monkeypatch, workers):
    """tantivy's rollback fails when the index's files went away under it (a folder cleaned,
    a full disk): that second error used to replace the first, so a Ctrl-C came out as a
    ValueError traceback about meta.json."""
    ws, updating = _first_build(tmp_path, monkeypatch, count=400)
    if not workers:
        monkeypatch.setattr(updating, "PARALLEL_THRESHOLD", 10_000)

    def gone_then_interrupted(*args) -> None:
        for meta in ws.index.rglob("meta.json"):
            meta.unlink()
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt) as caught:
        updating.update(ws.articles, ws.index, ws.language, engine="tantivy", progress=gone_then_interrupted)
    assert any("cancelling the index's write failed too" in note for note in caught.value.__notes__)
    assert State.load(ws.index) is None
    report = updating.update(ws.articles, ws.index, ws.language, engine="tantivy")
    assert report.action == "built" and len(report.added) == 400
