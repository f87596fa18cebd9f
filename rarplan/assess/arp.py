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
"""

from __future__ import annotations

import decimal
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from rarplan.assess.bands import Band, band_for
from rarplan.model import dates
from rarplan.model.dates import add_months
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
_ROUNDED = decimal.Context(prec=34, rounding=decimal.ROUND_HALF_EVEN)
# Wide enough that every sum and product of the terms below is exact, as in BigDecimal.
_EXACT = decimal.Context(prec=400, rounding=decimal.ROUND_HALF_EVEN, Emax=999, Emin=-999)
_CENT = Decimal("0.01")


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


# --- Dates (reference section 2) -------------------------------------------------------------


def whole_years(start: date, end: date) -> int:
    """Whole years from `start` to `end` (java.time Period.between(...).years).

    A birthday on 29 February is reached on 1 March in a non-leap year: on 28 February the
    person is still the younger age.
    """
    return end.year - start.year - ((end.month, end.day) < (start.month, start.day))


def whole_months(start: date, end: date) -> int:
    """Whole months from `start` to `end` (java.time ChronoUnit.MONTHS.between), `end` >= `start`.

    A month counts only when the day of the month is reached again: 31 Jan to 28 Feb is 0.
    """
    return (end.year - start.year) * 12 + (end.month - start.month) - (end.day < start.day)


def offence_free_months(follow_up_date: date, assessment_date: date) -> int:
    """Whole months in the community by the assessment, capped at 36; 0 before follow-up."""
    if assessment_date < follow_up_date:
        return 0
    return min(whole_months(follow_up_date, assessment_date), OFFENCE_FREE_MONTHS_CAP)


def parse_date(value: str | date, name: str) -> date:
    """A date given as YYYY-MM-DD or DD/MM/YYYY; refused naming the input otherwise."""
    try:
        parsed = dates.parse_date(value)
    except ValueError as exc:
        raise InvalidInput(f"{name}: {exc}", needs=(name,)) from None
    if not isinstance(parsed, date):
        raise InvalidInput(f"{name}: {value!r} is not a date", needs=(name,))
    return parsed


# --- Offence categories ----------------------------------------------------------------------


def _normalise(category: str) -> str:
    return category.strip().lower().replace("-", "_").replace(" ", "_")


def _unknown_category(category: str) -> str:
    import difflib

    nearest = difflib.get_close_matches(_normalise(category), OFFENCE_IDS, n=1, cutoff=0.5)
    suggestion = f"; did you mean {nearest[0]!r}?" if nearest else ""
    return f"offence_category: unknown offence category {category!r}{suggestion}"


def offence_category(category: str) -> OffenceCategory:
    """The category for an id or the service's name (case, hyphens and spaces forgiven)."""
    found = _BY_ID.get(_normalise(category))
    if found is None:
        raise InvalidInput(
            _unknown_category(category),
            needs=("offence_category",),
            hint="one of: " + ", ".join(OFFENCE_IDS),
        )
    return found


# --- The result ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ArpFeatures:
    """Every term of the linear predictor, by the service's output names (reference section 6)."""

    two_year_intercept_weight: Decimal
    age_gender_polynomial_weight: Decimal
    gender_weight: Decimal
    offence_group_weight: Decimal
    first_sanction_weight: Decimal
    second_sanction_weight: Decimal
    total_number_of_sanctions_for_all_offences_weight: Decimal
    second_sanction_gap_weight: Decimal
    offence_free_months_weight: Decimal
    copas_score: Decimal
    copas_score_squared: Decimal
    total_weight: Decimal

    def as_dict(self) -> dict[str, float]:
        return {key: float(value) for key, value in vars(self).items()}


@dataclass(frozen=True)
class RarBandForArp:
    """The RAR guidance's band for an ARP 2-year %, with the note that it was written for OGRS."""

    arp_2year: Decimal
    band: Band
    note: str = RAR_BAND_NOTE

    def as_dict(self) -> dict[str, object]:
        return {
            "band": self.band.name,
            "label": self.band.label,
            "range": self.band.ogrs_range,
            "guideline_days": self.band.guideline_days,
            "note": self.note,
        }


