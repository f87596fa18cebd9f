"""Every problem of an attendance or outcomes file in one run (issue 20, "Every error").

The rows that cannot be read (a bad date, an unknown outcome) and the rows that name nothing in
the plan (a mistyped intervention, an appointment not in the schedule) are listed together,
each with its row, in the file's order, none twice, with did-you-mean for a mistyped
intervention id; nothing is recorded while any row is wrong (RAR guidance,
docs/sources/001_246201b7ec5ee73b.txt, section 7: the attendance is the record that counts the
days, so a half-applied file is never written). Exit 3, invalid input (docs/scripting.md).
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

import rarplan
from rarplan.cli.app import build
from rarplan.cli.output import MAX_PROBLEMS_SHOWN
from rarplan.files.planfile import load_plan
from rarplan.model.errors import InvalidInput
from tests.deliver.test_attendance import scheduled_plan, write_csv, write_plan
from tests.deliver.test_completion import ALL_OUTCOMES, TEXTS, plan_with_days

runner = CliRunner()
TODAY = "2027-03-01"
HINT = " (a row names an appointment by date, intervention, session)"
SCHEDULE_HAS = "the schedule has job-club, msrp-home, offender-management"
BAD_DATE = (
    "attendance.csv: row 2: date: '32/01/2027' is not a date; write YYYY-MM-DD (or DD/MM/YYYY)"
)
TYPO = (
    "attendance.csv: row 4: intervention: 'msrp-hom' is not in the plan's schedule "
    f"(did you mean 'msrp-home'?); {SCHEDULE_HAS}"
)
# A bad date on row 2, a good row 3, a mistyped intervention on row 4 (the spreadsheet's rows).
ROWS = [
    "32/01/2027,msrp-home,1,attended_complied,",
    "2027-01-11,job-club,1,attended_complied,",
    "2027-01-18,msrp-hom,2,attended_complied,Jane Doe came by bus",
]


def attend(*args: str):
    return runner.invoke(build(), ["attend", *args, "--today", TODAY])


def refused(plan: Path, *args: str) -> tuple[str, str]:
    """Run `attend`, expect exit 3 and the plan file byte for byte as it was."""
    before = plan.read_bytes()
    result = attend(str(plan), *args)
    assert result.exit_code == 3, result.output
    assert result.stdout == ""
    assert "Traceback" not in result.output
    assert plan.read_bytes() == before
    return result.stderr, before.decode()


def test_a_bad_date_and_a_mistyped_intervention_in_one_run():
    plan = write_plan(scheduled_plan())
    err, _ = refused(plan, "--attendance", str(write_csv(ROWS)))
    assert err.splitlines() == [
        f"rarplan: error: attendance.csv: 2 problems{HINT}",
        f"rarplan: error: {BAD_DATE}",
        f"rarplan: error: {TYPO}",
    ]
    assert "Jane" not in err  # a note is personal data: never quoted
    assert load_plan(plan)[0].attendance == []  # row 3 is good, and not recorded either


def test_the_same_through_json():
    plan = write_plan(scheduled_plan())
    before = plan.read_bytes()
    result = attend(str(plan), "--attendance", str(write_csv(ROWS)), "--json")
    assert result.exit_code == 3, result.output
    assert result.stdout == ""
    assert json.loads(result.stderr) == {
        "error": {
            "code": "invalid_input",
            "exit_code": 3,
            "message": "attendance.csv: 2 problems",
            "hint": HINT.strip(" ()"),
            "problems": [BAD_DATE, TYPO],
        }
    }
    assert plan.read_bytes() == before


def test_a_row_with_a_read_slip_has_its_intervention_checked_too():
    """One row, two slips (an unknown outcome, an intervention in the wrong case): both named,
    the read slip first; a row that reads but is for no appointment says where its session is."""
    plan = write_plan(scheduled_plan())
    file = write_csv(
        [
            "2027-01-11,MSRP-Home,1,absent,Jane Doe",
            "2027-01-19,msrp-home,2,attended,",  # the Tuesday: session 2 was on the Monday
            "2027-01-11,msrp-home,9,attended,",  # no session 9; session 1 that day
        ]
    )
    err, _ = refused(plan, "--attendance", str(file))
    lines = [line.removeprefix("rarplan: error: ") for line in err.splitlines()]
    assert lines[0] == f"attendance.csv: 4 problems{HINT}"
    assert lines[1].startswith("attendance.csv: row 2: outcome: must be one of attended_complied")
    assert lines[2] == (
        "attendance.csv: row 2: intervention: 'MSRP-Home' is not in the plan's schedule "
        f"(did you mean 'msrp-home'?); {SCHEDULE_HAS}"
    )
    assert lines[3] == (
        "attendance.csv: row 3: no appointment in the schedule on 2027-01-19 for msrp-home "
        "session 2 (msrp-home session 2 is on 2027-01-18)"
    )
    assert lines[4] == (
        "attendance.csv: row 4: no appointment in the schedule on 2027-01-11 for msrp-home "
        "session 9 (msrp-home on 2027-01-11: session 1)"
    )
    assert "Jane" not in err


def test_only_read_slips_need_no_hint_about_appointments():
    """A file whose problems are all in reading its rows gets no hint about matching them."""
    plan = write_plan(scheduled_plan())
    file = write_csv(["32/01/2027,msrp-home,1,attended,", "2027-01-18,msrp-home,two,attended,"])
    err, _ = refused(plan, "--attendance", str(file))
    assert err.splitlines()[0] == "rarplan: error: attendance.csv: 2 problems"


def test_a_toml_file_names_every_row_by_its_key_path():
    plan = write_plan(scheduled_plan())
    Path("a.toml").write_text(
        '[[attendance]]\ndate = "32/01/2027"\nintervention = "msrp-home"\nsession = 1\n'
        'outcome = "attended"\n\n'
        '[[attendance]]\ndate = 2027-01-11\nintervention = "job-club"\nsession = 1\n'
        'outcome = "attended"\n\n'
        '[[attendance]]\ndate = 2027-01-18\nintervention = "msrp-hom"\nsession = 0\n'
        'outcome = "attended"\n'
    )
    err, _ = refused(plan, "--attendance", "a.toml")
    assert err.splitlines() == [
        f"rarplan: error: a.toml: 3 problems{HINT}",
        "rarplan: error: a.toml: attendance[0].date: '32/01/2027' is not a date; "
        "write YYYY-MM-DD (or DD/MM/YYYY)",
        "rarplan: error: a.toml: attendance[2].session: must be ≥ 1",
        "rarplan: error: a.toml: attendance[2].intervention: 'msrp-hom' is not in the plan's "
        f"schedule (did you mean 'msrp-home'?); {SCHEDULE_HAS}",
    ]


def test_a_json_attendance_file_too():
    plan = write_plan(scheduled_plan())
    rows = [
        {"date": "2027-01-11", "intervention": "job-clb", "session": 1, "outcome": "attended"},
        {"date": "2027-01-18", "intervention": "msrp-home", "session": 2, "outcome": "nope"},
    ]
    Path("a.json").write_text(json.dumps({"attendance": rows}))
    err, _ = refused(plan, "--attendance", "a.json")
    assert "a.json: 2 problems" in err
    assert "a.json: attendance[0].intervention: 'job-clb' is not in the plan's schedule " in err
    assert "(did you mean 'job-club'?)" in err
    assert "a.json: attendance[1].outcome: must be one of" in err


def test_a_file_whose_form_is_wrong_is_refused_with_its_row_slips():
    """No `attendance` table to match (a misspelt key): the file is refused at once, with the
    slips of the rows it has."""
    plan = write_plan(scheduled_plan())
    Path("a.toml").write_text(
        '[[attendance]]\ndate = 2027-01-11\nintervention = "msrp-home"\nsession = 1\n'
        'outcome = "attended"\nnote = 3\n\n[[attendence]]\nsession = 2\n'
    )
    err, _ = refused(plan, "--attendance", "a.toml")
    assert err.splitlines() == [
        "rarplan: error: a.toml: 2 problems",
        "rarplan: error: a.toml: attendance[0].note: must be a valid string",
        "rarplan: error: a.toml: attendence: unknown key (did you mean 'attendance'?); "
        "allowed: attendance",
    ]


def test_many_bad_rows_show_the_limit_and_json_lists_them_all():
    plan = write_plan(scheduled_plan())
    rows = ["32/01/2027,msrp-home,1,attended,"] + [
        f"2027-01-11,msrp-hom{i},1,attended," for i in range(MAX_PROBLEMS_SHOWN + 4)
    ]
    file = write_csv(rows)
    err, _ = refused(plan, "--attendance", str(file))
    lines = err.splitlines()
    total = MAX_PROBLEMS_SHOWN + 5
    assert lines[0] == f"rarplan: error: attendance.csv: {total} problems{HINT}"
    assert lines[1] == f"rarplan: error: {BAD_DATE}"
    assert lines[2].startswith("rarplan: error: attendance.csv: row 3: intervention: 'msrp-hom0'")
    assert lines[-1] == "rarplan: error: ... and 5 more (--json lists them all)"
    assert len(lines) == 1 + MAX_PROBLEMS_SHOWN + 1
    assert len(set(lines)) == len(lines)  # none repeated, the first problem not in the header
    result = attend(str(plan), "--attendance", str(file), "--json")
    problems = json.loads(result.stderr)["error"]["problems"]
    assert len(problems) == total == len(set(problems))
    assert problems[-1].startswith(f"attendance.csv: row {total + 1}: intervention: 'msrp-hom")


def test_two_rows_for_one_missing_appointment_are_each_named_once():
    plan = write_plan(scheduled_plan())
    row = "2027-01-12,msrp-home,2,attended,"
    err, _ = refused(plan, "--attendance", str(write_csv([row, row])))
    lines = err.splitlines()
    assert [line.split(": ")[3] for line in lines[1:]] == ["row 2", "row 3"]
    assert len(set(lines)) == 3


def test_the_library_reports_every_problem_and_changes_nothing():
    """`rarplan.record_attendance` (the library) checks the file in the same one pass."""
    model = scheduled_plan()
    write_csv(ROWS)
    with pytest.raises(InvalidInput) as caught:
        rarplan.record_attendance(model, "attendance.csv", today=date(2027, 3, 1))
    assert caught.value.problems == [BAD_DATE, TYPO]
    assert model.attendance == [] and model.history == []


# --- the outcomes file of `rarplan complete` -------------------------------------------------

OUTCOMES = """
[[outcome]]
intervention = "msrp-hom"
outcome = 1
result = "achieved"

