"""Reading an import CSV into header and rows, with problems named by row and column."""

import codecs
import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from app.text import printable


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


def read_csv(path: Path) -> tuple[list[str], list[CsvRow]]:
    """The header and the rows of a UTF-8 CSV file, or ImportRejected if its shape is wrong.

    Control characters other than tab and line breaks are taken out of every cell
    (`app.text.printable`), so none is stored or echoed in a message; a NUL byte rejects
    the file, since it means the file is not text.
    """
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ImportRejected(
            [ImportProblem(None, None, f"cannot read the file: {error.strerror}")]
        ) from None
    text = _text(data)
    # Not str.splitlines, which also splits at U+2028, U+0085 and other characters that
    # are ordinary text inside a cell.
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [printable(name).strip() for name in next(reader)]
    except StopIteration:
        raise ImportRejected([ImportProblem(None, None, "the file is empty")]) from None
    except csv.Error as error:
        raise ImportRejected([ImportProblem(1, None, f"not valid CSV: {error}")]) from None

    problems = [
        ImportProblem(1, name or f"#{i + 1}", "this column name is empty or repeated")
        for i, name in enumerate(header)
        if not name or header.index(name) != i
    ]
    rows: list[CsvRow] = []
    for number, cells in _numbered(reader, problems):
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
    number = 1
    while True:
        number += 1
        try:
            yield number, next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            problems.append(ImportProblem(number, None, f"not valid CSV: {error}"))
            return
