"""Exact copies of an article (the same text saved under two names, an alias page): each is an
article of its own in the index, with its own name, metadata block and file, while what is
derived from the text alone (guessed metadata, word count, language, index terms) is worked
out once for both (tui.text.recent)."""

from __future__ import annotations

import importlib
import shutil

import pytest

from tui.api import Library
from tui.text import corpus, metadata
from tui.text.recent import Recent

from .conftest import update_index

ORIGINAL = "000_7525c6e5bbe6bac6.txt"
updating = importlib.import_module("tui.search.index.update")


def _copies(workspace) -> dict[str, str]:
    """Beside the original: a plain copy in a sub-folder, a copy under a metadata block of its
    own, and a near copy (one word added); returns the distinctive word of the near copy."""
    articles = workspace.articles
    text = (articles / ORIGINAL).read_text("utf-8")
    (articles / "copies").mkdir()
    shutil.copy(articles / ORIGINAL, articles / "copies" / "same.txt")
    (articles / "titled.txt").write_text(
        f"---\ntitle: Un autre titre\nsource: Le Temps\n---\n{text}", "utf-8"
    )
    first, rest = text.split("\n", 1)
    (articles / "near.txt").write_text(f"{first}\nzygomatique\n{rest}", "utf-8")
    return {"same": "copies/same.txt", "titled": "titled.txt", "near": "near.txt"}


def _check(workspace, names: dict[str, str]) -> None:
    with Library(workspace) as lib:
        engine = lib.ctx.engine
        info = {i: engine.info(i) for i in (ORIGINAL, *names.values())}
        original = engine.text(ORIGINAL)
        word = max(original.split(), key=len).strip(".,;:«»()\"'’")
        found = {h.article for h in engine.search(word, limit=None).hits}
        assert {ORIGINAL, *names.values()} <= found
        assert {h.article for h in engine.search("zygomatique", limit=None).hits} == {names["near"]}
    same, titled, near = (info[names[k]] for k in ("same", "titled", "near"))
    assert (same.title, same.date, same.source) == (
        info[ORIGINAL].title,
        info[ORIGINAL].date,
        info[ORIGINAL].source,
    )
    assert (titled.title, titled.source) == ("Un autre titre", "Le Temps")  # its own block wins
    assert titled.date == info[ORIGINAL].date  # guessed from the same text
    assert near.title == info[ORIGINAL].title


def test_copies_are_articles_of_their_own(workspace, engine_name):
    names = _copies(workspace)
    report = update_index(workspace)
    assert sorted(report.added) == sorted(
        [*names.values(), *(p.name for p in workspace.articles.glob("0*.txt"))]
    )
    _check(workspace, names)


def test_copies_in_a_parallel_build(workspace, engine_name, monkeypatch):
    """Worker processes each keep their own memory of what they read: the copies of one
    article may fall to two of them, or to one."""
    monkeypatch.setattr(updating, "PARALLEL_THRESHOLD", 4)
    monkeypatch.setattr(importlib.import_module("tui.search.index.parallel"), "PREPARE_CHUNK", 2)
    names = _copies(workspace)
    update_index(workspace)
    _check(workspace, names)


def test_a_copy_is_not_guessed_again_but_an_edited_file_is(workspace, monkeypatch):
    calls = []
    real = metadata.guess_metadata

    def counted(text, fallback_title):
        calls.append(text[:40])
        return real(text, fallback_title)

    monkeypatch.setattr(metadata, "guess_metadata", counted)
    corpus._derived.clear()
    names = _copies(workspace)
    articles = workspace.articles
    first = corpus.load_article(articles, ORIGINAL)
    copy = corpus.load_article(articles, names["same"])
    titled = corpus.load_article(articles, names["titled"])
    assert len(calls) == 1  # the text of all three is the same
    assert (copy.words, copy.language, copy.date, copy.title) == (
        first.words,
        first.language,
        first.date,
        first.title,
    )
    assert titled.title == "Un autre titre"
    (articles / names["same"]).write_text(first.text + "\nUn ajout.\n", "utf-8")
    edited = corpus.load_article(articles, names["same"])
    assert len(calls) == 2 and edited.words == first.words + 2


def test_a_text_without_a_title_takes_each_copys_own_file_name(tmp_path):
    text = "un deux trois\n" * 3  # no line long enough for a title
    for name in ("alpha.txt", "beta.txt"):
        (tmp_path / name).write_text(text, "utf-8")
    assert [corpus.load_article(tmp_path, n).title for n in ("alpha.txt", "beta.txt")] == ["alpha", "beta"]


@pytest.mark.parametrize("sizes", [(4, 4, 4), (9, 2), (11,)])
def test_recent_keeps_at_most_its_limit(sizes):
    memo: Recent[int, str] = Recent(10)
    for key, size in enumerate(sizes):
        assert memo.put(key, f"v{key}", size) == f"v{key}"  # what is put is returned, kept or not
        assert memo.size <= memo.limit
    last = len(sizes) - 1
    assert memo.get(last) == (f"v{last}" if sizes[-1] <= 10 else None)
    if sizes == (4, 4, 4):  # the third did not fit: the memo started again with it
        assert (memo.get(0), memo.get(1), memo.size) == (None, None, 4)
