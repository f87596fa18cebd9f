"""Amending a plan while the RAR runs (issue 17), and a new assessment never silently wiping one.

RAR guidance, docs/sources/001_246201b7ec5ee73b.txt: section 4 (the responsible officer may
amend the activities, never beyond the court's maximum number of RAR days), section 5 (desired
outcomes agreed ahead), section 6 (an intervention chosen for a need, judged on its criteria).
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from typer.testing import CliRunner

from rarplan.cli.app import build
from rarplan.files.planfile import load_plan, save_plan
from rarplan.model.rardays import days_planned
from tests import factories
from tests.conftest import REPO

runner = CliRunner()
CSV_HEADER = "date,intervention,session,outcome,note\n"


def invoke(*args: str):
    return runner.invoke(build(), list(args))


def make_plan(
    interventions: list[str],
    rar_max_days: int = 20,
    scheduled: bool = True,
    name: str = "X123456.plan.toml",
) -> Path:
    """A factory plan (start Mon 4 Jan 2027) saved, and scheduled by `rarplan schedule`."""
    path = Path(name)
    save_plan(factories.plan(interventions, rar_max_days=rar_max_days), path)
    if scheduled:
        result = invoke("schedule", str(path), "--json")
        assert result.exit_code == 0, result.output
    return path


def attend(path: Path, rows: list[str]) -> None:
    Path("attendance.csv").write_text(CSV_HEADER + "".join(r + "\n" for r in rows))
    result = invoke("attend", str(path), "--attendance", "attendance.csv", "--today", "2027-01-12")
    assert result.exit_code == 0, result.output


def amend_json(path: Path, *args: str) -> dict:
    result = invoke("amend", str(path), "--json", *args)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    return json.loads(result.stdout)


def test_add_drop_hours_and_outcomes_keep_what_happened_and_go_in_the_history():
    """Section 4: activities amended within the court's days; what happened stays."""
    path = make_plan(["msrp-home", "job-club"])
    attend(path, ["2027-01-04,msrp-home,1,attended,", "2027-01-11,msrp-home,2,attended,"])
    before, _ = load_plan(path)
    assert before.schedule is not None
    past = [a for a in before.schedule.appointments if a.date < date(2027, 1, 12)]

    data = amend_json(
        path,
        *("--drop", "job-club", "--add", "msrp-future", "--hours", "msrp-home=4"),
        *("--outcome", "msrp-future=Into paid work", "--outcome", "msrp-future=CV written"),
        *("--reason", "Found part-time work", "--from", "2027-01-12", "--by", "RO Test"),
    )
    assert data["changed"] and data["replanned"]
    assert data["changes"] == [
        "dropped job-club",
        "added msrp-future (Delivery of Future modules from My Solution Rehabilitation "
        "Programme), 6 hours",
        "hours of msrp-home: 6 to 4",
    ]
    assert Path(data["previous_version"]).read_bytes() != path.read_bytes()

    plan, _ = load_plan(path)
    assert [s.id for s in plan.selected] == ["msrp-home", "msrp-future"]
    assert plan.selected[1].desired_outcomes == ["Into paid work", "CV written"]
    assert plan.selected[0].appointments == 4
    assert plan.attendance == before.attendance
    assert plan.schedule is not None and plan.schedule.version == 2
    appointments = plan.schedule.appointments
    assert [a for a in appointments if a.date < date(2027, 1, 12)] == past
    assert not any(a.intervention == "job-club" for a in appointments)
    home = sorted(a.session for a in appointments if a.intervention == "msrp-home")
    assert home == [1, 2, 3, 4]
    assert sum(a.intervention == "msrp-future" for a in appointments) == 6
    assert days_planned(appointments, plan.attendance) <= 20

    amend_entry, reschedule = plan.history[-2:]
    assert (amend_entry.action, amend_entry.by, amend_entry.reason) == (
        "amend",
        "RO Test",
        "Found part-time work",
    )
    assert amend_entry.changes == data["changes"]
    assert reschedule.action == "reschedule" and reschedule.schedule == before.schedule
    assert "Found part-time work" in reschedule.reason


def test_outcomes_officer_and_agreement_need_no_replan_and_print_the_changes():
    path = make_plan(["msrp-home"], scheduled=False)
    result = invoke(
        "amend",
        str(path),
        *("--outcome", "msrp-home=Tenancy signed", "--officer", "RO New"),
        *("--agreement", "agreed", "--reason", "Supervision review"),
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "desired outcomes of msrp-home: “Tenancy signed” (were “Outcome for msrp-home”)",
        "responsible officer: RO Test to RO New",
        "agreement: could not answer to agreed",
    ]
    assert "the previous version is kept in .rarplan-history" in result.stderr
    plan, _ = load_plan(path)
    assert plan.schedule is None and plan.responsible_officer == "RO New"
    assert plan.agreement.status == "agreed"
    assert [h.action for h in plan.history] == ["amend"]


