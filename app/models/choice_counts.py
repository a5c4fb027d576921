"""How many responses chose each answer of a choice question: what a report's option
tables add up (app/choice_counts.py keeps them)."""

from datetime import date

from sqlalchemy import BigInteger, Date, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base


class ChoiceCount(Base):
    """How many counted responses (not held back) to one survey on one day (Europe/London)
    gave one answer to one choice question; the answer "" (never an option id) counts
    those who answered the question at all, a report's base.

    A multiple-choice answer counts once under each option chosen. Answers are kept as
    given, so a survey edit needs no recount: a report picks the options the survey has
    now. Kept in the transaction that stores, erases, purges, holds or releases a
    response (app/choice_counts.py); `flask counts rebuild` makes it afresh.
    """

    __tablename__ = "choice_counts"

    survey_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    question: Mapped[str] = mapped_column(String(64), primary_key=True)
    # An option id, or one no longer offered, as stored: hence text of any length.
    answer: Mapped[str] = mapped_column(Text, primary_key=True)
    responses: Mapped[int] = mapped_column(BigInteger, default=0)
