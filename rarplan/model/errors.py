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


# Control and bidi characters, escaped so a message stays one honest line.
_CONTROL = {c: f"\\x{c:02x}" for c in [*range(0, 32), 127] if c not in (9,)}
_CONTROL.update(
    {
        c: f"\\u{c:04x}"
        for c in (
            0x2028,
            0x2029,
            0x202A,
            0x202B,
            0x202C,
            0x202D,
            0x202E,
            0x2066,
            0x2067,
            0x2068,
            0x2069,
        )
    }
)


def one_line(text: str) -> str:
    """Escape control and bidi characters so a message is one honest line."""
    return text.translate(_CONTROL)
