"""Recording attendance: the day count, idempotence, enforcement flags, rescheduling, errors.

Rules from the RAR guidance, docs/sources/001_246201b7ec5ee73b.txt, sections 4, 5 and 7.
"""

from __future__ import annotations

import json
import threading
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from rarplan.cli.app import build
from rarplan.deliver import attendance as att
from rarplan.deliver import attendance_file, enforcement
from rarplan.files.planfile import load_plan, save_plan
from rarplan.model.errors import InvalidInput
from rarplan.model.plan import Appointment, AttendanceRecord, Plan, Schedule
from rarplan.model.rardays import COUNTING_OUTCOMES, dates_used
from tests import factories

runner = CliRunner()
TODAY = "2027-03-01"
HEADER = "date,intervention,session,outcome,note\n"


def appointment(
    when: date, intervention: str, session: int, *, start: str = "10:00", counts: bool = True
) -> Appointment:
    kind = "offender_management" if not counts else "individual"
    return Appointment(
        date=when,
        start=start,
        minutes=60,
        intervention=intervention,
        session=session,
        kind=kind,
        counts_towards_rar=counts,
    )


def scheduled_plan(rar_max_days: int = 6, **overrides: object) -> Plan:
    """msrp-home weekly on Mondays from 11 Jan 2027 (6 sessions), job-club on the first
    Monday afternoon too (two sessions, one day), an offender-management appointment on
    the Tuesday (not a RAR day)."""
    plan = factories.plan(["msrp-home", "job-club"], rar_max_days=rar_max_days, **overrides)
    first = date(2027, 1, 11)
    appointments = [appointment(first + timedelta(weeks=i), "msrp-home", i + 1) for i in range(6)]
    appointments.append(appointment(first, "job-club", 1, start="14:00"))
    appointments.append(
        appointment(first + timedelta(days=1), "offender-management", 1, counts=False)
    )
    plan.schedule = Schedule(
        start=first,
        order_end=date(2028, 1, 3),
        rar_days_planned=6,
        appointments=sorted(appointments, key=lambda a: (a.date, a.start)),
    )
    return plan


def write_plan(plan: Plan, path: Path | str = "X123456.plan.toml") -> Path:
    target = Path(path)
    save_plan(plan, target, overwrite=True)
    return target


def write_csv(rows: list[str], name: str = "attendance.csv") -> Path:
    path = Path(name)
    path.write_text(HEADER + "".join(row + "\n" for row in rows))
    return path


def attend(*args: str, input: str | None = None, today: str = TODAY):
    return runner.invoke(build(), ["attend", *args, "--today", today], input=input)


def attend_json(plan: Path, file: Path, today: str = TODAY) -> dict:
    result = attend(str(plan), "--attendance", str(file), "--json", today=today)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    return json.loads(result.stdout)


# --- the day count ---------------------------------------------------------------------------


def test_two_attended_sessions_on_one_date_are_one_day():
    """Section 4: '2 or more separate planned activities or sessions in the same day' = 1 day."""
    plan = write_plan(scheduled_plan())
    file = write_csv(["2027-01-11,msrp-home,1,attended,", "2027-01-11,job-club,1,attended,"])
    data = attend_json(plan, file)
    assert data["rar_days_completed"] == 1
    assert data["dates_used"] == ["2027-01-11"]
    assert data["counts"]["attended_complied"] == 2  # `attended` reads as attended and complied


def test_absences_and_cancellations_use_no_day_and_late_counts():
    """Section 4: a RAR day is a planned activity that took place; absences use none."""
    plan = write_plan(scheduled_plan())
    file = write_csv(
        [
            "2027-01-11,msrp-home,1,acceptable_absence,GP appointment",
            "2027-01-11,job-club,1,unacceptable_absence,",
            "2027-01-18,msrp-home,2,not_held,provider cancelled",
            "2027-01-25,msrp-home,3,late,10 minutes",
        ]
    )
    data = attend_json(plan, file)
    assert data["rar_days_completed"] == 1
    assert data["dates_used"] == ["2027-01-25"]


def test_offender_management_appointments_are_not_rar_days():
    """Section 5: offender management appointments 'do not count as RAR days'."""
    plan = write_plan(scheduled_plan())
    file = write_csv(["2027-01-12,offender-management,1,attended,"])
    data = attend_json(plan, file)
    assert data["rar_days_completed"] == 0
    stored, _ = load_plan(plan)
    assert stored.attendance[0].counts_towards_rar is False


