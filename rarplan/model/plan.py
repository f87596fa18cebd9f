"""The sentence plan file: the case, the assessment, the selection, the schedule, attendance,
outcomes, the completion and the amendment history. Later commands read and extend it.

Stored as TOML with `schema_version`; see `rarplan.files.planfile` for reading and writing.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from rarplan.model.case import Case
from rarplan.model.dates import HHMM

SCHEMA_VERSION = 2  # 2: intervention results hold the judgement only (see planfile)

Status = Literal["eligible", "excluded", "check"]
Band = Literal["none", "low", "medium", "high"]
TreatmentRequirement = Literal[
    "alcohol_treatment", "drug_rehabilitation", "mental_health_treatment"
]
AppointmentKind = Literal[
    "group",
    "individual",
    "pre_group",
    "three_way",
    "assessment",
    "conference",
    "full_day",
    "mentoring",
    "offender_management",
]
AttendanceOutcome = Literal[
    "attended", "late", "acceptable_absence", "unacceptable_absence", "not_held"
]
OutcomeResult = Literal["achieved", "partly_achieved", "not_achieved"]
Text = Annotated[str, Field(max_length=4000)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)


class InterventionResult(_Model):
    """One catalogue entry judged against the case (criteria alone), and whether it meets one
    of the person's identified needs. What the entry is (its needs, whether accredited,
    whether it counts towards RAR days) is the catalogue's, not repeated in every plan."""

    id: str
    status: Status
    # failed criteria in the card's words, or questions for `check`
    reasons: list[str] = Field(default_factory=list)
    addresses_identified_need: bool = False


class Assessment(_Model):
    """What `rarplan assess` concluded."""

    assessed_on: date
    ogrs: float | None = None
    ogrs_estimated: bool = False
    band: Band
    band_label: str = ""
    guideline_days: dict[str, int] | None = None
    average_needs: float | None = None
    needs: list[str] = Field(default_factory=list)
    treatment_requirements: list[TreatmentRequirement] = Field(default_factory=list)
    # eligible accredited programmes meeting a need
    accredited_programmes: list[str] = Field(default_factory=list)
    propose_rar: bool = True
    proposed_days: int | None = None
    rationale: Text = ""
    psr_proposal: Text = ""
    warnings: list[str] = Field(default_factory=list)
    interventions: list[InterventionResult] = Field(default_factory=list)


class SelectedIntervention(_Model):
    id: str
    needs: list[str] = Field(default_factory=list)
    override_reason: Text | None = None  # chosen though the criteria exclude it
    appointments: int | None = None  # for "maximum of six hours" services (one hour each)
    months: int | None = None  # mentoring block length
    desired_outcomes: list[Text] = Field(default_factory=list)
    rar_days_estimate: int = 0


class UnmetNeed(_Model):
    need: str
    reason: Text


class Agreement(_Model):
    status: Literal["agreed", "does_not_agree", "could_not_answer"] = "could_not_answer"
    note: Text = ""


class DateRange(_Model):
    start: date
    end: date


class Availability(_Model):
    """When the person can attend: weekdays, and dates they cannot."""

    days: Annotated[list[Literal["mon", "tue", "wed", "thu", "fri"]], Field(min_length=1)] = [
        "mon",
        "tue",
        "wed",
        "thu",
        "fri",
    ]
    unavailable: list[DateRange] = []


class Appointment(_Model):
    date: date
    start: Annotated[str, Field(pattern=HHMM)]
    minutes: Annotated[int, Field(gt=0, le=600)]
    intervention: str  # a catalogue id, or "offender-management"
    session: Annotated[int, Field(ge=1)]
    kind: AppointmentKind
    counts_towards_rar: bool = True
    place: str | None = None


class Unscheduled(_Model):
    intervention: str
    sessions: Annotated[int, Field(ge=0)]  # 0: the card gives no count to schedule
    reason: Text


class Schedule(_Model):
    version: int = 1
    start: date
    order_end: date
    strategy: Literal["steady", "compact"] = "steady"
    rar_days_planned: int = 0  # distinct dates with a counting appointment, kept ones included
    rar_days_used: int = 0  # of those, the days before `replanned_from` (kept on a re-plan)
    replanned_from: date | None = None
    offender_management: Literal["none", "weekly", "fortnightly", "monthly"] = "none"
    # provider timetable overrides in force: id -> {"weekday", "start", optional "place"}
    timetable: dict[str, dict[str, str]] = {}
    appointments: list[Appointment] = []
    unscheduled: list[Unscheduled] = []


class AttendanceRecord(_Model):
    """What happened at one appointment, keyed by (date, intervention, session)."""

    date: date
    intervention: str
    session: int
    outcome: AttendanceOutcome
    note: Text = ""
    recorded_at: datetime | None = None
    # Copied from the appointment when recorded, so the day count survives a re-plan.
    counts_towards_rar: bool = True


class OutcomeReview(_Model):
    intervention: str
    outcome: Text  # the desired outcome as agreed
    result: OutcomeResult
    comment: Text = ""


class Completion(_Model):
    completed_on: date
    status: Literal["completed", "completed_early"]
    rar_days_ordered: int
    rar_days_completed: int
    rationale: Text = ""
    progress: Text = ""
    outcome: Text = ""
    confirmed_by: Text = ""
    record_file: str | None = None


class HistoryEntry(_Model):
    """One change to the plan: who, why, when, and the schedule as it stood before."""

    at: datetime
    by: str = ""
    action: str
    reason: Text = ""
    schedule: Schedule | None = None  # the previous schedule, kept for recovery


class Plan(_Model):
    schema_version: int = SCHEMA_VERSION
    crn: str
    created: datetime
    responsible_officer: str = ""
    case: Case
    assessment: Assessment
    selected: list[SelectedIntervention] = Field(default_factory=list)
    unmet_needs: list[UnmetNeed] = Field(default_factory=list)
    agreement: Agreement = Field(default_factory=Agreement)
    availability: Availability = Field(default_factory=Availability)
    schedule: Schedule | None = None
    attendance: list[AttendanceRecord] = Field(default_factory=list)
    outcomes: list[OutcomeReview] = Field(default_factory=list)
    completion: Completion | None = None
    history: list[HistoryEntry] = Field(default_factory=list)
