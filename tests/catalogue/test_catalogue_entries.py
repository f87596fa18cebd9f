"""The shipped catalogue (data/interventions.toml) against its sources, entry by entry.

Sources: docs/sources/003_2c3b0962518856ac.txt (KSS CRC "Rate card"), 001_246201b7ec5ee73b.txt
(MoJ "RAR guidance"), 004_156466ba85ed721c.txt (HMPPS judicial brochure). Each entry test names
the heading it checks as "003 > section > name". Eligibility is checked by judging real cases:
`make_case` starts from a fully specified, harmless case (every circumstance recorded) so that a
result of `check` is never an accident of a missing fact; `ELIGIBLE` adds, per entry, what that
entry needs to be eligible. This file covers the catalogue as a whole and the first nine
entries (rate card order: accredited programmes and resettlement services);
test_catalogue_entries_2.py covers the rest.
"""

from __future__ import annotations

import copy
import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from rarplan.assess.eligibility import Judgement, judge_one
from rarplan.catalogue import load as catalogue_module
from rarplan.catalogue.models import Catalogue, Intervention
from rarplan.model.case import Case
from rarplan.model.needs import NEED_AREAS
from tests.conftest import SEEDS

REPO = Path(__file__).resolve().parents[2]
CATALOGUE_PATH = REPO / "data" / "interventions.toml"
CARD = "003_2c3b0962518856ac.txt"

IDS = [
    "resolve",
    "drink-impaired-drivers",
    "thinking-skills-programme",
    "building-better-relationships",
    "ttg-level-1",
    "ttg-level-2",
    "ttg-level-3",
    "ruready",
    "womens-resettlement-programme",
    "msrp-home",
    "msrp-future",
    "preparation-for-work",
    "cscs-card-training",
    "job-club",
    "msrp-money",
    "cadu",
    "msrp-habit",
    "beai",
    "msrp-health-mental",
    "msrp-health-physical",
    "believe-and-succeed",
    "womens-wrap-around-support",
    "restorative-justice-conferencing",
    "restorative-justice-tailored",
    "senior-attendance-centre",
    "msrp-support",
    "msrp-outlook",
    "positive-futures",
    "anger-management",
    "domestic-abuse-programme",
    "gypsy-traveller-domestic-abuse",
    "domestic-abuse-one-to-one",
    "victim-awareness",
    "compulsive-obsessive-behaviour",
    "immature-males",
    "verge-of-recall",
    "mentor-support",
    "msrp-additional",
    "bespoke-services",
    "practitioner-toolkit",
]

MISSING = object()  # a value for make_case: leave this fact out of the case

# A harmless, fully specified case: male, 30, violence, OGRS 40, low risk of harm, every
# circumstance recorded with its harmless value, no needs, no checks answered.
BENIGN: dict[str, Any] = {
    "crn": "X123456",
    "sex": "male",
    "age": 30,
    "region": "kent",
    "sentence": {"order": "community_order", "length_months": 12, "setting": "community"},
    "offence": {
        "index_offence": "violence",
        "sexually_motivated": False,
        "impulsive": True,
        "seriousness": "low",
        "previous_convictions": 1,
        "first_drink_drive_conviction": False,
        "drink_drive_mitigating_factor": False,
        "admits_responsibility": True,
        "linked_to_substance_misuse": False,
    },
    "scores": {
        "ogrs": 40,
        "ovp": 31,
        "sara": "medium",
        "risk_of_harm": "low",
        "oasys_thinking_score": 6,
        "oasys_total_score": 10,
        "oasys_11_6": 2,
        "oasys_11_7": 0,
        "audit": 5,
        "sadq": 10,
    },
    "needs": {},
    "circumstances": {
        "alcohol_dependent": False,
        "misuses_illegal_drugs": False,
        "treatable_mental_health_condition": False,
        "unstable_mental_health": False,
        "chronic_substance_misuse": False,
        "speaks_english": True,
        "works_shifts": False,
        "gypsy_traveller": False,
        "group_unsuitable": False,
        "on_substance_programme": False,
        "jsa_over_six_months": False,
        "on_esa": False,
        "immigration_or_deportation": False,
    },
    "checks": {},
}

CUSTODY = {"sentence.setting": "custody"}

