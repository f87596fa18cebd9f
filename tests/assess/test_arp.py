"""`rarplan.assess.arp`: the static 2-year All Reoffending Predictor, exact to the reference.

Source: ../shared/reference/arp.md (copied to docs/sources/reference/arp.md): section 2 (date
rules), 3 (coefficients), 4 (offence categories), 5 (score, bands, validation), 6 (the worked
example and six rows of the service's regression data).
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from rarplan.assess.arp import (
    OFFENCE_CATEGORIES,
    OFFENCE_IDS,
    arp_band,
    compute,
    offence_category,
    offence_free_months,
    parse_date,
    percentage,
    rar_band_for_arp,
    whole_months,
    whole_years,
)
from rarplan.model.dates import add_months
from rarplan.model.errors import InvalidInput

VATP = "violence_against_the_person_abh_plus"

# Reference section 6, "Worked example (the service's unit test: 13.66 %, LOW)".
WORKED: dict[str, Any] = {
    "sex": "male",
    "date_of_birth": "1990-01-01",
    "conviction_date": "2024-01-01",
    "follow_up_date": "2026-01-01",
    "assessment_date": "2025-01-01",
    "age_at_first_sanction": 18,
    "sanctions": 2,
    "offence_category": "criminal_damage",
}


def worked(**overrides: Any) -> dict[str, Any]:
    return {**WORKED, **overrides}


# --- the worked example ----------------------------------------------------------------------


def test_worked_example_every_feature_value() -> None:
    """arp.md section 6: every feature value exactly as the service's unit test asserts it."""
    result = compute(**WORKED)
    assert result.age_at_conviction == 34
    assert result.age_at_follow_up == 36  # at the start of follow-up, 2026-01-01
    assert result.years_since_first_sanction == 16
    assert result.offence_free_months == 0  # the assessment is before follow-up starts
    assert result.copas_rate is None
    f = result.features
    assert f.two_year_intercept_weight == Decimal(
        "5.01702292499072033393758829333819448947906494140625"
    )
    assert f.age_gender_polynomial_weight == Decimal(
        "-3.220386399548489196454736753494341172654458205215632915496826171875"
    )
    assert f.gender_weight == 0
    assert f.offence_group_weight == Decimal("0.12167599899735")
    assert f.first_sanction_weight == 0
    assert f.second_sanction_weight == Decimal(
        "-3.061892120459039912105936309671960771083831787109375"
    )
    assert f.total_number_of_sanctions_for_all_offences_weight == Decimal(
        "-0.00855146025699900051708635118075108039192855358123779296875"
    )
    assert f.second_sanction_gap_weight == Decimal(
        "-0.6912829426589344183895491369185037910938262939453125"
    )
    assert f.offence_free_months_weight == 0
    assert (f.copas_score, f.copas_score_squared) == (0, 0)
    assert f.total_weight == Decimal(
        "-1.843413998935392193529720257927362325744979898445308208465576171875"
    )
    assert str(result.probability).startswith("0.136648025027546689")
    assert result.score == Decimal("13.66")
    assert result.band == "LOW"


def test_worked_example_assessed_later_has_offence_free_months() -> None:
    """arp.md section 6: assessed on 2027-03-01 instead, ofm is 14 and the score 7.04."""
    result = compute(**worked(assessment_date="2027-03-01"))
    assert result.offence_free_months == 14
    assert float(result.features.offence_free_months_weight) == pytest.approx(-0.73642, abs=1e-5)
    assert result.score == Decimal("7.04")


def test_offence_free_months_polynomial_useful_values() -> None:
    """arp.md section 3, "Useful values": Q(36), Q(12) and Q(1)."""
    base = worked(follow_up_date="2020-01-01", conviction_date="2020-01-01")
    for months, expected in ((36, -1.7441426), (12, -0.6685606), (1, -0.0745644)):
        assessed = add_months(date(2020, 1, 1), months)
        result = compute(**{**base, "assessment_date": assessed})
        assert result.offence_free_months == months
        assert float(result.features.offence_free_months_weight) == pytest.approx(
            expected, abs=1e-7
        )


# --- the six examples from the regression data -----------------------------------------------

