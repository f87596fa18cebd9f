"""`rarplan status`: the caseload over a folder, the at-risk rule, urgency, broken files.

The at-risk rule (README, "The caseload"): the days left cannot be delivered before the order
ends at the planned rhythm (RAR guidance, section 7, docs/sources/001_246201b7ec5ee73b.txt:
no more RAR days than the sentence gives, within the order).
"""

from __future__ import annotations

import json
import time
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rarplan.cli.app import build
from rarplan.deliver import caseload
from rarplan.deliver.enforcement import EnforcementSettings
from rarplan.files import planview
from rarplan.files.planfile import dump_plan
from rarplan.model.plan import (
    AttendanceRecord,
    Completion,
    HistoryEntry,
    InterventionResult,
    OutcomeReview,
    Plan,
    Unscheduled,
)
from tests import factories
from tests.cli.test_messages_output import narrow  # noqa: F401 (a fixture)
from tests.deliver.test_attendance import scheduled_plan, write_plan

runner = CliRunner()
SETTINGS = EnforcementSettings()


def status(*args: str):
    return runner.invoke(build(), ["status", *args])


def status_json(*args: str) -> dict:
    result = status(*args, "--json")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    return json.loads(result.stdout)


def weekly_plan(crn: str, rar_max_days: int = 20, attended: int = 0) -> Plan:
    """A scheduled plan: `rar_max_days` weekly msrp-home sessions from 11 Jan 2027; the order
    ends 3 Jan 2028."""
    plan = scheduled_plan(rar_max_days=rar_max_days, crn=crn)
    assert plan.schedule is not None
    first = date(2027, 1, 11)
    plan.schedule.appointments = [
        a for a in plan.schedule.appointments if a.intervention != "msrp-home"
    ]
    from tests.deliver.test_attendance import appointment

    plan.schedule.appointments += [
        appointment(first + timedelta(weeks=i), "msrp-home", i + 1) for i in range(rar_max_days)
    ]
    plan.schedule.appointments.sort(key=lambda a: (a.date, a.start))
    plan.schedule.rar_days_planned = len(
        {a.date for a in plan.schedule.appointments if a.counts_towards_rar}
    )
    plan.attendance = [
        AttendanceRecord(
            date=first + timedelta(weeks=i),
            intervention="msrp-home",
            session=i + 1,
            outcome="attended",
        )
        for i in range(attended)
    ]
    return plan


# --- the at-risk rule ------------------------------------------------------------------------


def test_at_risk_when_days_left_at_the_rhythm_run_past_the_order_end():
    """Both sides of the rule: 5 days left, one a week, 35 days."""
    end = date(2027, 12, 31)
    ok = caseload.assess_risk(5, end, 7.0, end - timedelta(days=35), closed=None)
    assert not ok.at_risk and "fit by 2027-12-31" in ok.reason
    late = caseload.assess_risk(5, end, 7.0, end - timedelta(days=34), closed=None)
    assert late.at_risk
    assert "5 days left at one every 7.0 days runs to 2028-01-01" in late.reason


def test_not_at_risk_when_done_closed_or_unknown():
    today = date(2027, 6, 1)
    assert not caseload.assess_risk(0, date(2027, 6, 2), 7.0, today, closed=None).at_risk
    assert not caseload.assess_risk(5, None, 7.0, today, closed=None).at_risk
    assert not caseload.assess_risk(None, date(2027, 6, 2), 7.0, today, closed=None).at_risk
    assert not caseload.assess_risk(5, date(2027, 6, 2), 7.0, today, closed="completed").at_risk
    ended = caseload.assess_risk(2, date(2027, 5, 31), 7.0, today, closed=None)
    assert ended.at_risk and "order ended 2027-05-31 with 2 days left" in ended.reason


def test_rhythm_is_the_average_gap_between_counting_dates():
    plan = weekly_plan("X000001", rar_max_days=4)
    # msrp-home weekly; job-club shares the first Monday; offender management does not count.
    assert caseload.rhythm_days(planview.PlanView.of(plan)) == 7.0
    plan.schedule = None
    assert caseload.rhythm_days(planview.PlanView.of(plan)) == 7.0  # weekly when unscheduled


