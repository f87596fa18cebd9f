"""The guidance in every sentence type and stage (issue 16).

Sources: the RAR guidance, docs/sources/001_246201b7ec5ee73b.txt:
- section 1: "The RAR is one of the requirements that can be included within a community order or
  suspended sentence order"; section 2: "The court can decide to include a RAR as part of a
  community order or a suspended sentence order". A licence, post-sentence supervision and a
  prison term have none.
- section 2: "Where needs can be met by an accredited programme or treatment requirement, this
  is the preferred intervention" (and consent for treatment requirements); after sentence the
  court's order says which it holds (section 4: the RO plans within what the court ordered).
- section 3: sexual offending ("OGRS is not a good predictor of sexual reoffending ... assess
  if any of these factors exist and should be addressed by RAR interventions"); "The number of
  RAR days allocated should take into account the complexity and severity of someone's needs
  and their risk of reoffending"; the pre-sentence report proposes the days.
Adult probation: people under 18 are the youth justice system's.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from rarplan.assess.assessment import assess
from rarplan.assess.result import result_dict
from rarplan.catalogue import load as cat
from rarplan.cli.app import build
from rarplan.documents import render
from rarplan.model.errors import InvalidInput, RefusedByRules
from tests.assess.test_assessment import BENIGN, make
from tests.conftest import REPO

TODAY = date(2027, 1, 4)
EXAMPLES = REPO / "examples" / "cases"
runner = CliRunner()

COMMUNITY = {
    "stage": "sentenced",
    "order": "community_order",
    "start_date": date(2027, 1, 11),
    "length_months": 12,
    "rar_max_days": 20,
}
SSO = {**COMMUNITY, "order": "suspended_sentence_order"}
LICENCE = {
    "stage": "sentenced",
    "order": "licence",
    "start_date": date(2027, 1, 11),
    "length_months": 9,
    "setting": "community",
}
PSS = {**LICENCE, "order": "post_sentence_supervision", "length_months": 12}
CUSTODY = {
    "stage": "sentenced",
    "order": "licence",
    "setting": "custody",
    "establishment": "HMP Maidstone",
    "weeks_to_release": 10,
}
PRE_SENTENCE = {"stage": "pre_sentence", "order": "community_order"}

NO_RAR = {"licence": LICENCE, "post_sentence_supervision": PSS, "custody": CUSTODY}
WITH_RAR = {"community order": COMMUNITY, "SSO": SSO, "pre-sentence": PRE_SENTENCE}


@pytest.fixture(scope="module")
def catalogue() -> cat.Catalogue:
    return cat.load()


def run(catalogue: cat.Catalogue, sentence: dict[str, Any], **sections: Any):
    return assess(make(sentence=sentence, **sections), catalogue, today=TODAY)


def words(plan, catalogue) -> str:
    """Everything the assessment says: its paragraphs, warnings and unmet-need reasons."""
    a = plan.assessment
    return " ".join(
        [a.rationale, a.psr_proposal, *a.warnings, *(u.reason for u in plan.unmet_needs)]
    )


# --- Which sentences have a RAR (sections 1 and 2) ---------------------------------------------


@pytest.mark.parametrize("kind", list(NO_RAR))
def test_no_rar_days_for_a_licence_pss_or_custody(catalogue, kind):
    """Sections 1 and 2: a RAR belongs to a community order or SSO only. The needs are still
    assessed and planned for, as licence or pre-release activity, and no RAR day is counted."""
    plan = run(catalogue, NO_RAR[kind])
    a = plan.assessment
    assert a.propose_rar is False
    assert a.proposed_days is None
    assert a.needs == ["accommodation", "finance_benefits_debt"]
    assert plan.selected, "the needs are still planned for"
    assert all(s.rar_days_estimate == 0 for s in plan.selected)
    said = words(plan, catalogue)
    assert "No RAR days" in said
    assert "licence activity" in said or "pre-release" in said or "supervision activity" in said
    assert "propose a Rehabilitation Activity Requirement" not in said
    result = result_dict(plan, None, catalogue)
    assert (result["has_rar"], result["proposed_days"], result["rar_max_days"]) == (
        False,
        None,
        None,
    )
    assert result["guideline_days"] is None  # no RAR, so no guideline number of RAR days
    assert "RAR would address" not in said and "guideline of" not in said


@pytest.mark.parametrize("kind", list(NO_RAR))
def test_few_needs_on_a_sentence_without_a_rar_never_speak_of_a_long_rar(catalogue, kind):
    """Section 3 compares the needs with the band's average to size a RAR; without one, the
    warning asks only that the needs assessment be checked."""
    plan = run(
        catalogue,
        NO_RAR[kind],
        scores={"ogrs": 80},
        needs={"accommodation": True, "finance_benefits_debt": False},
    )
    few = [w for w in plan.assessment.warnings if w.startswith("Only one need")]
    assert few == [
        "Only one need identified against an average of 4.4 for OGRS 75 to 90%: check the "
        "needs assessment is complete."
    ]
    with_rar = run(
        catalogue,
        COMMUNITY,
        scores={"ogrs": 80},
        needs={"accommodation": True, "finance_benefits_debt": False},
    )
    assert any("check a long RAR is needed" in w for w in with_rar.assessment.warnings)


@pytest.mark.parametrize("kind", list(WITH_RAR))
def test_a_community_order_sso_or_pre_sentence_case_has_a_rar(catalogue, kind):
    """Sections 1 and 2: the same needs on a community order or SSO (or proposed before
    sentence) give RAR days."""
    plan = run(catalogue, WITH_RAR[kind])
    assert plan.assessment.propose_rar is True
    assert plan.assessment.proposed_days
    assert result_dict(plan, None, catalogue)["has_rar"] is True
    assert "No RAR days" not in words(plan, catalogue)


def test_custody_plans_custody_services(catalogue):
    """A person in custody is planned pre-release services (Through the Gate), never a
    community-only one."""
    plan = run(catalogue, CUSTODY)
    for s in plan.selected:
        assert catalogue.entries[s.id].setting in ("custody", "either"), s.id


def test_a_licence_is_not_proposed_before_sentence():
    """Section 2: before sentence the court is asked for a community order or SSO; a licence
    follows a prison term."""
    with pytest.raises(ValueError, match="not proposed to the court"):
        make(sentence={"stage": "pre_sentence", "order": "licence"})


def test_a_licence_needs_no_rar_maximum_but_a_community_order_does():
    make(sentence={k: v for k, v in LICENCE.items() if k != "start_date"})
    with pytest.raises(ValueError, match="rar_max_days"):
        make(sentence={k: v for k, v in COMMUNITY.items() if k != "rar_max_days"})


def test_a_rar_maximum_given_for_a_licence_is_not_used(catalogue):
    plan = run(catalogue, {**LICENCE, "rar_max_days": 20})
    assert plan.assessment.proposed_days is None
    assert any("rar_max_days (20) is not used" in w for w in plan.assessment.warnings)


@pytest.mark.parametrize(("age", "refused"), [(15, True), (17, True), (18, False), (40, False)])
def test_under_18s_are_refused(catalogue, age, refused):
    """Adult probation only: the youth justice service works with under-18s."""
    case = make(sentence=COMMUNITY, age=age)
    if refused:
        with pytest.raises(RefusedByRules, match="youth justice"):
            assess(case, catalogue, today=TODAY)
    else:
        assert assess(case, catalogue, today=TODAY).assessment.band


def _years_ago(years: int) -> str:
    today = date.today()
    return today.replace(year=today.year - years, day=min(today.day, 28)).isoformat()


@pytest.mark.parametrize(
    "given",
    ["age = 15", f"date_of_birth = {_years_ago(15)}", f"date_of_birth = {_years_ago(17)}"],
)
def test_under_18_is_refused_through_the_cli(tmp_path: Path, given: str):
    """Adult probation only: one rule and one exit code (4, refused by the rules) whether the
    age comes from `age` or `date_of_birth` (docs/assess.md, "Adults only"); one line."""
    text = (EXAMPLES / "X100001.toml").read_text().replace("age = 34", given)
    case = tmp_path / "young.toml"
    case.write_text(text)
    for extra in ([], ["--json"]):
        result = runner.invoke(build(), ["assess", str(case), "--no-plan", *extra])
        assert result.exit_code == 4, result.output
        assert "youth justice" in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1


def test_an_impossible_age_is_invalid_data(tmp_path: Path):
    """Under 10 (the age of criminal responsibility) is no case at all: invalid input, exit 3,
    the same bound for `age` and `date_of_birth`."""
    for given in ("age = 6", f"date_of_birth = {_years_ago(6)}"):
        case = tmp_path / "impossible.toml"
        case.write_text((EXAMPLES / "X100001.toml").read_text().replace("age = 34", given))
        result = runner.invoke(build(), ["assess", str(case), "--no-plan"])
        assert result.exit_code == 3, (given, result.output)


# --- After sentence, the order decides (sections 2 and 4) ---------------------------------------


def test_pre_sentence_proposes_an_atr_first(catalogue):
    """Section 2: before sentence, an ATR is the preferred route for alcohol dependence."""
    plan = run(
        catalogue,
        PRE_SENTENCE,
        circumstances={**BENIGN, "alcohol_dependent": True},
        needs={"alcohol_misuse": True},
    )
    assert plan.assessment.treatment_requirements == ["alcohol_treatment"]
    assert any(w.startswith("Consider an alcohol treatment") for w in plan.assessment.warnings)
    assert "alcohol_misuse" not in result_dict(plan, None, catalogue)["rar_needs"]


def test_after_sentence_an_atr_meets_the_need_only_if_the_order_has_one(catalogue):
    """Sections 2 and 4: after sentence the ATR meets the alcohol need only when the court
    made one; without it the need is a RAR need (or recorded unmet), never dropped, and the
    officer is told to consider an amendment rather than 'consider an ATR first'."""
    facts = {
        "circumstances": {**BENIGN, "alcohol_dependent": True},
        "needs": {"alcohol_misuse": True},
    }
    with_atr = run(catalogue, {**COMMUNITY, "other_requirements": ["alcohol_treatment"]}, **facts)
    assert with_atr.assessment.treatment_requirements == ["alcohol_treatment"]
    assert "alcohol_misuse" not in result_dict(with_atr, None, catalogue)["rar_needs"]

    without = run(catalogue, COMMUNITY, **facts)
    a = without.assessment
    assert a.treatment_requirements == []
    assert "alcohol_misuse" in result_dict(without, None, catalogue)["rar_needs"]
    planned = {n for s in without.selected for n in s.needs} | {u.need for u in without.unmet_needs}
    assert "alcohol_misuse" in planned
    assert not any(w.startswith("Consider an alcohol") for w in a.warnings)
    assert any("amend the order" in w for w in a.warnings)


def test_an_mhtr_in_the_order_meets_the_need_even_if_the_fact_is_not_recorded(catalogue):
    plan = run(
        catalogue,
        {**COMMUNITY, "other_requirements": ["mental_health_treatment"]},
        needs={"emotional_management": True},
    )
    assert plan.assessment.treatment_requirements == ["mental_health_treatment"]
    assert all("emotional_management" not in s.needs for s in plan.selected)


TSP_CASE = {
    "offence": {"index_offence": "violence", "impulsive": True, "admits_responsibility": True},
    "scores": {
        "ogrs": 62,
        "ovp": 10,
        "oasys_thinking_score": 7,
        "oasys_11_6": 2,
        "oasys_total_score": 9,
        "risk_of_harm": "medium",
    },
    "needs": {"attitudes_thinking_behaviour": True},
}


def test_an_accredited_programme_is_preferred_after_sentence_only_if_the_order_has_one(catalogue):
    """Section 2: an eligible programme is the intervention of choice before sentence, and after
    sentence when the order holds an accredited programme requirement; otherwise its needs are
    planned here with a note (an amendment)."""
    pre = run(catalogue, PRE_SENTENCE, **TSP_CASE)
    assert "thinking-skills-programme" in pre.assessment.accredited_programmes
    ordered = run(
        catalogue, {**COMMUNITY, "other_requirements": ["accredited_programme"]}, **TSP_CASE
    )
    assert "thinking-skills-programme" in ordered.assessment.accredited_programmes
    assert "attitudes_thinking_behaviour" not in result_dict(ordered, None, catalogue)["rar_needs"]

    plain = run(catalogue, COMMUNITY, **TSP_CASE)
    assert plain.assessment.accredited_programmes == []
    assert "attitudes_thinking_behaviour" in result_dict(plain, None, catalogue)["rar_needs"]
    assert any("no accredited programme requirement" in w for w in plain.assessment.warnings)


def test_a_community_programme_is_not_preferred_in_custody(catalogue):
    """A community group programme is not the intervention of choice for a person in prison."""
    plan = run(catalogue, {**CUSTODY, "other_requirements": ["accredited_programme"]}, **TSP_CASE)
    assert plan.assessment.accredited_programmes == []
    assert not any("preferred" in w for w in plan.assessment.warnings)


# --- Sexual offending (section 3) ---------------------------------------------------------------

SEXUAL = {
    "offence": {"index_offence": "sexual", "sexually_motivated": True},
    "scores": {"ogrs": 12, "risk_of_harm": "medium"},
    "needs": {"relationships": True, "emotional_management": True},
}


def test_sexual_offending_factors_can_justify_a_rar_below_25(catalogue):
    """Section 3: OGRS is not a good predictor of sexual reoffending; recorded factors 'should
    be addressed by RAR interventions', so a RAR is proposed below 25% with them as the reason."""
    plan = run(
        catalogue,
        PRE_SENTENCE,
        circumstances={
            **BENIGN,
            "sexual_offending_factors": ["poor_emotional_relationships_with_adults"],
        },
        **SEXUAL,
    )
    a = plan.assessment
    assert a.band == "none" and a.propose_rar is True and a.proposed_days
    assert "poor emotional relationships with adults" in a.psr_proposal
    assert any("not a good predictor" in w and "proposed" in w for w in a.warnings)


