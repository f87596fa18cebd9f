"""A small catalogue in the real format, and checks shared by the scheduling tests.

Durations as the rate card gives them (docs/sources/003_2c3b0962518856ac.txt, "Duration").
No tests here: imported by test_scheduling*.py, test_schedule_cli.py and test_ics.py.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from typing import Any

from rarplan.catalogue import load as catalogue
from rarplan.model import rardays
from rarplan.model.dates import minutes_of
from rarplan.model.plan import Plan, Schedule
from rarplan.schedule.calendar import bank_holidays


def entry(entry_id: str, duration: dict[str, Any], **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": entry_id,
        "name": entry_id.replace("-", " ").title(),
        "section": "Test services",
        "needs": ["attitudes_thinking_behaviour"],
        "setting": "community",
        "delivery": "either",
        "aims": ["To test the scheduler"],
        "duration": {"text": ["as the card says"], **duration},
        "nsi": {"category": "ES - Test", "sub_category": entry_id},
        "source": {"file": "003_2c3b0962518856ac.txt", "heading": entry_id},
    }
    data.update(extra)
    return data


ENTRIES: list[dict[str, Any]] = [
    # "Ten sessions", group-work: no length on the card (default 120 minutes), no timetable.
    entry("job-club", {"sessions": [{"kind": "group", "count": 10}]}),
    # "Maximum of six hours including any assessment ... each session approximately 20 minutes"
    entry("msrp-home", {"max_hours": 6, "session_minutes": 20, "three_way_assessment": True}),
    entry("msrp-future", {"max_hours": 6, "session_minutes": 20, "three_way_assessment": True}),
    # "Six sessions with a trained officer"; "sequence ... before ... a domestic abuse intervention"
    entry(
        "beai",
        {"sessions": [{"kind": "individual", "count": 6}]},
        may_precede=["domestic-abuse-programme"],
    ),
    entry(
        "domestic-abuse-programme",
        {"sessions": [{"kind": "group", "count": 12, "minutes": 120}]},
        timetable={"weekday": "wed", "start": "18:00"},
    ),
    # "12 sessions" group-work, with a provider time in the catalogue.
    entry(
        "cadu",
        {"sessions": [{"kind": "group", "count": 12}]},
        timetable={"weekday": "thu", "start": "13:00"},
    ),
    # Resolve: 22 groups of 2.5 hours, four one-hour individual, one three-way. Accredited.
    entry(
        "resolve",
        {
            "sessions": [
                {"kind": "group", "count": 22, "minutes": 150},
                {"kind": "individual", "count": 4, "minutes": 60},
                {"kind": "three_way", "count": 1},
            ]
        },
        accredited=True,
        counts_towards_rar=False,
        timetable={"weekday": "mon", "start": "10:00"},
    ),
    entry("mentor-support", {"months": [6, 12, 18]}),
    entry("ttg-level-1", {"max_hours": 3, "max_visits": 1}, setting="custody"),
    entry(
        "ttg-level-2",
        {"max_hours": 6, "max_visits": 3},
        setting="custody",
        prerequisites=["ttg-level-1"],
    ),
    entry(
        "ttg-level-3",
        {"max_hours": 8, "max_visits": 4},
        setting="custody",
        prerequisites=["ttg-level-2"],
    ),
    entry("practitioner-toolkit", {"negotiated": True}),
    entry("verge-of-recall", {"over_weeks": 2, "negotiated": True}),
    entry("cscs-card-training", {"sessions": [{"kind": "full_day", "count": 2}]}),
    entry(
        "domestic-abuse-one-to-one",
        {"sessions": [{"kind": "individual", "count": 12, "minutes": 90, "up_to": True}]},
    ),
    entry("restorative-justice-conferencing", {"sessions": [{"kind": "conference", "count": 1}]}),
    # Level one of a community pathway with a prerequisite, to test ordering in the community.
    entry("steps-one", {"sessions": [{"kind": "individual", "count": 3}]}),
    entry(
        "steps-two", {"sessions": [{"kind": "individual", "count": 3}]}, prerequisites=["steps-one"]
    ),
]


def test_catalogue(entries: list[dict[str, Any]] | None = None) -> catalogue.Catalogue:
    raw: dict[str, object] = {"provider": "Test provider", "intervention": entries or ENTRIES}
    return catalogue.from_dict(raw, "test.toml")


test_catalogue.__test__ = False  # type: ignore[attr-defined]  # a helper, not a test


def check_invariants(plan: Plan, schedule: Schedule, rar_max: int) -> None:
    """What every schedule must satisfy (issue 3, 'Done when'; guidance sections 4 and 7). A
    missed appointment stays in a re-planned schedule, uses no day, and its session is offered
    again (issue 17)."""
    apps = schedule.appointments
    missed = {(r.date, r.intervention, r.session) for r in plan.attendance if rardays.missed(r)}
    counting = {
        a.date
        for a in apps
        if a.counts_towards_rar and (a.date, a.intervention, a.session) not in missed
    }
    assert schedule.rar_days_planned == len(counting)
    assert schedule.rar_days_planned <= rar_max
    days = set(plan.availability.days)
    since = schedule.replanned_from or schedule.start  # kept appointments met the old rules
    for a in apps:
        assert a.date.weekday() < 5, a
        assert a.date not in bank_holidays(a.date.year), a
        if a.date < since:
            continue
        assert ("mon", "tue", "wed", "thu", "fri")[a.date.weekday()] in days, a
        for r in plan.availability.unavailable:
            assert not r.start <= a.date <= r.end, a
        assert schedule.start <= a.date <= schedule.order_end, a
    by_date: dict[date, list[tuple[int, int]]] = {}
    for a in apps:
        s = minutes_of(a.start)
        by_date.setdefault(a.date, []).append((s, s + a.minutes))
    for slots in by_date.values():
        slots.sort()
        for (_, e1), (s2, _) in zip(slots, slots[1:], strict=False):
            assert e1 <= s2, slots
    keys = Counter(
        (a.intervention, a.session)
        for a in apps
        if (a.date, a.intervention, a.session) not in missed
    )
    assert all(n == 1 for n in keys.values()), keys
    offers = Counter((a.intervention, a.session, a.offer) for a in apps)
    assert all(n == 1 for n in offers.values()), offers  # the calendar's UIDs are unique


def weekly(d: date, n: int) -> list[date]:
    return [d + timedelta(weeks=k) for k in range(n)]
