"""Ending a RAR: `rarplan end` and its record checked by `verify`; `complete` refused before
the order starts or with appointments unrecorded (issue 17).

RAR guidance, docs/sources/001_246201b7ec5ee73b.txt, section 7: every appointment is
enforceable, and when the RAR ends its outcomes and the reason are recorded.
"""

from __future__ import annotations

import json
import tomllib
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rarplan.cli.app import build
from rarplan.files.planfile import load_plan
from tests.deliver.test_amend import attend, invoke, make_plan

runner = CliRunner()
END = ["--reason", "revoked", "--note", "Revoked at court", "--confirmed-by", "A Officer"]


def test_end_writes_a_record_that_verify_checks():
    path = make_plan(["msrp-home", "job-club"])
    attend(path, ["2027-01-04,msrp-home,1,attended,", "2027-01-11,msrp-home,2,attended,"])
    result = invoke("end", str(path), *END, "--today", "2027-01-20", "--json")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    data = json.loads(result.stdout)
    assert (data["status"], data["completed_on"]) == ("revoked", "2027-01-20")
    assert (data["rar_days_ordered"], data["rar_days_completed"]) == (20, 2)
    assert data["record_file"] == "X123456.end.toml"
    record = tomllib.loads(Path("X123456.end.toml").read_text())
    assert record["status"] == "revoked" and record["rationale"] == "Revoked at court"
    assert record["summary"].splitlines()[0] == (
        "RAR ended (revoked) for X123456 on 2027-01-20: 2 of 20 RAR days used."
    )

    plan, _ = load_plan(path)
    assert plan.completion is not None and plan.completion.status == "revoked"
    assert plan.history[-1].action == "end"

    result = invoke("verify", "X123456.end.toml", str(path))
    assert result.exit_code == 0, result.output
    assert "(X123456, ended (revoked), 2 of 20 RAR days" in result.stdout

    path.write_text(path.read_text().replace("Revoked at court", "Edited"))
    result = invoke("verify", "X123456.end.toml", str(path))
    assert result.exit_code == 3, result.output


def test_an_ended_plan_is_closed():
    path = make_plan(["msrp-home"])
    assert invoke("end", str(path), *END, "--today", "2027-01-20").exit_code == 0
    result = invoke("end", str(path), *END, "--today", "2027-01-21")
    assert result.exit_code == 4 and "already ended (revoked) on 2027-01-20" in result.stderr
    result = invoke("amend", str(path), "--officer", "B", "--reason", "x")
    assert result.exit_code == 4 and "ended (revoked)" in result.stderr
    again = invoke("end", str(path), *END, "--today", "2027-01-21", "--force")
    assert again.exit_code == 0, again.output


def test_end_needs_a_reason_a_note_and_a_confirmation():
    path = make_plan(["msrp-home"])
    result = invoke("end", str(path), "--note", "x", "--confirmed-by", "A")
    assert result.exit_code == 2 and "--reason is required" in result.stderr
    result = invoke("end", str(path), "--reason", "lost", "--note", "x", "--confirmed-by", "A")
    assert result.exit_code == 2
    result = invoke("end", str(path), "--reason", "died", "--confirmed-by", "A")
    assert result.exit_code == 2 and "--note TEXT" in result.stderr
    result = invoke("end", str(path), "--reason", "died", "--note", "x")
    assert result.exit_code == 2 and "--confirmed-by NAME" in result.stderr
    assert not Path("X123456.end.toml").exists()


def complete(path: Path, today: str, *args: str):
    return runner.invoke(
        build(),
        [
            "complete",
            str(path),
            *("--today", today, "--no-input", "--confirmed-by", "A Officer"),
            *("--rationale", "r", "--progress", "p", "--outcome", "o"),
            *args,
        ],
    )


def test_complete_before_the_order_starts_is_refused_unless_forced_with_a_reason():
    path = make_plan(["msrp-home"], scheduled=False)
    Path("o.toml").write_text(
        '[[outcome]]\nintervention = "msrp-home"\noutcome = 1\nresult = "not_achieved"\n'
    )
    before = path.read_bytes()
    result = complete(path, "2026-12-01", "--outcomes", "o.toml")
    assert result.exit_code == 4, result.output
    assert "the order starts on 2027-01-04" in result.stderr
    assert "--force, --reason TEXT" in result.stderr
    assert path.read_bytes() == before
    result = complete(path, "2026-12-01", "--outcomes", "o.toml", "--force")
    assert result.exit_code == 4, result.output
    result = complete(
        path, "2026-12-01", "--outcomes", "o.toml", "--force", "--reason", "Order quashed"
    )
    assert result.exit_code == 0, result.output
    plan, _ = load_plan(path)
    assert "Order quashed" in plan.history[-1].reason


