"""`rarplan complete`: record outcomes and close the RAR with a completion record."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from rarplan.cli.options import (
    ClosingIcsOption,
    ConfirmedByOption,
    ForceOption,
    JsonOption,
    NoInputOption,
    QuietOption,
)

TodayOption = Annotated[
    str | None,
    typer.Option("--today", metavar="DATE", help="Take today as DATE (YYYY-MM-DD)."),
]


def complete(
    plan_path: Annotated[Path, typer.Argument(metavar="PLAN", help="The plan file to close.")],
    outcomes: Annotated[
        str | None,
        typer.Option(
            "--outcomes",
            metavar="FILE",
            help="Results of the desired outcomes: TOML [[outcome]] intervention, outcome "
            "(its text or number), result, comment.",
        ),
    ] = None,
    rationale: Annotated[
        str | None,
        typer.Option(metavar="TEXT", help="Why fewer RAR days than ordered were needed."),
    ] = None,
    progress: Annotated[
        str | None, typer.Option(metavar="TEXT", help="The progress made (completing early).")
    ] = None,
    outcome: Annotated[
        str | None,
        typer.Option(metavar="TEXT", help="The outcome achieved (completing early)."),
    ] = None,
    confirmed_by: ConfirmedByOption = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            metavar="FILE",
            help="Completion record to write [default: CRN.completion.toml beside the plan].",
        ),
    ] = None,
    ics: ClosingIcsOption = None,
    reason: Annotated[
        str | None,
        typer.Option(
            metavar="TEXT",
            help="With --force: why close the RAR before the order's start or with "
            "appointments whose outcome is not recorded (kept in the history).",
        ),
    ] = None,
    today: TodayOption = None,
    force: ForceOption = False,
    no_input: NoInputOption = False,
    json_output: JsonOption = False,
    quiet: QuietOption = False,
) -> None:
    """Record outcomes and close the RAR with a completion record.

    Completes when the RAR days completed equal the court's maximum; earlier only with
    --rationale, --progress and --outcome (RAR guidance, section 4), otherwise it is refused
    (exit 4) naming what is missing. Every desired outcome needs a result (achieved,
    partly_achieved or not_achieved), from --outcomes FILE or, in a terminal, by answering.
    Writes the completion record beside the plan (TOML, with the plan's SHA-256 and a summary
    for the contact notes) and marks the plan completed. --force completes again and replaces
    the record. Before the order's start, or while appointments up to today have no recorded
    outcome (they are named), it is refused unless --force with --reason. Appointments after
    today with no outcome are cancelled: nothing more is to come (--ics updates the calendar).

    Example: rarplan complete X100001.plan.toml --outcomes outcomes.toml --confirmed-by "A Officer"
    """
    from rarplan.cli.commands.attend import can_prompt, parse_day
    from rarplan.deliver import completion as comp
    from rarplan.deliver.outcomes import read_outcomes

    day = parse_day(today, "--today")
    update = False
    if ics is not None:
        from rarplan.cli.commands.schedule import check_calendar

        update = check_calendar(ics, plan_path, force)
    entries: list[Any] = []
    source = ""
    if outcomes is not None:
        entries, source = read_outcomes(outcomes)
    texts = comp.Texts(rationale or "", progress or "", outcome or "")
    reviews: list[Any] = []
    who = confirmed_by or ""
    if can_prompt(no_input, json_output):
        reviews, texts, who = _ask(plan_path, entries, source, texts, who, day, force)
    record, target = comp.complete_rar(
        plan_path,
        out=out,
        entries=entries,
        entries_source=source,
        reviews=reviews,
        texts=texts,
        confirmed_by=who,
        today=day,
        force=force,
        reason=reason or "",
    )
    report_closed(record, target, plan_path, ics, update, force, json_output, record.status)


def _ask(
    plan_path: Path,
    entries: list[Any],
    source: str,
    texts: Any,
    who: str,
    today: Any,
    force: bool,
) -> tuple[list[Any], Any, str]:
    """Ask for what the flags and the outcomes file left out; the rules are checked later."""
    import questionary

    from rarplan.cli.output import info
    from rarplan.deliver import completion as comp
    from rarplan.deliver.outcomes import RESULTS, merge_reviews, missing_results, resolve_outcomes
    from rarplan.files.planfile import load_plan
    from rarplan.model.plan import OutcomeReview
    from rarplan.model.rardays import days_used

    plan, _ = load_plan(plan_path)
    if plan.completion is not None and not force:
        return [], texts, who  # complete_rar refuses, naming --force
    resolved = resolve_outcomes(plan, entries, source) if entries else []
    merged = merge_reviews(plan.outcomes, resolved)
    reviews = []
    missing = missing_results(plan, merged)
    if missing:
        info(f"{plan.crn}: {len(missing)} desired outcome(s) to review")
    for intervention, text in missing:
        result = questionary.select(f"{intervention}: {text}", choices=list(RESULTS)).unsafe_ask()
        if result is None:
            raise KeyboardInterrupt
        comment = questionary.text("Comment (optional):").unsafe_ask() or ""
        reviews.append(
            OutcomeReview(intervention=intervention, outcome=text, result=result, comment=comment)
        )
    ordered = plan.case.sentence.rar_max_days
    completed = days_used(plan.attendance)
    if ordered is not None and completed < ordered:
        info(f"{plan.crn}: completing early ({completed} of {ordered} RAR days)")
        answers = {}
        for key, question in (
            ("rationale", "Why were fewer RAR days than ordered needed?"),
            ("progress", "What progress has been made?"),
            ("outcome", "What outcome has been achieved?"),
        ):
            current = getattr(texts, key)
            if not current.strip():
                current = questionary.text(
                    question, validate=lambda v: bool(v.strip()) or "required"
                ).unsafe_ask()
            answers[key] = current or ""
        texts = comp.Texts(**answers)
    if not who.strip():
        who = (
            questionary.text(
                "Confirmed by (your name, as the officer responsible):",
                default=plan.responsible_officer,
                validate=lambda v: bool(v.strip()) or "required",
            ).unsafe_ask()
            or ""
        )
    return reviews, texts, who


def report_closed(
    record: Any,
    target: Path,
    plan_path: Path,
    ics: Path | None,
    update: bool,
    force: bool,
    json_output: bool,
    marked: str,
) -> None:
    """After `complete` or `end` wrote the record and the plan: the person's calendar updated
    (`--ics`), then the record as JSON, or a line on stderr and the record's summary."""
    if ics is not None:
        from rarplan.cli.commands.schedule import write_closing_calendar

        write_closing_calendar(plan_path, ics, update=update, force=force)
    if json_output:
        from rarplan.cli.output import emit_json

        emit_json(
            {
                **record.model_dump(mode="json"),
                "record_file": str(target),
                "ics_file": str(ics) if ics else None,
            }
        )
        return
    from rarplan.cli.output import info, is_quiet

    if is_quiet():  # -q: the record file is the result; only errors are printed
        return
    info(
        f"{record.crn}: wrote {target}; the plan is marked {marked}"
        + (f"; calendar in {ics}" if ics else "")
    )
    print(record.summary)
