"""The sentence plan file: the case, the assessment, the selection, the schedule, attendance,
outcomes, the completion and the amendment history. Later commands read and extend it.

Stored as TOML with `schema_version`; see `rarplan.files.planfile` for reading and writing.

Annotations are evaluated as the module loads (no `from __future__ import annotations`), and
empty defaults are written `[]`: docs/DEVELOPING.md, "Models".
"""

from datetime import datetime
from typing import Annotated, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from rarplan.model.case import CRN_PATTERN, Case, Day, NotBool, Real, Whole
from rarplan.model.contacts import AttendanceOutcome, EnforcementAction, read_earlier_words
from rarplan.model.dates import HHMM

# 2: intervention results hold the judgement only; 3: attendance outcomes in the case
# management system's words (rarplan.model.contacts). See planfile's migrations.
SCHEMA_VERSION = 3

Status = Literal["eligible", "excluded", "check"]
Band = Literal["none", "low", "medium", "high"]
Predictor = Literal["ogrs3", "arp"]
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
OutcomeResult = Literal["achieved", "partly_achieved", "not_achieved"]
Text = Annotated[str, Field(max_length=4000)]


class _Model(BaseModel):
    # defer_build: built when first used, not on import: most of these are only checked as
    # part of a Plan, and `status` reads a few of them (rarplan.files.planview), not the Plan.
    model_config = ConfigDict(extra="forbid", defer_build=True)


class InterventionResult(_Model):
    """One catalogue entry judged against the case (criteria alone), and whether it meets one
    of the person's identified needs. What the entry is (its needs, whether accredited,
    whether it counts towards RAR days) is the catalogue's, not repeated in every plan."""

    id: str
    status: Status
    # failed criteria in the card's words, or questions for `check`
    reasons: list[str] = []
    addresses_identified_need: bool = False


class Assessment(_Model):
    """What `rarplan assess` concluded."""

    assessed_on: Day
    # The 2-year % the guidance's band table was applied to, from `predictor`: OGRS3 (None,
    # left out of the file, so an OGRS plan is written as before and older rarplans read it),
    # or "arp", the All Reoffending Predictor (its successor).
    ogrs: Real | None = None
    ogrs_estimated: bool = False
    predictor: Predictor | None = None
    band: Band
    band_label: str = ""
    guideline_days: dict[str, Whole] | None = None
    average_needs: Real | None = None
    needs: list[str] = []
    treatment_requirements: list[TreatmentRequirement] = []
    # eligible accredited programmes meeting a need
    accredited_programmes: list[str] = []
    propose_rar: bool = True
    proposed_days: Whole | None = None
    rationale: Text = ""
    psr_proposal: Text = ""
    warnings: list[str] = []
    interventions: list[InterventionResult] = []


class SelectedIntervention(_Model):
    id: str
    needs: list[str] = []
    override_reason: Text | None = None  # chosen though the criteria exclude it
    appointments: Whole | None = None  # for "maximum of six hours" services (one hour each)
    months: Whole | None = None  # mentoring block length
    desired_outcomes: list[Text] = []
    rar_days_estimate: Whole = 0


class UnmetNeed(_Model):
    need: str
    reason: Text


class Agreement(_Model):
    status: Literal["agreed", "does_not_agree", "could_not_answer"] = "could_not_answer"
    note: Text = ""


class DateRange(_Model):
    start: Day
    end: Day


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
    date: Day
    start: Annotated[str, Field(pattern=HHMM)]
    minutes: Annotated[int, NotBool, Field(gt=0, le=600)]
    intervention: str  # a catalogue id, or "offender-management"
    session: Annotated[int, NotBool, Field(ge=1)]
    # The session offered again after a missed one: 2 for the second offer (None: the first).
    # With intervention and session it names the appointment across re-plans.
    offer: Annotated[int, NotBool, Field(ge=2)] | None = None
    kind: AppointmentKind
    counts_towards_rar: bool = True
    place: str | None = None


class Unscheduled(_Model):
    intervention: str
    sessions: Annotated[int, NotBool, Field(ge=0)]  # 0: the card gives no count to schedule
    reason: Text


class Schedule(_Model):
    version: Whole = 1
    start: Day
    order_end: Day
    strategy: Literal["steady", "compact"] = "steady"
    rar_days_planned: Whole = 0  # distinct dates with a counting appointment, kept ones included
    rar_days_used: Whole = 0  # of those, the days before `replanned_from` (kept on a re-plan)
    replanned_from: Day | None = None
    offender_management: Literal["none", "weekly", "fortnightly", "monthly"] = "none"
    # provider timetable overrides in force: id -> {"weekday", "start", optional "place"}
    timetable: dict[str, dict[str, str]] = {}
    appointments: list[Appointment] = []
    unscheduled: list[Unscheduled] = []


