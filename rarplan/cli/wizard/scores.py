"""The wizard's case sections, part two: scores, needs, circumstances.

Guidance 001, section 3: OGRS drives the band (estimated from the OGRS3 inputs when no score is to
hand). The officer has ARP, OGRS3's successor, by default, and the band table is applied to it
(OGRS3 is still accepted). Below 25% a RAR needs clear dynamic risk factors; for sexual offences
OGRS is a poor guide and four factors are assessed instead.
"""

from __future__ import annotations

from typing import Any

from rarplan.cli.wizard.ask import ask_raw_text, choose, parse, select, text, tick
from rarplan.cli.wizard.case import Session
from rarplan.cli.wizard.labels import FACTS, LEVELS, NOT_RECORDED, SEXUAL_FACTORS, VULNERABILITIES

PREDICTORS = [
    ("arp", "ARP (the All Reoffending Predictor, from 2026)"),
    ("ogrs3", "OGRS3"),
]


def scores(s: Session) -> None:
    s.heading("Scores")
    d = s.draft
    if _which_score(d) == "arp":
        _arp_score(s)
    else:
        _ogrs_score(s)
    text(d, "scores.ovp", "OVP 2-year score (%)")
    if d.get("offence.index_offence") == "intimate_partner_violence":
        select(d, "scores.sara", "SARA (Spousal Assault Risk Assessment)", LEVELS)
    else:
        d.drop("scores.sara")
    select(
        d,
        "scores.risk_of_harm",
        "Risk of serious harm",
        [
            ("low", "Low"),
            ("medium", "Medium"),
            ("high", "High"),
            ("very_high", "Very high"),
            (None, NOT_RECORDED),
        ],
    )
    text(d, "scores.oasys_thinking_score", "OASys thinking and behaviour score")
    text(d, "scores.oasys_total_score", "OASys total score")
    text(
        d,
        "scores.oasys_11_6",
        "OASys 11.6 (impulsivity)",
        instruction="(0, 1 or 2; blank if not known)",
    )
    text(
        d,
        "scores.oasys_11_7",
        "OASys 11.7 (temper control)",
        instruction="(0, 1 or 2; blank if not known)",
    )


def _which_score(d: Any) -> str:
    """ARP by default; OGRS3 when the draft already holds OGRS3 answers (docs/predictors.md)."""
    if "scores.arp" in d.skip:  # resumed: the score was chosen before
        return "arp"
    if "scores.ogrs" in d.skip:
        return "ogrs3"
    ogrs_given = d.get("scores.ogrs") is not None or d.get("ogrs3") is not None
    arp_given = d.get("scores.arp") is not None or d.get("arp") is not None
    current = "ogrs3" if ogrs_given and not arp_given else "arp"
    chosen: str = choose("Which 2-year score do you have?", PREDICTORS, current)
    if chosen == "arp":
        d.drop("scores.ogrs")
        d.drop("ogrs3")
    else:
        d.drop("scores.arp")
        d.drop("arp")
    return chosen


def _ogrs_score(s: Session) -> None:
    d = s.draft
    if "scores.ogrs" not in d.skip:
        current = d.get("scores.ogrs")
        default = "e" if current is None and d.get("ogrs3") else _num(current)
        raw = ask_raw_text(
            "OGRS3 2-year score (%)",
            default,
            check=_ogrs_or_estimate,
            instruction="(0 to 100, from OASys; type e to estimate it)",
        )
        if raw.strip().lower() == "e":
            d.put("scores.ogrs", None)
            _ask_ogrs3(s)
        else:
            d.drop("ogrs3")
            d.put("scores.ogrs", parse("scores.ogrs", raw, required=True))
    elif d.get("scores.ogrs") is None:  # resumed in the middle of the OGRS3 inputs
        _ask_ogrs3(s)


