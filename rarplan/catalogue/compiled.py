"""A catalogue made ready for assessing cases: built once per catalogue, as `Catalogue.compiled`.

It holds what the assessment reads of every entry, worked out once (the rules as functions,
the needs each entry meets, how a case's facts become the values an entry's rules can tell
apart), and every memo the assessment keeps between cases. Each memo is keyed by values, so a
key always means the same answer, and bounded, so a long batch cannot grow it without end.
A catalogue loaded again (another file, or the same one changed) is a new `Catalogue` with its
own compiled object: nothing is shared between catalogues.
"""

from __future__ import annotations

import operator
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from rarplan.catalogue.facts import FACTS, FactReader
from rarplan.catalogue.rules import (
    Compiled,
    Condition,
    Criterion,
    check_keys,
    compile_condition,
    conditions,
    facts_read,
)
from rarplan.model.case import Case

if TYPE_CHECKING:
    from rarplan.assess.eligibility import Judgement
    from rarplan.assess.result import JudgedIntervention
    from rarplan.assess.selection import Candidate
    from rarplan.catalogue.models import Intervention
    from rarplan.model.plan import InterventionResult

# How many answers each memo keeps: enough for every distinct combination a caseload or a
# 100,000-case batch meets in practice; past it, answers are worked out and not kept.
JUDGEMENTS_PER_ENTRY = 2_000
SHARED_RESULTS = 8_000


@dataclass(frozen=True)
class CompiledEntry:
    """An entry with each of its criteria compiled to a function of the facts and checks."""

    entry: Intervention
    eligibility: tuple[tuple[Criterion, Compiled], ...]
    not_suitable: tuple[tuple[Criterion, Compiled], ...]

    @property
    def criteria(self) -> list[Criterion]:
        return [c for c, _ in (*self.eligibility, *self.not_suitable)]


def compile_entry(entry: Intervention, area: Sequence[str] = ()) -> CompiledEntry:
    """`area`: the regions the entry's provider serves (its catalogue's `regions`)."""
    return CompiledEntry(
        entry,
        tuple((c, compile_condition(c)) for c in entry.eligibility_rules(area)),
        tuple((c, compile_condition(c)) for c in entry.not_suitable),
    )


class CompiledCatalogue:
    """The catalogue's entries, in catalogue order, ready for assessing cases."""

    def __init__(
        self, entries: Iterable[Intervention], areas: Iterable[Sequence[str]] = ()
    ) -> None:
        self.entries: tuple[Intervention, ...] = tuple(entries)
        # Each entry's provider area, in entry order (none given: anywhere).
        area_of = list(areas) or [()] * len(self.entries)
        self.rules: tuple[CompiledEntry, ...] = tuple(map(compile_entry, self.entries, area_of))
        self.ids: tuple[str, ...] = tuple(e.id for e in self.entries)
        self.accredited: tuple[Intervention, ...] = tuple(e for e in self.entries if e.accredited)
        self.memo_keys = MemoKeys(self.rules)
        self._needs = tuple(frozenset(e.needs) for e in self.entries)

        # The memos, filled as cases are assessed.
        # Per entry: its judgement, by its memo key (rarplan.assess.eligibility).
        self.judgements: list[dict[Hashable, Judgement]] = [{} for _ in self.entries]
        # The intervention result of a plan, by judgement and whether the entry meets one of
        # the identified needs: one object shared by every plan with that result, never
        # changed in place (rarplan.assess.assessment).
        self.results: dict[tuple[Judgement, bool], InterventionResult] = {}
        # An intervention result as the `--json` result gives it (with the needs the entry
        # meets), by the result's values: id, status, reasons, addresses_identified_need
        # (rarplan.assess.result).
        self.judged: dict[tuple[str, str, tuple[str, ...], bool], JudgedIntervention] = {}
        # The entries that may be proposed for a need, best first, by (need, setting): at
        # most one for each need and setting (rarplan.assess.selection).
        self.candidates: dict[tuple[str, str], tuple[Candidate, ...]] = {}
        # Whether each entry meets one of the identified needs, by the set of identified
        # needs: at most one for each subset of the ten need areas.
        self._addresses: dict[frozenset[str], tuple[bool, ...]] = {}

    def addresses(self, identified: frozenset[str]) -> tuple[bool, ...]:
        """Whether each entry meets one of the identified needs, in catalogue order."""
        found = self._addresses.get(identified)
        if found is None:
            found = tuple(not identified.isdisjoint(needs) for needs in self._needs)
            self._addresses[identified] = found
        return found


