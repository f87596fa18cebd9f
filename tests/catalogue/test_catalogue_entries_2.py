"""The shipped catalogue, entries 10-40 (rate card order, then the practitioner toolkit).

Sources: docs/sources/003_2c3b0962518856ac.txt (KSS CRC "Rate card"), and for the toolkit
004_156466ba85ed721c.txt and 001_246201b7ec5ee73b.txt. Helpers and the eligible base cases are
in test_catalogue_entries.py.
"""

from __future__ import annotations

from typing import Any

import pytest

from rarplan.assess.eligibility import judge_one
from rarplan.catalogue.models import Intervention
from rarplan.model.needs import GUIDANCE_NEEDS, NEED_AREAS
from tests.catalogue.test_catalogue_entries import (
    EL,
    ELIGIBLE,
    EXCLUSIONS_1_TO_9,
    MISSING,
    NS,
    Rows,
    assert_check,
    assert_excluded,
    card_text,
    entry,
    exclusion_params,
    judge,
    load,
    make_case,
    parts,
    reason_for,
)

STANDARD_NOT_SUITABLE = [
    "Individuals with unstable mental health conditions or unaddressed chronic drug and "
    "alcohol use",
    "Individuals unable to speak English",
    "Individuals who work shift patterns",
]


MSRP_TEXT = [
    "Maximum of six hours including any assessment",
    "We can arrange a three-way assessment to identify sessions or modules suitable for the "
    "service user within the six hours",
    "Each session is approximately 20 minutes",
]


def assert_msrp_duration(e: Intervention) -> None:
    d = e.duration
    assert (d.max_hours, d.session_minutes, d.three_way_assessment) == (6, 20, True)
    assert d.sessions == [] and d.months == [] and not d.negotiated


def test_msrp_home() -> None:
    """003 > Accommodation services > Delivery of Home modules from My Solution Rehabilitation
    Programme."""
    e = entry("msrp-home")
    assert_msrp_duration(e)
    assert e.duration.text[2] == "Each accommodation session is approximately 20 minutes"
    assert (e.nsi.category, e.nsi.sub_category) == ("ES – Accommodation KSS", "MSRP Home Module")
    assert (e.needs, e.setting, e.delivery) == (["accommodation"], "either", "either")
    assert e.counts_towards_rar and e.not_suitable == []


def test_msrp_future() -> None:
    """003 > Education, training and employment services > Delivery of Future modules from My
    Solution Rehabilitation Programme."""
    e = entry("msrp-future")
    assert_msrp_duration(e)
    assert e.duration.text == MSRP_TEXT
    assert (e.nsi.category, e.nsi.sub_category) == ("ES - E/T/E KSS", "MSRP Future Module")
    assert e.needs == ["education_training_employment"]


def test_preparation_for_work() -> None:
    """003 > Education, training and employment services > Preparation for Work."""
    e = entry("preparation-for-work")
    assert parts(e) == [("group", 6, 120, False)]
    assert (e.nsi.category, e.nsi.sub_category) == ("ES - E/T/E KSS", "Preparation for Work")
    assert judge("preparation-for-work", {"scores.risk_of_harm": "medium"}).status == "eligible"


@pytest.mark.parametrize(
    "jsa,esa,status",
    [
        (True, False, "eligible"),
        (False, True, "eligible"),
        (True, True, "eligible"),
        (False, False, "excluded"),
        (MISSING, True, "eligible"),
        (MISSING, False, "check"),
        (False, MISSING, "check"),
    ],
)
def test_preparation_for_work_either_benefit(jsa: Any, esa: Any, status: str) -> None:
    """003 > Education, training and employment services > Preparation for Work: "Subject to
    Jobseeker's Allowance for longer than six months and are currently on Employment Support
    Allowance", read as either benefit (JSA and ESA are not paid for the same period)."""
    criterion = next(c for c in entry("preparation-for-work").eligibility if "Jobseeker" in c.text)
    assert criterion.note and "either benefit" in criterion.note
    changes = {"circumstances.jsa_over_six_months": jsa, "circumstances.on_esa": esa}
    result = judge("preparation-for-work", changes)
    assert result.status == status, result


def test_cscs_card_training() -> None:
    """003 > Education, training and employment services > CSCS Card Training."""
    e = entry("cscs-card-training")
    assert parts(e) == [("full_day", 2, None, False)]
    assert (e.nsi.category, e.nsi.sub_category) == ("ES – E/T/E KSS", "CSCS Card Training")
    assert "£100" in e.summary
    assert_check(
        "cscs-card-training",
        {"checks.cscs_construction": MISSING},
        "Would the person benefit from increasing their job skills in the construction industry?",
    )


def test_job_club() -> None:
    """003 > Education, training and employment services > Job Club."""
    e = entry("job-club")
    assert parts(e) == [("group", 10, None, False)]
    assert (e.nsi.category, e.nsi.sub_category) == ("ES –E/T/E KSS", "Job Club")
    assert e.not_suitable == []


