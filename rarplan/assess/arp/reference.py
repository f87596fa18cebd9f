"""The reference's tables for ARP (docs/sources/reference/arp.md, sections 3 to 5): the caveats,
the validation limits, the coefficients as the exact values of the service's double literals,
the 24 offence categories and the ARP bands.
"""

from __future__ import annotations

import decimal
from dataclasses import dataclass
from decimal import Decimal

from rarplan.model.errors import InvalidInput

SOURCE = (
    "All Reoffending Predictor (static), restated in docs/sources/reference/arp.md from the "
    "MoJ's hmpps-arns-risk-actuarial-api (MIT licence, Crown Copyright)"
)

CAVEATS: tuple[str, ...] = (
    "The static (brief) ARP score only: criminal history, age and sex; no dynamic needs.",
    "An estimate: the official ARP score comes from the assessment system (OASys).",
    "The RAR guidance's band table was written for OGRS3; rarplan applies it to ARP, "
    "its successor.",
)

RAR_BAND_NOTE = (
    "The RAR guidance's band table was written for OGRS (OGRS3) and is applied here to its "
    "successor, the All Reoffending Predictor."
)

SEXES: tuple[str, ...] = ("male", "female")

# The inputs, by the keys used in messages, results and (later) case files.
FIELDS: tuple[str, ...] = (
    "sex",
    "date_of_birth",
    "conviction_date",
    "follow_up_date",
    "assessment_date",
    "age_at_first_sanction",
    "sanctions",
    "offence_category",
)

# Limits of the service's validation (reference section 5, "Validation").
MIN_SANCTIONS, MAX_SANCTIONS = 1, 999
MIN_AGE_AT_FIRST_SANCTION, MAX_AGE_AT_FIRST_SANCTION = 0, 109
MAX_AGE_AT_FOLLOW_UP = 109  # an age at follow-up of 110 or more is refused
CONVICTION_MONTHS_AFTER_ASSESSMENT = 3
OFFENCE_FREE_MONTHS_CAP = 36  # reference section 2
CAREER_BOOST = 26  # reference section 3: added to the career length inside the Copas rate

# The 34 significant digits of the service's division, ln and exp (DECIMAL128).
ROUNDED = decimal.Context(prec=34, rounding=decimal.ROUND_HALF_EVEN)
# Wide enough that every sum and product of the terms below is exact, as in BigDecimal.
EXACT = decimal.Context(prec=400, rounding=decimal.ROUND_HALF_EVEN, Emax=999, Emin=-999)
CENT = Decimal("0.01")


def _double(value: float) -> Decimal:
    """The exact value of a double literal, as the service's BigDecimal(double) has it."""
    return Decimal(value)


# Reference section 3: the coefficients, by the service's labels.
INTERCEPT = _double(5.01702292499072)  # Intercept_2
AGE_POLYNOMIAL: dict[str, tuple[Decimal, Decimal, Decimal, Decimal]] = {
    # a1..a4 of P_sex(aai): maleaai ... maleaaiaaiaaiaai
    "male": (
        _double(-0.142428460338541),
        _double(0.0011000413899151),
        _double(0.0000198538471606),
        _double(-0.0000002648918335),
    ),
    # aaifemale ... aaiaaiaaiaaifemale
    "female": (
        _double(-0.0175014516689226),
        _double(0.0001625346907234),
        _double(0.0000003645241305),
        _double(-0.0000000746220588),
    ),
}
FEMALE = _double(-2.95224200717183)  # female
FIRST_SANCTION = _double(-3.94357049933093)  # firstsanction, n = 1
SECOND_SANCTION = _double(-3.06189212045904)  # secondsanction, n = 2
SANCTION_OCCASIONS = _double(-0.0042757301284995)  # ogrs3_sanctionoccasions, times n
SECOND_SANCTION_GAP: dict[str, Decimal] = {  # n = 2, times the years since the first sanction
    "male": _double(-0.0432051839161834),  # malesecondsanctionyearssincefirs
    "female": _double(-0.0427998315841607),  # femalesecondsanctionyearssincefi
}
OFFENCE_FREE_MONTHS_POLYNOMIAL: tuple[Decimal, Decimal, Decimal, Decimal] = (
    _double(-0.0762086223169624),  # ofm
    _double(0.0016230134182902),  # ofmofm
    _double(0.0000224473135387),  # ofmofmofm
    _double(-0.0000012808638685),  # ofmofmofmofm
)
COPAS: dict[str, tuple[Decimal, Decimal]] = {  # n >= 3: times L and L squared
    "male": (_double(1.55298303083717), _double(0.129334968245905)),
    "female": (_double(1.01980307124196), _double(-0.039439197041062)),
}


@dataclass(frozen=True)
class OffenceCategory:
    id: str  # a stable, lower-case id for the command line and case files
    service_name: str  # the service's ActuarialCategory
    label: str
    weight: Decimal  # W, an exact decimal in the service


