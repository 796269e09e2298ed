"""The query language: parsing what people type into a tree, and compiling it for an engine
(through its :class:`tui.search.engines.QueryBuilder`).

Syntax: words (AND by default), ``"exact phrase"`` (an unclosed quote runs to the end, since
people type left to right), ``prefix*`` (at least 3 letters), ``-exclude`` / ``NOT``, ``OR``,
parentheses, and the fields ``title:``, ``source:``, ``author:``, ``date:`` (``2026``, ``2026-01``,
``2026-01-09``, ranges ``2026-01-05..2026-01-10`` with either end open) and ``tag:``.

Our own parser rather than Whoosh's: Whoosh's parser repairs what it does not understand and
runs a different search than the one typed. Here anything we cannot honour raises
:class:`QueryError` with one line saying what and where.

The size of a query is bounded (:data:`MAX_PARTS` words, phrases and fields,
:data:`MAX_DEPTH` nested groups): the parser, the compiler and Whoosh's matchers all recurse
over the query, and a pasted page or a thousand repeated words would otherwise end in a
RecursionError. Past the bounds the query is refused with the limit, never cut short.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date as Date

from ..errors import QueryError
from ..text.analysis import DEFAULT_LANGUAGE, WORD, fold, prefix_forms, terms
from .engines import SEARCHED, QueryBuilder, get_engine

ENGINE_FIELDS = ("title", "source", "author", "date")  # what the engine itself searches
# Fields answered by a lookup (:data:`Lookup`) as a set of article ids: ``tag:`` (the store),
# ``set:`` and every article variable (``genre:tribune``, ``section:économie``).
FIELDS = (*ENGINE_FIELDS, "tag", "set")
UNSTEMMED = ("source", "author")  # names: folded, not stemmed
MIN_PREFIX = 3
MAX_PARTS = 300  # words, phrases, prefixes and field values (Whoosh recursed past ~900)
MAX_DEPTH = 20  # nested parentheses (the parser recursed past ~240)
QUOTES = '"“”«»„'

# --- tree ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Word:
    text: str
    field: str | None = None


@dataclass(frozen=True)
class Phrase:
    text: str
    field: str | None = None


@dataclass(frozen=True)
class Prefix:
    text: str
    field: str | None = None


@dataclass(frozen=True)
class DateRange:
    """Inclusive range of (possibly partial) ISO dates; None is an open end."""

    start: str | None
    end: str | None


@dataclass(frozen=True)
class Tag:
    """A field answered by a lookup: ``tag:``, ``set:`` or a variable (``field``)."""

    name: str
    field: str = "tag"


@dataclass(frozen=True)
class And:
    items: tuple


@dataclass(frozen=True)
class Or:
    items: tuple


@dataclass(frozen=True)
class Not:
    item: object


# --- lexer ---------------------------------------------------------------------------------

_FIELD = re.compile(r"^([^\W\d_][^\W_]*(?:_[^\W_]+)*):(.*)$", re.S)  # as variable names are


@dataclass
class _Tok:
    kind: str  # LP RP OR AND NOT WORD PHRASE FIELD
    text: str = ""
    field: str | None = None
    at: int = 0


def _lex(source: str) -> list[_Tok]:
    toks: list[_Tok] = []
    i, n = 0, len(source)
    while i < n:
        ch = source[i]
        if ch.isspace():
            i += 1
        elif ch == "(":
            toks.append(_Tok("LP", at=i))
            i += 1
        elif ch == ")":
            toks.append(_Tok("RP", at=i))
            i += 1
        elif ch in QUOTES:
            end = next((j for j in range(i + 1, n) if source[j] in QUOTES), n)
            toks.append(_Tok("PHRASE", source[i + 1 : end], at=i))
            i = end + 1
        elif ch == "-" and i + 1 < n and not source[i + 1].isspace():
            toks.append(_Tok("NOT", at=i))
            i += 1
        else:
            j = i
            while j < n and not source[j].isspace() and source[j] not in "()" + QUOTES:
                j += 1
            text = source[i:j]
            if text in ("OR", "AND", "NOT"):
                toks.append(_Tok(text, at=i))
            elif m := _FIELD.match(text):
                name = m.group(1).lower()  # a field the lookup does not know is its error
                if m.group(2):
                    toks.append(_Tok("WORD", m.group(2), name, at=i))
                else:
                    toks.append(_Tok("FIELD", field=name, at=i))
            else:
                toks.append(_Tok("WORD", text, at=i))
            i = j
    # "title:" directly followed by a quote or a parenthesis attaches to it
    out: list[_Tok] = []
    for tok in toks:
        if out and out[-1].kind == "FIELD" and tok.kind == "PHRASE" and tok.field is None:
            tok.field = out.pop().field
        out.append(tok)
    return out


# --- parser --------------------------------------------------------------------------------


class _Parser:
    def __init__(self, toks: list[_Tok]):
        self.toks = toks
        self.i = 0
        self.depth = 0  # parentheses open at the current token

    def peek(self) -> str:
        return self.toks[self.i].kind if self.i < len(self.toks) else "EOF"

    def take(self) -> _Tok:
        tok = self.toks[self.i]
        self.i += 1
        return tok

    def parse(self):
        if not self.toks:
            raise QueryError("the query is empty")
        parts = sum(tok.kind in ("WORD", "PHRASE") for tok in self.toks)
        if parts > MAX_PARTS:
            raise QueryError(
                f"the query is too long: {parts} words, phrases and fields (at most {MAX_PARTS}); "
                "to find where a passage appears, use where-else (glose where --quote)"
            )
        node = self.parse_or(None)
        if self.peek() == "RP":
            raise QueryError("unbalanced parentheses: a ')' has no '(' before it")
        return node

    def parse_or(self, fld):
        items = [self.parse_and(fld)]
        while self.peek() == "OR":
            self.take()
            if self.peek() in ("EOF", "RP", "OR"):
                raise QueryError("OR needs words on both sides")
            items.append(self.parse_and(fld))
        return items[0] if len(items) == 1 else Or(tuple(items))

    def parse_and(self, fld):
        items = []
        while self.peek() not in ("EOF", "RP", "OR"):
            if self.peek() == "AND":
                self.take()
                if not items or self.peek() in ("EOF", "RP", "OR", "AND"):
                    raise QueryError("AND needs words on both sides")
                continue
            items.append(self.parse_unary(fld))
        if not items:
            if self.peek() == "OR":
                raise QueryError("OR needs words on both sides")
            if self.peek() == "RP":
                raise QueryError("empty parentheses: put words between ( and )")
            raise QueryError("the query is empty")
        return items[0] if len(items) == 1 else And(tuple(items))

    def parse_unary(self, fld):
        if self.peek() == "NOT":
            self.take()
            if self.peek() in ("EOF", "RP", "OR", "AND", "NOT"):
                raise QueryError("'-' (or NOT) needs a word, phrase or group right after it")
            return Not(self.parse_unary(fld))
        return self.parse_primary(fld)

    def parse_primary(self, fld):
        tok = self.take()
        if tok.kind == "LP":
            if self.peek() == "RP":
                raise QueryError("empty parentheses: put words between ( and )")
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise QueryError(f"too many nested parentheses (at most {MAX_DEPTH} levels)")
            node = self.parse_or(fld)
            if self.peek() != "RP":
                raise QueryError("unbalanced parentheses: a '(' is never closed")
            self.take()
            self.depth -= 1
            return node
        if tok.kind == "FIELD":
            if self.peek() == "LP":
                if tok.field not in ENGINE_FIELDS or tok.field == "date":
                    raise QueryError(f"{tok.field}: takes one value, not a group")
                return self.parse_primary(tok.field)
            raise QueryError(f"'{tok.field}:' needs a value right after it, without a space")
        if tok.kind == "RP":
            raise QueryError("unbalanced parentheses: a ')' has no '(' before it")
        return _leaf(tok.kind, tok.text, tok.field or fld)


def _leaf(kind: str, text: str, fld: str | None):
    if fld == "date":
        return _date_range(text.strip())
    if fld is not None and fld not in ENGINE_FIELDS:
        name = " ".join(text.split())
        if not name:
            raise QueryError(f"{fld}: needs a value" if fld != "tag" else "tag: needs a tag name")
        return Tag(name, fld)
    if kind == "PHRASE":
        return Phrase(text, fld)
    if "*" in text:
        stem = text[:-1] if text.endswith("*") else None
        if stem is None or "*" in stem:
            raise QueryError(f"'{text}': * only goes at the end of a word (prefix search)")
        letters = sum(len(m.group()) for m in WORD.finditer(stem))
        if len(list(WORD.finditer(stem))) > 1:
            raise QueryError(f"'{text}': a prefix search takes a single word")
        if letters < MIN_PREFIX:
            raise QueryError(f"'{text}': type at least {MIN_PREFIX} letters before *")
        return Prefix(stem, fld)
    return Word(text, fld)


_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")


def _check_date(text: str) -> str:
    m = _PARTIAL_DATE.match(text)
    try:
        if not m:
            raise ValueError
        year, month, day = m.group(1), m.group(2), m.group(3)
        if day is not None:
            return Date(int(year), int(month), int(day)).isoformat()
        if month is not None:
            if not 1 <= int(month) <= 12:
                raise ValueError
            return f"{year}-{int(month):02d}"
        return year
    except ValueError:
        raise QueryError(
            f"invalid date '{text}' (use YYYY, YYYY-MM or YYYY-MM-DD; a range is 2026-01-05..2026-01-10)"
        ) from None


def _date_range(text: str) -> DateRange:
    if ".." in text:
        start, _, end = text.partition("..")
        if not start and not end:
            raise QueryError("date: a range needs at least one end (2026-01-05.. or ..2026-01-10)")
        return DateRange(_check_date(start) if start else None, _check_date(end) if end else None)
    value = _check_date(text)
    return DateRange(value, value)


def parse(source: str):
    """Parse a query string into a tree; raises :class:`QueryError` for anything malformed."""
    return _Parser(_lex(source)).parse()


# --- compiling -----------------------------------------------------------------------------


@dataclass
class Highlight:
    """What to mark in an article's text: the positive, unfielded parts of the query."""

    terms: set[str] = field(default_factory=set)
    prefixes: set[str] = field(default_factory=set)
    phrases: set[tuple[str, ...]] = field(default_factory=set)

    def __bool__(self) -> bool:
        return bool(self.terms or self.prefixes or self.phrases)

    def key(self) -> tuple:
        """What is marked, hashable (snippets are kept under it)."""
        return frozenset(self.terms), frozenset(self.prefixes), frozenset(self.phrases)


