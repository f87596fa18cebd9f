"""ARP's date rules (docs/sources/reference/arp.md, section 2): whole years and whole months as
java.time counts them, a 29 February birthday reached on 1 March, offence-free months capped
at 36.
"""

from __future__ import annotations

from datetime import date

from rarplan.assess.arp.reference import OFFENCE_FREE_MONTHS_CAP
from rarplan.model import dates
from rarplan.model.errors import InvalidInput


def whole_years(start: date, end: date) -> int:
    """Whole years from `start` to `end` (java.time Period.between(...).years).

    A birthday on 29 February is reached on 1 March in a non-leap year: on 28 February the
    person is still the younger age.
    """
    return end.year - start.year - ((end.month, end.day) < (start.month, start.day))


def whole_months(start: date, end: date) -> int:
    """Whole months from `start` to `end` (java.time ChronoUnit.MONTHS.between), `end` >= `start`.

    A month counts only when the day of the month is reached again: 31 Jan to 28 Feb is 0.
    """
    return (end.year - start.year) * 12 + (end.month - start.month) - (end.day < start.day)


def offence_free_months(follow_up_date: date, assessment_date: date) -> int:
    """Whole months in the community by the assessment, capped at 36; 0 before follow-up."""
    if assessment_date < follow_up_date:
        return 0
    return min(whole_months(follow_up_date, assessment_date), OFFENCE_FREE_MONTHS_CAP)


def parse_date(value: str | date, name: str) -> date:
    """A date given as YYYY-MM-DD or DD/MM/YYYY; refused naming the input otherwise, without
    repeating the value (a date of birth is personal data, kept out of messages)."""
    try:
        parsed = dates.parse_date(value)
    except ValueError:
        parsed = None
    if not isinstance(parsed, date):
        raise InvalidInput(
            f"{name}: not a date; write YYYY-MM-DD (or DD/MM/YYYY)", needs=(name,)
        ) from None
    return parsed