# arp.md section 6, "More examples from the regression data" (assessment date 2025-10-03):
# CSV id, inputs, (ageNow, aai, ofm), (copasScore, copasScoreSquared), total, score, band.
REGRESSION = [
    (
        1,
        ("male", "1973-09-06", 18, "1999-09-06", "2000-04-20", 3, VATP),
        (26, 26, 36),
        (-3.770252, 0.762295),
        -2.589589,
        "6.98",
        "LOW",
    ),
    (
        12,  # the 29 February rule: 20 at conviction on 2009-02-28, 21 by follow-up
        ("female", "1988-02-29", 20, "2009-02-28", "2009-10-09", 3, "handling_stolen_goods"),
        (20, 21, 36),
        (-2.202249, -0.183920),
        -2.296932,
        "9.14",
        "LOW",
    ),
    (
        3445,  # n = 1: no Copas terms
        ("male", "1911-06-11", 0, "1912-04-01", "1913-04-28", 1, VATP),
        (0, 1, 36),
        (0.0, 0.0),
        -0.926350,
        "28.37",
        "LOW",
    ),
    (
        6921,  # ofm = 0: follow-up starts on the assessment date
        ("male", "2002-06-02", 23, "2025-10-01", "2025-10-03", 3, "drug_possession_or_supply"),
        (23, 23, 0),
        (-3.353642, 0.603137),
        -0.252398,
        "43.72",
        "LOW",
    ),
    (
        1125,  # female, 77 sanctions
        ("female", "1957-09-21", 1, "1961-02-19", "1962-05-14", 77, VATP),
        (3, 4, 36),
        (1.031634, -0.040360),
        0.805205,
        "69.11",
        "MEDIUM",
    ),
    (
        5775,
        ("male", "2002-09-15", 22, "2025-08-30", "2025-09-11", 36, "criminal_damage"),
        (22, 22, 0),
        (0.505375, 0.013697),
        3.052190,
        "95.49",
        "VERY_HIGH",
    ),
]


@pytest.mark.parametrize(
    ("csv_id", "inputs", "derived", "copas", "total", "score", "band"),
    REGRESSION,
    ids=[f"csv-{row[0]}" for row in REGRESSION],
)
def test_regression_examples(
    csv_id: int,
    inputs: tuple[Any, ...],
    derived: tuple[int, int, int],
    copas: tuple[float, float],
    total: float,
    score: str,
    band: str,
) -> None:
    """arp.md section 6, "More examples from the regression data", one row each."""
    sex, dob, first, conviction, follow_up, n, category = inputs
    result = compute(
        sex=sex,
        date_of_birth=dob,
        conviction_date=conviction,
        follow_up_date=follow_up,
        assessment_date="2025-10-03",
        age_at_first_sanction=first,
        sanctions=n,
        offence_category=category,
    )
    ages = (result.age_at_conviction, result.age_at_follow_up, result.offence_free_months)
    assert ages == derived
    assert float(result.features.copas_score) == pytest.approx(copas[0], abs=1e-6)
    assert float(result.features.copas_score_squared) == pytest.approx(copas[1], abs=1e-6)
    assert float(result.features.total_weight) == pytest.approx(total, abs=1e-6)
    assert result.score == Decimal(score)
    assert result.band == band


# --- rounding, sanitising and bands (section 5) ----------------------------------------------


@pytest.mark.parametrize(
    ("score", "band"),
    [
        ("0.01", "LOW"),
        ("49.99", "LOW"),
        ("50.00", "MEDIUM"),
        ("74.99", "MEDIUM"),
        ("75.00", "HIGH"),
        ("89.99", "HIGH"),
        ("90.00", "VERY_HIGH"),
        ("99.99", "VERY_HIGH"),
    ],
)
def test_arp_bands_compare_the_rounded_score(score: str, band: str) -> None:
    """arp.md section 5, step 4: 49.99 is LOW, 50.00 is MEDIUM, 90.00 is VERY_HIGH."""
    assert arp_band(Decimal(score)) == band


@pytest.mark.parametrize(
    ("probability", "score"),
    [
        ("0.136648025027546689", "13.66"),
        ("0.12345", "12.35"),  # half-up, not half-even
        ("0.12335", "12.34"),  # 12.335 rounds up too
        ("0.499949999", "49.99"),
        ("0.49995", "50.00"),
        ("0.99994999", "99.99"),
        ("0.99995", "99.99"),  # 100.00 becomes 99.99
        ("1", "99.99"),
        ("0.00004999", "0.00"),
        ("0", "0.00"),
    ],
)
def test_rounding_half_up_and_sanitising(probability: str, score: str) -> None:
    """arp.md section 5, steps 2 and 3."""
    assert percentage(Decimal(probability)) == Decimal(score)


def test_the_highest_score_within_the_limits() -> None:
    """A man sanctioned 549 times by the age of 0 to 1 scores 99.99, the highest possible."""
    result = compute(
        sex="male",
        date_of_birth="2000-01-01",
        conviction_date="2000-06-01",
        assessment_date="2000-06-01",
        age_at_first_sanction=0,
        sanctions=549,
        offence_category="drunkenness",
    )
    assert result.score == Decimal("99.99")
    assert result.band == "VERY_HIGH"