Lookup = Callable[[str, str], set[str]]  # (field, value) → the matching article ids


def no_lookup(field: str, value: str) -> set[str]:
    if field == "tag":
        raise QueryError("tag: searches need the annotation store, which is not available here")
    known = ", ".join(f + ":" for f in FIELDS)
    raise QueryError(f"unknown field '{field}:' (fields are {known})")


def uses_lookups(source: str) -> bool:
    """Whether ``source`` asks a lookup (its results change without the index changing)."""
    try:
        return _has_lookup(parse(source))
    except QueryError:
        return False


def _has_lookup(node) -> bool:
    if isinstance(node, Tag):
        return True
    if isinstance(node, (And, Or)):
        return any(_has_lookup(n) for n in node.items)
    return isinstance(node, Not) and _has_lookup(node.item)


@dataclass
class Compiled:
    query: object  # the engine's query object
    highlight: Highlight
    tree: object


def compile_query(
    source: str,
    language: str = DEFAULT_LANGUAGE,
    tags: Lookup = no_lookup,
    builder: QueryBuilder | None = None,
) -> Compiled:
    """Parse and compile a query for an engine (``builder``; None: the default engine's);
    raises :class:`QueryError`."""
    if builder is None:
        builder = get_engine(None).builder(language)
    tree = parse(source)
    compiler = _Compiler(language, tags, builder)
    query = compiler.build(tree, positive=True)
    if query is None:
        if not any(c.isalnum() for c in source):
            raise QueryError("nothing to search for: the query has no letter or digit")
        raise QueryError("the query has only very common words (stop words); add a more specific word")
    if builder.is_negation(query):
        query = builder.all_of([builder.every(), query])
    return Compiled(query, compiler.highlight, tree)


