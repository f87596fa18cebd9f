"""The intervention catalogue's file format (checked on loading), and the loaded catalogue.

Two catalogues are shipped: `data/interventions.toml`, transcribed from the KSS CRC rate card
(docs/sources/003_2c3b0962518856ac.txt), and `data/structured-interventions.toml`, the national
Structured Interventions (docs/sources/reference/structured-interventions.md). A provider may
supply its own file with the same format; `rarplan.catalogue.load` reads and checks one, and
`Catalogue.merge` uses several together.

Annotations are evaluated as the module loads (no `from __future__ import annotations`), and
empty defaults are written `[]`: docs/DEVELOPING.md, "Models".
"""

from collections.abc import Iterator, Sequence
from functools import cached_property
from typing import TYPE_CHECKING, Annotated, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from rarplan.catalogue.rules import Condition, Criterion, conditions
from rarplan.model.case import REGION_NAMES, ProbationRegion
from rarplan.model.dates import HHMM
from rarplan.model.errors import InvalidInput
from rarplan.model.needs import NeedArea

if TYPE_CHECKING:
    from rarplan.catalogue.compiled import CompiledCatalogue

SessionKind = Literal[
    "group", "individual", "pre_group", "three_way", "assessment", "conference", "full_day"
]
Positive = Annotated[int, Field(gt=0)]
# Bounds `catalogue check` holds a catalogue to (docs/data.md, "Your data"): a card's sessions
# are tens, never millions (a count of 100,000,000 once passed, and scheduling it took 7 GB).
MAX_SESSIONS = 500
Sessions = Annotated[int, Field(gt=0, le=MAX_SESSIONS)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SessionPart(_Strict):
    """A structured part of the duration: '22 group sessions of two and a half hours'."""

    kind: SessionKind
    count: Sessions
    minutes: Annotated[int, Field(gt=0, le=600)] | None = None  # None: the card gives no length
    up_to: bool = False  # "Up to 12 sessions dependent on need"


class Duration(_Strict):
    """The card's duration, as structured parts, a cap in hours, or a span of months."""

    text: list[str] = Field(min_length=1)  # the card's own words
    sessions: list[SessionPart] = []
    max_hours: Annotated[float, Field(gt=0, le=1000)] | None = None
    # MSRP: "each session is approximately 20 minutes"
    session_minutes: Annotated[int, Field(gt=0, le=600)] | None = None
    three_way_assessment: bool = False
    max_visits: Sessions | None = None
    months: list[Annotated[int, Field(gt=0, le=36)]] = []  # mentoring blocks, wrap-around
    # "six sessions over six weeks", "over two weeks"
    over_weeks: Annotated[int, Field(gt=0, le=520)] | None = None
    negotiated: bool = False

    @model_validator(mode="after")
    def _some_shape(self) -> Self:
        if not (
            self.sessions or self.max_hours or self.months or self.negotiated or self.over_weeks
        ):
            raise ValueError("give sessions, max_hours, months, over_weeks or negotiated = true")
        if sum(p.count for p in self.sessions) > MAX_SESSIONS:
            raise ValueError(f"sessions: more than {MAX_SESSIONS} in all")
        return self

    @property
    def session_count(self) -> int:
        return sum(p.count for p in self.sessions)


class Nsi(_Strict):
    """The nDelius Non Statutory Intervention category and sub-category, as the card gives."""

    category: str = Field(min_length=1)
    sub_category: str = Field(min_length=1)
    notes: str | None = None  # what the card asks for in the NSI notes field


class Source(_Strict):
    file: str = Field(min_length=1)
    heading: str = Field(min_length=1)


class Timetable(_Strict):
    """When the provider runs the group (weekday and start time), where it is known."""

    weekday: Literal["mon", "tue", "wed", "thu", "fri"]
    start: Annotated[str, Field(pattern=HHMM)]


class Intervention(_Strict):
    id: Annotated[str, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
    name: str = Field(min_length=1)
    # What a person would call it, for the plan handed to them ("Help finding a place to live");
    # empty: the name. `outcomes`: the default desired outcomes, in the person's words and true
    # of any order (guidance 001 section 5: agreed ahead); empty: from the card's aims.
    plain_name: str = ""
    outcomes: list[Annotated[str, Field(min_length=1)]] = []
    section: str = Field(min_length=1)
    summary: str = ""
    needs: list[NeedArea] = Field(min_length=1)
    accredited: bool = False
    setting: Literal["community", "custody", "either"]
    delivery: Literal["group", "one_to_one", "either"]
    counts_towards_rar: bool = True
    aims: list[str] = Field(min_length=1)
    duration: Duration
    eligibility: list[Criterion] = []
    not_suitable: list[Criterion] = []
    prerequisites: list[str] = []  # ids to complete first (TTG level 1 before level 2)
    may_precede: list[str] = []  # ids this may be sequenced before (BEAI before DA work)
    timetable: Timetable | None = None
    # The nDelius NSI the rate card refers by; none for the national Structured Interventions,
    # which are referred through HMPPS's own service (`referral` below).
    nsi: Nsi | None = None
    # The probation regions that offer it; empty: wherever the catalogue's provider works. A
    # case in another region is excluded, one whose region is unknown is a question (check).
    regions: list[ProbationRegion] = []
    referral: str | None = None  # how to refer, where not by NSI
    source: Source
    note: str | None = None

    def eligibility_rules(self, area: Sequence[str] = ()) -> list[Criterion]:
        """The eligibility criteria the assessment applies: the regions first, then the rest.

        `area`: the regions the catalogue's provider serves (the catalogue's `regions`), for an
        entry that names none of its own. A case from another region is excluded; one whose
        region is not recorded is taken to be in the area of the catalogue chosen for it, where
        an entry's own regions make that a question."""
        if self.regions:
            names = ", ".join(REGION_NAMES[r] for r in self.regions)
            offered = Criterion(
                fact="probation_region",
                in_=list(self.regions),
                text=f"Offered in: {names}",
                note="The regions offering it (the entry's `regions`).",
            )
            return [offered, *self.eligibility]
        if area:
            names = ", ".join(REGION_NAMES[r] for r in area)
            served = Criterion(
                any=[
                    Condition(fact="probation_region", in_=list(area)),
                    Condition(fact="region_recorded", eq=False),
                ],
                text=f"Offered in: {names} (the provider's area)",
                note="The regions the provider serves (the catalogue's `regions`); a case "
                "whose region is not recorded is taken to be in it.",
            )
            return [served, *self.eligibility]
        return list(self.eligibility)


class ReferralProcess(_Strict):
    """The rate card's NSI steps; {category} and {sub_category} are filled in per entry."""

    steps: list[str] = Field(min_length=1)
    transfer_steps: list[str] = []
    source: Source


class CatalogueFile(_Strict):
    schema_version: Literal[1] = 1
    provider: str = Field(min_length=1)
    # The probation regions the provider serves (the KSS CRC: Kent, Surrey, Sussex); empty:
    # anywhere. An entry's own `regions` take its place.
    regions: list[ProbationRegion] = []
    source: list[Source] = []
    referral: ReferralProcess | None = None
    intervention: list[Intervention] = Field(min_length=1)

    @model_validator(mode="after")
    def _cross_references(self) -> Self:
        ids = [i.id for i in self.intervention]
        seen: set[str] = set()
        problems = []
        for n, entry in enumerate(self.intervention):
            if entry.id in seen:
                problems.append(f"intervention[{n}] ('{entry.id}'): duplicate id")
            seen.add(entry.id)
        for entry in self.intervention:
            for key in ("prerequisites", "may_precede"):
                for ref in getattr(entry, key):
                    if ref not in ids:
                        problems.append(f"entry '{entry.id}': {key}: unknown id {ref!r}")
        if problems:
            raise ValueError("; ".join(problems))
        return self


class Catalogue:
    """A loaded, checked catalogue (see `rarplan.catalogue.load`), or several used together
    (`merge`): `parts` are the catalogues it is made of, `part_of` each entry's."""

    def __init__(self, data: CatalogueFile, path: str) -> None:
        self.data = data
        self.path = path
        self.name = path  # what a user calls it: `rate-card`, `structured`, or the file's name
        self.entries: dict[str, Intervention] = {i.id: i for i in data.intervention}
        self.parts: tuple[Catalogue, ...] = (self,)
        self.part_of: dict[str, Catalogue] = dict.fromkeys(self.entries, self)

    @classmethod
    def merge(cls, parts: Sequence["Catalogue"]) -> "Catalogue":
        """Several catalogues used together, in the order given; an id in two is refused, so
        a plan's ids always name one entry."""
        if len(parts) == 1:
            return parts[0]
        part_of: dict[str, Catalogue] = {}
        for part in parts:
            for entry_id in part.entries:
                if entry_id in part_of:
                    raise InvalidInput(
                        f"{part_of[entry_id].path} and {part.path} both have an intervention "
                        f"{entry_id!r}: ids must be distinct across the catalogues used together",
                        hint="rename the id in your own catalogue",
                    )
                part_of[entry_id] = part
        # Each part was checked on loading; together they are one list of entries.
        data = CatalogueFile.model_construct(
            schema_version=1,
            provider="; ".join(p.data.provider for p in parts),
            regions=[],
            source=[s for p in parts for s in p.data.source],
            referral=next((p.data.referral for p in parts if p.data.referral), None),
            intervention=[e for p in parts for e in p.data.intervention],
        )
        merged = cls(data, " + ".join(p.path for p in parts))
        merged.name = " + ".join(p.name for p in parts)
        merged.parts = tuple(parts)
        merged.part_of = part_of
        return merged

    def area(self, entry: Intervention) -> list[str]:
        """Where an entry is offered: its own regions, else its provider's; empty: anywhere."""
        return list(entry.regions or self.part_of[entry.id].data.regions)

    def referral_process(self, entry: Intervention) -> ReferralProcess | None:
        """The NSI referral steps of the entry's own catalogue, for an entry with an NSI."""
        return self.part_of[entry.id].data.referral if entry.nsi else None

    def __iter__(self) -> Iterator[Intervention]:
        return iter(self.data.intervention)

    def __len__(self) -> int:
        return len(self.entries)

    def get(self, entry_id: str) -> Intervention:
        try:
            return self.entries[entry_id]
        except KeyError:
            raise InvalidInput(
                f"{self.path}: no intervention with id {entry_id!r}",
                hint=suggest(entry_id, list(self.entries)),
            ) from None

    @cached_property
    def compiled(self) -> "CompiledCatalogue":
        """The catalogue made ready for assessing cases, with the assessment's memos."""
        areas = [self.part_of[e.id].data.regions for e in self.data.intervention]
        from rarplan.catalogue.compiled import CompiledCatalogue  # assessing needs it, not reading

        return CompiledCatalogue(self.data.intervention, areas)

    def __getstate__(self) -> dict[str, object]:
        # The compiled rules are functions, which do not pickle: a process compiles its own.
        return {k: v for k, v in self.__dict__.items() if k != "compiled"}

    def values_compared(self, fact: str) -> list[str]:
        """The words the rules compare a fact with, in order (prison names, for completion)."""
        values: list[str] = []
        for entry in self:
            for criterion in (*entry.eligibility, *entry.not_suitable):
                for cond in conditions(criterion):
                    if cond.fact == fact:
                        for v in [cond.eq, *(cond.in_ or [])]:
                            if isinstance(v, str) and v not in values:
                                values.append(v)
        return values

    def prerequisites(self) -> list[str]:
        """Interventions others require first: the ones whose completion changes eligibility."""
        out: list[str] = []
        for entry in self:
            out.extend(p for p in entry.prerequisites if p not in out)
        return out


def suggest(word: str, choices: list[str]) -> str:
    import difflib

    close = difflib.get_close_matches(word, choices, n=3, cutoff=0.5)
    if not close:
        close = [c for c in choices if word and word.split("-")[0] in c][:3]
    return f"did you mean: {', '.join(close)}?" if close else "see `rarplan catalogue list`"
