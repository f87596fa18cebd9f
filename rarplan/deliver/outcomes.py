"""Outcome reviews: the file of results for each desired outcome, and matching them to the
plan (README, "Closing the RAR")."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from rarplan.files.validation import (
    did_you_mean,
    format_errors,
    problems_by_item,
    problems_error,
    unknown_id,
)
from rarplan.model.plan import OutcomeResult, OutcomeReview, Plan

RESULTS: tuple[OutcomeResult, ...] = ("achieved", "partly_achieved", "not_achieved")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --- Outcome reviews from a file -------------------------------------------------------------


class OutcomeRow(_Model):
    """`[[outcome]]` in an outcomes file: the result for one desired outcome."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    intervention: Annotated[str, Field(min_length=1, max_length=80)]
    # The desired outcome's text as in the plan, or its number (1 for the first).
    outcome: Annotated[str, Field(min_length=1, max_length=4000)] | Annotated[int, Field(ge=1)]
    result: OutcomeResult
    comment: Annotated[str, Field(max_length=4000)] = ""

    @field_validator("outcome", mode="before")
    @classmethod
    def _no_bool(cls, value: object) -> object:
        if isinstance(value, bool):
            raise ValueError("must be the outcome's text or its number (1 for the first)")
        return value

    @field_validator("result", mode="before")
    @classmethod
    def _result(cls, value: object) -> object:
        if isinstance(value, str):
            value = value.strip().lower().replace(" ", "_").replace("-", "_")
        if value not in RESULTS:
            close = did_you_mean(value, list(RESULTS)) if isinstance(value, str) else ""
            raise ValueError(f"must be one of {', '.join(RESULTS)}{close}")
        return value


class OutcomesFile(_Model):
    outcome: list[OutcomeRow]


@dataclass(frozen=True)
class OutcomeEntry:
    """A row of an outcomes file ('outcome[2]'); one that could not be read has no `row`, its
    `problems` and the intervention it names as written, so `resolve_outcomes` reports them
    with the rows that do not match the plan: one run names every problem of the file."""

    where: str
    row: OutcomeRow | None
    problems: tuple[str, ...] = ()
    intervention: str = ""


def read_outcomes(source: str | Path) -> tuple[list[OutcomeEntry], str]:
    """Read an outcomes file (TOML, or JSON by its ending; '-' for stdin): its rows, each read
    or with its problems. A file without `[[outcome]]` rows, or with another key, is refused."""
    from rarplan.files.reading import load_document

    raw, name = load_document(source)
    try:
        parsed = OutcomesFile.model_validate(raw)
    except ValidationError as exc:
        problems = format_errors(exc, name, raw, model=OutcomesFile)
        by_item, whole = problems_by_item(problems, name, "outcome")
        if whole:
            raise problems_error(problems) from None
        entries = []
        for i, item in enumerate(raw["outcome"]):
            if i in by_item:
                named = item.get("intervention") if isinstance(item, dict) else None
                written = named.strip() if isinstance(named, str) else ""
                entries.append(OutcomeEntry(f"outcome[{i}]", None, tuple(by_item[i]), written))
            else:
                entries.append(OutcomeEntry(f"outcome[{i}]", OutcomeRow.model_validate(item)))
        return entries, name
    return [OutcomeEntry(f"outcome[{i}]", row) for i, row in enumerate(parsed.outcome)], name


def desired_outcomes(plan: Plan) -> list[tuple[str, str]]:
    """Every (intervention, desired outcome) agreed in the plan, in the plan's order."""
    return [(s.id, text) for s in plan.selected for text in s.desired_outcomes]


def resolve_outcomes(
    plan: Plan, entries: Sequence[OutcomeEntry], source: str
) -> list[OutcomeReview]:
    """Turn file rows into reviews of the plan's desired outcomes; name every row that fails,
    those that could not be read too, in the file's order."""
    by_id = {s.id: s.desired_outcomes for s in plan.selected}
    problems: list[str] = []
    reviews: list[OutcomeReview] = []
    for entry in entries:
        row = entry.row
        where = f"{source}: {entry.where}"
        problems.extend(entry.problems)
        named = row.intervention if row is not None else entry.intervention
        if named and named not in by_id:
            problems.append(
                f"{where}.intervention: {unknown_id(named, list(by_id), 'the plan')}; "
                f"the plan has {', '.join(by_id) or 'none'}"
            )
            continue
        if row is None:
            continue
        texts = by_id[row.intervention]
        text = _match(row.outcome, texts)
        if text is None:
            listed = "; ".join(f"{i}. {t}" for i, t in enumerate(texts, start=1)) or "none"
            problems.append(
                f"{where}.outcome: not a desired outcome of {row.intervention}; they are: {listed}"
            )
            continue
        reviews.append(
            OutcomeReview(
                intervention=row.intervention, outcome=text, result=row.result, comment=row.comment
            )
        )
    if problems:
        unmatched = set(problems) - {p for entry in entries for p in entry.problems}
        raise problems_error(
            list(dict.fromkeys(problems)),
            hint="name the intervention and the outcome's text or number" if unmatched else "",
        )
    return reviews


def _match(wanted: str | int, texts: list[str]) -> str | None:
    if isinstance(wanted, int):
        return texts[wanted - 1] if wanted <= len(texts) else None
    for text in texts:
        if text.strip() == wanted:
            return text
    folded = wanted.casefold()
    return next((t for t in texts if t.strip().casefold() == folded), None)


def merge_reviews(
    existing: Sequence[OutcomeReview], new: Sequence[OutcomeReview]
) -> list[OutcomeReview]:
    """Reviews keyed by (intervention, outcome): a later one replaces an earlier one."""
    merged = {(r.intervention, r.outcome): r for r in existing}
    for review in new:
        merged[(review.intervention, review.outcome)] = review
    return list(merged.values())


def missing_results(plan: Plan, reviews: Sequence[OutcomeReview]) -> list[tuple[str, str]]:
    have = {(r.intervention, r.outcome) for r in reviews}
    return [pair for pair in desired_outcomes(plan) if pair not in have]


def in_plan_order(plan: Plan, reviews: Sequence[OutcomeReview]) -> list[OutcomeReview]:
    order = {pair: i for i, pair in enumerate(desired_outcomes(plan))}
    return sorted(reviews, key=lambda r: order.get((r.intervention, r.outcome), len(order)))
