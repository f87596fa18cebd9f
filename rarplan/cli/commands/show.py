"""`rarplan show`: one plan on one screen."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from rarplan.cli.options import CatalogueOption, JsonOption, QuietOption


def show(
    plan_path: Annotated[Path, typer.Argument(metavar="PLAN", help="The plan file.")],
    today: Annotated[
        str | None,
        typer.Option(
            "--today", metavar="DATE", help="Take today as DATE (YYYY-MM-DD or DD/MM/YYYY)."
        ),
    ] = None,
    catalogue_file: CatalogueOption = None,
    json_output: JsonOption = False,
    quiet: QuietOption = False,
) -> None:
    """Show one plan on one screen: the order, the days, what is next and what is due.

    The CRN, the order and band, the RAR days ordered, planned and used, the next
    appointments, past appointments with no recorded outcome, unacceptable failures with
    the action due, the desired outcomes reviewed so far and the last history entries.

    Example: rarplan show X100001.plan.toml --today 2027-02-15
    """
    from rarplan.catalogue import load as cat
    from rarplan.cli.commands.attend import parse_day
    from rarplan.cli.views.show import build_show, show_lines
    from rarplan.files.planfile import load_plan

    day = parse_day(today, "--today")
    plan, _ = load_plan(plan_path)
    names = {entry.id: entry.name for entry in cat.load_chosen(catalogue_file)}
    out = build_show(plan, str(plan_path), day, names)
    if json_output:
        from rarplan.cli.output import emit_json

        emit_json(out.model_dump(mode="json"))
        return
    print("\n".join(show_lines(out)))
