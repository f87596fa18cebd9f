"""The `.ics` file, read back with an independent RFC 5545 parser written here (not icalendar).

Issue 3: Europe/London with its VTIMEZONE, one event per appointment, stable UIDs so a
re-import updates rather than duplicates, no names of the person unless --with-names. Issue 17:
a re-plan updates the file in place (same UIDs, SEQUENCE raised, dropped appointments
CANCELLED), with a reminder on each event; those are also read back with icalendar.
"""

from __future__ import annotations

import json
import stat
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from typer.testing import CliRunner

from rarplan.cli.app import build
from rarplan.files.planfile import load_plan, save_plan
from tests import factories
from tests.schedule.test_scheduling_support import ENTRIES

runner = CliRunner()
APP = build()
NAME = "Alex Example"


@dataclass
class Component:
    name: str
    props: list[tuple[str, dict[str, str], str]] = field(default_factory=list)
    children: list[Component] = field(default_factory=list)


def unfold(data: bytes) -> list[str]:
    """RFC 5545 3.1: lines end CRLF; a line starting with a space or tab continues the last."""
    text = data.decode("utf-8")
    assert "\n" not in text.replace("\r\n", ""), "bare LF line ending"
    lines: list[str] = []
    for raw in text.split("\r\n"):
        assert len(raw.encode("utf-8")) <= 75, raw
        if raw[:1] in (" ", "\t"):
            lines[-1] += raw[1:]
        elif raw:
            lines.append(raw)
    return lines


def split_property(line: str) -> tuple[str, dict[str, str], str]:
    head, _, value = line.partition(":")  # parameters here hold no quoted colons
    name, *params = head.split(";")
    return name.upper(), dict(p.split("=", 1) for p in params), value


def parse(data: bytes) -> Component:
    stack: list[Component] = []
    root: Component | None = None
    for line in unfold(data):
        name, params, value = split_property(line)
        if name == "BEGIN":
            comp = Component(value)
            if stack:
                stack[-1].children.append(comp)
            stack.append(comp)
        elif name == "END":
            done = stack.pop()
            assert done.name == value
            if not stack:
                root = done
        else:
            stack[-1].props.append((name, params, value))
    assert root is not None and not stack
    return root


def prop(comp: Component, name: str) -> tuple[dict[str, str], str]:
    found = [(p, v) for n, p, v in comp.props if n == name]
    assert len(found) == 1, (name, found)
    return found[0]


def events(cal: Component) -> list[Component]:
    return [c for c in cal.children if c.name == "VEVENT"]


def unescape(text: str) -> str:
    return text.replace("\\,", ",").replace("\\;", ";").replace("\\n", "\n").replace("\\\\", "\\")