def _arp_score(s: Session) -> None:
    d = s.draft
    if "scores.arp" not in d.skip:
        current = d.get("scores.arp")
        default = "e" if current is None and d.get("arp") else _num(current)
        raw = ask_raw_text(
            "ARP 2-year score (%)",
            default,
            check=_arp_or_estimate,
            instruction="(0 to 100, from the assessment system; type e to estimate it)",
        )
        if raw.strip().lower() == "e":
            d.put("scores.arp", None)
            _ask_arp(s)
        else:
            d.drop("arp")
            d.put("scores.arp", parse("scores.arp", raw, required=True))
    elif d.get("scores.arp") is None:  # resumed in the middle of the ARP inputs
        _ask_arp(s)
    s.say(f"[dim]{_band_note()}[/dim]")


def _band_note() -> str:
    from rarplan.assess.arp import RAR_BAND_NOTE

    return RAR_BAND_NOTE


def _arp_or_estimate(raw: str) -> object:
    return "e" if raw.strip().lower() == "e" else parse("scores.arp", raw, required=True)


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
        text(d, "date_of_birth", "Date of birth (ARP needs it)", required=True)
    while True:
        text(d, "arp.conviction_date", "Date of this conviction (YYYY-MM-DD)", required=True)
        text(d, "arp.follow_up_date", "Start of follow-up (YYYY-MM-DD; blank: conviction date)")
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


def _ogrs_or_estimate(raw: str) -> object:
    return "e" if raw.strip().lower() == "e" else parse("scores.ogrs", raw, required=True)


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
    s.heading("Needs")
    from rarplan.model.needs import NEED_AREAS, NEED_LABELS

    d = s.draft
    if "needs" not in d.skip:
        current = [a for a in NEED_AREAS if d.get(f"needs.{a}")]
        chosen = tick(
            "Needs identified (OASys)", [(a, NEED_LABELS[a]) for a in NEED_AREAS], current
        )
        d.put("needs", {a: a in chosen for a in NEED_AREAS})
    # AUDIT and SADQ screen alcohol use: asked with an alcohol need, or for a drink-drive offence
    # (Drink Impaired Drivers refuses an AUDIT over 20 and also meets attitudes needs).
    if d.get("needs.alcohol_misuse") or d.get("offence.index_offence") == "drink_driving":
        text(d, "scores.audit", "AUDIT score", instruction="(0 to 40; blank if not known)")
        text(d, "scores.sadq", "SADQ score", instruction="(0 to 60; blank if not known)")
    else:
        d.drop("scores.audit")
        d.drop("scores.sadq")


def circumstances(s: Session) -> None:
    s.heading("Circumstances")
    d = s.draft
    if "circumstances.facts" not in d.skip:
        ticked = [f for f, _, inverted in FACTS if d.get(f"circumstances.{f}") is (not inverted)]
        chosen = tick(
            "Which of these apply?",
            [(f, label) for f, label, _ in FACTS],
            ticked,
            instruction="(space to tick; unticked means no; enter when done)",
        )
        for field, _, inverted in FACTS:
            d.put(f"circumstances.{field}", (field in chosen) != inverted, save=False)
        d.mark("circumstances.facts")
    if "circumstances.vulnerabilities" not in d.skip:
        d.put(
            "circumstances.vulnerabilities",
            tick("Vulnerabilities", VULNERABILITIES, d.get("circumstances.vulnerabilities", [])),
        )
    if (
        d.get("sentence.setting") == "custody"
        and "circumstances.completed_interventions" not in d.skip
    ):
        done = d.get("circumstances.completed_interventions", [])
        listed = [(i, f"{s.catalogue.entries[i].name} ({i})") for i in s.catalogue.prerequisites()]
        chosen = tick("Already completed", listed, done)
        keep = [i for i in done if i not in dict(listed)]
        d.put("circumstances.completed_interventions", keep + chosen)
    ogrs = s.ogrs()
    if ogrs is not None and ogrs < 25:
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
    if d.get("offence.index_offence") == "sexual" or d.get("offence.sexually_motivated"):
        if "circumstances.sexual_offending_factors" not in d.skip:
            s.say("OGRS is not a good predictor of sexual reoffending (guidance section 3).")
            d.put(
                "circumstances.sexual_offending_factors",
                tick(
                    "Factors present (the four most predictive of sexual offending)",
                    SEXUAL_FACTORS,
                    d.get("circumstances.sexual_offending_factors", []),
                ),
            )
    else:
        d.drop("circumstances.sexual_offending_factors")
