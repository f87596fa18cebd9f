"""`rarplan assess`: the needs assessment, from a case file, a batch, or interactively."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from rarplan.cli.options import (
    CatalogueOption,
    ForceOption,
    JsonOption,
    NoInputOption,
    QuietOption,
)


def assess(
    case_file: Annotated[
        str | None,
        typer.Argument(metavar="CASE", help="Case file (TOML or JSON); '-' reads stdin."),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Plan file to write [default: CRN.plan.toml]."),
    ] = None,
    no_plan: Annotated[
        bool, typer.Option("--no-plan", help="Print the assessment only; write no plan file.")
    ] = False,
    batch: Annotated[
        str | None,
        typer.Option("--batch", metavar="FILE", help="Many cases: JSONL (one a line) or CSV."),
    ] = None,
    out_dir: Annotated[
        Path | None,
        typer.Option("--out-dir", metavar="DIR", help="With --batch: folder for the plan files."),
    ] = None,
    resume: Annotated[
        bool, typer.Option("--resume", help="Continue an interrupted interactive assessment.")
    ] = False,
    discard_progress: Annotated[
        bool,
        typer.Option(
            "--discard-progress",
            help="With --force: replace a plan even though it holds a schedule, attendance, "
            "outcomes or a completion.",
        ),
    ] = False,
    show_all: Annotated[
        bool,
        typer.Option(
            "--all",
            help="Interactive assessment: show the excluded interventions in full at the "
            "summary (folded to one line each otherwise).",
        ),
    ] = False,
    catalogue_file: CatalogueOption = None,
    no_input: NoInputOption = False,
    force: ForceOption = False,
    json_output: JsonOption = False,
    quiet: QuietOption = False,
) -> None:
    """Assess needs: band, guideline days, eligible interventions; write the plan.

    With a CASE file it runs without questions (as in scripts); with no CASE in a terminal it
    walks you through the assessment and keeps a draft you can --resume after Ctrl-C.
    --force replaces an existing plan (the earlier version is kept in .rarplan-history/, and
    its place printed), but not one holding progress (exit 5, naming what would be lost)
    unless --discard-progress too; to change a plan in progress, use `rarplan amend`.

    Example: rarplan assess examples/cases/X100001.toml --out X100001.plan.toml
    """
    import sys

    from rarplan.catalogue import load as cat
    from rarplan.model.errors import UsageError

    if discard_progress and not force:
        raise UsageError("--discard-progress goes with --force (replacing the plan)")
    catalogue = cat.load_chosen(catalogue_file)
    if batch is not None:
        if case_file is not None:
            raise UsageError("give either CASE or --batch FILE, not both")
        from rarplan.assess.batch import run_batch
        from rarplan.cli.output import info, progress

        with progress("cases", json_output) as bar:
            code = run_batch(
                batch, out_dir, catalogue, force, json_output, no_plan, say=info, progress=bar
            )
        raise typer.Exit(code)
    interactive = not no_input and sys.stdin.isatty() and not json_output
    if case_file is None or resume:
        if not interactive:
            raise UsageError(
                "give a CASE file (or --batch FILE); the interactive assessment needs a "
                "terminal and no --no-input/--json"
            )
        from rarplan.cli.wizard.run import run_wizard

        run_wizard(
            catalogue,
            out=out,
            force=force,
            resume=resume,
            case_file=case_file,
            show_all=show_all,
        )
        return
    _assess_file(
        case_file,
        out,
        no_plan,
        catalogue,
        force,
        discard_progress,
        json_output,
        interactive,
        quiet,
    )


def _assess_file(
    case_file: str,
    out: Path | None,
    no_plan: bool,
    catalogue: Any,
    force: bool,
    discard_progress: bool,
    json_output: bool,
    interactive: bool,
    quiet: bool = False,
) -> None:
    from rarplan.assess.assessment import assess as run_assessment
    from rarplan.assess.result import result_dict
    from rarplan.cli.output import emit_json
    from rarplan.files.caseio import load_case
    from rarplan.files.planfile import check_replace, default_plan_name, save_plan

    case, name = load_case(case_file)
    if interactive:
        from rarplan.cli.wizard.run import answer_checks

        case = answer_checks(case, catalogue)
    plan = run_assessment(case, catalogue, source=name)
    target: Path | None = None
    kept: Path | None = None
    if not no_plan:
        target = out or Path(default_plan_name(plan.crn))
        if force and target.is_file():
            from rarplan.files.storage import locked

            with locked(target):
                check_replace(target, discard_progress=discard_progress)
                kept = save_plan(plan, target, overwrite=True)
        elif force:
            save_plan(plan, target, overwrite=True)
        else:
            save_plan(plan, target, overwrite=False)
    if json_output:
        result = result_dict(plan, str(target) if target else None, catalogue)
        emit_json({**result, "previous_version": str(kept) if kept else None})
        return
    if quiet:  # -q: the plan file is the result; nothing but errors is printed
        return
    from rarplan.cli.views.assess import show_assessment

    show_assessment(plan, catalogue, target)
    if kept is not None:
        from rarplan.cli.output import info

        info(f"the earlier version of {target} is kept in {kept}")
