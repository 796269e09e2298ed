"""Web annotations made elsewhere: Hypothesis API JSON (a search response's ``rows``, or one
annotation) and any W3C annotation, page or collection.

Their targets are web pages, not articles, so each is mapped to an article: the one given
(``glose import --article ID``), else the article whose source (metadata) is the annotation's
URL, else the one article holding its quote (said in the summary). Offsets counted in a web
page say nothing about an article's text: only the quote is used, and it is found in the
text (``anchored`` when exactly there, else ``fuzzy``, else the annotation waits as an
orphan). Hypothesis ``tags`` become tags and ``text`` the note; replies and page notes,
which hold no passage, are listed as skipped.
"""

from __future__ import annotations

import json

from ...wording import counted
from ..export import ARTICLE_IRI, GLOSE_NS
from .common import ImportReport, show
from .w3c import load_json, read_w3c, w3c_items


def read_web_annotations(data: bytes, report: ImportReport, article_ids, corpus):
    """Glose's own JSON as before; Hypothesis rows and foreign W3C items mapped to articles
    first (with ``corpus``: a :class:`~tui.api.interop.WebCorpus`)."""
    doc = load_json(data, "a Glose JSON export, W3C or Hypothesis JSON file", report)
    rows = _hypothesis_rows(doc)
    if rows is not None:
        report.producer = "Hypothesis"
        items = [w for w in (_from_hypothesis(r, n, report) for n, r in enumerate(rows, 1)) if w]
        doc = {"type": "AnnotationPage", "items": items}
    elif not _is_glose(doc):
        report.producer = "W3C Web Annotation"
    if corpus is not None and not _is_glose(doc):
        items, _ = w3c_items(doc)  # refuses what is no W3C document, as for Glose's own
        kept = [
            i for i in items if not isinstance(i, dict) or _names_article(i) or _map_target(i, corpus, report)
        ]
        if items is _items(doc):
            items[:] = kept  # in place: the collection keeps its shape (and its checks)
        else:
            doc = {"type": "AnnotationPage", "items": kept}
    return read_w3c(json.dumps(doc).encode("utf-8"), report, article_ids)


def _hypothesis_rows(doc) -> list | None:
    if isinstance(doc, dict) and isinstance(doc.get("rows"), list):
        return doc["rows"]
    if isinstance(doc, dict) and "uri" in doc and isinstance(doc.get("target"), list):
        return [doc]
    if isinstance(doc, list) and doc and all(isinstance(r, dict) and "uri" in r for r in doc):
        return doc
    return None


def _is_glose(doc) -> bool:
    return isinstance(doc, dict) and "glose:codebook" in doc


def _items(doc) -> list:
    if isinstance(doc, list):
        return doc
    if not isinstance(doc, dict):
        return []
    if isinstance(doc.get("first"), dict) and isinstance(doc["first"].get("items"), list):
        return doc["first"]["items"]
    if isinstance(doc.get("items"), list):
        return doc["items"]
    return [doc]


def _names_article(item: dict) -> bool:
    if item.get("glose:article") or item.get(GLOSE_NS + "article"):
        return True
    target = item.get("target")
    target = target[0] if isinstance(target, list) and target else target
    source = target.get("source") if isinstance(target, dict) else None
    return isinstance(source, str) and source.startswith(ARTICLE_IRI)


def _from_hypothesis(row, n: int, report: ImportReport) -> dict | None:
    """A Hypothesis API annotation as a W3C one (tags → tagging bodies, text → a note)."""
    if not isinstance(row, dict):
        report.skip(f"row {n}", "not an annotation object")
        return None
    label = row.get("id") if isinstance(row.get("id"), str) else f"row {n}"
    if row.get("references"):
        report.skip(label, "a reply: it holds no passage")
        return None
    targets = row.get("target") if isinstance(row.get("target"), list) else []
    target = targets[0] if targets and isinstance(targets[0], dict) else {}
    if not target.get("selector"):
        report.skip(label, "a page note: it holds no passage")
        return None
    bodies = [
        {"type": "TextualBody", "purpose": "tagging", "value": t}
        for t in row.get("tags") or []
        if isinstance(t, str)
    ]
    if isinstance(row.get("text"), str) and row["text"].strip():
        bodies.append({"type": "TextualBody", "purpose": "commenting", "value": row["text"]})
    source = target.get("source") or row.get("uri")
    user = row.get("user") if isinstance(row.get("user"), str) else ""
    return {
        "id": f"https://hypothes.is/a/{row['id']}" if isinstance(row.get("id"), str) else None,
        "type": "Annotation",
        "created": row.get("created"),
        "modified": row.get("updated"),
        "body": bodies,
        "target": {"source": source, "selector": target.get("selector")},
        # the coder: the account's user name (acct:NAME@hypothes.is)
        "creator": {"type": "Person", "name": user.removeprefix("acct:").rsplit("@", 1)[0]},
    }


def _quote(target) -> dict | None:
    selectors = target.get("selector") if isinstance(target, dict) else None
    selectors = selectors if isinstance(selectors, list) else [selectors]
    for sel in selectors:
        while isinstance(sel, dict):
            if sel.get("type") == "TextQuoteSelector":
                return sel
            sel = sel.get("refinedBy")
    return None


def _map_target(item: dict, corpus, report: ImportReport) -> bool:
    """Name the article ``item`` was made on, keep only its quote (offsets in a web page are
    not offsets in an article), and account for what cannot be kept. False (the item listed
    as skipped) when it holds no passage or no article can be found for it."""
    label = item.get("id") if isinstance(item.get("id"), str) else "an annotation"
    targets = item.get("target")
    target = targets[0] if isinstance(targets, list) and targets else targets
    quote = _quote(target)
    if quote is None:
        report.skip(label, "it targets a whole resource, not a passage (no TextQuoteSelector)")
        return False
    if isinstance(targets, list) and len(targets) > 1:
        report.skip(label, f"{counted(len(targets) - 1, 'more target')}: only the first is kept")
    body = item.get("body")
    bodies = body if isinstance(body, list) else ([body] if body is not None else [])
    kept = []
    for b in bodies:
        if isinstance(b, dict) and isinstance(b.get("value"), str):
            kept.append(b)
        else:
            what = show(b if not isinstance(b, dict) else b.get("id"))
            report.skip(f"a body of {label}", f"{what}: Glose keeps text bodies only")
    if isinstance(item.get("bodyValue"), str):
        kept.append({"type": "TextualBody", "value": item["bodyValue"]})
    item["body"] = kept
    source = target.get("source") if isinstance(target, dict) else None
    item["target"] = {"source": source, "selector": [quote]}
    exact, prefix, suffix = (
        quote.get(k) if isinstance(quote.get(k), str) else "" for k in ("exact", "prefix", "suffix")
    )
    if corpus.article:
        item["glose:article"] = corpus.article
        return True
    found = corpus.by_url(source) if isinstance(source, str) else None
    if found:
        item["glose:article"] = found
        return True
    holding = corpus.by_quote(exact, prefix, suffix) if exact.strip() else []
    if len(holding) == 1:
        item["glose:article"] = holding[0]
        report.notes.append(f"{label}: placed on {holding[0]}, the one article holding its quote")
        return True
    if holding:
        item["glose:article"] = holding[0]
        report.notes.append(
            f"{label}: {len(holding)} articles hold its quote; placed on {holding[0]} (--article picks one)"
        )
        return True
    report.skip(
        label, f"no article is {show(source)} (its source) or holds its quote: --article ID names one"
    )
    return False