def test_unscheduled_plan_at_risk_when_fewer_weeks_than_days_remain():
    """No schedule: at risk when fewer than days_left weeks remain before the order ends."""
    plan = planview.PlanView.of(factories.plan(rar_max_days=10))  # order ends 2028-01-03
    fine = caseload.row_for(plan, "p", date(2027, 10, 25), SETTINGS)  # 70 days: just fits
    assert not fine.risk.at_risk and fine.status == "not_scheduled"
    late = caseload.row_for(plan, "p", date(2027, 10, 26), SETTINGS)
    assert late.risk.at_risk and late.order_end == date(2028, 1, 3)


# --- the folder ------------------------------------------------------------------------------


def make_folder(folder: Path) -> None:
    folder.mkdir()
    write_plan(weekly_plan("A000001"), folder / "A000001.plan.toml")  # at risk in October
    write_plan(weekly_plan("B000002", attended=17), folder / "B000002.plan.toml")
    done = weekly_plan("C000003", rar_max_days=3, attended=3)
    done.completion = Completion(
        completed_on=date(2027, 2, 1), status="completed", rar_days_ordered=3, rar_days_completed=3
    )
    write_plan(done, folder / "C000003.plan.toml")
    absent = weekly_plan("D000004", attended=17)
    absent.attendance[3].outcome = "unacceptable_absence"
    absent.attendance[5].outcome = "unacceptable_absence"
    write_plan(absent, folder / "D000004.plan.toml")
    (folder / "broken.plan.toml").write_text('crn = "E000005"\n[case\n')
    (folder / "foreign.plan.toml").write_text('title = "not a plan"\n')
    (folder / "notes.txt").write_text("not a plan, ignored\n")
    (folder / "A000001.completion.toml").write_text("ignored = true\n")
    (folder / ".rarplan-history").mkdir()
    (folder / ".rarplan-history" / "A000001.plan.toml.20270101").write_text("old\n")


def test_status_over_a_folder_with_broken_files():
    """Issue 4: one row per plan, sorted by urgency; corrupt or foreign files are reported and
    skipped; other files and .rarplan-history/ are ignored."""
    make_folder(Path("plans"))
    data = status_json("plans", "--today", "2027-10-04")
    assert data["today"] == "2027-10-04" and data["schema_version"] == 1
    crns = [p["crn"] for p in data["plans"]]
    assert crns == ["A000001", "B000002", "D000004", "C000003"]
    first = data["plans"][0]
    assert first["at_risk"] is True and first["rar_days_completed"] == 0
    assert first["next_appointment"] is None  # the weekly sessions ended in May
    assert data["plans"][-1]["status"] == "completed"
    d = data["plans"][2]
    assert (d["unacceptable_absences"], d["enforcement"]) == (2, "breach_consideration")
    assert d["rar_days_completed"] == 15
    skipped = {Path(s["file"]).name: s["reason"] for s in data["skipped"]}
    assert set(skipped) == {"broken.plan.toml", "foreign.plan.toml"}
    assert "not valid TOML" in skipped["broken.plan.toml"]
    assert "crn: required" in skipped["foreign.plan.toml"]


def test_status_text_reports_skipped_files_on_stderr():
    make_folder(Path("plans"))
    result = status("plans", "--today", "2027-10-04")
    assert result.exit_code == 0, result.output
    err_lines = result.stderr.strip().splitlines()
    assert err_lines[0].startswith("rarplan: skipped plans/broken.plan.toml: not valid TOML")
    assert err_lines[1].startswith("rarplan: skipped plans/foreign.plan.toml: ")
    lines = result.stdout.splitlines()
    assert lines[0].split() == (
        "CRN Band Days Next Order end Failures To record At risk".split()
    )  # every plan is CRN.plan.toml: no File column needed
    assert lines[1].split()[:3] == ["A000001", "medium", "0/20/20"]
    assert "AT RISK: 20 days need to 2028-02-21" in lines[1]
    assert "2 BREACH" in lines[3]
    assert lines[4].startswith("C000003") and lines[4].rstrip().endswith("completed")
    assert "Jane" not in result.output


