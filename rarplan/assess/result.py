"""The intervention results shared between plans, and the `--json` result of assess.

A batch gives thousands of cases the same judgement of an entry: the result built from it is
one object, shared (never changed in place), with its JSON and TOML text made once.
"""

from __future__ import annotations

import json

from rarplan.assess.eligibility import Verdict
from rarplan.catalogue.models import Catalogue
from rarplan.files import tomlout
from rarplan.model.plan import InterventionResult, Plan

SHARED_RESULTS = 8_000  # results kept (with their encoded forms) for the life of the process
_KEPT: list[InterventionResult] = []  # keeps each registered result alive: ids are the keys
_FRAGMENTS: dict[int, str] = {}  # id of a shared result -> its JSON in the --json result


def shared_result(catalogue: Catalogue, verdict: Verdict, addresses: bool) -> InterventionResult:
    """The entry's result, kept in the verdict to be shared by every case with that verdict
    and need flag (results are never changed in place), with its JSON and TOML text."""
    j = verdict.judgement
    found = InterventionResult.model_construct(
        id=j.id,
        status=j.status,  # type: ignore[arg-type]
        reasons=list(j.reasons),
        addresses_identified_need=addresses,
    )
    if len(_KEPT) < SHARED_RESULTS:
        _KEPT.append(found)
        verdict.results[addresses] = found
        _FRAGMENTS[id(found)] = _encode(_intervention_json(found, catalogue))
        tomlout.share(found)
    return found


def result_dict(
    plan: Plan, plan_file: str | None, catalogue: Catalogue, *, interventions: bool = True
) -> dict[str, object]:
    """The `--json` result of assess: the contract scripts rely on (README, 'assess')."""
    a = plan.assessment
    return {
        "crn": plan.crn,
        "stage": plan.case.sentence.stage,
        "ogrs": a.ogrs,
        "ogrs_estimated": a.ogrs_estimated,
        "band": a.band,
        "band_label": a.band_label,
        "guideline_days": a.guideline_days,
        "average_needs": a.average_needs,
        "propose_rar": a.propose_rar,
        "proposed_days": a.proposed_days,
        "rar_max_days": plan.case.sentence.rar_max_days,
        "needs": a.needs,
        "treatment_requirements": a.treatment_requirements,
        "accredited_programmes": a.accredited_programmes,
        "interventions": [_intervention_json(r, catalogue) for r in a.interventions]
        if interventions
        else None,
        "selected": [s.id for s in plan.selected],
        "desired_outcomes": {s.id: s.desired_outcomes for s in plan.selected},
        "overrides": {s.id: s.override_reason for s in plan.selected if s.override_reason},
        "unmet_needs": [{"need": u.need, "reason": u.reason} for u in plan.unmet_needs],
        "rationale": a.rationale,
        "psr_proposal": a.psr_proposal,
        "warnings": a.warnings,
        "plan_file": plan_file,
    }


def _intervention_json(r: InterventionResult, catalogue: Catalogue) -> dict[str, object]:
    entry = catalogue.entries.get(r.id)
    return {
        "id": r.id,
        "status": r.status,
        "reasons": r.reasons,
        "needs": list(entry.needs) if entry is not None else [],  # the catalogue's
        "addresses_identified_need": r.addresses_identified_need,
    }


_encode = json.JSONEncoder(ensure_ascii=False, default=str).encode


def result_json(plan: Plan, plan_file: str | None, catalogue: Catalogue, **head: object) -> str:
    """`result_dict` as one JSON line, reusing the encoded form of shared results (batch)."""
    data = {**head, **result_dict(plan, plan_file, catalogue, interventions=False)}
    text = _encode(data)
    parts = [
        _FRAGMENTS.get(id(r)) or _encode(_intervention_json(r, catalogue))
        for r in plan.assessment.interventions
    ]
    return text.replace('"interventions": null', '"interventions": [' + ", ".join(parts) + "]", 1)