def test_days_used_counts_distinct_counting_dates():
    """Section 4: the days completed are distinct dates with an attended or late activity."""
    records = [
        AttendanceRecord(date=date(2027, 1, 11), intervention="a", session=1, outcome="attended"),
        AttendanceRecord(date=date(2027, 1, 11), intervention="b", session=1, outcome="late"),
        AttendanceRecord(
            date=date(2027, 1, 12),
            intervention="c",
            session=1,
            outcome="attended",
            counts_towards_rar=False,
        ),
        AttendanceRecord(
            date=date(2027, 1, 13), intervention="a", session=2, outcome="unacceptable_absence"
        ),
        AttendanceRecord(date=date(2027, 1, 14), intervention="a", session=3, outcome="late"),
    ]
    assert dates_used(records) == [date(2027, 1, 11), date(2027, 1, 14)]


# --- idempotence and changes -----------------------------------------------------------------


def test_the_same_file_twice_changes_nothing():
    """Issue 4: recording is idempotent; the second run leaves the plan byte for byte."""
    plan = write_plan(scheduled_plan())
    file = write_csv(["2027-01-11,msrp-home,1,attended,", "2027-01-18,msrp-home,2,late,bus"])
    first = attend_json(plan, file)
    assert first["added"] == 2 and first["changed"] is True
    before = plan.read_bytes()
    history = sorted(p.name for p in Path(".rarplan-history").iterdir())
    second = attend_json(plan, file)
    assert second["changed"] is False and second["unchanged"] == 2 and second["added"] == 0
    assert plan.read_bytes() == before
    assert sorted(p.name for p in Path(".rarplan-history").iterdir()) == history
    assert second["rar_days_completed"] == first["rar_days_completed"] == 2


def test_a_different_outcome_replaces_the_record_and_is_in_the_history():
    """Design: records keyed by (date, intervention, session); a change is in plan.history."""
    plan = write_plan(scheduled_plan())
    attend_json(plan, write_csv(["2027-01-18,msrp-home,2,unacceptable_absence,"]))
    data = attend_json(
        plan, write_csv(["2027-01-18,msrp-home,2,acceptable_absence,sick note"], "fix.csv")
    )
    assert data["replaced"] == 1 and data["unacceptable_absences"] == []
    stored, _ = load_plan(plan)
    assert [(r.outcome, r.note) for r in stored.attendance] == [("acceptable_absence", "sick note")]
    last = stored.history[-1]
    assert last.action == "attendance"
    assert "failed to attend to acceptable absence (reason not recorded)" in last.reason


def test_toml_attendance_file_and_uk_dates():
    """Issue 4: TOML or CSV; a spreadsheet's DD/MM/YYYY dates are read as UK dates."""
    plan = write_plan(scheduled_plan())
    Path("attendance.toml").write_text(
        '[[attendance]]\ndate = 2027-01-11\nintervention = "msrp-home"\nsession = 1\n'
        'outcome = "attended"\n'
    )
    assert attend_json(plan, Path("attendance.toml"))["rar_days_completed"] == 1
    data = attend_json(plan, write_csv(["18/01/2027,msrp-home,2,Attended,"]))
    assert data["dates_used"] == ["2027-01-11", "2027-01-18"]