def test_complete_names_past_appointments_without_an_outcome():
    path = make_plan(["msrp-home"])
    attend(path, ["2027-01-04,msrp-home,1,attended,"])
    Path("o.toml").write_text(
        '[[outcome]]\nintervention = "msrp-home"\noutcome = 1\nresult = "achieved"\n'
    )
    result = complete(path, "2027-01-19", "--outcomes", "o.toml")
    assert result.exit_code == 4, result.output
    assert (
        "2 appointments up to 2027-01-19 with no recorded outcome: "
        "2027-01-11 msrp-home session 2, 2027-01-18 msrp-home session 3"
    ) in result.stderr


def test_ending_cancels_what_was_to_come_everywhere_and_never_says_completed():
    """Issue 17, "Ending a RAR": after the ending no appointment is shown as to come, in the
    plan (a new schedule version, the old one kept in the history), `show`, `status`,
    `agenda`, the person's document and the calendar (`--ics`: same UIDs, SEQUENCE raised,
    the later ones CANCELLED, read back by the independent parser of tests/schedule/test_ics),
    and nothing calls the ended RAR completed."""
    from tests.schedule.test_ics import events, parse, prop

    path = make_plan(["msrp-home", "job-club"])
    result = invoke(
        "schedule", str(path), "--from", "2027-01-05", "--reason", "x", "--ics", "x.ics"
    )
    assert result.exit_code == 0, result.output
    before = {prop(e, "UID")[1]: e for e in events(parse(Path("x.ics").read_bytes()))}
    attend(
        path,
        ["2027-01-04,msrp-home,1,attended_complied,", "2027-01-11,msrp-home,2,failed_to_attend,"],
    )
    result = invoke("end", str(path), *END, "--today", "2027-01-20", "--ics", "x.ics")
    assert result.exit_code == 0, result.output
    assert "calendar in x.ics" in result.stderr

    plan, _ = load_plan(path)
    assert plan.schedule is not None
    assert all(a.date <= date(2027, 1, 20) for a in plan.schedule.appointments)
    last = plan.history[-1]
    assert last.schedule is not None and last.schedule.version == plan.schedule.version - 1
    gone = {(a.date, a.intervention, a.session) for a in last.schedule.appointments} - {
        (a.date, a.intervention, a.session) for a in plan.schedule.appointments
    }
    assert gone and all(d > date(2027, 1, 20) for d, _, _ in gone)
    assert any("cancelled" in line for line in last.changes or [])

    after = {prop(e, "UID")[1]: e for e in events(parse(Path("x.ics").read_bytes()))}
    assert set(after) == set(before)  # the same events, none added or lost
    version = str(plan.schedule.version)
    assert {prop(e, "SEQUENCE")[1] for e in after.values()} == {version}
    cancelled = {u for u, e in after.items() if prop(e, "STATUS")[1] == "CANCELLED"}
    assert len(cancelled) == len(gone)
    assert all(prop(after[u], "DTSTART")[1][:8] > "20270120" for u in cancelled)

    assert invoke("verify", "X123456.end.toml", str(path)).exit_code == 0
    show = invoke("show", str(path), "--today", "2027-01-21")
    assert "(ended (revoked) on 2027-01-20)" in show.stdout
    assert "Next appointments" not in show.stdout
    status = json.loads(invoke("status", ".", "--today", "2027-01-21", "--json").stdout)
    row = status["plans"][0]
    assert (row["status"], row["at_risk_reason"], row["needs_attention"]) == (
        "revoked",
        "ended (revoked)",
        False,
    )
    assert row["action_due"] == "none" and row["next_appointment"] is None
    table = invoke("status", ".", "--today", "2027-01-21").stdout
    assert "ended (revoked)" in table and "completed" not in table
    agenda = json.loads(invoke("agenda", ".", "--week", "--day", "2027-01-25", "--json").stdout)
    assert agenda["appointments"] == []
    person = invoke("render", str(path), "--for", "person")
    assert person.exit_code == 0, person.output
    assert "Your RAR has ended." in person.stdout and "finished your RAR" not in person.stdout
    assert "Jan 2027" in person.stdout and "25 Jan 2027" not in person.stdout
    refused = invoke("schedule", str(path), "--from", "2027-01-25", "--reason", "x")
    assert refused.exit_code == 4 and "was ended (revoked) on 2027-01-20" in refused.stderr
    refused = invoke("complete", str(path), "--confirmed-by", "A", "--no-input")
    assert refused.exit_code == 4 and "already ended (revoked)" in refused.stderr


