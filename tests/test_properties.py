"""Properties that must hold for any input (hypothesis)."""

from __future__ import annotations

import shutil
import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui.api import Passage
from tui.errors import QueryError
from tui.search.query import compile_query
from tui.store import Store
from tui.text.anchoring import relocate, select
from tui.text.corpus import canonical_text, content_hash

from .conftest import SAMPLES, update_index

QUERY_ALPHABET = string.ascii_letters + string.digits + " \"'()*-:.“”«»éèàçœ/_[]\\" + "\t\n"
SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@SETTINGS
@given(st.text(alphabet=QUERY_ALPHABET, max_size=40) | st.text(max_size=20))
def test_the_query_parser_only_ever_raises_our_error(query):
    try:
        compile_query(query, tags=lambda field, name: {"a.txt"})
    except QueryError:
        pass


@SETTINGS
@given(st.text(max_size=300))
def test_loading_is_idempotent(raw):
    once = canonical_text(raw)
    assert canonical_text(once) == once
    assert "\x1b" not in once and "\r" not in once


@SETTINGS
@given(st.text(min_size=1, max_size=300), st.data())
def test_selectors_quote_exactly_the_span(text, data):
    text = canonical_text(text) or "x"
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    sel = select(text, start, end)
    assert sel.exact == text[start:end]
    where = relocate(text, sel)
    assert where.status == "anchored" and (where.start, where.end) == (start, end)


BASE = (SAMPLES / "004_82fd22c88201b152.txt").read_text("utf-8")
edit = st.tuples(
    st.sampled_from(["insert", "delete", "replace"]),
    st.integers(0, len(BASE)),
    st.integers(0, 400),
    st.text(alphabet=string.ascii_letters + " éà.,\n", max_size=60),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(edit, min_size=1, max_size=6))
def test_random_edits_never_lose_an_annotation(tmp_path, edits):
    folder = tmp_path / "edits"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    with Store(folder / "a.db") as store:
        made = []
        for quote in ("Keir Starmer", "une insulte aux victimes", "Bruxelles", "ordonnance de conservation"):
            i = BASE.index(quote)
            made.append(
                store.create("a.txt", BASE, content_hash(BASE), i, i + len(quote), tags=["t"], note=quote)
            )
        text = BASE
        for kind, at, length, new in edits:
            at = min(at, len(text))
            if kind == "insert":
                text = text[:at] + new + text[at:]
            elif kind == "delete":
                text = text[:at] + text[at + length :]
            else:
                text = text[:at] + new + text[at + length :]
            store.reanchor("a.txt", text, content_hash(text))
        after = {a.id: a for a in store.annotations()}
        assert set(after) == {a.id for a in made}  # nothing lost
        for ann in made:
            now = after[ann.id]
            assert now.note == ann.note and now.tags == ann.tags
            if now.status == "orphaned":
                assert now.exact == ann.exact  # the quote is kept intact
            else:
                assert text[now.start : now.end] == now.exact


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.tuples(
            st.sampled_from(
                [
                    "Keir Starmer",
                    "Bruxelles",
                    "une insulte aux victimes",
                    "Grok",
                    "ordonnance de conservation",
                ]
            ),
            st.lists(
                st.text(alphabet=string.ascii_letters + "éàç/ -[]", min_size=1, max_size=12).filter(
                    lambda t: (
                        t.strip("/ ")
                        and "//" not in t
                        and not t.startswith("/")
                        and not t.endswith("/")
                        and "/ " not in t
                        and " /" not in t
                    )
                ),
                max_size=3,
            ),
            st.text(max_size=40),
        ),
        min_size=1,
        max_size=5,
    ),
    st.sampled_from(["json", "qdpx"]),
)
def test_export_then_import_is_the_identity(tmp_path, items, fmt):
    from tui.api import Library
    from tui.workspace import Workspace

    def workspace(name: str) -> Workspace:
        root = tmp_path / name
        shutil.rmtree(root, ignore_errors=True)
        (root / "articles").mkdir(parents=True)
        shutil.copy(SAMPLES / "004_82fd22c88201b152.txt", root / "articles" / "a.txt")
        ws = Workspace.resolve(root)
        update_index(ws)
        return ws

    source, target = workspace("source"), workspace("target")
    with Library(source) as lib:
        for quote, tags, note in items:
            lib.annotations.annotate(Passage("a.txt", quote=quote, occurrence=1), tags=tags, note=note)
        payload = lib.exchange.export(fmt).payload
        expected = sorted(
            (a.id, a.start, a.end, a.exact, tuple(sorted(a.tags, key=str.casefold)), a.note)
            for a in lib.annotations.find()
        )
    path = tmp_path / f"export.{fmt}"
    path.write_bytes(payload)
    with Library(target) as lib:
        lib.exchange.import_file(path)
        got = sorted(
            (a.id, a.start, a.end, a.exact, tuple(sorted(a.tags, key=str.casefold)), a.note)
            for a in lib.annotations.find()
        )
    assert got == expected


@SETTINGS
@given(st.text(max_size=300) | st.text(alphabet=QUERY_ALPHABET + "ℍᴴŒœﬁ’", max_size=200))
def test_the_indexed_terms_are_the_word_by_word_terms(text):
    from tui.text.analysis import index_terms, terms

    assert index_terms(text) == terms(text)


@SETTINGS
@given(st.text(max_size=300) | st.text(alphabet=QUERY_ALPHABET + "ℍᴴŒœﬁ’ͺ", max_size=200))
def test_the_text_tantivy_indexes_splits_into_the_indexed_terms(text):
    from tui.text.analysis import index_terms, index_text

    def tokens(s: str) -> list[str]:  # tantivy's whitespace tokenizer: runs of spaces are one
        return [t for t in s.split(" ") if t]

    assert tokens(index_text(text)) == tokens(" ".join(index_terms(text)))
