"""`rarplan assess --batch`: stream many cases; one bad case never stops the rest."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

from rarplan.catalogue import Catalogue
from rarplan.errors import ExitCode, InvalidInput, RarplanError


def run_batch(
    source: str,
    out_dir: Path | None,
    catalogue: Catalogue,
    force: bool,
    json_output: bool,
    no_plan: bool,
) -> int:
    from rarplan.assessment import assess, result_dict
    from rarplan.caseio import case_from_dict, iter_batch
    from rarplan.cli.output import info
    from rarplan.planfile import default_plan_name, save_plan

    if out_dir is not None and not no_plan:
        if out_dir.exists() and not out_dir.is_dir():
            raise InvalidInput(f"{out_dir}: not a folder")
        out_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    name = "<stdin>" if source == "-" else source
    done = failed = 0
    codes: set[int] = set()
    write = sys.stdout.write
    dumps = json.JSONEncoder(ensure_ascii=False, default=str).encode
    for n, raw in iter_batch(source):
        crn: Any = raw.get("crn") if isinstance(raw, dict) else None
        try:
            if isinstance(raw, InvalidInput):
                raise raw
            case = case_from_dict(raw, f"{name}: line {n}")
            plan = assess(case, catalogue, source=f"{name}: line {n}")
            target = None
            if out_dir is not None and not no_plan:
                target = out_dir / default_plan_name(plan.crn)
                save_plan(plan, target, overwrite=force, durable=False)
            done += 1
            if json_output:
                write(dumps({"schema_version": 1, "line": n,
                             **result_dict(plan, str(target) if target else None)}) + "\n")
            else:
                a = plan.assessment
                days = "no RAR" if a.proposed_days is None else f"{a.proposed_days} days"
                chosen = ", ".join(s.id for s in plan.selected) or "-"
                write(f"{plan.crn}\t{a.band}\t{days}\t{chosen}\n")
        except RarplanError as err:
            failed += 1
            codes.add(err.code)
            error = {"code": err.code, "message": err.message, "hint": err.hint}
            if json_output:
                write(dumps({"schema_version": 1, "line": n,
                             "crn": crn if isinstance(crn, str) else None, "error": error}) + "\n")
            else:
                sys.stderr.write(f"rarplan: {name}: line {n}: {err.message}\n")
    if out_dir is not None and not no_plan and done:
        os.sync()  # one flush for the whole batch instead of one per plan
    if not json_output:
        where = f" into {out_dir}" if out_dir is not None and not no_plan else ""
        info(f"assessed {done} case(s){where}; {failed} failed")
    if failed:
        return max(codes) if len(codes) == 1 else ExitCode.INVALID_INPUT
    return ExitCode.OK
