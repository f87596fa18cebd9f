"""Every catalogue entry judged against a case: eligible, excluded (with the card's words), or
check (with the questions an officer must answer).

The status is about the criteria alone (issue 8): whether an entry meets an identified need is
reported beside it and drives the selection, not the status.
"""

from __future__ import annotations

import operator
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from itertools import repeat
from typing import Any, cast

from rarplan.catalogue.facts import FACTS, FactReader, case_facts
from rarplan.catalogue.models import Catalogue, CompiledEntry
from rarplan.catalogue.rules import (
    Condition,
    Criterion,
    check_keys,
    facts_read,
    questions,
    unknown_facts,
)
from rarplan.model.case import Case
from rarplan.model.plan import InterventionResult


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


class Verdict:
    """One distinct judgement of a catalogue entry, shared by every case that gets it.

    It also holds the intervention results the assessment builds from the judgement (one for
    a case with a need the entry meets, one for a case without), so a batch builds each once.
    """

    __slots__ = ("judgement", "results")

    def __init__(self, judgement: Judgement) -> None:
        self.judgement = judgement
        # Indexed by "addresses an identified need"; filled by rarplan.assess.result, never changed.
        self.results: list[InterventionResult | None] = [None, None]


def judge_all(
    catalogue: Catalogue, case: Case, today: date | None = None, ogrs: float | None = None
) -> list[Judgement]:
    """Every entry of the catalogue, in catalogue order."""
    return [v.judgement for v in verdicts(catalogue, case, today, ogrs)]


def verdicts(
    catalogue: Catalogue, case: Case, today: date | None = None, ogrs: float | None = None
) -> list[Verdict]:
    """Every entry of the catalogue judged, in catalogue order.

    An entry's judgement depends only on the facts and checks its rules read, so it is kept
    per entry keyed on those values: a caseload shares most of them, and a batch of thousands
    of cases judges each distinct combination once.
    """
    memos = _memos(catalogue)
    facts = memos.read(case, today, ogrs)
    for at in memos.lists:
        facts[at] = tuple(facts[at])  # hashable, and what the rules are given
    values = facts.copy()
    for at, points in memos.numbers:
        value = values[at]
        if value is not None:
            # Its place among the points: twice the points below it, plus one if it is one.
            # Rules comparing it with those points alone cannot tell apart two numbers in the
            # same place, so the place can stand for the number in a key.
            values[at] = bisect_left(points, value) + bisect_right(points, value)
    keys = list(map(operator.call, memos.keys, repeat(values, len(memos.keys))))
    checks = case.checks
    if checks:
        for at, check_names in memos.asking:
            keys[at] = (keys[at], tuple(checks.get(k) for k in check_names))
    found: list[Verdict | None] = list(map(dict.get, memos.memos, keys))
    if None in found:
        named = dict(zip(memos.read.names, facts, strict=True))
        for at, verdict in enumerate(found):
            if verdict is None:
                verdict = memos.share(judge(catalogue.compiled[at], named, checks))
                memo = memos.memos[at]
                if len(memo) < MEMO_LIMIT:
                    memo[keys[at]] = verdict
                found[at] = verdict
    return cast(list[Verdict], found)  # no None is left


MEMO_LIMIT = 2_000  # per entry: bounds memory in a long batch


@dataclass
class _Memos:
    """A catalogue's memo per entry, and how to read a case's facts into the memos' keys.

    In a key, a list stands as a tuple (hashable) and a number as its place among the
    constants the rules compare it with.
    """

    catalogue: Catalogue
    read: FactReader  # the facts some rule reads
    lists: list[int]  # positions in what `read` gives
    numbers: list[tuple[int, tuple[float, ...]]]  # position, the constants it is compared with
    keys: list[Callable[[list[Any]], Any]]  # per entry: its key from the facts it reads
    asking: list[tuple[int, tuple[str, ...]]]  # entries whose rules ask questions: the keys
    memos: list[dict[Any, Verdict]]
    # Equal judgements become one verdict, so what is built from them can be shared.
    shared: dict[Judgement, Verdict] = field(default_factory=dict)

    def share(self, judgement: Judgement) -> Verdict:
        found = self.shared.get(judgement)
        if found is None:
            found = Verdict(judgement)
            if len(self.shared) < MEMO_LIMIT:
                self.shared[judgement] = found
        return found


_MEMOS: dict[int, _Memos] = {}


def _memos(catalogue: Catalogue) -> _Memos:
    held = _MEMOS.get(id(catalogue))
    if held is None or held.catalogue is not catalogue:
        read_by = []
        asking = []
        all_criteria: list[Criterion] = []
        for at, compiled in enumerate(catalogue.compiled):
            criteria = [c for c, _ in compiled.eligibility + compiled.not_suitable]
            read_by.append(list(dict.fromkeys(f for c in criteria for f in facts_read(c))))
            check_names = tuple(dict.fromkeys(k for c in criteria for k, _ in check_keys(c)))
            if check_names:
                asking.append((at, check_names))
            all_criteria.extend(criteria)
        read = FactReader(f for names in read_by for f in names)
        position = {name: at for at, name in enumerate(read.names)}
        # The constants of every rule of the catalogue: a number's place among them all
        # tells apart at least what each entry's own constants do.
        points = _thresholds(all_criteria)
        held = _Memos(
            catalogue,
            read,
            [at for at, name in enumerate(read.names) if FACTS[name].kind == "list"],
            [
                (at, points.get(name, ()))
                for at, name in enumerate(read.names)
                if FACTS[name].kind == "number"
            ],
            [_key_reader([position[n] for n in names]) for names in read_by],
            asking,
            [{} for _ in read_by],
        )
        _MEMOS[id(catalogue)] = held
    return held


def _thresholds(conditions: list[Criterion]) -> dict[str, tuple[float, ...]]:
    """Per numeric fact, every constant the conditions compare it with."""
    found: dict[str, set[float]] = {}

    def walk(cond: Condition) -> None:
        if cond.fact is not None and FACTS[cond.fact].kind == "number":
            bucket = found.setdefault(cond.fact, set())
            for op in ("eq", "ne", "gt", "ge", "lt", "le"):
                value = getattr(cond, op)
                # A boolean too: True == 1 and False == 0 (a number compared with true).
                if isinstance(value, int | float):
                    bucket.add(float(value))
            for values in (cond.in_ or [], cond.not_in or []):
                bucket.update(float(v) for v in values if isinstance(v, int | float))
        for sub in cond.all or cond.any or []:
            walk(sub)

    for criterion in conditions:
        walk(criterion)
    return {name: tuple(sorted(values)) for name, values in found.items()}


def _key_reader(positions: list[int]) -> Callable[[list[Any]], Any]:
    """A fast function from the facts (as they stand in keys) to an entry's memo key."""
    if not positions:
        # the entry reads no fact: any constant will do, and `len` is a quick one (the number
        # of facts read is the same for every case)
        return len
    return operator.itemgetter(*positions)


def judge_one(
    catalogue: Catalogue, case: Case, entry_id: str, today: date | None = None
) -> Judgement:
    catalogue.get(entry_id)
    facts = case_facts(case, today)
    compiled = next(c for c in catalogue.compiled if c.entry.id == entry_id)
    return judge(compiled, facts, case.checks)
