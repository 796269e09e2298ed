"""Reading W3C Web Annotation JSON-LD (Glose's own export and others')."""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable

from ...model import clean_note, foreign_tag
from ...sanitize import has_surrogates, stored
from ...text.anchoring import Selector
from ...text.corpus import canonical_text
from ...wording import counted
from ..export import CODER_IRI, GLOSE_NS, article_from_iri
from .backup import deleted_time, pair, read_backup
from .common import (
    ITEM_ERRORS,
    CodebookEntry,
    ImportRefused,
    ImportReport,
    Incoming,
    annotation_id,
    article_name,
    checked_offsets,
    coder_name,
    item_times,
    show,
    text_field,
    timestamp,
)
from .memos import read_memos

# --- W3C JSON-LD ---------------------------------------------------------------------------


def load_json(data: bytes, what: str, report: ImportReport | None = None):
    """The JSON document in ``data``, or a one-line refusal saying it is not ``what``. Its
    strings are text the store can keep: a lone surrogate (``"x\\ud800y"`` is valid JSON)
    becomes U+FFFD, and ``report`` says how many strings held one."""
    try:
        # Integers too long to be offsets become inf (int() refuses over 4,300 digits, with a
        # ValueError that is not a JSONDecodeError); Infinity and NaN stay floats: both are
        # then refused by the item that uses them, not by the whole file.
        doc = json.loads(data.decode("utf-8-sig"), parse_int=lambda s: int(s) if len(s) < 40 else math.inf)
        if b"\\u" in data or b"\\U" in data:  # a surrogate can only come as an escape
            doc, replaced = _valid_text(doc)
            if replaced and report is not None:
                report.notes.append(
                    f"{counted(replaced, 'text')} held a lone surrogate (no character): replaced with U+FFFD"
                )
        return doc
    except RecursionError:
        raise ImportRefused("the JSON is nested too deeply to be an annotation file") from None
    except (UnicodeDecodeError, ValueError) as exc:
        raise ImportRefused(f"not {what}: {exc}") from None


def _valid_text(doc) -> tuple[object, int]:
    """``doc`` with every string (keys too) through :func:`tui.sanitize.stored`, and how many
    it changed; iterative, so that depth costs no recursion."""
    count = 0

    def clean(value):
        nonlocal count
        if isinstance(value, str) and has_surrogates(value):
            count += 1
            return stored(value)
        return value

    root = [clean(doc)]
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            for i, value in enumerate(node):
                node[i] = clean(value)
                if isinstance(node[i], (list, dict)):
                    stack.append(node[i])
        elif isinstance(node, dict):
            for key in [k for k in node if has_surrogates(k)]:
                node[clean(key)] = node.pop(key)
            for key, value in node.items():
                node[key] = clean(value)
                if isinstance(node[key], (list, dict)):
                    stack.append(node[key])
    return root[0], count


def read_w3c(
    data: bytes, report: ImportReport, article_ids: Callable[[], Iterable[str]] = tuple
) -> tuple[list[Incoming], list[CodebookEntry]]:
    doc = load_json(data, "a Glose JSON export or a .qdpx project", report)
    items, codebook_raw = w3c_items(doc)
    codebook = _w3c_codebook(codebook_raw, report)
    trash = doc.get("glose:trash", []) if isinstance(doc, dict) else []
    if not isinstance(trash, list):
        report.skip("glose:trash", f"not a list of annotations but {show(trash)}")
        trash = []
    ids = set(article_ids())
    report.done = _done_marks(doc.get("glose:done", []) if isinstance(doc, dict) else [], report)
    report.variables = _by_hand(doc.get("glose:setByHand", {}) if isinstance(doc, dict) else {}, report)
    report.memos = read_memos(doc.get("glose:memos", []) if isinstance(doc, dict) else [], report)
    incoming = []
    for n, (item, in_trash) in enumerate([(i, False) for i in items] + [(i, True) for i in trash], 1):
        try:
            incoming.append(_w3c_annotation(item, ids, in_trash))
        except ITEM_ERRORS as exc:
            label = item.get("id") if isinstance(item, dict) else None
            report.skip(
                label if isinstance(label, str) and label else f"item {n}", str(exc) or type(exc).__name__
            )
    return incoming, codebook


