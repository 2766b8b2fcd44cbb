"""Reading the files campaigns really have: CSV from French Excel, UTF-8 or not, `;` or `,`
or tab separated, with stray blank lines; or an XLSX workbook (first sheet).

Files are read in chunks of rows, so a million-line file never sits whole in memory.
Rows come back with the line number a person sees in a spreadsheet or text editor, and
rows with the wrong number of fields are kept aside with that number, not dropped.
"""

import codecs
import csv
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

DELIMITERS = [";", ",", "\t", "|"]
CHUNK_ROWS = 100_000


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


def _encoding(path: Path) -> str:
    """UTF-8 (with or without BOM) when the whole file decodes, else Windows-1252."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    with path.open("rb") as handle:
        try:
            while block := handle.read(1 << 20):
                decoder.decode(block)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "cp1252"
    return "utf-8-sig"


def _delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in DELIMITERS}
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


def _is_xlsx(path: Path) -> bool:
    with path.open("rb") as handle:
        start = handle.read(4096)
    if start[:4] == b"PK\x03\x04" or path.suffix.lower() in {".xlsx", ".xlsm"}:
        return True
    if b"\x00" in start:
        raise UnreadableFile("This is not a text (CSV) or XLSX file.")
    return False


def iter_table(path: str | Path, *, chunk_rows: int = CHUNK_ROWS) -> Iterator[Table]:
    """The file as successive tables of at most `chunk_rows` rows, all with the same headers."""
    path = Path(path)
    if _is_xlsx(path):
        yield from _iter_xlsx(path, chunk_rows)
    else:
        yield from _iter_csv(path, chunk_rows)


def estimate_rows(path: str | Path) -> int:
    """About how many lines the file has, cheaply, for a progress bar."""
    path = Path(path)
    if _is_xlsx(path):
        from openpyxl import load_workbook

        workbook = load_workbook(path, read_only=True)
        rows = workbook.worksheets[0].max_row or 0
        workbook.close()
        return rows
    with path.open("rb") as handle:
        return sum(block.count(b"\n") for block in iter(lambda: handle.read(1 << 20), b""))


def read_table(path: str | Path, *, limit: int | None = None) -> Table:
    """The first `limit` rows (a preview), or the whole file."""
    tables = iter_table(path, chunk_rows=limit or CHUNK_ROWS)
    first = next(tables)
    if limit is not None:
        return first
    for table in tables:
        for header in first.headers:
            first.columns[header].extend(table.columns[header])
        first.lines.extend(table.lines)
        first.bad_lines.extend(table.bad_lines)
    return first


def _iter_csv(path: Path, chunk_rows: int) -> Iterator[Table]:
    encoding = _encoding(path)
    with path.open(encoding=encoding, newline="") as handle:
        first_line = ""
        for first_line in handle:
            if first_line.strip():
                break
        delimiter = _delimiter(first_line)
        handle.seek(0)
        reader = csv.reader(handle, delimiter=delimiter)
        header_row = next((row for row in reader if any(cell.strip() for cell in row)), None)
        if header_row is None:
            raise UnreadableFile("The file is empty.")
        headers = _unique_headers(header_row)
        width = len(headers)
        label = "utf-8" if encoding == "utf-8-sig" else "windows-1252"
        produced = False
        while True:
            values: list[list[str]] = [[] for _ in headers]
            lines: list[int] = []
            bad: list[tuple[int, str]] = []
            for row in islice(reader, chunk_rows):
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
            if not lines and not bad and produced:
                return
            produced = True
            yield Table(
                headers, dict(zip(headers, values, strict=True)), lines, bad, label, delimiter
            )
            if not lines and not bad:
                return


def _cell(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _iter_xlsx(path: Path, chunk_rows: int) -> Iterator[Table]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise UnreadableFile(
            f"This XLSX file cannot be opened ({exc.__class__.__name__})."
        ) from None
    try:
        rows = enumerate(workbook.worksheets[0].iter_rows(values_only=True), start=1)
        header_row = None
        for _line, row in rows:
            if any(_cell(c) for c in row):
                header_row = [_cell(c) for c in row]
                break
        if header_row is None:
            raise UnreadableFile("The first sheet is empty.")
        while header_row and not header_row[-1]:
            header_row.pop()
        headers = _unique_headers(header_row)
        produced = False
        while True:
            values: list[list[str]] = [[] for _ in headers]
            lines: list[int] = []
            for line, row in islice(rows, chunk_rows):
                cells = [_cell(c) for c in row][: len(headers)]
                if not any(cells):
                    continue
                cells += [""] * (len(headers) - len(cells))
                for column, cell in zip(values, cells, strict=True):
                    column.append(cell)
                lines.append(line)
            if not lines and produced:
                return
            produced = True
            yield Table(headers, dict(zip(headers, values, strict=True)), lines, [], "xlsx", "")
            if not lines:
                return
    finally:
        workbook.close()
