"""Memos in exports: a section of the Markdown export, ``glose:memos`` in the JSON backup (read
back by ``importing.memos``), and the REFI-QDA project's memos (the project's ``Description``,
``Note``s referred to by ``NoteRef`` on the ``TextSource`` and the ``Code``)."""

from __future__ import annotations

from collections.abc import Iterable

from ...model import Memo
from ...sanitize import markdown_code, markdown_text, xml_text
from ..refi_codes import guid, xml_attrs

HEADINGS = {"project": "The project", "article": "Articles", "tag": "Tags"}


def memos_markdown(memos: list[Memo], titles: dict[str, str]) -> list[str]:
    """The export's "Memos" section (none without memos): by kind, each memo under its
    target and author; the text is escaped, as notes are (it renders as typed)."""
    if not memos:
        return []
    out = ["## Memos", ""]
    for kind, heading in HEADINGS.items():
        mine = [m for m in memos if m.kind == kind]
        if not mine:
            continue
        out += [f"### {heading}", ""]
        for memo in mine:
            named = []
            if kind == "article":
                title = " ".join((titles.get(memo.target) or "").split())
                named.append(markdown_text(title) + " · " if title else "")
            if kind != "project":
                named.append(markdown_code(memo.target) + " · ")
            out.append(f"**{''.join(named)}{markdown_text(memo.coder)}**, {memo.updated[:10]}")
            out.append("")
            out.extend(markdown_text(memo.text).split("\n"))
            out.append("")
    return out


def note_guid(memo: Memo) -> str:
    """A memo's ``Note`` guid in a project: the same memo keeps it from export to export."""
    return guid("memo", "\0".join((memo.kind, memo.target, memo.coder)))


def note_ref(memo: Memo) -> str:
    return f"<NoteRef{xml_attrs(targetGUID=note_guid(memo))}/>"


def notes_xml(memos: Iterable[Memo], users: dict[str, str], fallback: str, refi_time) -> list[str]:
    """The project's ``<Notes>`` (none without memos): one ``Note`` per article or tag memo,
    its text as ``PlainTextContent``, by its coder's user."""
    lines = []
    for memo in memos:
        if memo.kind == "project":
            continue
        by = users.get(memo.coder, fallback)
        name = f"Memo on {memo.kind} {memo.target}"
        lines.append(
            f"    <Note{xml_attrs(guid=note_guid(memo), name=name, creatingUser=by, creationDateTime=refi_time(memo.created), modifyingUser=by, modifiedDateTime=refi_time(memo.updated))}>"
            f"<PlainTextContent>{xml_text(memo.text)}</PlainTextContent></Note>"
        )
    return ["  <Notes>", *lines, "  </Notes>"] if lines else []


def project_description(memos: Iterable[Memo]) -> list[str]:
    """The project's memos as the Project's ``Description`` (one field in the standard: each
    coder's memo under their name when there are several)."""
    mine = [m for m in memos if m.kind == "project"]
    if not mine:
        return []
    text = mine[0].text if len(mine) == 1 else "\n\n".join(f"{m.coder}:\n{m.text}" for m in mine)
    return [f"  <Description>{xml_text(text)}</Description>"]