def _done_marks(listed, report: ImportReport) -> list[tuple[str, str, str]]:
    """A Glose backup's done marks: (coder, article, when), each checked; a malformed one is
    listed as skipped with its reason."""
    if not isinstance(listed, list):
        report.skip("glose:done", f"not a list of done marks but {show(listed)}")
        return []
    marks = []
    for n, mark in enumerate(listed, 1):
        coder = (
            stored(mark.get("coder")) if isinstance(mark, dict) and isinstance(mark.get("coder"), str) else ""
        )
        article = (
            article_from_iri(mark["article"])
            if isinstance(mark, dict) and isinstance(mark.get("article"), str)
            else None
        )
        at = timestamp(mark.get("at")) if isinstance(mark, dict) else None
        if not coder.strip() or article is None or at is None:
            report.skip(f"done mark {n}", "it needs a coder, an article and a time")
            continue
        marks.append((coder.strip(), article, at))
    return marks


def _by_hand(given, report: ImportReport) -> list[tuple[str, str, str]]:
    """A Glose backup's variables set by hand: (article, name, value), each checked."""
    if not isinstance(given, dict):
        report.skip("glose:setByHand", f"not a map of articles to variables but {show(given)}")
        return []
    found = []
    for iri, named in given.items():
        article = article_from_iri(iri) if isinstance(iri, str) else None
        if article is None or not isinstance(named, dict):
            report.skip("glose:setByHand", f"{show(iri)}: not an article with its variables")
            continue
        for name, value in named.items():
            if isinstance(name, str) and isinstance(value, str) and name.strip() and value.strip():
                found.append((article, stored(name), stored(value)))
            else:
                report.skip("glose:setByHand", f"{article}: {show(name)} is not a variable with a value")
    return found


def w3c_items(doc) -> tuple[list, object]:
    def types(node) -> set[str]:
        value = node.get("type", node.get("@type")) if isinstance(node, dict) else None
        return {v for v in value if isinstance(v, str)} if isinstance(value, list) else {value}

    if isinstance(doc, list):
        return doc, []
    if not isinstance(doc, dict):
        raise ImportRefused("not a W3C Web Annotation document (expected a JSON object)")
    kinds = types(doc)
    if "AnnotationCollection" in kinds:
        page = doc.get("first")
        if not isinstance(page, dict) or not isinstance(page.get("items"), list):
            raise ImportRefused("the AnnotationCollection has no embedded first page with items")
        if isinstance(page.get("next"), str):
            raise ImportRefused("the collection continues on other pages (next); export it whole")
        codebook = doc.get("glose:codebook")
        return page["items"], [] if codebook is None else codebook
    if "AnnotationPage" in kinds and isinstance(doc.get("items"), list):
        return doc["items"], []
    if "Annotation" in kinds:
        return [doc], []
    raise ImportRefused(
        "not a W3C Web Annotation document (no Annotation, AnnotationPage or AnnotationCollection)"
    )


def _w3c_codebook(raw, report: ImportReport) -> list[CodebookEntry]:
    """Glose's codebook (name, color, description): entries that are not one are skipped."""
    if not isinstance(raw, list):
        report.skip("glose:codebook", f"not a list of tags but {show(raw)}")
        return []
    codebook = []
    for n, entry in enumerate(raw, 1):
        if not (isinstance(entry, dict) and isinstance(entry.get("name"), str)):
            report.skip(f"codebook entry {n}", "not a tag with a name")
            continue
        color, description = entry.get("color"), entry.get("description")
        codebook.append(
            CodebookEntry(
                entry["name"],
                color if isinstance(color, str) else None,
                description if isinstance(description, str) else "",
            )
        )
    return codebook


