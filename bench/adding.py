"""``glose add`` benchmark: a 400-article Europresse export (~2.5 MB) added and indexed, and
the PDF libraries compared. Prints Markdown for BENCHMARKS.md.

    python -m bench.adding              # 400 articles
    python -m bench.adding --articles 60 --no-pdf   # a seconds-long smoke run

The export is built from the structure of a real one (``tests/fixtures/sources/
europresse-2021.html``: its ``<article>`` blocks, header, footer and certificate) with bodies
made of the real fixtures' sentences drawn at random (seeded), so articles differ as in a real
export (no duplicate, few near-duplicates) and the byte size is realistic.
"""

from __future__ import annotations

import argparse
import html
import platform
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "sources"


def europresse_export(n: int, seed: int = 15) -> str:
    """An export of ``n`` articles shaped like the real one, ~6 KB each."""
    from tui.intake import read_source

    page = (FIXTURES / "europresse-2021.html").read_text("utf-8")
    blocks = re.findall(r"<article>.*?</article>", page, re.S)
    template = blocks[0]
    head = page[: page.index("<article>")]
    sentences = []
    for name in ("europresse-2021.html", "europresse-2023.html", "factiva.html"):
        for piece in read_source(FIXTURES / name).pieces:
            sentences += [
                s for s in re.split(r"(?<=[.!?»])\s+", piece.body.replace("\n\n", " ")) if len(s) > 40
            ]
    rng = random.Random(seed)
    first_body = re.search(r"<div class='docOcurrContainer'>(.*?)</div>", template, re.S).group(1)
    articles = []
    for i in range(n):
        paras = [
            "<p>" + html.escape(" ".join(rng.choice(sentences) for _ in range(rng.randint(3, 5)))) + "</p>"
            for _ in range(rng.randint(5, 8))
        ]
        block = template.replace(first_body, " ".join(paras))
        block = block.replace(
            "news&#183;20070116&#183;EC&#183;4524237", f"news&#183;20070116&#183;EC&#183;{9000000 + i}"
        )
        block = block.replace(
            "Le fonds Knight Vinke referme le dossier Suez", f"Article {i} : {rng.choice(sentences)[:70]}"
        )
        block = block.replace("mardi 16 janvier 2007", f"mardi {1 + i % 28} janvier 2007")
        articles.append(block)
    return head + "\n".join(articles) + "\n</body></html>\n"


