"""The `--json` result of `rarplan assess`: the contract scripts rely on (README, 'assess').

`AssessResult.model_dump(mode="json")` is the result, key for key and in this order; a batch
writes it as one JSON line after the line's own keys (`schema_version`, `line`).
"""

from __future__ import annotations

import json

from pydantic import BaseModel, ConfigDict

from rarplan.assess.treatment import needs_left
from rarplan.catalogue.compiled import SHARED_RESULTS
from rarplan.catalogue.models import Catalogue
from rarplan.model.plan import InterventionResult, Plan, Status, UnmetNeed


class _Output(BaseModel):
    # defer_build: the validators are built when a --json result is first made, not on import
    model_config = ConfigDict(extra="forbid", defer_build=True)


class JudgedIntervention(_Output):
    """A catalogue entry judged against the case, with the needs the catalogue says it meets."""

    id: str
    status: Status
    reasons: list[str]
    needs: list[str]  # the catalogue's; none for an id the catalogue no longer has
    addresses_identified_need: bool


class AssessResult(_Output):
    crn: str
    stage: str
    has_rar: bool  # a community order or suspended sentence order, not in custody
    ogrs: float | None
    ogrs_estimated: bool
    predictor: str  # "ogrs3" | "arp": which predictor `ogrs` (the 2-year %) came from
    band: str
    band_label: str
    guideline_days: dict[str, int] | None
    average_needs: float | None
    propose_rar: bool
    proposed_days: int | None
    rar_max_days: int | None
    needs: list[str]
    rar_needs: list[str]  # the needs no treatment requirement or accredited programme meets
    treatment_requirements: list[str]
    accredited_programmes: list[str]
    interventions: list[JudgedIntervention]
    selected: list[str]
    desired_outcomes: dict[str, list[str]]
    overrides: dict[str, str]
    unmet_needs: list[UnmetNeed]
    rationale: str
    psr_proposal: str
    warnings: list[str]
    plan_file: str | None


def assess_result(plan: Plan, plan_file: str | None, catalogue: Catalogue) -> AssessResult:
    """The result of assessing `plan`'s case, written to `plan_file` (None: not written)."""
    a = plan.assessment
    return AssessResult(
        crn=plan.crn,
        stage=plan.case.sentence.stage,
        has_rar=plan.case.sentence.has_rar,
        ogrs=a.ogrs,
        ogrs_estimated=a.ogrs_estimated,
        predictor=a.predictor or "ogrs3",
        band=a.band,
        band_label=a.band_label,
        guideline_days=a.guideline_days,
        average_needs=a.average_needs,
        propose_rar=a.propose_rar,
        proposed_days=a.proposed_days,
        rar_max_days=plan.case.sentence.rar_max_days if plan.case.sentence.has_rar else None,
        needs=a.needs,
        rar_needs=needs_left(a, catalogue),
        treatment_requirements=a.treatment_requirements,
        accredited_programmes=a.accredited_programmes,
        interventions=[_judged(r, catalogue) for r in a.interventions],
        selected=[s.id for s in plan.selected],
        desired_outcomes={s.id: s.desired_outcomes for s in plan.selected},
        overrides={s.id: s.override_reason for s in plan.selected if s.override_reason},
        unmet_needs=plan.unmet_needs,
        rationale=a.rationale,
        psr_proposal=a.psr_proposal,
        warnings=a.warnings,
        plan_file=plan_file,
    )


def _judged(r: InterventionResult, catalogue: Catalogue) -> JudgedIntervention:
    """`r` with the needs its entry meets: one object for every plan with the same values."""
    memo = catalogue.compiled.judged
    key = (r.id, r.status, tuple(r.reasons), r.addresses_identified_need)
    found = memo.get(key)
    if found is None:
        entry = catalogue.entries.get(r.id)
        found = JudgedIntervention(
            id=r.id,
            status=r.status,
            reasons=r.reasons,
            needs=list(entry.needs) if entry is not None else [],
            addresses_identified_need=r.addresses_identified_need,
        )
        if len(memo) < SHARED_RESULTS:
            memo[key] = found
    return found


def result_dict(plan: Plan, plan_file: str | None, catalogue: Catalogue) -> dict[str, object]:
    """The `--json` result of assess, as JSON-ready values."""
    return assess_result(plan, plan_file, catalogue).model_dump(mode="json")


# rarplan's JSON layout (as `rarplan.cli.output.emit_json` writes it). A dump is a tree, never
# containing itself: the encoder need not check for that (a fifth of its time here).
_encode = json.JSONEncoder(ensure_ascii=False, check_circular=False).encode


def result_json(plan: Plan, plan_file: str | None, catalogue: Catalogue, **head: object) -> str:
    """`result_dict` as one JSON line, after the keys of `head` (a batch's line number)."""
    return _encode({**head, **result_dict(plan, plan_file, catalogue)})
