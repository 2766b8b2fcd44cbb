"""Reading the files campaigns really have: CSV from French Excel, UTF-8 or not (or Excel's
"Unicode text", UTF-16), `;` or `,` or tab separated, with stray blank lines; or an XLSX
workbook (first sheet).

Files are read in chunks of rows, so a million-line file never sits whole in memory.
Rows come back with the line number a person sees in a spreadsheet or text editor, and
rows that cannot be kept (the wrong number of fields, a cell longer than the csv module
reads, a NUL character) are kept aside with that number and the reason, not dropped.

An XLSX file is a zip: its declared unpacked size is checked against
IMPORT_XLSX_MAX_UNCOMPRESSED_MB before anything unpacks it, and its shared strings are
parsed only as far as the rows read need them, so that the upload request, which reads
the first rows only, never pays for the whole file (the worker does).
"""

import codecs
import csv
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl.cell.text import Text
from openpyxl.reader.excel import SHARED_STRINGS, ExcelReader
from openpyxl.xml.constants import SHEET_MAIN_NS
from openpyxl.xml.functions import iterparse

DELIMITERS = [";", ",", "\t", "|"]
CHUNK_ROWS = 100_000
SNIFF_CHARS = 1 << 16  # how much of the first line tells the separator
# No contact file has more columns; a file with more is not one, and its mapping page
# (a select per column) would be a weapon.
MAX_COLUMNS = 1000
OPENED_PART_MAX_MB = 20
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # how .xls (and .doc) files start


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


def _utf16(start: bytes) -> bool:
    return start[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def _encoding(path: Path) -> tuple[str, bool]:
    """(encoding, whether a NUL may be in it): UTF-16 when it starts with its BOM (Excel's
    "Unicode text"); UTF-8 (with or without BOM) when the whole file decodes, else
    Windows-1252."""
    nul = False
    with path.open("rb") as handle:
        utf16 = _utf16(handle.read(2))
        handle.seek(0)
        decoder = codecs.getincrementaldecoder("utf-16" if utf16 else "utf-8")()
        try:
            while block := handle.read(1 << 20):
                nul = nul or b"\x00" in block
                decoder.decode(block)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            if utf16:
                raise UnreadableFile(_("This UTF-16 text file is damaged.")) from None
            # The rest of the file was not looked at: it may hold one.
            return "cp1252", True
    return ("utf-16", True) if utf16 else ("utf-8-sig", nul)


def _delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in DELIMITERS}
    best = max(counts, key=counts.__getitem__)
    return best if counts[best] else ","


def _unique_headers(raw: list[str]) -> list[str]:
    if len(raw) > MAX_COLUMNS:
        raise UnreadableFile(
            _("This file has more than %(max)d columns: it is not a list of contacts.")
            % {"max": MAX_COLUMNS}
        )
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
    if start[:8] == OLE2:
        raise UnreadableFile(
            _(
                "This is an old Excel file (.xls) or another Office document: save it as XLSX or CSV."
            )
        )
    if start[:4] == b"PK\x03\x04" or path.suffix.lower() in {".xlsx", ".xlsm"}:
        return True
    if b"\x00" in start and not _utf16(start):
        raise UnreadableFile(_("This is not a text (CSV) or XLSX file."))
    return False


