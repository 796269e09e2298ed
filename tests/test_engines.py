"""The engine seam: Whoosh and tantivy find the same articles, switching engines rebuilds with
a message, a damaged tantivy index is rebuilt, and a missing tantivy says how to install it.

The suite's engine-facing tests (search, query language, kwic, where-else, tag queries, crash
handling) run on both engines through the ``engine_name`` fixture; this file holds what is
about the engines themselves.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bench.common import QUERIES
from bench.corpus import generate
from tui.api import Library, Passage
from tui.errors import QueryError
from tui.search.engines.tantivy_engine import day
from tui.search.index import State
from tui.workspace import Workspace

from .conftest import ROOT, SAMPLES, update_index, use_engine

# The queries of the README's query syntax table (tag: aside: it needs the store) and of the bench.
README_QUERIES = [
    "grok premium",
    '"service premium"',
    "harcel*",
    "grok -premium",
    "grok NOT premium",
    "deshabiller OR denuder",
    "grok (starmer OR lescure)",
    "title:grok",
    'title:"service premium"',
    "source:ats",
    "date:2026-01",
    "date:2026-01-09",
    "date:2026",
    "date:2026-01-05..2026-01-10",
    "date:2026-01-05..",
    "date:..2025",
    "coeur",
    "l'IA",
    "image",
    '"ça fait" -x',
    "-grok",
]


def _matches(ws: Workspace, queries: list[str]) -> dict[str, list[str]]:
    with Library(ws) as lib:
        return {q: sorted(h.article for h in lib.search.run(q, limit=None).hits) for q in queries}


def _workspace(root: Path, articles: Path, engine: str) -> Workspace:
    shutil.copytree(articles, root / "articles")
    use_engine(root, engine)
    ws = Workspace.resolve(root)
    update_index(ws)
    return ws


def test_both_engines_find_the_same_articles_on_the_readme_and_bench_queries(tmp_path):
    queries = README_QUERIES + [q for _, q, _ in QUERIES]
    found = {e: _matches(_workspace(tmp_path / e, SAMPLES, e), queries) for e in ("whoosh", "tantivy")}
    assert found["whoosh"] == found["tantivy"]
    assert sum(map(bool, found["whoosh"].values())) > len(queries) // 2  # the queries do find things


def test_both_engines_agree_on_a_generated_corpus_with_dates_and_phrases(tmp_path):
    articles = generate(tmp_path / "gen", 300)
    queries = [q for _, q, _ in QUERIES] + ["date:2025-07..2025-08", "date:..2025-06-30", "date:2026"]
    found = {e: _matches(_workspace(tmp_path / e, articles, e), queries) for e in ("whoosh", "tantivy")}
    assert found["whoosh"] == found["tantivy"]
    assert found["whoosh"]["date:2025-07..2025-08"]


def test_the_top_result_of_known_item_queries_is_the_same(engine_index):
    with Library(engine_index) as lib:
        assert lib.search.run('"service premium"', limit=1).hits[0].article.startswith("000")
        assert lib.search.run("title:lescure OR lescure", limit=1).hits[0].article.startswith("003")


def test_switching_engines_rebuilds_with_a_message_and_later_commands_keep_it(cli, workspace):
    assert "Built a new index" in cli(workspace, "index").stdout
    switched = cli(workspace, "index", "--engine", "tantivy")
    assert "Built a new index: the search engine changed from whoosh to tantivy." in switched.stdout
    search = cli(workspace, "search", "grok", "--json")
    assert search.exit_code == 0 and "index" not in search.stderr  # no rebuild back
    assert json.loads(search.stdout)["total"] == 5
    assert State.load(workspace.index).engine == "tantivy"
    (workspace.root / "glose.toml").write_text('engine = "whoosh"\n', "utf-8")
    back = cli(workspace, "search", "grok", "--json")
    assert "index rebuilt (the search engine changed from tantivy to whoosh)" in back.stderr
    assert json.loads(back.stdout)["total"] == 5


@pytest.mark.parametrize("victim", ["*.term", "*.store", "meta.json"])
def test_a_damaged_tantivy_index_is_rebuilt(cli, workspace, victim):
    use_engine(workspace.root, "tantivy")
    assert cli(workspace, "index").exit_code == 0
    state = State.load(workspace.index)
    next((workspace.index / state.generation).glob(victim)).write_bytes(b"")
    result = cli(workspace, "index")
    assert "Built a new index: the index is damaged:" in result.stdout
    assert json.loads(cli(workspace, "search", "grok", "--json").stdout)["total"] == 5


def test_a_missing_tantivy_index_folder_is_rebuilt_before_searching(cli, workspace):
    use_engine(workspace.root, "tantivy")
    cli(workspace, "index")
    shutil.rmtree(workspace.index / State.load(workspace.index).generation)
    result = cli(workspace, "search", "grok", "--json")
    assert "rebuilt" in result.stderr and "is missing" in result.stderr
    assert json.loads(result.stdout)["total"] == 5


def test_without_tantivy_installed_the_message_says_how_to_install_it(workspace):
    use_engine(workspace.root, "tantivy")
    script = (
        "import sys; sys.modules['tantivy'] = None\n"  # as if the extra were not installed
        "from tui.cli import main\n"
        f"main(['--workspace', {str(workspace.root)!r}, 'index'])\n"
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.strip() == (
        "glose: the tantivy engine cannot be imported here: pip install --force-reinstall tantivy "
        '(or use engine = "whoosh")'
    )


def test_glose_index_suggests_tantivy_past_the_size_where_whoosh_slows(cli, workspace, monkeypatch):
    import tui.search.engines

    monkeypatch.setattr(tui.search.engines, "SUGGEST_TANTIVY_FROM", 5)  # the samples stand for 5,000
    assert "tip: 5 articles: the tantivy engine" in cli(workspace, "index").stdout
    assert "tip:" not in cli(workspace, "index", "--engine", "tantivy").stdout
    (workspace.root / "glose.toml").write_text('engine = "whoosh"\n', "utf-8")  # chosen: no nagging
    assert "tip:" not in cli(workspace, "index").stdout


def test_dates_sort_as_numbers_the_way_they_sort_as_text():
    dates = ["0", "2025", "2025-12-31", "2026", "2026-01", "2026-01-05", "2026-01-05~", "2026-01~", "2026~"]
    assert sorted(dates) == sorted(dates, key=day)
    assert day("2026-01-05") == 20260105 and day("2026-01~") == 20260199 and day("not a date") is None


# --- OpenSearch: the mapping and the query DSL, checked without a cluster -------------------


def _evaluate(query: dict, doc: dict) -> bool:
    """What OpenSearch's query DSL means, for the clauses the builder uses, over one ``_source``
    (terms as space-separated text): enough to check the builder's semantics here."""
    kind, body = next(iter(query.items()))
    if kind == "match_all":
        return True
    if kind == "match_none":
        return False
    if kind == "bool":
        must = all(_evaluate(q, doc) for q in body.get("must", []))
        must_not = not any(_evaluate(q, doc) for q in body.get("must_not", []))
        should = any(_evaluate(q, doc) for q in body["should"]) if "should" in body else True
        return must and must_not and should
    if kind == "terms":
        return doc["id"] in body["id"]
    field, spec = next(iter(body.items()))
    value = doc.get(field, "")
    tokens = value.split() if field not in ("id", "date", "hash") else [value]
    if kind == "term":
        return spec["value"] in tokens
    if kind == "prefix":
        return any(t.startswith(spec["value"]) for t in tokens)
    if kind == "match_phrase":
        words = spec["query"].split()
        return any(tokens[i : i + len(words)] == words for i in range(len(tokens)))
    if kind == "range":
        return bool(value) and spec["gte"] <= value <= spec["lte"]
    raise AssertionError(f"the builder made a clause this check does not know: {kind}")


