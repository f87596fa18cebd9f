"""What each chosen intervention needs in the diary: its sessions, their order and rhythm.

From the card's duration (../shared/seeds/003_2c3b0962518856ac.txt, "Duration" of each entry),
as transcribed in the catalogue:
- structured parts ("22 group sessions of two and a half hours"): pre-group, assessment and
  individual sessions before the group, the group weekly, the post-programme three-way last;
- "maximum of six hours" services: the officer's number of appointments (one hour each, the
  full six by default); with a visit limit (TTG), the hours shared across the visits;
- mentoring and wrap-around support: contacts spread over the block of months;
- negotiated services: the officer's number of appointments, or unscheduled.
Lengths the card does not give: DEFAULT_MINUTES.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

from rarplan.catalogue.models import Intervention
from rarplan.model.errors import InvalidInput
from rarplan.model.plan import AppointmentKind, SelectedIntervention, Unscheduled

DEFAULT_MINUTES: dict[str, int] = {
    "individual": 60,
    "pre_group": 60,
    "three_way": 60,
    "assessment": 60,
    "group": 120,
    "conference": 120,
    "full_day": 360,
    "mentoring": 60,
    "offender_management": 30,
}
DEFAULT_START = 10 * 60  # 10:00
FULL_DAY_START = 9 * 60 + 30  # a full day runs 09:30 to 15:30
_RANK = {"assessment": 0, "pre_group": 1, "three_way": 9}


class Slot(NamedTuple):
    """A provider's weekly time for a group: weekday (0 is Monday), start, and place."""

    weekday: int
    start: int  # minutes after midnight
    place: str | None = None
    source: str = "catalogue"  # "catalogue", a timetable file's name, or "default"


class Session(NamedTuple):
    number: int
    kind: AppointmentKind
    minutes: int
    weekly_slot: bool  # a group session: on the provider's weekday and time

    @property
    def preferred_start(self) -> int:
        return FULL_DAY_START if self.kind == "full_day" else DEFAULT_START


@dataclass
class Work:
    """One chosen intervention, ready to place."""

    id: str
    name: str
    counts: bool
    sessions: list[Session]
    gap_days: int = 7  # least days between two of its sessions: a weekly rhythm
    span_months: int | None = None  # a block (mentoring) that must end within the order
    slot: Slot | None = None
    prerequisites: tuple[str, ...] = ()
    may_precede: tuple[str, ...] = ()
    modular_hours: float | None = None  # "maximum of six hours": fewer hours is a choice
    done: set[int] = field(default_factory=set)  # session numbers kept on a re-plan
    # session number -> the offer its new appointment is (2 after one missed), on a re-plan
    offers: dict[int, int] = field(default_factory=dict)


def _key(name: str, index: int) -> str:
    return f"{name}: selected[{index}].appointments"


def _numbered(parts: list[tuple[AppointmentKind, int, int]], slot_groups: bool) -> list[Session]:
    out: list[Session] = []
    for kind, count, minutes in parts:
        for _ in range(count):
            out.append(Session(len(out) + 1, kind, minutes, slot_groups and kind == "group"))
    return out


def _structured(
    entry: Intervention, chosen: SelectedIntervention, index: int, name: str
) -> list[Session]:
    parts = list(entry.duration.sessions)
    has_group = any(p.kind == "group" for p in parts)
    ranked = sorted(
        parts,
        key=lambda p: _RANK.get(p.kind, 2 if (p.kind == "individual" and has_group) else 3),
    )
    wanted = chosen.appointments
    rows: list[tuple[AppointmentKind, int, int]] = []
    used_choice = False
    for part in ranked:
        count = part.count
        if part.up_to and wanted is not None and not used_choice:
            if wanted > part.count:
                raise InvalidInput(
                    f"{_key(name, index)}: {wanted} is more than the card's 'up to "
                    f"{part.count}' sessions for {entry.id}",
                    hint=f"give at most {part.count}",
                )
            count, used_choice = wanted, True
        rows.append((part.kind, count, part.minutes or DEFAULT_MINUTES[part.kind]))
    return _numbered(rows, slot_groups=True)