def test_the_same_amendment_again_changes_nothing():
    path = make_plan(["msrp-home"], scheduled=False)
    amend_json(path, "--officer", "RO New", "--reason", "Handover")
    before = path.read_bytes()
    data = amend_json(path, "--officer", "RO New", "--reason", "Handover")
    assert not data["changed"] and data["changes"] == []
    assert path.read_bytes() == before


def test_an_excluded_intervention_is_refused_without_an_override():
    """Section 6, as in `assess`: msrp-money's criteria need a finance need this case lacks."""
    path = make_plan(["msrp-home"])
    before = path.read_bytes()
    result = invoke("amend", str(path), "--add", "msrp-money", "--reason", "Debts")
    assert result.exit_code == 4, result.output
    assert "msrp-money is excluded for this case" in result.stderr
    assert "--override ID=REASON" in result.stderr
    assert path.read_bytes() == before

    data = amend_json(
        path,
        *("--add", "msrp-money", "--hours", "msrp-money=2", "--reason", "Debts"),
        *("--override", "msrp-money=Arrears found since the assessment"),
    )
    assert "chosen because: Arrears found since the assessment" in data["changes"][0]
    plan, _ = load_plan(path)
    assert plan.selected[-1].override_reason == "Arrears found since the assessment"


def test_more_days_than_the_court_ordered_are_refused():
    """Section 4: never beyond the court's maximum (8 days: msrp-home 6 + msrp-future 6)."""
    path = make_plan(["msrp-home"], rar_max_days=8)
    before = path.read_bytes()
    result = invoke("amend", str(path), "--add", "msrp-future", "--reason", "Lost job")
    assert result.exit_code == 4, result.output
    assert "court's maximum of 8 RAR days" in result.stderr
    assert path.read_bytes() == before

    unscheduled = make_plan(["msrp-home"], rar_max_days=8, scheduled=False, name="u.plan.toml")
    result = invoke("amend", str(unscheduled), "--add", "msrp-future", "--reason", "Lost job")
    assert result.exit_code == 4, result.output
    assert "about 12 RAR days" in result.stderr and "maximum of 8" in result.stderr


def test_hours_within_the_card_and_not_below_what_was_held():
    path = make_plan(["msrp-home", "job-club"])
    attend(path, ["2027-01-04,msrp-home,1,attended,", "2027-01-11,msrp-home,2,attended,"])
    result = invoke("amend", str(path), "--hours", "msrp-home=7", "--reason", "More")
    assert result.exit_code == 4 and "more than the card allows (6)" in result.stderr
    result = invoke("amend", str(path), "--hours", "msrp-home=1", "--reason", "Fewer")
    assert result.exit_code == 4 and "fewer than the 2 sessions already held" in result.stderr
    result = invoke("amend", str(path), "--hours", "job-club=3", "--reason", "Fewer")
    assert result.exit_code == 3 and "the card sets 10 sessions" in result.stderr


def test_a_reason_and_a_change_are_required():
    path = make_plan(["msrp-home"], scheduled=False)
    result = invoke("amend", str(path), "--officer", "RO New")
    assert result.exit_code == 2 and "--reason TEXT is required" in result.stderr
    result = invoke("amend", str(path), "--reason", "Nothing")
    assert result.exit_code == 2 and "nothing to amend" in result.stderr
    result = invoke("amend", str(path), "--drop", "job-club", "--reason", "x")
    assert result.exit_code == 3 and "job-club is not in the plan" in result.stderr


def test_dry_run_writes_nothing():
    path = make_plan(["msrp-home", "job-club"])
    before = path.read_bytes()
    data = amend_json(path, "--drop", "job-club", "--reason", "Working", "--dry-run")
    assert data["dry_run"] and data["changes"] == ["dropped job-club"]
    assert data["previous_version"] is None
    assert path.read_bytes() == before


# --- assess --force over a plan in progress ---------------------------------------------------

CASE = REPO / "examples" / "cases" / "X100001.toml"


def test_assess_force_over_progress_is_refused_unless_discarded():
    result = invoke("assess", str(CASE))
    assert result.exit_code == 0, result.output
    path = Path("X100001.plan.toml")
    result = invoke("assess", str(CASE), "--force")
    assert result.exit_code == 0, result.output  # nothing in progress yet: replaced
    kept = result.stderr.split("is kept in ")[1].strip()
    assert kept.startswith(".rarplan-history/X100001.plan.toml.") and Path(kept).is_file()

    assert invoke("schedule", str(path)).exit_code == 0
    before = path.read_bytes()
    result = invoke("assess", str(CASE), "--force")
    assert result.exit_code == 5, result.output
    assert "holds schedule version 1" in result.stderr
    assert "--discard-progress" in result.stderr
    assert path.read_bytes() == before

    result = invoke("assess", str(CASE), "--force", "--discard-progress", "--json")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    kept = json.loads(result.stdout)["previous_version"]
    assert Path(kept).read_bytes() == before
    plan, _ = load_plan(path)
    assert plan.schedule is None


def test_discard_progress_goes_with_force():
    result = invoke("assess", str(CASE), "--discard-progress")
    assert result.exit_code == 2 and "goes with --force" in result.stderr