def test_without_sexual_offending_factors_below_25_is_still_no_rar(catalogue):
    plan = run(catalogue, PRE_SENTENCE, circumstances=dict(BENIGN), **SEXUAL)
    assert plan.assessment.propose_rar is False


# --- The days and the needs (section 3) --------------------------------------------------------


def test_a_plan_well_short_of_the_guideline_is_warned(catalogue):
    """Section 3: the number of days should reflect the complexity of the needs and the risk;
    twelve days of interventions against a high band's 25 to 60 needs a recorded reason."""
    short = run(
        catalogue,
        PRE_SENTENCE,
        scores={"ogrs": 80},
        plan={"interventions": ["msrp-home", "msrp-money"]},
    )
    assert short.assessment.band == "high"
    assert any("short of the guideline 25 to 60" in w for w in short.assessment.warnings)
    enough = run(catalogue, PRE_SENTENCE, scores={"ogrs": 30})
    assert not any("short of the guideline" in w for w in enough.assessment.warnings)


def test_no_eligible_intervention_is_said_only_when_there_is_none(catalogue):
    """Section 6: a need with no suitable activity is recorded with the reasons, and they must
    be true: in custody the community services are eligible but not proposed."""
    plan = run(catalogue, CUSTODY, needs={"drug_misuse": True})
    reasons = {u.need: u.reason for u in plan.unmet_needs}
    for need, reason in reasons.items():
        if "No eligible intervention in the catalogue" in reason:
            eligible = [
                e.id
                for e in catalogue
                if need in e.needs
                and e.id != "practitioner-toolkit"
                and next(r for r in plan.assessment.interventions if r.id == e.id).status
                == "eligible"
            ]
            assert eligible == [], (need, eligible)


