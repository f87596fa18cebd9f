"""Words people read (issue 20, "Words people read (documents)"; issue 16, "every document says
only what is true").

- The person document speaks to the person: each activity by the name a person would say (the
  catalogue's `plain_name`), and default desired outcomes in the person's words that fit every
  order (RAR guidance, docs/sources/001_246201b7ec5ee73b.txt, section 5: the outcomes are agreed
  ahead with the person; the officer can replace them, `[plan.outcomes]`).
- The court proposal reads like a report (001 section 3: the days, the needs the RAR would
  focus on, and why); when the days are raised to the guideline's least for the band, it says
  why ("the number of RAR days allocated should take into account the complexity and severity
  of someone's needs and their risk of reoffending").
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest

from rarplan.assess.assessment import assess
from rarplan.catalogue import load as cat
from rarplan.documents import render
from tests.assess.test_assessment import BENIGN, make

TODAY = date(2027, 1, 4)
ALL_NEEDS = {
    "accommodation": True,
    "education_training_employment": True,
    "relationships": True,
    "lifestyle_associates": True,
    "alcohol_misuse": True,
    "emotional_management": True,
    "attitudes_thinking_behaviour": True,
    "finance_benefits_debt": True,
}
SENTENCES: dict[str, dict[str, Any]] = {
    "community order": {
        "stage": "sentenced",
        "order": "community_order",
        "start_date": date(2027, 1, 11),
        "length_months": 12,
        "rar_max_days": 40,
    },
    "suspended sentence order": {
        "stage": "sentenced",
        "order": "suspended_sentence_order",
        "start_date": date(2027, 1, 11),
        "length_months": 18,
        "rar_max_days": 40,
    },
    "pre-sentence": {"stage": "pre_sentence", "order": "community_order"},
}
# The card's words for the officer, which a person's plan must not use.
OFFICER_WORDS = re.compile(
    r"service users?|the individual|likelihood of reoffending|need\(s\)|\btheir\b", re.I
)


@pytest.fixture(scope="module", params=["rate-card", "structured"])
def catalogue(request) -> cat.Catalogue:
    return cat.load(cat.resolve_path(request.param))


def test_every_entry_has_a_plain_name_and_outcomes_in_the_person_s_words(catalogue):
    for entry in catalogue:
        assert entry.plain_name and entry.plain_name != entry.name.lower(), entry.id
        assert entry.outcomes, entry.id
        for text in (entry.plain_name, *entry.outcomes):
            assert not OFFICER_WORDS.search(text), (entry.id, text)
            assert text[:1].isupper() and not text.endswith("."), (entry.id, text)
        if entry.setting != "custody":  # released on licence: only custody work speaks of it
            assert not any("licence" in o.lower() for o in entry.outcomes), entry.id


@pytest.mark.parametrize("kind", list(SENTENCES))
def test_a_community_sentence_s_person_plan_never_speaks_of_a_licence(catalogue, kind):
    """Issue 20: no "compliance with licence conditions" on a community order (every entry the
    assessment could choose, the plan rendered for the person)."""
    for entry in catalogue:
        if entry.setting == "custody":
            continue
        case = make(
            sentence=SENTENCES[kind],
            needs=ALL_NEEDS,
            circumstances=BENIGN,
            plan={"interventions": [entry.id], "overrides": {entry.id: "officer's choice"}},
        )
        plan = assess(case, catalogue, today=TODAY)
        text = render.render(plan, catalogue, "person")
        assert "licence" not in text.lower(), (entry.id, kind)
        assert f"### {entry.plain_name}\n" in text
        for outcome in entry.outcomes:
            assert f"- {outcome}\n" in text


def test_the_officer_can_still_replace_the_outcomes(catalogue):
    entry = next(iter(catalogue))
    case = make(
        sentence=SENTENCES["community order"],
        needs=ALL_NEEDS,
        circumstances=BENIGN,
        plan={
            "interventions": [entry.id],
            "overrides": {entry.id: "officer's choice"},
            "outcomes": {entry.id: ["Keep my tenancy until the order ends"]},
        },
    )
    plan = assess(case, catalogue, today=TODAY)
    text = render.render(plan, catalogue, "person")
    assert "- Keep my tenancy until the order ends\n" in text
    assert not any(f"- {o}\n" in text for o in entry.outcomes)


# --- the court proposal reads like a report -----------------------------------------------------

PROGRAM_WORDS = ("falls in the row", "at one session a date", "need(s)", "None")


@pytest.fixture(scope="module")
def rate_card() -> cat.Catalogue:
    return cat.load()


@pytest.mark.parametrize(
    ("ogrs", "needs"),
    [(12, {"finance_benefits_debt": True}), (40, {}), (62, {}), (80, ALL_NEEDS), (95, {})],
)
def test_the_court_proposal_has_no_program_output(rate_card, ogrs, needs):
    case = make(
        sentence=SENTENCES["pre-sentence"],
        scores={"ogrs": ogrs},
        needs={**({"accommodation": True, "finance_benefits_debt": True}), **needs},
        circumstances=BENIGN,
    )
    plan = assess(case, rate_card, today=TODAY)
    text = render.render(plan, rate_card, "court")
    for words in PROGRAM_WORDS:
        assert words not in text, (ogrs, words)


def test_days_raised_to_the_guideline_s_least_say_why(rate_card):
    """001 section 3: one six-session service in a medium band (15 to 25 days) takes about 6
    days; 15 are proposed, and the paragraph and rationale say why."""
    case = make(
        sentence=SENTENCES["pre-sentence"],
        scores={"ogrs": 60},
        needs={"accommodation": True, "finance_benefits_debt": False},
        circumstances=BENIGN,
        plan={"interventions": ["msrp-home"]},
    )
    plan = assess(case, rate_card, today=TODAY)
    a = plan.assessment
    assert a.proposed_days == 15
    assert (
        "rather than the activities alone: the activities named would take about 6 RAR days, "
        "and 15 is the least the guidance suggests at this likelihood of reoffending"
    ) in a.psr_proposal
    assert "15 days are proposed, the least the guidance suggests" in a.rationale
    text = render.render(plan, rate_card, "court")
    assert "and 15 is the least the guidance suggests" in text
    # not padded: the days are what the interventions take, and nothing is said
    case = make(
        sentence=SENTENCES["pre-sentence"],
        scores={"ogrs": 60},
        needs=ALL_NEEDS,
        circumstances=BENIGN,
    )
    plan = assess(case, rate_card, today=TODAY)
    assert plan.assessment.proposed_days and plan.assessment.proposed_days > 15
    assert "the least the guidance suggests" not in plan.assessment.psr_proposal


def test_numbers_of_needs_are_words_in_a_sentence(rate_card):
    case = make(
        sentence=SENTENCES["pre-sentence"],
        scores={"ogrs": 60},
        needs={"accommodation": True, "finance_benefits_debt": False},
        circumstances=BENIGN,
    )
    a = assess(case, rate_card, today=TODAY).assessment
    assert "One need was identified" in a.rationale
    assert "a need that evidence links to reoffending" in a.psr_proposal
    assert "and the one need identified" in a.psr_proposal or "least the guidance" in (
        a.psr_proposal
    )


def test_an_unmet_need_reads_for_the_court_and_the_officer_s_note_for_the_author(rate_card):
    """001 section 6: a need no activity meets is recorded with the reason. The court reads
    the officer's own reason, or a plain sentence; rarplan's reason (catalogue ids, case-file
    keys) is a note for the report's author."""
    sections: dict[str, Any] = {
        "sentence": SENTENCES["pre-sentence"],
        "scores": {"ogrs": 60},
        "needs": {"accommodation": True, "physical_health": True, "finance_benefits_debt": False},
        "circumstances": BENIGN,
        "plan": {"interventions": ["msrp-home"]},
    }
    plan = assess(make(**sections), rate_card, today=TODAY)
    (unmet,) = plan.unmet_needs
    text = render.render(plan, rate_card, "court")
    court, notes = text.split("## Notes for the author")
    assert "- Physical health: no suitable activity has been confirmed yet" in court
    assert unmet.reason not in court
    assert f"- Physical health: {unmet.reason}" in notes
    officer = {**sections, "plan": {**sections["plan"], "unmet_needs": {"physical_health": "GP"}}}
    plan = assess(make(**officer), rate_card, today=TODAY)
    assert "- Physical health: GP\n" in render.render(plan, rate_card, "court")
