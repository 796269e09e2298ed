"""Who a dispatch is credited to, and when in the day it ran: the two facts that name a
family's source among members of the same date.

A news agency is recognised by the source or author variables, or by a credit line at the head
or foot of the text (``(AFP) -``, ``© Keystone-ATS``, ``avec Reuters``, ``/ATS``). Short names
that are also words (``AP``, ``EFE``, ``ATS``, ``dpa``) count only as written by agencies:
capitals, or dpa's lower case, standing alone.
"""

from __future__ import annotations

import re

AGENCIES = (
    "AFP",
    "Agence France-Presse",
    "Keystone-ATS",
    "ATS",
    "SDA",
    "Reuters",
    "AP",
    "Associated Press",
    "Belga",
    "DPA",
    "dpa",
    "ANSA",
    "EFE",
    "APA",
    "ANP",
    "Europa Press",
    "Xinhua",
    "Bloomberg",
    "Lusa",
    "PAP",
    "CTK",
    "TT",
    "NTB",
    "Ritzau",
    "Kyodo",
)
_AGENCY = re.compile(
    r"(?<![\w-])(" + "|".join(re.escape(a) for a in sorted(AGENCIES, key=len, reverse=True)) + r")(?![\w-])"
)
# a credit line: the agency in brackets, after a dash or slash, after ©, "avec", "selon",
# "source(s) :", or alone on a short line
_CREDIT = re.compile(
    r"(?:\(\s*|©\s*|/\s*|\bavec\s+(?:l['’])?|\bsource[s]?\s*:\s*|\bpar\s+(?:l['’])?)"
    r"(?:" + _AGENCY.pattern + r")"
    r"|^\s*(?:" + _AGENCY.pattern + r")\s*(?:[-–—/:)]|$)",
    re.MULTILINE,
)
_EDGE = 400  # characters at the head and at the foot where a credit line is looked for
_TIME = re.compile(r"(?<![\d:])([01]?\d|2[0-3])\s*[:h]\s*([0-5]\d)(?![\d:])")


def agency(*names: str | None, text: str = "") -> str | None:
    """The agency named by any of ``names`` (source, author), else by a credit line in
    ``text``'s head or foot; None when none is."""
    for name in names:
        if name and (m := _AGENCY.search(name)):
            return m.group(1)
    for part in (text[:_EDGE], text[-_EDGE:]):
        if m := _CREDIT.search(part):
            return next(g for g in m.groups() if g)
    return None


def time_of(text: str) -> str | None:
    """The time of day printed near the head of an article (``14:50``, ``8h05``), as
    ``HH:MM``; None when the head holds none."""
    m = _TIME.search(text[:300])
    return f"{int(m.group(1)):02d}:{m.group(2)}" if m else None
