"""`rarplan render` (scaffold: being written)."""

from __future__ import annotations

from rarplan.cli.options import JsonOption


def render(json_output: JsonOption = False) -> None:
    """Scaffold.

    Example: rarplan render --help
    """
    from rarplan.errors import UsageError

    raise UsageError("`rarplan render` is not built yet")
