"""The wizard's case sections, part one: identity, sentence, offence (and the session they share).

Each question is asked only where it matters (drink-drive questions for a drink-driving
offence, SARA for intimate partner violence, dynamic risk factors below OGRS 25%, the four
sexual offending factors for sexual offences: RAR guidance 001, section 3), and an answer that
stops mattering after an edit is dropped rather than left behind.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rarplan.catalogue.models import Catalogue
from rarplan.cli.wizard.ask import (
    ask_raw_text,
    choose,
    confirm,
    parse,
    replayed,
    select,
    text,
    tick,
    yes_no,
)
from rarplan.cli.wizard.draft import RULE, Draft, existing, load, saved_at
from rarplan.cli.wizard.labels import (
    COURT_ONLY,
    INDEX_OFFENCES,
    MAYBE_SEXUALLY_MOTIVATED,
    NOT_RECORDED,
    OTHER_REQUIREMENTS,
    SENTENCE_KINDS,
)
from rarplan.cli.wizard.relevant import Relevant, relevant
from rarplan.model.case import RAR_ORDERS, REGION_NAMES, Case

if TYPE_CHECKING:
    from rarplan.assess.ogrs import Ogrs3Result


class SwitchDraft(Exception):  # noqa: N818 - a signal, not an error
    """The officer chose to continue another draft (one for the CRN just entered)."""

    def __init__(self, draft: Draft) -> None:
        super().__init__(draft.crn)
        self.draft = draft


@dataclass
class Session:
    catalogue: Catalogue
    draft: Draft

    def say(self, message: str) -> None:
        """Shown with the next question asked (not when going back replays it)."""
        self.draft.say(message)

    def heading(self, title: str) -> None:
        self.draft.say(f"{RULE}[bold]{title}[/bold]")

    def case(self) -> Case:
        """The case the answers make (InvalidInput naming the keys if a draft was damaged)."""
        from rarplan.files.caseio import case_from_dict

        return case_from_dict(self.draft.data, "draft")

    def relevant(self) -> Relevant:
        """The facts that matter for the answers so far (rarplan.cli.wizard.relevant)."""
        from rarplan.model.errors import RarplanError

        try:
            case: Case | None = self.case()
        except RarplanError:
            case = None
        return relevant(case, self.catalogue)

    def ogrs(self) -> float | None:
        """The score given (ARP or OGRS3), or the estimate from the [ogrs3] inputs."""
        score = self.draft.get("scores.arp")
        if score is None:
            score = self.draft.get("scores.ogrs")
        if score is not None:
            return float(score)
        result = _estimate(self.draft)
        return float(result.ogrs3_2year) if result is not None else None


def identity(s: Session) -> None:
    s.heading("Identity")
    d = s.draft
    if not replayed(d, "crn"):
        crn = _crn(
            ask_raw_text(
                "CRN",
                d.get("crn", ""),
                key="crn",
                check=_crn,
                instruction="(a letter and six digits, e.g. X123456)",
            )
        )
        other = d.folder / f"{crn}.json"
        if crn != d.crn and other in existing(d.folder):
            if confirm(
                f"There is a draft for {crn} from {saved_at(other)}. Continue it?", key="switch"
            ):
                raise SwitchDraft(load(other))
        d.put("crn", crn)
    text(
        d,
        "name",
        "Name",
        instruction="(optional; kept in the plan file only, never in file names or messages)",
    )
    select(d, "sex", "Sex", [("male", "Male"), ("female", "Female"), (None, NOT_RECORDED)])
    if not replayed(d, "age_or_dob"):
        current = dmy(d.get("date_of_birth")) or d.get("age") or ""
        raw = ask_raw_text(
            "Age, or date of birth",
            str(current),
            key="age_or_dob",
            check=_age_or_dob,
            instruction="(years, or DD/MM/YYYY)",
        )
        key, value = _age_or_dob(raw)
        d.drop("age" if key == "date_of_birth" else "date_of_birth")
        d.put(key, value, save=False)
        d.mark("age_or_dob")
    select(
        d,
        "region",
        "Probation region (or KSS county)",
        [
            *((r, name) for r, name in REGION_NAMES.items() if r != "kent_surrey_sussex"),
            ("kent", "Kent"),
            ("surrey", "Surrey"),
            ("sussex", "Sussex"),
            (None, NOT_RECORDED),
        ],
    )


def dmy(value: Any) -> str:
    """A stored YYYY-MM-DD date as officers type it (DD/MM/YYYY); anything else as it is."""
    from datetime import date

    if isinstance(value, str):
        try:
            return date.fromisoformat(value).strftime("%d/%m/%Y")
        except ValueError:
            return value
    return "" if value is None else str(value)


def _crn(raw: str) -> str:
    from pydantic import ValidationError

    try:
        return Case.model_validate({"crn": raw}).crn
    except ValidationError:
        raise ValueError("A letter and six digits, e.g. X123456") from None


def _age_or_dob(raw: str) -> tuple[str, Any]:
    text_ = raw.strip()
    if "-" in text_ or "/" in text_:
        return "date_of_birth", parse("date_of_birth", text_, required=True)
    return "age", parse("age", text_, required=True)


def sentence(s: Session) -> None:
    """Stage and order in one question: before sentence only the orders a court makes with a
    RAR are offered (a licence or post-sentence supervision is set at release, RAR guidance
    001 sections 1 and 2); the RAR's questions only for a sentence that has one; custody
    questions only where the person can be in custody (a licence or supervision, before
    release)."""
    s.heading("Sentence")
    d = s.draft
    current = (
        f"{d.get('sentence.stage', 'pre_sentence')}:{d.get('sentence.order', 'community_order')}"
    )
    if not replayed(d, "sentence.kind"):
        kind = choose("Sentence", SENTENCE_KINDS, current, key="sentence.kind")
        stage, order = kind.split(":")
        d.put("sentence.stage", stage, save=False)
        d.put("sentence.order", order, save=False)
        d.mark("sentence.kind")
    stage, order = d.get("sentence.stage"), d.get("sentence.order")
    has_rar = order in RAR_ORDERS
    if has_rar:
        d.drop("sentence.setting")  # a court's community order or SSO is served in the community
        setting = "community"
    else:
        setting = select(
            d,
            "sentence.setting",
            "Where is the person now?",
            [
                ("custody", "In custody (before release)"),
                ("community", "Released, in the community"),
            ],
            default="custody",
        )
    if stage == "sentenced":
        text(
            d,
            "sentence.start_date",
            "Start date of the order" if has_rar else "Start date (release or supervision)",
            required=has_rar,
            show=dmy,
            instruction="(DD/MM/YYYY or YYYY-MM-DD)" if has_rar else "(blank if not known)",
        )
        text(
            d,
            "sentence.length_months",
            "Length of the order in months" if has_rar else "Length in months",
            required=has_rar,
            instruction="(1 to 36)" if has_rar else "(1 to 36; blank if not known)",
        )
        if has_rar:
            text(
                d,
                "sentence.rar_max_days",
                "The court's maximum number of RAR days",
                required=True,
                instruction="(1 to 365, as on the order)",
            )
        else:
            d.drop("sentence.rar_max_days")
    else:
        for key in ("start_date", "rar_max_days"):
            d.drop(f"sentence.{key}")
        text(d, "sentence.length_months", "Proposed length of the order in months")
    if setting == "custody":
        text(
            d,
            "sentence.establishment",
            "Prison",
            convert=_establishment(s.catalogue),
            completions=s.catalogue.values_compared("sentence.establishment"),
            instruction="(blank if not known)",
        )
        text(d, "sentence.weeks_to_release", "Weeks to release")
    else:
        d.drop("sentence.establishment")
        d.drop("sentence.weeks_to_release")
    if not replayed(d, "sentence.other_requirements"):
        offered = [r for r in OTHER_REQUIREMENTS if has_rar or r[0] not in COURT_ONLY]
        message = {
            "pre_sentence": "Other requirements proposed",
            "sentenced": "Other requirements of the order" if has_rar else "Licence conditions",
        }[stage]
        chosen = tick(
            message,
            offered,
            d.get("sentence.other_requirements", []),
            key="sentence.other_requirements",
        )
        d.put("sentence.other_requirements", chosen)


def _establishment(catalogue: Catalogue) -> Callable[[str], Any]:
    known = {name.lower(): name for name in catalogue.values_compared("sentence.establishment")}

    def convert(raw: str) -> Any:
        # The catalogue's rules name prisons exactly ("HMP Maidstone"): match them forgivingly.
        value = parse("sentence.establishment", raw, required=False)
        return known.get(value.lower(), value) if isinstance(value, str) else value

    return convert


def offence(s: Session) -> None:
    """The index offence; whether it was sexually motivated where it can be (RAR guidance 001
    section 3: OGRS is a poor guide for sexual offending, four factors are assessed instead).
    The offence's details are asked later, when a rule reads them (circumstances)."""
    s.heading("Offence")
    d = s.draft
    index = select(d, "offence.index_offence", "Index offence", INDEX_OFFENCES)
    if index in MAYBE_SEXUALLY_MOTIVATED:
        yes_no(d, "offence.sexually_motivated", "Was the offence sexually motivated?")
    elif index == "sexual":
        d.drop("offence.sexually_motivated")


def _estimate(d: Draft) -> Ogrs3Result | None:
    from rarplan.assess.ogrs import estimate
    from rarplan.model.case import Ogrs3Inputs
    from rarplan.model.errors import InvalidInput

    try:
        return estimate(Ogrs3Inputs.model_validate(d.get("ogrs3")), d.get("sex"))
    except (InvalidInput, ValueError):
        return None
