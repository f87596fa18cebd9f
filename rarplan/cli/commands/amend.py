"""`rarplan amend`: change a plan while the RAR runs, each change with its reason."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer

from rarplan.cli.options import CatalogueOption, JsonOption, QuietOption


def amend(
    plan_path: Annotated[Path, typer.Argument(metavar="PLAN", help="The plan file to amend.")],
    add: Annotated[
        list[str] | None,
        typer.Option(
            "--add", metavar="ID", help="Add an intervention (a catalogue id); repeatable."
        ),
    ] = None,
    drop: Annotated[
        list[str] | None,
        typer.Option("--drop", metavar="ID", help="Drop an intervention; repeatable."),
    ] = None,
    hours: Annotated[
        list[str] | None,
        typer.Option(
            "--hours",
            metavar="ID=N",
            help="Hours (one-hour appointments) of a modular service; repeatable.",
        ),
    ] = None,
    outcome: Annotated[
        list[str] | None,
        typer.Option(
            "--outcome",
            metavar="ID=TEXT",
            help="A desired outcome; those given for an ID replace its list. Repeatable.",
        ),
    ] = None,
    officer: Annotated[
        str | None,
        typer.Option("--officer", metavar="NAME", help="The new responsible officer."),
    ] = None,
    agreement: Annotated[
        Literal["agreed", "does_not_agree", "could_not_answer"] | None,
        typer.Option("--agreement", help="The person's agreement to the plan now."),
    ] = None,
    override: Annotated[
        list[str] | None,
        typer.Option(
            "--override",
            metavar="ID=REASON",
            help="Why an added intervention the criteria exclude is chosen anyway.",
        ),
    ] = None,
    reason: Annotated[
        str | None,
        typer.Option(
            "--reason", metavar="TEXT", help="Why the plan changes (required; in the history)."
        ),
    ] = None,
    from_date: Annotated[
        str | None,
        typer.Option(
            "--from",
            metavar="DATE",
            help="Re-plan appointments from DATE when the interventions change [default: today].",
        ),
    ] = None,
    by: Annotated[
        str | None,
        typer.Option(
            "--by", metavar="NAME", help="Who amends it, for the history [default: $USER]."
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would change; write nothing.")
    ] = False,
    catalogue_file: CatalogueOption = None,
    json_output: JsonOption = False,
    quiet: QuietOption = False,
) -> None:
    """Amend a plan: interventions, hours, desired outcomes, the officer or the agreement.

    Every change is recorded in the plan's history with --reason, who and when. An added
    intervention is judged against the catalogue's criteria as in `assess`: one they exclude
    needs --override ID=REASON (exit 4 without). The plan never needs more RAR days than the
    court ordered (exit 4). Attendance, outcomes and the schedule's past are kept; when the
    interventions or hours of a scheduled plan change, its appointments from --from (default
    today) are planned again. The previous version is kept in .rarplan-history/.

    Example: rarplan amend X100001.plan.toml --add msrp-money --reason "Rent arrears found"
    """
    from rarplan.catalogue import load as cat
    from rarplan.cli.commands.attend import optional_day, parse_day
    from rarplan.cli.output import emit_json, info, is_quiet
    from rarplan.deliver import amend as domain
    from rarplan.deliver.attendance import current_user
    from rarplan.model.errors import UsageError

    if not (reason or "").strip():
        raise UsageError("--reason TEXT is required: why the plan changes, for its history")
    outcomes: dict[str, list[str]] = {}
    for key, text in _pairs(outcome, "--outcome", "ID=TEXT"):
        outcomes.setdefault(key, []).append(text)
    amendment = domain.Amendment(
        reason=(reason or "").strip(),
        add=tuple(add or ()),
        drop=tuple(drop or ()),
        hours={key: _whole(value, key) for key, value in _pairs(hours, "--hours", "ID=N")},
        outcomes=outcomes,
        officer=officer,
        agreement=agreement,
        overrides=dict(_pairs(override, "--override", "ID=REASON")),
        by=by or current_user() or "unknown",
        replan_from=optional_day(from_date, "--from"),
    )
    if not amendment.asks_anything():
        raise UsageError(
            "nothing to amend: give --add, --drop, --hours, --outcome, --officer or --agreement"
        )
    catalogue = cat.load_chosen(catalogue_file)
    amended, kept = domain.amend_file(
        plan_path, catalogue, amendment, today=parse_day(None, "--today"), dry_run=dry_run
    )
    out = domain.as_output(amended, amendment, str(plan_path), kept, dry_run)
    if json_output:
        emit_json(out.model_dump(mode="json"))
        return
    if is_quiet():  # -q: the plan file is the result; only errors are printed
        return
    if not out.changed:
        info(f"{out.crn}: nothing changed: the plan already says so")
        return
    for line in out.changes:
        print(f"{'would be ' if dry_run else ''}{line}")
    for warning in out.warnings:
        info(f"rarplan: warning: {warning}")
    days = (
        f"; schedule version {out.schedule_version}: {out.rar_days_planned} of "
        f"{out.rar_days_ordered} RAR days planned, {out.rar_days_used} used"
        if out.replanned
        else ""
    )
    if dry_run:
        info(f"{out.crn}: dry run, {plan_path} not changed{days}")
    else:
        info(f"{out.crn}: amended {plan_path}{days}")
        if kept is not None:
            info(f"the previous version is kept in {kept}")


def _pairs(values: list[str] | None, flag: str, shape: str) -> list[tuple[str, str]]:
    from rarplan.model.errors import UsageError

    out = []
    for value in values or ():
        key, sep, rest = value.partition("=")
        if not sep or not key.strip() or not rest.strip():
            raise UsageError(f"{flag} {value!r}: give {shape}")
        out.append((key.strip(), rest.strip()))
    return out


def _whole(value: str, key: str) -> int:
    from rarplan.model.errors import UsageError

    try:
        return int(value)
    except ValueError:
        raise UsageError(f"--hours {key}={value}: give a whole number of hours") from None
