"""The static 2-year ARP score: the inputs checked as the service checks them, every feature
value worked out with the service's arithmetic, and the result (docs/sources/reference/arp.md,
sections 2 to 6).
"""

from __future__ import annotations

import decimal
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from rarplan.assess.arp.dates import offence_free_months, parse_date, whole_years
from rarplan.assess.arp.reference import (
    AGE_POLYNOMIAL,
    CAREER_BOOST,
    CAVEATS,
    CENT,
    CONVICTION_MONTHS_AFTER_ASSESSMENT,
    COPAS,
    EXACT,
    FEMALE,
    FIRST_SANCTION,
    INTERCEPT,
    MAX_AGE_AT_FIRST_SANCTION,
    MAX_AGE_AT_FOLLOW_UP,
    MAX_SANCTIONS,
    MIN_AGE_AT_FIRST_SANCTION,
    MIN_SANCTIONS,
    OFFENCE_FREE_MONTHS_POLYNOMIAL,
    OFFENCE_IDS,
    RAR_BAND_NOTE,
    ROUNDED,
    SANCTION_OCCASIONS,
    SECOND_SANCTION,
    SECOND_SANCTION_GAP,
    SEXES,
    SOURCE,
    OffenceCategory,
    arp_band,
    known_category,
    unknown_category,
)
from rarplan.assess.bands import Band, band_for
from rarplan.model.dates import add_months
from rarplan.model.errors import InvalidInput

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
    if known_category(category) is None:
        found.append((unknown_category(category), ("offence_category",)))
    return found


def _polynomial(coefficients: tuple[Decimal, ...], x: int) -> Decimal:
    """c1·x + c2·x² + ... with no constant term, exactly."""
    if x == 0:
        return Decimal(0)
    with decimal.localcontext(EXACT):
        return sum(
            (c * Decimal(x) ** power for power, c in enumerate(coefficients, start=1)),
            Decimal(0),
        )


def _logistic(total: Decimal) -> Decimal:
    """e^t / (1 + e^t), to 34 significant digits."""
    with decimal.localcontext(ROUNDED):
        e = total.exp()
        return e / (1 + e)


def percentage(probability: Decimal) -> Decimal:
    """The ARP score: 100·p rounded half-up to 2 places, then sanitised (section 5, steps 2-3).

    At or below 0.00 it is 0.00; at or above 100.00 it is 99.99. (Within the validation limits
    the highest score is 99.99 anyway, and only ages at follow-up of 80 or more reach 0.00.)
    """
    score = (probability * 100).quantize(CENT, rounding=ROUND_HALF_UP)
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
                if known_category(offence_category) is not None
                else "one of: " + ", ".join(OFFENCE_IDS)
            )
            raise InvalidInput(lines[0], needs=inputs, hint=hint, problems=lines)
        raise InvalidInput(
            f"{len(lines)} problems with the ARP inputs", needs=inputs, problems=lines
        )
    category = known_category(offence_category)
    assert category is not None  # refused above otherwise

    age_now = whole_years(dob, conviction)
    aai = whole_years(dob, follow_up)
    gap = age_now - age_at_first_sanction
    ofm = offence_free_months(follow_up, assessment)
    n = sanctions
    zero = Decimal(0)

    copas_rate: Decimal | None = None
    copas_score = copas_squared = zero
    if n >= 3:
        with decimal.localcontext(ROUNDED):
            copas_rate = (Decimal(n) / Decimal(gap + CAREER_BOOST)).ln()
        with decimal.localcontext(EXACT):
            linear, squared = COPAS[sex]
            copas_score = linear * copas_rate
            copas_squared = squared * copas_rate * copas_rate

    with decimal.localcontext(EXACT):
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
