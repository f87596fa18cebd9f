"""`rarplan verify`: the completion record is tied to the exact plan by its SHA-256.

Issue 4; the record the officer stands behind (RAR guidance, section 4,
docs/sources/001_246201b7ec5ee73b.txt: the reasons are recorded on the case record).
"""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from rarplan.cli.app import build
from rarplan.files.planfile import load_plan, save_plan
from tests.deliver.test_completion import complete_json, plan_with_days

runner = CliRunner()
RECORD = "X123456.completion.toml"


def completed() -> Path:
    plan = plan_with_days(3)
    complete_json(plan, "--outcomes", "outcomes.toml")
    return plan


def verify(*args: str):
    return runner.invoke(build(), ["verify", *args])


def test_a_fresh_record_matches_its_plan():
    plan = completed()
    result = verify(RECORD, str(plan))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"OK: {RECORD} matches {plan} (X123456, completed, 3 of 3")
    data = json.loads(verify(RECORD, str(plan), "--json").stdout)
    assert data["match"] is True and data["crn"] == "X123456"


def test_an_edited_plan_fails_verification():
    """Issue 4: hash verification fails on an edited plan (exit 3, invalid input)."""
    plan = completed()
    plan.write_text(
        plan.read_text().replace(
            'responsible_officer = "RO Test"', 'responsible_officer = "RO Other"'
        )
    )
    result = verify(RECORD, str(plan))
    assert result.exit_code == 3
    assert f"{plan}: changed since {RECORD} was written" in result.stderr
    assert result.stdout == ""
    err = json.loads(verify(RECORD, str(plan), "--json").stderr)["error"]
    assert err["code"] == "invalid_input" and err["exit_code"] == 3
    assert "changed since" in err["message"]
    assert err["hint"].endswith("; use --force")


def test_an_edited_record_fails_verification():
    plan = completed()
    record = Path(RECORD)
    record.write_text(
        record.read_text().replace("rar_days_completed = 3", "rar_days_completed = 2")
    )
    result = verify(RECORD, str(plan))
    assert result.exit_code == 3
    assert "rar_days_completed: the record has 2, the plan 3" in result.stderr


def test_a_record_for_another_plan_fails():
    plan = completed()
    other, _ = load_plan(plan)
    other.crn = "Y654321"
    save_plan(other, "other.plan.toml")
    result = verify(RECORD, "other.plan.toml")
    assert result.exit_code == 3
    assert "crn: the record is for X123456, the plan for Y654321" in result.stderr
    assert "changed since" in result.stderr


def test_an_uncompleted_plan_fails():
    plan = completed()
    stored, _ = load_plan(plan)
    stored.completion = None
    save_plan(stored, plan, overwrite=True)
    result = verify(RECORD, str(plan))
    assert result.exit_code == 3
    assert "the plan is not completed" in result.stderr


def test_a_broken_record_is_invalid_input():
    plan = completed()
    Path("bad.toml").write_text('crn = "X123456"\nplan_sha256 = "abc"\n')
    result = verify("bad.toml", str(plan))
    assert result.exit_code == 3
    assert "bad.toml: plan_sha256: must be a SHA-256" in result.stderr
    assert "Traceback" not in result.output
    assert verify("missing.toml", str(plan)).exit_code == 3
