"""The tables the lexicon answers with, as the CLI prints them and ``--json``/``--csv`` write
them (the shapes the README documents). ``notes`` say what a table cannot show (an empty part,
a word the corpus lacks), on stderr, never as an error."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field


def _csv(header: list[str], rows: list[list]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


@dataclass
class Frequencies:
    unit: str
    tokens: int
    articles: int
    rows: list[dict]
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"tokens": self.tokens, "rows": self.rows}

    def to_csv(self) -> str:
        return _csv(["word", "f", "articles"], [[r["word"], r["f"], r["articles"]] for r in self.rows])


@dataclass
class Specificities:
    by: str
    unit: str
    tokens: int
    parts: list  # tables.Part
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return {
            "tokens": self.tokens,
            "parts": [{"part": p.name, "tokens": p.tokens, "rows": p.rows + p.negative} for p in self.parts],
        }

    def to_csv(self) -> str:
        return _csv(
            ["part", "word", "f", "F", "score"],
            [
                [p.name if p.name is not None else "", r["word"], r["f"], r["F"], r["score"]]
                for p in self.parts
                for r in p.rows + p.negative
            ],
        )


@dataclass
class Collocates:
    word: str
    unit: str
    f: int
    window: int
    rows: list[dict]
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"word": self.word, "f": self.f, "rows": self.rows}

    def to_csv(self) -> str:
        return _csv(
            ["word", "cooc", "f", "score"], [[r["word"], r["cooc"], r["f"], r["score"]] for r in self.rows]
        )


@dataclass
class Segments:
    n: int
    rows: list[dict]
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"rows": self.rows}

    def to_csv(self) -> str:
        return _csv(["segment", "f", "articles"], [[r["segment"], r["f"], r["articles"]] for r in self.rows])