def test_no_raw_none_in_the_assessment_words(catalogue):
    for sentence in (*NO_RAR.values(), *WITH_RAR.values()):
        plan = run(catalogue, sentence)
        assert "None" not in words(plan, catalogue), sentence


# --- The documents agree (section 3) -----------------------------------------------------------


@pytest.mark.parametrize("sentence", [COMMUNITY, SSO, LICENCE, PSS, CUSTODY])
def test_the_court_proposal_is_refused_after_sentence(catalogue, sentence):
    """Section 3: the proposal is the pre-sentence report's; once sentenced there is none."""
    plan = run(catalogue, sentence)
    with pytest.raises(RefusedByRules, match="pre-sentence proposal"):
        render.render(plan, catalogue, "court")


def test_the_court_proposal_is_written_before_sentence(catalogue):
    plan = run(catalogue, PRE_SENTENCE)
    assert "I propose a Rehabilitation Activity Requirement" in render.render(
        plan, catalogue, "court"
    )


def test_the_court_needs_list_its_paragraph_and_json_agree(catalogue):
    """Section 2 and 3: with a treatment requirement first, the needs the RAR addresses are the
    same in the court document's list, its paragraph and --json."""
    plan = run(
        catalogue,
        PRE_SENTENCE,
        circumstances={**BENIGN, "alcohol_dependent": True},
        needs={"alcohol_misuse": True},
    )
    rar_needs = result_dict(plan, None, catalogue)["rar_needs"]
    assert rar_needs == ["accommodation", "finance_benefits_debt"]
    text = render.render(plan, catalogue, "court")
    section = text.split("## Rehabilitative needs the RAR would address", 1)[1].split("\n\n## ")[0]
    listed = [line[2:] for line in section.splitlines() if line.startswith("- ")]
    assert listed == ["Accommodation", "Finance, benefits and debt"]
    assert "non-dependent alcohol misuse" not in plan.assessment.psr_proposal.lower()
    assert "accommodation and finance, benefits and debt" in plan.assessment.psr_proposal


