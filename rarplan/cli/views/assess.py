"""The assessment as the officer reads it (rich on a terminal, plain lines elsewhere)."""

from __future__ import annotations

from pathlib import Path

from rarplan.catalogue.models import Catalogue
from rarplan.model.needs import NEED_LABELS
from rarplan.model.plan import Plan

STATUS_STYLE = {"eligible": "green", "check": "yellow", "excluded": "red"}
# The table's order, as the wizard's summary groups it: chosen, eligible, to check, excluded.
STATUS_ORDER = {"eligible": 0, "check": 1, "excluded": 2}


def show_assessment(plan: Plan, catalogue: Catalogue, target: Path | None) -> None:
    from rarplan.cli.output import console
    from rarplan.cli.screen import Table
    from rarplan.cli.screen import escape as e

    out = console()
    a = plan.assessment
    days = a.guideline_days
    guideline = f"{days['min']}–{days['max']} days" if days else "n/a"
    estimated = " (estimated)" if a.ogrs_estimated else ""
    has_rar = plan.case.sentence.has_rar
    band = f" → [bold]{a.band_label}[/bold]" if has_rar else ""
    guideline_text = f"guideline {guideline}; " if has_rar else ""
    out.print(
        f"[bold]{plan.crn}[/bold]  {'ARP' if a.predictor == 'arp' else 'OGRS'} "
        f"{a.ogrs:g}%{estimated}{band}"
        f"  ({guideline_text}{a.average_needs} needs on average)"
    )
    needs = ", ".join(NEED_LABELS[n] for n in a.needs) or "none recorded"
    out.print(f"Needs ({len(a.needs)}): {needs}")
    if a.treatment_requirements:
        from rarplan.assess.treatment import titled

        names = [titled(t) for t in a.treatment_requirements]
        out.print("Treatment first: " + ", ".join(names))
    if a.propose_rar:
        court = plan.case.sentence.rar_max_days
        court_text = f" (court maximum {court})" if court is not None else ""
        out.print(f"Proposed RAR days: [bold]{a.proposed_days}[/bold]{court_text}")
    elif not has_rar:
        out.print("[bold]No RAR days[/bold]: this sentence has no RAR (see below).")
    else:
        out.print("[bold]No RAR proposed.[/bold]")

    table = Table(
        title="Interventions for the identified needs", options={"expand": out.width < 100}
    )
    # Names wrap (never cut short): the intervention and its need areas in words, the id
    # under the name (for `rarplan amend`); each reason once, numbered below the table.
    table.add_column("intervention", ratio=5, overflow="fold")
    table.add_column("status", no_wrap=True)
    table.add_column("needs it meets", ratio=4, overflow="fold")
    table.add_column("why", ratio=1, overflow="fold")
    reasons: dict[str, int] = {}
    chosen = {s.id for s in plan.selected}
    setting = plan.case.sentence.setting
    hidden = 0
    region = plan.case.probation_region
    elsewhere = 0  # not offered in the person's region (issue 18: the rate card is KSS-only)
    shown = sorted(a.interventions, key=lambda r: (r.id not in chosen, STATUS_ORDER[r.status]))
    for r in shown:
        if not r.addresses_identified_need and r.id not in chosen:
            continue
        if catalogue.entries[r.id].setting not in ("either", setting) and r.id not in chosen:
            hidden += 1
            continue
        area = catalogue.area(catalogue.entries[r.id])
        if region and area and region not in area and r.id not in chosen:
            elsewhere += 1
            continue
        mark = " ✔" if r.id in chosen else ""
        style = STATUS_STYLE[r.status]
        entry = catalogue.entries[r.id]
        numbers = [reasons.setdefault(why, len(reasons) + 1) for why in dict.fromkeys(r.reasons)]
        table.add_row(
            f"{e(entry.name)}{mark}\n[dim]{r.id}[/dim]",
            f"[{style}]{r.status}[/{style}]",
            ", ".join(NEED_LABELS.get(n, n) for n in entry.needs if n in a.needs),
            ", ".join(map(str, numbers)),
        )
    out.print(table)
    if reasons:
        notes = Table.grid(padding=(0, 1))
        notes.add_column(justify="right", no_wrap=True)
        notes.add_column(overflow="fold")
        for why, number in reasons.items():
            notes.add_row(f"{number}.", e(why))
        out.print("Why excluded, or what to check (the numbers in the last column):")
        out.print(notes)
    if hidden:
        other = "custody" if setting == "community" else "community"
        services = "service" if hidden == 1 else "services"
        out.print(f"({hidden} {other}-only {services} not shown; see --json)")
    if elsewhere:
        from rarplan.model.case import REGION_NAMES

        where = REGION_NAMES[region] if region else ""
        what = "intervention" if elsewhere == 1 else "interventions"
        out.print(f"({elsewhere} {what} not offered in {where} not shown; see --json)")
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
            f"[yellow]Unmet need[/yellow] {NEED_LABELS.get(unmet.need, unmet.need)}: "
            f"{e(unmet.reason)}"
        )
    for warning in a.warnings:
        out.print(f"[yellow]![/yellow] {e(warning)}")
    out.print(f"\n[bold]Rationale[/bold]\n{e(a.rationale)}")
    if a.psr_proposal:
        out.print(f"\n[bold]Pre-sentence report proposal[/bold]\n{e(a.psr_proposal)}")
    if target is not None:
        out.print(f"\nPlan written to {target} (readable by you only).")
