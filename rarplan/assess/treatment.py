"""What comes before a RAR (guidance 001, section 2): a treatment requirement meets the need it
treats, and an accredited programme the needs it addresses; the RAR (or, with no RAR, the
other activity) takes the identified needs left. One table of the three treatment
requirements, the rule for which of them a case holds, and the one rule for the needs left,
used by the assessment, its paragraphs, the documents and `--json`.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from rarplan.catalogue.models import Catalogue
    from rarplan.model.case import Case
    from rarplan.model.plan import Assessment


class Treatment(NamedTuple):
    """A treatment requirement a court may make instead of meeting the need in a RAR."""

    requirement: str  # its key in a case's `other_requirements` and a plan's assessment
    name: str  # "alcohol treatment requirement"
    short: str  # "ATR"
    fact: str  # the case's circumstance that calls for it ("alcohol_dependent")
    fact_words: str  # that circumstance in words ("alcohol dependence")
    need: str  # the need it meets

    @property
    def titled(self) -> str:
        """'alcohol treatment requirement (ATR)'."""
        return f"{self.name} ({self.short})"

    def with_article(self, short: bool = True) -> str:
        """'an alcohol treatment requirement (ATR)', or without the short name."""
        article = "an" if self.name[0] in "aeiou" else "a"
        return f"{article} {self.titled if short else self.name}"


TREATMENTS = (
    Treatment(
        "alcohol_treatment",
        "alcohol treatment requirement",
        "ATR",
        "alcohol_dependent",
        "alcohol dependence",
        "alcohol_misuse",
    ),
    Treatment(
        "drug_rehabilitation",
        "drug rehabilitation requirement",
        "DRR",
        "misuses_illegal_drugs",
        "misuse of illegal drugs",
        "drug_misuse",
    ),
    Treatment(
        "mental_health_treatment",
        "mental health treatment requirement",
        "MHTR",
        "treatable_mental_health_condition",
        "a treatable mental health condition",
        "emotional_management",
    ),
)
BY_REQUIREMENT = {t.requirement: t for t in TREATMENTS}


def titled(requirement: str) -> str:
    """A requirement's name for a person ('alcohol treatment requirement (ATR)'); a key this
    table does not know, in words."""
    known = BY_REQUIREMENT.get(requirement)
    return known.titled if known else requirement.replace("_", " ")


def rar_needs(
    needs: Sequence[str], treatments: Sequence[str], programme_needs: Collection[str]
) -> list[str]:
    """The identified needs left for the RAR (or, without one, for other activity): those no
    treatment requirement or accredited programme meets (section 2)."""
    met = {BY_REQUIREMENT[t].need for t in treatments}
    return [n for n in needs if n not in met and n not in programme_needs]


def needs_left(assessment: Assessment, catalogue: Catalogue) -> list[str]:
    """`rar_needs` of an assessment already made (its programmes' needs from the catalogue):
    what the documents and `--json` list as the needs the RAR (or other activity) addresses."""
    programme_needs = {
        n
        for entry_id in assessment.accredited_programmes
        if (entry := catalogue.entries.get(entry_id)) is not None
        for n in entry.needs
    }
    return rar_needs(assessment.needs, assessment.treatment_requirements, programme_needs)


def treatment_requirements(case: Case) -> tuple[list[str], dict[str, str]]:
    """The treatment requirements that meet needs instead of a RAR, and those needs.

    Before sentence, those the circumstances call for (proposed, subject to consent); after
    sentence, only those the order contains (section 2: the court makes the requirement).
    """
    found: list[str] = []
    met: dict[str, str] = {}
    ordered = case.sentence.other_requirements
    for t in TREATMENTS:
        if case.sentence.stage == "sentenced":
            if t.requirement not in ordered:
                continue
        elif not getattr(case.circumstances, t.fact):
            continue
        found.append(t.requirement)
        met[t.need] = t.requirement
    return found, met
