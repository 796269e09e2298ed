"""Articles as data: every article's variables (built in, and the user's), set by hand or from
a spreadsheet, journaled, queried as fields, shared on PostgreSQL, carried by the exports and
restored by a backup. Counts are checked against each article's own file (its metadata block
and text), read independently of the index."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections import Counter
from xml.etree import ElementTree

import pytest

from tui.api import Library, Passage
from tui.text import frontmatter
from tui.workspace import Workspace

from .conftest import BUILTIN_VARIABLES, use_store

NS = "{urn:QDA-XML:project:1.0}"


def write(ws: Workspace, name: str, meta: dict, body: str) -> None:
    (ws.articles / name).write_text(frontmatter.render(meta) + body, "utf-8")


@pytest.fixture
def press(workspace) -> Workspace:
    """The samples plus four articles with metadata blocks, as ``glose add`` writes them from a
    press export (outlet, section, page, author, origin), one of them in English."""
    write(
        workspace,
        "lm1.txt",
        {
            "title": "Grok",
            "date": "2026-01-09",
            "source": "Le Monde",
            "section": "Économie",
            "page": "3",
            "author": "Ana Martin",
            "origin": "europresse-1.html",
        },
        "Le réseau social a été critiqué pour les images générées par son assistant. " * 5,
    )
    write(
        workspace,
        "lm2.txt",
        {
            "title": "Grok encore",
            "date": "2026-01-16",
            "source": "Le Monde",
            "section": "Économie",
            "page": "5",
            "origin": "europresse-1.html",
        },
        "Les victimes demandent des comptes à la plateforme et au gouvernement. " * 5,
    )
    write(
        workspace,
        "lf1.txt",
        {
            "title": "Le Figaro sur Grok",
            "date": "2026-02-02",
            "source": "Le Figaro",
            "section": "Médias",
            "page": "12",
            "origin": "europresse-2.html",
        },
        "Une enquête est ouverte sur les pratiques de la plateforme depuis janvier. " * 5,
    )
    write(
        workspace,
        "en1.txt",
        {"title": "Grok in London", "date": "2026-01-12", "source": "The Guardian", "origin": "factiva.html"},
        "The government said that the platform had to act and that it was not enough. " * 5,
    )
    with Library(workspace) as lib:
        lib.index.update()
    return workspace


def own_file(ws: Workspace, article: str) -> tuple[dict, str]:
    """What the file itself says: its metadata block and body, read without Glose's loader."""
    return frontmatter.split((ws.articles / article).read_text("utf-8"))


def test_every_builtin_variable_agrees_with_the_files_metadata_blocks(press, cli):
    rows = json.loads(cli(press, "vars", "--json", "--top", "0").stdout)
    by_name = {r["name"]: r for r in rows}
    assert [r["name"] for r in rows][:8] == list(BUILTIN_VARIABLES)
    assert all(r["builtin"] for r in rows[:8])
    expected: dict[str, Counter] = {k: Counter() for k in ("section", "page", "origin", "words")}
    for path in sorted(press.articles.glob("*.txt")):
        meta, body = own_file(press, path.name)
        for key in ("section", "page", "origin"):
            if key in meta:
                expected[key][meta[key]] += 1
        expected["words"][str(len(body.split()))] += 1
    for key, counts in expected.items():
        assert by_name[key]["values"] == dict(counts), key
        assert by_name[key]["articles"] == sum(counts.values())
    assert by_name["language"]["values"] == {"fr": 8, "en": 1}
    assert by_name["source"]["values"]["Le Monde"] == 2


def test_a_variable_set_by_hand_is_a_query_field_at_once_and_undo_takes_it_back(press, cli):
    assert cli(press, "meta", "lm1", "--set", "genre=Tribune", "--set", "author=Ana Martín").exit_code == 0
    with Library(press) as lib:
        assert lib.search.ids("genre:tribune") == ["lm1.txt"]
        assert lib.search.ids('author:"ana martín"') == ["lm1.txt"]  # the engine's field, reindexed
        assert lib.variables.table()["lm1.txt"]["author"] == "Ana Martín"
    shown = json.loads(cli(press, "meta", "lm1", "--json").stdout)
    assert shown["variables"] == {"genre": "Tribune"} and shown["overridden"] == ["author"]
    assert cli(press, "undo").exit_code == 0
    with Library(press) as lib:
        assert lib.search.ids('author:"ana martin"') == ["lm1.txt"]  # the file's again
        assert "genre" not in lib.variables.names()
    result = cli(press, "search", "genre:tribune")
    assert result.exit_code == 1 and "unknown field 'genre:'" in result.stderr


