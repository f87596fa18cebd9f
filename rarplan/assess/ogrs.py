"""OGRS3, the Offender Group Reconviction Scale (version 3), from its published formula.

Source: ../shared/reference/ogrs3.md (Howard, Francis, Soothill and Humphreys 2009, Ministry of
Justice research summary 7/09, and the Ministry's public actuarial code). The official score
comes from OASys/nDelius; this is an estimate for checking it, or for when none is to hand.

Pure Python and `math`, no pydantic, so `rarplan ogrs` starts fast. `estimate` takes the case
file's `Ogrs3Inputs` (or anything with the same attributes); `compute` takes plain values.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Protocol

from rarplan.assess.bands import band_for
from rarplan.model.errors import InvalidInput

SOURCE = (
    "OGRS3: Howard, Francis, Soothill and Humphreys (2009), Ministry of Justice research "
    "summary 7/09; the formula of the Ministry's actuarial code"
)

CAVEATS: tuple[str, ...] = (
    "An estimate: the official OGRS3 score comes from OASys/nDelius.",
    "OGRS3 is a static, actuarial score: it does not measure dynamic needs.",
    "OGRS3 is not a good predictor of sexual reoffending (RAR guidance, section 3).",
)

# Intercepts of the two logistic models and the coefficient of the Copas rate.
_INTERCEPT_1YEAR = 1.402562384
_INTERCEPT_2YEAR = 2.121705678
_COPAS = 1.251124464
# S: the current conviction is the first sanction, or there were earlier ones.
_FIRST_SANCTION = 0.126142106
_NOT_FIRST_SANCTION = 0.463062792

ADULT_AGE = 18

# AG: sex and age at the start of follow-up, as (lowest age in the row, coefficient), highest
# row first. Youth rows (10-17) are kept for completeness, but rarplan refuses a follow-up age
# under 18; the reference gives no female rows under 16.
_AGE_ROWS: dict[str, tuple[tuple[int, float], ...]] = {
    "male": (
        (50, -2.0253),
        (40, -1.4997),
        (35, -1.3680),
        (30, -1.3260),
        (25, -1.1667),
        (21, -1.0515),
        (18, -0.6251),
        (16, -0.0616),
        (14, 0.07578),
        (12, 0.08392),
        (10, 0.0),
    ),
    "female": (
        (50, -2.4498),
        (40, -1.5247),
        (35, -1.4219),
        (30, -1.1291),
        (25, -1.0528),
        (21, -1.0285),
        (18, -0.8975),
        (16, -0.9592),
    ),
}


@dataclass(frozen=True)
class OffenceCategory:
    id: str
    label: str
    coefficient: float


# OFF: the offence category of the current offence, by a stable id.
OFFENCES: tuple[OffenceCategory, ...] = (
    OffenceCategory("violence", "Violence", 0.0),
    OffenceCategory("robbery", "Robbery", -0.6348),
    OffenceCategory("public_order", "Public order", 0.1819),
    # The Ministry's own code has 0.0328; one public re-implementation has 0.003276.
    OffenceCategory("sexual_not_child", "Sexual (not against a child)", 0.0328),
    OffenceCategory("sexual_child", "Sexual (against a child)", -0.6534),
    OffenceCategory("soliciting", "Soliciting / prostitution", 0.7606),
    OffenceCategory("burglary_domestic", "Burglary (domestic)", -0.1239),
    OffenceCategory("burglary_other", "Burglary (other)", 0.2406),
    OffenceCategory("theft", "Theft (non-motor)", 0.6612),
    OffenceCategory("handling", "Handling stolen goods", 0.3519),
    OffenceCategory("fraud_forgery", "Fraud and forgery", 0.1599),
    OffenceCategory("absconding_bail", "Absconding / bail offences", 0.7334),
    OffenceCategory("taking_driving_away", "Taking / driving away and related", 0.3801),
    OffenceCategory("theft_from_vehicle", "Theft from a vehicle", 0.4272),
    OffenceCategory("other_motoring", "Other motoring", 0.2622),
    OffenceCategory("drink_driving", "Drink driving", -0.1214),
    OffenceCategory("criminal_damage", "Criminal damage", 0.2050),
    OffenceCategory("drug_import_export_production", "Drug import / export / production", -0.7956),
    OffenceCategory("drug_possession_supply", "Drug possession / supply", 0.0772),
    OffenceCategory("other", "Other", -0.0607),
)
OFFENCE_IDS: tuple[str, ...] = tuple(o.id for o in OFFENCES)
_BY_ID: dict[str, OffenceCategory] = {o.id: o for o in OFFENCES}
_OFFENCE_HINT = "one of: " + ", ".join(OFFENCE_IDS)
SEXES: tuple[str, ...] = ("male", "female")


class Ogrs3InputsLike(Protocol):
    """What `estimate` reads: `rarplan.model.case.Ogrs3Inputs`, or anything shaped like it."""

    @property
    def sex(self) -> str | None: ...
    @property
    def age_at_conviction(self) -> int: ...
    @property
    def age_at_follow_up(self) -> int: ...
    @property
    def sanctions(self) -> int: ...
    @property
    def age_at_first_sanction(self) -> int: ...
    @property
    def offence(self) -> str: ...


@dataclass(frozen=True)
class Ogrs3Result:
    """Both probabilities, unrounded (0 to 1) and as whole percentages, with the inputs used."""

    probability_1year: float
    probability_2year: float
    sex: str
    age_at_conviction: int
    age_at_follow_up: int
    sanctions: int
    age_at_first_sanction: int
    offence: OffenceCategory

    @property
    def ogrs3_1year(self) -> int:
        return whole_percent(self.probability_1year)

    @property
    def ogrs3_2year(self) -> int:
        """The OGRS3 score: the figure the RAR table bands on."""
        return whole_percent(self.probability_2year)

    # Short names for callers that read the result as "the 1-year and 2-year figures".
    one_year = ogrs3_1year
    two_year = ogrs3_2year

    def inputs(self) -> dict[str, object]:
        return {
            "sex": self.sex,
            "age_at_conviction": self.age_at_conviction,
            "age_at_follow_up": self.age_at_follow_up,
            "sanctions": self.sanctions,
            "age_at_first_sanction": self.age_at_first_sanction,
            "offence": self.offence.id,
        }

    def as_dict(self) -> dict[str, object]:
        """The `rarplan ogrs --json` document (without schema_version)."""
        band = band_for(self.ogrs3_2year)
        return {
            "ogrs3_1year": self.ogrs3_1year,
            "ogrs3_2year": self.ogrs3_2year,
            "probabilities": {
                "1year": round(self.probability_1year, 4),
                "2year": round(self.probability_2year, 4),
            },
            "band": band.name,
            "guideline_days": band.guideline_days,
            "inputs": self.inputs(),
            "caveats": list(CAVEATS),
            "source": SOURCE,
        }


def whole_percent(probability: float) -> int:
    """A probability as a whole percentage, rounding halves up (0.165 -> 17)."""
    return math.floor(probability * 100 + 0.5)


def _normalise(offence_id: str) -> str:
    return offence_id.strip().lower().replace("-", "_").replace(" ", "_")


def _unknown_offence(offence_id: str, name: str) -> str:
    import difflib

    nearest = difflib.get_close_matches(_normalise(offence_id), OFFENCE_IDS, n=1, cutoff=0.5)
    suggestion = f"; did you mean {nearest[0]!r}?" if nearest else ""
    return f"{name}: unknown offence category {offence_id!r}{suggestion}"


def offence_category(offence_id: str, name: str = "offence") -> OffenceCategory:
    """The category for a stable id (case and hyphens forgiven); unknown ids suggest the nearest."""
    found = _BY_ID.get(_normalise(offence_id))
    if found is None:
        raise InvalidInput(_unknown_offence(offence_id, name), hint=_OFFENCE_HINT)
    return found


def _age_coefficient(sex: str, age: int) -> float:
    for lowest, coefficient in _AGE_ROWS[sex]:
        if age >= lowest:
            return coefficient
    raise InvalidInput(f"no OGRS3 age coefficient for a {sex} aged {age} at follow-up")


def _problems(
    sex: str | None,
    age_at_conviction: int,
    age_at_follow_up: int,
    sanctions: int,
    age_at_first_sanction: int,
    offence: str,
    name: dict[str, str],
) -> list[str]:
    """Every reason to refuse the inputs, each naming the flag or key to fix."""
    problems: list[str] = []
    if sex not in SEXES:
        given = "missing" if sex is None else f"{sex!r}"
        problems.append(f"{name['sex']}: must be male or female ({given})")
    for key, value in (
        ("age_at_conviction", age_at_conviction),
        ("age_at_follow_up", age_at_follow_up),
        ("age_at_first_sanction", age_at_first_sanction),
    ):
        if value > 120:
            problems.append(f"{name[key]}: {value} is not a plausible age (at most 120)")
    if age_at_conviction < 10:
        problems.append(
            f"{name['age_at_conviction']}: must be at least 10, the age of criminal "
            f"responsibility ({age_at_conviction})"
        )
    if age_at_first_sanction < 10:
        problems.append(
            f"{name['age_at_first_sanction']}: must be at least 10, the age of criminal "
            f"responsibility ({age_at_first_sanction})"
        )
    if age_at_first_sanction > age_at_conviction:
        problems.append(
            f"{name['age_at_first_sanction']}: {age_at_first_sanction} is after the current "
            f"conviction ({name['age_at_conviction']} {age_at_conviction})"
        )
    if age_at_follow_up < age_at_conviction:
        problems.append(
            f"{name['age_at_follow_up']}: {age_at_follow_up} is before the conviction "
            f"({name['age_at_conviction']} {age_at_conviction}); follow-up starts at sentence "
            "or release"
        )
    if age_at_follow_up < ADULT_AGE:
        problems.append(
            f"{name['age_at_follow_up']}: {age_at_follow_up} is under 18; rarplan is for "
            "adults (use the youth justice tools)"
        )
    if sanctions < 1:
        problems.append(
            f"{name['sanctions']}: must be at least 1, counting the current conviction "
            f"({sanctions})"
        )
    elif sanctions > 500:
        problems.append(f"{name['sanctions']}: {sanctions} is not plausible (at most 500)")
    elif sanctions == 1 and 10 <= age_at_first_sanction < age_at_conviction:
        problems.append(
            f"{name['age_at_first_sanction']}: with one sanction the current conviction is the "
            f"first, so it must equal {name['age_at_conviction']} ({age_at_conviction})"
        )
    if _normalise(offence) not in _BY_ID:
        problems.append(_unknown_offence(offence, name["offence"]))
    return problems


FIELDS = (
    "sex",
    "age_at_conviction",
    "age_at_follow_up",
    "sanctions",
    "age_at_first_sanction",
    "offence",
)
FLAG_NAMES: dict[str, str] = {f: "--" + f.replace("_", "-") for f in FIELDS}
KEY_NAMES: dict[str, str] = {f: f"ogrs3.{f}" for f in FIELDS}


def compute(
    *,
    sex: str | None,
    age_at_conviction: int,
    age_at_follow_up: int,
    sanctions: int,
    age_at_first_sanction: int,
    offence: str,
    names: dict[str, str] | None = None,
) -> Ogrs3Result:
    """OGRS3 from plain values; `names` says how to name each input in errors (default: keys).

    Raises InvalidInput listing every problem (the reference's "Reject" list, and adults only).
    """
    name = names or KEY_NAMES
    problems = _problems(
        sex, age_at_conviction, age_at_follow_up, sanctions, age_at_first_sanction, offence, name
    )
    if len(problems) == 1:
        hint = "" if _normalise(offence) in _BY_ID else _OFFENCE_HINT
        raise InvalidInput(problems[0], hint=hint, problems=problems)
    if problems:
        message = f"{len(problems)} problems with the OGRS3 inputs"
        raise InvalidInput(message, hint="each input as `rarplan ogrs` takes it", problems=problems)
    category = offence_category(offence, name["offence"])
    checked_sex = str(sex)  # one of SEXES: checked above

    previous = sanctions - 1  # P: sanctions before the current one
    copas = math.log((1 + previous) / (10 + age_at_conviction - age_at_first_sanction))
    first = _FIRST_SANCTION if previous == 0 else _NOT_FIRST_SANCTION
    x = (
        _COPAS * copas
        + first
        + _age_coefficient(checked_sex, age_at_follow_up)
        + category.coefficient
    )
    return Ogrs3Result(
        probability_1year=_logistic(_INTERCEPT_1YEAR + x),
        probability_2year=_logistic(_INTERCEPT_2YEAR + x),
        sex=checked_sex,
        age_at_conviction=age_at_conviction,
        age_at_follow_up=age_at_follow_up,
        sanctions=sanctions,
        age_at_first_sanction=age_at_first_sanction,
        offence=category,
    )


def estimate(inputs: Ogrs3InputsLike, sex: str | None = None) -> Ogrs3Result:
    """OGRS3 from a case file's `[ogrs3]` table; `sex` is the case's, used if the table has none.

    Errors name the case-file keys (`ogrs3.age_at_first_sanction: ...`).
    """
    chosen = inputs.sex or sex
    if inputs.sex and sex and inputs.sex != sex:
        raise InvalidInput(
            f"ogrs3.sex: {inputs.sex!r} differs from the case's sex {sex!r}",
            hint="leave ogrs3.sex out to use the case's, or correct one of them",
        )
    return compute(
        sex=chosen,
        age_at_conviction=inputs.age_at_conviction,
        age_at_follow_up=inputs.age_at_follow_up,
        sanctions=inputs.sanctions,
        age_at_first_sanction=inputs.age_at_first_sanction,
        offence=inputs.offence,
        names=KEY_NAMES,
    )


def _logistic(z: float) -> float:
    # e^z / (1 + e^z), written to stay finite for large |z|.
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    ez = math.exp(z)
    return ez / (1.0 + ez)
