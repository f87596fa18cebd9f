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
    json_output: JsonOption = False,
    quiet: QuietOption = False,
) -> None:
    """The caseload: one row per plan in a folder, most urgent first.

    Columns: CRN, band, RAR days ordered / planned / completed, next appointment, order end,
    unacceptable absences (with a warning or breach flag) and AT RISK when the days left
    cannot be delivered before the order ends at the planned rhythm. At-risk plans come
    first, then the nearest order end, then the nearest appointment; completed RARs last.
    Files that are not readable plans are reported and skipped; --check also reads the parts
    of each plan the table does not show, to find damage there.

    Example: rarplan status plans/ --json
    """
    from rarplan.cli.commands.attend import parse_day
    from rarplan.cli.output import emit_json, info
    from rarplan.deliver.attendance import load_settings
    from rarplan.deliver.caseload import scan

    day = parse_day(today, "--today")
    caseload = scan(folder, day, load_settings(), check=check)
    if json_output:
        emit_json(caseload.as_dict())
        return
    for skipped in caseload.skipped:
        info(f"rarplan: skipped {skipped.file}: {skipped.reason}")
    if not caseload.rows:
        info(f"no plans (*.plan.toml) in {folder}")
        return
    _table(caseload)


def _table(caseload: Any) -> None:
    from rich.table import Table

    from rarplan.cli.output import console

    flags = {"warning": " warn", "breach_consideration": " BREACH", "none": ""}
    table = Table(box=None, pad_edge=False, header_style="bold")
    numbers = {"Ordered", "Planned", "Done", "Absences"}
    for name in (
        "CRN",
        "Band",
        "Ordered",
        "Planned",
        "Done",
        "Next appointment",
        "Order end",
        "Absences",
        "At risk",
    ):
        table.add_column(name, justify="right" if name in numbers else "left", no_wrap=True)

    def num(value: int | None) -> str:
        return "-" if value is None else str(value)

    for row in caseload.rows:
        nxt = row.next_appointment
        if row.closed:
            risk = row.status.replace("_", " ")
        else:
            risk = "AT RISK" if row.risk.at_risk else "-"
        table.add_row(
            row.crn,
            row.band,
            num(row.rar_days_ordered),
            num(row.rar_days_planned),
            num(row.rar_days_completed),
            f"{nxt.date.isoformat()} {nxt.start}" if nxt else "-",
            row.order_end.isoformat() if row.order_end else "-",
            f"{row.unacceptable_absences}{flags[row.enforcement]}",
            risk,
        )
    console().print(table)
