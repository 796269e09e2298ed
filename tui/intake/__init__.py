"""Bringing what people collect into the articles folder: ``glose add``.

Press databases export many articles in one file (Europresse HTML, Factiva HTML or text,
LexisNexis / Nexis Uni HTML, DOCX, TXT); people also save web pages, PDFs and office
documents. Each reader here turns one input file into :class:`Piece` objects (one article
each, with what the export says about it); :mod:`.writing` turns pieces into plain-text
files with a metadata block (:mod:`tui.text.frontmatter`); :mod:`.duplicates` decides what is
already there. The format is recognised from the content (:mod:`.detect`), not the name.

Nothing here fetches anything or runs anything from an input: HTML is parsed by lxml with
the network off, images and scripts are ignored, and every string ends up as plain text.
"""

from __future__ import annotations

from .detect import detect, read_source
from .model import Piece, SourceError, SourceFile

__all__ = ["Piece", "SourceError", "SourceFile", "detect", "read_source"]
