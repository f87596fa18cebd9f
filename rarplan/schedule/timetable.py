"""A provider's timetable file: when and where its groups run, overriding the catalogue.

    [timetable.job-club]
    weekday = "tue"
    start = "18:00"
    place = "Maidstone office"     # optional

Checked strictly: a wrong key or value is an error naming the file and the key (exit 3).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from rarplan.catalogue.models import Catalogue, suggest
from rarplan.files.validation import format_errors
from rarplan.model.dates import HHMM, hhmm, minutes_of
from rarplan.model.errors import InvalidInput
from rarplan.schedule.calendar import WEEKDAYS
from rarplan.schedule.sessions import Slot


class GroupTime(BaseModel):
    # defer_build (both): built when a timetable file is read, not on import
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    weekday: Literal["mon", "tue", "wed", "thu", "fri"]
    start: Annotated[str, Field(pattern=HHMM)]
    place: Annotated[str, Field(min_length=1, max_length=200)] | None = None


class TimetableFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    schema_version: Literal[1] = 1
    timetable: dict[str, GroupTime] = Field(min_length=1)


def _check_ids(slots: dict[str, GroupTime], catalogue: Catalogue, name: str) -> None:
    problems = []
    for entry_id in slots:
        entry = catalogue.entries.get(entry_id)
        if entry is None:
            problems.append(
                f"{name}: timetable.{entry_id}: no intervention with this id in the catalogue "
                f"({suggest(entry_id, list(catalogue.entries))})"
            )
        elif not any(p.kind == "group" for p in entry.duration.sessions):
            problems.append(
                f"{name}: timetable.{entry_id}: {entry_id} has no group sessions to timetable"
            )
    if problems:
        raise InvalidInput(
            problems[0] if len(problems) == 1 else f"{name}: {len(problems)} problems",
            hint="see docs/schedule.md, 'Provider timetable file'",
            problems=problems,
        )


def parse_timetable(raw: dict[str, object], name: str, catalogue: Catalogue) -> dict[str, Slot]:
    try:
        data = TimetableFile.model_validate(raw)
    except ValidationError as exc:
        problems = format_errors(exc, name, raw, model=TimetableFile)
        raise InvalidInput(
            problems[0] if len(problems) == 1 else f"{name}: {len(problems)} problems",
            hint="see docs/schedule.md, 'Provider timetable file'",
            problems=problems,
        ) from None
    _check_ids(data.timetable, catalogue, name)
    return {
        entry_id: Slot(WEEKDAYS.index(t.weekday), minutes_of(t.start), t.place, name)
        for entry_id, t in data.timetable.items()
    }


def load_timetable(path: Path | str, catalogue: Catalogue) -> dict[str, Slot]:
    from rarplan.files.reading import load_document

    raw, name = load_document(path, "toml")
    return parse_timetable(raw, name, catalogue)


def to_stored(slots: dict[str, Slot]) -> dict[str, dict[str, str]]:
    """The overrides as kept in the plan's schedule, so a re-plan keeps the provider's times."""
    out: dict[str, dict[str, str]] = {}
    for entry_id, slot in sorted(slots.items()):
        row = {"weekday": WEEKDAYS[slot.weekday], "start": hhmm(slot.start)}
        if slot.place:
            row["place"] = slot.place
        out[entry_id] = row
    return out


def from_stored(stored: dict[str, dict[str, str]], catalogue: Catalogue) -> dict[str, Slot]:
    if not stored:
        return {}
    return parse_timetable({"timetable": stored}, "plan: schedule.timetable", catalogue)
