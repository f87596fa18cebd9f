"""The facts a catalogue rule may test, taken from a case.

A rule names a fact by its case-file path (`sex`, `scores.ovp`, `circumstances.works_shifts`).
This registry is built from the case model, so a catalogue can only name facts that exist and
only compare them with values they can take.

A fact may have a `normalise` function, applied to the case's value and to the words a rule
compares it with, so that spellings meaning the same thing match: a prison is the same prison
with or without "HMP" and in any case ("East Sutton Park", "HMP East Sutton Park").
"""

from __future__ import annotations

import operator
import re
import types
import typing
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any, Literal, NamedTuple, get_args, get_origin

from pydantic import BaseModel

from rarplan.model.case import PROBATION_REGIONS, Case

SECTIONS = ("sentence", "offence", "scores", "needs", "circumstances")
TOP_LEVEL = ("sex", "age", "region")


class Fact(NamedTuple):
    name: str
    kind: str  # "bool" | "number" | "choice" | "list" | "text"
    choices: tuple[str, ...] = ()
    label: str = ""
    # Applied to the case's value and to the rule's words before they are compared.
    normalise: Callable[[Any], Any] | None = None


# Words that name a prison's kind, not the prison: "HMP", "HMP/YOI", "HM Prison", "Prison".
_PRISON_WORDS = frozenset({"hmp", "hmpyoi", "hmyoi", "yoi", "hm", "prison", "and"})


def establishment_key(name: Any) -> Any:
    """A prison's name as rules compare it: without "HMP" and the like, in lower case, single
    spaced ("HMP  East Sutton Park" and "east sutton park" are both "east sutton park")."""
    if not isinstance(name, str):
        return name
    words = re.sub(r"[/&,]", " ", name.casefold().replace(".", "")).split()
    while words and words[0] in _PRISON_WORDS:
        words.pop(0)
    while words and words[-1] in _PRISON_WORDS:
        words.pop()
    return " ".join(words) or name.casefold().strip()


def _unwrap(annotation: Any) -> Any:
    """Strip Optional and Annotated down to the bare type."""
    while True:
        origin = get_origin(annotation)
        if origin is typing.Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in get_args(annotation) if a is not type(None)]
            annotation = args[0] if len(args) == 1 else annotation
            if len(args) != 1:
                return annotation
        else:
            return annotation


def _fact(name: str, annotation: Any) -> Fact:
    bare = _unwrap(annotation)
    label = name.split(".")[-1].replace("_", " ")
    if bare is bool:
        return Fact(name, "bool", label=label)
    if bare in (int, float):
        return Fact(name, "number", label=label)
    if get_origin(bare) is Literal:
        return Fact(name, "choice", tuple(str(a) for a in get_args(bare)), label)
    if get_origin(bare) is list:
        inner = _unwrap(get_args(bare)[0])
        choices = tuple(str(a) for a in get_args(inner)) if get_origin(inner) is Literal else ()
        return Fact(name, "list", choices, label)
    return Fact(name, "text", label=label)


def _build() -> dict[str, Fact]:
    facts: dict[str, Fact] = {}
    for name in TOP_LEVEL:
        facts[name] = _fact(name, Case.model_fields[name].annotation)
    for section in SECTIONS:
        model = _unwrap(Case.model_fields[section].annotation)
        assert issubclass(model, BaseModel)
        for field, info in model.model_fields.items():
            if section == "sentence" and field == "start_date":
                continue
            facts[f"{section}.{field}"] = _fact(f"{section}.{field}", info.annotation)
    facts["sentence.establishment"] = Fact(
        "sentence.establishment", "text", label="establishment", normalise=establishment_key
    )
    facts["needs.count"] = Fact("needs.count", "number", label="number of needs")
    facts["sentence.months_left"] = Fact("sentence.months_left", "number", label="months left")
    facts["probation_region"] = Fact(
        "probation_region", "choice", PROBATION_REGIONS, label="probation region"
    )
    # Whether the case gives its region at all: a provider's area (the catalogue's `regions`)
    # is not questioned for a case that does not (rarplan.catalogue.models).
    facts["region_recorded"] = Fact("region_recorded", "bool", label="region recorded")
    return facts


FACTS: dict[str, Fact] = _build()


def case_facts(case: Case, today: date | None = None, ogrs: float | None = None) -> dict[str, Any]:
    """Flatten a case into {fact name: value}; a missing value is None (unknown).

    `ogrs` stands in for a missing scores.ogrs (an estimate from [ogrs3] inputs).
    """
    values: dict[str, Any] = {"sex": case.sex, "region": case.region}
    for section in SECTIONS:
        for field, value in getattr(case, section).__dict__.items():
            values[f"{section}.{field}"] = value
    for name, derive in DERIVED.items():
        values[name] = derive(case, today)
    if values["scores.ogrs"] is None and ogrs is not None:
        values["scores.ogrs"] = ogrs
    return values


# Facts that are not a field of the case as written, worked out from it.
DERIVED: dict[str, Callable[[Case, date | None], Any]] = {
    "age": lambda case, today: case.age_on(case.sentence.start_date or today or date.today()),
    "needs.count": lambda case, today: len(case.needs.identified()),
    "probation_region": lambda case, today: case.probation_region,
    "region_recorded": lambda case, today: case.region is not None,
    "sentence.months_left": lambda case, today: case.sentence.months_left(today or date.today()),
    "sentence.establishment": lambda case, today: establishment_key(case.sentence.establishment),
}


class FactReader:
    """A fast `case_facts` for some facts only: their values as a list, in `names` order.

    A batch reads the facts its rules test for every case; fetching just those, a section's
    fields at a time, costs a fraction of flattening the whole case.
    """

    def __init__(self, names: Iterable[str]) -> None:
        wanted = list(dict.fromkeys(names))
        by_section: dict[str, list[str]] = {}  # "" for the top level (sex, region)
        for name in wanted:
            if name not in DERIVED:
                by_section.setdefault(name.rpartition(".")[0], []).append(name)
        self._sections = [
            (section, _getter([n.rpartition(".")[2] for n in in_section]))
            for section, in_section in by_section.items()
        ]
        fields = [n for in_section in by_section.values() for n in in_section]
        self._derived = [DERIVED[name] for name in DERIVED if name in wanted]
        self.names: tuple[str, ...] = (*fields, *(name for name in DERIVED if name in wanted))
        self._ogrs = self.names.index("scores.ogrs") if "scores.ogrs" in wanted else None

    def __call__(
        self, case: Case, today: date | None = None, ogrs: float | None = None
    ) -> list[Any]:
        values: list[Any] = []
        for section, get in self._sections:
            values.extend(get((getattr(case, section) if section else case).__dict__))
        for derive in self._derived:
            values.append(derive(case, today))
        if self._ogrs is not None and values[self._ogrs] is None and ogrs is not None:
            values[self._ogrs] = ogrs
        return values


def _getter(keys: list[str]) -> Callable[[dict[str, Any]], tuple[Any, ...]]:
    if len(keys) == 1:  # itemgetter of one key gives the value, not a tuple
        key = keys[0]
        return lambda values: (values[key],)
    return operator.itemgetter(*keys)
