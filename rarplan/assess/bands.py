"""OGRS score to RAR intensity band and guideline days.

Source: ../shared/seeds/001_246201b7ec5ee73b.txt, section 3, the table "OGRS score / Average
number of needs / RAR intensity / Guideline number of RAR days". Pure Python with no imports
beyond the standard library, so `rarplan band` starts fast.
"""

from __future__ import annotations

from typing import NamedTuple

from rarplan.model.errors import InvalidInput

SOURCE = "001_246201b7ec5ee73b.txt, section 3 (Assessing rehabilitative needs)"


class Band(NamedTuple):
    name: str  # none | low | medium | high
    label: str
    ogrs_range: str
    average_needs: float
    guideline_min: int | None
    guideline_max: int | None

    @property
    def guideline_days(self) -> dict[str, int] | None:
        if self.guideline_min is None or self.guideline_max is None:
            return None
        return {"min": self.guideline_min, "max": self.guideline_max}

    def as_dict(self, ogrs: float) -> dict[str, object]:
        return {
            "ogrs": ogrs,
            "band": self.name,
            "label": self.label,
            "ogrs_range": self.ogrs_range,
            "average_needs": self.average_needs,
            "guideline_days": self.guideline_days,
            "source": SOURCE,
        }


# Rows of the guidance table. "0 to 24%", "25 to 49%", "50 to 74%", "75 to 90%", "Over 90%".
# Scores are whole percentages in OASys; a fractional estimate falls in the row below the next
# whole number (24.6 is still "0 to 24%"), so each row is "below the next row's start".
NONE = Band("none", "No RAR (exceptional circumstances only)", "0 to 24%", 2.4, None, None)
LOW = Band("low", "Low intensity RAR", "25 to 49%", 3.2, 1, 15)
MEDIUM = Band("medium", "Medium intensity RAR", "50 to 74%", 4.4, 15, 25)
HIGH = Band("high", "High intensity RAR", "75 to 90%", 4.4, 25, 60)
VERY_HIGH = Band("high", "High intensity RAR", "Over 90%", 6.2, 25, 60)

BANDS: tuple[Band, ...] = (NONE, LOW, MEDIUM, HIGH, VERY_HIGH)


_NUMBER = (int, float)  # a tuple: `int | float` would make a union object at every call


def band_for(ogrs: float) -> Band:
    """The guidance's row for an OGRS 2-year percentage (0 to 100)."""
    if isinstance(ogrs, bool) or not isinstance(ogrs, _NUMBER) or ogrs != ogrs:
        raise InvalidInput(f"OGRS must be a number from 0 to 100, not {ogrs!r}")
    if ogrs < 0 or ogrs > 100:
        raise InvalidInput(
            f"OGRS must be from 0 to 100 (a 2-year percentage), not {ogrs:g}",
            hint="use the OGRS3 2-year score from OASys, or estimate it with `rarplan ogrs`",
        )
    if ogrs < 25:
        return NONE
    if ogrs < 50:
        return LOW
    if ogrs < 75:
        return MEDIUM
    if ogrs <= 90:
        return HIGH
    return VERY_HIGH
