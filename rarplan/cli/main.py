"""The `rarplan` entry point.

`rarplan`, `rarplan --help` and `rarplan --version` are answered from the static registry
without importing typer, so the commonest call is instant. Everything else goes through the
typer app, with usage errors and interrupts turned into the documented exit codes.
"""

from __future__ import annotations

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


def run(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else list(argv)
    code = _fast_path(args)
    if code is None:
        code = _run_app(args)
    sys.stdout.flush()
    sys.exit(code)


def _run_app(args: list[str]) -> int:
    from rarplan.cli.app import get_command
    from rarplan.cli.output import report_interrupt, report_usage

    command = get_command(args)
    try:
        result = command.main(args=args, prog_name="rarplan", standalone_mode=False)
    except (KeyboardInterrupt, EOFError):
        return report_interrupt(json_mode="--json" in args)
    except Exception as exc:  # click's usage errors carry exit_code and format_message
        if type(exc).__name__ == "Abort":
            return report_interrupt(json_mode="--json" in args)
        if hasattr(exc, "exit_code") and hasattr(exc, "format_message"):
            return report_usage(exc, json_mode="--json" in args)
        raise
    return result if isinstance(result, int) else 0
