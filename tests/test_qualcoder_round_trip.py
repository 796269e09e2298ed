"""A Glose -> QualCoder -> Glose round trip changes nothing and duplicates nothing (issue 23,
item 6): the users Glose wrote are recognised when they come back under QualCoder's GUIDs,
Glose's own user stands for no one, and a passage QualCoder lost the coder of is merged with
ours of the same article, span and tags.

``through_qualcoder`` does to a Glose ``.qdpx`` what QualCoder does when it imports it
(``refi.RefiImport``) and exports the project again (``refi.RefiExport``), as read in
``ccbogel/QualCoder`` ``src/qualcoder/refi.py`` at commit c3204641e0a997c08219d2377eb5736cd94504bc:

- ``parse_users`` keeps the users in order; once the import is done the first user's name
  becomes QualCoder's coder name (who codes from then on).
- A source's owner, and each coding's, is the name of its ``creatingUser`` among the users,
  else ``"default"``; dates lose their ``T`` and ``Z`` (``2026-01-09 10:00:00.123``).
- A selection becomes one ``code_text`` row per ``Coding`` (the memo is its ``Description``);
  one without a coding is an ``annotation`` row.
- ``get_users`` on export: the distinct owners of codings and sources, each with a NEW guid
  (the annotations' owners are not among them); codes and sources get new guids too.
- ``text_selection_xml``: one ``PlainTextSelection`` per coding, named by its text, with only
  ``creatingUser`` and ``creationDateTime`` (``convert_timestamp``: the stored date with the
  ``T`` and ``Z`` back); annotations are ``Note``s holding a ``PlainTextSelection`` whose
  ``creatingUser`` is "" when their owner coded nothing, and only the first annotation of a
  source gets a ``NoteRef``.
"""

from __future__ import annotations

import io
import re
import sqlite3
import uuid
import zipfile
from html import escape
from xml.sax.saxutils import quoteattr

import pytest
from defusedxml import ElementTree

from tui.api import Library, Passage

from .conftest import SAMPLE_IDS
from .interop_helpers import state

A000, A001, A002, A003, A004 = SAMPLE_IDS
NS = "{urn:QDA-XML:project:1.0}"


