"""The case file: what the officer knows about the person and the sentence.

The names here are the contract of `rarplan assess` (README, "Case file"). Every model forbids
unknown keys, so a misspelt key is an error naming it, never silently ignored.

Annotations are evaluated as the module loads (no `from __future__ import annotations`), and
empty defaults are written `[]`: docs/DEVELOPING.md, "Models".
"""

import re
from datetime import date
from typing import Annotated, Literal, Self, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from rarplan.model.dates import parse_date
from rarplan.model.needs import NEED_AREAS

CRN_PATTERN = re.compile(r"^[A-Z][0-9]{6}$")

# Every date rarplan reads lies in this window (docs/data.md, "Your data"): an order's dates
# plus its length in months stay far from the calendar's end (9999-12-31 + 1 month overflows).
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2199, 12, 31)
# The ages a case file may give (`age`, or a `date_of_birth` today): from 10, the age of
# criminal responsibility, to 120. Under 18 is valid data that the assessment refuses
# (exit 4, `rarplan.assess.assessment.refuse_under_18`): one rule, one exit code.
AGES = (10, 120)


def _not_a_boolean(value: object) -> object:
    """TOML and JSON `true` is no number (pydantic would read it as 1)."""
    if isinstance(value, bool):
        raise ValueError("must be a number, not true or false")
    return value


def _in_window(value: object) -> object:
    if isinstance(value, date) and not EARLIEST_DATE <= value <= LATEST_DATE:
        raise ValueError(f"must be a date from {EARLIEST_DATE} to {LATEST_DATE}")
    return value


NotBool = BeforeValidator(_not_a_boolean)
Whole = Annotated[int, NotBool]  # a whole number, never a boolean
Real = Annotated[float, NotBool]  # a number, never a boolean
# A date in the window, typed YYYY-MM-DD or DD/MM/YYYY (a TOML date is read as it is).
Day = Annotated[date, BeforeValidator(parse_date), AfterValidator(_in_window)]

Sex = Literal["male", "female"]
# The 12 probation regions of England and Wales (HMPPS Structured Interventions list v1.3.4,
# docs/sources/reference/structured-interventions.md, "Which regions offer which intervention"),
# and the three counties of Kent, Surrey and Sussex, which the KSS CRC rate card names.
ProbationRegion = Literal[
    "east_midlands",
    "east_of_england",
    "greater_manchester",
    "kent_surrey_sussex",
    "london",
    "north_east",
    "north_west",
    "south_central",
    "south_west",
    "wales",
    "west_midlands",
    "yorkshire_humberside",
]
PROBATION_REGIONS: tuple[str, ...] = get_args(ProbationRegion)
REGION_NAMES = {
    "east_midlands": "East Midlands",
    "east_of_england": "East of England",
    "greater_manchester": "Greater Manchester",
    "kent_surrey_sussex": "Kent, Surrey, Sussex",
    "london": "London",
    "north_east": "North East",
    "north_west": "North West",
    "south_central": "South Central",
    "south_west": "South West",
    "wales": "Wales",
    "west_midlands": "West Midlands",
    "yorkshire_humberside": "Yorkshire & Humberside",
}
COUNTY_REGION = {
    "kent": "kent_surrey_sussex",
    "surrey": "kent_surrey_sussex",
    "sussex": "kent_surrey_sussex",
}
# A region, or one of the KSS counties (COUNTY_REGION).
Region = Literal["kent", "surrey", "sussex", ProbationRegion]
Stage = Literal["pre_sentence", "sentenced"]
Order = Literal[
    "community_order", "suspended_sentence_order", "licence", "post_sentence_supervision"
]
Setting = Literal["community", "custody"]
# A RAR is a requirement of a community order or a suspended sentence order only (RAR guidance,
# 001 sections 1 and 2); a licence and post-sentence supervision follow a custodial sentence.
RAR_ORDERS: frozenset[str] = frozenset({"community_order", "suspended_sentence_order"})
ORDER_NAMES = {
    "community_order": "a community order",
    "suspended_sentence_order": "a suspended sentence order",
    "licence": "a licence",
    "post_sentence_supervision": "post-sentence supervision",
}
IndexOffence = Literal[
    "violence",
    "intimate_partner_violence",
    "sexual",
    "drink_driving",
    "acquisitive",
    "drugs",
    "public_order",
    "criminal_damage",
    "motoring",
    "stalking_harassment",
    "other",
]
Level = Literal["low", "medium", "high"]
RiskOfHarm = Literal["low", "medium", "high", "very_high"]
OtherRequirement = Literal[
    "unpaid_work",
    "accredited_programme",
    "alcohol_treatment",
    "drug_rehabilitation",
    "mental_health_treatment",
    "curfew",
    "electronic_monitoring",
    "attendance_centre",
    "prohibited_activity",
    "exclusion",
    "residence",
    "supervision",
]
Vulnerability = Literal[
    "young_adult_male",
    "woman",
    "foreign_national",
    "recalled",
    "care_leaver",
    "domestic_violence_victim",
    "sex_worker",
    "ex_armed_forces",
    "learning_disability",
    "bame",
]
SexualOffendingFactor = Literal[
    "unusual_sexual_interests",
    "attitudes_supporting_sexual_offending",
    "poor_emotional_relationships_with_adults",
    "lack_of_self_management",
]
Percent = Annotated[float, NotBool, Field(ge=0, le=100)]
Count = Annotated[int, NotBool, Field(ge=0, le=1000)]


