"""Golden files: every document rendered from the example cases, compared word for word.

The examples (examples/cases/) are assessed on a fixed date and scheduled with `rarplan
schedule`, then rendered with the shipped catalogue. After a deliberate change to the wording,
the catalogue, assess or schedule, look at the differences and regenerate:

    UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/documents/test_render*.py
"""

from __future__ import annotations

import difflib
import functools
import os
import tempfile
from datetime import date, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rarplan.assess.assessment import assess
from rarplan.catalogue import load as catalogue
from rarplan.cli.app import build
from rarplan.documents import render
from rarplan.files import planfile
from rarplan.files.caseio import load_case
from rarplan.model.plan import Plan
from tests.conftest import REPO

GOLDEN = Path(__file__).resolve().parent / "golden"
EXAMPLES = REPO / "examples" / "cases"
ASSESSED_ON = date(2027, 1, 4)
UPDATE = bool(os.environ.get("UPDATE_GOLDEN"))

# X100001: sentenced community order, scheduled: the person's plan and the referrals (the court
#   proposal is a pre-sentence document, refused once sentenced: tests/assess/test_sentence_types).
# X100002: pre-sentence (the court proposal's own use) and an unscheduled plan for the person.
# X100003: in custody before release on licence: no RAR, pre-release activity.
# X100004: an accredited programme in the order, and referrals with the risk information.
# X100005: low OGRS, no RAR proposed.
# X100009: on licence (no RAR: licence activity); X100010: post-sentence supervision.
GOLDENS = [("X100001", d, f) for d in ("person", "referral") for f in render.FORMATS] + [
    ("X100002", "court", "md"),
    ("X100002", "person", "md"),
    ("X100003", "person", "md"),
    ("X100004", "referral", "md"),
    ("X100005", "court", "md"),
    ("X100009", "person", "md"),
    ("X100009", "person", "html"),
    ("X100009", "referral", "md"),
    ("X100010", "person", "md"),
]


@functools.cache
def example_plan(crn: str) -> Plan:
    """The example case assessed on ASSESSED_ON and, when sentenced, scheduled."""
    case, name = load_case(EXAMPLES / f"{crn}.toml")
    plan = assess(
        case, catalogue.load(), source=name, today=ASSESSED_ON, now=datetime(2027, 1, 4, 9, 0)
    )
    if case.sentence.stage != "sentenced" or not case.sentence.has_rar:
        return plan  # only a RAR is scheduled (rarplan schedule needs the court's days)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{crn}.plan.toml"
        planfile.save_plan(plan, path)
        result = CliRunner().invoke(build(), ["schedule", str(path), "--quiet"])
        assert result.exit_code == 0, result.output
        return planfile.load_plan(path)[0]


def example_document(crn: str, document: str, fmt: str) -> str:
    return render.render(example_plan(crn), catalogue.load(), document, fmt)


@pytest.mark.parametrize(("crn", "document", "fmt"), GOLDENS)
def test_document_matches_its_golden_file(crn, document, fmt):
    text = example_document(crn, document, fmt)
    path = GOLDEN / f"{crn}.{document}.{fmt}"
    if UPDATE:
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return
    assert path.exists(), f"no golden file {path.name}: run UPDATE_GOLDEN=1 pytest {__file__}"
    expected = path.read_text(encoding="utf-8")
    if text != expected:
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(keepends=True),
                text.splitlines(keepends=True),
                f"golden/{path.name}",
                "rendered",
                n=1,
            )
        )
        pytest.fail(f"{path.name} differs (UPDATE_GOLDEN=1 to accept):\n{diff[:6000]}")


def test_every_golden_file_is_still_produced():
    """A golden left behind by a removed case would hide that nothing checks it any more."""
    expected = {f"{crn}.{d}.{f}" for crn, d, f in GOLDENS}
    present = {p.name for p in GOLDEN.glob("X*.*.*")}
    assert present <= expected, present - expected


def test_the_example_plan_for_the_person_has_no_name():
    """Names only with --with-names: the example case has none, but the documents must not
    print a name even when the case holds one."""
    plan = example_plan("X100001").model_copy(deep=True)
    plan.case.name = "Alex Example"
    for document in ("person", "referral"):
        for fmt in render.FORMATS:
            assert "Alex Example" not in render.render(plan, catalogue.load(), document, fmt)
