"""Nothing leaked (issue 6): a person's name and date of birth stay in the plan file only.

They never appear in output, messages, file names, calendars or documents unless asked for
with --with-names, and every file rarplan writes is readable by the owner only.
"""

from __future__ import annotations

import os
from pathlib import Path

from typer.testing import CliRunner

from rarplan.cli.app import build
from tests.conftest import REPO

NAME = "Zebedee Quillfeather"
DOB = "1990-04-17"
runner = CliRunner()


def run(*args: str):
    result = runner.invoke(build(), list(args))
    return result, result.stdout + result.stderr


def test_name_and_date_of_birth_never_leak(tmp_path: Path):
    case = (REPO / "examples" / "cases" / "X100001.toml").read_text()
    case = case.replace('crn = "X100001"', f'crn = "X100001"\nname = "{NAME}"')
    case = case.replace("age = 34\n", f"date_of_birth = {DOB}\n")
    (tmp_path / "case.toml").write_text(case)
    outputs = []
    steps = [
        ("assess", "case.toml"),
        ("assess", "case.toml", "--json", "--no-plan"),
        ("assess", "case.toml"),  # refused: the plan exists (exit 5)
        ("schedule", "X100001.plan.toml", "--ics", "X100001.ics"),
        (
            "attend",
            "X100001.plan.toml",
            "--attendance",
            str(REPO / "examples" / "attendance.csv"),
            "--today",
            "2027-03-02",
        ),
        (
            "complete",
            "X100001.plan.toml",
            "--outcomes",
            str(REPO / "examples" / "outcomes.toml"),
            "--today",
            "2027-03-02",
            "--no-input",
            "--confirmed-by",
            "RO 1",
            "--rationale",
            "r",
            "--progress",
            "p",
            "--outcome",
            "o",
        ),
        ("verify", "X100001.completion.toml", "X100001.plan.toml"),
        ("status", ".", "--today", "2027-03-02"),
        ("render", "X100001.plan.toml", "--for", "person", "--out", "person.html"),
        ("render", "X100001.plan.toml", "--for", "person"),  # court: pre-sentence only
        ("render", "X100001.plan.toml", "--for", "referral"),
    ]
    for step in steps:
        result, text = run(*step)
        assert result.exit_code in (0, 5), (step, text)
        outputs.append(text)
    everything = "\n".join(outputs)
    assert NAME not in everything and "Quillfeather" not in everything
    assert DOB not in everything
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert all("Quillfeather" not in p.name for p in files)
    for path in files:
        if path.name in ("case.toml",) or path.parent.name == ".cache":
            continue
        assert oct(path.stat().st_mode & 0o777) == "0o600", path
        text = path.read_text(errors="replace")
        if not path.name.endswith(".plan.toml") and ".rarplan-history" not in str(path):
            assert "Quillfeather" not in text, path.name
    assert NAME in (tmp_path / "X100001.plan.toml").read_text()  # kept in the plan only


def test_with_names_puts_the_name_in_exports_when_asked(tmp_path: Path):
    case = (REPO / "examples" / "cases" / "X100001.toml").read_text()
    (tmp_path / "case.toml").write_text(
        case.replace('crn = "X100001"', f'crn = "X100001"\nname = "{NAME}"')
    )
    os.chdir(tmp_path)
    assert run("assess", "case.toml")[0].exit_code == 0
    assert run("schedule", "X100001.plan.toml", "--ics", "a.ics", "--with-names")[0].exit_code == 0
    assert "Quillfeather" in Path("a.ics").read_text()
    result, text = run("render", "X100001.plan.toml", "--for", "person", "--with-names")
    assert result.exit_code == 0 and "Quillfeather" in result.stdout
