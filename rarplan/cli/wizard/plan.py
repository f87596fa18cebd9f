"""The wizard's plan sections: judgement questions, the selection (with overrides and hours),
desired outcomes, unmet needs, the person's agreement and the responsible officer.

They fill `case.plan`, so the plan written is simply `assess(case, catalogue)`.
Guidance 001: section 5 (desired outcomes agreed ahead), section 6 (a need with no suitable
activity is recorded with the reasons).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable

from rich.markup import escape

from rarplan.assess import choices
from rarplan.assess.choices import pending_checks
from rarplan.catalogue.models import Catalogue
from rarplan.cli.wizard.ask import (
    ask_raw_text,
    ask_yes_no,
    choose,
    confirm,
    own,
    replayed,
    text,
    tick,
)
from rarplan.cli.wizard.case import Session
from rarplan.cli.wizard.draft import Draft
from rarplan.model.case import Case
from rarplan.model.plan import InterventionResult, Plan

AGREEMENT = (
    ("agreed", "Agreed"),
    ("does_not_agree", "Does not agree"),
    ("could_not_answer", "Could not answer (e.g. not seen yet)"),
)


SOURCE = "answers"  # where the case comes from, in the assessment's messages


def assess_case(case: Case, catalogue: Catalogue) -> Plan:
    from rarplan.assess.assessment import assess

    return assess(case, catalogue, source=SOURCE)


def candidates(
    case: Case, catalogue: Catalogue, chosen: list[str]
) -> tuple[Plan, list[InterventionResult]]:
    """The proposal, and the interventions to offer (see rarplan.assess.choices)."""
    return choices.candidates(case, catalogue, chosen, source=SOURCE)


def ask_check(draft: Draft, key: str, question: str, names: list[str]) -> bool | None:
    """A judgement question: y, n, or ? to leave it to check later."""
    draft.say(f"[dim]For {', '.join(names)}:[/dim]")
    if replayed(draft, f"checks.{key}"):
        value: bool | None = draft.get(f"checks.{key}")
        return value
    current = draft.get(f"checks.{key}")
    answer = ask_yes_no(question, current, key=f"checks.{key}")
    draft.put(f"checks.{key}", answer)
    return answer


def open_checks(
    case: Case, catalogue: Catalogue, include_answered: bool = False
) -> list[tuple[str, str, list[str]]]:
    """The judgement questions worth asking: those of an intervention meeting a need that
    the answers would leave open (not excluded) were its questions answered in its favour
    (yes to an eligibility question, no to a not-suitable one). A question that cannot save
    an intervention the facts exclude is not asked."""
    from rarplan.assess.eligibility import judge
    from rarplan.catalogue.facts import case_facts
    from rarplan.catalogue.rules import check_keys

    facts = case_facts(case)
    compiled = catalogue.compiled

    def hopeful(entry_id: str) -> bool:
        rules = compiled.rules[compiled.ids.index(entry_id)]
        best = {k: True for c in rules.entry.eligibility_rules() for k, _ in check_keys(c)}
        best |= {k: False for c in rules.entry.not_suitable for k, _ in check_keys(c)}
        return judge(rules, facts, {**best, **case.checks}).status != "excluded"

    found = []
    for key, question, ids in pending_checks(case, catalogue, include_answered):
        kept = [i for i in ids if key in case.checks or hopeful(i)]
        if kept:
            found.append((key, question, kept))
    return found


def checks(s: Session, include_answered: bool = False) -> None:
    d = s.draft
    pending = [
        (key, question, ids)
        for key, question, ids in open_checks(s.case(), s.catalogue, include_answered=True)
        if include_answered
        or d.revisit(f"checks.{key}")
        or f"checks.{key}" not in d.answered  # "not known" is an answer too
    ]
    if pending:
        s.heading("Judgement questions")
        s.say("The criteria of the interventions that meet the needs ask for your judgement:")
    for key, question, ids in pending:
        ask_check(d, key, question, [s.catalogue.entries[i].name for i in ids])


def selection(s: Session) -> None:
    """Tick interventions for the needs; an excluded one needs a reason; then hours."""

    d = s.draft
    s.heading("Selection")
    proposal, results = candidates(s.case(), s.catalogue, d.get("plan.interventions", []))
    a = proposal.assessment
    status = {r.id: r for r in results}
    if not a.propose_rar:
        s.say(f"[yellow]No RAR is proposed[/yellow]: {a.warnings[-1] if a.warnings else ''}")
    earlier = d.get("plan.interventions")
    picked = [i for i in earlier or [x.id for x in proposal.selected] if i in status]
    title = "Interventions for the plan " + (
        "(ticked: your choice so far)" if earlier else "(ticked: as proposed)"
    )
    # A RAR is proposed for the needs: at least one intervention, if one is eligible.
    needed = a.propose_rar and any(r.status == "eligible" for r in results)
    if not results:
        s.say("No intervention in the catalogue meets these needs in this setting.")
        d.put("plan.interventions", [])
        return
    while True:
        if not replayed(d, "plan.interventions"):
            picked = tick(
                title,
                [(r.id, _label(s.catalogue, r)) for r in results],
                picked,
                validate=lambda chosen: (
                    bool(chosen)
                    or not needed
                    or "Tick at least one: a RAR is proposed for these needs"
                ),
                key="plan.interventions",
            )
            d.put("plan.interventions", picked)
        refused = [i for i in picked if status[i].status == "excluded" and not _override(s, i)]
        if not refused:
            break
        picked = [i for i in picked if i not in refused]
        d.skip.discard("plan.interventions")
        d.put("plan.interventions", picked)
        if picked or not needed:
            break
        s.say("Choose at least one intervention.")
    for entry_id in list(d.get("plan.overrides", {})):
        if entry_id not in picked or status[entry_id].status != "excluded":  # picked ⊆ status
            d.drop(f"plan.overrides.{entry_id}")
    for entry_id in list(d.get("plan.hours", {})):
        if entry_id not in picked:
            d.drop(f"plan.hours.{entry_id}")
    d.save()


def _label(catalogue: Catalogue, r: InterventionResult) -> str:
    entry = catalogue.entries[r.id]
    mark = {"eligible": "", "check": " · to check", "excluded": " · EXCLUDED"}[r.status]
    if not r.addresses_identified_need:
        mark += " · meets no identified need"
    extra = " · accredited programme" if entry.accredited else ""
    why = f": {r.reasons[0]}" if r.status == "excluded" and r.reasons else ""
    label = f"{entry.name}{extra}{mark}{why}"
    # One line each: a wrapped choice would push the list off a small terminal.
    width = shutil.get_terminal_size().columns - 6
    return label if len(label) <= width else label[: width - 1] + "…"


def _override(s: Session, entry_id: str) -> bool:
    """Ask the reason for choosing an excluded intervention; False if the officer unticks it."""
    d = s.draft
    path = f"plan.overrides.{entry_id}"
    name = s.catalogue.entries[entry_id].name
    if path in d.skip and d.get(path):
        d.asked.append(path)
        return True
    d.skip.discard(path)
    while True:
        reason = text(
            d,
            path,
            f"Reason to choose {name} though its criteria exclude it",
            instruction="(recorded in the plan; blank to untick it)",
        )
        if reason:
            return True
        d.drop(path)
        return False


def _hours(most: int) -> Callable[[str], int]:
    def convert(raw: str) -> int:
        if not raw.strip().isdigit() or not 1 <= int(raw) <= most:
            raise ValueError(f"A whole number from 1 to {most}")
        return int(raw)

    return convert


def outcomes(s: Session, edit: bool = False) -> None:
    """Hours and desired outcomes of the selected interventions, the card's aims by default
    (guidance section 5: agreed with the person), shown together and kept with one answer;
    a `no` (or `edit`) goes through them one intervention at a time."""
    from rarplan.assess.selection import default_appointments

    d = s.draft
    plan = assess_case(s.case(), s.catalogue)
    for entry_id in list(d.get("plan.outcomes", {})):
        if entry_id not in {x.id for x in plan.selected}:
            d.drop(f"plan.outcomes.{entry_id}")
    again = edit or d.revisit("outcomes.agreed")
    todo = [x for x in plan.selected if again or not d.get(f"plan.outcomes.{x.id}")]
    if not todo:
        return
    s.heading("Desired outcomes")
    s.say("Agree the desired outcomes with the person (guidance section 5).")
    for chosen in todo:
        entry = s.catalogue.entries[chosen.id]
        hours = f" ({chosen.appointments} one-hour appointments)" if chosen.appointments else ""
        s.say(f"\n[bold]{escape(entry.name)}[/bold]{hours}")
        for n, outcome in enumerate(
            d.get(f"plan.outcomes.{chosen.id}") or chosen.desired_outcomes, 1
        ):
            s.say(f"  {n}. {escape(outcome)}")
    keep = not edit and own(
        d,
        "outcomes.agreed",
        lambda current: confirm(
            "Keep these hours and outcomes?",
            True if current is None else bool(current),
            key="outcomes.agreed",
        ),
    )
    for chosen in todo:
        path = f"plan.outcomes.{chosen.id}"
        current = list(d.get(path) or chosen.desired_outcomes)
        if not keep:
            entry = s.catalogue.entries[chosen.id]
            most = default_appointments(entry)
            if most is not None:
                text(
                    d,
                    f"plan.hours.{chosen.id}",
                    f"Hours for {entry.name}",
                    required=True,
                    default=most,
                    convert=_hours(most),
                    instruction=f"(one-hour appointments, 1 to {most})",
                )
            s.say(f"[bold]Desired outcomes: {escape(entry.name)}[/bold]")
            current = _edit_outcomes(d, chosen.id, current)
        d.put(path, current)


def _edit_outcomes(d: Draft, entry_id: str, current: list[str]) -> list[str]:
    key = f"plan.outcomes.{entry_id}"
    if replayed(d, key):
        return current
    while True:
        kept = []
        for n, outcome in enumerate(current, 1):
            answer = ask_raw_text(
                f"Outcome {n}",
                outcome,
                key=f"{key}.{n}",
                instruction="(blank to remove)",
                check=_outcome_check,
            ).strip()
            if answer:
                kept.append(answer)
        while True:
            more = ask_raw_text(
                f"Outcome {len(kept) + 1}",
                key=f"{key}.{len(kept) + 1}",
                instruction="(another outcome; blank when done)",
                check=_outcome_check,
            ).strip()
            if not more:
                break
            kept.append(more)
        if kept:
            return kept
        current = [""]


def _outcome_check(raw: str) -> str:
    if len(raw.strip()) > 500:
        raise ValueError("At most 500 characters")
    return raw


def unmet(s: Session, edit: bool = False) -> None:
    """Needs no chosen intervention covers: recorded with the reason, never dropped.
    Without `edit`, only needs with no reason yet are asked about."""
    from rarplan.model.needs import NEED_LABELS

    d = s.draft
    uncovered, proposed = choices.unmet_needs_to_record(s.case(), s.catalogue, source=SOURCE)
    for need in list(d.get("plan.unmet_needs", {})):
        if need not in uncovered:
            d.drop(f"plan.unmet_needs.{need}")
    for need in uncovered:
        if need in proposed and not d.get(f"plan.unmet_needs.{need}"):
            d.put(f"plan.unmet_needs.{need}", proposed[need], save=False)
    todo = [
        n
        for n in uncovered
        if d.revisit(f"plan.unmet_needs.{n}") or edit or not d.get(f"plan.unmet_needs.{n}")
    ]
    if todo:
        s.heading("Unmet needs")
        s.say(
            "A need the chosen interventions do not meet is recorded with the reason "
            "(guidance section 6)."
        )
    for need in todo:
        text(
            d,
            f"plan.unmet_needs.{need}",
            f"Why is {NEED_LABELS[need].lower()} not met by the plan?",
            required=True,
            default=proposed.get(need),
            instruction="(recorded in the plan)",
        )


def agreement(s: Session) -> None:
    d = s.draft
    s.heading("Agreement and officer")
    if not replayed(d, "plan.agreement"):
        d.put(
            "plan.agreement",
            choose(
                "Does the person agree with the plan?",
                AGREEMENT,
                d.get("plan.agreement"),
                key="plan.agreement",
            ),
        )
    text(d, "plan.agreement_note", "Note on the person's view", instruction="(optional)")
    text(
        d,
        "plan.responsible_officer",
        "Responsible officer",
        required=True,
        instruction="(name or staff number, as on nDelius)",
    )
