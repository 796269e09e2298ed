"""How a Whoosh segment is written, faster, with the same bytes on disk.

Whoosh's ``SegmentWriter`` adds every posting of every document to a pool as a 5-tuple,
sorts the whole pool when the segment is finished, then hands the sorted postings one by one
to a field writer that checks their order and buffers them into blocks of 128. Most of a
build's time went there (PERF-NOTES.md: "the floor"). Here the pool keeps the postings
grouped by term as they come (documents arrive in order), only the distinct terms are sorted,
and each term's postings are put into their blocks a block at a time. A block is
zlib-compressed only from :data:`COMPRESS_FROM` bytes: Whoosh compresses every one, and
compressing the small ones (most terms are in one or two documents) was a sixth of a build's
instructions, for little space (each block says how it was written; readers take both). With
every block compressed, the segment's files are byte for byte the ones Whoosh writes
(``tests/test_whoosh_internals.py`` checks it against Whoosh's own pool and writer), and a
pool too large for memory still spills sorted runs to disk at Whoosh's own points, then goes
Whoosh's way.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterator

# The smallest block (its values' bytes and two a posting for its ids and weights, roughly
# what Whoosh pickles) that is compressed. 299 man pages, one process: every block compressed
# 12.94 G instructions and a 4.6 MB index; from 256 bytes, 11.50 G and 4.9 MB; none, 10.61 G
# and twice the index (the 2,415 man pages: 23 -> 47 MB, FTS5's 38 MB).
COMPRESS_FROM = 256


class _Lengths:
    """A new segment's per-document reader that remembers the field lengths it read: Whoosh
    asks for the length of a posting's document for every posting it writes (a column read
    each time, 14 % of a build profiled), and a document has one length per field."""

    def __init__(self, reader):
        self.reader, self.seen = reader, {}

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int:
        key = (docnum, fieldname)
        try:
            return self.seen[key]
        except KeyError:
            value = self.seen[key] = self.reader.doc_field_length(docnum, fieldname, default)
            return value

    def __getattr__(self, name: str):
        return getattr(self.reader, name)


class _Grouped:
    """What the pool hands the field writer when nothing spilled: the postings by term. Also
    an iterable of Whoosh's sorted 5-tuples, for any other consumer."""

    def __init__(self, groups: dict[tuple[str, bytes], list]):
        self.groups = groups

    def terms(self) -> Iterator[tuple[str, bytes, list[tuple]]]:
        """(field, term, its postings in document order), in Whoosh's order."""
        groups = self.groups
        for key in sorted(groups):
            postings = groups[key][1:]
            postings.sort()  # already in document order: a linear check
            yield key[0], key[1], postings

    def __iter__(self) -> Iterator[tuple]:
        for fieldname, text, postings in self.terms():
            for docnum, weight, value in postings:
                yield fieldname, text, docnum, weight, value


def install(writer) -> None:
    """Make a Whoosh ``SegmentWriter`` (not its multi-process writer) write this way."""
    reader = writer.per_document_reader
    writer.per_document_reader = lambda: _Lengths(reader())
    add_postings = _group_postings(writer.pool)
    _write_by_term(writer.fieldwriter, writer.codec._compression)
    if not any(f.separate_spelling() or f.vector for f in writer.schema):
        writer.add_document = _document_adder(writer, add_postings)


def _group_postings(pool) -> Callable:
    """The pool keeps (field, term) → [Whoosh's size estimate of one of its postings, then
    its postings]. The same estimate as ``PostingPool.add``, without its type assertions (our
    formats make bytes), so the pool spills a sorted run to disk at the same points."""
    groups: dict[tuple[str, bytes], list] = {}
    spill, merged, limit = pool.save, pool.items, pool.limit
    size = 0

    def to_list() -> None:
        pool.current = list(_Grouped(groups))
        groups.clear()

    def add_field(fieldname: str, docnum: int, items, boost: float, scorable: bool, encode: bool) -> int:
        """A document's postings of one field, as ``SegmentWriter.add_document`` adds them
        one by one (weights times the boost, terms as UTF-8); returns the field's length.
        Whoosh's own ``add`` of one posting comes here too."""
        nonlocal size
        length = 0
        get, base = groups.get, 150 + len(fieldname)
        for text, freq, weight, value in items:
            if scorable:
                length += freq
            key = (fieldname, text.encode("utf-8") if encode else text)
            if (entry := get(key)) is None:
                pool.fieldnames.add(fieldname)
                entry = groups[key] = [base + 2 * len(key[1])]
            entry.append((docnum, weight * boost, value))
            size += entry[0] + len(value or b"")
            if size > limit:
                to_list()
                spill()
                size = 0
        return length

    def add(item) -> None:  # Whoosh's way in (merging another segment's postings): one posting
        fieldname, text, docnum, weight, value = item
        add_field(fieldname, docnum, ((text, 0, weight, value),), 1.0, False, False)

    def items():
        if not pool.runs:
            return _Grouped(groups)
        to_list()
        return merged()  # the runs on disk and what is left, merged: Whoosh's way

    pool.add, pool.iter_postings = add, items
    return add_field