def _modular(
    entry: Intervention, chosen: SelectedIntervention, index: int, name: str
) -> list[Session]:
    d = entry.duration
    hours = d.max_hours or 0
    if d.max_visits:
        most = d.max_visits
        wanted = chosen.appointments or most
        what = f"the card's maximum of {most} visits"
    else:
        most = max(math.floor(hours), 1)
        wanted = chosen.appointments or most
        what = f"the card's maximum of {hours:g} hours (one hour each)"
    if wanted > most:
        raise InvalidInput(
            f"{_key(name, index)}: {wanted} appointments for {entry.id} is more than {what}",
            hint=f"give at most {most}",
        )
    minutes = 60 if not d.max_visits else max(5, min(600, round(hours * 60 / wanted / 5) * 5))
    first: AppointmentKind = "assessment" if d.three_way_assessment else "individual"
    rows: list[tuple[AppointmentKind, int, int]] = [(first, 1, minutes)]
    if wanted > 1:
        rows.append(("individual", wanted - 1, minutes))
    return _numbered(rows, slot_groups=False)


def _block_months(entry: Intervention, chosen: SelectedIntervention, index: int, name: str) -> int:
    allowed = entry.duration.months
    block = chosen.months or allowed[0]
    if block not in allowed and block % min(allowed):
        raise InvalidInput(
            f"{name}: selected[{index}].months: {block} is not a block the card offers for "
            f"{entry.id}",
            hint="choose " + ", ".join(str(m) for m in allowed) + " (or further whole blocks)",
        )
    return block


def _work(
    entry: Intervention,
    sessions: list[Session],
    *,
    gap_days: int = 7,
    span_months: int | None = None,
    slot: Slot | None = None,
    modular_hours: float | None = None,
) -> Work:
    return Work(
        id=entry.id,
        name=entry.name,
        counts=entry.counts_towards_rar,
        sessions=sessions,
        gap_days=gap_days,
        span_months=span_months,
        slot=slot,
        prerequisites=tuple(entry.prerequisites),
        may_precede=tuple(entry.may_precede),
        modular_hours=modular_hours,
    )


def _spread(over_weeks: int | None, count: int) -> int:
    """Days between sessions: weekly, or shared out over the card's weeks ("over two weeks")."""
    return max(1, over_weeks * 7 // count) if over_weeks else 7


def work_for(
    entry: Intervention,
    chosen: SelectedIntervention,
    index: int,
    slot: Slot | None,
    name: str = "plan",
) -> Work | Unscheduled:
    """The sessions to place for one chosen entry, or why it cannot be scheduled at all."""
    d = entry.duration
    if entry.setting == "custody":
        return Unscheduled(
            intervention=entry.id,
            sessions=d.session_count or chosen.appointments or d.max_visits or 0,
            reason="a custody service: it cannot be scheduled in a community RAR",
        )
    if d.sessions:
        sessions = _structured(entry, chosen, index, name)
        return _work(entry, sessions, gap_days=_spread(d.over_weeks, len(sessions)), slot=slot)
    if d.max_hours:
        return _work(entry, _modular(entry, chosen, index, name), modular_hours=d.max_hours)
    if d.months:
        block = _block_months(entry, chosen, index, name)
        contacts = chosen.appointments or block  # one contact a month unless the officer says
        rows: list[tuple[AppointmentKind, int, int]] = [
            ("mentoring", contacts, DEFAULT_MINUTES["mentoring"])
        ]
        return _work(entry, _numbered(rows, slot_groups=False), span_months=block)
    if chosen.appointments:
        rows = [("individual", chosen.appointments, DEFAULT_MINUTES["individual"])]
        sessions = _numbered(rows, slot_groups=False)
        return _work(entry, sessions, gap_days=_spread(d.over_weeks, len(sessions)))
    return Unscheduled(
        intervention=entry.id,
        sessions=0,
        reason=f"the card gives no session count: set appointments for {entry.id} in the plan",
    )


def in_order(
    works: list[Work], catalogue_name: str, first: Callable[[Work], bool] = lambda w: False
) -> list[Work]:
    """Prerequisites first (TTG level 1 before 2), and an entry before those it may precede
    (BEAI before domestic abuse work); otherwise those marked `first`, then the plan's order."""
    ids = {w.id for w in works}
    before: dict[str, set[str]] = {w.id: {p for p in w.prerequisites if p in ids} for w in works}
    for w in works:
        for later in w.may_precede:
            if later in ids:
                before[later].add(w.id)
    placed: list[Work] = []
    done: set[str] = set()
    waiting = list(works)
    while waiting:
        ready_now = [w for w in waiting if before[w.id] <= done]
        ready = min(ready_now, key=lambda w: not first(w)) if ready_now else None
        if ready is None:
            names = ", ".join(sorted(w.id for w in waiting))
            raise InvalidInput(
                f"{catalogue_name}: prerequisites and may_precede form a cycle among {names}"
            )
        waiting.remove(ready)
        placed.append(ready)
        done.add(ready.id)
    return placed
