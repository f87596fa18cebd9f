"""The assessment's paragraphs: the rationale for the days, and the pre-sentence proposal.

Guidance 001 section 3: the pre-sentence report gives the number of days, the needs the RAR
will focus on, and why, so the court understands what the RAR is likely to focus on.
"""

from __future__ import annotations

from collections.abc import Sequence

from rarplan.assess.bands import band_for
from rarplan.model.case import ORDER_NAMES, Case
from rarplan.model.plan import Assessment

TREATMENT_NAMES = {
    "alcohol_treatment": "an alcohol treatment requirement",
    "drug_rehabilitation": "a drug rehabilitation requirement",
    "mental_health_treatment": "a mental health treatment requirement",
}


def join(items: Sequence[str]) -> str:
    items = [i for i in items if i]
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " and " + items[-1]


def _days(n: int) -> str:
    return f"{n} RAR day" + ("" if n == 1 else "s")


def rationale_paragraph(
    case: Case, a: Assessment, interventions: Sequence[str], cost: int, rar_needs: Sequence[str]
) -> str:
    ogrs = f"{a.ogrs:g}%" + (" (estimated)" if a.ogrs_estimated else "")
    if a.predictor == "arp":  # the guidance's table was written for OGRS: say so
        parts = [
            f"An All Reoffending Predictor (ARP) score of {ogrs}, read on the guidance's OGRS "
            f'table as OGRS\'s successor, falls in the row "{_row(a)}"'
        ]
    else:
        parts = [f'An OGRS score of {ogrs} falls in the row "{_row(a)}" of the guidance table']
    if a.guideline_days and case.sentence.has_rar:
        parts[0] += (
            f": {a.band_label}, a guideline of {a.guideline_days['min']} to "
            f"{a.guideline_days['max']} days"
        )
    parts[0] += f", where people have {a.average_needs} needs on average."
    focus = "the RAR would address" if case.sentence.has_rar else "the plan addresses"
    parts.append(
        f"{len(a.needs)} need(s) were identified"
        + (f"; {focus} {join([n.lower() for n in rar_needs])}." if rar_needs else ".")
    )
    if not case.sentence.has_rar:
        return " ".join(parts)
    if not a.propose_rar:
        parts.append("No RAR is proposed.")
        return " ".join(parts)
    if interventions:
        parts.append(
            f"The interventions chosen ({join(interventions)}) would use about "
            f"{_days(cost)} at one session a date."
        )
    if a.proposed_days is not None:
        court = case.sentence.rar_max_days if case.sentence.stage == "sentenced" else None
        if court is not None:
            parts.append(
                f"The court ordered at most {_days(court)}; the plan uses up to "
                f"{_days(a.proposed_days)}."
            )
        else:
            parts.append(f"Proposed: up to {_days(a.proposed_days)}.")
    return " ".join(parts)


def no_rar_paragraph(case: Case, activity: str, interventions: Sequence[str]) -> str:
    """For a sentence with no RAR (licence, post-sentence supervision, custody): what is
    planned instead (RAR guidance 001 sections 1 and 2: a RAR belongs to a community order or
    a suspended sentence order)."""
    s = case.sentence
    if s.stage == "sentenced" and s.setting == "custody":
        what = "The person is in custody, where there is no RAR"
    else:
        what = f"The sentence is {ORDER_NAMES[s.order]}, which has no RAR"
    text = f"{what}: no RAR days are proposed, and the needs are planned as {activity}"
    if interventions:
        return f"{text}, with {join(list(interventions))}."
    return f"{text}."


def _row(a: Assessment) -> str:
    return band_for(a.ogrs or 0).ogrs_range


def proposal_paragraph(
    a: Assessment,
    rar_needs: Sequence[str],
    interventions: Sequence[str],
    treatments: Sequence[str],
    accredited: Sequence[str],
    accredited_names: Sequence[str],
    *,
    sexual_factors: Sequence[str] = (),
) -> str:
    """The paragraph for the pre-sentence report."""
    first = []
    if treatments:
        first.append(
            f"I also propose {join([TREATMENT_NAMES[t] for t in treatments])}, "
            "subject to consent, as treatment is the preferred route for those needs."
        )
    if accredited:
        first.append(
            f"An accredited programme ({join(list(accredited_names))}) is the preferred "
            "intervention for the needs it addresses; the RAR would cover the others."
        )
    if not a.propose_rar or a.proposed_days is None:
        if a.band == "none":
            why = (
                f"An OGRS score of {a.ogrs:g}% indicates a low likelihood of reoffending, and "
                "no dynamic risk factors were identified that would make this an exceptional "
                "case."
            )
        else:
            why = "The needs identified are better met by the requirements proposed below."
        return " ".join(["I do not propose a Rehabilitation Activity Requirement.", why, *first])
    text = (
        f"I propose a Rehabilitation Activity Requirement of up to {_days(a.proposed_days)}."
        f" The RAR would focus on {join([n.lower() for n in rar_needs])}, needs that "
        "evidence links to reoffending and whose resolution gives the stability to "
        "address other issues."
    )
    if interventions:
        text += f" Activities likely to be used include {join(interventions)}."
    if a.guideline_days:
        text += (
            f" The number of days reflects an OGRS score of {a.ogrs:g}% ({a.band_label}) and "
            f"the {len(a.needs)} need(s) identified."
        )
    elif sexual_factors:
        text += (
            f" The OGRS score of {a.ogrs:g}% is below 25%, but OGRS is not a good predictor of "
            f"sexual reoffending; the RAR would address the factors identified: "
            f"{join(list(sexual_factors))}."
        )
    else:
        text += (
            f" The number of days reflects an OGRS score of {a.ogrs:g}% (the exceptional-case "
            f"route) and the {len(a.needs)} need(s) identified."
        )
    return " ".join([text, *first])