def test_msrp_money() -> None:
    """003 > Finance, benefit and debt services > Delivery of Money modules from My Solution
    Rehabilitation Programme."""
    e = entry("msrp-money")
    assert_msrp_duration(e)
    assert e.duration.text == MSRP_TEXT
    assert e.nsi.category == "ES - Finance/Benefit/Debt KSS"
    assert e.nsi.sub_category == "MSRP Money Modules"
    assert e.needs == ["finance_benefits_debt"]


def test_cadu() -> None:
    """003 > Drugs and alcohol services > Changing Drugs and Alcohol Use (CADU) Rehabilitation
    Activity Requirement (RAR)."""
    e = entry("cadu")
    assert parts(e) == [("group", 12, None, False)]
    assert e.nsi.category == "ES - Drugs/Alcohol KSS"
    assert e.nsi.sub_category == "Changing Drugs and Alcohol Use (CADU)"
    assert set(e.needs) == {"drug_misuse", "alcohol_misuse"}
    # Medium risk of reoffending is OGRS 50-74 (reference/ogrs3.md); 74 passes.
    assert judge("cadu", {"scores.ogrs": 74, "scores.risk_of_harm": "medium"}).status == "eligible"
    rule = e.eligibility[0]
    assert rule.note and "ogrs3.md" in rule.note


def test_msrp_habit() -> None:
    """003 > Drugs and alcohol services > Delivery of Habit modules from My Solution
    Rehabilitation Programme."""
    e = entry("msrp-habit")
    assert_msrp_duration(e)
    assert (e.nsi.category, e.nsi.sub_category) == ("ES - Drugs/Alcohol KSS", "MSRP Habit Modules")
    assert set(e.needs) == {"drug_misuse", "alcohol_misuse"}


def test_beai() -> None:
    """003 > Drugs and alcohol services > Brief Extended Alcohol Intervention (BEAI)."""
    e = entry("beai")
    assert parts(e) == [("individual", 6, None, False)]
    assert e.nsi.category == "ES – Drugs / Alcohol KSS"
    assert e.nsi.sub_category == "Brief Extended Alcohol Intervention"
    assert e.may_precede == [
        "domestic-abuse-programme",
        "gypsy-traveller-domestic-abuse",
        "domestic-abuse-one-to-one",
        "building-better-relationships",
    ]
    assert_check(
        "beai",
        {"checks.beai_sadq_screen": MISSING},
        "Does the person meet BEAI's SADQ screening criteria?",
    )
    # No SADQ cut-off is invented: even a high score leaves it to the screening answer.
    assert judge("beai", {"scores.sadq": 60}).status == "eligible"
    assert judge("beai", {"scores.sadq": MISSING}).status == "eligible"


def test_msrp_health_mental() -> None:
    """003 > Health services > Delivery of Health modules from My Solution Rehabilitation
    Programme (mental health)."""
    e = entry("msrp-health-mental")
    assert_msrp_duration(e)
    assert (e.nsi.category, e.nsi.sub_category) == ("ES - Mental Health KSS", "MSRP Health module")
    assert e.needs == ["emotional_management"]


def test_msrp_health_physical() -> None:
    """003 > Health services > Delivery of Health modules from My Solution Rehabilitation
    Programme (physical health)."""
    e = entry("msrp-health-physical")
    assert_msrp_duration(e)
    assert e.nsi.category == "ES - Physical Health KSS"
    assert e.nsi.sub_category == "MSRP Health Module"
    assert e.needs == ["physical_health"]


def test_believe_and_succeed() -> None:
    """003 > Women's support > Believe and Succeed."""
    e = entry("believe-and-succeed")
    assert parts(e) == [("group", 6, None, False)]
    assert e.duration.over_weeks == 6
    assert e.nsi.category == "ES - Women Specific Interventions KSS"
    assert e.nsi.sub_category == "Women’s Group"
    assert (e.setting, e.delivery, e.counts_towards_rar) == ("community", "group", True)


def test_womens_wrap_around_support() -> None:
    """003 > Women's support > Women’s wrap-around support (available in Sussex only)."""
    e = entry("womens-wrap-around-support")
    assert e.duration.months == [6] and e.duration.sessions == []
    assert e.nsi.category == "ES - Women Specific Interventions KSS"
    assert e.nsi.sub_category == "Women’s Wrap-Around Support"
    assert e.delivery == "either"  # "One-to-one with some group-work"
    assert [c.text for c in e.eligibility] == ["Women service users", "Available in Sussex only"]


def test_restorative_justice_conferencing() -> None:
    """003 > Restorative Justice > Restorative justice conferencing."""
    e = entry("restorative-justice-conferencing")
    assert parts(e) == [("conference", 1, None, False)]
    assert e.nsi.category == "ES - Restorative Justice KSS"
    assert e.nsi.sub_category == "Restorative Justice Conferencing"
    assert e.not_suitable == []  # "As above"
    assert e.note and "As above" in e.note
    assert_check(
        "restorative-justice-conferencing",
        {"checks.rj_conference_suitable": MISSING},
        "case-by-case assessment",
    )


