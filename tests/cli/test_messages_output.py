"""Issue 20, "Output and messages": the assessment table at 80 columns, each reason once, and
the progress bar of long work (on a terminal only, never under --json or -q)."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from rarplan.catalogue import load as cat
from rarplan.cli import output
from rarplan.cli.app import build
from rarplan.model.needs import NEED_LABELS
from tests.conftest import REPO

CASES = REPO / "examples" / "cases"
runner = CliRunner()


@pytest.fixture
def narrow(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """An 80-column terminal (the console is made once a process: made again here)."""
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setattr(output, "stdout_is_terminal", lambda: True)
    output.console.cache_clear()
    yield
    output.console.cache_clear()


def columns(text: str) -> list[str]:
    """The table's columns, each cell's wrapped lines joined back with spaces."""
    cells: list[list[str]] = []
    for line in text.splitlines():
        if line.startswith("│"):
            parts = [part.strip() for part in line.split("│")[1:-1]]
            cells.extend([] for _ in range(len(parts) - len(cells)))
            for at, part in enumerate(parts):
                if part:
                    cells[at].append(part)
    return [" ".join(column) for column in cells]


@pytest.mark.parametrize("crn", ["X100001", "X100002", "X100007", "X100010"])
def test_the_assessment_table_at_80_columns_cuts_no_name_short(narrow, crn):
    """Names wrap in their cells, never end in "…": every intervention shown is there by its
    full name (with its id), every need area in words, never as its key."""
    result = runner.invoke(build(), ["assess", str(CASES / f"{crn}.toml"), "--no-plan"])
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert "…" not in text
    assert max(len(line) for line in text.splitlines()) <= 80
    names, _, needs, _ = columns(text)
    catalogue = cat.load_chosen(None)
    shown = [entry for entry in catalogue.entries.values() if f" {entry.id}" in f" {names} "]
    assert len(shown) >= 3, names
    for entry in shown:
        assert entry.name in names, entry.id
    plan = json.loads(
        runner.invoke(build(), ["assess", str(CASES / f"{crn}.toml"), "--json", "--no-plan"]).stdout
    )
    for need in plan["needs"]:
        assert need not in needs  # never the key ("education_training_employment")
    assert any(NEED_LABELS[need] in needs for need in plan["needs"])


def test_treatment_requirements_are_named_in_words(narrow, tmp_path):
    """No "Treatment first: drug_rehabilitation": the requirement by its name."""
    case = (
        (CASES / "X100001.toml")
        .read_text()
        .replace(
            'other_requirements = ["unpaid_work"]',
            'other_requirements = ["unpaid_work", "drug_rehabilitation"]',
        )
    )
    path = tmp_path / "drugs.toml"
    path.write_text(case)
    result = runner.invoke(build(), ["assess", str(path), "--no-plan"])
    assert result.exit_code == 0, result.output
    assert "drug_rehabilitation" not in result.stdout
    assert "Treatment first: drug rehabilitation requirement (DRR)" in result.stdout


def test_each_reason_is_shown_once(narrow):
    """The criteria many interventions share (works shifts, speaks English) are listed once,
    numbered; each row names its reasons by number."""
    result = runner.invoke(build(), ["assess", str(CASES / "X100007.toml"), "--no-plan"])
    assert result.exit_code == 0, result.output
    text = " ".join(result.stdout.split())
    assert text.count("circumstances.works_shifts") == 1
    assert text.count("“Individuals unable to speak English”") == 1
    assert "(works shifts)" not in text  # the key once, not "key (key in words)"
    notes = result.stdout.split("Why excluded, or what to check")[1]
    numbers = [line.split(".")[0].strip() for line in notes.splitlines()[1:] if line[:4].strip()]
    numbers = [n for n in numbers if n.isdigit()]
    assert numbers == [str(n) for n in range(1, len(numbers) + 1)]
    why = columns(result.stdout)[3]
    assert why and set(why.replace(",", " ").split()) <= set(numbers)


# --- Progress on long work ------------------------------------------------------------------


def cases_file(folder: Path, count: int = 3) -> Path:
    path = folder / "cases.jsonl"
    rows = [{"crn": f"X{200000 + n}", "scores": {"ogrs": 40 + n}} for n in range(count)]
    path.write_text("".join(json.dumps(row) + "\n" for row in rows))
    return path


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> io.StringIO:
    """stderr as a terminal: the progress bar's console writes here."""
    screen = io.StringIO()
    console = Console(file=screen, force_terminal=True, width=80, color_system=None)
    monkeypatch.setattr(output, "err_console", lambda: console)
    monkeypatch.setattr(output, "stderr_is_terminal", lambda: True)
    return screen


