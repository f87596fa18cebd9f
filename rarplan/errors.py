"""The one error family of rarplan.

Domain code raises these; only the CLI turns them into one stderr line (or a JSON error object)
and a fixed exit code. The codes are the scripting contract (README, "Exit codes").
"""

from __future__ import annotations


class ExitCode:
    OK = 0
    INTERNAL = 1
    USAGE = 2
    INVALID_INPUT = 3
    REFUSED = 4
    WOULD_OVERWRITE = 5
    INTERRUPTED = 130


class RarplanError(Exception):
    """Base class: a message for the officer, a hint for what to do, and an exit code."""

    code: int = ExitCode.INTERNAL
    kind: str = "error"

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class UsageError(RarplanError):
    """The command was called wrongly (a missing flag, a bad combination)."""

    code = ExitCode.USAGE
    kind = "usage"


class InvalidInput(RarplanError):
    """A case, plan, attendance, timetable or catalogue file is wrong."""

    code = ExitCode.INVALID_INPUT
    kind = "invalid_input"

    def __init__(self, message: str, hint: str = "", problems: list[str] | None = None) -> None:
        super().__init__(message, hint)
        self.problems = problems or []


class RefusedByRules(RarplanError):
    """The guidance or the court's order does not allow it (cannot fit, no rationale, ...)."""

    code = ExitCode.REFUSED
    kind = "refused"


class WouldOverwrite(RarplanError):
    """A file exists and --force was not given, or another process holds its lock."""

    code = ExitCode.WOULD_OVERWRITE
    kind = "would_overwrite"


class FileLocked(WouldOverwrite):
    kind = "locked"