def rar_band_for_arp(arp_2year: Decimal | float) -> RarBandForArp:
    """The RAR band and guideline days for an ARP 2-year %, through the guidance's OGRS table."""
    score = Decimal(str(arp_2year)) if isinstance(arp_2year, float) else arp_2year
    return RarBandForArp(score, band_for(float(score)))


@dataclass(frozen=True)
class ArpResult:
    """The static 2-year ARP score with every input, derived quantity and feature value."""

    sex: str
    date_of_birth: date
    conviction_date: date
    follow_up_date: date
    follow_up_date_given: bool
    assessment_date: date
    age_at_first_sanction: int
    sanctions: int
    offence_category: OffenceCategory
    age_at_conviction: int  # ageNow
    age_at_follow_up: int  # aai, the age the polynomial uses
    years_since_first_sanction: int  # gap
    offence_free_months: int  # ofm
    copas_rate: Decimal | None  # L, only when sanctions >= 3
    features: ArpFeatures
    probability: Decimal  # unrounded, 0 to 1
    score: Decimal  # the ARP 2-year percentage, 2 decimal places

    @property
    def arp_2year(self) -> Decimal:
        """The ARP static 2-year percentage, e.g. 13.66."""
        return self.score

    @property
    def band(self) -> str:
        """The ARP band: LOW, MEDIUM, HIGH or VERY_HIGH."""
        return arp_band(self.score)

    @property
    def rar_band(self) -> RarBandForArp:
        return rar_band_for_arp(self.score)

    def inputs(self) -> dict[str, object]:
        return {
            "sex": self.sex,
            "date_of_birth": self.date_of_birth.isoformat(),
            "conviction_date": self.conviction_date.isoformat(),
            "follow_up_date": self.follow_up_date.isoformat(),
            "follow_up_date_given": self.follow_up_date_given,
            "assessment_date": self.assessment_date.isoformat(),
            "age_at_first_sanction": self.age_at_first_sanction,
            "sanctions": self.sanctions,
            "offence_category": self.offence_category.id,
        }

    def derived(self) -> dict[str, object]:
        return {
            "age_at_conviction": self.age_at_conviction,
            "age_at_follow_up": self.age_at_follow_up,
            "years_since_first_sanction": self.years_since_first_sanction,
            "offence_free_months": self.offence_free_months,
            "copas_rate": None if self.copas_rate is None else float(self.copas_rate),
            "offence_category_service_name": self.offence_category.service_name,
        }

    def as_dict(self) -> dict[str, object]:
        """The `rarplan arp --json` document (without schema_version)."""
        return {
            "predictor": "arp",
            "arp_2year": float(self.score),
            "probability_2year": float(self.probability),
            "arp_band": self.band,
            "rar_band": self.rar_band.as_dict(),
            "inputs": self.inputs(),
            "derived": self.derived(),
            "features": self.features.as_dict(),
            "caveats": list(CAVEATS),
            "source": SOURCE,
        }


# --- Validation and the score ----------------------------------------------------------------


