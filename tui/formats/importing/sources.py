"""Which article a REFI-QDA source is: by content first (the hash of its canonical text), then
by name; a source that is no article yet becomes one (unless the import only matches).

Names alone match by luck: NVivo and MAXQDA name sources without an extension, a copied
``Sources/<guid>.txt`` keeps no name, and a unique-prefix lookup would take ``a.txt`` for
``a.txt.md``. The archive carries the exact text, so the text decides first.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from ...model import clean_line
from .common import ImportReport, article_name

_UNSAFE = re.compile(r"[\\/:*?\"<>|\x00-\x1f]+")


def readable_name(name: str, fallback: str) -> str:
    """A file (or folder) name people can read, from a source or project name."""
    text = _UNSAFE.sub("-", clean_line(name)).strip(" .-")[:100].strip(" .-")
    return text or fallback


@dataclass
class Places:
    """What the workspace offers a file's sources: its article ids, the hash of each
    article's canonical text (read lazily: it reads the corpus), and whether sources that
    match no article may be added to it (under ``folder``)."""

    ids: set[str]
    hashes: Callable[[], dict[str, str]] = dict
    match_only: bool = False
    folder: str = "imported"
    coders: Callable[[], Iterable[str]] = tuple  # the workspace's coders (a project's users may be them)
    _by_hash: dict[str, str] | None = None
    _by_name: dict[str, list[str]] = field(default_factory=dict)
    _added: dict[str, str] = field(default_factory=dict)  # hash of an added text -> its id

    @classmethod
    def of(cls, ids: Iterable[str], **kwargs) -> Places:
        places = cls(set(ids), **kwargs)
        for article in places.ids:
            path = PurePosixPath(article)
            places._by_name.setdefault(path.name.casefold(), []).append(article)
            places._by_name.setdefault(path.stem.casefold(), []).append(article)
        return places

    def by_hash(self, text_hash: str) -> str | None:
        if self._by_hash is None:
            found = self.hashes()
            self._by_hash = {h: a for h, a in found.items() if a in self.ids}
        return self._by_hash.get(text_hash) or self._added.get(text_hash)

    def match(
        self, name: str, text: str | None, text_hash: str | None, report: ImportReport
    ) -> tuple[str, bool, str]:
        """(article id, placeable, how) for a source named ``name`` whose canonical text is
        ``text``: ``content``, ``name``, ``added`` or ``unmatched``."""
        if text_hash:
            found = self.by_hash(text_hash)
            if found:
                return found, True, "content"
        if name in self.ids:
            return name, True, "name"
        same = list(dict.fromkeys(self._by_name.get(PurePosixPath(name).name.casefold(), [])))
        if len(same) == 1:
            return same[0], True, "name"
        if text is not None and text.strip() and not self.match_only:
            return self._add(name, text, text_hash or "", report), True, "added"
        article, placeable = article_name(name, self.ids)
        return article, placeable, "unmatched"

    def _add(self, name: str, text: str, text_hash: str, report: ImportReport) -> str:
        """A new article for a source: ``folder/<name>.txt``, a free name."""
        stem = readable_name(name, "source")
        if not stem.lower().endswith((".txt", ".md")):
            stem += ".txt"
        base, suffix = (stem.rsplit(".", 1)[0], "." + stem.rsplit(".", 1)[1])
        article, n = f"{self.folder}/{stem}", 1
        while article in self.ids or article.casefold() in (a.casefold() for a in self.ids):
            n += 1
            article = f"{self.folder}/{base} ({n}){suffix}"
        self.ids.add(article)
        self._added[text_hash] = article
        report.sources_added.append((article, text))
        return article
