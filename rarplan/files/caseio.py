"""Reading case files: TOML or JSON (or '-' for stdin), and batches as JSONL or CSV."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from rarplan.files.storage import (
    load_document,
    open_text,
    reading,
)
from rarplan.files.validation import format_errors
from rarplan.model.case import Case
from rarplan.model.errors import InvalidInput


def case_from_dict(raw: dict[str, Any], name: str) -> Case:
    try:
        return Case.model_validate(raw)
    except ValidationError as exc:
        problems = format_errors(exc, name, raw, model=Case)
        raise InvalidInput(
            problems[0] if len(problems) == 1 else f"{problems[0]} (and {len(problems) - 1} more)",
            hint="see docs/data.md, 'Case files'",
            problems=problems,
        ) from None


def load_case(source: str | Path) -> tuple[Case, str]:
    raw, name = load_document(source)
    return case_from_dict(raw, name), name


def _list_fields() -> set[str]:
    out = set()
    for section, info in Case.model_fields.items():
        model = info.annotation
        fields = getattr(model, "model_fields", None)
        if not fields:
            continue
        for key, sub in fields.items():
            if "list" in str(sub.annotation):
                out.add(f"{section}.{key}")
    return out


LIST_FIELDS = _list_fields()
DICT_FIELDS = {"checks", "plan.overrides", "plan.hours", "plan.outcomes", "plan.unmet_needs"}


def _csv_row(row: dict[str, str], name: str) -> dict[str, Any]:
    """Columns named section.key into a nested case; empty cells are left out."""
    out: dict[str, Any] = {}
    for column, cell in row.items():
        if column is None:
            raise InvalidInput(f"{name}: more cells than column names")
        cell = (cell or "").strip()
        if not cell:
            continue
        value: Any = cell
        if column in LIST_FIELDS or column in DICT_FIELDS:
            if cell.startswith(("[", "{")):
                try:
                    value = json.loads(cell)
                except json.JSONDecodeError:
                    raise InvalidInput(f"{name}: {column}: not valid JSON: {cell[:40]}") from None
            else:
                value = [v.strip() for v in cell.split(";") if v.strip()]
        parts = column.split(".")
        target = out
        for part in parts[:-1]:
            nxt = target.setdefault(part, {})
            if not isinstance(nxt, dict):
                raise InvalidInput(f"{name}: column {column!r} clashes with {part!r}")
            target = nxt
        target[parts[-1]] = value
    return out


def iter_csv(source: str | Path) -> Iterator[tuple[int, dict[str, Any] | InvalidInput]]:
    """(row number, raw case or the error for that row) from a CSV batch, streaming.

    Columns are named `section.key` (e.g. `scores.ogrs`); JSONL batches are read line by line
    by `rarplan assess --batch` itself.
    """
    name = "<stdin>" if str(source) == "-" else str(source)
    with open_text(source) as stream, reading(name):
        for n, row in enumerate(csv.DictReader(stream), start=2):
            try:
                yield n, _csv_row(row, f"{name}: row {n}")
            except InvalidInput as err:
                yield n, err