# Per entry: the changes to BENIGN that make the entry eligible (judgement checks answered).
ELIGIBLE: dict[str, dict[str, Any]] = {
    "resolve": {},
    "drink-impaired-drivers": {"offence.index_offence": "drink_driving", "scores.ogrs": 30},
    "thinking-skills-programme": {"scores.ogrs": 50},
    "building-better-relationships": {
        "offence.index_offence": "intimate_partner_violence",
        "checks.refuses_treatment": False,
    },
    "ttg-level-1": {**CUSTODY, "sentence.establishment": "HMP Maidstone"},
    "ttg-level-2": {
        **CUSTODY,
        "sentence.establishment": "HMP Swaleside",
        "circumstances.completed_interventions": ["ttg-level-1"],
        "needs.accommodation": True,
    },
    "ttg-level-3": {
        **CUSTODY,
        "sentence.establishment": "HMP Maidstone",
        "circumstances.completed_interventions": ["ttg-level-1", "ttg-level-2"],
        "circumstances.vulnerabilities": ["foreign_national"],
    },
    "ruready": {**CUSTODY, "sentence.weeks_to_release": 8},
    "womens-resettlement-programme": {
        **CUSTODY,
        "sex": "female",
        "sentence.establishment": "HMP Bronzefield",
    },
    "msrp-home": {"needs.accommodation": True},
    "msrp-future": {"needs.education_training_employment": True},
    "preparation-for-work": {"circumstances.jsa_over_six_months": True},
    "cscs-card-training": {
        "needs.education_training_employment": True,
        "checks.cscs_construction": True,
    },
    "job-club": {"needs.education_training_employment": True},
    "msrp-money": {"needs.finance_benefits_debt": True},
    "cadu": {"offence.linked_to_substance_misuse": True},
    "msrp-habit": {"circumstances.on_substance_programme": True},
    "beai": {"checks.beai_sadq_screen": True},
    "msrp-health-mental": {"needs.emotional_management": True},
    "msrp-health-physical": {"needs.physical_health": True},
    "believe-and-succeed": {"sex": "female"},
    "womens-wrap-around-support": {"sex": "female", "region": "sussex"},
    "restorative-justice-conferencing": {"checks.rj_conference_suitable": True},
    "restorative-justice-tailored": {"checks.rj_tailored_suitable": True},
    "senior-attendance-centre": {"age": 20},
    "msrp-support": {},
    "msrp-outlook": {},
    "positive-futures": {},
    "anger-management": {},
    "domestic-abuse-programme": {"checks.da_below_bbr_threshold": True},
    "gypsy-traveller-domestic-abuse": {
        "circumstances.gypsy_traveller": True,
        "checks.domestic_abuse_to_address": True,
    },
    "domestic-abuse-one-to-one": {
        "offence.index_offence": "intimate_partner_violence",
        "circumstances.group_unsuitable": True,
        "checks.refuses_treatment": False,
    },
    "victim-awareness": {},
    "compulsive-obsessive-behaviour": {},
    "immature-males": {},
    "verge-of-recall": {},
    "mentor-support": {},
    "msrp-additional": {},
    "bespoke-services": {},
    "practitioner-toolkit": {"checks.no_existing_intervention": True},
}


@cache
def load() -> Catalogue:
    return catalogue_module.load(CATALOGUE_PATH)


def entry(entry_id: str) -> Intervention:
    return load().get(entry_id)


def make_case(changes: dict[str, Any], base: dict[str, Any] = BENIGN) -> Case:
    """`base` with dotted-path changes ("scores.ovp": 20); MISSING removes the value."""
    data = copy.deepcopy(base)
    for path, value in changes.items():
        *parents, key = path.split(".")
        target = data
        for part in parents:
            target = target.setdefault(part, {})
        if value is MISSING:
            target.pop(key, None)
        else:
            target[key] = value
    return Case.model_validate(data)


def judge(entry_id: str, changes: dict[str, Any] | None = None) -> Judgement:
    """The entry judged against its eligible case with `changes` applied."""
    case = make_case({**ELIGIBLE[entry_id], **(changes or {})})
    return judge_one(load(), case, entry_id)


def assert_excluded(entry_id: str, changes: dict[str, Any], reason: str) -> None:
    result = judge(entry_id, changes)
    assert result.status == "excluded", result
    assert reason in result.reasons, result.reasons


def assert_check(entry_id: str, changes: dict[str, Any], fragment: str) -> None:
    result = judge(entry_id, changes)
    assert result.status == "check", result
    assert any(fragment in r for r in result.reasons), result.reasons


EL, NS = "eligibility", "not_suitable"  # which list of the entry a criterion is in


def reason_for(entry_id: str, kind: str, fragment: str) -> str:
    """The full reason judge gives for the one criterion of `kind` whose text has `fragment`."""
    found = [c.text for c in getattr(entry(entry_id), kind) if fragment in c.text]
    assert len(found) == 1, f"{entry_id} {kind}: {fragment!r} matches {found}"
    return f"Not suitable: {found[0]}" if kind == NS else found[0]


Rows = dict[str, list[tuple[dict[str, Any], str, str]]]


def exclusion_params(table: Rows) -> list[Any]:
    return [
        pytest.param(entry_id, changes, kind, fragment, id=f"{entry_id}-{n}")
        for entry_id, rows in table.items()
        for n, (changes, kind, fragment) in enumerate(rows)
    ]


def parts(e: Intervention) -> list[tuple[str, int, int | None, bool]]:
    return [(p.kind, p.count, p.minutes, p.up_to) for p in e.duration.sessions]


def card_text() -> str:
    return (SEEDS / CARD).read_text(encoding="utf-8")


