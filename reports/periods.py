"""Report periods: ISO weeks ("2026-W47") and quarters ("2026Q3"), in Shanghai time."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")


@dataclass(frozen=True)
class Week:
    year: int
    number: int

    @property
    def label(self) -> str:
        return f"{self.year}-W{self.number:02d}"

    @property
    def start(self) -> dt.date:
        return dt.date.fromisocalendar(self.year, self.number, 1)

    @property
    def end(self) -> dt.date:
        return self.start + dt.timedelta(days=6)

    def previous(self, weeks: int = 1) -> Week:
        return week_of(self.start - dt.timedelta(weeks=weeks))


def week_of(day: dt.date) -> Week:
    year, number, _ = day.isocalendar()
    return Week(year, number)


def parse_week(text: str) -> Week:
    match = _WEEK.match(text.strip())
    if not match:
        raise ValueError(f"a week is written like 2026-W47, not {text!r}")
    year, number = int(match.group(1)), int(match.group(2))
    try:
        dt.date.fromisocalendar(year, number, 1)
    except ValueError as exc:
        raise ValueError(f"{text} is not a week of {year}") from exc
    return Week(year, number)


def latest_complete_week(today: dt.date | None = None) -> Week:
    """The ISO week before the one `today` (Shanghai) falls in."""
    today = today or dt.datetime.now(SHANGHAI).date()
    return week_of(today).previous()