def test_attendance_from_stdin():
    plan = write_plan(scheduled_plan())
    result = attend(
        str(plan), "--attendance", "-", "--json", input=HEADER + "2027-01-11,job-club,1,late,\n"
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["rar_days_completed"] == 1


# --- bad input -------------------------------------------------------------------------------


def _refused_unchanged(plan: Path, args: list[str], code: int = 3) -> str:
    before = plan.read_bytes()
    result = attend(str(plan), *args)
    assert result.exit_code == code, result.output
    assert result.stdout == ""
    assert "Traceback" not in result.output
    assert plan.read_bytes() == before
    return result.stderr


def test_bad_outcome_names_file_row_and_allowed_values():
    """Project standard: one line naming file, row and key; nothing changed."""
    plan = write_plan(scheduled_plan())
    file = write_csv(["2027-01-11,msrp-home,1,attended,", "2027-01-18,msrp-home,2,absent,"])
    err = _refused_unchanged(plan, ["--attendance", str(file)])
    assert err.strip() == (
        "rarplan: error: attendance.csv: row 3: outcome: must be one of attended_complied, "
        "attended_failed_to_comply, sent_home_behaviour, sent_home_service_issues, "
        "failed_to_attend, acceptable_absence_court_legal, acceptable_absence_employment, "
        "acceptable_absence_family_childcare, acceptable_absence_holiday, "
        "acceptable_absence_medical, acceptable_absence_religious, "
        "acceptable_absence_remanded_in_custody, acceptable_absence_professional_judgement, "
        "acceptable_absence, not_held"
    )


def test_bad_date_and_session_are_named():
    plan = write_plan(scheduled_plan())
    file = write_csv(["11 Jan,msrp-home,1,attended,", "2027-01-18,msrp-home,two,attended,"])
    err = _refused_unchanged(plan, ["--attendance", str(file)])
    assert "attendance.csv: row 2: date: '11 Jan' is not a date" in err
    assert "attendance.csv: row 3: session: must be a valid integer" in err


def test_row_for_an_appointment_not_in_the_schedule_is_refused():
    """Design: a record for an appointment not in the schedule is exit 3 naming the row."""
    plan = write_plan(scheduled_plan())
    file = write_csv(["2027-01-11,msrp-home,1,attended,", "2027-01-12,msrp-home,2,attended,"])
    err = _refused_unchanged(plan, ["--attendance", str(file)])
    assert (
        "attendance.csv: row 3: no appointment in the schedule on 2027-01-12 for msrp-home "
        "session 2" in err
    )


def test_future_appointments_cannot_be_recorded():
    plan = write_plan(scheduled_plan())
    file = write_csv(["2027-02-15,msrp-home,6,attended,"])
    result = runner.invoke(
        build(), ["attend", str(plan), "--attendance", str(file), "--today", "2027-02-01"]
    )
    assert result.exit_code == 3
    assert "row 2: date: 2027-02-15 is after today (2027-02-01)" in result.stderr


def test_conflicting_rows_for_one_appointment_are_refused():
    plan = write_plan(scheduled_plan())
    file = write_csv(["2027-01-11,msrp-home,1,attended,", "2027-01-11,msrp-home,1,late,"])
    err = _refused_unchanged(plan, ["--attendance", str(file)])
    assert "row 3: the same appointment as row 2" in err


def test_unknown_and_missing_columns():
    plan = write_plan(scheduled_plan())
    Path("a.csv").write_text("date,intervention,session,result\n2027-01-11,msrp-home,1,x\n")
    err = _refused_unchanged(plan, ["--attendance", "a.csv"])
    assert "a.csv: row 1: unknown column 'result'" in err
    Path("b.csv").write_text("date,intervention,outcome\n2027-01-11,msrp-home,attended\n")
    assert "b.csv: row 1: missing column session" in _refused_unchanged(
        plan, ["--attendance", "b.csv"]
    )


def test_toml_errors_use_the_key_path():
    plan = write_plan(scheduled_plan())
    Path("a.toml").write_text(
        '[[attendance]]\ndate = 2027-01-11\nintervention = "msrp-home"\nsession = 0\n'
        'outcome = "attended"\n'
    )
    assert "a.toml: attendance[0].session: must be ≥ 1" in _refused_unchanged(
        plan, ["--attendance", "a.toml"]
    )


def test_an_empty_file_and_a_plan_without_schedule():
    plan = write_plan(scheduled_plan())
    assert "no attendance rows" in _refused_unchanged(plan, ["--attendance", str(write_csv([]))])
    bare = write_plan(factories.plan(), "bare.plan.toml")
    err = _refused_unchanged(bare, ["--attendance", str(write_csv(["2027-01-11,a,1,attended,"]))])
    assert "has no schedule" in err and "rarplan schedule" in err


def test_no_file_and_no_terminal_names_the_flag():
    """STYLE.md: never prompt when not interactive; name the flag to give."""
    plan = write_plan(scheduled_plan())
    result = attend(str(plan), "--no-input")
    assert result.exit_code == 2
    assert "--attendance FILE" in result.stderr


def test_bad_today_is_a_usage_error():
    plan = write_plan(scheduled_plan())
    result = runner.invoke(build(), ["attend", str(plan), "--today", "tomorrow"])
    assert result.exit_code == 2
    assert "--today: 'tomorrow' is not a date" in result.stderr


def test_locked_plan_is_exit_5():
    from rarplan.files.storage import locked

    plan = write_plan(scheduled_plan())
    file = write_csv(["2027-01-11,msrp-home,1,attended,"])
    with locked(plan):
        result = attend(str(plan), "--attendance", str(file))
    assert result.exit_code == 5


# --- enforcement and rescheduling ------------------------------------------------------------


def test_unacceptable_absences_are_listed_with_warning_then_breach():
    """Section 7: every appointment is enforceable. National practice (a setting): warning at
    the first unacceptable absence, breach consideration at the second within 12 months."""
    plan = write_plan(scheduled_plan())
    file = write_csv(
        [
            "2027-01-11,msrp-home,1,unacceptable_absence,no contact",
            "2027-01-18,msrp-home,2,attended,",
            "2027-01-25,msrp-home,3,unacceptable_absence,",
        ]
    )
    data = attend_json(plan, file)
    assert [(a["date"], a["flag"], a["in_window"]) for a in data["unacceptable_absences"]] == [
        ("2027-01-11", "warning", 1),
        ("2027-01-25", "breach_consideration", 2),
    ]
    text = attend(str(plan), "--attendance", str(file))
    assert (
        "2027-01-11 msrp-home session 1, failed to attend: ACTION DUE: warning "
        "(1st within 12 months) (no contact)"
    ) in text.stdout
    assert (
        "2027-01-25 msrp-home session 3, failed to attend: ACTION DUE: breach consideration "
        "(2nd within 12 months)"
    ) in text.stdout


def test_the_window_restarts_after_twelve_months():
    settings_ = enforcement.EnforcementSettings()

    def absent(when: date) -> AttendanceRecord:
        return AttendanceRecord(
            date=when, intervention="a", session=1, outcome="unacceptable_absence"
        )

    flags = enforcement.unacceptable_absences(
        [absent(date(2027, 1, 11)), absent(date(2028, 1, 12)), absent(date(2028, 1, 13))],
        settings_,
    )
    assert [f.flag for f in flags] == ["warning", "warning", "breach_consideration"]
    on_the_day = enforcement.unacceptable_absences(
        [absent(date(2027, 1, 11)), absent(date(2028, 1, 11))], settings_
    )
    assert on_the_day[1].flag == "breach_consideration"  # within 12 months, inclusive


def test_thresholds_come_from_the_config_file(monkeypatch):
    """Issue 4: the thresholds are settings, not hard-coded in logic."""
    Path("rarplan.toml").write_text("[enforcement]\nwarning_after = 2\nbreach_after = 3\n")
    monkeypatch.setenv("RARPLAN_CONFIG", "rarplan.toml")
    plan = write_plan(scheduled_plan())
    file = write_csv(
        [f"2027-01-{d},msrp-home,{i},unacceptable_absence," for i, d in ((1, 11), (2, 18), (3, 25))]
    )
    flags = [a["flag"] for a in attend_json(plan, file)["unacceptable_absences"]]
    assert flags == ["none", "warning", "breach_consideration"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "[enforcement]\nwarning_after = 0\n",
            "rarplan.toml: enforcement.warning_after: must be ≥ 1",
        ),
        (
            "[enforcement]\nbreach_after = 1\n",
            "rarplan.toml: enforcement: breach_after must be greater than warning_after",
        ),
        ("[enforcement]\nwarn = 1\n", "rarplan.toml: enforcement.warn: unknown key"),
        ("enforcement = 3\n", "rarplan.toml: enforcement: must be a valid dictionary"),
    ],
)
def test_bad_settings_are_invalid_input(monkeypatch, text, message):
    Path("rarplan.toml").write_text(text)
    monkeypatch.setenv("RARPLAN_CONFIG", "rarplan.toml")
    plan = write_plan(scheduled_plan())
    assert message in _refused_unchanged(
        plan, ["--attendance", str(write_csv(["2027-01-11,msrp-home,1,attended,"]))]
    )