def card_block(e: Intervention) -> str:
    """The entry's part of the card: from its heading to the next "Back to top"."""
    heading = f"Back to top\n{e.section}\n\n{e.name}\n"
    text = card_text()
    assert heading in text, e.id
    return text.split(heading, 1)[1].split("Back to top")[0]


# Criteria in another entry's words: Domestic Abuse One-to-One is for people who "meet the
# criteria for BBR", so it carries BBR's not-suitable lines (its note says so).
BORROWED = {
    (
        "domestic-abuse-one-to-one",
        "Service users who do not admit responsibility for at least one act of domestic abuse "
        "or refuse to undertake treatment",
    ): "building-better-relationships",
    (
        "domestic-abuse-one-to-one",
        "Individuals with serious mental health or substance misuse issues",
    ): "building-better-relationships",
}


# ----------------------------------------------------------------------------------------------
# The catalogue as a whole
# ----------------------------------------------------------------------------------------------


def test_the_file_lists_exactly_the_forty_ids_in_rate_card_order() -> None:
    assert [e.id for e in load()] == IDS
    assert len(IDS) == 40 == len(set(IDS))


def test_provider_and_top_level_sources() -> None:
    data = load().data
    assert data.schema_version == 1
    assert data.provider == "Kent, Surrey and Sussex Community Rehabilitation Company (KSS CRC)"
    assert {s.file for s in data.source} >= {CARD, "001_246201b7ec5ee73b.txt"}


def test_every_entry_cites_the_rate_card_except_the_practitioner_toolkit() -> None:
    for e in load():
        if e.id == "practitioner-toolkit":
            assert e.source.file == "004_156466ba85ed721c.txt"
            assert e.source.heading == "Approved Suite of Probation Practitioner Toolkits"
        else:
            assert e.source.file == CARD, e.id
            assert e.source.heading == f"{e.section} > {e.name}", e.id


def test_every_cited_source_file_is_in_docs_sources() -> None:
    data = load().data
    cited = {s.file for s in data.source} | {e.source.file for e in load()}
    assert data.referral is not None
    cited.add(data.referral.source.file)
    for name in sorted(cited):
        assert (SEEDS / name).is_file(), name


def test_referral_steps_are_the_cards_fourteen_with_placeholders() -> None:
    """003 > Process to purchase services > Non Statutory Interventions (NSI) process."""
    referral = load().data.referral
    assert referral is not None
    assert len(referral.steps) == 14
    assert referral.steps[0] == "Select Add NSI"
    assert referral.steps[1] == "NSI Provider: CPA Kent, Surrey and Sussex"
    assert referral.steps[2] == "Non Statutory Intervention: {category}"
    assert referral.steps[3] == "Non Statutory Intervention Sub Type: {sub_category}"
    assert referral.steps[8] == "Status: Referred"
    assert referral.steps[12] == "Actual End Date: Please leave blank"
    assert sum("{category}" in s for s in referral.steps) == 1
    assert sum("{sub_category}" in s for s in referral.steps) == 1
    assert len(referral.transfer_steps) == 7
    assert referral.transfer_steps[1] == "Provider: CPA KSS CRC"
    assert referral.transfer_steps[-1].startswith("Click Transfer and select External NSI")
    assert referral.source.file == CARD


def test_referral_steps_are_verbatim_from_the_card() -> None:
    text = card_text()
    referral = load().data.referral
    assert referral is not None
    for n, step in enumerate(referral.steps, start=1):
        if "{" not in step:
            assert f"\n{n}. {step}\n" in text, step
    for letter, step in zip("abcdefg", referral.transfer_steps, strict=True):
        assert f"\n{letter}. {step}\n" in text, step


def test_every_need_area_used_is_valid_and_every_entry_has_one() -> None:
    for e in load():
        assert e.needs, e.id
        assert set(e.needs) <= set(NEED_AREAS), e.id
        assert len(e.needs) == len(set(e.needs)), e.id


def test_only_the_four_accredited_programmes_are_accredited() -> None:
    """003 > Accredited Programmes: Resolve, DID, TSP, BBR."""
    accredited = [e.id for e in load() if e.accredited]
    assert accredited == IDS[:4]
    assert all(entry(i).section == "Accredited Programmes" for i in accredited)


def test_which_entries_do_not_count_towards_rar_days() -> None:
    """Accredited programmes (001 section 2), custody-only services, Senior Attendance Centre."""
    not_rar = {e.id for e in load() if not e.counts_towards_rar}
    assert not_rar == {
        *IDS[:4],
        "ttg-level-1",
        "ttg-level-2",
        "ttg-level-3",
        "ruready",
        "womens-resettlement-programme",
        "senior-attendance-centre",
    }
    for entry_id in not_rar:
        assert entry(entry_id).note, entry_id  # the reason is recorded


def test_custody_only_services_are_custody_setting() -> None:
    custody = {e.id for e in load() if e.setting == "custody"}
    assert custody == {
        "ttg-level-1",
        "ttg-level-2",
        "ttg-level-3",
        "ruready",
        "womens-resettlement-programme",
    }


