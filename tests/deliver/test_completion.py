"""Closing the RAR: the completion rules, outcome reviews and the completion record.

Rules from the RAR guidance, docs/sources/001_246201b7ec5ee73b.txt: section 4 (the court's
days are a maximum; fewer days need the reasons recorded), section 5 (desired outcomes agreed
so progress can be tracked) and section 7 (no more days than the sentence gives).
"""

from __future__ import annotations

import hashlib
import json
import threading
import tomllib
from datetime import date, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rarplan.cli.app import build
from rarplan.deliver import completion as comp
from rarplan.files.planfile import load_plan
from rarplan.model.plan import AttendanceRecord
from tests.deliver.test_attendance import scheduled_plan, write_csv, write_plan

runner = CliRunner()
TODAY = "2027-03-01"
TEXTS = [
    "--rationale",
    "Housed and working",
    "--progress",
    "Kept every session since",
    "--outcome",
    "Settled tenancy",
]
ALL_OUTCOMES = """
[[outcome]]
intervention = "msrp-home"
outcome = 1
result = "achieved"
comment = "tenancy signed"

[[outcome]]
intervention = "job-club"
outcome = "Outcome for job-club"
result = "partly_achieved"
"""


def plan_with_days(
    days: int, rar_max_days: int = 3, *, absent: int = 0, **overrides: object
) -> Path:
    """A scheduled plan with `days` RAR days attended: one msrp-home session a week, every
    appointment before TODAY recorded (completion needs that), the sessions not attended
    booked after TODAY (the RAR closes before they come). The first `absent` sessions are
    recorded as failed to attend (they use no day, RAR guidance section 7)."""
    model = scheduled_plan(rar_max_days=rar_max_days, **overrides)
    assert model.schedule is not None  # within the court's maximum, as every load checks
    after = date.fromisoformat(TODAY) + timedelta(weeks=1)
    model.schedule.appointments = [
        a
        if a.session <= absent + days
        else a.model_copy(update={"date": after + timedelta(weeks=a.session)})
        for a in model.schedule.appointments
        if a.intervention == "msrp-home" and a.session <= rar_max_days + absent
    ]
    model.schedule.rar_days_planned = rar_max_days
    model.attendance = [
        AttendanceRecord(
            date=date(2027, 1, 11) + timedelta(weeks=i),
            intervention="msrp-home",
            session=i + 1,
            outcome="failed_to_attend",
        )
        for i in range(absent)
    ]
    plan = write_plan(model)
    rows = [
        f"{date(2027, 1, 11) + timedelta(weeks=i)},msrp-home,{i + 1},attended,"
        for i in range(absent, absent + days)
    ]
    if rows:
        result = runner.invoke(
            build(), ["attend", str(plan), "--attendance", str(write_csv(rows)), "--today", TODAY]
        )
        assert result.exit_code == 0, result.output
    Path("outcomes.toml").write_text(ALL_OUTCOMES)
    return plan


def complete(plan: Path, *args: str):
    return runner.invoke(
        build(),
        [
            "complete",
            str(plan),
            "--today",
            TODAY,
            "--no-input",
            "--confirmed-by",
            "A Officer",
            *args,
        ],
    )


def complete_json(plan: Path, *args: str) -> dict:
    result = complete(plan, "--json", *args)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    return json.loads(result.stdout)


def assert_refused(plan: Path, args: list[str], code: int = 4) -> str:
    before = plan.read_bytes()
    result = complete(plan, *args)
    assert result.exit_code == code, result.output
    assert result.stdout == "" and "Traceback" not in result.output
    assert plan.read_bytes() == before
    assert not Path("X123456.completion.toml").exists() or code == 5
    return result.stderr


def test_completes_when_the_days_equal_the_order():
    """Section 4: the court's days used in full; no rationale needed."""
    plan = plan_with_days(3)
    data = complete_json(plan, "--outcomes", "outcomes.toml")
    assert data["status"] == "completed"
    assert (data["crn"], data["rar_days_ordered"], data["rar_days_completed"]) == (
        "X123456",
        3,
        3,
    )
    assert [o["result"] for o in data["outcomes"]] == ["achieved", "partly_achieved"]
    assert data["plan_sha256"] == hashlib.sha256(plan.read_bytes()).hexdigest()
    assert data["schema_version"] == 1
    record = tomllib.loads(Path("X123456.completion.toml").read_text())
    assert record["plan_sha256"] == data["plan_sha256"]
    assert record["attendance"]["dates_used"] == [
        date(2027, 1, 11),
        date(2027, 1, 18),
        date(2027, 1, 25),
    ]
    assert record["plan_file"] == "X123456.plan.toml"
    assert Path("X123456.completion.toml").stat().st_mode & 0o777 == 0o600
    stored, _ = load_plan(plan)
    assert stored.completion is not None and stored.completion.status == "completed"
    assert stored.completion.record_file == "X123456.completion.toml"
    assert stored.history[-1].action == "complete"
    assert len(stored.outcomes) == 2


