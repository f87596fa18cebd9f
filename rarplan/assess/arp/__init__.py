"""ARP, the All Reoffending Predictor: its static (brief) 2-year score, from the reference.

Source: ../shared/reference/arp.md, restated from the MoJ's public repository
ministryofjustice/hmpps-arns-risk-actuarial-api (MIT licence, Crown Copyright). ARP is built on
OGRS4/G and replaced OGRS3 in the MoJ's actuarial risk service in mid-2026. The official score
comes from the assessment system (OASys); this is an estimate for checking it.

The arithmetic is the service's (reference section 5, "Numerics"): the coefficients are the exact
values of their double literals, sums and products are exact, and division, `ln` and `exp` use 34
significant digits; the score is rounded half-up to 2 decimal places. Standard library only, so
`rarplan arp` starts fast. `compute` takes plain values and raises `InvalidInput` naming each
input by its key (`date_of_birth`), never by a command-line flag; the error's `needs` lists the
inputs to correct, and the CLI words them as flags.

The package: `reference` (the tables: coefficients, offence categories, bands, limits),
`dates` (the date rules) and `score` (validation, the features, the result); the names below
are its interface.
"""

from __future__ import annotations

from rarplan.assess.arp.dates import (
    offence_free_months,
    parse_date,
    whole_months,
    whole_years,
)
from rarplan.assess.arp.reference import (
    ARP_BAND_RANGES,
    ARP_BANDS,
    CAVEATS,
    FIELDS,
    OFFENCE_CATEGORIES,
    OFFENCE_IDS,
    RAR_BAND_NOTE,
    SEXES,
    SOURCE,
    OffenceCategory,
    arp_band,
    offence_category,
)
from rarplan.assess.arp.score import (
    ArpFeatures,
    ArpResult,
    RarBandForArp,
    compute,
    percentage,
    rar_band_for_arp,
)

__all__ = [
    "ARP_BANDS",
    "ARP_BAND_RANGES",
    "CAVEATS",
    "FIELDS",
    "OFFENCE_CATEGORIES",
    "OFFENCE_IDS",
    "RAR_BAND_NOTE",
    "SEXES",
    "SOURCE",
    "ArpFeatures",
    "ArpResult",
    "OffenceCategory",
    "RarBandForArp",
    "arp_band",
    "compute",
    "offence_category",
    "offence_free_months",
    "parse_date",
    "percentage",
    "rar_band_for_arp",
    "whole_months",
    "whole_years",
]
