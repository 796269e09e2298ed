"""The corpus: finding article files and turning each into its canonical text.

Every offset Glose stores or prints (annotations, hits, exports) counts code points in the
canonical text built here, so this module is the one place that decides it: decode, drop
terminal escapes and control characters, LF line ends, NFC. Changing any step changes offsets,
which is why the steps are small, explicit and tested one by one.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import re
import stat
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from ..errors import ArticleNotFound, GloseError
from ..sanitize import strip_controls, utf8_has_controls
from . import frontmatter
from .recent import Recent

ARTICLE_SUFFIXES = (".txt", ".md")
MAX_ARTICLE_BYTES = 64 * 1024 * 1024  # bigger files are skipped with a reason, not loaded


class Skipped(GloseError):
    """A file of the articles folder that cannot be read as an article (binary, empty...)."""


# --- decoding -----------------------------------------------------------------------------

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# What cp1252 must decode into for us to trust it over detection: Latin-1 letters and signs,
# plus the typographic characters of the 0x80-0x9F block that French and English text use.
_WESTERN = set(range(0xA0, 0x100)) | {ord(c) for c in "€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ"}


def _looks_western(text: str) -> bool:
    """True when a cp1252 decoding reads as a Western European language.

    Every non-ASCII character must be a Latin-1 letter or a typographic sign, and accented
    letters must stay a minority of the letters: French runs ASCII letters around its accents,
    while Cyrillic or Greek decoded as cp1252 gives runs of nothing but Latin-1 letters.
    """
    letters = accented = 0
    for ch in text:
        code = ord(ch)
        if code < 0x80:
            if ch.isalpha():
                letters += 1
            continue
        if code not in _WESTERN:
            return False
        if ch.isalpha():
            letters += 1
            accented += 1
    return letters == 0 or accented / letters <= 0.35


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode a file's bytes, returning the text and the name of the encoding used.

    UTF-8 and BOM-marked Unicode first; then UTF-8 with a few stray invalid bytes replaced
    (see :func:`_mostly_utf8`); then cp1252 when it reads as Western European (charset
    detection misreads short cp1252 files as mac_roman or cp1250); then charset-normalizer.
    Raises :class:`Skipped` for binary or undecodable data.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as exc:
                if encoding == "utf-8-sig" and (mostly := _mostly_utf8(data[len(bom) :])):
                    return mostly
                raise Skipped(f"undecodable: starts with a {encoding} mark but {exc.reason}") from exc
    if b"\x00" in data:
        raise Skipped("binary: contains NUL bytes")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if (mostly := _mostly_utf8(data)) is not None:
        return mostly
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = None
    if text is not None and _looks_western(text):
        return text, "cp1252"
    from charset_normalizer import from_bytes  # imported late: costs ~40 ms, rarely needed

    best = from_bytes(data).best()
    if best is None or best.chaos > 0.3:
        raise Skipped("undecodable: not UTF-8 and no other encoding fits")
    return str(best), best.encoding


MAX_INVALID_UTF8 = 8  # stray bytes tolerated in a UTF-8 file (or 0.1% of it, if more)
_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")  # how surrogateescape writes an invalid byte
_REPLACED = re.compile(r"utf-8 \((\d+) invalid bytes? replaced\)")


def _mostly_utf8(data: bytes) -> tuple[str, str] | None:
    """UTF-8 with its few invalid bytes replaced by U+FFFD, or None when the data is not that.

    One stray byte (a cp1252 quote pasted into a UTF-8 file, a cut multi-byte character) must
    not turn every accent of the file into mojibake by sending it down the legacy path. The
    file counts as UTF-8 when its valid multi-byte characters outnumber the invalid bytes and
    those are few: a real cp1252 file has (almost) no valid multi-byte sequence, so one accent
    in an ASCII legacy file still goes to cp1252. The count is kept in the encoding's name, so
    ``glose meta`` and ``glose index`` can say what was replaced.
    """
    text = data.decode("utf-8", "surrogateescape")  # each invalid byte → one lone surrogate
    invalid = len(_ESCAPED_BYTE.findall(text))
    multibyte = len(text) - len(text.encode("ascii", "ignore")) - invalid
    if invalid > max(MAX_INVALID_UTF8, len(data) // 1000) or multibyte <= invalid:
        return None
    plural = "s" if invalid > 1 else ""
    return _ESCAPED_BYTE.sub("\ufffd", text), f"utf-8 ({invalid} invalid byte{plural} replaced)"


def decoding_warning(encoding: str) -> str | None:
    """What the reader of a file decoded as ``encoding`` should know (invalid bytes that were
    replaced), read back from the name :func:`decode_bytes` gave; None for a clean decoding."""
    m = _REPLACED.fullmatch(encoding)
    if m is None:
        return None
    n = int(m.group(1))
    return f"{n} invalid byte{'s' if n > 1 else ''} replaced (U+FFFD)"


# --- cleaning -----------------------------------------------------------------------------


def canonical_text(raw: str, controls: bool = True) -> str:
    """The text every offset counts in: LF line ends, no controls or escapes, NFC.
    ``controls=False``: ``raw`` is known to hold none (:func:`tui.sanitize.utf8_has_controls`)."""
    text = raw.lstrip("\ufeff")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if controls:
        text = strip_controls(text)
    return unicodedata.normalize("NFC", text)


def content_hash(text: str) -> str:
    """sha256 of the canonical text, kept with the index and with each annotation."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# --- articles -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Article:
    """One article as Glose reads it: canonical text plus what was guessed about it."""

    id: str
    text: str
    encoding: str
    hash: str
    size: int
    mtime_ns: int
    title: str
    date: str | None = None
    source: str | None = None
    author: str | None = None  # from the file's metadata block (see tui.text.frontmatter)
    section: str | None = None  # the block's, as glose add wrote it from the press export
    page: str | None = None
    origin: str | None = None  # the export or file it came from (glose add)
    words: int = 0  # whitespace-separated tokens of the canonical text (what word counts say)
    language: str | None = None  # guessed from its commonest words; None when unsure
    docid: str | None = None  # the press database's document id (the block's ``id``)
    url: str | None = None


