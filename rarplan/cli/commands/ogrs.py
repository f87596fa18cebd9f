"""`rarplan ogrs`: estimate OGRS3 from the published formula, and band the 2-year score."""

from __future__ import annotations

from typing import Annotated

import typer

from rarplan.cli.options import JsonOption, QuietOption


def ogrs(
    sex: Annotated[str, typer.Option("--sex", metavar="male|female", help="male or female.")],
    age_at_conviction: Annotated[
        int,
        typer.Option(
            "--age-at-conviction", metavar="YEARS", help="Age at the current conviction (years)."
        ),
    ],
    age_at_follow_up: Annotated[
        int,
        typer.Option(
            "--age-at-follow-up",
            metavar="YEARS",
            help="Age at the community sentence, or at release from custody (18 or over).",
        ),
    ],
    sanctions: Annotated[
        int,
        typer.Option(
            "--sanctions",
            metavar="N",
            help="Cautions and convictions in all, counting the current one.",
        ),
    ],
    age_at_first_sanction: Annotated[
        int,
        typer.Option(
            "--age-at-first-sanction",
            metavar="YEARS",
            help="Age at the first caution or conviction.",
        ),
    ],
    offence: Annotated[
        str,
        typer.Option(
            "--offence",
            metavar="CATEGORY",
            help="Category of the current offence (ids listed above).",
        ),
    ],
    json_output: JsonOption = False,
    quiet: QuietOption = False,
) -> None:
    """Estimate OGRS3 1-year and 2-year scores from the published formula.

    The 2-year score is the one the RAR table bands on. The official score comes from
    OASys/nDelius: use this to check it or when none is to hand. Offence categories: violence,
    robbery, public_order, sexual_not_child, sexual_child, soliciting, burglary_domestic,
    burglary_other, theft, handling, fraud_forgery, absconding_bail, taking_driving_away,
    theft_from_vehicle, other_motoring, drink_driving, criminal_damage,
    drug_import_export_production, drug_possession_supply, other.

    Example: rarplan ogrs --sex male --age-at-conviction 59 --age-at-follow-up 60 --sanctions 2 --age-at-first-sanction 47 --offence soliciting
    """  # noqa: E501 (the example is one command line, as typed)
    from rarplan.assess.bands import band_for
    from rarplan.assess.ogrs import CAVEATS, FLAG_NAMES, SOURCE, compute
    from rarplan.cli.output import emit_json

    result = compute(
        sex=sex.strip().lower(),
        age_at_conviction=age_at_conviction,
        age_at_follow_up=age_at_follow_up,
        sanctions=sanctions,
        age_at_first_sanction=age_at_first_sanction,
        offence=offence,
        names=FLAG_NAMES,
    )
    if json_output:
        emit_json(result.as_dict())
        return
    band = band_for(result.ogrs3_2year)
    days = band.guideline_days
    guideline = f"{days['min']} to {days['max']} days" if days else "none (no RAR)"
    lines = [
        f"OGRS3 1-year: {result.ogrs3_1year}% ({result.probability_1year:.4f})",
        f"OGRS3 2-year: {result.ogrs3_2year}% ({result.probability_2year:.4f})",
        f"RAR band for {result.ogrs3_2year}%: {band.label} ({band.ogrs_range})",
        f"Guideline number of RAR days: {guideline}",
        "Caveats:",
        *(f"  - {caveat}" for caveat in CAVEATS),
        f"Source: {SOURCE}",
    ]
    print("\n".join(lines))
