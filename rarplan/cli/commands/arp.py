"""`rarplan arp`: estimate the static 2-year All Reoffending Predictor score, and band it."""

from __future__ import annotations

from typing import Annotated

import typer

from rarplan.cli.options import JsonOption, QuietOption

# Written out so `--help` needs no domain import; a test checks it against OFFENCE_IDS.
CATEGORY_HELP = (
    "Category of the current offence, one of: absconding_or_bail, acquisitive_violence "
    "(robbery), burglary_domestic, burglary_other, criminal_damage, drink_driving, "
    "drug_import_export_or_production, drug_possession_or_supply, drunkenness, "
    "fraud_and_forgery, handling_stolen_goods, motoring_offences, other_offences, "
    "public_order_and_harassment, sexual_against_child, sexual_not_against_child, "
    "theft_non_motor, vehicle_related_theft, welfare_fraud, "
    "violence_against_the_person_abh_plus, violence_against_the_person_sub_abh, "
    "weapons_non_firearm, firearms_most_serious, firearms_other."
)
DATE = "DATE"
DATE_HELP = "YYYY-MM-DD or DD/MM/YYYY"


def arp(
    sex: Annotated[str, typer.Option("--sex", metavar="male|female", help="male or female.")],
    date_of_birth: Annotated[
        str, typer.Option("--date-of-birth", metavar=DATE, help=f"Date of birth ({DATE_HELP}).")
    ],
    conviction_date: Annotated[
        str,
        typer.Option(
            "--conviction-date",
            metavar=DATE,
            help=f"Date of the current conviction or sanction ({DATE_HELP}).",
        ),
    ],
    age_at_first_sanction: Annotated[
        int,
        typer.Option(
            "--age-at-first-sanction",
            metavar="YEARS",
            help="Age at the first caution or conviction, in whole years (0 to 109).",
        ),
    ],
    sanctions: Annotated[
        int,
        typer.Option(
            "--sanctions",
            metavar="N",
            help="Cautions and convictions in all, counting the current one (1 to 999).",
        ),
    ],
    offence_category: Annotated[
        str, typer.Option("--offence-category", metavar="CATEGORY", help=CATEGORY_HELP)
    ],
    follow_up_date: Annotated[
        str | None,
        typer.Option(
            "--follow-up-date",
            metavar=DATE,
            help="Start of follow-up in the community: the start of the community sentence, "
            f"or release from custody ({DATE_HELP}; default: the conviction date).",
        ),
    ] = None,
    assessment_date: Annotated[
        str | None,
        typer.Option(
            "--assessment-date",
            metavar=DATE,
            help=f"Date of the assessment ({DATE_HELP}; default: today).",
        ),
    ] = None,
    json_output: JsonOption = False,
    quiet: QuietOption = False,
) -> None:
    """Estimate the static 2-year All Reoffending Predictor (ARP) score, the successor of OGRS3.

    Prints the 2-year percentage, the ARP band, and the RAR band and guideline days it falls in
    (the RAR guidance's table was written for OGRS3). The official score comes from the
    assessment system: use this to check it or when none is to hand.

    Example: rarplan arp --sex male --date-of-birth 1990-01-01 --conviction-date 2024-01-01 --follow-up-date 2026-01-01 --assessment-date 2025-01-01 --age-at-first-sanction 18 --sanctions 2 --offence-category criminal_damage
    """  # noqa: E501 (the example is one command line, as typed)
    from datetime import date

    from rarplan.assess.arp import ARP_BAND_RANGES, CAVEATS, SOURCE, compute
    from rarplan.cli.output import emit_json

    # A refusal's `needs` names the inputs to correct; the CLI words them as these flags.
    result = compute(
        sex=sex,
        date_of_birth=date_of_birth,
        conviction_date=conviction_date,
        follow_up_date=follow_up_date,
        assessment_date=date.today() if assessment_date is None else assessment_date,
        age_at_first_sanction=age_at_first_sanction,
        sanctions=sanctions,
        offence_category=offence_category,
    )
    if json_output:
        emit_json(result.as_dict())
        return
    rar = result.rar_band
    days = rar.band.guideline_days
    guideline = f"{days['min']} to {days['max']} days" if days else "none (no RAR)"
    copas = "" if result.copas_rate is None else f"; Copas rate {float(result.copas_rate):.6f}"
    lines = [
        f"ARP static 2-year: {result.score}%",
        f"ARP band: {result.band} ({ARP_BAND_RANGES[result.band]})",
        f"RAR band for {result.score}%: {rar.band.label} ({rar.band.ogrs_range})",
        f"Guideline number of RAR days: {guideline}",
        f"Ages: {result.age_at_conviction} at conviction, {result.age_at_follow_up} at the start "
        f"of follow-up; {result.years_since_first_sanction} years since the first sanction; "
        f"{result.offence_free_months} offence-free months{copas}",
        f"Offence category: {result.offence_category.label} "
        f"({result.offence_category.service_name})",
        "Caveats:",
        *(f"  - {caveat}" for caveat in CAVEATS),
        f"Source: {SOURCE}",
    ]
    print("\n".join(lines))
