"""`rarplan assess --batch`: stream many cases; one bad case never stops the rest.

How a batch runs:
- Cases are read in chunks (a JSON-lines file in blocks of whole lines, about 350 cases; CSV
  and stdin in chunks of rows; stdin a case at a time when there is one worker, as cases may
  come minutes apart). Large files go to two worker processes (one per core) in order, so
  output order matches input order and memory stays flat however long the file.
- A chunk goes through in stages: all its cases read, then assessed, then their plan files
  written, then its lines reported. A case that fails at any stage is reported at its line.

Plan files, and what a reported line promises:
- Each plan is written atomically (`atomic_write`: a temporary file, then linked to its
  name), so a batch killed at any moment leaves no partial plan under a plan's name (at most
  a hidden `.NAME.*.tmp`). Once a chunk's plans are written, each is fsynced and so is their
  folder (`sync_written`), and only then are the chunk's lines reported: a line reported
  means its plan is on disk. Nothing else is flushed: never `os.sync()`, which would flush
  every file of every program. (A machine losing power before that can leave an empty plan
  under its name on some file systems: a rerun replaces it, see below.)
- The fsyncs go SYNCING at a time, from a pool of threads: an fsync waits for the disk, and
  the disk takes many at once about as fast as one. Measured here: 2.7 ms a plan one at a
  time, 0.14 ms with 16 at once. An fsync before each plan's link instead (as a single
  `atomic_write` does) cost more CPU (0.35 to 0.5 ms a plan against 0.31, threads included).
- An existing plan is never replaced without `force`. A plan already there for the same case
  (same CRN, same case facts) is the work of an earlier run of the batch that was stopped:
  it is kept and reported as done (`"status": "exists"`, not a failure), so running the same
  batch again continues where it stopped. An empty file under the name (left by a machine
  that lost power, or, where a file system has no hard links, by a killed batch: see
  `storage`) is replaced. Any other file is refused (exit 5).

Large files run on worker processes through `rarplan.assess.pool` (in order, stoppable; its
notes say how a batch stops, however it is stopped).
"""

from __future__ import annotations

import codecs
import contextlib
import functools
import io
import json
import os
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from rarplan.assess import pool
from rarplan.assess.assessment import assess
from rarplan.assess.pool import NOTHING_DONE, Done, Job
from rarplan.assess.result import result_json
from rarplan.catalogue.models import Catalogue
from rarplan.files.caseio import case_from_dict, iter_csv
from rarplan.files.planfile import default_plan_name, load_plan, plan_bytes
from rarplan.files.reading import reading
from rarplan.files.storage import atomic_write, private_folder, sync_written
from rarplan.model.case import Case
from rarplan.model.errors import (
    ExitCode,
    InvalidInput,
    RarplanError,
    WouldOverwrite,
    error_fields,
    one_line,
)
from rarplan.model.plan import Plan

CHUNK = 400
BLOCK_BYTES = 512 * 1024  # a worker's share of a JSON-lines file: about 350 cases
MAX_CASE_LINE_BYTES = 4 * 1024 * 1024  # one case on one line; a longer line stops the reading
POOL_MIN_BYTES = 256 * 1024
WORKERS_ENV = "RARPLAN_WORKERS"
SYNCING = 16  # files fsynced at once (see the module's notes)


@dataclass
class Settings:
    where: str  # "NAME: line " or "NAME: row ": a case's number follows
    plans: str | None  # the folder for plan files, or None to write none
    force: bool
    json_output: bool


@dataclass
class Tally:
    done: int = 0
    kept: int = 0  # of those done, plans already written by an earlier run
    failed: int = 0
    codes: set[int] = field(default_factory=set)
    # told (cases done, cases in all if known) after each chunk: the CLI's progress bar
    progress: Callable[[int, int | None], None] | None = None
    total: int | None = None


_worker: tuple[Catalogue, Settings] | None = None  # in a worker: what its chunks need


Outcome = tuple[str, str, int]  # a case's stdout text, its stderr text, 0 or an exit code


