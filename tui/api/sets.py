"""``lib.sets``: named sets of articles, and the ``set:NAME`` query field.

A saved set keeps its query and is run again each time it is used (new articles come in, an
edited variable moves one out); a frozen set keeps the articles its query matched when it was
frozen, whatever the files or the index become. A saved set may name another (``set:a`` in
the query of ``b``); a loop of them is refused in one line, at saving and at searching."""

from __future__ import annotations

import threading

from ..errors import GloseError, QueryError
from .context import Context


class SetsPart:
    def __init__(self, ctx: Context):
        self._ctx = ctx
        self._resolving = threading.local()  # the names being resolved in this thread

    # --- reading ------------------------------------------------------------------------------

    def all(self) -> list:
        """Every set (:class:`~tui.store.sets.ArticleSet`), by name."""
        ctx = self._ctx
        return ctx.store.article_sets() if ctx.ws.has_store() else []

    def names(self) -> list[str]:
        return [s.name for s in self.all()]

    def get(self, name: str):
        """The set named ``name`` (case does not matter), or a one-line error listing them."""
        found = self._ctx.store.article_set(name) if self._ctx.ws.has_store() else None
        if found is None:
            raise QueryError(f"no set '{name}' ({self._listing()})")
        return found

    def summary(self) -> list[dict]:
        """``glose sets``: each set with how many articles it holds now (a saved set's query
        that fails now, say a set it names was deleted: ``articles`` None and the ``error``)."""
        out = []
        for kept in self.all():
            row = {"name": kept.name, "query": kept.query, "frozen": kept.frozen, "articles": None}
            try:
                row["articles"] = len(self.articles(kept.name))
            except GloseError as exc:
                row["error"] = str(exc)
            out.append(row)
        return out

    def articles(self, name: str) -> list[str]:
        """The articles of a set, in id order (a frozen one's, even those no longer indexed)."""
        return sorted(self.lookup("set", name))

    def lookup(self, field: str, value: str) -> set[str]:
        """A query's ``set:NAME`` (the engine's :data:`~tui.search.query.Lookup`): a frozen
        set's articles that are indexed, or what a saved set's query finds."""
        kept = self.get(value)
        if kept.frozen:
            return set(kept.articles or ())
        stack: list[str] = self._stack()
        key = kept.name.casefold()
        if key in stack:
            loop = " → ".join(f"set:{n}" for n in [*stack[stack.index(key) :], key])
            raise QueryError(f"the sets refer to each other in a loop: {loop}")
        stack.append(key)
        try:
            return set(self._ctx.engine.matching_ids(kept.query))
        finally:
            stack.pop()

    # --- changing -----------------------------------------------------------------------------

    def save(self, name: str, query: str):
        """Keep ``query`` under ``name`` (run again each time ``set:NAME`` is used), replacing
        a set of that name; the query is checked first (a malformed one, an unknown set, a
        loop of sets: refused, nothing kept). Undoable."""
        from ..store.sets import set_name

        name = set_name(name)
        self._check_loop(name, query)
        self._check(query)
        return self._ctx.store.keep_set(name, query)

    def freeze(self, name: str, query: str):
        """Keep the articles ``query`` matches now under ``name``. Undoable."""
        from ..store.sets import set_name

        name = set_name(name)
        self._check(query)
        ids = self._ctx.engine.matching_ids(query)
        return self._ctx.store.keep_set(name, query, ids)

    def delete(self, name: str):
        return self._ctx.store.drop_set(name)

    def rename(self, old: str, new: str):
        return self._ctx.store.rename_set(old, new)

    # --- helpers ------------------------------------------------------------------------------

    def _check(self, query: str) -> None:
        if not query or not query.strip():
            raise QueryError(
                "a set needs a query (what it finds), for example: glose set save NAME source:monde"
            )
        self._ctx.engine.compile(query)  # malformed, unknown field, unknown set: its error

    def _check_loop(self, name: str, query: str) -> None:
        """Refuse a saved set that would reach itself through the sets it names."""
        key = name.casefold()
        queries = {s.name.casefold(): s.query for s in self.all() if not s.frozen}
        queries[key] = query
        seen: list[str] = []

        def visit(at: str, path: list[str]) -> None:
            for ref in _set_names(queries.get(at, "")):
                if ref == key:
                    loop = " → ".join(f"set:{n}" for n in [*path, ref])
                    raise QueryError(f"the sets would refer to each other in a loop: {loop}")
                if ref not in seen:
                    seen.append(ref)
                    visit(ref, [*path, ref])

        visit(key, [key])

    def _stack(self) -> list[str]:
        stack = getattr(self._resolving, "stack", None)
        if stack is None:
            stack = self._resolving.stack = []
        return stack

    def _listing(self) -> str:
        names = self.names()
        return (
            "the sets are: " + ", ".join(names)
            if names
            else "there are no sets yet: glose set save NAME QUERY"
        )


def _set_names(query: str) -> list[str]:
    """The sets a query names (``set:NAME``), case-folded."""
    from ..search.query import And, Not, Or, Tag, parse

    found: list[str] = []

    def walk(node) -> None:
        if isinstance(node, Tag) and node.field == "set":
            found.append(node.name.casefold())
        elif isinstance(node, (And, Or)):
            for item in node.items:
                walk(item)
        elif isinstance(node, Not):
            walk(node.item)

    try:
        walk(parse(query))
    except QueryError:
        pass
    return found
