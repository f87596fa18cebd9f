"""`rarplan ogrs` and `rarplan.assess.ogrs`: the OGRS3 formula, its checks and its output.

Source: docs/sources/reference/ogrs3.md (formula, coefficient tables, "Reject", "Worked checks",
"Caveats"), and docs/sources/001_246201b7ec5ee73b.txt section 3 for the band table.
"""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from rarplan.assess.ogrs import OFFENCE_IDS, compute, estimate, whole_percent
from rarplan.cli.app import build
from rarplan.model.case import Ogrs3Inputs
from rarplan.model.errors import InvalidInput

runner = CliRunner()

WORKED = {
    "sex": "male",
    "age_at_conviction": 59,
    "age_at_follow_up": 60,
    "sanctions": 2,
    "age_at_first_sanction": 47,
    "offence": "soliciting",
}


def args(**overrides: Any) -> list[str]:
    values = {**WORKED, **overrides}
    out = ["ogrs"]
    for key, value in values.items():
        out += ["--" + key.replace("_", "-"), str(value)]
    return out


def invoke(argv: list[str]) -> Any:
    return runner.invoke(build(), argv)


def logistic(z: float) -> float:
    return math.exp(z) / (1 + math.exp(z))


# --- the worked check -----------------------------------------------------------------------


def test_worked_check_from_the_ministrys_tests() -> None:
    """reference/ogrs3.md, "Worked checks": male 59/60, 2 sanctions, first at 47, soliciting."""
    result = compute(**WORKED)
    assert (result.ogrs3_1year, result.ogrs3_2year) == (8, 16)


def test_worked_check_human_output() -> None:
    """The human block: both percentages, the band with guideline days, the caveats."""
    result = invoke(args())
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[:4] == [
        "OGRS3 1-year: 8% (0.0832)",
        "OGRS3 2-year: 16% (0.1571)",
        "RAR band for 16%: No RAR (exceptional circumstances only) (0 to 24%)",
        "Guideline number of RAR days: none (no RAR)",
    ]
    assert "official OGRS3 score comes from OASys" in result.stdout
    assert "static, actuarial score" in result.stdout
    assert "not a good predictor of sexual reoffending" in result.stdout
    assert result.stderr == ""


def test_worked_check_json_keys_pinned() -> None:
    """The --json contract: one document on stdout, these keys, stderr empty."""
    result = invoke([*args(), "--json"])
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    data = json.loads(result.stdout)
    assert list(data) == [
        "schema_version",
        "ogrs3_1year",
        "ogrs3_2year",
        "probabilities",
        "band",
        "guideline_days",
        "inputs",
        "caveats",
        "source",
    ]
    assert data["schema_version"] == 1
    assert (data["ogrs3_1year"], data["ogrs3_2year"]) == (8, 16)
    assert data["probabilities"] == {"1year": 0.0832, "2year": 0.1571}
    assert data["band"] == "none"
    assert data["guideline_days"] is None
    assert data["inputs"] == WORKED
    assert len(data["caveats"]) == 3
    assert "7/09" in data["source"]


