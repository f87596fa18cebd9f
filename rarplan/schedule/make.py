"""`rarplan schedule`: the chosen interventions as dated appointments within the court's RAR days.

The rules (RAR guidance, ../shared/seeds/001_246201b7ec5ee73b.txt):
- section 4: a RAR day is a date with at least one planned RAR activity; two or more activities
  on one date are still one day. Days counted = distinct dates with an activity that counts.
- sections 4 and 7: never more days than the court's maximum (`rar_max_days`), counting the
  days already used when re-planning.
- section 5: offender-management appointments with the RO never count.
- section 7: appointments fall between the start and the order's end, not necessarily evenly.
- re-planning keeps what happened (every recorded appointment, and every one before the re-plan
  date) and offers again each session missed (failed to attend, an acceptable absence, sent
  home, not held: `rardays.MISSED_OUTCOMES`), as the next offer of the same intervention and
  session (`Appointment.offer`), within the court's maximum; a missed appointment uses no day.
A plan that does not fit is refused (RefusedByRules) saying exactly what does not fit and the
choices; a schedule is never partial. `unscheduled` lists only sessions that cannot be placed
for a reason other than room (the card gives no count, a custody service, ...).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from rarplan.catalogue.models import Catalogue
from rarplan.model.dates import add_months, minutes_of
from rarplan.model.errors import InvalidInput, RefusedByRules
from rarplan.model.plan import Appointment, AttendanceRecord, Plan, Schedule, Unscheduled
from rarplan.model.rardays import (
    OFFENDER_MANAGEMENT,
    counts_towards_rar,
    dates_planned,
    days_planned,
    missed,
)
from rarplan.schedule.calendar import WEEKDAYS, Calendar, Diary
from rarplan.schedule.placer import (
    ONE_DAY,
    NotFitting,
    OmFrequency,
    Placer,
    Strategy,
    default_slot,
)
from rarplan.schedule.sessions import Slot, Work, in_order, work_for
from rarplan.schedule.timetable import from_stored, to_stored

OM_NAME = "Offender management (RO)"


@dataclass(frozen=True)
class Options:
    """The officer's choices; None means "as in the previous schedule", else the default."""

    strategy: Strategy | None = None
    start: date | None = None
    offender_management: OmFrequency | None = None
    timetable: Mapping[str, Slot] = field(default_factory=dict)


@dataclass
class Outcome:
    schedule: Schedule
    rar_max_days: int
    names: dict[str, str]
    warnings: list[str] = field(default_factory=list)


def order_end(start: date, months: int) -> date:
    """The order's last day: `months` calendar months after the start, less one day
    (4 Jan 2027 + 12 months ends 3 Jan 2028; 31 Jan + 1 month ends 27 Feb)."""
    return add_months(start, months) - ONE_DAY


def _check_stage(plan: Plan, name: str) -> None:
    """A timetable is made after sentence (guidance section 4) and only while the RAR runs."""
    if plan.case.sentence.stage != "sentenced":
        raise RefusedByRules(
            f"{name}: not sentenced yet (case.sentence.stage = "
            f"{plan.case.sentence.stage!r}): the court sets the RAR days and the order",
            hint="schedule after sentence, with the court's rar_max_days and start_date",
        )
    if not plan.case.sentence.has_rar:  # guidance sections 1 and 2: no RAR, no RAR days
        from rarplan.model.case import ORDER_NAMES

        s = plan.case.sentence
        what = "a sentence in custody" if s.setting == "custody" else ORDER_NAMES[s.order]
        raise RefusedByRules(
            f"{name}: there is no RAR to schedule: {what} has no RAR days; arrange the "
            "planned activities with their providers"
        )
    if plan.completion is not None:
        from rarplan.deliver.ending import closing_words

        c = plan.completion
        raise RefusedByRules(
            f"{name}: the RAR was {closing_words(c.status)} on {c.completed_on.isoformat()}: "
            "there is nothing left to schedule"
        )