def test_missed_sessions_are_offered_with_the_schedule_command():
    """Issue 4: an absence does not use a day; the missed session must be offered again."""
    plan = write_plan(scheduled_plan())
    file = write_csv(
        ["2027-01-11,msrp-home,1,attended,", "2027-01-18,msrp-home,2,acceptable_absence,ill"]
    )
    data = attend_json(plan, file)
    assert data["reschedule"] == [
        {
            "date": "2027-01-18",
            "intervention": "msrp-home",
            "session": 2,
            "outcome": "acceptable_absence",
        }
    ]
    assert data["reschedule_command"] == (
        "rarplan schedule X123456.plan.toml --from 2027-03-02 "
        "--reason 'missed: msrp-home session 2 on 2027-01-18'"
    )
    # Once the schedule has the session again, it is no longer listed.
    stored, _ = load_plan(plan)
    assert stored.schedule is not None
    stored.schedule.appointments.append(appointment(date(2027, 3, 8), "msrp-home", 2))
    write_plan(stored, plan)
    again = attend_json(plan, file)
    assert again["reschedule"] == [] and again["reschedule_command"] is None


def test_more_days_than_ordered_is_a_warning_when_recording():
    """A day used under an earlier schedule (its appointment since re-planned away) and one
    now: more than the court's one day (section 7) is a warning, not silence."""
    stored = scheduled_plan(rar_max_days=1)
    assert stored.schedule is not None
    stored.schedule.appointments = [appointment(date(2027, 1, 11), "msrp-home", 1)]
    stored.schedule.rar_days_planned = 1
    stored.attendance = [
        AttendanceRecord(
            date=date(2027, 1, 4), intervention="job-club", session=1, outcome="attended"
        )
    ]
    plan = write_plan(stored)
    file = write_csv(["2027-01-11,msrp-home,1,attended,", "2027-01-04,job-club,1,attended,"])
    data = attend_json(plan, file)
    assert data["warnings"] and "at most 1" in data["warnings"][0]
    text = attend(str(plan), "--attendance", str(file))
    assert "rarplan: warning: 2 RAR days recorded but the court ordered at most 1" in text.stderr


