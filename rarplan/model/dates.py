"""Dates and times of day, as every stage reads and counts them.

- `add_months`: calendar months, clamped to the end of a shorter month (31 Jan + 1 month is
  28 Feb, or 29 Feb in a leap year): how an order's length and the enforcement window are
  counted.
- `HHMM`: a time of day on the 24-hour clock, "09:30"; the pattern for pydantic
  (`Field(pattern=HHMM)`), with `minutes_of` and `hhmm` to count in minutes.
- `parse_date` (YYYY-MM-DD, or DD/MM/YYYY as officers write it in spreadsheets), for files,
  and `read_date`, the same for a date typed at an option or a prompt: ValueError with the
  words users see.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime

# 00:00 to 23:59, two digits each.
HHMM = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"


def add_months(day: date, months: int) -> date:
    """The same day number `months` later (or earlier when negative), clamped to the end of a
    shorter month: 31 Jan + 1 month is 28 Feb (29 Feb in a leap year)."""
    index = day.year * 12 + day.month - 1 + months
    year, month0 = divmod(index, 12)
    last = calendar.monthrange(year, month0 + 1)[1]
    return date(year, month0 + 1, min(day.day, last))


def minutes_of(text: str) -> int:
    """Minutes since midnight of an "HH:MM" time (checked against `HHMM` beforehand)."""
    hours, _, minutes = text.partition(":")
    return int(hours) * 60 + int(minutes)


def hhmm(minutes: int) -> str:
    """An "HH:MM" time from minutes since midnight."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


_ISO = re.compile(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})$")
_UK = re.compile(r"^([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})$")


def read_date(text: str) -> date:
    """A date typed or read as text, YYYY-MM-DD or DD/MM/YYYY (`parse_date`); ValueError
    saying what to write."""
    found = parse_date(text)
    assert isinstance(found, date)  # text always gives a date or raises
    return found


def parse_date(value: object) -> object:
    """A date from YYYY-MM-DD or DD/MM/YYYY text (day first, as in England and Wales; a day or
    month may be one digit); a date and time is refused; other values are passed on unchanged
    (for a pydantic `mode="before"` validator to let the type check them).

    Only these two forms, not the others `date.fromisoformat` reads ("2027-W02-1",
    "20270111"): what is accepted is what the messages say."""
    if isinstance(value, datetime):
        raise ValueError("must be a date (YYYY-MM-DD), not a date and time")
    if not isinstance(value, str):
        return value
    text = value.strip()
    iso, uk = _ISO.match(text), _UK.match(text)
    try:
        if iso is not None:
            year, month, day = map(int, iso.groups())
            return date(year, month, day)
        if uk is not None:
            day, month, year = map(int, uk.groups())
            return date(year, month, day)
    except ValueError:
        pass
    raise ValueError(f"'{text}' is not a date; write YYYY-MM-DD (or DD/MM/YYYY)")