def _rar_max(plan: Plan, name: str) -> int:
    if plan.case.sentence.rar_max_days is None:
        raise InvalidInput(
            f"{name}: case.sentence.rar_max_days: required to schedule",
            hint="the maximum number of RAR days the court ordered",
        )
    return plan.case.sentence.rar_max_days


def _sentence(plan: Plan, options: Options, name: str) -> tuple[date, date, int]:
    s = plan.case.sentence
    rar_max = _rar_max(plan, name)
    if s.length_months is None:
        raise InvalidInput(
            f"{name}: case.sentence.length_months: required to schedule",
            hint="the length of the order in months",
        )
    begins = s.start_date or options.start
    if begins is None:
        raise InvalidInput(
            f"{name}: case.sentence.start_date: required to schedule",
            hint="set it in the plan, or give the schedule's first date",
            needs=("start",),
        )
    end = order_end(begins, s.length_months)
    first = options.start or begins
    if not begins <= first <= end:
        raise RefusedByRules(
            f"the first date {first.isoformat()} is outside the order ({begins.isoformat()} to "
            f"{end.isoformat()}): appointments fall between its start and end (section 7)"
        )
    return first, end, rar_max


Key = tuple[date, str, int]


def _key(a: Appointment | AttendanceRecord) -> Key:
    return (a.date, a.intervention, a.session)


def _kept(previous: Schedule, attendance: list[AttendanceRecord], since: date) -> list[Appointment]:
    """On a re-plan: what happened stays, so attendance records keep their appointment (and
    the same attendance file applies again): every recorded appointment, and every one before
    `since`. Missed ones among them use no day, and their sessions are offered again."""
    recorded = {_key(r) for r in attendance}
    return [a for a in previous.appointments if a.date < since or _key(a) in recorded]


def _missed_keys(attendance: list[AttendanceRecord]) -> set[Key]:
    return {_key(r) for r in attendance if missed(r)}


def _ranges(numbers: Iterable[int]) -> str:
    nums = sorted(set(numbers))
    out: list[str] = []
    i = 0
    while i < len(nums):
        j = i
        while j + 1 < len(nums) and nums[j + 1] == nums[j] + 1:
            j += 1
        out.append(str(nums[i]) if i == j else f"{nums[i]}-{nums[j]}")
        i = j + 1
    return ", ".join(out)


def _sessions(entry_id: str, numbers: Iterable[int]) -> str:
    nums = sorted(set(numbers))
    return f"{entry_id} session{'s' if len(nums) > 1 else ''} {_ranges(nums)}"


def _choices(
    works: list[Work], strategy: Strategy, used: dict[str, int] | None, rar_max: int
) -> str:
    parts = []
    modular = [w for w in works if w.modular_hours]
    if modular:
        parts.append(
            "fewer hours of a modular service ("
            + ", ".join(f"{w.id}: {len(w.sessions)} appointments now" for w in modular)
            + "; set its `appointments` in the plan)"
        )
    if used is not None:
        drops = [f"{w} ({n} RAR day{'s' if n > 1 else ''})" for w, n in used.items() if n]
    else:
        drops = [f"{w.id} ({len(w.sessions)} sessions)" for w in works]
    if drops:
        parts.append("drop an intervention (" + ", ".join(drops) + ")")
    if strategy == "steady":
        parts.append("the compact strategy (interventions side by side, two sessions on a date)")
    if used is not None:
        parts.append(
            f"or note that the court's maximum of {rar_max} RAR days is too low for this plan"
        )
    else:
        parts.append("or more dates the person can attend")
    return "choices: " + "; ".join(parts)


def _choice_inputs(strategy: Strategy, days: bool) -> tuple[str, ...]:
    """The inputs `_choices` suggests changing: the strategy, and for time the dates."""
    return (("strategy",) if strategy == "steady" else ()) + (
        ("days", "unavailable") if not days else ()
    )


