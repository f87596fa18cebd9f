"""The case file: what the officer knows about the person and the sentence.

The names here are the contract of `rarplan assess` (README, "Case file"). Every model forbids
unknown keys, so a misspelt key is an error naming it, never silently ignored.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from rarplan.model.needs import NEED_AREAS

CRN_PATTERN = re.compile(r"^[A-Z][0-9]{6}$")

Sex = Literal["male", "female"]
Region = Literal["kent", "surrey", "sussex"]
Stage = Literal["pre_sentence", "sentenced"]
Order = Literal[
    "community_order", "suspended_sentence_order", "licence", "post_sentence_supervision"
]
Setting = Literal["community", "custody"]
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
Percent = Annotated[float, Field(ge=0, le=100)]
Count = Annotated[int, Field(ge=0, le=1000)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False, defer_build=True)


class Sentence(_Strict):
    stage: Stage = "pre_sentence"
    order: Order = "community_order"
    start_date: date | None = None
    length_months: Annotated[int, Field(ge=1, le=36)] | None = None
    rar_max_days: Annotated[int, Field(ge=1, le=365)] | None = None
    setting: Setting = "community"
    establishment: Annotated[str, Field(max_length=100)] | None = None
    weeks_to_release: Annotated[int, Field(ge=0, le=1000)] | None = None
    other_requirements: list[OtherRequirement] = Field(default_factory=list)


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


class Ogrs3Inputs(_Strict):
    """Inputs for estimating OGRS3 when no score from OASys is to hand (`rarplan ogrs`)."""

    sex: Sex | None = None
    age_at_conviction: Annotated[int, Field(ge=10, le=120)]
    age_at_follow_up: Annotated[int, Field(ge=10, le=120)]
    sanctions: Annotated[int, Field(ge=1, le=500)]
    age_at_first_sanction: Annotated[int, Field(ge=0, le=120)]
    offence: Annotated[str, Field(max_length=60)]


class Scores(_Strict):
    ogrs: Percent | None = None
    ovp: Percent | None = None
    sara: Level | None = None
    risk_of_harm: RiskOfHarm | None = None
    oasys_thinking_score: Annotated[int, Field(ge=0, le=100)] | None = None
    oasys_total_score: Annotated[int, Field(ge=0, le=200)] | None = None
    oasys_11_6: Annotated[int, Field(ge=0, le=2)] | None = None
    oasys_11_7: Annotated[int, Field(ge=0, le=2)] | None = None
    audit: Annotated[int, Field(ge=0, le=40)] | None = None
    sadq: Annotated[int, Field(ge=0, le=60)] | None = None


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
    vulnerabilities: list[Vulnerability] = Field(default_factory=list)
    completed_interventions: list[Annotated[str, Field(max_length=60)]] = Field(
        default_factory=list
    )
    dynamic_risk_factors: Annotated[str, Field(max_length=4000)] = ""
    sexual_offending_factors: list[SexualOffendingFactor] = Field(default_factory=list)


class PlanChoices(_Strict):
    interventions: list[Annotated[str, Field(max_length=60)]] = Field(default_factory=list)
    # id -> reason, for choosing an intervention the criteria exclude (recorded in the plan).
    overrides: dict[str, Annotated[str, Field(min_length=1, max_length=2000)]] = Field(
        default_factory=dict
    )
    # id -> number of one-hour appointments for "maximum of six hours" services.
    hours: dict[str, Annotated[int, Field(ge=1, le=36)]] = Field(default_factory=dict)
    # id -> the officer's desired outcomes, replacing the defaults from the card's aims.
    outcomes: dict[str, list[Annotated[str, Field(min_length=1, max_length=500)]]] = Field(
        default_factory=dict
    )
    proposed_days: Annotated[int, Field(ge=1, le=365)] | None = None
    agreement: Literal["agreed", "does_not_agree", "could_not_answer"] | None = None
    agreement_note: Annotated[str, Field(max_length=2000)] = ""
    responsible_officer: Annotated[str, Field(max_length=200)] = ""
    unmet_needs: dict[str, Annotated[str, Field(max_length=2000)]] = Field(default_factory=dict)


class Case(_Strict):
    crn: str
    name: Annotated[str, Field(max_length=200)] | None = None
    sex: Sex | None = None
    age: Annotated[int, Field(ge=10, le=120)] | None = None
    date_of_birth: date | None = None
    region: Region | None = None
    sentence: Sentence = Field(default_factory=Sentence)
    offence: Offence = Field(default_factory=Offence)
    scores: Scores = Field(default_factory=Scores)
    ogrs3: Ogrs3Inputs | None = None
    needs: Needs = Field(default_factory=Needs)
    circumstances: Circumstances = Field(default_factory=Circumstances)
    # Answers to the judgement questions of the catalogue ("check" criteria), by key.
    checks: dict[Annotated[str, Field(max_length=80)], bool] = Field(default_factory=dict)
    plan: PlanChoices = Field(default_factory=PlanChoices)

    @field_validator("crn", mode="before")
    @classmethod
    def _crn(cls, value: object) -> object:
        if isinstance(value, str):
            value = value.strip().upper()
            if not CRN_PATTERN.match(value):
                raise ValueError("must be a letter and six digits, e.g. X123456")
        return value

    @model_validator(mode="after")
    def _sentenced_needs_dates(self) -> Case:
        s = self.sentence
        if s.stage == "sentenced":
            missing = [k for k in ("start_date", "rar_max_days") if getattr(s, k) is None]
            if missing and s.setting == "community":
                raise ValueError(
                    "a sentenced case needs sentence." + " and sentence.".join(missing)
                )
        return self

    def age_on(self, when: date) -> int | None:
        """The age in whole years on a date, from `age` or `date_of_birth`."""
        if self.date_of_birth is not None:
            dob = self.date_of_birth
            return when.year - dob.year - ((when.month, when.day) < (dob.month, dob.day))
        return self.age
