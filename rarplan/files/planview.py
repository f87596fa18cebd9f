"""Reading the parts of a plan the caseload shows, fast (see the note below)."""

from __future__ import annotations

import json
import re
import tomllib
from datetime import date, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, model_validator

from rarplan.model.case import Sentence
from rarplan.model.errors import InvalidInput
from rarplan.model.plan import (
    SCHEMA_VERSION,
    AttendanceRecord,
    Completion,
    Plan,
    Schedule,
    invariant_problems,
)
from rarplan.model.plan import Band as BandName

# --- Reading plans fast ----------------------------------------------------------------------
#
# A scheduled plan is tens of kilobytes of TOML, most of it the assessment of every catalogue
# entry and the history; the caseload needs a few tables. tomllib (pure Python) takes ~5 ms a
# plan, too slow for a folder of a thousand. So a plan in the layout rarplan writes (toml_writer)
# is split at its table headers:
# - the tables the caseload shows (READ_TABLES) are read in full and checked by the plan's own
#   models: their `key = scalar` lines directly, anything else (arrays, inline tables,
#   comments) by tomllib for that table;
# - from two tables only a few keys are taken (PEEKED_TABLES: the order's days and dates, the
#   band), and these must be there;
# - the other tables are not read.
# A layout this reader does not know (multi-line strings, an unusual header, a repeated table),
# or any error, sends the file through the full reader (tomllib and the Plan model), which
# gives the error message. `rarplan status --check` reads every plan in full.


class _Ignore(BaseModel):
    model_config = ConfigDict(extra="ignore")


class _CaseView(_Ignore):
    crn: str
    sentence: Sentence  # only the keys in PEEKED_TABLES are read; the rest take defaults


class _AssessmentView(_Ignore):
    band: BandName


class PlanView(_Ignore):
    """The parts of a plan the caseload shows."""

    schema_version: int = SCHEMA_VERSION
    crn: str
    case: _CaseView
    assessment: _AssessmentView
    schedule: Schedule | None = None
    attendance: list[AttendanceRecord] = []
    completion: Completion | None = None

    @model_validator(mode="after")
    def _holds_together(self) -> PlanView:
        """The plan's invariants, as on every load of a whole plan (`invariant_problems`); a
        plan that breaks one goes to the full reader, which says what is wrong."""
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

    @classmethod
    def of(cls, plan: Plan) -> PlanView:
        return cls.model_construct(
            schema_version=plan.schema_version,
            crn=plan.crn,
            case=_CaseView.model_construct(
                crn=plan.case.crn,
                sentence=Sentence.model_construct(
                    **{key: getattr(plan.case.sentence, key) for key in PEEKED_TABLES[_SENTENCE]}
                ),
            ),
            assessment=_AssessmentView.model_construct(band=plan.assessment.band),
            schedule=plan.schedule,
            attendance=plan.attendance,
            completion=plan.completion,
        )


READ_TABLES = ("schedule", "attendance", "completion")  # with the tables inside them
_SENTENCE = "case.sentence"
PEEKED_TABLES = {
    "case": frozenset({"crn"}),
    _SENTENCE: frozenset({"start_date", "length_months", "rar_max_days"}),
    "assessment": frozenset({"band"}),
}
# Each pattern starts with a literal newline (the text is given a leading one) so that the
# regex engine can skip ahead to line starts instead of trying every character.
_HEADER = re.compile(r"\n(\[\[?)([A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*)(\]\]?)[ \t]*(?=\n|$)")
_ANY_HEADER = re.compile(r"\n[ \t]*\[")
_NON_BLANK = re.compile(r"\n[ \t]*[^\s]")
_LINE = re.compile(r"\n([A-Za-z0-9_-]+) = ([^\n]*)")
_PLAIN_STRING = re.compile(r'"[^"\\\x00-\x1f\x7f]*"')
_INT = re.compile(r"-?(?:0|[1-9][0-9]*)")
_FLOAT = re.compile(r"-?(?:0|[1-9][0-9]*)\.[0-9]+")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_DATETIME = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]+)?"
    r"(?:Z|[+-][0-9]{2}:[0-9]{2})?"
)


class _Unusual(Exception):
    """The fast reader met something it does not read; use the full reader."""


