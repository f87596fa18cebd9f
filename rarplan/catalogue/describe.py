"""Catalogue entries in readable words, for `catalogue list/show` and the documents."""

from __future__ import annotations

from typing import Any

from rarplan.catalogue.models import Catalogue, Intervention, SessionPart
from rarplan.catalogue.rules import Criterion, describe

KIND_WORDS = {
    "group": "group",
    "individual": "individual",
    "pre_group": "pre-group",
    "three_way": "three-way",
    "assessment": "assessment",
    "conference": "conference",
    "full_day": "full day",
}


def part_words(part: SessionPart) -> str:
    length = f" × {part.minutes} min" if part.minutes else ""
    up_to = "up to " if part.up_to else ""
    return f"{up_to}{part.count} {KIND_WORDS[part.kind]}{length}"


def duration_summary(entry: Intervention) -> str:
    d = entry.duration
    bits = [part_words(p) for p in d.sessions]
    if d.max_hours:
        session = f", {d.session_minutes}-min sessions" if d.session_minutes else ""
        visits = f", max {d.max_visits} visit(s)" if d.max_visits else ""
        bits.append(f"max {d.max_hours:g} h{session}{visits}")
    if d.months:
        bits.append(" / ".join(str(m) for m in d.months) + " months")
    if d.over_weeks:
        bits.append(f"over {d.over_weeks} weeks")
    if d.negotiated:
        bits.append("negotiated")
    return "; ".join(bits)


def criterion_dict(c: Criterion) -> dict[str, Any]:
    out: dict[str, Any] = {"text": c.text, "rule": describe(c)}
    if c.check:
        out["check"] = c.check
    if c.note:
        out["note"] = c.note
    return out


def referral_steps(catalogue: Catalogue, entry: Intervention) -> list[str]:
    process = catalogue.referral_process(entry)
    if process is None or entry.nsi is None:
        return []
    nsi = entry.nsi
    return [
        s.replace("{category}", nsi.category).replace("{sub_category}", nsi.sub_category)
        for s in process.steps
    ]


def entry_dict(catalogue: Catalogue, entry: Intervention, full: bool) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": entry.id,
        "name": entry.name,
        "plain_name": entry.plain_name,  # what the person document calls it
        "section": entry.section,
        "needs": list(entry.needs),
        "accredited": entry.accredited,
        "setting": entry.setting,
        "delivery": entry.delivery,
        "counts_towards_rar": entry.counts_towards_rar,
        "duration": duration_summary(entry),
        "regions": catalogue.area(entry),
        # Which catalogue it comes from, when several are used together (issue 18).
        "catalogue": catalogue.part_of[entry.id].name,
        "provider": catalogue.part_of[entry.id].data.provider,
    }
    if not full:
        return out
    out.update(
        summary=entry.summary,
        aims=list(entry.aims),
        duration_text=list(entry.duration.text),
        sessions=[p.model_dump() for p in entry.duration.sessions],
        eligibility=[criterion_dict(c) for c in entry.eligibility],
        not_suitable=[criterion_dict(c) for c in entry.not_suitable],
        prerequisites=list(entry.prerequisites),
        may_precede=list(entry.may_precede),
        nsi=entry.nsi.model_dump(exclude_none=True) if entry.nsi else None,
        referral=entry.referral,
        referral_steps=referral_steps(catalogue, entry),
        transfer_steps=list(process.transfer_steps)
        if (process := catalogue.referral_process(entry))
        else [],
        source=entry.source.model_dump(),
        note=entry.note,
    )
    return out
