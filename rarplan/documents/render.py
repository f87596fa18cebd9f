"""The documents people read, written from a plan: the plan for the person, the pre-sentence
proposal for the court, and the nDelius referral sheet for each intervention.

This module gathers the facts (dates, days, names, steps) into a context; the words are in the
jinja2 templates in `rarplan/documents/templates/`. Nothing here reads today's date, so the same
plan and catalogue always give the same document. RAR days are counted by `rarplan.model.rardays`.

Sources: docs/sources/001_246201b7ec5ee73b.txt (RAR guidance) sections 3 (the proposal), 4
(what counts as a RAR day), 5 (activities; offender management does not count) and 7 (all
instructed appointments are enforceable); docs/sources/003_2c3b0962518856ac.txt (rate card),
"Non Statutory Interventions (NSI) process to purchase services".
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterable
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from rarplan.assess.treatment import needs_left
from rarplan.assess.wording import activity_words
from rarplan.catalogue.models import Catalogue, Intervention
from rarplan.catalogue.rules import Condition
from rarplan.model.case import ORDER_NAMES
from rarplan.model.dates import hhmm, minutes_of
from rarplan.model.errors import RefusedByRules
from rarplan.model.needs import NEED_AREAS, NEED_LABELS
from rarplan.model.plan import Plan, SelectedIntervention
from rarplan.model.rardays import (
    OFFENDER_MANAGEMENT,
    counts_towards_rar,
    days_planned,
    days_used,
)

if TYPE_CHECKING:
    from jinja2 import Environment

Document = Literal["person", "court", "referral"]
Format = Literal["md", "html"]
DOCUMENTS: tuple[Document, ...] = ("person", "court", "referral")
FORMATS: tuple[Format, ...] = ("md", "html")

MINUTES_A_DAY = 24 * 60
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


class Block(str):
    """Text whose line breaks are kept (the drafted NSI notes); other values are one line."""


def render(
    plan: Plan,
    catalogue: Catalogue,
    document: Document = "person",
    fmt: Format = "md",
    *,
    with_names: bool = False,
) -> str:
    """The document as text: Markdown, or one self-contained HTML file.

    The court document is the pre-sentence proposal (guidance 001 section 3): for a sentenced
    case, or a sentence with no RAR, there is nothing to propose and it is refused (exit 4).
    """
    if document == "court":
        refuse_court_document(plan)
    context = build_context(plan, catalogue, with_names=with_names)
    if document == "referral":
        notes = _environment(html=False).get_template("referral_notes.txt.j2")
        for referral in context["referrals"]:
            text = notes.render(**context, r=referral).strip()
            referral["notes"] = Block(text)
            # A Markdown fence longer than any run of backticks in the text it holds.
            referral["fence"] = "`" * max([3, *(len(m) + 1 for m in re.findall("`+", text))])
    template = _environment(html=fmt == "html").get_template(f"{document}.{fmt}.j2")
    return template.render(**context).rstrip() + "\n"


def refuse_court_document(plan: Plan) -> None:
    """The court proposal is a pre-sentence document (001 section 3: the pre-sentence report
    proposes the RAR days); once sentenced, the court's order stands."""
    sentence = plan.case.sentence
    if sentence.stage == "pre_sentence" and sentence.has_rar:
        return
    raise RefusedByRules(
        f"{plan.crn}: the court document is the pre-sentence proposal, and this case is "
        f"already sentenced ({ORDER_NAMES[sentence.order]}): there is no RAR to propose",
        hint="render the plan for the person or the referral sheet instead; to change the "
        "order, apply to the court for an amendment",
    )


def build_context(plan: Plan, catalogue: Catalogue, *, with_names: bool) -> dict[str, Any]:
    """Everything the templates show, worked out once: no name unless `with_names`."""
    case = plan.case
    a = plan.assessment
    entries = {s.id: catalogue.get(s.id) for s in plan.selected}
    appointments = _appointments(plan, catalogue)
    days = rar_days(plan)
    return {
        "crn": plan.crn,
        "name": case.name if with_names and case.name else None,
        "officer": plan.responsible_officer,
        # The providers of the chosen interventions, where several catalogues are used.
        "provider": "; ".join(dict.fromkeys(catalogue.part_of[i].data.provider for i in entries))
        or catalogue.data.provider,
        "sentence": case.sentence,
        "has_rar": case.sentence.has_rar,
        "in_custody": case.sentence.stage == "sentenced" and case.sentence.setting == "custody",
        "activity": activity_words(case),
        "offence": case.offence,
        "scores": case.scores,
        "circumstances": case.circumstances,
        "availability": plan.availability,
        "assessment": a,
        "agreement": plan.agreement,
        "completion": plan.completion,
        "days": days,
        "scheduled": plan.schedule is not None,
        "appointments": appointments,
        "weeks": weeks(appointments, plan.schedule.start if plan.schedule else None),
        "unscheduled": bool(plan.schedule and plan.schedule.unscheduled),
        "selected": [_selected(plan, s, entries[s.id], appointments) for s in plan.selected],
        "first": _first(plan, catalogue),
        "unmet_needs": [
            {"need": NEED_LABELS.get(u.need, u.need), "reason": u.reason} for u in plan.unmet_needs
        ],
        **_court_unmet(plan),
        "referrals": [
            _referral(plan, s, entries[s.id], catalogue, appointments) for s in plan.selected
        ],
    }


