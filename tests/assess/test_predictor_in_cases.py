"""ARP scores in case files (issue 18): `scores.arp`, `[arp]` inputs, beside `scores.ogrs`.

The band table is the RAR guidance's (docs/sources/001_246201b7ec5ee73b.txt, section 3, the OGRS
table), applied to whichever 2-year % the case gives; for ARP the plan, `--json` and the
documents say the table was written for OGRS and is applied to its successor (reference
docs/sources/reference/arp.md, section 6 for the worked example).
"""

from __future__ import annotations

import json
import tomllib
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from rarplan.assess.arp import RAR_BAND_NOTE
from rarplan.assess.assessment import assess
from rarplan.assess.predictor import predictor_of
from rarplan.catalogue.load import load
from rarplan.cli.app import build
from rarplan.model.errors import InvalidInput
from rarplan.model.plan import Assessment
from tests import factories

runner = CliRunner()
TODAY = date(2027, 1, 4)

# arp.md section 6, "Worked example": 13.66 %, below the table's 25 % (band "none").
WORKED_ARP: dict[str, Any] = {
    "conviction_date": date(2024, 1, 1),
    "follow_up_date": date(2026, 1, 1),
    "assessment_date": date(2025, 1, 1),
    "age_at_first_sanction": 18,
    "sanctions": 2,
    "offence_category": "criminal_damage",
}


def test_an_arp_score_is_banded_on_the_guidance_table_and_says_so() -> None:
    """scores.arp 62: guidance section 3, 50-74% is the medium band (21-30 days)."""
    case = factories.case(scores={"ogrs": None, "arp": 62})
    plan = assess(case, load(), today=TODAY)
    a = plan.assessment
    assert (a.predictor, a.ogrs, a.band, a.ogrs_estimated) == ("arp", 62, "medium", False)
    assert any(RAR_BAND_NOTE in w for w in a.warnings)
    assert "All Reoffending Predictor (ARP) score of 62%" in a.rationale
    assert "read on the guidance's OGRS table" in a.rationale


def test_an_ogrs_case_is_unchanged_and_names_ogrs3() -> None:
    plan = assess(factories.case(), load(), today=TODAY)
    assert plan.assessment.predictor is None  # OGRS3: not written, as before issue 18
    assert plan.assessment.rationale.startswith("An OGRS score of 62%")
    assert not any("All Reoffending Predictor" in w for w in plan.assessment.warnings)


def test_arp_inputs_give_the_reference_worked_example() -> None:
    """arp.md section 6: the worked example is 13.66 %: below 25 %, no RAR band."""
    case = factories.case(
        scores={"ogrs": None}, date_of_birth=date(1990, 1, 1), age=None, arp=WORKED_ARP
    )
    found = predictor_of(case, "case", TODAY)
    assert (found.name, found.score, found.estimated) == ("arp", 13.66, True)
    assert any("estimated from [arp] inputs" in w for w in found.warnings)
    plan = assess(case, load(), today=TODAY)
    assert (plan.assessment.band, plan.assessment.predictor) == ("none", "arp")


def test_arp_inputs_default_the_assessment_date_to_the_day_assessed() -> None:
    inputs = {k: v for k, v in WORKED_ARP.items() if k != "assessment_date"}
    case = factories.case(
        scores={"ogrs": None}, date_of_birth=date(1990, 1, 1), age=None, arp=inputs
    )
    on_the_day = predictor_of(case, "case", date(2025, 1, 1))
    assert on_the_day.score == 13.66


def test_arp_inputs_need_a_date_of_birth() -> None:
    case = factories.case(scores={"ogrs": None}, arp=WORKED_ARP)
    with pytest.raises(InvalidInput, match="case: arp: date_of_birth required"):
        predictor_of(case, "case", TODAY)


def test_arp_inputs_the_service_refuses_are_an_error_naming_arp() -> None:
    bad = {**WORKED_ARP, "offence_category": "no_such_category"}
    case = factories.case(scores={"ogrs": None}, date_of_birth=date(1990, 1, 1), age=None, arp=bad)
    with pytest.raises(InvalidInput, match="^case: arp: "):
        predictor_of(case, "case", TODAY)


@pytest.mark.parametrize(
    ("scores", "predictor", "score"),
    [
        ({"arp": 40, "ogrs": 45}, "arp", 40),  # both given: ARP, the predictor in use
        ({"arp": 40, "ogrs": None}, "arp", 40),
        ({"arp": None, "ogrs": 45}, "ogrs3", 45),
    ],
)
def test_which_predictor_a_case_gives(scores: dict[str, Any], predictor: str, score: float) -> None:
    found = predictor_of(factories.case(scores=scores), "case", TODAY)
    assert (found.name, found.score) == (predictor, score)


