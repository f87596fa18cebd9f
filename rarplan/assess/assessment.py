"""The assessment: band and guideline days from OGRS, what comes before a RAR, every catalogue
entry judged, the selection, proposed days with a rationale, and the plan.

Rules from the RAR guidance, ../shared/seeds/001_246201b7ec5ee73b.txt:
section 2 (accredited programmes and treatment requirements come first), section 3 (needs,
the OGRS table, below 25%, sexual offending, the pre-sentence proposal), sections 5 and 6
(desired outcomes agreed ahead; a need with no suitable activity is recorded with reasons).
"""

from __future__ import annotations

from datetime import date, datetime

from rarplan.assess.bands import Band, band_for
from rarplan.assess.eligibility import Judgement, judge_all
from rarplan.assess.selection import build_selection, fit_to_days, propose, validate_choice
from rarplan.assess.wording import proposal_paragraph, rationale_paragraph
from rarplan.catalogue.compiled import SHARED_RESULTS, CompiledCatalogue
from rarplan.catalogue.models import Catalogue, Intervention
from rarplan.model.case import Case
from rarplan.model.errors import InvalidInput, RefusedByRules
from rarplan.model.needs import NEED_LABELS
from rarplan.model.plan import (
    SCHEMA_VERSION,
    Agreement,
    Assessment,
    Availability,
    InterventionResult,
    Plan,
    UnmetNeed,
)

# Guidance section 2 and 3: which treatment requirement meets which need.
TREATMENT_FOR = {
    "alcohol_dependent": ("alcohol_treatment", "alcohol_misuse"),
    "misuses_illegal_drugs": ("drug_rehabilitation", "drug_misuse"),
    "treatable_mental_health_condition": ("mental_health_treatment", "emotional_management"),
}
TREATMENT_LABELS = {
    "alcohol_treatment": "an alcohol treatment requirement (ATR)",
    "drug_rehabilitation": "a drug rehabilitation requirement (DRR)",
    "mental_health_treatment": "a mental health treatment requirement (MHTR)",
}
SEXUAL_FACTORS = {
    "unusual_sexual_interests": "unusual sexual interests",
    "attitudes_supporting_sexual_offending": "attitudes that support sexual offending",
    "poor_emotional_relationships_with_adults": "poor emotional relationships with adults",
    "lack_of_self_management": "a lack of self-management",
}
# A "large mismatch" between the needs counted and the band's average (section 3).
NEEDS_MISMATCH = 2.0


def ogrs_of(case: Case, source: str) -> tuple[float, bool]:
    """The OGRS3 2-year score, or an estimate from [ogrs3] inputs (marked as estimated)."""
    if case.scores.ogrs is not None:
        return case.scores.ogrs, False
    if case.ogrs3 is not None:
        from rarplan.assess.ogrs import estimate

        return float(estimate(case.ogrs3, case.ogrs3.sex or case.sex).two_year), True
    raise InvalidInput(
        f"{source}: scores.ogrs: required (the OGRS3 2-year %, 0-100)",
        hint="or give [ogrs3] inputs for an estimate, as `rarplan ogrs` takes them",
    )


def treatment_requirements(case: Case) -> tuple[list[str], dict[str, str]]:
    """Suggested treatment requirements, and the needs they meet instead of a RAR."""
    suggested: list[str] = []
    met: dict[str, str] = {}
    for fact, (requirement, need) in TREATMENT_FOR.items():
        if getattr(case.circumstances, fact):
            suggested.append(requirement)
            met[need] = requirement
    return suggested, met


