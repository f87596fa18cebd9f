"""The interactive assessment, driven with prompt_toolkit pipe input (issue 8).

Keystrokes: text answers end with Enter; a select moves with the arrow keys; a checkbox ticks
with space. The keys a walk needs after the case sections depend on the catalogue (how many
judgement questions, which interventions are proposed), so they are worked out from the same
assessment the wizard runs. Every test runs under a deadline: a keystroke the wizard waits for
and the test never sends fails the test instead of hanging it.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import stat
import tomllib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from prompt_toolkit.application import create_app_session
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from rarplan.assess.choices import without_choices
from rarplan.assess.selection import default_appointments
from rarplan.catalogue import load as cat
from rarplan.catalogue.models import Catalogue
from rarplan.cli.wizard import plan as wp
from rarplan.cli.wizard.draft import RESUME_HINT
from rarplan.cli.wizard.labels import FACTS
from rarplan.cli.wizard.run import run_wizard
from rarplan.model.case import Case

UP, DOWN, ENTER, SPACE, CTRL_C, CLEAR = "\x1b[A", "\x1b[B", "\r", " ", "\x03", "\x15"
DEADLINE_SECONDS = 30

# The person the walk-throughs describe, as the case the answers should build.
CASE: dict[str, Any] = {
    "crn": "X100001",
    "sex": "male",
    "age": 34,
    "region": "kent",
    "sentence": {
        "stage": "sentenced",
        "order": "community_order",
        "setting": "community",
        "start_date": "2027-01-11",
        "length_months": 12,
        "rar_max_days": 20,
        "other_requirements": ["unpaid_work"],
    },
    "offence": {
        "index_offence": "acquisitive",
        "sexually_motivated": False,
        "impulsive": True,
        "seriousness": "medium",
        "previous_convictions": 6,
        "linked_to_substance_misuse": False,
    },
    "scores": {
        "ogrs": 62,
        "ovp": 18,
        "risk_of_harm": "medium",
        "oasys_thinking_score": 4,
        "oasys_total_score": 6,
        "oasys_11_6": 1,
        "oasys_11_7": 1,
    },
    "needs": {
        "accommodation": True,
        "education_training_employment": True,
        "lifestyle_associates": True,
        "finance_benefits_debt": True,
    },
    # None of the listed facts ticked: each is recorded as no ("does not speak English" is the
    # listed fact, so speaks_english is yes).
    "circumstances": {
        **{fact: False for fact, _, _ in FACTS},
        "speaks_english": True,
        "vulnerabilities": [],
    },
}
IDENTITY = "X100001" + ENTER + ENTER + UP * 2 + ENTER + "34" + ENTER + UP * 3 + ENTER
SENTENCE_START = DOWN + ENTER + ENTER + ENTER + "2027-01-11" + ENTER
SENTENCE_END = "12" + ENTER + "20" + ENTER + SPACE + ENTER
OFFENCE = (
    DOWN * 4 + ENTER  # acquisitive
    + UP + ENTER  # sexually motivated: no
    + UP * 2 + ENTER  # impulsive: yes
    + UP * 2 + ENTER  # seriousness: medium
    + "6" + ENTER
    + UP + ENTER  # linked to substance misuse: no
)  # fmt: skip
SCORES = DOWN + ENTER + "62" + ENTER + "18" + ENTER + UP * 3 + ENTER + "4\r6\r1\r1\r"
NEEDS = SPACE + DOWN + SPACE + DOWN * 2 + SPACE + DOWN * 4 + SPACE + ENTER
CIRCUMSTANCES = ENTER + ENTER  # none of the facts, no vulnerabilities
CASE_KEYS = IDENTITY + SENTENCE_START + SENTENCE_END + OFFENCE + SCORES + NEEDS + CIRCUMSTANCES
AGREEMENT = ENTER + "Agreed at the first appointment" + ENTER + "RO 4471" + ENTER
WRITE = ENTER


@contextlib.contextmanager
def deadline(seconds: int = DEADLINE_SECONDS) -> Iterator[None]:
    """Fail (TimeoutError) instead of hanging when the wizard waits for a key never sent."""

    def expired(signum: int, frame: object) -> None:
        raise TimeoutError("the wizard is waiting for a keystroke the test did not send")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.fixture(autouse=True)
def _deadline() -> Iterator[None]:
    with deadline():
        yield


@pytest.fixture(autouse=True)
def _state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return cat.load(cat.resolve_path(None))


def drafts(tmp_path: Path) -> Path:
    return tmp_path / "state" / "rarplan" / "drafts"


def drive(keys: str, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Call `fn` with `keys` typed ahead at its prompts."""
    with create_pipe_input() as inp, create_app_session(input=inp, output=DummyOutput()):
        inp.send_text(keys)
        return fn(*args, **kwargs)


