"""`rarplan assess` (scaffold: being written)."""

from __future__ import annotations

from rarplan.cli.options import JsonOption


def assess(json_output: JsonOption = False) -> None:
    """Scaffold.

    Example: rarplan assess --help
    """
    from rarplan.errors import UsageError

    raise UsageError("`rarplan assess` is not built yet")
