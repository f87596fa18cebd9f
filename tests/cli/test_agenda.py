"""`rarplan agenda` and the caseload's attention flags in `rarplan status` (issue 17): see a
caseload at a glance. Two plans may share a CRN, so rows name their file."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from typer.testing import CliRunner

from rarplan.cli.app import build
from rarplan.model.plan import AttendanceRecord, Completion
from tests.cli.test_status import weekly_plan
from tests.deliver.test_attendance import write_plan

runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(build(), list(args))


def caseload_folder() -> Path:
    """A000001 weekly on Mondays from 11 Jan 2027 (with job-club and the RO's appointment in
    its first week); B000002 the same, a second plan file for the same person as A000001's
    CRN would be; C000003 completed on 18 January."""
    folder = Path("plans")
    folder.mkdir()
    write_plan(weekly_plan("A000001", attended=1), folder / "A000001.plan.toml")
    write_plan(weekly_plan("A000001"), folder / "A000001-second.plan.toml")
    done = weekly_plan("C000003", rar_max_days=3, attended=2)
    done.completion = Completion(
        completed_on=date(2027, 1, 18),
        status="completed_early",
        rar_days_ordered=3,
        rar_days_completed=2,
    )
    write_plan(done, folder / "C000003.plan.toml")
    (folder / "broken.plan.toml").write_text("not = [toml\n")
    return folder


def agenda_json(*args: str) -> dict:
    result = invoke("agenda", *args, "--json")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    return json.loads(result.stdout)


def test_agenda_for_a_day_lists_every_plans_appointments_in_time_order():
    caseload_folder()
    data = agenda_json("plans", "--day", "2027-01-11")
    assert (data["from"], data["to"]) == ("2027-01-11", "2027-01-11")
    rows = [(a["start"], Path(a["file"]).name, a["intervention"]) for a in data["appointments"]]
    assert rows == [
        ("10:00", "A000001-second.plan.toml", "msrp-home"),
        ("10:00", "A000001.plan.toml", "msrp-home"),
        ("10:00", "C000003.plan.toml", "msrp-home"),
        ("14:00", "A000001-second.plan.toml", "job-club"),
        ("14:00", "A000001.plan.toml", "job-club"),
        ("14:00", "C000003.plan.toml", "job-club"),
    ]
    attended = [a for a in data["appointments"] if a["outcome"]]
    assert [(Path(a["file"]).name, a["outcome"]) for a in attended] == [
        ("A000001.plan.toml", "attended_complied"),
        ("C000003.plan.toml", "attended_complied"),
    ]
    assert [Path(s["file"]).name for s in data["skipped"]] == ["broken.plan.toml"]


def test_agenda_week_runs_monday_to_sunday_and_a_closed_rar_shows_nothing_later():
    caseload_folder()
    data = agenda_json("plans", "--week", "--day", "2027-01-27")  # a Wednesday
    assert (data["from"], data["to"]) == ("2027-01-25", "2027-01-31")
    files = sorted(Path(a["file"]).name for a in data["appointments"])
    assert files == ["A000001-second.plan.toml", "A000001.plan.toml"]  # C000003 completed


def test_agenda_text_names_crn_and_file_and_reports_skipped_files():
    caseload_folder()
    result = invoke("agenda", "plans", "--day", "2027-01-12")
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith("rarplan: skipped plans/broken.plan.toml: ")
    lines = result.stdout.splitlines()
    assert lines[0].strip() == "Agenda 2027-01-12"
    assert lines[1].split()[:4] == ["Date", "Time", "CRN", "File"]
    assert "A000001-second.plan.toml" in result.stdout
    assert "offender-management session 1" in result.stdout
    empty = invoke("agenda", "plans", "--day", "2027-01-16")
    assert empty.exit_code == 0 and "no appointments on 2027-01-16 in plans" in empty.stderr


def test_agenda_bad_day_is_a_usage_error():
    result = invoke("agenda", ".", "--day", "16/01")
    assert result.exit_code == 2 and "--day" in result.stderr


# --- status: what needs attention ------------------------------------------------------------


def status_json(*args: str) -> dict:
    result = invoke("status", *args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_status_flags_unrecorded_past_appointments_and_actions_due():
    """Past appointments without an outcome, and an unacceptable failure whose warning is not
    recorded, need attention; recording the action clears it."""
    folder = caseload_folder()
    failing = weekly_plan("D000004", attended=1)
    failing.attendance.append(
        AttendanceRecord(
            date=date(2027, 1, 18), intervention="msrp-home", session=2, outcome="failed_to_attend"
        )
    )
    write_plan(failing, folder / "D000004.plan.toml")
    data = status_json("plans", "--today", "2027-01-19")
    rows = {Path(p["file"]).name: p for p in data["plans"]}
    assert rows["D000004.plan.toml"]["action_due"] == "warning"
    assert rows["A000001.plan.toml"]["unrecorded"] == 3  # job-club, RO, 18 Jan
    assert rows["A000001-second.plan.toml"]["unrecorded"] == 4
    assert rows["C000003.plan.toml"]["needs_attention"] is False  # completed
    attention = status_json("plans", "--today", "2027-01-19", "--needs-attention")
    assert sorted(Path(p["file"]).name for p in attention["plans"]) == [
        "A000001-second.plan.toml",
        "A000001.plan.toml",
        "D000004.plan.toml",
    ]
    result = invoke(
        "attend",
        str(folder / "D000004.plan.toml"),
        "--action",
        "warning",
        "--on",
        "2027-01-19",
        "--today",
        "2027-01-19",
    )
    assert result.exit_code == 0, result.output
    rows = {Path(p["file"]).name: p for p in status_json("plans", "--today", "2027-01-19")["plans"]}
    assert rows["D000004.plan.toml"]["action_due"] == "none"
    text = invoke("status", "plans", "--today", "2027-01-19")
    line = next(x for x in text.stdout.splitlines() if "D000004.plan.toml" in x)
    assert "warn" not in line and " 2 " in f" {line} "  # two past appointments unrecorded


def test_status_at_risk_filter_and_reason():
    """--at-risk keeps the plans at risk; the table gives the reason in a few words."""
    caseload_folder()
    data = status_json("plans", "--today", "2027-10-04", "--at-risk")
    assert [Path(p["file"]).name for p in data["plans"]] == [
        "A000001-second.plan.toml",
        "A000001.plan.toml",
    ]
    assert all(p["at_risk"] for p in data["plans"])
    text = invoke("status", "plans", "--today", "2027-10-04", "--at-risk")
    assert "AT RISK: 20 days need to" in text.stdout
    assert "C000003" not in text.stdout
    none = invoke("status", "plans", "--today", "2027-01-12", "--at-risk")
    assert none.exit_code == 0 and "no plans (*.plan.toml) at risk in plans" in none.stderr
