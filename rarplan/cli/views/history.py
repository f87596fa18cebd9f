"""`rarplan history`: every change to a plan, oldest first, and its `--json` model."""

from __future__ import annotations

from pydantic import BaseModel

from rarplan.cli.views.show import HistoryItem, history_item, history_lines
from rarplan.model.plan import Plan


class HistoryOutput(BaseModel):
    """The `rarplan history --json` document."""

    crn: str
    plan_file: str
    created: str
    entries: list[HistoryItem]


def build_history(plan: Plan, plan_file: str) -> HistoryOutput:
    return HistoryOutput(
        crn=plan.crn,
        plan_file=plan_file,
        created=plan.created.isoformat(sep=" "),
        entries=[history_item(h) for h in plan.history],
    )


def history_text(out: HistoryOutput) -> list[str]:
    lines = [f"{out.crn}  {out.plan_file}: created {out.created}, {len(out.entries)} changes"]
    for item in out.entries:
        lines.extend(history_lines(item))
    return lines