def _assess_all(
    items: list[tuple[int, Any]],
    catalogue: Catalogue,
    s: Settings,
    clock: tuple[date, datetime],
) -> Done:
    """Numbered cases in stages: all read, then all assessed, then all plan files written,
    then the report, joined and encoded."""
    outcomes: dict[int, Outcome] = {}  # by case number: failures as they come, then the rest
    cases: list[tuple[int, Case]] = []
    for n, raw in items:
        case = _case(n, raw, s)
        if isinstance(case, Case):
            cases.append((n, case))
        else:
            outcomes[n] = case
    plans: list[tuple[int, Plan]] = []
    for n, case in cases:
        try:
            plan = assess(case, catalogue, source=f"{s.where}{n}", today=clock[0], now=clock[1])
        except RarplanError as err:
            outcomes[n] = _failure(err, n, case.crn, s)
        else:
            plans.append((n, plan))
    written: dict[int, tuple[str, Plan | None]] = {}
    if s.plans is not None:
        written = _write_plans(plans, s.plans, s, outcomes)
    kept = 0
    for n, plan in plans:
        if n in outcomes:
            continue
        target, existing = written.get(n, (None, None))
        if existing is not None:
            kept += 1
            outcomes[n] = _report(n, existing, target, catalogue, s, "exists")
        else:
            status = "assessed" if target is None else "written"
            outcomes[n] = _report(n, plan, target, catalogue, s, status)
    ordered = [outcomes[n] for n, _ in items]
    return (
        "".join(o[0] for o in ordered).encode("utf-8"),
        "".join(o[1] for o in ordered),
        [o[2] for o in ordered],
        kept,
    )


def _write_plans(
    plans: list[tuple[int, Plan]], folder: str, s: Settings, outcomes: dict[int, Outcome]
) -> dict[int, tuple[str, Plan | None]]:
    """Write the chunk's plan files, then make them durable (see the module's notes).

    Returns, by case number, the plan's file and, if an earlier run of the batch had already
    written this case's plan there, that plan (kept as it is). A plan that could not be
    written makes its case's outcome instead."""
    written: dict[int, tuple[str, Plan | None]] = {}
    for n, plan in plans:
        target = os.path.join(folder, default_plan_name(plan.crn))
        data = plan_bytes(plan)
        try:
            try:
                # forced: each plan, and the copy of the one it replaces, fsynced as written
                atomic_write(target, data, overwrite=s.force, durable=s.force)
            except WouldOverwrite:
                if not _is_empty(target):  # else: left by an interrupted write, see storage
                    existing = _same_case_plan(target, plan)
                    if existing is None:
                        raise
                    written[n] = (target, existing)
                    continue
                atomic_write(target, data, overwrite=True, keep=False, durable=False)
        except RarplanError as err:
            outcomes[n] = _failure(err, n, plan.crn, s)
        else:
            written[n] = (target, None)
    _make_durable([target for target, existing in written.values() if existing is None])
    return written


def _make_durable(paths: list[str]) -> None:
    """fsync each file, and their folder, SYNCING groups at once (see the module's notes)."""
    groups = [group for group in (paths[i::SYNCING] for i in range(SYNCING)) if group]
    if groups:
        with ThreadPoolExecutor(len(groups)) as pool:
            list(pool.map(sync_written, groups))


def _is_empty(path: str) -> bool:
    try:
        return os.path.getsize(path) == 0
    except OSError:
        return False


def _same_case_plan(target: str, plan: Plan) -> Plan | None:
    """The plan at `target` if it is a complete plan of `plan`'s case (same CRN, same case
    facts), as an earlier run of the batch left it; None if it is anything else."""
    try:
        existing, _ = load_plan(target)
    except RarplanError:
        return None
    return existing if existing.crn == plan.crn and existing.case == plan.case else None


def _case(n: int, raw: Any, s: Settings) -> Case | Outcome:
    """The case read from its line or row, or the outcome saying what is wrong with it."""
    crn: Any = None
    try:
        case = _valid_case(raw) if isinstance(raw, str) else None
        if case is None:
            where = f"{s.where}{n}"
            raw = _as_dict(raw, where)
            crn = raw.get("crn")
            case = case_from_dict(raw, where)
        return case
    except RarplanError as err:
        return _failure(err, n, crn, s)


def _report(
    n: int, plan: Plan, target: str | None, catalogue: Catalogue, s: Settings, status: str
) -> Outcome:
    """A case's line: `status` is "assessed" (no plan file asked for), "written", or "exists"
    (this case's plan was already there, kept)."""
    if s.json_output:
        line = result_json(plan, target, catalogue, schema_version=1, line=n, status=status)
        return line + "\n", "", 0
    a = plan.assessment
    days = "no RAR" if a.proposed_days is None else f"{a.proposed_days} days"
    chosen = ", ".join(x.id for x in plan.selected) or "-"
    return f"{plan.crn}\t{a.band}\t{days}\t{chosen}\n", "", 0


def _failure(err: RarplanError, n: int, crn: Any, s: Settings) -> Outcome:
    if s.json_output:
        error = error_fields(err)
        line = {
            "schema_version": 1,
            "line": n,
            "crn": crn if isinstance(crn, str) else None,
            "error": error,
        }
        return json.dumps(line, ensure_ascii=False) + "\n", "", err.code
    return "", f"rarplan: {one_line(err.message)}\n", err.code