def test_text_output_has_no_name():
    """DEVELOPING.md: the person's name never appears in output."""
    plan = write_plan(scheduled_plan(name="Jane Example"))
    result = attend(str(plan), "--attendance", str(write_csv(["2027-01-11,msrp-home,1,late,"])))
    assert result.exit_code == 0, result.output
    assert "Jane" not in result.output
    assert "RAR days completed: 1 of 6" in result.stdout


# --- properties ------------------------------------------------------------------------------


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(attendance_file.OUTCOMES), min_size=8, max_size=8))
def test_property_day_count_and_idempotence(outcomes):
    """Section 4: days = distinct counting dates attended; applying twice changes nothing."""
    plan = scheduled_plan()
    assert plan.schedule is not None
    entries = [
        attendance_file.Entry(
            f"row {i}",
            attendance_file.AttendanceRow(
                date=a.date,
                intervention=a.intervention,
                session=a.session,
                outcome=outcome,
            ),
        )
        for i, (a, outcome) in enumerate(zip(plan.schedule.appointments, outcomes, strict=True))
    ]
    now = datetime(2027, 3, 1, 9, 0)
    att.apply_attendance(plan, entries, "f", today=date(2027, 3, 1), now=now)
    snapshot = plan.model_dump()
    again = att.apply_attendance(plan, entries, "f", today=date(2027, 3, 1), now=now)
    assert not again.changed and plan.model_dump() == snapshot
    expected = {
        a.date
        for a, outcome in zip(plan.schedule.appointments, outcomes, strict=True)
        if outcome in COUNTING_OUTCOMES and a.counts_towards_rar
    }
    assert dates_used(plan.attendance) == sorted(expected)
    assert len(dates_used(plan.attendance)) <= 6


def test_apply_checks_everything_before_changing():
    plan = scheduled_plan()
    good = attendance_file.AttendanceRow(
        date=date(2027, 1, 11), intervention="msrp-home", session=1, outcome="attended"
    )
    bad = attendance_file.AttendanceRow(
        date=date(2027, 1, 11), intervention="msrp-home", session=9, outcome="attended"
    )
    with pytest.raises(InvalidInput):
        att.apply_attendance(
            plan,
            [attendance_file.Entry("row 2", good), attendance_file.Entry("row 3", bad)],
            "f.csv",
            today=date(2027, 3, 1),
            now=datetime(2027, 3, 1),
        )
    assert plan.attendance == [] and plan.history == []


