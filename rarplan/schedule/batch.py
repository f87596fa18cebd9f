"""`rarplan schedule --batch DIR` (or several PLANs): one bad plan never stops the rest."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from rarplan.catalogue.models import Catalogue
from rarplan.model.errors import ExitCode, InvalidInput, RarplanError
from rarplan.schedule.apply import AlreadyScheduled, Request


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


def _one(path: Path, catalogue: Catalogue, request: Request, at: datetime) -> dict[str, Any]:
    from rarplan.files import storage
    from rarplan.files.planfile import dump_plan, load_plan
    from rarplan.schedule.apply import schedule_plan

    with storage.locked(path):
        plan, _ = load_plan(path)
        new, outcome = schedule_plan(plan, catalogue, request, at=at, name=str(path))
        # No copy in .rarplan-history/ and no fsync per plan: the plan's own history keeps the
        # previous schedule, and the whole batch is flushed once at the end.
        storage.atomic_write(path, dump_plan(new), overwrite=True, keep=False, durable=False)
    s = outcome.schedule
    return {
        "crn": plan.crn,
        "status": "scheduled",
        "version": s.version,
        "rar_days_planned": s.rar_days_planned,
        "rar_max_days": outcome.rar_max_days,
        "order_end": s.order_end.isoformat(),
        "appointments": len(s.appointments),
        "unscheduled": len(s.unscheduled),
    }


def run_batch(
    files: list[Path],
    catalogue: Catalogue,
    request: Request,
    at: datetime,
    json_output: bool,
    say: Callable[[str], None] | None = None,
) -> int:
    """Schedule each file in place; a JSON line (or a text line) for each, then a summary
    (progress and summary lines go to `say`)."""
    write = sys.stdout.write
    say = say or _to_stderr
    dumps = json.JSONEncoder(ensure_ascii=False, default=str).encode
    counts = {"scheduled": 0, "skipped": 0, "failed": 0}
    codes: list[int] = []
    for path in files:
        row: dict[str, Any] = {"schema_version": 1, "file": str(path)}
        try:
            row.update(_one(path, catalogue, request, at))
        except AlreadyScheduled as err:
            row.update(status="skipped", reason=err.message)
        except RarplanError as err:
            codes.append(err.code)
            row.update(
                status="failed", error={"code": err.code, "message": err.message, "hint": err.hint}
            )
        except Exception as exc:  # one plan's bug must not stop the batch
            codes.append(ExitCode.INTERNAL)
            row.update(
                status="failed",
                error={
                    "code": ExitCode.INTERNAL,
                    "message": f"internal error ({type(exc).__name__}): please report this bug",
                    "hint": "",
                },
            )
        counts[row["status"]] += 1
        if json_output:
            write(dumps(row) + "\n")
        elif row["status"] == "scheduled":
            write(
                f"{row['crn']}\t{row['rar_days_planned']}/{row['rar_max_days']} RAR days\t"
                f"{row['appointments']} appointments\t{path}\n"
            )
        elif row["status"] == "skipped":
            say(f"rarplan: skipped: {row['reason']}")
        else:
            sys.stderr.write(f"rarplan: error: {row['error']['message']}\n")
    if counts["scheduled"]:
        os.sync()  # one flush for the whole batch instead of one per plan
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