def _valid_case(line: str) -> Case | None:
    """The case on a JSONL line, parsed and checked in one step (twice as fast as parsing,
    then checking); None if anything is wrong: `_as_dict` and `case_from_dict` then say what,
    in the words users see everywhere else."""
    try:
        return Case.model_validate_json(line)
    except ValueError:
        return None


def _as_dict(raw: Any, where: str) -> dict[str, Any]:
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise InvalidInput(f"{where}: not valid JSON: {exc.msg}") from None
        except RecursionError:
            raise InvalidInput(f"{where}: nested too deeply") from None
        except ValueError:  # an integer of more digits than Python converts (4,300)
            raise InvalidInput(f"{where}: not valid JSON: a number has too many digits") from None
    if isinstance(raw, tuple):  # an error found while reading the row
        raise InvalidInput(raw[1])
    if not isinstance(raw, dict):
        raise InvalidInput(f"{where}: expected a JSON object")
    return raw


def _clock() -> tuple[date, datetime]:
    """Today and now (to the second): the assessment date and the plans' `created` time. The
    workers read it once a chunk of cases (a fraction of a second's work), not for each."""
    now = datetime.now().replace(microsecond=0)
    return now.date(), now


def _chunk(items: list[tuple[int, Any]]) -> Done:
    """A worker's share, its output joined and encoded here so the parent only copies it."""
    assert _worker is not None
    if pool.stopping():  # skip what is queued
        return NOTHING_DONE
    return _assess_all(items, *_worker, _clock())


def _split(first: int, data: bytes | str) -> list[tuple[int, Any]]:
    """A block of whole lines (UTF-8, checked when read) as numbered lines, the first numbered
    `first`, split as the text reader splits them (at \\n, \\r\\n or \\r); blank ones left out.
    For the line that is not UTF-8 (`data` is its error), that line's error row."""
    if isinstance(data, str):
        return [(first, (first, data))]
    lines = io.StringIO(data.decode("utf-8"), newline="")
    return [(n, line) for n, line in enumerate(lines, start=first) if line.strip()]


def _block(first: int, data: bytes | str) -> Done:
    """A worker's share of a JSON-lines file, split here rather than by the parent."""
    return _chunk(_split(first, data))


def _count_lines(data: bytes) -> int:
    """How many lines the text reader finds in whole lines of bytes."""
    lines = data.count(b"\n")
    if b"\r" in data:  # rare: a quick look saves two counts
        lines += data.count(b"\r") - data.count(b"\r\n")
    return lines


def _blocks(source: str) -> Iterator[tuple[int, bytes | str]]:
    """A JSON-lines file in blocks of whole lines, each with the number of its first line (stdin
    a line at a time: cases may come minutes apart). Each block is checked to be UTF-8 first:
    at the first line that is not, the lines before it come, then that line's error (a str),
    and nothing after it is read. (A text reader decodes ahead in chunks: it reported the
    error a few lines early, and left unread the good lines before it in the same chunk.)"""
    name = "<stdin>" if source == "-" else source
    with contextlib.ExitStack() as stack:
        if source == "-":
            read = sys.stdin.buffer.readline
        else:
            stack.enter_context(reading(source))
            read = functools.partial(stack.enter_context(open(source, "rb")).read, BLOCK_BYTES)
        first = 1
        rest = b""
        more = read().removeprefix(codecs.BOM_UTF8)  # as the utf-8-sig text reader does
        while more or rest:
            data = rest + more if rest else more
            # at \n, or at \r not last (it may be the first half of \r\n): a file with CR line
            # ends is split too, never read whole (issue 19); at the end: the last line
            cr = data.rfind(b"\r", 0, len(data) - 1)
            end = max(data.rfind(b"\n"), cr) + 1 if more else len(data)
            if end == 0 and len(data) > MAX_CASE_LINE_BYTES:
                yield first, f"{name}: line {first}: longer than {MAX_CASE_LINE_BYTES:,} bytes"
                return
            if end == 0:
                rest = data  # a line longer than a block: read on
            else:
                block, rest = data[:end], data[end:]
                try:
                    if not block.isascii():  # ASCII is UTF-8 (a quick look, no copy)
                        block.decode("utf-8")
                except UnicodeDecodeError as exc:
                    good = block[: exc.start]
                    whole = good[: max(good.rfind(b"\n"), good.rfind(b"\r")) + 1]
                    if whole:
                        yield first, whole
                    bad = first + _count_lines(whole)
                    yield bad, f"{name}: line {bad}: not UTF-8 text; stopped reading"
                    return
                yield first, block
                first += _count_lines(block)
            more = read()


