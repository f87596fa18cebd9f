"""Output: data on stdout, everything else on stderr; plain lines when not a terminal."""

from __future__ import annotations

import contextlib
import errno
import functools
import json
import os
import re
import sys
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from rarplan.model.errors import ExitCode, InvalidInput, RarplanError, error_fields, one_line

if TYPE_CHECKING:
    from rich.console import Console

    from rarplan.cli.screen import PlainConsole

JSON_SCHEMA_VERSION = 1
F = TypeVar("F", bound=Callable[..., Any])
_quiet = False


def stdout_is_terminal() -> bool:
    """Whether stdout is a terminal rich can draw on (not a file, a pipe, TERM=dumb)."""
    return sys.stdout.isatty() and os.environ.get("TERM") != "dumb"


@functools.cache
def console() -> Console | PlainConsole:
    """Where a command shows its result: rich on a terminal (colour unless NO_COLOR), plain
    lines anywhere else (rarplan.cli.screen)."""
    if not stdout_is_terminal():
        from rarplan.cli.screen import PlainConsole

        return PlainConsole()
    from rich.console import Console

    return Console(highlight=False, emoji=False)


@functools.cache
def rich_console() -> Console:
    """rich's console on stdout whatever stdout is: for the interactive assessment, which an
    officer answers at a terminal (its tests drive it through a pipe, without colour)."""
    from rich.console import Console

    if stdout_is_terminal() and "NO_COLOR" not in os.environ:
        return Console(highlight=False, emoji=False)
    try:
        width = int(os.environ.get("COLUMNS", "100"))
    except ValueError:
        width = 100
    return Console(
        no_color=True,
        highlight=False,
        emoji=False,
        color_system=None,
        force_terminal=False,
        soft_wrap=False,
        width=width,
    )


@functools.cache
def err_console() -> Console:
    from rich.console import Console

    quiet_colour = (
        "NO_COLOR" in os.environ or os.environ.get("TERM") == "dumb" or not sys.stderr.isatty()
    )
    return Console(
        stderr=True,
        highlight=False,
        emoji=False,
        no_color=quiet_colour,
        color_system=None if quiet_colour else "auto",
    )


def short_date(day: date, year: bool = False) -> str:
    """A date as a table at 80 columns shows it: "11 Jan", or "11 Jan 2028" with the year."""
    return f"{day.day} {day:%b %Y}" if year else f"{day.day} {day:%b}"


def set_quiet(value: bool) -> None:
    global _quiet
    _quiet = value


def is_quiet() -> bool:
    """Whether --quiet was given to the running command (set by `guard`)."""
    return _quiet


def info(message: str) -> None:
    """A progress or summary line for the officer, on stderr (silenced by --quiet)."""
    if not _quiet:
        sys.stderr.write(message + "\n")


ProgressCallback = Callable[[int, int | None], None]


def stderr_is_terminal() -> bool:
    """Whether stderr is a terminal a progress bar can redraw (not a file, a pipe, TERM=dumb)."""
    return sys.stderr.isatty() and os.environ.get("TERM") != "dumb"


@contextlib.contextmanager
def progress(what: str, json_mode: bool = False) -> Iterator[ProgressCallback | None]:
    """A progress bar on stderr for long work (`what`: "cases", "plans"), shown only when
    stderr is a terminal and neither --json nor --quiet is given; the callback to give the
    domain's long work (told the items done and their number), or None when not shown."""
    if json_mode or _quiet or not stderr_is_terminal():  # rich is not even imported then
        yield None
        return
    bar_console = err_console()
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        ProgressColumn,
        TextColumn,
        TimeRemainingColumn,
    )
    from rich.text import Text

    class Rate(ProgressColumn):
        def render(self, task: Any) -> Text:
            return Text(f"{task.speed:,.0f} {what}/s" if task.speed else "")

    columns = (
        TextColumn(what),
        BarColumn(),
        MofNCompleteColumn(),
        Rate(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=bar_console, transient=True) as bar:
        task = bar.add_task(what, total=None)

        def update(done: int, total: int | None) -> None:
            bar.update(task, completed=done, total=total)

        yield update


def emit_json(data: Any) -> None:
    """Exactly one JSON document on stdout, with a schema_version."""
    if isinstance(data, dict) and "schema_version" not in data:
        data = {"schema_version": JSON_SCHEMA_VERSION, **data}
    sys.stdout.write(json.dumps(data, ensure_ascii=False, default=str) + "\n")


def emit_json_line(data: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, default=str) + "\n")