def wizard(keys: str, catalogue: Catalogue, **kwargs: Any) -> None:
    options = {"out": None, "force": False, "resume": False, "case_file": None, **kwargs}
    drive(keys, run_wizard, catalogue, **options)


def the_case(**plan: Any) -> Case:
    return Case.model_validate({**CASE, "plan": plan})


def checks_keys(case: Case, catalogue: Catalogue) -> tuple[str, Case]:
    """Answer every judgement question "No"; the case with those answers."""
    pending = wp.pending_checks(case, catalogue)
    answered = case.model_copy(update={"checks": {key: False for key, _, _ in pending}})
    return (UP + ENTER) * len(pending), answered


def choices_keys(case: Case, catalogue: Catalogue, picked: list[str]) -> str:
    """Hours (the card's maximum), outcomes kept, unmet needs with the proposed reason."""
    hours = [i for i in picked if default_appointments(catalogue.entries[i]) is not None]
    chosen = wp.assess_case(case, catalogue)
    proposed = wp.assess_case(without_choices(case), catalogue).unmet_needs
    reasons = {u.need for u in proposed if "record why" not in u.reason}
    unmet = "".join(
        ENTER if u.need in reasons else "Not available locally" + ENTER for u in chosen.unmet_needs
    )
    return ENTER * len(hours) + ENTER * len(chosen.selected) + unmet


def walk_keys(catalogue: Catalogue) -> tuple[str, Case]:
    """The keys from the judgement questions to the summary, accepting the proposal."""
    checks, case = checks_keys(the_case(), catalogue)
    proposal = wp.assess_case(case, catalogue)
    picked = [s.id for s in proposal.selected]
    chosen = case.model_copy(
        update={"plan": case.plan.model_copy(update={"interventions": picked})}
    )
    return checks + ENTER + choices_keys(chosen, catalogue, picked) + AGREEMENT, case


def read_plan(path: Path) -> dict[str, Any]:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_full_walk_writes_the_plan(tmp_path: Path, catalogue: Catalogue) -> None:
    """A sentenced case from the first question to the plan file: OGRS 62 is the medium band
    (guidance 001, section 3), the proposal is selected, outcomes default to the card's aims
    (section 5), and the plan records the agreement and the responsible officer."""
    keys, case = walk_keys(catalogue)
    wizard(CASE_KEYS + keys + WRITE, catalogue)

    target = tmp_path / "X100001.plan.toml"
    plan = read_plan(target)
    expected = wp.assess_case(case, catalogue)
    assert plan["assessment"]["band"] == "medium"
    assert plan["assessment"]["ogrs"] == 62
    assert [s["id"] for s in plan["selected"]] == [s.id for s in expected.selected]
    assert {s["id"]: s["desired_outcomes"] for s in plan["selected"]} == {
        s.id: s.desired_outcomes for s in expected.selected
    }
    assert plan["agreement"] == {"status": "agreed", "note": "Agreed at the first appointment"}
    assert plan["responsible_officer"] == "RO 4471"
    written = Case.model_validate(plan["case"])
    assert without_choices(written) == case  # the answers built exactly the expected case
    assert mode(target) == 0o600
    assert list(drafts(tmp_path).iterdir()) == []  # the draft is deleted once the plan is written