# Reference section 4. The five VATP categories share one weight; Robbery has its own.
_ID_SPELLING = {"PUBLIC_ORDER_AND_HARRASSMENT": "public_order_and_harassment"}
OFFENCE_CATEGORIES: tuple[OffenceCategory, ...] = tuple(
    OffenceCategory(_ID_SPELLING.get(name, name.lower()), name, label, Decimal(weight))
    for name, label, weight in (
        ("ABSCONDING_OR_BAIL", "Absconding or bail offences", "0.325485504296161"),
        ("ACQUISITIVE_VIOLENCE", "Acquisitive violence (robbery)", "-0.119211282701221"),
        ("BURGLARY_DOMESTIC", "Burglary (domestic)", "0.155944202809011"),
        ("BURGLARY_OTHER", "Burglary (other)", "0.2060248043228"),
        ("CRIMINAL_DAMAGE", "Criminal damage", "0.12167599899735"),
        ("DRINK_DRIVING", "Drink driving", "-0.264724530382273"),
        (
            "DRUG_IMPORT_EXPORT_OR_PRODUCTION",
            "Drug import, export or production",
            "-0.468252524851408",
        ),
        ("DRUG_POSSESSION_OR_SUPPLY", "Drug possession or supply", "0.0204101986121863"),
        ("DRUNKENNESS", "Drunkenness", "0.587490417262633"),
        ("FRAUD_AND_FORGERY", "Fraud and forgery", "-0.434791453303048"),
        ("HANDLING_STOLEN_GOODS", "Handling stolen goods", "0.088414958679896"),
        ("MOTORING_OFFENCES", "Motoring offences (not drink driving)", "-0.0439980822830184"),
        ("OTHER_OFFENCES", "Other offences", "0.0384434393037725"),
        # The service spells it HARRASSMENT; the id is spelt right and both are accepted.
        ("PUBLIC_ORDER_AND_HARRASSMENT", "Public order and harassment", "0.0854410288820027"),
        ("SEXUAL_AGAINST_CHILD", "Sexual (against a child)", "0.111620464721896"),
        ("SEXUAL_NOT_AGAINST_CHILD", "Sexual (not against a child)", "0.169969798103235"),
        ("THEFT_NON_MOTOR", "Theft (non-motor)", "0.462548123919817"),
        ("VEHICLE_RELATED_THEFT", "Vehicle-related theft", "0.173405416410866"),
        ("WELFARE_FRAUD", "Welfare fraud", "-1.15395495579948"),
        (
            "VIOLENCE_AGAINST_THE_PERSON_ABH_PLUS",
            "Violence against the person (ABH or more)",
            "-0.110075583936778",
        ),
        (
            "VIOLENCE_AGAINST_THE_PERSON_SUB_ABH",
            "Violence against the person (less than ABH)",
            "-0.110075583936778",
        ),
        ("WEAPONS_NON_FIREARM", "Weapons (not firearms)", "-0.110075583936778"),
        ("FIREARMS_MOST_SERIOUS", "Firearms (most serious)", "-0.110075583936778"),
        ("FIREARMS_OTHER", "Firearms (other)", "-0.110075583936778"),
    )
)
OFFENCE_IDS: tuple[str, ...] = tuple(c.id for c in OFFENCE_CATEGORIES)
_BY_ID: dict[str, OffenceCategory] = {
    **{c.service_name.lower(): c for c in OFFENCE_CATEGORIES},
    **{c.id: c for c in OFFENCE_CATEGORIES},
}


# --- ARP bands (reference section 5, step 4: compared after rounding) ------------------------

ARP_BANDS: tuple[tuple[str, Decimal], ...] = (  # (band, lowest score in it), highest first
    ("VERY_HIGH", Decimal(90)),
    ("HIGH", Decimal(75)),
    ("MEDIUM", Decimal(50)),
    ("LOW", Decimal(0)),
)
ARP_BAND_RANGES: dict[str, str] = {
    "LOW": "below 50%",
    "MEDIUM": "50% to below 75%",
    "HIGH": "75% to below 90%",
    "VERY_HIGH": "90% or more",
}


def arp_band(score: Decimal) -> str:
    """The ARP band of a rounded score: LOW, MEDIUM, HIGH or VERY_HIGH."""
    for name, lowest in ARP_BANDS:
        if score >= lowest:
            return name
    raise InvalidInput(f"no ARP band for a score of {score}", hint="the score runs from 0 to 100")


# --- Offence categories ----------------------------------------------------------------------


def _normalise(category: str) -> str:
    return category.strip().lower().replace("-", "_").replace(" ", "_")


def known_category(category: str) -> OffenceCategory | None:
    """The category for an id or the service's name, or None (no error: for validation)."""
    return _BY_ID.get(_normalise(category))


def unknown_category(category: str) -> str:
    """The message for a category not in the table, with the nearest id."""
    import difflib

    nearest = difflib.get_close_matches(_normalise(category), OFFENCE_IDS, n=1, cutoff=0.5)
    suggestion = f"; did you mean {nearest[0]!r}?" if nearest else ""
    return f"offence_category: unknown offence category {category!r}{suggestion}"


def offence_category(category: str) -> OffenceCategory:
    """The category for an id or the service's name (case, hyphens and spaces forgiven)."""
    found = _BY_ID.get(_normalise(category))
    if found is None:
        raise InvalidInput(
            unknown_category(category),
            needs=("offence_category",),
            hint="one of: " + ", ".join(OFFENCE_IDS),
        )
    return found
