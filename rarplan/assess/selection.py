"""Choosing interventions for the identified needs, and their RAR-day cost.

Guidance 001 section 6: the RO selects an existing intervention for each need; if no suitable
activity exists, that is recorded with the reasons. Section 5: the RO may deliver the activity
themselves when no intervention exists (the practitioner toolkit).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import NamedTuple

from rarplan.assess.eligibility import Judgement
from rarplan.catalogue.models import Catalogue, Intervention, suggest
from rarplan.model.errors import InvalidInput, RefusedByRules
from rarplan.model.needs import NEED_LABELS
from rarplan.model.plan import SelectedIntervention, UnmetNeed

TOOLKIT = "practitioner-toolkit"


def default_appointments(entry: Intervention) -> int | None:
    """One-hour appointments for a "maximum of six hours" service: the full allowance."""
    if entry.duration.max_hours and not entry.duration.sessions:
        return int(entry.duration.max_hours)
    return None


def rar_day_cost(entry: Intervention, appointments: int | None = None) -> int:
    """RAR days an intervention uses when each session falls on its own date (steady rhythm).

    Zero when its sessions do not count towards RAR (accredited programmes, custody services).
    """
    if not entry.counts_towards_rar:
        return 0
    if appointments is not None:
        return appointments
    if entry.duration.sessions:
        return entry.duration.session_count
    if entry.duration.max_hours:
        return int(entry.duration.max_hours)
    if entry.duration.months:
        return min(entry.duration.months)  # monthly contact over the shortest block
    return 0


MIN_MODULAR_HOURS = 2  # an assessment and one session of a "maximum of six hours" service


def smallest_cost(entry: Intervention) -> int:
    """The fewest RAR days an intervention can take (modular services trimmed to two hours)."""
    if entry.counts_towards_rar and entry.duration.max_hours and not entry.duration.sessions:
        return min(MIN_MODULAR_HOURS, int(entry.duration.max_hours))
    return rar_day_cost(entry)


def _suits_setting(entry: Intervention, setting: str) -> bool:
    return entry.setting in ("either", setting)


def _rank(entry: Intervention, need: str) -> tuple[int, int, int, int]:
    # Services whose main need (listed first) is this one, then specific services before
    # catch-all ones (bespoke services, additional modules cover many needs), counting ones
    # before those outside the RAR, shorter before longer.
    return (
        0 if entry.needs[0] == need else 1,
        len(entry.needs),
        0 if entry.counts_towards_rar else 1,
        entry.duration.session_count,
    )


class Candidate(NamedTuple):
    entry: Intervention
    smallest: int  # smallest_cost(entry)


def candidates(catalogue: Catalogue, need: str, setting: str) -> tuple[Candidate, ...]:
    """The entries that may be proposed for a need in a setting, best first (fixed for a
    catalogue, so kept in its compiled form)."""
    memo = catalogue.compiled.candidates
    found = memo.get((need, setting))
    if found is None:
        entries = [
            e
            for e in catalogue
            if need in e.needs
            and not e.accredited
            and e.id != TOOLKIT
            and _suits_setting(e, setting)
            # a service whose volume is negotiated case by case is the officer's choice
            and not (e.counts_towards_rar and rar_day_cost(e) == 0)
        ]
        # Catalogues used together are preferred in the order given (the default: the national
        # Structured Interventions first, docs/data.md "Choosing catalogues").
        order = {part.path: at for at, part in enumerate(catalogue.parts)}
        ranked = sorted(
            entries, key=lambda e: (order[catalogue.part_of[e.id].path], _rank(e, need))
        )
        found = memo[(need, setting)] = tuple(Candidate(e, smallest_cost(e)) for e in ranked)
    return found


def propose(
    catalogue: Catalogue,
    judgements: Mapping[str, Judgement],
    rar_needs: Sequence[str],
    setting: str,
    budget: int | None = None,
) -> tuple[list[str], list[UnmetNeed]]:
    """One eligible intervention per RAR need, most specific first; unmet needs with reasons.

    With a `budget` (the court's maximum RAR days, once sentenced), an intervention is chosen
    only if it fits the days left at its smallest (modular services trimmed to two hours);
    a need nothing fits is recorded as unmet, with that reason, for the officer to decide.
    """
    chosen: list[str] = []
    covered: set[str] = set()  # the needs the chosen interventions meet
    unmet: list[UnmetNeed] = []
    left = budget
    for need in rar_needs:
        if need in covered:
            continue
        possible = candidates(catalogue, need, setting)
        fitting = None
        eligible = []  # those that do not fit, when none does
        for c in possible:
            if judgements[c.entry.id].status == "eligible":
                if left is None or c.smallest <= left:
                    fitting = c
                    break
                eligible.append(c)
        if fitting is not None:
            chosen.append(fitting.entry.id)
            covered.update(fitting.entry.needs)
            if left is not None:
                left -= fitting.smallest
            continue
        if eligible:
            unmet.append(
                UnmetNeed(
                    need=need,
                    reason=f"The eligible interventions for {NEED_LABELS[need].lower()} "
                    f"({', '.join(c.entry.id for c in eligible[:3])}) do not fit the {left} "
                    f"RAR day(s) left of the court's {budget}; choose one in [plan] "
                    "interventions if another need matters less (guidance sections 4 and 6).",
                )
            )
            continue
        to_check = [c.entry.id for c in possible if judgements[c.entry.id].status == "check"]
        # Eligible entries rarplan does not propose itself (accredited programmes, the other
        # setting's services, services whose volume is agreed case by case): "no eligible
        # intervention" would not be true while there are some.
        others = [
            e.id
            for e in catalogue
            if need in e.needs and e.id != TOOLKIT and judgements[e.id].status == "eligible"
        ]
        label = NEED_LABELS[need].lower()
        if others:
            reason = (
                f"No eligible intervention rarplan can propose for {label} in the {setting}; "
                f"eligible but for the officer to choose in [plan] interventions: "
                f"{', '.join(others[:3])}"
            )
        else:
            reason = f"No eligible intervention in the catalogue for {label}"
        if to_check:
            reason += f"; to check with the person: {', '.join(to_check)}"
        reason += (
            ". The RO may deliver structured sessions (practitioner-toolkit), guidance section 5."
        )
        unmet.append(UnmetNeed(need=need, reason=reason))
    return chosen, unmet


def validate_choice(
    catalogue: Catalogue,
    judgements: Mapping[str, Judgement],
    ids: Sequence[str],
    overrides: Mapping[str, str],
    source: str,
) -> list[str]:
    """Check the officer's chosen ids; an excluded one needs an override reason (exit 4)."""
    out: list[str] = []
    for n, entry_id in enumerate(ids):
        if entry_id not in catalogue.entries:
            raise InvalidInput(
                f"{source}: plan.interventions[{n}]: unknown intervention {entry_id!r}",
                hint=suggest(entry_id, list(catalogue.entries)),
            )
        if entry_id in out:
            continue
        judgement = judgements[entry_id]
        if judgement.status == "excluded" and not overrides.get(entry_id):
            raise RefusedByRules(
                f"{entry_id} is excluded for this case: " + "; ".join(judgement.reasons),
                hint=f'give a reason in [plan.overrides] "{entry_id}" = "..." to choose it anyway',
            )
        out.append(entry_id)
    for entry_id in overrides:
        if entry_id not in out:
            raise InvalidInput(f"{source}: plan.overrides.{entry_id}: not among plan.interventions")
    return out


def build_selection(
    catalogue: Catalogue,
    ids: Sequence[str],
    identified_needs: Collection[str],
    overrides: Mapping[str, str],
    hours: Mapping[str, int],
    outcomes: Mapping[str, Sequence[str]],
) -> list[SelectedIntervention]:
    selected = []
    for entry_id in ids:
        entry = catalogue.entries[entry_id]
        appointments = hours.get(entry_id) or default_appointments(entry)
        if entry.duration.max_hours and appointments and appointments > entry.duration.max_hours:
            raise RefusedByRules(
                f"plan.hours.{entry_id}: {appointments} hours is more than the card's maximum "
                f"of {entry.duration.max_hours:g}"
            )
        months = entry.duration.months
        selected.append(
            SelectedIntervention(
                id=entry_id,
                needs=[n for n in entry.needs if n in identified_needs],
                override_reason=overrides.get(entry_id),
                appointments=appointments,
                months=min(months) if months else None,  # the shortest mentoring block
                desired_outcomes=list(outcomes.get(entry_id) or default_outcomes(entry)),
                rar_days_estimate=rar_day_cost(entry, appointments),
            )
        )
    return selected


def default_outcomes(entry: Intervention) -> list[str]:
    """Desired outcomes (guidance section 5: agreed ahead), editable: the catalogue's, in the
    person's words, else from the card's aims."""
    if entry.outcomes:
        return list(entry.outcomes)
    return [aim.removeprefix("To ").rstrip(".").capitalize() for aim in entry.aims]


def fit_to_days(
    catalogue: Catalogue,
    selected: list[SelectedIntervention],
    limit: int,
    fixed: Mapping[str, int],
) -> list[str]:
    """Trim "maximum of six hours" services (those whose hours the officer did not set) one
    appointment at a time, keeping at least two each, until the plan fits `limit` RAR days.

    The card's six hours are a maximum ("Maximum of six hours including any assessment"), so
    fewer is within the service; the court's days are not (guidance section 4).
    """
    notes: list[str] = []
    cost = 0
    trimmable: list[tuple[SelectedIntervention, int | None]] = []  # and the card's default
    for s in selected:
        cost += s.rar_days_estimate
        if s.appointments and s.id not in fixed:
            entry = catalogue.entries[s.id]
            if entry.duration.max_hours and entry.counts_towards_rar:
                trimmable.append((s, default_appointments(entry)))
    # Counted on plain numbers, then set once: a model's attribute is slow to set.
    appointments = [s.appointments or 0 for s, _ in trimmable]
    places = range(len(appointments))
    while cost > limit and appointments:
        biggest = max(places, key=appointments.__getitem__)  # the first of the biggest
        if appointments[biggest] <= MIN_MODULAR_HOURS:
            break  # all at their least
        appointments[biggest] -= 1
        cost -= 1
    for (s, default), n in zip(trimmable, appointments, strict=True):
        if n != s.appointments:
            s.rar_days_estimate -= (s.appointments or 0) - n
            s.appointments = n
        if default and s.appointments and s.appointments < default:
            notes.append(
                f"{s.id}: {s.appointments} of the card's {default} hours, to fit the "
                f"court's {limit} RAR days"
            )
    return notes