class FileStat(NamedTuple):
    """What the incremental indexer compares before reading a file. A tuple: made 50,000
    times by every check that the index is current, where a frozen dataclass's ``__init__``
    cost three times as much."""

    id: str
    where: str  # the path as the OS gave it: a Path for each of 50,000 files costs ~0.5 s
    size: int
    mtime_ns: int

    @property
    def path(self) -> Path:
        return Path(self.where)


# An article id is made of file and folder names, but ids go to SQLite, Whoosh, JSON and
# terminals, which need valid Unicode, while a name is bytes. ``os`` hands a name that is not
# valid UTF-8 (a latin-1 ``café.txt``) over with each undecodable byte as a lone surrogate;
# in the id that byte is written ``%XX`` (``caf%E9.txt``). To keep the mapping reversible, a
# literal ``%`` followed by two hex digits is written ``%25``; any other ``%`` stays, so the
# ids of ordinary names (``100% vrai.txt``) are unchanged: only a name that itself holds
# ``%XX`` gets a new id (``a%41.txt`` is ``a%2541.txt``). A backslash is an ordinary character
# of a POSIX name: only ``/`` separates folders in an id.
_TO_ID = re.compile("%(?=[0-9A-Fa-f]{2})|[\udc80-\udcff]")
_FROM_ID = re.compile("%(25|[89A-F][0-9A-F])")
_OTHER_SEPARATORS = tuple(sep for sep in (os.sep, os.altsep) if sep and sep != "/")


def name_to_id(name: str) -> str:
    """The id form of one file or folder name as ``os`` lists it (see above)."""
    if name.isascii() and "%" not in name:  # nearly every name, at scan speed
        return name
    return _TO_ID.sub(lambda m: "%25" if m.group() == "%" else f"%{ord(m.group()) - 0xDC00:02X}", name)


