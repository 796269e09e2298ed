"""Coders working apart, then compared: `glose agreement` in text, JSON and CSV on real
workspaces, annotations and exports filtered by coder, and who made an annotation kept through
every exchange (JSON, W3C, REFI-QDA users, a QualCoder project coded by two users)."""

from __future__ import annotations

import csv
import io
import json
import shutil
import uuid
import zipfile
from datetime import datetime, timedelta

import pytest
from defusedxml import ElementTree

from tui.api import Library
from tui.workspace import Workspace

from .conftest import SAMPLE_IDS, SAMPLES

A000, A001, A002, A003, A004 = SAMPLE_IDS


NS = "{urn:QDA-XML:project:1.0}"


# --- the command, and coders working apart -----------------------------------------------------


def code_as(ws, coder: str, spans) -> None:
    """``coder`` annotates each (article, start, end, tag) through the command line."""
    from click.testing import CliRunner

    from tui.cli import main

    for article, start, end, tag in spans:
        result = CliRunner().invoke(
            main,
            [
                "--workspace",
                str(ws.root),
                "--coder",
                coder,
                "annotate",
                article,
                "--start",
                str(start),
                "--end",
                str(end),
                "-t",
                tag,
            ],
            catch_exceptions=False,
        )
        assert result.exit_code == 0, result.output


ANA = [(A004, 100, 300, "politique"), (A001, 10, 80, "droit"), (A000, 0, 50, "droit")]
BEN = [(A004, 150, 320, "politique"), (A001, 10, 80, "droit")]


def test_agreement_text_json_and_csv(cli, indexed):
    code_as(indexed, "ana", ANA)
    code_as(indexed, "ben", BEN)
    with Library(indexed) as lib:  # every character of the canonical text is a unit
        lengths = {a: len(lib.articles.text(a).text) for a in (A000, A001, A004)}
    n = sum(lengths.values())
    data = json.loads(cli(indexed, "agreement", "--json").stdout)
    assert list(data) == ["coders", "articles", "units", "covered", "tags", "overall", "disagreements"]
    assert data["coders"] == ["ana", "ben"] and data["articles"] == sorted(lengths) and data["units"] == n
    politique = next(t for t in data["tags"] if t["tag"] == "politique")
    assert set(politique) == {
        "tag",
        "units",
        "percent",
        "kappa",
        "fleiss_kappa",
        "alpha",
        "alpha_u",
        "alpha_u_units",
        "coded",
        "coded_by_all",
        "pairs",
    }
    # one unit each, overlapping: uα from the distance (150 − 100)² + (320 − 300)²
    assert politique["alpha_u_units"] == 2 and 0 < politique["alpha_u"] < 1
    # 150 both, 50 ana alone, 20 ben alone, the rest of the n characters neither
    po = 1 - 70 / n
    pa, pb = 200 / n, 170 / n
    pe = pa * pb + (1 - pa) * (1 - pb)
    assert politique["percent"] == pytest.approx(po, abs=1e-6)
    assert politique["kappa"] == pytest.approx((po - pe) / (1 - pe), abs=1e-6)
    assert politique["coded"] == {"ana": 200, "ben": 170} and politique["coded_by_all"] == 150
    assert data["overall"]["units"] == 2 * n and data["overall"]["tag"] is None
    found = [
        (d["article"], d["start"], d["end"], d["tag"], d["coded_by"], d["not_coded_by"])
        for d in data["disagreements"]
    ]
    assert found == [
        (A000, 0, 50, "droit", ["ana"], ["ben"]),
        (A004, 100, 150, "politique", ["ana"], ["ben"]),
        (A004, 300, 320, "politique", ["ben"], ["ana"]),
    ]
    text = cli(indexed, "show", A004).stdout
    assert data["disagreements"][1]["quote"] == text[100:150] and data["disagreements"][1]["title"]

    shown = cli(indexed, "agreement").stdout
    assert "politique" in shown and "overall" in shown and "3 disagreements" in shown
    assert "uα" in shown and f"{politique['alpha_u']:.3f}" in shown
    assert f"{politique['kappa']:.3f}" in shown and "coded by ana, not by ben" in shown

    rows = list(csv.DictReader(io.StringIO(cli(indexed, "agreement", "--csv", "--tag", "politique").stdout)))
    assert [r["row"] for r in rows] == ["tag", "overall", "disagreement", "disagreement"]
    assert float(rows[0]["kappa"]) == politique["kappa"] and rows[2]["coded_by"] == "ana"
    assert float(rows[0]["alpha_u"]) == politique["alpha_u"] and rows[0]["alpha_u_units"] == "2"

    only = json.loads(cli(indexed, "agreement", "--json", "--article", A001).stdout)
    assert only["units"] == lengths[A001] and only["disagreements"] == []
    # the tags used on the compared articles
    assert [(t["tag"], t["kappa"]) for t in only["tags"]] == [("droit", 1.0)]


