"""The interactive assessment (`rarplan assess` in a terminal): questions in sections, each only
when relevant; the assessment shown; the officer's choices; a summary to confirm or edit; the
plan written. A draft is saved after every answer, so Ctrl-C loses nothing: `--resume`
continues the most recent draft.

Also `answer_checks`, which asks the judgement questions a case file leaves open.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from rarplan.assess.choices import pending_checks, without_choices
from rarplan.catalogue.models import Catalogue
from rarplan.cli.wizard import case as wc
from rarplan.cli.wizard import plan as wp
from rarplan.cli.wizard import scores as ws
from rarplan.cli.wizard.draft import RESUME_HINT, Draft, drafts_dir, existing, load, saved_at
from rarplan.model.case import Case

Section = Callable[[wc.Session], None]
CASE_SECTIONS: dict[str, tuple[str, Section]] = {
    "identity": ("Identity", wc.identity),
    "sentence": ("Sentence", wc.sentence),
    "offence": ("Offence", wc.offence),
    "scores": ("Scores", ws.scores),
    "needs": ("Needs", ws.needs),
    "circumstances": ("Circumstances", ws.circumstances),
}
PLAN_SECTIONS: dict[str, tuple[str, Section]] = {
    "checks": ("Judgement questions", wp.checks),
    "selection": ("Selection", wp.selection),
    "outcomes": ("Desired outcomes", wp.outcomes),
    "unmet": ("Unmet needs", wp.unmet),
    "agreement": ("Agreement and officer", wp.agreement),
}
SECTIONS = {**CASE_SECTIONS, **PLAN_SECTIONS}
CHOICE_SECTIONS = ("selection", "outcomes", "unmet")


def answer_checks(case: Case, catalogue: Catalogue) -> Case:
    """Ask the judgement questions a case file leaves open (officer may skip them all)."""
    from rarplan.cli.wizard.ask import confirm

    pending = pending_checks(case, catalogue)
    if not pending or not confirm(f"Answer {len(pending)} judgement question(s) now?"):
        return case
    answers = dict(case.checks)
    for key, question, ids in pending:
        value = wp.ask_check(question, ids, None)
        if value is not None:
            answers[key] = value
    return case.model_copy(update={"checks": answers})


def run_wizard(
    catalogue: Catalogue, *, out: Path | None, force: bool, resume: bool, case_file: str | None
) -> None:
    from rarplan.model.errors import UsageError

    if resume and case_file is not None:
        raise UsageError("give either CASE or --resume, not both")
    folder = drafts_dir()
    if resume:
        found = existing(folder)
        if not found:
            raise UsageError(
                f"no draft to resume in {folder}", hint="start one with `rarplan assess`"
            )
        draft = _continue(load(found[0]), found[0])
    else:
        draft = Draft(folder, _prefill(case_file))
        waiting = existing(folder)
        if waiting:
            _say(
                f"{len(waiting)} unfinished draft(s), the latest for {waiting[0].stem} "
                f"({saved_at(waiting[0])}): `rarplan assess --resume` continues it."
            )
    if out is not None:
        draft.out = str(out.resolve())  # the same file, wherever --resume is run from
    session = wc.Session(catalogue, draft)
    try:
        while True:
            try:
                _walk(session, force)
                return
            except wc.SwitchDraft as switch:
                session = wc.Session(catalogue, _continue(switch.draft, switch.draft.path))
                session.draft.out = session.draft.out or draft.out
    except BaseException:  # Ctrl-C (exit 130 via output.guard), or anything unforeseen
        if session.draft.save() is not None:
            sys.stderr.write(RESUME_HINT + "\n")
        raise


def _say(message: str) -> None:
    from rarplan.cli.output import console

    console().print(message)


def _prefill(case_file: str | None) -> dict[str, object]:
    if case_file is None:
        return {}
    from rarplan.files.caseio import load_case

    case, _ = load_case(case_file)
    return case.model_dump(mode="json", exclude_none=True)


def _continue(draft: Draft, path: Path | None) -> Draft:
    """Resume a draft: the questions already answered in its section are not asked again."""
    draft.skip = set(draft.answered)
    when = saved_at(path) if path is not None else ""
    _say(f"Continuing the draft for {draft.crn} saved {when}.")
    return draft


def _walk(s: wc.Session, force: bool) -> None:
    d = s.draft
    names = list(SECTIONS)
    start = names.index(d.next) if d.next in names else len(names)
    for name in names[start:]:
        if name == "checks":
            s.heading("Assessment")
            _show(s, without_choices(s.case()))
        _run(s, name)
    d.next = "summary"
    d.skip.clear()
    d.save()
    _summary(s, force)


def _run(s: wc.Session, name: str, **options: bool) -> None:
    d = s.draft
    d.next = name
    d.save()
    _, section = SECTIONS[name]
    section(s, **options)
    d.skip.clear()


def _show(s: wc.Session, case: Case) -> None:
    from rarplan.cli.views.assess import show_assessment

    show_assessment(wp.assess_case(case, s.catalogue), s.catalogue, None)


def _summary(s: wc.Session, force: bool) -> None:
    """Show the plan, then write it, edit a section, or stop keeping the draft."""
    from rarplan.cli.wizard import summary as summary
    from rarplan.cli.wizard.ask import choose

    d = s.draft
    while True:
        s.heading("Summary")
        plan = summary.show(s)
        menu = [("write", "Write the plan")] if plan is not None else []
        menu += [
            (name, f"Edit {title.lower()}")
            for name, (title, _) in SECTIONS.items()
            if name != "unmet" or plan is None or plan.unmet_needs
        ]
        menu.append(("cancel", "Cancel (keep draft)"))
        action = choose("What next?", menu, "write" if plan is not None else None)
        if action == "cancel":
            d.save()
            sys.stderr.write(RESUME_HINT + "\n")
            return
        if action == "write" and plan is not None:
            if summary.write(s, plan, force):
                return
            continue
        _edit(s, action)
        d.next = "summary"
        d.save()


def _edit(s: wc.Session, name: str) -> None:
    """Re-ask one section with the current answers as defaults, then whatever it affects."""
    from rarplan.model.errors import RarplanError

    before = _needs(s)
    if name in CHOICE_SECTIONS or name == "agreement":
        _run(s, name, **({"edit": True} if name in ("outcomes", "unmet") else {}))
        if name == "selection":
            _run(s, "outcomes")
            _run(s, "unmet")
        return
    _run(s, name, **({"include_answered": True} if name == "checks" else {}))
    if name != "checks":
        _run(s, "checks")
    try:
        wp.assess_case(s.case(), s.catalogue)
        changed = "" if _needs(s) == before else "The needs changed"
    except RarplanError as err:  # e.g. a chosen intervention is now excluded
        changed = err.message
    if changed:
        _say(f"[yellow]![/yellow] {changed}: check the interventions chosen.")
        _run(s, "selection")
    _run(s, "outcomes")
    _run(s, "unmet")


def _needs(s: wc.Session) -> list[str]:
    from rarplan.model.errors import RarplanError

    try:
        return s.case().needs.identified()
    except RarplanError:
        return []