class AttendanceRecord(_Model):
    """What happened at one appointment, keyed by (date, intervention, session)."""

    date: Day
    intervention: str
    session: Whole
    outcome: AttendanceOutcome
    note: Text = ""
    recorded_at: datetime | None = None
    # Copied from the appointment when recorded, so the day count survives a re-plan.
    counts_towards_rar: bool = True
    # The enforcement action taken on an unacceptable failure, and when.
    action: EnforcementAction | None = None
    action_on: Day | None = None
    action_note: Text | None = None

    @model_validator(mode="before")
    @classmethod
    def _earlier_words(cls, data: object) -> object:
        """The five earlier outcome words stay readable (rarplan.model.contacts.ALIASES)."""
        return read_earlier_words(data)


class OutcomeReview(_Model):
    intervention: str
    outcome: Text  # the desired outcome as agreed
    result: OutcomeResult
    comment: Text = ""


EndingReason = Literal["revoked", "breach_resentenced", "transferred", "died", "other"]
# How a RAR closed: completed (`rarplan complete`), or ended otherwise (`rarplan end`).
ClosingStatus = Literal[
    "completed",
    "completed_early",
    "revoked",
    "breach_resentenced",
    "transferred",
    "died",
    "other",
]


class Completion(_Model):
    """How the RAR closed: completed, or ended for another reason (status = the reason; then
    `completed_on` is the date it ended, `rar_days_completed` the days used, and `rationale`
    the officer's note)."""

    completed_on: Day
    status: ClosingStatus
    rar_days_ordered: Whole
    rar_days_completed: Whole
    rationale: Text = ""
    progress: Text = ""
    outcome: Text = ""
    confirmed_by: Text = ""
    record_file: str | None = None


class HistoryEntry(_Model):
    """One change to the plan: who, why, when, what changed, and the schedule as it stood
    before."""

    at: datetime
    by: str = ""
    action: str
    reason: Text = ""
    # what changed, one line each ("hours of msrp-home: 6 to 4"); None (not written) when the
    # entry lists none, so older plans read and write back unchanged
    changes: list[Text] | None = None
    schedule: Schedule | None = None  # the previous schedule, kept for recovery


class Plan(_Model):
    schema_version: Whole = SCHEMA_VERSION
    crn: str
    created: datetime
    responsible_officer: str = ""
    case: Case
    assessment: Assessment
    selected: list[SelectedIntervention] = []
    unmet_needs: list[UnmetNeed] = []
    agreement: Agreement = Field(default_factory=Agreement)
    availability: Availability = Field(default_factory=Availability)
    schedule: Schedule | None = None
    attendance: list[AttendanceRecord] = []
    outcomes: list[OutcomeReview] = []
    completion: Completion | None = None
    history: list[HistoryEntry] = []

    @model_validator(mode="after")
    def _holds_together(self) -> Self:
        problems = invariant_problems(
            self.crn,
            self.case.crn,
            self.case.sentence.rar_max_days,
            self.schedule,
            self.attendance,
            self.completion,
        )
        if problems:
            raise ValueError("; ".join(problems))
        return self


def invariant_problems(
    crn: str,
    case_crn: str,
    rar_max_days: int | None,
    schedule: Schedule | None,
    attendance: list[AttendanceRecord],
    completion: Completion | None,
) -> list[str]:
    """What every plan must hold, checked on every load (a hand-edited file may break it):
    - `crn` is a CRN (a letter and six digits), the case's own: it names files, so it must
      never be a path or a person's name;
    - the schedule plans no more RAR days than the court's maximum (RAR guidance, 001 sections
      4 and 7), counted by the one RAR-day rule (rarplan.model.rardays), and says so;
    - a completion (or end) record says what the court ordered and the attendance shows.
    Shared by the Plan model and the caseload's fast reader (rarplan.files.planview)."""
    from rarplan.model.rardays import days_planned, days_used

    if not CRN_PATTERN.fullmatch(crn):
        return ["crn: must be a letter and six digits, e.g. X123456"]  # nothing else is safe
    problems = []
    if crn != case_crn:
        problems.append(f"crn: {crn}, but case.crn is {case_crn}")
    if schedule is not None and rar_max_days is not None:
        planned = days_planned(schedule.appointments, attendance)  # a missed one uses no day
        if planned > rar_max_days or schedule.rar_days_planned > rar_max_days:
            most = max(planned, schedule.rar_days_planned)
            problems.append(
                f"schedule: {most} RAR days planned, more than the court's {rar_max_days} "
                "(case.sentence.rar_max_days; RAR guidance, section 7)"
            )
    if completion is not None:
        used = days_used(attendance)
        if completion.rar_days_completed != used:
            problems.append(
                f"completion.rar_days_completed: {completion.rar_days_completed}, but the "
                f"attendance shows {used} RAR days used"
            )
        if rar_max_days is not None and completion.rar_days_ordered != rar_max_days:
            problems.append(
                f"completion.rar_days_ordered: {completion.rar_days_ordered}, but the court "
                f"ordered {rar_max_days} (case.sentence.rar_max_days)"
            )
        if completion.rar_days_completed > completion.rar_days_ordered:
            problems.append(
                f"completion: {completion.rar_days_completed} of {completion.rar_days_ordered} "
                "RAR days: more than the court ordered (RAR guidance, section 7)"
            )
    return problems