def assess(
    case: Case,
    catalogue: Catalogue,
    *,
    source: str = "case",
    today: date | None = None,
    now: datetime | None = None,
) -> Plan:
    """Assess a case and build its sentence plan (not yet scheduled)."""
    today = today or date.today()
    ogrs, estimated = ogrs_of(case, source)
    band = band_for(ogrs)
    warnings: list[str] = []
    if estimated:
        warnings.append(
            f"OGRS {ogrs:g}% is estimated from [ogrs3] inputs; the official score comes from OASys."
        )
    compiled = catalogue.compiled
    judged = judge_all(catalogue, case, today, ogrs)
    judgements = dict(zip(compiled.ids, judged, strict=True))
    needs = case.needs.identified()
    need_set = frozenset(needs)
    treatments, met_by_treatment = treatment_requirements(case)
    for requirement in treatments:
        warnings.append(
            f"Consider {TREATMENT_LABELS[requirement]} first (guidance section 2); it needs "
            "the person's consent."
        )
    # Non-dependent alcohol misuse stays a RAR need (section 3): only dependence moves the
    # alcohol need to an ATR, and likewise drugs to a DRR and a treatable condition to an MHTR.
    programmes: list[Intervention] = []  # eligible, meeting a need
    possible: list[Intervention] = []  # to check, meeting a need
    for entry in compiled.accredited:
        if need_set.isdisjoint(entry.needs):
            continue
        status = judgements[entry.id].status
        if status == "eligible":
            programmes.append(entry)
        elif status == "check":
            possible.append(entry)
    accredited = [e.id for e in programmes]
    met_by_programme = {n for e in programmes for n in e.needs if n in need_set}
    if programmes:
        warnings.append(
            f"Eligible accredited programme: {', '.join(e.name for e in programmes)}. It is the "
            "preferred intervention for the needs it meets; a RAR alongside it only for needs "
            "it does not address (guidance section 2)."
        )
    if possible:
        warnings.append(
            f"Accredited programme to consider once its criteria are checked: "
            f"{', '.join(e.name for e in possible)} (guidance section 2)."
        )
    rar_needs = [n for n in needs if n not in met_by_treatment and n not in met_by_programme]
    warnings.extend(_sexual_offending(case, accredited))
    warnings.extend(_needs_mismatch(band, len(needs)))

    propose_rar, below_25 = _propose_rar(band, case, rar_needs)
    warnings.extend(below_25)

    if case.plan.interventions:
        ids = validate_choice(
            catalogue, judgements, case.plan.interventions, case.plan.overrides, source
        )
        unmet = [UnmetNeed(need=n, reason=r) for n, r in case.plan.unmet_needs.items()]
        for entry_id in ids:
            if judgements[entry_id].status == "check":
                warnings.append(
                    f"{entry_id}: criteria to check before referral: "
                    + "; ".join(judgements[entry_id].reasons)
                )
    elif propose_rar:
        budget = case.sentence.rar_max_days if case.sentence.stage == "sentenced" else None
        ids, unmet = propose(catalogue, judgements, rar_needs, case.sentence.setting, budget)
        for need, reason in case.plan.unmet_needs.items():
            unmet = [u for u in unmet if u.need != need] + [UnmetNeed(need=need, reason=reason)]
    else:
        ids, unmet = [], []
    covered = {n for i in ids for n in catalogue.entries[i].needs}
    recorded = {u.need for u in unmet}
    for need in rar_needs:
        if propose_rar and need not in covered and need not in recorded:
            unmet.append(UnmetNeed(need=need, reason=not_addressed(need)))

    selected = build_selection(
        catalogue, ids, need_set, case.plan.overrides, case.plan.hours, case.plan.outcomes
    )
    court = case.sentence.rar_max_days
    if case.sentence.stage == "sentenced" and court is not None:
        trimmed = fit_to_days(catalogue, selected, court, case.plan.hours)
        if trimmed:
            warnings.append("Fewer hours of modular services: " + "; ".join(trimmed) + ".")
    cost = sum(s.rar_days_estimate for s in selected)
    proposed, day_warnings = _proposed_days(band, case, cost, propose_rar)
    warnings.extend(day_warnings)

    addresses = compiled.addresses(need_set)
    interventions = [
        intervention_result(compiled, j, a) for j, a in zip(judged, addresses, strict=True)
    ]
    # The paragraphs are set below, as they read the assessment.
    assessment = Assessment(
        assessed_on=today,
        ogrs=ogrs,
        ogrs_estimated=estimated,
        band=band.name,
        band_label=band.label,
        guideline_days=band.guideline_days,
        average_needs=band.average_needs,
        needs=needs,
        treatment_requirements=treatments,
        accredited_programmes=accredited,
        propose_rar=propose_rar,
        proposed_days=proposed,
        warnings=warnings,
        interventions=interventions,
    )
    names = [catalogue.entries[i].name for i in ids]
    assessment.rationale = rationale_paragraph(
        case, assessment, names, cost, [NEED_LABELS[n] for n in rar_needs]
    )
    if case.sentence.stage == "pre_sentence":
        assessment.psr_proposal = proposal_paragraph(
            assessment,
            [NEED_LABELS[n] for n in rar_needs],
            names,
            treatments,
            accredited,
            [e.name for e in programmes],
        )
    # Models given as values (the case, the results) are taken as they are, not checked again.
    return Plan(
        schema_version=SCHEMA_VERSION,
        crn=case.crn,
        created=(now or datetime.now()).replace(microsecond=0),
        responsible_officer=case.plan.responsible_officer,
        case=case,
        assessment=assessment,
        selected=selected,
        unmet_needs=unmet,
        agreement=Agreement(
            status=case.plan.agreement or "could_not_answer", note=case.plan.agreement_note
        ),
        availability=Availability(),
        schedule=None,
        attendance=[],
        outcomes=[],
        completion=None,
        history=[],
    )


