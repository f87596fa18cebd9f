"""The bank-holiday table the scheduler reads (rarplan/schedule/bank_holidays.json) against
the `holidays` package it is made from (scripts/bank_holidays.py): they must agree for every
year the table covers, names included, so the table cannot drift from `holidays`."""

from __future__ import annotations

import json
from datetime import date
from importlib import resources

import holidays

from rarplan.schedule.calendar import bank_holiday_table, bank_holidays


def _table() -> dict[str, object]:
    text = resources.files("rarplan.schedule").joinpath("bank_holidays.json").read_text("utf-8")
    result: dict[str, object] = json.loads(text)
    return result


def test_table_equals_holidays_for_every_year_it_covers() -> None:
    raw = _table()
    first, last = raw["first_year"], raw["last_year"]
    assert isinstance(first, int) and isinstance(last, int)
    expected = holidays.country_holidays("GB", subdiv="ENG", years=range(first, last + 1))
    assert raw["dates"] == {d.isoformat(): name for d, name in expected.items()}, (
        "bank_holidays.json differs from `holidays`: run `make bank-holidays`"
    )


def test_the_table_covers_the_years_plans_are_made_for() -> None:
    years, _ = bank_holiday_table()
    assert years.start <= 2015 and years.stop - 1 >= 2045


def test_years_outside_the_table_come_from_holidays() -> None:
    years, _ = bank_holiday_table()
    for year in (years.start - 1, years.stop):
        expected = holidays.country_holidays("GB", subdiv="ENG", years=year)
        assert bank_holidays(year) == frozenset(expected), year
    assert date(years.stop, 12, 25) in bank_holidays(years.stop)