def _problems(
    sex: str,
    dob: date,
    conviction: date,
    follow_up: date,
    follow_up_given: bool,
    assessment: date,
    age_at_first_sanction: int,
    sanctions: int,
    category: str,
) -> list[tuple[str, tuple[str, ...]]]:
    """Every reason the service would refuse the inputs (reference section 5, "Validation")."""
    found: list[tuple[str, tuple[str, ...]]] = []
    if sex not in SEXES:
        found.append((f"sex: must be male or female, not {sex!r}", ("sex",)))
    if not MIN_SANCTIONS <= sanctions <= MAX_SANCTIONS:
        found.append(
            (
                f"sanctions: must be from {MIN_SANCTIONS} to {MAX_SANCTIONS}, counting the "
                f"current one ({sanctions})",
                ("sanctions",),
            )
        )
    if not MIN_AGE_AT_FIRST_SANCTION <= age_at_first_sanction <= MAX_AGE_AT_FIRST_SANCTION:
        found.append(
            (
                f"age_at_first_sanction: must be from {MIN_AGE_AT_FIRST_SANCTION} to "
                f"{MAX_AGE_AT_FIRST_SANCTION} ({age_at_first_sanction})",
                ("age_at_first_sanction",),
            )
        )
    if conviction <= dob:
        found.append(
            (
                f"conviction_date: {conviction} must be after date_of_birth {dob}",
                ("conviction_date", "date_of_birth"),
            )
        )
    elif (
        MIN_AGE_AT_FIRST_SANCTION <= age_at_first_sanction <= MAX_AGE_AT_FIRST_SANCTION
        and whole_years(dob, conviction) < age_at_first_sanction
    ):
        found.append(
            (
                f"age_at_first_sanction: {age_at_first_sanction} is older than the age at the "
                f"current conviction ({whole_years(dob, conviction)} on {conviction}); it must "
                "be that age or younger",
                ("age_at_first_sanction", "conviction_date"),
            )
        )
    latest = add_months(assessment, CONVICTION_MONTHS_AFTER_ASSESSMENT)
    if conviction > latest:
        found.append(
            (
                f"conviction_date: {conviction} is more than "
                f"{CONVICTION_MONTHS_AFTER_ASSESSMENT} months after assessment_date "
                f"{assessment}; it must be on or before {latest}",
                ("conviction_date", "assessment_date"),
            )
        )
    # Without a follow-up date the conviction date stands in: its own checks name it.
    at_risk = "follow_up_date" if follow_up_given else "conviction_date"
    if follow_up <= dob:
        if follow_up_given:
            found.append(
                (
                    f"follow_up_date: {follow_up} must be after date_of_birth {dob}",
                    ("follow_up_date", "date_of_birth"),
                )
            )
    elif whole_years(dob, follow_up) > MAX_AGE_AT_FOLLOW_UP:
        found.append(
            (
                f"{at_risk}: the age at the start of follow-up ({whole_years(dob, follow_up)} on "
                f"{follow_up}) must be under {MAX_AGE_AT_FOLLOW_UP + 1}",
                (at_risk, "date_of_birth"),
            )
        )
    if _normalise(category) not in _BY_ID:
        found.append((_unknown_category(category), ("offence_category",)))
    return found


def _polynomial(coefficients: tuple[Decimal, ...], x: int) -> Decimal:
    """c1·x + c2·x² + ... with no constant term, exactly."""
    if x == 0:
        return Decimal(0)
    with decimal.localcontext(_EXACT):
        return sum(
            (c * Decimal(x) ** power for power, c in enumerate(coefficients, start=1)),
            Decimal(0),
        )


def _logistic(total: Decimal) -> Decimal:
    """e^t / (1 + e^t), to 34 significant digits."""
    with decimal.localcontext(_ROUNDED):
        e = total.exp()
        return e / (1 + e)


def percentage(probability: Decimal) -> Decimal:
    """The ARP score: 100·p rounded half-up to 2 places, then sanitised (section 5, steps 2-3).

    At or below 0.00 it is 0.00; at or above 100.00 it is 99.99. (Within the validation limits
    the highest score is 99.99 anyway, and only ages at follow-up of 80 or more reach 0.00.)
    """
    score = (probability * 100).quantize(_CENT, rounding=ROUND_HALF_UP)
    if score >= 100:
        return Decimal("99.99")
    return max(score, Decimal("0.00"))


