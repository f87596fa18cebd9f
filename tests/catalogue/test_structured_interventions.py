"""The national Structured Interventions catalogue, data/structured-interventions.toml (issue 18).

Every test cites the field (row) of the HMPPS list v1.3.4 it checks, as restated in
docs/sources/reference/structured-interventions.md. One test per entry per criterion: a case
meeting every criterion is eligible, and changing the one fact (or answer) a criterion reads
excludes the entry with that criterion's words.
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

import pytest
from typer.testing import CliRunner

from rarplan.assess.eligibility import judge_one
from rarplan.catalogue.load import load, shipped_path
from rarplan.catalogue.models import Catalogue, Intervention
from rarplan.catalogue.rules import Criterion, check_keys
from rarplan.cli.app import build
from rarplan.model.case import PROBATION_REGIONS, Case
from tests.conftest import REPO

TODAY = date(2027, 1, 4)
REFERENCE = REPO / "docs" / "sources" / "reference" / "structured-interventions.md"
runner = CliRunner()


def structured() -> Catalogue:
    return load(shipped_path("structured"))


# The list's table "Which regions offer which intervention" (need area = row 2; regions = row 5).
OFFERED = {
    "stepwise-relationships": "EM EoE GM KSS NE SC SW Wal WM",
    "stepwise-emotions": "EM EoE KSS NE SC SW Wal WM Y&H",
    "stepwise-problem-solving": "EM EoE GM KSS NE SC SW Wal WM",
    "stepwise-driving": "EM EoE GM Lon NE NW Wal WM Y&H",
    "managing-my-emotions": "GM Lon NW",
    "positive-pathways-plus": "Lon",
    "positive-pathways": "Lon",
    "firs4women": "Lon NW SC",
    "help-programme": "NW Y&H",
    "better-solutions": "NW Y&H",
    "dawn": "SC",
}
SHORT = dict(
    zip(
        "EM EoE GM KSS Lon NE NW SC SW Wal WM Y&H".split(),
        PROBATION_REGIONS,
        strict=True,
    )
)
# "Sessions / days" (row 6), as (kind, count).
SESSIONS = {
    "stepwise-relationships": [("individual", 1), ("group", 9)],
    "stepwise-emotions": [("individual", 1), ("group", 8)],
    "stepwise-problem-solving": [("individual", 1), ("group", 5)],
    "stepwise-driving": [("individual", 1), ("group", 5)],
    "managing-my-emotions": [("pre_group", 1), ("group", 6)],
    "positive-pathways-plus": [("pre_group", 1), ("group", 9)],
    "positive-pathways": [("pre_group", 1), ("group", 6)],
    "firs4women": [("individual", 2), ("group", 6)],
    "help-programme": [("pre_group", 1), ("group", 12), ("individual", 2)],
    "better-solutions": [("pre_group", 1), ("group", 6)],
    "dawn": [("individual", 1), ("group", 6)],
}
# Row 2, "Intervention Description Short".
VARIANT = {
    "stepwise-relationships": "Domestic Abuse",
    "positive-pathways-plus": "Domestic Abuse",
    "help-programme": "Domestic Abuse",
    "dawn": "Domestic Abuse",
    "stepwise-emotions": "Emotion Management",
    "managing-my-emotions": "Emotion Management",
    "firs4women": "Emotion Management",
    "stepwise-problem-solving": "Attitudes, Thinking & Behaviour",
    "positive-pathways": "Attitudes, Thinking & Behaviour",
    "better-solutions": "Attitudes, Thinking & Behaviour",
    "stepwise-driving": "Attitudes, Thinking & Behaviour (Driving)",
}
INDEX = {  # an index offence meeting each variant's need (row 29)
    "Domestic Abuse": "intimate_partner_violence",
    "Emotion Management": "violence",
    "Attitudes, Thinking & Behaviour": "acquisitive",
    "Attitudes, Thinking & Behaviour (Driving)": "drink_driving",
}


def baseline(entry: Intervention) -> dict[str, Any]:
    """A case meeting every criterion of the entry, its judgement questions answered."""
    texts = " ".join(c.text for c in entry.eligibility)
    checks = {key: True for c in entry.eligibility for key, _ in check_keys(c)}
    checks.update({key: False for c in entry.not_suitable for key, _ in check_keys(c)})
    return {
        "crn": "X300001",
        "sex": "female" if "Women only" in texts else "male",
        "age": 30,
        "region": entry.regions[0],
        "sentence": {"stage": "pre_sentence", "length_months": 12},
        "offence": {"index_offence": INDEX[VARIANT[entry.id]], "sexually_motivated": False},
        "scores": {
            "ogrs": 40,
            "ovp": 30,
            "sara": "low",
            "oasys_2_3d": True,
            "oasys_11_3": 2,
            "oasys_2a_total": 6,
        },
        "checks": checks,
    }


def not_offered_in(entry: Intervention) -> str:
    return next(r for r in PROBATION_REGIONS if r not in entry.regions)


def fail(entry: Intervention, criterion: Criterion, case: dict[str, Any]) -> None:
    """Change `case` so that `criterion` (and, as far as possible, it alone) fails."""
    text = criterion.text
    if text.startswith("Offered in"):  # rows 4-5, regions
        case["region"] = not_offered_in(entry)
    elif text.startswith("Minimum time left"):  # row 27
        case["sentence"]["length_months"] = 6
        case["checks"]["short_order_agreed"] = False
    elif criterion.check is not None:  # rows 7, 13, 28, 30, 31-32: the officer's answer
        case["checks"][criterion.check] = criterion.check == "acute_mental_health"
    elif "Male only" in text:  # row 21
        case["sex"] = "female"
    elif "Women only" in text:  # row 21
        case["sex"] = "male"
    elif text.startswith("SARA = Low risk"):  # row 13, DA: a SARA recorded decides
        case["scores"]["sara"] = "medium"
    elif text.startswith("IPV related offence"):  # row 29, DA
        case["offence"]["index_offence"] = "acquisitive"
        case["scores"]["oasys_2_3d"] = False
        case["scores"]["oasys_6_7"] = False
    elif text.startswith("OVP (over 2 years)"):  # row 13, EM
        case["scores"]["ovp"] = 20  # "above 20%": 20 is not above
    elif text.startswith("At least one of three OASys"):  # row 29, EM
        case["scores"]["oasys_11_3"] = 1
        case["scores"]["oasys_thinking_linked_to_harm"] = False
        case["scores"]["oasys_attitudes_linked_to_harm"] = False
    elif text.startswith("Previous or current offence of violence"):  # row 29, EM
        case["offence"]["index_offence"] = "acquisitive"
        case["offence"]["previous_violence"] = False
    elif text.startswith("OGRS3 (Over 2 years)"):  # row 13, ATB and Driving
        case["scores"]["ogrs"] = 25  # "above 25%": 25 is not above
    elif text.startswith("2a. Need"):  # row 29, ATB
        case["scores"]["oasys_2a_total"] = 4
        case["scores"]["oasys_11_6"] = 1
        case["scores"]["oasys_11_7"] = 1
    elif text.startswith("Stepwise Driving requires"):  # row 29, Driving
        case["offence"]["index_offence"] = "motoring"
        case["offence"]["drink_or_drug_driving"] = False
    elif text.startswith("Not to be delivered"):  # row 8
        case["offence"]["sexually_motivated"] = True
    else:  # a criterion this test does not know: add it above
        raise AssertionError(f"{entry.id}: no failing case for {text!r}")


def every_criterion() -> list[Any]:
    out = []
    for entry in structured():
        for kind, criteria in (
            ("eligibility", entry.eligibility_rules()),
            ("not_suitable", entry.not_suitable),
        ):
            for n, criterion in enumerate(criteria):
                # The test's name cites the list's field (row) the criterion is read from.
                rows = re.findall(r"[Rr]ows? [\d\-]+", criterion.note or "") or ["row 5"]
                name = f"{entry.id}-{kind}-{n}-{rows[0].lower().replace(' ', '')}"
                out.append(pytest.param(entry.id, kind, n, id=name))
    return out


@pytest.mark.parametrize("entry_id", list(OFFERED))
def test_a_case_meeting_every_criterion_is_eligible(entry_id: str) -> None:
    entry = structured().get(entry_id)
    case = Case.model_validate(baseline(entry))
    judgement = judge_one(structured(), case, entry_id, TODAY)
    assert (judgement.status, judgement.reasons) == ("eligible", ())


@pytest.mark.parametrize(("entry_id", "kind", "n"), every_criterion())
def test_each_criterion_excludes_when_it_fails(entry_id: str, kind: str, n: int) -> None:
    """One test per entry per criterion (the field is cited in the criterion's `note`)."""
    catalogue = structured()
    entry = catalogue.get(entry_id)
    criterion = (entry.eligibility_rules() if kind == "eligibility" else entry.not_suitable)[n]
    assert criterion.note, "each reading cites the list's field"
    case = baseline(entry)
    fail(entry, criterion, case)
    judgement = judge_one(catalogue, Case.model_validate(case), entry_id, TODAY)
    assert judgement.status == "excluded", judgement
    wanted = criterion.text if kind == "eligibility" else f"Not suitable: {criterion.text}"
    assert wanted in judgement.reasons


def test_all_eleven_interventions_are_there_in_the_lists_order() -> None:
    """The list has 11 interventions (the reference's table, "n" column summing to 49)."""
    assert [e.id for e in structured()] == list(OFFERED)
    assert sum(len(e.regions) for e in structured()) == 49


@pytest.mark.parametrize("entry_id", list(OFFERED))
def test_regions_sessions_need_area_and_format(entry_id: str) -> None:
    """Rows 2 (need area), 5 (regions), 6 (sessions), 11 (delivery format: group first, also
    one-to-one)."""
    entry = structured().get(entry_id)
    assert entry.regions == [SHORT[r] for r in OFFERED[entry_id].split()]
    assert [(p.kind, p.count) for p in entry.duration.sessions] == SESSIONS[entry_id]
    assert entry.section == f"Structured Intervention: {VARIANT[entry_id]}"
    assert entry.delivery == "either" and not entry.accredited and entry.nsi is None
    assert entry.source.file == "reference/structured-interventions.md"


# The field labels the criteria's texts start with, before the list's own words.
LABELS = {
    "Gender exclusions",
    "Sexuality exclusions",
    "Minimum time left on SU order",
    "Available?",
    "(no label, row 32)",
}


@pytest.mark.parametrize("entry_id", list(OFFERED))
def test_every_criterion_text_is_the_lists_words(entry_id: str) -> None:
    """Each criterion's `text` is the list's words (the reference), a phrase at a time."""
    reference = REFERENCE.read_text(encoding="utf-8")
    entry = structured().get(entry_id)
    for criterion in (*entry.eligibility, *entry.not_suitable):
        for piece in re.split(r"; |: | / ", criterion.text):
            if piece in LABELS or piece[0].isdigit() and "," in piece:  # 2a's item numbers
                continue
            assert piece.rstrip(".").split(" (e.g.")[0] in reference, (entry_id, piece)


def test_a_region_unknown_is_a_question_not_a_pass() -> None:
    catalogue = structured()
    case = baseline(catalogue.get("positive-pathways"))
    case["region"] = None
    judgement = judge_one(catalogue, Case.model_validate(case), "positive-pathways", TODAY)
    assert judgement.status == "check"
    assert any("Offered in: London" in r for r in judgement.reasons)


@pytest.mark.parametrize("county", ["kent", "surrey", "sussex"])
def test_the_kss_counties_are_kent_surrey_sussex(county: str) -> None:
    """The list's "Kent, Surrey, Sussex" region (columns N, O, P)."""
    catalogue = structured()
    case = baseline(catalogue.get("stepwise-problem-solving"))
    case["region"] = county
    judgement = judge_one(catalogue, Case.model_validate(case), "stepwise-problem-solving", TODAY)
    assert judgement.status == "eligible"
    assert Case.model_validate(case).probation_region == "kent_surrey_sussex"


@pytest.mark.parametrize(
    ("written", "region"),
    [
        ("Yorkshire & Humberside", "yorkshire_humberside"),
        ("East of England", "east_of_england"),
        ("Kent, Surrey, Sussex", "kent_surrey_sussex"),
        ("North West", "north_west"),
        ("Kent", "kent"),
    ],
)
def test_region_accepts_the_lists_names(written: str, region: str) -> None:
    assert Case(crn="X300001", region=written).region == region  # type: ignore[arg-type]


def test_an_unknown_region_is_refused() -> None:
    with pytest.raises(ValueError, match="region"):
        Case(crn="X300001", region="Middle Earth")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("scores", "status"),
    [
        ({"sara": "low", "ovp": 30}, "eligible"),  # SARA low and OVP above 20
        ({"sara": "medium", "ovp": 30}, "excluded"),  # a SARA recorded decides
        ({"sara": None, "oasys_2_3d": True, "ovp": 30}, "eligible"),  # no SARA: 2.3d and OVP
        ({"sara": None, "oasys_2_3d": False, "oasys_6_7": True, "ovp": 30}, "eligible"),
        ({"sara": None, "ovp": None, "ogrs": 40}, "eligible"),  # no OVP: OGRS3 above 25
        ({"sara": None, "ovp": None, "ogrs": 20}, "excluded"),
        ({"sara": None, "ovp": None, "ogrs": None}, "check"),  # nothing to go on: ask
    ],
)
def test_the_domestic_abuse_fallbacks(scores: dict[str, Any], status: str) -> None:
    """Row 13: "SARA = Low risk; and, OVP (over 2 years) = above 20%; If SARA not available,
    OASys 2.3d or OASys 6.7 AND OVP (over 2 years) = above 20% or if OVP not available, OGRS3
    (over 2 years): above 25%"."""
    catalogue = structured()
    case = baseline(catalogue.get("stepwise-relationships"))
    case["scores"].update(scores)
    judgement = judge_one(catalogue, Case.model_validate(case), "stepwise-relationships", TODAY)
    assert judgement.status == status, judgement