def _refuse_time(
    nf: list[NotFitting],
    works: list[Work],
    strategy: Strategy,
    first: date,
    end: date,
    rar_max: int,
) -> RefusedByRules:
    what = "; ".join(f"{_sessions(n.intervention, n.sessions)}: {n.reason}" for n in nf)
    return RefusedByRules(
        f"cannot fit the plan between {first.isoformat()} and the order's end on "
        f"{end.isoformat()}: {what}",
        hint=_choices(works, strategy, None, rar_max),
        needs=_choice_inputs(strategy, days=False),
    )


def _refuse_days(
    appointments: list[Appointment],
    records: list[AttendanceRecord],
    new: list[Appointment],
    works: list[Work],
    strategy: Strategy,
    rar_max: int,
    used: int,
) -> RefusedByRules:
    counting = dates_planned(appointments, records)
    over = set(counting[rar_max:])
    late: dict[str, list[int]] = {}
    per_work: dict[str, set[date]] = {}
    for a in new:
        if counts_towards_rar(a):
            per_work.setdefault(a.intervention, set()).add(a.date)
            if a.date in over:
                late.setdefault(a.intervention, []).append(a.session)
    what = "; ".join(_sessions(i, n) for i, n in late.items())
    already = f", {used} of them already used" if used else ""
    return RefusedByRules(
        f"cannot fit within the court's maximum of {rar_max} RAR days: this schedule needs "
        f"{len(counting)}{already}; {len(counting) - rar_max} too many, so these do not fit: "
        f"{what or 'the days already used'}",
        hint=_choices(works, strategy, {w: len(d) for w, d in per_work.items()}, rar_max),
        needs=_choice_inputs(strategy, days=True),
    )


def _slot_for(
    entry_id: str, catalogue: Catalogue, timetable: Mapping[str, Slot], cal: Calendar
) -> Slot:
    if entry_id in timetable:
        return timetable[entry_id]
    t = catalogue.entries[entry_id].timetable
    if t is not None:
        return Slot(WEEKDAYS.index(t.weekday), minutes_of(t.start), None, "catalogue")
    return default_slot(cal)


def _works(
    plan: Plan,
    catalogue: Catalogue,
    timetable: Mapping[str, Slot],
    cal: Calendar,
    kept: list[Appointment],
    gone: set[Key],
    name: str,
) -> tuple[list[Work], list[Unscheduled], list[str], dict[str, str]]:
    """What to place for each chosen intervention, what cannot be, warnings, and names."""
    works: list[Work] = []
    unscheduled: list[Unscheduled] = []
    warnings: list[str] = []
    names = {OFFENDER_MANAGEMENT: OM_NAME}
    seen: set[str] = set()
    for index, chosen in enumerate(plan.selected):
        entry = catalogue.get(chosen.id)
        if chosen.id in seen:
            raise InvalidInput(f"{name}: selected[{index}]: {chosen.id} is chosen twice")
        seen.add(chosen.id)
        names[entry.id] = entry.name
        d = entry.duration
        if chosen.appointments and d.sessions and not any(p.up_to for p in d.sessions):
            warnings.append(
                f"{entry.id}: appointments = {chosen.appointments} ignored: the card "
                f"sets {d.session_count} sessions"
            )
        has_group = any(p.kind == "group" for p in d.sessions)
        slot = _slot_for(entry.id, catalogue, timetable, cal) if has_group else None
        got = work_for(entry, chosen, index, slot, name)
        if isinstance(got, Work):
            mine = [a for a in kept if a.intervention == got.id]
            got.done = {a.session for a in mine if _key(a) not in gone}
            for a in mine:  # a session offered again is its next offer
                got.offers[a.session] = max(got.offers.get(a.session, 1), a.offer or 1) + 1
            works.append(got)
        else:
            unscheduled.append(got)
    _wait_for_unscheduled(works, unscheduled)
    warnings.extend(f"{u.intervention}: not scheduled: {u.reason}" for u in unscheduled)
    for a in kept:
        if a.intervention not in names and a.intervention in catalogue.entries:
            names[a.intervention] = catalogue.entries[a.intervention].name
    return works, unscheduled, warnings, names