def test_a_row_that_cannot_be_read_travels_with_its_problems():
    """Reading keeps an unreadable row (its problems, the intervention as written) so that
    matching names it beside the rows that match nothing: one pass over the file."""
    entries = attendance_file.parse_attendance(
        HEADER + "32/01/2027, msrp-hom ,1,attended,\n2027-01-11,job-clb,1,attended,\n", "a.csv"
    )
    assert [(e.where, e.row is None, e.intervention) for e in entries] == [
        ("row 2", True, "msrp-hom"),
        ("row 3", False, ""),
    ]
    assert entries[0].problems == (
        "a.csv: row 2: date: '32/01/2027' is not a date; write YYYY-MM-DD (or DD/MM/YYYY)",
    )
    plan = scheduled_plan()
    with pytest.raises(InvalidInput) as caught:
        att.apply_attendance(
            plan, entries, "a.csv", today=date(2027, 3, 1), now=datetime(2027, 3, 1)
        )
    assert [p.split(": ", 3)[1:3] for p in caught.value.problems] == [
        ["row 2", "date"],
        ["row 2", "intervention"],
        ["row 3", "intervention"],
    ]
    assert "(did you mean 'job-club'?)" in caught.value.problems[2]
    assert plan.attendance == [] and plan.history == []


# --- interactive -----------------------------------------------------------------------------


def test_interactive_recording_newest_first(monkeypatch):
    """STYLE.md: drive questionary with a pipe input, under a timeout."""
    from prompt_toolkit.application import create_app_session
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output import DummyOutput

    import rarplan.cli.commands.attend as cli_attend

    monkeypatch.setattr(cli_attend, "can_prompt", lambda no_input, json_output: True)
    plan = write_plan(scheduled_plan())
    down = "\x1b[B"
    # Newest first on 2027-01-19: msrp-home 2 (01-18): attended, failed to comply + note;
    # offender management (01-12): attended and complied; job-club 1 (01-11 14:00): skip
    # (after the 15 outcomes); then stop.
    keys = down + "\r" + "bus\r" + "\r" + down * 15 + "\r" + down * 16 + "\r"
    outcome: dict[str, object] = {}

    def run() -> None:
        with create_pipe_input() as inp, create_app_session(input=inp, output=DummyOutput()):
            inp.send_text(keys)
            outcome["result"] = runner.invoke(
                build(), ["attend", str(plan), "--today", "2027-01-19"]
            )

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(timeout=30)
    assert not thread.is_alive(), "the prompts waited for more keys"
    result = outcome["result"]
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    stored, _ = load_plan(plan)
    assert [(r.date.isoformat(), r.intervention, r.outcome, r.note) for r in stored.attendance] == [
        ("2027-01-12", "offender-management", "attended_complied", ""),
        ("2027-01-18", "msrp-home", "attended_failed_to_comply", "bus"),
    ]


def test_the_plan_must_be_an_existing_file():
    """No traceback and no stray lock file for a missing plan; stdin cannot be updated."""
    file = write_csv(["2027-01-11,msrp-home,1,attended,"])
    for missing in ("nope/X.plan.toml", "X.plan.toml"):
        result = attend(missing, "--attendance", str(file))
        assert result.exit_code == 3, result.output
        assert result.stderr.strip() == f"rarplan: error: {missing}: file not found"
    assert not list(Path(".").glob(".*.lock"))
    result = attend("-", "--attendance", str(file))
    assert result.exit_code == 2 and "'-' (stdin) cannot be updated" in result.stderr


# --- issue 17: the case management system's words, re-planning, enforcement actions -----------


def test_contact_outcomes_count_and_enforce_as_the_guidance_says():
    """Section 7: attended (complied or not) uses a day; failing to comply, being sent home for
    behaviour and failing to attend are unacceptable failures; being sent home for the
    service's reasons or an accepted absence (with its reason) is not, and uses no day."""
    plan = write_plan(scheduled_plan())
    file = write_csv(
        [
            "2027-01-11,msrp-home,1,attended_failed_to_comply,phone out in the session",
            "2027-01-11,job-club,1,Attended - Complied,",
            "2027-01-18,msrp-home,2,sent_home_behaviour,",
            "2027-01-25,msrp-home,3,Acceptable absence - Family/Childcare,child ill",
            "2027-02-01,msrp-home,4,sent_home_service_issues,room flooded",
        ]
    )
    data = attend_json(plan, file)
    assert data["dates_used"] == ["2027-01-11"]
    assert [(a["date"], a["outcome"]) for a in data["unacceptable_absences"]] == [
        ("2027-01-11", "attended_failed_to_comply"),
        ("2027-01-18", "sent_home_behaviour"),
    ]
    assert [(m["session"], m["outcome"]) for m in data["reschedule"]] == [
        (2, "sent_home_behaviour"),
        (3, "acceptable_absence_family_childcare"),
        (4, "sent_home_service_issues"),
    ]
    assert data["action_due"] == "breach_consideration"


