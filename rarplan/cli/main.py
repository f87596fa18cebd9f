"""The `rarplan` entry point.

`rarplan`, `rarplan --help` and `rarplan --version` are answered from the static registry
without importing typer, so the commonest call is instant. Everything else goes through the
typer app, with usage errors and interrupts turned into the documented exit codes.

Start-up (importing typer and the command's modules, building its parameters) makes some
40,000 objects that live until the process ends; the garbage collector's passes over them cost
about 15 ms of CPU a command, as much as the checks of a plan file. So the collector is off
during start-up, and when the command begins (`end_startup`) what start-up made is frozen out
of its way (`gc.freeze`) and it is turned back on, for the command's own work (a batch of
100,000 cases needs it), collecting the young objects every YOUNG_OBJECTS new ones rather than
Python's 700: what a command makes (a plan and a catalogue checked, their validators) mostly
lives until it ends, so frequent passes walk it again and again for nothing (about 5 ms of
`render`), and a batch, whose garbage they are for, ran 10 % faster with the same peak memory.
When the process exits, everything is frozen again first (`atexit`,
which runs before Python's last collections): those would otherwise walk every object the
command made (the checked plan and catalogue, their validators), about 1.5 % of a single-case
command, to free memory the operating system takes back anyway. docs/speed.md has the figures.
"""

from __future__ import annotations

import atexit
import gc
import os
import sys

from rarplan import __version__
from rarplan.cli.registry import COMMANDS, EXIT_CODES, GROUPS

SUMMARY = "Sentence planning for Rehabilitation Activity Requirements (RAR)."


def top_help() -> str:
    rows = [(n, s) for n, _, s in COMMANDS] + [(n, s) for n, _, s in GROUPS]
    width = max(len(n) for n, _ in rows) + 2
    lines = [
        "Usage: rarplan [OPTIONS] COMMAND [ARGS]...",
        "",
        f"  {SUMMARY}",
        "",
        "  Example: rarplan assess examples/cases/X100001.toml --no-input",
        "",
        "Options:",
        "  --version             Show the version and exit.",
        "  --install-completion  Install completion for the current shell.",
        "  --show-completion     Show completion for the current shell, to copy it.",
        "  -h, --help            Show this message and exit.",
        "",
        "Commands:",
        *(f"  {name.ljust(width)}{summary}" for name, summary in rows),
        "",
        "Every command takes --json (one JSON document on stdout) and --help.",
        "",
        "Exit codes:",
        *(f"  {code:>3}  {meaning}" for code, meaning in EXIT_CODES),
    ]
    return "\n".join(lines) + "\n"


def _fast_path(args: list[str]) -> int | None:
    if args in ([], ["--help"], ["-h"]):
        sys.stdout.write(top_help())
        return 0
    if args == ["--version"]:
        sys.stdout.write(f"rarplan {__version__}\n")
        return 0
    return None


# How many new objects (net of those freed) start a pass of the collector over the young ones,
# during a command: see the module's docstring (Python's own is 700).
YOUNG_OBJECTS = 100_000
NO_PLUGINS = "PYDANTIC_DISABLE_PLUGINS"  # pydantic's own switch: `__all__` turns every one off


def run(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else list(argv)
    thresholds = gc.get_threshold()
    plugins = os.environ.get(NO_PLUGINS)
    # Third-party pydantic plugins (an observability service's, say) see every value a model
    # checks, a case's criminal-offence data among them: the command line runs none (docs/data.md,
    # "Your data"). Not looking for them also spares reading every installed package's metadata.
    os.environ[NO_PLUGINS] = "__all__"
    atexit.unregister(gc.freeze)  # once, however often `run` is called in one process
    atexit.register(gc.freeze)  # no collection at exit walks what the command made: see above
    try:
        code = _fast_path(args)
        if code is None:
            gc.disable()  # until end_startup: see the module's docstring
            code = _run_app(args)
        sys.stdout.flush()
    except KeyboardInterrupt:  # Ctrl-C during start-up, before the command could handle it
        code = interrupted(json_mode="--json" in args)
    finally:
        gc.set_threshold(*thresholds)  # as they were, for a caller in the same process
        gc.enable()
        if plugins is None:
            del os.environ[NO_PLUGINS]
        else:
            os.environ[NO_PLUGINS] = plugins
    sys.exit(code)


def end_startup() -> None:
    """The command begins: freeze what start-up made and turn the collector back on, passing
    over the young objects every YOUNG_OBJECTS.

    Does nothing unless `run` turned the collector off (a test calling the app in-process,
    or the library, keeps Python's defaults).
    """
    if not gc.isenabled():
        gc.freeze()
        gc.set_threshold(YOUNG_OBJECTS, *gc.get_threshold()[1:])
        gc.enable()


def interrupted(json_mode: bool) -> int:
    """Ctrl-C: exit 130 with one line (or a JSON error object), never a traceback."""
    from rarplan.cli.output import report_interrupt

    return report_interrupt(json_mode)


def _run_app(args: list[str]) -> int:
    from rarplan.cli.app import get_command
    from rarplan.cli.output import report_usage

    command = get_command(args)
    try:
        result = command.main(args=args, prog_name="rarplan", standalone_mode=False)
    except EOFError:
        return interrupted(json_mode="--json" in args)
    except Exception as exc:  # click's usage errors carry exit_code and format_message
        if type(exc).__name__ == "Abort":
            return interrupted(json_mode="--json" in args)
        if hasattr(exc, "exit_code") and hasattr(exc, "format_message"):
            return report_usage(exc, json_mode="--json" in args)
        raise
    return result if isinstance(result, int) else 0
