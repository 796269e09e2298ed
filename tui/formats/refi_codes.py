"""The REFI-QDA codebook as XML: code names as QDA programs need them, nested ``<Code>``
elements with stable GUIDs, and the ``.qdc`` codebook file. Shared by the ``.qdpx`` export
(``tui.formats.export``) and the ``.qdc`` one."""

from __future__ import annotations

import uuid

from .. import __version__
from ..model import Tag
from ..sanitize import xml_attr, xml_text

QDC_NS = "urn:QDA-XML:codebook:1.0"
GUID_NAMESPACE = uuid.UUID("6f1c4d2e-8a4b-5c3d-9e2f-0a1b2c3d4e5f")  # stable GUIDs for qdpx


def guid(kind: str, key: str) -> str:
    return str(uuid.uuid5(GUID_NAMESPACE, f"{kind}:{key}"))


def refi_code_names(tags: list[str]) -> dict[str, str]:
    """The name each code gets in the codebook, for every tag and every parent level.

    QualCoder keeps one code per name across the whole codebook, so a leaf name used under
    two parents (``enquête/politique``, ``réaction/politique``) gets its parent path in
    parentheses: ``politique (enquête)``. Import strips that suffix again."""
    paths: set[str] = set()
    for tag in tags:
        parts = tag.split("/")
        for i in range(1, len(parts) + 1):
            paths.add("/".join(parts[:i]))
    leaves: dict[str, list[str]] = {}
    for path in paths:
        leaves.setdefault(path.rsplit("/", 1)[-1].casefold(), []).append(path)
    names = {}
    for path in paths:
        leaf = path.rsplit("/", 1)[-1]
        parent = path.rsplit("/", 1)[0] if "/" in path else ""
        names[path] = f"{leaf} ({parent})" if len(leaves[leaf.casefold()]) > 1 and parent else leaf
    return names


def xml_attrs(**values) -> str:
    """XML attributes, each value through the XML sanitiser (``None`` leaves one out)."""
    return "".join(f' {key}="{xml_attr(str(value))}"' for key, value in values.items() if value is not None)


def code_elements(
    children: dict[str, list[str]],
    names: dict[str, str],
    tags: dict[str, Tag],
    depth: int,
    parent: str = "",
    refs: dict[str, str] | None = None,
) -> list[str]:
    """The ``<Code>`` elements below ``parent`` (``children``: parent path → its paths;
    ``refs``: a tag key → the ``NoteRef``s its code carries, its memos in a project)."""
    out = []
    pad = "  " * depth
    for path in children.get(parent, ()):
        tag = tags.get(path.casefold())
        codable = "true" if tag is not None else "false"  # a level that is only a folder
        color = tag.color if tag is not None else None
        below = code_elements(children, names, tags, depth + 1, path, refs)
        description = (
            f"<Description>{xml_text(tag.description)}</Description>" if tag and tag.description else ""
        )
        description += (refs or {}).get(path.casefold(), "")
        head = f"{pad}<Code{xml_attrs(guid=guid('tag', path.casefold()), name=names[path], isCodable=codable, color=color)}"
        if not below and not description:
            out.append(head + "/>")
        else:
            out.append(head + ">" + description)
            out.extend(below)
            out.append(f"{pad}</Code>")
    return out


def to_qdc(tags: list[Tag]) -> bytes:
    """The codebook as a REFI-QDA Codebook (``.qdc``, urn:QDA-XML:codebook:1.0): codes nested
    for ``/`` levels, colors and descriptions, the same stable GUIDs as the ``.qdpx``."""
    tag_by_key = {t.name.casefold(): t for t in tags}
    names = refi_code_names([t.name for t in tags])
    children: dict[str, list[str]] = {}
    for path in sorted(names, key=str.casefold):
        children.setdefault(path.rsplit("/", 1)[0] if "/" in path else "", []).append(path)
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<CodeBook xmlns="{QDC_NS}"{xml_attrs(origin=f"Glose {__version__}")}>',
        "  <Codes>",
        *code_elements(children, names, tag_by_key, depth=2),
        "  </Codes>",
        "</CodeBook>",
    ]
    return ("\n".join(lines) + "\n").encode("utf-8")