def _id_to_name(part: str) -> str:
    if "%" not in part:
        return part
    return _FROM_ID.sub(lambda m: "%" if m.group(1) == "25" else chr(0xDC00 + int(m.group(1), 16)), part)


def article_id(articles_dir: Path, path: Path) -> str:
    """The article id: its path relative to the articles folder, ``/`` separators."""
    return "/".join(name_to_id(part) for part in path.relative_to(articles_dir).parts)


def scan(articles_dir: Path) -> Iterator[FileStat]:
    """Every article file below ``articles_dir`` (any depth), sorted by id (see
    :func:`scan_by_folder`)."""
    found = [f for files in scan_by_folder(articles_dir).values() for f in files]
    found.sort()  # by id: ids are unique, so the other fields never decide
    return iter(found)


def scan_by_folder(articles_dir: Path) -> dict[str, list[FileStat]]:
    """Every article file below ``articles_dir`` (any depth), by the id of its folder ("" for
    ``articles_dir`` itself, else ids' form: ``2026/janvier``), each folder's in id order.

    Hidden files and folders are left out; symbolic links to folders are not followed (a link
    loop cannot hang the scan). A file that vanishes between listing and stat is left out.
    Plain ``os.scandir`` and string ids: at 50,000 files, pathlib objects cost more than the
    stat calls. Threads do not speed up the stat calls here (measured, issue 16).
    """
    folders: dict[str, list[FileStat]] = {}
    stack = [("", os.fspath(articles_dir))]
    while stack:
        prefix, folder = stack.pop()
        read = read_folder(folder)
        if read is None:
            continue
        files, _others, dirs = read
        stack.extend((prefix + name_to_id(d.name) + "/", d.path) for d in dirs)
        found = [FileStat(prefix + name_to_id(e.name), e.path, st.st_size, st.st_mtime_ns) for e, st in files]
        if found:
            found.sort()
            folders[prefix[:-1]] = found
    return folders


