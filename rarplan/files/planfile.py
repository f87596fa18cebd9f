"""Plan files on disk: TOML with `schema_version`, migrated on read, written atomically.

A plan is written as its `model_dump` (fields in declared order, None left out, dates as TOML
dates) by `rarplan.files.toml_writer`; it is read by tomllib and checked by the `Plan` model.
A plan holding progress (a schedule, attendance, outcome reviews, a closing record) is never
replaced by a new assessment unless its progress is to be discarded (`check_replace`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from rarplan.files import toml_writer
from rarplan.files.reading import decode, parse_document, read_bytes
from rarplan.files.storage import atomic_write
from rarplan.files.validation import format_errors, problems_error, wrong_kind
from rarplan.model.errors import InvalidInput, WouldOverwrite
from rarplan.model.plan import SCHEMA_VERSION, Plan


def _judgement_only(doc: dict[str, Any]) -> dict[str, Any]:
    """1 -> 2: each intervention result repeated its catalogue entry's needs and flags (a
    plan was 16 KB, 12 of them that); version 2 keeps the judgement and leaves the rest to
    the catalogue."""
    assessment = doc.get("assessment")
    if isinstance(assessment, dict) and isinstance(assessment.get("interventions"), list):
        results = [
            {k: v for k, v in r.items() if k not in _CATALOGUE_FACTS} if isinstance(r, dict) else r
            for r in assessment["interventions"]
        ]
        doc["assessment"] = {**assessment, "interventions": results}
    return doc


_CATALOGUE_FACTS = ("needs", "accredited", "counts_towards_rar")


def _contact_outcomes(doc: dict[str, Any]) -> dict[str, Any]:
    """2 -> 3: attendance outcomes in the case management system's words
    (rarplan.model.contacts): attended -> attended_complied, late -> attended_complied with
    "late" in the note, unacceptable_absence -> failed_to_attend; the others are unchanged."""
    from rarplan.model.contacts import read_earlier_words

    if isinstance(doc.get("attendance"), list):
        doc["attendance"] = [read_earlier_words(r) for r in doc["attendance"]]
    return doc


# schema_version N -> a function turning a version-N document into version N+1.
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {
    1: _judgement_only,
    2: _contact_outcomes,
}


def migrate(raw: dict[str, Any], name: str) -> dict[str, Any]:
    version = raw.get("schema_version", 1)
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise InvalidInput(f"{name}: schema_version: must be a whole number ≥ 1")
    if version > SCHEMA_VERSION:
        raise InvalidInput(
            f"{name}: schema_version {version} is newer than this rarplan knows ({SCHEMA_VERSION})",
            hint="upgrade rarplan to read this plan",
        )
    while version < SCHEMA_VERSION:
        step = MIGRATIONS.get(version)
        if step is None:
            raise InvalidInput(f"{name}: no migration from schema_version {version}")
        raw = step(dict(raw))
        version += 1
        raw["schema_version"] = version
    return raw


def parse_plan(raw: dict[str, Any], name: str) -> Plan:
    wrong = wrong_kind(raw, name, "plan")  # a case file or a completion record given as a plan
    if wrong is not None:
        raise wrong
    raw = migrate(raw, name)
    try:
        return Plan.model_validate(raw)
    except ValidationError as exc:
        problems = format_errors(exc, name, raw, model=Plan)
        raise problems_error(problems, hint="is this a rarplan plan file?") from None


def load_plan(source: str | Path) -> tuple[Plan, bytes]:
    """Read a plan (or '-' for stdin); also returns the exact bytes read, for hashing."""
    data, name = read_bytes(source)
    raw = parse_document(decode(data, name), name, "json" if name.endswith(".json") else "toml")
    return parse_plan(raw, name), data


def plan_document(plan: Plan) -> dict[str, Any]:
    """The plan as the TOML document's tables: its fields in declared order, those that are
    None left out (TOML has no null; reading fills in the default, None)."""
    return plan.model_dump(mode="python", exclude_none=True)


def plan_bytes(plan: Plan) -> bytes:
    """The plan file's contents: its document as TOML, in UTF-8."""
    try:
        return toml_writer.dumps(plan_document(plan)).encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidInput(
            f"{plan.crn}: the plan's text holds an unpaired surrogate character; cannot save it"
        ) from None


def dump_plan(plan: Plan) -> str:
    """The plan file's text."""
    return plan_bytes(plan).decode("utf-8")


def save_plan(
    plan: Plan, path: str | Path, *, overwrite: bool = False, durable: bool = True
) -> Path | None:
    """Write the plan atomically (0600); the previous version's copy in .rarplan-history/,
    if one was replaced."""
    return atomic_write(path, plan_bytes(plan), overwrite=overwrite, durable=durable)


def default_plan_name(crn: str) -> str:
    return f"{crn}.plan.toml"


# --- Replacing a plan --------------------------------------------------------------------


def progress_lost(plan: Plan) -> list[str]:
    """What replacing the plan with a new assessment would lose: its schedule, attendance and
    completion, in words ("schedule version 2 (14 appointments)")."""
    lost = []
    if plan.schedule is not None:
        n = len(plan.schedule.appointments)
        lost.append(
            f"schedule version {plan.schedule.version} ({n} appointment{'s' if n != 1 else ''})"
        )
    if plan.attendance:
        n = len(plan.attendance)
        lost.append(f"{n} attendance record{'s' if n != 1 else ''}")
    if plan.outcomes:
        n = len(plan.outcomes)
        lost.append(f"{n} outcome review{'s' if n != 1 else ''}")
    if plan.completion is not None:
        c = plan.completion
        kind = "completion" if c.status.startswith("completed") else "end"
        lost.append(f"the {kind} record of {c.completed_on.isoformat()}")
    return lost


def check_replace(path: Path, *, discard_progress: bool) -> None:
    """Refuse (exit 5) to replace a plan file holding progress, naming what would be lost,
    unless the officer says to discard it. A file that is not a readable plan holds none."""
    if not path.is_file():
        return
    try:
        plan, _ = load_plan(path)
    except InvalidInput:
        return
    lost = progress_lost(plan)
    if lost and not discard_progress:
        raise WouldOverwrite(
            f"{path}: holds {', '.join(lost)}; a new assessment would replace them",
            hint="amend the plan instead, or discard its progress (the old plan is kept in "
            ".rarplan-history/)",
            needs=("discard_progress",),
        )