def test_a_score_rounding_to_zero_is_refused() -> None:
    """arp.md section 5, step 3: 0.00 gets no band, so in effect no score is given."""
    with pytest.raises(InvalidInput, match=r"no ARP score: .*0\.00%"):
        compute(
            sex="female",
            date_of_birth="1900-06-01",
            conviction_date="2005-06-01",
            assessment_date="2010-01-01",
            age_at_first_sanction=105,
            sanctions=1,
            offence_category="welfare_fraud",
        )


def test_follow_up_defaults_to_the_conviction_date() -> None:
    """arp.md section 1: if the follow-up date is absent, use the conviction date."""
    absent = compute(**{k: v for k, v in WORKED.items() if k != "follow_up_date"})
    same = compute(**worked(follow_up_date=WORKED["conviction_date"]))
    assert absent.follow_up_date == date(2024, 1, 1) and not absent.follow_up_date_given
    assert absent.age_at_follow_up == 34 and absent.offence_free_months == 12
    assert absent.score == same.score


# --- offence categories (section 4) ----------------------------------------------------------


def test_the_24_categories_and_their_weights() -> None:
    """arp.md section 4: 24 categories; the five VATP ones share a weight, Robbery has its own."""
    assert len(OFFENCE_CATEGORIES) == 24 == len(set(OFFENCE_IDS))
    vatp = {
        "violence_against_the_person_abh_plus",
        "violence_against_the_person_sub_abh",
        "weapons_non_firearm",
        "firearms_most_serious",
        "firearms_other",
    }
    weights = {c.id: c.weight for c in OFFENCE_CATEGORIES}
    assert {weights[v] for v in vatp} == {Decimal("-0.110075583936778")}
    assert weights["acquisitive_violence"] == Decimal("-0.119211282701221")
    assert weights["welfare_fraud"] == Decimal("-1.15395495579948")
    assert "unknown" not in weights


@pytest.mark.parametrize(
    "spelling",
    [
        "PUBLIC_ORDER_AND_HARRASSMENT",
        "public_order_and_harrassment",
        "public-order-and-harassment",
        " Public Order And Harassment ",
    ],
)
def test_category_spellings_are_forgiven(spelling: str) -> None:
    assert offence_category(spelling).service_name == "PUBLIC_ORDER_AND_HARRASSMENT"


# --- validation (section 5, "Validation"): each rule -----------------------------------------


def refused(**overrides: Any) -> InvalidInput:
    with pytest.raises(InvalidInput) as info:
        compute(**worked(**overrides))
    return info.value


@pytest.mark.parametrize("n", [0, -1, 1000])
def test_sanctions_outside_1_to_999_are_refused(n: int) -> None:
    err = refused(sanctions=n)
    assert err.message.startswith("sanctions: must be from 1 to 999")
    assert err.needs == ("sanctions",)


def test_sanctions_at_the_limits_are_accepted() -> None:
    assert compute(**worked(sanctions=1)).score > 0
    assert compute(**worked(sanctions=999)).score > 0


@pytest.mark.parametrize("age", [-1, 110])
def test_age_at_first_sanction_outside_0_to_109_is_refused(age: int) -> None:
    err = refused(age_at_first_sanction=age)
    assert "age_at_first_sanction: must be from 0 to 109" in err.problems[0]
    assert "age_at_first_sanction" in err.needs


@pytest.mark.parametrize("conviction", ["1990-01-01", "1989-12-31"])
def test_conviction_on_or_before_birth_is_refused(conviction: str) -> None:
    err = refused(conviction_date=conviction, follow_up_date="2026-01-01")
    assert err.message == f"conviction_date: {conviction} must be after date_of_birth 1990-01-01"


def test_first_sanction_older_than_the_age_at_conviction_is_refused() -> None:
    err = refused(age_at_first_sanction=35)  # 34 at the conviction
    assert err.message.startswith("age_at_first_sanction: 35 is older than the age at the current")
    assert compute(**worked(age_at_first_sanction=34)).years_since_first_sanction == 0


def test_conviction_more_than_3_months_after_assessment_is_refused() -> None:
    """The service's `conviction.isAfter(assessment.plusMonths(3))`, day clamped to month end."""
    err = refused(assessment_date="2023-09-30", follow_up_date=None)
    assert err.message == (
        "conviction_date: 2024-01-01 is more than 3 months after assessment_date 2023-09-30; "
        "it must be on or before 2023-12-30"
    )
    assert compute(**worked(assessment_date="2023-10-01")).offence_free_months == 0
    # 30 November + 3 months is 29 February 2024 (clamped), so 1 March is too late.
    late = worked(assessment_date="2023-11-30", conviction_date="2024-03-01")
    with pytest.raises(InvalidInput, match="on or before 2024-02-29"):
        compute(**late)
    compute(**{**late, "conviction_date": "2024-02-29"})


