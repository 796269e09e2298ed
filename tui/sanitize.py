"""The one sanitiser: every string that came from a file, an import or a person passes here
before any output, through the function for where it goes.

- :func:`terminal`: no escape sequence or control character reaches a terminal;
- :func:`markdown_text`, :func:`markdown_code`: text cannot open markup, a code span cannot be
  broken out of;
- :func:`csv_cell`: no part of a cell a spreadsheet may split off (on ``,`` or ``;``) runs as a
  formula;
- :func:`xml_text`, :func:`xml_attr`: well-formed XML 1.0 whatever the input;
- :func:`json_text`: JSON as ``json.dumps`` wrote it, with nothing a terminal acts on;
- :func:`stored`: text the store can encode (no lone surrogate), what every value passes on
  its way in (notes, tags, names, metadata: :mod:`tui.model`; imported JSON: ``importer``);
- :func:`argument`: a command-line argument as the person typed it, or a one-line refusal.

Every output but JSON starts from :func:`terminal`, so a file name or a note is cleaned the same
way wherever it goes. JSON keeps the data as is (an import must give it back): it only writes
the characters a terminal would act on as ``\\u`` escapes.
"""

from __future__ import annotations

import re

_SURROGATES = re.compile("[\ud800-\udfff]")

# Terminal escape sequences, 7-bit forms (their 8-bit C1 forms are dropped with the C1 controls).
_ESCAPES = re.compile(
    r"""
      \x1b\[[0-?]*[ -/]*[@-~]?                  # CSI ... final byte
    | \x1b[\]PX^_][^\x07\x1b]*(?:\x07|\x1b\\)?  # OSC, DCS, SOS, PM, APC ... BEL or ST
    | \x1b[ -/]*[0-~]?                          # two-byte escapes (ESC c, ESC ( B), lone ESC
    | \x9b[0-?]*[ -/]*[@-~]?                    # 8-bit CSI
    | [\x90\x98\x9d-\x9f][^\x07\x9c\x1b]*(?:\x07|\x9c|\x1b\\)?  # 8-bit DCS, SOS, OSC, PM, APC
    """,
    re.VERBOSE,
)
_C1_INTRODUCERS = re.compile("[\x90\x98\x9b\x9d-\x9f]")
# C0 except tab and newline, DEL, C1, and the bidi embedding/override/isolate controls, which
# can make a terminal show text in an order other than the one offsets count in.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def strip_controls(text: str) -> str:
    """Remove terminal escape sequences and control characters, keeping tabs and newlines.

    Used on article text at load and on every other string that comes from a user or a file
    (tags, notes, names) before it is stored or shown.
    """
    if _CONTROLS.search(text) is None:  # every character removed below is one of these
        return text  # (an article: one scan instead of three)
    if "\x1b" in text or _C1_INTRODUCERS.search(text):
        text = _ESCAPES.sub("", text)
    return _CONTROLS.sub("", text)


# The same characters as they are in UTF-8 (CR aside: it is a line end, and canonical text has
# none). C0 and DEL are single bytes; C1 and the bidi controls are sequences of bytes that are
# all above 127, so they are still whole once every ASCII byte is dropped.
_KEPT_BYTES = bytes(b for b in range(256) if not ((b < 0x20 and b not in b"\t\n\r") or b == 0x7F))
_ASCII_BYTES = bytes(range(128))
_C1_OR_BIDI_UTF8 = re.compile(rb"\xc2[\x80-\x9f]|\xe2\x80[\xaa-\xae]|\xe2\x81[\xa6-\xa9]")


def utf8_has_controls(data: bytes) -> bool:
    """Whether the UTF-8 ``data`` decodes to a text :func:`strip_controls` would change, CRs
    apart: found on the bytes (``bytes.translate``, a tenth of the regex's time on a whole
    article), the regex running only over the bytes of its non-ASCII characters."""
    if data.translate(None, _KEPT_BYTES):  # a C0 control other than tab or a line end, or DEL
        return True
    return _C1_OR_BIDI_UTF8.search(data.translate(None, _ASCII_BYTES)) is not None


def terminal(text: str) -> str:
    """Text a terminal shows as text: escape sequences (CSI, OSC such as OSC 52 clipboard
    writes, DCS, SOS, PM, APC, their 8-bit forms), C0 and C1 controls but newline and tab,
    and bidi overrides removed; a lone surrogate (from a file name that is not UTF-8) becomes
    U+FFFD."""
    if text.isprintable():  # no control, format or surrogate character: the common case
        return text
    return _SURROGATES.sub("\ufffd", strip_controls(text))


# --- into the store -------------------------------------------------------------------------


def stored(text: str) -> str:
    """Text UTF-8 can encode: a lone surrogate (valid in JSON as ``"\\ud800"``, or what Python
    makes of a byte that is not UTF-8) becomes U+FFFD, the replacement character."""
    if text.isprintable() or not _SURROGATES.search(text):
        return text
    return _SURROGATES.sub("\ufffd", text)


