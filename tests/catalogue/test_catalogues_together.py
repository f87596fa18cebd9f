"""Choosing catalogues (issue 18): `--catalogue` repeatable, several used together with their ids
kept distinct and each entry's catalogue shown, and the default, both shipped catalogues, in
which the KSS CRC rate card serves Kent, Surrey and Sussex only (003_2c3b0962518856ac.txt,
"Rate card": "NSI Provider: CPA Kent, Surrey and Sussex") and each Structured Intervention the
regions the list names (reference/structured-interventions.md, row 5). docs/data.md, "Choosing
catalogues".
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

import rarplan
from rarplan.catalogue import load as cat
from rarplan.cli.app import build
from tests.conftest import REPO

runner = CliRunner()
CASES = REPO / "examples" / "cases"
KSS_AREA = "Offered in: Kent, Surrey, Sussex (the provider's area)"


def invoke(*args: str):
    return runner.invoke(build(), list(args))


def assessed(case: Path | str, *extra: str) -> dict:
    result = invoke("assess", str(case), "--no-plan", "--json", *extra)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    return json.loads(result.stdout)


def test_the_default_is_both_shipped_catalogues_structured_first() -> None:
    result = invoke("catalogue", "list", "--json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)["interventions"]
    names = [r["catalogue"] for r in rows]
    assert names == ["structured"] * 11 + ["rate-card"] * 40
    assert len({r["id"] for r in rows}) == 51  # ids distinct across the two
    assert {r["provider"] for r in rows} == {
        cat.load(cat.shipped_path(n)).data.provider for n in ("structured", "rate-card")
    }


def test_catalogue_repeated_uses_those_given_in_that_order() -> None:
    result = invoke(
        "catalogue", "list", "--catalogue", "rate-card", "--catalogue", "structured", "--json"
    )
    rows = json.loads(result.stdout)["interventions"]
    assert [r["catalogue"] for r in rows] == ["rate-card"] * 40 + ["structured"] * 11
    only = json.loads(invoke("catalogue", "list", "--catalogue", "structured", "--json").stdout)
    assert {r["catalogue"] for r in only["interventions"]} == {"structured"}


def test_the_table_shows_each_entrys_catalogue_when_several_are_used() -> None:
    result = invoke("catalogue", "list", "--need", "relationships")
    assert result.exit_code == 0, result.output
    title, header, *rows = result.output.splitlines()
    assert title == "structured + rate-card: 19 intervention(s)"
    assert header.split()[-1] == "catalogue"
    owners = [row.split()[-1] for row in rows[:-1]]  # the last line is the caption
    assert set(owners) == {"rate-card", "structured"} and len(owners) == 19
    single = invoke("catalogue", "list", "--catalogue", "rate-card", "--need", "relationships")
    assert single.exit_code == 0, single.output
    assert single.output.splitlines()[1].split()[-1] == "delivery"  # no catalogue column


def test_show_names_the_entrys_catalogue_and_its_area() -> None:
    result = invoke("catalogue", "show", "resolve")
    assert result.exit_code == 0, result.output
    assert "Offered in: Kent, Surrey, Sussex" in result.output
    assert "Catalogue: rate-card (Kent, Surrey and Sussex Community Rehabilitation" in (
        " ".join(result.output.split())
    )
    data = json.loads(invoke("catalogue", "show", "positive-pathways", "--json").stdout)
    assert (data["intervention"]["catalogue"], data["intervention"]["regions"]) == (
        "structured",
        ["london"],
    )


@pytest.mark.parametrize(
    ("region", "rate_card", "structured_ids"),
    [
        ("kent", 40, 3),  # Stepwise relationships, emotions, problem solving (columns N-P)
        ("london", 0, 5),  # the list's "By region": London
        ("north_west", 0, 5),
    ],
)
def test_list_by_region_follows_both_areas(region: str, rate_card: int, structured_ids: int):
    rows = json.loads(invoke("catalogue", "list", "--region", region, "--json").stdout)
    found = [r["catalogue"] for r in rows["interventions"]]
    assert (found.count("rate-card"), found.count("structured")) == (rate_card, structured_ids)


def test_a_london_case_gets_positive_pathways_and_no_rate_card_entry() -> None:
    """X100006: London offers Positive Pathways (column S); the rate card is KSS-only."""
    data = assessed(CASES / "X100006.toml")
    assert data["selected"] == ["positive-pathways"]
    judged = {i["id"]: i for i in data["interventions"]}
    assert judged["resolve"]["status"] == "excluded"
    assert KSS_AREA in judged["resolve"]["reasons"]
    rate_card = {e.id for e in cat.load(cat.shipped_path("rate-card"))}
    assert not rate_card & set(data["selected"])


def test_a_kent_case_gets_stepwise_before_the_rate_card() -> None:
    """X100007: Kent, Surrey, Sussex offers Stepwise Problem Solving (column P); for a need
    both catalogues meet, the national Structured Intervention is preferred."""
    data = assessed(CASES / "X100007.toml")
    assert data["selected"] == ["stepwise-problem-solving"]
    judged = {i["id"]: i["status"] for i in data["interventions"]}
    assert judged["msrp-outlook"] == "eligible"  # the rate card is still judged in Kent
    again = assessed(CASES / "X100007.toml", "--catalogue", "rate-card")
    assert again["selected"] == ["msrp-outlook"]


def test_a_woman_in_the_north_west_has_firs4women_considered() -> None:
    """X100008: FIRS4Women, women only (row 21), offered in the North West (column AB)."""
    data = assessed(CASES / "X100008.toml")
    judged = {i["id"]: i for i in data["interventions"]}
    assert judged["firs4women"]["status"] == "check"
    assert judged["firs4women"]["addresses_identified_need"]


def test_the_human_table_leaves_out_what_the_region_does_not_offer() -> None:
    result = invoke("assess", str(CASES / "X100006.toml"), "--no-plan")
    assert result.exit_code == 0, result.output
    assert "not offered in London not shown; see --json" in result.output
    assert "resolve" not in result.output


def test_a_case_without_a_region_keeps_the_rate_card_and_questions_the_list(tmp_path: Path):
    """The provider's area is not questioned for a case that records no region (it is taken
    to be in the area of the catalogue chosen); an entry's own regions are (row 5)."""
    case = tmp_path / "X300001.toml"
    case.write_text(
        'crn = "X300001"\nsex = "male"\nage = 30\n[scores]\nogrs = 40\n'
        "[needs]\nattitudes_thinking_behaviour = true\n",
        encoding="utf-8",
    )
    judged = {i["id"]: i for i in assessed(case)["interventions"]}
    assert not any(KSS_AREA in r for r in judged["msrp-outlook"]["reasons"])
    assert judged["positive-pathways"]["status"] == "check"
    assert any("Offered in: London" in r for r in judged["positive-pathways"]["reasons"])


