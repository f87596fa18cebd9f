"""The assessment: band and guideline days from OGRS, what comes before a RAR, every catalogue
entry judged, the selection, proposed days with a rationale, and the plan.

Rules from the RAR guidance, docs/sources/001_246201b7ec5ee73b.txt:
sections 1 and 2 (a RAR is part of a community order or suspended sentence order only;
accredited programmes and treatment requirements come first, and after sentence the order
decides which it holds), section 3 (needs, the OGRS table, below 25%, sexual offending, the
number of days reflecting the needs and the risk, the pre-sentence proposal), sections 4 to 6
(the court's maximum; desired outcomes agreed ahead; a need with no suitable activity is
recorded with reasons). Adult probation only: the youth justice system works with under-18s.
"""

from __future__ import annotations

from datetime import date, datetime

from rarplan.assess.bands import Band, band_for
from rarplan.assess.eligibility import Judgement, judge_all
from rarplan.assess.predictor import predictor_of
from rarplan.assess.selection import build_selection, fit_to_days, propose, validate_choice
from rarplan.assess.treatment import BY_REQUIREMENT, TREATMENTS, rar_needs, treatment_requirements
from rarplan.assess.wording import (
    activity_words,
    no_rar_paragraph,
    proposal_paragraph,
    rationale_paragraph,
)
from rarplan.assess.wording import count as needs_count
from rarplan.catalogue.compiled import SHARED_RESULTS, CompiledCatalogue
from rarplan.catalogue.models import Catalogue, Intervention
from rarplan.model.case import ORDER_NAMES, RAR_ORDERS, Case
from rarplan.model.errors import RefusedByRules
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

SEXUAL_FACTORS = {
    "unusual_sexual_interests": "unusual sexual interests",
    "attitudes_supporting_sexual_offending": "attitudes that support sexual offending",
    "poor_emotional_relationships_with_adults": "poor emotional relationships with adults",
    "lack_of_self_management": "a lack of self-management",
}
# A "large mismatch" between the needs counted and the band's average (section 3).
NEEDS_MISMATCH = 2.0
ADULT_AGE = 18


