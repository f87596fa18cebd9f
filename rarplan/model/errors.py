"""The one error family of rarplan.

Domain code raises these; only the CLI turns them into one stderr line (or a JSON error object)
and a fixed exit code. The codes are the scripting contract (docs/scripting.md, "Exit codes").

Every error has a stable string `kind` (the JSON error's "code": "invalid_input", "refused",
...) beside its numeric exit `code`. Domain messages and hints are in the officer's words and
never name a CLI flag (STYLE.md, "Two layers"): when a caller can resolve an error by giving
something, `needs` names it by the library's parameter ("force", "confirmed_by"), and the CLI
words the flag (`rarplan.cli.output`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


class ExitCode:
    OK = 0
    INTERNAL = 1
    USAGE = 2
    INVALID_INPUT = 3
    REFUSED = 4
    WOULD_OVERWRITE = 5
    INTERRUPTED = 130


class RarplanError(Exception):
    """Base class: a message for the officer, a hint for what to do, and an exit code.

    `needs`: the inputs, by the library's parameter names, that would resolve the error when
    given (("force",) to replace a file; ("rationale", "progress") for an early completion).
    """

    code: int = ExitCode.INTERNAL
    kind: str = "internal"

    def __init__(self, message: str, hint: str = "", *, needs: Iterable[str] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.needs: tuple[str, ...] = tuple(needs)


class UsageError(RarplanError):
    """The command was called wrongly (a missing flag, a bad combination): the CLI's own."""

    code = ExitCode.USAGE
    kind = "usage"


class NeedsInput(RarplanError):
    """A library call lacks something only its caller can give (who confirms a completion, a
    plan file to update rather than stdin): `needs` names it. Exit 2, as a usage error."""

    code = ExitCode.USAGE
    kind = "usage"


class InvalidInput(RarplanError):
    """A case, plan, attendance, timetable or catalogue file is wrong."""

    code = ExitCode.INVALID_INPUT
    kind = "invalid_input"

    def __init__(
        self,
        message: str,
        hint: str = "",
        problems: list[str] | None = None,
        *,
        needs: Iterable[str] = (),
    ) -> None:
        super().__init__(message, hint, needs=needs)
        self.problems = problems or []


class RefusedByRules(RarplanError):
    """The guidance or the court's order does not allow it (cannot fit, no rationale, ...)."""

    code = ExitCode.REFUSED
    kind = "refused"


class WouldOverwrite(RarplanError):
    """A file exists and replacing it was not asked for (`needs` "force"), or another process
    holds its lock."""

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


def error_fields(err: RarplanError, hint: str | None = None) -> dict[str, Any]:
    """The fields of a JSON error (docs/scripting.md, the same for a command's error and a batch
    line's): a stable string `code` ("invalid_input", "refused", ...) beside the numeric
    `exit_code`, the message and the hint (`hint`, when the CLI words it with a flag)."""
    return {
        "code": err.kind,
        "exit_code": err.code,
        "message": one_line(err.message),
        "hint": one_line(err.hint if hint is None else hint),
    }
