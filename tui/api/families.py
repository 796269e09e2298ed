"""``lib.families``: wire families — the copies of one dispatch grouped, what each copy
changed, each family counted once on request (:meth:`FamiliesPart.dedupe`, for ``--dedupe
families``), and the source's codings proposed on the copies that still hold them.

Families are computed over the whole indexed corpus (or a ``--where`` query's articles) and
cached in the index folder against every article's content hash and the parameters: a second
``glose families`` (or ``show``, ``dedupe``) on an unchanged corpus reads the cache.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..errors import GloseError
from .context import Context

if TYPE_CHECKING:
    from ..families import Family
    from ..families.changes import Changes
    from ..model import Annotation
    from .searching import SearchPart
    from .variables import VariablesPart

_CACHE = "families-cache.json"
_CACHE_VERSION = 1


@dataclass
class Propagation:
    """What ``propagate`` did: the proposals written, and per copy and coding where none was
    and why."""

    family: str
    proposed: list[dict] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)  # {"article", "annotation", "reason"}

    def to_json(self) -> dict:
        return {
            "family": self.family,
            "proposed": [_proposal_json(p) for p in self.proposed],
            "skipped": self.skipped,
        }

    def summary(self) -> str:
        text = f"{len(self.proposed)} coding{'s' if len(self.proposed) != 1 else ''} proposed"
        if self.skipped:
            text += f", {len(self.skipped)} not"
        return text


def _proposal_json(row: dict) -> dict:
    """A proposal as ``glose review --json`` lists annotations, with its status ``proposed``
    (or accepted, rejected) and where it came from."""
    return {
        "id": row["id"],
        "article": row["article"],
        "start": row["start"],
        "end": row["end"],
        "quote": row["exact"],
        "tags": list(row["tags"]),
        "note": row["note"],
        "status": row["state"],
        "created": row["created"],
        "updated": row["created"],
        "family": row["family"],
        "from": row["origin"],
        "similarity": row["similarity"],
    }


class FamiliesPart:
    def __init__(self, ctx: Context, search: SearchPart, variables: VariablesPart):
        self._ctx = ctx
        self._search = search
        self._variables = variables

    # --- which articles, and what is known of them ---------------------------------------

    def scope(self, where: str | None) -> list[str]:
        """The articles a ``--where`` query picks (every indexed one with None)."""
        return self._search.ids(where)

    def _meta(self) -> dict:
        """Each article's date, source and author: its variables (set by hand or guessed)."""
        from ..families import Meta

        return {
            a: Meta(row.get("date"), row.get("source"), row.get("author"))
            for a, row in self._variables.table().items()
        }

    def _text(self, article: str) -> str | None:
        """An indexed article's canonical text (its id is exact: no prefix to resolve), None
        when its file cannot be read now (it is left out)."""
        from ..text.corpus import article_text

        try:
            return article_text(self._ctx.ws.articles, article).text
        except GloseError:
            return None

    # --- families ------------------------------------------------------------------------

    def find(self, where: str | None = None, *, min_share: float | None = None) -> list[Family]:
        """The families among the articles of ``where`` (every article: None)."""
        from ..families import DEFAULT_MIN_SHARE, find_families
        from ..families.candidates import BOILERPLATE_SHARE

        share = DEFAULT_MIN_SHARE if min_share is None else min_share
        if not 0 < share <= 1:
            raise GloseError(f"--min-share must be above 0 and at most 1 (got {share})")
        ids = self.scope(where)
        hashes = {r["id"]: r.get("hash") or "" for r in self._ctx.engine.records()}
        key = hashlib.sha1(
            json.dumps(
                [_CACHE_VERSION, share, BOILERPLATE_SHARE, [[i, hashes.get(i, "")] for i in ids]]
            ).encode()
        ).hexdigest()
        cached = self._load(key)
        if cached is not None:
            return cached
        meta = self._meta()
        from ..families import Meta

        families = find_families(ids, lambda a: meta.get(a, Meta()), self._text, min_share=share)
        self._save(key, families)
        return families

    def _cache_path(self):
        return self._ctx.ws.index / _CACHE

    def _load(self, key: str) -> list[Family] | None:
        from ..families import Family, Member

        try:
            data = json.loads(self._cache_path().read_text("utf-8"))
            entry = data.get(key)
            if entry is None:
                return None
            return [Family(f["id"], f["source"], tuple(Member(**m) for m in f["members"])) for f in entry]
        except (OSError, ValueError, TypeError, KeyError):
            return None

    def _save(self, key: str, families: list[Family]) -> None:
        """Keep the last few results (a ``--where`` and the whole corpus side by side)."""
        from dataclasses import asdict

        path = self._cache_path()
        try:
            data = json.loads(path.read_text("utf-8"))
            if not isinstance(data, dict):
                data = {}
        except (OSError, ValueError):
            data = {}
        data.pop(key, None)
        data[key] = [
            {"id": f.id, "source": f.source, "members": [asdict(m) for m in f.members]} for f in families
        ]
        while len(data) > 4:
            data.pop(next(iter(data)))
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")  # two processes at once: each its own
        try:
            tmp.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
            os.replace(tmp, path)
        except OSError:
            pass  # a read-only index folder: computed again next time

    def family(self, given: str) -> Family:
        """A family of the whole corpus by id or unique prefix."""
        given = given.strip()
        found = [f for f in self.find() if f.id.startswith(given)] if given else []
        if len(found) == 1:
            return found[0]
        if not found:
            raise GloseError(
                f"no family {given}: a family's id changes when its members do (glose families lists them)"
            )
        raise GloseError(f"family {given} is ambiguous: {', '.join(f.id for f in found[:5])}")

    def of(self, article: str) -> Family | None:
        """The family an article belongs to, if any."""
        return next((f for f in self.find() if article in f.articles), None)

    def changes(self, given: str) -> tuple[Family, list[tuple[str, Changes]]]:
        """What each member changed in the family's source, by date."""
        from ..families.changes import changes

        fam = self.family(given)
        source = self._ctx.article(fam.source).text
        out = []
        for member in fam.members:
            if member.article != fam.source:
                out.append((member.article, changes(source, self._ctx.article(member.article).text)))
        return fam, out

    def compare(self, source: str, copy: str) -> Changes:
        """What ``copy`` changed in ``source`` (the reader's marks)."""
        from ..families.changes import changes

        return changes(self._ctx.article(source).text, self._ctx.article(copy).text)

    # --- counting once -------------------------------------------------------------------

    def representative(self, fam: Family, marks: dict[str, str] | None = None) -> str:
        """The member a family is counted as: the one chosen canonical (while a member: a
        family that changed keeps the choice made for it if the article is still in it), else
        its source."""
        marks = self._marks() if marks is None else marks
        chosen = marks.get(fam.id)
        if chosen in fam.articles:
            return chosen
        for family_id, article in marks.items():  # chosen for an earlier form of this family
            if article in fam.articles and family_id != fam.id:
                return article
        return fam.source

    def _marks(self) -> dict[str, str]:
        if not self._ctx.ws.has_store():
            return {}
        return self._ctx.store.canonical_marks()

    def canonical(self, given: str, article: str) -> tuple[Family, bool]:
        """Count ``given``'s family as ``article`` (one of its members; its source: back to
        the default); whether anything changed."""
        fam = self.family(given)
        article = self._ctx.article_id(article)
        if article not in fam.articles:
            raise GloseError(f"{article} is not a member of family {fam.id}")
        return fam, self._ctx.store.set_canonical(fam.id, None if article == fam.source else article)

    def dedupe(self, ids: Iterable[str]) -> list[str]:
        """``ids`` with each family counted once (``--dedupe families``): of a family's members
        among ``ids``, only its canonical member (else its source) stays — or, when that one
        is not among ``ids``, the earliest member that is. Order kept; ids in no family stay."""
        ids = list(ids)
        wanted = set(ids)
        marks = self._marks()
        drop: set[str] = set()
        for fam in self.find():
            present = [a for a in fam.articles if a in wanted]
            if len(present) < 2:
                continue
            keep = self.representative(fam, marks)
            if keep not in wanted:
                keep = present[0]
            drop.update(a for a in present if a != keep)
        return [i for i in ids if i not in drop]

    def counted_once(self, ids: list[str] | None = None) -> tuple[list[str], str]:
        """These articles (None: every indexed one) with each family counted once, and a
        note saying what that left out (what ``--dedupe families`` passes to every count)."""
        every = self.scope(None) if ids is None else ids
        kept = self.dedupe(every)
        from ..wording import counted

        left = len(every) - len(kept)
        groups = sum(1 for f in self.find() if len(f.members) > 1)
        note = f"--dedupe families: {counted(groups, 'family', 'families')} counted once ({counted(left, 'copy', 'copies')} left out)"
        return kept, note

    # --- coding once ---------------------------------------------------------------------

    def propagate(self, given: str, *, tag: str | None = None) -> Propagation:
        """Propose the source's codings (with ``tag``: only those) on every member whose
        canonical text still holds the coded passage, verified against that text as it is
        when written; the report says where not and why."""
        from ..families.carrying import Found, find_coded

        fam = self.family(given)
        ctx = self._ctx
        source = ctx.article(fam.source)
        coded = [a for a in ctx.following(source) if a.status != "orphaned"]
        if tag is not None:  # the tag and those below it, as --tag everywhere
            held = {a.id for a in ctx.store.annotations(article=source.id, tag=tag)}
            coded = [a for a in coded if a.id in held]
        report = Propagation(fam.id)
        if not coded:
            what = f"coded with {tag}" if tag else "coded"
            raise GloseError(f"the source of family {fam.id} ({fam.source}) has no passage {what}")
        items = []
        for member in fam.members:
            if member.article == fam.source:
                continue
            doc = ctx.article(member.article)
            for ann in coded:
                found = find_coded(source.text[ann.start : ann.end], doc.text)
                if not isinstance(found, Found):
                    report.skipped.append({"article": doc.id, "annotation": ann.id, "reason": found})
                    continue
                items.append(
                    {
                        "origin": ann.id,
                        "article": doc.id,
                        "start": found.start,
                        "end": found.end,
                        "exact": doc.text[found.start : found.end],
                        "article_hash": doc.hash,
                        "tags": list(ann.tags),
                        "note": ann.note,
                        "similarity": found.similarity,
                    }
                )
        # verified against each member's text as it is now, just before writing
        now_held = {}
        for article in {i["article"] for i in items}:
            now_held[article] = ctx.article(article)
        kept = []
        for item in items:
            doc = now_held[item["article"]]
            if doc.hash == item["article_hash"] and doc.text[item["start"] : item["end"]] == item["exact"]:
                kept.append(item)
            else:
                report.skipped.append(
                    {"article": item["article"], "annotation": item["origin"], "reason": "its text changed"}
                )
        items = kept
        label = f"propose {len(items)} codings of family {fam.id}"
        report.proposed = ctx.store.propose(fam.id, items, label) if items else []
        return report

    def proposals(self, family: str | None = None) -> list[dict]:
        """The proposals waiting for a decision (of one family)."""
        if not self._ctx.ws.has_store():
            return []
        fam = self.family(family).id if family else None
        return self._ctx.store.proposals(family=fam)

    def proposals_json(self, rows: list[dict]) -> list[dict]:
        return [_proposal_json(r) for r in rows]

    def decide(
        self, ids: list[str] | None, *, accept: bool, family: str | None = None
    ) -> tuple[list[dict], list[Annotation]]:
        """Accept (each becomes an annotation, checked against its article's text now) or
        reject proposals: ``ids`` (unique prefixes), or every waiting one (of ``family``)."""
        from ..model import new_annotation, now

        ctx = self._ctx
        waiting = self.proposals(family)
        if ids is None:
            chosen = [r["id"] for r in waiting]
        else:
            chosen = []
            for given in ids:
                hits = [r["id"] for r in ctx.store.proposals(state=None) if r["id"].startswith(given)]
                if len(hits) != 1:
                    raise GloseError(f"no proposal {given}" if not hits else f"proposal {given} is ambiguous")
                chosen.append(hits[0])
        if not chosen:
            return [], []
        stamp = now()

        def make(row: dict):
            try:
                doc = ctx.article(row["article"])
            except GloseError:
                return None
            if doc.text[row["start"] : row["end"]] != row["exact"]:
                return None
            return new_annotation(
                doc.id, doc.text, doc.hash, row["start"], row["end"], tags=tuple(row["tags"]),
                note=row["note"], coder=ctx.coder, stamp=stamp,
            )  # fmt: skip

        return ctx.store.decide_proposals(chosen, accept, make)
