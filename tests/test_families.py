"""Wire families on issue 29's corpus, through the real CLI on a real workspace: exactly the
five versions of the dispatch grouped (not the article quoting one sentence of it), the
dispatch named as the source, each copy's changes, the family counted once when asked, and
the dispatch's codings proposed on exactly the copies that still hold the coded text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tui.workspace import Workspace

from . import wire_corpus as w
from .conftest import SAMPLES, use_engine


@pytest.fixture
def wire(tmp_path: Path, request) -> Workspace:
    w.write(tmp_path / "articles", SAMPLES)
    if "engine_name" in request.fixturenames:
        use_engine(tmp_path, request.getfixturevalue("engine_name"))
    return Workspace.resolve(tmp_path)


def families(cli, ws, *args) -> list[dict]:
    result = cli(ws, "families", *args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["families"]


def test_the_five_versions_are_one_family_with_the_dispatch_as_source(cli, wire, engine_name):
    found = families(cli, wire)
    assert len(found) == 1
    fam = found[0]
    assert fam["source"] == w.DISPATCH
    assert sorted(m["article"] for m in fam["members"]) == sorted(w.FAMILY)  # not the quoting one
    assert fam["members"][0]["article"] == w.DISPATCH  # by date, the source first
    assert [m["date"] for m in fam["members"]] == sorted(m["date"] for m in fam["members"])
    assert set(fam["members"][0]) == {"article", "date", "source_name", "share"}
    by = {m["article"]: m for m in fam["members"]}
    assert by[w.DISPATCH]["share"] == 1.0 and by[w.DISPATCH]["source_name"] == "AFP"
    assert by[w.REORDERED]["share"] == 1.0  # all of it, in another order
    assert by[w.SHORTENED]["share"] < by[w.CUT]["share"] < 1.0
    assert fam["id"] == families(cli, wire)[0]["id"]  # stable across runs


def test_an_unrelated_article_changes_no_id_and_a_new_copy_makes_another_family(cli, wire):
    before = families(cli, wire)[0]["id"]
    articles = wire.articles
    other = "La médiathèque rouvre ses portes après six mois de travaux et propose des ateliers de lecture."
    (articles / "z_other.txt").write_text(w.block("Autre", "2026-03-04", "X", other), "utf-8")
    assert [f["id"] for f in families(cli, wire)] == [before]
    (articles / "y_copy.txt").write_text(w.block("Copie", "2026-03-04", "Y", w.join(*w.P[:4])), "utf-8")
    after = families(cli, wire)[0]
    assert after["id"] != before and len(after["members"]) == 6


def test_min_share_and_where_narrow_the_families(cli, wire):
    strict = families(cli, wire, "--min-share", "0.95")  # a new lead and a local paragraph: out
    assert [sorted(m["article"] for m in f["members"]) for f in strict] == [
        sorted([w.DISPATCH, w.CUT, w.REORDERED, w.SHORTENED])
    ]
    only = families(cli, wire, "--where", "source:afp OR source:courrier")
    assert [sorted(m["article"] for m in f["members"]) for f in only] == [[w.DISPATCH, w.CUT]]


def test_show_says_what_each_copy_cut_added_reworded_and_moved(cli, wire):
    fam = families(cli, wire)[0]["id"]
    result = cli(wire, "families", "show", fam[:6], "--json")
    assert result.exit_code == 0, result.output
    shown = json.loads(result.stdout)
    assert shown["source"] == w.DISPATCH
    members = {m["article"]: m for m in shown["members"]}
    assert set(members) == set(w.COPIES)
    source = (wire.articles / w.DISPATCH).read_text("utf-8").split("---\n", 2)[2]
    cut = members[w.CUT]
    assert [c["text"] for c in cut["cut"]] == [w.P[3], w.P[4]]
    assert all(source[c["start"] : c["end"]] == c["text"] for c in cut["cut"])
    assert cut["added"] == cut["reworded"] == cut["moved"] == []
    lead = members[w.LEAD]
    assert [a["text"] for a in lead["added"]] == [w.NEW_LEAD, w.LOCAL]
    assert [c["text"] for c in lead["cut"]] == [w.P[0]]
    reordered = members[w.REORDERED]
    assert reordered["cut"] == reordered["added"] == [] and reordered["moved"]
    short = members[w.SHORTENED]
    assert [c["text"] for c in short["cut"]] == w.P[3:]
    (reworded,) = short["reworded"]
    assert "suivi de deux vagues de chaleur estivales" in reworded["source_text"]
    assert reworded["text"] == "puis à deux canicules"
    assert {"op": "equal", "source": "deux", "text": "deux"} in reworded["diff"]
    text = cli(wire, "families", "show", fam)
    assert "reworded" in text.stdout and "puis à deux canicules" in text.stdout


def test_a_family_is_counted_once_in_stats_and_export_as_its_canonical_member(cli, wire):
    for name in w.FAMILY:
        assert cli(wire, "annotate", name, "--quote", "quatre pour cent", "-t", "glacier").exit_code == 0
    fam = families(cli, wire)[0]["id"]

    def count(*extra) -> tuple[int, list[str]]:
        stats = json.loads(cli(wire, "stats", "--json", *extra).stdout)
        rows = cli(wire, "export", "-f", "csv", *extra).stdout.splitlines()[1:]
        return next(t["count"] for t in stats["tags"] if t["name"] == "glacier"), sorted(
            r.split(",")[1] for r in rows
        )

    assert count() == (5, sorted(w.FAMILY))
    assert count("--dedupe", "families") == (1, [w.DISPATCH])
    result = cli(wire, "families", "canonical", fam, w.LEAD)
    assert result.exit_code == 0 and w.LEAD in result.stdout
    assert count("--dedupe", "families") == (1, [w.LEAD])
    assert cli(wire, "undo").exit_code == 0
    assert count("--dedupe", "families") == (1, [w.DISPATCH])
    bad = cli(wire, "families", "canonical", fam, w.QUOTER)
    assert bad.exit_code == 1 and "not a member" in bad.output
    # within a --where that leaves the dispatch out, the family still counts once: as its
    # earliest member there (the copies of 2 March), not as nothing
    where = ("--where", "date:2026-03-02 -source:afp")
    assert count(*where) == (2, sorted([w.CUT, w.LEAD]))
    assert count(*where, "--dedupe", "families") == (1, [w.CUT])


def test_propagation_proposes_on_exactly_the_copies_that_hold_the_coded_text(cli, wire):
    method = "Le réseau de surveillance mesure chaque automne une centaine de glaciers"  # P[3]
    cause = "un hiver pauvre en neige suivi de deux vagues de chaleur estivales"  # P[1]
    assert cli(wire, "annotate", w.DISPATCH, "--quote", method, "-t", "méthode").exit_code == 0
    assert cli(wire, "annotate", w.DISPATCH, "--quote", cause, "-t", "cause").exit_code == 0
    fam = families(cli, wire)[0]["id"]
    result = cli(wire, "families", "propagate", fam, "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    placed = sorted((p["article"], p["tags"][0]) for p in report["proposed"])
    assert placed == sorted(
        [
            (w.LEAD, "méthode"),
            (w.REORDERED, "méthode"),
            (w.CUT, "cause"),
            (w.LEAD, "cause"),
            (w.REORDERED, "cause"),
        ]
    )
    for p in report["proposed"]:
        text = (wire.articles / p["article"]).read_text("utf-8").split("---\n", 2)[2]
        assert text[p["start"] : p["end"]] == p["quote"] in (method, cause)
        assert p["status"] == "proposed" and p["family"] == fam
    why = {(s["article"]): s["reason"] for s in report["skipped"] if s["article"] == w.SHORTENED}
    assert why[w.SHORTENED].startswith("cut") or why[w.SHORTENED].startswith("reworded")
    reasons = sorted((s["article"], s["reason"].split(" ")[0]) for s in report["skipped"])
    assert reasons == [(w.CUT, "cut"), (w.SHORTENED, "cut"), (w.SHORTENED, "reworded")]
    # proposed is not coded: nothing counts it until it is accepted
    stats = json.loads(cli(wire, "stats", "--json").stdout)
    assert {t["name"]: t["count"] for t in stats["tags"]} == {"méthode": 1, "cause": 1}
    review = json.loads(cli(wire, "review", "--json").stdout)
    assert sorted(r["id"] for r in review if r["status"] == "proposed") == sorted(
        p["id"] for p in report["proposed"]
    )
    again = json.loads(cli(wire, "families", "propagate", fam, "--json").stdout)
    assert again["proposed"] == []  # proposed once
    one = report["proposed"][0]["id"]
    assert cli(wire, "families", "accept", one[:8]).exit_code == 0
    anns = json.loads(cli(wire, "annotations", "--json").stdout)
    assert len(anns) == 3 and any(a["article"] == report["proposed"][0]["article"] for a in anns)
    assert cli(wire, "families", "reject", "--all").exit_code == 0
    assert [r for r in json.loads(cli(wire, "review", "--json").stdout) if r["status"] == "proposed"] == []
    assert cli(wire, "undo").exit_code == 0  # the rejection
    assert (
        len([r for r in json.loads(cli(wire, "review", "--json").stdout) if r["status"] == "proposed"]) == 4
    )
    assert cli(wire, "undo").exit_code == 0  # the acceptance: the annotation goes, the proposal is back
    assert len(json.loads(cli(wire, "annotations", "--json").stdout)) == 2
    assert (
        len([r for r in json.loads(cli(wire, "review", "--json").stdout) if r["status"] == "proposed"]) == 5
    )


def test_a_proposal_whose_text_changed_is_refused_when_accepted(cli, wire):
    method = "Le réseau de surveillance mesure chaque automne une centaine de glaciers"
    cli(wire, "annotate", w.DISPATCH, "--quote", method, "-t", "méthode")
    fam = families(cli, wire)[0]["id"]
    report = json.loads(cli(wire, "families", "propagate", fam, "--json").stdout)
    target = next(p for p in report["proposed"] if p["article"] == w.LEAD)
    path = wire.articles / w.LEAD
    path.write_text(
        path.read_text("utf-8").replace("mesure chaque automne", "mesure chaque printemps"), "utf-8"
    )
    result = cli(wire, "families", "accept", target["id"])
    assert result.exit_code == 1 and "no longer holds the passage" in result.output
    assert json.loads(cli(wire, "annotations", "--json").stdout)[0]["article"] == w.DISPATCH


def test_bad_input_is_one_line(cli, wire):
    result = cli(wire, "families", "show", "nope")
    assert result.exit_code == 1 and "no family nope" in result.output
    result = cli(wire, "families", "--min-share", "0")
    assert result.exit_code == 2
    fam = families(cli, wire)[0]["id"]
    result = cli(wire, "families", "propagate", fam)
    assert result.exit_code == 1 and "has no passage coded" in result.output
    assert cli(wire, "families", "accept").exit_code == 2


def test_the_word_counts_count_a_family_once(cli, wire):
    def f(word: str, *extra) -> int:
        rows = json.loads(cli(wire, "words", "--top", "0", "--json", *extra).stdout)["rows"]
        return next((r["f"] for r in rows if r["word"] == word), 0)

    once = f("glacier", "--dedupe", "families")
    every = f("glacier")
    source = json.loads(cli(wire, "words", "--top", "0", "--json", "--where", "source:afp").stdout)["rows"]
    assert every > once == next(r["f"] for r in source if r["word"] == "glacier")
    parts = json.loads(cli(wire, "specif", "--by", "source", "--json", "--dedupe", "families").stdout)[
        "parts"
    ]
    named = {p["part"] for p in parts}
    assert "AFP" in named and not named & {"Le Courrier", "Le Nouvelliste", "La Liberté", "20 minutes"}
