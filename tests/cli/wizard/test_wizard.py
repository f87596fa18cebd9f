"""The interactive assessment, driven with prompt_toolkit pipe input (issues 8 and 20).

The wizard decides what it asks; a case file answers. Before each prompt reads its keys, the
keys for the file's answer are typed into the pipe: worked out from the question (its key, its
kind, what it offers and points at) and the file's value (`walk`). A test can give other keys
for a question (`keys`), e.g. Ctrl-C, or an edit at the summary. Every test runs under a
deadline: a keystroke the wizard waits for and the test never sends fails the test instead of
hanging it.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import stat
import tomllib
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from prompt_toolkit.application import create_app_session
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from rarplan.catalogue.models import Catalogue
from rarplan.cli.wizard import ask
from rarplan.cli.wizard import plan as wp
from rarplan.cli.wizard.draft import RESUME_HINT
from rarplan.cli.wizard.labels import FACTS
from rarplan.cli.wizard.run import run_wizard
from rarplan.model.case import Case

UP, DOWN, ENTER, SPACE, CTRL_C, CLEAR = "\x1b[A", "\x1b[B", "\r", " ", "\x03", "\x15"
DEADLINE_SECONDS = 30

ROOT = Path(__file__).resolve().parents[3]
EXAMPLES = sorted((ROOT / "examples" / "cases").glob("X*.toml"))
X100001 = EXAMPLES[0]
# The identity questions answered for X100001: CRN, no name, male, 34, Kent.
IDENTITY = "X100001" + ENTER + ENTER + UP * 2 + ENTER + "34" + ENTER + UP * 3 + ENTER
ASK = ask.run  # the prompt itself, which `walk` wraps (a second walk in a test wraps it again)
NONE_MARKER = "\x00none"  # the wizard's value for "Not recorded" in a select


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


def lookup(facts: dict[str, Any], path: str) -> Any:
    node: Any = facts
    for key in path.split("."):
        if not isinstance(node, dict) or key not in node:
            return None
        node = node[key]
    return node


def typed(value: Any) -> str:
    """A value as an officer types it: dates as DD/MM/YYYY (the wizard takes both forms)."""
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)


def answer(prompt: ask.Prompt, facts: dict[str, Any]) -> Any:
    """The case file's answer to a prompt, as a value among those the prompt offers."""
    key = prompt.key
    if key == "sentence.kind":
        s = facts.get("sentence", {})
        return f"{s.get('stage', 'pre_sentence')}:{s.get('order', 'community_order')}"
    if key == "age_or_dob":
        return facts.get("date_of_birth") or facts.get("age")
    if key == "score_kind":
        return "ogrs3" if lookup(facts, "scores.ogrs") is not None else "arp"
    if key == "needs":
        return [n for n, v in facts.get("needs", {}).items() if v]
    if key == "circumstances.facts":
        c = facts.get("circumstances", {})
        inverted = {f: inv for f, _, inv in FACTS}
        return [
            v
            for v in prompt.values
            if (v in inverted and c.get(v) is (not inverted[v]))
            or v in c.get("vulnerabilities", [])
        ]
    if key == "outcomes.agreed":
        return True
    if key == "summary":
        return "write"
    if key == "plan.interventions":
        return lookup(facts, key) or list(prompt.default)
    if key == "plan.agreement":
        return lookup(facts, key) or "could_not_answer"
    if key == "plan.responsible_officer":
        return lookup(facts, key) or "RO 1"
    if key.startswith("plan.unmet_needs."):
        return lookup(facts, key) or "Not available locally"
    return lookup(facts, key)


def keys_for(prompt: ask.Prompt, value: Any) -> str:
    """The keystrokes that give `value` at `prompt`."""
    if prompt.kind == "text":
        return CLEAR + typed(value) + ENTER
    if prompt.kind == "yes_no":
        return {True: "y", False: "n", None: "?"}[value]
    if prompt.kind == "select":
        values = list(prompt.values)
        target = values.index(NONE_MARKER if value is None else value)
        start = values.index(prompt.default) if prompt.default in values else 0
        return (DOWN * (target - start) if target >= start else UP * (start - target)) + ENTER
    wanted = set(value or [])
    ticks = "".join(
        (SPACE if (v in prompt.default) != (v in wanted) else "") + DOWN for v in prompt.values
    )
    return ticks + ENTER


def flat(case: Case) -> dict[str, Any]:
    """A case's recorded facts (not its plan choices) by dotted path."""
    out: dict[str, Any] = {}
    for section, value in case.model_dump(mode="json", exclude={"plan"}).items():
        if isinstance(value, dict):
            out.update({f"{section}.{k}": v for k, v in value.items() if v not in (None, [], "")})
        elif value is not None:
            out[section] = value
    return out