def test_ctrl_c_keeps_a_draft_that_resume_continues(
    tmp_path: Path, catalogue: Catalogue, capsys: pytest.CaptureFixture[str]
) -> None:
    """Ctrl-C mid-way saves a private draft named by CRN; --resume carries on from the
    question on screen and writes the plan (where --out first said)."""
    with pytest.raises(KeyboardInterrupt):
        wizard(IDENTITY + SENTENCE_START + CTRL_C, catalogue, out=Path("custom.plan.toml"))
    assert RESUME_HINT in capsys.readouterr().err

    draft = drafts(tmp_path) / "X100001.json"
    assert mode(draft) == 0o600
    assert mode(draft.parent) == 0o700
    saved = json.loads(draft.read_text())
    assert saved["next"] == "sentence"
    assert saved["answers"]["sentence"]["start_date"] == "2027-01-11"
    assert "length_months" not in saved["answers"]["sentence"]

    keys, _ = walk_keys(catalogue)
    rest = SENTENCE_END + OFFENCE + SCORES + NEEDS + CIRCUMSTANCES + keys + WRITE
    wizard(rest, catalogue, resume=True)
    plan = read_plan(tmp_path / "custom.plan.toml")
    assert plan["case"]["sentence"]["length_months"] == 12
    assert plan["case"]["sentence"]["start_date"].isoformat() == "2027-01-11"
    assert plan["responsible_officer"] == "RO 4471"
    assert not draft.exists()


def test_a_new_assessment_for_a_drafted_crn_offers_the_draft(
    tmp_path: Path, catalogue: Catalogue
) -> None:
    with pytest.raises(KeyboardInterrupt):
        wizard(IDENTITY + SENTENCE_START + CTRL_C, catalogue)
    keys, _ = walk_keys(catalogue)
    rest = SENTENCE_END + OFFENCE + SCORES + NEEDS + CIRCUMSTANCES + keys + WRITE
    wizard("x100001" + ENTER + "y" + rest, catalogue)
    assert read_plan(tmp_path / "X100001.plan.toml")["case"]["age"] == 34


def test_back_and_edit_change_answers(tmp_path: Path, catalogue: Catalogue) -> None:
    """At the summary the officer edits a section; its questions come back with the current
    answers as defaults, and only the changed answer changes."""
    keys, _ = walk_keys(catalogue)
    edit_identity = DOWN + ENTER + ENTER + ENTER + ENTER + CLEAR + "40" + ENTER + ENTER
    # Up from "Write the plan" wraps round: Cancel, then the agreement.
    edit_agreement = UP * 2 + ENTER + DOWN + ENTER + CLEAR + "Wants evening sessions" + ENTER
    wizard(CASE_KEYS + keys + edit_identity + edit_agreement + ENTER + WRITE, catalogue)

    plan = read_plan(tmp_path / "X100001.plan.toml")
    assert plan["case"]["age"] == 40
    assert plan["case"]["sex"] == "male"
    assert plan["agreement"] == {"status": "does_not_agree", "note": "Wants evening sessions"}
    assert plan["responsible_officer"] == "RO 4471"


def _excluded_walk(catalogue: Catalogue, override: str) -> tuple[str, str]:
    """Keys ticking the first excluded intervention on top of the proposal."""
    checks, case = checks_keys(the_case(), catalogue)
    proposal, shown = wp.candidates(case, catalogue, [])
    excluded = next(r.id for r in shown if r.status == "excluded")
    index = [r.id for r in shown].index(excluded)
    tick = DOWN * index + SPACE + ENTER
    picked = [r.id for r in shown if r.id in {s.id for s in proposal.selected} | {excluded}]
    if not override:  # refused: untick it
        reason = ENTER + DOWN + ENTER
        picked.remove(excluded)
        plan: dict[str, Any] = {"interventions": picked}
    else:  # a blank reason is refused first, then one is given
        reason = ENTER + ENTER + override + ENTER
        plan = {"interventions": picked, "overrides": {excluded: override}}
    chosen = case.model_copy(update={"plan": case.plan.model_validate(plan)})
    return checks + tick + reason + choices_keys(chosen, catalogue, picked) + AGREEMENT, excluded