def test_restorative_justice_tailored() -> None:
    """003 > Restorative Justice > Individual tailored restorative justice (community or
    custody)."""
    e = entry("restorative-justice-tailored")
    d = e.duration
    assert d.negotiated and d.sessions == [] and d.max_hours is None
    assert "Minimum charge is an hour, with a reduced hourly rate thereafter" in d.text
    assert e.nsi.sub_category == (
        "For community use: Individual Tailored Restorative Justice in the community / "
        "For custody use: Individual Tailored Restorative Justice in custody"
    )
    assert (e.setting, e.delivery) == ("either", "one_to_one")
    assert_check(
        "restorative-justice-tailored",
        {"checks.rj_tailored_suitable": MISSING},
        "case-by-case assessment",
    )


def test_senior_attendance_centre() -> None:
    """003 > Senior Attendance Centre > Senior Attendance Centre."""
    e = entry("senior-attendance-centre")
    assert e.duration.max_hours == 36 and e.duration.sessions == []
    assert (e.nsi.category, e.nsi.sub_category) == (
        "ES - Attendance Centre KSS",
        "Senior Attendance Centre",
    )
    assert not e.counts_towards_rar
    assert e.note and "punishment" in e.note
    for age in (18, 24):
        assert judge("senior-attendance-centre", {"age": age}).status == "eligible"
    medium = {"scores.risk_of_harm": "medium"}
    assert_check("senior-attendance-centre", medium, "supporting assessment")
    answered = {**medium, "checks.sac_supporting_assessment": True}
    assert judge("senior-attendance-centre", answered).status == "eligible"


def test_msrp_support() -> None:
    """003 > Children and families > Delivery of Support modules from My Solution Rehabilitation
    Programme."""
    e = entry("msrp-support")
    assert_msrp_duration(e)
    assert e.duration.text == MSRP_TEXT
    assert e.nsi.category == "ES - Children / Families KSS"
    assert e.nsi.sub_category == "MSRP Support Modules"
    assert e.needs == ["relationships"]
    # "All service users": whoever the person is.
    assert judge("msrp-support", {"sex": "female", "scores.risk_of_harm": "very_high"}).status == (
        "eligible"
    )


def test_msrp_outlook() -> None:
    """003 > Attitudes, thinking and behaviour services > Delivery of Outlook modules from My
    Solution Rehabilitation Programme."""
    e = entry("msrp-outlook")
    assert_msrp_duration(e)
    assert e.nsi.category == "ES - Attitudes, Thinking and Behaviour KSS"
    assert e.nsi.sub_category == "MSRP Outlook module"
    assert e.needs == ["attitudes_thinking_behaviour"]
    assert judge("msrp-outlook", {"circumstances.works_shifts": True}).status == "eligible"


def test_positive_futures() -> None:
    """003 > Attitudes, thinking and behaviour services > Positive Futures (Rehabilitation
    Activity Requirement)."""
    e = entry("positive-futures")
    assert parts(e) == [("group", 8, 120, False)]
    assert (e.nsi.category, e.nsi.sub_category) == ("ES - RAR Programme KSS", "Positive Futures")
    assert [c.text for c in e.not_suitable] == STANDARD_NOT_SUITABLE
    assert judge("positive-futures", {"sex": "female"}).status == "eligible"


def test_anger_management() -> None:
    """003 > Attitudes, thinking and behaviour services > Anger Management (Rehabilitation
    Activity Requirement)."""
    e = entry("anger-management")
    assert parts(e) == [("group", 2, 60, False), ("group", 8, 120, False)]
    assert e.duration.session_count == 10
    assert (e.nsi.category, e.nsi.sub_category) == ("ES - RAR Programme KSS", "Anger Management")
    assert [c.text for c in e.not_suitable] == STANDARD_NOT_SUITABLE
    assert "emotional_management" in e.needs


def test_domestic_abuse_programme() -> None:
    """003 > Attitudes, thinking and behaviour services > Domestic Abuse Programme."""
    e = entry("domestic-abuse-programme")
    assert parts(e) == [("group", 12, 120, False)]
    assert (e.nsi.category, e.nsi.sub_category) == ("ES - Domestic Violence KSS", "Group Programme")
    assert_check(
        "domestic-abuse-programme",
        {"checks.da_below_bbr_threshold": MISSING},
        "fall below the threshold of Building Better Relationships (BBR)",
    )
    assert judge("domestic-abuse-programme", {"scores.risk_of_harm": "medium"}).status == (
        "eligible"
    )


