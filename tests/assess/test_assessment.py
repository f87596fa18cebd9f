"""The rules of `rarplan assess`, from the RAR guidance docs/sources/001_246201b7ec5ee73b.txt.

Each test names the section it checks.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from rarplan.assess.assessment import assess
from rarplan.assess.result import AssessResult, result_dict, result_json
from rarplan.catalogue import load as cat
from rarplan.model.case import Case
from rarplan.model.errors import InvalidInput, RefusedByRules
from tests.catalogue.test_catalogue_entries import BENIGN as CARD_CASE

# every circumstance at its harmless value, shared with the catalogue-entry tests
BENIGN = dict(CARD_CASE["circumstances"])


@pytest.fixture(scope="module")
def catalogue() -> cat.Catalogue:
    return cat.load()


def sentenced(rar_max_days: int) -> dict[str, Any]:
    """A community order from 11 January 2027 for 12 months with the court's RAR maximum."""
    return {
        "stage": "sentenced",
        "start_date": date(2027, 1, 11),
        "length_months": 12,
        "rar_max_days": rar_max_days,
    }


def make(**sections: Any) -> Case:
    data: dict[str, Any] = {
        "crn": "X123456",
        "sex": "male",
        "age": 34,
        "region": "kent",
        "sentence": {"stage": "pre_sentence", "order": "community_order"},
        "offence": {
            "index_offence": "acquisitive",
            "sexually_motivated": False,
            "impulsive": False,
            "seriousness": "medium",
            "previous_convictions": 2,
            "admits_responsibility": True,
            "linked_to_substance_misuse": False,
        },
        "scores": {"ogrs": 62, "ovp": 10, "risk_of_harm": "medium", "audit": 4},
        "needs": {"accommodation": True, "finance_benefits_debt": True},
        "circumstances": dict(BENIGN),
    }
    for key, value in sections.items():
        if isinstance(value, dict) and isinstance(data.get(key), dict):
            data[key] = {**data[key], **value}
        else:
            data[key] = value
    return Case.model_validate(data)


def run(catalogue: cat.Catalogue, **sections: Any):
    return assess(make(**sections), catalogue, today=date(2026, 11, 23))


def test_every_catalogue_entry_is_judged_once(catalogue):
    plan = run(catalogue)
    ids = [r.id for r in plan.assessment.interventions]
    assert ids == [e.id for e in catalogue]
    assert {r.status for r in plan.assessment.interventions} <= {"eligible", "excluded", "check"}


def test_band_and_guideline_from_ogrs(catalogue):
    """Section 3, the table: 62% is medium intensity, 15 to 25 days."""
    a = run(catalogue).assessment
    assert (a.band, a.guideline_days, a.average_needs) == ("medium", {"min": 15, "max": 25}, 4.4)


def test_below_25_without_dynamic_risk_factors_proposes_no_rar(catalogue):
    """Section 3: below 25% only in exceptional circumstances with clear dynamic risk factors."""
    plan = run(catalogue, scores={"ogrs": 20})
    a = plan.assessment
    assert a.band == "none"
    assert a.propose_rar is False
    assert a.proposed_days is None
    assert plan.selected == []
    assert any("dynamic risk factors" in w for w in a.warnings)


def test_below_25_with_dynamic_risk_factors_may_propose_with_warning(catalogue):
    plan = run(
        catalogue,
        scores={"ogrs": 20},
        circumstances={**BENIGN, "dynamic_risk_factors": "Lost tenancy; new pro-criminal peers"},
    )
    a = plan.assessment
    assert a.propose_rar is True
    assert a.proposed_days is not None and 1 <= a.proposed_days <= 15
    assert any("exceptional" in w for w in a.warnings)
    assert plan.selected


@pytest.mark.parametrize(
    ("fact", "requirement", "need"),
    [
        ("alcohol_dependent", "alcohol_treatment", "alcohol_misuse"),
        ("misuses_illegal_drugs", "drug_rehabilitation", "drug_misuse"),
        ("treatable_mental_health_condition", "mental_health_treatment", "emotional_management"),
    ],
)
def test_treatment_requirement_comes_first(catalogue, fact, requirement, need):
    """Section 2: ATR for dependence, DRR for illegal drugs, MHTR for a treatable condition;
    each needs consent; the need it meets is not a RAR need."""
    plan = run(catalogue, circumstances={**BENIGN, fact: True}, needs={need: True})
    a = plan.assessment
    assert a.treatment_requirements == [requirement]
    assert any("consent" in w for w in a.warnings)
    assert all(need not in s.needs for s in plan.selected)