def test_json_band_and_guideline_days_for_a_high_score() -> None:
    """A young man with many sanctions bands high: 25 to 60 days (guidance, section 3)."""
    result = invoke(
        [
            *args(
                age_at_conviction=21,
                age_at_follow_up=21,
                sanctions=15,
                age_at_first_sanction=12,
                offence="theft",
            ),
            "--json",
        ]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["ogrs3_2year"] >= 75
    assert data["band"] == "high"
    assert data["guideline_days"] == {"min": 25, "max": 60}


# --- hand-computed values, from the formula with explicit numbers -----------------------------


def test_female_theft_hand_computed() -> None:
    """female, 30 at conviction, 31 at follow-up, 5 sanctions (P=4), first at 18, theft."""
    x = 1.251124464 * math.log(5 / 22) + 0.463062792 + (-1.1291) + 0.6612
    p1, p2 = logistic(1.402562384 + x), logistic(2.121705678 + x)
    result = compute(
        sex="female",
        age_at_conviction=30,
        age_at_follow_up=31,
        sanctions=5,
        age_at_first_sanction=18,
        offence="theft",
    )
    assert result.probability_1year == pytest.approx(p1, abs=1e-12)
    assert result.probability_2year == pytest.approx(p2, abs=1e-12)
    assert (result.ogrs3_1year, result.ogrs3_2year) == (39, 57)
    assert (math.floor(p1 * 100 + 0.5), math.floor(p2 * 100 + 0.5)) == (39, 57)


def test_first_sanction_male_violence_hand_computed() -> None:
    """male, 25 at conviction and follow-up, a first sanction (P=0, S=0.126142106), violence."""
    x = 1.251124464 * math.log(1 / 10) + 0.126142106 + (-1.1667) + 0.0
    p2 = logistic(2.121705678 + x)
    result = compute(
        sex="male",
        age_at_conviction=25,
        age_at_follow_up=25,
        sanctions=1,
        age_at_first_sanction=25,
        offence="violence",
    )
    assert result.probability_2year == pytest.approx(p2, abs=1e-12)
    assert result.ogrs3_2year == 14


def test_sexual_not_against_a_child_uses_the_ministrys_coefficient() -> None:
    """reference/ogrs3.md, OFF: 0.0328 (the Ministry's code), not 0.003276."""
    x = 1.251124464 * math.log(3 / 20) + 0.463062792 + (-1.4997) + 0.0328
    result = compute(
        sex="male",
        age_at_conviction=45,
        age_at_follow_up=46,
        sanctions=3,
        age_at_first_sanction=35,
        offence="sexual_not_child",
    )
    assert result.probability_2year == pytest.approx(logistic(2.121705678 + x), abs=1e-12)


def test_older_female_drink_driving_hand_computed() -> None:
    """female, 52 at conviction, 53 at follow-up (50+ row), 2 sanctions, first at 40."""
    x = 1.251124464 * math.log(2 / 22) + 0.463062792 + (-2.4498) + (-0.1214)
    result = compute(
        sex="female",
        age_at_conviction=52,
        age_at_follow_up=53,
        sanctions=2,
        age_at_first_sanction=40,
        offence="drink_driving",
    )
    assert result.probability_1year == pytest.approx(logistic(1.402562384 + x), abs=1e-12)
    assert result.ogrs3_2year == math.floor(logistic(2.121705678 + x) * 100 + 0.5)


def test_whole_percentages_round_half_up() -> None:
    """ "Whole percentages": a half rounds up (Python's round would give 12)."""
    assert whole_percent(0.125) == 13
    assert whole_percent(0.1249) == 12
    assert whole_percent(0.0) == 0
    assert whole_percent(1.0) == 100


# --- validation: the reference's "Reject" list, naming the flag -------------------------------


@pytest.mark.parametrize(
    ("overrides", "flag", "words"),
    [
        (
            {"age_at_conviction": 9, "age_at_first_sanction": 9},
            "--age-at-conviction",
            "at least 10",
        ),
        ({"age_at_first_sanction": 60}, "--age-at-first-sanction", "after the current conviction"),
        ({"sanctions": 0}, "--sanctions", "at least 1"),
        ({"sanctions": -3}, "--sanctions", "at least 1"),
        ({"age_at_follow_up": 58}, "--age-at-follow-up", "before the conviction"),
        ({"age_at_first_sanction": 8}, "--age-at-first-sanction", "at least 10"),
        ({"sanctions": 1}, "--age-at-first-sanction", "must equal --age-at-conviction"),
        ({"age_at_follow_up": 121}, "--age-at-follow-up", "at most 120"),
        ({"sanctions": 501}, "--sanctions", "at most 500"),
        ({"sex": "unknown"}, "--sex", "male or female"),
        ({"offence": "arson"}, "--offence", "unknown offence category"),
    ],
)
def test_invalid_inputs_exit_3_naming_the_flag(
    overrides: dict[str, Any], flag: str, words: str
) -> None:
    """reference/ogrs3.md, "Reject": each rule refuses with exit 3 and names the flag."""
    result = invoke(args(**overrides))
    assert result.exit_code == 3, result.output
    assert result.stdout == ""
    assert f"rarplan: error: {flag}: " in result.stderr
    assert words in result.stderr


def test_youth_follow_up_age_is_refused() -> None:
    """reference/ogrs3.md, "Reject": rarplan is for adults, so under 18 at follow-up refuses."""
    result = invoke(
        args(age_at_conviction=16, age_at_follow_up=17, age_at_first_sanction=14, sanctions=2)
    )
    assert result.exit_code == 3, result.output
    assert result.stderr.strip() == (
        "rarplan: error: --age-at-follow-up: 17 is under 18; rarplan is for adults "
        "(use the youth justice tools)"
    )


def test_several_problems_are_listed_together() -> None:
    """All problems at once, one line each, so the officer fixes them in one go."""
    result = invoke(args(sanctions=0, age_at_first_sanction=70, offence="theeft"))
    assert result.exit_code == 3, result.output
    lines = result.stderr.splitlines()
    assert lines[0].startswith("rarplan: error: 3 problems with the OGRS3 inputs")
    assert len(lines) == 4


def test_unknown_offence_suggests_the_nearest_and_lists_the_ids() -> None:
    result = invoke([*args(offence="solicting"), "--json"])
    assert result.exit_code == 3, result.output
    assert result.stdout == ""
    error = json.loads(result.stderr)["error"]
    assert (error["code"], error["exit_code"]) == ("invalid_input", 3)
    assert error["message"] == (
        "--offence: unknown offence category 'solicting'; did you mean 'soliciting'?"
    )
    assert error["hint"] == "one of: " + ", ".join(OFFENCE_IDS)


def test_offence_ids_forgive_case_and_hyphens() -> None:
    assert compute(**{**WORKED, "offence": "Public-Order"}).offence.id == "public_order"


def test_missing_flag_is_a_usage_error() -> None:
    result = invoke(["ogrs", "--sex", "male"])
    assert result.exit_code == 2, result.output


def test_offence_ids_are_the_stable_twenty() -> None:
    """reference/ogrs3.md, OFF: one stable id per row of the table."""
    assert OFFENCE_IDS == (
        "violence",
        "robbery",
        "public_order",
        "sexual_not_child",
        "sexual_child",
        "soliciting",
        "burglary_domestic",
        "burglary_other",
        "theft",
        "handling",
        "fraud_forgery",
        "absconding_bail",
        "taking_driving_away",
        "theft_from_vehicle",
        "other_motoring",
        "drink_driving",
        "criminal_damage",
        "drug_import_export_production",
        "drug_possession_supply",
        "other",
    )


# --- estimate(): the case file's [ogrs3] table ------------------------------------------------


def test_estimate_from_case_inputs_uses_the_cases_sex() -> None:
    inputs = Ogrs3Inputs.model_validate({k: v for k, v in WORKED.items() if k != "sex"})
    result = estimate(inputs, "male")
    assert (result.ogrs3_1year, result.ogrs3_2year) == (8, 16)


def test_estimate_errors_name_case_file_keys() -> None:
    inputs = Ogrs3Inputs.model_validate({**WORKED, "age_at_first_sanction": 60})
    with pytest.raises(InvalidInput) as caught:
        estimate(inputs, None)
    assert caught.value.message.startswith("ogrs3.age_at_first_sanction: 60 is after")


def test_estimate_refuses_a_missing_sex() -> None:
    inputs = Ogrs3Inputs.model_validate({k: v for k, v in WORKED.items() if k != "sex"})
    with pytest.raises(InvalidInput, match="ogrs3.sex"):
        estimate(inputs, None)


def test_estimate_refuses_conflicting_sexes() -> None:
    inputs = Ogrs3Inputs.model_validate(WORKED)
    with pytest.raises(InvalidInput, match="differs from the case's sex"):
        estimate(inputs, "female")


# --- properties ---------------------------------------------------------------------------


def _valid_inputs() -> st.SearchStrategy[dict[str, Any]]:
    @st.composite
    def build_inputs(draw: st.DrawFn) -> dict[str, Any]:
        conviction = draw(st.integers(18, 90))
        sanctions = draw(st.integers(1, 60))
        first = conviction if sanctions == 1 else draw(st.integers(10, conviction))
        return {
            "sex": draw(st.sampled_from(["male", "female"])),
            "age_at_conviction": conviction,
            "age_at_follow_up": draw(st.integers(conviction, conviction + 5)),
            "sanctions": sanctions,
            "age_at_first_sanction": first,
            "offence": draw(st.sampled_from(OFFENCE_IDS)),
        }

    return build_inputs()


@settings(max_examples=200, deadline=None)
@given(_valid_inputs())
def test_more_sanctions_never_lowers_the_score(inputs: dict[str, Any]) -> None:
    """copas rises with P and S rises from a first sanction: the score is monotone in sanctions."""
    base = compute(**inputs)
    more = compute(**{**inputs, "sanctions": inputs["sanctions"] + 1})
    assert more.probability_2year > base.probability_2year
    assert more.probability_1year > base.probability_1year
    assert more.ogrs3_2year >= base.ogrs3_2year


@settings(max_examples=200, deadline=None)
@given(_valid_inputs())
def test_scores_are_percentages_and_two_years_exceed_one(inputs: dict[str, Any]) -> None:
    result = compute(**inputs)
    assert 0 <= result.ogrs3_1year <= result.ogrs3_2year <= 100
    assert 0 < result.probability_1year < result.probability_2year < 1