def test_the_opensearch_query_dsl_finds_what_whoosh_finds(shared_index):
    from tui.search.engines.opensearch_engine import OpenSearchBuilder, source
    from tui.search.index.writing import index_document
    from tui.search.query import compile_query
    from tui.text.corpus import read_article, scan

    docs = [source(index_document(read_article(f.path, f.id), {}), "fr") for f in scan(shared_index.articles)]
    queries = README_QUERIES + [q for _, q, _ in QUERIES]
    expected = _matches(shared_index, queries)
    for query in queries:
        dsl = compile_query(query, "fr", builder=OpenSearchBuilder()).query
        json.dumps(dsl)  # plain JSON, ready to send
        assert sorted(d["id"] for d in docs if _evaluate(dsl, d)) == expected[query], query


def test_the_opensearch_mapping_follows_the_field_list_and_the_bulk_is_idempotent():
    from tui.search.engines.base import FIELDS
    from tui.search.engines.opensearch_engine import bulk_actions, mapping, settings

    properties = mapping()["properties"]
    assert {f.name for f in FIELDS} <= set(properties)
    assert (
        properties["body"]["analyzer"] == "glose_terms" and properties["body"]["index_options"] == "positions"
    )
    french = settings()["analysis"]["analyzer"]["glose_french"]["filter"]
    assert french.index("icu_folding") < french.index("glose_stem")  # fold, then stem, as Glose does
    doc = {
        "id": "a.txt",
        "title": "L'IA générée",
        "body": "Des images générées par l'IA.",
        "date": "2026-01-05",
    }
    actions = list(bulk_actions("glose", [("index", doc), ("delete", "b.txt")], "fr"))
    assert actions[0] == {"index": {"_index": "glose", "_id": "a.txt"}}
    assert actions[1]["body"] == "imag gener ia" and actions[1]["text"] == doc["body"]
    assert actions[2] == {"delete": {"_index": "glose", "_id": "b.txt"}}


