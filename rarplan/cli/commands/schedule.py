"""`rarplan schedule`: the plan's interventions as dated appointments within the RAR days."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

import typer

from rarplan.cli.options import (
    CatalogueOption,
    ForceOption,
    JsonOption,
    QuietOption,
    WithNamesOption,
)

if TYPE_CHECKING:
    from datetime import date, datetime, timedelta

    from rarplan.catalogue.models import Catalogue
    from rarplan.schedule.apply import Request


def schedule(
    plans: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="PLAN...", help="Plan file(s); '-' reads one from stdin.", show_default=False
        ),
    ] = None,
    start: Annotated[
        str | None,
        typer.Option(
            "--start",
            metavar="DATE",
            help="First date for appointments [default: the order's start].",
        ),
    ] = None,
    strategy: Annotated[
        Literal["steady", "compact"] | None,
        typer.Option(
            "--strategy",
            help="steady: one step at a time, weekly [default]; compact: side by side, "
            "two sessions on a date to use fewer RAR days.",
            show_default=False,
        ),
    ] = None,
    days: Annotated[
        str | None,
        typer.Option(
            "--days",
            metavar="mon,wed,thu",
            help="Weekdays the person can attend (saved in the plan).",
        ),
    ] = None,
    unavailable: Annotated[
        list[str] | None,
        typer.Option(
            "--unavailable",
            metavar="DATE[..DATE]",
            help="Dates the person cannot attend; repeatable (saved in the plan).",
        ),
    ] = None,
    timetable: Annotated[
        Path | None,
        typer.Option(
            "--timetable",
            metavar="FILE",
            help="A provider's timetable (TOML): group days and times.",
        ),
    ] = None,
    om: Annotated[
        Literal["none", "weekly", "fortnightly", "monthly"] | None,
        typer.Option(
            "--om",
            help="Add offender-management appointments with the RO (never RAR days).",
            show_default=False,
        ),
    ] = None,
    from_date: Annotated[
        str | None,
        typer.Option(
            "--from",
            metavar="DATE",
            help="Re-plan what is not yet attended from DATE.",
        ),
    ] = None,
    reason: Annotated[
        str | None,
        typer.Option(
            "--reason",
            metavar="TEXT",
            help="Why the schedule changes (needed with --from).",
        ),
    ] = None,
    by: Annotated[
        str | None,
        typer.Option(
            "--by",
            metavar="NAME",
            help="Who changes it, for the history [default: $USER].",
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            metavar="PLAN",
            help="Write the scheduled plan here, not in place.",
        ),
    ] = None,
    ics: Annotated[
        Path | None,
        typer.Option(
            "--ics",
            metavar="FILE",
            help="Also write the appointments as an iCalendar file (a re-plan updates this "
            "CRN's calendar in place).",
        ),
    ] = None,
    reminder: Annotated[
        str,
        typer.Option(
            "--reminder",
            metavar="1d|2h|30m|none",
            help="How long before each appointment the calendar reminds the person.",
        ),
    ] = "1d",
    batch: Annotated[
        Path | None,
        typer.Option(
            "--batch",
            metavar="DIR",
            help="Schedule every *.plan.toml in a folder, in place.",
        ),
    ] = None,
    with_names: WithNamesOption = False,
    catalogue_file: CatalogueOption = None,
    force: ForceOption = False,
    json_output: JsonOption = False,
    quiet: QuietOption = False,
) -> None:
    """Turn the plan's interventions into dated appointments within the RAR days.

    Appointments fall between the start and the order's end, never on weekends, bank holidays
    or dates the person cannot attend, and never use more RAR days than the court ordered: a
    plan that does not fit is refused (exit 4) with what does not fit and the choices. The
    schedule is written into the plan with a history entry. Re-plan with --from and --reason:
    what happened is kept, and every missed session is offered again within the court's days.
    With --ics, a re-plan updates the CRN's calendar file in place (same events, cancelled
    ones marked), each event with a reminder (--reminder, the day before by default).

    Example: rarplan schedule X100001.plan.toml --strategy compact --ics X100001.ics
    """
    import os
    from datetime import datetime

    from rarplan.catalogue import load as cat
    from rarplan.model.errors import UsageError
    from rarplan.schedule.apply import Request
    from rarplan.schedule.make import Options

    files = list(plans or [])
    if not files and batch is None:
        raise UsageError("give a PLAN file (or several, or --batch DIR)")
    if from_date is not None and not (reason or "").strip():
        raise UsageError("--from needs --reason TEXT: why the schedule changes")
    if from_date is not None and start is not None:
        raise UsageError("give --start for a first schedule, or --from to re-plan, not both")
    from rarplan.cli.commands.attend import optional_day

    catalogue = cat.load_chosen(catalogue_file)
    slots = {}
    if timetable is not None:
        from rarplan.schedule.timetable import load_timetable

        slots = load_timetable(timetable, catalogue)
    request = Request(
        options=Options(
            strategy=strategy,
            start=optional_day(start, "--start"),
            offender_management=om,
            timetable=slots,
        ),
        replan_from=optional_day(from_date, "--from"),
        reason=(reason or "").strip(),
        by=by or os.environ.get("USER") or os.environ.get("USERNAME") or "unknown",
        force=force,
        days=_days(days),
        unavailable=tuple(_range(text) for text in unavailable or ()),
    )
    at = datetime.now().replace(microsecond=0)
    if batch is not None or len(files) > 1:
        if out is not None or ics is not None:
            raise UsageError("--out and --ics take one PLAN, not a batch")
        from rarplan.cli.output import info, progress
        from rarplan.schedule.batch import plan_files, run_batch

        with progress("plans", json_output) as bar:
            code = run_batch(
                plan_files(batch, files),
                *(catalogue, request, at, json_output),
                say=info,
                progress=bar,
            )
        raise typer.Exit(code)
    from rarplan.schedule.ics import parse_reminder

    before = parse_reminder(reminder)
    _one(files[0], out, ics, with_names, force, json_output, catalogue, request, at, before)


def _one(
    path: Path,
    out: Path | None,
    ics: Path | None,
    with_names: bool,
    force: bool,
    json_output: bool,
    catalogue: Catalogue,
    request: Request,
    at: datetime,
    reminder: timedelta | None,
) -> None:
    import contextlib

    from rarplan.cli.output import emit_json, info
    from rarplan.files import storage
    from rarplan.files.planfile import load_plan, save_plan
    from rarplan.model.errors import InvalidInput, UsageError, WouldOverwrite
    from rarplan.schedule.apply import as_json, schedule_plan

    if str(path) == "-" and out is None:
        raise UsageError("a plan read from stdin needs --out PLAN to write the schedule to")
    from rarplan.schedule.ics import is_own_calendar

    calendar_update = False  # the --ics file is this CRN's calendar: replaced in place
    for target in (out, ics):  # checked before anything is written: all or nothing
        if target is None:
            continue
        if not target.parent.is_dir():
            raise InvalidInput(f"{target.parent}: folder does not exist")
        if target.exists() and not force:
            if target == ics and target.is_file() and is_own_calendar(target.read_bytes()):
                calendar_update = True
                continue
            raise WouldOverwrite(f"{target}: already exists", hint="use --force to replace it")
    name = "<stdin>" if str(path) == "-" else str(path)
    lock = storage.locked(path) if out is None else contextlib.nullcontext()
    with lock:
        plan, _ = load_plan(path)
        if calendar_update and ics is not None and not is_own_calendar(ics.read_bytes(), plan.crn):
            raise WouldOverwrite(
                f"{ics}: already exists, a calendar for another case",
                hint="use --force to replace it",
            )
        new, outcome = schedule_plan(plan, catalogue, request, at=at, name=name)
        written = out or path
        save_plan(new, written, overwrite=out is None or force)
    if ics is not None:
        from rarplan.schedule.ics import to_ics

        data = to_ics(
            new,
            outcome.schedule,
            outcome.names,
            stamp=at,
            with_names=with_names,
            reminder=reminder,
        )
        storage.atomic_write(ics, data, overwrite=force or calendar_update)
    if json_output:
        emit_json(
            {
                **as_json(new, outcome),
                "plan_file": str(written),
                "ics_file": str(ics) if ics else None,
            }
        )
        return
    from rarplan.cli.output import is_quiet
    from rarplan.cli.views.schedule import print_timetable

    if not is_quiet():  # -q: the plan file is the result; only errors are printed
        print_timetable(new, outcome)
    for warning in outcome.warnings:
        info(f"rarplan: warning: {warning}")
    info(
        f"schedule version {outcome.schedule.version} written to {written}"
        + (f"; calendar in {ics}" if ics else "")
    )


def _range(text: str) -> tuple[date, date]:
    from rarplan.cli.commands.attend import optional_day
    from rarplan.model.errors import UsageError

    first, sep, last = text.partition("..")
    begin = optional_day(first, "--unavailable")
    end = optional_day(last, "--unavailable") if sep else begin
    assert begin is not None and end is not None
    if end < begin:
        raise UsageError(f"--unavailable {text}: the end is before the start")
    return begin, end


def _days(text: str | None) -> tuple[str, ...] | None:
    from rarplan.model.errors import UsageError

    if text is None:
        return None
    allowed = ("mon", "tue", "wed", "thu", "fri")
    chosen = [d.strip().lower()[:3] for d in text.split(",") if d.strip()]
    wrong = [d for d in chosen if d not in allowed]
    if wrong or not chosen:
        raise UsageError(
            f"--days {text!r}: use weekdays from {','.join(allowed)} "
            "(never weekends: no appointments then)"
        )
    return tuple(d for d in allowed if d in chosen)


def check_calendar(ics: Path, plan_path: Path, force: bool) -> bool:
    """Before anything is written: whether the --ics file can be written for the plan at
    `plan_path`, and whether it is this CRN's own calendar, updated in place (no --force)."""
    from rarplan.files.planfile import load_plan
    from rarplan.model.errors import InvalidInput, UsageError, WouldOverwrite
    from rarplan.schedule.ics import is_own_calendar

    if not ics.parent.is_dir():
        raise InvalidInput(f"{ics.parent}: folder does not exist")
    plan = load_plan(plan_path)[0]
    if plan.schedule is None:
        raise UsageError(f"--ics: {plan_path} has no schedule, so no calendar to update")
    if not ics.exists() or force:
        return False
    if ics.is_file() and is_own_calendar(ics.read_bytes(), plan.crn):
        return True
    raise WouldOverwrite(f"{ics}: already exists", hint="use --force to replace it")


def write_closing_calendar(plan_path: Path, ics: Path, *, update: bool, force: bool) -> None:
    """The calendar of a closed plan: what happened, and every appointment the closing
    cancelled marked CANCELLED, with the schedule's new version as SEQUENCE."""
    from datetime import datetime

    from rarplan.catalogue.load import load_chosen
    from rarplan.files import storage
    from rarplan.files.planfile import load_plan
    from rarplan.model.rardays import OFFENDER_MANAGEMENT
    from rarplan.schedule.ics import to_ics
    from rarplan.schedule.make import OM_NAME

    plan, _ = load_plan(plan_path)
    assert plan.schedule is not None  # check_calendar refused a plan with none
    catalogue = load_chosen(None)
    names = {OFFENDER_MANAGEMENT: OM_NAME}
    for version in (plan.schedule, *(h.schedule for h in plan.history if h.schedule)):
        for a in version.appointments:
            if a.intervention in catalogue.entries:
                names[a.intervention] = catalogue.entries[a.intervention].name
    stamp = datetime.now().replace(microsecond=0)
    data = to_ics(plan, plan.schedule, names, stamp=stamp)
    storage.atomic_write(ics, data, overwrite=force or update)