class KeyBuilder:
    """A :class:`QueryBuilder` whose queries are plain tuples: a query's meaning once analysed.

    Typing changes the text at every key but often not what is asked: a letter that stemming
    drops (``plateform`` → ``plateforme``), an accent, a capital, a space, a closing quote, a
    stop word (``réseau social`` → ``réseau social de``). Two queries with the same key match
    the same articles in the same order, so :class:`tui.search.searcher.SearchEngine` keeps results
    under it."""

    def term(self, field: str, term: str):
        return ("term", field, term)

    def phrase(self, field: str, terms):
        return ("phrase", field, tuple(terms))

    def prefix(self, field: str, prefix: str):
        return ("prefix", field, prefix)

    def date_range(self, start: str, end: str):
        return ("dates", start, end)

    def ids(self, ids):
        return ("ids", tuple(ids))

    def every(self):
        return ("every",)

    def nothing(self):
        return ("nothing",)

    def all_of(self, parts):
        return ("and", tuple(parts))

    def any_of(self, parts):
        return ("or", tuple(parts))

    def negate(self, part):
        return ("not", part)

    def is_negation(self, part) -> bool:
        return part[0] == "not"


def query_key(source: str, language: str = DEFAULT_LANGUAGE, tags: Lookup = no_lookup) -> tuple:
    """What ``source`` asks, analysed (:class:`KeyBuilder`); raises :class:`QueryError`."""
    return compile_query(source, language, tags, KeyBuilder()).query


