"""Ending a RAR: `rarplan end` and its record checked by `verify`; `complete` refused before
the order starts or with appointments unrecorded (issue 17).

RAR guidance, docs/sources/001_246201b7ec5ee73b.txt, section 7: every appointment is
enforceable, and when the RAR ends its outcomes and the reason are recorded.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

from typer.testing import CliRunner

from rarplan.cli.app import build
from rarplan.files.planfile import load_plan
from tests.deliver.test_amend import attend, invoke, make_plan

runner = CliRunner()
END = ["--reason", "revoked", "--note", "Revoked at court", "--confirmed-by", "A Officer"]


def test_end_writes_a_record_that_verify_checks():
    path = make_plan(["msrp-home", "job-club"])
    attend(path, ["2027-01-04,msrp-home,1,attended,", "2027-01-11,msrp-home,2,attended,"])
    result = invoke("end", str(path), *END, "--today", "2027-01-20", "--json")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    data = json.loads(result.stdout)
    assert (data["status"], data["completed_on"]) == ("revoked", "2027-01-20")
    assert (data["rar_days_ordered"], data["rar_days_completed"]) == (20, 2)
    assert data["record_file"] == "X123456.end.toml"
    record = tomllib.loads(Path("X123456.end.toml").read_text())
    assert record["status"] == "revoked" and record["rationale"] == "Revoked at court"
    assert record["summary"].splitlines()[0] == (
        "RAR ended (revoked) for X123456 on 2027-01-20: 2 of 20 RAR days used."
    )

    plan, _ = load_plan(path)
    assert plan.completion is not None and plan.completion.status == "revoked"
    assert plan.history[-1].action == "end"

    result = invoke("verify", "X123456.end.toml", str(path))
    assert result.exit_code == 0, result.output
    assert "revoked, 2 of 20 RAR days" in result.stdout

    path.write_text(path.read_text().replace("Revoked at court", "Edited"))
    result = invoke("verify", "X123456.end.toml", str(path))
    assert result.exit_code == 3, result.output


def test_an_ended_plan_is_closed():
    path = make_plan(["msrp-home"])
    assert invoke("end", str(path), *END, "--today", "2027-01-20").exit_code == 0
    result = invoke("end", str(path), *END, "--today", "2027-01-21")
    assert result.exit_code == 4 and "already closed (revoked)" in result.stderr
    result = invoke("amend", str(path), "--officer", "B", "--reason", "x")
    assert result.exit_code == 4 and "ended (revoked)" in result.stderr
    again = invoke("end", str(path), *END, "--today", "2027-01-21", "--force")
    assert again.exit_code == 0, again.output


def test_end_needs_a_reason_a_note_and_a_confirmation():
    path = make_plan(["msrp-home"])
    result = invoke("end", str(path), "--note", "x", "--confirmed-by", "A")
    assert result.exit_code == 2 and "--reason is required" in result.stderr
    result = invoke("end", str(path), "--reason", "lost", "--note", "x", "--confirmed-by", "A")
    assert result.exit_code == 2
    result = invoke("end", str(path), "--reason", "died", "--confirmed-by", "A")
    assert result.exit_code == 2 and "--note TEXT" in result.stderr
    result = invoke("end", str(path), "--reason", "died", "--note", "x")
    assert result.exit_code == 2 and "--confirmed-by NAME" in result.stderr
    assert not Path("X123456.end.toml").exists()


def complete(path: Path, today: str, *args: str):
    return runner.invoke(
        build(),
        [
            "complete",
            str(path),
            *("--today", today, "--no-input", "--confirmed-by", "A Officer"),
            *("--rationale", "r", "--progress", "p", "--outcome", "o"),
            *args,
        ],
    )


def test_complete_before_the_order_starts_is_refused_unless_forced_with_a_reason():
    path = make_plan(["msrp-home"], scheduled=False)
    Path("o.toml").write_text(
        '[[outcome]]\nintervention = "msrp-home"\noutcome = 1\nresult = "not_achieved"\n'
    )
    before = path.read_bytes()
    result = complete(path, "2026-12-01", "--outcomes", "o.toml")
    assert result.exit_code == 4, result.output
    assert "the order starts on 2027-01-04" in result.stderr
    assert "--force, --reason TEXT" in result.stderr
    assert path.read_bytes() == before
    result = complete(path, "2026-12-01", "--outcomes", "o.toml", "--force")
    assert result.exit_code == 4, result.output
    result = complete(
        path, "2026-12-01", "--outcomes", "o.toml", "--force", "--reason", "Order quashed"
    )
    assert result.exit_code == 0, result.output
    plan, _ = load_plan(path)
    assert "Order quashed" in plan.history[-1].reason


def test_complete_names_past_appointments_without_an_outcome():
    path = make_plan(["msrp-home"])
    attend(path, ["2027-01-04,msrp-home,1,attended,"])
    Path("o.toml").write_text(
        '[[outcome]]\nintervention = "msrp-home"\noutcome = 1\nresult = "achieved"\n'
    )
    result = complete(path, "2027-01-19", "--outcomes", "o.toml")
    assert result.exit_code == 4, result.output
    assert (
        "2 appointments up to 2027-01-19 with no recorded outcome: "
        "2027-01-11 msrp-home session 2, 2027-01-18 msrp-home session 3"
    ) in result.stderr
