"""`rarplan attend` (scaffold: being written)."""

from __future__ import annotations

from rarplan.cli.options import JsonOption


def attend(json_output: JsonOption = False) -> None:
    """Scaffold.

    Example: rarplan attend --help
    """
    from rarplan.errors import UsageError

    raise UsageError("`rarplan attend` is not built yet")
