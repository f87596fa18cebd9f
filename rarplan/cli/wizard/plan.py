"""The wizard's plan sections: judgement questions, the selection (with overrides and hours),
desired outcomes, unmet needs, the person's agreement and the responsible officer.

They fill `case.plan`, so the plan written is simply `assess(case, catalogue)`.
Guidance 001: section 5 (desired outcomes agreed ahead), section 6 (a need with no suitable
activity is recorded with the reasons).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable

from rarplan.assess import choices
from rarplan.assess.choices import pending_checks
from rarplan.catalogue.models import Catalogue
from rarplan.cli.wizard.ask import ask_raw_text, choose, text, tick
from rarplan.cli.wizard.case import Session
from rarplan.model.case import Case
from rarplan.model.plan import InterventionResult, Plan

CHECK_ANSWERS = (("yes", "Yes"), ("no", "No"), ("skip", "Skip: leave it to check later"))
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


def ask_check(question: str, ids: list[str], current: bool | None) -> bool | None:
    from rarplan.cli.output import console

    default = "skip" if current is None else ("yes" if current else "no")
    console().print(f"[dim]For {', '.join(ids)}:[/dim]")
    answer = choose(question, CHECK_ANSWERS, default)
    return None if answer == "skip" else answer == "yes"


def checks(s: Session, include_answered: bool = False) -> None:
    d = s.draft
    pending = [
        (key, question, ids)
        for key, question, ids in pending_checks(s.case(), s.catalogue, include_answered)
        if f"checks.{key}" not in d.skip
        and (include_answered or f"checks.{key}" not in d.answered)  # "skip" is an answer too
    ]
    if pending:
        s.heading("Judgement questions")
        s.say("The criteria of the interventions that meet the needs ask for your judgement:")
    for key, question, ids in pending:
        path = f"checks.{key}"
        d.put(path, ask_check(question, ids, d.get(path)))


def selection(s: Session) -> None:
    """Tick interventions for the needs; an excluded one needs a reason; then hours."""
    from rarplan.assess.selection import default_appointments

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
    while True:
        if "plan.interventions" not in d.skip:
            picked = tick(
                title,
                [(r.id, _label(s.catalogue, r)) for r in results],
                picked,
                validate=lambda chosen: (
                    bool(chosen)
                    or not a.propose_rar
                    or "Tick at least one: a RAR is proposed for these needs"
                ),
            )
            d.put("plan.interventions", picked)
        refused = [i for i in picked if status[i].status == "excluded" and not _override(s, i)]
        if not refused:
            break
        picked = [i for i in picked if i not in refused]
        d.skip.discard("plan.interventions")
        d.put("plan.interventions", picked)
        if picked or not a.propose_rar:
            break
        s.say("Choose at least one intervention.")
    for entry_id in list(d.get("plan.overrides", {})):
        if entry_id not in picked or status[entry_id].status != "excluded":  # picked ⊆ status
            d.drop(f"plan.overrides.{entry_id}")
    for entry_id in picked:
        entry = s.catalogue.entries[entry_id]
        most = default_appointments(entry)
        if most is not None:
            text(
                d,
                f"plan.hours.{entry_id}",
                f"Hours for {entry.name}",
                required=True,
                default=most,
                convert=_hours(most),
                instruction=f"(one-hour appointments, 1 to {most})",
            )
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
    label = f"{entry.name} ({r.id}){extra}{mark}{why}"
    # One line each: a wrapped choice would push the list off a small terminal.
    width = shutil.get_terminal_size().columns - 6
    return label if len(label) <= width else label[: width - 1] + "…"


def _override(s: Session, entry_id: str) -> bool:
    """Ask the reason for choosing an excluded intervention; False if the officer unticks it."""
    d = s.draft
    path = f"plan.overrides.{entry_id}"
    if path in d.skip and d.get(path):
        return True
    d.skip.discard(path)
    while True:
        reason = text(
            d,
            path,
            f"Reason to choose {entry_id} though its criteria exclude it",
            instruction="(recorded in the plan)",
        )
        if reason:
            return True
        s.say(f"{entry_id}: an excluded intervention needs a reason.")
        if choose("What now?", [("again", "Give a reason"), ("untick", "Untick it")]) == "untick":
            d.drop(path)
            return False


def _hours(most: int) -> Callable[[str], int]:
    def convert(raw: str) -> int:
        if not raw.strip().isdigit() or not 1 <= int(raw) <= most:
            raise ValueError(f"A whole number from 1 to {most}")
        return int(raw)

    return convert


def outcomes(s: Session, edit: bool = False) -> None:
    """Desired outcomes per selected intervention: the card's aims as defaults, editable.
    Without `edit`, only interventions whose outcomes are not yet agreed are asked about."""
    d = s.draft
    plan = assess_case(s.case(), s.catalogue)
    todo = [
        x
        for x in plan.selected
        if f"plan.outcomes.{x.id}" not in d.skip and (edit or not d.get(f"plan.outcomes.{x.id}"))
    ]
    if todo:
        s.heading("Desired outcomes")
        s.say("Agree the desired outcomes with the person (guidance section 5).")
    for chosen in todo:
        path = f"plan.outcomes.{chosen.id}"
        name = s.catalogue.entries[chosen.id].name
        current = list(d.get(path) or chosen.desired_outcomes)
        s.say(f"\n[bold]Desired outcomes: {name}[/bold]")
        for n, outcome in enumerate(current, 1):
            s.say(f"  {n}. {outcome}")
        action = choose(
            "Agree these outcomes with the person?",
            [("keep", "Keep them"), ("edit", "Edit, add or remove")],
            "keep",
        )
        if action == "edit":
            current = _edit_outcomes(current)
        d.put(path, current)
    for entry_id in list(d.get("plan.outcomes", {})):
        if entry_id not in {x.id for x in plan.selected}:
            d.drop(f"plan.outcomes.{entry_id}")


def _edit_outcomes(current: list[str]) -> list[str]:
    while True:
        kept = []
        for n, outcome in enumerate(current, 1):
            answer = ask_raw_text(
                f"Outcome {n}", outcome, instruction="(blank to remove)", check=_outcome_check
            ).strip()
            if answer:
                kept.append(answer)
        while True:
            more = ask_raw_text(
                f"Outcome {len(kept) + 1}",
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
    todo = [
        n
        for n in uncovered
        if f"plan.unmet_needs.{n}" not in d.skip and (edit or not d.get(f"plan.unmet_needs.{n}"))
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
    if "plan.agreement" not in d.skip:
        d.put(
            "plan.agreement",
            choose("Does the person agree with the plan?", AGREEMENT, d.get("plan.agreement")),
        )
    text(d, "plan.agreement_note", "Note on the person's view", instruction="(optional)")
    text(
        d,
        "plan.responsible_officer",
        "Responsible officer",
        required=True,
        instruction="(name or staff number, as on nDelius)",
    )
