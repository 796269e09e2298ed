"""The REFI-QDA project export (``.qdpx``): the coding as QualCoder, ATLAS.ti, MAXQDA and
NVivo open it, and a Glose backup inside it (``BACKUP_MEMBER``) that they ignore."""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace

from ... import __version__
from ...model import now
from ...sanitize import xml_text
from ...wording import counted
from ..refi_codes import code_elements, guid, refi_code_names, xml_attrs
from . import (
    BACKUP_MEMBER,
    GLOSE_NAME,
    GLOSE_USER,
    REFI_NS,
    ExportData,
    by_article,
    cached_guid,
    to_json,
    variable_columns,
)
from .memos import note_ref, notes_xml, project_description

# --- REFI-QDA ------------------------------------------------------------------------------


def to_qdpx(data: ExportData) -> bytes:
    user = GLOSE_USER  # the project's creator
    # Who exports comes first: QualCoder codes as the project's first user once it opens it
    # (and Glose recognises every user it wrote when they return: importer.users).
    writers = {a.coder for a in data.annotations} | {m.coder for m in data.memos}
    named = sorted(writers - {"", data.coder}, key=str.casefold)
    coders = {c: guid("user", "coder:" + c) for c in ([data.coder] if data.coder else []) + named}
    stamp = _refi_time(now())
    tag_by_key = {t.name.casefold(): t for t in data.tags}
    used = sorted(
        {t for a in data.annotations for t in a.tags} | {t.name for t in data.tags}, key=str.casefold
    )
    names = refi_code_names(used)
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<Project xmlns="{REFI_NS}"{xml_attrs(name="Glose export", origin=_origin(data), creatingUserGUID=user, creationDateTime=stamp)}>',
        "  <Users>"
        + "".join(f"<User{xml_attrs(guid=g, name=c)}/>" for c, g in coders.items())
        + f"<User{xml_attrs(guid=user, name=GLOSE_NAME)}/></Users>",
    ]
    if names:
        lines.append("  <CodeBook><Codes>")
        children: dict[str, list[str]] = {}
        for path in sorted(names, key=str.casefold):
            children.setdefault(path.rsplit("/", 1)[0] if "/" in path else "", []).append(path)
        refs: dict[str, str] = {}
        for memo in (m for m in data.memos if m.kind == "tag"):
            refs[memo.target.casefold()] = refs.get(memo.target.casefold(), "") + note_ref(memo)
        lines.extend(code_elements(children, names, tag_by_key, depth=2, refs=refs))
        lines.append("  </Codes></CodeBook>")
    variables = variable_columns(data)
    var_guids = {v: guid("variable", v) for v in variables}
    if variables:
        lines.append("  <Variables>")
        lines.extend(
            f"    <Variable{xml_attrs(guid=g, name=v, typeOfVariable='Text')}/>" for v, g in var_guids.items()
        )
        lines.append("  </Variables>")
        lines.extend(_cases(data, var_guids))
    placed = [a for a in data.annotations if a.status != "orphaned"]
    left_out = len(data.annotations) - len(placed)
    if left_out:
        data.notes.append(
            f"{counted(left_out, 'orphaned annotation')} not in the project's text (they have no place in the"
            " current text): only Glose's backup inside the .qdpx keeps them"
        )
    files: dict[str, str] = {}
    sources = []
    article_memos: dict[str, list] = {}
    for memo in (m for m in data.memos if m.kind == "article"):
        article_memos.setdefault(memo.target, []).append(memo)
    annotated = {a.article for a in placed}
    memo_only = [(a, []) for a in sorted(article_memos) if a not in annotated]  # a source for its memo
    for article_id, anns in [*by_article(placed), *memo_only]:
        info = data.articles.get(article_id)
        if info is None or info.text is None:
            if anns:
                data.notes.append(
                    f"{counted(len(anns), 'annotation')} of {article_id} left out: the file is missing"
                )
            continue
        source_guid = guid("article", article_id)
        files[f"sources/{source_guid}.txt"] = info.text
        sources.append(
            f"    <TextSource{xml_attrs(guid=source_guid, name=article_id, plainTextPath=f'internal://{source_guid}.txt', creatingUser=user, creationDateTime=stamp)}>"
        )
        sources.append(f"      <Description>{xml_text(info.title)}</Description>")
        for ann in anns:
            created, updated = _refi_time(ann.created), _refi_time(ann.updated)
            by = coders.get(ann.coder, user)  # who coded it (Glose for annotations older than coders)
            sources.append(
                f"      <PlainTextSelection{xml_attrs(guid=ann.id, name=ann.exact, startPosition=data.position(article_id, ann.start), endPosition=data.position(article_id, ann.end), creatingUser=by, creationDateTime=created, modifyingUser=by, modifiedDateTime=updated)}>"
            )
            if ann.note:
                sources.append(f"        <Description>{xml_text(ann.note)}</Description>")
            for tag in ann.tags:
                sources.append(
                    f"        <Coding{xml_attrs(guid=guid('coding', ann.id + '/' + tag.casefold()), creatingUser=by, creationDateTime=created)}>"
                    f"<CodeRef{xml_attrs(targetGUID=cached_guid('tag', tag.casefold()))}/></Coding>"
                )
            sources.append("      </PlainTextSelection>")
        sources.extend("      " + note_ref(m) for m in article_memos.get(article_id, ()))
        sources.extend(_values(info.variables, var_guids, "      "))  # after NoteRef, as the schema orders
        sources.append("    </TextSource>")
    if sources:
        lines.append("  <Sources>")
        lines.extend(sources)
        lines.append("  </Sources>")
    exported = {a for a, _ in by_article(placed)} | {a for a, _ in memo_only if _has_text(data, a)}
    codes = {p.casefold() for p in names}
    memos = [
        m
        for m in data.memos
        if (m.kind != "article" or m.target in exported) and (m.kind != "tag" or m.target.casefold() in codes)
    ]
    if len(memos) < len(data.memos):
        data.notes.append(
            f"{counted(len(data.memos) - len(memos), 'memo')} of articles whose file is missing or of"
            " deleted tags: only Glose's backup inside the .qdpx keeps them"
        )
    lines.extend(notes_xml(memos, coders, user, _refi_time))
    lines.extend(project_description(memos))
    lines.append("</Project>")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", "\n".join(lines) + "\n")
        # Glose's backup (statuses, made selectors, orphans, the trash), which other tools
        # ignore: a member that the project does not name, in code points.
        archive.writestr(
            BACKUP_MEMBER, to_json(replace(data, offsets="codepoints", notes=[])).encode("utf-8")
        )
        for name, text in files.items():
            archive.writestr(name, text.encode("utf-8"))  # UTF-8, no BOM, LF: offsets hold
    return buffer.getvalue()


