"""Helpers shared by test_interop.py and test_interop_qualcoder.py."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from xml.sax.saxutils import quoteattr

from tui.api import Library

from .conftest import SAMPLE_IDS

FIX = Path(__file__).parent / "fixtures" / "interop"

A000, A002, A004 = SAMPLE_IDS[0], SAMPLE_IDS[2], SAMPLE_IDS[4]
NS = "{urn:QDA-XML:project:1.0}"


def annotations(ws) -> list:
    with Library(ws) as lib:
        return lib.annotations.find()


def project(origin: str, codes: str, sources: str, extra: str = "") -> str:
    return (
        f'<?xml version="1.0" encoding="utf-8"?>\n<Project xmlns="urn:QDA-XML:project:1.0" name="p" origin={quoteattr(origin)}>'
        f"<CodeBook><Codes>{codes}</Codes></CodeBook><Sources>{sources}</Sources>{extra}</Project>"
    )


def qdpx(qde: str, files: dict[str, bytes], qde_name: str = "project.qde") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr(qde_name, qde)
        for name, data in files.items():
            z.writestr(name, data)
    return buffer.getvalue()


def g(n: int) -> str:
    return f"00000000-0000-4000-8000-{n:012d}"


def state(ws) -> list[tuple]:
    """Every annotation as a round trip must leave it: what it marks and says, who made it,
    when, and its version (an import that changes nothing writes nothing)."""
    return sorted(
        (
            a.id,
            a.article,
            a.start,
            a.end,
            a.exact,
            tuple(sorted(a.tags)),
            a.note,
            a.status,
            a.coder,
            a.updated,
            a.version,
        )
        for a in annotations(ws)
    )
