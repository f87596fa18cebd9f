"""What the officer chooses from, for a case: the judgement questions still open, the
interventions to choose for its needs, and the unmet needs to record with a reason.

The wizard asks about these (rarplan.cli.wizard.plan); a script can ask for them too.
Guidance 001: section 6 (a need with no suitable activity is recorded with the reasons).
"""

from __future__ import annotations

from rarplan.assess.assessment import assess, not_addressed
from rarplan.assess.eligibility import judge_all
from rarplan.catalogue.models import Catalogue
from rarplan.catalogue.rules import check_keys
from rarplan.model.case import Case, PlanChoices
from rarplan.model.plan import InterventionResult, Plan

# The order interventions are offered in: those the person is eligible for first.
STATUS_ORDER = {"eligible": 0, "check": 1, "excluded": 2}


def without_choices(case: Case) -> Case:
    """The case with no plan choices: what the assessment proposes by itself."""
    return case.model_copy(update={"plan": PlanChoices()})


def pending_checks(
    case: Case, catalogue: Catalogue, include_answered: bool = False
) -> list[tuple[str, str, list[str]]]:
    """(check key, question, entry ids) for the judgement questions of the interventions that
    address an identified need and stand at `check` because of them. With `include_answered`,
    the questions already answered too (and those of excluded interventions), to revise."""
    needs = set(case.needs.identified())
    judged = {j.id: j for j in judge_all(catalogue, case)}
    found: dict[str, tuple[str, list[str]]] = {}
    for entry in catalogue:
        if not needs & set(entry.needs):
            continue
        status = judged[entry.id].status
        if status == "excluded" and not include_answered:
            continue
        for criterion in (*entry.eligibility, *entry.not_suitable):
            for key, question in check_keys(criterion):
                if key in case.checks and not include_answered:
                    continue
                if status != "check" and key not in case.checks:
                    continue
                found.setdefault(key, (question, []))[1].append(entry.id)
    return [(key, question, ids) for key, (question, ids) in found.items()]


def candidates(
    case: Case, catalogue: Catalogue, chosen: list[str], source: str = "case"
) -> tuple[Plan, list[InterventionResult]]:
    """The assessment's own proposal, and the interventions to choose from in the order shown:
    those meeting an identified need in the person's setting (plus any already `chosen`),
    eligible first, then those to check, then the excluded."""
    proposal = assess(without_choices(case), catalogue, source=source)
    setting = case.sentence.setting
    results = [
        r
        for r in proposal.assessment.interventions
        if (r.addresses_identified_need and catalogue.entries[r.id].setting in ("either", setting))
        or r.id in chosen
    ]
    return proposal, sorted(results, key=lambda r: STATUS_ORDER[r.status])


def unmet_needs_to_record(
    case: Case, catalogue: Catalogue, source: str = "case"
) -> tuple[list[str], dict[str, str]]:
    """The needs the chosen interventions leave unmet (whatever reasons the officer gave),
    and, for those the assessment itself found no intervention for, its reason (a default)."""
    bare = case.model_copy(update={"plan": case.plan.model_copy(update={"unmet_needs": {}})})
    uncovered = [u.need for u in assess(bare, catalogue, source=source).unmet_needs]
    proposed = {
        u.need: u.reason
        for u in assess(without_choices(case), catalogue, source=source).unmet_needs
        if u.reason != not_addressed(u.need)  # the placeholder asks the officer for a reason
    }
    return uncovered, proposed