def _court_unmet(plan: Plan) -> dict[str, list[Any]]:
    """The unmet needs as the court reads them, and the notes for the report's author. A reason
    the officer recorded (`[plan.unmet_needs]`) is the court's to read; rarplan's own, which
    names catalogue ids and case-file keys for the officer, goes to the author's notes."""
    officer = plan.case.plan.unmet_needs
    court, notes = [], list(plan.assessment.warnings)
    for u in plan.unmet_needs:
        label = NEED_LABELS.get(u.need, u.need)
        court.append({"need": label, "reason": u.reason if u.need in officer else None})
        if u.need not in officer:
            notes.append(f"{label}: {u.reason}")
    return {"court_unmet": court, "author_notes": notes}


class RarDays(NamedTuple):
    maximum: int | None  # the court's order; none before sentence or without a RAR
    proposed: int | None  # the proposal to the court, before sentence
    planned: int  # distinct dates with an appointment that counts (section 4)
    completed: int  # distinct dates attended (or late) at an appointment that counts


def rar_days(plan: Plan) -> RarDays:
    """RAR days ordered (or proposed), planned and done. Two or more activities on one date
    are one day (guidance 001 section 4); offender management appointments are not RAR days
    (section 5). A sentence with no RAR (sections 1 and 2) has no maximum."""
    sentence = plan.case.sentence
    sentenced = sentence.stage == "sentenced" and sentence.has_rar
    maximum = sentence.rar_max_days if sentenced else None
    proposed = plan.assessment.proposed_days if sentence.has_rar and not sentenced else None
    # a missed session uses no day (its re-offer does), as `status` and `show` count
    planned = days_planned(plan.schedule.appointments if plan.schedule else [], plan.attendance)
    return RarDays(maximum, proposed, planned, days_used(plan.attendance))


def _name(catalogue: Catalogue, entry_id: str) -> str | None:
    """The catalogue's name; None for offender management (the templates name it)."""
    return None if entry_id == OFFENDER_MANAGEMENT else catalogue.get(entry_id).name


def plain_name(entry: Intervention) -> str:
    """What the person would call it (the catalogue's `plain_name`), else its name."""
    return entry.plain_name or entry.name


def _needs_of(plan: Plan, s: SelectedIntervention, entry: Intervention) -> list[str]:
    """The needs this intervention is meant to meet for this person, in the guidance's order."""
    chosen = s.needs or [n for n in entry.needs if n in plan.assessment.needs] or entry.needs
    return [n for n in NEED_AREAS if n in chosen]


def _appointments(plan: Plan, catalogue: Catalogue) -> list[dict[str, Any]]:
    if plan.schedule is None:
        return []
    found = sorted(plan.schedule.appointments, key=lambda x: (x.date, x.start, x.intervention))
    totals = Counter(x.intervention for x in found)
    by_id = {s.id: s for s in plan.selected}
    out = []
    seen: dict[str, int] = {}
    for x in found:
        seen[x.intervention] = seen.get(x.intervention, 0) + 1
        selected = by_id.get(x.intervention)
        needs: list[str] = []
        if x.intervention != OFFENDER_MANAGEMENT:
            entry = catalogue.get(x.intervention)
            needs = _needs_of(plan, selected, entry) if selected else list(entry.needs)
        out.append(
            {
                "date": x.date,
                "start": x.start,
                "end": hhmm((minutes_of(x.start) + x.minutes) % MINUTES_A_DAY),
                "place": x.place,
                "kind": x.kind,
                "intervention": x.intervention,
                "name": _name(catalogue, x.intervention),
                "plain_name": (
                    None
                    if x.intervention == OFFENDER_MANAGEMENT
                    else plain_name(catalogue.get(x.intervention))
                ),
                "number": seen[x.intervention],
                "of": totals[x.intervention],
                "needs": needs,
                "counts": counts_towards_rar(x),
            }
        )
    return out


