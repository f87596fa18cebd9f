"""Placing sessions on dates and times: the two strategies and the offender-management rhythm.

- steady: one intervention at a time, one session a week, never two RAR activities on a date;
- compact: interventions side by side, each still weekly, a session paired on a date that
  already holds one RAR activity when that date falls in its week (two activities on one date
  are still one RAR day: RAR guidance, ../shared/seeds/001_246201b7ec5ee73b.txt, section 4).
A session that cannot be placed before the order ends is recorded, with every later session of
its intervention, as not fitting; the caller refuses the whole schedule.

The rhythm runs from the date a session was meant for, not the date it got: a session moved by a
bank holiday (Easter Monday to the Tuesday) or a busy date is a one-off, and the next one returns
to the rhythm's weekday (`next_beat`).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Literal, NamedTuple

from rarplan.model.dates import add_months, hhmm
from rarplan.model.plan import Appointment
from rarplan.model.rardays import OFFENDER_MANAGEMENT
from rarplan.schedule.calendar import WEEKDAY_NAMES, Calendar, Diary
from rarplan.schedule.sessions import DEFAULT_MINUTES, Session, Slot, Work

Strategy = Literal["steady", "compact"]
OmFrequency = Literal["none", "weekly", "fortnightly", "monthly"]
OM_START = 14 * 60  # RO appointments at 14:00 unless the date is busy then
PAIR_LIMIT = 2  # at most two RAR activities on one date ("pairs")
PAIR_MINUTES = 300  # and no more than five hours of them
WEEK = timedelta(days=7)
ONE_DAY = timedelta(days=1)


class NotFitting(NamedTuple):
    intervention: str
    sessions: tuple[int, ...]
    reason: str


class Placer:
    def __init__(self, cal: Calendar, diary: Diary, strategy: Strategy, end: date) -> None:
        self.cal = cal
        self.diary = diary
        self.strategy = strategy
        self.end = end
        self.appointments: list[Appointment] = []
        self.not_fitting: list[NotFitting] = []
        self.first: dict[str, date] = {}
        self.last: dict[str, date] = {}
        self.beat: dict[str, date] = {}  # the date the rhythm meant for the last one placed
        self.failed: set[str] = set()

    def note_kept(self, appointment: Appointment) -> None:
        a = appointment
        self.diary.book(a.date, _minutes(a.start), a.minutes, a.counts_towards_rar)
        if a.date < self.first.get(a.intervention, date.max):
            self.first[a.intervention] = a.date
        if a.date > self.last.get(a.intervention, date.min):
            self.last[a.intervention] = a.date

    # -- one intervention -------------------------------------------------------------------

    def place_work(self, work: Work, earliest: date) -> bool:
        """Place the work's sessions not yet kept, from `earliest`; False if some do not fit."""
        remaining = [s for s in work.sessions if s.number not in work.done]
        if not remaining:
            return True
        slot = work.slot
        if slot is not None and any(s.weekly_slot for s in remaining):
            if slot.weekday not in self.cal.weekdays:
                where = "the catalogue" if slot.source == "catalogue" else slot.source
                self._fail(
                    work,
                    remaining,
                    f"the group runs on {WEEKDAY_NAMES[slot.weekday]} (from "
                    f"{where}), a day the person cannot attend",
                )
                return False
        gap = work.gap_days
        if work.span_months is not None:
            begin = self.first.get(work.id) or self.cal.next_available(earliest)
            block_end = add_months(begin, work.span_months) - ONE_DAY if begin else None
            if begin is None or block_end is None or block_end > self.end:
                self._fail(
                    work,
                    remaining,
                    f"a {work.span_months}-month block would end after the "
                    f"order ends on {self.end.isoformat()}",
                )
                return False
            gap = max(1, ((block_end - begin).days + 1) // len(work.sessions))
        previous = self.last.get(work.id)
        step = timedelta(days=gap)
        target = None if previous is None else previous + step
        for n, session in enumerate(remaining):
            at = earliest if target is None else max(earliest, target)
            placed = self._place_one(work, session, at)
            if placed is None:
                self._fail(
                    work, remaining[n:], f"no date before the order ends on {self.end.isoformat()}"
                )
                return False
            # the rhythm starts where the first session went; later ones keep to it
            meant = placed if target is None else at
            self.beat[work.id] = meant
            target = next_beat(meant, step, placed)
        return True

    def _fail(self, work: Work, sessions: list[Session], reason: str) -> None:
        numbers = tuple(s.number for s in sessions)
        self.not_fitting.append(NotFitting(work.id, numbers, reason))
        self.failed.add(work.id)

    def _room(self, day: date, minutes: int, counts: bool) -> bool:
        if not counts:
            return True
        already = self.diary.counting.get(day, 0)
        if self.strategy == "steady" or already == 0:
            return already == 0
        return already < PAIR_LIMIT and (
            self.diary.counting_minutes.get(day, 0) + minutes <= PAIR_MINUTES
        )

    def _place_one(self, work: Work, session: Session, at: date) -> date | None:
        cal, diary, minutes = self.cal, self.diary, session.minutes
        if session.weekly_slot and work.slot is not None:
            slot = work.slot
            day = cal.next_on_weekday(at, slot.weekday)
            while day is not None:
                if diary.free(day, slot.start, minutes) and self._room(day, minutes, work.counts):
                    return self._book(work, session, day, slot.start, slot.place)
                day = cal.next_on_weekday(day + ONE_DAY, slot.weekday)
            return None
        preferred = session.preferred_start
        if self.strategy == "compact" and work.counts:
            for k in range(7):  # a date in the session's week that already has one activity
                day = at + timedelta(days=k)
                if (
                    diary.counting.get(day)
                    and self._room(day, minutes, True)
                    and cal.available(day)
                ):
                    start = diary.find_time(day, minutes, preferred)
                    if start is not None:
                        return self._book(work, session, day, start, None)
        found = cal.next_available(at)
        while found is not None:
            if self._room(found, minutes, work.counts):
                start = diary.find_time(found, minutes, preferred)
                if start is not None:
                    return self._book(work, session, found, start, None)
            found = cal.next_available(found + ONE_DAY)
        return None

    def _book(self, work: Work, s: Session, day: date, start: int, place: str | None) -> date:
        self.diary.book(day, start, s.minutes, work.counts)
        self.appointments.append(
            Appointment(
                date=day,
                start=hhmm(start),
                minutes=s.minutes,
                intervention=work.id,
                session=s.number,
                offer=work.offers.get(s.number),
                kind=s.kind,
                counts_towards_rar=work.counts,
                place=place,
            )
        )
        self.first.setdefault(work.id, day)
        self.last[work.id] = max(day, self.last.get(work.id, day))
        return day

    # -- the whole plan ---------------------------------------------------------------------

    def _earliest(self, work: Work, everyone: list[Work], base: date) -> date | None:
        """From `base`, after its prerequisites end and after the start of any entry that may
        precede it; None (recorded as not fitting) when one of those does not fit."""
        ids = {w.id for w in everyone}
        waits = [p for p in work.prerequisites if p in ids]
        follows = [w.id for w in everyone if work.id in w.may_precede]
        blocked = [p for p in waits + follows if p in self.failed]
        if blocked:
            remaining = [s for s in work.sessions if s.number not in work.done]
            self._fail(work, remaining, f"waits for {blocked[0]}, which does not fit")
            return None
        earliest = base
        for p in waits:
            if p in self.last:
                earliest = max(earliest, self.last[p] + ONE_DAY)
        for p in follows:
            if p in self.first:
                earliest = max(earliest, self.first[p] + ONE_DAY)
        return earliest

    def steady(self, works: list[Work], start: date) -> None:
        """One intervention after another, the next starting the week after the last ends.
        Mentoring and wrap-around blocks are support around the steps: they run alongside on
        dates of their own, placed last unless another entry waits for them."""
        needed = {p for w in works for p in w.prerequisites} | {
            w.id for w in works if any(m in {x.id for x in works} for m in w.may_precede)
        }
        alongside = [w for w in works if w.span_months is not None and w.id not in needed]
        cursor = start
        for work in works:
            if work in alongside:
                continue
            block = work.span_months is not None
            earliest = self._earliest(work, works, start if block else cursor)
            if earliest is None or not self.place_work(work, earliest):
                if not block:
                    cursor = self.end + ONE_DAY  # everything after it cannot fit either
                continue
            if not block and work.id in self.last:
                if any(s.number not in work.done for s in work.sessions):
                    beat = self.beat.get(work.id, self.last[work.id])
                    cursor = max(cursor, next_beat(beat, WEEK, self.last[work.id]))
        self.compact(alongside, start, among=works)

    def compact(self, works: list[Work], start: date, among: list[Work] | None = None) -> None:
        """Side by side: each starts once its prerequisites end and after any entry that may
        precede it has started (`among`: all the plan's works, when placing a few of them)."""
        for work in works:
            earliest = self._earliest(work, among if among is not None else works, start)
            if earliest is not None:
                self.place_work(work, earliest)

    def offender_management(self, frequency: OmFrequency, start: date, first_number: int) -> None:
        """RO appointments (never RAR days: guidance section 5), one per week, fortnight or
        month, on the first date in each period the person can attend."""
        if frequency == "none":
            return
        number, period_start, k = first_number, start, 0
        minutes = DEFAULT_MINUTES["offender_management"]
        while period_start <= self.end:
            k += 1
            if frequency == "monthly":
                period_end = add_months(start, k)
            else:
                period_end = period_start + (WEEK if frequency == "weekly" else 2 * WEEK)
            day = self.cal.next_available(period_start)
            while day is not None and day < period_end:
                at = self.diary.find_time(day, minutes, OM_START)
                if at is not None:
                    self.diary.book(day, at, minutes, False)
                    self.appointments.append(
                        Appointment(
                            date=day,
                            start=hhmm(at),
                            minutes=minutes,
                            intervention=OFFENDER_MANAGEMENT,
                            session=number,
                            kind="offender_management",
                            counts_towards_rar=False,
                        )
                    )
                    number += 1
                    break
                day = self.cal.next_available(day + ONE_DAY)
            period_start = period_end


def next_beat(meant: date, step: timedelta, placed: date) -> date:
    """The rhythm's next date after a session meant for `meant` and placed on `placed`: one
    step on from `meant`, and further whole steps until it falls after `placed`."""
    beat = meant + step
    while beat <= placed:
        beat += step
    return beat


def _minutes(text: str) -> int:
    return int(text[:2]) * 60 + int(text[3:5])


def default_slot(cal: Calendar) -> Slot:
    """Group sessions without a provider timetable: the first weekday the person can attend,
    at 10:00."""
    weekday = min(cal.weekdays) if cal.weekdays else 0
    return Slot(weekday, 10 * 60, None, "default")