@pytest.fixture(autouse=True)
def _catalogue(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "test-catalogue.toml"
    path.write_text(tomli_w.dumps({"provider": "Test provider", "intervention": ENTRIES}))
    monkeypatch.setenv("RARPLAN_CATALOGUE", str(path))


def scheduled(
    ids: list[str], *args: str, name: str | None = NAME, **kw: object
) -> tuple[Path, dict]:
    path = Path("X123456.plan.toml")
    save_plan(factories.plan(ids, name=name, **kw), path)  # type: ignore[arg-type]
    result = runner.invoke(APP, ["schedule", str(path), "--ics", "x.ics", "--json", *args])
    assert result.exit_code == 0, result.output
    return path, json.loads(result.stdout)


def test_one_event_per_appointment_in_london_time() -> None:
    _, data = scheduled(["beai", "job-club"], "--om", "monthly")
    cal = parse(Path("x.ics").read_bytes())
    assert cal.name == "VCALENDAR"
    assert prop(cal, "VERSION")[1] == "2.0"
    evs = events(cal)
    assert len(evs) == len(data["appointments"])
    for ev, a in zip(evs, data["appointments"], strict=True):
        params, value = prop(ev, "DTSTART")
        assert params == {"TZID": "Europe/London"}
        begins = datetime.strptime(value, "%Y%m%dT%H%M%S")
        assert begins.date().isoformat() == a["date"]
        assert begins.strftime("%H:%M") == a["start"]
        end = datetime.strptime(prop(ev, "DTEND")[1], "%Y%m%dT%H%M%S")
        assert end - begins == timedelta(minutes=a["minutes"])
        assert prop(ev, "UID")[1] == f"X123456-{a['intervention']}-{a['session']}@rarplan"
        assert prop(ev, "DTSTAMP")[1].endswith("Z")
    summaries = [unescape(prop(ev, "SUMMARY")[1]) for ev in evs]
    assert "RAR: Job Club session 3" in summaries
    assert "Probation appointment" in summaries


def test_vtimezone_for_europe_london_with_summer_time() -> None:
    scheduled(["beai"])
    cal = parse(Path("x.ics").read_bytes())
    zones = [c for c in cal.children if c.name == "VTIMEZONE"]
    assert len(zones) == 1
    assert prop(zones[0], "TZID")[1] == "Europe/London"
    parts = {c.name: c for c in zones[0].children}
    assert prop(parts["DAYLIGHT"], "TZOFFSETTO")[1] == "+0100"
    assert prop(parts["STANDARD"], "TZOFFSETTO")[1] == "+0000"


def test_summer_appointments_keep_local_time() -> None:
    """A 10:00 session in July is 10:00 London time (BST), not shifted to UTC."""
    _, data = scheduled(["beai"], start=date(2027, 7, 5))
    ev = events(parse(Path("x.ics").read_bytes()))[0]
    assert prop(ev, "DTSTART") == ({"TZID": "Europe/London"}, "20270705T100000")
    assert data["appointments"][0]["date"] == "2027-07-05"


def test_no_names_unless_with_names() -> None:
    scheduled(["beai"])
    assert NAME.encode() not in Path("x.ics").read_bytes()
    Path("x.ics").unlink()
    Path("X123456.plan.toml").unlink()
    scheduled(["beai"], "--with-names")
    summaries = [unescape(prop(e, "SUMMARY")[1]) for e in events(parse(Path("x.ics").read_bytes()))]
    assert summaries[0] == f"{NAME}: RAR: Beai session 1"


def test_uids_are_stable_across_a_replan_and_sequence_rises() -> None:
    """Re-importing a re-planned schedule updates the same events (same UID, higher
    SEQUENCE) rather than adding copies."""
    path, _ = scheduled(["beai", "job-club"])
    first = {prop(e, "UID")[1]: e for e in events(parse(Path("x.ics").read_bytes()))}
    result = runner.invoke(
        APP,
        [
            "schedule",
            str(path),
            "--from",
            "2027-02-01",
            "--reason",
            "new job",
            "--days",
            "wed",
            "--ics",
            "y.ics",
            "--quiet",
        ],
    )
    assert result.exit_code == 0, result.output
    second = {prop(e, "UID")[1]: e for e in events(parse(Path("y.ics").read_bytes()))}
    assert set(first) == set(second)
    moved = [u for u in first if prop(first[u], "DTSTART") != prop(second[u], "DTSTART")]
    assert moved and all(prop(second[u], "SEQUENCE")[1] == "2" for u in second)


def test_ics_is_private_and_another_file_is_not_overwritten_without_force() -> None:
    """A file that is not this CRN's rarplan calendar is never replaced without --force."""
    path, _ = scheduled(["beai"])
    assert stat.S_IMODE(Path("x.ics").stat().st_mode) == 0o600
    Path("mine.ics").write_text("BEGIN:VCALENDAR\r\nPRODID:-//someone else//EN\r\n")
    before = path.read_bytes()
    replan = ["schedule", str(path), "--from", "2027-02-01", "--reason", "r"]
    result = runner.invoke(APP, [*replan, "--ics", "mine.ics"])
    assert result.exit_code == 5 and "mine.ics: already exists" in result.stderr
    assert path.read_bytes() == before  # nothing written when the calendar would clobber
    result = runner.invoke(APP, [*replan, "--ics", "mine.ics", "--force", "--quiet"])
    assert result.exit_code == 0, result.output
    assert load_plan(path)[0].schedule.version == 2  # type: ignore[union-attr]
    assert b"PRODID:-//rarplan//RAR schedule//EN" in Path("mine.ics").read_bytes()


def test_another_cases_calendar_is_not_replaced_without_force() -> None:
    path, _ = scheduled(["beai"])
    other = factories.plan(["beai"], crn="Y654321")
    save_plan(other, Path("Y654321.plan.toml"))
    before = Path("Y654321.plan.toml").read_bytes()
    result = runner.invoke(APP, ["schedule", "Y654321.plan.toml", "--ics", "x.ics"])
    assert result.exit_code == 5 and "a calendar for another case" in result.stderr
    assert Path("Y654321.plan.toml").read_bytes() == before


def read_back(path: str) -> dict[str, Any]:
    """The events by UID, read by icalendar (an independent parser of what we wrote)."""
    from icalendar import Calendar

    cal = Calendar.from_ical(Path(path).read_bytes())
    return {str(ev["UID"]): ev for ev in cal.walk("VEVENT")}


def test_a_replan_updates_the_calendar_in_place_same_uids_higher_sequence() -> None:
    """Issue 17: re-planning with the same --ics needs no --force; the events keep their UIDs,
    SEQUENCE rises, and an appointment the re-plan dropped (the RO's, with --om none) is
    marked STATUS:CANCELLED so a calendar that imported it removes it (RFC 5545 3.8.1.11)."""
    path, _ = scheduled(["beai", "job-club"], "--om", "monthly")
    first = read_back("x.ics")
    assert {str(ev["SEQUENCE"]) for ev in first.values()} == {"1"}
    assert {str(ev["STATUS"]) for ev in first.values()} == {"CONFIRMED"}
    result = runner.invoke(
        APP,
        [
            "schedule",
            str(path),
            "--from",
            "2027-02-01",
            "--reason",
            "new job",
            "--days",
            "wed",
            "--om",
            "none",
            "--ics",
            "x.ics",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    second = read_back("x.ics")
    assert set(first) <= set(second)  # nothing lost: every earlier event is still there
    assert all(int(ev["SEQUENCE"]) == 2 for ev in second.values())
    live = {f"X123456-{a['intervention']}-{a['session']}@rarplan" for a in data["appointments"]}
    cancelled = {u for u, ev in second.items() if str(ev["STATUS"]) == "CANCELLED"}
    assert cancelled == set(second) - live
    assert cancelled and all(u.startswith("X123456-offender-management-") for u in cancelled)
    moved = [u for u in live if first[u].decoded("DTSTART") != second[u].decoded("DTSTART")]
    assert moved and all(second[u].decoded("DTSTART").weekday() == 2 for u in moved)


def test_each_event_has_a_reminder_the_day_before_unless_told() -> None:
    """A VALARM that displays the event, one day before by default; --reminder changes it."""
    scheduled(["beai"])
    events_ = read_back("x.ics")
    for ev in events_.values():
        (alarm,) = ev.walk("VALARM")
        assert str(alarm["ACTION"]) == "DISPLAY"
        assert alarm.decoded("TRIGGER") == -timedelta(days=1)
    Path("x.ics").unlink()
    Path("X123456.plan.toml").unlink()
    scheduled(["beai"], "--reminder", "2h")
    assert {ev.walk("VALARM")[0].decoded("TRIGGER") for ev in read_back("x.ics").values()} == {
        -timedelta(hours=2)
    }
    Path("x.ics").unlink()
    Path("X123456.plan.toml").unlink()
    scheduled(["beai"], "--reminder", "none")
    assert all(not ev.walk("VALARM") for ev in read_back("x.ics").values())


def test_a_bad_reminder_is_an_input_error() -> None:
    save_plan(factories.plan(["beai"]), Path("X123456.plan.toml"))
    result = runner.invoke(APP, ["schedule", "X123456.plan.toml", "--reminder", "soon"])
    assert result.exit_code == 3 and "reminder 'soon'" in result.stderr


def test_a_session_offered_again_is_its_own_event() -> None:
    """The missed appointment stays (it happened); its second offer has the UID suffix -2."""
    path, _ = scheduled(["beai"])
    plan, _ = load_plan(path)
    assert plan.schedule is not None
    first = plan.schedule.appointments[0]
    record = [
        "date,intervention,session,outcome,note",
        f"{first.date.isoformat()},beai,1,failed_to_attend,",
    ]
    Path("a.csv").write_text("\n".join(record) + "\n")
    result = runner.invoke(
        APP, ["attend", str(path), "--attendance", "a.csv", "--today", "2027-01-05"]
    )
    assert result.exit_code == 0, result.output
    result = runner.invoke(
        APP,
        ["schedule", str(path), "--from", "2027-01-06", "--reason", "missed", "--ics", "x.ics"],
    )
    assert result.exit_code == 0, result.output
    uids = read_back("x.ics")
    assert "X123456-beai-1@rarplan" in uids and "X123456-beai-1-2@rarplan" in uids
    assert uids["X123456-beai-1-2@rarplan"].decoded("DTSTART").date() > first.date


def test_place_becomes_location(tmp_path: Path) -> None:
    table = tmp_path / "t.toml"
    table.write_text(
        '[timetable.job-club]\nweekday = "tue"\nstart = "18:00"\n'
        'place = "Maidstone office, Week St"\n'
    )
    scheduled(["job-club"], "--timetable", str(table))
    ev = events(parse(Path("x.ics").read_bytes()))[0]
    assert unescape(prop(ev, "LOCATION")[1]) == "Maidstone office, Week St"


def test_missing_folder_for_the_calendar_writes_nothing() -> None:
    path = Path("X123456.plan.toml")
    save_plan(factories.plan(["beai"]), path)
    before = path.read_bytes()
    result = runner.invoke(APP, ["schedule", str(path), "--ics", "nowhere/x.ics"])
    assert result.exit_code == 3 and "nowhere: folder does not exist" in result.stderr
    assert path.read_bytes() == before
