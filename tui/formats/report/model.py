"""What a report holds, as the layout reads it, and what a format's sink must do."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from ...model import Annotation


@dataclass(frozen=True)
class Entry:
    """A tag as the codebook section shows it, counted over the passages in the report."""

    name: str
    description: str = ""
    memo: str = ""
    passages: int = 0
    articles: int = 0


@dataclass(frozen=True)
class ArticleBlock:
    """One article's passages in a group, under its citation line."""

    citation: str
    memo: str
    passages: list[Annotation]


@dataclass(frozen=True)
class Group:
    name: str
    passages: int
    articles: Iterable[ArticleBlock]
    description: str = ""
    memo: str = ""


@dataclass
class ReportDoc:
    title: str
    facts: list[str]  # what the title page says under the title (workspace, date, counts)
    project_memo: str
    codebook: list[Entry]
    grouped_by: str  # "tag", "article", or a variable's name
    groups: Iterable[Group]
    language: str = "en"
    coder: str = ""
    notes: list[str] = field(default_factory=list)


class Sink(Protocol):
    """What a format must do; text is always data (each sink escapes it for its format)."""

    def title(self, text: str) -> None: ...
    def heading(self, level: int, text: str) -> None: ...  # 1 (a section) to 3 (an article)
    def para(self, text: str, style: str = "body") -> None: ...  # body, quote, meta, note, term, memo
    def page_break(self) -> None: ...
    def close(self) -> None: ...
