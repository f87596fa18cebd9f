"""`rarplan catalogue`: list, show and check the intervention catalogue."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from rarplan.cli.options import CatalogueOption, JsonOption, QuietOption


def list_(
    need: Annotated[
        str | None, typer.Option("--need", help="Only entries for this need area.")
    ] = None,
    setting: Annotated[str | None, typer.Option("--setting", help="community or custody.")] = None,
    region: Annotated[
        str | None,
        typer.Option("--region", help="Only entries offered in this probation region or county."),
    ] = None,
    catalogue_file: CatalogueOption = None,
    json_output: JsonOption = False,
    quiet: QuietOption = False,
) -> None:
    """List the interventions: id, name, need areas, sessions or hours, delivery, catalogue.

    By default both shipped catalogues are listed, each entry with the catalogue it comes from.
    With --region, only the entries offered there: the rate card's in Kent, Surrey, Sussex, a
    Structured Intervention in the regions it names; a KSS county (kent, surrey, sussex)
    counts as Kent, Surrey, Sussex.

    Example: rarplan catalogue list --need accommodation --setting community
    """
    from rarplan.catalogue import load as cat
    from rarplan.catalogue.describe import entry_dict
    from rarplan.cli.output import console, emit_json
    from rarplan.model.errors import UsageError
    from rarplan.model.needs import NEED_AREAS

    if need is not None and need not in NEED_AREAS:
        raise UsageError(f"--need: {need!r} is not a need area; allowed: {', '.join(NEED_AREAS)}")
    if setting is not None and setting not in ("community", "custody"):
        raise UsageError(f"--setting: {setting!r}; allowed: community, custody")
    probation_region = None
    if region is not None:
        from pydantic import ValidationError

        from rarplan.model.case import Case

        try:
            probation_region = Case(crn="X000000", region=region).probation_region
        except ValidationError:
            from rarplan.model.case import PROBATION_REGIONS

            raise UsageError(
                f"--region: {region!r} is not a probation region; allowed: "
                f"{', '.join(PROBATION_REGIONS)}, kent, surrey, sussex"
            ) from None
    catalogue = cat.load_chosen(catalogue_file)
    entries = [
        e
        for e in catalogue
        if (need is None or need in e.needs)
        and (setting is None or e.setting in (setting, "either"))
        and (probation_region is None or _offered_in(catalogue.area(e), probation_region))
    ]
    rows = [entry_dict(catalogue, e, full=False) for e in entries]
    if json_output:
        emit_json({"provider": catalogue.data.provider, "interventions": rows})
        return
    from rarplan.cli.screen import Table, escape
    from rarplan.model.needs import NEED_SHORT

    table = Table(
        title=f"{catalogue.name if len(catalogue.parts) > 1 else catalogue.data.provider}: "
        f"{len(rows)} intervention(s)",
        caption="ETE: education, training and employment; thinking: attitudes, "
        "thinking and behaviour",
    )
    several = len(catalogue.parts) > 1
    for column in ("id", "name", "needs", "sessions / hours", "delivery"):
        table.add_column(column, overflow="fold")
    if several:
        table.add_column("catalogue", overflow="fold")
    for row in rows:
        name = row["name"] + (" (accredited)" if row["accredited"] else "")
        cells = [
            row["id"],
            name,
            ", ".join(NEED_SHORT[n] for n in row["needs"]),
            row["duration"],
            row["delivery"].replace("_", "-"),
        ]
        cells += [row["catalogue"]] if several else []
        table.add_row(*(escape(cell) for cell in cells))
    console().print(table)


def show(
    entry_id: Annotated[str, typer.Argument(metavar="ID", help="The intervention's id.")],
    catalogue_file: CatalogueOption = None,
    json_output: JsonOption = False,
    quiet: QuietOption = False,
) -> None:
    """Everything about one intervention, its criteria in words, and the NSI referral steps.

    Example: rarplan catalogue show resolve
    """
    from rarplan.catalogue import load as cat
    from rarplan.catalogue.describe import entry_dict
    from rarplan.cli.output import console, emit_json

    catalogue = cat.load_chosen(catalogue_file)
    entry = catalogue.get(entry_id)
    data = entry_dict(catalogue, entry, full=True)
    if json_output:
        emit_json({"intervention": data})
        return
    from rarplan.cli.screen import escape

    out = console()
    data = _escaped(data, escape)
    out.print(f"[bold]{data['name']}[/bold]  ({entry.id})")
    if data["plain_name"]:
        out.print(f"In the person's plan: {data['plain_name']}")
    out.print(f"{data['section']}. {data['summary']}")
    from rarplan.model.needs import NEED_LABELS

    facts = [
        ("Needs", ", ".join(NEED_LABELS[n] for n in entry.needs)),  # in words (issue 20)
        ("Accredited programme", "yes" if entry.accredited else "no"),
        ("Setting", entry.setting),
        ("Delivery", entry.delivery.replace("_", "-")),
        ("Counts towards RAR days", "yes" if entry.counts_towards_rar else "no"),
        ("Duration", data["duration"]),
    ]
    for label, value in facts:
        out.print(f"[bold]{label}:[/bold] {value}")
    _bullets(out, "The card's duration", data["duration_text"])
    _bullets(out, "Eligibility", [_criterion(c) for c in data["eligibility"]] or ["none"])
    _bullets(out, "Not suitable", [_criterion(c) for c in data["not_suitable"]] or ["N/A"])
    _bullets(out, "Aims", data["aims"])
    if entry.prerequisites:
        out.print(f"[bold]Complete first:[/bold] {', '.join(entry.prerequisites)}")
    if entry.may_precede:
        out.print(f"[bold]May run before:[/bold] {', '.join(entry.may_precede)}")
    if data["regions"]:
        from rarplan.model.case import REGION_NAMES

        regions = ", ".join(REGION_NAMES[r] for r in data["regions"])
        out.print(f"[bold]Offered in:[/bold] {regions}")
    out.print(f"[bold]Catalogue:[/bold] {data['catalogue']} ({data['provider']})")
    if entry.nsi is not None:
        out.print(f"[bold]NSI category:[/bold] {escape(entry.nsi.category)}")
        out.print(f"[bold]NSI sub-category:[/bold] {escape(entry.nsi.sub_category)}")
        if entry.nsi.notes:
            out.print(f"[bold]NSI notes:[/bold] {escape(entry.nsi.notes)}")
        steps = data["referral_steps"] + data["transfer_steps"]
        _bullets(out, "Referral on nDelius", steps, numbered=True)
    if entry.referral:
        out.print(f"[bold]Referral:[/bold] {escape(entry.referral)}")
    if entry.note:
        out.print(f"[bold]Reading of the card:[/bold] {escape(entry.note)}")
    from rarplan.model.sources import cite

    out.print(f"[dim]Source: {escape(cite(entry.source.file, entry.source.heading))}[/dim]")


def _offered_in(area: list[str], region: str) -> bool:
    return not area or region in area  # no regions: offered anywhere


def _escaped(value: Any, escape: Any) -> Any:
    """Catalogue text is data, not rich markup: "[" in it must print as it is."""
    if isinstance(value, str):
        return escape(value)
    if isinstance(value, list):
        return [_escaped(v, escape) for v in value]
    if isinstance(value, dict):
        return {k: _escaped(v, escape) for k, v in value.items()}
    return value


def _criterion(c: dict[str, str]) -> str:
    return f"{c['text']}  [dim]→ {c['rule']}[/dim]"


def _bullets(out: Any, title: str, items: list[str], numbered: bool = False) -> None:
    out.print(f"[bold]{title}:[/bold]")
    for n, item in enumerate(items, start=1):
        out.print(f"  {f'{n}.' if numbered else '•'} {item}")


def check(
    file: Annotated[
        Path | None, typer.Argument(help="Catalogue file [default: the one in use].")
    ] = None,
    catalogue_file: CatalogueOption = None,
    json_output: JsonOption = False,
    quiet: QuietOption = False,
) -> None:
    """Check a catalogue file and list every problem (exit 3 if there are any).

    With no FILE, the catalogues in use (--catalogue, else both shipped ones). With FILE and
    --catalogue, also that FILE can be used together with them (no id in two).

    Example: rarplan catalogue check my-provider.toml --catalogue structured
    """
    from rarplan.catalogue import load as cat
    from rarplan.cli.output import emit_json, info

    paths = [file, *(catalogue_file or [])] if file else cat.resolve(catalogue_file)
    catalogue = cat.load_chosen(paths)
    shown = " + ".join(str(p) for p in paths)
    if json_output:
        emit_json(
            {
                "file": shown,
                "files": [str(p) for p in paths],
                "ok": True,
                "interventions": len(catalogue),
                "problems": [],
            }
        )
        return
    info(f"{shown}: ok, {len(catalogue)} interventions")


# The group's commands, by the name they are run with; rarplan.cli.app registers them.
COMMANDS = (("list", list_), ("show", show), ("check", check))
