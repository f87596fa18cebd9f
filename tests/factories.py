"""Build cases and plans for tests without going through `rarplan assess`."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from rarplan.model.case import Case
from rarplan.model.plan import Assessment, Plan, SelectedIntervention


def case(**overrides: Any) -> Case:
    """A sentenced community-order case: male, 30, OGRS 62, benign circumstances."""
    data: dict[str, Any] = {
        "crn": "X123456",
        "sex": "male",
        "age": 30,
        "region": "kent",
        "sentence": {
            "stage": "sentenced",
            "order": "community_order",
            "start_date": date(2027, 1, 4),
            "length_months": 12,
            "rar_max_days": 20,
        },
        "offence": {"index_offence": "violence", "seriousness": "medium"},
        "scores": {"ogrs": 62, "risk_of_harm": "medium"},
        "needs": {"accommodation": True, "education_training_employment": True},
    }
    for key, value in overrides.items():
        if isinstance(value, dict) and isinstance(data.get(key), dict):
            data[key] = {**data[key], **value}
        else:
            data[key] = value
    return Case.model_validate(data)


def plan(
    interventions: list[str] | None = None,
    *,
    rar_max_days: int = 20,
    start: date = date(2027, 1, 4),
    length_months: int = 12,
    appointments: dict[str, int] | None = None,
    **case_overrides: Any,
) -> Plan:
    """A plan selecting `interventions` (catalogue ids), not yet scheduled."""
    sentence = {"start_date": start, "length_months": length_months, "rar_max_days": rar_max_days}
    the_case = case(sentence=sentence, **case_overrides)
    chosen = interventions if interventions is not None else ["msrp-home", "job-club"]
    return Plan(
        crn=the_case.crn,
        created=datetime(2027, 1, 4, 9, 0),
        responsible_officer="RO Test",
        case=the_case,
        assessment=Assessment(
            assessed_on=date(2027, 1, 4),
            ogrs=the_case.scores.ogrs,
            band="medium",
            guideline_days={"min": 15, "max": 25},
            needs=the_case.needs.identified(),
            proposed_days=rar_max_days,
        ),
        selected=[
            SelectedIntervention(
                id=i,
                appointments=(appointments or {}).get(i),
                desired_outcomes=[f"Outcome for {i}"],
            )
            for i in chosen
        ],
    )
