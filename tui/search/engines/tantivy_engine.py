"""tantivy behind the engine seam: a Rust engine for large corpora (a dependency of Glose; a new
index of 1,000 articles or more uses it).

Analysis stays Glose's: text fields are analysed in Python by :func:`tui.text.analysis.index_text`
(elision, folding, stop words, Snowball stems plus Glose's light stemming) and handed to
tantivy as space-separated terms, indexed with its ``whitespace`` tokenizer. So the index holds
exactly the terms and positions the Whoosh index holds, queries are compiled from the same
terms, and both engines match the same articles; only the ranking (both BM25, with different
norms) may order ties differently. A native tantivy analyzer (regex tokenizer, ascii_fold,
stemmer) would skip the Python pass but cannot do Glose's light stemming, so a query would
find ``générées`` in one engine and not in the other; see docs/SCALING.md for the measure.

Dates are also indexed as a number (``day``: 2026-01-05 → 20260105) because tantivy has no
range query on text fields.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from ...errors import GloseError, IndexError_
from ...text.analysis import WORD, fold, index_text
from .base import FIELDS, at_least

INSTALL = (
    "the tantivy engine cannot be imported here: pip install --force-reinstall tantivy "
    '(or use engine = "whoosh")'
)
HEAP = 128_000_000  # bytes of the writer's buffer per thread
THREADS_THRESHOLD = 2000  # batches this large are written by two threads
_DAY = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(~?)$")


def _tantivy():
    try:
        import tantivy
    except ImportError:
        raise IndexError_(INSTALL) from None
    return tantivy


def day(date: str) -> int | None:
    """An ISO date (full or partial) as a number that sorts the same way: missing parts are
    00, or 99 after a ``~`` (Glose's "after every date of this month" end of a range)."""
    if date == "0":
        return 0
    m = _DAY.match(date)
    if not m:
        return None
    fill = 99 if m.group(4) else 0
    year, month, dday = int(m.group(1)), m.group(2), m.group(3)
    return year * 10_000 + (int(month) if month else fill) * 100 + (int(dday) if dday else fill)


def make_schema(tantivy):
    sb = tantivy.SchemaBuilder()
    for f in FIELDS:
        if f.kind == "id":
            sb.add_text_field(f.name, stored=f.stored, tokenizer_name="raw")
        elif f.kind in ("text", "words"):
            sb.add_text_field(f.name, stored=False, tokenizer_name="whitespace")
            if f.stored:
                sb.add_text_field(f"{f.name}_", stored=True, tokenizer_name="raw", index_option="basic")
        elif f.kind == "int":
            sb.add_integer_field(f.name, stored=f.stored, indexed=True)
        else:
            sb.add_text_field(f.name, stored=True, tokenizer_name="raw", index_option="basic")
    sb.add_integer_field("day", indexed=True, fast=True)
    return sb.build()


def prepare(document: dict, language: str) -> list[tuple[str, str | int]]:
    """The (field, value) pairs of one document, analysed by Glose: plain data, so worker
    processes can prepare documents for the parent's writer."""
    out: list[tuple[str, str | int]] = []
    for f in FIELDS:
        value = document.get(f.name)
        if value is None:
            continue
        if f.kind == "text":
            out.append((f.name, index_text(value, language)))
        elif f.kind == "words":
            out.append((f.name, " ".join(fold(w) for w in WORD.findall(value))))
        elif f.kind == "int":
            out.append((f.name, int(value)))
        else:
            out.append((f.name, str(value)))
        if f.stored and f.kind in ("text", "words"):
            out.append((f"{f.name}_", value))
    if (number := day(document.get("date") or "")) is not None:
        out.append(("day", number))
    return out


class TantivyWriter:
    def __init__(self, tantivy, index, language: str, threads: int):
        self.t, self.index, self.language = tantivy, index, language
        self.w = index.writer(heap_size=HEAP * threads, num_threads=threads)
        # A commit killed half-way leaves files that meta.json does not name (a delete file
        # whose name the next commit needs): remove them before writing.
        self.w.garbage_collect_files()

    def add(self, document: dict) -> None:
        self.add_prepared(prepare(document, self.language))

    def add_prepared(self, prepared: list[tuple[str, str | int]]) -> None:
        doc = self.t.Document()
        for name, value in prepared:
            if isinstance(value, int):
                doc.add_integer(name, value)
            else:
                doc.add_text(name, value)
        self.w.add_document(doc)

    def replace(self, document: dict) -> None:
        self.delete(document["id"])
        self.add(document)

    def delete(self, article_id: str) -> None:
        self.w.delete_documents_by_term("id", article_id)

    def flush(self) -> None:
        """Commit what was added so far and go on writing (a first build that publishes its
        progress: searchers see it; merges go on in the background)."""
        self.w.commit()

    def commit(self) -> None:
        """Commit (tantivy fsyncs its files and meta.json), then let merges finish, so the
        files recorded for the damage check are the ones that stay."""
        self.w.commit()
        self.w.wait_merging_threads()

    def cancel(self) -> None:
        self.w.rollback()


class TantivyReader:
    def __init__(self, tantivy, index):
        self.t, self.index = tantivy, index
        self.searcher = index.searcher()
        self.schema = index.schema

    def _fields(self, address) -> dict:
        raw = self.searcher.doc(address).to_dict()
        fields = {}
        for f in FIELDS:
            key = f"{f.name}_" if f.stored and f.kind in ("text", "words") else f.name
            if (f.stored or f.kind == "stored") and raw.get(key):
                fields[f.name] = raw[key][0]
        return fields

    def search(self, query, limit: int | None) -> tuple[list[tuple[dict, float]], Any]:
        found = self.searcher.search(query, limit or max(1, self.searcher.num_docs), count=True)
        return [(self._fields(address), score) for score, address in found.hits], found.count

    def count(self, handle) -> int:
        return int(handle)

    def ids(self, query) -> Iterator[str]:
        for address in self._addresses(query):
            yield self.searcher.doc(address)["id"][0]

    def ids_matching(self, queries: Sequence, need: int) -> list[str]:
        addresses: dict[tuple[int, int], Any] = {}

        def keys(query) -> Iterator[tuple[int, int]]:
            for address in self._addresses(query):
                key = (address.segment_ord, address.doc)
                addresses[key] = address
                yield key

        kept = at_least(map(keys, queries), need)
        return [self.searcher.doc(addresses[k])["id"][0] for k in kept]

    def _addresses(self, query) -> list:
        found = self.searcher.search(query, max(1, self.searcher.num_docs), count=False)
        return [address for _score, address in found.hits]

    def documents(self) -> Iterable[dict]:
        found = self.searcher.search(self.t.Query.all_query(), max(1, self.searcher.num_docs), count=False)
        return (self._fields(address) for _score, address in found.hits)

    def document(self, article_id: str) -> dict | None:
        found = self.searcher.search(self.t.Query.term_query(self.schema, "id", article_id), 1)
        return self._fields(found.hits[0][1]) if found.hits else None

    def refresh(self) -> TantivyReader:
        self.index.reload()
        self.searcher = self.index.searcher()
        return self

    def close(self) -> None:
        self.searcher = self.index = None


def _escape(text: str) -> str:
    return "".join(ch if ch.isalnum() else "\\" + ch for ch in text)


class TantivyBuilder:
    def __init__(self, tantivy):
        self.t = tantivy
        self.Q, self.Occur = tantivy.Query, tantivy.Occur
        self.schema = make_schema(tantivy)
        self.boosts = {f.name: f.boost for f in FIELDS if f.boost != 1.0}

    def _boost(self, field: str, query):
        boost = self.boosts.get(field)
        return query if boost is None else self.Q.boost_query(query, boost)

    def term(self, field: str, term: str):
        return self._boost(field, self.Q.term_query(self.schema, field, term))

    def phrase(self, field: str, terms: Sequence[str]):
        return self._boost(field, self.Q.phrase_query(self.schema, field, list(terms)))

    def prefix(self, field: str, prefix: str):
        return self._boost(field, self.Q.regex_query(self.schema, field, _escape(prefix) + ".*"))

    def date_range(self, start: str, end: str):
        low, high = day(start), day(end)
        if low is None or high is None:
            raise GloseError(f"cannot search dates between {start!r} and {end!r}")
        return self.Q.range_query(self.schema, "day", self.t.FieldType.Integer, low, high)

    def ids(self, ids: Sequence[str]):
        return self.Q.term_set_query(self.schema, "id", list(ids))

    def every(self):
        return self.Q.all_query()

    def nothing(self):
        return self.Q.empty_query()

    def all_of(self, parts: Sequence):
        return self.Q.boolean_query([self._occur(p) for p in parts])

    def _occur(self, part):
        if isinstance(part, _Negation):
            return (self.Occur.MustNot, part.query)
        return (self.Occur.Must, part)

    def any_of(self, parts: Sequence):
        return self.Q.boolean_query([(self.Occur.Should, p) for p in parts])

    def negate(self, part):
        return _Negation(part)

    def is_negation(self, part) -> bool:
        return isinstance(part, _Negation)


class _Negation:
    """tantivy has no "not" query of its own, only a MustNot clause in a boolean query: the
    compiler always puts a negation inside an ``all_of`` (with ``every()`` if need be)."""

    def __init__(self, query):
        self.query = query


class TantivyEngine:
    name = "tantivy"
    parallel = False  # tantivy's writer threads

    def check(self) -> None:
        _tantivy()

    def create(self, folder: Path, language: str, sample: Iterable[str] = ()) -> None:
        t = _tantivy()
        t.Index(make_schema(t), path=str(folder))

    def writer(self, folder: Path, language: str, batch: int) -> TantivyWriter:
        t = _tantivy()
        threads = 2 if batch >= THREADS_THRESHOLD else 1
        try:
            return TantivyWriter(t, t.Index.open(str(folder)), language, threads)
        except ValueError as exc:  # tantivy's LockBusy and friends
            raise IndexError_(f"the index is locked by another process; try again shortly ({exc})") from None

    def open(self, folder: Path) -> TantivyReader:
        t = _tantivy()
        return TantivyReader(t, t.Index.open(str(folder)))

    def builder(self, language: str) -> TantivyBuilder:
        return TantivyBuilder(_tantivy())

    def prepare(self, document: dict, language: str) -> list[tuple[str, str | int]]:
        return prepare(document, language)
