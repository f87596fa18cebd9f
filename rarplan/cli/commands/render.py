"""`rarplan render`: the plan for the person, the court proposal or the referral sheet."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer

from rarplan.cli.options import (
    CatalogueOption,
    ForceOption,
    JsonOption,
    QuietOption,
    WithNamesOption,
)


def render(
    plan_file: Annotated[
        str, typer.Argument(metavar="PLAN", help="The plan file; '-' reads stdin.")
    ],
    fmt: Annotated[
        Literal["md", "html"] | None,
        typer.Option(
            "--format",
            help="md to paste, html to print on A4 [default: from --out's ending, else md].",
        ),
    ] = None,
    document: Annotated[
        Literal["person", "court", "referral"],
        typer.Option(
            "--for",
            help="person: the plan to hand over; court: the pre-sentence proposal; "
            "referral: the nDelius NSI steps and notes for each intervention.",
        ),
    ] = "person",
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Write the document to this file [default: stdout]."),
    ] = None,
    with_names: WithNamesOption = False,
    catalogue_file: CatalogueOption = None,
    force: ForceOption = False,
    json_output: JsonOption = False,
    quiet: QuietOption = False,
) -> None:
    """Write the plan for the person, the court proposal or the referral sheet.

    The person's plan is in plain English: what a RAR is, the days ordered, each appointment,
    what counts as a day, what happens after a missed appointment, the agreed outcomes. The
    court proposal gives the band, guideline and proposed days, the needs and why. The referral
    sheet gives the rate card's NSI steps for each intervention with a drafted notes field.
    HTML is one self-contained file that prints on A4, a page per section. Names appear only
    with --with-names; the person is "you", the case its CRN.

    Example: rarplan render X100001.plan.toml --for person --format html --out X100001.person.html
    """
    from rarplan.catalogue import load as cat
    from rarplan.cli.output import emit_json, info
    from rarplan.documents import render as documents
    from rarplan.files import planfile, storage

    chosen_format = fmt or ("html" if out and out.suffix.lower() in (".html", ".htm") else "md")
    plan, _ = planfile.load_plan(plan_file)
    catalogue = cat.load_chosen(catalogue_file)
    text = documents.render(plan, catalogue, document, chosen_format, with_names=with_names)
    data = text.encode("utf-8")
    summary = {
        "crn": plan.crn,
        "format": chosen_format,
        "for": document,
        "out": str(out) if out else None,
        "bytes": len(data),
        "with_names": with_names,
    }
    if out is not None:
        storage.atomic_write(out, data, overwrite=force)
        if json_output:
            emit_json(summary)
        else:
            info(f"{plan.crn}: wrote the {document} document to {out} ({len(data)} bytes)")
        return
    if json_output:
        emit_json({**summary, "document": text})
        return
    typer.echo(text, nl=False)
