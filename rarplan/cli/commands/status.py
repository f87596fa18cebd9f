"""`rarplan status`: the caseload, one row per plan in a folder, most urgent first."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from rarplan.cli.options import JsonOption, QuietOption

TodayOption = Annotated[
    str | None,
    typer.Option("--today", metavar="DATE", help="Take today as DATE (YYYY-MM-DD)."),
]


def status(
    folder: Annotated[
        Path, typer.Argument(metavar="DIR", help="Folder of *.plan.toml files.")
    ] = Path("."),
    today: TodayOption = None,
    check: Annotated[
        bool,
        typer.Option(
            "--check", help="Read and check every plan in full (slower), not only what is shown."
        ),
    ] = False,
    at_risk: Annotated[
        bool, typer.Option("--at-risk", help="Only the plans whose RAR is at risk.")
    ] = False,
    needs_attention: Annotated[
        bool,
        typer.Option(
            "--needs-attention",
            help="Only the plans with past appointments unrecorded or an enforcement action due.",
        ),
    ] = False,
    json_output: JsonOption = False,
    quiet: QuietOption = False,
) -> None:
    """The caseload: one row per plan in a folder, most urgent first.

    Columns: CRN, the plan's file (two plans may share a CRN), band, RAR days done /
    planned / ordered, next appointment, order end, unacceptable failures (with the
    enforcement action due and not recorded: warn, BREACH), past appointments with no outcome
    recorded, and AT RISK when the days left cannot be delivered before the order ends at the
    planned rhythm, with the reason. --at-risk and --needs-attention (unrecorded past
    appointments, an action due) show only those plans. At-risk plans come first, then the
    nearest order end, then the nearest appointment; closed RARs (completed or ended) last.
    Files that are not readable plans are reported and skipped; --check also reads the parts
    of each plan the table does not show, to find damage there.

    Example: rarplan status plans/ --json
    """
    from rarplan.cli.commands.attend import parse_day
    from rarplan.cli.output import emit_json, info, progress
    from rarplan.deliver.caseload import scan
    from rarplan.deliver.enforcement import load_settings

    day = parse_day(today, "--today")
    with progress("plans", json_output) as bar:
        caseload = scan(folder, day, load_settings(), check=check, progress=bar)
    if at_risk:
        caseload.rows = [r for r in caseload.rows if r.risk.at_risk and not r.closed]
    if needs_attention:
        caseload.rows = [r for r in caseload.rows if r.needs_attention]
    if json_output:
        emit_json(caseload.as_dict())
        return
    for skipped in caseload.skipped:
        info(f"rarplan: skipped {skipped.file}: {skipped.reason}")
    if not caseload.rows:
        chosen = " at risk" if at_risk else ""
        chosen += " needing attention" if needs_attention else ""
        info(f"no plans (*.plan.toml){chosen} in {folder}")
        return
    _table(caseload)


def _table(caseload: Any) -> None:
    from rarplan.cli.output import console, short_date
    from rarplan.cli.screen import Table, escape

    flags = {"warning": " warn", "breach_consideration": " BREACH", "none": ""}
    table = Table(box=None, options={"pad_edge": False, "header_style": "bold"})
    numbers = {"Days", "Failures", "To record"}
    # A plan named CRN.plan.toml needs no File column: 80 columns then hold every other one
    # whole (issue 20). A folder with any other name shows the column for every row.
    named_by_crn = all(Path(row.file).name == f"{row.crn}.plan.toml" for row in caseload.rows)
    columns = ["CRN", "File", "Band", "Days", "Next", "Order end", "Failures", "To record"]
    if named_by_crn:
        columns.remove("File")
    for name in (*columns, "At risk"):
        table.add_column(
            name,
            justify="right" if name in numbers else "left",
            no_wrap=name != "At risk",
            min_width=7 if name in ("CRN", "At risk") else None,
        )

    def num(value: int | None) -> str:
        return "-" if value is None else str(value)

    for row in caseload.rows:
        nxt = row.next_appointment
        if row.closed:
            risk = row.risk.reason  # how it closed: completed, completed early, ended (...)
        elif row.risk.at_risk:
            risk = f"AT RISK: {row.risk.short or row.risk.reason}"
        else:
            risk = "-"
        cells = [
            row.crn,
            *([] if named_by_crn else [escape(Path(row.file).name)]),
            row.band,
            # done / planned / ordered
            f"{row.rar_days_completed}/{num(row.rar_days_planned)}/{num(row.rar_days_ordered)}",
            f"{short_date(nxt.date)} {nxt.start}" if nxt else "-",
            short_date(row.order_end, year=True) if row.order_end else "-",
            f"{row.unacceptable_absences}{flags[row.action_due]}",
            str(row.unrecorded) if row.unrecorded else "-",
            escape(risk),
        ]
        table.add_row(*cells)
    console().print(table)
