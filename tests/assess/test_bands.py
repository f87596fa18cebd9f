"""The OGRS table of the RAR guidance: docs/sources/001_246201b7ec5ee73b.txt, section 3.

"0 to 24% 2.4 n/a; 25 to 49% 3.2 Low intensity RAR 1 to 15 days; 50 to 74% 4.4 Medium intensity
RAR 15 to 25 days; 75 to 90% 4.4 High intensity RAR 25 to 60 days; Over 90% 6.2 High intensity
RAR 25 to 60 days".
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from rarplan.assess.bands import band_for
from rarplan.cli.app import build
from rarplan.model.errors import InvalidInput


@pytest.mark.parametrize(
    ("ogrs", "band", "days", "average"),
    [
        (0, "none", None, 2.4),
        (24, "none", None, 2.4),
        (24.9, "none", None, 2.4),
        (25, "low", (1, 15), 3.2),
        (49, "low", (1, 15), 3.2),
        (49.9, "low", (1, 15), 3.2),
        (50, "medium", (15, 25), 4.4),
        (74, "medium", (15, 25), 4.4),
        (75, "high", (25, 60), 4.4),
        (90, "high", (25, 60), 4.4),
        (90.5, "high", (25, 60), 6.2),
        (91, "high", (25, 60), 6.2),
        (100, "high", (25, 60), 6.2),
    ],
)
def test_every_boundary_of_the_table(ogrs, band, days, average):
    found = band_for(ogrs)
    assert found.name == band
    assert found.average_needs == average
    if days is None:
        assert found.guideline_days is None
    else:
        assert found.guideline_days == {"min": days[0], "max": days[1]}


@pytest.mark.parametrize("bad", [-0.1, -1, 100.1, 101, float("nan"), float("inf")])
def test_ogrs_must_be_0_to_100(bad):
    with pytest.raises(InvalidInput):
        band_for(bad)


@given(st.floats(min_value=0, max_value=100))
def test_bands_are_monotonic(ogrs):
    order = ["none", "low", "medium", "high"]
    assert order.index(band_for(ogrs).name) <= order.index(band_for(min(100, ogrs + 1)).name)


def test_band_command_json_contract():
    result = CliRunner().invoke(build(), ["band", "62", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["band"] == "medium"
    assert data["guideline_days"] == {"min": 15, "max": 25}
    assert data["schema_version"] == 1
    assert result.stderr == ""


def test_band_command_refuses_out_of_range_with_exit_3():
    result = CliRunner().invoke(build(), ["band", "101"])
    assert result.exit_code == 3
    assert "0 to 100" in result.stderr
    assert "Traceback" not in result.output
