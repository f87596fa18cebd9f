"""Eligibility rules: structured criteria transcribed from the rate card, compiled once.

A criterion is a condition on case facts (or a judgement question) plus the card's own words.
Evaluation is three-valued: True, False, or None when a fact it needs is not recorded, which
makes the criterion a question for the officer (`check`), never a silent pass.

Annotations are evaluated as the module loads (no `from __future__ import annotations`), and
empty defaults are written `[]`: docs/DEVELOPING.md, "Models".
"""

from collections.abc import Callable, Iterator, Mapping
from typing import Any, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from rarplan.catalogue.facts import FACTS

Tri = bool | None
Facts = Mapping[str, Any]
Checks = Mapping[str, bool]
Compiled = Callable[[Facts, Checks], Tri]

Scalar = str | bool | int | float

COMPARISONS = ("eq", "ne", "in_", "not_in", "gt", "ge", "lt", "le", "contains", "lacks")
FORMS = frozenset({"fact", "all", "any", "first", "check"})  # a condition is exactly one


class Condition(BaseModel):
    """One test on one fact, a judgement question, or a combination of conditions."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    fact: str | None = None
    eq: Scalar | None = None
    ne: Scalar | None = None
    in_: list[Scalar] | None = Field(default=None, alias="in")
    not_in: list[Scalar] | None = None
    gt: float | None = None
    ge: float | None = None
    lt: float | None = None
    le: float | None = None
    contains: str | None = None  # a list fact includes this value
    lacks: str | None = None  # a list fact does not include this value
    all: "list[Condition] | None" = None
    any: "list[Condition] | None" = None
    # Fallbacks, in order: the first that the case's facts answer (true or false) decides ("if
    # SARA is not available, ...; if OVP is not available, ..."); none answered: a question.
    first: "list[Condition] | None" = Field(default=None, min_length=2)
    # A judgement question: its key in the case's [checks] table, and the question itself.
    check: str | None = None
    question: str | None = None

    @model_validator(mode="after")
    def _shape(self) -> Self:
        # The keys given a value (a catalogue gives two or three of its fifteen).
        given = {key for key in self.model_fields_set if getattr(self, key) is not None}
        ops = [op for op in COMPARISONS if op in given]
        if len(given & FORMS) != 1:
            raise ValueError("give exactly one of fact, all, any, first or check")
        if self.fact is not None:
            fact = FACTS.get(self.fact)
            if fact is None:
                raise ValueError(f"unknown fact {self.fact!r}; allowed: {', '.join(FACTS)}")
            if not ops:
                raise ValueError(f"fact {self.fact!r} needs a test: {', '.join(_op_names())}")
            for op in ops:
                _check_operand(fact.name, fact.kind, fact.choices, op, getattr(self, op))
        elif ops:
            raise ValueError(f"{', '.join(_op_names(ops))} go with fact")
        if self.check is not None and not self.question:
            raise ValueError(f"check {self.check!r} needs a question")
        if self.gt is not None and self.lt is not None and self.gt >= self.lt:
            raise ValueError(f"inverted range: gt {self.gt:g} is not below lt {self.lt:g}")
        if self.ge is not None and self.le is not None and self.ge > self.le:
            raise ValueError(f"inverted range: ge {self.ge:g} is above le {self.le:g}")
        return self


def _op_names(ops: list[str] | tuple[str, ...] = COMPARISONS) -> list[str]:
    return ["in" if op == "in_" else op for op in ops]


def _check_operand(name: str, kind: str, choices: tuple[str, ...], op: str, value: Any) -> None:
    where = f"{name} {'in' if op == 'in_' else op}"
    if op in ("gt", "ge", "lt", "le"):
        if kind != "number":
            raise ValueError(f"{where}: {name} is not a number")
        return
    if op in ("contains", "lacks"):
        if kind != "list":
            raise ValueError(f"{where}: {name} is not a list")
        values = [value]
    else:
        values = value if isinstance(value, list) else [value]
    for v in values:
        if kind == "bool" and not isinstance(v, bool):
            raise ValueError(f"{where}: {name} is true or false, not {v!r}")
        if choices and str(v) not in choices:
            raise ValueError(f"{where}: {v!r} is not allowed; allowed: {', '.join(choices)}")


class Criterion(Condition):
    """A condition with the rate card's words, used to explain the result."""

    text: str = Field(min_length=1)
    # How the card's words were read into the rule, where that needed interpretation.
    note: str | None = None

    @model_validator(mode="after")
    def _not_too_deep(self) -> Self:
        if _depth(self) > MAX_RULE_DEPTH:
            raise ValueError(f"a rule nested more than {MAX_RULE_DEPTH} levels deep")
        return self


# A card's criteria nest two or three levels; deeper is a mistake or an attack (issue 19).
MAX_RULE_DEPTH = 8


def _depth(cond: Condition) -> int:
    """Levels of all/any in a condition (a plain test is 1); stops counting past the bound."""
    parts = (cond.all or []) + (cond.any or [])
    level = 1
    while parts and level <= MAX_RULE_DEPTH:
        level += 1
        parts = [p for c in parts for p in (c.all or []) + (c.any or [])]
    return level