def test_early_completion_is_refused_without_the_three_texts():
    """Section 4: fewer days than ordered needs the reasons recorded: a rationale, the
    progress and the outcome achieved. Refused with exit 4, naming what is missing."""
    plan = plan_with_days(1)
    err = assert_refused(plan, ["--outcomes", "outcomes.toml"])
    assert "completing early (1 of 3 RAR days)" in err
    assert "missing: rationale, progress, outcome" in err
    assert "use --rationale TEXT, --progress TEXT, --outcome TEXT" in err  # the CLI's words
    err = assert_refused(
        plan, ["--outcomes", "outcomes.toml", "--rationale", "Done", "--outcome", "  "]
    )
    assert "missing: progress, outcome" in err
    assert "use --progress TEXT, --outcome TEXT" in err


def test_early_completion_with_the_three_texts():
    plan = plan_with_days(1)
    data = complete_json(plan, "--outcomes", "outcomes.toml", *TEXTS)
    assert data["status"] == "completed_early"
    assert (data["rar_days_completed"], data["rar_days_ordered"]) == (1, 3)
    assert data["rationale"] == "Housed and working"
    assert "Why fewer days than ordered: Housed and working" in data["summary"]
    assert "1 of 3 RAR days used" in data["summary"]


def test_more_days_than_ordered_is_refused():
    """Section 7: 'cannot be instructed to attend more RAR days than those given'."""
    plan = plan_with_days(2, rar_max_days=2)
    path = Path(plan)  # a third day attended, by hand (no schedule would plan it: issue 19)
    path.write_text(
        path.read_text()
        + '\n[[attendance]]\ndate = 2027-01-25\nintervention = "job-club"\nsession = 9\n'
        + 'outcome = "attended_complied"\n'
    )
    err = assert_refused(plan, ["--outcomes", "outcomes.toml"])
    assert "3 RAR days recorded, but the court ordered at most 2" in err


def test_every_desired_outcome_needs_a_result():
    """Section 5: desired outcomes are agreed so progress can be tracked; name the missing."""
    plan = plan_with_days(3)
    err = assert_refused(plan, [])
    assert "2 desired outcomes without a result" in err
    assert "msrp-home: Outcome for msrp-home; job-club: Outcome for job-club" in err
    Path("one.toml").write_text(
        ALL_OUTCOMES.split("[[outcome]]")[0] + "[[outcome]]" + ALL_OUTCOMES.split("[[outcome]]")[1]
    )
    err = assert_refused(plan, ["--outcomes", "one.toml"])
    assert "1 desired outcome without a result" in err and "job-club" in err


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '[[outcome]]\nintervention = "nope"\noutcome = 1\nresult = "achieved"\n',
            "o.toml: outcome[0].intervention: 'nope' is not in the plan",
        ),
        (
            '[[outcome]]\nintervention = "job-club"\noutcome = 2\nresult = "achieved"\n',
            "o.toml: outcome[0].outcome: not a desired outcome of job-club; they are: "
            "1. Outcome for job-club",
        ),
        (
            '[[outcome]]\nintervention = "job-club"\noutcome = 1\nresult = "done"\n',
            "o.toml: outcome[0].result: must be one of achieved, partly_achieved, not_achieved",
        ),
        ('[[outcomes]]\nintervention = "job-club"\n', "o.toml: outcome: required"),
    ],
)
def test_bad_outcomes_file_is_invalid_input(text, message):
    plan = plan_with_days(3)
    Path("o.toml").write_text(text)
    assert message in assert_refused(plan, ["--outcomes", "o.toml"], code=3)


def test_outcome_text_matches_case_insensitively():
    plan = plan_with_days(3)
    Path("o.toml").write_text(
        ALL_OUTCOMES.replace('outcome = "Outcome for job-club"', 'outcome = "outcome FOR job-club"')
    )
    assert complete_json(plan, "--outcomes", "o.toml")["status"] == "completed"