def test_no_entry_sets_a_timetable() -> None:
    assert all(e.timetable is None for e in load())


def test_nsi_notes_only_where_the_card_asks_for_module_details() -> None:
    wording = (
        "Please provide clear details in the NSI notes field of which modules and sessions "
        "the service user is being referred for"
    )
    with_notes = {e.id for e in load() if e.nsi.notes == wording}
    assert with_notes == {
        "msrp-home",
        "msrp-future",
        "msrp-money",
        "msrp-habit",
        "msrp-health-mental",
        "msrp-health-physical",
        "msrp-support",
        "msrp-outlook",
    }
    assert all("(Please" not in e.nsi.sub_category for e in load())


@pytest.mark.parametrize("entry_id", IDS[:-1])
def test_card_words_are_verbatim(entry_id: str) -> None:
    """Name, section, aims, duration, NSI strings and criteria texts are the card's own words."""
    e = entry(entry_id)
    block = card_block(e)
    for line in [*e.aims, *e.duration.text]:
        assert f"  • {line}\n" in block, line
    category = e.nsi.category
    if entry_id == "msrp-home":  # the card writes "NSI Main Category: ES – Accommodation KSS"
        category = f"NSI Main Category: {category}"
    assert f"Non Statutory Intervention Category:\n{category}\n" in block
    sub = e.nsi.sub_category + (f" ({e.nsi.notes})" if e.nsi.notes else "")
    assert f"Non Statutory Sub-Category:\n{sub}\n" in block
    for criterion in [*e.eligibility, *e.not_suitable]:
        if criterion.text == "Available in Sussex only":  # from the name, not a bullet
            assert "(available in Sussex only)" in e.name
            continue
        if criterion.text == e.summary:  # the card's description of the service, read as a rule
            assert f"\n{e.summary}\n" in block and criterion.note, criterion.text
            continue
        lender = BORROWED.get((entry_id, criterion.text))
        if lender is not None:  # another entry's line, which the note names
            assert criterion.note and entry(lender).name in criterion.note, criterion.text
            assert f"  • {criterion.text}\n" in card_block(entry(lender)), criterion.text
            continue
        for piece in re.split(r"; or |\. Not suitable: ", criterion.text):
            assert f"  • {piece}" in block, piece


@pytest.mark.parametrize("entry_id", IDS)
def test_the_eligible_case_is_eligible(entry_id: str) -> None:
    """Each entry has a case that passes every criterion (the base of the exclusion tests)."""
    assert judge(entry_id) == Judgement(entry_id, "eligible", ())


# Entries with no criteria at all: the card says "All service users" and "N/A".
NO_CRITERIA = {
    "msrp-support",
    "msrp-outlook",
    "verge-of-recall",
    "msrp-additional",
    "bespoke-services",
}


def test_entries_without_criteria_are_exactly_the_all_service_users_ones() -> None:
    assert {e.id for e in load() if not e.eligibility and not e.not_suitable} == NO_CRITERIA


@pytest.mark.parametrize("entry_id", sorted(set(IDS) - NO_CRITERIA))
def test_a_case_with_nothing_recorded_never_passes_silently(entry_id: str) -> None:
    """With only a CRN, an entry with criteria is a check or excluded, never eligible."""
    result = judge_one(load(), Case.model_validate({"crn": "X123456"}), entry_id)
    assert result.status in ("check", "excluded"), result
    assert result.reasons


# The card's standard not-suitable lines, shared by many services.
SHARED_LINES = [
    ("circumstances.unstable_mental_health", True, "unstable mental health"),
    ("circumstances.chronic_substance_misuse", True, "drug and alcohol use"),
    ("circumstances.speaks_english", False, "Individuals unable to speak English"),
    ("circumstances.works_shifts", True, "Individuals who work shift patterns"),
]


@pytest.mark.parametrize("fact,value,words", SHARED_LINES)
@pytest.mark.parametrize("entry_id", IDS)
def test_shared_not_suitable_lines(entry_id: str, fact: str, value: bool, words: str) -> None:
    """Where an entry lists one of these lines, the fact excludes; where not, it does not."""
    e = entry(entry_id)
    listed = [c.text for c in e.not_suitable if words in c.text]
    result = judge(entry_id, {fact: value})
    if listed:
        assert result.status == "excluded"
        assert f"Not suitable: {listed[0]}" in result.reasons
    else:
        assert not any(words in r for r in result.reasons), result.reasons


