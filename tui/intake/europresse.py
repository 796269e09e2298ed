"""Europresse HTML exports: one ``<article>`` per document.

Both layouts seen in real exports are read (the 2021 one with ``docAuthors`` and the lead in
the header, the 2023 one with ``sm-margin-TopNews`` classes): the publication
(``DocPublicationName``, without its issue number), the header line (``DocHeader``: section,
French date, word count, page), title and subtitle (``titreArticle``), authors, the body
(``DocText``) without search-hit marks, "Cet article est paru dans" links and notices, and the
document id (``publiC-lblNodoc``, ``news·20070116·EC·4524237``). The copyright footer, the
certificate and the illustrations' captions are left out.
"""

from __future__ import annotations

import re
from collections import Counter

from ..text.metadata import parse_date
from .html import block_text, one_line
from .model import Piece, clean_body, clean_line, drop_notices, word_count

MARKERS = ("DocPublicationName", "rdp__DocHeader", "publiC-lblNodoc")

_ISSUE = re.compile(r",?\s*(?:no|n°|nº|num[ée]ro)\.?\s*\d.*$", re.I)
_WEEKDAY = r"(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_SECTION = re.compile(rf"^(.*?),\s*{_WEEKDAY}\b", re.I)
_PAGE = re.compile(r"\bp\.\s*([A-Za-z0-9-]+)\s*$")
_PUBLISHED_IN = re.compile(r"^\s*Cet article est paru dans\b", re.I)

# A drop cap the export keeps apart from its word as text, at a paragraph's start ("D ans son
# autobiographie", "M arine Le Pen", "I l a passé", a title's "G illes Schnepp").
_SPLIT_CAP = re.compile(r"(?m)^([A-ZÀ-ÖØ-Þ]) ([a-zà-öø-ÿ]+)\b")
_ONE_LETTER_WORDS = frozenset("AÀÂYOÔI")  # "A bord", "À quoi", "Y a-t-il", English "I"
_CONSONANT = re.compile(r"[b-df-hj-np-tv-xzç]")
_UPPER, _LOWER = "A-ZÀ-ÖØ-Þ", "a-zà-öø-ÿ"
# Words glued where the export's lines met: an upper-case word then a capitalised one, with
# no space ("PROPOS RECUEILLIS PARJacques", "DOSSIERAttentats", "Coralie LEMKELe laboratoire").
# An upper-case run of four letters or more is a word of its own, and so is a short function
# word after an upper-case word ("RECUEILLIS PAR"); shorter runs are names (JPMorgan, NIRSpec,
# MOPEasy, GRTgaz), Roman numerals keep their ordinal (XVIIIe), a two-letter tail must be a
# word (LEMKELe, but PISCINEs), and handles, hashtags and addresses (@NASAArtemis) stay.
_GLUED = re.compile(
    rf"(?<![@#/\w])([{_UPPER}]{{4,}}|[{_UPPER}]{{4,}} (?:PAR|DE|DU|DES|LE|LA|LES|ET|AU|AUX|EN|SUR|POUR|AVEC|BY|OF|THE|AND))"
    rf"([{_UPPER}][{_LOWER}]+)"
)
_SHORT_WORDS = frozenset(
    [
        "le",
        "la",
        "au",
        "un",
        "en",
        "il",
        "on",
        "ce",
        "je",
        "si",
        "ou",
        "où",
        "ça",
        "de",
        "du",
        "et",
        "ma",
        "sa",
        "ni",
        "se",
        "ne",
        "tu",
        "me",
    ]
)


def _unglued(m: re.Match) -> str:
    run, word = m.group(1), m.group(2)
    if re.fullmatch("[IVXLCDM]+", run + word[0]) or (len(word) == 2 and word.lower() not in _SHORT_WORDS):
        return m.group()
    return f"{run} {word}"


def join_drop_caps(texts: list[str | None]) -> list[str | None]:
    """``D ans`` → ``Dans`` at a paragraph's start in these texts of one article (its body,
    its title), when the letter is not a word of its own ("A bord", "Y a-t-il"; unless what
    follows is a lone consonant: "I l"), the same word does not follow several letters (an
    abecedary: "B comme", "C comme"), and the article bears it out: it uses the joined word
    elsewhere ("Dans"), or never the rest alone ("illes" of "G illes Schnepp")."""
    splits = [m for t in texts if t for m in _SPLIT_CAP.finditer(t)]
    if not splits:
        return texts
    letters: dict[str, set[str]] = {}
    for m in splits:
        letters.setdefault(m.group(2), set()).add(m.group(1))
    words = Counter(w for t in texts if t for w in re.findall(r"\w+", t.casefold()))
    after_caps = Counter(m.group(2).casefold() for m in splits)

    def join(m: re.Match) -> str:
        letter, rest = m.group(1), m.group(2)
        if letter in _ONE_LETTER_WORDS and not (len(rest) == 1 and _CONSONANT.match(rest)):
            return m.group()
        if len(letters[rest]) > 1:
            return m.group()
        if words[(letter + rest).casefold()] or words[rest.casefold()] <= after_caps[rest.casefold()]:
            return letter + rest
        return m.group()

    return [_SPLIT_CAP.sub(join, t) if t else t for t in texts]