def test_unknown_fields_list_the_variables_defined(press, cli):
    cli(press, "meta", "lm2", "--set", "genre=reportage")
    result = cli(press, "search", "genru:reportage")
    assert result.exit_code == 1
    assert "genre:" in result.stderr and "section:" in result.stderr and "\n" not in result.stderr.strip()


def test_values_match_folded_by_prefix_and_by_range(press):
    with Library(press) as lib:
        assert lib.search.ids("section:economie") == ["lm1.txt", "lm2.txt"]
        assert lib.search.ids("section:méd*") == ["lf1.txt"]
        assert lib.search.ids("page:4..12") == ["lf1.txt", "lm2.txt"]
        assert lib.search.ids("language:en") == ["en1.txt"]
        assert lib.search.ids("section:economie -page:3") == ["lm2.txt"]
        assert lib.search.ids("grok section:économie") == lib.search.ids("grok section:Économie")


@pytest.mark.parametrize("bad", ["1genre=x", "tag=x", "words=3", "gen re=x", "=x"])
def test_names_that_cannot_be_query_fields_are_refused_in_one_line(press, cli, bad):
    result = cli(press, "meta", "lm1", "--set", bad)
    assert result.exit_code in (1, 2) and "Traceback" not in result.output
    with Library(press) as lib:
        assert lib.journal.log() == []


def test_a_spreadsheet_from_excel_imports_and_a_bad_row_imports_nothing(press, cli, tmp_path):
    sheet = tmp_path / "genres.csv"
    sheet.write_bytes(
        "\ufeffarticle;genre;section\r\nlm1;tribune;\r\nlf1.txt;reportage;Médias\r\nen1;dépêche;World\r\nnope;x;\r\n".encode(
            "utf-8"
        )
    )
    result = cli(press, "vars", "import", str(sheet))
    assert result.exit_code == 1 and "row 5" in result.stderr and "nothing imported" in result.stderr
    with Library(press) as lib:
        assert lib.variables.user_names() == [] and lib.journal.log() == []
    result = cli(press, "vars", "import", "--partial", "--json", str(sheet))
    report = json.loads(result.stdout)
    assert report["imported"] and report["articles"] == 3 and [e["row"] for e in report["errors"]] == [5]
    with Library(press) as lib:
        assert lib.search.ids("genre:tribune OR genre:reportage") == ["lf1.txt", "lm1.txt"]
        assert lib.variables.table()["en1.txt"]["section"] == "World"
        assert lib.variables.table()["lf1.txt"]["section"] == "Médias"  # as it was: no change
        assert len(lib.journal.log()) == 1  # one undoable event
        lib.journal.undo()
        assert lib.variables.user_names() == []


def test_a_sheet_in_cp1252_with_an_article_named_twice_is_refused(press, cli, tmp_path):
    sheet = tmp_path / "v.csv"
    sheet.write_bytes("article,genre\nlm1,éditorial\nlm1.txt,tribune\n".encode("cp1252"))
    result = cli(press, "vars", "import", "--json", str(sheet))
    report = json.loads(result.stdout)
    assert (
        result.exit_code == 1
        and report["errors"][0]["row"] == 3
        and "also on row 2" in report["errors"][0]["error"]
    )
    sheet.write_bytes("article,genre\nlm1,éditorial\n".encode("cp1252"))
    assert cli(press, "vars", "import", str(sheet)).exit_code == 0
    with Library(press) as lib:
        assert lib.variables.table()["lm1.txt"]["genre"] == "éditorial"


def test_an_exported_sheet_imports_as_no_change(press, cli, tmp_path):
    cli(press, "meta", "lm1", "--set", "genre=tribune")
    out = tmp_path / "vars.csv"
    assert cli(press, "vars", "export", "-o", str(out)).exit_code == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text("utf-8"))))
    assert len(rows) == 9 and {r["article"] for r in rows} == {p.name for p in press.articles.glob("*.txt")}
    lm1 = next(r for r in rows if r["article"] == "lm1.txt")
    assert (lm1["source"], lm1["page"], lm1["genre"]) == ("Le Monde", "3", "tribune")
    report = json.loads(cli(press, "vars", "import", "--json", str(out)).stdout)
    assert report["changed"] == 0 and report["ignored_columns"] == ["words"]
    assert cli(press, "vars", "export", "-o", str(out)).exit_code == 1  # exists: --force
    assert cli(press, "vars", "export", "-o", str(out), "--force", "--where", "source:monde").exit_code == 0
    assert len(out.read_text("utf-8").splitlines()) == 3


