"""`rarplan verify`: a completion or end record checked against the plan it was made from.

A matching SHA-256 is not enough: whoever edits the plan can recompute it. So the plan is also
checked against the completion rules (`completion.completion_problems`, RAR guidance sections
4, 5 and 7), and every field of the record is compared with the record the plan gives today
(`record_differences`), naming each field that differs.
"""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from rarplan.deliver.completion import build_record, completion_problems, load_record
from rarplan.files.validation import problems_error
from rarplan.model.errors import InvalidInput
from rarplan.model.plan import Plan


def verify_record(record_path: str | Path, plan_path: str | Path) -> dict[str, Any]:
    """Check the record against the plan it was made from: the plan byte for byte (its
    SHA-256), the plan against the completion rules, and every field of the record against
    the record the plan gives today.

    Raises InvalidInput (exit 3) listing every difference, each naming its field.
    """
    from rarplan.files.planfile import parse_plan
    from rarplan.files.reading import decode, parse_document, read_bytes

    record, record_name = load_record(record_path)
    data, plan_name = read_bytes(plan_path)
    sha = hashlib.sha256(data).hexdigest()
    problems: list[str] = []
    if sha != record.plan_sha256:
        problems.append(
            f"{plan_name}: changed since {record_name} was written: its SHA-256 is "
            f"{sha[:12]}…, the record has {record.plan_sha256[:12]}…"
        )
    try:
        raw = parse_document(decode(data, plan_name), plan_name, "toml")
        plan: Plan | None = parse_plan(raw, plan_name)
    except InvalidInput as exc:
        problems.append(exc.message)
        plan = None
    if plan is not None:
        if plan.completion is None:
            problems.append(f"{plan_name}: completion: the plan is not completed")
        else:
            problems.extend(completion_problems(plan, plan_name))
            # the plan's file name as given ('-' is stdin: no name to compare)
            plan_file = record.plan_file if str(plan_path) == "-" else Path(plan_path).name
            expected = build_record(plan, plan_file, record.plan_sha256)
            problems.extend(record_differences(record, expected, record_name))
    if problems:
        raise problems_error(
            problems,
            hint="the record or the plan was edited after completion: restore the plan from "
            ".rarplan-history/, or complete it again",
            needs=("force",),
        )
    return {
        "match": True,
        "crn": record.crn,
        "status": record.status,
        "rar_days_ordered": record.rar_days_ordered,
        "rar_days_completed": record.rar_days_completed,
        "completed_on": record.completed_on.isoformat(),
        "plan": plan_name,
        "record": record_name,
        "plan_sha256": sha,
    }


# Fields whose values are quoted when they differ: codes, numbers and dates. Free text (the
# reasons, comments, the summary) may hold personal details and is only said to differ.
_QUOTED = frozenset({"crn", "status", "result", "plan_file", "intervention", "confirmed_by"})


def record_differences(record: BaseModel, expected: BaseModel, record_name: str) -> list[str]:
    """Every field of `record` that is not what `expected` (the record the plan gives today)
    holds, as `record_name: key.path: what differs` lines. One comparison for any record
    model: the completion record now, other closing records to come."""
    out: list[str] = []
    for key in type(expected).model_fields:
        _compare(getattr(record, key), getattr(expected, key), key, record_name, out)
    return out


def _compare(mine: Any, theirs: Any, where: str, name: str, out: list[str]) -> None:
    if mine == theirs:
        return
    if isinstance(mine, BaseModel) and type(mine) is type(theirs):
        for key in type(mine).model_fields:
            _compare(getattr(mine, key), getattr(theirs, key), f"{where}.{key}", name, out)
    elif isinstance(mine, dict) and isinstance(theirs, dict):
        for key in sorted({*mine, *theirs}):
            _compare(mine.get(key), theirs.get(key), f"{where}.{key}", name, out)
    elif isinstance(mine, list) and isinstance(theirs, list):
        if len(mine) == len(theirs):
            for i, (a, b) in enumerate(zip(mine, theirs, strict=True)):
                _compare(a, b, f"{where}[{i}]", name, out)
        elif all(isinstance(x, date) for x in [*mine, *theirs]):
            extra = ", ".join(d.isoformat() for d in mine if d not in theirs) or "none"
            lacking = ", ".join(d.isoformat() for d in theirs if d not in mine) or "none"
            out.append(
                f"{name}: {where}: the record has {len(mine)}, the plan gives {len(theirs)} "
                f"(only in the record: {extra}; only in the plan: {lacking})"
            )
        else:
            out.append(
                f"{name}: {where}: the record has {len(mine)} entries, the plan gives {len(theirs)}"
            )
    elif isinstance(mine, str) and where.rsplit(".", 1)[-1] not in _QUOTED:
        out.append(f"{name}: {where}: differs from what the plan gives")
    else:
        out.append(f"{name}: {where}: the record has {mine}, the plan {theirs}")