# How the CLI gives what a domain error `needs` (the library's parameter names): the domain
# never names a flag (STYLE.md, "Two layers"), so the words for them live here.
FLAGS: dict[str, str] = {
    "confirmed_by": "--confirmed-by NAME",
    "days": "--days",
    "discard_progress": "--discard-progress",
    "force": "--force",
    "note": "--note TEXT",
    "outcome": "--outcome TEXT",
    "outcomes": "--outcomes FILE",
    "override": "--override ID=REASON",
    "plan": "PLAN",
    "progress": "--progress TEXT",
    "rationale": "--rationale TEXT",
    "reason": "--reason TEXT",
    "replan_from": "--from DATE",
    "start": "--start DATE",
    "strategy": "--strategy compact",  # suggested only when the steady strategy does not fit
    "unavailable": "--unavailable",
}


def flag_for(need: str) -> str:
    """The flag that gives `need`: from FLAGS, else the parameter's own name as an option."""
    return FLAGS.get(need) or "--" + need.replace("_", "-")


def cli_hint(err: RarplanError) -> str:
    """The error's hint with the flags that give what it needs: "...; use --force"."""
    if not err.needs:
        return err.hint
    flags = ", ".join(flag_for(n) for n in err.needs)
    return f"{err.hint}; use {flags}" if err.hint else f"use {flags}"


def error_object(code: str, exit_code: int, message: str, hint: str = "") -> dict[str, Any]:
    """A JSON error that is no RarplanError (a usage error of the parser, an interrupt, a bug),
    in the fields of `error_fields`."""
    return {"error": {"code": code, "exit_code": exit_code, "message": message, "hint": hint}}


# A file with many problems shows this many, then how many more (all are in the --json error).
MAX_PROBLEMS_SHOWN = 20


def report(err: RarplanError, json_mode: bool) -> int:
    """The error as one stderr line, `rarplan: error: what (how to fix it)`; an error made of
    several problems (a file checked in one pass) as a line saying how many, then one line
    each, none repeated, at most MAX_PROBLEMS_SHOWN."""
    err.message, err.hint = one_line(err.message), one_line(cli_hint(err))
    problems = [one_line(p) for p in err.problems] if isinstance(err, InvalidInput) else []
    problems = list(dict.fromkeys(problems))
    if json_mode:
        extra = {"problems": problems} if problems else {}
        error = {"error": {**error_fields(err), **extra}}
        sys.stderr.write(json.dumps(error, ensure_ascii=False) + "\n")
        return err.code
    hint = f" ({err.hint})" if err.hint else ""
    if len(problems) <= 1:
        sys.stderr.write(f"rarplan: error: {err.message}{hint}\n")
        return err.code
    header = err.message
    if problems[0] in header:  # a "N problems: <the first>" message: the first not twice
        from rarplan.files.validation import summary

        header = summary(problems)
    lines = [f"{header}{hint}", *problems[:MAX_PROBLEMS_SHOWN]]
    if len(problems) > MAX_PROBLEMS_SHOWN:
        lines.append(f"... and {len(problems) - MAX_PROBLEMS_SHOWN} more (--json lists them all)")
    sys.stderr.write("".join(f"rarplan: error: {line}\n" for line in lines))
    return err.code


# The parser's words for a value not among an option's choices (typer reads a Literal so).
_NOT_ONE_OF = re.compile(
    r"^(?:Value error, )?'(?P<value>[^']*)' is not one of (?P<allowed>.+?)\.?$"
)


def _usage_message(exc: Any) -> str:
    """The parser's message, a value outside an option's choices worded as the other errors
    are: what was given, what is allowed, and the nearest choice."""
    message = one_line(exc.format_message())
    head, _, tail = message.partition(": ")
    found = _NOT_ONE_OF.match(tail)
    if found is None:
        return message
    from rarplan.files.validation import did_you_mean

    allowed = re.findall(r"'([^']*)'", found["allowed"])
    value = found["value"]
    option = re.sub(r"^Invalid value for ", "", head).strip("'")
    return (
        f"{option}: '{value}' is not allowed{did_you_mean(value, allowed)}; "
        f"allowed: {', '.join(allowed)}"
    )


