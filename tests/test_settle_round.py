"""``glose settle --coders A,B --adopt-all|--reject-all``: a whole round of settling from the
command line, as one journal event that ``glose undo`` takes back exactly, so that it can be
scripted and checked with ``glose agreement``."""

from __future__ import annotations

import json

from tui.api import Library

from .conftest import SAMPLE_IDS
from .test_agreement_coders import code_as

A000, A001, A002, A003, A004 = SAMPLE_IDS

# boundary disagreements on both sides, passages coded by one coder alone, two tags
ANA = [(A004, 100, 300, "politique"), (A001, 10, 80, "droit"), (A000, 0, 50, "droit"), (A002, 40, 90, "abus")]
BEN = [(A004, 150, 320, "politique"), (A001, 10, 80, "droit"), (A003, 5, 25, "droit")]


def state(cli, ws) -> list:
    rows = json.loads(cli(ws, "annotations", "--json").stdout)
    return sorted((a["id"], a["coder"], a["article"], a["start"], a["end"], tuple(a["tags"])) for a in rows)


def figures(cli, ws, *args) -> list[tuple]:
    data = json.loads(cli(ws, "agreement", "--json", *args).stdout)
    return [(m["percent"], m["kappa"], m["alpha"], m["alpha_u"]) for m in [*data["tags"], data["overall"]]]


def test_adopt_all_brings_every_figure_to_one_in_one_event_that_undo_takes_back(cli, indexed):
    code_as(indexed, "ana", ANA)
    code_as(indexed, "ben", BEN)
    before, measured = state(cli, indexed), figures(cli, indexed)
    seq = json.loads(cli(indexed, "log", "--json", "-n", "1").stdout)[0]["seq"]
    result = cli(indexed, "--coder", "lead", "settle", "--coders", "ana,ben", "--adopt-all", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["settled"] == 5 and data["left"] == [] and data["how"] == "adopt"
    log = json.loads(cli(indexed, "log", "--json", "-n", "2").stdout)
    assert log[0]["seq"] == seq + 1 and log[0]["kind"] == "settle" and log[0]["coder"] == "lead"
    assert log[0]["label"] == data["event"]
    assert all(f == (1.0, 1.0, 1.0, 1.0) for f in figures(cli, indexed))
    assert json.loads(cli(indexed, "agreement", "--json").stdout)["disagreements"] == []
    # nothing changed hands
    after = state(cli, indexed)
    assert {a[1] for a in after} == {"ana", "ben"} and len([a for a in after if a[1] == "ben"]) == 5
    assert cli(indexed, "--coder", "lead", "undo").exit_code == 0
    assert state(cli, indexed) == before and figures(cli, indexed) == measured
    again = cli(indexed, "--coder", "lead", "settle", "--coders", "ana,ben", "--adopt-all")
    assert "settle 5 disagreements between ana, ben: adopt all" in again.stdout


def test_reject_all_by_tag_and_where_and_what_is_left_for_a_person(cli, indexed):
    code_as(indexed, "ana", ANA)
    code_as(indexed, "ben", BEN)
    with Library(indexed) as lib:  # the articles the search finds
        found = {h.article for h in lib.search.run("insulte", limit=None).hits}
    assert found == {A002, A003, A004}
    result = cli(
        indexed,
        "settle",
        "--coders",
        "ana,ben",
        "--reject-all",
        "--tag",
        "politique",
        "--where",
        "insulte",
        "--json",
    )
    data = json.loads(result.stdout)
    assert data["settled"] == 2 and data["how"] == "reject"
    left = json.loads(cli(indexed, "agreement", "--json").stdout)["disagreements"]
    assert {d["tag"] for d in left} == {"droit", "abus"}  # the other tags untouched
    (politique,) = json.loads(cli(indexed, "agreement", "--json", "-t", "politique").stdout)["tags"]
    assert politique["alpha_u"] == 1.0 and politique["coded"] == {"ana": 150, "ben": 150}
    # every tag, in the articles found: A000 is not among them
    data = json.loads(
        cli(indexed, "settle", "--coders", "ana,ben", "--reject-all", "--where", "insulte", "--json").stdout
    )
    assert data["settled"] == 2
    left = json.loads(cli(indexed, "agreement", "--json").stdout)["disagreements"]
    assert [(d["article"], d["tag"]) for d in left] == [(A000, "droit")]
    # a search that finds none of the articles settles nothing, and says so
    nothing = cli(indexed, "settle", "--coders", "ana,ben", "--reject-all", "--where", "zzzqqq")
    assert nothing.exit_code == 0 and "nothing to settle" in nothing.stdout


def test_reject_all_leaves_what_would_cut_an_annotation_in_two_and_settles_the_rest(cli, indexed):
    code_as(indexed, "ana", [(A001, 10, 80, "x"), (A000, 0, 50, "x")])
    code_as(indexed, "ben", [(A001, 10, 30, "x"), (A001, 60, 80, "x")])
    result = cli(indexed, "settle", "--coders", "ana,ben", "--reject-all")
    assert result.exit_code == 0 and "settle 1 disagreements" in result.stdout
    assert f"left: [x] {A001} 30-60" in result.stderr and "both sides" in result.stderr
    left = json.loads(cli(indexed, "agreement", "--json").stdout)["disagreements"]
    assert [(d["article"], d["start"], d["end"]) for d in left] == [(A001, 30, 60)]


def test_settle_skips_articles_a_coder_has_not_marked_done(cli, indexed):
    code_as(indexed, "ana", ANA)
    code_as(indexed, "ben", BEN)
    cli(indexed, "--coder", "ben", "done", A004, A001)
    data = json.loads(cli(indexed, "settle", "--coders", "ana,ben", "--adopt-all", "--json").stdout)
    assert data["settled"] == 2 and set(data["skipped"]) == {A000, A002, A003}
    assert json.loads(cli(indexed, "agreement", "--json").stdout)["disagreements"] == []
    with Library(indexed) as lib:
        assert not lib.annotations.find(coders=["ben"], article=A000)  # nothing given to ben there


def test_settle_refuses_bad_input_with_one_line(cli, indexed):
    code_as(indexed, "ana", ANA)
    both = cli(indexed, "settle", "--coders", "ana,ben", "--adopt-all", "--reject-all")
    assert both.exit_code == 2 and "choose" in both.output
    assert cli(indexed, "settle", "--coders", "ana,ben").exit_code == 2
    unknown = cli(indexed, "settle", "--coders", "ana,zoe", "--adopt-all")
    assert unknown.exit_code == 1 and "zoe" in unknown.stderr and "Traceback" not in unknown.output
    one = cli(indexed, "settle", "--coders", "ana", "--adopt-all")
    assert one.exit_code == 1 and "two coders" in one.stderr
    code_as(indexed, "ben", BEN)
    before = json.loads(cli(indexed, "log", "--json", "-n", "1").stdout)
    bad = cli(indexed, "settle", "--coders", "ana,ben", "--adopt-all", "--where", "title:(")
    assert bad.exit_code == 1 and bad.stderr.startswith("glose: ") and len(bad.stderr.splitlines()) == 1
    assert json.loads(cli(indexed, "log", "--json", "-n", "1").stdout) == before  # nothing written
