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
from rarplan.cli.wizard.ask import ask_raw_text, parse, select, text, tick, yes_no
from rarplan.cli.wizard.draft import Draft, existing, load, saved_at
from rarplan.cli.wizard.labels import (
    INDEX_OFFENCES,
    LEVELS,
    NOT_RECORDED,
    OTHER_REQUIREMENTS,
)
from rarplan.model.case import REGION_NAMES, Case

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
        from rarplan.cli.output import console

        console().print(message)

    def heading(self, title: str) -> None:
        from rarplan.cli.output import console

        console().print()
        console().rule(f"[bold]{title}[/bold]")

    def case(self) -> Case:
        """The case the answers make (InvalidInput naming the keys if a draft was damaged)."""
        from rarplan.files.caseio import case_from_dict

        return case_from_dict(self.draft.data, "draft")

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
    if "crn" not in d.skip:
        crn = _crn(
            ask_raw_text(
                "CRN",
                d.get("crn", ""),
                check=_crn,
                instruction="(a letter and six digits, e.g. X123456)",
            )
        )
        other = d.folder / f"{crn}.json"
        if crn != d.crn and other in existing(d.folder):
            from rarplan.cli.wizard.ask import confirm

            if confirm(f"There is a draft for {crn} from {saved_at(other)}. Continue it?"):
                raise SwitchDraft(load(other))
        d.put("crn", crn)
    text(
        d,
        "name",
        "Name",
        instruction="(optional; kept in the plan file only, never in file names or messages)",
    )
    select(d, "sex", "Sex", [("male", "Male"), ("female", "Female"), (None, NOT_RECORDED)])
    if not {"age", "date_of_birth"} & d.skip:
        current = d.get("date_of_birth") or d.get("age") or ""
        raw = ask_raw_text(
            "Age, or date of birth",
            str(current),
            check=_age_or_dob,
            instruction="(years, or YYYY-MM-DD)",
        )
        key, value = _age_or_dob(raw)
        d.drop("age" if key == "date_of_birth" else "date_of_birth")
        d.put(key, value)
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
    s.heading("Sentence")
    d = s.draft
    stage = select(
        d,
        "sentence.stage",
        "Stage",
        [
            ("pre_sentence", "Pre-sentence report: proposing a RAR to the court"),
            ("sentenced", "Sentenced: planning the RAR the court ordered"),
        ],
        default="pre_sentence",
    )
    select(
        d,
        "sentence.order",
        "Order",
        [
            ("community_order", "Community order"),
            ("suspended_sentence_order", "Suspended sentence order"),
            ("licence", "Licence"),
            ("post_sentence_supervision", "Post-sentence supervision"),
        ],
        default="community_order",
    )
    setting = select(
        d,
        "sentence.setting",
        "Where is the person now?",
        [("community", "In the community"), ("custody", "In custody")],
        default="community",
    )
    if stage == "sentenced":
        text(
            d,
            "sentence.start_date",
            "Start date of the order",
            required=True,
            instruction="(YYYY-MM-DD)",
        )
        text(
            d,
            "sentence.length_months",
            "Length of the order in months",
            required=True,
            instruction="(1 to 36)",
        )
        text(
            d,
            "sentence.rar_max_days",
            "The court's maximum number of RAR days",
            required=setting == "community",
            instruction="(1 to 365, as on the order)"
            if setting == "community"
            else "(1 to 365, as on the order; blank if none yet)",
        )
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
    if "sentence.other_requirements" not in d.skip:
        chosen = tick(
            "Other requirements of the order",
            OTHER_REQUIREMENTS,
            d.get("sentence.other_requirements", []),
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
    s.heading("Offence")
    d = s.draft
    index = select(d, "offence.index_offence", "Index offence", INDEX_OFFENCES)
    if index == "sexual":
        d.drop("offence.sexually_motivated")
    else:
        yes_no(d, "offence.sexually_motivated", "Was the offence sexually motivated?")
    yes_no(d, "offence.impulsive", "Was the offence impulsive?")
    select(d, "offence.seriousness", "Seriousness of the offence", LEVELS)
    text(d, "offence.previous_convictions", "Number of previous convictions")
    if index == "drink_driving":
        first = yes_no(
            d, "offence.first_drink_drive_conviction", "Is this the first drink-drive conviction?"
        )
        if first is False:
            d.drop("offence.drink_drive_mitigating_factor")
        else:
            yes_no(
                d,
                "offence.drink_drive_mitigating_factor",
                "Is there a mitigating factor (a high alcohol reading, an accident)?",
            )
    else:
        d.drop("offence.first_drink_drive_conviction")
        d.drop("offence.drink_drive_mitigating_factor")
    if index == "intimate_partner_violence":
        yes_no(
            d,
            "offence.admits_responsibility",
            "Does the person admit responsibility for at least one act of domestic abuse?",
        )
    else:
        d.drop("offence.admits_responsibility")
    yes_no(d, "offence.linked_to_substance_misuse", "Is the offending linked to substance misuse?")


def _estimate(d: Draft) -> Ogrs3Result | None:
    from rarplan.assess.ogrs import estimate
    from rarplan.model.case import Ogrs3Inputs
    from rarplan.model.errors import InvalidInput

    try:
        return estimate(Ogrs3Inputs.model_validate(d.get("ogrs3")), d.get("sex"))
    except (InvalidInput, ValueError):
        return None