def test_results_are_kept_per_query_until_the_index_changes(workspace, engine_name):
    update_index(workspace)
    with Library(workspace) as lib:
        first = lib.search.run("grok")
        assert lib.search.run("grok") is first  # typed again: no second trip to the engine
        (workspace.articles / "neuf.txt").write_text("Grok encore, un article tout neuf.\n", "utf-8")
        lib.index.update()
        lib.index.refresh()
        assert lib.search.run("grok") is not first and len(lib.search.run("grok", limit=None).hits) == 6
        lib.annotations.annotate(Passage("neuf.txt", quote="tout neuf"), tags=["nouveau"])
        assert [h.article for h in lib.search.run("tag:nouveau").hits] == ["neuf.txt"]
        lib.annotations.annotate(Passage("000", quote="Grok", occurrence=1), tags=["nouveau"])
        assert len(lib.search.run("tag:nouveau").hits) == 2  # tag: queries are never kept


# A build in a fresh process, as ``glose index`` runs one: nothing but the build's own threads.
_FRESH_BUILD = """
import importlib, sys
from pathlib import Path
updating = importlib.import_module("tui.search.index.update")
parallel = importlib.import_module("tui.search.index.parallel")
updating.PARALLEL_THRESHOLD = 10
print(parallel._context().get_start_method())
updating.update(Path(sys.argv[1]), Path(sys.argv[2]), "fr", rebuild=True, engine=sys.argv[3])
"""


@pytest.mark.parametrize("threaded", [False, True], ids=["command-line", "beside-a-thread"])
def test_a_parallel_build_indexes_what_a_serial_build_does(tmp_path, engine_name, monkeypatch, threaded):
    """Large builds run in worker processes (Whoosh: a segment each; tantivy: workers analyse,
    the parent writes); here the threshold is lowered so 60 articles take that path. A command
    line forks its workers (they start with Glose imported); a process with another thread
    running (the reader, a progress bar) spawns them, since a fork would copy locks that
    thread holds."""
    import importlib
    import threading

    updating = importlib.import_module(
        "tui.search.index.update"
    )  # (tui.search.index.update is also a function)
    parallel_mod = importlib.import_module("tui.search.index.parallel")
    articles = generate(tmp_path / "gen", 60)
    serial = _workspace(tmp_path / "serial", articles, engine_name)
    if threaded:
        monkeypatch.setattr(updating, "PARALLEL_THRESHOLD", 10)
        stop = threading.Event()
        other = threading.Thread(target=stop.wait, daemon=True)
        other.start()
        try:
            assert parallel_mod._context().get_start_method() == "spawn"
            parallel = _workspace(tmp_path / "parallel", articles, engine_name)
        finally:
            stop.set()
    else:
        parallel = _workspace(tmp_path / "parallel", articles, engine_name)
        shutil.rmtree(parallel.index)
        done = subprocess.run(
            [sys.executable, "-c", _FRESH_BUILD, str(parallel.articles), str(parallel.index), engine_name],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        )
        assert done.stdout.split() == ["fork" if sys.platform.startswith("linux") else "spawn"]
    assert State.load(parallel.index).files == State.load(serial.index).files
    queries = [q for _, q, _ in QUERIES]
    assert _matches(parallel, queries) == _matches(serial, queries)


def _typed(*queries: str) -> list[str]:
    """Every key of typing each query, then three backspaces and the end typed again."""
    keys = []
    for query in queries:
        keys += [query[:i] for i in range(1, len(query) + 1)]
        keys += [query[:-3], query[:-2], query[:-1], query]
    return [k for k in keys if k.strip()]


def _shown(lib: Library, query: str):
    """What the reader shows for a query: the hits and the snippets of the first rows."""
    try:
        results = lib.search.run(query, limit=200)
    except QueryError as exc:
        return str(exc)
    snippets = [lib.search.snippet(h.article, results.compiled.highlight) for h in results.hits[:40]]
    return results.query, results.hits, results.compiled.highlight, snippets


def test_search_as_you_type_shows_what_an_engine_without_kept_results_shows(workspace, engine_name):
    update_index(workspace)
    typed = _typed(
        "plateforme", "Déshabiller", '"service premium"', "grok -premium", "la création d'images", "harcel*"
    )
    with Library(workspace) as kept, Library(workspace) as fresh:
        for query in typed:
            fresh.ctx.engine.forget()  # every query asked of the engine, every snippet made
            assert _shown(kept, query) == _shown(fresh, query), query
        # keys that do not change what is asked are not asked again
        first = kept.search.run("plateform")
        for same in ("plateforme", "Plateforme ", "plateformes", "la plateforme"):
            assert kept.search.run(same).hits is first.hits and kept.search.run(same).query == same
        assert kept.search.run("plateformes grok").hits is not first.hits


def test_kept_snippets_are_dropped_when_the_index_changes(workspace, engine_name):
    update_index(workspace)
    with Library(workspace) as lib:
        results = lib.search.run("grok")
        article = results.hits[0].article
        before = lib.search.snippet(article, results.compiled.highlight)
        path = workspace.articles / article
        path.write_text("Grok, réécrit.\n\nUn texte tout autre où Grok revient.\n", "utf-8")
        lib.index.update()
        lib.index.refresh()
        results = lib.search.run("grok")
        after = lib.search.snippet(article, results.compiled.highlight)
        assert after != before and after.text.startswith("Grok, réécrit.")
