"""The date helpers (rarplan.model.dates): calendar months, times of day, dates people type."""

from __future__ import annotations

import calendar
from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel, Field, ValidationError

from rarplan.model.dates import (
    HHMM,
    add_months,
    hhmm,
    minutes_of,
    parse_date,
    read_date,
)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2027, 1, 4), 12, date(2028, 1, 4)),
        (date(2027, 1, 31), 1, date(2027, 2, 28)),  # clamped to the end of February
        (date(2028, 1, 31), 1, date(2028, 2, 29)),  # a leap year: 29 Feb
        (date(2028, 2, 29), 12, date(2029, 2, 28)),  # 29 Feb + a year: no 29 Feb then
        (date(2028, 2, 29), 48, date(2032, 2, 29)),
        (date(2027, 3, 31), -1, date(2027, 2, 28)),  # counting back (the enforcement window)
        (date(2027, 1, 15), -12, date(2026, 1, 15)),
        (date(2027, 11, 30), 3, date(2028, 2, 29)),
        (date(2027, 12, 31), 1, date(2028, 1, 31)),  # across the year end
        (date(2027, 5, 31), 0, date(2027, 5, 31)),
    ],
)
def test_add_months_clamps_to_the_end_of_a_shorter_month(day, months, expected):
    assert add_months(day, months) == expected


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)), st.integers(-600, 600))
def test_add_months_keeps_the_day_unless_the_month_is_shorter(day, months):
    moved = add_months(day, months)
    assert (moved.year * 12 + moved.month) - (day.year * 12 + day.month) == months
    last = calendar.monthrange(moved.year, moved.month)[1]
    assert moved.day == min(day.day, last)


class _Time(BaseModel):
    start: str = Field(pattern=HHMM)


@pytest.mark.parametrize("text", ["00:00", "09:30", "13:05", "19:59", "23:59"])
def test_hhmm_accepts_times_of_day(text):
    assert _Time(start=text).start == text
    assert hhmm(minutes_of(text)) == text


@pytest.mark.parametrize("text", ["24:00", "9:30", "09:60", "0930", "09:30:00", "6pm", " 09:30"])
def test_hhmm_refuses_anything_else(text):
    with pytest.raises(ValidationError):
        _Time(start=text)


def test_minutes_of_and_hhmm():
    assert minutes_of("14:00") == 840
    assert hhmm(17 * 60 + 30) == "17:30"


def test_read_date_takes_both_forms_and_says_what_to_write():
    """Issue 20: DD/MM/YYYY and YYYY-MM-DD accepted everywhere a date is typed."""
    assert read_date(" 2027-01-04 ") == date(2027, 1, 4)
    assert read_date("04/01/2027") == date(2027, 1, 4)
    with pytest.raises(ValueError, match="'31/02/2027' is not a date; write YYYY-MM-DD"):
        read_date("31/02/2027")


def test_parse_date_takes_the_uk_form_too_but_not_a_date_and_time():
    assert parse_date("2027-01-04") == date(2027, 1, 4)
    assert parse_date("04/01/2027") == date(2027, 1, 4)  # day first, as in England and Wales
    assert parse_date(date(2027, 1, 4)) == date(2027, 1, 4)
    assert parse_date(7) == 7  # left for the model's own type check
    with pytest.raises(ValueError, match="'11 Jan' is not a date"):
        parse_date("11 Jan")
    with pytest.raises(ValueError, match="not a date and time"):
        parse_date(datetime(2027, 1, 4, 10, 0))


@given(st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)))
def test_parse_date_reads_every_date_in_both_forms(day):
    """Any date, written YYYY-MM-DD or DD/MM/YYYY (with or without leading zeros), is read
    back as itself (the wizard and the files take both; issue 20)."""
    assert parse_date(f"{day.year:04d}-{day.month:02d}-{day.day:02d}") == day
    assert parse_date(f"{day.day:02d}/{day.month:02d}/{day.year:04d}") == day
    assert parse_date(f"{day.day}/{day.month}/{day.year:04d}") == day


@given(st.text(max_size=20))
def test_parse_date_gives_a_date_or_says_what_to_write(text):
    """Whatever is typed: a date, or ValueError naming both forms; nothing else."""
    try:
        result = parse_date(text)
    except ValueError as exc:
        assert "write YYYY-MM-DD (or DD/MM/YYYY)" in str(exc)
    else:
        assert isinstance(result, date)


@pytest.mark.parametrize("text", ["20270111", "2027-W02-1", "2027-1-11", "11-01-2027", "11/01/27"])
def test_parse_date_takes_only_the_two_forms_it_names(text):
    with pytest.raises(ValueError, match="write YYYY-MM-DD"):
        parse_date(text)


def test_a_case_file_date_may_be_written_day_first():
    from rarplan.model.case import Case

    case = Case.model_validate({"crn": "X100001", "sentence": {"start_date": "11/01/2027"}})
    assert case.sentence.start_date == date(2027, 1, 11)