def report_usage(exc: Any, json_mode: bool) -> int:
    message = _usage_message(exc)
    ctx = getattr(exc, "ctx", None)
    hint = f"see `{ctx.command_path} --help`" if ctx is not None else "see `rarplan --help`"
    code = int(getattr(exc, "exit_code", ExitCode.USAGE) or ExitCode.USAGE)
    if json_mode:
        sys.stderr.write(json.dumps(error_object("usage", code, message, hint)) + "\n")
    else:
        sys.stderr.write(f"rarplan: usage error: {message} ({hint})\n")
    return code


def report_interrupt(json_mode: bool) -> int:
    if json_mode:
        error = error_object("interrupted", ExitCode.INTERRUPTED, "interrupted")
        sys.stderr.write(json.dumps(error) + "\n")
    else:
        sys.stderr.write("\nrarplan: interrupted\n")
    return ExitCode.INTERRUPTED


def report_internal(exc: BaseException, json_mode: bool) -> int:
    """One line asking for a bug report; the traceback goes to a private file, never stdout."""
    import tempfile
    import traceback
    from datetime import datetime

    from rarplan.files.cache import base_folder
    from rarplan.files.storage import private_folder
    from rarplan.model.errors import RarplanError

    folder = base_folder()
    try:
        private_folder(folder)  # 0700 whatever the umask; a symbolic link is refused
    except (OSError, RarplanError):
        folder = Path(tempfile.gettempdir())
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    path = folder / f"crash-{stamp}-{os.getpid()}.log"
    text = "".join(traceback.format_exception(exc))
    try:
        # a new file only (O_EXCL), never through a planted link (O_NOFOLLOW where there is one)
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
        fd = os.open(path, flags, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(text)
        where = str(path)
    except OSError:
        where = "(could not save the traceback)"
    message = f"internal error ({type(exc).__name__}): please report this bug"
    if json_mode:
        sys.stderr.write(
            json.dumps(
                error_object("internal", ExitCode.INTERNAL, message, f"traceback saved in {where}")
            )
            + "\n"
        )
    else:
        sys.stderr.write(f"rarplan: {message}; the traceback is saved in {where}\n")
    return ExitCode.INTERNAL


# The file system's refusals, told as such (exit 3), not as a bug: what went wrong, the file,
# and what to do. Other OSErrors are unexpected and reported as internal errors.
_FILE_SYSTEM_ERRORS: dict[int, str] = {
    getattr(errno, name): hint
    for name, hint in (
        ("ENOSPC", "free some disk space, then run the command again"),
        ("EDQUOT", "free some space within your quota, then run the command again"),
        ("EFBIG", "the file is too large for this file system"),
        ("EACCES", "check the permissions of the file and its folder"),
        ("EPERM", "check the permissions of the file and its folder"),
        ("EROFS", "write to a folder on a writable disk"),
    )
    if hasattr(errno, name)  # EDQUOT is not on every system
}
BROKEN_PIPE = 141  # as a shell reports a program ended by SIGPIPE (128 + 13)


def report_os_error(exc: OSError, json_mode: bool) -> int:
    """Disk full, permission denied, read-only: one line, exit 3, naming the file."""
    where = f"{exc.filename}: " if exc.filename else ""
    what = exc.strerror or str(exc)
    hint = _FILE_SYSTEM_ERRORS.get(exc.errno or 0, "")
    return report(InvalidInput(f"{where}{what}", hint), json_mode)


def report_broken_pipe() -> int:
    """The reader of stdout went away (`rarplan ... | head`): stop quietly, as other tools
    do, with what a shell shows for a program ended by SIGPIPE. Later writes (the final
    flush) go nowhere instead of failing again."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    return BROKEN_PIPE


def guard(fn: F) -> F:
    """Run a command, turning rarplan errors, interrupts and bugs into exit codes."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        import typer

        json_mode = bool(kwargs.get("json_output"))
        set_quiet(bool(kwargs.get("quiet")))
        try:
            return fn(*args, **kwargs)
        except RarplanError as err:
            raise typer.Exit(report(err, json_mode)) from None
        except (KeyboardInterrupt, EOFError):
            raise typer.Exit(report_interrupt(json_mode)) from None
        except BrokenPipeError:
            raise typer.Exit(report_broken_pipe()) from None
        except OSError as exc:
            if exc.errno not in _FILE_SYSTEM_ERRORS:
                raise typer.Exit(report_internal(exc, json_mode)) from None
            raise typer.Exit(report_os_error(exc, json_mode)) from None
        except Exception as exc:
            if type(exc).__module__.startswith(("typer", "click")):
                raise
            raise typer.Exit(report_internal(exc, json_mode)) from None

    return wrapper  # type: ignore[return-value]