def not_addressed(need: str) -> str:
    """The reason recorded for a need none of the chosen interventions meets, until the
    officer gives one."""
    return (
        f"None of the chosen interventions addresses {NEED_LABELS[need].lower()}; record why "
        "(guidance section 6)."
    )


def intervention_result(
    compiled: CompiledCatalogue, judgement: Judgement, addresses: bool
) -> InterventionResult:
    """An entry's result in the plan. Thousands of cases share a judgement: the result is one
    object for them all, kept in the compiled catalogue (plans never change it in place)."""
    key = (judgement, addresses)
    found = compiled.results.get(key)
    if found is None:
        found = InterventionResult(
            id=judgement.id,
            status=judgement.status,
            reasons=list(judgement.reasons),
            addresses_identified_need=addresses,
        )
        if len(compiled.results) < SHARED_RESULTS:
            compiled.results[key] = found
    return found


def _sexual_offending(case: Case, accredited: list[str]) -> list[str]:
    """Section 3: OGRS is not a good predictor of sexual reoffending; four factors to assess."""
    if case.offence.index_offence != "sexual" and not case.offence.sexually_motivated:
        return []
    out = [
        "OGRS is not a good predictor of sexual reoffending (guidance section 3): assess "
        "the four factors most strongly predictive of sexual offending."
    ]
    factors = case.circumstances.sexual_offending_factors
    if factors:
        out.append(
            "Factors present, to address: " + ", ".join(SEXUAL_FACTORS[f] for f in factors) + "."
        )
    else:
        out.append(
            "No sexual offending factor recorded (circumstances.sexual_offending_factors)"
            ": confirm none of the four applies."
        )
    out.append(
        "If the person is eligible for an accredited programme, that should be the "
        "intervention of choice"
        + (
            f" ({', '.join(accredited)})."
            if accredited
            else "; none in this catalogue addresses sexual offending."
        )
    )
    return out


def _needs_mismatch(band: Band, count: int) -> list[str]:
    if count - band.average_needs >= NEEDS_MISMATCH:
        return [
            f"{count} needs identified: more than the {band.average_needs} average for "
            f"OGRS {band.ogrs_range}; consider whether the OGRS band understates the need."
        ]
    if band.average_needs - count >= NEEDS_MISMATCH:
        longest = f" and a RAR of up to {band.guideline_max} days" if band.guideline_max else ""
        return [
            f"Only {count} need(s) identified against an average of {band.average_needs} "
            f"for OGRS {band.ogrs_range}{longest}: check a long RAR is needed for few needs."
        ]
    return []


def _propose_rar(band: Band, case: Case, rar_needs: list[str]) -> tuple[bool, list[str]]:
    if band.name == "none":
        if not case.circumstances.dynamic_risk_factors.strip():
            return False, [
                "OGRS below 25%: a low likelihood of reoffending. A RAR only in "
                "exceptional circumstances with clear dynamic risk factors "
                "(guidance section 3); none recorded, so no RAR is proposed."
            ]
        return bool(rar_needs), [
            "OGRS below 25%: RAR proposed only as an exceptional case on "
            "the dynamic risk factors recorded (guidance section 3)."
        ]
    if not rar_needs:
        return False, [
            "No need is left for a RAR once treatment requirements and accredited "
            "programmes are counted (guidance section 2)."
        ]
    return True, []


def _proposed_days(
    band: Band, case: Case, cost: int, propose_rar: bool
) -> tuple[int | None, list[str]]:
    """Within the guideline range, sized from the chosen interventions' RAR-day cost."""
    if not propose_rar:
        return None, []
    warnings: list[str] = []
    low, high = band.guideline_min or 1, band.guideline_max or 15
    chosen = case.plan.proposed_days
    if chosen is not None:
        days = chosen
        if not low <= chosen <= high:
            warnings.append(f"Proposed {chosen} days is outside the guideline {low} to {high}.")
    else:
        days = min(max(cost, low), high)
        if cost > high:
            warnings.append(
                f"The chosen interventions need about {cost} RAR days, more than "
                f"the guideline maximum of {high}; pair sessions on one date "
                "(the compact scheduling strategy) or choose fewer hours."
            )
    court = case.sentence.rar_max_days
    if case.sentence.stage == "sentenced" and court is not None:
        if chosen is not None and chosen > court:
            raise RefusedByRules(
                f"plan.proposed_days: {chosen} is more than the court's maximum of {court} "
                "RAR days (guidance section 4)"
            )
        if court < low:
            warnings.append(
                f"The court's maximum of {court} RAR days is below the guideline "
                f"{low} to {high}; the court's figure applies."
            )
        if cost > court:
            warnings.append(
                f"The chosen interventions need about {cost} RAR days but the court "
                f"ordered at most {court}: plan fewer sessions or pair them."
            )
        days = min(days, court)
    return days, warnings