def _w3c_annotation(item, ids: set[str], in_trash: bool = False) -> Incoming:
    if not isinstance(item, dict):
        raise ValueError("an item is not a JSON object")
    ann_id = annotation_id(item.get("id"))
    targets = item.get("target")
    target = targets[0] if isinstance(targets, list) and targets else targets
    if not isinstance(target, dict):
        raise ValueError("the target is not a specific resource with selectors")
    source = target.get("source")
    named = next(
        (v for v in (item.get("glose:article"), item.get(GLOSE_NS + "article")) if isinstance(v, str) and v),
        None,
    )
    named_by_glose = bool(named) or (isinstance(source, str) and article_from_iri(source) is not None)
    named = named or (article_from_iri(source) if isinstance(source, str) else None)
    if not named:
        raise ValueError(f"the target {show(source)} is not an article of a Glose workspace")
    article, placeable = article_name(named, ids)
    selectors = target.get("selector")
    selectors = selectors if isinstance(selectors, list) else [selectors]
    position = next(
        (s for s in selectors if isinstance(s, dict) and s.get("type") == "TextPositionSelector"), None
    )
    quote = next((s for s in selectors if isinstance(s, dict) and s.get("type") == "TextQuoteSelector"), None)
    exact = canonical_text(text_field(quote.get("exact"))) if isinstance(quote, dict) else ""
    if not exact.strip():
        raise ValueError("no TextQuoteSelector with the exact text")
    backup = read_backup(item) if named_by_glose else None
    # Glose's own place, in code points (an orphan's last one; any, when the target counts
    # UTF-16 units), else the target's
    said = pair(item, "glose:position") if backup is not None else None
    if said is not None:
        start, end = said
    elif position is not None:
        start, end = checked_offsets(position.get("start"), position.get("end"), "the TextPositionSelector's")
    else:
        # an orphan of an older export: where it was before its last move
        start, end = pair(item, "glose:previousPosition") or (0, len(exact))
    tags, notes = _w3c_bodies(item.get("body", []))
    created, updated, dated = item_times(item.get("created"), item.get("modified"))
    return Incoming(
        id=ann_id,
        article=article,
        selector=Selector(
            start,
            end,
            exact,
            canonical_text(text_field(quote.get("prefix"))),
            canonical_text(text_field(quote.get("suffix"))),
        ),
        article_hash=text_field(item.get("glose:articleHash")) or None,
        tags=tags,
        note=clean_note("\n\n".join(notes)),
        created=created,
        updated=updated,
        positioned=position is not None,
        dated=dated,
        placeable=placeable,
        match_key=not named_by_glose,  # Glose's own ids decide; others' ids are new each trip
        coder=_creator(item.get("creator")),
        backup=backup,
        deleted=deleted_time(item, updated, in_trash),
    )


def _creator(raw) -> str:
    """The coder a ``creator`` names: an Agent's ``name`` (else ``nickname``), or its IRI
    (Glose's ``urn:glose:coder:NAME`` is NAME); the first of several. "" when none."""
    from urllib.parse import unquote

    if isinstance(raw, list):
        raw = raw[0] if raw else None
    if isinstance(raw, dict):
        named = coder_name(raw.get("name")) or coder_name(raw.get("nickname"))
        if named:
            return named
        raw = raw.get("id", raw.get("@id"))
    if not isinstance(raw, str):
        return ""
    return coder_name(unquote(raw[len(CODER_IRI) :]) if raw.startswith(CODER_IRI) else raw)


def _w3c_bodies(bodies) -> tuple[list[str], list[str]]:
    """Tags (``tagging`` bodies) and notes (the other textual bodies). A body that is only an
    IRI, or has no value, holds nothing we keep; one whose value is not text is refused, not
    silently dropped (the annotation would lose a tag or a note)."""
    tags, notes = [], []
    for body in bodies if isinstance(bodies, list) else [bodies]:
        if not isinstance(body, dict) or "value" not in body:
            continue  # an external body IRI, a SpecificResource: nothing we can keep
        if not isinstance(body["value"], str):
            raise ValueError(f"a body's value is {show(body['value'])}, not text")
        purpose = body.get("purpose")
        purposes = {p for p in purpose if isinstance(p, str)} if isinstance(purpose, list) else {purpose}
        if "tagging" in purposes:
            tags.append(foreign_tag(body["value"]))
        else:
            notes.append(body["value"])
    return tags, notes
