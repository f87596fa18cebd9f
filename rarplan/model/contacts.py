"""The outcome of an appointment, in the words of the case management system's contact outcomes.

An officer records each RAR appointment in nDelius (RAR guidance,
docs/sources/001_246201b7ec5ee73b.txt, sections 4 and 7: "this needs to be recorded on Delius")
with one of these outcomes; rarplan records the same words:

- attended_complied: attended and complied;
- attended_failed_to_comply: attended, but failed to comply (an unacceptable failure);
- sent_home_behaviour: sent home for their behaviour (an unacceptable failure);
- sent_home_service_issues: sent home because of the service (not the person's failure);
- failed_to_attend: did not attend, with no acceptable reason (an unacceptable absence);
- acceptable_absence_<reason>: an absence the officer accepts, with its reason (REASONS);
  plain `acceptable_absence` when the reason was not recorded (plans and files from before);
- not_held: the provider did not hold the session.

Which outcomes use a RAR day is `rarplan.model.rardays` (the one rule); which are unacceptable
failures (enforcement, section 7: "all appointments ... are enforceable") is `UNACCEPTABLE`.
Earlier rarplan words stay readable as aliases (`ALIASES`); plans written with them are
migrated on reading (`rarplan.files.planfile`).
"""

from __future__ import annotations

import re
from typing import Literal, get_args

AttendanceOutcome = Literal[
    "attended_complied",
    "attended_failed_to_comply",
    "sent_home_behaviour",
    "sent_home_service_issues",
    "failed_to_attend",
    "acceptable_absence_court_legal",
    "acceptable_absence_employment",
    "acceptable_absence_family_childcare",
    "acceptable_absence_holiday",
    "acceptable_absence_medical",
    "acceptable_absence_religious",
    "acceptable_absence_remanded_in_custody",
    "acceptable_absence_professional_judgement",
    "acceptable_absence",
    "not_held",
]

OUTCOMES: tuple[AttendanceOutcome, ...] = get_args(AttendanceOutcome)  # in that order

# What the officer sees: the contact outcome as the case management system words it.
LABELS: dict[AttendanceOutcome, str] = {
    "attended_complied": "attended and complied",
    "attended_failed_to_comply": "attended, failed to comply",
    "sent_home_behaviour": "sent home (behaviour)",
    "sent_home_service_issues": "sent home (service issues)",
    "failed_to_attend": "failed to attend",
    "acceptable_absence_court_legal": "acceptable absence (court/legal)",
    "acceptable_absence_employment": "acceptable absence (employment)",
    "acceptable_absence_family_childcare": "acceptable absence (family/childcare)",
    "acceptable_absence_holiday": "acceptable absence (holiday)",
    "acceptable_absence_medical": "acceptable absence (medical)",
    "acceptable_absence_religious": "acceptable absence (religious)",
    "acceptable_absence_remanded_in_custody": "acceptable absence (remanded in custody)",
    "acceptable_absence_professional_judgement": "acceptable absence (professional judgement)",
    "acceptable_absence": "acceptable absence (reason not recorded)",
    "not_held": "not held",
}

# Unacceptable failures: each is enforceable (section 7) and counted towards a warning or
# breach. Being sent home for the service's reasons, or an accepted absence, is not one.
UNACCEPTABLE: frozenset[AttendanceOutcome] = frozenset(
    {"attended_failed_to_comply", "sent_home_behaviour", "failed_to_attend"}
)
ACCEPTABLE: frozenset[AttendanceOutcome] = frozenset(
    o for o in OUTCOMES if o.startswith("acceptable_absence")
)

# Earlier rarplan words (and the system's own spellings) -> the outcome. "late" was an
# attendance: the person came and the session went ahead, so it reads as attended and complied,
# with "late" kept in the note (see `LATE_NOTE`).
ALIASES: dict[str, AttendanceOutcome] = {
    "attended": "attended_complied",
    "late": "attended_complied",
    "unacceptable_absence": "failed_to_attend",
    "attended_sent_home_behaviour": "sent_home_behaviour",
    "attended_sent_home_service_issues": "sent_home_service_issues",
    "acceptable_absence_court": "acceptable_absence_court_legal",
    "acceptable_absence_legal": "acceptable_absence_court_legal",
    "acceptable_absence_family": "acceptable_absence_family_childcare",
    "acceptable_absence_childcare": "acceptable_absence_family_childcare",
    "acceptable_absence_remanded": "acceptable_absence_remanded_in_custody",
}
LATE_NOTE = "late"

_WORD_BREAK = re.compile(r"[^a-z0-9]+")


def outcome_word(text: str) -> str:
    """'Acceptable absence - Family/Childcare' -> 'acceptable_absence_family_childcare'."""
    return _WORD_BREAK.sub("_", text.strip().lower()).strip("_")


def parse_outcome(text: str) -> AttendanceOutcome | None:
    """The outcome a word (or alias, in any spelling) names, or None."""
    word = outcome_word(text)
    if word in ALIASES:
        return ALIASES[word]
    return next((o for o in OUTCOMES if o == word), None)


def with_late(note: str) -> str:
    """The note of a record read from the old outcome `late`."""
    return LATE_NOTE if not note.strip() else f"{LATE_NOTE}; {note}"


# What the officer did about an unacceptable failure: a warning letter given, a breach laid
# before the court, or (recorded with the reason in the note) no further action.
EnforcementAction = Literal["warning", "breach", "no_action"]
ACTIONS: tuple[EnforcementAction, ...] = ("warning", "breach", "no_action")
ACTION_LABELS: dict[EnforcementAction, str] = {
    "warning": "warning letter given",
    "breach": "breach laid",
    "no_action": "no further action",
}


def read_earlier_words(record: object) -> object:
    """An attendance record (a mapping) with an earlier outcome word turned into today's:
    `late` becomes attended and complied, with "late" in its note."""
    if not isinstance(record, dict) or not isinstance(record.get("outcome"), str):
        return record
    word = record["outcome"]
    if word not in ALIASES:
        return record
    out = {**record, "outcome": ALIASES[word]}
    if word == LATE_NOTE:
        out["note"] = with_late(str(record.get("note") or ""))
    return out