def test_the_pre_sentence_person_document_states_no_court_maximum(catalogue):
    """Before sentence there is no court maximum yet: the plan asks for days, the court
    decides."""
    plan = run(catalogue, PRE_SENTENCE)
    for fmt in render.FORMATS:
        text = render.render(plan, catalogue, "person", fmt)
        assert "Most days the court allows" not in text
        assert "The court says you must do" not in text
        assert f"We will ask the court for up to {plan.assessment.proposed_days} RAR days" in text


@pytest.mark.parametrize("kind", list(NO_RAR))
def test_documents_for_a_sentence_without_a_rar_say_so(catalogue, kind):
    """Sections 1 and 2: never 'the court gave you a RAR' for a licence, PSS or prison."""
    plan = run(catalogue, NO_RAR[kind])
    for fmt in render.FORMATS:
        person = render.render(plan, catalogue, "person", fmt)
        assert "The court gave you a RAR" not in person
        assert "You do not have RAR days" in person
        assert "What counts as a RAR day" not in person
    referral = render.render(plan, catalogue, "referral")
    assert "as part of a Rehabilitation Activity Requirement" not in referral
    assert "the sentence has no RAR" in referral


# --- The examples, through the CLI --------------------------------------------------------------


EXAMPLE_ACTIVITY = [
    ("X100003", "pre-release", "a sentence in custody"),
    ("X100009", "licence activity", "a licence"),
    ("X100010", "post-sentence supervision activity", "post-sentence supervision"),
]