[[outcome]]
intervention = "job-club"
outcome = 1
result = "acheived"
comment = "Jane Doe kept every session"

[[outcome]]
intervention = "JOB-CLUB"
outcome = 9
result = "done"
"""
OUTCOME_PROBLEMS = [
    "o.toml: outcome[0].intervention: 'msrp-hom' is not in the plan (did you mean "
    "'msrp-home'?); the plan has msrp-home, job-club",
    "o.toml: outcome[1].result: must be one of achieved, partly_achieved, not_achieved "
    "(did you mean 'achieved'?)",
    "o.toml: outcome[2].result: must be one of achieved, partly_achieved, not_achieved",
    "o.toml: outcome[2].intervention: 'JOB-CLUB' is not in the plan (did you mean "
    "'job-club'?); the plan has msrp-home, job-club",
]


def complete(plan: Path, *args: str):
    return runner.invoke(
        build(),
        ["complete", str(plan), "--today", TODAY, "--confirmed-by", "A Officer", *TEXTS, *args],
    )


def test_an_outcomes_file_names_every_problem_in_one_run():
    plan = plan_with_days(3)
    before = plan.read_bytes()
    Path("o.toml").write_text(OUTCOMES)
    result = complete(plan, "--outcomes", "o.toml")
    assert result.exit_code == 3, result.output
    assert result.stderr.splitlines() == [
        "rarplan: error: o.toml: 4 problems (name the intervention and the outcome's text or "
        "number)",
        *(f"rarplan: error: {p}" for p in OUTCOME_PROBLEMS),
    ]
    assert "Jane" not in result.stderr
    assert plan.read_bytes() == before
    assert not list(Path().glob("*.completion.toml"))  # no record written
    result = complete(plan, "--outcomes", "o.toml", "--json")
    assert result.exit_code == 3 and result.stdout == ""
    error = json.loads(result.stderr)["error"]
    assert (error["code"], error["exit_code"]) == ("invalid_input", 3)
    assert error["problems"] == OUTCOME_PROBLEMS
    assert plan.read_bytes() == before


def test_an_outcome_not_in_the_plan_and_a_good_file_after_the_fix():
    """The mistyped rows fixed, the same command completes."""
    plan = plan_with_days(3)
    Path("o.toml").write_text(ALL_OUTCOMES.replace('"msrp-home"', '"msrp-hme"'))
    result = complete(plan, "--outcomes", "o.toml")
    assert result.exit_code == 3
    assert "(did you mean 'msrp-home'?)" in result.stderr
    Path("o.toml").write_text(ALL_OUTCOMES)
    result = complete(plan, "--outcomes", "o.toml")
    assert result.exit_code == 0, result.output


def test_a_cell_not_shaped_like_an_id_is_described_not_quoted():
    """Issue 19, "Personal data never appears in messages": a shifted row can put a name in
    the intervention column; the error says what is wrong without repeating it. A slip in an
    id is still quoted, with the nearest id."""
    plan = write_plan(scheduled_plan())
    rows = [
        "2027-01-11,John Smith,1,attended_complied,",
        "2027-01-18,msrp-hom,2,attended_complied,",
    ]
    err, _ = refused(plan, "--attendance", str(write_csv(rows)))
    assert "John" not in err and "Smith" not in err
    assert "row 2: intervention: not an intervention id (not quoted" in err
    assert "row 3: intervention: 'msrp-hom' is not in the plan's schedule (did you mean" in err
