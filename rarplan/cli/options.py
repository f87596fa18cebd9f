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
    Path | None,
    typer.Option(
        "--catalogue",
        envvar="RARPLAN_CATALOGUE",
        help="A provider's own catalogue file, or a shipped one: rate-card (the KSS CRC rate "
        "card, the default) or structured (the national Structured Interventions).",
        show_envvar=True,
    ),
]
WithNamesOption = Annotated[
    bool, typer.Option("--with-names", help="Include the person's name (left out by default).")
]