def through_qualcoder(glose_qdpx: bytes, *, new_codings=()) -> bytes:
    """The project QualCoder exports after importing ``glose_qdpx`` (see the module
    docstring); ``new_codings`` (source name, quote, code name) are coded in QualCoder first,
    by its coder."""
    with zipfile.ZipFile(io.BytesIO(glose_qdpx)) as z:
        root = ElementTree.fromstring(z.read("project.qde"))
        files = {n: z.read(n).decode("utf-8") for n in z.namelist()}
    # --- RefiImport: what QualCoder's database holds
    users = [(u.get("guid"), u.get("name")) for u in root.iterfind(f"{NS}Users/{NS}User")]
    owner_of = lambda g: next((n for u, n in users if u == g), "default")  # noqa: E731
    qc_date = lambda d: d.replace("T", " ").replace("Z", "")  # noqa: E731
    codername = users[0][1]
    codes, tree = {}, []  # code guid -> (name, its codes), as code_name / code_cat rows

    def read_codes(node, into):
        for code in node.findall(NS + "Code"):
            entry = {"name": code.get("name"), "color": code.get("color"), "codable": code.get("isCodable")}
            entry["children"] = []
            codes[code.get("guid")] = entry
            into.append(entry)
            read_codes(code, entry["children"])

    read_codes(root.find(f"{NS}CodeBook/{NS}Codes"), tree)
    sources, code_text, annotation = [], [], []
    for source in root.iter(NS + "TextSource"):
        text = files["sources/" + source.get("plainTextPath").removeprefix("internal://")]
        fid = len(sources)
        sources.append(
            (source.get("name"), text, owner_of(source.get("creatingUser")), source.get("creationDateTime"))
        )
        for sel in source.findall(NS + "PlainTextSelection"):
            pos0, pos1 = int(sel.get("startPosition")), int(sel.get("endPosition"))
            owner = owner_of(sel.get("creatingUser"))
            date = qc_date(sel.get("creationDateTime") or sel.get("modifiedDateTime"))
            memo = sel.findtext(NS + "Description") or ""
            refs = [c.find(NS + "CodeRef").get("targetGUID") for c in sel.findall(NS + "Coding")]
            for ref in refs:
                code_text.append((codes[ref]["name"], fid, text[pos0:pos1], pos0, pos1, owner, memo, date))
            if not refs:
                annotation.append((fid, pos0, pos1, memo, owner, date))
    for name, quote, code in new_codings:
        fid = next(i for i, s in enumerate(sources) if s[0] == name)
        at = sources[fid][1].index(quote)
        code_text.append((code, fid, quote, at, at + len(quote), codername, "", "2026-12-01 09:30:00"))
    # --- RefiExport
    new = lambda: str(uuid.uuid4())  # noqa: E731
    out_users = {n: new() for n in sorted({r[5] for r in code_text} | {s[2] for s in sources})}
    by_name = {}

    def write_codes(entries) -> str:
        xml = ""
        for entry in entries:
            by_name[entry["name"]] = new()
            xml += f'<Code guid="{by_name[entry["name"]]}" name="{escape(entry["name"])}" isCodable="true" color="{entry["color"]}"'
            inner = write_codes(entry["children"])
            xml += f">\n{inner}</Code>\n" if inner else " />\n"
        return xml

    xml = '<?xml version="1.0" encoding="utf-8"?>\n<Project xmlns:xsd="http://www.w3.org/2001/XMLSchema" '
    xml += f'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" name="glose.qda" origin="QualCoder 3.6" creatingUserGUID="{new()}" '
    xml += 'creationDateTime="2026-12-01T09:00:00Z" xmlns="urn:QDA-XML:project:1.0">\n<Users>\n'
    xml += "".join(f'<User guid="{g}" name="{escape(n)}" />\n' for n, g in out_users.items()) + "</Users>\n"
    xml += "<CodeBook>\n<Codes>\n" + write_codes(tree) + "</Codes>\n</CodeBook>\n<Sources>\n"
    out_files, notes = {}, ""
    for fid, (name, text, owner, date) in enumerate(sources):
        path = new() + ".txt"
        out_files["sources/" + path] = text
        xml += f'<TextSource guid="{new()}" name={quoteattr(name)} plainTextPath="internal://{path}" '
        xml += f'creatingUser="{out_users[owner]}" creationDateTime="{date}">\n'
        for code, f, seltext, pos0, pos1, who, memo, when in code_text:
            if f != fid:
                continue
            xml += f'<PlainTextSelection guid="{new()}" startPosition="{pos0}" endPosition="{pos1}" '
            xml += f'name="{escape(seltext)}" creatingUser="{out_users[who]}" creationDateTime="{when[:10]}T{when[11:]}Z">\n'
            xml += f"<Description>{escape(memo)}</Description>\n" if memo else ""
            xml += f'<Coding guid="{new()}" creatingUser="{out_users[who]}" >\n<CodeRef targetGUID="{by_name[code]}" />\n</Coding>\n'
            xml += "</PlainTextSelection>\n"
        first = True
        for f, pos0, pos1, memo, who, when in annotation:
            if f != fid:
                continue
            note = new()
            if first:
                xml += f'<NoteRef targetGUID="{note}" />\n'
                first = False
            notes += f'<Note guid="{note}" creatingUser="{out_users.get(who, "")}" creationDateTime="{when[:10]}T{when[11:]}Z" >\n'
            notes += f'<PlainTextContent>{memo}</PlainTextContent>\n<PlainTextSelection guid="{new()}" startPosition="{pos0}" endPosition="{pos1}" />\n</Note>\n'
        xml += "</TextSource>\n"
    xml += "</Sources>\n" + (f"<Notes>\n{notes}</Notes>\n" if notes else "") + "</Project>"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("project.qde", xml)
        for name, text in out_files.items():
            z.writestr(name, text.encode("utf-8"))
    return buffer.getvalue()


