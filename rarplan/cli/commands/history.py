"""`rarplan history`: every change to a plan: who, when, why and what changed."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from rarplan.cli.options import JsonOption, QuietOption


def history(
    plan_path: Annotated[Path, typer.Argument(metavar="PLAN", help="The plan file.")],
    json_output: JsonOption = False,
    quiet: QuietOption = False,
) -> None:
    """List every change to a plan: who, when, why and what changed.

    One entry per change, oldest first: the schedule and each re-plan (the previous schedule
    is kept in the plan), amendments with what changed, attendance, completion or ending.

    Example: rarplan history X100001.plan.toml --json
    """
    from rarplan.cli.views.history import build_history, history_text
    from rarplan.files.planfile import load_plan

    plan, _ = load_plan(plan_path)
    out = build_history(plan, str(plan_path))
    if json_output:
        from rarplan.cli.output import emit_json

        emit_json(out.model_dump(mode="json"))
        return
    print("\n".join(history_text(out)))
