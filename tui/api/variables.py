"""``lib.variables``: every article's variables — the built-in ones the index keeps (source,
date, author, section, page, words, language, origin) and the ones people set or import
(``genre``) — as one table, the query fields they make, and their changes.

The table is made from the index's stored records and the store's hand-set values, never by
reading the articles' files: a timeline or a matrix over 50,000 articles asks it once (it is
kept until the index or the store changes)."""

from __future__ import annotations

import datetime as _dt
import threading
import unicodedata
from collections import Counter
from collections.abc import Iterable

from ..errors import GloseError, QueryError
from ..wording import counted
from .context import Context

BUILTIN = ("source", "date", "author", "section", "page", "words", "language", "origin")
SETTABLE_BUILTIN = ("title", "source", "date", "author", "section", "page", "language", "origin")
BUCKETS = ("day", "week", "month", "year")
fields_of_engine = ("source", "date", "author")  # searched by the engine itself (folded words)
Table = dict[str, dict[str, str | None]]


def bucket(iso: str | None, by: str) -> str | None:
    """The period of an ISO date: ``2026-01-09`` (day), ``2026-W02`` (ISO week), ``2026-01``,
    ``2026``; None for no date (or one that is not a calendar day)."""
    if not iso:
        return None
    if by == "year":
        return iso[:4]
    if by == "month":
        return iso[:7] if len(iso) >= 7 else None
    if len(iso) < 10:
        return None
    if by == "day":
        return iso[:10]
    try:
        year, week, _ = _dt.date.fromisoformat(iso[:10]).isocalendar()
    except ValueError:
        return None
    return f"{year}-W{week:02d}"


def week_range(period: str) -> tuple[str, str]:
    """The first and last day (ISO) of an ISO week ``2026-W02``."""
    year, week = int(period[:4]), int(period[6:])
    first = _dt.date.fromisocalendar(year, week, 1)
    return first.isoformat(), (first + _dt.timedelta(days=6)).isoformat()


def set_variables(ctx: Context, values: dict[str, dict[str, str | None]], *, label: str | None = None) -> int:
    """Set (None or '': remove) {article: {name: value}} as one undoable event, dates read as
    dates, and write again in the index the articles whose title, source, date... changed;
    how many values changed."""
    from ..store.variables import OVERRIDABLE
    from ..text.metadata import parse_date

    ctx.ws.check()
    checked: dict[str, dict[str, str | None]] = {}
    for article, named in values.items():
        row = checked.setdefault(article, {})
        for name, value in named.items():
            key = name.strip().lower()
            if key == "date" and value:
                iso = parse_date(value)
                if iso is None:
                    raise GloseError(f"invalid date '{value}' for {article}: use YYYY-MM-DD")
                value = iso
            row[key] = value
    changed = ctx.store.set_variables(checked, label=label)
    if changed:
        reindex_overrides(ctx, [a for a, named in checked.items() if set(named) & set(OVERRIDABLE)])
    return changed


def reindex_overrides(ctx: Context, articles: list[str]) -> None:
    """The index keeps what was set by hand over title, source, date...: write those articles
    again with their overrides (after a change, or its undo)."""
    from ..search.index import reindex_metadata

    if not articles or not ctx.ws.has_index():
        return
    meta = ctx.store.all_meta(articles)
    for article in articles:
        reindex_metadata(ctx.ws.articles, ctx.ws.index, ctx.ws.language, article, meta.get(article, {}))
    ctx.refresh()


def _fold(value: str) -> str:
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def _number(value: str | None) -> float | None:
    try:
        return float(value.replace(",", ".")) if value else None
    except ValueError:
        return None


