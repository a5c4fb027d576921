"""Dates as people here mean them: in Europe/London."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


def today_in_london() -> date:
    return datetime.now(LONDON).date()


def date_in_words(value: date | datetime | str) -> str:
    """VALUE as people here write a date: "15 January 2027", never "2027-01-15".

    A date-time (or an ISO 8601 text of one, as a published report keeps its dates) is
    shown on its Europe/London date; a time with no zone is taken to be UTC, as stored.
    """
    if isinstance(value, str):
        value = datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
    if isinstance(value, datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=UTC)
        value = aware.astimezone(LONDON).date()
    return f"{value.day} {value:%B %Y}"