@pytest.mark.parametrize(("crn", "activity", "no_rar_days"), EXAMPLE_ACTIVITY)
def test_the_example_no_rar_cases_through_the_cli(tmp_path, crn, activity, no_rar_days):
    """examples/cases: custody (X100003), licence (X100009), post-sentence supervision
    (X100010): no RAR days in the terminal, --json and the documents."""
    case = str(EXAMPLES / f"{crn}.toml")
    shown = runner.invoke(build(), ["assess", case, "--no-plan"])
    assert shown.exit_code == 0, shown.output
    assert "No RAR days" in shown.stdout
    assert "None" not in shown.stdout
    assert activity in " ".join(shown.stdout.split())
    data = runner.invoke(build(), ["assess", case, "--no-plan", "--json"])
    assert data.exit_code == 0, data.output
    assert data.stderr == ""
    result = json.loads(data.stdout)
    assert (result["has_rar"], result["propose_rar"], result["proposed_days"]) == (
        False,
        False,
        None,
    )
    plan_file = tmp_path / f"{crn}.plan.toml"
    written = runner.invoke(build(), ["assess", case, "--out", str(plan_file), "--quiet"])
    assert written.exit_code == 0, written.output
    person = runner.invoke(build(), ["render", str(plan_file), "--for", "person"])
    assert person.exit_code == 0, person.output
    assert "You do not have RAR days" in person.stdout
    court = runner.invoke(build(), ["render", str(plan_file), "--for", "court"])
    assert court.exit_code == 4, court.output
    assert "pre-sentence proposal" in court.stderr
    # nothing to schedule: one line, exit 4 (docs/schedule.md, "Exit codes")
    scheduled = runner.invoke(build(), ["schedule", str(plan_file)])
    assert scheduled.exit_code == 4, scheduled.output
    assert scheduled.stderr.strip().splitlines() == [
        f"rarplan: error: {plan_file}: there is no RAR to schedule: {no_rar_days} has no RAR "
        "days; arrange the planned activities with their providers"
    ]


