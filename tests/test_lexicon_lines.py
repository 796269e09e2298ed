"""Every figure of the lexicon opens the lines behind it: ``glose words`` says 42 for a word,
``glose kwic WORD --unit …`` lists 42 lines; on the shipped articles and on a real Europresse
export brought in with ``glose add``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tui.api import Library
from tui.workspace import Workspace

FIXTURES = Path(__file__).parent / "fixtures" / "sources"
EXPORTS = ("europresse-2023.html", "europresse-2023-dropcaps.html", "europresse-2021-glued.html")


def as_json(cli, ws, *args):
    result = cli(ws, *args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.mark.parametrize("unit", ["form", "lemma", "stem"])
def test_each_count_is_the_number_of_concordance_lines(cli, shared_index, unit):
    rows = as_json(cli, shared_index, "words", "--unit", unit, "--top", "0")["rows"]
    with Library(shared_index) as lib:
        for row in rows[:40] + rows[-10:]:
            lines = lib.lexicon.lines(row["word"], unit=unit)
            assert len(lines) == row["f"], row
            assert len({k.article for k in lines}) == row["articles"], row
    for row in rows[:3]:  # and through the command a user types
        assert len(as_json(cli, shared_index, "kwic", row["word"], "--unit", unit)) == row["f"]


def test_the_stem_concordance_differs_from_the_form_one_and_each_matches_its_count(cli, shared_index):
    forms = {r["word"]: r["f"] for r in as_json(cli, shared_index, "words", "--top", "0")["rows"]}
    stems = {
        r["word"]: r["f"] for r in as_json(cli, shared_index, "words", "--unit", "stem", "--top", "0")["rows"]
    }
    assert forms["images"] != stems["imag"]  # "image" and "images" are one stem
    assert len(as_json(cli, shared_index, "kwic", "images", "--unit", "form")) == forms["images"]
    assert len(as_json(cli, shared_index, "kwic", "imag", "--unit", "stem")) == stems["imag"]


@pytest.fixture(scope="module")
def europresse(tmp_path_factory) -> Workspace:
    from click.testing import CliRunner

    from tui.cli import main

    root = tmp_path_factory.mktemp("europresse")
    (root / "articles").mkdir()
    runner = CliRunner()
    added = runner.invoke(main, ["--workspace", str(root), "add", *(str(FIXTURES / n) for n in EXPORTS)])
    assert added.exit_code == 0, added.output
    assert runner.invoke(main, ["--workspace", str(root), "index"]).exit_code == 0
    return Workspace.resolve(root)


@pytest.mark.parametrize("by", ["source", "date.year"])
def test_specificities_of_a_real_export_open_their_lines(cli, europresse, by):
    got = as_json(cli, europresse, "specif", "--by", by, "--top", "3", "--stop")
    assert len(got["parts"]) >= 2
    assert sum(p["tokens"] for p in got["parts"]) == got["tokens"]
    with Library(europresse) as lib:
        members = dict(lib.lexicon.parts(by, lib.lexicon.scope()))
        for part in got["parts"]:
            for row in part["rows"]:
                lines = lib.lexicon.lines(row["word"], among=members[part["part"]])
                assert len(lines) == row["f"], (part["part"], row)
                assert len(lib.lexicon.lines(row["word"])) == row["F"]


def test_collocates_of_a_name_and_segments_of_a_real_export(cli, europresse):
    got = as_json(cli, europresse, "cooc", "pen", "--stop")
    assert got["rows"][0]["word"] == "marine"  # Marine Le Pen
    assert got["f"] == len(as_json(cli, europresse, "kwic", "pen", "--unit", "form"))
    segments = {
        r["segment"]: r["f"] for r in as_json(cli, europresse, "ngrams", "--n", "3", "--top", "0")["rows"]
    }
    assert segments
    some = next(iter(segments))
    assert all(f >= 2 for f in segments.values())
    assert some


def test_kwic_where_keeps_the_lines_of_the_articles_it_selects(cli, shared_index):
    everywhere = as_json(cli, shared_index, "kwic", "grok")
    with Library(shared_index) as lib:
        chosen = set(lib.lexicon.scope(where="source:Mediapart"))
    narrowed = as_json(cli, shared_index, "kwic", "grok", "--where", "source:Mediapart")
    assert narrowed and {k["article"] for k in narrowed} <= chosen
    assert narrowed == [k for k in everywhere if k["article"] in chosen]