@pytest.mark.parametrize("follow_up", ["1990-01-01", "1980-01-01"])
def test_follow_up_on_or_before_birth_is_refused(follow_up: str) -> None:
    err = refused(follow_up_date=follow_up)
    assert err.message == f"follow_up_date: {follow_up} must be after date_of_birth 1990-01-01"


def test_age_at_follow_up_of_110_or_more_is_refused() -> None:
    err = refused(follow_up_date="2100-01-01")
    assert err.message.startswith(
        "follow_up_date: the age at the start of follow-up (110 on 2100-01-01)"
    )
    assert "must be under 110" in err.message
    with pytest.raises(InvalidInput, match="no ARP score"):  # 109 passes validation
        compute(**worked(follow_up_date="2099-01-01"))
    # Without a follow-up date, the conviction date is the one to correct.
    err = refused(follow_up_date=None, conviction_date="2100-01-01", assessment_date="2100-01-01")
    assert err.message.startswith("conviction_date: the age at the start of follow-up (110 on")
    assert err.needs == ("conviction_date", "date_of_birth")


def test_a_conviction_before_birth_is_one_problem_without_a_follow_up_date() -> None:
    err = refused(follow_up_date=None, conviction_date="1980-01-01")
    assert err.problems == ["conviction_date: 1980-01-01 must be after date_of_birth 1990-01-01"]


def test_unknown_category_is_refused_with_the_allowed_values() -> None:
    """arp.md section 4: UNKNOWN and unmapped categories are refused; no score is given."""
    for bad in ("unknown", "criminal_damag", "vatp"):
        err = refused(offence_category=bad)
        assert err.message.startswith(f"offence_category: unknown offence category {bad!r}")
        assert err.hint.startswith("one of: absconding_or_bail, ")
    assert "did you mean 'criminal_damage'?" in refused(offence_category="criminal_damag").message


@pytest.mark.parametrize("sex", ["", "unknown", "m"])
def test_sex_must_be_male_or_female(sex: str) -> None:
    assert refused(sex=sex).message.startswith("sex: must be male or female")


@pytest.mark.parametrize("text", ["1990-13-01", "31/02/1990", "yesterday", ""])
def test_an_unreadable_date_is_refused_naming_the_input(text: str) -> None:
    err = refused(date_of_birth=text)
    assert err.message.startswith("date_of_birth: ") and "YYYY-MM-DD" in err.message
    assert err.needs == ("date_of_birth",)


def test_dates_in_either_format() -> None:
    assert parse_date("29/02/1988", "date_of_birth") == date(1988, 2, 29)
    assert parse_date(" 1988-02-29 ", "date_of_birth") == date(1988, 2, 29)


def test_every_problem_is_listed_and_no_message_names_a_flag() -> None:
    err = refused(sanctions=0, age_at_first_sanction=200, offence_category="nope", sex="x")
    assert err.message == "4 problems with the ARP inputs"
    assert len(err.problems) == 4
    assert not any("--" in p for p in [err.message, err.hint, *err.problems])


# --- the RAR band, through the guidance's OGRS table -----------------------------------------


@pytest.mark.parametrize(
    ("score", "band", "days"),
    [
        (13.66, "none", None),
        (24.99, "none", None),
        (25.0, "low", {"min": 1, "max": 15}),
        (69.11, "medium", {"min": 15, "max": 25}),
        (95.49, "high", {"min": 25, "max": 60}),
    ],
)
def test_rar_band_uses_the_guidance_table_and_says_so(
    score: float, band: str, days: dict[str, int] | None
) -> None:
    found = rar_band_for_arp(score)
    assert (found.band.name, found.band.guideline_days) == (band, days)
    assert "written for OGRS" in found.note and "successor" in found.note


def test_json_document_has_every_feature_value() -> None:
    data = compute(**WORKED).as_dict()
    assert data["arp_2year"] == 13.66 and data["arp_band"] == "LOW"
    assert set(data["features"]) == {  # type: ignore[arg-type]
        "two_year_intercept_weight",
        "age_gender_polynomial_weight",
        "gender_weight",
        "offence_group_weight",
        "first_sanction_weight",
        "second_sanction_weight",
        "total_number_of_sanctions_for_all_offences_weight",
        "second_sanction_gap_weight",
        "offence_free_months_weight",
        "copas_score",
        "copas_score_squared",
        "total_weight",
    }


