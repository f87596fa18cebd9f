"""`-q` means quiet everywhere (issue 20, "Output and messages"): a command that succeeds under
`--quiet` prints nothing; its file is the result and its exit code says how it went. Errors
are still printed, one line on stderr.
"""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from rarplan.cli.app import build
from tests.deliver.test_attendance import write_csv
from tests.deliver.test_completion import TODAY, plan_with_days

runner = CliRunner()


def quietly(*args: str):
    result = runner.invoke(build(), [*args, "--quiet"])
    return result


def test_attend_quiet_records_and_prints_nothing():
    plan = plan_with_days(1)  # session 1 attended; now recorded as a failure to comply
    before = plan.read_bytes()
    rows = write_csv(["2027-01-11,msrp-home,1,attended_failed_to_comply,"], "one.csv")
    result = quietly("attend", str(plan), "--attendance", str(rows), "--today", TODAY)
    assert result.exit_code == 0, result.output
    assert result.stdout == "" and result.stderr == ""
    assert plan.read_bytes() != before


def test_complete_and_verify_quiet_print_nothing():
    plan = plan_with_days(3)
    args = ["--today", TODAY, "--no-input", "--confirmed-by", "A Officer"]
    result = quietly("complete", str(plan), "--outcomes", "outcomes.toml", *args)
    assert result.exit_code == 0, result.output
    assert result.stdout == "" and result.stderr == ""
    assert Path("X123456.completion.toml").exists()
    result = quietly("verify", "X123456.completion.toml", str(plan))
    assert result.exit_code == 0 and result.stdout == "" and result.stderr == ""


def test_a_quiet_failure_still_says_why_in_one_line():
    plan = plan_with_days(3)
    args = ["--today", TODAY, "--no-input", "--confirmed-by", "A Officer"]
    assert quietly("complete", str(plan), "--outcomes", "outcomes.toml", *args).exit_code == 0
    plan.write_bytes(plan.read_bytes() + b"\n# edited\n")
    result = quietly("verify", "X123456.completion.toml", str(plan))
    assert result.exit_code == 3 and result.stdout == ""
    assert result.stderr.startswith("rarplan: error:") and "changed since" in result.stderr


def test_end_quiet_prints_nothing():
    plan = plan_with_days(1)
    result = quietly(
        "end", str(plan), "--reason", "revoked", "--note", "At court",
        "--confirmed-by", "A Officer", "--today", TODAY,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stdout == "" and result.stderr == ""
    assert Path("X123456.end.toml").exists()


def test_amend_quiet_prints_nothing():
    plan = plan_with_days(1)
    before = plan.read_bytes()
    result = quietly("amend", str(plan), "--officer", "B Officer", "--reason", "New officer")
    assert result.exit_code == 0, result.output
    assert result.stdout == "" and result.stderr == ""
    assert plan.read_bytes() != before