def test_non_dependent_alcohol_misuse_stays_a_rar_need(catalogue):
    """Section 3: 'non-dependent alcohol misuse' is one of the eight RAR needs."""
    plan = run(
        catalogue,
        needs={"alcohol_misuse": True, "accommodation": False, "finance_benefits_debt": False},
    )
    assert plan.assessment.treatment_requirements == []
    assert any("alcohol_misuse" in s.needs for s in plan.selected)


def test_eligible_accredited_programme_is_preferred(catalogue):
    """Section 2: where an accredited programme meets the need it is preferred; a RAR alongside
    it only for needs it does not address. Thinking Skills: impulsive, OGRS 25-90, OASys >5 with
    11.6 or 11.7 at 2, total >7 (rate card, Accredited Programmes > Thinking Skills Programme)."""
    plan = run(
        catalogue,
        offence={"impulsive": True},
        scores={
            "oasys_thinking_score": 7,
            "oasys_11_6": 2,
            "oasys_11_7": 0,
            "oasys_total_score": 9,
        },
        needs={"attitudes_thinking_behaviour": True},
    )
    a = plan.assessment
    assert "thinking-skills-programme" in a.accredited_programmes
    assert any("accredited programme" in w for w in a.warnings)
    # the RAR addresses the other needs only
    assert all(
        "attitudes_thinking_behaviour" not in s.needs or s.id != "msrp-outlook"
        for s in plan.selected
    )
    assert {n for s in plan.selected for n in s.needs} >= {"accommodation", "finance_benefits_debt"}


def test_sexual_offence_asks_about_the_four_factors(catalogue):
    """Section 3: OGRS is not a good predictor of sexual reoffending; four factors."""
    plan = run(catalogue, offence={"index_offence": "sexual", "sexually_motivated": True})
    text = " ".join(plan.assessment.warnings)
    assert "not a good predictor of sexual reoffending" in text
    assert "No sexual offending factor recorded" in text
    plan = run(
        catalogue,
        offence={"index_offence": "sexual", "sexually_motivated": True},
        circumstances={**BENIGN, "sexual_offending_factors": ["lack_of_self_management"]},
    )
    assert "a lack of self-management" in " ".join(plan.assessment.warnings)


def test_many_more_needs_than_the_band_average_is_pointed_out(catalogue):
    """Section 3: 'the more of these needs the person has, the greater their risk'."""
    areas = (
        "accommodation",
        "education_training_employment",
        "relationships",
        "lifestyle_associates",
        "finance_benefits_debt",
        "emotional_management",
    )
    needs = dict.fromkeys(areas, True)
    plan = run(catalogue, scores={"ogrs": 30}, needs=needs)  # low band: average 3.2
    assert any("more than the 3.2 average" in w for w in plan.assessment.warnings)


def test_few_needs_for_a_long_rar_is_pointed_out(catalogue):
    plan = run(
        catalogue,
        scores={"ogrs": 95},
        needs={"accommodation": True, "finance_benefits_debt": False},
    )
    assert any("Only one need identified" in w for w in plan.assessment.warnings)


@pytest.mark.parametrize("ogrs", [30, 62, 80, 95])
def test_proposed_days_stay_within_the_guideline(catalogue, ogrs):
    a = run(catalogue, scores={"ogrs": ogrs}).assessment
    assert a.guideline_days is not None and a.proposed_days is not None
    assert a.guideline_days["min"] <= a.proposed_days <= a.guideline_days["max"]


def test_sentenced_never_above_the_courts_maximum(catalogue):
    """Section 4: 'the number of RAR days cannot exceed that proposed by the court'."""
    sentence = sentenced(10)
    a = run(catalogue, sentence=sentence).assessment
    assert a.proposed_days == 10
    assert any("below the guideline" in w for w in a.warnings)


def test_officer_cannot_plan_more_days_than_the_court_ordered(catalogue):
    sentence = sentenced(20)
    with pytest.raises(RefusedByRules, match="court's maximum of 20"):
        run(catalogue, sentence=sentence, plan={"proposed_days": 21})


