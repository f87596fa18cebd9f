"""Which dates and times a person can attend, and what is already booked on each date.

The rules (issue 3, from the RAR guidance ../shared/seeds/001_246201b7ec5ee73b.txt section 7 and
the officer's agreement with the person): no appointments on weekends or on England and Wales
bank holidays, nor on weekdays or dates the person cannot attend; no two appointments overlap.

Bank holidays come from the `holidays` package (offline data), subdivision ENG: Wales has the
same bank holidays as England. The years in bank_holidays.json are read from that table, made
from `holidays` by scripts/bank_holidays.py (a test checks the two agree), because importing
`holidays` loads every country it knows (about 100 ms of a command's start); other years ask
`holidays` itself.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable
from datetime import date, timedelta
from importlib import resources

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WEEKDAY_NAMES = (
    "Mondays",
    "Tuesdays",
    "Wednesdays",
    "Thursdays",
    "Fridays",
    "Saturdays",
    "Sundays",
)
DAY_START = 9 * 60  # flexible appointments between 09:00 ...
DAY_END = 17 * 60 + 30  # ... and 17:30
GAP = 30  # minutes left between two flexible appointments on one date (travel between places)
ONE_DAY = timedelta(days=1)


@functools.cache
def bank_holiday_table() -> tuple[range, dict[int, frozenset[date]]]:
    """The years bank_holidays.json covers, and each year's bank holidays in it."""
    table = resources.files("rarplan.schedule").joinpath("bank_holidays.json")
    raw = json.loads(table.read_text(encoding="utf-8"))
    by_year: dict[int, set[date]] = {}
    for text in raw["dates"]:
        day = date.fromisoformat(text)
        by_year.setdefault(day.year, set()).add(day)
    years = range(raw["first_year"], raw["last_year"] + 1)
    return years, {year: frozenset(by_year.get(year, ())) for year in years}


@functools.cache
def bank_holidays(year: int) -> frozenset[date]:
    """England and Wales bank holidays in a year, substitute days included."""
    years, table = bank_holiday_table()
    if year in years:
        return table[year]
    import holidays

    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())


def bank_holidays_between(first: date, last: date) -> frozenset[date]:
    found: set[date] = set()
    for year in range(first.year, last.year + 1):
        found |= bank_holidays(year)
    return frozenset(d for d in found if first <= d <= last)


class Calendar:
    """The dates from `first` to `last` the person can attend, computed once.

    `next_available` is a table look-up, so the scheduler never re-checks a date's rules.
    """

    def __init__(
        self,
        first: date,
        last: date,
        days: Iterable[str],
        unavailable: Iterable[tuple[date, date]] = (),
    ) -> None:
        self.first = first
        self.last = last
        self.weekdays = frozenset(WEEKDAYS.index(d) for d in days) - {5, 6}
        size = max((last - first).days + 1, 0)
        self._size = size
        closed = bank_holidays_between(first, last) if size else frozenset()
        free = bytearray(size)
        day = first
        for i in range(size):
            free[i] = day.weekday() in self.weekdays and day not in closed
            day += ONE_DAY
        for start, end in unavailable:
            lo = max((start - first).days, 0)
            hi = min((end - first).days, size - 1)
            for i in range(lo, hi + 1):
                free[i] = 0
        self._free = free
        # _next[i]: the first index >= i that is free (size when none).
        nxt = [size] * (size + 1)
        for i in range(size - 1, -1, -1):
            nxt[i] = i if free[i] else nxt[i + 1]
        self._next = nxt

    def available(self, day: date) -> bool:
        i = (day - self.first).days
        return 0 <= i < self._size and bool(self._free[i])

    def next_available(self, day: date) -> date | None:
        """The first date on or after `day` the person can attend, or None after the order."""
        i = max((day - self.first).days, 0)
        if i >= self._size:
            return None
        j = self._next[i]
        return None if j >= self._size else self.first + timedelta(days=j)

    def next_on_weekday(self, day: date, weekday: int) -> date | None:
        """The first attendable date on or after `day` falling on `weekday` (0 is Monday)."""
        day = max(day, self.first)
        day += timedelta(days=(weekday - day.weekday()) % 7)
        while day <= self.last:
            if self._free[(day - self.first).days]:
                return day
            day += timedelta(days=7)
        return None


class Diary:
    """What is booked on each date: times (minutes after midnight) and the RAR activities."""

    def __init__(self) -> None:
        self.busy: dict[date, list[tuple[int, int]]] = {}
        self.counting: dict[date, int] = {}
        self.counting_minutes: dict[date, int] = {}

    def book(self, day: date, start: int, minutes: int, counts: bool) -> None:
        self.busy.setdefault(day, []).append((start, start + minutes))
        if counts:
            self.counting[day] = self.counting.get(day, 0) + 1
            self.counting_minutes[day] = self.counting_minutes.get(day, 0) + minutes

    def free(self, day: date, start: int, minutes: int, gap: int = 0) -> bool:
        end = start + minutes
        return all(start >= e + gap or end + gap <= s for s, e in self.busy.get(day, ()))

    def find_time(self, day: date, minutes: int, preferred: int) -> int | None:
        """The free start nearest `preferred` within the working day, GAP from others."""
        taken = self.busy.get(day)
        if not taken:
            return preferred if preferred + minutes <= 24 * 60 else None
        candidates = {preferred}
        for s, e in taken:
            candidates.add(e + GAP)
            candidates.add(s - GAP - minutes)
        best: int | None = None
        for c in sorted(candidates, key=lambda c: (abs(c - preferred), c)):
            if c < DAY_START or c + minutes > DAY_END:
                if c != preferred:
                    continue
            if self.free(day, c, minutes, GAP):
                best = c
                break
        return best
