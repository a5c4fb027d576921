"""Reading an import file (CSV, or XLSX as the officer downloads it) into header and
rows, with problems named by row and column."""

import codecs
import csv
import datetime as dt
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from openpyxl import load_workbook

from app.text import printable

# Every XLSX file is a ZIP archive, and starts as one does.
XLSX_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True)
class ImportProblem:
    row: int | None  # as a spreadsheet numbers it: the header is row 1
    column: str | None
    message: str

    def __str__(self) -> str:
        where = [
            f"row {self.row}" if self.row else "",
            f"column {self.column}" if self.column else "",
        ]
        prefix = ", ".join(part for part in where if part)
        return f"{prefix}: {self.message}" if prefix else self.message


class ImportRejected(Exception):
    """The file cannot be imported; every problem found is listed, and nothing was changed."""

    def __init__(self, problems: list[ImportProblem]):
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))


@dataclass(frozen=True)
class CsvRow:
    number: int
    cells: dict[str, str]


def read_table(path: Path) -> tuple[list[str], list[CsvRow]]:
    """The header and the rows of a UTF-8 CSV file, or of the first sheet of an XLSX
    workbook (such as the officer's download), or ImportRejected if its shape is wrong.

    Control characters other than tab and line breaks are taken out of every cell
    (`app.text.printable`), so none is stored or echoed in a message; a NUL byte rejects
    a CSV file, since it means the file is not text.
    """
    try:
        data = path.read_bytes()
    except OSError as error:
        raise _rejected(f"cannot read the file: {error.strerror}") from None
    problems: list[ImportProblem] = []
    if data.startswith(XLSX_MAGIC):
        lines = _xlsx_lines(data)
    else:
        # Not str.splitlines, which also splits at U+2028, U+0085 and other characters
        # that are ordinary text inside a cell.
        lines = _numbered(csv.reader(io.StringIO(_text(data), newline=""), strict=True), problems)
    try:
        _first, names = next(lines)
    except StopIteration:  # no rows, or a header that is not valid CSV
        raise ImportRejected(problems or [ImportProblem(None, None, "the file is empty")]) from None
    header = [printable(name).strip() for name in names]
    problems += [
        ImportProblem(1, name or f"#{i + 1}", "this column name is empty or repeated")
        for i, name in enumerate(header)
        if not name or header.index(name) != i
    ]
    rows: list[CsvRow] = []
    for number, cells in lines:
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            problems.append(
                ImportProblem(
                    number, None, f"has {len(cells)} cells but the header has {len(header)}"
                )
            )
            continue
        rows.append(
            CsvRow(
                number,
                {name: printable(cell).strip() for name, cell in zip(header, cells, strict=True)},
            )
        )
    if problems:
        raise ImportRejected(problems)
    return header, rows


def _xlsx_lines(data: bytes) -> Iterator[tuple[int, list[str]]]:
    """The rows of the workbook's first sheet, numbered from 1, each cell as text, as
    wide as the header: a spreadsheet may keep empty cells beyond it."""
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        values = list(sheet.iter_rows(values_only=True))
    # A damaged workbook can fail in openpyxl, zipfile or the XML parser in many ways
    # (BadZipFile, KeyError, ParseError...); each means the same to the officer.
    except Exception:
        raise _rejected(
            "the file is not a workbook that can be read; save it as 'CSV UTF-8'"
        ) from None
    width = len(_without_empty_end([_cell_text(value) for value in values[0]])) if values else 0
    for number, row in enumerate(values, start=1):
        cells = _without_empty_end([_cell_text(value) for value in row])
        yield number, cells + [""] * (width - len(cells))


def _without_empty_end(cells: list[str]) -> list[str]:
    while cells and not cells[-1]:
        cells = cells[:-1]
    return cells


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value)


def _text(data: bytes) -> str:
    """DATA as text, or ImportRejected saying in one line why it is not UTF-8 text."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise _rejected("the file is UTF-16 text; save it as 'CSV UTF-8'")
    if b"\x00" in data:
        raise _rejected(
            f"the file has a NUL byte (byte {data.index(0)}), so it is not text; "
            "save it as 'CSV UTF-8'"
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise _rejected(
            f"the file is not UTF-8 text (byte {error.start}); save it as 'CSV UTF-8'"
        ) from None
    # Spreadsheets often add a byte-order mark, and a file saved twice may carry two.
    return text.lstrip("\ufeff")


def _rejected(message: str) -> ImportRejected:
    return ImportRejected([ImportProblem(None, None, message)])


def _numbered(reader, problems: list[ImportProblem]) -> Iterator[tuple[int, list[str]]]:
    number = 0
    while True:
        number += 1
        try:
            yield number, next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            problems.append(ImportProblem(number, None, f"not valid CSV: {error}"))
            return
