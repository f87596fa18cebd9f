"""`rarplan arp`: the text block, the --json document, and one-line refusals with exit 3.

Source: ../shared/reference/arp.md, section 6 (the worked example: 13.66%, LOW).
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from typer.testing import CliRunner

from rarplan.assess.arp import OFFENCE_IDS
from rarplan.cli.app import build

runner = CliRunner()

WORKED = {
    "sex": "male",
    "date_of_birth": "1990-01-01",
    "conviction_date": "2024-01-01",
    "follow_up_date": "2026-01-01",
    "assessment_date": "2025-01-01",
    "age_at_first_sanction": "18",
    "sanctions": "2",
    "offence_category": "criminal_damage",
}


def args(**overrides: str | None) -> list[str]:
    values = {**WORKED, **overrides}
    out = ["arp"]
    for key, value in values.items():
        if value is not None:
            out += ["--" + key.replace("_", "-"), value]
    return out


def invoke(argv: list[str]) -> Any:
    return runner.invoke(build(), argv)


def test_worked_example_text() -> None:
    result = invoke(args())
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "ARP static 2-year: 13.66%",
        "ARP band: LOW (below 50%)",
        "RAR band for 13.66%: No RAR (exceptional circumstances only) (0 to 24%)",
        "Guideline number of RAR days: none (no RAR)",
        "Ages: 34 at conviction, 36 at the start of follow-up; 16 years since the first "
        "sanction; 0 offence-free months",
        "Offence category: Criminal damage (CRIMINAL_DAMAGE)",
        "Caveats:",
        "  - The static (brief) ARP score only: criminal history, age and sex; no dynamic needs.",
        "  - An estimate: the official ARP score comes from the assessment system (OASys).",
        "  - The RAR guidance's band table was written for OGRS3; rarplan applies it to ARP, "
        "its successor.",
        "Source: All Reoffending Predictor (static), restated in docs/sources/reference/arp.md "
        "from the MoJ's hmpps-arns-risk-actuarial-api (MIT licence, Crown Copyright)",
    ]
    assert result.stderr == ""


def test_a_medium_score_shows_guideline_days_and_the_copas_rate() -> None:
    """arp.md section 6, CSV id 1125: 69.11%, MEDIUM; the RAR table's medium row."""
    result = invoke(
        args(
            sex="female",
            date_of_birth="21/09/1957",
            conviction_date="19/02/1961",
            follow_up_date="1962-05-14",
            assessment_date="2025-10-03",
            age_at_first_sanction="1",
            sanctions="77",
            offence_category="VIOLENCE_AGAINST_THE_PERSON_ABH_PLUS",
        )
    )
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[:4] == [
        "ARP static 2-year: 69.11%",
        "ARP band: MEDIUM (50% to below 75%)",
        "RAR band for 69.11%: Medium intensity RAR (50 to 74%)",
        "Guideline number of RAR days: 15 to 25 days",
    ]
    assert "36 offence-free months; Copas rate " in lines[4]


def test_json_is_one_document_with_every_feature_value() -> None:
    result = invoke([*args(), "--json"])
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    data = json.loads(result.stdout)
    assert set(data) == {
        "schema_version",
        "predictor",
        "arp_2year",
        "probability_2year",
        "arp_band",
        "rar_band",
        "inputs",
        "derived",
        "features",
        "caveats",
        "source",
    }
    assert (data["predictor"], data["arp_2year"], data["arp_band"]) == ("arp", 13.66, "LOW")
    assert data["rar_band"]["band"] == "none" and data["rar_band"]["guideline_days"] is None
    assert "written for OGRS" in data["rar_band"]["note"]
    assert data["derived"] == {
        "age_at_conviction": 34,
        "age_at_follow_up": 36,
        "years_since_first_sanction": 16,
        "offence_free_months": 0,
        "copas_rate": None,
        "offence_category_service_name": "CRIMINAL_DAMAGE",
    }
    features = data["features"]
    assert features["total_weight"] == pytest.approx(-1.843413998935392)
    assert features["age_gender_polynomial_weight"] == pytest.approx(-3.220386399548489)
    assert features["second_sanction_gap_weight"] == pytest.approx(-0.6912829426589344)
    assert len(features) == 12
    assert data["inputs"]["follow_up_date_given"] is True


def test_follow_up_and_assessment_dates_have_defaults() -> None:
    result = invoke([*args(follow_up_date=None, assessment_date=None), "--json"])
    assert result.exit_code == 0, result.output
    inputs = json.loads(result.stdout)["inputs"]
    assert inputs["follow_up_date"] == "2024-01-01" and inputs["follow_up_date_given"] is False
    assert inputs["assessment_date"]  # today


@pytest.mark.parametrize(
    ("overrides", "message", "hint"),
    [
        (
            {"date_of_birth": "1990-13-01"},
            "date_of_birth: not a date; write YYYY-MM-DD (or DD/MM/YYYY)",
            "use --date-of-birth",
        ),
        (
            {"offence_category": "criminal_damag"},
            "offence_category: unknown offence category 'criminal_damag'; "
            "did you mean 'criminal_damage'?",
            "one of: absconding_or_bail, ",
        ),
        (
            {"sanctions": "0"},
            "sanctions: must be from 1 to 999, counting the current one (0)",
            "use --sanctions",
        ),
    ],
)
def test_invalid_input_is_one_line_and_exit_3(
    overrides: dict[str, str], message: str, hint: str
) -> None:
    result = invoke(args(**overrides))
    assert result.exit_code == 3
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"rarplan: error: {message} ({hint}")
    assert result.stderr.rstrip().endswith("--" + next(iter(overrides)).replace("_", "-") + ")")


def test_invalid_input_under_json_is_a_json_error() -> None:
    result = invoke([*args(conviction_date="1980-01-01", follow_up_date=None), "--json"])
    assert result.exit_code == 3
    assert result.stdout == ""
    error = json.loads(result.stderr)["error"]
    assert (error["code"], error["exit_code"]) == ("invalid_input", 3)
    assert error["message"] == "conviction_date: 1980-01-01 must be after date_of_birth 1990-01-01"
    assert error["hint"] == "use --conviction-date, --date-of-birth"


def test_help_lists_every_offence_category() -> None:
    result = invoke(["arp", "--help"])
    assert result.exit_code == 0, result.output
    flat = " ".join(result.stdout.split())
    for category in OFFENCE_IDS:
        assert category in flat, category
    assert "--offence-category CATEGORY" in result.stdout
    assert "Example: rarplan arp --sex male" in flat
