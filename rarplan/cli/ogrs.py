"""`rarplan ogrs` (scaffold: being written)."""

from __future__ import annotations

from rarplan.cli.options import JsonOption


def ogrs(json_output: JsonOption = False) -> None:
    """Scaffold.

    Example: rarplan ogrs --help
    """
    from rarplan.errors import UsageError

    raise UsageError("`rarplan ogrs` is not built yet")
