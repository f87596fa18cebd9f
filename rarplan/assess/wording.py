"""The assessment's paragraphs: the rationale for the days, and the pre-sentence proposal.

Guidance 001 section 3: the pre-sentence report gives the number of days, the needs the RAR
will focus on, and why, so the court understands what the RAR is likely to focus on.
"""

from __future__ import annotations

from collections.abc import Sequence

from rarplan.assess.bands import band_for
from rarplan.assess.treatment import BY_REQUIREMENT
from rarplan.model.case import ORDER_NAMES, Case
from rarplan.model.plan import Assessment

# What the activities are when the sentence has no RAR: licence work, or before release.
ACTIVITY_WORDS = {
    "licence": "licence activity",
    "post_sentence_supervision": "post-sentence supervision activity",
    "custody": "pre-release (resettlement) activity",
}


def activity_words(case: Case) -> str:
    """What the planned activities are when the sentence has no RAR."""
    if case.sentence.stage == "sentenced" and case.sentence.setting == "custody":
        return ACTIVITY_WORDS["custody"]
    return ACTIVITY_WORDS.get(case.sentence.order, "activity")


def join(items: Sequence[str]) -> str:
    items = [i for i in items if i]
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " and " + items[-1]


def _days(n: int) -> str:
    return f"{n} RAR day" + ("" if n == 1 else "s")


NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def count(n: int, noun: str) -> str:
    """'one need', 'three needs', '12 needs': as a report writes a number of things."""
    number = NUMBER_WORDS[n] if 0 <= n < len(NUMBER_WORDS) else str(n)
    return f"{number} {noun}" + ("" if n == 1 else "s")


def _upfirst(text: str) -> str:
    return text[:1].upper() + text[1:]


def _score(a: Assessment) -> str:
    """'an OGRS score of 62%', 'an All Reoffending Predictor (ARP) score of 58% (estimated)'."""
    value = f"{a.ogrs:g}%" + (" (estimated)" if a.ogrs_estimated else "")
    if a.predictor == "arp":
        return f"an All Reoffending Predictor (ARP) score of {value}"
    return f"an OGRS score of {value}"


def _scores_in(a: Assessment) -> str:
    """'scores of 50 to 74%', 'scores over 90%'."""
    row = _row(a)
    return f"scores {row.lower()}" if row.lower().startswith("over") else f"scores of {row}"


def _band_name(a: Assessment) -> str:
    """'medium intensity RAR', from the band's label."""
    return a.band_label[:1].lower() + a.band_label[1:]


def _band_words(a: Assessment) -> str:
    """'a medium intensity RAR of 15 to 25 days'."""
    if a.guideline_days:
        return f"a {_band_name(a)} of {a.guideline_days['min']} to {a.guideline_days['max']} days"
    return "a RAR only in exceptional circumstances"


def padded(a: Assessment, cost: int) -> bool:
    """Whether the days were raised to the guideline's least for the band, above what the
    chosen interventions take (guidance section 3: the days reflect the risk as well as the
    needs)."""
    days, guideline = a.proposed_days, a.guideline_days
    return bool(
        a.propose_rar and days is not None and guideline and cost < days == guideline["min"]
    )


def _take(cost: int, interventions: Sequence[str]) -> str:
    if interventions and cost:
        return f"the activities named would take about {_days(cost)}"
    return "no activity has yet been confirmed as suitable"


def padding_reason(a: Assessment, cost: int, interventions: Sequence[str], sentenced: bool) -> str:
    """Why more days are proposed (or kept, after sentence) than the chosen interventions take.
    Empty when the days are not padded."""
    if not padded(a, cost) or a.guideline_days is None:
        return ""
    days, low, high = a.proposed_days, a.guideline_days["min"], a.guideline_days["max"]
    kept = f"the plan keeps {days} days" if sentenced else f"{days} days are proposed"
    then = (
        "further activity for the needs can be planned within them"
        if sentenced
        else "the responsible officer can plan further activity for the needs after sentence"
    )
    # the rationale has said what the interventions take, where there are any
    lead = _upfirst(kept) if interventions and cost else f"{_upfirst(_take(0, ()))}; {kept}"
    return (
        f"{lead}, the least the guidance suggests at this likelihood of reoffending ({low} to "
        f"{high} days), as the number of days should reflect the risk as well as the needs, "
        f"and {then}."
    )


