"""Reading attendance files: TOML `[[attendance]]` tables, or CSV with the columns
`date, intervention, session, outcome, note` (docs/deliver.md, "The attendance file").

A file whose form is wrong (not CSV, an unknown column, no rows) is refused at once. A row that
cannot be read (a bad date, an unknown outcome) is kept as an `Entry` with its problems and no
row: matching the rows to the plan (`rarplan.deliver.attendance.apply_attendance`) reports them
with the rows that name no appointment, so one run names every problem of the file.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from rarplan.files.validation import did_you_mean, format_errors, problems_by_item, problems_error
from rarplan.model.contacts import LATE_NOTE, OUTCOMES, outcome_word, parse_outcome, with_late
from rarplan.model.dates import parse_date
from rarplan.model.errors import InvalidInput
from rarplan.model.plan import Appointment, AttendanceOutcome, AttendanceRecord

CSV_COLUMNS = ("date", "intervention", "session", "outcome", "note")
Key = tuple[date, str, int]  # an appointment: date, intervention, session


# --- Reading an attendance file ------------------------------------------------------------


class AttendanceRow(BaseModel):
    """One row of an attendance file: what happened at one scheduled appointment."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    date: date
    intervention: Annotated[str, Field(min_length=1, max_length=80)]
    session: Annotated[int, Field(ge=1, le=1000)]
    outcome: AttendanceOutcome
    note: Annotated[str, Field(max_length=4000)] = ""

    @field_validator("date", mode="before")
    @classmethod
    def _date(cls, value: object) -> object:
        return parse_date(value)

    @model_validator(mode="before")
    @classmethod
    def _late(cls, data: Any) -> Any:
        """The old outcome `late` reads as attended and complied, "late" kept in the note."""
        if isinstance(data, dict) and isinstance(data.get("outcome"), str):
            if outcome_word(data["outcome"]) == LATE_NOTE:
                return {**data, "note": with_late(str(data.get("note") or ""))}
        return data

    @field_validator("outcome", mode="before")
    @classmethod
    def _outcome(cls, value: object) -> object:
        found = parse_outcome(value) if isinstance(value, str) else None
        if found is None:
            close = did_you_mean(value, list(OUTCOMES)) if isinstance(value, str) else ""
            raise ValueError(f"must be one of {', '.join(OUTCOMES)}{close}")
        return found

    @property
    def key(self) -> Key:
        return (self.date, self.intervention, self.session)


class AttendanceFile(BaseModel):
    """The TOML (or JSON) form: `[[attendance]]` tables with the CSV's columns as keys."""

    model_config = ConfigDict(extra="forbid")

    attendance: list[AttendanceRow]


@dataclass(frozen=True)
class Entry:
    """A row read from a file, with where it came from ('row 4', 'attendance[3]'); a row that
    could not be read has no `row`, its `problems` (`file: where: what` lines) and the
    intervention it names as written, so that is checked against the plan too."""

    where: str
    row: AttendanceRow | None
    problems: tuple[str, ...] = ()
    intervention: str = ""


def _unread(where: str, problems: list[str], item: object) -> Entry:
    named = item.get("intervention") if isinstance(item, dict) else None
    return Entry(where, None, tuple(problems), named.strip() if isinstance(named, str) else "")


def _is_csv(text: str, name: str) -> bool:
    lower = name.lower()
    if lower.endswith(".csv"):
        return True
    if lower.endswith((".toml", ".json")):
        return False
    first = next((line for line in text.splitlines() if line.strip()), "")
    return first.strip().lower().startswith("date,")


def parse_attendance(text: str, name: str) -> list[Entry]:
    """Rows from a CSV (by the `.csv` ending or a `date,...` header) or TOML/JSON file; a row
    that cannot be read comes with its problems (see the module's notes)."""
    entries = _parse_csv(text, name) if _is_csv(text, name) else _parse_toml(text, name)
    if not entries:
        raise InvalidInput(f"{name}: no attendance rows", hint="one row per appointment")
    return entries


def read_attendance(source: str | Path) -> tuple[list[Entry], str]:
    """Read an attendance file ('-' for stdin): its rows, each read or with its problems."""
    from rarplan.files.reading import decode, read_bytes

    data, name = read_bytes(source)
    return parse_attendance(decode(data, name), name), name


def _parse_toml(text: str, name: str) -> list[Entry]:
    from rarplan.files.reading import parse_document

    raw = parse_document(text, name)
    try:
        parsed = AttendanceFile.model_validate(raw)
    except ValidationError as exc:
        problems = format_errors(exc, name, raw, model=AttendanceFile)
        by_item, whole = problems_by_item(problems, name, "attendance")
        if whole:  # the file's form (no `attendance` table, an unknown key): no rows to match
            raise problems_error(problems) from None
        entries = []
        for i, item in enumerate(raw["attendance"]):
            where = f"attendance[{i}]"
            if i in by_item:
                entries.append(_unread(where, by_item[i], item))
            else:
                entries.append(Entry(where, AttendanceRow.model_validate(item)))
        return entries
    return [Entry(f"attendance[{i}]", row) for i, row in enumerate(parsed.attendance)]


def _parse_csv(text: str, name: str) -> list[Entry]:
    # strict: a quote left open is an error at the end, never the next rows read into a note
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        rows = list(reader)
    except csv.Error as exc:
        raise InvalidInput(f"{name}: line {reader.line_num}: not valid CSV: {exc}") from None
    if not rows:
        raise InvalidInput(f"{name}: the file is empty")
    header = [cell.strip().lower() for cell in rows[0]]
    unknown = [h for h in header if h not in CSV_COLUMNS]
    if unknown:
        raise InvalidInput(
            f"{name}: row 1: unknown column '{unknown[0]}'; the columns are "
            + ", ".join(CSV_COLUMNS)
        )
    missing = [c for c in CSV_COLUMNS[:4] if c not in header]
    if missing:
        raise InvalidInput(
            f"{name}: row 1: missing column{'s' if len(missing) > 1 else ''} "
            + ", ".join(missing)
            + f"; the header is {','.join(CSV_COLUMNS)}"
        )
    if len(set(header)) != len(header):
        raise InvalidInput(f"{name}: row 1: a column is named twice")
    entries: list[Entry] = []
    # Rows are numbered as a spreadsheet shows them: the header is row 1.
    for number, cells in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        where = f"row {number}"
        if len(cells) > len(header):
            problem = f"{name}: {where}: {len(cells)} cells, but {len(header)} columns"
            entries.append(_unread(where, [problem], dict(zip(header, cells, strict=False))))
            continue
        record: dict[str, Any] = dict(zip(header, cells, strict=False))
        try:
            entries.append(Entry(where, AttendanceRow.model_validate(record)))
        except ValidationError as exc:
            problems = format_errors(exc, f"{name}: {where}", record, model=AttendanceRow)
            entries.append(_unread(where, problems, record))
    return entries


# --- Records and appointments by (date, intervention, session) -----------------------


def appointment_key(appointment: Appointment) -> Key:
    return (appointment.date, appointment.intervention, appointment.session)


def record_key(record: AttendanceRecord) -> Key:
    return (record.date, record.intervention, record.session)


def describe(key: Key) -> str:
    when, intervention, session = key
    return f"{when.isoformat()} {intervention} session {session}"