def test_status_sort_puts_nearest_order_end_first():
    folder = Path("plans")
    folder.mkdir()
    later = weekly_plan("A000001")
    sooner = weekly_plan("Z000009")
    assert later.schedule is not None and sooner.schedule is not None
    later.schedule.order_end = date(2028, 6, 1)
    write_plan(later, folder / "a.plan.toml")
    write_plan(sooner, folder / "z.plan.toml")
    crns = [p["crn"] for p in status_json("plans", "--today", "2027-02-01")["plans"]]
    assert crns == ["Z000009", "A000001"]


def test_next_appointment_skips_recorded_and_past_ones():
    plan = weekly_plan("X000001", attended=2)
    view = planview.PlanView.of(plan)
    nxt = caseload.next_appointment(view, date(2027, 1, 18))
    assert nxt is not None and (nxt.date, nxt.session) == (date(2027, 1, 25), 3)


def test_empty_folder_and_not_a_folder():
    Path("empty").mkdir()
    assert status_json("empty") == {
        "schema_version": 1,
        "today": date.today().isoformat(),
        "plans": [],
        "skipped": [],
    }
    result = status("nowhere")
    assert result.exit_code == 3 and "nowhere: not a folder" in result.stderr


def test_default_folder_is_the_current_one():
    write_plan(weekly_plan("X000001"), "X000001.plan.toml")
    assert [p["crn"] for p in status_json("--today", "2027-02-01")["plans"]] == ["X000001"]


# --- reading plans fast ----------------------------------------------------------------------


def rich_plan(crn: str = "X123456") -> Plan:
    """A plan with everything: a big assessment, history with an old schedule, outcomes,
    unscheduled sessions, a completion, notes with quotes, escapes and non-ASCII."""
    plan = weekly_plan(crn, attended=3)
    plan.assessment.interventions = [
        InterventionResult(id=f"entry-{i}", status="excluded", reasons=["a reason", "b"])
        for i in range(40)
    ]
    plan.assessment.rationale = 'Line one\nline "two" — naïve \\ café\t'
    assert plan.schedule is not None
    plan.schedule.unscheduled = [Unscheduled(intervention="job-club", sessions=2, reason="full")]
    plan.history = [
        HistoryEntry(at=datetime(2027, 1, 5, 9), action="schedule", schedule=plan.schedule),
    ]
    plan.attendance[0].note = 'said "sorry" \u00e9\u2014\U0001f600'
    plan.attendance[1].recorded_at = datetime(2027, 2, 1, 10, 30, 15)
    plan.outcomes = [OutcomeReview(intervention="job-club", outcome="x", result="achieved")]
    plan.completion = Completion(
        completed_on=date(2027, 2, 1),
        status="completed_early",
        rar_days_ordered=20,
        rar_days_completed=3,
        rationale="because",
    )
    return plan


def views_agree(path: Path) -> planview.PlanView:
    fast = planview.read_view(path)
    full = planview.read_view(path, full=True)
    assert fast.model_dump() == full.model_dump()
    return fast


def test_fast_reader_reads_what_the_full_reader_reads(monkeypatch):
    """The fast path is used for plans rarplan writes, and gives the same view."""
    path = write_plan(rich_plan())
    full = planview.read_view(path, full=True)

    def no_full_parse(*args, **kwargs):
        raise AssertionError("the full reader was used")

    monkeypatch.setattr("rarplan.files.planfile.parse_plan", no_full_parse)
    fast = planview.read_view(path)
    assert fast.model_dump() == full.model_dump()
    assert fast.attendance[0].note == 'said "sorry" \u00e9\u2014\U0001f600'


