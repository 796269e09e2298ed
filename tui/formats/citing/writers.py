"""References in the formats reference managers read: RIS (Zotero, EndNote, Mendeley), CSL-JSON
(Zotero, Pandoc, every citeproc processor) and BibTeX (LaTeX, JabRef), each article as a
newspaper article (RIS ``NEWS``, CSL ``article-newspaper``, BibTeX ``@article`` whose
``journal`` is the outlet)."""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Iterator

from ...sanitize import json_text, strip_controls
from . import Reference

FORMATS = ("ris", "csl-json", "bibtex")
SUFFIXES = {"ris": ".ris", "csl-json": ".json", "bibtex": ".bib"}


def one_line(text: str) -> str:
    """A value on one line, controls out: RIS and BibTeX are line formats."""
    return " ".join(strip_controls(text).split())


# --- RIS -------------------------------------------------------------------------------------


def ris(refs: Iterable[Reference]) -> Iterator[str]:
    """One ``TY  - NEWS`` record per reference, each tag on its line, ``ER`` closing it."""
    for ref in refs:
        lines = [("TY", "NEWS"), ("TI", ref.title)]
        lines += [("AU", name.inverted()) for name in ref.authors]
        if ref.outlet:
            lines.append(("T2", ref.outlet))  # Zotero: the publication of a newspaper article
        parts = ref.date_parts()
        if parts:
            lines.append(("PY", f"{parts[0]:04d}"))
            lines.append(("DA", "/".join(f"{p:02d}" for p in parts) + "/" * (4 - len(parts))))
        for tag, value in (("SP", ref.page), ("SE", ref.section), ("UR", ref.url), ("AN", ref.doc_id)):
            if value:
                lines.append((tag, value))
        if ref.language:
            lines.append(("LA", ref.language))
        lines.append(("N1", f"Glose article: {ref.article}"))
        yield "".join(f"{tag}  - {one_line(value)}\r\n" for tag, value in lines) + "ER  - \r\n\r\n"


# --- CSL-JSON --------------------------------------------------------------------------------


def csl_item(ref: Reference, key: str) -> dict:
    item: dict = {"id": key, "type": "article-newspaper", "title": ref.title}
    if ref.authors:
        item["author"] = [
            {"literal": n.literal} if n.literal else {"family": n.family, "given": n.given}
            for n in ref.authors
        ]
    if ref.outlet:
        item["container-title"] = ref.outlet
    if parts := ref.date_parts():
        item["issued"] = {"date-parts": [parts]}
    elif ref.date:
        item["issued"] = {"literal": ref.date}
    for name, value in (
        ("page", ref.page),
        ("section", ref.section),
        ("URL", ref.url),
        ("archive_location", ref.doc_id),
        ("language", ref.language),
    ):
        if value:
            item[name] = value
    item["note"] = f"Glose article: {ref.article}"
    return item


def csl_json(refs: Iterable[Reference]) -> Iterator[str]:
    """A JSON array of CSL items, one per line (a long bibliography is streamed)."""
    keys = Keys()
    first = True
    for ref in refs:
        yield ("[\n" if first else ",\n") + json_text(
            json.dumps(csl_item(ref, keys.of(ref)), ensure_ascii=False)
        )
        first = False
    yield "[]\n" if first else "\n]\n"


# --- BibTeX ----------------------------------------------------------------------------------

_BIB_SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_BIB_SPECIAL = re.compile(r"[\\{}&%$#_~^]")


def bib_text(text: str) -> str:
    """A field value that LaTeX prints as typed: its specials as commands (braces too, since
    BibTeX counts every brace, escaped or not), accents kept as UTF-8 (biber, bibtex8 and
    every reference manager read them). Balanced braces are written ``\\{`` ``\\}``, which
    every BibTeX reader decodes; unbalanced ones as ``\\textbraceleft{}``, which keeps the
    entry's own braces balanced, as BibTeX requires."""
    text = one_line(text)
    specials = _BIB_SPECIALS if not _balanced(text) else _BIB_SPECIALS | {"{": r"\{", "}": r"\}"}
    return _BIB_SPECIAL.sub(lambda m: specials[m.group()], text)


def _balanced(text: str) -> bool:
    depth = 0
    for c in text:
        depth += (c == "{") - (c == "}")
        if depth < 0:
            return False
    return depth == 0


def bibtex(refs: Iterable[Reference]) -> Iterator[str]:
    keys = Keys()
    for ref in refs:
        fields = [("title", "{" + bib_text(ref.title) + "}")]  # its capitals kept as written
        if ref.authors:
            fields.append(
                (
                    "author",
                    " and ".join(
                        "{" + bib_text(n.literal) + "}" if n.literal else bib_text(n.inverted())
                        for n in ref.authors
                    ),
                )
            )
        if ref.outlet:
            fields.append(("journal", bib_text(ref.outlet)))
        parts = ref.date_parts()
        if parts:
            fields.append(("year", str(parts[0])))
            if len(parts) > 1:
                fields.append(("month", str(parts[1])))
            fields.append(("date", ref.date or ""))  # biblatex reads the whole date
        for name, value in (
            ("pages", ref.page),
            ("section", ref.section),
            ("url", ref.url),
            ("number", ref.doc_id),
            ("language", ref.language),
        ):
            if value:
                fields.append((name, value if name == "url" else bib_text(value)))
        fields.append(("note", bib_text(f"Glose article: {ref.article}")))
        body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
        yield f"@article{{{keys.of(ref)},\n{body}\n}}\n\n"


class Keys:
    """Citation keys that read (``lemonde2026fonds``) and never repeat in one file."""

    def __init__(self) -> None:
        self.seen: set[str] = set()

    def of(self, ref: Reference) -> str:
        outlet = _ascii_word(ref.outlet or "") or "article"
        title = _ascii_word(_first_long_word(ref.title))
        parts = ref.date_parts()
        base = f"{outlet}{parts[0] if parts else ''}{title}" or "article"
        key, n = base, 1
        while key in self.seen:
            n += 1
            key = f"{base}{_suffix(n)}"
        self.seen.add(key)
        return key


def _ascii_word(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", folded.lower())[:24]


def _first_long_word(title: str) -> str:
    words = re.findall(r"\w+", title)
    return next((w for w in words if len(w) > 3), words[0] if words else "")


def _suffix(n: int) -> str:
    """b, c, … z, then 27, 28: the second ``lemonde2026fonds`` is ``lemonde2026fondsb``."""
    return chr(ord("a") + n - 1) if n <= 26 else str(n)


def render(refs: Iterable[Reference], fmt: str) -> Iterator[str]:
    if fmt == "ris":
        return ris(refs)
    if fmt == "csl-json":
        return csl_json(refs)
    if fmt == "bibtex":
        return bibtex(refs)
    raise ValueError(f"unknown citation format {fmt!r}")
