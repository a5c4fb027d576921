"""Pieces the model modules share."""

from enum import StrEnum

from sqlalchemy import CheckConstraint


def one_of(column: str, enum: type[StrEnum]) -> CheckConstraint:
    values = ", ".join(f"'{member.value}'" for member in enum)
    return CheckConstraint(f"{column} IN ({values})", name=f"{column}_valid")
