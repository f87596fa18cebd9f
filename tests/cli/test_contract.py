"""The scripting contract (README, 'Scripting'): exit codes, --json, stdout/stderr, help."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from rarplan.cli import main as cli_main
from rarplan.cli.app import _load, build
from rarplan.cli.registry import COMMANDS, EXIT_CODES, GROUPS
from tests.conftest import REPO

CASE = REPO / "examples" / "cases" / "X100001.toml"
runner = CliRunner()


def test_every_command_documents_an_example():
    """STYLE.md: every command has a docstring with an example, and a test checks it."""
    for name, target, _ in COMMANDS:
        doc = _load(target).__doc__ or ""
        assert "Example: rarplan " + name in doc, name
    for name, target, _ in GROUPS:
        for command_name, fn in _load(target):
            assert f"Example: rarplan {name} " in (fn.__doc__ or ""), command_name


def test_building_the_app_again_wraps_nothing_twice():
    """Each `build()` registers fresh wrappers: a process that builds the app many times (a
    test suite, a library caller) never nests them until the stack overflows."""
    import typer.main

    def depth(fn: object) -> int:
        n = 0
        while hasattr(fn, "__wrapped__"):
            fn, n = fn.__wrapped__, n + 1
        return n

    def callbacks() -> list[int]:
        group = typer.main.get_command(build("catalogue"))
        sub = group.commands["catalogue"]  # type: ignore[attr-defined]
        return [depth(c.callback) for c in sub.commands.values()]

    first = callbacks()
    for _ in range(50):
        build()
    assert callbacks() == first


def test_fast_help_lists_exactly_the_registered_commands():
    import typer.main

    group = typer.main.get_command(build())
    registered = set(group.commands)  # type: ignore[attr-defined]
    help_text = cli_main.top_help()
    listed = {
        line.split()[0]
        for line in help_text.split("Commands:")[1].split("\n\n")[0].strip().splitlines()
    }
    assert listed == registered
    for code, _ in EXIT_CODES:
        assert f"{code:>3}  " in help_text


def test_python_dash_m_help_smoke():
    result = subprocess.run(
        [sys.executable, "-m", "rarplan", "--help"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0
    assert "Usage: rarplan" in result.stdout and "Exit codes:" in result.stdout


def test_version():
    from rarplan import __version__

    result = subprocess.run(
        [sys.executable, "-m", "rarplan", "--version"], capture_output=True, text=True, timeout=60
    )
    assert result.stdout.strip() == f"rarplan {__version__}"


def run_main(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        cli_main.run(args)
    out, err = capsys.readouterr()
    return int(exit_info.value.code or 0), out, err


def test_usage_error_under_json_is_a_json_error_on_stderr(capsys):
    code, out, err = run_main(["band", "--json", "--bogus"], capsys)
    assert code == 2
    assert out == ""
    error = json.loads(err)["error"]
    assert set(error) == {"code", "exit_code", "message", "hint"}
    assert (error["code"], error["exit_code"]) == ("usage", 2)


def test_usage_error_in_text_is_one_line(capsys):
    code, out, err = run_main(["band"], capsys)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("rarplan: usage error:")


def test_invalid_input_json_error_keys_are_pinned(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('crn = "X123456"\n[scores]\nogrs = 140\n')
    result = runner.invoke(build(), ["assess", str(bad), "--json"])
    assert result.exit_code == 3
    assert result.stdout == ""
    error = json.loads(result.stderr)["error"]
    assert {"code", "exit_code", "message", "hint"} <= set(error)
    assert (error["code"], error["exit_code"]) == ("invalid_input", 3)
    assert "bad.toml: scores.ogrs: must be ≤ 100" in error["message"]


def test_assess_json_is_one_document_and_stderr_is_empty():
    result = runner.invoke(build(), ["assess", str(CASE), "--json", "--no-plan"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["schema_version"] == 1 and data["crn"] == "X100001"
    assert result.stderr == ""


def test_assess_reads_stdin_with_dash():
    result = runner.invoke(build(), ["assess", "-", "--json", "--no-plan"], input=CASE.read_text())
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["crn"] == "X100001"


def test_internal_error_prints_one_line_and_saves_the_traceback(monkeypatch, tmp_path):
    def broken(json_output: bool = False) -> None:
        """Broken.

        Example: rarplan broken
        """
        raise ValueError("secret detail")

    from rarplan.cli.output import guard

    app = typer.Typer()
    app.command("broken")(guard(broken))
    app.command("other")(guard(broken))
    result = runner.invoke(app, ["broken"])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "secret detail" not in result.output
    assert result.stderr.count("\n") == 1 and "please report this bug" in result.stderr
    saved = Path(result.stderr.split("saved in ")[1].strip())
    assert "secret detail" in saved.read_text()
    assert oct(saved.stat().st_mode & 0o777) == "0o600"


@pytest.mark.parametrize("env", [{"NO_COLOR": "1"}, {"TERM": "dumb"}])
def test_plain_output_has_no_escape_codes(env):
    environ = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "TERM")}
    environ.update(env)
    result = subprocess.run(
        [sys.executable, "-m", "rarplan", "assess", str(CASE), "--no-plan"],
        capture_output=True,
        text=True,
        env=environ,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "\x1b[" not in result.stdout and "\x1b[" not in result.stderr
    assert "Medium intensity RAR" in result.stdout


def test_quiet_silences_messages_but_not_data(tmp_path):
    batch = tmp_path / "cases.jsonl"
    batch.write_text(json.dumps({"crn": "X123456", "scores": {"ogrs": 60}}) + "\n")
    loud = runner.invoke(build(), ["assess", "--batch", str(batch), "--no-plan"])
    quiet = runner.invoke(build(), ["assess", "--batch", str(batch), "--no-plan", "--quiet"])
    assert loud.exit_code == quiet.exit_code == 0, loud.output
    assert "assessed 1 case" in loud.stderr
    assert quiet.stderr == ""


# --- The JSON error: a stable string code beside the exit code ------------------------------


def test_every_error_has_a_stable_string_code_beside_its_exit_code():
    """Issue 15: scripts branch on `code` ("invalid_input", ...), not on the message; the
    exit code stays the number in `exit_code`. The strings are the contract: never renamed."""
    from rarplan.model import errors
    from rarplan.schedule.apply import AlreadyScheduled

    expected = {
        errors.RarplanError: ("internal", 1),
        errors.UsageError: ("usage", 2),
        errors.NeedsInput: ("usage", 2),
        errors.InvalidInput: ("invalid_input", 3),
        errors.RefusedByRules: ("refused", 4),
        errors.WouldOverwrite: ("would_overwrite", 5),
        errors.FileLocked: ("locked", 5),
        AlreadyScheduled: ("already_scheduled", 5),
    }
    for cls, (code, exit_code) in expected.items():
        fields = errors.error_fields(cls("what went wrong", hint="what to do"))
        assert fields == {
            "code": code,
            "exit_code": exit_code,
            "message": "what went wrong",
            "hint": "what to do",
        }, cls


def test_interrupted_and_internal_errors_carry_their_codes_too(capsys):
    from rarplan.cli.output import report_interrupt

    assert report_interrupt(json_mode=True) == 130
    error = json.loads(capsys.readouterr().err)["error"]
    assert (error["code"], error["exit_code"]) == ("interrupted", 130)


def test_internal_error_json_has_the_internal_code():
    def broken(json_output: bool = False) -> None:
        """Broken.

        Example: rarplan broken
        """
        raise ValueError("secret detail")

    from rarplan.cli.output import guard

    app = typer.Typer()
    app.command("broken")(guard(broken))
    app.command("other")(guard(broken))
    result = runner.invoke(app, ["broken", "--json-output"])
    assert result.exit_code == 1
    error = json.loads(result.stderr)["error"]
    assert (error["code"], error["exit_code"]) == ("internal", 1)
    assert "secret detail" not in result.stderr


# --- The CLI words what a domain error needs as flags ---------------------------------------


def test_the_cli_words_a_domain_error_needs_as_its_flags(capsys):
    """STYLE.md "Two layers": the domain says what it needs by the library's parameter names
    (`needs`), never by a flag; the CLI's one error report adds the flags to the hint."""
    from rarplan.cli.output import report
    from rarplan.model.errors import RefusedByRules

    err = RefusedByRules(
        "X123456.plan.toml: completing early (1 of 3 RAR days) needs ...",
        hint="record why the outcomes were achieved with fewer days",
        needs=("rationale", "progress"),
    )
    assert report(err, json_mode=False) == 4
    assert capsys.readouterr().err == (
        "rarplan: error: X123456.plan.toml: completing early (1 of 3 RAR days) needs ... "
        "(record why the outcomes were achieved with fewer days; "
        "use --rationale TEXT, --progress TEXT)\n"
    )