@pytest.mark.parametrize(
    ("start", "length", "status"),
    [
        (date(2027, 1, 4), 12, "eligible"),  # 12 months left
        (date(2026, 5, 4), 17, "eligible"),  # 9 months left
        (date(2026, 5, 4), 16, "check"),  # 8 months left: ask the TM
    ],
)
def test_under_nine_months_left_is_a_question(start: date, length: int, status: str) -> None:
    """Row 27: "Check with TM if less than 9 months"."""
    catalogue = structured()
    case = baseline(catalogue.get("better-solutions"))
    del case["checks"]["short_order_agreed"]
    case["sentence"] = {
        "stage": "sentenced",
        "start_date": start,
        "length_months": length,
        "rar_max_days": 20,
    }
    judgement = judge_one(catalogue, Case.model_validate(case), "better-solutions", TODAY)
    assert judgement.status == status, judgement


def test_ids_are_unique_across_the_shipped_catalogues() -> None:
    rate_card = {e.id for e in load(shipped_path("rate-card"))}
    national = {e.id for e in structured()}
    assert not rate_card & national


def test_catalogue_list_region_and_show_and_check_through_the_cli() -> None:
    app = build()
    result = runner.invoke(
        app, ["catalogue", "list", "--catalogue", "structured", "--region", "london", "--json"]
    )
    assert result.exit_code == 0, result.output
    ids = [row["id"] for row in json.loads(result.stdout)["interventions"]]
    assert ids == [
        "stepwise-driving",
        "managing-my-emotions",
        "positive-pathways-plus",
        "positive-pathways",
        "firs4women",
    ]  # the list's "By region": London
    result = runner.invoke(app, ["catalogue", "show", "firs4women", "--catalogue", "structured"])
    assert result.exit_code == 0, result.output
    assert "Offered in: London, North West, South Central" in result.output
    result = runner.invoke(app, ["catalogue", "check", str(shipped_path("structured"))])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["catalogue", "list", "--region", "atlantis"])
    assert result.exit_code == 2


@pytest.mark.parametrize(
    ("crn", "entry_id", "status", "selected"),
    [
        ("X100006", "positive-pathways", "eligible", True),  # London (column S)
        ("X100007", "stepwise-problem-solving", "eligible", True),  # Kent (column P)
        ("X100008", "firs4women", "check", False),  # a woman in the North West (column AB)
    ],
)
def test_the_regional_example_cases(crn: str, entry_id: str, status: str, selected: bool) -> None:
    case = REPO / "examples" / "cases" / f"{crn}.toml"
    result = runner.invoke(
        build(), ["assess", str(case), "--catalogue", "structured", "--no-plan", "--json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    judged = {i["id"]: i["status"] for i in data["interventions"]}
    assert judged[entry_id] == status
    assert (entry_id in data["selected"]) is selected
