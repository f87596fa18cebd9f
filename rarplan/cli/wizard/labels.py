"""The words the wizard shows for the case file's values (officer's words, not keys)."""

from __future__ import annotations

NOT_RECORDED = "Not recorded"
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
