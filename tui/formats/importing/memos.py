"""Memos coming in: a Glose backup's ``glose:memos``, and a REFI-QDA project's (the project's
``Description``, its journals, a source's ``Description`` and the ``Note``s a source or a code
refers to, as QualCoder and NVivo write them). Each is (kind, target, coder, text, created,
updated); the store appends a text to the memo it already has rather than replace it."""

from __future__ import annotations

from ...model import MEMO_KINDS, clean_note
from ...sanitize import stored
from .common import ImportReport, show, timestamp

Memo = tuple[str, str, str, str, str, str]  # kind, target (a tag's name), coder, text, created, updated


def read_memos(listed, report: ImportReport) -> list[Memo]:
    """A Glose backup's memos, each checked; a malformed one is listed as skipped."""
    if not isinstance(listed, list):
        report.skip("glose:memos", f"not a list of memos but {show(listed)}")
        return []
    found = []
    for n, item in enumerate(listed, 1):
        if not isinstance(item, dict):
            report.skip(f"memo {n}", f"not a memo but {show(item)}")
            continue
        kind, target, coder, text = (item.get(k) for k in ("kind", "target", "coder", "text"))
        target = "" if kind == "project" else target
        if kind not in MEMO_KINDS or not all(isinstance(v, str) for v in (target, coder, text)):
            report.skip(f"memo {n}", "it needs a kind (project, article, tag), a target, a coder and a text")
            continue
        if (kind != "project" and not target.strip()) or not coder.strip() or not text.strip():
            report.skip(f"memo {n}", "its target, coder or text is empty")
            continue
        created = timestamp(item.get("created")) or ""
        updated = timestamp(item.get("updated")) or created
        found.append((kind, stored(target), stored(coder).strip(), clean_note(text), created, updated))
    return found
