"""The wizard's summary (the assessment and every answer, to confirm) and writing the plan."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel

from rarplan.cli.wizard.case import Session
from rarplan.cli.wizard.labels import FACTS, INDEX_OFFENCES, SEXUAL_FACTORS, VULNERABILITIES
from rarplan.model.case import Case
from rarplan.model.plan import Plan

LABELS = {
    "rar_max_days": "court's RAR maximum (days)",
    "length_months": "months",
    "start_date": "starts",
    "other_requirements": "other requirements",
    "ovp": "OVP",
    "sara": "SARA",
    "risk_of_harm": "risk of serious harm",
    "oasys_thinking_score": "OASys thinking",
    "oasys_total_score": "OASys total",
    "oasys_11_6": "OASys 11.6",
    "oasys_11_7": "OASys 11.7",
    "audit": "AUDIT",
    "sadq": "SADQ",
}


def show(s: Session) -> Plan | None:
    """Print the plan as it would be written and the answers; None if it cannot be built."""
    from rarplan.cli.views.assess import show_assessment
    from rarplan.cli.wizard.plan import assess_case
    from rarplan.model.errors import InvalidInput, RarplanError

    try:
        case = s.case()
        plan = assess_case(case, s.catalogue)
    except InvalidInput as err:
        for line in err.problems or [err.message]:
            s.say(f"[red]✗[/red] {line}")
        s.say("Edit the section named to complete the answers.")
        return None
    except RarplanError as err:
        s.say(f"[red]✗[/red] {err.message}" + (f" ({err.hint})" if err.hint else ""))
        return None
    show_assessment(plan, s.catalogue, None)
    _answers(s, case, plan)
    return plan


def _answers(s: Session, case: Case, plan: Plan) -> None:
    from rich.table import Table

    from rarplan.cli.output import console
    from rarplan.model.needs import NEED_LABELS

    table = Table(title="Your answers", show_header=False, expand=False)
    table.add_column("section", style="bold", no_wrap=True)
    table.add_column("answers", overflow="fold")
    age = f"born {case.date_of_birth}" if case.date_of_birth else _pair("age", case.age)
    sex = case.sex or "sex not recorded"
    table.add_row("Identity", _join([case.crn, case.name, sex, age, case.region]))
    table.add_row("Sentence", _fields(case.sentence))
    offence = dict(INDEX_OFFENCES).get(case.offence.index_offence or "", "")
    table.add_row("Offence", _join([offence, _fields(case.offence, skip=("index_offence",))]))
    estimated = " (estimated from the OGRS3 inputs)" if plan.assessment.ogrs_estimated else ""
    ogrs = f"OGRS {plan.assessment.ogrs:g}%{estimated}"
    table.add_row("Scores", _join([ogrs, _fields(case.scores, skip=("ogrs",))]))
    table.add_row("Needs", _join([NEED_LABELS[n] for n in case.needs.identified()]) or "none")
    c = case.circumstances
    ticked = [label for f, label, inverted in FACTS if getattr(c, f) is (not inverted)]
    ticked += [dict(VULNERABILITIES)[v] for v in c.vulnerabilities]
    ticked += [f"completed {i}" for i in c.completed_interventions]
    ticked += [dict(SEXUAL_FACTORS)[f] for f in c.sexual_offending_factors]
    if c.dynamic_risk_factors:
        ticked.append(f"dynamic risk factors: {c.dynamic_risk_factors}")
    table.add_row("Circumstances", _join(ticked) or "none of the listed")
    if case.checks:
        table.add_row("Judgement", _join([f"{k}: {_word(v)}" for k, v in case.checks.items()]))
    for chosen in plan.selected:
        extra = [f"{chosen.appointments} hours" if chosen.appointments else ""]
        if chosen.override_reason:
            extra.append(f"override: {chosen.override_reason}")
        outcomes = "\n".join(f"• {o}" for o in chosen.desired_outcomes)
        table.add_row(chosen.id, _join(extra) + ("\n" if any(extra) else "") + outcomes)
    for need in plan.unmet_needs:
        table.add_row("Unmet", f"{NEED_LABELS.get(need.need, need.need)}: {need.reason}")
    agreement = plan.agreement.status.replace("_", " ")
    table.add_row("Agreement", _join([agreement, plan.agreement.note]))
    table.add_row("Officer", plan.responsible_officer)
    console().print(table)


def _word(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list):
        return ", ".join(str(v).replace("_", " ") for v in value)
    return str(value).replace("_", " ")


def _pair(key: str, value: Any) -> str:
    if value is None or value == []:
        return ""
    return f"{LABELS.get(key, key.replace('_', ' '))}: {_word(value)}"


def _fields(model: BaseModel, skip: tuple[str, ...] = ()) -> str:
    return _join([_pair(k, v) for k, v in model.__dict__.items() if k not in skip])


def _join(parts: list[Any]) -> str:
    return " · ".join(str(p) for p in parts if p)


def write(s: Session, plan: Plan, force: bool) -> bool:
    """Write the plan (asking before replacing a file); delete the draft. False: not written."""
    from rarplan.cli.wizard.ask import ask_raw_text, confirm
    from rarplan.files.planfile import default_plan_name, save_plan
    from rarplan.model.errors import RarplanError

    d = s.draft
    target = Path(d.out or default_plan_name(plan.crn))
    overwrite = force
    while target.exists() and not overwrite:
        if confirm(
            f"{target} exists. Replace it? (the old one is kept in .rarplan-history/)",
            default=False,
        ):
            overwrite = True
            break
        other = ask_raw_text("Write the plan to", instruction="(another file; blank to go back)")
        if not other.strip():
            return False
        target = Path(other.strip())
    try:
        save_plan(plan, target, overwrite=overwrite)
    except RarplanError as err:
        s.say(f"[red]✗[/red] {err.message}" + (f" ({err.hint})" if err.hint else ""))
        return False
    d.delete()
    s.say(f"\nPlan written to {target} (readable by you only). The draft is deleted.")
    return True