def _rows(source: str) -> Any:
    """(number, raw) pairs: JSONL lines stay text (parsed in the worker), CSV rows as dicts."""
    if source.lower().endswith(".csv"):
        for n, raw in iter_csv(source):
            yield n, ((n, raw.message) if isinstance(raw, InvalidInput) else raw)
        return
    for first, data in _blocks(source):
        yield from _split(first, data)


def _workers(source: str) -> int:
    wanted = os.environ.get(WORKERS_ENV)
    if wanted is not None:
        return max(1, int(wanted)) if wanted.isdigit() else 1
    try:
        big = source != "-" and os.path.getsize(source) >= POOL_MIN_BYTES
    except OSError:
        big = False
    return min(2, os.cpu_count() or 1) if big else 1


def count_cases(source: str) -> int | None:
    """About how many cases `source` holds, for a progress bar: its lines (less a CSV's
    header); None for stdin, which cannot be read twice."""
    if source == "-":
        return None
    lines = 0
    with reading(source), open(source, "rb") as fh:
        for block in iter(functools.partial(fh.read, 1 << 20), b""):
            lines += block.count(b"\n")
    return max(0, lines - 1) if source.lower().endswith(".csv") else lines


def _emit(done: Done, tally: Tally) -> None:
    out, err, codes, kept = done
    tally.kept += kept
    if out:
        binary = getattr(sys.stdout, "buffer", None)
        if binary is None:  # stdout replaced by a text-only stream (embedding, tests)
            sys.stdout.write(out.decode("utf-8"))
        else:
            sys.stdout.flush()  # anything already written through the text layer goes first
            binary.write(out)
    if err:
        sys.stderr.write(err)
    for code in codes:
        if code:
            tally.failed += 1
            tally.codes.add(code)
        else:
            tally.done += 1
    if tally.progress is not None:
        tally.progress(tally.done + tally.failed, tally.total)


def run_batch(
    source: str,
    out_dir: Path | None,
    catalogue: Catalogue,
    force: bool,
    json_output: bool,
    no_plan: bool,
    say: Callable[[str], None] | None = None,
    progress: Callable[[int, int | None], None] | None = None,
) -> int:
    """Assess every case of `source`; one result line each on stdout, a summary to `say`;
    `progress` is told the cases done and their number (None from stdin) after each chunk."""
    plans = None if out_dir is None or no_plan else out_dir
    if plans is not None:
        if plans.exists() and not plans.is_dir():
            raise InvalidInput(f"{plans}: not a folder")
        private_folder(plans)  # it and any parent it makes 0700, whatever the umask
    name = "<stdin>" if source == "-" else source
    unit = "row" if name.lower().endswith(".csv") else "line"
    settings = Settings(
        f"{name}: {unit} ", None if plans is None else str(plans), force, json_output
    )
    tally = Tally(progress=progress, total=None if progress is None else count_cases(source))
    workers = _workers(source)
    if workers == 1:
        # from stdin a case at a time: cases may come minutes apart
        for items in _chunks(source, 1 if source == "-" else CHUNK):
            _emit(_assess_all(items, catalogue, settings, _clock()), tally)
    else:
        pool.run(
            _jobs(source),
            workers,
            _start_worker,
            (catalogue, settings),
            lambda done: _emit(done, tally),
        )
    if not json_output:
        where = f" into {plans}" if plans is not None else ""
        kept = f" ({tally.kept} already written)" if tally.kept else ""
        (say or _to_stderr)(f"assessed {tally.done} case(s){where}{kept}; {tally.failed} failed")
    if tally.failed:
        return min(tally.codes) if len(tally.codes) == 1 else ExitCode.INVALID_INPUT
    return ExitCode.OK


def _jobs(source: str) -> Iterator[Job]:
    """The workers' shares, in order: a JSON-lines file in blocks of whole lines (split by the
    workers); stdin and CSV in chunks of rows read here."""
    if source != "-" and not source.lower().endswith(".csv"):
        for first, data in _blocks(source):
            yield _block, (first, data)
        return
    for chunk in _chunks(source, CHUNK):
        yield _chunk, (chunk,)


def _chunks(source: str, size: int) -> Iterator[list[tuple[int, Any]]]:
    """The numbered cases of `source`, `size` at a time."""
    chunk: list[tuple[int, Any]] = []
    for item in _rows(source):
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _start_worker(catalogue: Catalogue, settings: Settings) -> None:
    """In a worker process, once: what its chunks are assessed with."""
    global _worker
    _worker = (catalogue, settings)


def _to_stderr(line: str) -> None:
    sys.stderr.write(line + "\n")