def refuse_under_18(case: Case, today: date) -> None:
    """rarplan is for adult probation: the youth justice system works with under-18s. The one
    place this rule is applied, whatever gives the age (`age`, `date_of_birth`, or the
    predictors' inputs): refused by the rules, exit 4 (docs/assess.md, "Adults only")."""
    age = case.age_on(today)
    if age is None and case.arp is not None and case.arp.date_of_birth is not None:
        born = case.arp.date_of_birth
        age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    if age is None and case.ogrs3 is not None:
        age = case.ogrs3.age_at_follow_up
    if age is not None and age < ADULT_AGE:
        raise RefusedByRules(
            f"{case.crn}: aged {age} on {today.isoformat()}: rarplan is for adult probation "
            "(18 and over); the youth justice service works with under-18s",
            hint="check the age or date of birth in the case file",
        )


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
    refuse_under_18(case, today)
    predictor = predictor_of(case, source, today)
    ogrs, estimated = predictor.score, predictor.estimated
    band = band_for(ogrs)
    sentence = case.sentence
    sentenced = sentence.stage == "sentenced"
    has_rar = sentence.has_rar
    warnings: list[str] = list(predictor.warnings)
    if not has_rar:
        warnings.append(_no_rar_note(case))
        if sentence.rar_max_days is not None:
            warnings.append(
                f"sentence.rar_max_days ({sentence.rar_max_days}) is not used: this sentence "
                "has no RAR days."
            )
    compiled = catalogue.compiled
    judged = judge_all(catalogue, case, today, ogrs)
    judgements = dict(zip(compiled.ids, judged, strict=True))
    needs = case.needs.identified()
    need_set = frozenset(needs)
    treatments, met_by_treatment = treatment_requirements(case)
    warnings.extend(_treatment_notes(case, treatments))
    # Non-dependent alcohol misuse stays a RAR need (section 3): only dependence moves the
    # alcohol need to an ATR, and likewise drugs to a DRR and a treatable condition to an MHTR.
    programmes: list[Intervention] = []  # eligible, meeting a need, in the person's setting
    possible: list[Intervention] = []  # to check, meeting a need
    for entry in compiled.accredited:
        if need_set.isdisjoint(entry.needs) or entry.setting not in ("either", sentence.setting):
            continue
        status = judgements[entry.id].status
        if status == "eligible":
            programmes.append(entry)
        elif status == "check":
            possible.append(entry)
    warnings.extend(_programme_notes(case, programmes, possible))
    # After sentence a programme meets needs only if the order (or licence) requires it.
    if sentenced and "accredited_programme" not in sentence.other_requirements:
        programmes = []
    accredited = [e.id for e in programmes]
    met_by_programme = {n for e in programmes for n in e.needs if n in need_set}
    left = rar_needs(needs, treatments, met_by_programme)
    warnings.extend(_sexual_offending(case, accredited))
    warnings.extend(_needs_mismatch(band, len(needs), has_rar))

    if has_rar:
        propose_rar, below_25 = _propose_rar(band, case, left)
        warnings.extend(below_25)
    else:
        propose_rar = False
    # Without a RAR the needs are still planned for, as licence or pre-release activity.
    plan_activity = propose_rar or (not has_rar and bool(left))

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
    elif plan_activity:
        budget = sentence.rar_max_days if sentenced and has_rar else None
        ids, unmet = propose(catalogue, judgements, left, sentence.setting, budget)
        for need, reason in case.plan.unmet_needs.items():
            unmet = [u for u in unmet if u.need != need] + [UnmetNeed(need=need, reason=reason)]
    else:
        ids, unmet = [], []
    covered = {n for i in ids for n in catalogue.entries[i].needs}
    recorded = {u.need for u in unmet}
    for need in left:
        if plan_activity and need not in covered and need not in recorded:
            unmet.append(UnmetNeed(need=need, reason=not_addressed(need)))

    selected = build_selection(
        catalogue, ids, need_set, case.plan.overrides, case.plan.hours, case.plan.outcomes
    )
    if not has_rar:
        for s in selected:  # licence or pre-release activity: no RAR day is used
            s.rar_days_estimate = 0
    court = sentence.rar_max_days
    if sentenced and has_rar and court is not None:
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
        predictor="arp" if predictor.name == "arp" else None,  # None: OGRS3, as before
        band=band.name,
        band_label=band.label,
        guideline_days=band.guideline_days if has_rar else None,  # no RAR, no RAR days
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
    left_labels = [NEED_LABELS[n] for n in left]
    assessment.rationale = rationale_paragraph(case, assessment, names, cost, left_labels)
    if not has_rar:
        assessment.rationale += " " + no_rar_paragraph(case, activity_words(case), names)
    if sentence.stage == "pre_sentence":
        assessment.psr_proposal = proposal_paragraph(
            assessment,
            left_labels,
            names,
            treatments,
            accredited,
            [e.name for e in programmes],
            sexual_factors=[SEXUAL_FACTORS[f] for f in _sexual_factors(case)],
            cost=cost,
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


def _no_rar_note(case: Case) -> str:
    """Sections 1 and 2: only a community order or suspended sentence order has a RAR."""
    s = case.sentence
    if s.stage == "sentenced" and s.setting == "custody":
        where = "a person serving a sentence in custody has no RAR"
        if s.order not in RAR_ORDERS:
            where += f", nor has {ORDER_NAMES[s.order]} after release"
    else:
        where = f"{ORDER_NAMES[s.order]} has no RAR"
    return (
        f"No RAR days: {where} (a RAR is part of a community order or suspended sentence order "
        f"only, guidance sections 1 and 2). The needs are planned as {activity_words(case)}."
    )


def _treatment_notes(case: Case, treatments: list[str]) -> list[str]:
    """Before sentence: consider a treatment requirement first (section 2). After sentence the
    order decides: a need a requirement would meet but the order lacks is a note for the
    officer (an amendment, or for a licence a licence condition or referral)."""
    if case.sentence.stage == "pre_sentence":
        return [
            f"Consider {BY_REQUIREMENT[requirement].with_article()} first (guidance section 2); "
            "it needs "
            "the person's consent."
            for requirement in treatments
        ]
    out = []
    for t in TREATMENTS:
        if t.requirement in treatments or not getattr(case.circumstances, t.fact):
            continue
        if case.sentence.has_rar:
            then = (
                "consider asking the court to amend the order to add one (it needs the "
                "person's consent); until then the need is planned for within the RAR"
            )
        else:
            then = (
                "arrange treatment through the sentence plan or a licence condition; until "
                f"then the need is planned for as {activity_words(case)}"
            )
        holder = "order" if case.sentence.has_rar else "sentence"
        out.append(
            f"The {holder} has no {t.titled} though the case records "
            f"{t.fact_words}: {then} (guidance section 2)."
        )
    return out


def _programme_notes(
    case: Case, programmes: list[Intervention], possible: list[Intervention]
) -> list[str]:
    out = []
    names = ", ".join(e.name for e in programmes)
    if programmes and case.sentence.stage == "pre_sentence":
        out.append(
            f"Eligible accredited programme: {names}. It is the preferred intervention for "
            "the needs it meets; a RAR alongside it only for needs it does not address "
            "(guidance section 2)."
        )
    elif programmes and "accredited_programme" in case.sentence.other_requirements:
        one = len(programmes) == 1
        out.append(
            f"The order requires an accredited programme: {names} (eligible) "
            + ("meets the needs it addresses" if one else "meet the needs they address")
            + "; other needs are planned for separately (guidance section 2)."
        )
    elif programmes:
        then = (
            "consider asking the court to amend the order"
            if case.sentence.has_rar
            else "consider it in the sentence plan or as a licence condition"
        )
        out.append(
            f"Eligible accredited programme: {names}, but the order has no accredited "
            f"programme requirement, so its needs are planned for here; {then} "
            "(guidance section 2)."
        )
    if possible:
        not_ordered = (
            case.sentence.stage == "sentenced"
            and "accredited_programme" not in case.sentence.other_requirements
        )
        out.append(
            f"Accredited programme to consider once its criteria are checked: "
            f"{', '.join(e.name for e in possible)}"
            + (" (the order has no accredited programme requirement)" if not_ordered else "")
            + " (guidance section 2)."
        )
    return out


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


def _sexual_offence(case: Case) -> bool:
    return case.offence.index_offence == "sexual" or bool(case.offence.sexually_motivated)


def _sexual_factors(case: Case) -> list[str]:
    """The sexual-offending factors recorded, for a sexual or sexually motivated offence."""
    return list(case.circumstances.sexual_offending_factors) if _sexual_offence(case) else []


def _sexual_offending(case: Case, accredited: list[str]) -> list[str]:
    """Section 3: OGRS is not a good predictor of sexual reoffending; four factors to assess."""
    if not _sexual_offence(case):
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


def _needs_mismatch(band: Band, count: int, has_rar: bool) -> list[str]:
    if count - band.average_needs >= NEEDS_MISMATCH:
        return [
            f"{count} needs identified: more than the {band.average_needs} average for "
            f"OGRS {band.ogrs_range}; consider whether the OGRS band understates the need."
        ]
    if band.average_needs - count >= NEEDS_MISMATCH:
        few = f"Only {needs_count(count, 'need')} identified against an average of "
        if not has_rar:  # no RAR to size: the needs assessment itself is what to check
            return [
                f"{few}{band.average_needs} for OGRS {band.ogrs_range}: check the needs "
                "assessment is complete."
            ]
        longest = f" and a RAR of up to {band.guideline_max} days" if band.guideline_max else ""
        return [
            f"{few}{band.average_needs} for OGRS {band.ogrs_range}{longest}: check a long RAR "
            "is needed for few needs."
        ]
    return []


def _propose_rar(band: Band, case: Case, rar_needs: list[str]) -> tuple[bool, list[str]]:
    factors = _sexual_factors(case)
    if band.name == "none" and factors:
        # Section 3: OGRS is not a good predictor of sexual reoffending; the factors recorded
        # "should be addressed by RAR interventions", whatever the score.
        return True, [
            f"OGRS below 25%, but OGRS is not a good predictor of sexual reoffending: a RAR is "
            f"proposed to address the sexual-offending factors recorded "
            f"({', '.join(SEXUAL_FACTORS[f] for f in factors)}), guidance section 3."
        ]
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
    floor = min(low, court) if case.sentence.stage == "sentenced" and court else low
    if 0 < cost < floor and chosen is None:
        warnings.append(
            f"The chosen interventions use about {cost} RAR days, short of the guideline "
            f"{low} to {high} days for OGRS {band.ogrs_range}: the number of days should "
            "reflect the complexity of the needs and the risk (guidance section 3). Add "
            "interventions for the needs, or record why fewer days are enough."
        )
    return days, warnings
