"""Pydantic errors as one line each: `file: key.path: what is wrong (what is allowed)`."""

from __future__ import annotations

import json
import re
import types
import typing
from typing import Any, get_args, get_origin

from pydantic import BaseModel, ValidationError

from rarplan.model.errors import InvalidInput


def _model_at(model: type[BaseModel] | None, loc: tuple[int | str, ...]) -> type[BaseModel] | None:
    """The model class that holds the last key of `loc`, for listing allowed keys."""
    current: Any = model
    for part in loc[:-1]:
        current = _strip(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(str(part))
            if field is None:
                field = next((f for f in current.model_fields.values() if f.alias == part), None)
            if field is None:
                return None
            current = field.annotation
        elif get_origin(current) in (list, dict):
            current = get_args(current)[-1]
        else:
            return None
    current = _strip(current)
    if get_origin(current) in (list, dict):
        current = _strip(get_args(current)[-1])
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _strip(annotation: Any) -> Any:
    for _ in range(5):
        origin = get_origin(annotation)
        if origin is typing.Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in get_args(annotation) if a is not type(None)]
            models = [a for a in args if isinstance(a, type) and issubclass(a, BaseModel)]
            annotation = models[0] if models else args[0]
        else:
            break
    return annotation


_SIMPLE_KEY = re.compile(r"[A-Za-z0-9_\-]+")

_REWRITES = (
    (re.compile(r"^Input should be greater than or equal to (.+)$"), r"must be ≥ \1"),
    (re.compile(r"^Input should be greater than (.+)$"), r"must be > \1"),
    (re.compile(r"^Input should be less than or equal to (.+)$"), r"must be ≤ \1"),
    (re.compile(r"^Input should be less than (.+)$"), r"must be < \1"),
    (re.compile(r"^Input should be (.+)$"), r"must be \1"),
    (re.compile(r"^Value error, "), ""),
    (re.compile(r"^Assertion failed, "), ""),
)


# Keys whose values may be personal data (a name, a date of birth, an officer's notes): an
# error describes what is wrong with them, never quotes them (docs/data.md, "Your data").
PERSONAL_KEYS = frozenset(
    {
        "name",
        "date_of_birth",
        "note",
        "notes",
        "agreement_note",
        "action_note",
        "dynamic_risk_factors",
        "establishment",
        "comment",
        "rationale",
        "progress",
        "outcome",
        "reason",
        "confirmed_by",
        "responsible_officer",
    }
)
_QUOTED = re.compile(r"'[^']*' ?")


def _message(err: Any, model: type[BaseModel] | None) -> str:
    msg = _described(err, model)
    keys = [part for part in err["loc"] if isinstance(part, str)]
    if keys and keys[-1] in PERSONAL_KEYS and err["type"] != "literal_error":
        msg = _QUOTED.sub("", msg)  # "'1990-13-01' is not a date" -> "is not a date"
    return msg


def _described(err: Any, model: type[BaseModel] | None) -> str:
    if err["type"] == "extra_forbidden":
        holder = _model_at(model, tuple(err["loc"]))
        if holder is not None:
            allowed = [f.alias or name for name, f in holder.model_fields.items()]
            keys = [part for part in err["loc"] if isinstance(part, str)]
            close = did_you_mean(keys[-1], allowed) if keys else ""
            return f"unknown key{close}; allowed: {', '.join(allowed)}"
        return "unknown key"
    if err["type"] == "missing":
        return "required"
    msg = str(err["msg"])
    if err["type"] == "literal_error" and isinstance(err.get("input"), str):
        allowed = re.findall(r"'([^']*)'", str(err.get("ctx", {}).get("expected", "")))
        msg += did_you_mean(err["input"], allowed)
    for pattern, repl in _REWRITES:
        msg = pattern.sub(repl, msg)
    if err["type"] in ("string_too_long", "too_long"):
        msg = msg.replace("String should", "must").replace("List should", "must")
    return msg