def rationale_paragraph(
    case: Case, a: Assessment, interventions: Sequence[str], cost: int, rar_needs: Sequence[str]
) -> str:
    """Why these days: the band, the needs, the interventions' days (guidance section 3)."""
    first = _upfirst(_score(a))
    if a.predictor == "arp":  # the guidance's table was written for OGRS: say so
        first += ", read on the guidance's OGRS table (ARP succeeds OGRS),"
    first += f" is in the guidance's band for {_scores_in(a)}"
    if case.sentence.has_rar:
        first += f": {_band_words(a)}"
    parts = [f"{first}. People in this band have {a.average_needs:g} needs on average."]
    identified = _upfirst(count(len(a.needs), "need")) + (
        " was identified" if len(a.needs) == 1 else " were identified"
    )
    needs_words = join([n.lower() for n in rar_needs])
    if not case.sentence.has_rar and needs_words:
        parts.append(f"{identified}; the plan addresses {needs_words}.")
    elif a.propose_rar and needs_words:
        parts.append(f"{identified}; the RAR would address {needs_words}.")
    else:
        parts.append(f"{identified}.")
    if not case.sentence.has_rar:
        return " ".join(parts)
    if not a.propose_rar:
        parts.append("No RAR is proposed.")
        return " ".join(parts)
    if interventions:
        parts.append(
            f"The interventions chosen ({join(interventions)}) would take about {_days(cost)}, "
            "if each session is on a different day."
        )
    if a.proposed_days is not None:
        court = case.sentence.rar_max_days if case.sentence.stage == "sentenced" else None
        reason = padding_reason(a, cost, interventions, sentenced=court is not None)
        if court is not None:
            parts.append(
                f"The court ordered at most {_days(court)}"
                + (f"; the plan uses up to {_days(a.proposed_days)}." if not reason else ".")
            )
        elif not reason:
            are = "is" if a.proposed_days == 1 else "are"
            parts.append(f"Up to {_days(a.proposed_days)} {are} proposed.")
        if reason:
            parts.append(reason)
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
    cost: int = 0,
) -> str:
    """The paragraph for the pre-sentence report (guidance section 3: the days, the needs the
    RAR will focus on, and why), in a report's words."""
    first = []
    if treatments:
        first.append(
            f"I also propose {join([by_name(t) for t in treatments])}, "
            "subject to consent, as treatment is the preferred route for "
            + ("that need." if len(treatments) == 1 else "those needs.")
        )
    if accredited:
        first.append(
            f"An accredited programme ({join(list(accredited_names))}) is the preferred "
            "intervention for the needs it addresses; the RAR would cover the others."
        )
    if not a.propose_rar or a.proposed_days is None:
        if a.band == "none":
            why = (
                f"{_upfirst(_score(a))} indicates a low likelihood of reoffending, and no "
                "dynamic risk factors were identified that would make this an exceptional case."
            )
        else:
            why = "The needs identified are better met by the requirements proposed below."
        return " ".join(["I do not propose a Rehabilitation Activity Requirement.", why, *first])
    text = f"I propose a Rehabilitation Activity Requirement of up to {_days(a.proposed_days)}."
    if rar_needs:
        text += (
            f" The RAR would focus on {join([n.lower() for n in rar_needs])}, "
            + (
                "a need that evidence links to reoffending and whose resolution gives"
                if len(rar_needs) == 1
                else "needs that evidence links to reoffending and whose resolution gives"
            )
            + " the stability to address other issues."
        )
    if interventions:
        text += f" Activities likely to be used include {join(interventions)}."
    needs = count(len(a.needs), "need")
    if a.guideline_days:
        band = (
            f"{_score(a)}, in the guidance's {_band_name(a).removesuffix(' RAR')} band "
            f"({a.guideline_days['min']} to {a.guideline_days['max']} days)"
        )
        if padded(a, cost):
            text += (
                f" The number of days reflects {band}, rather than the activities alone: "
                f"{_take(cost, interventions)}, and {a.proposed_days} is the least the "
                "guidance suggests at this likelihood of reoffending, as the number of days "
                "should reflect the risk as well as the needs; the responsible officer can plan "
                "further activity for the needs after sentence."
            )
        else:
            text += f" The number of days reflects {band}, and the {needs} identified."
    elif sexual_factors:
        text += (
            f" {_upfirst(_score(a))} is below 25%, but OGRS is not a good predictor of "
            f"sexual reoffending; the RAR would address the factors identified: "
            f"{join(list(sexual_factors))}."
        )
    else:
        text += (
            f" {_upfirst(_score(a))} is below 25%, where the guidance reserves a RAR for "
            f"exceptional circumstances; the dynamic risk factors identified make this such a "
            f"case, and the number of days reflects them and the {needs} identified."
        )
    return " ".join([text, *first])


def by_name(requirement: str) -> str:
    """'an alcohol treatment requirement': a report names it in full, without the short name."""
    return BY_REQUIREMENT[requirement].with_article(short=False)
