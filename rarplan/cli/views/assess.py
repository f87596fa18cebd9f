"""The assessment shown at a terminal (rich), plain when not a colour terminal."""

from __future__ import annotations

from pathlib import Path

from rarplan.catalogue.models import Catalogue
from rarplan.model.needs import NEED_LABELS
from rarplan.model.plan import Plan

STATUS_STYLE = {"eligible": "green", "check": "yellow", "excluded": "red"}


def show_assessment(plan: Plan, catalogue: Catalogue, target: Path | None) -> None:
    from rich.markup import escape as e
    from rich.table import Table

    from rarplan.cli.output import console

    out = console()
    a = plan.assessment
    days = a.guideline_days
    guideline = f"{days['min']}–{days['max']} days" if days else "n/a"
    estimated = " (estimated)" if a.ogrs_estimated else ""
    has_rar = plan.case.sentence.has_rar
    band = f" → [bold]{a.band_label}[/bold]" if has_rar else ""
    guideline_text = f"guideline {guideline}; " if has_rar else ""
    out.print(
        f"[bold]{plan.crn}[/bold]  OGRS {a.ogrs:g}%{estimated}{band}"
        f"  ({guideline_text}{a.average_needs} needs on average)"
    )
    needs = ", ".join(NEED_LABELS[n] for n in a.needs) or "none recorded"
    out.print(f"Needs ({len(a.needs)}): {needs}")
    if a.treatment_requirements:
        out.print("Treatment first: " + ", ".join(a.treatment_requirements))
    if a.propose_rar:
        court = plan.case.sentence.rar_max_days
        court_text = f" (court maximum {court})" if court is not None else ""
        out.print(f"Proposed RAR days: [bold]{a.proposed_days}[/bold]{court_text}")
    elif not has_rar:
        out.print("[bold]No RAR days[/bold]: this sentence has no RAR (see below).")
    else:
        out.print("[bold]No RAR proposed.[/bold]")

    table = Table(
        title="Interventions addressing the identified needs", show_lines=False, expand=False
    )
    table.add_column("id")
    table.add_column("status")
    table.add_column("needs")
    table.add_column("why / to check", overflow="fold", max_width=60)
    chosen = {s.id for s in plan.selected}
    setting = plan.case.sentence.setting
    hidden = 0
    for r in a.interventions:
        if not r.addresses_identified_need and r.id not in chosen:
            continue
        if catalogue.entries[r.id].setting not in ("either", setting) and r.id not in chosen:
            hidden += 1
            continue
        mark = " ✔" if r.id in chosen else ""
        style = STATUS_STYLE[r.status]
        table.add_row(
            f"{r.id}{mark}",
            f"[{style}]{r.status}[/{style}]",
            ", ".join(n for n in catalogue.entries[r.id].needs if n in a.needs),
            "; ".join(r.reasons),
        )
    out.print(table)
    if hidden:
        other = "custody" if setting == "community" else "community"
        out.print(f"({hidden} {other}-only service(s) not shown; see --json)")
    if plan.selected:
        out.print(
            "[bold]Selected[/bold] (✔): "
            + ", ".join(
                e(catalogue.entries[s.id].name)
                + (f" (~{s.rar_days_estimate} days)" if has_rar else "")
                for s in plan.selected
            )
        )
    for unmet in plan.unmet_needs:
        out.print(
            f"[yellow]Unmet need[/yellow] {NEED_LABELS.get(unmet.need, unmet.need)}: {unmet.reason}"
        )
    for warning in a.warnings:
        out.print(f"[yellow]![/yellow] {e(warning)}")
    out.print(f"\n[bold]Rationale[/bold]\n{e(a.rationale)}")
    if a.psr_proposal:
        out.print(f"\n[bold]Pre-sentence report proposal[/bold]\n{e(a.psr_proposal)}")
    if target is not None:
        out.print(f"\nPlan written to {target} (readable by you only).")
