"""Which facts matter for a case: the wizard asks a question only when its answer can change
the assessment.

A fact matters when a rule reads it of an intervention that meets one of the identified needs,
in the person's setting, and that the answers so far do not already exclude (the values the
rules compare it with tell which choices matter); or when the assessment itself reads it: a
treatment requirement's fact for its need (RAR guidance 001, section 2). Read from the
catalogue each time, so a catalogue that starts reading a fact makes the wizard ask it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rarplan.catalogue.compiled import CompiledEntry
from rarplan.catalogue.models import Catalogue
from rarplan.catalogue.rules import Criterion, check_keys, conditions, facts_read
from rarplan.model.case import Case


@dataclass
class Relevant:
    """The facts that matter, each with the words the rules compare it with."""

    facts: dict[str, set[str]] = field(default_factory=dict)
    everything: bool = False  # the case could not be built: ask every question

    def __contains__(self, fact: str) -> bool:
        return self.everything or fact in self.facts

    def values(self, fact: str) -> set[str] | None:
        """The values compared (None: all of them matter)."""
        return None if self.everything else self.facts.get(fact, set())


def relevant(case: Case | None, catalogue: Catalogue) -> Relevant:
    """The facts read for `case` (every fact when there is no case yet)."""
    from rarplan.assess.treatment import TREATMENTS
    from rarplan.catalogue.facts import case_facts

    if case is None:
        return Relevant(everything=True)
    needs = set(case.needs.identified())
    setting = case.sentence.setting
    facts = case_facts(case)
    compiled = catalogue.compiled
    found: dict[str, set[str]] = {}
    for at, entry in enumerate(compiled.entries):
        if not needs & set(entry.needs) or entry.setting not in ("either", setting):
            continue
        if _surely_excluded(compiled.rules[at], facts, case.checks):
            continue
        for criterion in (*entry.eligibility_rules(), *entry.not_suitable):
            for cond in conditions(criterion):
                if cond.fact is None:
                    continue
                compared = [cond.eq, cond.ne, cond.contains, cond.lacks]
                compared += [*(cond.in_ or []), *(cond.not_in or [])]
                found.setdefault(cond.fact, set()).update(
                    str(v) for v in compared if isinstance(v, str)
                )
    for t in TREATMENTS:
        if t.need in needs:
            found.setdefault(f"circumstances.{t.fact}", set())
    return Relevant(found)


def _surely_excluded(rules: CompiledEntry, facts: dict[str, Any], checks: dict[str, bool]) -> bool:
    """Whether a criterion that reads only facts already known excludes the entry: then no
    other answer can change that. (An exclusion resting on an unknown fact may not stand: a
    `first` rule falls back to its next condition while its first fact is unknown.)"""

    def settled(criterion: Criterion) -> bool:
        return not check_keys(criterion) and all(
            facts.get(f) is not None for f in facts_read(criterion)
        )

    return any(settled(c) and rule(facts, checks) is False for c, rule in rules.eligibility) or any(
        settled(c) and rule(facts, checks) is True for c, rule in rules.not_suitable
    )
