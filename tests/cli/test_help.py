"""Issue 20: every command's --help in plain words (FILE, DATE, ID; never typer's `<str>`,
`<list[Path]>` or `{PLAN}`), with its exit codes and an example."""

from __future__ import annotations

import re

import pytest
import typer.main
from typer.testing import CliRunner

from rarplan.cli.app import build
from rarplan.cli.registry import EXIT_CODES

runner = CliRunner()


def _commands() -> list[list[str]]:
    group = typer.main.get_command(build())
    found = []
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        subcommands = getattr(command, "commands", None)
        if subcommands:
            found.extend([name, sub] for sub in subcommands)
        else:
            found.append([name])
    return found


COMMANDS = _commands()


@pytest.mark.parametrize("words", COMMANDS, ids=" ".join)
def test_help_is_plain_with_exit_codes_and_an_example(words):
    result = runner.invoke(build(), [*words, "--help"], env={"COLUMNS": "100"})
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert not re.search(r"<[^>\s]+>", text), text  # no <str>, <path>, <list[Path]>
    assert not re.search(r"\{[A-Za-z]+\}", text), text  # no {PLAN}
    assert f"Example: rarplan {' '.join(words)}" in " ".join(text.split())
    assert "Exit codes:" in text
    for code, meaning in EXIT_CODES:
        assert re.search(rf"^  {code} +{re.escape(meaning[:30])}", text, re.M), (code, text)


def test_usage_lines_name_arguments_plainly():
    usage = {
        "assess": "Usage: rarplan assess [OPTIONS] [CASE]",
        "attend": "Usage: rarplan attend [OPTIONS] PLAN",
        "schedule": "Usage: rarplan schedule [OPTIONS] [PLAN...]",
        "verify": "Usage: rarplan verify [OPTIONS] RECORD PLAN",
        "band": "Usage: rarplan band [OPTIONS] OGRS",
    }
    for command, line in usage.items():
        result = runner.invoke(build(), [command, "--help"])
        assert result.stdout.splitlines()[0] == line, command


def test_options_show_what_they_take():
    """A file is FILE, a folder DIR, a date DATE, words TEXT, choices [a|b]."""
    assess = runner.invoke(build(), ["assess", "--help"]).stdout
    for shown in ("--out FILE", "--batch FILE", "--out-dir DIR", "--catalogue NAME|FILE"):
        assert shown in assess, shown
    schedule = runner.invoke(build(), ["schedule", "--help"]).stdout
    for shown in ("--start DATE", "--strategy [steady|compact]", "--reason TEXT"):
        assert shown in schedule, shown


def test_plain_metavar_words():
    from rarplan.cli.helptext import plain_metavar

    assert [plain_metavar(t) for t in ("path", "list[Path]", "str", "int", "float")] == [
        "FILE",
        "FILE",
        "TEXT",
        "N",
        "NUMBER",
    ]
    assert plain_metavar("md|html") == "[md|html]"