def test_gypsy_traveller_domestic_abuse() -> None:
    """003 > Attitudes, thinking and behaviour services > Gypsy/Traveller Domestic Abuse
    Programme."""
    e = entry("gypsy-traveller-domestic-abuse")
    assert parts(e) == [("group", 6, 90, False)]
    assert e.nsi.category == "ES - Domestic Violence KSS"
    assert e.nsi.sub_category == "Gypsy / Traveller Domestic Abuse"
    assert [c.text for c in e.not_suitable] == STANDARD_NOT_SUITABLE


def test_gypsy_traveller_domestic_abuse_needs_domestic_abuse() -> None:
    """003 > ... > Gypsy/Traveller Domestic Abuse Programme: it addresses domestic abuse ("To
    reduce the number of incidents of domestic abuse"), so the background alone is not
    eligibility: an index offence of intimate partner violence, or the officer's yes."""
    gypsy = "gypsy-traveller-domestic-abuse"
    question = "Is there domestic abuse by the person"
    # The background alone: a question, never eligible.
    assert_check(gypsy, {"checks.domestic_abuse_to_address": MISSING}, question)
    # An intimate partner violence index offence answers it.
    changes = {
        "checks.domestic_abuse_to_address": MISSING,
        "offence.index_offence": "intimate_partner_violence",
    }
    assert judge(gypsy, changes).status == "eligible"
    # Domestic abuse without the background is not enough either.
    changes = {"offence.index_offence": "intimate_partner_violence"}
    assert_excluded(
        gypsy,
        {**changes, "circumstances.gypsy_traveller": False},
        "Service users from a gypsy or traveller background",
    )


def test_domestic_abuse_one_to_one() -> None:
    """003 > Attitudes, thinking and behaviour services > Domestic Abuse One-to-One Programme."""
    e = entry("domestic-abuse-one-to-one")
    assert parts(e) == [("individual", 12, 90, True)]  # "Up to 12 sessions dependent on need"
    assert e.nsi.category == "ES - Domestic Violence KSS"
    assert e.nsi.sub_category == "One-to-One Programme"
    assert e.delivery == "one_to_one"


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"offence.admits_responsibility": False},
        {"checks.refuses_treatment": True},
        {"checks.refuses_treatment": MISSING},
        {"circumstances.misuses_illegal_drugs": True},
        {"circumstances.alcohol_dependent": True},
        {"circumstances.group_unsuitable": False},
        {"scores.sara": "low"},
    ],
)
def test_domestic_abuse_one_to_one_means_bbr_eligibility_and_suitability(
    changes: dict[str, Any],
) -> None:
    """003 > ... > Domestic Abuse One-to-One Programme: "meet the criteria for Building Better
    Relationships (BBR)" is BBR's eligibility and its suitability. On a case that cannot do
    group work, the one-to-one is eligible exactly when BBR would be, and a person who denies
    responsibility meets neither."""
    one_to_one = judge("domestic-abuse-one-to-one", changes)
    case = make_case({**ELIGIBLE["building-better-relationships"], **changes})
    bbr = judge_one(load(), case, "building-better-relationships")
    if changes.get("circumstances.group_unsuitable") is False:
        assert (one_to_one.status, bbr.status) == ("excluded", "eligible")  # BBR, not this
    else:
        assert one_to_one.status == bbr.status, (changes, one_to_one, bbr)
    if changes == {"offence.admits_responsibility": False}:
        reason = (
            "Not suitable: Service users who do not admit responsibility for at least one act "
            "of domestic abuse or refuse to undertake treatment"
        )
        assert one_to_one.reasons == bbr.reasons == (reason,)


def test_victim_awareness() -> None:
    """003 > Attitudes, thinking and behaviour services > Victim Awareness (Rehabilitation
    Activity Requirement)."""
    e = entry("victim-awareness")
    assert parts(e) == [("group", 6, 120, False)]
    assert (e.nsi.category, e.nsi.sub_category) == ("ES - RAR Programme KSS", "Victim Awareness")
    assert [c.text for c in e.not_suitable] == STANDARD_NOT_SUITABLE


def test_compulsive_obsessive_behaviour() -> None:
    """003 > Attitudes, thinking and behaviour services > Compulsive and Obsessive Behaviour
    Programme."""
    e = entry("compulsive-obsessive-behaviour")
    assert parts(e) == [("individual", 10, None, False)]
    assert len(e.duration.text) == 2  # the extra ten sessions need a new NSI
    assert e.nsi.category == "ES – Attitudes, Thinking and Behaviour KSS"
    assert e.nsi.sub_category == "Compulsive and Obsessive Behaviour Programme"
    assert e.not_suitable == []
    assert judge("compulsive-obsessive-behaviour", {"sex": "female"}).status == "eligible"


def test_immature_males() -> None:
    """003 > Attitudes, thinking and behaviour services > Intervention for Immature Males."""
    e = entry("immature-males")
    assert parts(e) == [("individual", 6, None, False)]
    assert e.nsi.category == "ES – Attitudes, Thinking and Behaviour KSS"
    assert e.nsi.sub_category == "Intervention for Immature Males"
    assert e.delivery == "one_to_one"


