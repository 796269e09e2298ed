"""The documents holding a phrase, matched on the postings themselves.

Where-else asks the index for the articles holding a few word sequences of a passage. Whoosh
answers a ``Phrase`` with nested ``SpanNear`` matchers that build a ``Span`` object for every
position of every term of every document holding all the terms: on 5,000 generated articles,
0.17 s of a 0.40 s where-else. Here the rarest term leads, the others skip to its documents,
and only where all are present are their positions read, as plain integers, and intersected
(term ``i`` at ``p + i``): the same documents as Whoosh's ``Phrase`` with its default slop of 1.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence


def phrase_docnums(reader, field: str, terms: Sequence[str]) -> Iterator[int]:
    """The document numbers holding ``terms`` in a row in ``field``, deleted documents left
    out, in increasing order (``reader``: a Whoosh reader, of one segment or several)."""
    if not terms or any((field, t) not in reader for t in set(terms)):
        return
    matchers = [reader.postings(field, t) for t in terms]  # deleted documents filtered out
    order = sorted(range(len(terms)), key=lambda i: reader.doc_frequency(field, terms[i]))
    lead, others = matchers[order[0]], [matchers[i] for i in order[1:]]
    while lead.is_active():
        doc = lead.id()
        ahead = doc
        for m in others:
            if not m.is_active():
                return
            m.skip_to(doc)
            if not m.is_active():
                return
            if m.id() != doc:
                ahead = m.id()
                break
        if ahead != doc:
            lead.skip_to(ahead)
            continue
        if _in_a_row(matchers):
            yield doc
        lead.next()


def _in_a_row(matchers: list) -> bool:
    """Whether the current document has term ``i`` at ``p + i`` for some start ``p``."""
    starts = set(matchers[0].value_as("positions"))
    for i, m in enumerate(matchers[1:], start=1):
        starts.intersection_update(p - i for p in m.value_as("positions"))
        if not starts:
            return False
    return True
