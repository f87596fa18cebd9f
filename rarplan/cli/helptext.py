"""A command's --help in plain words: FILE, DATE, ID and N for what an option takes (never
typer's `<str>`, `<list[Path]>`, `{PLAN}`), and the exit codes under every command."""

from __future__ import annotations

import re
from typing import Any

from typer.core import TyperCommand

from rarplan.cli.registry import EXIT_CODES

# The type typer would show for a value, and the plain word shown instead. An option that
# takes something more particular (a DATE, an ID, a DIR) says so with its own `metavar=`.
PLAIN_METAVARS = {
    "path": "FILE",
    "list[Path]": "FILE",
    "str": "TEXT",
    "list[str]": "TEXT",
    "int": "N",
    "list[int]": "N",
    "float": "NUMBER",
    "date": "DATE",
    "datetime": "DATE",
}
_TYPE = re.compile(r"<([^<>]*)>")


def plain_metavar(label: str) -> str:
    """FILE for `path`, TEXT for `str`, [steady|compact] for choices."""
    if label in PLAIN_METAVARS:
        return PLAIN_METAVARS[label]
    if label.startswith("list[") and label.endswith("]"):
        label = label[5:-1]
    if "|" in label:
        return f"[{label}]"
    return PLAIN_METAVARS.get(label, label.upper())


def _argument_name(param: Any) -> str:
    """PLAN, or PLAN... for an argument taking several (once, whatever its metavar says)."""
    name = str(param.metavar or (param.name or "").upper()).removesuffix("...")
    return name + ("..." if param.nargs != 1 else "")


class PlainHelpCommand(TyperCommand):
    """A command whose help shows plain metavars and the exit codes (registered by app.py)."""

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        pieces = [self.options_metavar] if self.options_metavar else []
        for param in self.get_params(ctx):
            if param.param_type_name != "argument":
                continue
            name = _argument_name(param)
            pieces.append(name if param.required else f"[{name}]")
        return pieces

    def format_options(self, ctx: Any, formatter: Any) -> None:
        arguments, options = [], []
        for param in self.get_params(ctx):
            record = param.get_help_record(ctx)
            if record is None:
                continue
            names, text = record
            if param.param_type_name == "argument":
                arguments.append((_argument_name(param), text))
            else:
                options.append((_TYPE.sub(lambda m: plain_metavar(m[1]), names), text))
        if arguments:
            with formatter.section("Arguments"):
                formatter.write_dl(arguments)
        if options:
            with formatter.section("Options"):
                formatter.write_dl(options)

    def format_epilog(self, ctx: Any, formatter: Any) -> None:
        super().format_epilog(ctx, formatter)
        with formatter.section("Exit codes"):
            formatter.write_dl([(str(code), meaning) for code, meaning in EXIT_CODES])