def test_an_excluded_choice_needs_a_reason_that_the_plan_records(
    tmp_path: Path, catalogue: Catalogue
) -> None:
    """Picking an intervention its criteria exclude is refused without a reason; the reason
    given is recorded in the plan (issue 8)."""
    keys, excluded = _excluded_walk(catalogue, "The provider has agreed to take him")
    wizard(CASE_KEYS + keys + WRITE, catalogue)

    plan = read_plan(tmp_path / "X100001.plan.toml")
    chosen = {s["id"]: s for s in plan["selected"]}
    assert chosen[excluded]["override_reason"] == "The provider has agreed to take him"
    assert plan["case"]["plan"]["overrides"] == {excluded: "The provider has agreed to take him"}


def test_an_excluded_choice_without_a_reason_is_unticked(
    tmp_path: Path, catalogue: Catalogue
) -> None:
    keys, excluded = _excluded_walk(catalogue, "")
    wizard(CASE_KEYS + keys + WRITE, catalogue)

    plan = read_plan(tmp_path / "X100001.plan.toml")
    assert excluded not in {s["id"] for s in plan["selected"]}
    assert "overrides" not in plan["case"]["plan"] or not plan["case"]["plan"]["overrides"]


def test_an_existing_plan_is_not_replaced_without_asking(
    tmp_path: Path, catalogue: Catalogue
) -> None:
    (tmp_path / "X100001.plan.toml").write_text("# an earlier plan\n")
    keys, _ = walk_keys(catalogue)
    elsewhere = "n" + "second.plan.toml" + ENTER
    wizard(CASE_KEYS + keys + WRITE + elsewhere, catalogue)

    assert (tmp_path / "X100001.plan.toml").read_text() == "# an earlier plan\n"
    assert read_plan(tmp_path / "second.plan.toml")["crn"] == "X100001"


def test_replacing_an_existing_plan_when_the_officer_says_yes(
    tmp_path: Path, catalogue: Catalogue
) -> None:
    (tmp_path / "X100001.plan.toml").write_text("# an earlier plan\n")
    keys, _ = walk_keys(catalogue)
    wizard(CASE_KEYS + keys + WRITE + "y", catalogue)

    assert read_plan(tmp_path / "X100001.plan.toml")["crn"] == "X100001"
    assert list((tmp_path / ".rarplan-history").iterdir())  # the earlier plan is kept


def test_cancel_at_the_summary_keeps_the_draft(
    tmp_path: Path, catalogue: Catalogue, capsys: pytest.CaptureFixture[str]
) -> None:
    keys, _ = walk_keys(catalogue)
    wizard(CASE_KEYS + keys + UP + ENTER, catalogue)

    assert not (tmp_path / "X100001.plan.toml").exists()
    saved = json.loads((drafts(tmp_path) / "X100001.json").read_text())
    assert saved["next"] == "summary"
    assert saved["answers"]["plan"]["responsible_officer"] == "RO 4471"
    assert RESUME_HINT in capsys.readouterr().err


def test_editing_the_needs_asks_for_the_interventions_again(
    tmp_path: Path, catalogue: Catalogue
) -> None:
    """A changed need changes what the plan is for: the selection comes back (with the
    officer's choices ticked) and what belonged to an unticked intervention is dropped."""
    keys, case = walk_keys(catalogue)
    picked = [s.id for s in wp.assess_case(case, catalogue).selected]
    fewer = case.model_copy(
        update={"needs": case.needs.model_copy(update={"accommodation": False})}
    )
    _, shown = wp.candidates(fewer, catalogue, picked)
    dropped = next(i for i in picked if "accommodation" in catalogue.entries[i].needs)
    kept = [i for i in picked if i != dropped]
    untick = DOWN * [r.id for r in shown].index(dropped) + SPACE + ENTER
    hours = ENTER * sum(default_appointments(catalogue.entries[i]) is not None for i in kept)
    edit_needs = DOWN * 5 + ENTER + SPACE + ENTER + untick + hours
    wizard(CASE_KEYS + keys + edit_needs + WRITE, catalogue)

    plan = read_plan(tmp_path / "X100001.plan.toml")
    assert "accommodation" not in plan["assessment"]["needs"]
    assert [s["id"] for s in plan["selected"]] == kept
    assert dropped not in plan["case"]["plan"].get("hours", {})
    assert dropped not in plan["case"]["plan"]["outcomes"]
