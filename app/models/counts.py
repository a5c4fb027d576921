"""The counts the outcome measures are added up from (app/counts.py keeps them)."""

from datetime import date

from sqlalchemy import BigInteger, Date, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base


class MeasureCount(Base):
    """How many counted responses of one day, month or academic year are in one measure's
    numerator and base, overall or in one category of one breakdown.

    Kept in the transaction that stores, erases, purges, holds or releases a response
    (app/counts.py), so that any period or date range is a sum of a few hundred rows
    rather than a read of every answer. `flask counts rebuild` makes it afresh from the
    responses and `flask counts check` compares the two.
    """

    __tablename__ = "measure_counts"

    # "day", "month" or "year" (academic, from 1 September); `start` is its first date.
    grain: Mapped[str] = mapped_column(String(5), primary_key=True)
    start: Mapped[date] = mapped_column(Date, primary_key=True)
    measure: Mapped[str] = mapped_column(String(80), primary_key=True)
    dimension: Mapped[str] = mapped_column(String(20), primary_key=True)
    # An answer the survey did not offer is counted under its own text, as the full
    # computation shows it: hence text of any length.
    category: Mapped[str] = mapped_column(Text, primary_key=True)
    numerator: Mapped[int] = mapped_column(BigInteger, default=0)
    base: Mapped[int] = mapped_column(BigInteger, default=0)