def test_values_with_markup_and_escapes_are_kept_as_text(press, cli):
    assert cli(press, "meta", "lm1", "--set", "genre=[bold]x\x1b]0;pwn\x07").exit_code == 0
    with Library(press) as lib:
        assert lib.variables.table()["lm1.txt"]["genre"] == "[bold]x"  # the escape sequence is gone
    out = cli(press, "meta", "lm1").stdout
    assert "[bold]x" in out and "\x1b" not in out


def test_variables_travel_with_a_followed_file(press, cli):
    with Library(press) as lib:
        lib.annotations.annotate(Passage("lm2.txt", quote="Les victimes", occurrence=1), tags=["victimes"])
        lib.variables.set("lm2.txt", {"genre": "enquête"})
    (press.articles / "lm2.txt").rename(press.articles / "lm2-renamed.txt")
    with Library(press) as lib:
        lib.index.update()
        assert lib.variables.table()["lm2-renamed.txt"]["genre"] == "enquête"


def test_the_exports_carry_the_variables_and_a_backup_restores_them(press, cli, tmp_path):
    with Library(press) as lib:
        lib.annotations.annotate(Passage("lm1.txt", quote="Le réseau social", occurrence=1), tags=["x"])
        lib.annotations.annotate(Passage("en1.txt", quote="The government", occurrence=1), tags=["x"])
        lib.variables.set("lm1.txt", {"genre": "tribune", "section": "Tech"})
    rows = list(csv.DictReader(io.StringIO(cli(press, "export", "--format", "csv").stdout)))
    lm1 = next(r for r in rows if r["article"] == "lm1.txt")
    assert (lm1["genre"], lm1["section"], lm1["source"], lm1["language"]) == (
        "tribune",
        "Tech",
        "Le Monde",
        "fr",
    )
    out = tmp_path / "p.qdpx"
    assert cli(press, "export", "--format", "qdpx", "-o", str(out)).exit_code == 0
    root = ElementTree.fromstring(zipfile.ZipFile(out).read("project.qde"))
    names = {v.get("guid"): v.get("name") for v in root.iter(NS + "Variable")}
    values = {
        (s.get("name"), names[v.find(NS + "VariableRef").get("targetGUID")]): v.findtext(NS + "TextValue")
        for s in root.iter(NS + "TextSource")
        for v in s.findall(NS + "VariableValue")
    }
    assert values[("lm1.txt", "genre")] == "tribune" and values[("en1.txt", "source")] == "The Guardian"
    assert {c.get("name") for c in root.iter(NS + "Case")} == {"Le Monde", "The Guardian"}
    backup = tmp_path / "b.json"
    assert cli(press, "export", "--format", "json", "-o", str(backup)).exit_code == 0
    with Library(press) as lib:  # lost, then restored by the backup, in the import's own event
        lib.variables.set("lm1.txt", {"genre": "", "section": ""})
    assert cli(press, "import", str(backup)).exit_code == 0
    with Library(press) as lib:
        assert lib.variables.table()["lm1.txt"]["genre"] == "tribune"
        assert lib.search.ids("section:tech") == ["lm1.txt"]


def test_a_qualcoder_projects_attributes_become_variables(press, cli, tmp_path):
    with Library(press) as lib:
        text = lib.articles.text("lf1.txt").text
    project = """<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="p" origin="QualCoder 3.6">
 <Variables><Variable guid="11111111-1111-1111-1111-111111111111" name="Type of outlet" typeOfVariable="Text"/>
  <Variable guid="22222222-2222-2222-2222-222222222222" name="source" typeOfVariable="Text"/></Variables>
 <Sources><TextSource guid="33333333-3333-3333-3333-333333333333" name="lf1.txt" plainTextPath="internal://33333333-3333-3333-3333-333333333333.txt">
  <VariableValue><VariableRef targetGUID="11111111-1111-1111-1111-111111111111"/><TextValue>national daily</TextValue></VariableValue>
  <VariableValue><VariableRef targetGUID="22222222-2222-2222-2222-222222222222"/><TextValue>Figaro</TextValue></VariableValue>
 </TextSource></Sources></Project>"""
    path = tmp_path / "qc.qdpx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("project.qde", project)
        z.writestr("sources/33333333-3333-3333-3333-333333333333.txt", text)
    result = cli(press, "import", str(path))
    assert "Traceback" not in result.output
    with Library(press) as lib:
        assert lib.search.ids('type_of_outlet:"national daily"') == ["lf1.txt"]
        assert lib.variables.table()["lf1.txt"]["source"] == "Le Figaro"  # the file's own is kept


