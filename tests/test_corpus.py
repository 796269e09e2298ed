"""Loading: every file becomes one canonical text, or is skipped with a reason."""

from __future__ import annotations

import codecs
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.sanitize import strip_controls, utf8_has_controls
from tui.text.corpus import Skipped, canonical_text, decode_bytes, load_article, read_canonical, scan

from .conftest import SAMPLE_IDS, SAMPLES


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("article_id", SAMPLE_IDS)
def test_samples_load_as_utf8_nfc_text(article_id):
    article = load_article(SAMPLES, article_id)
    assert article.encoding == "utf-8"
    assert article.text == unicodedata.normalize("NFC", article.text)
    assert "\r" not in article.text
    assert article.text == (SAMPLES / article_id).read_text("utf-8")  # clean files are untouched
    assert len(article.hash) == 64


def test_loading_is_idempotent():
    text = canonical_text("a\r\nb\rc\x1b[31md\u0065\u0301")
    assert canonical_text(text) == text == "a\nb\ncd\u00e9"


def test_latin1_file(tmp_path):
    path = write(tmp_path, "a.txt", "Le député a présenté son rapport à l'Assemblée.".encode("latin-1"))
    text, encoding, _ = read_canonical(path)
    assert text == "Le député a présenté son rapport à l'Assemblée."
    assert encoding == "cp1252"


@pytest.mark.parametrize(
    "line",
    [
        "L’été “chaud” – déjà…",  # ~20 bytes: detection alone reads it as mac_roman
        "Le ministre a déclaré : « C’est inacceptable » — une réponse jugée “tardive” par "
        "l’opposition, qui réclame déjà des mesures concrètes pour l’été prochain.",
    ],
)
def test_short_cp1252_text_with_curly_quotes(tmp_path, line):
    path = write(tmp_path, "a.txt", line.encode("cp1252"))
    text, encoding, _ = read_canonical(path)
    assert (text, encoding) == (line, "cp1252")


def test_cyrillic_legacy_text_is_not_forced_into_cp1252():
    line = "Правительство объявило о новых мерах против дипфейков в социальных сетях."
    text, encoding = decode_bytes(line.encode("cp1251"))
    assert text == line
    assert encoding != "cp1252"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (codecs.BOM_UTF8 + "Bonjour été".encode(), "utf-8-sig"),
        ("Bonjour été".encode("utf-16"), "utf-16"),
        ("Bonjour été".encode("utf-32"), "utf-32"),
    ],
)
def test_byte_order_marks(tmp_path, data, encoding):
    text, used, _ = read_canonical(write(tmp_path, "a.txt", data))
    assert (text, used) == ("Bonjour été", encoding)


def test_line_ends_become_lf(tmp_path):
    text, _, _ = read_canonical(write(tmp_path, "a.txt", b"one\r\ntwo\rthree\n"))
    assert text == "one\ntwo\nthree\n"


def test_nfc(tmp_path):
    text, _, _ = read_canonical(write(tmp_path, "a.txt", "de\u0301ja\u0300".encode()))
    assert text == "déjà"


def test_escape_sequences_and_controls_are_stripped(tmp_path):
    raw = "a\x1b[31mred\x1b[0m b\x1b]0;pwned\x07c\x1bP1$r\x1b\\d\x07e\x00\x9bf\tg\u202eh\x1b"
    text = canonical_text(raw)
    assert text == "ared bcde\tgh"  # \x9bf is an 8-bit CSI sequence (f is its final byte)
    assert "\x1b" not in text and "pwned" not in text


@pytest.mark.parametrize(
    "control",
    [
        "\x01",  # (NUL makes a file binary: skipped)
        "\x07",
        "\x0b",
        "\x1b",
        "\x1f",
        "\x7f",
        "\x80",
        "\x85",
        "\x9b",
        "\x9f",
        "\u202a",
        "\u202e",
        "\u2066",
        "\u2069",
    ],
)
def test_controls_are_stripped_from_utf8_files_with_other_non_ascii_text(tmp_path, control):
    """A UTF-8 file is checked for controls on its bytes (tui.sanitize.utf8_has_controls):
    every control is still found beside the characters French text is full of."""
    raw = f"«\u00a0déjà\u00a0»\u202f: l’été…{control}fin\r\n"
    text, encoding, _ = read_canonical(write(tmp_path, "a.txt", raw.encode()))
    assert encoding == "utf-8" and control not in text
    assert text.startswith("«\u00a0déjà\u00a0»\u202f: l’été…")
    assert text == canonical_text(raw, controls=True)  # as the regex strips it (escapes eat "f")


@settings(max_examples=400, deadline=None)
@given(st.text(st.characters(exclude_categories=("Cs",))))
def test_the_bytes_check_agrees_with_strip_controls(text):
    text = text.replace("\r", "")  # canonical text has none: they are line ends before the check
    assert utf8_has_controls(text.encode()) == (strip_controls(text) != text)


def test_rich_markup_is_kept_as_text(tmp_path):
    text, _, _ = read_canonical(write(tmp_path, "a.txt", b"[bold]not bold[/bold] [/foo] [link=x]"))
    assert text == "[bold]not bold[/bold] [/foo] [link=x]"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (b"", "empty"),
        (b" \n\t\r\n  ", "empty"),
        (b"abc\x00def", "binary"),
        (b"\x1b[31m\x1b[0m\n", "empty"),
    ],
)
def test_unreadable_files_are_skipped_with_a_reason(tmp_path, data, reason):
    with pytest.raises(Skipped, match=reason):
        read_canonical(write(tmp_path, "a.txt", data))


def test_vanished_file_is_skipped(tmp_path):
    with pytest.raises(Skipped, match="vanished"):
        read_canonical(tmp_path / "gone.txt")


def test_scan_finds_txt_and_md_at_any_depth_with_posix_ids(tmp_path):
    for name in ("a.txt", "sub/b.md", "sub/deeper/c.TXT", "notes.docx", ".hidden.txt", ".git/x.txt"):
        write(tmp_path, name, b"text")
    (tmp_path / "loop").symlink_to(tmp_path, target_is_directory=True)
    assert [f.id for f in scan(tmp_path)] == ["a.txt", "sub/b.md", "sub/deeper/c.TXT"]


def test_article_ids_cannot_leave_the_folder(tmp_path):
    from tui.errors import ArticleNotFound

    for bad in ("../etc/passwd", "/etc/passwd", "a/../../b", ""):
        with pytest.raises(ArticleNotFound):
            load_article(tmp_path, bad)