def unglue(text: str) -> str:
    """A space where the export glued an upper-case word to the next (see :data:`_GLUED`)."""
    return _GLUED.sub(_unglued, text)


def _classes(article) -> dict[str, object]:
    """The first element of each class in an article (one walk, instead of a search per field)."""
    found: dict[str, object] = {}
    for el in article.iter():
        for name in (el.get("class") or "").split() if isinstance(el.tag, str) else ():
            found.setdefault(name, el)
    return found


def publication(raw: str | None) -> str | None:
    """``Les Echos, no. 19836`` → ``Les Echos``; ``Le Journal des Femmes (site web) - Journal
    des Femmes`` → ``Le Journal des Femmes (site web)``; only the first line (editions follow)."""
    if not raw:
        return None
    name = raw.split("\n")[0]
    name = _ISSUE.sub("", name)
    name = name.split(" - ")[0]
    return clean_line(name)


def read(tree) -> list[Piece]:
    pieces = []
    for art in tree.iter("article"):
        classes = _classes(art)
        if "DocPublicationName" not in classes and "DocText" not in classes:
            continue  # a nested or empty <article>
        pieces.append(_piece(art, classes))
    return pieces


def _piece(art, classes: dict) -> Piece:
    _first = classes.get
    pub_el = _first("DocPublicationName")
    source = publication(block_text(pub_el)) if pub_el is not None else None
    header = one_line(_first("DocHeader")) or ""
    section = None
    if m := _SECTION.match(header):
        section = clean_line(m.group(1).strip(" ,;"))
        if section and source and section.lower() == source.lower():
            section = None
    page = m.group(1) if (m := _PAGE.search(header)) else None
    title_el = _first("titreArticleVisu")
    if title_el is None:
        title_el = _first("rdp__articletitle")
    authors = _authors(art, classes)
    lead = _lead(art)
    body_el = _first("DocText")
    url = None
    body = ""
    if body_el is not None:
        for a in body_el.iter("a"):
            if _PUBLISHED_IN.match(a.text_content() or ""):
                url = url or a.get("href")
                a.drop_tree()
        for p in [el for el in body_el.iter() if "link-not-hosted" in (el.get("class") or "").split()]:
            p.drop_tree()
        body = drop_notices(block_text(body_el))
    body = unglue(clean_body("\n\n".join(x for x in (lead, body) if x)))
    body, title = join_drop_caps([body, one_line(title_el)])
    doc_id = one_line(_first("publiC-lblNodoc"))
    return Piece(
        body=body,
        title=title,
        subtitle=one_line(_first("rdp__subtitle")),
        source=source,
        date=parse_date(header),
        authors=authors,
        section=section,
        page=page,
        words=word_count(header),
        doc_id=doc_id,
        url=url if url and url.startswith(("http://", "https://")) else None,
    )


_BYLINE_PREFIX = re.compile(
    r"^\s*(?:propos recueillis par|par|by|de notre envoy[ée]e? sp[ée]ciale?)\b\s*[;:,]?\s*", re.I
)


def _authors(art, classes: dict) -> list[str]:
    """``docAuthors`` (2021 layout), or the ``sm-margin-bottomNews`` line after the title
    (2023 layout; the one before the title is a kicker)."""
    element = classes.get("docAuthors")
    if element is None:
        header = art.find("header")
        after_title = False
        for child in header if header is not None else ():
            classes = child.get("class") or ""
            if "titreArticle" in classes:
                after_title = True
            elif after_title and "sm-margin-bottomNews" in classes:
                element = child
                break
    names = one_line(element) if element is not None else None
    if not names:
        return []
    names = _BYLINE_PREFIX.sub("", names)
    return [a.strip() for a in names.split(";") if a.strip()]


def _lead(art) -> str:
    """The chapeau some exports (2021 layout) put in the header, after title and authors."""
    header = art.find("header")
    if header is None:
        return ""
    seen_title = False
    parts = []
    for child in header:
        classes = child.get("class") or ""
        if "titreArticle" in classes:
            seen_title = True
            continue
        if not seen_title or "docAuthors" in classes or "sm-margin-bottomNews" in classes:
            continue
        if not isinstance(child.tag, str):
            continue
        if text := block_text(child, br=" "):
            parts.append(text)
    return "\n\n".join(parts)
