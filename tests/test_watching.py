"""The reader hears of articles changed on disk (a watcher thread on articles/), indexes them
through the same update as at start, and shows the results and the open article again, the
annotations following the edited text; the watcher stops with the app."""

from __future__ import annotations

import threading

from tui.api import Library, Passage
from tui.store import Store
from tui.text.watching import watch_articles

from .app_helpers import make_app, ready, settle, until

UK = "la création d'images illégales en un service premium"
ADDED = "Zibelines et ornithorynques en tête de cet article.\n\n"


def annotations(ws):
    with Store(ws.db) as store:
        return store.annotations()


async def test_an_article_edited_on_disk_is_indexed_and_shown_again(indexed):
    with Library(indexed) as lib:
        lib.annotations.annotate(Passage("004", quote=UK), tags=["suivi"])
    (before,) = annotations(indexed)
    path = next(indexed.articles.glob("004*"))
    article = path.name
    app = make_app(indexed)
    async with app.run_test(size=(120, 35)) as pilot:
        await ready(pilot)
        await until(pilot, lambda: app.watcher.active, "the watcher starting")
        app.open_article(article, "left")
        await settle(pilot)
        assert app.reader.article_id == article
        app.query_one("#query").value = "ornithorynques"
        results = app.query_one("#results")
        await until(pilot, lambda: app.search_panel.shown_query == "ornithorynques", "the search")
        await settle(pilot)
        assert results.option_count == 0

        path.write_text(ADDED + path.read_text("utf-8"), "utf-8")  # an editor saving in place

        await until(pilot, lambda: results.option_count == 1, "the edited article found", seconds=30)
        assert results.get_option_at_index(0).id == article
        await settle(pilot)
        assert app.reader.text.startswith(ADDED.rstrip("\n").split("\n")[0])  # the reader shows it
        (after,) = annotations(indexed)
        assert after.id == before.id and after.status == "moved"
        assert after.start == before.start + len(ADDED)  # the annotation followed its text
        assert app.reader.text[after.start : after.end] == UK
    assert not app.watcher._thread.is_alive()  # stopped with the app


async def test_a_file_that_is_no_article_changes_nothing_on_screen(indexed):
    app = make_app(indexed)
    async with app.run_test(size=(120, 35)) as pilot:
        await ready(pilot)
        await until(pilot, lambda: app.watcher.active, "the watcher starting")
        searched = app.search_panel.shown_query
        heard = app.watcher.batches
        (indexed.articles / "notes").write_text("pas un article", "utf-8")  # no suffix: heard
        await until(pilot, lambda: app.watcher.batches > heard, "the change heard")
        await settle(pilot)
        assert not app.indexer.running and app.search_panel.shown_query == searched
        assert not [n for n in app._notifications if n.message.startswith("Index:")]


def test_the_watcher_reports_article_changes_and_stops_when_asked(tmp_path):
    articles = tmp_path / "articles"
    (articles / "sub").mkdir(parents=True)
    (articles / ".hidden").mkdir()
    stop = threading.Event()
    batches = []
    ready = threading.Event()

    def run() -> None:
        for batch in watch_articles(articles, stop):
            ready.set()
            if batch.paths:
                batches.append(batch)
                stop.set()

    thread = threading.Thread(target=run)
    thread.start()
    assert ready.wait(20), "the watcher never started"
    (articles / ".hidden" / "x.txt").write_text("caché", "utf-8")
    (articles / "sub" / "a~").write_text("une sauvegarde d'éditeur", "utf-8")
    (articles / "sub" / "nouveau.txt").write_text("Un article.", "utf-8")
    thread.join(30)
    assert not thread.is_alive()
    assert [batch.paths for batch in batches] == [["sub/nouveau.txt"]]  # not the hidden, not the backup
