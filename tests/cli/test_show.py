"""`rarplan show` and `rarplan history`: one case at a glance, and every change (issue 17)."""

from __future__ import annotations

import json

from tests.deliver.test_amend import attend, invoke, make_plan


def prepared():
    path = make_plan(["msrp-home", "job-club"])
    attend(
        path,
        [
            "2027-01-04,msrp-home,1,attended,",
            "2027-01-11,msrp-home,2,unacceptable_absence,No contact",
        ],
    )
    result = invoke(
        "amend", str(path), "--officer", "RO New", "--reason", "Handover", "--by", "RO Test"
    )
    assert result.exit_code == 0, result.output
    return path


def test_show_fits_the_case_on_one_screen():
    path = prepared()
    result = invoke("show", str(path), "--today", "2027-01-20")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[:6] == [
        "X123456  X123456.plan.toml  (open)",
        "Order:          community order, sentenced, 12 months, 2027-01-04 to 2028-01-03",
        "Band:           medium",
        "Officer:        RO New; agreement: could not answer",
        "RAR days:       20 ordered, 15 planned, 1 used",
        "Interventions:",
    ]
    # Issue 20: names in words where a person reads, with the id that `amend` takes.
    assert lines[6].startswith("  Delivery of Home modules") and lines[6].endswith("(msrp-home)")
    assert lines[7].endswith("(job-club)") and not lines[7].startswith("  job-club")
    assert "Next appointments:" in lines
    # appointments by the timetable's short name (`rarplan schedule`), never by the id
    assert "  2027-01-25 Mon 10:00  Home modules from MSRP session 4 (individual, 60 min)" in lines
    assert "Not recorded:   1 past appointment" in lines
    assert any(line.startswith("Unacceptable failures: 1") for line in lines)
    assert any(
        "2027-01-11 Home modules from MSRP session 2" in line and "due: warning" in line
        for line in lines
    )
    assert "Outcomes:       0 of 2 desired outcomes reviewed" in lines
    assert any(line.endswith("RO Test  amend: Handover") for line in lines)
    assert len(lines) < 40


def test_show_json_is_typed_and_alone_on_stdout():
    path = prepared()
    result = invoke("show", str(path), "--today", "2027-01-20", "--json")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    data = json.loads(result.stdout)
    assert data["status"] == "open" and data["crn"] == "X123456"
    assert data["rar_days"] == {"has_rar": True, "ordered": 20, "planned": 15, "used": 1}
    assert data["interventions"][0]["name"].startswith("Delivery of Home modules")
    assert data["next_appointments"][0]["date"] == "2027-01-25"
    assert [a["date"] for a in data["unrecorded_appointments"]] == ["2027-01-18"]
    failure = data["unacceptable_failures"][0]
    assert (failure["date"], failure["action_due"]) == ("2027-01-11", "warning")
    assert data["outcomes"][0]["result"] is None
    assert data["recent_history"][-1]["changes"] == ["responsible officer: RO Test to RO New"]


def test_history_lists_every_change():
    path = prepared()
    result = invoke("history", str(path))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("X123456  X123456.plan.toml: created 2027-01-04 09:00:00, 3 changes")
    assert [
        line.split("  ")[2].split(":")[0] for line in lines[1:] if not line.startswith(" ")
    ] == [
        "schedule",
        "attendance",
        "amend",
    ]
    assert "  - responsible officer: RO Test to RO New" in lines

    result = invoke("history", str(path), "--json")
    assert result.exit_code == 0 and result.stderr == ""
    data = json.loads(result.stdout)
    assert [e["action"] for e in data["entries"]] == ["schedule", "attendance", "amend"]
    assert data["entries"][2]["reason"] == "Handover"


def test_show_says_a_licence_has_no_rar(tmp_path):
    """Issue 16 (RAR guidance, sections 1 and 2): a licence has no RAR, so `show` says so
    rather than "not set ordered"."""
    from tests.conftest import REPO

    plan = tmp_path / "X100009.plan.toml"
    case = REPO / "examples" / "cases" / "X100009.toml"
    assert invoke("assess", str(case), "--no-input", "--out", str(plan)).exit_code == 0
    result = invoke("show", str(plan), "--today", "2027-01-20")
    assert result.exit_code == 0, result.output
    assert "RAR days:       none: this sentence has no RAR" in result.stdout.splitlines()
    assert "ordered" not in result.stdout
    data = json.loads(invoke("show", str(plan), "--json").stdout)
    assert data["rar_days"]["has_rar"] is False
