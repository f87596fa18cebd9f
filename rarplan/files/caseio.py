"""Reading case files: TOML or JSON (or '-' for stdin), and batches as JSONL or CSV."""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import IO, Any

from pydantic import ValidationError

from rarplan.files.reading import load_document, reading
from rarplan.files.validation import format_errors, problems_error, wrong_kind
from rarplan.model.case import Case
from rarplan.model.errors import InvalidInput


def case_from_dict(raw: dict[str, Any], name: str) -> Case:
    """A case from a case file's (or batch row's) keys, checked; on input, also that a date of
    birth gives a possible age today, agreeing with `age` (`Case.age_problem`)."""
    wrong = wrong_kind(raw, name, "case")  # a plan or a completion record given as a case
    if wrong is not None:
        raise wrong
    try:
        case = Case.model_validate(raw)
    except ValidationError as exc:
        problems = format_errors(exc, name, raw, model=Case)
        raise problems_error(problems, hint="see docs/data.md, 'Case files'") from None
    problem = case.age_problem(date.today())
    if problem is not None:
        raise InvalidInput(f"{name}: {problem}", hint="see docs/data.md, 'Case files'")
    return case


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
                    raise InvalidInput(f"{name}: {column}: not valid JSON") from None
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


# A CSV line may be longer than a case file's (MAX_CSV_LINE_CHARS): a cell over the csv module's
# own limit (131,072 characters) fails its row only; a longer line stops the reading.
MAX_CSV_LINE_CHARS = 1024 * 1024


class _Lines:
    """The lines of a CSV stream for the csv module, each checked first: no longer than
    MAX_CSV_LINE_CHARS (a file without line ends is not read whole), and UTF-8 (undecodable bytes
    arrive as lone surrogates, so the bad line is known exactly, and the lines before it are
    read). A line that fails stops the reading: `problem` says why."""

    def __init__(self, stream: IO[str], name: str) -> None:
        self.stream, self.name = stream, name
        self.number = 0
        self.problem: str | None = None

    def __iter__(self) -> Iterator[str]:
        while True:
            line = self.stream.readline(MAX_CSV_LINE_CHARS + 1)
            if not line:
                return
            self.number += 1
            if len(line) > MAX_CSV_LINE_CHARS:
                self.problem = f"longer than {MAX_CSV_LINE_CHARS:,} characters; stopped reading"
            elif _UNDECODABLE.search(line):
                self.problem = "not UTF-8 text; stopped reading"
            if self.problem:
                return
            yield line


_UNDECODABLE = re.compile("[\udc80-\udcff]")


def iter_csv(source: str | Path) -> Iterator[tuple[int, dict[str, Any] | InvalidInput]]:
    """(row number, raw case or the error for that row) from a CSV batch, streaming.

    Columns are named `section.key` (e.g. `scores.ogrs`); JSONL batches are read line by line
    by `rarplan assess --batch` itself. Read strictly (docs/data.md, "Your data"): a quote
    left open, a cell over the csv module's limit or a cell over several lines fails its row
    (never merged into the next person's); a column named twice fails the file; at a line
    that is not UTF-8 the reading stops, the rows before it read.
    """
    name = "<stdin>" if str(source) == "-" else str(source)
    with _csv_text(source) as stream, reading(name):
        lines = _Lines(stream, name)
        reader = csv.reader(lines, strict=True)
        header: list[str] | None = None
        n = 1
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                n += 1
                yield n, InvalidInput(f"{name}: row {n}: not valid CSV ({_csv_problem(exc)})")
                continue
            if header is None:
                header = [cell.strip() for cell in cells]
                twice = sorted({h for h in header if header.count(h) > 1})
                if twice:
                    raise InvalidInput(f"{name}: row 1: column {twice[0]!r} is named twice")
                continue
            n += 1
            if any("\n" in cell or "\r" in cell for cell in cells):
                spread = f"{name}: row {n}: a cell runs over several lines (a quote left open?)"
                yield n, InvalidInput(spread, hint="each case goes on one line")
                continue
            if len(cells) > len(header):
                yield n, InvalidInput(f"{name}: row {n}: more cells than column names")
                continue
            row = dict(zip(header, cells, strict=False))
            try:
                yield n, _csv_row(row, f"{name}: row {n}")
            except InvalidInput as err:
                yield n, err
        if lines.problem:
            yield n + 1, InvalidInput(f"{name}: line {lines.number}: {lines.problem}")


def _csv_problem(exc: csv.Error) -> str:
    """The csv module's complaint in words, without the cell it may quote."""
    text = str(exc)
    if "field limit" in text:
        return f"a cell is longer than {csv.field_size_limit():,} characters"
    if "end of data" in text or "EOF" in text:
        return "a quote is left open"
    return "a quote in the wrong place"


def _csv_text(source: str | Path) -> IO[str]:
    """The CSV file as text lines (at \\n, \\r\\n or \\r), bytes that are not UTF-8 kept as lone
    surrogates for `_Lines` to find."""
    if str(source) == "-":
        binary: IO[bytes] = sys.stdin.buffer
    else:
        with reading(str(source)):
            binary = open(source, "rb")  # noqa: SIM115
    return io.TextIOWrapper(binary, encoding="utf-8-sig", errors="surrogateescape", newline="")