def test_a_teams_variables_are_shared_on_postgresql(press, pg_url):
    use_store(press.root, pg_url)
    ws = Workspace.resolve(press.root)
    with Library(ws, coder="ana") as ana, Library(ws, coder="ben") as ben:
        ana.variables.set("lm1.txt", {"genre": "tribune"})
        assert ben.search.ids("genre:tribune") == ["lm1.txt"]
        ben.variables.set("lm1.txt", {"genre": "éditorial"})
        assert ana.variables.table()["lm1.txt"]["genre"] == "éditorial"
        with pytest.raises(Exception, match="changed since"):
            ana.journal.undo()  # ben changed it since: refused, nothing changed
        assert ben.variables.table()["lm1.txt"]["genre"] == "éditorial"


def test_date_buckets_agree_with_date_queries(press):
    from tui.api.variables import week_range

    with Library(press) as lib:
        for by in ("day", "week", "month", "year"):
            periods = Counter(v for v in lib.variables.column(f"date.{by}").values() if v)
            for period, count in periods.items():
                query = "date:{}..{}".format(*week_range(period)) if by == "week" else f"date:{period}"
                assert len(lib.search.ids(query)) == count, (by, period)
        with pytest.raises(Exception, match=r"date\.day"):
            lib.variables.column("date.quarter")
        with pytest.raises(Exception, match="variables are"):
            lib.variables.column("genre")


async def test_the_reader_imports_a_sheet_and_keeps_the_dialog_open_on_a_bad_row(press, tmp_path):
    from textual.widgets import Input

    from .app_helpers import act, make_app, ready, until

    sheet = tmp_path / "genres.csv"
    sheet.write_text("article;genre\nlm1;tribune\nnowhere;x\n", "utf-8")
    app = make_app(press)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        dialog = await act(pilot, "do('files', 'import_variables')")
        dialog.query_one("#answer", Input).value = str(sheet)
        await pilot.press("enter")
        await until(pilot, lambda: "row 3" in str(dialog.query_one("#error").render()), "the bad row named")
        assert app.screen is dialog and dialog.query_one("#answer", Input).value == str(sheet)
        with Library(press) as lib:
            assert lib.variables.user_names() == []  # nothing imported
        sheet.write_text("article;genre\nlm1;tribune\n", "utf-8")
        await pilot.press("enter")
        await until(pilot, lambda: app.screen is not dialog, "the dialog closed")
        assert any(n.message.startswith("1 value changed in 1 article") for n in app._notifications)
    with Library(press) as lib:
        assert lib.search.ids("genre:tribune") == ["lm1.txt"]


def test_the_records_kept_beside_the_index_follow_every_commit(press, cli):
    with Library(press) as lib:
        assert lib.variables.table()["lm1.txt"]["section"] == "Économie"
    kept = press.index / "records.json"
    assert kept.exists()
    assert cli(press, "meta", "lm1", "--set", "section=Tech").exit_code == 0  # a commit
    with Library(press) as lib:  # another process: the kept records are of the older commit
        assert lib.variables.table()["lm1.txt"]["section"] == "Tech"
    (press.articles / "lm2.txt").unlink()
    with Library(press) as lib:
        lib.index.update()
        assert "lm2.txt" not in lib.variables.table() and "lm2.txt" not in lib.articles.catalog_meta()
    kept.write_text('{"token": [1, 2, 3], "records": [{"id": "ghost.txt"}]}', "utf-8")
    with Library(press) as lib:  # a file that names another commit is not believed
        assert "ghost.txt" not in lib.variables.table()
    kept.write_text("not json", "utf-8")
    with Library(press) as lib:
        assert "lm1.txt" in lib.variables.table()


def test_setting_a_value_again_and_again_in_one_process_never_lists_an_article_twice(workspace, engine_name):
    """Each change by hand re-writes the article in the index; a long-lived process (the
    reader) then refreshes its searcher: Whoosh's own refresh, reusing the older reader,
    listed the replaced article once more at every change."""
    with Library(workspace) as lib:
        lib.index.update()
        first = lib.search.ids(None)
        dated = lib.search.ids("date:2026")
        for n in range(6):
            lib.variables.set(first[0], {"section": f"s{n}"})
            assert lib.search.ids(None) == first and lib.search.ids("date:2026") == dated
            assert lib.search.ids(f"section:s{n}") == [first[0]]
