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
    "needs": ("Needs", ws.needs),
    "scores": ("Scores", ws.scores),
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
    from rarplan.cli.wizard.ask import Back, confirm

    pending = wp.open_checks(case, catalogue)
    if not pending:
        return case
    draft = Draft(drafts_dir(create=False), {"checks": dict(case.checks)})  # never saved: no CRN
    while True:
        try:
            if not confirm(f"Answer {len(pending)} judgement question(s) now?", key="checks"):
                return case
            for key, question, ids in pending:
                wp.ask_check(draft, key, question, [catalogue.entries[i].name for i in ids])
            break
        except Back:
            draft.flush()
    draft.flush()
    return case.model_copy(update={"checks": draft.data.get("checks", {})})


def run_wizard(
    catalogue: Catalogue,
    *,
    out: Path | None,
    force: bool,
    resume: bool,
    case_file: str | None,
    show_all: bool = False,
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
                _walk(session, force, show_all)
                return
            except wc.SwitchDraft as switch:
                session = wc.Session(catalogue, _continue(switch.draft, switch.draft.path))
                session.draft.out = session.draft.out or draft.out
    except BaseException:  # Ctrl-C (exit 130 via output.guard), or anything unforeseen
        if session.draft.save() is not None:
            sys.stderr.write(RESUME_HINT + "\n")
        raise


def _say(message: str) -> None:
    from rarplan.cli.output import rich_console

    rich_console().print(message)


def _prefill(case_file: str | None) -> dict[str, object]:
    if case_file is None:
        return {}
    from rarplan.files.caseio import load_case

    case, _ = load_case(case_file)
    return case.model_dump(mode="json", exclude_none=True)


def _continue(draft: Draft, path: Path | None) -> Draft:
    """Resume a draft: the questions already answered are replayed, not asked again."""
    draft.skip = set(draft.answered) | set(draft.memo)
    when = saved_at(path) if path is not None else ""
    _say(f"Continuing the draft for {draft.crn} saved {when}.")
    return draft


def _walk(s: wc.Session, force: bool, show_all: bool) -> None:
    d = s.draft
    if d.next != "summary":
        _with_back(d, lambda: _sections(s, list(SECTIONS)))
    d.next = "summary"
    d.skip.clear()
    d.save()
    _summary(s, force, show_all)


def _sections(s: wc.Session, names: list[str], **options: bool) -> None:
    """The sections in order (answered questions in `draft.skip` replayed, not asked)."""
    for name in names:
        _run(s, name, **options)
    s.draft.flush()


def _with_back(d: Draft, walk: Callable[[], None], *, first: bool = True) -> None:
    """Run `walk`; when the officer goes back, run it again, replaying the questions before
    the previous one and asking that one again. Going back from the first question asks it
    again (`first`), or leaves `walk` (raising Back) when it is part of a longer walk."""
    from rarplan.cli.wizard.ask import Back

    start = len(d.asked)
    while True:
        try:
            walk()
            d.target = None
            d.skip.clear()
            return
        except Back:
            mine = d.asked[start:]  # the last is the question on screen
            del d.asked[start:]
            d.pending.clear()
            if len(mine) < 2:
                if not first:
                    raise
                d.skip, d.target = set(), None
                _say("[dim]This is the first question.[/dim]")
                continue
            d.skip, d.target = set(mine[:-2]), mine[-2]
            _say("[dim]↩ back to the previous question[/dim]")


def _run(s: wc.Session, name: str, **options: bool) -> None:
    d = s.draft
    d.next = name
    d.save()
    _, section = SECTIONS[name]
    section(s, **options)


def _summary(s: wc.Session, force: bool, show_all: bool) -> None:
    """Show the plan, then write it, edit a section, or stop keeping the draft."""
    from rarplan.cli.wizard import summary as summary
    from rarplan.cli.wizard.ask import Back, choose

    d = s.draft
    while True:
        s.heading("Summary")
        d.flush()
        plan = summary.show(s, show_all)
        menu = [("write", "Write the plan")] if plan is not None else []
        menu += [
            (name, f"Edit {title.lower()}")
            for name, (title, _) in SECTIONS.items()
            if name != "unmet" or plan is None or plan.unmet_needs
        ]
        menu.append(
            ("fold", "Fold the excluded interventions")
            if show_all
            else ("all", "Show all interventions in full")
        )
        menu.append(("cancel", "Cancel (keep draft)"))
        try:
            action = choose(
                "What next?", menu, "write" if plan is not None else None, key="summary"
            )
        except Back:
            _back_from_summary(s)
            continue
        if action in ("all", "fold"):
            show_all = action == "all"
            continue
        if action == "cancel":
            d.save()
            sys.stderr.write(RESUME_HINT + "\n")
            return
        if action == "write" and plan is not None:
            if summary.write(s, plan, force):
                return
            continue
        try:
            _edit(s, action)
        except Back:  # back from the first question of the edit: the summary again
            pass
        d.next = "summary"
        d.save()


def _back_from_summary(s: wc.Session) -> None:
    """Back from the summary: the last question again, every other answer replayed."""
    d = s.draft
    asked, d.asked = d.asked, []
    if asked:
        d.skip, d.target = set(asked[:-1]), asked[-1]
    _with_back(d, lambda: _sections(s, list(SECTIONS)))
    d.next = "summary"
    d.save()


def _edit(s: wc.Session, name: str) -> None:
    """Re-ask one section with the current answers as defaults, then whatever it affects."""
    from rarplan.model.errors import RarplanError

    d = s.draft
    before = _needs(s)
    if name in CHOICE_SECTIONS or name == "agreement":
        edit = {"edit": True} if name in ("outcomes", "unmet") else {}
        _with_back(d, lambda: _sections(s, [name], **edit), first=False)
        if name == "selection":
            _sections(s, ["outcomes", "unmet"])
        return
    checks = {"include_answered": True} if name == "checks" else {}
    _with_back(d, lambda: _sections(s, [name], **checks), first=False)
    if name != "checks":
        _sections(s, ["checks"])
    try:
        wp.assess_case(s.case(), s.catalogue)
        changed = "" if _needs(s) == before else "The needs changed"
    except RarplanError as err:  # e.g. a chosen intervention is now excluded
        changed = err.message
    if changed:
        _say(f"[yellow]![/yellow] {changed}: check the interventions chosen.")
        _sections(s, ["selection"])
    _sections(s, ["outcomes", "unmet"])


def _needs(s: wc.Session) -> list[str]:
    from rarplan.model.errors import RarplanError

    try:
        return s.case().needs.identified()
    except RarplanError:
        return []