def time_add(n: int) -> dict:
    """Seconds for ``glose add`` (read, check, write) and the index update after it, in a fresh
    process, as a user runs it."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "articles").mkdir()
        export = root / "export.html"
        export.write_text(europresse_export(n), "utf-8")
        size = export.stat().st_size
        code = (
            "import time, sys; from tui.api import Library; t=time.perf_counter();"
            f"lib=Library.open({str(root)!r}); r=lib.intake.add([{str(export)!r}]); t1=time.perf_counter();"
            "lib.index.update(); t2=time.perf_counter(); lib.close();"
            "print(r.added, r.duplicates, len([x for i in r.inputs for x in i.near]), t1-t, t2-t1)"
        )
        started = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
        total = time.perf_counter() - started
        added, dups, near, add_s, index_s = out.split()
        shutil.rmtree(root / "index", ignore_errors=True)
        again = (
            subprocess.run(
                [sys.executable, "-m", "tui.cli", "--workspace", str(root), "add", str(export)],
                capture_output=True,
                text=True,
            )
            .stdout.strip()
            .splitlines()[-1]
        )
    return {
        "articles": n,
        "bytes": size,
        "added": int(added),
        "duplicates": int(dups),
        "near": int(near),
        "add": float(add_s),
        "index": float(index_s),
        "process": total,
        "again": again,
    }


# --- PDF libraries ----------------------------------------------------------------------------


def make_pdf(lines: list[str], info: dict[str, str] | None = None) -> bytes:
    """A one-page PDF with one text line per item (Helvetica, WinAnsi), made as the PDF
    reference describes: catalog, pages, page, font, content stream, xref table; with
    ``info``, a document information dictionary (``{"Title": ..., "Author": ...}``, each
    value a UTF-16BE string with its byte order mark, as the reference allows)."""

    def literal(s: str) -> str:
        return s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    content = (
        "BT /F1 10 Tf 40 800 Td 13 TL\n" + "".join(f"({literal(x)}) '\n" for x in lines) + "ET"
    ).encode("cp1252", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    ]
    if info:
        entries = "".join(f"/{k} <FEFF{v.encode('utf-16-be').hex().upper()}> " for k, v in info.items())
        objects.append(f"<< {entries}>>".encode("ascii"))
    out = b"%PDF-1.4\n"
    offsets = []
    for n, obj in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    trailer = b"/Info %d 0 R " % len(objects) if info else b""
    size = len(objects) + 1
    out += b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (size, trailer, xref)
    return out


def _pypdfium2(data: bytes) -> str:
    from tui.intake.documents import pdf_text

    return "\n".join(pdf_text(data))


def _pdfminer(data: bytes) -> str:
    import io

    from pdfminer.high_level import extract_text

    return extract_text(io.BytesIO(data))


def _pypdf(data: bytes) -> str:
    import io

    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def compare_pdf(files: list[tuple[str, bytes, list[str]]]) -> list[dict]:
    """Time and text of each library on each PDF; ``probes`` are phrases a reader sees on the
    page (hyphenation, ligatures, accents), counted when found intact."""
    rows = []
    for name, data, probes in files:
        for lib, fn in (("pypdfium2", _pypdfium2), ("pdfminer.six", _pdfminer), ("pypdf", _pypdf)):
            try:
                fn(data)  # warm: imports
                started = time.perf_counter()
                for _ in range(3):
                    text = fn(data)
                seconds = (time.perf_counter() - started) / 3
            except ImportError:
                continue
            flat = " ".join(text.split())
            found = sum(1 for p in probes if p in flat)
            rows.append(
                {
                    "pdf": name,
                    "lib": lib,
                    "ms": seconds * 1000,
                    "words": len(flat.split()),
                    "found": found,
                    "probes": len(probes),
                }
            )
    return rows


def pdf_inputs() -> list[tuple[str, bytes, list[str]]]:
    from tui.intake import read_source

    piece = read_source(FIXTURES / "europresse-2021.html").pieces[0]
    words = piece.body.replace("\n\n", " ¶ ").split()
    lines, line = [], ""
    for w in words:
        if w == "¶":
            lines += [line, ""]
            line = ""
        elif len(line) + len(w) > 95:
            lines.append(line)
            line = w
        else:
            line = f"{line} {w}".strip()
    lines.append(line)
    found = [("press article (Les Echos, built: one page, Helvetica)", make_pdf([piece.title, "", *lines[:55]]),
              ["Le fonds Knight Vinke referme le dossier Suez", "l'un des actionnaires les plus critiques"])]  # fmt: skip
    for path, probes in (
        (
            "/usr/share/doc/shared-mime-info/shared-mime-info-spec.pdf",
            ["Shared MIME-info Database", "freedesktop.org"],
        ),
        ("/usr/share/doc/libtasn1-doc/libtasn1.pdf", ["Libtasn1", "ASN.1"]),
    ):
        if Path(path).exists():
            found.append(
                (Path(path).name + " (typeset manual on this machine)", Path(path).read_bytes(), probes)
            )
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=400)
    parser.add_argument("--no-pdf", action="store_true")
    args = parser.parse_args()
    when = datetime.now(UTC).strftime("%Y-%m-%d")
    print(f"## Adding sources (issue 15), {when}, {platform.machine()}, {platform.python_version()}")
    print()
    r = time_add(args.articles)
    print("| export | added | duplicates | near | read + check + write | index | whole process |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    print(
        f"| Europresse, {r['articles']} articles, {r['bytes'] / 1e6:.1f} MB | {r['added']} | {r['duplicates']} "
        f"| {r['near']} | {r['add']:.2f} s | {r['index']:.2f} s | {r['process']:.2f} s |"
    )
    print()
    print(f"Adding the same export again: `{r['again']}`.")
    if args.no_pdf:
        return
    print()
    print("| PDF | library | ms per read | words | phrases found intact |")
    print("|---|---|---:|---:|---:|")
    for row in compare_pdf(pdf_inputs()):
        print(
            f"| {row['pdf']} | {row['lib']} | {row['ms']:.1f} | {row['words']} | {row['found']}/{row['probes']} |"
        )


if __name__ == "__main__":
    main()
