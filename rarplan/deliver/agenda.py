"""The agenda: every appointment across a caseload's plans on a day or in a week.

Plans are read as the caseload reads them (`rarplan.deliver.caseload`: the fast reader, bad
files reported and skipped). A closed RAR (completed, or ended) shows none of its later
appointments; an appointment already recorded shows its outcome.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from rarplan.deliver.caseload import Skipped, plan_files, skip_reason
from rarplan.files.planview import read_view
from rarplan.model.contacts import AttendanceOutcome
from rarplan.model.errors import RarplanError
from rarplan.model.plan import Appointment


@dataclass(frozen=True)
class Item:
    """One appointment on the agenda."""

    file: str
    crn: str
    appointment: Appointment
    outcome: AttendanceOutcome | None

    def as_dict(self) -> dict[str, Any]:
        a = self.appointment
        return {
            "date": a.date.isoformat(),
            "start": a.start,
            "minutes": a.minutes,
            "crn": self.crn,
            "file": self.file,
            "intervention": a.intervention,
            "session": a.session,
            "offer": a.offer,
            "kind": a.kind,
            "counts_towards_rar": a.counts_towards_rar,
            "place": a.place,
            "outcome": self.outcome,
        }


def week_of(day: date) -> tuple[date, date]:
    """Monday to Sunday of the week holding `day`."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def agenda(folder: str | Path, first: date, last: date) -> tuple[list[Item], list[Skipped]]:
    """The appointments from `first` to `last` in every plan in `folder`, in time order."""
    items: list[Item] = []
    skipped: list[Skipped] = []
    for path in plan_files(Path(folder)):
        name = str(path)
        try:
            view = read_view(path)
        except RarplanError as exc:
            skipped.append(Skipped(name, skip_reason(exc, name)))
            continue
        if view.schedule is None:
            continue
        closed_on = view.completion.completed_on if view.completion is not None else None
        outcomes = {(r.date, r.intervention, r.session): r.outcome for r in view.attendance}
        for a in view.schedule.appointments:
            if not first <= a.date <= last:
                continue
            outcome = outcomes.get((a.date, a.intervention, a.session))
            if closed_on is not None and a.date > closed_on and outcome is None:
                continue
            items.append(Item(name, view.crn, a, outcome))
    items.sort(key=lambda i: (i.appointment.date, i.appointment.start, i.crn, i.file))
    return items, skipped
