"""`rarplan catalogue list/show/check` (issue 2), against the shipped rate-card catalogue."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from rarplan.cli.app import build

runner = CliRunner()
IDS = (
    "resolve drink-impaired-drivers thinking-skills-programme building-better-relationships "
    "ttg-level-1 ttg-level-2 ttg-level-3 ruready womens-resettlement-programme msrp-home "
    "msrp-future preparation-for-work cscs-card-training job-club msrp-money cadu msrp-habit "
    "beai msrp-health-mental msrp-health-physical believe-and-succeed womens-wrap-around-support "
    "restorative-justice-conferencing restorative-justice-tailored senior-attendance-centre "
    "msrp-support msrp-outlook positive-futures anger-management domestic-abuse-programme "
    "gypsy-traveller-domestic-abuse domestic-abuse-one-to-one victim-awareness "
    "compulsive-obsessive-behaviour immature-males verge-of-recall mentor-support "
    "msrp-additional bespoke-services practitioner-toolkit"
).split()


def invoke(*args: str):
    return runner.invoke(build(), ["catalogue", *args])


def test_list_json_has_all_40_ids_with_the_contract_keys():
    result = invoke("list", "--catalogue", "rate-card", "--json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)["interventions"]
    assert [r["id"] for r in rows] == IDS
    assert all({"id", "name", "needs", "accredited", "setting"} <= set(r) for r in rows)
    assert result.stderr == ""


def test_list_filters_by_need_and_setting():
    rows = json.loads(
        invoke("list", "--need", "accommodation", "--setting", "custody", "--json").stdout
    )["interventions"]
    ids = {r["id"] for r in rows}
    assert {"ttg-level-1", "msrp-home"} <= ids
    assert all("accommodation" in r["needs"] for r in rows)
    assert all(r["setting"] in ("custody", "either") for r in rows)


def test_list_rejects_an_unknown_need_with_the_allowed_ones():
    result = invoke("list", "--need", "housing")
    assert result.exit_code == 2
    assert "allowed: accommodation" in result.stderr


def test_show_gives_criteria_in_words_and_filled_referral_steps():
    """Rate card: Resolve's NSI is 'ES - RAR Programme' / 'Resolve'; the NSI process steps
    3 and 4 name them (003_2c3b0962518856ac.txt, 'Process to purchase services')."""
    result = invoke("show", "resolve", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)["intervention"]
    assert data["eligibility"][1] == {"text": "OVP >27", "rule": "scores.ovp > 27"}
    steps = data["referral_steps"]
    assert "Non Statutory Intervention: ES - RAR Programme" in steps
    assert "Non Statutory Intervention Sub Type: Resolve" in steps
    text = invoke("show", "resolve").stdout
    assert "Women service users" in text and "Referral on nDelius" in text


def test_show_unknown_id_suggests_the_nearest():
    result = invoke("show", "job-clubb")
    assert result.exit_code == 3
    assert "did you mean: job-club" in result.stderr


def test_check_lists_every_problem_and_exits_3(tmp_path):
    bad = tmp_path / "mine.toml"
    bad.write_text(
        'schema_version = 1\nprovider = "P"\n[[intervention]]\nid = "job-club"\nname = "J"\n'
        'section = "S"\nneeds = ["housing"]\nsetting = "community"\ndelivery = "group"\n'
        'aims = ["a"]\nnsi = {category = "c", sub_category = "s"}\n'
        'source = {file = "f", heading = "h"}\n'
        '[intervention.duration]\ntext = ["x"]\nsessions = [{kind = "group", count = 1, '
        "minutes = 0}]\n"
    )
    result = invoke("check", str(bad))
    assert result.exit_code == 3
    assert "mine.toml: entry 'job-club': duration.sessions[0].minutes: must be > 0" in result.stderr
    assert "mine.toml: entry 'job-club': needs[0]:" in result.stderr


def test_check_passes_the_shipped_catalogue_and_the_env_var_selects_another(tmp_path, monkeypatch):
    assert invoke("check").exit_code == 0
    monkeypatch.setenv("RARPLAN_CATALOGUE", str(tmp_path / "missing.toml"))
    result = invoke("list")
    assert result.exit_code == 3
    assert "missing.toml: catalogue file not found" in result.stderr


def test_show_gives_the_plain_name_the_person_reads():
    """Issue 20: each entry's `plain_name` is what the person document calls it; the officer
    sees it beside the catalogue's own name."""
    result = invoke("show", "resolve", "--json")
    assert json.loads(result.stdout)["intervention"]["plain_name"] == (
        "A group course to help you stop being violent"
    )
    text = invoke("show", "resolve").stdout
    assert "In the person's plan: A group course to help you stop being violent" in text


def test_show_names_the_need_areas_in_words():
    """Issue 20: need areas in words everywhere a person reads, never as their keys."""
    text = invoke("show", "mentor-support").stdout
    [needs] = [line for line in text.splitlines() if line.startswith("Needs:")]
    assert "Lifestyle and associates" in needs and "Finance, benefits and debt" in needs
    assert "_" not in needs
