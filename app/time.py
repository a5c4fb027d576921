"""Dates as people here mean them: in Europe/London."""

from zoneinfo import ZoneInfo

from analysis.periods import today_in_london

LONDON = ZoneInfo("Europe/London")

__all__ = ["LONDON", "today_in_london"]