def _check_xlsx_size(path: Path) -> None:
    """Refuse a zip that unpacks to more than the setting, from its directory alone. The
    declared sizes hold: Python's zipfile stops at them and fails on the checksum."""
    limit = settings.IMPORT_XLSX_MAX_UNCOMPRESSED_MB
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            unpacked = sum(info.file_size for info in infos)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise UnreadableFile(
            _("This XLSX file cannot be opened: it is damaged or not an XLSX file.")
        ) from None
    names = {info.filename for info in infos}
    # The parts openpyxl parses whole on opening (styles, workbook, theme, properties) are
    # small in any real file; bounded, they keep the upload request's reading small too.
    for info in infos:
        opened_whole = info.filename.endswith((".xml", ".rels")) and not (
            info.filename.startswith("xl/worksheets/") or info.filename == "xl/sharedStrings.xml"
        )
        if opened_whole and info.file_size > OPENED_PART_MAX_MB * 1024 * 1024:
            raise UnreadableFile(
                _("This XLSX file has an unusually large part (%(name)s): save it as CSV.")
                % {"name": info.filename[:100]}
            )
    if "content.xml" in names and "xl/workbook.xml" not in names:
        raise UnreadableFile(
            _("This is an OpenDocument spreadsheet (.ods): save it as XLSX or CSV.")
        )
    if unpacked > limit * 1024 * 1024:
        raise UnreadableFile(
            _(
                "This XLSX file holds %(size)d MB once unpacked, more than the %(limit)d MB "
                "allowed. Save it as CSV, or split it."
            )
            % {"size": unpacked // (1024 * 1024), "limit": limit}
        )


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
        workbook = _open_workbook(path)
        try:
            return workbook.worksheets[0].max_row or 0
        finally:
            workbook.close()
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


def _first_line(handle) -> str:
    """The start of the first non-blank line, read in bounded pieces (a file may be one
    300 MB line)."""
    while piece := handle.readline(SNIFF_CHARS):
        if piece.strip():
            return piece
    return ""


def _rows(reader, reasons: dict[str, str]) -> Iterator[tuple[int, int, list[str] | None, str]]:
    """(first line, last line, row, "") for each row the csv module reads, (first line, last
    line, None, reason) for one it refuses, so that one bad row is reported, not the whole
    file lost. A row spans several lines when a quoted cell holds line breaks, or when a
    quote was left open."""
    while True:
        first = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            limit = csv.field_size_limit()
            reason = (
                _("a cell is longer than %(limit)d characters") % {"limit": limit}
                if "field limit" in str(exc)
                else reasons["unreadable"]
            )
            yield first, reader.line_num, None, reason
            continue
        yield first, reader.line_num, row, ""


def _spanning(first: int, last: int, reason: str) -> str:
    """A bad row's reason, saying where it ends when that is not where it starts."""
    if last <= first:
        return reason
    return _("%(reason)s (lines %(first)d to %(last)d: a quote left open?)") % {
        "reason": reason,
        "first": first,
        "last": last,
    }


def _iter_csv(path: Path, chunk_rows: int) -> Iterator[Table]:
    encoding, may_hold_nul = _encoding(path)
    # Windows-1252 leaves five bytes undefined: a stray one is not worth losing the file.
    errors = "replace" if encoding == "cp1252" else "strict"
    with path.open(encoding=encoding, errors=errors, newline="") as handle:
        delimiter = _delimiter(_first_line(handle))
        handle.seek(0)
        reasons = {
            "unreadable": _("this line cannot be read as CSV"),
            "nul": _("this line holds a NUL character (binary data)"),
        }
        reader = _rows(csv.reader(handle, delimiter=delimiter), reasons)
        header_row = None
        for first, last, row, reason in reader:
            if row is None:
                raise UnreadableFile(
                    _("Line %(line)d, the column names: %(reason)s.")
                    % {"line": first, "reason": _spanning(first, last, reason)}
                )
            if any(cell.strip() for cell in row):
                header_row = row
                break
        if header_row is None:
            raise UnreadableFile(_("The file is empty."))
        if any("\x00" in cell for cell in header_row):
            raise UnreadableFile(_("This is not a text (CSV) or XLSX file."))
        headers = _unique_headers(header_row)
        width = len(headers)
        label = {"utf-8-sig": "utf-8", "utf-16": "utf-16"}.get(encoding, "windows-1252")
        produced = False
        while True:
            values: list[list[str]] = [[] for _ in headers]
            lines: list[int] = []
            bad: list[tuple[int, str]] = []
            taken = 0  # rows kept or refused; blank lines are not counted
            for first, line, row, reason in reader:
                if row is None:
                    bad.append((first, _spanning(first, line, reason)))
                elif not any(cell.strip() for cell in row):
                    continue  # blank line
                elif may_hold_nul and "\x00" in "".join(row):
                    # PostgreSQL's text cannot hold a NUL; looked for only if the file has one.
                    bad.append((first, _spanning(first, line, reasons["nul"])))
                else:
                    if len(row) != width:
                        # Trailing empty cells are a common spreadsheet artefact, not an error.
                        if len(row) > width and not any(cell.strip() for cell in row[width:]):
                            row = row[:width]
                        else:
                            reason = f"{len(row)} fields instead of {width}"
                            bad.append((first, _spanning(first, line, reason)))
                            row = None
                    if row is not None:
                        for column, cell in zip(values, row, strict=True):
                            column.append(cell.strip())
                        lines.append(line)
                taken += 1
                if taken >= chunk_rows:
                    break
            if not taken and produced:
                return
            produced = True
            yield Table(
                headers, dict(zip(headers, values, strict=True)), lines, bad, label, delimiter
            )
            if taken < chunk_rows:
                return


def _cell(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


class _SharedStrings:
    """A workbook's shared strings, parsed only as far as the cells read so far need them:
    the first rows of a file cost what they hold, not what the whole table holds."""

    def __init__(self, source) -> None:
        self._source = source
        self._nodes = iterparse(source)
        self._tag = f"{{{SHEET_MAIN_NS}}}si"
        self._strings: list[str] = []

    def __getitem__(self, index: int) -> str:
        while len(self._strings) <= index:
            for _event, node in self._nodes:
                if node.tag == self._tag:
                    self._strings.append(Text.from_tree(node).content.replace("x005F_", ""))
                    node.clear()
                    break
            else:
                raise IndexError(index)
        return self._strings[index]

    def close(self) -> None:
        self._source.close()


def _open_workbook(path: Path):
    """The workbook, read only, with cached values for formulas and lazy shared strings."""

    class Reader(ExcelReader):
        def read_strings(self):
            part = self.package.find(SHARED_STRINGS)
            self.shared_strings = (
                _SharedStrings(self.archive.open(part.PartName[1:])) if part is not None else []
            )

    _check_xlsx_size(path)
    try:
        reader = Reader(str(path), read_only=True, data_only=True, keep_links=False)
        reader.read()
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise UnreadableFile(
            _("This XLSX file cannot be opened (%(error)s).") % {"error": exc.__class__.__name__}
        ) from None
    workbook = reader.wb
    close = workbook.close

    def close_all() -> None:
        if isinstance(reader.shared_strings, _SharedStrings):
            reader.shared_strings.close()
        close()

    workbook.close = close_all
    return workbook


def _iter_xlsx(path: Path, chunk_rows: int) -> Iterator[Table]:
    workbook = _open_workbook(path)
    try:
        if not workbook.worksheets:
            raise UnreadableFile(_("The first sheet is empty."))
        sheet = workbook.worksheets[0]
        # The size a sheet declares is not trusted: read naively, a sheet claiming
        # A1:XFD1048576 pads every row it skips to 16,384 empty cells.
        sheet.reset_dimensions()
        header_line, header_row = 0, None
        for line, row in _xlsx_rows(sheet, max_col=MAX_COLUMNS + 1):
            if row.count(None) == len(row):
                continue
            cells = [_cell(c) for c in row]
            if any(cells):
                header_line, header_row = line, cells
                break
        if header_row is None:
            raise UnreadableFile(_("The first sheet is empty."))
        while header_row and not header_row[-1]:
            header_row.pop()
        headers = _unique_headers(header_row)
        # The rows below, only as wide as the column names go.
        rows = _xlsx_rows(sheet, min_row=header_line + 1, max_col=len(headers))
        produced = False
        while True:
            values: list[list[str]] = [[] for _ in headers]
            lines: list[int] = []
            for line, row in rows:
                if row.count(None) == len(row):
                    continue
                cells = [_cell(c) for c in row]
                if not any(cells):
                    continue
                cells += [""] * (len(headers) - len(cells))
                for column, cell in zip(values, cells, strict=True):
                    column.append(cell)
                lines.append(line)
                if len(lines) >= chunk_rows:
                    break
            if not lines and produced:
                return
            produced = True
            yield Table(headers, dict(zip(headers, values, strict=True)), lines, [], "xlsx", "")
            if len(lines) < chunk_rows:
                return
    finally:
        workbook.close()


def _xlsx_rows(sheet, *, min_row: int = 1, max_col: int) -> Iterator[tuple[int, tuple]]:
    """(line, values) of each row from `min_row`, at most `max_col` wide; a broken part of
    the sheet is an unreadable file."""
    try:
        rows = sheet.iter_rows(min_row=min_row, max_col=max_col, values_only=True)
        yield from enumerate(rows, start=min_row)
    except UnreadableFile:
        raise
    except Exception as exc:  # a damaged sheet, a string index that is not there…
        raise UnreadableFile(
            _("This XLSX file cannot be read (%(error)s).") % {"error": exc.__class__.__name__}
        ) from None
