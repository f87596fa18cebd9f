"""The wizard's case sections, part two: scores, needs, circumstances.

Guidance 001, section 3: OGRS drives the band (estimated from the OGRS3 inputs when no score is to
hand). The officer has ARP, OGRS3's successor, by default, and the band table is applied to it
(OGRS3 is still accepted). Below 25% a RAR needs clear dynamic risk factors; for sexual offences
OGRS is a poor guide and four factors are assessed instead.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rarplan.cli.wizard.ask import (
    ask_raw_text,
    choose,
    own,
    parse,
    replayed,
    select,
    text,
    tick,
    yes_no,
)
from rarplan.cli.wizard.case import Session, dmy
from rarplan.cli.wizard.labels import (
    FACTS,
    IMPLIED,
    LEVELS,
    MAYBE_SEXUALLY_MOTIVATED,
    OFFENCE_DETAILS_YES_NO,
    RISK_OF_HARM,
    SCORE_QUESTIONS,
    SCORE_YES_NO,
    SEXUAL_FACTORS,
    VULNERABILITIES,
)

PREDICTORS = [
    ("arp", "ARP (the All Reoffending Predictor, from 2026)"),
    ("ogrs3", "OGRS3"),
]


def scores(s: Session) -> None:
    """The 2-year score (the band), then only the scores a rule reads for these needs."""
    s.heading("Scores")
    d = s.draft
    if _which_score(d) == "arp":
        _arp_score(s)
    else:
        _ogrs_score(s)
    ipv = d.get("offence.index_offence") == "intimate_partner_violence"
    if ipv and "scores.sara" in s.relevant():
        select(d, "scores.sara", "SARA (Spousal Assault Risk Assessment)", LEVELS)
    if "scores.risk_of_harm" in s.relevant():
        select(d, "scores.risk_of_harm", "Risk of serious harm", RISK_OF_HARM)
    for path, message, hint in SCORE_QUESTIONS:
        if path in s.relevant():  # each answer may rule an intervention out: asked afresh
            text(d, path, message, instruction=hint)
    for path, message in SCORE_YES_NO:
        if path in s.relevant():
            yes_no(d, path, message)


def _which_score(d: Any) -> str:
    """ARP by default; OGRS3 when the draft already holds OGRS3 answers (docs/predictors.md)."""
    ogrs_given = d.get("scores.ogrs") is not None or d.get("ogrs3") is not None
    arp_given = d.get("scores.arp") is not None or d.get("arp") is not None
    current = "ogrs3" if ogrs_given and not arp_given else "arp"
    chosen: str = own(
        d,
        "score_kind",
        lambda _: choose("Which 2-year score do you have?", PREDICTORS, current, key="score_kind"),
    )
    if chosen == "arp":
        d.drop("scores.ogrs")
        d.drop("ogrs3")
    else:
        d.drop("scores.arp")
        d.drop("arp")
    return chosen


def _ogrs_score(s: Session) -> None:
    _score(
        s,
        "scores.ogrs",
        "ogrs3",
        "OGRS3 2-year score (%)",
        "(0 to 100, from OASys; type e to estimate it)",
        _ask_ogrs3,
    )


def _arp_score(s: Session) -> None:
    _score(
        s,
        "scores.arp",
        "arp",
        "ARP 2-year score (%)",
        "(0 to 100, from the assessment system; type e to estimate it)",
        _ask_arp,
    )
    s.say(f"[dim]{_band_note()}[/dim]")


def _score(
    s: Session,
    key: str,
    inputs: str,
    question: str,
    instruction: str,
    estimate: Callable[[Session], None],
) -> None:
    """A predictor's score, typed, or `e` to estimate it from its inputs (the draft's
    `inputs` table, asked by `estimate`)."""

    def check(raw: str) -> object:
        return "e" if raw.strip().lower() == "e" else parse(key, raw, required=True)

    d = s.draft
    if not replayed(d, key):
        current = d.get(key)
        default = "e" if current is None and d.get(inputs) else _num(current)
        raw = ask_raw_text(question, default, key=key, check=check, instruction=instruction)
        if raw.strip().lower() == "e":
            d.put(key, None)
            estimate(s)
        else:
            d.drop(inputs)
            d.put(key, parse(key, raw, required=True))
    elif d.get(key) is None:  # resumed in the middle of the inputs
        estimate(s)


def _band_note() -> str:
    from rarplan.assess.arp import RAR_BAND_NOTE

    return RAR_BAND_NOTE


def _ask_arp(s: Session) -> None:
    """The ARP static inputs, until they make a valid estimate; shows the estimate."""
    from datetime import date

    from rarplan.assess import arp
    from rarplan.model.errors import InvalidInput

    d = s.draft
    if d.get("sex") is None:
        d.skip.discard("sex")
        select(d, "sex", "Sex (ARP needs it)", [("male", "Male"), ("female", "Female")])
    if d.get("date_of_birth") is None:
        d.skip.discard("date_of_birth")
        text(d, "date_of_birth", "Date of birth (ARP needs it)", required=True, show=dmy)
    while True:
        text(
            d,
            "arp.conviction_date",
            "Date of this conviction",
            required=True,
            instruction="(DD/MM/YYYY or YYYY-MM-DD)",
            show=dmy,
        )
        text(
            d,
            "arp.follow_up_date",
            "Start of follow-up",
            instruction="(DD/MM/YYYY or YYYY-MM-DD; blank: the conviction date)",
            show=dmy,
        )
        text(d, "arp.sanctions", "Number of sanctions, counting this one", required=True)
        text(d, "arp.age_at_first_sanction", "Age at the first sanction", required=True)
        select(
            d,
            "arp.offence_category",
            "ARP offence category",
            [(c.id, c.label) for c in arp.OFFENCE_CATEGORIES],
        )
        inputs = d.get("arp")
        try:
            result = arp.compute(
                sex=d.get("sex"),
                date_of_birth=d.get("date_of_birth"),
                conviction_date=inputs["conviction_date"],
                follow_up_date=inputs.get("follow_up_date"),
                assessment_date=date.today(),
                age_at_first_sanction=inputs["age_at_first_sanction"],
                sanctions=inputs["sanctions"],
                offence_category=inputs["offence_category"],
            )
        except InvalidInput as err:
            for problem in err.problems or [err.message]:
                s.say(f"[red]✗[/red] {problem}")
            d.skip.clear()
            continue
        s.say(
            f"ARP estimate: [bold]{result.score}%[/bold] at two years (static score; the "
            "official score comes from the assessment system)."
        )
        return


def _num(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)


def _ask_ogrs3(s: Session) -> None:
    """The OGRS3 inputs, until they make a valid estimate; shows the estimate."""
    from rarplan.assess import ogrs
    from rarplan.model.case import Ogrs3Inputs
    from rarplan.model.errors import InvalidInput

    d = s.draft
    age = d.get("age")
    if d.get("date_of_birth"):
        from datetime import date

        born = date.fromisoformat(d.get("date_of_birth"))
        today = date.today()
        age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    if d.get("sex") is None:
        d.skip.discard("sex")
        select(d, "sex", "Sex (OGRS3 needs it)", [("male", "Male"), ("female", "Female")])
    while True:
        text(d, "ogrs3.age_at_conviction", "Age at this conviction", required=True, default=age)
        text(
            d,
            "ogrs3.age_at_follow_up",
            "Age at the start of follow-up (sentence or release)",
            required=True,
            default=d.get("ogrs3.age_at_conviction"),
        )
        text(d, "ogrs3.sanctions", "Number of sanctions, counting this one", required=True)
        text(d, "ogrs3.age_at_first_sanction", "Age at the first sanction", required=True)
        offences = getattr(ogrs, "OFFENCES", ())
        if offences:
            select(
                d, "ogrs3.offence", "OGRS3 offence category", [(o.id, o.label) for o in offences]
            )
        else:
            text(d, "ogrs3.offence", "OGRS3 offence category", required=True)
        try:
            result = ogrs.estimate(Ogrs3Inputs.model_validate(d.get("ogrs3")), d.get("sex"))
        except InvalidInput as err:
            for problem in err.problems or [err.message]:
                s.say(f"[red]✗[/red] {problem}")
            d.skip.clear()
            continue
        s.say(
            f"OGRS3 estimate: [bold]{result.ogrs3_2year}%[/bold] at two years "
            f"({result.ogrs3_1year}% at one). {ogrs.CAVEATS[0]}"
        )
        return


def needs(s: Session) -> None:
    """The needs (OASys); for a treatment requirement's need, whether its fact applies (RAR
    guidance 001 section 2: an ATR, DRR or MHTR comes first)."""
    s.heading("Needs")
    from rarplan.model.needs import NEED_AREAS, NEED_LABELS

    d = s.draft
    if not replayed(d, "needs"):
        current = [a for a in NEED_AREAS if d.get(f"needs.{a}")]
        chosen = tick(
            "Needs identified (OASys)",
            [(a, NEED_LABELS[a]) for a in NEED_AREAS],
            current,
            key="needs",
        )
        d.put("needs", {a: a in chosen for a in NEED_AREAS})
    d.drop("scores.sadq")  # no rule reads it: BEAI's SADQ screening is its own question


def circumstances(s: Session) -> None:
    """What the rules for these needs read: the offence's details, one list of the facts and
    vulnerabilities that matter (unticked means no), completed interventions in custody, the
    dynamic risk factors below OGRS 25% and the sexual offending factors (001 section 3)."""
    s.heading("Circumstances")
    d = s.draft
    _implied(d)
    if "offence.seriousness" in s.relevant():
        select(d, "offence.seriousness", "Seriousness of the offence", LEVELS)
    if "offence.previous_convictions" in s.relevant():
        text(d, "offence.previous_convictions", "Number of previous convictions")
    index = d.get("offence.index_offence")
    if index == "drink_driving":
        _drink_driving(s)
    if (
        index not in MAYBE_SEXUALLY_MOTIVATED
        and index != "sexual"
        and "offence.sexually_motivated" in s.relevant()
    ):  # not asked with the offence, but a rule reads it
        yes_no(d, "offence.sexually_motivated", "Was the offence sexually motivated?")
    for path, message in OFFENCE_DETAILS_YES_NO:
        if path in s.relevant():
            yes_no(d, path, message)
    if index != "drink_driving" and "offence.drink_or_drug_driving" in s.relevant():
        yes_no(d, "offence.drink_or_drug_driving", "Is there a drink or drug driving offence?")
    _facts(s, s.relevant())
    if (
        d.get("sentence.setting") == "custody"
        and "circumstances.completed_interventions" in s.relevant()
        and not replayed(d, "circumstances.completed_interventions")
    ):
        done = d.get("circumstances.completed_interventions", [])
        listed = [(i, s.catalogue.entries[i].name) for i in s.catalogue.prerequisites()]
        chosen = tick(
            "Already completed", listed, done, key="circumstances.completed_interventions"
        )
        keep = [i for i in done if i not in dict(listed)]
        d.put("circumstances.completed_interventions", keep + chosen)
    ogrs = s.ogrs()
    if ogrs is not None and ogrs < 25 and _has_rar(d):
        s.say(
            "OGRS below 25%: a RAR only in exceptional circumstances, with clear dynamic risk "
            "factors linked to an increased risk of reoffending (guidance section 3)."
        )
        text(
            d,
            "circumstances.dynamic_risk_factors",
            "Dynamic risk factors",
            instruction="(blank if none: then no RAR is proposed)",
        )
    else:
        d.drop("circumstances.dynamic_risk_factors")
    if index == "sexual" or d.get("offence.sexually_motivated"):
        if not replayed(d, "circumstances.sexual_offending_factors"):
            s.say("OGRS is not a good predictor of sexual reoffending (guidance section 3).")
            d.flush()
            d.put(
                "circumstances.sexual_offending_factors",
                tick(
                    "Factors present (the four most predictive of sexual offending)",
                    SEXUAL_FACTORS,
                    d.get("circumstances.sexual_offending_factors", []),
                    key="circumstances.sexual_offending_factors",
                ),
            )
    else:
        d.drop("circumstances.sexual_offending_factors")


def _has_rar(d: Any) -> bool:
    from rarplan.model.case import RAR_ORDERS

    return d.get("sentence.order", "community_order") in RAR_ORDERS


def _drink_driving(s: Session) -> None:
    """The drink-drive questions, for a drink-drive offence only (the rate card's Drink
    Impaired Drivers, 003); the offence implies `drink_or_drug_driving`."""
    d = s.draft
    d.put("offence.drink_or_drug_driving", True, save=False)
    if "offence.first_drink_drive_conviction" in s.relevant():
        first = yes_no(
            d, "offence.first_drink_drive_conviction", "Is this the first drink-drive conviction?"
        )
        if first is False:
            d.drop("offence.drink_drive_mitigating_factor")
        elif "offence.drink_drive_mitigating_factor" in s.relevant():
            yes_no(
                d,
                "offence.drink_drive_mitigating_factor",
                "Is there a mitigating factor (a high alcohol reading, an accident)?",
            )


def _implied(d: Any) -> None:
    """Vulnerabilities the answers already give: a woman (sex), a young adult male (18 to
    24): never asked."""
    from datetime import date

    from rarplan.model.case import Case

    vulnerable = [v for v in d.get("circumstances.vulnerabilities", []) if v not in IMPLIED]
    try:
        age = Case.model_validate(
            {"crn": "X000000", "age": d.get("age"), "date_of_birth": d.get("date_of_birth")}
        ).age_on(date.today())
    except ValueError:
        age = None
    if d.get("sex") == "female":
        vulnerable.append("woman")
    elif d.get("sex") == "male" and age is not None and 18 <= age <= 24:
        vulnerable.append("young_adult_male")
    d.put("circumstances.vulnerabilities", vulnerable, save=False)


def _facts(s: Session, matters: Any) -> None:
    """One list of the facts and vulnerabilities the rules read (unticked facts are no)."""
    d = s.draft
    facts = [(f, label, inv) for f, label, inv in FACTS if f"circumstances.{f}" in matters]
    wanted = matters.values("circumstances.vulnerabilities")
    vulnerabilities = [
        (v, label)
        for v, label in VULNERABILITIES
        if v not in IMPLIED and (wanted is None or v in wanted)
    ]
    if not facts and not vulnerabilities or replayed(d, "circumstances.facts"):
        return
    ticked = [f for f, _, inv in facts if d.get(f"circumstances.{f}") is (not inv)]
    ticked += [v for v in d.get("circumstances.vulnerabilities", []) if v in dict(vulnerabilities)]
    chosen = tick(
        "Which of these apply?",
        [(f, label) for f, label, _ in facts] + vulnerabilities,
        ticked,
        instruction="(space to tick; unticked means no; enter when done)",
        key="circumstances.facts",
    )
    for field, _, inverted in facts:
        d.put(f"circumstances.{field}", (field in chosen) != inverted, save=False)
    kept = [v for v in d.get("circumstances.vulnerabilities", []) if v not in dict(vulnerabilities)]
    d.put("circumstances.vulnerabilities", kept + [v for v, _ in vulnerabilities if v in chosen])
    d.mark("circumstances.facts")