@pytest.mark.parametrize(
    "entry_id,fact,fragment",
    [
        ("resolve", "scores.ovp", "OVP >27"),
        ("resolve", "sex", "Male service users aged 18+"),
        ("resolve", "offence.sexually_motivated", "sexually motivated"),
        ("drink-impaired-drivers", "scores.audit", "AUDIT score >20"),
        ("drink-impaired-drivers", "circumstances.alcohol_dependent", "AUDIT score >20"),
        ("drink-impaired-drivers", "circumstances.misuses_illegal_drugs", "AUDIT score >20"),
        ("drink-impaired-drivers", "offence.index_offence", "around drinking"),
        ("drink-impaired-drivers", "sentence.length_months", "Order of at least 12 months"),
        ("thinking-skills-programme", "offence.impulsive", "history of impulsive offences"),
        ("thinking-skills-programme", "scores.oasys_total_score", "OASys total score >7"),
        ("building-better-relationships", "scores.sara", "SARA"),
        ("ruready", "sentence.weeks_to_release", "last 12 weeks of sentence"),
        ("womens-resettlement-programme", "sentence.establishment", "East Sutton Park"),
        ("preparation-for-work", "circumstances.jsa_over_six_months", "Jobseeker's Allowance"),
        ("preparation-for-work", "circumstances.works_shifts", "shift patterns"),
        ("cadu", "scores.ogrs", "Low to medium risk of harm and reoffending"),
        ("beai", "circumstances.unstable_mental_health", "unmet mental health problems"),
        ("believe-and-succeed", "circumstances.speaks_english", "unable to speak English"),
        ("womens-wrap-around-support", "region", "Available in Sussex only"),
        ("senior-attendance-centre", "age", "aged 18 to 24"),
        ("domestic-abuse-programme", "scores.risk_of_harm", "High risk offenders"),
        ("gypsy-traveller-domestic-abuse", "circumstances.gypsy_traveller", "gypsy"),
        ("gypsy-traveller-domestic-abuse", "checks.domestic_abuse_to_address", "domestic abuse"),
        ("domestic-abuse-one-to-one", "offence.admits_responsibility", "admit responsibility"),
        ("domestic-abuse-one-to-one", "checks.refuses_treatment", "refuse to undertake"),
        ("domestic-abuse-one-to-one", "circumstances.group_unsuitable", "in a group"),
        ("positive-futures", "sex", "Men and women"),
        ("mentor-support", "sex", "Men and women"),
    ],
)
def test_leaving_a_needed_fact_out_gives_check(entry_id: str, fact: str, fragment: str) -> None:
    """A fact the criterion needs but the case lacks is a question, never a pass."""
    assert_check(entry_id, {fact: MISSING}, fragment)


def test_an_unneeded_missing_fact_does_not_matter() -> None:
    """TSP: 11.6 unknown but 11.7 is two, so 'either 11.6 or 11.7' already holds."""
    changes = {"scores.oasys_11_6": MISSING, "scores.oasys_11_7": 2}
    assert judge("thinking-skills-programme", changes).status == "eligible"
    changes = {"scores.oasys_11_6": MISSING, "scores.oasys_11_7": 0}
    assert_check("thinking-skills-programme", changes, "11.6 or 11.7")


# ----------------------------------------------------------------------------------------------
# Entries 1-9, rate card order
# ----------------------------------------------------------------------------------------------


def test_resolve() -> None:
    """003 > Accredited Programmes > Resolve."""
    e = entry("resolve")
    assert (e.accredited, e.setting, e.delivery, e.counts_towards_rar) == (
        True,
        "community",
        "group",
        False,
    )
    assert parts(e) == [
        ("group", 22, 150, False),
        ("individual", 4, 60, False),
        ("three_way", 1, None, False),
    ]
    assert (e.nsi.category, e.nsi.sub_category) == ("ES - RAR Programme", "Resolve")
    assert set(e.needs) == {"emotional_management", "attitudes_thinking_behaviour"}
    assert judge("resolve", {"scores.ovp": 28}).status == "eligible"  # just above 27


def test_drink_impaired_drivers() -> None:
    """003 > Accredited Programmes > Drink Impaired Drivers: limits that still pass."""
    e = entry("drink-impaired-drivers")
    assert e.accredited and not e.counts_towards_rar
    assert parts(e) == [
        ("group", 14, 120, False),
        ("pre_group", 1, None, False),
        ("three_way", 1, None, False),
    ]
    assert (e.nsi.category, e.nsi.sub_category) == ("ES - RAR Programme", "Drink Impaired Drivers")
    assert "alcohol_misuse" in e.needs
    # Limits that still pass: women, AUDIT 20, two previous convictions (three with the index
    # one), first conviction mitigated.
    for changes in (
        {"sex": "female"},
        {"scores.audit": 20},
        {"offence.previous_convictions": 2},
        {
            "offence.first_drink_drive_conviction": True,
            "offence.drink_drive_mitigating_factor": True,
        },
    ):
        assert judge("drink-impaired-drivers", changes).status == "eligible", changes