class _Strict(BaseModel):
    # defer_build: a model's validator is built when first used, not on import; most of these
    # are only ever checked as part of a Case or Plan, and the catalogue reads their fields only.
    model_config = ConfigDict(extra="forbid", frozen=False, defer_build=True)


class Sentence(_Strict):
    stage: Stage = "pre_sentence"
    order: Order = "community_order"
    start_date: Day | None = None
    length_months: Annotated[int, NotBool, Field(ge=1, le=36)] | None = None
    rar_max_days: Annotated[int, NotBool, Field(ge=1, le=365)] | None = None
    setting: Setting = "community"
    establishment: Annotated[str, Field(max_length=100)] | None = None
    weeks_to_release: Annotated[int, NotBool, Field(ge=0, le=1000)] | None = None
    other_requirements: list[OtherRequirement] = []

    def months_left(self, today: date) -> int | None:
        """Whole months of the order left on `today` (all of it before sentence or start)."""
        if self.length_months is None:
            return None
        if self.stage != "sentenced" or self.start_date is None or today <= self.start_date:
            return self.length_months
        start = self.start_date
        gone = (today.year - start.year) * 12 + today.month - start.month
        gone -= today.day < start.day
        return max(self.length_months - gone, 0)

    @property
    def has_rar(self) -> bool:
        """Whether the sentence has (or, before sentence, would have) a RAR: a community order
        or suspended sentence order, the person not serving a sentence in custody (001
        sections 1 and 2). A licence, post-sentence supervision or a prison term has none."""
        if self.order not in RAR_ORDERS:
            return False
        return not (self.stage == "sentenced" and self.setting == "custody")

    @model_validator(mode="after")
    def _order_fits_stage(self) -> Self:
        if self.order in RAR_ORDERS:
            return self
        order = ORDER_NAMES[self.order]
        if self.stage == "pre_sentence":
            raise ValueError(
                f"order: {order} follows a custodial sentence and is not proposed to the court; "
                "before sentence the order is community_order or suspended_sentence_order"
            )
        return self


class Offence(_Strict):
    index_offence: IndexOffence | None = None
    sexually_motivated: bool | None = None
    impulsive: bool | None = None
    seriousness: Level | None = None
    previous_convictions: Count | None = None
    first_drink_drive_conviction: bool | None = None
    drink_drive_mitigating_factor: bool | None = None
    admits_responsibility: bool | None = None
    linked_to_substance_misuse: bool | None = None
    # Structured Interventions list v1.3.4, "Criminogenic Need(s) addressed" (row 29):
    # "Previous or current offence of violence"; "a drink or drug driving offence".
    previous_violence: bool | None = None
    drink_or_drug_driving: bool | None = None


