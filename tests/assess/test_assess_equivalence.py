"""Assessing many cases in one process gives what a fresh process would, case after case.

A batch assesses thousands of cases with one catalogue, whose compiled object keeps memos
between cases (the judgements per memo key, the results built from them, the selection's
candidates). Over generated cases assessed one after another, every plan must equal the plan
of the same case assessed with a fresh copy of the catalogue (every memo empty), byte for byte
in its file, and its interventions must equal the rules applied directly.
"""

from __future__ import annotations

import copy
import importlib.util
import json
from datetime import date, datetime
from types import ModuleType

import pytest

from rarplan.assess.assessment import assess
from rarplan.assess.eligibility import judge
from rarplan.assess.predictor import ogrs_of
from rarplan.assess.result import result_dict, result_json
from rarplan.catalogue import load as cat
from rarplan.catalogue.facts import FACTS, FactReader, case_facts
from rarplan.catalogue.models import Catalogue
from rarplan.files.planfile import plan_bytes
from rarplan.model.case import Case
from rarplan.model.plan import Plan
from tests.conftest import REPO

TODAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 9, 0)


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_cases", REPO / "bench" / "gen_cases.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def fresh(catalogue: Catalogue) -> Catalogue:
    """The same catalogue without its compiled object: compiled again, with empty memos."""
    copied = copy.copy(catalogue)
    assert "compiled" not in vars(copied)
    return copied


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return cat.load()


@pytest.fixture(scope="module")
def cases() -> list[Case]:
    gen = _generator()
    raws = [*gen.generate(300, seed=3, ogrs3_share=0.2), *gen.generate(100, sentenced_only=True)]
    return [Case.model_validate(gen.prune(raw)) for raw in raws]


@pytest.fixture(scope="module")
def warm(cases: list[Case], catalogue: Catalogue) -> list[Plan]:
    return [assess(case, catalogue, today=TODAY, now=NOW) for case in cases]


def test_each_plan_equals_a_fresh_assessment(
    cases: list[Case], warm: list[Plan], catalogue: Catalogue
) -> None:
    assert catalogue.compiled.judgements[0], "the memos were used"
    for case, plan in zip(cases, warm, strict=True):
        again = assess(case, fresh(catalogue), today=TODAY, now=NOW)
        assert plan == again, case.crn
        assert plan.assessment.model_fields_set == again.assessment.model_fields_set
        assert plan_bytes(plan) == plan_bytes(again), case.crn


def test_interventions_equal_the_rules_applied_directly(
    cases: list[Case], warm: list[Plan], catalogue: Catalogue
) -> None:
    for case, plan in zip(cases, warm, strict=True):
        facts = case_facts(case, TODAY, ogrs_of(case, "case")[0])
        needs = set(case.needs.identified())
        expected = []
        for rules in catalogue.compiled.rules:
            j = judge(rules, facts, case.checks)
            entry = rules.entry
            expected.append(
                {
                    "id": entry.id,
                    "status": j.status,
                    "reasons": list(j.reasons),
                    "addresses_identified_need": bool(needs & set(entry.needs)),
                }
            )
        assert [r.model_dump() for r in plan.assessment.interventions] == expected, case.crn


def test_a_batch_line_is_the_result_with_its_line_number(
    warm: list[Plan], catalogue: Catalogue
) -> None:
    for plan in warm[:50]:
        expected = json.loads(json.dumps(result_dict(plan, None, catalogue)))
        assert json.loads(result_json(plan, None, catalogue, line=1)) == {"line": 1, **expected}


def test_fact_reader_gives_what_case_facts_gives(cases: list[Case]) -> None:
    read = FactReader(reversed(FACTS))
    assert sorted(read.names) == sorted(FACTS)
    for case in cases:
        facts = case_facts(case, TODAY, 42.5)
        assert read(case, TODAY, 42.5) == [facts[name] for name in read.names]
