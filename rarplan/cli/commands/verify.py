"""`rarplan verify`: check a completion (or end) record still matches its plan."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from rarplan.cli.options import JsonOption, QuietOption


def verify(
    record: Annotated[
        Path,
        typer.Argument(
            metavar="RECORD",
            help="The completion or end record (CRN.completion.toml, CRN.end.toml).",
        ),
    ],
    plan_path: Annotated[Path, typer.Argument(metavar="PLAN", help="The plan it was made from.")],
    json_output: JsonOption = False,
    quiet: QuietOption = False,
) -> None:
    """Check a completion record (or the end record of `rarplan end`) still matches its plan.

    The plan's SHA-256 must equal the one in the record (so any edit to the plan after
    closing shows), and the CRN, status, dates and days must agree. Exit 0 when they match;
    exit 3 (invalid input), listing every difference, when they do not.

    Example: rarplan verify X100001.completion.toml X100001.plan.toml
    """
    from rarplan.deliver.ending import closing_words
    from rarplan.deliver.verify import verify_record

    result = verify_record(record, plan_path)
    if json_output:
        from rarplan.cli.output import emit_json

        emit_json(result)
        return
    from rarplan.cli.output import is_quiet

    if is_quiet():  # -q: the exit code says it (0 matches, 3 does not)
        return
    print(
        f"OK: {result['record']} matches {result['plan']} ({result['crn']}, "
        f"{closing_words(result['status'])}, {result['rar_days_completed']} of "
        f"{result['rar_days_ordered']} RAR days, SHA-256 {result['plan_sha256'][:12]})"
    )