def test_assess_batch_shows_no_progress_when_stderr_is_not_a_terminal(tmp_path):
    result = runner.invoke(build(), ["assess", "--batch", str(cases_file(tmp_path)), "--no-plan"])
    assert result.exit_code == 0, result.output
    assert result.stderr == "assessed 3 case(s); 0 failed\n"


def test_assess_batch_shows_a_progress_bar_on_a_terminal(tmp_path, terminal):
    result = runner.invoke(build(), ["assess", "--batch", str(cases_file(tmp_path)), "--no-plan"])
    assert result.exit_code == 0, result.output
    assert "cases" in terminal.getvalue() and "3/3" in terminal.getvalue()
    assert len(result.stdout.splitlines()) == 3  # the data is untouched


@pytest.mark.parametrize("flag", ["--json", "-q"])
def test_no_progress_bar_under_json_or_quiet(tmp_path, terminal, flag):
    result = runner.invoke(
        build(), ["assess", "--batch", str(cases_file(tmp_path)), "--no-plan", flag]
    )
    assert result.exit_code == 0, result.output
    assert terminal.getvalue() == ""


def plans_folder(folder: Path) -> Path:
    plans = folder / "plans"
    result = runner.invoke(
        build(), ["assess", "--batch", str(cases_file(folder)), "--out-dir", str(plans), "-q"]
    )
    assert result.exit_code == 0, result.output
    return plans


def test_schedule_batch_shows_a_progress_bar_on_a_terminal(tmp_path, terminal):
    plans = plans_folder(tmp_path)
    files = sorted(str(p) for p in plans.glob("*.plan.toml"))
    result = runner.invoke(build(), ["schedule", *files, "--start", "2027-01-04"])
    assert "plans" in terminal.getvalue() and "3/3" in terminal.getvalue(), result.output


def test_status_shows_a_progress_bar_on_a_terminal_and_not_otherwise(tmp_path, terminal):
    plans = plans_folder(tmp_path)
    quiet = runner.invoke(build(), ["status", str(plans), "--json"])
    assert quiet.exit_code == 0, quiet.output
    assert terminal.getvalue() == ""
    result = runner.invoke(build(), ["status", str(plans)])
    assert result.exit_code == 0, result.output
    assert "3/3" in terminal.getvalue()


@pytest.mark.parametrize("crn", ["X100001", "X100007"])
def test_the_assessment_table_is_grouped_chosen_eligible_to_check_excluded(crn):
    """Issue 20, "The eligibility table ... grouped (eligible and meeting a need first, then to
    check, then excluded)": the case-file table keeps the wizard's order (piped: a row a line)."""
    output.console.cache_clear()
    result = runner.invoke(build(), ["assess", str(CASES / f"{crn}.toml"), "--no-plan"])
    assert result.exit_code == 0, result.output
    rows = [line for line in result.stdout.splitlines() if " · " in line]
    rank = {"eligible": 1, "check": 2, "excluded": 3}
    order = [
        0 if "✔" in row else next(r for w, r in rank.items() if f"  {w}  " in row) for row in rows
    ]
    assert len(rows) >= 3 and order == sorted(order)
    assert {1, 3} & set(order)  # more than one group shown
