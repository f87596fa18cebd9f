"""rarplan: sentence planning for Rehabilitation Activity Requirements (RAR).

The library API: the officer's stages as functions a script can call, each a thin wrapper
around the domain function the command of the same name uses.

    import rarplan
    catalogue = rarplan.load_catalogue()
    plan = rarplan.assess("examples/cases/X100001.toml", catalogue)
    plan = rarplan.schedule(plan, catalogue)
    rarplan.save_plan(plan, "X100001.plan.toml")

Every stage takes and returns the plan (`rarplan.model.plan.Plan`, a pydantic model) in
memory; nothing is written to disk until `save_plan`. Bad input raises a
`rarplan.model.errors.RarplanError` (`InvalidInput`, `RefusedByRules`, ...) with a message and
a hint. README.md, "The library", has a complete example; docs/ has each stage's rules.

Every command imports this module (for `__version__`), so it imports nothing heavy at module
level: each function imports what it needs when it is called.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from datetime import date, datetime
    from pathlib import Path

    from rarplan.catalogue.models import Catalogue
    from rarplan.deliver.amend import AgreementStatus
    from rarplan.documents.render import Document, Format
    from rarplan.model.case import Case
    from rarplan.model.plan import EndingReason, OutcomeReview, Plan
    from rarplan.schedule.placer import OmFrequency, Strategy

__version__ = "0.1.0"

# `rarplan.assess` and `rarplan.schedule` name both a stage package and a library function.
# Python binds a subpackage to its parent's name once, when it is first imported: importing
# the two packages here (their __init__ files are a docstring each, so this costs nothing)
# binds them now, and the functions defined below take the names for good. Import their
# modules as `from rarplan.assess import bands`.
from rarplan import assess as _assess_package  # noqa: E402, F401
from rarplan import schedule as _schedule_package  # noqa: E402, F401

__all__ = [
    "__version__",
    "amend",
    "assess",
    "complete",
    "end",
    "load_case",
    "load_catalogue",
    "load_plan",
    "record_attendance",
    "render",
    "save_plan",
    "schedule",
]


def load_catalogue(path: str | Path | Sequence[str | Path] | None = None) -> Catalogue:
    """The intervention catalogue, checked: `path` (a file, `rate-card` or `structured`, or a
    list of them used together), else `$RARPLAN_CATALOGUE`, else both shipped catalogues
    together (docs/data.md, "Choosing catalogues")."""
    from rarplan.catalogue.load import load_chosen

    return load_chosen(path)


def load_case(path: str | Path) -> Case:
    """A case file (TOML or JSON, `-` for stdin), checked key by key (docs/data.md,
    "Case files")."""
    from rarplan.files.caseio import load_case as read_case

    return read_case(path)[0]


def load_plan(path: str | Path) -> Plan:
    """A plan file, checked and migrated from older schema versions (docs/data.md, "Plan files")."""
    from rarplan.files.planfile import load_plan as read_plan

    return read_plan(path)[0]


def save_plan(plan: Plan, path: str | Path, *, overwrite: bool = False) -> None:
    """Write the plan file atomically, readable by you only; an existing file is replaced only
    with `overwrite=True` (the old one is kept in `.rarplan-history/`)."""
    from rarplan.files.planfile import save_plan as write_plan

    write_plan(plan, path, overwrite=overwrite)


def assess(
    case: Case | str | Path,
    catalogue: Catalogue | None = None,
    *,
    today: date | None = None,
) -> Plan:
    """Assess a case (a `Case`, or a case file's path) and return its sentence plan: the band
    and guideline days, every catalogue entry judged, the interventions selected, the proposed
    RAR days (docs/assess.md, "The rules it applies"). Not yet scheduled."""
    from rarplan.assess.assessment import assess as assess_case
    from rarplan.model.case import Case

    source = "case"
    if not isinstance(case, Case):
        from rarplan.files.caseio import load_case as read_case

        case, source = read_case(case)
    return assess_case(case, _or_shipped(catalogue), source=source, today=today)


def schedule(
    plan: Plan,
    catalogue: Catalogue | None = None,
    *,
    start: date | None = None,
    strategy: Strategy | None = None,
    offender_management: OmFrequency | None = None,
    days: Sequence[str] | None = None,
    unavailable: Sequence[tuple[date, date]] = (),
    replan_from: date | None = None,
    reason: str = "",
    by: str = "",
    force: bool = False,
    at: datetime | None = None,
) -> Plan:
    """The plan with its interventions placed as dated appointments within the court's RAR days,
    and an entry in its history; a plan that cannot fit raises `RefusedByRules` saying why
    (docs/schedule.md). Re-plan with `replan_from` and a `reason`, as `rarplan schedule --from`."""
    from datetime import datetime as clock

    from rarplan.schedule.apply import Request, schedule_plan
    from rarplan.schedule.make import Options

    request = Request(
        options=Options(strategy=strategy, start=start, offender_management=offender_management),
        replan_from=replan_from,
        reason=reason,
        by=by,
        force=force,
        days=None if days is None else tuple(days),
        unavailable=tuple(unavailable),
    )
    at = at or clock.now().replace(microsecond=0)
    return schedule_plan(plan, _or_shipped(catalogue), request, at=at, name=f"plan {plan.crn}")[0]


def record_attendance(
    plan: Plan, attendance: str | Path, *, today: date | None = None, by: str = ""
) -> Plan:
    """The plan with the attendance file's rows recorded (CSV, TOML or JSON: docs/deliver.md,
    "The attendance file"). Every row is checked first; on any problem nothing changes."""
    from datetime import date as calendar
    from datetime import datetime as clock

    from rarplan.deliver.attendance import apply_attendance
    from rarplan.deliver.attendance_file import read_attendance

    entries, source = read_attendance(attendance)
    now = clock.now().replace(microsecond=0)
    apply_attendance(plan, entries, source, today=today or calendar.today(), now=now, by=by)
    return plan


def complete(
    plan: Plan,
    *,
    confirmed_by: str,
    outcomes: str | Path | None = None,
    rationale: str = "",
    progress: str = "",
    outcome: str = "",
    today: date | None = None,
    force: bool = False,
) -> Plan:
    """The plan closed: each desired outcome's result from the `outcomes` file, and the
    completion (`plan.completion`). Fewer days than ordered needs `rationale`, `progress` and
    `outcome` (RAR guidance, section 4); the rules refuse with `RefusedByRules`
    (docs/deliver.md, "Closing the RAR"). Appointments after `today` with no outcome are
    cancelled. The completion record that `rarplan verify` checks is written by `rarplan
    complete`, from the saved plan file."""
    from datetime import date as calendar

    from rarplan.deliver.completion import Texts, close

    reviews = _reviews(plan, outcomes)
    close(
        plan,
        source=f"plan {plan.crn}",
        reviews=reviews,
        texts=Texts(rationale=rationale, progress=progress, outcome=outcome),
        confirmed_by=confirmed_by,
        today=today or calendar.today(),
        force=force,
    )
    return plan


def amend(
    plan: Plan,
    catalogue: Catalogue | None = None,
    *,
    reason: str,
    add: Sequence[str] = (),
    drop: Sequence[str] = (),
    hours: Mapping[str, int] | None = None,
    outcomes: Mapping[str, Sequence[str]] | None = None,
    officer: str | None = None,
    agreement: AgreementStatus | None = None,
    overrides: Mapping[str, str] | None = None,
    replan_from: date | None = None,
    by: str = "",
    today: date | None = None,
) -> Plan:
    """The plan amended, as `rarplan amend`: interventions added (judged against the catalogue;
    an excluded one needs its reason in `overrides`) or dropped, `hours`, desired `outcomes`,
    the `officer`, the `agreement`, with `reason` in its history. A scheduled plan whose
    interventions change is re-planned from `replan_from` (default `today`), keeping what
    happened; more RAR days than the court ordered raise `RefusedByRules` (docs/deliver.md,
    "Amending the plan"). The plan given is not changed."""
    from datetime import date as calendar
    from datetime import datetime as clock

    from rarplan.deliver.amend import Amendment, apply_amendment

    amendment = Amendment(
        reason=reason,
        add=tuple(add),
        drop=tuple(drop),
        hours=dict(hours or {}),
        outcomes={k: list(v) for k, v in (outcomes or {}).items()},
        officer=officer,
        agreement=agreement,
        overrides=dict(overrides or {}),
        by=by,
        replan_from=replan_from,
    )
    at = clock.now().replace(microsecond=0)
    day = today or calendar.today()
    name = f"plan {plan.crn}"
    return apply_amendment(
        plan, _or_shipped(catalogue), amendment, today=day, at=at, name=name
    ).plan


def end(
    plan: Plan,
    *,
    reason: EndingReason,
    note: str,
    confirmed_by: str,
    outcomes: str | Path | None = None,
    today: date | None = None,
    force: bool = False,
) -> Plan:
    """The plan closed because its RAR ended other than by completion (`reason`: revoked,
    breach_resentenced, transferred, died or other), with the officer's `note` and the results
    of the desired outcomes reviewed so far (`plan.completion.status` is the reason;
    docs/deliver.md, "Ending a RAR otherwise"). Appointments after `today` are cancelled. The
    end record that `rarplan verify` checks is written by `rarplan end`, from the saved plan
    file."""
    from datetime import date as calendar

    from rarplan.deliver.ending import end as end_plan

    reviews = _reviews(plan, outcomes)
    end_plan(
        plan,
        source=f"plan {plan.crn}",
        reason=reason,
        note=note,
        confirmed_by=confirmed_by,
        today=today or calendar.today(),
        reviews=reviews,
        force=force,
    )
    return plan


def render(
    plan: Plan,
    catalogue: Catalogue | None = None,
    document: Document = "person",
    fmt: Format = "md",
    *,
    with_names: bool = False,
) -> str:
    """A document from the plan as text: the plan for the `person`, the `court` proposal or
    the `referral` sheet, as Markdown (`md`) or one HTML file (`html`); no name unless
    `with_names` (docs/documents.md)."""
    from rarplan.documents.render import render as render_document

    return render_document(plan, _or_shipped(catalogue), document, fmt, with_names=with_names)


def _or_shipped(catalogue: Catalogue | None) -> Catalogue:
    return catalogue if catalogue is not None else load_catalogue()


def _reviews(plan: Plan, outcomes: str | Path | None) -> list[OutcomeReview]:
    """The outcome reviews read from the file `outcomes` (none without one), for `complete`
    and `end`."""
    from rarplan.deliver.outcomes import read_outcomes, resolve_outcomes

    if outcomes is None:
        return []
    entries, source = read_outcomes(outcomes)
    return resolve_outcomes(plan, entries, source)