def test_drink_impaired_drivers_is_for_drink_drive_offending() -> None:
    """003 > Accredited Programmes > Drink Impaired Drivers, its description: "A programme to
    challenge thinking and behaviour around drinking, and to promote safer driving". An alcohol
    case that is not drink-driving is excluded (never a `check`, whatever its drink-drive facts),
    so the assessment never makes it the preferred programme (001 section 2)."""
    text = "A programme to challenge thinking and behaviour around drinking, and to promote safer"
    criterion = next(c for c in entry("drink-impaired-drivers").eligibility if text in c.text)
    assert criterion.note and "drink-driving index offence" in criterion.note
    for offence in ("violence", "acquisitive", "motoring", "drugs"):
        changes = {
            "offence.index_offence": offence,
            "needs.alcohol_misuse": True,
            "offence.first_drink_drive_conviction": MISSING,
            "offence.drink_drive_mitigating_factor": MISSING,
        }
        result = judge("drink-impaired-drivers", changes)
        assert result.status == "excluded", (offence, result)
        assert result.reasons == (criterion.text,), result.reasons

    from rarplan.assess.assessment import assess

    base = {
        "needs.alcohol_misuse": True,
        "needs.attitudes_thinking_behaviour": True,
        "scores.ogrs": 30,
        "scores.ovp": 10,
        "offence.impulsive": False,
    }
    drink_driver = assess(make_case({**base, "offence.index_offence": "drink_driving"}), load())
    assert drink_driver.assessment.accredited_programmes == ["drink-impaired-drivers"]
    not_a_drink_driver = assess(
        make_case({**base, "offence.index_offence": "public_order"}), load()
    )
    assert "drink-impaired-drivers" not in not_a_drink_driver.assessment.accredited_programmes
    assert not any("Drink Impaired" in w for w in not_a_drink_driver.assessment.warnings)


def test_thinking_skills_programme() -> None:
    """003 > Accredited Programmes > Thinking Skills Programme."""
    e = entry("thinking-skills-programme")
    assert e.accredited and not e.counts_towards_rar
    assert parts(e) == [
        ("group", 14, 150, False),
        ("individual", 4, 60, False),
        ("three_way", 1, None, False),
    ]
    assert e.nsi.sub_category == "Thinking Skills Programme"
    assert e.nsi.category == "ES - RAR Programme"
    for changes in ({"sex": "female"}, {"scores.ogrs": 25}, {"scores.ogrs": 89}):
        assert judge("thinking-skills-programme", changes).status == "eligible", changes
    ogrs_90 = next(c for c in e.not_suitable if c.text == "OGRS 90")
    assert ogrs_90.note and "ogrs3.md" in ogrs_90.note


def test_building_better_relationships() -> None:
    """003 > Accredited Programmes > Building Better Relationships."""
    e = entry("building-better-relationships")
    assert e.accredited and not e.counts_towards_rar
    assert parts(e) == [
        ("group", 24, 150, False),
        ("individual", 6, 60, False),
        ("three_way", 1, None, False),
    ]
    assert e.nsi.sub_category == "Building Better Relationships"
    assert set(e.needs) == {"relationships", "attitudes_thinking_behaviour"}
    assert judge("building-better-relationships", {"scores.sara": "high"}).status == "eligible"
    assert_check(
        "building-better-relationships",
        {"checks.refuses_treatment": MISSING},
        "Does the person refuse to undertake treatment (the programme)?",
    )


def test_ttg_level_1() -> None:
    """003 > Resettlement services > Through the Gate services (level one)."""
    e = entry("ttg-level-1")
    assert (e.setting, e.delivery, e.counts_towards_rar) == ("custody", "one_to_one", False)
    assert (e.duration.max_hours, e.duration.max_visits, e.duration.sessions) == (3, 1, [])
    assert (e.nsi.category, e.nsi.sub_category) == ("ES - TTG Services", "Enhanced TTG Level 1")
    assert set(e.needs) == {
        "accommodation",
        "education_training_employment",
        "finance_benefits_debt",
        "relationships",
    }
    assert e.not_suitable == []  # "N/A"
    # Any prisoner: another prison (elective service) or no establishment recorded.
    assert judge("ttg-level-1", {"sentence.establishment": "HMP Lewes"}).status == "eligible"
    assert judge("ttg-level-1", {"sentence.establishment": MISSING}).status == "eligible"


def test_ttg_level_2() -> None:
    """003 > Resettlement services > Through the Gate services (level two)."""
    e = entry("ttg-level-2")
    assert (e.duration.max_hours, e.duration.max_visits) == (6, 3)
    assert e.nsi.sub_category == "Enhanced TTG Level 2"
    assert e.prerequisites == ["ttg-level-1"]
    assert not e.counts_towards_rar
    # Any pathway need will do, including the two support pathways.
    for changes in (
        {"needs.accommodation": False, "needs.finance_benefits_debt": True},
        {"needs.accommodation": False, "circumstances.vulnerabilities": ["sex_worker"]},
        {"sentence.establishment": "HMP Elmley"},
    ):
        assert judge("ttg-level-2", changes).status == "eligible", changes


def test_ttg_level_3() -> None:
    """003 > Resettlement services > Through the Gate services (level three)."""
    e = entry("ttg-level-3")
    assert (e.duration.max_hours, e.duration.max_visits) == (8, 4)
    assert e.nsi.sub_category == "Enhanced TTG Level 3"
    assert e.prerequisites == ["ttg-level-1", "ttg-level-2"]
    for vulnerability in ("young_adult_male", "woman", "bame", "ex_armed_forces"):
        changes = {"circumstances.vulnerabilities": [vulnerability]}
        assert judge("ttg-level-3", changes).status == "eligible", vulnerability
    # Elective route: another prison, having had levels one and two.
    assert judge("ttg-level-3", {"sentence.establishment": "HMP Lewes"}).status == "eligible"


