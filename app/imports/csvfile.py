"""Reading an import CSV into header and rows, with problems named by row and column."""

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path


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
    """The header and the rows of a UTF-8 CSV file, or ImportRejected if its shape is wrong."""
    try:
        text = path.read_text(encoding="utf-8-sig")  # spreadsheets often add a byte-order mark
    except UnicodeDecodeError as error:
        raise ImportRejected(
            [
                ImportProblem(
                    None,
                    None,
                    f"the file is not UTF-8 text (byte {error.start}); save it as 'CSV UTF-8'",
                )
            ]
        ) from None
    except OSError as error:
        raise ImportRejected(
            [ImportProblem(None, None, f"cannot read the file: {error.strerror}")]
        ) from None
    reader = csv.reader(text.splitlines(keepends=True), strict=True)
    try:
        header = [name.strip() for name in next(reader)]
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
            CsvRow(number, {name: cell.strip() for name, cell in zip(header, cells, strict=True)})
        )
    if problems:
        raise ImportRejected(problems)
    return header, rows


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