def test_a_sentenced_example_refuses_the_court_document_in_json(tmp_path):
    plan_file = tmp_path / "X100001.plan.toml"
    written = runner.invoke(
        build(), ["assess", str(EXAMPLES / "X100001.toml"), "--out", str(plan_file), "--quiet"]
    )
    assert written.exit_code == 0, written.output
    result = runner.invoke(build(), ["render", str(plan_file), "--for", "court", "--json"])
    assert result.exit_code == 4
    assert result.stdout == ""
    error = json.loads(result.stderr)["error"]
    assert error["exit_code"] == 4 and "pre-sentence" in error["message"]


def test_a_case_file_with_a_pre_sentence_licence_is_invalid(tmp_path):
    text = (
        (EXAMPLES / "X100002.toml")
        .read_text()
        .replace('order = "community_order"', 'order = "licence"')
    )
    case = tmp_path / "c.toml"
    case.write_text(text)
    result = runner.invoke(build(), ["assess", str(case), "--no-plan"])
    assert result.exit_code == 3, result.output
    assert "sentence: order: a licence follows a custodial sentence" in result.stderr


def test_invalid_input_is_the_error_for_a_missing_rar_maximum():
    with pytest.raises((ValueError, InvalidInput)):
        make(sentence={k: v for k, v in SSO.items() if k != "rar_max_days"})


def test_a_dependent_drinker_s_alcohol_need_is_never_called_non_dependent(catalogue):
    """Section 2: an ATR is for dependence, so before sentence the guidance's need area is
    "non-dependent alcohol misuse"; but on a licence (no ATR) a dependent person keeps the need,
    planned for here, and no output may call it non-dependent."""
    plan = run(
        catalogue,
        LICENCE,
        circumstances={**BENIGN, "alcohol_dependent": True},
        needs={"alcohol_misuse": True},
    )
    assert "alcohol_misuse" in result_dict(plan, None, catalogue)["rar_needs"]
    said = " ".join(
        [
            words(plan, catalogue),
            render.render(plan, catalogue, "person"),
            render.render(plan, catalogue, "referral"),
        ]
    )
    assert "alcohol misuse" in said.lower()
    assert "non-dependent" not in said.lower()