def read_view(path: Path, *, full: bool = False) -> PlanView:
    """The caseload's view of one plan file; InvalidInput (naming the problem) if unreadable."""
    from rarplan.files.planfile import parse_plan
    from rarplan.files.reading import check_bounds, decode, parse_document, read_bytes

    name = str(path)
    if not path.is_file():
        raise InvalidInput(f"{name}: not a file")
    data, _ = read_bytes(path)
    if not full:
        try:
            check_bounds(data.decode("utf-8"), name)  # before any parsing (issue 19)
            view = PlanView.model_validate(fast_tables(data.decode("utf-8")))
            if view.schema_version == SCHEMA_VERSION:
                return view
        except (_Unusual, ValueError, TypeError, KeyError, RecursionError):
            pass  # the full reader says what is wrong, or reads what this one would not
    raw = parse_document(decode(data, name), name, "toml")
    return PlanView.of(parse_plan(raw, name))


def fast_tables(text: str) -> dict[str, Any]:
    """The caseload's tables of a plan in rarplan's layout, as tomllib would give them."""
    if '"""' in text or "'''" in text or "\r" in text or not text.endswith("\n"):
        raise _Unusual
    text = "\n" + text
    headers = list(_HEADER.finditer(text))
    if len(headers) != len(_ANY_HEADER.findall(text)):
        raise _Unusual
    first = headers[0].start() if headers else len(text)
    doc: dict[str, Any] = _body(text[:first])
    defined: set[str] = set()
    for i, header in enumerate(headers):
        opening, dotted, closing = header.groups()
        if len(opening) != len(closing):
            raise _Unusual
        end = headers[i + 1].start() if i + 1 < len(headers) else len(text)
        chunk = text[header.end() : end]
        peek = PEEKED_TABLES.get(dotted)
        if peek is None and dotted.split(".", 1)[0] not in READ_TABLES:
            if end == len(text):
                tomllib.loads(chunk)  # a file cut short ends in a broken table
            continue
        body = _body(chunk) if peek is None else _peek(chunk, peek)
        *parents, last = dotted.split(".")
        holder = doc
        for part in parents:
            holder = holder.setdefault(part, {})
            if not isinstance(holder, dict):
                raise _Unusual
        if opening == "[[":
            items = holder.setdefault(last, [])
            if not isinstance(items, list) or (items and dotted not in defined):
                raise _Unusual
            items.append(body)
        elif last in holder or dotted in defined:
            raise _Unusual
        else:
            holder[last] = body
        defined.add(dotted)
    if not defined.issuperset(PEEKED_TABLES):
        raise _Unusual
    return doc


def _body(text: str) -> dict[str, Any]:
    """`key = scalar` lines; anything else in the table goes to tomllib."""
    lines = _LINE.findall(text)
    if len(lines) == len(_NON_BLANK.findall(text)):
        try:
            values = {key: _scalar(value) for key, value in lines}
            if len(values) == len(lines):
                return values
        except _Unusual:
            pass
    return tomllib.loads(text)


def _peek(text: str, keys: frozenset[str]) -> dict[str, Any]:
    """Only `keys`, each on a `key = scalar` line of its own."""
    found = [(key, value) for key, value in _LINE.findall(text) if key in keys]
    values = {key: _scalar(value) for key, value in found}
    if len(values) != len(found):
        raise _Unusual
    return values


def _scalar(value: str) -> Any:
    if _PLAIN_STRING.fullmatch(value):
        return value[1:-1]
    if value[:1] == '"':
        if "\\U" in value or "\\/" in value:  # TOML and JSON escapes differ here
            raise _Unusual
        try:
            text = json.loads(value)
        except ValueError:
            raise _Unusual from None
        if not isinstance(text, str):
            raise _Unusual
        return text
    if _INT.fullmatch(value):
        return int(value)
    if _DATE.fullmatch(value):
        return date.fromisoformat(value)
    if value == "true":
        return True
    if value == "false":
        return False
    if value == "[]":
        return []
    if _FLOAT.fullmatch(value):
        return float(value)
    if _DATETIME.fullmatch(value):
        return datetime.fromisoformat(value)
    raise _Unusual