# --- properties of the date rules (section 2) ------------------------------------------------

days = st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))


@given(start=days, end=days)
def test_whole_years_is_whole_months_over_12(start: date, end: date) -> None:
    """Period.between(...).years is the whole months, in whole years."""
    assume(end >= start)
    assert whole_years(start, end) == whole_months(start, end) // 12


@given(start=days, step=st.integers(min_value=0, max_value=2000))
def test_whole_months_counts_only_when_the_day_is_reached(start: date, step: int) -> None:
    """A month counts only when the day of the month comes round again."""
    end = start + timedelta(days=step)
    months = whole_months(start, end)
    later = whole_months(start, end + timedelta(days=1))
    assert later in (months, months + 1)  # never falls, at most one a day
    exact = (end.year - start.year) * 12 + end.month - start.month
    assert months == (exact if end.day >= start.day else exact - 1)
    assert months >= 0


@given(start=days, months=st.integers(min_value=0, max_value=600))
def test_whole_months_after_adding_whole_months(start: date, months: int) -> None:
    """add_months lands on the same day, or the month's last day when that day does not exist."""
    assume(start.year * 12 + start.month + months <= 2100 * 12 + 12)
    end = add_months(start, months)
    expected = months if end.day == start.day else months - 1
    assert whole_months(start, end) == expected


@given(year=st.integers(min_value=1904, max_value=2096), later=st.integers(1, 110))
def test_a_29_february_birthday_is_reached_on_1_march(year: int, later: int) -> None:
    """arp.md section 2: on 28 February of a non-leap year they are still the younger age."""
    assume(calendar.isleap(year))
    born = date(year, 2, 29)
    target = year + later
    assert whole_years(born, date(target, 3, 1)) == later
    if calendar.isleap(target):
        assert whole_years(born, date(target, 2, 29)) == later
        assert whole_years(born, date(target, 2, 28)) == later - 1
    else:
        assert whole_years(born, date(target, 2, 28)) == later - 1


@given(follow_up=days, assessment=days)
def test_offence_free_months_are_capped_at_36(follow_up: date, assessment: date) -> None:
    ofm = offence_free_months(follow_up, assessment)
    assert 0 <= ofm <= 36
    if assessment < follow_up:
        assert ofm == 0
    else:
        assert ofm == min(whole_months(follow_up, assessment), 36)
        if assessment >= add_months(follow_up, 36):
            assert ofm == 36


@st.composite
def valid_inputs(draw: st.DrawFn) -> dict[str, Any]:
    """Inputs that pass every rule of section 5, "Validation"."""
    born = draw(st.dates(min_value=date(1920, 1, 1), max_value=date(2015, 12, 31)))
    conviction = born + timedelta(days=draw(st.integers(1, 100 * 365)))
    age_now = whole_years(born, conviction)
    follow_up = draw(st.one_of(st.none(), st.just(conviction), st.dates(born + timedelta(1))))
    at_risk = conviction if follow_up is None else follow_up
    assume(whole_years(born, at_risk) < 110)
    # The assessment may be up to 3 months before the conviction, or any time after.
    assessment = conviction + timedelta(days=draw(st.integers(-89, 60 * 365)))
    return {
        "sex": draw(st.sampled_from(["male", "female"])),
        "date_of_birth": born,
        "conviction_date": conviction,
        "follow_up_date": follow_up,
        "assessment_date": assessment,
        "age_at_first_sanction": draw(st.integers(0, min(age_now, 109))),
        "sanctions": draw(st.integers(1, 999)),
        "offence_category": draw(st.sampled_from(OFFENCE_IDS)),
    }


@settings(max_examples=300, deadline=None)
@given(inputs=valid_inputs())
def test_valid_inputs_never_raise_and_the_score_is_a_percentage(inputs: dict[str, Any]) -> None:
    """Valid inputs give a score in 0..100 (exclusive), or, at a great age, the 0.00% refusal."""
    try:
        result = compute(**inputs)
    except InvalidInput as err:
        assert err.message.startswith("no ARP score")
        at_risk = inputs["follow_up_date"] or inputs["conviction_date"]
        assert whole_years(inputs["date_of_birth"], at_risk) >= 80
        return
    assert Decimal("0") < result.score < Decimal("100")
    assert result.score == result.score.quantize(Decimal("0.01"))
    assert result.band == arp_band(result.score)
    assert 0 <= result.offence_free_months <= 36
    assert result.age_at_conviction >= result.age_at_first_sanction