def test_agreement_refuses_one_coder_and_names_the_known_ones(cli, indexed):
    code_as(indexed, "ana", ANA)
    result = cli(indexed, "agreement")
    assert result.exit_code == 1 and "two coders" in result.stderr and "ana (3)" in result.stderr
    code_as(indexed, "ben", BEN)
    result = cli(indexed, "agreement", "--coders", "ana,zoe")
    assert result.exit_code == 1 and "zoe" in result.stderr and "ana (3), ben (2)" in result.stderr
    assert cli(indexed, "agreement", "--coders", "ana").exit_code == 1


def test_annotations_and_exports_filter_by_coder(cli, indexed):
    code_as(indexed, "ana", ANA)
    code_as(indexed, "ben", BEN)
    listed = json.loads(cli(indexed, "annotations", "--coder", "ben", "--json").stdout)
    assert {a["coder"] for a in listed} == {"ben"} and len(listed) == 2
    both = json.loads(cli(indexed, "annotations", "--coder", "ben", "--coder", "ana", "--json").stdout)
    assert len(both) == 5
    assert "by ben" in cli(indexed, "annotations", "--coder", "ben").stdout
    rows = list(csv.DictReader(io.StringIO(cli(indexed, "export", "-f", "csv", "--coder", "ana").stdout)))
    assert [r["coder"] for r in rows] == ["ana"] * 3
    assert "by ana" in cli(indexed, "export", "-f", "markdown", "--coder", "ana").stdout


def workspace_of(tmp_path, name):
    root = tmp_path / name
    shutil.copytree(SAMPLES, root / "articles")
    return Workspace.resolve(root)


def test_two_coders_exchange_json_exports_and_compare_in_both_workspaces(cli, tmp_path):
    """Ana and Ben code the five samples apart, with the same codebook, one identical coding
    among theirs; each imports the other's JSON export: both codings stay side by side (the
    identical one too, under each name), and agreement is the same in both workspaces."""
    ana_ws, ben_ws = workspace_of(tmp_path, "ana"), workspace_of(tmp_path, "ben")
    ana = [(a, 20, 120, "politique") for a in SAMPLE_IDS] + [(A001, 10, 80, "droit")]
    ben = [(a, 60, 140, "politique") for a in SAMPLE_IDS] + [(A001, 10, 80, "droit")]
    code_as(ana_ws, "ana", ana)
    code_as(ben_ws, "ben", ben)
    exports = {}
    for ws in (ana_ws, ben_ws):
        exports[ws] = tmp_path / f"{ws.root.name}.jsonld"
        assert cli(ws, "export", "-f", "json", "-o", str(exports[ws])).exit_code == 0
    for ws, other in ((ana_ws, ben_ws), (ben_ws, ana_ws)):
        result = cli(other, "--coder", other.root.name, "import", str(exports[ws]))
        assert result.stdout.startswith("6 added, 0 updated, 0 unchanged"), result.stdout
        again = cli(other, "import", str(exports[ws])).stdout
        assert again.startswith("0 added, 0 updated, 6 unchanged"), again
    reports = [json.loads(cli(ws, "agreement", "--json").stdout) for ws in (ana_ws, ben_ws)]
    assert reports[0] == reports[1]
    with Library(ana_ws) as lib:
        assert lib.coders.counts() == {"ana": 6, "ben": 6}
        droit = lib.annotations.find(tag="droit")
        assert sorted(a.coder for a in droit) == ["ana", "ben"] and len({a.id for a in droit}) == 2
    droit = next(t for t in reports[0]["tags"] if t["tag"] == "droit")
    assert droit["kappa"] == 1.0 and droit["coded_by_all"] == 70
    assert len(reports[0]["disagreements"]) == 10  # 20-60 ana alone, 120-140 ben alone, in each article


