"""The wizard's sections one at a time (only relevant questions, answers checked by the case
model), the judgement questions for a case file, and the command's exit codes."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
import typer.testing
from typer.testing import CliRunner

from rarplan.catalogue.models import Catalogue
from rarplan.cli.app import build
from rarplan.cli.output import guard
from rarplan.cli.wizard import case as wc
from rarplan.cli.wizard import plan as wp
from rarplan.cli.wizard import scores as ws
from rarplan.cli.wizard.draft import RESUME_HINT, Draft
from rarplan.cli.wizard.run import answer_checks, run_wizard
from rarplan.model.errors import UsageError
from tests import factories
from tests.cli.wizard.test_wizard import (
    CLEAR,
    CTRL_C,
    DOWN,
    ENTER,
    IDENTITY,
    UP,
    drafts,
    drive,
)


def session(tmp_path: Path, catalogue: Catalogue, **answers: object) -> wc.Session:
    return wc.Session(catalogue, Draft(tmp_path / "d", {"crn": "X100001", **answers}))


def test_answers_are_checked_before_they_are_kept(tmp_path: Path, catalogue: Catalogue) -> None:
    """A CRN is a letter and six digits; an age is 10 to 120: the wizard waits for a valid one."""
    s = wc.Session(catalogue, Draft(tmp_path / "d"))
    keys = "bad" + ENTER + CLEAR + "x100001" + ENTER + ENTER + UP * 2 + ENTER
    keys += "9" + ENTER + CLEAR + "1990-02-30" + ENTER + CLEAR + "1990-02-28" + ENTER + ENTER
    drive(keys, wc.identity, s)
    assert s.draft.data == {"crn": "X100001", "sex": "male", "date_of_birth": "1990-02-28"}
    assert (tmp_path / "d" / "X100001.json").exists()  # named by CRN, never by name


def test_ogrs_can_be_estimated_from_the_ogrs3_inputs(tmp_path: Path, catalogue: Catalogue) -> None:
    s = session(tmp_path, catalogue, age=34)
    keys = DOWN + ENTER + "e" + ENTER + ENTER  # OGRS3; estimate; sex (not recorded yet): male
    keys += ENTER + ENTER + "7" + ENTER + "17" + ENTER + ENTER  # ages 34, 34; category: violence
    keys += ENTER + ENTER + ENTER * 4
    drive(keys, ws.scores, s)
    assert s.draft.data["sex"] == "male"
    assert s.draft.data["ogrs3"] == {
        "age_at_conviction": 34,
        "age_at_follow_up": 34,
        "sanctions": 7,
        "age_at_first_sanction": 17,
        "offence": "violence",
    }
    assert "ogrs" not in s.draft.data.get("scores", {})
    assert s.ogrs() is not None


def test_answer_checks_records_the_officers_judgement(catalogue: Catalogue) -> None:
    """A case file's open judgement questions are asked in a terminal; answers go in checks."""
    case = factories.case()
    pending = wp.open_checks(case, catalogue)
    assert pending
    answered = drive("y" + "y" * len(pending), answer_checks, case, catalogue)
    assert answered.checks == {key: True for key, _, _ in pending}
    assert wp.open_checks(answered, catalogue) == []


def test_answer_checks_can_be_skipped(catalogue: Catalogue) -> None:
    case = factories.case()
    assert drive("n", answer_checks, case, catalogue) == case
    done = case.model_copy(
        update={"checks": {k: False for k, _, _ in wp.pending_checks(case, catalogue)}}
    )
    assert drive("", answer_checks, done, catalogue) == done  # nothing to ask: no prompt


def test_resume_without_a_draft_is_a_usage_error(catalogue: Catalogue) -> None:
    with pytest.raises(UsageError, match="no draft to resume"):
        run_wizard(catalogue, out=None, force=False, resume=True, case_file=None)


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the runner's stdin look like a terminal, so `assess` runs the wizard."""
    monkeypatch.setattr(typer.testing._NamedTextIOWrapper, "isatty", lambda self: True)


@pytest.mark.usefixtures("terminal")
def test_ctrl_c_through_the_command_exits_130_and_says_how_to_resume(tmp_path: Path) -> None:
    result = drive(IDENTITY + CTRL_C, CliRunner().invoke, build(), ["assess"])
    assert result.exit_code == 130, result.output
    assert RESUME_HINT in result.stderr
    assert (drafts(tmp_path) / "X100001.json").exists()


@pytest.mark.usefixtures("terminal")
def test_resume_without_a_draft_exits_2() -> None:
    result = CliRunner().invoke(build(), ["assess", "--resume"])
    assert result.exit_code == 2, result.output
    assert "no draft to resume" in result.stderr


def test_guard_maps_an_interrupted_wizard_to_130(catalogue: Catalogue) -> None:
    def command(**_: object) -> None:
        run_wizard(catalogue, out=None, force=False, resume=False, case_file=None)

    with pytest.raises(typer.Exit) as exit_:
        drive(IDENTITY + CTRL_C, guard(command))
    assert exit_.value.exit_code == 130


def test_the_wizard_asks_for_arp_first(tmp_path: Path, catalogue: Catalogue) -> None:
    """Issue 18: the officer has an ARP score by default (docs/predictors.md, "ARP in a case
    file"); OGRS3 is one key away."""
    s = session(tmp_path, catalogue)
    keys = ENTER + "58" + ENTER + ENTER + ENTER * 4 + ENTER * 4  # ARP; 58; OVP; harm; OASys
    drive(keys, ws.scores, s)
    assert s.draft.data["scores"] == {"arp": 58}
    assert s.ogrs() == 58


def test_the_wizard_estimates_arp_from_its_inputs(tmp_path: Path, catalogue: Catalogue) -> None:
    """The reference's worked example inputs (docs/sources/reference/arp.md, section 6)."""
    s = session(tmp_path, catalogue, sex="male", date_of_birth="1990-01-01")
    keys = ENTER + "e" + ENTER  # ARP; estimate
    keys += "2024-01-01" + ENTER + "2026-01-01" + ENTER + "2" + ENTER + "18" + ENTER
    keys += ENTER  # the first offence category
    keys += ENTER + ENTER + ENTER * 4
    drive(keys, ws.scores, s)
    arp = s.draft.data["arp"]
    assert (arp["sanctions"], arp["age_at_first_sanction"]) == (2, 18)
    assert "arp" not in s.draft.data.get("scores", {})


@pytest.mark.usefixtures("terminal")
def test_assess_all_unfolds_the_excluded_interventions_at_the_summary(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Issue 20: the excluded interventions are folded to one line each at the summary
    unless `--all`; the flag reaches the wizard's summary (`summary.assessment`)."""
    import rarplan.cli.wizard.run as wizard_run

    seen: dict[str, object] = {}
    monkeypatch.setattr(wizard_run, "run_wizard", lambda catalogue, **kw: seen.update(kw))
    assert CliRunner().invoke(build(), ["assess", "--all"]).exit_code == 0
    assert seen["show_all"] is True
    assert CliRunner().invoke(build(), ["assess"]).exit_code == 0
    assert seen["show_all"] is False