def compile_condition(cond: Condition) -> Compiled:
    """Turn a condition into a fast closure over (facts, checks)."""
    if cond.all is not None:
        parts = [compile_condition(c) for c in cond.all]

        def all_(facts: Facts, checks: Checks) -> Tri:
            unknown = False
            for part in parts:
                r = part(facts, checks)
                if r is False:
                    return False
                if r is None:
                    unknown = True
            return None if unknown else True

        return all_
    if cond.any is not None:
        parts = [compile_condition(c) for c in cond.any]

        def any_(facts: Facts, checks: Checks) -> Tri:
            unknown = False
            for part in parts:
                r = part(facts, checks)
                if r is True:
                    return True
                if r is None:
                    unknown = True
            return None if unknown else False

        return any_
    if cond.first is not None:
        options = [compile_condition(c) for c in cond.first]

        def first_(facts: Facts, checks: Checks) -> Tri:
            for option in options:
                result = option(facts, checks)
                if result is not None:
                    return result
            return None

        return first_
    if cond.check is not None:
        key = cond.check
        return lambda facts, checks: checks.get(key)
    assert cond.fact is not None
    return _compile_fact(cond)


def _compile_fact(cond: Condition) -> Compiled:
    name = cond.fact
    assert name is not None
    # The rule's words spelt as the fact's values are (facts.py: a prison with or without "HMP").
    norm = FACTS[name].normalise or (lambda word: word)
    tests: list[Callable[[Any], bool]] = []
    if cond.eq is not None:
        eq = norm(cond.eq)
        tests.append(lambda v: v == eq)
    if cond.ne is not None:
        ne = norm(cond.ne)
        tests.append(lambda v: v != ne)
    if cond.in_ is not None:
        members = frozenset(map(norm, cond.in_))
        tests.append(lambda v: v in members)
    if cond.not_in is not None:
        outside = frozenset(map(norm, cond.not_in))
        tests.append(lambda v: v not in outside)
    if cond.gt is not None:
        gt = cond.gt
        tests.append(lambda v: v > gt)
    if cond.ge is not None:
        ge = cond.ge
        tests.append(lambda v: v >= ge)
    if cond.lt is not None:
        lt = cond.lt
        tests.append(lambda v: v < lt)
    if cond.le is not None:
        le = cond.le
        tests.append(lambda v: v <= le)
    if cond.contains is not None:
        item = cond.contains
        tests.append(lambda v: item in v)
    if cond.lacks is not None:
        absent = cond.lacks
        tests.append(lambda v: absent not in v)

    def fact_(facts: Facts, checks: Checks) -> Tri:
        value = facts.get(name)
        if value is None:
            return None
        return all(t(value) for t in tests)

    return fact_


def unknown_facts(cond: Condition, facts: Facts) -> list[str]:
    """The facts a condition needs that the case does not record (for the check question)."""
    if cond.fact is not None:
        return [cond.fact] if facts.get(cond.fact) is None else []
    out: list[str] = []
    for sub in _parts(cond):
        out.extend(f for f in unknown_facts(sub, facts) if f not in out)
    return out


def _parts(cond: Condition) -> list[Condition]:
    return cond.all or cond.any or cond.first or []


def facts_read(cond: Condition) -> list[str]:
    """Every fact a condition reads."""
    if cond.fact is not None:
        return [cond.fact]
    return [f for sub in _parts(cond) for f in facts_read(sub)]


def questions(cond: Condition, checks: Checks) -> list[str]:
    """The judgement questions a condition asks that have no answer yet."""
    if cond.check is not None:
        return [] if cond.check in checks else [cond.question or cond.check]
    out: list[str] = []
    for sub in _parts(cond):
        out.extend(q for q in questions(sub, checks) if q not in out)
    return out


def check_keys(cond: Condition) -> list[tuple[str, str]]:
    """Every (check key, question) a condition can ask."""
    if cond.check is not None:
        return [(cond.check, cond.question or cond.check)]
    out: list[tuple[str, str]] = []
    for sub in _parts(cond):
        out.extend(k for k in check_keys(sub) if k not in out)
    return out


def describe(cond: Condition) -> str:
    """The rule in readable words, for `catalogue show`."""
    if cond.all is not None:
        return " and ".join(_paren(describe(c)) for c in cond.all)
    if cond.any is not None:
        return " or ".join(_paren(describe(c)) for c in cond.any)
    if cond.first is not None:
        head, *rest = cond.first
        return f"{_paren(describe(head))}" + "".join(
            f"; if not recorded: {_paren(describe(c))}" for c in rest
        )
    if cond.check is not None:
        return f"officer's judgement: {cond.question}"
    parts = []
    words = {"eq": "is", "ne": "is not", "gt": ">", "ge": "≥", "lt": "<", "le": "≤"}
    for op in COMPARISONS:
        value = getattr(cond, op)
        if value is None:
            continue
        if op == "in_" and len(value) == 1:
            parts.append(f"{cond.fact} is {_word(value[0])}")
        elif op == "in_":
            parts.append(f"{cond.fact} is one of {', '.join(map(_word, value))}")
        elif op == "not_in":
            parts.append(f"{cond.fact} is none of {', '.join(map(_word, value))}")
        elif op == "contains":
            parts.append(f"{cond.fact} includes {value}")
        elif op == "lacks":
            parts.append(f"{cond.fact} does not include {value}")
        else:
            parts.append(f"{cond.fact} {words[op]} {_word(value)}")
    return " and ".join(parts)


def _word(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _paren(text: str) -> str:
    return f"({text})" if (" and " in text or " or " in text) else text


def conditions(cond: Condition) -> Iterator[Condition]:
    """A condition and every condition inside it, outermost first."""
    yield cond
    for sub in _parts(cond):
        yield from conditions(sub)
