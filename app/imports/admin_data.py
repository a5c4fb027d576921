"""Importing counts for the admin-data measures (numerator and denominator per period and area)."""

import re
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from analysis.definitions import ADMIN_DATA, DIMENSION_ORDERS, MEASURES
from analysis.periods import FIRST_DATE, period_containing, today_in_london
from app.imports.csvfile import ImportProblem, ImportRejected, read_table
from app.models import AdminFigure

COLUMNS = ("measure", "period", "area", "numerator", "denominator")
ADMIN_MEASURES = tuple(m.id for m in MEASURES if m.source == ADMIN_DATA)
PERIOD = re.compile(r"^(\d{4})/(\d{2})$")


@dataclass(frozen=True)
class Replacement:
    measure: str
    period: str
    area: str
    old: tuple[int, int]
    new: tuple[int, int]

    def __str__(self) -> str:
        where = self.area or "whole county"
        return (
            f"replaced {self.measure} {self.period} {where}: "
            f"{self.old[0]}/{self.old[1]} -> {self.new[0]}/{self.new[1]}"
        )


@dataclass(frozen=True)
class AdminImportSummary:
    added: int
    replaced: list[Replacement]

    def __str__(self) -> str:
        lines = [f"Imported {self.added} new figure(s); replaced {len(self.replaced)}."]
        lines.extend(f"  {replacement}" for replacement in self.replaced)
        return "\n".join(lines)


def import_admin_data(session: Session, path: Path) -> AdminImportSummary:
    """Store every row of PATH, replacing earlier figures for the same measure, period and
    area, or raise ImportRejected and store nothing. Does not commit."""
    header, rows = read_table(path)
    if tuple(header) != COLUMNS:
        raise ImportRejected(
            [
                ImportProblem(
                    1,
                    None,
                    f"the columns must be exactly: {','.join(COLUMNS)} (found: {','.join(header)})",
                )
            ]
        )
    problems: list[ImportProblem] = []
    figures: dict[tuple[str, str, str], tuple[int, int]] = {}
    first_row: dict[tuple[str, str, str], int] = {}
    for row in rows:
        cells = row.cells
        row_problems = _check(cells)
        problems.extend(
            ImportProblem(row.number, column, message) for column, message in row_problems
        )
        if row_problems:
            continue
        key = (cells["measure"], cells["period"], cells["area"])
        if key in figures:
            problems.append(
                ImportProblem(
                    row.number,
                    None,
                    f"repeats row {first_row[key]} (same measure, period and area)",
                )
            )
            continue
        figures[key] = (int(cells["numerator"]), int(cells["denominator"]))
        first_row[key] = row.number
    if problems:
        raise ImportRejected(problems)

    added, replaced = 0, []
    for (measure, period, area), (numerator, denominator) in figures.items():
        existing = session.scalar(
            select(AdminFigure).where(
                AdminFigure.measure == measure,
                AdminFigure.period == period,
                AdminFigure.area == area,
            )
        )
        if existing is None:
            session.add(
                AdminFigure(
                    measure=measure,
                    period=period,
                    area=area,
                    numerator=numerator,
                    denominator=denominator,
                )
            )
            added += 1
            continue
        old = (existing.numerator, existing.denominator)
        if old != (numerator, denominator):
            replaced.append(Replacement(measure, period, area, old, (numerator, denominator)))
            existing.numerator, existing.denominator = numerator, denominator
    return AdminImportSummary(added, replaced)


def _check(cells: dict[str, str]) -> list[tuple[str, str]]:
    problems = []
    if cells["measure"] not in ADMIN_MEASURES:
        problems.append(
            (
                "measure",
                f"'{cells['measure']}' is not an admin-data measure ({', '.join(ADMIN_MEASURES)})",
            )
        )
    match = PERIOD.match(cells["period"])
    if not match or (int(match[1]) + 1) % 100 != int(match[2]):
        problems.append(("period", f"'{cells['period']}' is not an academic year like 2025/26"))
    elif int(match[1]) < FIRST_DATE.year:
        problems.append(("period", f"'{cells['period']}' starts before {FIRST_DATE:%-d %B %Y}"))
    elif cells["period"] > period_containing(today_in_london()):
        problems.append(("period", f"'{cells['period']}' has not started yet"))
    if cells["area"] and cells["area"] not in DIMENSION_ORDERS["area"]:
        problems.append(
            ("area", f"'{cells['area']}' is not an area (leave it empty for the whole county)")
        )
    counts = {}
    for column in ("numerator", "denominator"):
        value = cells[column]
        if not (value.isascii() and value.isdigit()):
            problems.append((column, f"'{value}' is not a whole number of 0 or more"))
        else:
            counts[column] = int(value)
    if len(counts) == 2 and counts["numerator"] > counts["denominator"]:
        problems.append(
            (
                "numerator",
                f"{counts['numerator']} is more than the denominator {counts['denominator']}",
            )
        )
    return problems
