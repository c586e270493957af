"""The daily maintenance window (setting ``maintenance_window``, local time, e.g. ``03:00-05:00``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from kiosk.config import time_window


@dataclass(frozen=True, slots=True)
class MaintenanceWindow:
    start_min: int  # minutes after local midnight
    end_min: int  # may be smaller than start: the window goes past midnight

    @classmethod
    def parse(cls, text: str) -> MaintenanceWindow:
        """The window of a setting's value (ValueError with a plain reason when it is not one)."""
        start, end = time_window(text)
        return cls(start, end)

    def contains(self, moment: datetime) -> bool:
        minute = moment.hour * 60 + moment.minute
        if self.start_min < self.end_min:
            return self.start_min <= minute < self.end_min
        return minute >= self.start_min or minute < self.end_min

    def day_of(self, moment: datetime) -> date:
        """The day a window belongs to (a window past midnight belongs to the day it started on), so that it
        runs once per window."""
        minute = moment.hour * 60 + moment.minute
        if self.start_min > self.end_min and minute < self.end_min:
            return (moment - timedelta(days=1)).date()
        return moment.date()

    def __str__(self) -> str:
        return f"{self.start_min // 60:02d}:{self.start_min % 60:02d}-{self.end_min // 60:02d}:{self.end_min % 60:02d}"