@pytest.fixture
def project(indexed):
    """A team's project: the exporting coder (ana), ben, carl who only wrote notes, and an
    annotation older than coders (no coder recorded)."""
    (indexed.root / "glose.toml").write_text('coder = "ana"\n', "utf-8")
    with Library(indexed, coder="ana") as lib:
        lib.annotations.annotate(
            Passage(A000, quote="Keir Starmer", occurrence=1), tags=["personnes"], note="premier ministre"
        )
        lib.annotations.annotate(
            Passage(A004, quote="Grok", occurrence=1), tags=["enquête/politique", "Grok"]
        )
        lib.annotations.annotate(Passage(A002, quote="Grok", occurrence=1), note="à relire")
    with Library(indexed, coder="ben") as lib:
        lib.annotations.annotate(
            Passage(A000, quote="Keir Starmer", occurrence=1), tags=["personnes"]
        )  # as ana did
        lib.annotations.annotate(
            Passage(A001, quote="Elon Musk", occurrence=1), tags=["personnes"], note="ben"
        )
        lib.annotations.annotate(Passage(A001, quote="Grok", occurrence=1), note="une note de ben")
    with Library(indexed, coder="carl") as lib:
        lib.annotations.annotate(
            Passage(A003, quote="Roland Lescure", occurrence=1), note="carl n'a fait que des notes"
        )
        old = lib.annotations.annotate(Passage(A003, quote="premier pas", occurrence=1), tags=["x"])
    with sqlite3.connect(indexed.db) as db:
        db.execute("UPDATE annotations SET coder = '' WHERE id = ?", (old.id,))  # from before coders
    return indexed


def test_a_round_trip_through_qualcoder_duplicates_nothing_and_keeps_every_coder(cli, project, tmp_path):
    out = tmp_path / "glose.qdpx"
    assert cli(project, "export", "--format", "qdpx", "-o", str(out)).exit_code == 0
    back = tmp_path / "from_qualcoder.qdpx"
    back.write_bytes(through_qualcoder(out.read_bytes(), new_codings=[(A002, "Elon Musk", "personnes")]))
    before = state(project)
    result = cli(project, "import", str(back))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("1 added, 0 updated, 8 unchanged, 0 skipped"), result.stdout
    assert "8 matched to existing annotations by article, span and tags" in result.stdout
    after = state(project)
    [added] = [a for a in after if a not in before]
    # coded in QualCoder after the import: by its coder, the one who exported (not "glose")
    assert (added[1], added[4], added[5], added[8]) == (A002, "Elon Musk", ("personnes",), "ana")
    assert [a for a in after if a != added] == before
    # ... and again: nothing more
    again = cli(project, "import", str(back))
    assert again.stdout.startswith("0 added, 0 updated, 9 unchanged"), again.stdout
    assert state(project) == after


def test_users_glose_wrote_are_recognised_by_guid_and_by_name(cli, project, tmp_path):
    """A tool that keeps Glose's user GUIDs but renames them, and one that writes new GUIDs
    and the names in another case: both are the coders they were."""
    out = tmp_path / "glose.qdpx"
    assert cli(project, "export", "--format", "qdpx", "-o", str(out)).exit_code == 0
    with zipfile.ZipFile(out) as z:
        members = {n: z.read(n) for n in z.namelist() if n != "glose/backup.jsonld"}
    qde = members["project.qde"].decode("utf-8")
    root = ElementTree.fromstring(qde)
    users = {u.get("name"): u.get("guid") for u in root.iter(NS + "User")}
    # another tool's own selection GUIDs: only article, span, tags and coder can match them
    qde = re.sub(r'(<PlainTextSelection guid=")[^"]+', lambda m: m[1] + str(uuid.uuid4()), qde)
    qde = qde.replace('origin="Glose', 'origin="Other tool')
    renamed = qde.replace('name="ben"', 'name="Ben (laptop)"')
    recased = qde.replace('name="carl"', 'name=" Carl "')
    for name, guid in users.items():
        if name != "glose":
            recased = recased.replace(guid, str(uuid.uuid4()))
    for label, text in (("renamed", renamed), ("recased", recased)):
        before = state(project)
        members["project.qde"] = text.encode("utf-8")
        path = tmp_path / f"{label}.qdpx"
        with zipfile.ZipFile(path, "w") as z:
            for name, data in members.items():
                z.writestr(name, data)
        result = cli(project, "import", str(path))
        assert result.stdout.startswith("0 added, 0 updated, 8 unchanged"), (label, result.stdout)
        assert state(project) == before