def test_completing_twice_is_refused_unless_forced():
    plan = plan_with_days(3)
    complete_json(plan, "--outcomes", "outcomes.toml")
    before = plan.read_bytes()
    result = complete(plan, "--outcomes", "outcomes.toml")
    assert result.exit_code == 4
    assert "already completed on 2027-03-01" in result.stderr and "--force" in result.stderr
    assert plan.read_bytes() == before
    again = complete_json(plan, "--outcomes", "outcomes.toml", "--force")
    assert again["plan_sha256"] == hashlib.sha256(plan.read_bytes()).hexdigest()


def test_an_existing_record_is_not_overwritten():
    """Project standard: exit 5 when a file would be overwritten; the plan is untouched."""
    plan = plan_with_days(3)
    Path("X123456.completion.toml").write_text("keep me\n")
    assert_refused(plan, ["--outcomes", "outcomes.toml"], code=5)
    assert Path("X123456.completion.toml").read_text() == "keep me\n"
    stored, _ = load_plan(plan)
    assert stored.completion is None


def test_out_option_and_record_file_in_the_plan(tmp_path):
    plan = plan_with_days(3)
    (tmp_path / "records").mkdir()
    data = complete_json(plan, "--outcomes", "outcomes.toml", "--out", "records/r.toml")
    assert data["record_file"] == "records/r.toml"
    stored, _ = load_plan(plan)
    assert stored.completion is not None
    assert stored.completion.record_file == "records/r.toml"


def test_confirmation_is_required():
    """Issue 4: the record carries the officer's confirmation; without a terminal, the flag."""
    plan = plan_with_days(3)
    before = plan.read_bytes()
    result = runner.invoke(
        build(),
        ["complete", str(plan), "--today", TODAY, "--no-input", "--outcomes", "outcomes.toml"],
    )
    assert result.exit_code == 2
    assert "--confirmed-by NAME" in result.stderr
    assert plan.read_bytes() == before


def test_no_name_in_the_record_or_output():
    """DEVELOPING.md: the person's name never appears in output or files we write."""
    plan = plan_with_days(3, name="Jane Example")
    result = complete(plan, "--outcomes", "outcomes.toml")
    assert result.exit_code == 0, result.output
    assert "Jane" not in result.output
    assert "Jane" not in Path("X123456.completion.toml").read_text()
    assert result.stdout.startswith("RAR completed for X123456 on 2027-03-01: 3 of 3 RAR days")


def test_summary_text_is_plain_and_short():
    plan = plan_with_days(1)
    data = complete_json(plan, "--outcomes", "outcomes.toml", *TEXTS)
    lines = data["summary"].splitlines()
    assert lines[0] == "RAR completed early for X123456 on 2027-03-01: 1 of 3 RAR days used."
    assert lines[1] == "Attendance: 1 attended and complied."
    assert lines[2] == "Outcomes: 1 achieved, 1 partly achieved, 0 not achieved."
    assert "- msrp-home: Outcome for msrp-home: achieved (tenancy signed)" in lines
    assert lines[-1].startswith("Confirmed by A Officer. Plan X123456.plan.toml, SHA-256 ")
    assert len(lines) <= 12


def test_record_model_round_trips():
    plan = plan_with_days(3)
    complete_json(plan, "--outcomes", "outcomes.toml")
    record, _ = comp.load_record("X123456.completion.toml")
    assert record.status == "completed" and record.confirmed_by == "A Officer"
    counts = record.attendance.outcomes
    assert counts["attended_complied"] == 3 and sum(counts.values()) == 3
    assert record.attendance.dates_used == [date(2027, 1, 11), date(2027, 1, 18), date(2027, 1, 25)]


def test_a_plan_without_rar_days_cannot_be_completed():
    model = scheduled_plan()
    model.case.sentence.stage = "pre_sentence"
    model.case.sentence.rar_max_days = None
    plan = write_plan(model, "p.plan.toml")
    before = plan.read_bytes()
    result = complete(plan)
    assert result.exit_code == 3
    assert "case.sentence.rar_max_days: not set" in result.stderr
    assert plan.read_bytes() == before