class _Compiler:
    def __init__(self, language: str, tags: Lookup, builder: QueryBuilder):
        self.language = language
        self.tags = tags
        self.highlight = Highlight()
        self.b = builder

    def build(self, node, positive: bool):
        b = self.b
        if isinstance(node, And):
            parts = [q for q in (self.build(n, positive) for n in node.items) if q is not None]
            if not parts:
                return None
            if all(b.is_negation(p) for p in parts):
                parts.insert(0, b.every())
            return parts[0] if len(parts) == 1 else b.all_of(parts)
        if isinstance(node, Or):
            parts = [q for q in (self.build(n, positive) for n in node.items) if q is not None]
            if not parts:
                return None
            parts = [b.all_of([b.every(), p]) if b.is_negation(p) else p for p in parts]
            return parts[0] if len(parts) == 1 else b.any_of(parts)
        if isinstance(node, Not):
            inner = self.build(node.item, positive=False)
            return None if inner is None else b.negate(inner)
        if isinstance(node, DateRange):
            return _date_query(node, b)
        if isinstance(node, Tag):
            ids = self.tags(node.field, node.name)
            if not ids:
                return b.nothing()
            return b.ids(sorted(ids))
        if isinstance(node, Prefix):
            return self._prefix(node, positive)
        return self._words(node, positive)

    def _fields(self, fld: str | None) -> tuple[str, ...]:
        return SEARCHED if fld is None else (fld,)

    def _words(self, node: Word | Phrase, positive: bool):
        if node.field in UNSTEMMED:
            found = [fold(m.group()) for m in WORD.finditer(node.text)]
        else:
            found = terms(node.text, self.language)
        if not found:
            return None
        if positive and node.field is None:
            if len(found) == 1:
                self.highlight.terms.add(found[0])
            else:
                self.highlight.phrases.add(tuple(found))
        queries = []
        for name in self._fields(node.field):
            if len(found) == 1:
                queries.append(self.b.term(name, found[0]))
            else:
                queries.append(self.b.phrase(name, found))
        return queries[0] if len(queries) == 1 else self.b.any_of(queries)

    def _prefix(self, node: Prefix, positive: bool):
        forms = {fold(node.text)} if node.field in UNSTEMMED else prefix_forms(node.text, self.language)
        if positive and node.field is None:
            self.highlight.prefixes |= forms
        queries = [self.b.prefix(name, form) for name in self._fields(node.field) for form in sorted(forms)]
        return queries[0] if len(queries) == 1 else self.b.any_of(queries)


def _date_query(node: DateRange, b: QueryBuilder):
    if node.start is not None and node.start == node.end:
        if len(node.start) == 10:
            return b.term("date", node.start)
        return b.prefix("date", node.start + "-")  # 2026 -> 2026-..., 2026-01 -> 2026-01-...
    start = node.start or "0"
    end = node.end or "9999-99-99"
    if len(end) < 10:
        end += "~"  # after every full date within the partial end ('~' sorts after digits)
    return b.date_range(start, end)