def make_schedule(
    plan: Plan,
    catalogue: Catalogue,
    options: Options | None = None,
    *,
    replan_from: date | None = None,
    name: str = "plan",
) -> Outcome:
    """The schedule for `plan`, or RefusedByRules saying what does not fit.

    With `replan_from`, keeps what happened before that date (and anything attended) and
    re-plans the rest from it; the days already used count against the court's maximum.
    """
    options = options or Options()
    _check_stage(plan, name)
    previous = plan.schedule
    if replan_from is not None and previous is None:
        raise InvalidInput(
            f"{name}: nothing is scheduled yet to re-plan",
            hint="schedule it first, then re-plan",
        )
    strategy: Strategy = options.strategy or (previous.strategy if previous else "steady")
    om: OmFrequency = options.offender_management or (
        previous.offender_management if previous else "none"
    )
    timetable = {
        **(from_stored(previous.timetable, catalogue) if previous else {}),
        **options.timetable,
    }
    if previous is not None and replan_from is not None:
        first, end, rar_max = previous.start, previous.order_end, _rar_max(plan, name)
        window = max(replan_from, first)
        if window > end:
            raise RefusedByRules(
                f"re-planning from {replan_from.isoformat()}: after the order ends on "
                f"{end.isoformat()}"
            )
        kept = _kept(previous, plan.attendance, window)
    else:
        first, end, rar_max = _sentence(plan, options, name)
        window, kept = first, []
    av = plan.availability
    for i, r in enumerate(av.unavailable):
        if r.end < r.start:
            raise InvalidInput(
                f"{name}: availability.unavailable[{i}]: end {r.end} is before start {r.start}"
            )
    cal = Calendar(window, end, av.days, ((r.start, r.end) for r in av.unavailable))

    gone = _missed_keys(plan.attendance)
    works, unscheduled, warnings, names = _works(plan, catalogue, timetable, cal, kept, gone, name)

    placer = Placer(cal, Diary(), strategy, end)
    for a in kept:
        placer.note_kept(a)
    if strategy == "steady":
        placer.steady(in_order(works, catalogue.path, lambda w: bool(w.done)), window)
    else:
        placer.compact(in_order(works, catalogue.path, lambda w: w.slot is not None), window)
    if placer.not_fitting:
        raise _refuse_time(placer.not_fitting, works, strategy, window, end, rar_max)
    om_numbers = [a.session for a in kept if a.intervention == OFFENDER_MANAGEMENT]
    placer.offender_management(om, window, max(om_numbers, default=0) + 1)

    appointments = sorted(
        kept + placer.appointments, key=lambda a: (a.date, a.start, a.intervention, a.session)
    )
    planned = days_planned(appointments, plan.attendance)
    used = days_planned((a for a in kept if a.date < window), plan.attendance)
    if planned > rar_max:
        raise _refuse_days(
            appointments, plan.attendance, placer.appointments, works, strategy, rar_max, used
        )
    schedule = Schedule(
        version=previous.version + 1 if previous else 1,
        start=first,
        order_end=end,
        strategy=strategy,
        rar_days_planned=planned,
        rar_days_used=used,
        replanned_from=window if replan_from is not None else None,
        offender_management=om,
        timetable=to_stored(timetable),
        appointments=appointments,
        unscheduled=unscheduled,
    )
    return Outcome(schedule, rar_max, names, warnings)


def _wait_for_unscheduled(works: list[Work], unscheduled: list[Unscheduled]) -> None:
    """An intervention whose prerequisite cannot be scheduled cannot be either."""
    missing = {u.intervention for u in unscheduled}
    changed = True
    while changed:
        changed = False
        for w in list(works):
            blocked = [p for p in w.prerequisites if p in missing]
            if blocked:
                works.remove(w)
                left = sum(1 for s in w.sessions if s.number not in w.done)
                unscheduled.append(
                    Unscheduled(
                        intervention=w.id,
                        sessions=left,
                        reason=f"waits for {blocked[0]} (to complete first), which is not "
                        "scheduled",
                    )
                )
                missing.add(w.id)
                changed = True