class Ogrs3Inputs(_Strict):
    """Inputs for estimating OGRS3 when no score from OASys is to hand (`rarplan ogrs`)."""

    sex: Sex | None = None
    age_at_conviction: Annotated[int, NotBool, Field(ge=10, le=120)]
    age_at_follow_up: Annotated[int, NotBool, Field(ge=10, le=120)]
    sanctions: Annotated[int, NotBool, Field(ge=1, le=500)]
    age_at_first_sanction: Annotated[int, NotBool, Field(ge=0, le=120)]
    offence: Annotated[str, Field(max_length=60)]


class ArpInputs(_Strict):
    """Inputs for estimating the ARP static 2-year score (`rarplan arp`, docs/predictors.md).

    `sex` and `date_of_birth` default to the case's own; `assessment_date` to the day assessed.
    """

    sex: Sex | None = None
    date_of_birth: Day | None = None
    conviction_date: Day
    follow_up_date: Day | None = None
    assessment_date: Day | None = None
    age_at_first_sanction: Annotated[int, NotBool, Field(ge=0, le=120)]
    sanctions: Annotated[int, NotBool, Field(ge=1, le=500)]
    offence_category: Annotated[str, Field(max_length=80)]


class Scores(_Strict):
    ogrs: Percent | None = None  # OGRS3, 2-year %
    arp: Percent | None = None  # the All Reoffending Predictor (OGRS3's successor), 2-year %
    ovp: Percent | None = None
    sara: Level | None = None
    risk_of_harm: RiskOfHarm | None = None
    oasys_thinking_score: Annotated[int, NotBool, Field(ge=0, le=100)] | None = None
    oasys_total_score: Annotated[int, NotBool, Field(ge=0, le=200)] | None = None
    oasys_11_6: Annotated[int, NotBool, Field(ge=0, le=2)] | None = None
    oasys_11_7: Annotated[int, NotBool, Field(ge=0, le=2)] | None = None
    # Structured Interventions list v1.3.4 (docs/sources/reference/structured-interventions.md,
    # rows 13 and 29): OASys 11.3 aggressive behaviour; 2.3d and 6.7, an IPV-related offence,
    # index or historical; the risk-of-serious-harm links of thinking & behaviour and of
    # attitudes; the total of items 2.6, 7.2, 11.4, 11.6, 11.7, 11.9 and 12.1 (need 2a).
    oasys_11_3: Annotated[int, NotBool, Field(ge=0, le=2)] | None = None
    oasys_2_3d: bool | None = None
    oasys_6_7: bool | None = None
    oasys_thinking_linked_to_harm: bool | None = None
    oasys_attitudes_linked_to_harm: bool | None = None
    oasys_2a_total: Annotated[int, NotBool, Field(ge=0, le=14)] | None = None
    audit: Annotated[int, NotBool, Field(ge=0, le=40)] | None = None
    sadq: Annotated[int, NotBool, Field(ge=0, le=60)] | None = None


class Needs(_Strict):
    accommodation: bool = False
    education_training_employment: bool = False
    relationships: bool = False
    lifestyle_associates: bool = False
    alcohol_misuse: bool = False
    emotional_management: bool = False
    attitudes_thinking_behaviour: bool = False
    finance_benefits_debt: bool = False
    drug_misuse: bool = False
    physical_health: bool = False

    def identified(self) -> list[str]:
        return [area for area in NEED_AREAS if getattr(self, area)]


class Circumstances(_Strict):
    alcohol_dependent: bool | None = None
    misuses_illegal_drugs: bool | None = None
    treatable_mental_health_condition: bool | None = None
    unstable_mental_health: bool | None = None
    chronic_substance_misuse: bool | None = None
    speaks_english: bool | None = None
    works_shifts: bool | None = None
    gypsy_traveller: bool | None = None
    group_unsuitable: bool | None = None
    on_substance_programme: bool | None = None
    jsa_over_six_months: bool | None = None
    on_esa: bool | None = None
    immigration_or_deportation: bool | None = None
    vulnerabilities: list[Vulnerability] = []
    completed_interventions: list[Annotated[str, Field(max_length=60)]] = []
    dynamic_risk_factors: Annotated[str, Field(max_length=4000)] = ""
    sexual_offending_factors: list[SexualOffendingFactor] = []