def compute(
    *,
    sex: str,
    date_of_birth: str | date,
    conviction_date: str | date,
    follow_up_date: str | date | None = None,
    assessment_date: str | date,
    age_at_first_sanction: int,
    sanctions: int,
    offence_category: str,
) -> ArpResult:
    """The static 2-year ARP score from plain values (dates as `date` or YYYY-MM-DD strings).

    The follow-up date defaults to the conviction date (reference section 1). Raises
    InvalidInput listing every input the service would refuse, `needs` naming them.
    """
    dob = parse_date(date_of_birth, "date_of_birth")
    conviction = parse_date(conviction_date, "conviction_date")
    given = follow_up_date is not None
    follow_up = (
        conviction if follow_up_date is None else parse_date(follow_up_date, "follow_up_date")
    )
    assessment = parse_date(assessment_date, "assessment_date")
    sex = sex.strip().lower()

    problems = _problems(
        sex,
        dob,
        conviction,
        follow_up,
        given,
        assessment,
        age_at_first_sanction,
        sanctions,
        offence_category,
    )
    if problems:
        inputs = tuple(dict.fromkeys(name for _, names in problems for name in names))
        lines = [line for line, _ in problems]
        if len(lines) == 1:
            hint = (
                ""
                if _normalise(offence_category) in _BY_ID
                else "one of: " + ", ".join(OFFENCE_IDS)
            )
            raise InvalidInput(lines[0], needs=inputs, hint=hint, problems=lines)
        raise InvalidInput(
            f"{len(lines)} problems with the ARP inputs", needs=inputs, problems=lines
        )
    category = _BY_ID[_normalise(offence_category)]

    age_now = whole_years(dob, conviction)
    aai = whole_years(dob, follow_up)
    gap = age_now - age_at_first_sanction
    ofm = offence_free_months(follow_up, assessment)
    n = sanctions
    zero = Decimal(0)

    copas_rate: Decimal | None = None
    copas_score = copas_squared = zero
    if n >= 3:
        with decimal.localcontext(_ROUNDED):
            copas_rate = (Decimal(n) / Decimal(gap + CAREER_BOOST)).ln()
        with decimal.localcontext(_EXACT):
            linear, squared = COPAS[sex]
            copas_score = linear * copas_rate
            copas_squared = squared * copas_rate * copas_rate

    with decimal.localcontext(_EXACT):
        features_without_total = {
            "two_year_intercept_weight": INTERCEPT,
            "age_gender_polynomial_weight": _polynomial(AGE_POLYNOMIAL[sex], aai),
            "gender_weight": FEMALE if sex == "female" else zero,
            "offence_group_weight": category.weight,
            "first_sanction_weight": FIRST_SANCTION if n == 1 else zero,
            "second_sanction_weight": SECOND_SANCTION if n == 2 else zero,
            "total_number_of_sanctions_for_all_offences_weight": SANCTION_OCCASIONS * n,
            "second_sanction_gap_weight": SECOND_SANCTION_GAP[sex] * gap if n == 2 else zero,
            "offence_free_months_weight": _polynomial(OFFENCE_FREE_MONTHS_POLYNOMIAL, ofm),
            "copas_score": copas_score,
            "copas_score_squared": copas_squared,
        }
        total = sum(features_without_total.values(), zero)
    features = ArpFeatures(**features_without_total, total_weight=total)

    probability = _logistic(total)
    score = percentage(probability)
    if score <= 0:  # no band for 0.00, so the service gives no score
        raise InvalidInput(
            "no ARP score: the 2-year score rounds to 0.00%, which the service refuses",
            hint="check the dates and ages; the official score comes from the assessment system",
        )
    return ArpResult(
        sex=sex,
        date_of_birth=dob,
        conviction_date=conviction,
        follow_up_date=follow_up,
        follow_up_date_given=given,
        assessment_date=assessment,
        age_at_first_sanction=age_at_first_sanction,
        sanctions=n,
        offence_category=category,
        age_at_conviction=age_now,
        age_at_follow_up=aai,
        years_since_first_sanction=gap,
        offence_free_months=ofm,
        copas_rate=copas_rate,
        features=features,
        probability=probability,
        score=score,
    )