def walk(
    case_file: Path,
    catalogue: Catalogue,
    monkeypatch: pytest.MonkeyPatch,
    *,
    keys: dict[str, list[str]] | None = None,
    facts: dict[str, Any] | None = None,
    **options: Any,
) -> tuple[list[ask.Prompt], Path]:
    """Drive the wizard with the case file's answers (or `facts`); `keys` gives other keys for
    a question, once each time it is asked. The prompts shown and the plan file."""
    given = facts or tomllib.loads(case_file.read_text(encoding="utf-8"))
    instead = {k: list(v) for k, v in (keys or {}).items()}
    shown: list[ask.Prompt] = []

    with create_pipe_input() as inp, create_app_session(input=inp, output=DummyOutput()):

        def run(prompt: ask.Prompt, question: Any) -> Any:
            if instead.get(prompt.key):
                inp.send_text(instead[prompt.key].pop(0))
            else:
                if prompt.key in [p.key for p in shown]:  # an answer refused: asked again
                    before = [p.key for p in shown]
                    raise AssertionError(f"{prompt.key} asked twice (refused?) after {before}")
                inp.send_text(keys_for(prompt, answer(prompt, given)))
            shown.append(prompt)
            return ASK(prompt, question)

        monkeypatch.setattr(ask, "run", run)
        wizard_options = {"out": None, "force": False, "resume": False, "case_file": None}
        run_wizard(catalogue, **{**wizard_options, **options})
    return shown, Path(f"{given['crn']}.plan.toml")


def read_plan(path: Path) -> dict[str, Any]:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_full_walk_writes_the_plan(
    tmp_path: Path, catalogue: Catalogue, monkeypatch: pytest.MonkeyPatch
) -> None:
    """X100001 from the first question to the plan file: OGRS 62 is the medium band (guidance
    001, section 3); the proposal is chosen, outcomes default to the card's aims (section 5);
    the plan records the agreement and the officer; private file, draft deleted."""
    _, target = walk(X100001, catalogue, monkeypatch)
    plan = read_plan(target)
    assert plan["assessment"]["band"] == "medium"
    assert plan["assessment"]["ogrs"] == 62
    assert plan["agreement"] == {"status": "agreed", "note": "Agreed at the first appointment."}
    assert plan["responsible_officer"] == "RO 4471 (Maidstone)"
    assert mode(target) == 0o600
    assert list(drafts(tmp_path).iterdir()) == []


