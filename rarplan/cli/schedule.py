"""`rarplan schedule` (scaffold: being written)."""

from __future__ import annotations

from rarplan.cli.options import JsonOption


def schedule(json_output: JsonOption = False) -> None:
    """Scaffold.

    Example: rarplan schedule --help
    """
    from rarplan.errors import UsageError

    raise UsageError("`rarplan schedule` is not built yet")
