"""Scheduling one plan file's plan: the checks before, the amendment history after.

- A plan already scheduled is changed only by a re-plan (`replan_from` with a reason), or
  replaced with `force` when nothing has been attended yet.
- Every schedule goes into the plan with a HistoryEntry: who, why, when, and the schedule as it
  stood before (RAR guidance, ../shared/seeds/001_246201b7ec5ee73b.txt, section 4: the RO may
  amend the activities, never beyond the court's days).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from rarplan.catalogue.models import Catalogue
from rarplan.model.errors import RefusedByRules, WouldOverwrite
from rarplan.model.plan import Availability, DateRange, HistoryEntry, Plan
from rarplan.schedule.make import Options, Outcome, make_schedule


class AlreadyScheduled(WouldOverwrite):
    """The plan has a schedule and the officer did not ask to re-plan or replace it."""

    kind = "already_scheduled"


@dataclass(frozen=True)
class Request:
    options: Options = field(default_factory=Options)
    replan_from: date | None = None
    reason: str = ""
    by: str = ""
    force: bool = False
    days: tuple[str, ...] | None = None  # replaces the plan's weekdays
    unavailable: tuple[tuple[date, date], ...] = field(default=())  # added to the plan's


def with_availability(plan: Plan, request: Request) -> Plan:
    """The plan with the officer's --days and --unavailable saved in it, for later re-plans."""
    if request.days is None and not request.unavailable:
        return plan
    av = plan.availability
    ranges = list(av.unavailable)
    for start, end in request.unavailable:
        if not any(r.start == start and r.end == end for r in ranges):
            ranges.append(DateRange(start=start, end=end))
    days = list(request.days) if request.days is not None else list(av.days)
    return plan.model_copy(
        update={"availability": Availability.model_validate({"days": days, "unavailable": ranges})}
    )


def schedule_plan(
    plan: Plan, catalogue: Catalogue, request: Request, *, at: datetime, name: str = "plan"
) -> tuple[Plan, Outcome]:
    """The plan with its new schedule and history entry, and the outcome to report."""
    previous = plan.schedule
    if previous is not None and request.replan_from is None:
        if not request.force:
            raise AlreadyScheduled(
                f"{name}: already scheduled (version {previous.version})",
                hint="to change it, re-plan from a date with a reason (keeps the history), "
                "or replace it",
                needs=("replan_from", "reason", "force"),
            )
        if plan.attendance:
            raise RefusedByRules(
                f"{name}: attendance is recorded, so the schedule cannot be replaced from the "
                "start: the days already used must count",
                hint="re-plan from a date, with a reason",
                needs=("replan_from", "reason"),
            )
    plan = with_availability(plan, request)
    outcome = make_schedule(
        plan, catalogue, request.options, replan_from=request.replan_from, name=name
    )
    reason = request.reason or ("replaced" if previous is not None else "")
    return record(plan, outcome, by=request.by, reason=reason, at=at), outcome


def record(plan: Plan, outcome: Outcome, *, by: str, reason: str, at: datetime) -> Plan:
    """The plan with the new schedule, and the previous one kept in the amendment history."""
    action = "reschedule" if outcome.schedule.replanned_from is not None else "schedule"
    entry = HistoryEntry(at=at, by=by, action=action, reason=reason, schedule=plan.schedule)
    return plan.model_copy(update={"schedule": outcome.schedule, "history": [*plan.history, entry]})


def as_json(plan: Plan, outcome: Outcome) -> dict[str, Any]:
    """The `--json` document: the schedule with the court's maximum beside it."""
    s = outcome.schedule
    return {
        "crn": plan.crn,
        "version": s.version,
        "strategy": s.strategy,
        "start": s.start.isoformat(),
        "order_end": s.order_end.isoformat(),
        "rar_max_days": outcome.rar_max_days,
        "rar_days_planned": s.rar_days_planned,
        "rar_days_used": s.rar_days_used,
        "replanned_from": s.replanned_from.isoformat() if s.replanned_from else None,
        "offender_management": s.offender_management,
        "appointments": [a.model_dump(mode="json", exclude_none=True) for a in s.appointments],
        "unscheduled": [u.model_dump(mode="json") for u in s.unscheduled],
        "warnings": outcome.warnings,
    }
