"""The `.ics` file, read back with an independent RFC 5545 parser written here (not icalendar).

Issue 3: Europe/London with its VTIMEZONE, one event per appointment, stable UIDs so a
re-import updates rather than duplicates, no names of the person unless --with-names.
"""

from __future__ import annotations

import json
import stat
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

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


def test_ics_is_private_and_not_overwritten_without_force() -> None:
    path, _ = scheduled(["beai"])
    assert stat.S_IMODE(Path("x.ics").stat().st_mode) == 0o600
    before = path.read_bytes()
    result = runner.invoke(
        APP, ["schedule", str(path), "--from", "2027-02-01", "--reason", "r", "--ics", "x.ics"]
    )
    assert result.exit_code == 5 and "x.ics: already exists" in result.stderr
    assert path.read_bytes() == before  # nothing written when the calendar would clobber
    result = runner.invoke(
        APP,
        [
            "schedule",
            str(path),
            "--from",
            "2027-02-01",
            "--reason",
            "r",
            "--ics",
            "x.ics",
            "--force",
            "--quiet",
        ],
    )
    assert result.exit_code == 0, result.output
    assert load_plan(path)[0].schedule.version == 2  # type: ignore[union-attr]


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