def test_an_id_in_two_catalogues_is_refused_naming_both(tmp_path: Path) -> None:
    own = tmp_path / "own.toml"
    own.write_text(cat.shipped_path("rate-card").read_text(encoding="utf-8"), encoding="utf-8")
    result = invoke("catalogue", "list", "--catalogue", str(own), "--catalogue", "rate-card")
    assert result.exit_code == 3
    line = result.stderr.strip().splitlines()[0]
    assert "own.toml and interventions.toml both have an intervention 'resolve'" in line
    checked = invoke("catalogue", "check", str(own), "--catalogue", "rate-card")
    assert checked.exit_code == 3
    alone = invoke("catalogue", "check", str(own), "--json")
    assert alone.exit_code == 0, alone.output
    assert json.loads(alone.stdout)["files"] == [str(own)]


def test_check_with_no_file_checks_the_catalogues_in_use() -> None:
    result = invoke("catalogue", "check", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (len(data["files"]), data["interventions"]) == (2, 51)


def test_a_providers_own_area_excludes_a_case_from_elsewhere(tmp_path: Path) -> None:
    """A catalogue's `regions` (docs/data.md): its entries are offered there only."""
    text = cat.shipped_path("rate-card").read_text(encoding="utf-8")
    own = tmp_path / "welsh.toml"
    own.write_text(text.replace('regions = ["kent_surrey_sussex"]', 'regions = ["wales"]', 1))
    case = tmp_path / "X300002.toml"
    case.write_text(
        'crn = "X300002"\nsex = "male"\nage = 30\nregion = "kent"\n[scores]\nogrs = 40\n'
        "[needs]\naccommodation = true\n",
        encoding="utf-8",
    )
    judged = {i["id"]: i for i in assessed(case, "--catalogue", str(own))["interventions"]}
    assert judged["msrp-home"]["status"] == "excluded"
    assert "Offered in: Wales (the provider's area)" in judged["msrp-home"]["reasons"]


def test_the_environment_variable_lists_catalogues_with_the_path_separator(monkeypatch):
    monkeypatch.setenv("RARPLAN_CATALOGUE", os.pathsep.join(["rate-card", "structured"]))
    rows = json.loads(invoke("catalogue", "list", "--json").stdout)["interventions"]
    assert [r["catalogue"] for r in rows] == ["rate-card"] * 40 + ["structured"] * 11
    assert len(rarplan.load_catalogue()) == 51
    monkeypatch.delenv("RARPLAN_CATALOGUE")
    assert rarplan.load_catalogue().name == "structured + rate-card"


def test_the_referral_names_the_provider_of_the_chosen_interventions(tmp_path: Path) -> None:
    """Each entry keeps its catalogue: a London plan's referral names the national list's
    provider, not both catalogues' (nor the KSS CRC's)."""
    plan = tmp_path / "X100006.plan.toml"
    result = invoke("assess", str(CASES / "X100006.toml"), "--out", str(plan), "--quiet")
    assert result.exit_code == 0, result.output
    result = invoke("render", str(plan), "--for", "referral")
    assert result.exit_code == 0, result.output
    provider = cat.load(cat.shipped_path("structured")).data.provider
    assert f"- Provider: {provider}\n" in result.stdout


def test_the_settings_file_chooses_catalogues_beside_it(tmp_path: Path, monkeypatch) -> None:
    """`[catalogue] use` in the RARPLAN_CONFIG file: names or files (found beside it); the
    option and RARPLAN_CATALOGUE still win."""
    own = tmp_path / "settings" / "own.toml"
    own.parent.mkdir()
    own.write_text(
        cat.shipped_path("structured")
        .read_text(encoding="utf-8")
        .replace('id = "positive-pathways"', 'id = "own-pathways"'),
        encoding="utf-8",
    )
    settings = own.parent / "rarplan.toml"
    settings.write_text(
        '[enforcement]\nwarning_after = 1\n[catalogue]\nuse = ["rate-card", "own.toml"]\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("RARPLAN_CONFIG", str(settings))
    rows = json.loads(invoke("catalogue", "list", "--json").stdout)["interventions"]
    assert [r["catalogue"] for r in rows] == ["rate-card"] * 40 + ["own.toml"] * 11
    assert "own-pathways" in {r["id"] for r in rows}
    given = invoke("catalogue", "list", "--catalogue", "structured", "--json")
    assert len(json.loads(given.stdout)["interventions"]) == 11


def test_a_wrong_setting_is_one_line_naming_the_key(tmp_path: Path, monkeypatch) -> None:
    settings = tmp_path / "rarplan.toml"
    settings.write_text("[catalogue]\nuse = []\n", encoding="utf-8")
    monkeypatch.setenv("RARPLAN_CONFIG", str(settings))
    result = invoke("catalogue", "list")
    assert result.exit_code == 3
    assert "rarplan.toml: catalogue.use" in result.stderr.splitlines()[0]