def test_a_given_ogrs_wins_over_an_arp_estimate() -> None:
    case = factories.case(
        scores={"ogrs": 45}, date_of_birth=date(1990, 1, 1), age=None, arp=WORKED_ARP
    )
    found = predictor_of(case, "case", TODAY)
    assert (found.name, found.score, found.estimated) == ("ogrs3", 45, False)


def test_both_given_in_different_bands_warns_naming_both() -> None:
    """ARP 60 is medium (50-74%), OGRS3 20 is below 25% (guidance section 3's table)."""
    found = predictor_of(factories.case(scores={"arp": 60, "ogrs": 20}), "case", TODAY)
    clash = [w for w in found.warnings if "different bands" in w]
    assert len(clash) == 1
    assert "ARP 60%" in clash[0] and "OGRS3 20%" in clash[0]


def test_both_given_in_the_same_band_do_not_warn() -> None:
    found = predictor_of(factories.case(scores={"arp": 60, "ogrs": 55}), "case", TODAY)
    assert not any("different bands" in w for w in found.warnings)


def test_neither_score_is_an_error_naming_both_keys() -> None:
    with pytest.raises(InvalidInput, match=r"scores\.ogrs: required.*scores\.arp"):
        predictor_of(factories.case(scores={"ogrs": None}), "case", TODAY)


def test_an_old_plan_without_a_predictor_loads_as_ogrs3() -> None:
    old = Assessment.model_validate({"assessed_on": "2026-01-05", "ogrs": 62, "band": "medium"})
    assert old.predictor is None  # OGRS3


def test_assess_json_and_plan_file_name_the_predictor(tmp_path: Path) -> None:
    """`--json` gains `predictor` (the other keys unchanged); the plan file records it."""
    case = tmp_path / "X200001.toml"
    case.write_text(
        'crn = "X200001"\nsex = "male"\nage = 30\nregion = "kent"\n'
        "[scores]\narp = 62\n[needs]\naccommodation = true\n",
        encoding="utf-8",
    )
    out = tmp_path / "X200001.plan.toml"
    result = runner.invoke(build(), ["assess", str(case), "--out", str(out), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["predictor"], data["ogrs"], data["band"]) == ("arp", 62.0, "medium")
    assert any(RAR_BAND_NOTE in w for w in data["warnings"])
    plan = tomllib.loads(out.read_text(encoding="utf-8"))
    assert plan["assessment"]["predictor"] == "arp"
    assert plan["case"]["scores"]["arp"] == 62


def test_the_court_proposal_says_which_predictor(tmp_path: Path) -> None:
    case = tmp_path / "X200002.toml"
    case.write_text(
        'crn = "X200002"\nsex = "male"\nage = 30\nregion = "kent"\n'
        "[scores]\narp = 62\n[needs]\naccommodation = true\n",
        encoding="utf-8",
    )
    out = tmp_path / "X200002.plan.toml"
    assert runner.invoke(build(), ["assess", str(case), "--out", str(out)]).exit_code == 0
    court = tmp_path / "court.md"
    result = runner.invoke(build(), ["render", str(out), "--for", "court", "--out", str(court)])
    assert result.exit_code == 0, result.output
    text = court.read_text(encoding="utf-8")
    assert "All Reoffending Predictor" in text


@pytest.mark.parametrize(
    ("scores", "first_line"),
    [
        ("arp = 48", "X200009  ARP 48% → Low intensity RAR"),
        ("ogrs = 48", "X200009  OGRS 48% → Low intensity RAR"),
    ],
)
def test_the_assessment_says_which_predictor_on_its_first_line(
    tmp_path: Path, scores: str, first_line: str
) -> None:
    """The plan says which predictor it was (issue 18); the band is the guidance's table
    (001_246201b7ec5ee73b.txt, "OGRS score and RAR intensity"), 25 to 49%: low."""
    case = tmp_path / "X200009.toml"
    case.write_text(
        f'crn = "X200009"\nsex = "male"\nage = 30\nregion = "kent"\n[scores]\n{scores}\n'
        "[needs]\naccommodation = true\n",
        encoding="utf-8",
    )
    result = runner.invoke(build(), ["assess", str(case), "--no-plan"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0].startswith(first_line)
