"""`rarplan status` (scaffold: being written)."""

from __future__ import annotations

from rarplan.cli.options import JsonOption


def status(json_output: JsonOption = False) -> None:
    """Scaffold.

    Example: rarplan status --help
    """
    from rarplan.errors import UsageError

    raise UsageError("`rarplan status` is not built yet")