class _Kept:
    """The table, kept under what it was made from (the index's epoch, the store's version)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.key: tuple | None = None
        self.table: Table = {}


class VariablesPart:
    def __init__(self, ctx: Context):
        self._ctx = ctx
        self._kept = _Kept()

    # --- reading ------------------------------------------------------------------------------

    def user_names(self) -> list[str]:
        """The variables people defined (not a built-in one, not a title), sorted."""
        ctx = self._ctx
        if not ctx.ws.has_store():
            return []
        return [n for n in ctx.store.variable_names() if n not in SETTABLE_BUILTIN]

    def names(self) -> list[str]:
        """Every variable: the built-in ones, then the user's."""
        return [*BUILTIN, *self.user_names()]

    def table(self, ids: Iterable[str] | None = None) -> Table:
        """article → {variable: value or None} for every indexed article (``ids``: only these;
        an id the index does not hold is left out)."""
        table = self._table()
        if ids is None:
            return table
        return {a: table[a] for a in ids if a in table}

    def column(self, name: str, ids: Iterable[str] | None = None) -> dict[str, str | None]:
        """One variable's value per article; ``date.day|week|month|year`` buckets the date."""
        key, by = self.check(name)
        rows = self.table(ids)
        if by is None:
            return {a: row.get(key) for a, row in rows.items()}
        return {a: bucket(row.get("date"), by) for a, row in rows.items()}

    def check(self, name: str) -> tuple[str, str | None]:
        """(variable, date bucket or None) of a name as typed (``date.month``), or a one-line
        error that lists the variables."""
        given = name.strip().lower()
        base, _, by = given.partition(".")
        if by:
            if base != "date" or by not in BUCKETS:
                raise GloseError(
                    f"unknown variable '{name}': a date is bucketed as date.{'|date.'.join(BUCKETS)}"
                )
            return "date", by
        if given not in self.names():
            raise GloseError(f"unknown variable '{name}' (variables are {', '.join(self.names())})")
        return given, None

    def summary(self, top: int = 5) -> list[dict]:
        """``glose vars``: each variable with how many articles have a value and its commonest
        values (``top`` 0: all)."""
        table = self._table()
        out = []
        for name in self.names():
            counts = Counter(v for row in table.values() if (v := row.get(name)) is not None)
            common = counts.most_common(top or None)
            out.append(
                {
                    "name": name,
                    "builtin": name in BUILTIN,
                    "articles": sum(counts.values()),
                    "values": dict(common),
                }
            )
        return out

    def matching(self, name: str, value: str) -> set[str]:
        """The articles whose ``name`` is ``value`` (what ``name:value`` in a query finds):
        equal once case and accents are folded; ``value*`` a prefix; ``a..b`` a range (numbers
        compared as numbers, else as text; either end may be left open)."""
        column = self.column(name)
        if ".." in value:
            low, _, high = value.partition("..")
            low, high = low.strip() or None, high.strip() or None
            if (low is None or _number(low) is not None) and (high is None or _number(high) is not None):
                lo, hi = _number(low), _number(high)
                return {
                    a
                    for a, v in column.items()
                    if (n := _number(v)) is not None and (lo is None or n >= lo) and (hi is None or n <= hi)
                }
            return {
                a
                for a, v in column.items()
                if v is not None
                and (low is None or _fold(v) >= _fold(low))
                and (high is None or _fold(v) <= _fold(high))
            }
        wanted = _fold(value)
        if wanted.endswith("*"):
            stem = wanted[:-1]
            return {a for a, v in column.items() if v is not None and _fold(v).startswith(stem)}
        return {a for a, v in column.items() if v is not None and _fold(v) == wanted}

    def lookup(self, field: str, value: str) -> set[str]:
        """A query's ``field:value`` for a variable (the engine's :data:`~tui.search.query.Lookup`)."""
        if field not in self.names():
            fields = (
                "title",
                "source",
                "author",
                "date",
                "tag",
                "set",
                *(n for n in self.names() if n not in fields_of_engine),
            )
            known = ", ".join(f + ":" for f in fields)
            raise QueryError(f"unknown field '{field}:' (fields are {known})")
        return self.matching(field, value)

    # --- changing -----------------------------------------------------------------------------

    def set(self, given: str, values: dict[str, str | None]) -> int:
        """Set (value '' or None: remove) variables of one article, as one undoable event;
        how many values changed."""
        return self.set_many({self._ctx.article_id(given): values})

    def set_many(self, values: dict[str, dict[str, str | None]], *, label: str | None = None) -> int:
        """Set variables of many articles in one undoable event (an import)."""
        return set_variables(self._ctx, values, label=label)

    def import_csv(self, data: bytes, *, partial: bool = False) -> dict:
        """``glose vars import``: see :func:`import_sheet`."""
        return import_sheet(self, data, partial=partial)

    def export_csv(self, ids: Iterable[str] | None = None) -> bytes:
        """``glose vars export``: see :func:`export_sheet`."""
        return export_sheet(self, ids)

    # --- the table ----------------------------------------------------------------------------

    def _table(self) -> Table:
        ctx = self._ctx
        if not ctx.ws.has_index():
            return {}
        engine = ctx.engine
        store = ctx.store if ctx.ws.has_store() else None
        key = (engine.epoch, None if store is None else store.version_key())
        kept = self._kept
        with kept.lock:
            if kept.key == key:
                return kept.table
            table = self._make(engine.records(), {} if store is None else store.variables())
            kept.key, kept.table = key, table
            return table

    def _make(self, records: list[dict], hand: dict[str, dict[str, str]]) -> Table:
        language = self._ctx.ws.language
        table: Table = {}
        for record in records:
            article = record["id"]
            row: dict[str, str | None] = {name: record.get(name) or None for name in BUILTIN}
            row["language"] = row["language"] or language  # unsure: the workspace's
            row.update(hand.get(article, {}))
            row.pop("title", None)
            table[article] = row
        return table


