"""Every catalogue entry judged against a case: eligible, excluded (with the card's words), or
check (with the questions an officer must answer).

The status is about the criteria alone (issue 8): whether an entry meets an identified need is
reported beside it and drives the selection, not the status.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from rarplan.case import Case
from rarplan.catalogue import Catalogue, CompiledEntry
from rarplan.facts import FACTS, case_facts
from rarplan.rules import Criterion, questions, unknown_facts


@dataclass(frozen=True)
class Judgement:
    id: str
    status: str  # eligible | excluded | check
    reasons: tuple[str, ...]


def _question(criterion: Criterion, facts: Mapping[str, Any], checks: Mapping[str, bool],
              unsuitable: bool) -> list[str]:
    asked = questions(criterion, checks)
    missing = unknown_facts(criterion, facts)
    if missing:
        labels = ", ".join(f"{name} ({FACTS[name].label})" for name in missing)
        if unsuitable:
            asked.append(f"Not suitable: “{criterion.text}”: does this apply? ({labels} not recorded)")
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


def judge_all(catalogue: Catalogue, case: Case, today: date | None = None) -> list[Judgement]:
    """Every entry of the catalogue, in catalogue order."""
    facts = case_facts(case, today)
    return [judge(c, facts, case.checks) for c in catalogue.compiled]


def judge_one(catalogue: Catalogue, case: Case, entry_id: str,
              today: date | None = None) -> Judgement:
    catalogue.get(entry_id)
    facts = case_facts(case, today)
    compiled = next(c for c in catalogue.compiled if c.entry.id == entry_id)
    return judge(compiled, facts, case.checks)