def test_pre_sentence_writes_the_proposal_paragraph(catalogue):
    """Section 3: the PSR gives the number of days, the needs the RAR focuses on, and why."""
    a = run(catalogue).assessment
    assert a.psr_proposal.startswith(
        f"I propose a Rehabilitation Activity Requirement of up to {a.proposed_days} RAR days"
    )
    assert "accommodation" in a.psr_proposal and "finance, benefits and debt" in a.psr_proposal
    after = run(catalogue, sentence=sentenced(20)).assessment
    assert after.psr_proposal == ""


def test_proposes_one_intervention_per_need_from_the_eligible_ones(catalogue):
    plan = run(catalogue)
    chosen = {s.id: s for s in plan.selected}
    statuses = {r.id: r.status for r in plan.assessment.interventions}
    assert all(statuses[i] == "eligible" for i in chosen)
    covered = {n for s in plan.selected for n in s.needs}
    assert covered == {"accommodation", "finance_benefits_debt"}


def test_choosing_an_excluded_intervention_needs_an_override(catalogue):
    """Believe and Succeed is women only (rate card, Women's support > Believe and Succeed)."""
    with pytest.raises(RefusedByRules, match="believe-and-succeed is excluded"):
        run(catalogue, plan={"interventions": ["believe-and-succeed"]})
    plan = run(
        catalogue,
        plan={
            "interventions": ["believe-and-succeed"],
            "overrides": {"believe-and-succeed": "Agreed with provider"},
        },
    )
    assert plan.selected[0].override_reason == "Agreed with provider"


def test_unknown_intervention_is_invalid_input_with_suggestion(catalogue):
    with pytest.raises(InvalidInput) as err:
        run(catalogue, plan={"interventions": ["job-clubb"]})
    assert "plan.interventions[0]" in err.value.message
    assert "job-club" in err.value.hint


def test_a_need_with_no_suitable_intervention_is_recorded(catalogue):
    """Section 6: if no suitable activity exists, record it with the reasons."""
    # physical health: only the MSRP health module; make it unavailable by choosing others.
    plan = run(
        catalogue,
        needs={"physical_health": True},
        plan={"interventions": ["msrp-home", "msrp-money"]},
    )
    unmet = {u.need: u.reason for u in plan.unmet_needs}
    assert "physical_health" in unmet
    assert "guidance section 6" in unmet["physical_health"]


def test_desired_outcomes_default_to_the_catalogue_s_and_can_be_replaced(catalogue):
    """Section 5: the RO and the person agree the desired outcomes ahead of the activities; by
    default the catalogue's, in the person's words (issue 20, "Words people read")."""
    plan = run(catalogue, plan={"interventions": ["msrp-home"]})
    assert plan.selected[0].desired_outcomes == [
        "Find a safe, settled place to live and keep it",
        "Stay away from crime",
    ]
    plan = run(
        catalogue,
        plan={
            "interventions": ["msrp-home"],
            "outcomes": {"msrp-home": ["Secure a tenancy by March"]},
        },
    )
    assert plan.selected[0].desired_outcomes == ["Secure a tenancy by March"]


def test_agreement_and_responsible_officer_are_recorded(catalogue):
    plan = run(
        catalogue,
        plan={
            "agreement": "does_not_agree",
            "agreement_note": "Disputes need",
            "responsible_officer": "RO 12",
        },
    )
    assert plan.agreement.status == "does_not_agree"
    assert plan.agreement.note == "Disputes need"
    assert plan.responsible_officer == "RO 12"


def test_missing_ogrs_is_an_error_naming_the_key(catalogue):
    case = make(scores={"ogrs": None})
    with pytest.raises(InvalidInput, match="scores.ogrs: required"):
        assess(case, catalogue, source="case.toml")


def test_missing_facts_make_checks_not_passes(catalogue):
    """A rule needing an unrecorded fact is a `check`, never a silent pass."""
    case = Case.model_validate(
        {"crn": "X123456", "scores": {"ogrs": 60}, "needs": {"emotional_management": True}}
    )
    plan = assess(case, catalogue, today=date(2026, 11, 23))
    statuses = {r.id: r for r in plan.assessment.interventions}
    assert statuses["anger-management"].status == "check"
    assert statuses["anger-management"].reasons