def ana_exported(cli, ws, tmp_path) -> tuple:
    """One annotation by ana, exported as JSON-LD: the file, its document and its one item."""
    code_as(ws, "ana", ANA[:1])
    out = tmp_path / "a.jsonld"
    assert cli(ws, "export", "-f", "json", "-o", str(out)).exit_code == 0
    doc = json.loads(out.read_text("utf-8"))
    [item] = doc["first"]["items"]
    return out, doc, item


def test_w3c_creator_round_trip_and_a_file_without_coders(cli, indexed, tmp_path):
    out, doc, item = ana_exported(cli, indexed, tmp_path)
    assert item["creator"] == {"id": "urn:glose:coder:ana", "type": "Person", "name": "ana"}
    other = workspace_of(tmp_path, "other")
    assert cli(other, "--coder", "zoe", "import", str(out)).exit_code == 0
    with Library(other) as lib:
        assert [a.coder for a in lib.annotations.find()] == ["ana"]
    # a file that names no coder: its annotations are the importer's
    del item["creator"]
    item["id"] = "urn:uuid:00000000-0000-4000-8000-000000000001"
    bare = tmp_path / "bare.jsonld"
    bare.write_text(json.dumps(doc), "utf-8")
    assert cli(other, "--coder", "zoe", "import", str(bare)).exit_code == 0
    with Library(other) as lib:
        assert sorted(a.coder for a in lib.annotations.find()) == ["ana", "zoe"]


def test_an_import_never_changes_who_made_an_annotation(cli, indexed, tmp_path):
    out, doc, item = ana_exported(cli, indexed, tmp_path)
    item["creator"] = {"type": "Person", "name": "mallory"}
    later = datetime.fromisoformat(item["modified"]) + timedelta(minutes=5)
    item["modified"] = later.isoformat()  # newer than ours
    item["body"].append({"type": "TextualBody", "purpose": "commenting", "value": "a newer note"})
    out.write_text(json.dumps(doc), "utf-8")
    assert cli(indexed, "--coder", "ben", "import", str(out)).stdout.startswith("0 added, 1 updated")
    with Library(indexed) as lib:
        [a] = lib.annotations.find()
        assert (a.coder, a.note) == ("ana", "a newer note")


