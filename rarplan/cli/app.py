"""The typer app: every command registered in one place, from the registry."""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable
from typing import Any

import typer

from rarplan.cli.helptext import PlainHelpCommand
from rarplan.cli.main import SUMMARY, end_startup
from rarplan.cli.output import guard
from rarplan.cli.registry import COMMANDS, GROUPS

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def _load(target: str) -> Any:
    module, _, attr = target.partition(":")
    return getattr(importlib.import_module(module), attr)


def _command(fn: Callable[..., Any]) -> Callable[..., Any]:
    """A command as the app runs it: start-up ends when it begins (`main.end_startup`), and
    its errors, interrupts and bugs become exit codes (`output.guard`)."""
    guarded = guard(fn)

    @functools.wraps(fn)
    def command(*args: Any, **kwargs: Any) -> Any:
        end_startup()
        return guarded(*args, **kwargs)

    return command


def build(only: str | None = None) -> typer.Typer:
    """The app with every command, or with just `only`, a command or a group (faster start:
    only its module is imported and only its options are built)."""
    app = typer.Typer(
        name="rarplan",
        help=SUMMARY,
        no_args_is_help=True,
        pretty_exceptions_enable=False,
        context_settings=CONTEXT,
        rich_markup_mode=None,
    )
    for name, target, summary in COMMANDS:
        if only is None or name == only:
            app.command(name, short_help=summary, cls=PlainHelpCommand)(_command(_load(target)))
    if only is not None and any(name == only for name, _, _ in COMMANDS):

        @app.callback()
        def _group() -> None:
            """Keep `rarplan COMMAND` a group of one, parsed as in the full app."""

        return app
    for name, target, summary in GROUPS:
        if only is not None and name != only:
            continue
        group = typer.Typer(no_args_is_help=True, context_settings=CONTEXT)
        for command_name, fn in _load(target):  # a new group each build: nothing is wrapped twice
            group.command(command_name, cls=PlainHelpCommand)(_command(fn))
        app.add_typer(group, name=name, help=summary)
    return app


def get_command(args: list[str] | None = None) -> Any:
    """The click command for `args`: a one-command (or one-group) app when the first word
    names a command (or a group)."""
    first = args[0] if args else None
    known = {name for name, _, _ in (*COMMANDS, *GROUPS)}
    return typer.main.get_command(build(first if first in known else None))
