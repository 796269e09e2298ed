"""``lib.memos``: the researcher's memos on the project, an article or a tag (one per target
per coder; everyone's are read, this coder's are written), each write a journaled change that
undo reverts and a save refused when the memo changed since it was read."""

from __future__ import annotations

from ..errors import GloseError
from ..model import Memo, StoreError
from .context import Context
from .searching import SearchPart


def where_ids(search: SearchPart, query: str) -> set[str]:
    """The articles ``--where QUERY`` names (any variable is a query field)."""
    return set(search.ids(query))


class MemosPart:
    def __init__(self, ctx: Context, search: SearchPart):
        self._ctx = ctx
        self._search = search

    def _target(self, kind: str, target: str | None, *, writing: bool = False) -> str | None:
        """An article named by id or unique prefix is its id; one whose file is gone is
        still named by the id its memo has (its memo stays readable and writable)."""
        if kind != "article" or target is None:
            return target
        try:
            return self._ctx.article_id(target)
        except GloseError:
            if any(m.target == target for m in self._store().memos("article", target)):
                return target
            if writing:
                raise
            return target

    def resolve(self, kind: str, target: str | None) -> str | None:
        """The target as memos key it (an article's id for a prefix), checked: an article
        that is neither here nor has a memo, or a tag not in the codebook, is an error."""
        if kind == "tag":
            if not target:
                raise StoreError("a memo on a tag needs its tag")
            return self._store().tag(target).name
        if kind == "article" and not target:
            raise StoreError("a memo on an article needs its article")
        return None if kind == "project" else self._target(kind, target, writing=True)

    def _store(self):
        return self._ctx.store

    def get(self, kind: str, target: str | None = None, *, coder: str | None = None) -> Memo | None:
        """The memo of ``coder`` (default: this library's) on the project (``target``
        None), an article (id or unique prefix) or a tag (name); None when there is none."""
        if not self._ctx.ws.has_store():
            return None
        found = self._store().memos(kind, self._target(kind, target), coder or self._ctx.coder)
        return found[0] if found else None

    def of(self, kind: str, target: str | None = None) -> list[Memo]:
        """Every coder's memo on one target (a team's store: each coder writes their own)."""
        if not self._ctx.ws.has_store():
            return []
        return self._store().memos(kind, self._target(kind, target))

    def all(
        self, kind: str | None = None, *, where: str | None = None, coder: str | None = None
    ) -> list[Memo]:
        """Every memo: the project's, then articles', then tags', each by target and coder.
        ``where``: only the memos of the articles that query matches."""
        if not self._ctx.ws.has_store():
            return []
        found = self._store().memos(kind, coder=coder)
        if where is not None:
            ids = where_ids(self._search, where)
            found = [m for m in found if m.kind == "article" and m.target in ids]
        return found

    def targets(self, kind: str) -> set[str]:
        """The targets of ``kind`` that have a memo (by anyone): what the codebook marks."""
        return {m.target for m in self.all(kind)}

    def set(self, kind: str, target: str | None, text: str, *, version: int | None = None) -> Memo | None:
        """Write this coder's memo (empty text deletes it). ``version``: the one shown to the
        user (0: there was none): refused, naming the change, when it changed since."""
        return self._write(kind, target, text, version=version)

    def append(self, kind: str, target: str | None, text: str) -> Memo | None:
        """Add a paragraph to this coder's memo (started when there is none)."""
        return self._write(kind, target, text, append=True)

    def delete(self, kind: str, target: str | None, *, version: int | None = None) -> None:
        self._write(kind, target, "", version=version)

    def _write(self, kind: str, target: str | None, text: str, **given) -> Memo | None:
        if kind != "project" and not target:
            raise StoreError(f"a memo on {'an' if kind == 'article' else 'a'} {kind} needs its {kind}")
        return self._store().write_memo(kind, self._target(kind, target, writing=True), text, **given)
