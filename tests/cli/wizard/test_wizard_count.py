"""The interactive assessment asks only what applies (issue 20): each example case's facts are
driven through the wizard with prompt_toolkit pipe input, one prompt at a time, and the prompts
counted. A typical sentenced community case (examples/cases/X100001.toml) takes at most 25, and
the README's table gives the count for each example case.

The keys for each prompt are worked out from the question asked (its key, kind and what it
offers) and the case file's answer to it, then typed into the pipe before the prompt reads
them: the wizard decides what it asks, the case file only answers.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from rarplan.assess.assessment import assess
from rarplan.assess.choices import without_choices
from rarplan.catalogue.models import Catalogue
from rarplan.cli.wizard.labels import IMPLIED
from rarplan.model.case import Case
from tests.cli.wizard.test_wizard import EXAMPLES, deadline, flat, walk

ROOT = Path(__file__).resolve().parents[3]
TYPICAL_MOST = 25  # issue 20: a typical sentenced community case in at most 25 prompts


@pytest.fixture(autouse=True)
def _deadline() -> Iterator[None]:
    """Walking a whole example takes longer: 60 s here, not conftest's 30."""
    with deadline(60):
        yield


def readme_counts() -> dict[str, int]:
    """The README's table of prompts per example case."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return {
        crn: int(n) for crn, n in re.findall(r"^\| `?(X\d{6})`? \|[^|\n]*\| (\d+) \|", text, re.M)
    }


@pytest.mark.parametrize("case_file", EXAMPLES, ids=lambda p: p.stem)
def test_each_example_case_through_the_wizard(
    case_file: Path, catalogue: Catalogue, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The wizard's answers make a case the assessment treats as the file's own: the same
    needs, band, days and interventions; no prompt is shown twice (no answer was refused);
    the README gives the number of prompts."""
    shown, target = walk(case_file, catalogue, monkeypatch)
    written = tomllib.loads(target.read_text(encoding="utf-8"))
    wizard_case = Case.model_validate(written["case"])
    file_case = Case.model_validate(tomllib.loads(case_file.read_text(encoding="utf-8")))
    ours, theirs = flat(wizard_case), flat(file_case)
    # The file's answers, where the wizard asked: what it did not ask does not matter.
    assert {k: v for k, v in ours.items() if theirs.get(k) is not None} == {
        k: theirs[k] for k in ours if theirs.get(k) is not None
    }
    # "Unticked means no": a fact the file leaves unknown and the officer did not tick is no.
    asked = Case.model_validate(
        {**file_case.model_dump(), "circumstances": wizard_case.circumstances.model_dump()}
    )
    mine, expected = assess(wizard_case, catalogue), assess(without_choices(asked), catalogue)
    a, b = mine.assessment, expected.assessment
    assert (a.needs, a.band, a.proposed_days, a.propose_rar) == (
        b.needs,
        b.band,
        b.proposed_days,
        b.propose_rar,
    )
    assert sorted(x.id for x in mine.selected) == sorted(x.id for x in expected.selected)
    keys = [p.key for p in shown]
    assert readme_counts().get(case_file.stem) == len(shown), (
        f"{case_file.stem}: {len(shown)} {keys}"
    )


def test_a_typical_sentenced_community_case_takes_at_most_25_prompts(
    catalogue: Catalogue, monkeypatch: pytest.MonkeyPatch
) -> None:
    """X100001: a community order, sentenced, four needs (issue 20's yardstick). Only what
    applies is asked: nothing about custody, drink-driving, domestic abuse, SARA, SADQ or the
    sexual offending factors, and no vulnerability the sex and age already give."""
    shown, _ = walk(EXAMPLES[0], catalogue, monkeypatch)
    keys = [p.key for p in shown]
    assert len(shown) <= TYPICAL_MOST, keys
    assert not [
        k
        for k in keys
        if k.startswith(("sentence.establishment", "sentence.weeks_to_release", "sentence.setting"))
        or "drink" in k
        or k in ("offence.admits_responsibility", "scores.sara", "scores.sadq")
        or k.startswith("circumstances.sexual")
    ], keys
    facts = next(p for p in shown if p.key == "circumstances.facts")
    assert not IMPLIED & set(facts.values)