def test_ruready() -> None:
    """003 > Resettlement services > RUReady."""
    e = entry("ruready")
    assert (e.setting, e.delivery, e.counts_towards_rar) == ("custody", "either", False)
    assert parts(e) == [("group", 5, 60, False)]
    assert (e.nsi.category, e.nsi.sub_category) == ("ES - TTG Services KSS", "RUReady")
    assert judge("ruready", {"sentence.weeks_to_release": 12}).status == "eligible"


def test_womens_resettlement_programme() -> None:
    """003 > Resettlement services > Women's Resettlement Programme (East Sutton Park and HMP
    Bronzefield)."""
    e = entry("womens-resettlement-programme")
    assert (e.setting, e.delivery, e.counts_towards_rar) == ("custody", "group", False)
    assert parts(e) == [("group", 12, 120, False)]
    assert e.nsi.category == "ES - Women Specific Interventions KSS"
    assert e.nsi.sub_category == "Women’s Resettlement Programme"
    changes = {"sentence.establishment": "HMP East Sutton Park"}
    assert judge("womens-resettlement-programme", changes).status == "eligible"


@pytest.mark.parametrize(
    "establishment,eligible",
    [
        ("HMP East Sutton Park", True),
        ("East Sutton Park", True),  # as the card's heading writes it
        ("east sutton park", True),
        ("HMP  EAST SUTTON PARK", True),
        ("HM Prison East Sutton Park", True),
        ("Bronzefield", True),
        ("hmp bronzefield", True),
        ("HMP/YOI Bronzefield", True),
        ("Sutton Park", False),
        ("HMP Maidstone", False),
        ("East Sutton", False),
    ],
)
def test_womens_resettlement_establishment_with_or_without_hmp(
    establishment: str, eligible: bool
) -> None:
    """003 > Resettlement services > Women's Resettlement Programme: "Women at HMP East Sutton
    Park and HMP Bronzefield" (the heading says "East Sutton Park"): a prison's name matches
    with or without "HMP" and in any case; another prison does not."""
    result = judge("womens-resettlement-programme", {"sentence.establishment": establishment})
    if eligible:
        assert result.status == "eligible", result
    else:
        assert result.status == "excluded", result
        assert result.reasons == ("Women at HMP East Sutton Park and HMP Bronzefield",)


def test_ttg_level_3_named_prisons_match_without_hmp() -> None:
    """003 > Resettlement services > Through the Gate services (level three): "Prisoners at HMP
    Maidstone or HMP Swaleside who have one or more of the listed vulnerabilities". That route
    needs no levels one and two, so it shows whether "maidstone" is taken for "HMP Maidstone"."""
    none_done: dict[str, Any] = {"circumstances.completed_interventions": []}
    not_suitable = "Not suitable: Service users who have not received level one or two support"
    for prison in ("maidstone", "Swaleside", "HMP SWALESIDE", "HM Prison Maidstone"):
        result = judge("ttg-level-3", {**none_done, "sentence.establishment": prison})
        assert result.reasons == (not_suitable,), (prison, result.reasons)  # eligibility holds
    result = judge("ttg-level-3", {**none_done, "sentence.establishment": "Lewes"})
    assert any(r.startswith("Prisoners at HMP Maidstone") for r in result.reasons), result


