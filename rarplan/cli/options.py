"""Options shared by the commands, declared once."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

JsonOption = Annotated[
    bool, typer.Option("--json", help="Print exactly one JSON document on stdout.")
]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="Print only data and errors.")]
NoInputOption = Annotated[
    bool,
    typer.Option("--no-input", help="Never prompt; a missing answer is an error naming the key."),
]
ForceOption = Annotated[
    bool,
    typer.Option(
        "--force", "-f", help="Replace an existing file (the old one is kept in .rarplan-history/)."
    ),
]
CatalogueOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--catalogue",
        metavar="NAME|FILE",
        envvar="RARPLAN_CATALOGUE",
        help="A catalogue to use: a provider's own file, or a shipped one, rate-card (the KSS "
        "CRC rate card, Kent, Surrey and Sussex only) or structured (the national Structured "
        "Interventions). Repeat to use several together [default: both shipped ones].",
        show_envvar=True,
    ),
]
WithNamesOption = Annotated[
    bool, typer.Option("--with-names", help="Include the person's name (left out by default).")
]
# `complete` and `end`: who confirms the closing record, and the calendar to update.
ConfirmedByOption = Annotated[
    str | None,
    typer.Option("--confirmed-by", metavar="NAME", help="The officer confirming the record."),
]
ClosingIcsOption = Annotated[
    Path | None,
    typer.Option(
        "--ics",
        metavar="FILE",
        help="Update the person's calendar file: appointments after the closing date "
        "marked cancelled.",
    ),
]
