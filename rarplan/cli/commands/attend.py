"""`rarplan attend`: record attendance at appointments, from a file or one by one."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from rarplan.cli.options import JsonOption, NoInputOption, QuietOption

TodayOption = Annotated[
    str | None,
    typer.Option("--today", metavar="DATE", help="Take today as DATE (YYYY-MM-DD)."),
]
SKIP = "skip (not known yet)"
STOP = "stop here"


def attend(
    plan_path: Annotated[Path, typer.Argument(metavar="PLAN", help="The plan file to update.")],
    attendance: Annotated[
        str | None,
        typer.Option(
            "--attendance",
            metavar="FILE",
            help="Attendance file: CSV (date,intervention,session,outcome,note) or TOML "
            "([[attendance]]); '-' reads stdin.",
        ),
    ] = None,
    action: Annotated[
        str | None,
        typer.Option(
            "--action",
            metavar="warning|breach|no_action",
            help="Record the enforcement action taken on the unacceptable failures due one.",
            show_default=False,
        ),
    ] = None,
    on: Annotated[
        str | None,
        typer.Option(
            "--on",
            metavar="DATE",
            help="The date the action was taken (with --action) [default: today].",
        ),
    ] = None,
    note: Annotated[
        str | None,
        typer.Option(
            "--note",
            metavar="TEXT",
            help="A note with --action (the reason, needed for no_action).",
        ),
    ] = None,
    today: TodayOption = None,
    no_input: NoInputOption = False,
    json_output: JsonOption = False,
    quiet: QuietOption = False,
) -> None:
    """Record attendance at appointments (from a file, or one by one).

    Each row names a scheduled appointment by date, intervention and session, with a contact
    outcome as the case management system words it: attended_complied,
    attended_failed_to_comply, sent_home_behaviour, sent_home_service_issues, failed_to_attend,
    acceptable_absence_REASON (court_legal, employment, family_childcare, holiday, medical,
    religious, remanded_in_custody, professional_judgement) or not_held; the earlier words
    attended, late, acceptable_absence and unacceptable_absence still read. Applying the same
    file twice, even after a re-plan, changes nothing; a different outcome replaces the old one
    and is noted in the plan's history. Prints the RAR days completed, the missed sessions to
    offer again (with the `rarplan schedule` command to run), and each unacceptable failure
    counted within 12 months with the action due: a warning, then breach consideration.
    Record the action taken with --action and --on. Without --attendance, in a terminal, asks
    about each past appointment, newest first.

    Example: rarplan attend X100001.plan.toml --attendance examples/attendance.csv
    Example: rarplan attend X100001.plan.toml --action warning --on 2027-02-09
    """
    from rarplan.deliver import attendance as att
    from rarplan.deliver import attendance_file
    from rarplan.deliver.enforcement import load_settings
    from rarplan.model.errors import UsageError

    day = parse_day(today, "--today")
    settings = load_settings()
    if action is not None:
        _action(plan_path, action, on, note, attendance, settings, day, json_output)
        return
    if on is not None or note is not None:
        raise UsageError("--on and --note go with --action")
    if attendance is not None:
        entries, source = attendance_file.read_attendance(attendance)
    elif can_prompt(no_input, json_output):
        plan, entries = _ask(plan_path, day)
        source = "answers"
        if not entries:
            _report(plan, plan_path, None, settings, day, json_output)
            return
    else:
        raise UsageError(
            "no attendance given: use --attendance FILE ('-' for stdin); asking one by one "
            "needs a terminal and no --no-input/--json"
        )
    plan, applied = att.record_attendance(plan_path, entries, source, today=day)
    _report(plan, plan_path, applied, settings, day, json_output)


def _action(
    plan_path: Path,
    action: str,
    on: str | None,
    note: str | None,
    attendance: str | None,
    settings: Any,
    today: Any,
    json_output: bool,
) -> None:
    from rarplan.cli.output import info
    from rarplan.deliver import attendance as att
    from rarplan.deliver import attendance_file
    from rarplan.model.contacts import ACTION_LABELS, ACTIONS
    from rarplan.model.errors import UsageError

    if attendance is not None:
        raise UsageError("give --attendance or --action, one at a time")
    if action not in ACTIONS:
        raise UsageError(f"--action {action!r}: use one of {', '.join(ACTIONS)}")
    when = parse_day(on, "--on") if on is not None else today
    plan, answered = att.enforce(plan_path, action, when, settings, note=note or "", today=today)
    if not json_output:
        for r in answered:
            info(
                f"{plan.crn}: {ACTION_LABELS[action]} on {when.isoformat()} "
                f"for {attendance_file.describe(attendance_file.record_key(r))}"
            )
        if not answered:
            info(f"{plan.crn}: already recorded; the plan is unchanged")
    _report(plan, plan_path, None, settings, today, json_output, answered=len(answered))


def parse_day(value: str | None, flag: str) -> Any:
    """A date option, YYYY-MM-DD or DD/MM/YYYY, as a date (today when not given)."""
    from datetime import date

    return date.today() if value is None else optional_day(value, flag)


def optional_day(value: str | None, flag: str) -> Any:
    """A date option, YYYY-MM-DD or DD/MM/YYYY, as a date (None when not given); a usage
    error naming the option otherwise."""
    from rarplan.model.dates import read_date
    from rarplan.model.errors import UsageError

    if value is None:
        return None
    try:
        return read_date(value)
    except ValueError as exc:
        raise UsageError(f"{flag}: {exc}") from None


def reschedule_command(plan_path: str, missed: list[Any], today: Any) -> str:
    """The `rarplan schedule` command that offers the missed sessions again, from tomorrow."""
    import shlex
    from datetime import timedelta

    sessions = ", ".join(
        f"{r.intervention} session {r.session} on {r.date.isoformat()}" for r in missed
    )
    start = today + timedelta(days=1)
    return (
        f"rarplan schedule {shlex.quote(plan_path)} --from {start.isoformat()} "
        f"--reason {shlex.quote('missed: ' + sessions)}"
    )


def can_prompt(no_input: bool, json_output: bool) -> bool:
    """Questions only in a terminal, and never with --no-input or --json."""
    import sys

    return not no_input and not json_output and sys.stdin.isatty()


def _ask(plan_path: Path, today: Any) -> tuple[Any, list[Any]]:
    """Ask about each past appointment without a record, newest first."""
    import questionary

    from rarplan.cli.output import info
    from rarplan.deliver import attendance_file
    from rarplan.files.planfile import load_plan

    plan, _ = load_plan(plan_path)
    if plan.schedule is None:
        from rarplan.model.errors import InvalidInput

        raise InvalidInput(
            f"{plan_path}: the plan for {plan.crn} has no schedule, so no appointment to record",
            hint="run `rarplan schedule PLAN` first",
        )
    recorded = {attendance_file.record_key(r) for r in plan.attendance}
    due = sorted(
        (
            a
            for a in plan.schedule.appointments
            if a.date <= today and attendance_file.appointment_key(a) not in recorded
        ),
        key=lambda a: (a.date, a.start),
        reverse=True,
    )
    if not due:
        info(f"{plan.crn}: every appointment up to {today.isoformat()} is recorded")
        return plan, []
    info(f"{plan.crn}: {len(due)} appointment(s) to record, newest first")
    entries = []
    for number, appt in enumerate(due, start=1):
        counts = "" if appt.counts_towards_rar else ", not a RAR day"
        from rarplan.model.contacts import LABELS

        answer = questionary.select(
            f"{appt.date.isoformat()} {appt.start} {appt.intervention} session "
            f"{appt.session} ({appt.kind}{counts})",
            choices=[
                *(questionary.Choice(LABELS[o], value=o) for o in attendance_file.OUTCOMES),
                SKIP,
                STOP,
            ],
        ).unsafe_ask()
        if answer is None or answer == STOP:
            break
        if answer == SKIP:
            continue
        note = ""
        if answer != "attended_complied":
            note = questionary.text("Note (optional):").unsafe_ask() or ""
        row = attendance_file.AttendanceRow(
            date=appt.date,
            intervention=appt.intervention,
            session=appt.session,
            outcome=answer,
            note=note,
        )
        entries.append(attendance_file.Entry(f"answer {number}", row))
    return plan, entries


def _report(
    plan: Any,
    plan_path: Path,
    applied: Any,
    settings: Any,
    today: Any,
    json_output: bool,
    answered: int | None = None,
) -> None:
    from rarplan.cli.output import emit_json, info, is_quiet
    from rarplan.deliver import attendance as att

    data = att.summary(plan, settings, str(plan_path))
    missed = att.to_reschedule(plan)
    data["reschedule_command"] = (
        reschedule_command(str(plan_path), missed, today) if missed else None
    )
    changes = {
        "added": len(applied.added) if applied else 0,
        "replaced": len(applied.replaced) if applied else 0,
        "unchanged": applied.unchanged if applied else 0,
        "changed": bool(applied and applied.changed),
    }
    if changes["changed"] and plan.completion is not None:
        from rarplan.deliver.ending import closing_words

        c = plan.completion
        completed = c.status.startswith("completed")
        data["warnings"].append(
            f"the RAR was {closing_words(c.status)} on {c.completed_on.isoformat()}; its "
            f"{'completion' if completed else 'end'} record no longer matches the plan "
            f"(re-issue it with `rarplan {'complete' if completed else 'end'} --force`)"
        )
    if answered is not None:
        changes["actions_recorded"] = answered
        changes["changed"] = bool(answered)
    if json_output:
        emit_json({**data, **changes})
        return
    if is_quiet():  # -q: the plan file is the result; only errors are printed
        return
    if answered is None:
        info(
            f"{plan.crn}: {changes['added']} recorded, {changes['replaced']} changed, "
            f"{changes['unchanged']} already recorded"
            + ("" if changes["changed"] else "; the plan is unchanged")
        )
    for warning in data["warnings"]:
        info(f"rarplan: warning: {warning}")
    ordered = data["rar_days_ordered"]
    print(
        f"RAR days completed: {data['rar_days_completed']}"
        + (f" of {ordered}" if ordered is not None else "")
    )
    counts = data["counts"]
    print(f"Attendance: {att.describe_counts(counts)}")
    absences = data["unacceptable_absences"]
    if absences:
        from rarplan.deliver.enforcement import ordinal
        from rarplan.model.contacts import ACTION_LABELS, LABELS

        print(f"Unacceptable failures ({len(absences)}):")
        for a in absences:
            if a["action"]:
                what = f"{ACTION_LABELS[a['action']]} on {a['action_on']}"
            else:
                what = {
                    "warning": "ACTION DUE: warning",
                    "breach_consideration": "ACTION DUE: breach consideration",
                    "none": "no action due",
                }[a["flag"]]
            note = f" ({a['note']})" if a["note"] else ""
            print(
                f"  {a['date']} {a['intervention']} session {a['session']}, "
                f"{LABELS[a['outcome']]}: {what} "
                f"({ordinal(a['in_window'])} within {a['window_months']} months){note}"
            )
        due = [a for a in absences if a["action_due"]]
        if due:
            print(
                f"  record the action taken: rarplan attend {plan_path} --action "
                f"{'breach' if data['action_due'] == 'breach_consideration' else 'warning'} "
                "--on DATE"
            )
    missed = data["reschedule"]
    if missed:
        from rarplan.model.contacts import LABELS

        print(f"To offer again ({len(missed)} missed session(s)):")
        for m in missed:
            print(
                f"  {m['date']} {m['intervention']} session {m['session']}: {LABELS[m['outcome']]}"
            )
        print(f"  {data['reschedule_command']}")