class PlanChoices(_Strict):
    interventions: list[Annotated[str, Field(max_length=60)]] = []
    # id -> reason, for choosing an intervention the criteria exclude (recorded in the plan).
    overrides: dict[str, Annotated[str, Field(min_length=1, max_length=2000)]] = {}
    # id -> number of one-hour appointments for "maximum of six hours" services.
    hours: dict[str, Annotated[int, NotBool, Field(ge=1, le=36)]] = {}
    # id -> the officer's desired outcomes, replacing the defaults from the card's aims.
    outcomes: dict[str, list[Annotated[str, Field(min_length=1, max_length=500)]]] = {}
    proposed_days: Annotated[int, NotBool, Field(ge=1, le=365)] | None = None
    agreement: Literal["agreed", "does_not_agree", "could_not_answer"] | None = None
    agreement_note: Annotated[str, Field(max_length=2000)] = ""
    responsible_officer: Annotated[str, Field(max_length=200)] = ""
    unmet_needs: dict[str, Annotated[str, Field(max_length=2000)]] = {}


class Case(_Strict):
    crn: str
    name: Annotated[str, Field(max_length=200)] | None = None
    sex: Sex | None = None
    age: Annotated[int, NotBool, Field(ge=AGES[0], le=AGES[1])] | None = None
    date_of_birth: Day | None = None
    region: Region | None = None
    sentence: Sentence = Field(default_factory=Sentence)
    offence: Offence = Field(default_factory=Offence)
    scores: Scores = Field(default_factory=Scores)
    ogrs3: Ogrs3Inputs | None = None
    arp: ArpInputs | None = None
    needs: Needs = Field(default_factory=Needs)
    circumstances: Circumstances = Field(default_factory=Circumstances)
    # Answers to the judgement questions of the catalogue ("check" criteria), by key.
    checks: dict[Annotated[str, Field(max_length=80)], bool] = {}
    plan: PlanChoices = Field(default_factory=PlanChoices)

    @field_validator("region", mode="before")
    @classmethod
    def _region(cls, value: object) -> object:
        # "Yorkshire & Humberside", "East of England", "Kent, Surrey, Sussex" as the list writes
        # them are read as their ids (yorkshire_humberside, east_of_england, kent_surrey_sussex).
        if isinstance(value, str):
            words = re.sub(r"[^a-z]+", " ", value.lower().replace("&", " ")).split()
            value = "_".join(w for w in words if w != "and")
        return value

    @property
    def probation_region(self) -> str | None:
        """The probation region: one of the 12, a KSS county counted as Kent, Surrey, Sussex."""
        if self.region is None:
            return None
        return COUNTY_REGION.get(self.region, self.region)

    @field_validator("crn", mode="before")
    @classmethod
    def _crn(cls, value: object) -> object:
        if isinstance(value, str):
            value = value.strip().upper()
            if not CRN_PATTERN.match(value):
                raise ValueError("must be a letter and six digits, e.g. X123456")
        return value

    @model_validator(mode="after")
    def _sentenced_needs_dates(self) -> Self:
        s = self.sentence
        if s.stage == "sentenced":
            missing = [k for k in ("start_date", "rar_max_days") if getattr(s, k) is None]
            if missing and s.setting == "community" and s.has_rar:
                raise ValueError(
                    "a sentenced case needs sentence." + " and sentence.".join(missing)
                )
        return self

    def age_problem(self, today: date) -> str | None:
        """Whether the date of birth gives an age today within AGES (as `age` must be) that
        agrees with `age` when both are given (a year's difference allowed: a birthday since).
        Checked on reading a case file, not on every plan load (ages move on)."""
        if self.date_of_birth is None:
            return None
        years = self.age_on(today)
        low, high = AGES
        if years is None or not low <= years <= high:
            return f"date_of_birth: gives an age outside {low} to {high} today"
        if self.age is not None and not 0 <= years - self.age <= 1:
            return "date_of_birth: does not agree with age"
        return None

    def age_on(self, when: date) -> int | None:
        """The age in whole years on a date, from `age` or `date_of_birth`."""
        if self.date_of_birth is not None:
            dob = self.date_of_birth
            return when.year - dob.year - ((when.month, when.day) < (dob.month, dob.day))
        return self.age
