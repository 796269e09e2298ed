"""A REFI-QDA project's variables (MAXQDA's document variables, QualCoder's attributes of a
file): the ``VariableValue``s of each text source become the article's variables.

Names are made into names Glose can query (``Type of outlet`` → ``type_of_outlet``). A value
of a built-in variable (``source``, ``date``...) from another tool is not taken: what the
article's file says stays; the report lists it. Glose's own projects carry what was set by
hand in their backup member, which is read instead."""

from __future__ import annotations

import re
import unicodedata

from ...sanitize import stored

BUILTIN = ("title", "source", "date", "author", "section", "page", "words", "language", "origin")
VALUE_TAGS = ("TextValue", "BooleanValue", "IntegerValue", "FloatValue", "DateValue", "DateTimeValue")


def variable_names(root, ns: str) -> dict[str, str]:
    """guid (lower case) → the variable's name, as the project's ``Variables`` name them."""
    return {
        (v.get("guid") or "").strip("{}").lower(): v.get("name") or ""
        for v in root.iterfind(f"{ns}Variables/{ns}Variable")
    }


def query_name(name: str) -> str | None:
    """A name usable as a query field (letters first, then letters, digits and single ``_``),
    or None when nothing of it is."""
    words = re.findall(r"[^\W_]+", unicodedata.normalize("NFC", stored(name)).lower())
    while words and words[0][0].isdigit():
        words = words[1:]
    made = "_".join(words)[:40].strip("_")
    return made or None


def source_values(source, ns: str, names: dict[str, str], article: str, report) -> list[tuple[str, str, str]]:
    """(article, name, value) of a source's ``VariableValue``s."""
    found = []
    for element in source.findall(ns + "VariableValue"):
        ref = element.find(ns + "VariableRef")
        key = (ref.get("targetGUID") or "").strip("{}").lower() if ref is not None else ""
        given = names.get(key, "")
        value = next(
            (element.findtext(ns + tag) for tag in VALUE_TAGS if element.find(ns + tag) is not None), None
        )
        name = query_name(given)
        if name is None or value is None or not stored(value).strip():
            continue
        if name in BUILTIN:
            report.skip(
                f"variable {given} of {article}", "the article's own value is kept (a built-in variable)"
            )
            continue
        found.append((article, name, stored(value).strip()))
    return found