def test_verge_of_recall() -> None:
    """003 > Attitudes, thinking and behaviour services > Verge of Recall Intervention."""
    e = entry("verge-of-recall")
    assert e.duration.over_weeks == 2 and e.duration.sessions == []
    assert e.nsi.category == "ES Attitudes, Thinking and Behaviour KSS"
    assert e.nsi.sub_category == "Verge of Recall Intervention"
    assert e.eligibility == [] and e.not_suitable == []


def test_mentor_support() -> None:
    """003 > Mentoring > Mentor Support."""
    e = entry("mentor-support")
    assert e.duration.months == [6, 12, 18]
    assert e.nsi.category == "ES - Other KSS"
    assert e.nsi.sub_category == (
        "Mentoring - 6 Month Support / Mentoring - 12 Month Support / Mentoring - 18 Month Support"
    )
    assert "lifestyle_associates" in e.needs
    assert {"accommodation", "finance_benefits_debt", "education_training_employment"} <= set(
        e.needs
    )


def test_msrp_additional() -> None:
    """003 > Additional and bespoke services > Delivery of modules from My Solution
    Rehabilitation Programme."""
    e = entry("msrp-additional")
    assert_msrp_duration(e)
    assert e.nsi.category.startswith("Home: ES-Accommodation KSS / ES; Money: ")
    assert "Support: KSS/ES-Children/Families" in e.nsi.category
    assert e.nsi.sub_category == "Additional MSRP Modules"
    # The seven routeways: health, money, support, home, future, outlook, habit.
    assert set(e.needs) == set(NEED_AREAS) - {"lifestyle_associates"}


def test_bespoke_services() -> None:
    """003 > Additional and bespoke services > Bespoke services."""
    e = entry("bespoke-services")
    assert e.duration.negotiated and e.duration.text == ["Negotiated with the customer"]
    assert e.nsi.category == "ES - Other KSS / ES - Drugs/Alcohol KSS / ES - Drugs/Alcohol KSS"
    assert e.nsi.sub_category == (
        "Case Management Support / Supporting Alcohol Treatment Requirement / "
        "Supporting Drug Rehabilitation Requirement"
    )
    assert sorted(e.needs) == sorted(NEED_AREAS)
    assert (e.setting, e.delivery) == ("either", "either")


def test_practitioner_toolkit() -> None:
    """004 > Approved Suite of Probation Practitioner Toolkits; 001 sections 5 and 7."""
    e = entry("practitioner-toolkit")
    assert e.name == "Probation practitioner toolkit (RO-delivered structured sessions)"
    assert e.section == "Approved Suite of Probation Practitioner Toolkits"
    assert (e.setting, e.delivery, e.counts_towards_rar) == ("community", "one_to_one", True)
    assert e.duration.negotiated and e.duration.sessions == []
    assert (e.nsi.category, e.nsi.sub_category) == (
        "RO-delivered RAR activity",
        "Practitioner toolkit",
    )
    assert e.nsi.notes and "recorded as such" in e.nsi.notes
    assert e.note and "no existing intervention available" in e.note
    assert not e.accredited and e.not_suitable == []
    assert_check(
        "practitioner-toolkit",
        {"checks.no_existing_intervention": MISSING},
        "Is there no existing intervention available for this need?",
    )
    result = judge("practitioner-toolkit", {"checks.no_existing_intervention": False})
    assert result.status == "excluded"


