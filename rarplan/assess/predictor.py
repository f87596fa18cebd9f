"""The 2-year score the RAR guidance's band table is applied to (docs/predictors.md, "In a case
file"): OGRS3's or the All Reoffending Predictor's, given or estimated from the case's inputs,
with the warnings an officer should see (estimated; ARP's note; the two in different bands).
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from rarplan.assess.bands import band_for
from rarplan.model.case import Case
from rarplan.model.errors import InvalidInput


class Predictor(NamedTuple):
    """The 2-year % the band table is applied to, which predictor gave it, and the warnings."""

    score: float
    estimated: bool
    name: str  # "ogrs3" | "arp" (the plan's `predictor`)
    warnings: list[str]


def predictor_of(case: Case, source: str, today: date | None = None) -> Predictor:
    """The 2-year score the band table is applied to (docs/predictors.md, "In a case file").

    A score given wins over an estimate, and ARP, the predictor in use since 2026, over OGRS3;
    given both and falling in different bands, a warning names both.
    """
    ogrs: tuple[float, bool] | None = None
    arp: tuple[float, bool] | None = None
    if case.scores.ogrs is not None:
        ogrs = (case.scores.ogrs, False)
    elif case.ogrs3 is not None:
        from rarplan.assess.ogrs import estimate

        ogrs = (float(estimate(case.ogrs3, case.ogrs3.sex or case.sex).two_year), True)
    if case.scores.arp is not None:
        arp = (case.scores.arp, False)
    elif case.arp is not None:
        arp = (_arp_estimate(case, source, today), True)
    if arp is None and ogrs is None:
        raise InvalidInput(
            f"{source}: scores.ogrs: required (the OGRS3 2-year %, 0-100), or scores.arp "
            "(the All Reoffending Predictor's)",
            hint="or give [arp] or [ogrs3] inputs for an estimate, as `rarplan arp` and "
            "`rarplan ogrs` take them",
        )
    if arp is not None and (ogrs is None or ogrs[1] or not arp[1]):
        name, (score, estimated) = "arp", arp
    else:
        assert ogrs is not None
        name, (score, estimated) = "ogrs3", ogrs
    warnings: list[str] = []
    if estimated:
        table, service = (
            ("[arp]", "the assessment system") if name == "arp" else ("[ogrs3]", "OASys")
        )
        label = "ARP" if name == "arp" else "OGRS"
        warnings.append(
            f"{label} {score:g}% is estimated from {table} inputs; the official score comes "
            f"from {service}."
        )
    if name == "arp":
        from rarplan.assess.arp import RAR_BAND_NOTE

        warnings.append(f"ARP {score:g}% is the All Reoffending Predictor: {RAR_BAND_NOTE}")
    if arp is not None and ogrs is not None:
        arp_band, ogrs_band = band_for(arp[0]), band_for(ogrs[0])
        if arp_band.name != ogrs_band.name:
            warnings.append(
                f"ARP {arp[0]:g}% and OGRS3 {ogrs[0]:g}% fall in different bands of the "
                f"guidance's table ({arp_band.label or arp_band.name} against "
                f"{ogrs_band.label or ogrs_band.name}); the band follows "
                f"{'ARP' if name == 'arp' else 'OGRS3'}: check which score is current."
            )
    return Predictor(score, estimated, name, warnings)


def _arp_estimate(case: Case, source: str, today: date | None) -> float:
    from rarplan.assess.arp import compute

    inputs = case.arp
    assert inputs is not None
    sex = inputs.sex or case.sex
    born = inputs.date_of_birth or case.date_of_birth
    if sex is None or born is None:
        missing = [k for k, v in (("sex", sex), ("date_of_birth", born)) if v is None]
        raise InvalidInput(
            f"{source}: arp: {' and '.join(missing)} required for the ARP estimate "
            "(in [arp] or the case's own)"
        )
    try:
        result = compute(
            sex=sex,
            date_of_birth=born,
            conviction_date=inputs.conviction_date,
            follow_up_date=inputs.follow_up_date,
            assessment_date=inputs.assessment_date or today or date.today(),
            age_at_first_sanction=inputs.age_at_first_sanction,
            sanctions=inputs.sanctions,
            offence_category=inputs.offence_category,
        )
    except InvalidInput as err:
        raise InvalidInput(f"{source}: arp: {err.message}", hint=err.hint) from None
    return float(result.score)


def ogrs_of(case: Case, source: str) -> tuple[float, bool]:
    """The 2-year score the band table is applied to, and whether it is estimated."""
    found = predictor_of(case, source)
    return found.score, found.estimated