def _all_options() -> set[str]:
    """Every option and argument name of every registered command."""
    import typer.main

    found: set[str] = set()
    todo = [typer.main.get_command(build())]
    while todo:
        command = todo.pop()
        todo.extend(getattr(command, "commands", {}).values())
        for param in command.params:
            found.update(param.opts)
            if param.param_type_name == "argument":
                found.add(param.metavar or (param.name or "").upper())
    return found


def test_every_need_a_domain_module_names_is_a_real_flag():
    """Each parameter name the domain puts in `needs` becomes an option that exists (a typo in
    either would otherwise show a made-up flag)."""
    import ast

    from rarplan.cli.output import flag_for

    named: set[str] = set()
    for path in (REPO / "rarplan").rglob("*.py"):
        if "cli" in path.relative_to(REPO / "rarplan").parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.keyword) and node.arg == "needs":
                if isinstance(node.value, ast.Tuple):
                    named.update(
                        e.value
                        for e in node.value.elts
                        if isinstance(e, ast.Constant) and isinstance(e.value, str)
                    )
    from rarplan.deliver.completion import TEXTS
    from rarplan.schedule.make import _choice_inputs

    named.update(TEXTS)  # an early completion needs the texts left blank
    named.update(_choice_inputs("steady", days=False))  # a schedule that cannot fit
    assert {"force", "confirmed_by", "plan"} <= named, "has the `needs=` mechanism moved?"
    options = _all_options()
    unknown = {n: flag_for(n) for n in named if flag_for(n).split()[0] not in options}
    assert not unknown, unknown