def test_completing_cancels_the_appointments_after_it():
    """Issue 17: after completion, no future appointment is shown as to come, and the person's
    document says the RAR is finished beside none still to come; `--ics` writes the calendar
    with the cancelled ones marked so (RFC 5545 3.8.1.11)."""
    from tests.schedule.test_ics import events, parse, prop

    path = make_plan(["msrp-home"])
    attend(
        path,
        ["2027-01-04,msrp-home,1,attended_complied,", "2027-01-11,msrp-home,2,attended_complied,"],
    )
    Path("outcomes.toml").write_text(
        '[[outcome]]\nintervention = "msrp-home"\noutcome = 1\nresult = "achieved"\n'
    )
    result = invoke(
        "complete", str(path), "--outcomes", "outcomes.toml", "--today", "2027-01-12",
        "--rationale", "r", "--progress", "p", "--outcome", "o", "--confirmed-by", "A",
        "--no-input", "--json", "--ics", "x.ics",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["ics_file"] == "x.ics"
    calendar = events(parse(Path("x.ics").read_bytes()))
    status = sorted((prop(e, "DTSTART")[1][:8], prop(e, "STATUS")[1]) for e in calendar)
    assert status[:2] == [("20270104", "CONFIRMED"), ("20270111", "CONFIRMED")]
    assert {s for _, s in status[2:]} == {"CANCELLED"} and len(status) == 6
    plan, _ = load_plan(path)
    assert plan.schedule is not None
    assert [a.date for a in plan.schedule.appointments] == [date(2027, 1, 4), date(2027, 1, 11)]
    assert plan.schedule.rar_days_planned == 2
    assert invoke("verify", "X123456.completion.toml", str(path)).exit_code == 0
    person = invoke("render", str(path), "--for", "person").stdout
    assert "You have finished your RAR" in person and "18 Jan 2027" not in person


def test_the_library_ends_and_amends_a_plan():
    """rarplan.end and rarplan.amend are the commands' stages as functions (STYLE.md,
    "Library first"): the same rules, nothing written."""
    import rarplan

    path = make_plan(["msrp-home"])
    attend(path, ["2027-01-04,msrp-home,1,attended_complied,"])
    plan = rarplan.load_plan(path)
    amended = rarplan.amend(
        plan,
        reason="Rent arrears found",
        add=["msrp-money"],
        overrides={"msrp-money": "Arrears threaten the tenancy"},  # excluded: needs a reason
        replan_from=date(2027, 1, 12),
        by="RO 1",
        today=date(2027, 1, 12),
    )
    assert [s.id for s in amended.selected] == ["msrp-home", "msrp-money"]
    assert amended.history[-2].action == "amend" and amended.history[-1].action == "reschedule"
    assert [s.id for s in plan.selected] == ["msrp-home"]  # the plan given is not changed
    ended = rarplan.end(
        amended,
        reason="transferred",
        note="Moved to another area",
        confirmed_by="RO 1",
        today=date(2027, 1, 12),
    )
    assert ended.completion is not None and ended.completion.status == "transferred"
    assert all(a.date <= date(2027, 1, 12) for a in ended.schedule.appointments)
    assert load_plan(path)[0].completion is None  # nothing written


def test_a_full_disk_while_writing_the_ended_plan_takes_the_end_record_back(monkeypatch):
    """Issue 19, as for `complete`: a RAR is closed through one writer (`write_closed`), so an
    end record never stands without its ended plan; the same command run again works."""
    from tests.deliver.test_completion import _disk_full_on

    path = make_plan(["msrp-home"])
    before = path.read_bytes()
    with pytest.MonkeyPatch.context() as full:
        _disk_full_on(full, ".plan.toml")
        result = invoke("end", str(path), *END, "--today", "2027-01-20")
    assert result.exit_code == 3, result.output
    assert "No space left on device" in result.stderr
    assert path.read_bytes() == before
    assert not Path("X123456.end.toml").exists()
    assert invoke("end", str(path), *END, "--today", "2027-01-20").exit_code == 0