# --- spreadsheets -------------------------------------------------------------------------------


class _Names:
    """How a spreadsheet's first column names articles: the id, a unique prefix of it, or the
    file's name (with or without its extension) when one file has it."""

    def __init__(self, ids: list[str]):
        self.ids = sorted(ids)
        self.known = set(ids)
        self.by_name: dict[str, list[str]] = {}
        for article in ids:
            name = article.rsplit("/", 1)[-1]
            self.by_name.setdefault(name, []).append(article)
            stem = name.rsplit(".", 1)[0]
            if stem != name:
                self.by_name.setdefault(stem, []).append(article)

    def find(self, given: str) -> tuple[str | None, str | None]:
        """(article, None) or (None, why not)."""
        import bisect

        if not given:
            return None, "no article named in the first column"
        if given in self.known:
            return given, None
        named = self.by_name.get(given, [])
        if len(named) == 1:
            return named[0], None
        if len(named) > 1:
            return None, f"'{given}' is the name of {len(named)} files: {', '.join(named[:3])}"
        at = bisect.bisect_left(self.ids, given)
        matches = []
        while at < len(self.ids) and self.ids[at].startswith(given) and len(matches) < 4:
            matches.append(self.ids[at])
            at += 1
        if len(matches) == 1:
            return matches[0], None
        if matches:
            return None, f"'{given}' names several articles: {', '.join(matches[:3])}…"
        return None, f"no article '{given}'"


def import_sheet(part: VariablesPart, data: bytes, *, partial: bool = False) -> dict:
    """``glose vars import``: the report, and the values written (nothing when any row has an
    error, unless ``partial``: then the rows without one). Built-in columns change only the
    values that differ from what the article has (an exported sheet imports as no change);
    ``words`` is counted from the text and left alone."""
    from ..formats.variables_csv import read_sheet
    from ..model import StoreError
    from ..store.variables import COMPUTED, variable_name

    sheet = read_sheet(data)
    ignored = [c for c in sheet.columns if c.strip().lower() in COMPUTED]
    columns: dict[str, str] = {}
    for column in sheet.columns:
        if column in ignored:
            continue
        try:
            columns[column] = variable_name(column)
        except StoreError as exc:
            raise GloseError(f"column {column!r}: {exc}") from None
    current = part.table()
    names = _Names(list(current) or ctx_ids(part._ctx))
    titles = _titles(part._ctx)
    errors: list[dict] = []
    first_row: dict[str, int] = {}
    values: dict[str, dict[str, str | None]] = {}
    for number, given, cells in sheet.rows:
        article, why = names.find(given)
        if article is not None and article in first_row:
            article, why = None, f"{article} is also on row {first_row[article]}"
        if article is None:
            errors.append({"row": number, "article": given, "error": why})
            continue
        first_row[article] = number
        row = {**current.get(article, {}), "title": titles.get(article)}
        wanted: dict[str, str | None] = {}
        for column, name in columns.items():
            cell = cells.get(column, "")
            if name in SETTABLE_BUILTIN:
                if cell and cell != (row.get(name) or ""):
                    wanted[name] = cell
            else:
                wanted[name] = cell or None
        values[article] = wanted
    report = {
        "rows": len(sheet.rows),
        "articles": len(values),
        "columns": list(columns.values()),
        "ignored_columns": ignored,
        "errors": errors,
        "changed": 0,
        "imported": False,
    }
    if errors and not partial:
        return report
    report["changed"] = part.set_many(values, label=f"import variables ({counted(len(values), 'article')})")
    report["imported"] = True
    return report


def ctx_ids(ctx: Context) -> list[str]:
    from ..text.corpus import scan

    return [f.id for f in scan(ctx.ws.articles)] if ctx.ws.articles.is_dir() else []


def _titles(ctx: Context) -> dict[str, str]:
    return {r["id"]: r.get("title") or "" for r in ctx.engine.records()} if ctx.ws.has_index() else {}


def export_sheet(part: VariablesPart, ids: Iterable[str] | None = None) -> bytes:
    """``glose vars export``: one row per article, its title then every variable."""
    from ..formats.variables_csv import write_sheet

    titles = _titles(part._ctx)
    columns = ["title", *part.names()]
    table = part.table(ids)
    return write_sheet(columns, ((a, {"title": titles.get(a), **row}) for a, row in table.items()))