EXCLUSIONS_10_TO_40: Rows = {
    # 003 > Accommodation services > Delivery of Home modules (...)
    "msrp-home": [
        ({"needs.accommodation": False}, EL, "help around finding a place to live"),
    ],
    # 003 > Education, training and employment services
    "msrp-future": [
        ({"needs.education_training_employment": False}, EL, "improving their job prospects"),
    ],
    "preparation-for-work": [
        ({"scores.risk_of_harm": "high"}, EL, "Low to medium risk of harm"),
        # Neither benefit (the eligible case is on JSA only, not ESA).
        ({"circumstances.jsa_over_six_months": False}, EL, "Employment Support Allowance"),
        ({"circumstances.alcohol_dependent": True}, NS, "chronic drug and alcohol use"),
        ({"circumstances.unstable_mental_health": True}, NS, "unstable mental health"),
        ({"circumstances.speaks_english": False}, NS, "unable to speak English"),
        ({"circumstances.works_shifts": True}, NS, "work shift patterns"),
    ],
    "cscs-card-training": [
        ({"checks.cscs_construction": False}, EL, "the construction industry"),
        ({"needs.education_training_employment": False}, EL, "the construction industry"),
        ({"circumstances.chronic_substance_misuse": True}, NS, "unmet substance misuse"),
        ({"circumstances.alcohol_dependent": True}, NS, "unmet substance misuse"),
        ({"circumstances.misuses_illegal_drugs": True}, NS, "unmet substance misuse"),
        ({"circumstances.unstable_mental_health": True}, NS, "unmet substance misuse"),
    ],
    "job-club": [
        ({"needs.education_training_employment": False}, EL, "help finding a job"),
    ],
    # 003 > Finance, benefit and debt services > Delivery of Money modules (...)
    "msrp-money": [
        ({"needs.finance_benefits_debt": False}, EL, "debts, finances or benefits"),
    ],
    # 003 > Drugs and alcohol services
    "cadu": [
        ({"scores.ogrs": 75}, EL, "risk of harm and reoffending"),
        ({"scores.risk_of_harm": "high"}, EL, "risk of harm and reoffending"),
        ({"offence.linked_to_substance_misuse": False}, EL, "linked to drug or alcohol"),
        ({"circumstances.unstable_mental_health": True}, NS, "unaddressed chronic drug"),
        ({"circumstances.speaks_english": False}, NS, "unable to speak English"),
        ({"circumstances.works_shifts": True}, NS, "work shift patterns"),
    ],
    "msrp-habit": [
        ({"circumstances.on_substance_programme": False}, EL, "already on an alcohol"),
    ],
    "beai": [
        ({"checks.beai_sadq_screen": False}, EL, "do not meet the SADQ screening criteria"),
        ({"circumstances.unstable_mental_health": True}, NS, "unmet mental health problems"),
    ],
    # 003 > Health services
    "msrp-health-mental": [
        ({"needs.emotional_management": False}, EL, "a health need"),
    ],
    "msrp-health-physical": [
        (
            {"needs.physical_health": False, "needs.emotional_management": True},
            EL,
            "a physical health need",
        ),
    ],
    # 003 > Women's support > Believe and Succeed
    "believe-and-succeed": [
        ({"sex": "male"}, EL, "Women only"),
        ({"sex": "male"}, NS, "Men"),
        ({"circumstances.chronic_substance_misuse": True}, NS, "chronic drug and alcohol use"),
        ({"circumstances.unstable_mental_health": True}, NS, "unstable mental health"),
        ({"circumstances.speaks_english": False}, NS, "unable to speak English"),
        ({"circumstances.works_shifts": True}, NS, "work shift patterns"),
    ],
    # 003 > Women's support > Women’s wrap-around support (available in Sussex only)
    "womens-wrap-around-support": [
        ({"region": "kent"}, EL, "Available in Sussex only"),
        ({"region": "surrey"}, EL, "Available in Sussex only"),
        ({"sex": "male"}, EL, "Women service users"),
        ({"sex": "male"}, NS, "Men"),
    ],
    # 003 > Restorative Justice > Restorative justice conferencing / Individual tailored (...)
    "restorative-justice-conferencing": [
        ({"checks.rj_conference_suitable": False}, EL, "Case-by-case assessment"),
    ],
    "restorative-justice-tailored": [
        ({"checks.rj_tailored_suitable": False}, EL, "Case-by-case assessment"),
    ],
    # 003 > Senior Attendance Centre > Senior Attendance Centre
    "senior-attendance-centre": [
        ({"age": 25}, NS, "older than 24 years-old"),
        ({"age": 25}, EL, "aged 18 to 24 years-old"),
        ({"age": 17}, EL, "aged 18 to 24 years-old"),
        ({"offence.seriousness": "medium"}, EL, "an offence of low seriousness"),
        ({"scores.risk_of_harm": "high"}, EL, "medium risk of serious harm"),
        ({"scores.risk_of_harm": "very_high"}, EL, "medium risk of serious harm"),
        (
            {"scores.risk_of_harm": "medium", "checks.sac_supporting_assessment": False},
            EL,
            "if they have a supporting assessment",
        ),
    ],
    # 003 > Attitudes, thinking and behaviour services > Positive Futures (...)
    "positive-futures": [
        ({"sex": MISSING, "circumstances.unstable_mental_health": True}, NS, "unstable mental"),
        ({"circumstances.chronic_substance_misuse": True}, NS, "unaddressed chronic drug"),
        ({"circumstances.speaks_english": False}, NS, "unable to speak English"),
        ({"circumstances.works_shifts": True}, NS, "work shift patterns"),
    ],
    # 003 > Attitudes, thinking and behaviour services > Anger Management (...)
    "anger-management": [
        ({"circumstances.chronic_substance_misuse": True}, NS, "unaddressed chronic drug"),
        ({"circumstances.speaks_english": False}, NS, "unable to speak English"),
        ({"circumstances.works_shifts": True}, NS, "work shift patterns"),
    ],
    # 003 > Attitudes, thinking and behaviour services > Domestic Abuse Programme
    "domestic-abuse-programme": [
        ({"checks.da_below_bbr_threshold": False}, EL, "falls below the threshold"),
        ({"scores.risk_of_harm": "high"}, NS, "High risk offenders"),
        ({"scores.risk_of_harm": "very_high"}, NS, "High risk offenders"),
        ({"circumstances.unstable_mental_health": True}, NS, "or chronic drug and alcohol use"),
        ({"circumstances.speaks_english": False}, NS, "unable to speak English"),
        ({"circumstances.works_shifts": True}, NS, "work shift patterns"),
    ],
    # 003 > Attitudes, thinking and behaviour services > Gypsy/Traveller Domestic Abuse Programme
    "gypsy-traveller-domestic-abuse": [
        ({"circumstances.gypsy_traveller": False}, EL, "gypsy or traveller background"),
        ({"checks.domestic_abuse_to_address": False}, EL, "incidents of domestic abuse"),
        ({"circumstances.chronic_substance_misuse": True}, NS, "unaddressed chronic drug"),
        ({"circumstances.speaks_english": False}, NS, "unable to speak English"),
        ({"circumstances.works_shifts": True}, NS, "work shift patterns"),
    ],
    # 003 > ... > Domestic Abuse One-to-One Programme: BBR's criteria, but not in a group
    "domestic-abuse-one-to-one": [
        ({"circumstances.group_unsuitable": False}, EL, "cannot undertake the work in a group"),
        ({"scores.sara": "low"}, EL, "meet the criteria for Building Better Relationships"),
        ({"offence.index_offence": "violence"}, EL, "meet the criteria for Building Better"),
        ({"scores.oasys_total_score": 7}, EL, "meet the criteria for Building Better"),
        ({"scores.oasys_thinking_score": 5}, EL, "meet the criteria for Building Better"),
        ({"scores.oasys_11_6": 1}, EL, "meet the criteria for Building Better"),
        ({"sex": "female"}, NS, "Women"),
        ({"circumstances.chronic_substance_misuse": True}, NS, "chronic drug and alcohol use"),
        # BBR's suitability, carried over: "meet the criteria for BBR".
        ({"offence.admits_responsibility": False}, NS, "do not admit responsibility"),
        ({"checks.refuses_treatment": True}, NS, "do not admit responsibility"),
        ({"circumstances.misuses_illegal_drugs": True}, NS, "serious mental health"),
    ],
    # 003 > ... > Victim Awareness (Rehabilitation Activity Requirement)
    "victim-awareness": [
        ({"circumstances.unstable_mental_health": True}, NS, "unaddressed chronic drug"),
        ({"circumstances.speaks_english": False}, NS, "unable to speak English"),
        ({"circumstances.works_shifts": True}, NS, "work shift patterns"),
    ],
    # 003 > ... > Intervention for Immature Males
    "immature-males": [
        ({"sex": "female"}, EL, "Male service users"),
        ({"offence.index_offence": "intimate_partner_violence"}, NS, "intimate partner abuse"),
    ],
    # 004 > Approved Suite of Probation Practitioner Toolkits (001 section 5)
    "practitioner-toolkit": [
        ({"checks.no_existing_intervention": False}, EL, "no existing intervention available"),
    ],
}


