"""The batch fast path of `assess` gives what a fresh process would, case after case.

`assess` keeps, across cases, the judgements per memo key, the intervention results built
from them (with their JSON and TOML text), the catalogue's layout and the selection's
candidates. Over generated cases assessed one after another, every plan must equal the plan
of the same case assessed with every one of those caches empty, its interventions must equal
the rules applied directly, and its shared results must be registered with both writers.
"""

from __future__ import annotations

import importlib.util
import json
from datetime import date, datetime
from types import ModuleType

import pytest
from pydantic import BaseModel

from rarplan.assess import assessment, eligibility, selection
from rarplan.assess import result as results
from rarplan.assess.assessment import assess, ogrs_of
from rarplan.assess.eligibility import judge
from rarplan.assess.result import result_dict, result_json
from rarplan.catalogue import models as cat
from rarplan.catalogue.facts import FACTS, FactReader, case_facts
from rarplan.files import tomlout
from rarplan.files.planfile import dump_plan
from rarplan.model.case import Case
from rarplan.model.plan import (
    Agreement,
    Assessment,
    Availability,
    InterventionResult,
    Plan,
    SelectedIntervention,
    UnmetNeed,
    construct,
)
from tests.conftest import REPO

TODAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 9, 0)
# Every cache the assessment keeps between cases: (module, name).
CACHES = [
    (eligibility, "_MEMOS"),
    (assessment, "_LAYOUTS"),
    (results, "_KEPT"),
    (results, "_FRAGMENTS"),
    (tomlout, "SHARED"),
    (selection, "_CANDIDATES"),
    (selection, "_DEFAULTS"),
]


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_cases", REPO / "bench" / "gen_cases.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def cases() -> list[Case]:
    gen = _generator()
    raws = [*gen.generate(300, seed=3, ogrs3_share=0.2), *gen.generate(100, sentenced_only=True)]
    return [Case.model_validate(gen.prune(raw)) for raw in raws]


@pytest.fixture(scope="module")
def warm(cases: list[Case]) -> list[Plan]:
    catalogue = cat.load()
    return [assess(case, catalogue, today=TODAY, now=NOW) for case in cases]


def test_each_plan_equals_a_fresh_assessment(
    cases: list[Case], warm: list[Plan], monkeypatch: pytest.MonkeyPatch
) -> None:
    catalogue = cat.load()
    for case, plan in zip(cases, warm, strict=True):
        with monkeypatch.context() as m:
            for module, name in CACHES:
                m.setattr(module, name, type(getattr(module, name))())
            fresh = assess(case, catalogue, today=TODAY, now=NOW)
        assert plan.model_dump(mode="json") == fresh.model_dump(mode="json"), case.crn
        assert plan.assessment.model_fields_set == fresh.assessment.model_fields_set


def test_interventions_equal_the_rules_applied_directly(
    cases: list[Case], warm: list[Plan]
) -> None:
    catalogue = cat.load()
    for case, plan in zip(cases, warm, strict=True):
        facts = case_facts(case, TODAY, ogrs_of(case, "case")[0])
        needs = set(case.needs.identified())
        expected = []
        for compiled in catalogue.compiled:
            j = judge(compiled, facts, case.checks)
            entry = compiled.entry
            expected.append(
                {
                    "id": entry.id,
                    "status": j.status,
                    "reasons": list(j.reasons),
                    "addresses_identified_need": bool(needs & set(entry.needs)),
                }
            )
        assert [r.model_dump() for r in plan.assessment.interventions] == expected, case.crn


def test_shared_results_are_registered_with_both_writers(warm: list[Plan]) -> None:
    catalogue = cat.load()
    seen: dict[int, InterventionResult] = {}
    shared: set[int] = set()
    for plan in warm:
        for result in plan.assessment.interventions:
            if id(result) in seen:
                shared.add(id(result))
            seen[id(result)] = result
    assert shared, "results are shared between cases"
    for key in shared:
        result = seen[key]
        assert results._FRAGMENTS[key] == json.dumps(
            results._intervention_json(result, catalogue), ensure_ascii=False
        )
        assert tomlout.SHARED[key] == tomlout.fragment(result)
    for plan in warm[:50]:
        expected = json.loads(json.dumps(result_dict(plan, None, catalogue), default=str))
        assert json.loads(result_json(plan, None, catalogue, line=1)) == {"line": 1, **expected}
        assert dump_plan(plan) == tomlout.dumps(plan)


@pytest.mark.parametrize(
    "model", [Assessment, Plan, Availability, Agreement, SelectedIntervention, UnmetNeed]
)
def test_construct_is_model_construct(model: type[BaseModel]) -> None:
    """`construct` skips what model_construct does for aliases, defaults, private attributes
    and hooks: these models must have none of them."""
    assert not model.__pydantic_post_init__
    assert not model.__private_attributes__
    assert model.__new__ is object.__new__
    assert all(f.alias is None and f.validation_alias is None for f in model.model_fields.values())
    case = {
        "crn": "X123456",
        "scores": {"ogrs": 60},
        "needs": {"relationships": True, "lifestyle_associates": True},
    }
    plan = assess(Case.model_validate(case), cat.load())
    source = {
        "Assessment": plan.assessment,
        "Plan": plan,
        "Availability": Availability(),
        "Agreement": plan.agreement,
        "SelectedIntervention": plan.selected[0],
        "UnmetNeed": plan.unmet_needs[0],
    }
    values = dict(source[model.__name__].__dict__)
    unset = frozenset({"rationale"} if model is Assessment else ())
    ours = construct(model, dict(values), unset)
    theirs = model.model_construct(**{k: v for k, v in values.items() if k not in unset})
    if model is Assessment:
        ours.rationale = theirs.rationale = values["rationale"]
    assert list(ours.__dict__.items()) == list(theirs.__dict__.items())
    assert ours.model_fields_set == theirs.model_fields_set
    assert ours.__pydantic_extra__ == theirs.__pydantic_extra__
    assert ours.__pydantic_private__ == theirs.__pydantic_private__


def test_fact_reader_gives_what_case_facts_gives(cases: list[Case]) -> None:
    read = FactReader(reversed(FACTS))
    assert sorted(read.names) == sorted(FACTS)
    for case in cases:
        facts = case_facts(case, TODAY, 42.5)
        assert read(case, TODAY, 42.5) == [facts[name] for name in read.names]