def test_interactive_completion_asks_for_what_is_missing(monkeypatch):
    """STYLE.md: questionary through a pipe input, under a timeout."""
    from prompt_toolkit.application import create_app_session
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output import DummyOutput

    import rarplan.cli.commands.attend as cli_attend

    monkeypatch.setattr(cli_attend, "can_prompt", lambda no_input, json_output: True)
    plan = plan_with_days(1)
    # msrp-home outcome: achieved + comment; job-club: not_achieved, no comment; the three
    # texts; the confirmation (default responsible officer, accepted with enter).
    keys = (
        "\r" + "housed\r" + "\x1b[B\x1b[B\r" + "\r" + "Needs met\r" + "Good\r" + "Housed\r" + "\r"
    )
    outcome: dict[str, object] = {}

    def run() -> None:
        with create_pipe_input() as inp, create_app_session(input=inp, output=DummyOutput()):
            inp.send_text(keys)
            outcome["result"] = runner.invoke(build(), ["complete", str(plan), "--today", TODAY])

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(timeout=30)
    assert not thread.is_alive(), "the prompts waited for more keys"
    result = outcome["result"]
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    stored, _ = load_plan(plan)
    assert stored.completion is not None
    assert stored.completion.status == "completed_early"
    assert stored.completion.confirmed_by == "RO Test"
    assert (stored.completion.rationale, stored.completion.progress) == ("Needs met", "Good")
    assert [(o.result, o.comment) for o in stored.outcomes] == [
        ("achieved", "housed"),
        ("not_achieved", ""),
    ]


def test_changing_attendance_after_completion_warns():
    """verify keeps working as designed: a change after completion is flagged at once."""
    plan = plan_with_days(3)
    complete_json(plan, "--outcomes", "outcomes.toml")
    fix = write_csv(["2027-01-25,msrp-home,3,late,"], "fix.csv")
    result = runner.invoke(
        build(), ["attend", str(plan), "--attendance", str(fix), "--today", TODAY, "--json"]
    )
    assert result.exit_code == 0, result.output
    warnings = json.loads(result.stdout)["warnings"]
    assert any("completion record no longer matches" in w for w in warnings)


# --- Issue 19: a full disk never leaves a record without its completed plan -----------------


def _disk_full_on(monkeypatch: pytest.MonkeyPatch, suffix: str) -> None:
    """Simulate ENOSPC when writing the file whose name ends with `suffix`."""
    import errno

    from rarplan.files import storage

    real = storage.atomic_write

    def full(path, data, **kwargs):
        if str(path).endswith(suffix):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(path, data, **kwargs)

    monkeypatch.setattr(storage, "atomic_write", full)


@pytest.mark.parametrize("suffix", [".plan.toml", ".completion.toml"])
def test_a_full_disk_leaves_plan_and_record_consistent_and_a_retry_works(suffix):
    """Issue 19: ENOSPC while writing the plan (the record is taken back) or the record
    (nothing written): one line naming the file, exit 3, never 'please report this bug'; the
    same command run again once there is space completes."""
    plan = plan_with_days(3)
    before = plan.read_bytes()
    with pytest.MonkeyPatch.context() as full:  # undone on leaving; the folder stays
        _disk_full_on(full, suffix)
        result = complete(plan, "--outcomes", "outcomes.toml")
    assert result.exit_code == 3, result.output
    assert "No space left on device" in result.stderr and suffix in result.stderr
    assert "free some disk space" in result.stderr
    assert "report this bug" not in result.stderr and len(result.stderr.splitlines()) == 1
    assert plan.read_bytes() == before
    assert not Path("X123456.completion.toml").exists()
    data = complete_json(plan, "--outcomes", "outcomes.toml")
    assert data["plan_sha256"] == hashlib.sha256(plan.read_bytes()).hexdigest()
    assert runner.invoke(build(), ["verify", "X123456.completion.toml", str(plan)]).exit_code == 0


def test_a_record_left_by_a_run_stopped_between_the_writes_is_replaced():
    """A run killed after the record and before the plan: the record stands for no completed
    plan, so the next run replaces it without --force (the old one kept in the history)."""
    plan = plan_with_days(3)
    complete_json(plan, "--outcomes", "outcomes.toml")
    stored, _ = load_plan(plan)
    stored.completion = None
    from rarplan.files.planfile import save_plan

    save_plan(stored, plan, overwrite=True)
    data = complete_json(plan, "--outcomes", "outcomes.toml")
    assert data["plan_sha256"] == hashlib.sha256(plan.read_bytes()).hexdigest()


def test_a_non_numeric_lock_timeout_is_an_input_error(monkeypatch):
    """Issue 19: RARPLAN_LOCK_TIMEOUT=abc is exit 3 naming the variable, not a crash."""
    plan = plan_with_days(3)
    monkeypatch.setenv("RARPLAN_LOCK_TIMEOUT", "abc")
    result = complete(plan, "--outcomes", "outcomes.toml")
    assert result.exit_code == 3, result.output
    assert "RARPLAN_LOCK_TIMEOUT: 'abc' is not a number of seconds" in result.stderr
