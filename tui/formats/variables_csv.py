"""Article variables as a spreadsheet: one row per article, the first column naming it (id,
unique prefix or file name), one column per variable (``glose vars import`` / ``export``).

Spreadsheets come as people save them: with a BOM, in Excel's cp1252, separated by ``;`` (a
French Excel) or tabs; a file that cannot be read, or whose first row is not a header of
variable names, is refused as a whole.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..errors import GloseError
from ..sanitize import csv_cell

MAX_BYTES = 50 * 2**20
SEPARATORS = ",;\t"


@dataclass
class Sheet:
    """A spreadsheet read: its variable columns and its rows (line number, article as named,
    {variable: cell})."""

    columns: list[str]
    rows: list[tuple[int, str, dict[str, str]]] = field(default_factory=list)


def _decode(data: bytes) -> str:
    if data.startswith(b"\xff\xfe") or data.startswith(b"\xfe\xff"):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _separator(header: str) -> str:
    counts = {sep: header.count(sep) for sep in SEPARATORS}
    best = max(counts, key=lambda s: counts[s])
    return best if counts[best] else ","


def read_sheet(data: bytes) -> Sheet:
    """The header and rows of a CSV file; :class:`GloseError` when it is not one."""
    if len(data) > MAX_BYTES:
        raise GloseError(f"the file is too large for a table of variables ({len(data) // 2**20} MiB)")
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise GloseError("this is not a CSV file (it holds binary data)")
    text = _decode(data)
    first = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_separator(first))
    try:
        table = list(reader)
    except csv.Error as exc:
        raise GloseError(f"this CSV file cannot be read: {exc}") from None
    table = [row for row in table if any(cell.strip() for cell in row)]
    if not table:
        raise GloseError("the file is empty: its first row should name the article column and the variables")
    header = [cell.strip() for cell in table[0]]
    if len(header) < 2:
        raise GloseError("the first row should name the article column, then one column per variable")
    columns = header[1:]
    seen: set[str] = set()
    for name in columns:
        if name.lower() in seen:
            raise GloseError(f"the column {name!r} appears twice in the first row")
        seen.add(name.lower())
    sheet = Sheet(columns)
    for number, row in enumerate(table[1:], start=2):
        cells = row + [""] * (len(header) - len(row))
        if len(row) > len(header):
            raise GloseError(f"row {number} has {len(row)} cells, the first row names {len(header)} columns")
        sheet.rows.append(
            (number, cells[0].strip(), dict(zip(columns, (c.strip() for c in cells[1:]), strict=True)))
        )
    return sheet


def write_sheet(columns: list[str], rows: Iterable[tuple[str, dict[str, str | None]]]) -> bytes:
    """``article`` then ``columns``, one row per article; cells a spreadsheet would run as a
    formula are neutralised, as every CSV Glose writes."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["article", *columns])
    for article, values in rows:
        writer.writerow([csv_cell(article), *(csv_cell(values.get(c) or "") for c in columns)])
    return out.getvalue().encode("utf-8")
