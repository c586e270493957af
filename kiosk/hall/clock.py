"""Times as the hall reckons them: the business day (which starts at the reset hour) and local clock times."""

from __future__ import annotations

from datetime import date, datetime, timedelta


def business_day(t: float, reset_hour: int) -> date:
    """The day a moment belongs to: with the reset at 04:00, 02:00 on the 6th is still the 5th."""
    return (datetime.fromtimestamp(t) - timedelta(hours=reset_hour)).date()


def day_start(day: date, reset_hour: int) -> float:
    """When ``day`` began (its reset hour), Unix time."""
    return datetime(day.year, day.month, day.day, reset_hour).timestamp()


def iso(t: float) -> str:
    """Local time with its offset, to the millisecond (the protocol's time format)."""
    return datetime.fromtimestamp(t).astimezone().isoformat(timespec="milliseconds")


def clock_time(t: float) -> str:
    """``HH:MM`` local."""
    return datetime.fromtimestamp(t).strftime("%H:%M")


def at_clock(day: date, hhmm: str) -> float:
    """Unix time of ``HH:MM`` on the calendar date ``day`` (local)."""
    hours, minutes = (int(part) for part in hhmm.split(":"))
    return datetime(day.year, day.month, day.day, hours, minutes).timestamp()
