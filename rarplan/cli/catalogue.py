"""`rarplan catalogue` (scaffold: being written)."""

from __future__ import annotations

import typer

app = typer.Typer(no_args_is_help=True)


@app.command("list")
def list_() -> None:
    """Scaffold.

    Example: rarplan catalogue list
    """