def test_refi_users_round_trip_and_two_coders_on_one_span(cli, indexed, tmp_path):
    code_as(indexed, "ana", ANA)
    code_as(indexed, "ben", [(A001, 10, 80, "droit")])  # the very coding ana made
    out = tmp_path / "p.qdpx"  # ana exports (the exporter is the project's first user)
    assert cli(indexed, "--coder", "ana", "export", "-f", "qdpx", "-o", str(out)).exit_code == 0
    with zipfile.ZipFile(out) as z:
        root = ElementTree.fromstring(z.read("project.qde"))
    users = {u.get("guid"): u.get("name") for u in root.iterfind(f"{NS}Users/{NS}User")}
    assert sorted(users.values()) == ["ana", "ben", "glose"]
    by = sorted(users[s.get("creatingUser")] for s in root.iter(f"{NS}PlainTextSelection"))
    assert by == ["ana", "ana", "ana", "ben"]
    assert {users[c.get("creatingUser")] for c in root.iter(f"{NS}Coding")} == {"ana", "ben"}
    other = workspace_of(tmp_path, "other")
    assert cli(other, "--coder", "zoe", "import", str(out)).exit_code == 0
    with Library(other) as lib:
        assert lib.coders.counts() == {"ana": 3, "ben": 1}
    # as another tool writes it (new ids, matched by span): ben's identical coding stays ben's
    again = tmp_path / "again.qdpx"
    with zipfile.ZipFile(out) as z, zipfile.ZipFile(again, "w") as w:
        for name in z.namelist():
            data = z.read(name)
            if name == "project.qde":
                data = data.replace(b'origin="Glose', b'origin="QualCoder 3.6 from Glose')
                for s in root.iter(f"{NS}PlainTextSelection"):
                    data = data.replace(s.get("guid").encode(), str(uuid.uuid4()).encode())
            w.writestr(name, data)
    result = cli(other, "import", str(again))
    assert "0 added" in result.stdout and "4 matched" in result.stdout, result.stdout
    with Library(other) as lib:
        assert lib.coders.counts() == {"ana": 3, "ben": 1}


def test_a_qualcoder_project_coded_by_two_users_gives_two_coders(cli, indexed, tmp_path):
    """QualCoder writes one selection per coding, each with its owner as ``creatingUser``
    (refi.py): two users' selections of one span stay two annotations, each its user's, and
    their agreement is measured at once."""
    text = (indexed.articles / A004).read_text("utf-8")
    start = text.index("Grok")
    code, ana, ben = (str(uuid.uuid4()) for _ in range(3))

    def selection(user: str, end: int) -> str:
        return (
            f'<PlainTextSelection guid="{uuid.uuid4()}" startPosition="{start}" endPosition="{end}" '
            f'creatingUser="{user}" creationDateTime="2026-11-30T10:00:00Z">'
            f'<Coding guid="{uuid.uuid4()}" creatingUser="{user}"><CodeRef targetGUID="{code}"/></Coding>'
            "</PlainTextSelection>"
        )

    qde = (
        '<?xml version="1.0" encoding="utf-8"?>\n<Project xmlns="urn:QDA-XML:project:1.0" name="p" '
        f'origin="QualCoder 3.6"><Users><User guid="{ana}" name="ana"/><User guid="{ben}" name="ben"/></Users>'
        f'<CodeBook><Codes><Code guid="{code}" name="grok" isCodable="true"/></Codes></CodeBook><Sources>'
        f'<TextSource guid="{uuid.uuid4()}" name="{A004}" plainTextPath="internal://a.txt">'
        + selection(ana, start + 4)
        + selection(ben, start + 4)
        + selection(ben, start + 10)
        + "</TextSource></Sources></Project>"
    )
    project = tmp_path / "team.qdpx"
    with zipfile.ZipFile(project, "w") as z:
        z.writestr("project.qde", qde)
        z.writestr("sources/a.txt", text)
    assert cli(indexed, "--coder", "zoe", "import", str(project)).stdout.startswith("3 added")
    with Library(indexed) as lib:
        assert sorted((a.coder, a.end - a.start) for a in lib.annotations.find()) == [
            ("ana", 4),
            ("ben", 4),
            ("ben", 10),
        ]
    [grok] = json.loads(cli(indexed, "agreement", "--json").stdout)["tags"]
    assert grok["coded"] == {"ana": 4, "ben": 10} and grok["coded_by_all"] == 4


def test_a_percent_a_few_characters_short_of_100_is_not_printed_as_100():
    from tui.cli.render import _figure

    assert _figure(0.99964, percent=True) == "99.96%"
    assert _figure(0.999999, percent=True) == ">99.99%"
    assert _figure(1.0, percent=True) == "100.0%" and _figure(0.5, percent=True) == "50.0%"