def test_json_result_keys_are_the_contract(catalogue):
    data = result_dict(run(catalogue), "X123456.plan.toml", catalogue)
    for key in (
        "crn",
        "band",
        "guideline_days",
        "proposed_days",
        "needs",
        "treatment_requirements",
        "interventions",
        "selected",
        "warnings",
        "plan_file",
    ):
        assert key in data
    assert set(data["interventions"][0]) >= {"id", "status", "reasons", "needs"}


def test_json_result_is_the_output_models_dump(catalogue):
    """The `--json` result is `AssessResult`'s dump, key for key and in order; a batch line is
    the same after the line's own keys, in rarplan's JSON layout (", " and ": ")."""
    plan = run(catalogue, sentence=sentenced(20))
    data = result_dict(plan, "X123456.plan.toml", catalogue)
    assert list(data) == list(AssessResult.model_fields)
    assert AssessResult.model_validate(data).model_dump(mode="json") == data
    assert [i["needs"] for i in data["interventions"]] == [list(e.needs) for e in catalogue]
    line = result_json(plan, "X123456.plan.toml", catalogue, schema_version=1, line=7)
    assert line == json.dumps({"schema_version": 1, "line": 7, **data}, ensure_ascii=False)
    assert "\n" not in line


def test_equal_intervention_results_are_one_shared_object(catalogue):
    """Cases with the same judgement of an entry share its result (never changed in place)."""
    first = run(catalogue).assessment.interventions
    again = run(catalogue, crn="X654321").assessment.interventions
    assert all(a is b for a, b in zip(first, again, strict=True))


def test_modular_hours_are_trimmed_to_fit_the_courts_days(catalogue):
    """Rate card: MSRP services are a 'Maximum of six hours'; guidance section 4: never more
    RAR days than the court ordered. Three six-hour services (18 days) fit into 10."""
    sentence = sentenced(10)
    plan = run(
        catalogue,
        sentence=sentence,
        needs={
            "accommodation": True,
            "finance_benefits_debt": True,
            "education_training_employment": True,
        },
        plan={"interventions": ["msrp-home", "msrp-money", "msrp-future"]},
    )
    assert sum(s.rar_days_estimate for s in plan.selected) == 10
    assert all(s.appointments is not None and 2 <= s.appointments < 6 for s in plan.selected)
    assert any("to fit the court's 10 RAR days" in w for w in plan.assessment.warnings)
    fixed = run(
        catalogue,
        sentence=sentence,
        plan={"interventions": ["msrp-home"], "hours": {"msrp-home": 6}},
    )
    assert fixed.selected[0].appointments == 6  # the officer's own figure is kept


def test_ogrs3_inputs_give_an_estimate_marked_as_such(catalogue):
    """reference/ogrs3.md worked check: male, 59 at conviction, 60 at follow-up, 2 sanctions,
    first at 47, soliciting: 2-year 16%. The plan marks it estimated."""
    case = make(
        scores={"ogrs": None},
        ogrs3={
            "age_at_conviction": 59,
            "age_at_follow_up": 60,
            "sanctions": 2,
            "age_at_first_sanction": 47,
            "offence": "soliciting",
        },
    )
    plan = assess(case, catalogue, today=date(2026, 11, 23))
    assert plan.assessment.ogrs == 16
    assert plan.assessment.ogrs_estimated is True
    assert plan.assessment.band == "none"
    assert any("estimated" in w and "OASys" in w for w in plan.assessment.warnings)
    assert "(estimated)" in plan.assessment.rationale


def test_the_proposal_fits_the_courts_days_or_says_which_need_does_not(catalogue):
    """Guidance section 4: never more RAR days than the court ordered; section 6: a need with
    no suitable activity is recorded with the reason. Court maximum 5 days, three needs."""
    sentence = sentenced(5)
    plan = run(
        catalogue,
        sentence=sentence,
        needs={
            "accommodation": True,
            "finance_benefits_debt": True,
            "education_training_employment": True,
        },
    )
    assert sum(s.rar_days_estimate for s in plan.selected) <= 5
    reasons = " ".join(u.reason for u in plan.unmet_needs)
    assert "do not fit the" in reasons and "court's 5" in reasons