@pytest.mark.parametrize("entry_id,changes,kind,fragment", exclusion_params(EXCLUSIONS_10_TO_40))
def test_exclusions_entries_10_to_40(
    entry_id: str, changes: dict[str, Any], kind: str, fragment: str
) -> None:
    """Each eligibility and not-suitable line of the card, failed by a case, with its words."""
    assert_excluded(entry_id, changes, reason_for(entry_id, kind, fragment))


# Every substance line of the card (003 "Not suitable" bullets on drugs, alcohol or substance
# misuse) and the substance facts each reads. "Substance misuse issues" and "serious drug or
# alcohol problems" read every one; "chronic drug and alcohol use" reads chronic misuse and
# alcohol dependence (chronic alcohol use), not a recorded misuse of illegal drugs alone.
SUBSTANCE_FACTS = (
    "circumstances.chronic_substance_misuse",
    "circumstances.alcohol_dependent",
    "circumstances.misuses_illegal_drugs",
)
ISSUES, CHRONIC = SUBSTANCE_FACTS, SUBSTANCE_FACTS[:2]
SUBSTANCE_LINES: list[tuple[str, str, tuple[str, ...]]] = [
    ("resolve", "or substance misuse issues", ISSUES),
    ("drink-impaired-drivers", "serious drug or alcohol problems", ISSUES),
    ("thinking-skills-programme", "or substance misuse issues", ISSUES),
    ("building-better-relationships", "serious mental health or substance misuse", ISSUES),
    ("womens-resettlement-programme", "chronic drug and alcohol use", CHRONIC),
    ("preparation-for-work", "chronic drug and alcohol use", CHRONIC),
    ("cscs-card-training", "unmet substance misuse", ISSUES),
    ("cadu", "chronic drug and alcohol use", CHRONIC),
    ("believe-and-succeed", "chronic drug and alcohol use", CHRONIC),
    ("positive-futures", "chronic drug and alcohol use", CHRONIC),
    ("anger-management", "chronic drug and alcohol use", CHRONIC),
    ("domestic-abuse-programme", "chronic drug and alcohol use", CHRONIC),
    ("gypsy-traveller-domestic-abuse", "chronic drug and alcohol use", CHRONIC),
    ("domestic-abuse-one-to-one", "chronic drug and alcohol use", CHRONIC),
    ("domestic-abuse-one-to-one", "serious mental health or substance misuse", ISSUES),
    ("victim-awareness", "chronic drug and alcohol use", CHRONIC),
]
SUBSTANCE_WORDS = ("substance", "drug", "alcohol")
# About the offence, not the person's use: "high alcohol blood reading" is a mitigating factor.
FIRST_DRINK_DRIVE = (
    "First time drink drive conviction unless a mitigating factor e.g. high alcohol blood "
    "reading or causing an accident"
)