def test_ctrl_c_keeps_a_draft_that_resume_continues(
    tmp_path: Path,
    catalogue: Catalogue,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Ctrl-C mid-way saves a private draft named by CRN; --resume replays what was answered
    (no question asked twice) and writes the plan where --out first said."""
    stop = {"sentence.length_months": [CTRL_C]}
    with pytest.raises(KeyboardInterrupt):
        walk(X100001, catalogue, monkeypatch, keys=stop, out=Path("custom.plan.toml"))
    assert RESUME_HINT in capsys.readouterr().err
    draft = drafts(tmp_path) / "X100001.json"
    assert mode(draft) == 0o600
    assert mode(draft.parent) == 0o700
    saved = json.loads(draft.read_text())
    assert saved["answers"]["sentence"]["start_date"] == "2027-01-11"
    assert "length_months" not in saved["answers"]["sentence"]

    shown, _ = walk(X100001, catalogue, monkeypatch, resume=True)
    assert shown[0].key == "sentence.length_months"  # carries on at the question on screen
    plan = read_plan(tmp_path / "custom.plan.toml")
    assert plan["case"]["sentence"]["length_months"] == 12
    assert not draft.exists()


def test_a_new_assessment_for_a_drafted_crn_offers_the_draft(
    tmp_path: Path, catalogue: Catalogue, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(KeyboardInterrupt):
        walk(X100001, catalogue, monkeypatch, keys={"sentence.length_months": [CTRL_C]})
    shown, target = walk(X100001, catalogue, monkeypatch, keys={"switch": ["y"]})
    assert "sentence.kind" not in [p.key for p in shown]  # answered in the draft
    assert read_plan(target)["case"]["age"] == 34


def test_editing_a_section_at_the_summary(
    tmp_path: Path, catalogue: Catalogue, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At the summary the officer edits the identity; its questions come back with the
    current answers as defaults, and only the changed answer changes."""
    edit = DOWN + ENTER  # "Edit identity", the second entry
    keys = {"summary": [edit, ENTER], "age_or_dob": [CLEAR + "34" + ENTER, CLEAR + "40" + ENTER]}
    keys |= {k: [ENTER, ENTER] for k in ("crn", "name", "sex", "region")}
    keys["crn"] = ["X100001" + ENTER, ENTER]
    keys["sex"] = [UP * 2 + ENTER, ENTER]
    keys["region"] = [UP * 3 + ENTER, ENTER]
    _, target = walk(X100001, catalogue, monkeypatch, keys=keys)
    plan = read_plan(target)
    assert plan["case"]["age"] == 40
    assert plan["case"]["sex"] == "male"
    assert plan["case"]["region"] == "kent"


def _with_an_excluded_choice(catalogue: Catalogue, reason: str) -> tuple[dict[str, Any], str]:
    facts = tomllib.loads(X100001.read_text(encoding="utf-8"))
    case = Case.model_validate(facts)
    proposal, shown = wp.candidates(case, catalogue, [])
    excluded = next(r.id for r in shown if r.status == "excluded")
    picked = [x.id for x in proposal.selected] + [excluded]
    facts["plan"] |= {"interventions": picked, "overrides": {excluded: reason}}
    return facts, excluded


def test_an_excluded_choice_needs_a_reason_that_the_plan_records(
    tmp_path: Path, catalogue: Catalogue, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Choosing an intervention its criteria exclude asks for the reason, recorded in the
    plan (issue 8)."""
    facts, excluded = _with_an_excluded_choice(catalogue, "The provider has agreed to take him")
    _, target = walk(X100001, catalogue, monkeypatch, facts=facts)
    plan = read_plan(target)
    chosen = {s["id"]: s for s in plan["selected"]}
    assert chosen[excluded]["override_reason"] == "The provider has agreed to take him"


def test_an_excluded_choice_without_a_reason_is_unticked(
    tmp_path: Path, catalogue: Catalogue, monkeypatch: pytest.MonkeyPatch
) -> None:
    facts, excluded = _with_an_excluded_choice(catalogue, "")
    _, target = walk(X100001, catalogue, monkeypatch, facts=facts)
    plan = read_plan(target)
    assert excluded not in {s["id"] for s in plan["selected"]}
    assert not plan["case"]["plan"].get("overrides")


def test_an_existing_plan_is_not_replaced_without_asking(
    tmp_path: Path, catalogue: Catalogue, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "X100001.plan.toml").write_text("# an earlier plan\n")
    asked_to_replace = {
        "X100001.plan.toml exists. Replace it? (the old one is kept in .rarplan-history/)": ["n"],
        "Write the plan to": ["second.plan.toml" + ENTER],
    }
    walk(X100001, catalogue, monkeypatch, keys=asked_to_replace)
    assert (tmp_path / "X100001.plan.toml").read_text() == "# an earlier plan\n"
    assert read_plan(tmp_path / "second.plan.toml")["crn"] == "X100001"


def test_replacing_an_existing_plan_when_the_officer_says_yes(
    tmp_path: Path, catalogue: Catalogue, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "X100001.plan.toml").write_text("# an earlier plan\n")
    question = "X100001.plan.toml exists. Replace it? (the old one is kept in .rarplan-history/)"
    walk(X100001, catalogue, monkeypatch, keys={question: ["y"]})
    assert read_plan(tmp_path / "X100001.plan.toml")["crn"] == "X100001"
    assert list((tmp_path / ".rarplan-history").iterdir())


def test_cancel_at_the_summary_keeps_the_draft(
    tmp_path: Path,
    catalogue: Catalogue,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    walk(X100001, catalogue, monkeypatch, keys={"summary": [UP + ENTER]})
    assert not (tmp_path / "X100001.plan.toml").exists()
    saved = json.loads((drafts(tmp_path) / "X100001.json").read_text())
    assert saved["next"] == "summary"
    assert saved["answers"]["plan"]["responsible_officer"] == "RO 4471 (Maidstone)"
    assert RESUME_HINT in capsys.readouterr().err


def test_back_from_the_summary_asks_the_last_question_again(
    tmp_path: Path, catalogue: Catalogue, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-B at the summary: the responsible officer again, nothing else re-asked."""
    keys = {
        "summary": ["\x02", ENTER],
        "plan.responsible_officer": [CLEAR + "RO 1" + ENTER, CLEAR + "RO 2" + ENTER],
    }
    shown, target = walk(X100001, catalogue, monkeypatch, keys=keys)
    tail = [p.key for p in shown][-3:]
    assert tail == ["summary", "plan.responsible_officer", "summary"]
    assert read_plan(target)["responsible_officer"] == "RO 2"
