"""The text formats of a report: Markdown (every value through :func:`markdown_text`, so a note
cannot open markup) and one self-contained HTML file (every value through :func:`xml_text`: a
note holding ``<script>`` is text)."""

from __future__ import annotations

from typing import BinaryIO

from ... import __version__
from ...sanitize import markdown_text, xml_attr, xml_text
from .model import ReportDoc

FLUSH_EVERY = 512  # pieces buffered before a write: few system calls, little memory


class Buffered:
    def __init__(self, fh: BinaryIO):
        self._fh = fh
        self._parts: list[str] = []

    def write(self, text: str) -> None:
        self._parts.append(text)
        if len(self._parts) >= FLUSH_EVERY:
            self.flush()

    def flush(self) -> None:
        self._fh.write("".join(self._parts).encode("utf-8"))
        self._parts.clear()


def _one_line(text: str) -> str:
    return " ".join(text.split())


class MarkdownSink(Buffered):
    def title(self, text: str) -> None:
        self.write(f"# {markdown_text(_one_line(text))}\n\n")

    def heading(self, level: int, text: str) -> None:
        self.write(f"{'#' * (level + 1)} {markdown_text(_one_line(text))}\n\n")

    def para(self, text: str, style: str = "body") -> None:
        lines = markdown_text(text).split("\n")
        if style == "quote":
            self.write("\n".join("> " + line if line.strip() else ">" for line in lines) + "\n\n")
        elif style == "term":
            self.write(f"**{markdown_text(_one_line(text))}**\n\n")
        elif style == "meta":
            self.write(f"*{markdown_text(_one_line(text))}*\n\n")
        elif style == "note":
            self.write("Note: " + "  \n".join(lines) + "\n\n")
        else:
            self.write("  \n".join(lines) + "\n\n")

    def page_break(self) -> None:
        self.write("---\n\n")

    def close(self) -> None:
        self.flush()


STYLE = """
body { font-family: Georgia, serif; max-width: 46em; margin: 2em auto; padding: 0 1em;
       line-height: 1.5; color: #222; }
h1.title { font-size: 2em; }
h1 { border-bottom: 1px solid #ccc; margin-top: 2em; }
h3 { font-size: 1em; font-weight: normal; font-style: italic; margin-top: 1.5em; }
blockquote { margin: 1em 0 0.2em; padding-left: 1em; border-left: 3px solid #aaa; }
p.meta { color: #666; font-size: 0.9em; margin: 0.2em 0; }
p.term { font-weight: bold; margin-bottom: 0; }
p.memo { background: #f6f3e8; padding: 0.4em 0.7em; }
p.note { margin-top: 0.3em; }
p.note::before { content: "Note: "; font-weight: bold; }
p, blockquote { white-space: pre-wrap; }
hr { border: 0; margin: 2em 0; }
"""


class HtmlSink(Buffered):
    """One file, no outside resource (the style is inline); headings h1–h3 make the outline."""

    def __init__(self, fh: BinaryIO, doc: ReportDoc):
        super().__init__(fh)
        self.write(
            "<!DOCTYPE html>\n"
            f'<html lang="{xml_attr(doc.language)}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="generator" content="Glose {xml_attr(__version__)}">\n'
            f"<title>{xml_text(_one_line(doc.title))}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        )

    def title(self, text: str) -> None:
        self.write(f'<h1 class="title">{xml_text(_one_line(text))}</h1>\n')

    def heading(self, level: int, text: str) -> None:
        self.write(f"<h{level}>{xml_text(_one_line(text))}</h{level}>\n")

    def para(self, text: str, style: str = "body") -> None:
        if style == "quote":
            self.write(f"<blockquote>{xml_text(text)}</blockquote>\n")
        elif style == "body":
            self.write(f"<p>{xml_text(text)}</p>\n")
        else:
            self.write(f'<p class="{style}">{xml_text(text)}</p>\n')

    def page_break(self) -> None:
        self.write("<hr>\n")

    def close(self) -> None:
        self.write("</body>\n</html>\n")
        self.flush()