def weeks(appointments: list[dict[str, Any]], start: date | None) -> list[dict[str, Any]]:
    """Week-by-week rows from the order's first week; a run of weeks with no appointment is
    one row (`gap`), so a year's order still fits a page or two."""
    if not appointments:
        return []
    first_monday = _monday(start or appointments[0]["date"])
    by_week: dict[int, list[dict[str, Any]]] = {}
    for x in appointments:
        by_week.setdefault((_monday(x["date"]) - first_monday).days // 7, []).append(x)
    rows: list[dict[str, Any]] = []
    n, last = min(0, *by_week), max(by_week)
    while n <= last:
        if n in by_week:
            monday = first_monday + timedelta(weeks=n)
            rows.append(
                {"kind": "week", "number": n + 1, "monday": monday, "appointments": by_week[n]}
            )
            n += 1
            continue
        end = n
        while end + 1 not in by_week:
            end += 1
        rows.append(
            {
                "kind": "gap",
                "first": n + 1,
                "last": end + 1,
                "monday": first_monday + timedelta(weeks=n),
                "until": first_monday + timedelta(weeks=end, days=6),
            }
        )
        n = end + 1
    return rows


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _selected(
    plan: Plan, s: SelectedIntervention, entry: Intervention, appointments: list[dict[str, Any]]
) -> dict[str, Any]:
    needs = _needs_of(plan, s, entry)
    return {
        "name": entry.name,
        "plain_name": plain_name(entry),
        "duration": entry.duration.text,
        "needs": needs,
        "need_labels": [NEED_LABELS.get(n, n) for n in needs],
        "desired_outcomes": s.desired_outcomes,
        "appointments": sum(x["intervention"] == s.id for x in appointments),
    }


def _first(plan: Plan, catalogue: Catalogue) -> dict[str, Any]:
    """What the guidance prefers before a RAR (section 2): accredited programmes and treatment
    requirements, with the needs they meet, and the needs left for the RAR."""
    a = plan.assessment
    programmes = []
    for entry_id in a.accredited_programmes:
        entry = catalogue.entries.get(entry_id)
        needs = [n for n in (entry.needs if entry else []) if n in a.needs]
        programmes.append(
            {
                "name": entry.name if entry else entry_id,
                "need_labels": [NEED_LABELS.get(n, n) for n in needs],
            }
        )
    return {
        "programmes": programmes,
        "treatments": list(a.treatment_requirements),
        # one rule with the assessment and --json: no treatment or programme meets them
        "rar_needs": [NEED_LABELS.get(n, n) for n in needs_left(a, catalogue)],
    }


_STEP_NUMBER = re.compile(r"^\s*(?:\d+|[a-z])[.)]\s+")


def _fill(step: str, entry: Intervention, sub_category: str) -> str:
    """The card's step with this entry's NSI category and sub-category put in."""
    text = _STEP_NUMBER.sub("", step)
    if entry.nsi is None:  # referred another way (the catalogue entry's `referral`)
        return text
    return text.replace("{category}", entry.nsi.category).replace("{sub_category}", sub_category)


def _sub_category(entry: Intervention, s: SelectedIntervention) -> str:
    """The sub-category for the block chosen, where the card lists one a block ("Mentoring - 6
    Month Support / Mentoring - 12 Month Support / ...")."""
    sub = entry.nsi.sub_category if entry.nsi else ""
    if s.months:
        matches = [o.strip() for o in sub.split(" / ") if f"{s.months} Month" in o]
        if len(matches) == 1:
            return matches[0]
    return sub


def _step(text: str) -> dict[str, str]:
    """A step split into the nDelius field and the card's instruction, with what rarplan can
    add: `complete` (the officer's own details), `notes`, `start`, `end` or `` (as the card)."""
    label, sep, rest = text.partition(":")
    if not sep:
        return {"text": text, "label": "", "value": "", "field": ""}
    key = label.strip().lower()
    field = ""
    if key in ("your provider", "your team", "your name", "status date & time"):
        field = "complete"
    elif key == "notes":
        field = "notes"
    elif key == "dates":
        field = "start"
    elif key == "expected end date":
        field = "end"
    return {"text": text, "label": label.strip(), "value": rest.strip(), "field": field}


def _referral(
    plan: Plan,
    s: SelectedIntervention,
    entry: Intervention,
    catalogue: Catalogue,
    appointments: list[dict[str, Any]],
) -> dict[str, Any]:
    process = catalogue.referral_process(entry)  # the NSI steps need an NSI
    mine = [x for x in appointments if x["intervention"] == s.id]
    duration = entry.duration
    modules = None
    if entry.nsi and entry.nsi.notes and "module" in entry.nsi.notes.lower():
        hours = s.appointments or (int(duration.max_hours) if duration.max_hours else None)
        per = duration.session_minutes
        modules = {
            "hours": hours,
            "chosen": s.appointments is not None,
            "max_hours": duration.max_hours,
            "session_minutes": per,
            "sessions": hours * 60 // per if hours and per else None,
            "three_way": duration.three_way_assessment,
        }
    needs = _needs_of(plan, s, entry)
    sub = _sub_category(entry, s)
    return {
        "name": entry.name,
        # An nDelius NSI where the catalogue gives one (the rate card); otherwise the route the
        # catalogue names (the national list gives no NSI codes: its "Service Provider Name").
        "category": entry.nsi.category if entry.nsi else "",
        "sub_category": sub,
        "route": "" if entry.nsi else entry.referral,
        "card_notes": entry.nsi.notes if entry.nsi else None,
        "steps": [_step(_fill(x, entry, sub)) for x in process.steps] if process else [],
        "transfer_steps": [_fill(x, entry, sub) for x in process.transfer_steps] if process else [],
        "need_labels": [NEED_LABELS.get(n, n) for n in needs],
        "desired_outcomes": s.desired_outcomes,
        "override_reason": s.override_reason,
        "months": s.months,
        "modules": modules,
        "checks": _checks_answered(entry, plan.case.checks),
        "appointments": len(mine),
        "first_date": mine[0]["date"] if mine else None,
        "last_date": mine[-1]["date"] if mine else None,
        "notes": Block(""),  # drafted from referral_notes.txt.j2 by `render`
        "fence": "```",
    }


def _checks_answered(entry: Intervention, checks: dict[str, bool]) -> list[dict[str, Any]]:
    """The not-suitable judgement questions of the card this case has answered."""
    out: list[dict[str, Any]] = []
    for criterion in entry.not_suitable:
        for cond in _walk([criterion]):
            if cond.check is not None and cond.check in checks:
                out.append(
                    {
                        "text": criterion.text,
                        "question": cond.question or cond.check,
                        "answer": checks[cond.check],
                    }
                )
    return out


def _walk(conditions: Iterable[Condition]) -> Iterable[Condition]:
    for cond in conditions:
        yield cond
        yield from _walk(cond.all or cond.any or [])


def long_date(day: date) -> str:
    """Monday 4 January 2027."""
    return f"{WEEKDAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]} {day.year}"


def short_date(day: date) -> str:
    """Mon 4 Jan 2027."""
    return f"{WEEKDAYS[day.weekday()][:3]} {day.day} {MONTHS[day.month - 1][:3]} {day.year}"


def day_date(day: date) -> str:
    """Mon 4 Jan."""
    return f"{WEEKDAYS[day.weekday()][:3]} {day.day} {MONTHS[day.month - 1][:3]}"


def day_month(day: date) -> str:
    """4 Jan."""
    return f"{day.day} {MONTHS[day.month - 1][:3]}"


def _one_line(value: Any) -> Any:
    """Every value shown on one line (a note with line breaks must not break a Markdown list
    or table), except a `Block`."""
    if isinstance(value, str) and "\n" in value and not isinstance(value, Block):
        return type(value)(" ".join(value.split()))  # keeps Markup (a macro's HTML) safe
    return value


def _cell(value: Any) -> str:
    """A Markdown table cell: a `|` would end the cell."""
    return str(value).replace("|", "\\|")


def _percent(value: float | None) -> str:
    return "" if value is None else f"{value:g}%"


def _upfirst(value: str) -> str:
    return value[:1].upper() + value[1:]


def _lowfirst(value: str) -> str:
    """'Ten sessions' -> 'ten sessions', leaving 'OGRS' or 'CSCS' alone."""
    word = value.split(" ", 1)[0]
    return value if word.isupper() else value[:1].lower() + value[1:]


@functools.cache
def _environment(html: bool) -> Environment:
    """One environment for HTML, where every template is autoescaped (the shared word and
    macro templates too: a macro compiled without escaping would pass a name through raw), and
    one for Markdown and plain text, where nothing is."""
    from jinja2 import Environment, PackageLoader, StrictUndefined

    from rarplan.assess.wording import join
    from rarplan.documents.template_cache import template_cache

    env = Environment(
        loader=PackageLoader("rarplan.documents", "templates"),
        autoescape=html,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=_one_line,
        # compiled once, not on every run; a folder per environment, as escaping differs
        bytecode_cache=template_cache("html" if html else "text", configured_in=__file__),
    )
    env.filters.update(
        long_date=long_date,
        short_date=short_date,
        day_month=day_month,
        day_date=day_date,
        cell=_cell,
        percent=_percent,
        upfirst=_upfirst,
        lowfirst=_lowfirst,
        and_list=join,
    )
    return env
