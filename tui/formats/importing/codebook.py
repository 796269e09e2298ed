"""REFI-QDA codebooks: the ``<Codes>`` tree (of a project or of a ``.qdc``) and ``<Sets>``.

Codes of any depth come in: the limit is per level of a tag (``TAG_MAX``), not per path, and a
code whose name cannot be a tag as written (empty, control characters, a ``/`` inside a name)
is renamed rather than dropped, so that its children and its codings are not lost with it.
A set of codes becomes a tag of its own, given to every passage coded with one of its
members (the mapping the README documents); members that are not codes are listed as skipped,
and a set of sources or notes only (ATLAS.ti's document groups) makes no tag.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ...model import COMMA_IN_FOREIGN_TAG, StoreError, clean_line, clean_note, clean_tag
from ...wording import counted
from .common import CodebookEntry, ImportReport
from .producers import detect

CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"


def local(tag: str) -> str:
    """An element's name without its namespace."""
    return tag.rsplit("}", 1)[-1]


def namespace(tag: str) -> str:
    return tag[1:].split("}", 1)[0] if tag.startswith("{") else ""


def guid_key(value: str | None) -> str:
    return (value or "").strip().strip("{}").lower()


@dataclass
class Codes:
    """What a codebook holds: tag of each code guid, the codebook entries, and the set tags
    each code guid brings along."""

    tags: dict[str, str] = field(default_factory=dict)
    entries: list[CodebookEntry] = field(default_factory=list)
    sets: dict[str, list[str]] = field(default_factory=dict)
    count: int = 0
    notes: dict[str, list[str]] = field(default_factory=dict)  # tag → guids of the notes its code refers to

    def tags_of(self, target: str) -> list[str]:
        key = guid_key(target)
        return [self.tags[key], *self.sets.get(key, [])] if key in self.tags else []


def _segment(name: str, guid: str) -> str:
    """One level of a tag from a code's name: cleaned, never empty, no ``/`` inside."""
    text = clean_line(name).replace("/", "\u2215")  # a slash in a name is not a level
    text = text.replace(",", COMMA_IN_FOREIGN_TAG)  # nor is a comma a second tag
    return text or f"code {guid_key(guid)[:8] or '?'}"


def read_codes(codes_node, ns: str, report: ImportReport) -> Codes:
    """Every ``Code`` below ``codes_node`` (a ``<Codes>`` element, or None); the notes a code
    refers to (``NoteRef``: its memos, as the standard has them) are kept by their guids."""
    found = Codes()

    def walk(node, parent: str) -> None:
        for code in node.findall(ns + "Code"):
            found.count += 1
            guid = code.get("guid") or ""
            name = code.get("name") or ""
            if parent and name.endswith(f" ({parent})"):
                name = name[: -len(parent) - 3]  # undo the disambiguation of Glose's export
            path = f"{parent}/{_segment(name, guid)}" if parent else _segment(name, guid)
            try:
                path = clean_tag(path)
            except StoreError as exc:  # a level over TAG_MAX characters: cut, and say so
                cut = "/".join(p[:120] for p in path.split("/"))
                report.skip(f"code {name!r}", f"{exc}: imported as {cut!r}")
                path = clean_tag(cut)
            if guid:
                found.tags[guid_key(guid)] = path
            description = code.findtext(ns + "Description") or ""
            refs = [guid_key(ref.get("targetGUID")) for ref in code.findall(ns + "NoteRef")]
            if refs:
                found.notes.setdefault(path, []).extend(refs)
            if code.get("isCodable", "true") != "false" or description or code.get("color"):
                # (a level that is only a folder lives on in its children's paths)
                found.entries.append(CodebookEntry(path, code.get("color"), clean_note(description)))
            walk(code, path)

    if codes_node is not None:
        walk(codes_node, "")
    return found


def read_sets(sets_node, ns: str, codes: Codes, report: ImportReport) -> None:
    """Sets of codes as tags (see the module docstring); other members are listed skipped."""
    if sets_node is None:
        return
    for item in sets_node.findall(ns + "Set"):
        name = _segment(item.get("name") or "", item.get("guid") or "")
        try:
            tag = clean_tag(f"set/{name}")
        except StoreError as exc:
            report.skip(f"set {name!r}", str(exc))
            continue
        others = {"MemberSource": 0, "MemberNote": 0}
        kinds = {local(m.tag) for m in item}
        if "MemberCode" in kinds or not kinds & others.keys():
            # (a set of sources or notes only, ATLAS.ti's document groups, would be an empty tag)
            description = clean_note(item.findtext(ns + "Description") or "")
            codes.entries.append(CodebookEntry(tag, None, description))
        for member in item:
            kind = local(member.tag)
            if kind == "MemberCode":
                key = guid_key(member.get("targetGUID") or member.get("guid"))
                if key in codes.tags:
                    codes.sets.setdefault(key, []).append(tag)
                else:
                    report.skip(f"set {name!r}", f"its member code {key} is not in the codebook")
            elif kind in others:
                others[kind] += 1
        for kind, n in others.items():
            if n:  # one line per set: a set of every source would list them all
                report.skip(f"set {name!r}", f"{counted(n, kind[6:].lower())} in it: Glose groups only codes")


def read_qdc(root, report: ImportReport) -> list[CodebookEntry]:
    """A REFI-QDA codebook file (``.qdc``): its codes and sets, as tags."""
    ns = "{" + namespace(root.tag) + "}" if root.tag.startswith("{") else ""
    report.producer = detect(root.get("origin")).label if root.get("origin") else ""
    codes = read_codes(root.find(ns + "Codes"), ns, report)
    read_sets(root.find(ns + "Sets"), ns, codes, report)
    report.codes = codes.count
    return codes.entries
