"""What a command shows: rich on a terminal, plain lines when piped (rarplan.cli.screen).

The plain path follows rich's markup grammar (rich.markup): held here to rich's own results
for any text, so a view's markup reads the same both ways."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.console import Console
from rich.errors import MarkupError
from rich.markup import escape as rich_escape
from rich.text import Text
from typer.testing import CliRunner

from rarplan.catalogue import load as cat
from rarplan.cli import output
from rarplan.cli.app import build
from rarplan.cli.screen import Table, escape, plain_text
from tests.conftest import REPO

CASE = REPO / "examples" / "cases" / "X100001.toml"
BOX = set("│┃━─┏┓┗┛┡┩╇┳┻")
runner = CliRunner()

# Text with what markup is made of: brackets, slashes, backslashes, tag-like words.
markupish = st.text(alphabet="ab [ ] / \\ # @ = bold dim", max_size=40)


@given(markupish)
def test_escape_is_riches_escape(text: str) -> None:
    assert escape(text) == rich_escape(text)


@given(markupish)
def test_escaped_text_reads_back_as_rich_reads_it(text: str) -> None:
    assert plain_text(escape(text)) == Text.from_markup(escape(text), emoji=False).plain


@given(
    st.lists(st.sampled_from(["[bold]", "[/bold]", "[dim]", "[/]", "x", " y ", "\\["]), max_size=12)
)
def test_markup_reads_as_rich_reads_it(parts: list[str]) -> None:
    markup = "".join(parts)
    try:
        expected = Text.from_markup(markup, emoji=False).plain
    except MarkupError:  # a closing tag with nothing open: rich refuses it, views never write it
        return
    assert plain_text(markup) == expected


def test_a_plain_table_is_a_title_a_header_and_a_line_a_row_aligned() -> None:
    table = Table(title="[bold]Caseload[/bold]", caption="Days: done/planned/ordered")
    table.add_column("CRN")
    table.add_column("Name")
    table.add_column("Days")
    table.add_row("X1", "Mentor Support ✔\n[dim]mentor-support[/dim]", "3/6/20")
    table.add_row("X22", escape("[not markup]"), "0/5/10")
    assert table.plain_lines() == [
        "Caseload",
        "CRN  Name                               Days",
        "X1   Mentor Support ✔ · mentor-support  3/6/20",
        "X22  [not markup]                       0/5/10",
        "Days: done/planned/ordered",
    ]


def test_a_plain_section_starts_after_a_blank_line_and_a_lone_label_widens_nothing() -> None:
    table = Table(show_header=False)
    table.add_column()
    table.add_column()
    table.add_row("w/c 11 Jan 2027 (a long week label)")
    table.add_row("Mon", "10:00")
    table.add_section()
    table.add_row("w/c 18 Jan 2027")
    table.add_row("Tue", "11:00")
    assert table.plain_lines() == [
        "w/c 11 Jan 2027 (a long week label)",
        "Mon  10:00",
        "",
        "w/c 18 Jan 2027",
        "Tue  11:00",
    ]


def test_on_a_terminal_the_same_table_is_riches() -> None:
    table = Table(title="Interventions", options={"expand": False})
    table.add_column("intervention", overflow="fold")
    table.add_column("status")
    table.add_row("Mentor Support ✔\n[dim]mentor-support[/dim]", "[green]eligible[/green]")
    screen = io.StringIO()
    Console(file=screen, width=60, color_system=None).print(table)
    drawn = screen.getvalue()
    assert "┃ intervention" in drawn and "│ Mentor Support ✔" in drawn
    assert "│ mentor-support" in drawn and "eligible" in drawn and "[green]" not in drawn


@pytest.fixture
def piped() -> None:
    output.console.cache_clear()


@pytest.mark.usefixtures("piped")
def test_assess_piped_shows_a_line_an_intervention_with_its_whole_name_and_id() -> None:
    result = runner.invoke(build(), ["assess", str(CASE), "--no-plan"])
    assert result.exit_code == 0, result.output
    assert not BOX & set(result.stdout)
    catalogue = cat.load_chosen(None)
    lines = result.stdout.splitlines()
    for entry_id in ("msrp-home", "mentor-support", "job-club"):
        name = catalogue.entries[entry_id].name
        [line] = [line for line in lines if f"· {entry_id} " in line]
        assert line.startswith(name)
        assert "eligible" in line
    assert not [line for line in lines if line != line.rstrip()]  # nothing padded


@pytest.mark.usefixtures("piped")
def test_status_piped_is_a_line_a_plan_for_grep(tmp_path: Path) -> None:
    for crn in ("X100001", "X100002"):
        case = REPO / "examples" / "cases" / f"{crn}.toml"
        plan = str(tmp_path / f"{crn}.plan.toml")
        assert (
            runner.invoke(build(), ["assess", str(case), "--no-input", "--out", plan]).exit_code
            == 0
        )
    result = runner.invoke(build(), ["status", str(tmp_path), "--today", "2027-01-04"])
    assert result.exit_code == 0, result.output
    assert not BOX & set(result.stdout)
    header, *rows = result.stdout.splitlines()
    assert header.split()[:3] == ["CRN", "Band", "Days"]
    assert sorted(row.split()[0] for row in rows) == ["X100001", "X100002"]