@pytest.mark.parametrize(
    "edit",
    [
        lambda t: t.replace("[schedule]\n", "[schedule] # the dates\n"),
        lambda t: t.replace("[[attendance]]\n", "[[attendance]]\n# checked by RO\n", 1),
        lambda t: t.replace('outcome = "attended"', "outcome = 'attended'"),
        lambda t: t.replace("session = 1\n", "session = 0x1\n"),
        lambda t: t.replace('\nrationale = "because"', '\nrationale = """because\n[x]"""'),
        lambda t: t.replace("\n", "\r\n"),
        lambda t: t.replace("[case.sentence]", "[ case.sentence ]"),
        lambda t: t.replace('\nband = "medium"', '\nband = "medium" # set by assess'),
    ],
)
def test_hand_edited_layouts_fall_back_to_the_full_reader(edit):
    path = write_plan(rich_plan())
    path.write_text(edit(path.read_text()))
    view = views_agree(path)
    assert view.crn == "X123456" and view.assessment.band == "medium"


def test_damage_in_an_unread_table_needs_check():
    """`status` reads the tables it shows; `status --check` reads every plan in full."""
    folder = Path("plans")
    folder.mkdir()
    path = write_plan(rich_plan(), folder / "X123456.plan.toml")
    path.write_text(path.read_text().replace('status = "excluded"', 'status = "maybe"', 1))
    assert [p["crn"] for p in status_json("plans")["plans"]] == ["X123456"]
    checked = status_json("plans", "--check")
    assert checked["plans"] == []
    assert "assessment.interventions[0].status" in checked["skipped"][0]["reason"]


@pytest.mark.parametrize(
    ("edit", "reason"),
    [
        (lambda t: t.replace('band = "medium"', 'band = "huge"'), "assessment.band"),
        (
            lambda t: t.replace('outcome = "attended_complied"', 'outcome = "maybe"'),
            "attendance[0].outcome",
        ),
        (lambda t: t.replace("rar_max_days = 20", "rar_max_days = -1"), "rar_max_days"),
        (lambda t: t[: t.index("[case.scores]") + 20], "not valid TOML"),  # cut in [case]
        (lambda t: t.replace("schema_version = 3", "schema_version = 9"), "schema_version 9"),
    ],
)
def test_damage_in_a_shown_table_is_reported(edit, reason):
    folder = Path("plans")
    folder.mkdir()
    path = write_plan(rich_plan(), folder / "X123456.plan.toml")
    path.write_text(edit(path.read_text()))
    data = status_json("plans")
    assert data["plans"] == []
    assert reason in data["skipped"][0]["reason"]


def test_a_thousand_plans_are_fast():
    """Issue 4: 1,000 plans through `rarplan status` well under 15 s; each parsed once."""
    folder = Path("plans")
    folder.mkdir()
    text = dump_plan(rich_plan("X000000"))
    for n in range(1000):
        crn = f"X{n:06d}"
        (folder / f"{crn}.plan.toml").write_text(text.replace("X000000", crn))
    started = time.perf_counter()
    data = status_json("plans", "--today", "2027-06-01")
    elapsed = time.perf_counter() - started
    assert len(data["plans"]) == 1000 and data["skipped"] == []
    assert elapsed < 7.5, f"{elapsed:.1f} s"


@pytest.mark.usefixtures("narrow")
def test_status_fits_80_columns_and_shows_a_file_named_otherwise():
    """Issue 20: at 80 columns nothing is cut short ("X100…"); a plan not named CRN.plan.toml
    brings the File column back, so the row can still be found."""
    make_folder(Path("plans"))
    result = status("plans", "--today", "2027-10-04")
    assert result.exit_code == 0, result.output
    assert "…" not in result.stdout
    assert all(len(line) <= 80 for line in result.stdout.splitlines())
    Path("plans/A000001.plan.toml").rename("plans/first.plan.toml")
    result = status("plans", "--today", "2027-10-04")
    assert result.stdout.splitlines()[0].split()[:2] == ["CRN", "File"]
    assert "first.plan.toml" in result.stdout
