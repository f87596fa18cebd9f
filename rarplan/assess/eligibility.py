"""Every catalogue entry judged against a case: eligible, excluded (with the card's words), or
check (with the questions an officer must answer).

The status is about the criteria alone (issue 8): whether an entry meets an identified need is
reported beside it and drives the selection, not the status.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any, NamedTuple, cast

from rarplan.catalogue.compiled import JUDGEMENTS_PER_ENTRY, CompiledEntry
from rarplan.catalogue.facts import FACTS, case_facts
from rarplan.catalogue.models import Catalogue
from rarplan.catalogue.rules import Criterion, questions, unknown_facts
from rarplan.model.case import Case


class Judgement(NamedTuple):
    """One entry judged: a value (equal judgements are equal, and hash alike)."""

    id: str
    status: str  # eligible | excluded | check
    reasons: tuple[str, ...]  # failed criteria in the card's words, or the questions to ask


def _question(
    criterion: Criterion, facts: Mapping[str, Any], checks: Mapping[str, bool], unsuitable: bool
) -> list[str]:
    asked = questions(criterion, checks)
    missing = unknown_facts(criterion, facts)
    if missing:
        # the case file's key to record (once: its label is the same words), or the words
        # for a fact worked out from others ("number of needs")
        labels = ", ".join(
            name
            if FACTS[name].label == name.split(".")[-1].replace("_", " ")
            else FACTS[name].label
            for name in missing
        )
        if unsuitable:
            asked.append(
                f"Not suitable: “{criterion.text}”: does this apply? ({labels} not recorded)"
            )
        else:
            asked.append(f"Eligibility: “{criterion.text}”: is this met? ({labels} not recorded)")
    return asked


def judge(rules: CompiledEntry, facts: Mapping[str, Any], checks: Mapping[str, bool]) -> Judgement:
    """One entry against one case's facts and the officer's answers to its questions."""
    excluded: list[str] = []
    open_questions: list[str] = []
    for criterion, test in rules.eligibility:
        result = test(facts, checks)
        if result is False:
            excluded.append(criterion.text)
        elif result is None:
            open_questions.extend(_question(criterion, facts, checks, unsuitable=False))
    for criterion, test in rules.not_suitable:
        result = test(facts, checks)
        if result is True:
            excluded.append(f"Not suitable: {criterion.text}")
        elif result is None:
            open_questions.extend(_question(criterion, facts, checks, unsuitable=True))
    if excluded:
        return Judgement(rules.entry.id, "excluded", tuple(excluded))
    if open_questions:
        return Judgement(rules.entry.id, "check", tuple(dict.fromkeys(open_questions)))
    return Judgement(rules.entry.id, "eligible", ())


def judge_all(
    catalogue: Catalogue, case: Case, today: date | None = None, ogrs: float | None = None
) -> list[Judgement]:
    """Every entry of the catalogue judged, in catalogue order.

    An entry's judgement depends only on the values of the facts and checks its rules read,
    so it is memoised per entry on those values (`CompiledCatalogue.judgements`): a caseload
    shares most of them, and a batch of thousands of cases judges each distinct combination
    once. `ogrs` stands in for a missing scores.ogrs (an estimate from [ogrs3] inputs).
    """
    compiled = catalogue.compiled
    facts = compiled.memo_keys.facts(case, today, ogrs)
    keys = compiled.memo_keys.keys(facts, case.checks)
    found = list(map(dict.get, compiled.judgements, keys))
    if None in found:
        named = dict(zip(compiled.memo_keys.names, facts, strict=True))
        for at, judgement in enumerate(found):
            if judgement is None:
                judgement = judge(compiled.rules[at], named, case.checks)
                memo = compiled.judgements[at]
                if len(memo) < JUDGEMENTS_PER_ENTRY:
                    memo[keys[at]] = judgement
                found[at] = judgement
    return cast(list[Judgement], found)  # no None is left


def judge_one(
    catalogue: Catalogue, case: Case, entry_id: str, today: date | None = None
) -> Judgement:
    """One entry against a case, judged directly (no memo)."""
    catalogue.get(entry_id)  # an unknown id is an error that suggests the nearest
    rules = catalogue.compiled.rules[catalogue.compiled.ids.index(entry_id)]
    return judge(rules, case_facts(case, today), case.checks)
