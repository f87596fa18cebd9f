"""The words the wizard shows for the case file's values (officer's words, not keys)."""

from __future__ import annotations

NOT_RECORDED = "Not recorded"
# Stage and order in one question (stage:order). Before sentence a court is proposed a
# community order or SSO only; a licence or post-sentence supervision is set at release.
SENTENCE_KINDS = (
    ("pre_sentence:community_order", "Pre-sentence report: proposing a community order"),
    (
        "pre_sentence:suspended_sentence_order",
        "Pre-sentence report: proposing a suspended sentence order",
    ),
    ("sentenced:community_order", "Community order (sentenced)"),
    ("sentenced:suspended_sentence_order", "Suspended sentence order (sentenced)"),
    ("sentenced:licence", "Licence (after a custodial sentence; no RAR)"),
    ("sentenced:post_sentence_supervision", "Post-sentence supervision (no RAR)"),
)
# Offences that may be sexually motivated without being a sexual offence (001 section 3).
MAYBE_SEXUALLY_MOTIVATED = frozenset(
    {"violence", "intimate_partner_violence", "stalking_harassment", "other"}
)
INDEX_OFFENCES = (
    ("violence", "Violence"),
    ("intimate_partner_violence", "Intimate partner violence (domestic abuse)"),
    ("sexual", "Sexual"),
    ("drink_driving", "Drink driving"),
    ("acquisitive", "Acquisitive (theft, burglary, fraud)"),
    ("drugs", "Drugs"),
    ("public_order", "Public order"),
    ("criminal_damage", "Criminal damage"),
    ("motoring", "Motoring (other)"),
    ("stalking_harassment", "Stalking or harassment"),
    ("other", "Other"),
)
OTHER_REQUIREMENTS = (
    ("unpaid_work", "Unpaid work"),
    ("accredited_programme", "Accredited programme"),
    ("alcohol_treatment", "Alcohol treatment (ATR)"),
    ("drug_rehabilitation", "Drug rehabilitation (DRR)"),
    ("mental_health_treatment", "Mental health treatment (MHTR)"),
    ("curfew", "Curfew"),
    ("electronic_monitoring", "Electronic monitoring"),
    ("attendance_centre", "Attendance centre"),
    ("prohibited_activity", "Prohibited activity"),
    ("exclusion", "Exclusion"),
    ("residence", "Residence"),
    ("supervision", "Supervision"),
)
# Requirements a court makes that are no licence condition.
COURT_ONLY = frozenset({"unpaid_work", "attendance_centre"})
# (field, label, ticked means False): phrased so that a tick is the unusual case.
FACTS = (
    ("alcohol_dependent", "Alcohol dependent (an ATR comes first)", False),
    ("misuses_illegal_drugs", "Misuses illegal drugs (a DRR comes first)", False),
    (
        "treatable_mental_health_condition",
        "Treatable mental health condition (an MHTR first)",
        False,
    ),
    ("unstable_mental_health", "Unstable mental health", False),
    ("chronic_substance_misuse", "Chronic substance misuse", False),
    ("speaks_english", "Does not speak English well enough for group work", True),
    ("works_shifts", "Works shifts", False),
    ("gypsy_traveller", "Gypsy or Traveller", False),
    ("group_unsuitable", "Unsuitable for group work", False),
    ("on_substance_programme", "Already on a substance misuse programme", False),
    ("jsa_over_six_months", "On Jobseeker's Allowance for more than six months", False),
    ("on_esa", "On Employment and Support Allowance", False),
    ("immigration_or_deportation", "Immigration or deportation proceedings", False),
)
VULNERABILITIES = (
    ("young_adult_male", "Young adult male (18 to 24)"),
    ("woman", "Woman"),
    ("foreign_national", "Foreign national"),
    ("recalled", "Recalled to prison"),
    ("care_leaver", "Care leaver"),
    ("domestic_violence_victim", "Victim of domestic violence"),
    ("sex_worker", "Sex worker"),
    ("ex_armed_forces", "Ex-armed forces"),
    ("learning_disability", "Learning disability"),
    ("bame", "Black, Asian or minority ethnic"),
)
SEXUAL_FACTORS = (
    ("unusual_sexual_interests", "Unusual sexual interests"),
    ("attitudes_supporting_sexual_offending", "Attitudes that support sexual offending"),
    ("poor_emotional_relationships_with_adults", "Poor emotional relationships with adults"),
    ("lack_of_self_management", "A lack of self-management"),
)
LEVELS = (("low", "Low"), ("medium", "Medium"), ("high", "High"), (None, NOT_RECORDED))
RISK_OF_HARM = (
    ("low", "Low"),
    ("medium", "Medium"),
    ("high", "High"),
    ("very_high", "Very high"),
    (None, NOT_RECORDED),
)
# Vulnerabilities the other answers give (sex, age): never asked.
IMPLIED = frozenset({"woman", "young_adult_male"})
# The scores a rule may read, asked only when one does: (path, question, hint).
SCORE_QUESTIONS = (
    ("scores.ovp", "OVP 2-year score (%)", "(0 to 100; blank if not known)"),
    ("scores.oasys_thinking_score", "OASys thinking and behaviour score", None),
    ("scores.oasys_total_score", "OASys total score", None),
    ("scores.oasys_11_3", "OASys 11.3 (aggressive behaviour)", "(0, 1 or 2; blank if not known)"),
    ("scores.oasys_11_6", "OASys 11.6 (impulsivity)", "(0, 1 or 2; blank if not known)"),
    ("scores.oasys_11_7", "OASys 11.7 (temper control)", "(0, 1 or 2; blank if not known)"),
    ("scores.oasys_2a_total", "OASys need 2a total", "(0 to 14; blank if not known)"),
    ("scores.audit", "AUDIT score", "(0 to 40; blank if not known)"),
)
SCORE_YES_NO = (
    ("scores.oasys_2_3d", "OASys 2.3d: is there an intimate partner violence offence?"),
    ("scores.oasys_6_7", "OASys 6.7: is there intimate partner violence, index or historical?"),
    (
        "scores.oasys_thinking_linked_to_harm",
        "OASys: is thinking and behaviour linked to the risk of serious harm?",
    ),
    (
        "scores.oasys_attitudes_linked_to_harm",
        "OASys: are attitudes linked to the risk of serious harm?",
    ),
)
# The offence's details, asked when a rule reads them.
OFFENCE_DETAILS_YES_NO = (
    ("offence.impulsive", "Was the offence impulsive?"),
    ("offence.linked_to_substance_misuse", "Is the offending linked to substance misuse?"),
    (
        "offence.admits_responsibility",
        "Does the person admit responsibility for at least one act of domestic abuse?",
    ),
    ("offence.previous_violence", "Is there a previous or current offence of violence?"),
)
