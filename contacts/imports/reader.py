"""Reading the files campaigns really have: CSV from French Excel, UTF-8 or not, `;` or `,`
or tab separated, with stray blank lines; or an XLSX workbook (first sheet).

Rows come back with the line number a person sees in a spreadsheet or text editor, and
rows with the wrong number of fields are kept aside with that number, not dropped.
"""

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

DELIMITERS = [";", ",", "\t", "|"]


class UnreadableFile(Exception):
    """The file is not a table we can read; the message says why, for a person."""


@dataclass
class Table:
    headers: list[str]
    columns: dict[str, list[str]]  # header → values, one per kept row
    lines: list[int]  # the file line of each kept row
    bad_lines: list[tuple[int, str]] = field(default_factory=list)  # (line, reason)
    encoding: str = ""
    delimiter: str = ""

    @property
    def row_count(self) -> int:
        return len(self.lines)


def _decode(raw: bytes) -> tuple[str, str]:
    """UTF-8 (with or without BOM) when it decodes, else Windows-1252 (French Excel)."""
    try:
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace"), "windows-1252"


def _delimiter(text: str) -> str:
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {d: first.count(d) for d in DELIMITERS}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _unique_headers(raw: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    headers = []
    for index, name in enumerate(raw):
        name = " ".join((name or "").split()) or f"colonne {index + 1}"
        if name in seen:
            seen[name] += 1
            name = f"{name} ({seen[name]})"
        else:
            seen[name] = 1
        headers.append(name)
    return headers


def read_csv_text(text: str, *, encoding: str = "utf-8", limit: int | None = None) -> Table:
    delimiter = _delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header_row: list[str] | None = None
    for row in reader:
        if any(cell.strip() for cell in row):
            header_row = row
            break
    if header_row is None:
        raise UnreadableFile("The file is empty.")
    headers = _unique_headers(header_row)
    width = len(headers)
    values: list[list[str]] = [[] for _ in headers]
    lines: list[int] = []
    bad: list[tuple[int, str]] = []
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue  # blank line
        if len(row) != width:
            # Trailing empty cells are a common spreadsheet artefact, not an error.
            if len(row) > width and not any(cell.strip() for cell in row[width:]):
                row = row[:width]
            else:
                bad.append((line, f"{len(row)} fields instead of {width}"))
                continue
        for column, cell in zip(values, row, strict=True):
            column.append(cell.strip())
        lines.append(line)
        if limit is not None and len(lines) >= limit:
            break
    return Table(
        headers=headers,
        columns=dict(zip(headers, values, strict=True)),
        lines=lines,
        bad_lines=bad,
        encoding=encoding,
        delimiter=delimiter,
    )


def read_xlsx(data: bytes, *, limit: int | None = None) -> Table:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise UnreadableFile(
            f"This XLSX file cannot be opened ({exc.__class__.__name__})."
        ) from None
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header_row = None
    line = 0
    for row in rows:
        line += 1
        if any(_cell(c) for c in row):
            header_row = [_cell(c) for c in row]
            break
    if header_row is None:
        raise UnreadableFile("The first sheet is empty.")
    while header_row and not header_row[-1]:
        header_row.pop()
    headers = _unique_headers(header_row)
    values: list[list[str]] = [[] for _ in headers]
    lines: list[int] = []
    for row in rows:
        line += 1
        cells = [_cell(c) for c in row][: len(headers)]
        if not any(cells):
            continue
        cells += [""] * (len(headers) - len(cells))
        for column, cell in zip(values, cells, strict=True):
            column.append(cell)
        lines.append(line)
        if limit is not None and len(lines) >= limit:
            break
    workbook.close()
    return Table(headers=headers, columns=dict(zip(headers, values, strict=True)), lines=lines)


def _cell(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def read_table(path: str | Path, *, limit: int | None = None) -> Table:
    """Read a CSV or XLSX file; `limit` stops after that many rows (for a preview)."""
    path = Path(path)
    data = path.read_bytes()
    if data[:4] == b"PK\x03\x04" or path.suffix.lower() in {".xlsx", ".xlsm"}:
        return read_xlsx(data, limit=limit)
    if b"\x00" in data[:4096]:
        raise UnreadableFile("This is not a text (CSV) or XLSX file.")
    text, encoding = _decode(data)
    return read_csv_text(text, encoding=encoding, limit=limit)
