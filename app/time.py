"""Dates as people here mean them: in Europe/London."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from analysis.periods import today_in_london

LONDON = ZoneInfo("Europe/London")

__all__ = [
    "LONDON",
    "age_in_words",
    "date_in_words",
    "london_day",
    "london_time",
    "today_in_london",
]


def london_day(moment: datetime) -> date:
    """The Europe/London date of an aware instant: the day a response counts on."""
    return moment.astimezone(LONDON).date()


def london_time(moment: datetime) -> str:
    """An instant as a clock in London shows it: "5 December 2026 at 9:05am"."""
    local = moment.astimezone(LONDON)
    clock = f"{local:%-I:%M}{local:%p}".replace("AM", "am").replace("PM", "pm")
    return f"{date_in_words(local.date())} at {clock}"


def date_in_words(value: date | datetime | str) -> str:
    """VALUE as people here write a date: "15 January 2027", never "2027-01-15".

    A date-time (or an ISO 8601 text of one, as a published report keeps its dates) is
    shown on its Europe/London date; a time with no zone is taken to be UTC, as stored.
    """
    if isinstance(value, str):
        value = datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
    if isinstance(value, datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=UTC)
        value = london_day(aware)
    return f"{value.day} {value:%B %Y}"


def age_in_words(moment: datetime, now: datetime) -> str:
    """How long before NOW MOMENT was, as people say it: "just now", "5 minutes ago",
    "3 hours ago", "2 days ago" (whole units, rounded down)."""
    minutes = int((now - moment).total_seconds() // 60)
    for size, unit in ((24 * 60, "day"), (60, "hour"), (1, "minute")):
        if minutes >= size:
            count = minutes // size
            return f"{count} {unit}{'' if count == 1 else 's'} ago"
    return "just now"
