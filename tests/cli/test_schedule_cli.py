"""`rarplan schedule` through the runner: the scripting contract, writes, re-plans, batches."""

from __future__ import annotations

import json
import stat
from datetime import date
from pathlib import Path

import pytest
import tomli_w
from typer.testing import CliRunner, Result

from rarplan.cli.app import build
from rarplan.files.planfile import load_plan, save_plan
from tests import factories
from tests.schedule.test_scheduling_support import ENTRIES, check_invariants

runner = CliRunner()
APP = build()


@pytest.fixture(autouse=True)
def _catalogue(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "test-catalogue.toml"
    path.write_text(tomli_w.dumps({"provider": "Test provider", "intervention": ENTRIES}))
    monkeypatch.setenv("RARPLAN_CATALOGUE", str(path))
    monkeypatch.setenv("USER", "ro.test")
    return path


def write_plan(name: str = "X123456.plan.toml", ids: list[str] | None = None, **kw: object) -> Path:
    path = Path(name)
    save_plan(factories.plan(ids or ["beai", "job-club"], **kw), path)  # type: ignore[arg-type]
    return path


def run(*args: str) -> Result:
    return runner.invoke(APP, ["schedule", *args])


def test_json_is_one_document_with_the_contract_keys() -> None:
    """Issue 3, 'Commands and output': the --json object's keys; stderr stays empty."""
    path = write_plan(rar_max_days=20)
    result = run(str(path), "--json")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    data = json.loads(result.stdout)
    assert {
        "crn",
        "rar_max_days",
        "rar_days_planned",
        "order_end",
        "appointments",
        "unscheduled",
    } <= set(data)
    assert data["crn"] == "X123456" and data["rar_max_days"] == 20
    assert data["rar_days_planned"] == 16 and data["order_end"] == "2028-01-03"
    first = data["appointments"][0]
    assert {
        "date",
        "start",
        "minutes",
        "intervention",
        "session",
        "kind",
        "counts_towards_rar",
    } <= set(first)
    assert first["date"] == "2027-01-04" and first["start"] == "10:00"


def test_schedule_is_written_into_the_plan_with_history() -> None:
    path = write_plan()
    result = run(str(path), "--by", "A. Officer", "--quiet")
    assert result.exit_code == 0, result.output
    plan, _ = load_plan(path)
    assert plan.schedule is not None and plan.schedule.version == 1
    assert [(h.action, h.by) for h in plan.history] == [("schedule", "A. Officer")]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    check_invariants(plan, plan.schedule, 20)


def test_by_defaults_to_user() -> None:
    path = write_plan()
    assert run(str(path), "--json").exit_code == 0
    assert load_plan(path)[0].history[-1].by == "ro.test"


def test_timetable_by_week_with_running_rar_days() -> None:
    path = write_plan(rar_max_days=20)
    result = run(str(path))
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "RAR timetable X123456" in out and "w/c 4 Jan 2027" in out
    assert "Mon 4 Jan" in out and "10:00-11:00" in out and "1/20" in out and "16/20" in out
    assert "RAR days planned: 16 of 20. Order 2027-01-04 to 2028-01-03." in out
    assert f"schedule version 1 written to {path}" in result.stderr


def test_scheduling_again_without_from_is_refused() -> None:
    path = write_plan()
    assert run(str(path), "--quiet").exit_code == 0
    before = path.read_bytes()
    result = run(str(path), "--json")
    assert result.exit_code == 5
    error = json.loads(result.stderr)["error"]
    assert "already scheduled (version 1)" in error["message"]
    assert error["hint"].endswith("; use --from DATE, --reason TEXT, --force")
    assert path.read_bytes() == before


def test_force_replaces_and_keeps_the_previous_in_history() -> None:
    path = write_plan()
    assert run(str(path), "--quiet").exit_code == 0
    result = run(str(path), "--force", "--strategy", "compact", "--quiet")
    assert result.exit_code == 0, result.output
    plan, _ = load_plan(path)
    assert plan.schedule is not None and plan.schedule.version == 2
    assert plan.schedule.strategy == "compact"
    assert plan.history[-1].schedule is not None
    assert plan.history[-1].schedule.strategy == "steady"


def test_replan_needs_a_reason() -> None:
    path = write_plan()
    result = run(str(path), "--from", "2027-02-01")
    assert result.exit_code == 2
    assert "--from needs --reason" in result.stderr


def test_replan_from_a_date_keeps_history() -> None:
    """Issue 3, 'Changes after the first schedule': each version kept with who/why/when."""
    path = write_plan()
    assert run(str(path), "--quiet").exit_code == 0
    result = run(
        str(path),
        "--from",
        "2027-02-01",
        "--reason",
        "started a job",
        "--days",
        "thu,fri",
        "--by",
        "B. Officer",
        "--json",
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["version"] == 2 and data["replanned_from"] == "2027-02-01"
    assert data["rar_days_used"] == 4
    later = [a for a in data["appointments"] if a["date"] >= "2027-02-01"]
    assert {date.fromisoformat(a["date"]).weekday() for a in later} <= {3, 4}
    plan, _ = load_plan(path)
    assert plan.availability.days == ["thu", "fri"]
    entry = plan.history[-1]
    assert (entry.action, entry.by, entry.reason) == ("reschedule", "B. Officer", "started a job")
    assert entry.schedule is not None and entry.schedule.version == 1


def test_refusal_exit_4_json_error_and_nothing_written() -> None:
    """Never a partial plan silently: over the court's days is refused, the file unchanged."""
    path = write_plan(ids=["beai", "job-club", "msrp-home"], rar_max_days=15)
    before = path.read_bytes()
    result = run(str(path), "--json")
    assert result.exit_code == 4
    assert result.stdout == ""
    error = json.loads(result.stderr)["error"]
    assert error["message"].startswith("cannot fit within the court's maximum of 15 RAR days")
    assert error["hint"].startswith("choices: fewer hours of a modular service")
    assert error["hint"].endswith("; use --strategy compact")  # the CLI words the flag
    assert path.read_bytes() == before


def test_out_writes_a_new_file_and_refuses_an_existing_one() -> None:
    path = write_plan()
    before = path.read_bytes()
    assert run(str(path), "--out", "new.plan.toml", "--quiet").exit_code == 0
    assert path.read_bytes() == before
    assert load_plan("new.plan.toml")[0].schedule is not None
    again = run(str(path), "--out", "new.plan.toml")
    assert again.exit_code == 5 and "already exists" in again.stderr
    assert run(str(path), "--out", "new.plan.toml", "--force", "--quiet").exit_code == 0


def test_plan_from_stdin_needs_out() -> None:
    path = write_plan()
    result = runner.invoke(APP, ["schedule", "-"], input=path.read_text())
    assert result.exit_code == 2 and "needs --out" in result.stderr
    result = runner.invoke(
        APP, ["schedule", "-", "--out", "s.plan.toml", "--quiet"], input=path.read_text()
    )
    assert result.exit_code == 0, result.output


def test_days_and_unavailable_are_saved_and_kept() -> None:
    path = write_plan(ids=["beai"])
    result = run(
        str(path),
        "--days",
        "mon,wed",
        "--unavailable",
        "2027-01-04..2027-01-08",
        "--unavailable",
        "2027-01-11",
        "--json",
    )
    assert result.exit_code == 0, result.output
    dates = [a["date"] for a in json.loads(result.stdout)["appointments"]]
    assert dates[0] == "2027-01-13"
    plan, _ = load_plan(path)
    assert plan.availability.days == ["mon", "wed"]
    assert [(r.start, r.end) for r in plan.availability.unavailable] == [
        (date(2027, 1, 4), date(2027, 1, 8)),
        (date(2027, 1, 11), date(2027, 1, 11)),
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--days", "sat"], "--days 'sat': use weekdays"),
        (["--start", "31/02/2027"], "--start: '31/02/2027' is not a date"),
        (["--unavailable", "2027-02-10..2027-02-01"], "the end is before the start"),
        (["--strategy", "fast"], "fast"),
    ],
)
def test_bad_options_are_usage_errors(args: list[str], message: str) -> None:
    path = write_plan()
    result = run(str(path), *args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr


def test_offender_management_appointments_never_count() -> None:
    path = write_plan(ids=["beai"], rar_max_days=6)
    result = run(str(path), "--om", "fortnightly", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    om = [a for a in data["appointments"] if a["intervention"] == "offender-management"]
    assert len(om) >= 25 and not any(a["counts_towards_rar"] for a in om)
    assert data["rar_days_planned"] == 6


def test_unscheduled_is_a_warning_on_stderr_but_in_the_json_only_under_json() -> None:
    path = write_plan(ids=["beai", "practitioner-toolkit"])
    result = run(str(path))
    assert result.exit_code == 0
    assert (
        "warning: practitioner-toolkit: not scheduled: the card gives no session count"
        in result.stderr
    )
    path2 = write_plan("Y.plan.toml", ids=["beai", "practitioner-toolkit"])
    result = run(str(path2), "--json")
    assert result.stderr == ""
    assert json.loads(result.stdout)["unscheduled"][0]["intervention"] == "practitioner-toolkit"


# -- the provider timetable file --------------------------------------------------------------


def test_timetable_file_sets_group_day_time_and_place_and_is_kept(tmp_path: Path) -> None:
    path = write_plan(ids=["job-club"])
    table = tmp_path / "timetable.toml"
    table.write_text(
        '[timetable.job-club]\nweekday = "tue"\nstart = "18:00"\nplace = "Maidstone office"\n'
    )
    result = run(str(path), "--timetable", str(table), "--json")
    assert result.exit_code == 0, result.output
    apps = json.loads(result.stdout)["appointments"]
    assert {(date.fromisoformat(a["date"]).weekday(), a["start"], a["place"]) for a in apps} == {
        (1, "18:00", "Maidstone office")
    }
    again = run(str(path), "--from", "2027-02-01", "--reason", "provider moved", "--json")
    later = [a for a in json.loads(again.stdout)["appointments"] if a["date"] >= "2027-02-01"]
    assert {a["start"] for a in later} == {"18:00"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '[timetable.job-clubs]\nweekday = "tue"\nstart = "18:00"\n',
            "timetable.job-clubs: no intervention with this id in the catalogue (did you mean",
        ),
        ('[timetable.job-club]\nweekday = "sat"\nstart = "18:00"\n', "timetable.job-club.weekday"),
        ('[timetable.job-club]\nweekday = "tue"\nstart = "6pm"\n', "timetable.job-club.start"),
        ('[timetable.job-club]\nday = "tue"\nstart = "18:00"\n', "timetable.job-club.day: unknown"),
        ('[timetable.beai]\nweekday = "tue"\nstart = "18:00"\n', "beai has no group sessions"),
        ("[timetable\n", "not valid TOML"),
    ],
)
def test_timetable_file_errors_name_the_file_and_key(
    tmp_path: Path, text: str, message: str
) -> None:
    path = write_plan(ids=["job-club"])
    table = tmp_path / "tt.toml"
    table.write_text(text)
    result = run(str(path), "--timetable", str(table))
    assert result.exit_code == 3, result.output
    assert str(table) in result.stderr and message in result.stderr


# -- batches ----------------------------------------------------------------------------------


def test_batch_folder_one_bad_file_never_stops_the_rest(tmp_path: Path) -> None:
    folder = tmp_path / "caseload"
    folder.mkdir()
    save_plan(factories.plan(["beai"], crn="A000001"), folder / "A000001.plan.toml")
    save_plan(factories.plan(["job-club"], crn="A000002"), folder / "A000002.plan.toml")
    (folder / "A000003.plan.toml").write_text("not = [toml")
    save_plan(
        factories.plan(["beai", "job-club", "msrp-home"], rar_max_days=10, crn="A000004"),
        folder / "A000004.plan.toml",
    )
    (folder / "notes.txt").write_text("ignored")
    result = run("--batch", str(folder), "--json")
    assert result.exit_code == 3, result.output  # the first failure's code
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [row.get("status") for row in lines[:-1]] == [
        "scheduled",
        "scheduled",
        "failed",
        "failed",
    ]
    assert lines[2]["error"]["exit_code"] == 3 and lines[3]["error"]["exit_code"] == 4
    assert (lines[2]["error"]["code"], lines[3]["error"]["code"]) == ("invalid_input", "refused")
    assert lines[-1]["summary"] == {"scheduled": 2, "skipped": 0, "failed": 2, "plans": 4}
    assert result.stderr == ""
    assert load_plan(folder / "A000002.plan.toml")[0].schedule is not None
    again = run("--batch", str(folder))
    assert "skipped" in again.stderr and "scheduled 0 of 4 plan(s); 2 skipped" in again.stderr


def test_several_plan_arguments_are_a_batch() -> None:
    one = write_plan("A.plan.toml")
    two = write_plan("B.plan.toml", ids=["msrp-home"])
    result = run(str(one), str(two))
    assert result.exit_code == 0, result.output
    assert result.stdout.count("X123456\t") == 2
    assert "scheduled 2 of 2 plan(s)" in result.stderr


def test_batch_with_out_or_ics_is_a_usage_error(tmp_path: Path) -> None:
    one, two = write_plan("A.plan.toml"), write_plan("B.plan.toml")
    result = run(str(one), str(two), "--ics", "x.ics")
    assert result.exit_code == 2 and "one PLAN" in result.stderr


def test_no_plan_is_a_usage_error() -> None:
    result = run("--json")
    assert result.exit_code == 2
    assert json.loads(result.stderr)["error"]["exit_code"] == 2


def test_a_day_first_start_date_is_read_as_in_england_and_wales() -> None:
    """Issue 20: DD/MM/YYYY accepted wherever a date is typed: 04/01/2027 is 4 January."""
    path = write_plan()
    result = run(str(path), "--start", "04/01/2027", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["start"] == "2027-01-04"
