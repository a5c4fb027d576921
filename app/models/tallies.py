"""How many responses each survey has by day, audience, area, channel and whether held
back: what the staff pages count (app/tallies.py keeps them)."""

from datetime import date

from sqlalchemy import BigInteger, Boolean, Date, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base


class ResponseTally(Base):
    """How many responses to one survey on one day (Europe/London) have one audience,
    area, channel, and are held back (quarantined) or not.

    Kept in the transaction that stores, erases, purges, holds or releases a response
    (app/tallies.py), so that the Surveys page, a survey's page and the downloads page's
    charts add up a few thousand rows rather than count a million responses, and never
    read an answer's JSON to find its area. `flask counts rebuild` makes it afresh.
    """

    __tablename__ = "response_tallies"

    survey_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    audience: Mapped[str] = mapped_column(String(20), primary_key=True)
    # The `area` answer as the staff pages group it: "not_stated" when there is none or
    # it is "prefer not to say", else its text (an option id, or one no longer offered).
    area: Mapped[str] = mapped_column(Text, primary_key=True)
    channel: Mapped[str] = mapped_column(String(10), primary_key=True)
    held: Mapped[bool] = mapped_column(Boolean, primary_key=True)
    responses: Mapped[int] = mapped_column(BigInteger, default=0)