def read_folder(
    folder: str,
) -> tuple[list[tuple[os.DirEntry, os.stat_result]], list[str], list[os.DirEntry]] | None:
    """One folder's entries as every scan sees them (None: it cannot be listed): its article
    files with their stat (a link to a file followed), the names of the other entries that
    could be one (an article's ending but not a regular file, or failing to stat), and its
    subfolders (a link to a folder is not followed: a loop cannot hang a scan); hidden ones
    left out."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return None
    files: list[tuple[os.DirEntry, os.stat_result]] = []
    others: list[str] = []
    dirs: list[os.DirEntry] = []
    for entry in entries:
        name = entry.name
        if name.startswith("."):
            continue
        try:
            if entry.is_dir(follow_symlinks=False):
                dirs.append(entry)
                continue
            if not name.lower().endswith(ARTICLE_SUFFIXES):
                continue
            st = entry.stat()  # follows a link to a file
        except OSError:
            others.append(name)
            continue
        if stat.S_ISREG(st.st_mode):
            files.append((entry, st))
        else:
            others.append(name)
    return files, others, dirs


def read_canonical(path: Path) -> tuple[str, str, os.stat_result]:
    """Read and clean one file: (canonical text, encoding, stat). Raises :class:`Skipped`."""
    text, _, encoding, st = read_with_meta(path)
    return text, encoding, st


def read_with_meta(path: Path) -> tuple[str, dict[str, str], str, os.stat_result]:
    """Read and clean one file: (canonical text, metadata block, encoding, stat).

    A metadata block at the top (:mod:`tui.text.frontmatter`) is kept out of the canonical text:
    offsets count in the body. Raises :class:`Skipped`.
    """
    try:
        with open(path, "rb") as fh:
            st = os.fstat(fh.fileno())
            if st.st_size > MAX_ARTICLE_BYTES:
                raise Skipped(
                    f"too large: {st.st_size / 2**20:.0f} MiB (the limit is {MAX_ARTICLE_BYTES // 2**20} MiB)"
                )
            data = fh.read()
    except FileNotFoundError as exc:
        raise Skipped("vanished: the file was removed while Glose read the folder") from exc
    except PermissionError as exc:
        raise Skipped("unreadable: permission denied") from exc
    except IsADirectoryError as exc:
        raise Skipped("not a file") from exc
    except OSError as exc:
        raise Skipped(f"unreadable: {exc.strerror or exc}") from exc
    raw, encoding = decode_bytes(data)
    controls = encoding not in ("utf-8", "utf-8-sig") or utf8_has_controls(data)
    meta, text = frontmatter.split(canonical_text(raw, controls))
    if not text.strip():
        raise Skipped("empty: no text")
    return text, meta, encoding, st


def load_article(articles_dir: Path, article_id_: str) -> Article:
    """Load one article by id, with its metadata guessed from the text."""
    return read_article(resolve_path(articles_dir, article_id_), article_id_)


def read_article(path: Path, article_id_: str) -> Article:
    """Read one file as an article: canonical text, hash, metadata (what its metadata block
    says, else guessed from the text)."""
    from .languages import guess_language
    from .metadata import guess_metadata, parse_date

    text, given, encoding, st = read_with_meta(path)
    digest = content_hash(text)
    derived = _derived.get(digest)
    if derived is None:  # not a copy of a text read just before (tui.text.recent)
        meta = guess_metadata(text, fallback_title="")
        derived = _derived.put(digest, (meta, len(text.split()), guess_language(text)), 1_000)
    meta, words, language = derived
    return Article(
        id=article_id_,
        text=text,
        encoding=encoding,
        hash=digest,
        size=st.st_size,
        mtime_ns=st.st_mtime_ns,
        title=given.get("title") or meta.title or Path(article_id_).stem,
        date=(parse_date(given["date"]) if "date" in given else None) or meta.date,
        source=given.get("source") or meta.source,
        author=given.get("author"),
        section=given.get("section"),
        page=given.get("page"),
        origin=given.get("origin"),
        words=words,
        language=language,
        docid=given.get("id"),
        url=given.get("url"),
    )


# what read_article guessed from a canonical text, by its hash: a copy's are the same
_derived: Recent[str, tuple] = Recent(10_000_000)


@dataclass(frozen=True, slots=True)
class ArticleText:
    """An article's canonical text (what every offset counts in) and its hash."""

    id: str
    text: str
    hash: str


def article_text(articles_dir: Path, article_id_: str) -> ArticleText:
    """The one way to read an article's canonical text by id; a file that cannot be read is
    a :class:`GloseError` naming the article and why."""
    path = resolve_path(articles_dir, article_id_)
    try:
        text, _, _ = read_canonical(path)
    except Skipped as exc:
        if not path.exists():
            raise ArticleNotFound(f"article {article_id_} is no longer in {articles_dir}") from None
        raise GloseError(f"{article_id_}: {exc}") from None
    return ArticleText(article_id_, text, content_hash(text))


def resolve_path(articles_dir: Path, article_id_: str) -> Path:
    """The file of an article id, refusing ids that would leave the articles folder (absolute,
    ``..``, ``.``, empty parts, NUL) and ids that no file name maps to (``caf%e9.txt`` for
    ``caf%E9.txt``): accepting those would let annotations be saved under a second id of the
    same file, where the index and the listings would never find them."""
    parts = article_id_.split("/")
    if (
        not article_id_
        or "\x00" in article_id_
        or any(p in ("", ".", "..") for p in parts)
        or any(sep in article_id_ for sep in _OTHER_SEPARATORS)
    ):
        raise ArticleNotFound(f"not an article id: {article_id_!r}")
    names = [_id_to_name(p) for p in parts]
    if any(name_to_id(name) != part for name, part in zip(names, parts, strict=True)):
        raise ArticleNotFound(f"not an article id: {article_id_!r}")
    return articles_dir.joinpath(*names)