def _about_substances(text: str) -> bool:
    return text != FIRST_DRINK_DRIVE and any(word in text.lower() for word in SUBSTANCE_WORDS)


def test_every_substance_line_of_the_catalogue_and_the_card_is_listed() -> None:
    """The table above is complete: every not-suitable line about substances, in the catalogue
    and among the card's bullets."""
    listed = {(entry_id, reason_for(entry_id, NS, f)) for entry_id, f, _ in SUBSTANCE_LINES}
    in_catalogue = {
        (e.id, f"Not suitable: {c.text}")
        for e in load()
        for c in e.not_suitable
        if _about_substances(c.text)
    }
    assert in_catalogue == listed
    card = card_text().split("Not suitable\n")[1:]
    bullets = {
        line.removeprefix("  • ")
        for part in card
        for line in part.split("\n\n")[0].splitlines()
        if _about_substances(line.removeprefix("  • "))
    }
    assert bullets == {text.removeprefix("Not suitable: ") for _, text in in_catalogue}


@pytest.mark.parametrize("fact", SUBSTANCE_FACTS)
@pytest.mark.parametrize(
    "entry_id,fragment,reads",
    [pytest.param(*row, id=f"{row[0]}-{row[1][:12]}") for row in SUBSTANCE_LINES],
)
def test_substance_lines_read_every_substance_fact(
    entry_id: str, fragment: str, reads: tuple[str, ...], fact: str
) -> None:
    """003, each entry's substance line: a substance fact it reads excludes when true and makes
    the line a question when unrecorded; one it does not read changes nothing. Each reading is
    stated in the criterion's note, naming the facts it reads."""
    reason = reason_for(entry_id, NS, fragment)
    criterion = next(c for c in entry(entry_id).not_suitable if reason.endswith(c.text))
    assert criterion.note, reason
    for name in reads:
        assert name in criterion.note, (name, reason)
    recorded = judge(entry_id, {fact: True})
    unrecorded = judge(entry_id, {fact: MISSING})
    if fact in reads:
        assert recorded.status == "excluded" and reason in recorded.reasons, recorded
        assert unrecorded.status == "check", unrecorded
        assert any(criterion.text in r and fact in r for r in unrecorded.reasons), unrecorded
    else:
        assert reason not in recorded.reasons, recorded
        assert not any(criterion.text in r for r in unrecorded.reasons), unrecorded


# Criteria no recorded value can fail: "Men and women" holds for either sex. A missing sex makes
# them a question (test_leaving_a_needed_fact_out_gives_check and the test below).
CANNOT_FAIL = {
    ("drink-impaired-drivers", "Male and female service users"),
    ("positive-futures", "Men and women"),
    ("anger-management", "Men and women"),
    ("victim-awareness", "Men and women"),
    ("compulsive-obsessive-behaviour", "Men and women"),
    ("mentor-support", "Men and women"),
}


def test_every_criterion_is_failed_by_some_exclusion_case() -> None:
    """No card line goes untested: each criterion is the reason in at least one case above."""
    covered = {
        (entry_id, reason_for(entry_id, kind, fragment))
        for table in (EXCLUSIONS_1_TO_9, EXCLUSIONS_10_TO_40)
        for entry_id, rows in table.items()
        for _, kind, fragment in rows
    }
    untested = []
    for e in load():
        for c in e.eligibility:
            if (e.id, c.text) not in covered and (e.id, c.text) not in CANNOT_FAIL:
                untested.append((e.id, c.text))
        for c in e.not_suitable:
            if (e.id, f"Not suitable: {c.text}") not in covered:
                untested.append((e.id, c.text))
    assert untested == []


@pytest.mark.parametrize("entry_id,text", sorted(CANNOT_FAIL))
def test_men_and_women_lines_ask_when_sex_is_missing(entry_id: str, text: str) -> None:
    assert_check(entry_id, {"sex": MISSING}, text)


def test_practitioner_toolkit_needs_are_the_guidance_eight() -> None:
    """001 section 3 lists the eight need areas; the toolkit may address any of them."""
    assert entry("practitioner-toolkit").needs == list(GUIDANCE_NEEDS)