def _document_adder(writer, add_field: Callable) -> Callable:
    """``SegmentWriter.add_document`` (whoosh-reloaded 2.7.5) for a schema without spelling
    or vector fields, each field's postings handed to the pool at once (``add_field``), not
    as a tuple and a call per posting. A field type with its own ``index`` (numbers) gives
    its terms as it does to Whoosh; the others' are their format's words, encoded."""
    from whoosh.fields import FieldType

    schema = writer.schema

    def add_document(**fields) -> None:
        writer._check_state()
        perdocwriter, docnum = writer.perdocwriter, writer.docnum
        docboost = writer._doc_boost(fields)
        fieldnames = sorted(name for name in fields if not name.startswith("_"))
        writer._check_fields(schema, fieldnames)
        perdocwriter.start_doc(docnum)
        try:
            for fieldname in fieldnames:
                value = fields.get(fieldname)
                if value is None:
                    continue
                field = schema[fieldname]
                length = 0
                if field.indexed:
                    boost = writer._field_boost(fields, fieldname, docboost)
                    plain = type(field).index is FieldType.index
                    if plain:
                        items = field.format.word_values(value, field.analyzer, mode="index")
                    else:
                        items = field.index(value)
                    length = add_field(fieldname, docnum, items, boost, field.scorable, plain)
                stored = fields.get(f"_stored_{fieldname}", value)
                perdocwriter.add_field(fieldname, field, stored if field.stored else None, length)
                if field.column_type and stored is not None:
                    perdocwriter.add_column_value(fieldname, field.column_type, field.to_column_value(stored))
        except Exception:
            perdocwriter.cancel_doc()
            raise
        perdocwriter.finish_doc()
        writer._added = True
        writer.docnum += 1

    return add_document


def _write_by_term(fieldwriter, level: int) -> None:
    """The field writer takes grouped postings a block at a time (Whoosh's ``add_postings``
    for anything else), compressing at zlib ``level`` the blocks from :data:`COMPRESS_FROM`."""
    general = fieldwriter.add_postings

    def add_postings(schema, lengths, items) -> None:
        if not isinstance(items, _Grouped):
            return general(schema, lengths, items)
        length_of = lengths.doc_field_length if lengths else (lambda docnum, fieldname: 0)
        current = None
        for fieldname, text, postings in items.terms():
            if fieldname != current:
                if current is not None:
                    fieldwriter.finish_field()
                fieldwriter.start_field(fieldname, schema[fieldname])
                current = fieldname
            fieldwriter.start_term(text)
            _fill(fieldwriter._postwriter, postings, fieldname, length_of, level)
            fieldwriter.finish_term()
        if current is not None:
            fieldwriter.finish_field()
        return None

    fieldwriter.add_postings = add_postings


def _fill(
    postwriter, postings: list[tuple], fieldname: str, length_of: Callable[[int, str], int], level: int
) -> None:
    """A term's postings into the posting writer's blocks, as ``W3PostingsWriter.add_posting``
    would leave them one posting at a time: full blocks written, the last one left for
    ``finish_postings``. (Its block statistics: the highest weight from 0, the field lengths
    other than 0.)"""
    limit = postwriter._blocklimit
    for start in range(0, len(postings), limit):
        if start:
            postwriter._write_block()
        block = postings[start : start + limit]
        docnums = [p[0] for p in block]
        weights = [p[1] for p in block]
        lengths = [n for n in (length_of(d, fieldname) for d in docnums) if n]
        postwriter._ids = array("I", docnums)
        postwriter._weights = array("f", weights)
        postwriter._values = [p[2] for p in block if p[2]]
        postwriter._maxweight = max(0, *weights)
        postwriter._minlength = min(lengths) if lengths else None
        postwriter._maxlength = max(lengths) if lengths else 0
        size = sum(map(len, postwriter._values)) + 2 * len(block)
        postwriter._compression = level if size >= COMPRESS_FROM else 0