def test_an_old_plan_with_the_five_words_migrates_on_reading(tmp_path):
    """Schema 2 plans said attended, late, unacceptable_absence: read as the contact outcomes
    (late kept in the note) and written as schema 3."""
    stored = scheduled_plan()
    stored.attendance = [
        AttendanceRecord(
            date=date(2027, 1, 11), intervention="msrp-home", session=1, outcome="attended"
        )
    ]
    text = (
        write_plan(stored)
        .read_text()
        .replace("schema_version = 3", "schema_version = 2")
        .replace('outcome = "attended_complied"', 'outcome = "late"')
    )
    assert 'outcome = "late"' in text
    old = tmp_path / "old.plan.toml"
    old.write_text(text)
    plan, _ = load_plan(old)
    assert [(r.outcome, r.note) for r in plan.attendance] == [("attended_complied", "late")]
    assert plan.schema_version == 3
    save_plan(plan, old, overwrite=True)
    assert "schema_version = 3" in old.read_text()


def test_attend_replan_and_the_same_file_again_changes_nothing():
    """Issue 17: the re-plan `attend` suggests offers the missed session again, and the same
    attendance file applied after it is a no-op (exit 0), not 'no appointment in the
    schedule'. Missed sessions are offered within the court's days (sections 4 and 7)."""
    path = write_plan(factories.plan(["msrp-home"], rar_max_days=8))
    result = runner.invoke(build(), ["schedule", str(path), "--json"])
    assert result.exit_code == 0, result.output
    dates_ = [a["date"] for a in json.loads(result.stdout)["appointments"]]
    assert dates_[:3] == ["2027-01-04", "2027-01-11", "2027-01-18"]
    rows = [
        "2027-01-04,msrp-home,1,attended_complied,",
        "2027-01-11,msrp-home,2,failed_to_attend,no contact",
        "2027-01-18,msrp-home,3,acceptable_absence_medical,GP",
    ]
    file = write_csv(rows)
    first = attend_json(path, file, today="2027-01-19")
    assert [m["session"] for m in first["reschedule"]] == [2, 3]
    command = first["reschedule_command"]
    assert command.startswith(f"rarplan schedule {path} --from 2027-01-20 --reason ")
    import shlex

    args = shlex.split(command)[1:]
    result = runner.invoke(build(), [*args, "--json"])
    assert result.exit_code == 0, result.output
    replanned = json.loads(result.stdout)["appointments"]
    offered = [(a["session"], a.get("offer"), a["date"]) for a in replanned if a.get("offer")]
    assert [(s, o) for s, o, _ in offered] == [(2, 2), (3, 2)]
    assert all(d >= "2027-01-20" for _, _, d in offered)
    stored, _ = load_plan(path)
    assert stored.schedule is not None and stored.schedule.rar_days_planned <= 8
    before = path.read_bytes()
    again = attend_json(path, file, today="2027-01-19")
    assert again["changed"] is False and again["unchanged"] == 3
    assert again["reschedule"] == [] and again["reschedule_command"] is None
    assert path.read_bytes() == before


def test_a_replan_that_cannot_offer_the_missed_session_says_why():
    """Within the court's maximum: with every day used or planned, the missed session does not
    fit, and the re-plan is refused (exit 4) naming it, never silently dropped."""
    path = write_plan(factories.plan(["msrp-home"], rar_max_days=6))
    assert runner.invoke(build(), ["schedule", str(path), "--quiet"]).exit_code == 0
    attend_json(path, write_csv(["2027-01-11,msrp-home,2,failed_to_attend,"]), today="2027-01-12")
    stored, _ = load_plan(path)
    assert stored.schedule is not None and stored.schedule.rar_days_planned == 6
    before = path.read_bytes()
    result = runner.invoke(
        build(), ["schedule", str(path), "--from", "2027-01-13", "--reason", "missed"]
    )
    # 6 sessions in 6 days: the missed one's day was not used, so its re-offer fits ...
    assert result.exit_code == 0, result.output
    attend_json(
        path, write_csv(["2027-01-04,msrp-home,1,failed_to_attend,"], "b.csv"), today="2027-01-12"
    )
    stored, _ = load_plan(path)
    stored.case.sentence.rar_max_days = 5  # ... but not once the court's days are fewer
    assert stored.schedule is not None
    stored.schedule.rar_days_planned = 5
    stored.schedule.appointments = [
        a for a in stored.schedule.appointments if (a.session, a.offer) != (6, None)
    ]
    write_plan(stored, path)
    before = path.read_bytes()
    result = runner.invoke(
        build(), ["schedule", str(path), "--from", "2027-01-13", "--reason", "missed"]
    )
    assert result.exit_code == 4, result.output
    assert "court's maximum of 5 RAR days" in result.stderr
    assert path.read_bytes() == before


