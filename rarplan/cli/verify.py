"""`rarplan verify` (scaffold: being written)."""

from __future__ import annotations

from rarplan.cli.options import JsonOption


def verify(json_output: JsonOption = False) -> None:
    """Scaffold.

    Example: rarplan verify --help
    """
    from rarplan.errors import UsageError

    raise UsageError("`rarplan verify` is not built yet")
