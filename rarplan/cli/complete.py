"""`rarplan complete` (scaffold: being written)."""

from __future__ import annotations

from rarplan.cli.options import JsonOption


def complete(json_output: JsonOption = False) -> None:
    """Scaffold.

    Example: rarplan complete --help
    """
    from rarplan.errors import UsageError

    raise UsageError("`rarplan complete` is not built yet")
