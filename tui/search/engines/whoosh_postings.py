"""Writing a new Whoosh segment's postings with the per-posting work in C.

A build's time in Whoosh is mostly its segment writer walking every posting in Python: the
pool's ``add`` (type assertions, a size estimate), then ``FieldWriter.add_postings`` (an
order check, a field-length lookup and three calls per posting) and
``W3PostingsWriter.add_posting`` (four assertions, min/max bookkeeping). The functions here
install, on one writer, versions that do the same per *term* instead: a term's postings are
sliced into Whoosh's blocks with ``map``/``itemgetter`` and each block's state is set in bulk
before Whoosh's own ``_write_block`` and ``finish_postings`` write it. The files are the same
bytes (tests/test_whoosh_postings.py compares two builds file by file); only the writer's own
walk is replaced, so merges, readers and the format stay Whoosh's.
"""

from __future__ import annotations

import itertools
from array import array
from operator import itemgetter

_FIELD_TERM = itemgetter(0, 1)
_DOCNUM, _WEIGHT, _VALUE = itemgetter(2), itemgetter(3), itemgetter(4)


class Lengths:
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


def pool_adder(pool):
    """``PostingPool.add`` without its type assertions (our formats make bytes), called for
    every posting: the same size estimate, so the pool spills to disk at the same points."""

    def add(item) -> None:
        pool.fieldnames.add(item[0])
        pool.currentsize += 150 + len(item[0]) + 2 * len(item[1]) + len(item[4] or "")
        if pool.currentsize > pool.limit:
            pool.save()
        pool.current.append(item)

    return add


def _field_lengths(lengths, fieldname: str) -> list[int]:
    """Every document's length in ``fieldname``, by document number (0 without lengths)."""
    if lengths is None:
        return _Zeros()
    return [lengths.doc_field_length(d, fieldname) for d in range(lengths.doc_count_all())]


class _Zeros(list):
    def __getitem__(self, index):  # type: ignore[override]
        return 0


def _fill_block(postwriter, ids: list[int], weights: list[float], values: list, lens: list[int]) -> None:
    """Set one block's buffer as ``add_posting`` would have left it after adding these."""
    postwriter._ids = array("I", ids)
    postwriter._weights = array("f", weights)
    postwriter._values = list(filter(None, values))  # add_posting keeps only non-empty values
    postwriter._maxweight = max(0, max(weights))
    counted = list(filter(None, lens))  # and only non-zero lengths count for min and max
    postwriter._minlength = min(counted) if counted else None
    postwriter._maxlength = max(counted) if counted else 0


def add_postings(fieldwriter, schema):
    """``fieldwriter.add_postings`` that writes each term's postings a block at a time, or
    None where Whoosh's own must stay: another codec's writer, or a field with a spelling
    graph (its words come as postings numbered -1; Glose's schemas have none). Items come
    sorted from the pool as (field, term, docnum, weight, value)."""
    from whoosh.codec.whoosh3 import W3FieldWriter

    if type(fieldwriter) is not W3FieldWriter or any(
        getattr(f, "spelling", False) for _, f in schema.items()
    ):
        return None

    def add(schema, lengths, items) -> None:
        field = None
        lens_of: list[int] = []
        for (fieldname, btext), group in itertools.groupby(items, _FIELD_TERM):
            if fieldname != field:
                if field is not None:
                    fieldwriter.finish_field()
                field = fieldname
                fieldwriter.start_field(fieldname, schema[fieldname])
                lens_of = _field_lengths(lengths, fieldname)
            postings = list(group)
            ids = list(map(_DOCNUM, postings))
            weights = list(map(_WEIGHT, postings))
            values = [b"" if v is None else v for v in map(_VALUE, postings)]
            lens = list(map(lens_of.__getitem__, ids))
            fieldwriter.start_term(btext)
            postwriter = fieldwriter._postwriter
            limit = postwriter._blocklimit
            for start in range(0, len(ids), limit):
                end = start + limit
                _fill_block(
                    postwriter, ids[start:end], weights[start:end], values[start:end], lens[start:end]
                )
                if end < len(ids):
                    postwriter._write_block()
            fieldwriter.finish_term()
        if field is not None:
            fieldwriter.finish_field()

    return add