class MemoKeys:
    """How a case becomes each entry's memo key.

    An entry's judgement depends only on the values of the facts and checks its rules read.
    In a key, a list stands as a tuple (hashable), and a number as its place among the
    constants the catalogue's rules compare it with: rules that compare a number with those
    constants alone cannot tell apart two numbers in the same place.
    """

    def __init__(self, rules: Sequence[CompiledEntry]) -> None:
        read_by = [list(dict.fromkeys(f for c in r.criteria for f in facts_read(c))) for r in rules]
        self.read = FactReader(f for names in read_by for f in names)
        self.names: tuple[str, ...] = self.read.names  # the facts some rule reads, in order
        position = {name: at for at, name in enumerate(self.names)}
        # The constants of every rule of the catalogue: a number's place among them all tells
        # apart at least what each entry's own constants do.
        points = thresholds(c for r in rules for c in r.criteria)
        self._lists = [at for at, name in enumerate(self.names) if FACTS[name].kind == "list"]
        self._numbers = [
            (at, points.get(name, ()))
            for at, name in enumerate(self.names)
            if FACTS[name].kind == "number"
        ]
        self._keys = [_key_reader([position[name] for name in names]) for names in read_by]
        # Entries whose rules ask the officer a question: the checks they read.
        self._asking = [
            (at, checks)
            for at, r in enumerate(rules)
            if (checks := tuple(dict.fromkeys(k for c in r.criteria for k, _ in check_keys(c))))
        ]

    def facts(self, case: Case, today: date | None, ogrs: float | None) -> list[Any]:
        """The values of the facts in `names`, in that order, a list as a tuple (hashable, and
        what the rules are given)."""
        facts = self.read(case, today, ogrs)
        for at in self._lists:
            facts[at] = tuple(facts[at])
        return facts

    def keys(self, facts: list[Any], checks: Mapping[str, bool]) -> list[Hashable]:
        """Each entry's memo key, in catalogue order, from `facts(...)` and the case's checks."""
        values = facts.copy()
        for at, points in self._numbers:
            value = values[at]
            if value is not None:
                # Twice the number of points below it, plus one if it is one of them.
                values[at] = bisect_left(points, value) + bisect_right(points, value)
        keys = [key(values) for key in self._keys]
        for at, names in self._asking:
            keys[at] = (keys[at], tuple(checks.get(name) for name in names))
        return keys


def thresholds(criteria: Iterable[Condition]) -> dict[str, tuple[float, ...]]:
    """Per numeric fact, every constant the criteria compare it with, in order."""
    found: dict[str, set[float]] = {}
    for cond in (c for criterion in criteria for c in conditions(criterion)):
        if cond.fact is not None and FACTS[cond.fact].kind == "number":
            bucket = found.setdefault(cond.fact, set())
            for op in ("eq", "ne", "gt", "ge", "lt", "le"):
                value = getattr(cond, op)
                # A boolean too: True == 1 and False == 0 (a number compared with true).
                if isinstance(value, int | float):
                    bucket.add(float(value))
            for values in (cond.in_ or [], cond.not_in or []):
                bucket.update(float(v) for v in values if isinstance(v, int | float))
    return {name: tuple(sorted(values)) for name, values in found.items()}


def _no_facts(values: list[Any]) -> tuple[()]:
    return ()


def _key_reader(positions: list[int]) -> Callable[[list[Any]], Any]:
    """An entry's key from the facts (as they stand in keys): the values it reads."""
    if not positions:
        return _no_facts
    return operator.itemgetter(*positions)  # of one position: the value alone, a key too
