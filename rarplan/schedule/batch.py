"""`rarplan schedule --batch DIR` (or several PLANs): one bad plan never stops the rest.

Plans go through in chunks (CHUNK): each plan of a chunk is locked, read and scheduled in
turn; then the chunk's new plans are written, WRITERS at a time, each durably (fsynced, put
in place, its folder fsynced); then the locks are released and the chunk's lines reported.
So a batch stopped at any point leaves every plan either as it was or scheduled, and a line
reported means its plan is on disk. The writes go at once because the disk takes many
flushes at once about as fast as one (3 ms a plan one at a time, see `rarplan.assess.batch`).
Nothing else is flushed: never `os.sync()`, which would flush every file of every program.
Running the batch again goes on where it stopped: plans already scheduled are skipped.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from rarplan.catalogue.models import Catalogue
from rarplan.model.errors import ExitCode, InvalidInput, RarplanError, error_fields
from rarplan.schedule.apply import AlreadyScheduled, Request

CHUNK = 50  # plans locked and written together
WRITERS = 16  # plan files written at once


def plan_files(batch: Path | None, plans: list[Path]) -> list[Path]:
    files: list[Path] = []
    if batch is not None:
        if not batch.is_dir():
            raise InvalidInput(f"{batch}: not a folder")
        found = sorted(batch.glob("*.plan.toml"))
        if not found:
            raise InvalidInput(f"{batch}: no *.plan.toml files in this folder")
        files.extend(found)
    files.extend(plans)
    return files


def _chunks(files: list[Path]) -> Iterator[list[Path]]:
    """`files` in order, CHUNK at a time, a file given twice never twice in one chunk (it
    would wait for its own lock)."""
    chunk: list[Path] = []
    held: set[Path] = set()
    for path in files:
        if len(chunk) == CHUNK or path.resolve() in held:
            yield chunk
            chunk, held = [], set()
        chunk.append(path)
        held.add(path.resolve())
    if chunk:
        yield chunk


def _schedule_chunk(
    paths: list[Path], catalogue: Catalogue, request: Request, at: datetime
) -> list[dict[str, Any]]:
    """Schedule the plans of `paths` (see the module's notes): a result row for each."""
    import contextlib
    from concurrent.futures import ThreadPoolExecutor

    from rarplan.files import storage
    from rarplan.files.planfile import load_plan, plan_bytes
    from rarplan.schedule.apply import schedule_plan

    def write(path: Path, data: bytes) -> Exception | None:
        try:
            # The previous version kept in .rarplan-history/, as by every in-place change.
            storage.atomic_write(path, data, overwrite=True)
        except Exception as exc:  # one plan's failure must not stop the batch
            return exc
        return None

    rows: list[dict[str, Any]] = []
    writes: list[tuple[int, Path, bytes]] = []  # (row, file, its new contents)
    with contextlib.ExitStack() as held:
        for path in paths:
            row: dict[str, Any] = {"schema_version": 1, "file": str(path)}
            try:
                held.enter_context(storage.locked(path))
                plan, _ = load_plan(path)
                new, outcome = schedule_plan(plan, catalogue, request, at=at, name=str(path))
                writes.append((len(rows), path, plan_bytes(new)))
            except Exception as exc:  # one plan's failure must not stop the batch
                row.update(_not_scheduled(exc))
            else:
                s = outcome.schedule
                row.update(
                    crn=plan.crn,
                    status="scheduled",
                    version=s.version,
                    rar_days_planned=s.rar_days_planned,
                    rar_max_days=outcome.rar_max_days,
                    order_end=s.order_end.isoformat(),
                    appointments=len(s.appointments),
                    unscheduled=len(s.unscheduled),
                )
            rows.append(row)
        with ThreadPoolExecutor(max(1, min(WRITERS, len(writes)))) as pool:
            failures = list(pool.map(write, [w[1] for w in writes], [w[2] for w in writes]))
    for (i, _, _), failure in zip(writes, failures, strict=True):
        if failure is not None:
            rows[i] = {"schema_version": 1, "file": rows[i]["file"], **_not_scheduled(failure)}
    return rows


def _not_scheduled(exc: Exception) -> dict[str, Any]:
    if isinstance(exc, AlreadyScheduled):
        return {"status": "skipped", "reason": exc.message}
    if isinstance(exc, RarplanError):
        return {"status": "failed", "error": error_fields(exc)}
    bug = RarplanError(f"internal error ({type(exc).__name__}): please report this bug")
    return {"status": "failed", "error": error_fields(bug)}


def run_batch(
    files: list[Path],
    catalogue: Catalogue,
    request: Request,
    at: datetime,
    json_output: bool,
    say: Callable[[str], None] | None = None,
    progress: Callable[[int, int | None], None] | None = None,
) -> int:
    """Schedule each file in place; a JSON line (or a text line) for each, then a summary
    (progress and summary lines go to `say`; `progress` is told the plans done and their
    number after each chunk)."""
    write = sys.stdout.write
    say = say or _to_stderr
    dumps = json.JSONEncoder(ensure_ascii=False, default=str).encode
    counts = {"scheduled": 0, "skipped": 0, "failed": 0}
    codes: list[int] = []
    for chunk in _chunks(files):
        for row in _schedule_chunk(chunk, catalogue, request, at):
            counts[row["status"]] += 1
            if row["status"] == "failed":
                codes.append(row["error"]["exit_code"])
            if json_output:
                write(dumps(row) + "\n")
            elif row["status"] == "scheduled":
                write(
                    f"{row['crn']}\t{row['rar_days_planned']}/{row['rar_max_days']} RAR days\t"
                    f"{row['appointments']} appointments\t{row['file']}\n"
                )
            elif row["status"] == "skipped":
                say(f"rarplan: skipped: {row['reason']}")
            else:
                sys.stderr.write(f"rarplan: error: {row['error']['message']}\n")
        if progress is not None:
            progress(sum(counts.values()), len(files))
    summary = {**counts, "plans": len(files)}
    if json_output:
        write(dumps({"schema_version": 1, "summary": summary}) + "\n")
    else:
        say(
            f"scheduled {counts['scheduled']} of {len(files)} plan(s); "
            f"{counts['skipped']} skipped (already scheduled); {counts['failed']} failed"
        )
    if codes:
        return codes[0] if len(set(codes)) == 1 else ExitCode.INVALID_INPUT
    return ExitCode.OK


def _to_stderr(line: str) -> None:
    sys.stderr.write(line + "\n")