def _values(values: dict[str, str | None], var_guids: dict[str, str], indent: str) -> list[str]:
    """A source's (or a case's) variable values, as MAXQDA's document variables and QualCoder's
    attributes are written: a ``VariableValue`` with its ``VariableRef`` and a ``TextValue``."""
    return [
        f"{indent}<VariableValue><VariableRef{xml_attrs(targetGUID=var_guids[name])}/>"
        f"<TextValue>{xml_text(value)}</TextValue></VariableValue>"
        for name, value in values.items()
        if value is not None and name in var_guids
    ]


def _cases(data: ExportData, var_guids: dict[str, str]) -> list[str]:
    """One case per outlet (NVivo's way of comparing outlets): its articles as ``SourceRef``s,
    its ``source`` as a variable value."""
    outlets: dict[str, list[str]] = {}
    for article_id, info in data.articles.items():
        if info.text is not None and (outlet := info.variables.get("source")):
            outlets.setdefault(outlet, []).append(article_id)
    if not outlets:
        return []
    lines = ["  <Cases>"]
    for outlet, members in sorted(outlets.items(), key=lambda kv: kv[0].casefold()):
        lines.append(f"    <Case{xml_attrs(guid=guid('case', 'source:' + outlet), name=outlet)}>")
        lines.extend(_values({"source": outlet}, var_guids, "      "))
        lines.extend(f"      <SourceRef{xml_attrs(targetGUID=guid('article', a))}/>" for a in sorted(members))
        lines.append("    </Case>")
    lines.append("  </Cases>")
    return lines


def _has_text(data: ExportData, article: str) -> bool:
    info = data.articles.get(article)
    return info is not None and info.text is not None


def _origin(data: ExportData) -> str:
    """``Glose 0.1.0``, saying so when positions count UTF-16 units (Glose reads it back)."""
    return f"Glose {__version__}" + (" (UTF-16 offsets)" if data.offsets == "utf16" else "")


def _refi_time(stamp: str) -> str:
    """A store time as REFI's ``xsd:dateTime``: as it is (UTC, milliseconds kept: QualCoder
    reads and writes them back), ``now`` when there is none."""
    return stamp or now()
