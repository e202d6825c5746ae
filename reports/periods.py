"""Report periods: ISO weeks ("2026-W47") and quarters ("2026Q3"), in Shanghai time."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from registry.timezone import SHANGHAI

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


_QUARTER = re.compile(r"^(\d{4})\s*-?\s*Q([1-4])$", re.IGNORECASE)


@dataclass(frozen=True)
class Quarter:
    year: int
    number: int

    @property
    def label(self) -> str:
        return f"{self.year}Q{self.number}"

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> dt.date:
        return self.next().start - dt.timedelta(days=1)

    def next(self) -> Quarter:
        return (
            Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)
        )

    def previous(self) -> Quarter:
        return (
            Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)
        )

    def weeks(self) -> list[Week]:
        """The ISO weeks of the quarter: those whose Thursday falls in it (the ISO rule that
        puts a week in a year), so every week belongs to exactly one quarter."""
        first = self.start + dt.timedelta(days=(3 - self.start.weekday()) % 7)  # first Thursday
        weeks, day = [], first
        while day <= self.end:
            weeks.append(week_of(day))
            day += dt.timedelta(weeks=1)
        return weeks


def quarter_of(day: dt.date) -> Quarter:
    return Quarter(day.year, (day.month - 1) // 3 + 1)


def parse_quarter(text: str) -> Quarter:
    match = _QUARTER.match(text.strip())
    if not match:
        raise ValueError(f"a quarter is written like 2026Q3, not {text!r}")
    return Quarter(int(match.group(1)), int(match.group(2)))


def latest_complete_quarter(today: dt.date | None = None) -> Quarter:
    """The quarter before the one `today` (Shanghai) falls in."""
    today = today or dt.datetime.now(SHANGHAI).date()
    return quarter_of(today).previous()
