"""`rarplan verify`: the completion record is tied to the exact plan by its SHA-256.

Issue 4; the record the officer stands behind (RAR guidance, section 4,
docs/sources/001_246201b7ec5ee73b.txt: the reasons are recorded on the case record).
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rarplan.cli.app import build
from rarplan.files.planfile import load_plan, save_plan
from tests.deliver.test_completion import TEXTS, complete_json, plan_with_days

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
    other.crn = other.case.crn = "Y654321"
    save_plan(other, "other.plan.toml")
    result = verify(RECORD, "other.plan.toml")
    assert result.exit_code == 3
    assert "crn: the record has X123456, the plan Y654321" in result.stderr
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


# --- Issue 19: a record must prove what it says --------------------------------------------


def _edit_record(old: str, new: str) -> None:
    record = Path(RECORD)
    text = record.read_text()
    assert old in text, old
    record.write_text(text.replace(old, new, 1))


def _fails_naming(plan: Path, *fields: str) -> str:
    result = verify(RECORD, str(plan))
    assert result.exit_code == 3, result.output  # invalid input (docs/deliver.md, "verify")
    assert result.stdout == "" and "Traceback" not in result.output
    for field in fields:
        assert f"{RECORD}: {field}: " in result.stderr, (field, result.stderr)
    assert "changed since" not in result.stderr  # the plan is as it was: the record lies
    return result.stderr


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ('confirmed_by = "A Officer"', 'confirmed_by = "B Officer"', "confirmed_by"),
        ('result = "partly_achieved"', 'result = "achieved"', "outcomes[1].result"),
        ('comment = "tenancy signed"', 'comment = "tenancy lost"', "outcomes[0].comment"),
        ("completed_on = 2027-03-01", "completed_on = 2027-02-01", "completed_on"),
        ("rar_days_ordered = 3", "rar_days_ordered = 2", "rar_days_ordered"),
        ('plan_file = "X123456.plan.toml"', 'plan_file = "Y.plan.toml"', "plan_file"),
        (
            "attended_complied = 3",
            "attended_complied = 4",
            "attendance.outcomes.attended_complied",
        ),
        ("summary = ", 'summary = "All fine."\nx_summary = ', "summary"),
    ],
)
def test_each_forged_field_of_the_record_fails_naming_it(old, new, field):
    """Issue 19: every field of the record is compared with the record the plan gives today;
    an edited officer, outcome, date, count or file name fails, naming the field."""
    plan = completed()
    if field == "summary":  # the summary is a multi-line string: replace it whole
        record = Path(RECORD)
        text = record.read_text()
        start = text.index("summary = ")
        end = text.index('"""', text.index('"""', start) + 3) + 3
        record.write_text(text[:start] + 'summary = "All fine."' + text[end:])
    else:
        _edit_record(old, new)
    err = _fails_naming(plan, field)
    assert "tenancy" not in err  # free text is said to differ, never quoted


def test_an_edited_rationale_fails_without_quoting_it():
    plan = plan_with_days(1)
    complete_json(plan, "--outcomes", "outcomes.toml", *TEXTS)
    _edit_record("Housed and working", "Moved away")
    err = _fails_naming(plan, "rationale")
    assert "rationale: differs from what the plan gives" in err
    assert "Moved away" not in err and "Housed" not in err


def test_a_removed_absence_fails():
    """An unacceptable absence taken out of the record's attendance summary is found."""
    plan = plan_with_days(3, absent=1)
    complete_json(plan, "--outcomes", "outcomes.toml")
    record = tomllib.loads(Path(RECORD).read_text())
    absences = record["attendance"]["unacceptable_absences"]
    assert absences, record["attendance"]
    text = Path(RECORD).read_text()
    listed = ", ".join(d.isoformat() for d in absences)
    Path(RECORD).write_text(
        text.replace(f"unacceptable_absences = [{listed}]", "unacceptable_absences = []")
    )
    err = _fails_naming(plan, "attendance.unacceptable_absences")
    assert f"only in the plan: {absences[0].isoformat()}" in err


def test_a_plan_hand_edited_beyond_the_order_with_its_hash_recomputed_fails():
    """Issue 19: '25 of 20 RAR days' written into the plan and the record, the record's
    SHA-256 recomputed to match: the hash agrees, the rules do not (RAR guidance, section 7:
    no more days than the court ordered; the days used are the dates attended)."""
    plan = completed()  # 3 of 3
    text = plan.read_text().replace("rar_days_completed = 3", "rar_days_completed = 25")
    plan.write_text(text)
    sha = hashlib.sha256(plan.read_bytes()).hexdigest()
    record = Path(RECORD).read_text()
    old_sha = tomllib.loads(record)["plan_sha256"]
    record = record.replace(old_sha, sha).replace(
        "rar_days_completed = 3", "rar_days_completed = 25"
    )
    Path(RECORD).write_text(record)
    result = verify(RECORD, str(plan))
    assert result.exit_code == 3, result.output
    assert "changed since" not in result.stderr  # the hash was forged to match
    assert "completion.rar_days_completed: 25, but the attendance shows 3 RAR days" in result.stderr
    assert "25 of 3 RAR days: more than the court ordered" in result.stderr


def test_the_days_ordered_must_be_the_courts():
    plan = completed()
    text = plan.read_text().replace("rar_days_ordered = 3", "rar_days_ordered = 20", 1)
    plan.write_text(text)
    result = verify(RECORD, str(plan))
    assert result.exit_code == 3
    assert "completion.rar_days_ordered: 20, but the court ordered 3" in result.stderr