EXCLUSIONS_1_TO_9: Rows = {
    # 003 > Accredited Programmes > Resolve
    "resolve": [
        ({"sex": "female"}, NS, "Women service users"),
        ({"sex": "female"}, EL, "Male service users aged 18+"),
        ({"age": 17}, EL, "Male service users aged 18+"),
        ({"offence.index_offence": "acquisitive"}, EL, "index offence for violence"),
        ({"scores.ovp": 20}, EL, "OVP >27"),
        ({"scores.ovp": 27}, EL, "OVP >27"),
        ({"offence.sexually_motivated": True}, NS, "sexually motivated offences"),
        ({"offence.index_offence": "sexual"}, NS, "sexually motivated offences"),
        ({"offence.index_offence": "intimate_partner_violence"}, NS, "domestic violence"),
        ({"circumstances.unstable_mental_health": True}, NS, "unstable mental health"),
        ({"circumstances.chronic_substance_misuse": True}, NS, "substance misuse issues"),
    ],
    # 003 > Accredited Programmes > Drink Impaired Drivers
    "drink-impaired-drivers": [
        ({"offence.index_offence": "violence"}, EL, "thinking and behaviour around drinking"),
        ({"offence.index_offence": "motoring"}, EL, "thinking and behaviour around drinking"),
        ({"scores.ogrs": 50}, EL, "OGRS <50"),
        ({"sentence.length_months": 11}, EL, "Order of at least 12 months"),
        ({"scores.audit": 21}, NS, "(AUDIT score >20)"),
        # Not AUDIT alone: dependence, drug misuse or chronic misuse are serious problems too.
        ({"circumstances.alcohol_dependent": True}, NS, "(AUDIT score >20)"),
        ({"circumstances.misuses_illegal_drugs": True}, NS, "(AUDIT score >20)"),
        ({"circumstances.chronic_substance_misuse": True}, NS, "(AUDIT score >20)"),
        ({"offence.first_drink_drive_conviction": True}, NS, "First time drink drive"),
        # The index conviction counts: three previous convictions make four.
        ({"offence.previous_convictions": 3}, NS, "four or more convictions"),
        ({"offence.previous_convictions": 4}, NS, "four or more convictions"),
    ],
    # 003 > Accredited Programmes > Thinking Skills Programme
    "thinking-skills-programme": [
        ({"offence.impulsive": False}, EL, "history of impulsive offences"),
        ({"scores.ogrs": 24}, EL, "OGRS 25-90"),
        ({"scores.ogrs": 91}, EL, "OGRS 25-90"),
        ({"scores.ogrs": 90}, NS, "OGRS 90"),
        ({"scores.oasys_thinking_score": 5}, EL, "OASys score >5"),
        ({"scores.oasys_11_6": 1, "scores.oasys_11_7": 1}, EL, "either 11.6 or 11.7"),
        ({"scores.oasys_total_score": 7}, EL, "OASys total score >7"),
        ({"circumstances.chronic_substance_misuse": True}, NS, "substance misuse issues"),
    ],
    # 003 > Accredited Programmes > Building Better Relationships
    "building-better-relationships": [
        ({"sex": "female"}, NS, "Women service users"),
        ({"offence.index_offence": "violence"}, EL, "index offence of intimate partner violence"),
        ({"scores.sara": "low"}, EL, "Moderate or above on Spousal Assault"),
        ({"scores.oasys_11_6": 0}, EL, "either 11.6 or 11.7"),
        ({"scores.oasys_total_score": 6}, EL, "OASys total score >7"),
        ({"offence.admits_responsibility": False}, NS, "do not admit responsibility"),
        ({"checks.refuses_treatment": True}, NS, "refuse to undertake treatment"),
        ({"circumstances.unstable_mental_health": True}, NS, "serious mental health"),
    ],
    # 003 > Resettlement services > Through the Gate services (level one/two/three)
    "ttg-level-1": [
        ({"sentence.setting": "community"}, EL, "All prisoners (available as an elective"),
    ],
    "ttg-level-2": [
        ({"circumstances.completed_interventions": []}, NS, "not received level one"),
        ({"circumstances.completed_interventions": []}, EL, "received level one support"),
        ({"needs.accommodation": False}, EL, "have pathway need"),
        ({"sentence.setting": "community"}, EL, "All prisoners who have received"),
    ],
    "ttg-level-3": [
        ({"circumstances.completed_interventions": ["ttg-level-1"]}, NS, "level one or two"),
        ({"circumstances.vulnerabilities": []}, EL, "listed vulnerabilities"),
        ({"sentence.setting": "community"}, EL, "listed vulnerabilities"),
        (
            {
                "sentence.establishment": "HMP Lewes",
                "circumstances.completed_interventions": ["ttg-level-1"],
            },
            EL,
            "received level one and two support",
        ),
    ],
    # 003 > Resettlement services > RUReady
    "ruready": [
        ({"sex": "female"}, NS, "Women service users"),
        ({"age": 17}, EL, "aged 18+ in the last 12 weeks"),
        ({"sentence.weeks_to_release": 13}, EL, "aged 18+ in the last 12 weeks"),
        ({"sentence.setting": "community"}, EL, "aged 18+ in the last 12 weeks"),
        ({"circumstances.immigration_or_deportation": True}, NS, "immigration or deportation"),
    ],
    # 003 > Resettlement services > Women's Resettlement Programme (...)
    "womens-resettlement-programme": [
        ({"sex": "male"}, NS, "Men"),
        ({"sentence.establishment": "HMP Maidstone"}, EL, "Women at HMP East Sutton Park"),
        ({"sentence.setting": "community"}, EL, "Women at HMP East Sutton Park"),
        ({"circumstances.chronic_substance_misuse": True}, NS, "unaddressed chronic drug"),
        ({"circumstances.speaks_english": False}, NS, "unable to speak English"),
        ({"circumstances.works_shifts": True}, NS, "work shift patterns"),
    ],
}


@pytest.mark.parametrize("entry_id,changes,kind,fragment", exclusion_params(EXCLUSIONS_1_TO_9))
def test_exclusions_entries_1_to_9(
    entry_id: str, changes: dict[str, Any], kind: str, fragment: str
) -> None:
    """Each eligibility and not-suitable line of the card, failed by a case, with its words."""
    assert_excluded(entry_id, changes, reason_for(entry_id, kind, fragment))
