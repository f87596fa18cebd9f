"""Issue 20, "Output and messages": one test per kind of slip an officer makes, each asserting
the one-line wording (what is wrong, where, what is allowed, how to fix it)."""

from __future__ import annotations

import json
import re
import tomllib
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rarplan.cli import main as cli_main
from rarplan.cli.app import build
from tests.conftest import REPO

CASES = REPO / "examples" / "cases"
CASE = CASES / "X100001.toml"
runner = CliRunner()


def rarplan(*args: str, stdin: str | None = None):
    return runner.invoke(build(), list(args), input=stdin)


def run_main(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Through `rarplan.cli.main.run`, which words the parser's usage errors."""
    with pytest.raises(SystemExit) as exit_info:
        cli_main.run(args)
    out, err = capsys.readouterr()
    return int(exit_info.value.code or 0), out, err


def error_lines(result) -> list[str]:
    lines = result.stderr.splitlines()
    assert all(line.startswith("rarplan: error: ") for line in lines), result.stderr
    return [line.removeprefix("rarplan: error: ") for line in lines]


def a_plan(tmp_path: Path) -> Path:
    plan = tmp_path / "X100001.plan.toml"
    result = rarplan("assess", str(CASE), "--out", str(plan), "-q")
    assert result.exit_code == 0, result.output
    return plan


def slipped_case(tmp_path: Path, *edits: tuple[str, str]) -> Path:
    text = CASE.read_text()
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    path = tmp_path / "case.toml"
    path.write_text(text)
    return path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path


# --- Case files: did-you-mean, every problem in one pass, none repeated ---------------------


def test_an_unknown_case_key_suggests_the_nearest():
    """`ogr` for `ogrs`: where (file and key), what is wrong, the key meant, what is allowed."""
    case = slipped_case(Path.cwd(), ("ogrs = 62", "ogr = 62"))
    result = rarplan("assess", str(case), "--no-plan")
    assert result.exit_code == 3
    (line,) = error_lines(result)
    assert line.startswith(
        "case.toml: scores.ogr: unknown key (did you mean 'ogrs'?); allowed: ogrs, arp, ovp,"
    )
    assert line.endswith("(see docs/data.md, 'Case files')")


def test_a_value_outside_its_choices_suggests_the_nearest():
    case = slipped_case(Path.cwd(), ('sex = "male"', 'sex = "mal"'))
    result = rarplan("assess", str(case), "--no-plan")
    assert error_lines(result) == [
        "case.toml: sex: must be 'male' or 'female' (did you mean 'male'?) "
        "(see docs/data.md, 'Case files')"
    ]


def test_every_problem_of_a_case_file_in_one_pass_and_none_repeated():
    """Three slips, three lines, after one line counting them: the first problem is not
    repeated in that line (a file is fixed in one round, not three)."""
    case = slipped_case(
        Path.cwd(), ("ogrs = 62", "ogr = 62"), ("ovp = 18", "ovp = 180"), ('"male"', '"mal"')
    )
    result = rarplan("assess", str(case), "--no-plan")
    assert result.exit_code == 3
    lines = error_lines(result)
    assert lines[0] == "case.toml: 3 problems (see docs/data.md, 'Case files')"
    assert lines[1:] == [
        "case.toml: sex: must be 'male' or 'female' (did you mean 'male'?)",
        "case.toml: scores.ovp: must be ≤ 100",
        lines[3],
    ]
    assert lines[3].startswith("case.toml: scores.ogr: unknown key (did you mean 'ogrs'?)")
    assert len(set(lines)) == len(lines)
    error = json.loads(rarplan("assess", str(case), "--json").stderr)["error"]
    assert error["message"] == "case.toml: 3 problems"
    assert error["problems"] == lines[1:]


def test_a_long_list_of_problems_stops_at_a_sensible_limit(capsys):
    from rarplan.cli.output import MAX_PROBLEMS_SHOWN, report
    from rarplan.files.validation import problems_error

    problems = [f"cases.csv: row {n}: scores.ogrs: must be ≤ 100" for n in range(2, 32)]
    assert report(problems_error(problems, hint="fix the rows"), json_mode=False) == 3
    lines = capsys.readouterr().err.splitlines()
    assert lines[0] == "rarplan: error: cases.csv: 30 problems (fix the rows)"
    assert lines[1 : MAX_PROBLEMS_SHOWN + 1] == [f"rarplan: error: {p}" for p in problems[:20]]
    assert lines[-1] == "rarplan: error: ... and 10 more (--json lists them all)"


def test_an_older_message_that_starts_with_its_first_problem_is_not_repeated(capsys):
    """Whatever builds the error: the count line never carries the first problem again."""
    from rarplan.cli.output import report
    from rarplan.model.errors import InvalidInput

    problems = ["plan.toml: crn: required", "plan.toml: case: required"]
    err = InvalidInput(f"plan.toml: 2 problems: {problems[0]}", problems=problems)
    report(err, json_mode=False)
    assert capsys.readouterr().err.splitlines() == [
        "rarplan: error: plan.toml: 2 problems",
        "rarplan: error: plan.toml: crn: required",
        "rarplan: error: plan.toml: case: required",
    ]


def test_a_day_first_date_in_a_case_file_is_read():
    """A date as officers write it, "01/03/2027" (DD/MM/YYYY), read as 1 March 2027."""
    case = slipped_case(Path.cwd(), ("start_date = 2027-01-11", 'start_date = "01/03/2027"'))
    result = rarplan("assess", str(case), "--out", "X.plan.toml", "-q")
    assert result.exit_code == 0, result.output
    plan = tomllib.loads(Path("X.plan.toml").read_text())
    assert plan["case"]["sentence"]["start_date"] == date(2027, 3, 1)


# --- The wrong kind of file ---------------------------------------------------------------


def test_a_case_file_given_where_a_plan_is_expected(tmp_path):
    result = rarplan("schedule", str(CASE))
    assert result.exit_code == 3
    assert error_lines(result) == [
        f"{CASE}: this is a case file, not a plan file "
        f"(run `rarplan assess {CASE}` first to make its plan)"
    ]


def test_a_plan_given_where_a_case_is_expected(tmp_path):
    plan = a_plan(tmp_path)
    result = rarplan("assess", str(plan), "--no-plan")
    assert result.exit_code == 3
    assert error_lines(result) == [
        f"{plan}: this is a plan file, not a case file "
        "(a plan goes to `rarplan schedule`, `show`, `render` or `amend`)"
    ]


def test_a_completion_record_given_where_a_plan_is_expected(tmp_path):
    plan = a_plan(tmp_path)
    ended = rarplan(
        "end", str(plan), "--reason", "revoked", "--note", "At court", "--confirmed-by", "RO1",
        "--today", "2027-02-01",
    )  # fmt: skip
    assert ended.exit_code == 0, ended.output
    record = tmp_path / "X100001.end.toml"
    for command in ("schedule", "show", "render"):
        result = rarplan(command, str(record))
        assert result.exit_code == 3, command
        assert error_lines(result) == [
            f"{record}: this is a completion record, not a plan file "
            f"(check it against its plan with `rarplan verify {record} PLAN`)"
        ], command


def test_a_plan_given_where_a_completion_record_is_expected(tmp_path):
    """`rarplan verify PLAN RECORD`, the two swapped: which file it is, and the order."""
    plan = a_plan(tmp_path)
    result = rarplan("verify", str(plan), str(plan))
    assert result.exit_code == 3
    assert error_lines(result) == [
        f"{plan}: this is a plan file, not a completion record (a plan goes to "
        "`rarplan schedule`, `show`, `render` or `amend`; `rarplan verify` takes the record "
        "first, then its plan)"
    ]


# --- Options and catalogue ids ------------------------------------------------------------


def test_an_option_value_suggests_the_nearest_choice(capsys):
    code, out, err = run_main(["schedule", "X1.plan.toml", "--strategy", "stedy"], capsys)
    assert code == 2 and out == ""
    assert err == (
        "rarplan: usage error: --strategy: 'stedy' is not allowed (did you mean 'steady'?); "
        "allowed: steady, compact (see `rarplan schedule --help`)\n"
    )


def test_an_option_value_far_from_any_choice_lists_them(capsys):
    """`--strategy fast`: no "Value error, ... is not one of" from the parser's insides."""
    code, _, err = run_main(["schedule", "X1.plan.toml", "--strategy", "fast"], capsys)
    assert code == 2
    assert err == (
        "rarplan: usage error: --strategy: 'fast' is not allowed; allowed: steady, compact "
        "(see `rarplan schedule --help`)\n"
    )


def test_an_unknown_catalogue_id_suggests_the_nearest():
    result = rarplan("catalogue", "show", "msrp-hom")
    assert result.exit_code == 3
    (line,) = error_lines(result)
    assert "no intervention with id 'msrp-hom' (did you mean: msrp-home, " in line


# --- Sources by title and section ---------------------------------------------------------


def test_sources_are_named_by_title_and_section_not_by_file():
    """Officers read "RAR guidance (Ministry of Justice, 2019), section 3", never
    "001_246201b7ec5ee73b.txt" (docs/sources/README.md holds the titles)."""
    band = rarplan("band", "62")
    assert band.exit_code == 0, band.output
    assert "Source: RAR guidance (Ministry of Justice, 2019), section 3" in band.stdout
    shown = rarplan("catalogue", "show", "msrp-home")
    assert "Source: KSS CRC rate card, Accommodation services" in " ".join(shown.stdout.split())
    for result in (band, shown):
        assert not re.search(r"\d{3}_[0-9a-f]{16}\.txt", result.stdout), result.stdout


def test_every_source_file_has_a_title():
    from rarplan.model.sources import TITLES

    seeds = {p.name for p in (REPO / "docs" / "sources").glob("*.txt")}
    references = {f"reference/{p.name}" for p in (REPO / "docs/sources/reference").glob("*.md")}
    assert seeds | references == set(TITLES)


# --- Quiet ---------------------------------------------------------------------------------


def test_assess_quiet_prints_nothing_but_writes_the_plan(tmp_path):
    out = tmp_path / "q.plan.toml"
    result = rarplan("assess", str(CASE), "--out", str(out), "-q")
    assert result.exit_code == 0, result.output
    assert result.stdout == "" and result.stderr == ""
    assert out.is_file()


def test_assess_quiet_still_prints_errors():
    case = slipped_case(Path.cwd(), ("ogrs = 62", "ogr = 62"))
    result = rarplan("assess", str(case), "-q", "--no-plan")
    assert result.exit_code == 3
    assert result.stdout == "" and len(error_lines(result)) == 1


def test_schedule_quiet_prints_nothing_but_schedules(tmp_path):
    plan = a_plan(tmp_path)
    result = rarplan("schedule", str(plan), "-q")
    assert result.exit_code == 0, result.output
    assert result.stdout == "" and result.stderr == ""
    assert tomllib.loads(plan.read_text())["schedule"]["appointments"]
