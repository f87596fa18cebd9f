"""`rarplan render`: the plan for the person, the court proposal and the referral sheet.

Rules from docs/sources/001_246201b7ec5ee73b.txt (RAR guidance) and
docs/sources/003_2c3b0962518856ac.txt (rate card), cited in each test.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rarplan.catalogue import load as catalogue
from rarplan.cli.app import build
from rarplan.documents import render
from rarplan.files import planfile
from rarplan.model.plan import Appointment, AttendanceRecord, Plan, Schedule
from tests import factories

runner = CliRunner()
NAME = "Jordan Quill"


def appt(
    day: date, intervention: str, session: int, kind: str = "individual", **extra
) -> Appointment:
    return Appointment(
        date=day,
        start="10:00",
        minutes=60,
        intervention=intervention,
        session=session,
        kind=kind,
        **extra,
    )


def scheduled_plan(**overrides) -> Plan:
    """msrp-home (three hours) and job-club, with an offender management meeting."""
    plan = factories.plan(["msrp-home", "job-club"], appointments={"msrp-home": 3}, **overrides)
    plan.schedule = Schedule(
        start=date(2027, 1, 4),
        order_end=date(2028, 1, 3),
        appointments=[
            appt(date(2027, 1, 11), "msrp-home", 1, "three_way", place="Maidstone office"),
            appt(date(2027, 1, 13), "job-club", 1, "group"),
            appt(date(2027, 1, 18), "msrp-home", 2),
            appt(date(2027, 1, 18), "job-club", 2, "group"),
            appt(
                date(2027, 1, 19),
                "offender-management",
                1,
                "offender_management",
                counts_towards_rar=False,
            ),
            appt(date(2027, 3, 1), "msrp-home", 3),
        ],
    )
    return plan


def pre_sentence(plan: Plan) -> Plan:
    """The plan as before sentence: the court proposal is a pre-sentence document (001
    section 3), refused for a sentenced case."""
    plan.case.sentence.stage = "pre_sentence"
    return plan


def doc(plan: Plan, document: str = "person", fmt: str = "md", **kw) -> str:
    return render.render(plan, catalogue.load(), document, fmt, **kw)


def save(plan: Plan, path: Path | str = "X123456.plan.toml") -> Path:
    planfile.save_plan(plan, path)
    return Path(path)


# --- RAR days ---------------------------------------------------------------------------------


def test_two_activities_on_one_date_are_one_rar_day_and_officer_meetings_are_none():
    """001 section 4: "2 or more separate planned activities or sessions in the same day" count
    as 1 day; section 5: offender management appointments "do not count as RAR days"."""
    days = render.rar_days(scheduled_plan())
    assert (days.maximum, days.planned, days.completed) == (20, 4, 0)


def test_completed_days_are_distinct_dates_attended_or_late_that_count():
    """001 section 4: a RAR day is a planned, enforceable activity that took place."""
    plan = scheduled_plan()
    plan.attendance = [
        AttendanceRecord(
            date=date(2027, 1, 11), intervention="msrp-home", session=1, outcome="attended"
        ),
        AttendanceRecord(
            date=date(2027, 1, 13), intervention="job-club", session=1, outcome="late"
        ),
        AttendanceRecord(
            date=date(2027, 1, 18),
            intervention="msrp-home",
            session=2,
            outcome="unacceptable_absence",
        ),
        AttendanceRecord(
            date=date(2027, 1, 19),
            intervention="offender-management",
            session=1,
            outcome="attended",
            counts_towards_rar=False,
        ),
    ]
    assert render.rar_days(plan).completed == 2
    assert "You have done 2 so far." in doc(plan)


def test_before_sentence_there_is_no_maximum_but_the_proposal():
    """001 section 3: before sentence the court has not set the days; the person's plan gives
    the days proposed, never a court maximum."""
    plan = factories.plan()
    plan.case.sentence.stage = "pre_sentence"
    plan.assessment.proposed_days = 12
    days = render.rar_days(plan)
    assert (days.maximum, days.proposed) == (None, 12)  # no court maximum before sentence
    text = doc(plan)
    assert "We will ask the court for up to 12 RAR days. The court will decide." in text
    assert "We will ask the court to give you a RAR" in text


# --- the plan for the person ------------------------------------------------------------------


def test_person_plan_lists_each_appointment_with_place_and_aim():
    text = doc(scheduled_plan())
    assert (
        "| Mon 11 Jan 2027 | 10:00 to 11:00 | Maidstone office | Help finding a place to live "
        "(1 of 3): three-way meeting | find a safe and settled home |" in text
    )
    assert (
        "| Tue 19 Jan 2027 | 10:00 to 11:00 | We will tell you | Meeting with your probation "
        "officer (not a RAR day) | check how you are doing |" in text
    )
    assert "The court says you must do up to 20 RAR days. We have planned 4 RAR days" in text


def test_person_plan_says_what_counts_and_what_happens_after_a_miss():
    """001 section 4 (what counts as a day) and section 7 (appointments are enforceable)."""
    text = doc(scheduled_plan())
    assert "two or more planned activities on the same day. They count as one day." in text
    assert "They do not count as RAR days. You still have to go to them." in text
    assert "You must go to every appointment." in text
    assert "you could be sent back to court" in text


def test_person_plan_gives_the_agreed_outcomes():
    """001 section 5: the RO and the person agree the desired outcomes ahead of the activities."""
    plan = scheduled_plan()
    plan.selected[0].desired_outcomes = ["Move into a flat of my own"]
    plan.agreement.status = "agreed"
    text = doc(plan)
    assert "What you and your probation officer agreed to aim for:\n\n- Move into a flat" in text
    assert "You agreed to this plan." in text
    # not agreed (yet): the document does not say it was
    plan.agreement.status = "could_not_answer"
    text = doc(plan)
    assert "What you will aim for:\n\n- Move into a flat" in text
    assert "agreed" not in text


def test_person_plan_uses_the_plain_name_a_person_would_say():
    """Issue 20, "Words people read": each activity by the name a person would say (the
    catalogue's `plain_name`), its full name once beside it for letters and providers."""
    text = doc(scheduled_plan())
    assert "### Help finding a place to live\n" in text
    assert (
        'Its full name is "Delivery of Home modules from My Solution Rehabilitation Programme".'
        in text
    )
    assert "| Help finding a place to live (1 of 3)" in text
    html = doc(scheduled_plan(), fmt="html")
    assert "<h3>Help finding a place to live</h3>" in html


def test_an_unscheduled_plan_says_the_dates_are_not_set():
    plan = factories.plan()
    assert "Your appointments are not set yet." in doc(plan)
    html = doc(plan, fmt="html")
    assert "Your appointments are not set yet." in html
    assert 'class="timetable"' not in html


def test_weeks_run_from_the_order_start_and_fold_empty_weeks():
    rows = render.weeks([{"date": date(2027, 1, 13)}, {"date": date(2027, 2, 8)}], date(2027, 1, 4))
    assert [(r["kind"], r.get("number"), r.get("first"), r.get("last")) for r in rows] == [
        ("gap", None, 1, 1),
        ("week", 2, None, None),
        ("gap", None, 3, 5),
        ("week", 6, None, None),
    ]


def test_html_person_plan_has_a_timetable_and_a_days_bar():
    html = doc(scheduled_plan(), fmt="html")
    assert html.count('<section class="page"') == 3
    assert 'class="timetable"' in html and "Week 2" in html and "Weeks 4–8" in html
    assert '<div class="bar"><svg' in html
    assert (
        'aria-label="Days done: 0. Days planned, still to do: 4. Most days the court allows: 20."'
        in html
    )


# --- readability ------------------------------------------------------------------------------


def syllables(word: str) -> int:
    """A simple English syllable count: vowel groups, less a silent final e."""
    word = re.sub(r"[^a-z]", "", word.lower())
    if not word:
        return 0
    if len(word) <= 3:
        return 1
    word = re.sub(r"(?:[^laeiouy]es|[^laeiouy]ed|[^laeiouy]e)$", "", word)
    word = re.sub(r"^y", "", word)
    return max(1, len(re.findall(r"[aeiouy]+", word)))


def readability(markdown: str) -> tuple[float, float]:
    """(average words a sentence, Flesch reading ease) of the prose: headings and tables are
    left out; a paragraph or list item ends a sentence even without a full stop."""
    prose = [
        line.lstrip("- ")
        for line in markdown.splitlines()
        if line.strip() and not line.startswith(("#", "|"))
    ]
    sentences = [s for line in prose for s in re.split(r"[.!?]+\s*", line) if s.strip()]
    words = [w for s in sentences for w in s.split() if re.search(r"[A-Za-z]", w)]
    per_sentence = len(words) / len(sentences)
    per_word = sum(syllables(w) for w in words) / len(words)
    return per_sentence, 206.835 - 1.015 * per_sentence - 84.6 * per_word


def test_syllable_counter_on_known_words():
    counts = {
        "you": 1,
        "court": 1,
        "appointment": 3,
        "probation": 3,
        "officer": 3,
        "activities": 4,
        "planned": 1,
        "rehabilitation": 6,
        "the": 1,
        "safe": 1,
    }
    assert {w: syllables(w) for w in counts} == counts


def test_person_plan_reads_at_about_age_eleven():
    """Plain English for the person: short sentences (≤ 15 words on average) and Flesch
    reading ease ≥ 70 ("fairly easy", about age 11 to 13)."""
    plan = scheduled_plan()
    plan.selected[0].desired_outcomes = ["Find a place to live that I can keep"]
    plan.selected[1].desired_outcomes = ["Write a CV and apply for three jobs"]
    plan.agreement.status = "agreed"
    per_sentence, ease = readability(doc(plan))
    assert per_sentence <= 15, per_sentence
    assert ease >= 70, ease


# --- names ------------------------------------------------------------------------------------


@pytest.mark.parametrize("document", render.DOCUMENTS)
@pytest.mark.parametrize("fmt", render.FORMATS)
def test_no_name_unless_asked(document, fmt):
    plan = pre_sentence(scheduled_plan(name=NAME))
    assert NAME not in doc(plan, document, fmt)
    assert NAME in doc(plan, document, fmt, with_names=True)


def test_the_person_is_you_and_the_court_proposal_says_the_individual():
    plan = scheduled_plan()
    assert "you" in doc(plan).split()
    assert "with the individual." in doc(pre_sentence(plan), "court")


# --- escaping ---------------------------------------------------------------------------------


def test_html_escapes_what_the_plan_says():
    plan = pre_sentence(scheduled_plan(name="<b>Bold</b>"))
    plan.selected[0].desired_outcomes = ["<script>alert(1)</script> & more"]
    for document in render.DOCUMENTS:
        html = doc(plan, document, "html", with_names=True)
        assert "<script>" not in html
        assert "<b>Bold</b>" not in html
    html = doc(plan, "person", "html", with_names=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in html


def test_markdown_keeps_each_value_on_its_line():
    plan = scheduled_plan()
    plan.selected[0].desired_outcomes = ["First line\nsecond line"]
    plan.schedule.appointments[0].place = "Room 1 | Annex"
    text = doc(plan)
    assert "- First line second line\n" in text
    assert "| Room 1 \\| Annex |" in text


def test_referral_notes_fence_holds_backticks():
    plan = factories.plan(["job-club"])
    plan.selected[0].desired_outcomes = ["Use ``` in a CV"]
    text = doc(plan, "referral")
    assert "````text\n" in text and "- Use ``` in a CV\n" in text


def test_html_is_self_contained_and_forbids_scripts():
    html = doc(scheduled_plan(), "person", "html")
    assert not re.search(r"""(?:src|href)\s*=|url\(|@import|https?:""", html)
    assert "default-src 'none'" in html
    assert "<script" not in html
    assert "@page { size: A4; margin: 15mm; }" in html


# --- the court proposal -----------------------------------------------------------------------


def test_court_proposal_gives_band_guideline_days_and_needs():
    """001 section 3: the proposal identifies the needs to be addressed and the number of days,
    with the OGRS score as the main guide."""
    plan = pre_sentence(scheduled_plan())
    plan.assessment.band_label = "Medium intensity RAR"
    plan.assessment.rationale = "Two needs are linked to the offending."
    text = doc(plan, "court")
    assert (
        "It is proposed that the court make a community order with a Rehabilitation "
        "Activity Requirement (RAR) of up to 20 days." in text
    )
    assert "- OGRS3 (two-year): 62%" in text
    assert "- Guideline number of RAR days: 15 to 25 days" in text
    assert "- Accommodation\n- Education, training and employment\n" in text
    assert "Two needs are linked to the offending." in text
    assert "- Job Club: education, training and employment (ten sessions)" in text
    assert "The court does not set the specific activities of a RAR." in text


def test_court_proposal_puts_programmes_and_treatment_first():
    """001 section 2: where needs can be met by an accredited programme or a treatment
    requirement, that is preferred; a RAR alongside is for needs the programme does not meet;
    consent is required for treatment requirements."""
    plan = pre_sentence(factories.plan(["msrp-home"], needs={"attitudes_thinking_behaviour": True}))
    plan.assessment.needs = ["accommodation", "attitudes_thinking_behaviour"]
    plan.assessment.accredited_programmes = ["thinking-skills-programme"]
    plan.assessment.treatment_requirements = ["alcohol_treatment"]
    text = doc(plan, "court")
    assert "that is the preferred intervention." in text
    assert (
        "- Thinking Skills Programme (accredited programme): attitudes, thinking and "
        "behaviour" in text
    )
    assert "- Alcohol treatment requirement (ATR)" in text
    assert "only for needs the programme does not address: accommodation." in text
    assert "Consent is required for all treatment requirements." in text
    assert "## Rehabilitative needs the RAR would address\n\n- Accommodation\n\n" in text


def test_court_proposal_with_no_rar_says_so_neutrally():
    """001 section 3: below 25% OGRS a RAR only in exceptional circumstances."""
    plan = pre_sentence(factories.plan([], scores={"ogrs": 18}))
    a = plan.assessment
    a.band, a.band_label, a.guideline_days, a.propose_rar = "none", "", None, False
    a.proposed_days = None
    for fmt in render.FORMATS:
        text = doc(plan, "court", fmt)
        assert "A Rehabilitation Activity Requirement (RAR) is not proposed." in text
        assert "reserves a RAR at this level for exceptional circumstances" in text
        assert "No such circumstances have been identified, and no RAR is proposed." in text
        assert "No interventions have been selected yet." in text


def test_court_proposal_uses_the_assessment_s_own_wording_when_given():
    plan = pre_sentence(factories.plan())
    plan.assessment.psr_proposal = "A community order with a RAR of up to 20 days is proposed."
    plan.assessment.warnings = ["OGRS is estimated."]
    text = doc(plan, "court")
    assert "## Proposal\n\nA community order with a RAR of up to 20 days is proposed.\n" in text
    assert (
        "## Notes for the author (not for the court: remove before submitting)\n\n"
        "- OGRS is estimated.\n" in text
    )


# --- the referral sheet -----------------------------------------------------------------------


def test_referral_fills_the_card_s_nsi_steps():
    """003, "NSI process to purchase services": steps 3 and 4 take the page's category and
    sub-category; "Your Provider/Team/Name" are the officer's to complete."""
    text = doc(scheduled_plan(), "referral")
    assert "3. Non Statutory Intervention: ES – Accommodation KSS\n" in text
    assert "4. Non Statutory Intervention Sub Type: MSRP Home Module\n" in text
    assert "4. Non Statutory Intervention Sub Type: Job Club\n" in text
    assert "{category}" not in text and "{sub_category}" not in text
    assert (
        "6. Your Provider: e.g. NPS Kent / Sussex / Surrey (as the NPS is creating a NSI and "
        "then will transfer to CRC) — to complete: ________" in text
    )
    assert "8. Your Name: Select your name — to complete: ________" in text
    assert "5. Dates: Please add appropriate dates — first appointment Mon 11 Jan 2027" in text
    assert "- g. Click Transfer and select External NSI Referral in the ‘reason’ box." in text
    assert "- Provider: Kent, Surrey and Sussex Community Rehabilitation Company (KSS CRC)" in text


def test_referral_notes_ask_for_the_msrp_modules_and_give_the_risk():
    """003, MSRP pages: "Please provide clear details in the NSI notes field of which modules
    and sessions"; the NSI steps: "as much relevant detail about the risk profile and support
    required as necessary"."""
    plan = scheduled_plan(scores={"ovp": 12})
    text = doc(plan, "referral")
    home = text.split("## 2.")[0]
    assert (
        "Modules and sessions requested: MSRP Home Module, 3 hours as 3 one-hour appointments, "
        "up to 9 sessions of about 20 minutes (the card's maximum is 6 hours including any "
        "assessment)." in home
    )
    assert "Please arrange a three-way assessment" in home
    assert "Reason for referral: to address the identified need of accommodation" in home
    assert "- Risk of serious harm: medium.\n- OGRS3 (two-year): 62%.\n- OVP: 12%." in home
    assert "CRN: X123456." in home
    job_club = text.split("## 2.")[1]
    assert "Modules and sessions requested" not in job_club
    assert "Referral for: Job Club.\n" in job_club


def test_referral_picks_the_mentoring_block_bought():
    """003, Mentor Support: "Six month, 12 month and 18 month blocks", sub-category "Mentoring -
    6 Month Support / Mentoring - 12 Month Support / Mentoring - 18 Month Support"."""
    plan = factories.plan(["mentor-support"])
    plan.selected[0].months = 12
    text = doc(plan, "referral")
    assert "4. Non Statutory Intervention Sub Type: Mentoring - 12 Month Support\n" in text
    assert "Block requested: 12 months." in text


def test_referral_notes_give_the_not_suitable_questions_answered():
    """003, Building Better Relationships, not suitable: those who "refuse to undertake
    treatment", a judgement the officer records in the case's checks."""
    plan = factories.plan(["building-better-relationships"], checks={"refuses_treatment": False})
    text = doc(plan, "referral")
    assert "- Does the person refuse to undertake treatment (the programme)? No." in text


OWN_CATALOGUE = """
schema_version = 1
provider = "A provider"

[[intervention]]
id = "money-clinic"
name = "Money clinic"
section = "Finance"
needs = ["finance_benefits_debt"]
setting = "community"
delivery = "one_to_one"
aims = ["To reduce debt"]
duration = { text = ["Four sessions"], sessions = [{ kind = "individual", count = 4 }] }
nsi = { category = "Money", sub_category = "Clinic" }
source = { file = "own.txt", heading = "Money clinic" }
"""


def test_referral_from_a_catalogue_without_nsi_steps_still_drafts_the_notes():
    """A provider's own catalogue may have no [referral] table."""
    own = catalogue.parse(OWN_CATALOGUE, "own.toml")
    plan = factories.plan(["money-clinic"])
    for fmt in render.FORMATS:
        text = render.render(plan, own, "referral", fmt)
        assert "This catalogue gives no referral steps" in text
        assert "Referral for: Clinic (Money clinic)." in text
        assert "Provider: A provider" in text or "<b>A provider</b>" in text


def test_referral_with_nothing_selected():
    plan = factories.plan([])
    assert "nothing to refer" in doc(plan, "referral")
    assert doc(plan, "referral", "html").count('<section class="page"') == 1


def test_referral_html_has_a_page_per_intervention():
    html = doc(scheduled_plan(), "referral", "html")
    assert html.count('<section class="page"') == 2


def test_documents_do_not_depend_on_today():
    """The same plan always gives the same document (goldens depend on it)."""
    plan = pre_sentence(scheduled_plan())
    for document in render.DOCUMENTS:
        assert str(date.today().year + 5) not in doc(plan, document)


def test_a_plan_naming_an_unknown_intervention_is_invalid_input():
    plan = scheduled_plan()
    plan.selected[0].id = "no-such-thing"
    result = runner.invoke(build(), ["render", str(save(plan))])
    assert result.exit_code == 3, result.output
    assert "no intervention with id 'no-such-thing'" in result.stderr


# --- the command ------------------------------------------------------------------------------


def test_render_prints_markdown_for_the_person_by_default():
    result = runner.invoke(build(), ["render", str(save(scheduled_plan()))])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# Your RAR plan\n")
    assert result.stderr == ""


def test_render_json_without_out_carries_the_document():
    result = runner.invoke(
        build(), ["render", str(save(pre_sentence(scheduled_plan()))), "--for", "court", "--json"]
    )
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    data = json.loads(result.stdout)
    assert {k: data[k] for k in ("crn", "format", "for", "out", "with_names")} == {
        "crn": "X123456",
        "format": "md",
        "for": "court",
        "out": None,
        "with_names": False,
    }
    assert data["document"].startswith("# Pre-sentence report")
    assert data["bytes"] == len(data["document"].encode())


def test_render_out_writes_an_owner_only_file_and_never_overwrites_without_force(tmp_path):
    plan = str(save(scheduled_plan()))
    out = tmp_path / "X123456.person.html"
    result = runner.invoke(build(), ["render", plan, "--out", str(out), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["format"] == "html"  # from the file's ending
    assert data["out"] == str(out) and data["bytes"] == out.stat().st_size
    assert "document" not in data
    assert out.stat().st_mode & 0o777 == 0o600
    assert out.read_text().startswith("<!DOCTYPE html>")
    again = runner.invoke(build(), ["render", plan, "--out", str(out)])
    assert again.exit_code == 5, again.output
    assert "use --force" in again.stderr
    forced = runner.invoke(
        build(), ["render", plan, "--out", str(out), "--format", "md", "--force"]
    )
    assert forced.exit_code == 0, forced.output
    assert out.read_text().startswith("# Your RAR plan")
    assert "wrote the person document" in forced.stderr


def test_render_reads_the_plan_from_stdin():
    text = planfile.dump_plan(scheduled_plan())
    result = runner.invoke(build(), ["render", "-", "--for", "referral"], input=text)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# NSI referral sheet")


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["render", "missing.plan.toml"], 3),
        (["render", "X123456.plan.toml", "--format", "pdf"], 2),
        (["render", "X123456.plan.toml", "--for", "judge"], 2),
    ],
)
def test_render_errors(args, code):
    save(scheduled_plan())
    result = runner.invoke(build(), args)
    assert result.exit_code == code, result.output


def test_a_broken_plan_is_invalid_input_as_json():
    Path("bad.plan.toml").write_text("crn = 1\n")
    result = runner.invoke(build(), ["render", "bad.plan.toml", "--json"])
    assert result.exit_code == 3
    assert json.loads(result.stderr)["error"]["exit_code"] == 3
    assert result.stdout == ""


def test_a_structured_intervention_referral_names_its_route_not_an_nsi(tmp_path):
    """The national list (reference/structured-interventions.md, rows 16 to 18) gives no
    nDelius NSI category: the sheet names the referral route instead of empty NSI fields,
    and the notes name the intervention (never "Referral for:  (...)")."""
    from typer.testing import CliRunner

    from rarplan.cli.app import build
    from tests.conftest import REPO

    runner = CliRunner()
    plan = tmp_path / "X100006.plan.toml"
    case = REPO / "examples" / "cases" / "X100006.toml"
    result = runner.invoke(build(), ["assess", str(case), "--no-input", "-q", "--out", str(plan)])
    assert result.exit_code == 0, result.output
    for fmt in ("md", "html"):
        result = runner.invoke(build(), ["render", str(plan), "--for", "referral", "--format", fmt])
        assert result.exit_code == 0, result.output
        text = result.stdout
        assert "Positive Pathways" in text and "How to refer" in text
        assert "NSI category" not in text and "Sub-category" not in text
        assert "Referral for: Positive Pathways." in text
