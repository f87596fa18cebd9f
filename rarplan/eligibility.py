"""Every catalogue entry judged against a case: eligible, excluded (with the card's words), or
check (with the questions an officer must answer).

The status is about the criteria alone (issue 8): whether an entry meets an identified need is
reported beside it and drives the selection, not the status.
"""

from __future__ import annotations

import bisect
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from rarplan.case import Case
from rarplan.catalogue import Catalogue, CompiledEntry
from rarplan.facts import FACTS, case_facts
from rarplan.rules import (
    Condition,
    Criterion,
    check_keys,
    facts_read,
    questions,
    unknown_facts,
)


@dataclass(frozen=True)
class Judgement:
    id: str
    status: str  # eligible | excluded | check
    reasons: tuple[str, ...]


def _question(
    criterion: Criterion, facts: Mapping[str, Any], checks: Mapping[str, bool], unsuitable: bool
) -> list[str]:
    asked = questions(criterion, checks)
    missing = unknown_facts(criterion, facts)
    if missing:
        labels = ", ".join(f"{name} ({FACTS[name].label})" for name in missing)
        if unsuitable:
            asked.append(
                f"Not suitable: “{criterion.text}”: does this apply? ({labels} not recorded)"
            )
        else:
            asked.append(f"Eligibility: “{criterion.text}”: is this met? ({labels} not recorded)")
    return asked


def judge(
    compiled: CompiledEntry, facts: Mapping[str, Any], checks: Mapping[str, bool]
) -> Judgement:
    """One entry against one case's facts."""
    excluded: list[str] = []
    open_questions: list[str] = []
    for criterion, test in compiled.eligibility:
        result = test(facts, checks)
        if result is False:
            excluded.append(criterion.text)
        elif result is None:
            open_questions.extend(_question(criterion, facts, checks, unsuitable=False))
    for criterion, test in compiled.not_suitable:
        result = test(facts, checks)
        if result is True:
            excluded.append(f"Not suitable: {criterion.text}")
        elif result is None:
            open_questions.extend(_question(criterion, facts, checks, unsuitable=True))
    if excluded:
        return Judgement(compiled.entry.id, "excluded", tuple(excluded))
    if open_questions:
        return Judgement(compiled.entry.id, "check", tuple(dict.fromkeys(open_questions)))
    return Judgement(compiled.entry.id, "eligible", ())


def judge_all(
    catalogue: Catalogue, case: Case, today: date | None = None, ogrs: float | None = None
) -> list[Judgement]:
    """Every entry of the catalogue, in catalogue order.

    An entry's judgement depends only on the facts and checks its rules read, so it is kept
    per entry keyed on those values: a caseload shares most of them, and a batch of thousands
    of cases judges each distinct combination once.
    """
    facts = case_facts(case, today, ogrs)
    for name, value in facts.items():
        if isinstance(value, list):
            facts[name] = tuple(value)
    checks = case.checks
    out = []
    for compiled, read_facts, check_names, memo in _memos(catalogue):
        key: Any = read_facts(facts)
        if checks and check_names:
            key = (key, tuple(checks.get(k) for k in check_names))
        found = memo.get(key)
        if found is None:
            found = judge(compiled, facts, checks)
            # Equal judgements become one object, so what is built from them can be shared.
            found = _INTERNED.setdefault(found, found) if len(_INTERNED) < MEMO_LIMIT else found
            if len(memo) < MEMO_LIMIT:
                memo[key] = found
        out.append(found)
    return out


MEMO_LIMIT = 2_000  # per entry: bounds memory in a long batch
_INTERNED: dict[Judgement, Judgement] = {}
Memo = tuple[
    CompiledEntry, Callable[[Mapping[str, Any]], Any], tuple[str, ...], dict[Any, Judgement]
]
_MEMOS: dict[int, tuple[Catalogue, list[Memo]]] = {}


def _memos(catalogue: Catalogue) -> list[Memo]:
    held = _MEMOS.get(id(catalogue))
    if held is None or held[0] is not catalogue:
        rows: list[Memo] = []
        for compiled in catalogue.compiled:
            criteria = [c for c, _ in compiled.eligibility + compiled.not_suitable]
            fact_names = tuple(dict.fromkeys(f for c in criteria for f in facts_read(c)))
            check_names = tuple(dict.fromkeys(k for c in criteria for k, _ in check_keys(c)))
            reader = _reader(fact_names, _thresholds(criteria))
            rows.append((compiled, reader, check_names, {}))
        held = (catalogue, rows)
        _MEMOS[id(catalogue)] = held
    return held[1]


def _thresholds(conditions: list[Criterion]) -> dict[str, tuple[float, ...]]:
    """Per numeric fact, every constant the conditions compare it with."""
    found: dict[str, set[float]] = {}

    def walk(cond: Condition) -> None:
        if cond.fact is not None and FACTS[cond.fact].kind == "number":
            bucket = found.setdefault(cond.fact, set())
            for op in ("eq", "ne", "gt", "ge", "lt", "le"):
                value = getattr(cond, op)
                if isinstance(value, int | float) and not isinstance(value, bool):
                    bucket.add(float(value))
            for values in (cond.in_ or [], cond.not_in or []):
                bucket.update(float(v) for v in values if isinstance(v, int | float))
        for sub in cond.all or cond.any or []:
            walk(sub)

    for criterion in conditions:
        walk(criterion)
    return {name: tuple(sorted(values)) for name, values in found.items()}


def _interval(points: tuple[float, ...]) -> Callable[[Any], Any]:
    """A number's place among `points`: rules comparing it with those points alone cannot
    tell apart two numbers in the same place, so it can stand for the number in a memo key."""

    def place(value: Any) -> Any:
        if value is None:
            return None
        at = bisect.bisect_left(points, value)
        return at * 2 + (at < len(points) and points[at] == value)

    return place


def _reader(
    names: tuple[str, ...], thresholds: Mapping[str, tuple[float, ...]]
) -> Callable[[Mapping[str, Any]], Any]:
    """A fast function from the facts to a hashable key of what the rules can tell apart."""
    if not names:
        return lambda facts: ()
    numeric = {n: _interval(thresholds[n]) for n in names if thresholds.get(n)}
    if not numeric:
        getter = operator.itemgetter(*names)
        return lambda facts: getter(facts)
    parts = [(n, numeric.get(n)) for n in names]

    def key(facts: Mapping[str, Any]) -> Any:
        return tuple(f(facts[n]) if f is not None else facts[n] for n, f in parts)

    return key


def judge_one(
    catalogue: Catalogue, case: Case, entry_id: str, today: date | None = None
) -> Judgement:
    catalogue.get(entry_id)
    facts = case_facts(case, today)
    compiled = next(c for c in catalogue.compiled if c.entry.id == entry_id)
    return judge(compiled, facts, case.checks)