def test_enforcement_actions_are_recorded_and_no_longer_due():
    """A warning at the first unacceptable failure within 12 months, breach consideration at
    the second (the configured limit); the officer records the action taken on a date."""
    plan = write_plan(scheduled_plan())
    attend_json(plan, write_csv(["2027-01-11,msrp-home,1,failed_to_attend,"]))
    result = attend(str(plan), "--action", "warning", "--on", "2027-01-12", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["actions_recorded"] == 1 and data["action_due"] == "none"
    failure = data["unacceptable_absences"][0]
    assert (failure["action"], failure["action_on"], failure["action_due"]) == (
        "warning",
        "2027-01-12",
        None,
    )
    stored, _ = load_plan(plan)
    assert stored.history[-1].action == "enforcement"
    assert "warning letter given on 2027-01-12" in stored.history[-1].reason
    before = plan.read_bytes()
    again = attend(str(plan), "--action", "warning", "--on", "2027-01-12", "--json")
    assert again.exit_code == 0 and json.loads(again.stdout)["changed"] is False
    assert plan.read_bytes() == before
    # A second failure within 12 months: breach consideration is due until recorded.
    data = attend_json(plan, write_csv(["2027-01-25,msrp-home,3,sent_home_behaviour,"], "b.csv"))
    assert data["action_due"] == "breach_consideration"
    text = attend(str(plan), "--attendance", "b.csv")
    assert "ACTION DUE: breach consideration" in text.stdout
    assert f"rarplan attend {plan} --action breach --on DATE" in text.stdout
    result = attend(str(plan), "--action", "breach", "--on", "2027-01-26")
    assert result.exit_code == 0, result.output
    assert "breach laid on 2027-01-26 for 2027-01-25 msrp-home session 3" in result.stderr


def test_enforcement_action_errors():
    plan = write_plan(scheduled_plan())
    _refused_unchanged(plan, ["--action", "warning", "--on", "2027-01-12"], code=4)
    attend_json(plan, write_csv(["2027-01-11,msrp-home,1,failed_to_attend,"]))
    err = _refused_unchanged(plan, ["--action", "no_action", "--on", "2027-01-12"], code=2)
    assert "--note" in err
    err = _refused_unchanged(plan, ["--action", "warning", "--on", "2027-03-02"])
    assert "after today" in err
    err = _refused_unchanged(plan, ["--action", "caution"], code=2)
    assert "warning, breach, no_action" in err
    result = attend(
        str(plan), "--action", "no_action", "--on", "2027-01-12", "--note", "manager agreed"
    )
    assert result.exit_code == 0, result.output
    stored, _ = load_plan(plan)
    assert stored.attendance[0].action_note == "manager agreed"


def test_a_changed_outcome_keeps_the_action_taken():
    plan = write_plan(scheduled_plan())
    attend_json(plan, write_csv(["2027-01-11,msrp-home,1,failed_to_attend,"]))
    assert attend(str(plan), "--action", "warning", "--on", "2027-01-12").exit_code == 0
    attend_json(plan, write_csv(["2027-01-11,msrp-home,1,failed_to_attend,late letter"], "c.csv"))
    stored, _ = load_plan(plan)
    assert (stored.attendance[0].note, stored.attendance[0].action) == ("late letter", "warning")


def test_today_can_be_typed_day_first():
    """Issue 20: `--today 01/03/2027` is 1 March 2027, as `--today 2027-03-01`."""
    plan = write_plan(scheduled_plan())
    rows = write_csv(["2027-01-11,msrp-home,1,attended,"])
    result = runner.invoke(
        build(), ["attend", str(plan), "--attendance", str(rows), "--today", "01/03/2027"]
    )
    assert result.exit_code == 0, result.output
    result = runner.invoke(
        build(), ["attend", str(plan), "--attendance", str(rows), "--today", "2027-02-31"]
    )
    assert result.exit_code == 2 and "--today: '2027-02-31' is not a date" in result.stderr
