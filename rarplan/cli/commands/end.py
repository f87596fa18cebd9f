"""`rarplan end`: close a RAR that ended other than by completion, with an end record."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer

from rarplan.cli.options import (
    ClosingIcsOption,
    ConfirmedByOption,
    ForceOption,
    JsonOption,
    QuietOption,
)


def end(
    plan_path: Annotated[Path, typer.Argument(metavar="PLAN", help="The plan file to close.")],
    reason: Annotated[
        Literal["revoked", "breach_resentenced", "transferred", "died", "other"] | None,
        typer.Option("--reason", help="Why the RAR ended.", show_default=False),
    ] = None,
    note: Annotated[
        str | None,
        typer.Option("--note", metavar="TEXT", help="What happened, for the record (required)."),
    ] = None,
    outcomes: Annotated[
        str | None,
        typer.Option(
            "--outcomes",
            metavar="FILE",
            help="Results of desired outcomes reviewed so far (as for complete).",
        ),
    ] = None,
    confirmed_by: ConfirmedByOption = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            metavar="FILE",
            help="End record to write [default: CRN.end.toml beside the plan].",
        ),
    ] = None,
    ics: ClosingIcsOption = None,
    today: Annotated[
        str | None,
        typer.Option("--today", metavar="DATE", help="The date it ended [default: today]."),
    ] = None,
    force: ForceOption = False,
    json_output: JsonOption = False,
    quiet: QuietOption = False,
) -> None:
    """End a RAR other than by completion: revoked, breached, transferred, died or other.

    Writes an end record beside the plan, the same shape as a completion record (its status
    is the reason; the plan's SHA-256, the days ordered and used, attendance and the outcomes
    reviewed so far, a summary for the contact notes) and marks the plan closed. `rarplan
    verify` checks it. --force ends it again and replaces the record. Appointments after the
    ending with no outcome are cancelled (--ics updates the person's calendar file).

    Example: rarplan end X100001.plan.toml --reason revoked --note "At court" --confirmed-by RO1
    """
    from rarplan.cli.commands.attend import parse_day
    from rarplan.deliver.ending import end_rar
    from rarplan.deliver.outcomes import read_outcomes
    from rarplan.model.errors import UsageError

    if reason is None:
        raise UsageError(
            "--reason is required: revoked, breach_resentenced, transferred, died or other"
        )
    update = False
    if ics is not None:
        from rarplan.cli.commands.schedule import check_calendar

        update = check_calendar(ics, plan_path, force)
    entries, source = read_outcomes(outcomes) if outcomes is not None else ([], "")
    record, target = end_rar(
        plan_path,
        reason=reason,
        note=note or "",
        confirmed_by=confirmed_by or "",
        today=parse_day(today, "--today"),
        out=out,
        entries=entries,
        entries_source=source,
        force=force,
    )
    from rarplan.cli.commands.complete import report_closed

    report_closed(
        record, target, plan_path, ics, update, force, json_output, f"ended ({record.status})"
    )
