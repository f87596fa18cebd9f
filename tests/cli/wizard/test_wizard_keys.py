"""The wizard's keys and words (issue 20): y/n answers, going back (Ctrl-B or `back`), a
refused answer's reason next to its question, both date forms, multi-selects that say what was
ticked, and questions wrapped at word boundaries."""

from __future__ import annotations

import re
from io import StringIO
from pathlib import Path

import pytest
from prompt_toolkit.application import create_app_session
from prompt_toolkit.data_structures import Size
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output.vt100 import Vt100_Output

from rarplan.catalogue.models import Catalogue
from rarplan.cli.wizard import ask
from rarplan.cli.wizard import case as wc
from rarplan.cli.wizard.draft import Draft
from rarplan.cli.wizard.run import _with_back
from tests.cli.wizard.test_wizard import CLEAR, DOWN, ENTER, SPACE, UP, drive

CTRL_B = "\x02"


@pytest.mark.parametrize(
    ("keys", "default", "expected"),
    [
        ("y", None, True),
        ("Y", None, True),
        ("n", None, False),
        ("?", None, None),  # not known: possible, never the default
        (ENTER, True, True),  # Enter takes the answer shown
        (ENTER, False, False),
        ("x" + ENTER + "n", None, False),  # another key, or Enter with no answer: asked on
    ],
)
def test_yes_no_questions_answer_with_one_key(keys: str, default: bool | None, expected) -> None:
    assert drive(keys, ask.ask_yes_no, "Was the offence impulsive?", default) is expected


def test_yes_no_without_not_known_ignores_the_question_mark() -> None:
    assert drive("?" + "y", ask.ask_yes_no, "Write it?", None, unknown=False) is True


def test_ctrl_b_and_typing_back_return_to_the_previous_question(
    tmp_path: Path, catalogue: Catalogue
) -> None:
    """Ctrl-B at the sex question goes back to the name; `back` typed at the age goes back to
    the sex; each comes back with its answer as the default, and the walk carries on."""
    s = wc.Session(catalogue, Draft(tmp_path / "d"))
    keys = "X100001" + ENTER + ENTER  # CRN, name left blank
    keys += CTRL_B  # at Sex: back to Name
    keys += CLEAR + "Alice" + ENTER + UP * 2 + ENTER  # Name, then Sex: Male
    keys += "back" + ENTER  # at Age: back to Sex (pointing at Male)
    keys += DOWN + ENTER + "34" + ENTER + ENTER  # Female, age 34, region not recorded
    drive(keys, _with_back, s.draft, lambda: wc.identity(s))
    assert s.draft.data == {"crn": "X100001", "name": "Alice", "sex": "female", "age": 34}


def test_back_at_the_first_question_asks_it_again(
    tmp_path: Path, catalogue: Catalogue, capsys: pytest.CaptureFixture[str]
) -> None:
    s = wc.Session(catalogue, Draft(tmp_path / "d"))
    keys = CTRL_B + "X100001" + ENTER + ENTER + UP * 2 + ENTER + "34" + ENTER + ENTER
    drive(keys, _with_back, s.draft, lambda: wc.identity(s))
    assert s.draft.data["crn"] == "X100001"
    assert "This is the first question." in capsys.readouterr().out


def screen(keys: str, fn, *args, **kwargs) -> tuple[object, str]:
    """Run `fn` at an 80-column terminal; its answer and the text drawn (escapes removed)."""
    drawn = StringIO()
    output = Vt100_Output(drawn, lambda: Size(rows=24, columns=80), term="xterm")
    with create_pipe_input() as inp, create_app_session(input=inp, output=output):
        inp.send_text(keys)
        answer = fn(*args, **kwargs)
    text = re.sub(
        r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]|\x1b\][^\x07]*\x07", "", drawn.getvalue()
    )
    return answer, text


def test_a_refused_answer_says_why_next_to_the_question(tmp_path: Path) -> None:
    """The reason takes the hint's place on the question's own line (not the terminal's
    bottom line), and the answer typed stays to correct."""
    d = Draft(tmp_path / "d", {"crn": "X100001"})
    keys = "six" + ENTER + CLEAR + "6" + ENTER
    value, text = screen(
        keys, ask.text, d, "offence.previous_convictions", "Number of previous convictions"
    )
    assert value == 6
    line = next(line for line in text.splitlines() if "✗" in line)
    assert "Number of previous convictions" in line
    assert "Enter a whole number" in line


@pytest.mark.parametrize("typed", ["11/01/2027", "2027-01-11", "11/1/2027", " 2027-01-11 "])
def test_dates_are_typed_either_way(tmp_path: Path, typed: str) -> None:
    d = Draft(tmp_path / "d", {"crn": "X100001"})
    drive(CLEAR + typed + ENTER, ask.text, d, "sentence.start_date", "Start date", required=True)
    assert d.data["sentence"]["start_date"] == "2027-01-11"


def test_a_date_that_is_not_one_is_refused_with_both_forms_named(tmp_path: Path) -> None:
    d = Draft(tmp_path / "d", {"crn": "X100001"})
    keys = "31/02/2027" + ENTER + CLEAR + "28/02/2027" + ENTER
    _, text = screen(keys, ask.text, d, "sentence.start_date", "Start date", required=True)
    assert "'31/02/2027' is not a date; write YYYY-MM-DD (or DD/MM/YYYY)" in text
    assert d.data["sentence"]["start_date"] == "2027-02-28"


def test_a_multi_select_echoes_what_was_ticked(capsys: pytest.CaptureFixture[str]) -> None:
    choices = [("a", "Accommodation"), ("d", "Drug misuse"), ("f", "Finance, benefits and debt")]
    keys = SPACE + DOWN + DOWN + SPACE + ENTER
    assert drive(keys, ask.tick, "Needs identified (OASys)", choices, []) == ["a", "f"]
    out = capsys.readouterr().out
    assert "? Needs identified (OASys) Accommodation, Finance, benefits and debt" in out
    assert "selections" not in out


def test_questions_wrap_at_word_boundaries(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "50")
    message = (
        "Does the person admit responsibility for at least one act of domestic abuse, "
        "whatever the index offence?"
    )
    shown, hint = ask.wrap(message, "(y/n, ? if not known)")
    lines = [line.strip() for line in shown.splitlines()]
    assert all(len(line) <= 47 for line in lines)
    assert " ".join(lines).split() == message.split()  # no word cut in two
    assert hint == "(y/n, ? if not known)"
