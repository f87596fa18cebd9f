"""`rarplan agenda`: the appointments across a caseload on a day or in a week."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from rarplan.cli.options import JsonOption, QuietOption


def agenda(
    folder: Annotated[
        Path, typer.Argument(metavar="DIR", help="Folder of *.plan.toml files.")
    ] = Path("."),
    day: Annotated[
        str | None,
        typer.Option("--day", metavar="DATE", help="The day to list [default: today]."),
    ] = None,
    week: Annotated[
        bool,
        typer.Option("--week", help="List the whole week (Monday to Sunday) holding the day."),
    ] = False,
    json_output: JsonOption = False,
    quiet: QuietOption = False,
) -> None:
    """The appointments across the caseload on a day, or in its week, in time order.

    One line per appointment: date, time, CRN, the plan's file, what (intervention and
    session), whether it is a RAR day, the place (when any is known), and the outcome once
    recorded. A completed
    or ended RAR shows no later appointments. Files that are not readable plans are reported
    and skipped.

    Example: rarplan agenda plans/ --week --day 2027-03-01
    """
    from rarplan.cli.commands.attend import parse_day
    from rarplan.cli.output import emit_json, info
    from rarplan.deliver.agenda import agenda as list_agenda
    from rarplan.deliver.agenda import week_of

    when = parse_day(day, "--day")
    first, last = week_of(when) if week else (when, when)
    items, skipped = list_agenda(folder, first, last)
    if json_output:
        emit_json(
            {
                "from": first.isoformat(),
                "to": last.isoformat(),
                "appointments": [i.as_dict() for i in items],
                "skipped": [s.as_dict() for s in skipped],
            }
        )
        return
    for s in skipped:
        info(f"rarplan: skipped {s.file}: {s.reason}")
    span = first.isoformat() if first == last else f"{first.isoformat()} to {last.isoformat()}"
    if not items:
        info(f"no appointments {'on' if first == last else 'from'} {span} in {folder}")
        return
    _table(items, span)


def _table(items: list[Any], span: str) -> None:
    from rarplan.cli.output import console
    from rarplan.cli.screen import Table, escape
    from rarplan.model.contacts import LABELS

    places = any(i.appointment.place for i in items)  # the column only when one is known
    table = Table(
        title=f"Agenda {span}", box=None, options={"pad_edge": False, "header_style": "bold"}
    )
    for name in ("Date", "Time", "CRN", "File", "What", "RAR day", "Place", "Outcome"):
        if name != "Place" or places:
            table.add_column(name, no_wrap=name not in ("Place", "Outcome"))
    for item in items:
        a = item.appointment
        cells = [
            f"{a.date:%a} {a.date.isoformat()}",
            a.start,
            item.crn,
            escape(Path(item.file).name),
            escape(f"{a.intervention} session {a.session}" + (" again" if a.offer else "")),
            "yes" if a.counts_towards_rar else "no",
            *([escape(a.place or "-")] if places else []),
            LABELS[item.outcome] if item.outcome else "-",
        ]
        table.add_row(*cells)
    console().print(table)
