"""The typer app: every command registered in one place, from the registry."""

from __future__ import annotations

import importlib
from typing import Any

import typer

from rarplan.cli.main import SUMMARY
from rarplan.cli.output import guard
from rarplan.cli.registry import COMMANDS, GROUPS

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def _load(target: str) -> Any:
    module, _, attr = target.partition(":")
    return getattr(importlib.import_module(module), attr)


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
            app.command(name, short_help=summary)(guard(_load(target)))
    if only is not None and any(name == only for name, _, _ in COMMANDS):

        @app.callback()
        def _group() -> None:
            """Keep `rarplan COMMAND` a group of one, parsed as in the full app."""

        return app
    for name, target, summary in GROUPS:
        if only is not None and name != only:
            continue
        group = _load(target)
        for command in group.registered_commands:
            command.callback = guard(command.callback)
        app.add_typer(group, name=name, help=summary)
    return app


def get_command(args: list[str] | None = None) -> Any:
    """The click command for `args`: a one-command (or one-group) app when the first word
    names a command (or a group)."""
    first = args[0] if args else None
    known = {name for name, _, _ in (*COMMANDS, *GROUPS)}
    return typer.main.get_command(build(first if first in known else None))
