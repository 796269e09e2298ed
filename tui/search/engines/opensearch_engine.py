"""OpenSearch behind the engine seam: the parts that can be built and tested without a cluster.

Not a selectable engine yet (no cluster can be reached from where Glose is developed): this
module holds the index mapping, the query builder (Glose's query language → the OpenSearch
query DSL) and the bulk actions a writer sends, all pure functions checked by
``tests/test_engines.py``. The reader and writer that would send them over HTTP, and
everything else, are designed in docs/SCALING.md.

As with tantivy, text fields are indexed from Glose's own terms (space-separated, a
``whitespace`` analyzer), so the hit sets equal Whoosh's; a ``french`` sub-field with
OpenSearch's own analysis (elision, ICU folding, French stop words, light stemmer) serves
tools that query the cluster directly (Dashboards, a newsroom's other services).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from ...text.analysis import WORD, fold, index_terms
from .base import FIELDS

ELISIONS = ["l", "m", "t", "qu", "n", "s", "j", "d", "c", "jusqu", "quoiqu", "lorsqu", "puisqu"]


def settings(shards: int = 1, replicas: int = 1) -> dict:
    """Index settings: the analyzers the mapping names (``analysis-icu`` plugin needed)."""
    return {
        "number_of_shards": shards,
        "number_of_replicas": replicas,
        "analysis": {
            "filter": {
                "glose_elision": {"type": "elision", "articles_case": True, "articles": ELISIONS},
                "glose_stop": {"type": "stop", "stopwords": "_french_"},
                "glose_stem": {"type": "stemmer", "language": "light_french"},
            },
            "analyzer": {
                "glose_terms": {"type": "custom", "tokenizer": "whitespace"},
                # folding before stop words and stemming, as Glose does
                "glose_french": {
                    "type": "custom",
                    "tokenizer": "icu_tokenizer",
                    "filter": ["glose_elision", "icu_folding", "glose_stop", "glose_stem"],
                },
            },
        },
    }


def mapping() -> dict:
    """The mapping, made from :data:`tui.search.engines.base.FIELDS` (a new field is one line there).
    The article text itself is kept in ``_source`` (not indexed) so that any client can make
    Glose's snippets and offsets from the canonical text without the article files."""
    properties: dict[str, Any] = {}
    for f in FIELDS:
        if f.kind == "id":
            properties[f.name] = {"type": "keyword"}
        elif f.kind in ("text", "words"):
            properties[f.name] = {
                "type": "text",
                "analyzer": "glose_terms",
                "index_options": "positions" if f.kind == "text" else "docs",
                "norms": f.kind == "text",
                "fields": {"french": {"type": "text", "analyzer": "glose_french"}},
            }
            if f.kind == "text":
                properties[f.name]["index_prefixes"] = {"min_chars": 3, "max_chars": 8}
            if f.stored:
                properties[f"{f.name}_"] = {"type": "keyword", "index": False, "doc_values": False}
        elif f.kind == "int":
            properties[f.name] = {"type": "long"}
        else:
            properties[f.name] = {"type": "keyword", "index": False, "doc_values": False}
    properties["text"] = {"type": "text", "index": False}
    return {
        "dynamic": "strict",
        "_source": {"excludes": ["body", "title", "source"]},
        "properties": properties,
    }


def source(document: dict, language: str) -> dict:
    """The ``_source`` of one article: terms for the text fields, the display values apart."""
    out: dict[str, Any] = {}
    for f in FIELDS:
        value = document.get(f.name)
        if value is None:
            continue
        if f.kind == "text":
            out[f.name] = " ".join(index_terms(value, language))
        elif f.kind == "words":
            out[f.name] = " ".join(fold(w) for w in WORD.findall(value))
        else:
            out[f.name] = value
        if f.stored and f.kind in ("text", "words"):
            out[f"{f.name}_"] = value
    out["text"] = document["body"]
    return out


def bulk_actions(index: str, changes: Sequence[tuple[str, Any]], language: str) -> Iterator[dict]:
    """The lines of a ``_bulk`` request for ``changes``: ("index", document) or ("delete", id).
    The article id is the document ``_id``, so a re-sent batch is idempotent."""
    for kind, item in changes:
        if kind == "delete":
            yield {"delete": {"_index": index, "_id": item}}
        else:
            yield {"index": {"_index": index, "_id": item["id"]}}
            yield source(item, language)


class _Negation:
    def __init__(self, query: dict):
        self.query = query


class OpenSearchBuilder:
    """Glose's query language as OpenSearch query DSL (dicts ready for ``json.dumps``)."""

    boosts = {f.name: f.boost for f in FIELDS if f.boost != 1.0}

    def _boost(self, field: str, query: dict) -> dict:
        boost = self.boosts.get(field)
        if boost is None:
            return query
        kind, body = next(iter(query.items()))
        inner = dict(next(iter(body.values())))
        inner["boost"] = boost
        return {kind: {field: inner}}

    def term(self, field: str, term: str) -> dict:
        return self._boost(field, {"term": {field: {"value": term}}})

    def phrase(self, field: str, terms: Sequence[str]) -> dict:
        return self._boost(
            field, {"match_phrase": {field: {"query": " ".join(terms), "analyzer": "whitespace"}}}
        )

    def prefix(self, field: str, prefix: str) -> dict:
        return self._boost(field, {"prefix": {field: {"value": prefix}}})

    def date_range(self, start: str, end: str) -> dict:
        return {"range": {"date": {"gte": start, "lte": end}}}  # keyword ranges compare as text

    def ids(self, ids: Sequence[str]) -> dict:
        return {"terms": {"id": list(ids)}}

    def every(self) -> dict:
        return {"match_all": {}}

    def nothing(self) -> dict:
        return {"match_none": {}}

    def all_of(self, parts: Sequence) -> dict:
        must = [p for p in parts if not isinstance(p, _Negation)]
        must_not = [p.query for p in parts if isinstance(p, _Negation)]
        query: dict[str, Any] = {"must": must}
        if must_not:
            query["must_not"] = must_not
        return {"bool": query}

    def any_of(self, parts: Sequence) -> dict:
        return {"bool": {"should": list(parts), "minimum_should_match": 1}}

    def negate(self, part) -> _Negation:
        return _Negation(part)

    def is_negation(self, part) -> bool:
        return isinstance(part, _Negation)


def search_body(query: dict, limit: int) -> dict:
    """A ``_search`` request for the ``limit`` best articles: ids and display fields only
    (the count is asked apart, with ``_count``, when the reader wants it)."""
    stored = [f"{f.name}_" if f.kind in ("text", "words") else f.name for f in FIELDS if f.stored]
    return {"query": query, "size": limit, "track_total_hits": False, "_source": stored}
