"""The wizard's summary (the assessment and every answer, to confirm) and writing the plan."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel

from rarplan.catalogue.models import Catalogue
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


def show(s: Session, show_all: bool = False) -> Plan | None:
    """Print the plan as it would be written and the answers; None if it cannot be built."""
    from rarplan.cli.wizard.plan import assess_case
    from rarplan.model.errors import InvalidInput, RarplanError

    try:
        case = s.case()
        plan = assess_case(case, s.catalogue)
    except InvalidInput as err:
        for line in err.problems or [err.message]:
            s.say(f"[red]✗[/red] {line}")
        s.say("Edit the section named to complete the answers.")
        s.draft.flush()
        return None
    except RarplanError as err:
        s.say(f"[red]✗[/red] {err.message}" + (f" ({err.hint})" if err.hint else ""))
        s.draft.flush()
        return None
    assessment(plan, s.catalogue, show_all)
    _answers(s, case, plan)
    return plan


def assessment(plan: Plan, catalogue: Catalogue, show_all: bool = False) -> None:
    """The assessment at a glance: the band and days, the needs in words, then the
    interventions for those needs grouped (eligible first, then to check, then the excluded,
    one line each unless `show_all`), by name, each reason once."""
    from rich.markup import escape as e
    from rich.table import Table

    from rarplan.assess.treatment import titled
    from rarplan.cli.output import rich_console
    from rarplan.model.needs import NEED_LABELS

    out = rich_console()
    a = plan.assessment
    has_rar = plan.case.sentence.has_rar
    score = (
        f"{a.predictor.upper() if a.predictor else 'OGRS'} {a.ogrs:g}%"
        if a.ogrs is not None
        else "no score"
    )
    line = f"[bold]{plan.crn}[/bold]  {score}{' (estimated)' if a.ogrs_estimated else ''}"
    if has_rar:
        days = a.guideline_days
        line += f" → [bold]{e(a.band_label)}[/bold]"
        if days:
            line += f" (guideline {days['min']} to {days['max']} days)"
    out.print(line)
    out.print(f"Needs: {', '.join(NEED_LABELS[n] for n in a.needs) or 'none recorded'}")
    if a.treatment_requirements:
        names = [titled(t) for t in a.treatment_requirements]
        out.print("Treatment requirement first: " + ", ".join(names))
    if a.propose_rar:
        court = plan.case.sentence.rar_max_days
        out.print(
            f"Proposed RAR days: [bold]{a.proposed_days}[/bold]"
            + (f" (the court's maximum: {court})" if court is not None else "")
        )
    elif not has_rar:
        out.print("[bold]No RAR[/bold]: this sentence has none; the plan is other activity.")
    else:
        out.print("[bold]No RAR proposed.[/bold]")

    chosen = {x.id for x in plan.selected}
    setting = plan.case.sentence.setting
    shown = [
        r
        for r in a.interventions
        if r.id in chosen
        or (r.addresses_identified_need and catalogue.entries[r.id].setting in ("either", setting))
    ]
    groups = (
        ("eligible", "Eligible, meeting a need", "green"),
        ("check", "To check", "yellow"),
        ("excluded", "Excluded", "red"),
    )
    for status, title, style in groups:
        rows = [r for r in shown if r.status == status]
        if not rows:
            continue
        if status == "excluded" and not show_all:
            out.print(
                f"[{style}]{title}[/{style}] ({len(rows)}; [dim]Show all to see why in full[/dim]):"
            )
            for r in rows:
                why = r.reasons[0] if r.reasons else ""
                mark = " ✔" if r.id in chosen else ""
                out.print(
                    f"  {e(catalogue.entries[r.id].name)}{mark}: {e(why)}",
                    overflow="ellipsis",
                    no_wrap=True,
                )
            continue
        table = Table(title=f"[{style}]{title}[/{style}]", title_justify="left", expand=False)
        table.add_column("intervention", ratio=3)
        table.add_column("needs it meets", ratio=2)
        reasons = any(r.reasons for r in rows)
        if reasons:
            table.add_column("to check" if status == "check" else "why", ratio=4)
        for r in rows:
            entry = catalogue.entries[r.id]
            cells = [
                e(entry.name) + (" ✔" if r.id in chosen else ""),
                ", ".join(NEED_LABELS[n] for n in entry.needs if n in a.needs),
            ]
            table.add_row(*cells, *([e("; ".join(dict.fromkeys(r.reasons)))] if reasons else []))
        out.print(table)
    if plan.selected:
        out.print(
            "[bold]Chosen[/bold] (✔): "
            + ", ".join(
                e(catalogue.entries[x.id].name)
                + (f" (about {x.rar_days_estimate} days)" if has_rar else "")
                for x in plan.selected
            )
        )
    for unmet in plan.unmet_needs:
        out.print(
            f"[yellow]Unmet need[/yellow] {NEED_LABELS.get(unmet.need, unmet.need)}: "
            f"{e(unmet.reason)}"
        )
    for warning in dict.fromkeys(a.warnings):
        out.print(f"[yellow]![/yellow] {e(warning)}")


def _answers(s: Session, case: Case, plan: Plan) -> None:
    from rich.table import Table

    from rarplan.cli.output import rich_console
    from rarplan.model.needs import NEED_LABELS

    table = Table(title="Your answers", show_header=False, expand=False)
    table.add_column("section", style="bold", max_width=24)
    table.add_column("answers", ratio=1)
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
    ticked += [
        f"completed {s.catalogue.entries[i].name if i in s.catalogue.entries else i}"
        for i in c.completed_interventions
    ]
    ticked += [dict(SEXUAL_FACTORS)[f] for f in c.sexual_offending_factors]
    if c.dynamic_risk_factors:
        ticked.append(f"dynamic risk factors: {c.dynamic_risk_factors}")
    table.add_row("Circumstances", _join(ticked) or "none of the listed")
    if case.checks:
        asked = _questions(s.catalogue)
        table.add_row(
            "Judgement",
            "\n".join(f"{asked.get(k, k)} {_word(v)}" for k, v in case.checks.items()),
        )
    for chosen in plan.selected:
        extra = [f"{chosen.appointments} hours" if chosen.appointments else ""]
        if chosen.override_reason:
            extra.append(f"override: {chosen.override_reason}")
        outcomes = "\n".join(f"• {o}" for o in chosen.desired_outcomes)
        name = s.catalogue.entries[chosen.id].name
        table.add_row(name, _join(extra) + ("\n" if any(extra) else "") + outcomes)
    for need in plan.unmet_needs:
        table.add_row("Unmet", f"{NEED_LABELS.get(need.need, need.need)}: {need.reason}")
    agreement = plan.agreement.status.replace("_", " ")
    table.add_row("Agreement", _join([agreement, plan.agreement.note]))
    table.add_row("Officer", plan.responsible_officer)
    rich_console().print(table)


def _questions(catalogue: Catalogue) -> dict[str, str]:
    """Each judgement question's words, by its key."""
    from rarplan.catalogue.rules import check_keys

    found: dict[str, str] = {}
    for entry in catalogue:
        for criterion in (*entry.eligibility, *entry.not_suitable):
            found.update(check_keys(criterion))
    return found


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
        d.flush()
        return False
    d.delete()
    s.say(f"\nPlan written to {target} (readable by you only). The draft is deleted.")
    d.flush()
    return True
