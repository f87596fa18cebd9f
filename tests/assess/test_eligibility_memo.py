"""The batch fast path judges exactly as the rules do.

`judge_all` reuses a judgement for every case the entry's rules cannot tell apart (same
categories, same place of each number among the rule's constants). Over thousands of varied
generated cases, and over random ones, it must equal judging each entry directly.
"""

from __future__ import annotations

import importlib.util
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from rarplan.assess.eligibility import judge, judge_all
from rarplan.catalogue import models as cat
from rarplan.catalogue.facts import case_facts
from rarplan.model.case import Case
from tests.conftest import REPO

TODAY = date(2026, 11, 23)


def _generator():
    spec = importlib.util.spec_from_file_location("gen_cases", REPO / "bench" / "gen_cases.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def direct(catalogue: cat.Catalogue, case: Case):
    facts = case_facts(case, TODAY)
    return [judge(c, facts, case.checks) for c in catalogue.compiled]


def test_memoised_judgements_equal_direct_ones_on_generated_cases():
    gen = _generator()
    catalogue = cat.load()
    for raw in gen.generate(3000, seed=7):
        case = Case.model_validate(gen.prune(raw))
        assert judge_all(catalogue, case, TODAY) == direct(catalogue, case)


@settings(max_examples=300, deadline=None)
@given(
    age=st.one_of(st.none(), st.integers(10, 120)),
    ogrs=st.one_of(st.none(), st.floats(0, 100)),
    ovp=st.one_of(st.none(), st.sampled_from([0, 26, 27, 27.5, 28, 99])),
    audit=st.one_of(st.none(), st.integers(0, 40)),
    thinking=st.one_of(st.none(), st.integers(0, 20)),
    item=st.one_of(st.none(), st.integers(0, 2)),
    previous=st.one_of(st.none(), st.integers(0, 10)),
    months=st.one_of(st.none(), st.integers(1, 36)),
)
def test_memoised_judgements_equal_direct_ones_at_every_boundary(
    age, ogrs, ovp, audit, thinking, item, previous, months
):
    catalogue = cat.load()
    case = Case.model_validate(
        {
            "crn": "X123456",
            "sex": "male",
            "age": age,
            "sentence": {"length_months": months},
            "offence": {"index_offence": "violence", "previous_convictions": previous},
            "scores": {
                "ogrs": ogrs,
                "ovp": ovp,
                "audit": audit,
                "oasys_thinking_score": thinking,
                "oasys_11_6": item,
                "oasys_total_score": thinking,
            },
        }
    )
    assert judge_all(catalogue, case, TODAY) == direct(catalogue, case)
