"""Dates as people here mean them: in Europe/London."""

from datetime import datetime
from zoneinfo import ZoneInfo

from analysis.periods import today_in_london

LONDON = ZoneInfo("Europe/London")

__all__ = ["LONDON", "london_time", "today_in_london"]


def london_time(moment: datetime) -> str:
    """An instant as a clock in London shows it: "5 December 2026 at 9:05am"."""
    local = moment.astimezone(LONDON)
    return f"{local:%-d %B %Y} at {local:%-I:%M}{local:%p}".replace("AM", "am").replace("PM", "pm")