def has_surrogates(text: str) -> bool:
    return not text.isprintable() and _SURROGATES.search(text) is not None


class NotText(ValueError):
    """A command-line argument that is text in no encoding we can tell."""


_ESCAPED_BYTES = re.compile("[\udc80-\udcff]+")
LEGACY = "cp1252"  # what a terminal that is not UTF-8 sends in Western Europe (latin-1's superset)


def argument(text: str) -> str:
    """A command-line argument typed in a terminal that is not UTF-8 (``café`` in ISO-8859-1):
    Python hands its bytes that are not UTF-8 over as surrogates (``\\udce9``); each run of
    them is read in the legacy encoding (windows-1252, which holds latin-1's letters), and
    the rest stays as decoded. Raises :class:`NotText` when the bytes are no text there
    either, or for a surrogate that stands for no byte."""
    if text.isprintable() or not _SURROGATES.search(text):
        return text

    def legacy(match: re.Match) -> str:
        raw = bytes(ord(c) - 0xDC00 for c in match.group())
        try:
            decoded = raw.decode(LEGACY)
        except UnicodeDecodeError:
            raise NotText(f"bytes {raw.hex(' ')} are neither UTF-8 nor {LEGACY} text") from None
        if not decoded.isprintable():
            raise NotText(f"bytes {raw.hex(' ')} are neither UTF-8 nor {LEGACY} text")
        return decoded

    decoded = _ESCAPED_BYTES.sub(legacy, text)
    if _SURROGATES.search(decoded):
        raise NotText("it holds a lone surrogate, which is no character")
    return decoded


# --- Markdown -------------------------------------------------------------------------------

_MD_INLINE = re.compile(r"([\\`*_\[\]<>|~&])")
_MD_LINE_START = re.compile(r"^(\s*)([#>+=-])", re.M)
_MD_ORDERED = re.compile(r"^(\s*\d+)([.)])", re.M)
_BACKTICKS = re.compile("`+")


def markdown_text(text: str) -> str:
    """Text that renders as typed: it cannot open a heading, a list, a quote, a link, an
    entity, HTML or code. Lines are kept (the caller decides where they go)."""
    text = _MD_INLINE.sub(r"\\\1", terminal(text))
    text = _MD_LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), text)
    return _MD_ORDERED.sub(lambda m: m.group(1) + "\\" + m.group(2), text)


def markdown_code(text: str) -> str:
    """A code span holding ``text`` on one line, whatever backticks it holds: the fence is
    longer than its longest run of backticks, and padded with a space on each side (which
    CommonMark strips again) when the text starts or ends with a backtick or a space."""
    text = terminal(text).replace("\n", " ")
    fence = "`" * (max(map(len, _BACKTICKS.findall(text)), default=0) + 1)
    pad = " " if text[:1] in ("`", " ") or text[-1:] in ("`", " ") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


# --- CSV ------------------------------------------------------------------------------------

# A part of a cell starts where the cell does or after a separator a spreadsheet may split on
# (``,``; ``;`` in French and other locales), spaces and a quote mark allowed before it. It is
# a formula when it starts with = + - @ (or their fullwidth and small forms), tab or a line end.
_FORMULA_START = "=+-@\t\r\n\uff1d\uff0b\uff0d\uff20\ufe66\ufe62\ufe63\ufe6b"
_FORMULA_PART = re.compile(f'(^|[,;])([ "]*)(?=[{re.escape(_FORMULA_START)}])')
_PART_LEAD = frozenset(' "' + _FORMULA_START)  # a cell's first character that needs a look


def csv_cell(text: str) -> str:
    """A cell no spreadsheet runs as a formula: every part that would start one gets a leading
    apostrophe (OWASP), the rest of the data as it was: ``voir;=1+1`` → ``voir;'=1+1``."""
    text = terminal(text)
    if text[:1] in _PART_LEAD or "," in text or ";" in text:  # else it has one part, inert
        return _FORMULA_PART.sub(r"\1\2'", text)
    return text


# --- XML ------------------------------------------------------------------------------------

_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    """Element content: characters XML 1.0 does not allow dropped, ``& < >`` escaped."""
    if not text.isprintable():  # printable text holds no control, surrogate or noncharacter
        text = _XML_ILLEGAL.sub("", terminal(text))
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def xml_attr(text: str) -> str:
    """An attribute value (in double or single quotes): as :func:`xml_text`, quote marks
    escaped too, and tabs and line ends as character references (so they survive)."""
    text = xml_text(text).replace('"', "&quot;").replace("'", "&apos;")
    return text.replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")


# --- JSON -----------------------------------------------------------------------------------

# json.dumps escapes C0 controls; with ensure_ascii=False it leaves these as they are.
_JSON_RAW = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def json_text(dumped: str) -> str:
    """JSON text from ``json.dumps(..., ensure_ascii=False)`` with DEL, C1 controls, bidi
    overrides and lone surrogates written as ``\\uXXXX``: the same values once parsed,
    nothing a terminal acts on (these characters only ever occur inside strings)."""
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", dumped)