def key_path(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part in ("function-after", "function-before") or "[" in str(part):
            continue
        else:
            text = str(part)
            if not _SIMPLE_KEY.fullmatch(text):
                text = json.dumps(text)  # quoted, with control characters escaped
            out += ("." if out else "") + text
    return out


def format_errors(
    exc: ValidationError,
    file: str,
    raw: Any = None,
    entry_key: str | None = None,
    model: type[BaseModel] | None = None,
) -> list[str]:
    """One `file: where: what` line per problem. With `entry_key`, name entries by their id."""
    lines = []
    for err in exc.errors():
        loc = tuple(err["loc"])
        where = key_path(loc)
        if entry_key and len(loc) >= 2 and loc[0] == entry_key and isinstance(loc[1], int):
            entries = raw.get(entry_key) if isinstance(raw, dict) else None
            entry_id = None
            if isinstance(entries, list) and loc[1] < len(entries):
                item = entries[loc[1]]
                entry_id = item.get("id") if isinstance(item, dict) else None
            rest = key_path(loc[2:])
            label = f"entry '{entry_id}'" if isinstance(entry_id, str) else where.split(".")[0]
            where = f"{label}: {rest}" if rest else label
        line = (
            f"{file}: {where}: {_message(err, model)}"
            if where
            else f"{file}: {_message(err, model)}"
        )
        if line not in lines:
            lines.append(line)
    return lines


def problems_by_item(
    problems: list[str], file: str, table: str
) -> tuple[dict[int, list[str]], list[str]]:
    """`format_errors` lines grouped by the item of the list `table` they are about
    ('file: table[3].key: what' under 3), and the lines about the file as a whole; so a
    reader can keep the items that read and check them further, naming every problem."""
    item = re.compile(re.escape(f"{file}: {table}[") + r"(\d+)\](?:[.:]|$)")
    by_item: dict[int, list[str]] = {}
    whole: list[str] = []
    for problem in problems:
        found = item.match(problem)
        if found is None:
            whole.append(problem)
        else:
            by_item.setdefault(int(found[1]), []).append(problem)
    return by_item, whole


def problems_error(
    problems: list[str], hint: str = "", needs: tuple[str, ...] = ()
) -> InvalidInput:
    """Several `file: where: what` lines as one error: the message counts them ("cases.csv:
    3 problems"), each problem is one of `problems`, none repeated in the message."""
    return InvalidInput(summary(problems), hint=hint, problems=problems, needs=needs)


def summary(problems: list[str]) -> str:
    """The message of an error made of `problems`: the one problem, or the file and how many
    ("X1.toml: 3 problems"), never the first problem again (it is listed with the others)."""
    if len(problems) == 1:
        return problems[0]
    files = {p.split(": ", 1)[0] for p in problems}
    where = f"{files.pop()}: " if len(files) == 1 else ""
    return f"{where}{len(problems)} problems"


# What an intervention id looks like (any case: 'MSRP-Home' is a slip for 'msrp-home').
_ID_LIKE = re.compile(r"[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*")


def unknown_id(value: str, known: list[str], where: str) -> str:
    """An unknown id, quoted with the nearest known one ("'msrp-hom' is not in the plan (did
    you mean 'msrp-home'?)") when the value is shaped like an id. Anything else (a shifted
    row's name, a note) is described, never quoted: it may be personal data."""
    if len(value) <= 80 and _ID_LIKE.fullmatch(value):
        return f"'{value}' is not in {where}{did_you_mean(value, known)}"
    return (
        f"not an intervention id (not quoted: ids are words joined by hyphens, as {known[0]})"
        if known
        else "not an intervention id (not quoted)"
    )


def did_you_mean(word: str, choices: list[str]) -> str:
    """The words " (did you mean 'ogrs'?)" when a choice is close to `word` (difflib), in
    any case ('MSRP-Home' is close to 'msrp-home')."""
    import difflib

    folded = {choice.casefold(): choice for choice in choices}
    close = difflib.get_close_matches(word.casefold(), list(folded), n=1, cutoff=0.6)
    return f" (did you mean '{folded[close[0]]}'?)" if close else ""


# What each kind of rarplan file is called, and the command that takes it: given the wrong
# kind ("rarplan schedule CASE.toml"), a one-line error says which file it is and what to run.
KINDS = {
    "case": ("a case file", "run `rarplan assess {file}` first to make its plan"),
    "plan": ("a plan file", "a plan goes to `rarplan schedule`, `show`, `render` or `amend`"),
    "record": (
        "a completion record",
        "check it against its plan with `rarplan verify {file} PLAN`",
    ),
}


def document_kind(raw: Any) -> str | None:
    """Which kind of rarplan file a document's keys show it is: case, plan or record."""
    if not isinstance(raw, dict):
        return None
    if {"completed_on", "plan_file"} <= raw.keys():
        return "record"
    if {"assessment", "case"} <= raw.keys():
        return "plan"
    if "crn" in raw and raw.keys() & {"sentence", "offence", "scores", "needs", "circumstances"}:
        return "case"
    return None


def wrong_kind(raw: Any, file: str, expected: str) -> InvalidInput | None:
    """The error for a file of another kind than `expected` ("case", "plan"), or None."""
    kind = document_kind(raw)
    if kind is None or kind == expected:
        return None
    what, hint = KINDS[kind]
    wanted = KINDS[expected][0]
    if expected == "record":
        hint += "; `rarplan verify` takes the record first, then its plan"
    return InvalidInput(f"{file}: this is {what}, not {wanted}", hint=hint.format(file=file))
