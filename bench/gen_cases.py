"""Generate synthetic, valid case files for `rarplan assess --batch` benchmarks.

    python bench/gen_cases.py 100000 --format jsonl > cases.jsonl
    python bench/gen_cases.py 5000 --format csv --seed 7 > cases.csv

Deterministic: the same N, seed and format give the same bytes, and the first K cases of a
larger run are the first K of a smaller one (one random stream, read in order). The spread is
meant to look like a probation caseload, not to be statistically faithful: mostly men, ages
18 to 70 skewed young, OGRS 0 to 100 rising with youth and previous convictions, more needs at
higher OGRS, and about one case in twenty giving `[ogrs3]` inputs instead of `scores.ogrs`.
No names, no dates of birth: synthetic people are identified by CRN alone.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any, TextIO

from rarplan.assess.ogrs import FIELDS as OGRS3_FIELDS
from rarplan.model.needs import NEED_AREAS

DEFAULT_SEED = 2027
FIRST_START = date(2027, 1, 4)

NEEDS = NEED_AREAS  # the ten need-area ids of the case file
# (index offence, weight, OGRS3 offence category for [ogrs3] cases)
OFFENCES = (
    ("violence", 22, "violence"),
    ("intimate_partner_violence", 10, "violence"),
    ("acquisitive", 20, "theft"),
    ("drugs", 10, "drug_possession_supply"),
    ("drink_driving", 7, "drink_driving"),
    ("public_order", 7, "public_order"),
    ("criminal_damage", 6, "criminal_damage"),
    ("motoring", 5, "other_motoring"),
    ("sexual", 3, "sexual_not_child"),
    ("stalking_harassment", 4, "other"),
    ("other", 6, "other"),
)
OTHER_REQUIREMENTS = (
    "unpaid_work",
    "accredited_programme",
    "alcohol_treatment",
    "drug_rehabilitation",
    "mental_health_treatment",
    "curfew",
    "electronic_monitoring",
    "prohibited_activity",
    "exclusion",
)
VULNERABILITIES = (
    "foreign_national",
    "care_leaver",
    "domestic_violence_victim",
    "ex_armed_forces",
    "learning_disability",
    "bame",
)
SEXUAL_FACTORS = (
    "unusual_sexual_interests",
    "attitudes_supporting_sexual_offending",
    "poor_emotional_relationships_with_adults",
    "lack_of_self_management",
)
CIRCUMSTANCES = (
    ("alcohol_dependent", 0.08),
    ("misuses_illegal_drugs", 0.25),
    ("treatable_mental_health_condition", 0.12),
    ("unstable_mental_health", 0.05),
    ("chronic_substance_misuse", 0.07),
    ("speaks_english", 0.95),
    ("works_shifts", 0.15),
    ("gypsy_traveller", 0.02),
    ("group_unsuitable", 0.06),
    ("on_substance_programme", 0.05),
    ("jsa_over_six_months", 0.10),
    ("on_esa", 0.08),
    ("immigration_or_deportation", 0.03),
)
RAR_DAYS = (5, 10, 15, 20, 25, 30, 40, 60)
# What courts mostly order for each band of the guidance's table (section 3), as
# (OGRS below, choices); one order in ten goes its own way (any of RAR_DAYS).
RAR_DAYS_BY_OGRS = (
    (25, (5, 10)),
    (50, (5, 10, 15)),
    (75, (15, 20, 25)),
    (101, (25, 30, 40, 60)),
)
LETTERS = "ABCDEFGHJKLMNPRSTVWXYZ"


def crn(index: int) -> str:
    """A unique CRN per index: a letter and six digits (22 million before it repeats)."""
    return f"{LETTERS[(index // 1_000_000) % len(LETTERS)]}{index % 1_000_000:06d}"


def _ogrs(rng: random.Random, age: int, previous: int) -> int:
    # Younger people with more previous convictions score higher; noise keeps the full range.
    base = 70 - 1.1 * (age - 18) + 1.5 * min(previous, 30)
    return max(0, min(100, round(rng.gauss(base, 16))))


def _rar_days(rng: random.Random, ogrs: int) -> int:
    if rng.random() < 0.1:
        return rng.choice(RAR_DAYS)
    return rng.choice(next(days for below, days in RAR_DAYS_BY_OGRS if ogrs < below))


def _ogrs3_inputs(
    rng: random.Random, sex: str, age: int, previous: int, category: str
) -> dict[str, Any]:
    conviction = max(18, age - rng.choice((0, 0, 0, 1)))
    sanctions = previous + 1 + rng.choice((0, 0, 1, 2))  # cautions on top of convictions
    first = conviction if sanctions == 1 else rng.randint(min(12, conviction), conviction)
    return {
        "sex": sex if rng.random() < 0.5 else None,  # else taken from the case's sex
        "age_at_conviction": conviction,
        "age_at_follow_up": age,
        "sanctions": sanctions,
        "age_at_first_sanction": first,
        "offence": category,
    }


def case(
    rng: random.Random, index: int, ogrs3_share: float = 0.05, sentenced_only: bool = False
) -> dict[str, Any]:
    """One case as a nested dict; None marks a key the case leaves out.

    `sentenced_only`: every case a sentenced community or suspended sentence order, with a
    start date and RAR days, as `rarplan schedule` needs.
    """
    sex = "male" if rng.random() < 0.85 else "female"
    age = min(70, 18 + int(rng.triangular(0, 52, 8)))
    offence, _, category = rng.choices(OFFENCES, weights=[w for _, w, _ in OFFENCES])[0]
    previous = min(60, int(rng.expovariate(1 / 6)))
    ogrs = _ogrs(rng, age, previous)
    # On licence or post-sentence supervision, still inside.
    custody = rng.random() < 0.08 and not sentenced_only
    sentenced = custody or sentenced_only or rng.random() < 0.7
    order = (
        rng.choice(("licence", "post_sentence_supervision"))
        if custody
        else rng.choices(("community_order", "suspended_sentence_order"), weights=(7, 3))[0]
    )
    start = FIRST_START + timedelta(days=rng.randrange(0, 180))
    needs_chance = 0.2 + 0.45 * ogrs / 100
    needs = {need: rng.random() < needs_chance for need in NEEDS}
    use_ogrs3 = rng.random() < ogrs3_share
    vulnerabilities = [v for v in VULNERABILITIES if rng.random() < 0.04]
    if sex == "female":
        vulnerabilities.insert(0, "woman")
    elif age < 25:
        vulnerabilities.insert(0, "young_adult_male")
    circumstances: dict[str, Any] = {k: rng.random() < p for k, p in CIRCUMSTANCES}
    circumstances["vulnerabilities"] = vulnerabilities
    circumstances["sexual_offending_factors"] = (
        [f for f in SEXUAL_FACTORS if rng.random() < 0.4] if offence == "sexual" else []
    )
    circumstances["dynamic_risk_factors"] = (
        "Sofa-surfing since losing a tenancy; drinking more."
        if ogrs < 25 and rng.random() < 0.3
        else ""
    )
    return {
        "crn": crn(index),
        "sex": sex,
        "age": age,
        "region": rng.choice(("kent", "surrey", "sussex")),
        "sentence": {
            "stage": "sentenced" if sentenced else "pre_sentence",
            "order": order,
            "start_date": start.isoformat() if sentenced or rng.random() < 0.3 else None,
            "length_months": rng.choice((6, 9, 12, 12, 18, 24, 36)),
            "rar_max_days": (_rar_days(rng, ogrs) if sentenced or rng.random() < 0.2 else None),
            "setting": "custody" if custody else "community",
            "establishment": "HMP Elmley" if custody else None,
            "weeks_to_release": rng.randint(0, 26) if custody else None,
            "other_requirements": [r for r in OTHER_REQUIREMENTS if rng.random() < 0.08],
        },
        "offence": {
            "index_offence": offence,
            "sexually_motivated": offence == "sexual",
            "impulsive": rng.random() < 0.4,
            "seriousness": rng.choices(("low", "medium", "high"), weights=(3, 5, 2))[0],
            "previous_convictions": previous,
            "first_drink_drive_conviction": (
                previous == 0 or rng.random() < 0.6 if offence == "drink_driving" else None
            ),
            "drink_drive_mitigating_factor": (
                rng.random() < 0.2 if offence == "drink_driving" else None
            ),
            "admits_responsibility": rng.random() < 0.75,
            "linked_to_substance_misuse": rng.random() < 0.3,
        },
        "scores": {
            "ogrs": None if use_ogrs3 else ogrs,
            "ovp": max(0, min(100, round(rng.gauss(ogrs * 0.6, 12)))),
            "sara": (
                rng.choice(("low", "medium", "high"))
                if offence == "intimate_partner_violence"
                else None
            ),
            "risk_of_harm": rng.choices(
                ("low", "medium", "high", "very_high"), weights=(35, 45, 18, 2)
            )[0],
            "oasys_thinking_score": rng.randint(0, 12),
            "oasys_total_score": rng.randint(0, 40),
            "oasys_11_6": rng.randint(0, 2),
            "oasys_11_7": rng.randint(0, 2),
            "audit": rng.randint(0, 40) if needs["alcohol_misuse"] else rng.randint(0, 7),
            "sadq": rng.randint(0, 60) if circumstances["alcohol_dependent"] else None,
        },
        "ogrs3": _ogrs3_inputs(rng, sex, age, previous, category) if use_ogrs3 else None,
        "needs": needs,
        "circumstances": circumstances,
        "plan": {
            "responsible_officer": f"RO {rng.randint(1000, 9999)}",
            "agreement": rng.choices(
                ("agreed", "does_not_agree", "could_not_answer"), weights=(90, 6, 4)
            )[0],
        },
    }


def generate(
    n: int, seed: int = DEFAULT_SEED, ogrs3_share: float = 0.05, sentenced_only: bool = False
) -> Iterator[dict[str, Any]]:
    """N cases as nested dicts (None marks a key left out), deterministic for a seed."""
    rng = random.Random(seed)
    for index in range(n):
        yield case(rng, index, ogrs3_share, sentenced_only)


def prune(value: Any) -> Any:
    """The case as a file would hold it: keys whose value is None left out."""
    if isinstance(value, dict):
        return {k: prune(v) for k, v in value.items() if v is not None}
    return value


def flatten(value: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """section.key columns, as `rarplan assess --batch FILE.csv` reads them."""
    out: dict[str, Any] = {}
    for key, item in value.items():
        if key == "ogrs3" and item is None:
            item = dict.fromkeys(OGRS3_KEYS)
        if isinstance(item, dict):
            out.update(flatten(item, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = item
    return out


OGRS3_KEYS = OGRS3_FIELDS  # the [ogrs3] input names


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    return str(value)


def write_jsonl(cases: Iterator[dict[str, Any]], out: TextIO) -> int:
    count = 0
    for item in cases:
        out.write(json.dumps(prune(item), ensure_ascii=False, separators=(",", ":")) + "\n")
        count += 1
    return count


def write_csv(cases: Iterator[dict[str, Any]], out: TextIO) -> int:
    writer: Any = None
    count = 0
    for item in cases:
        row = flatten(item)
        if writer is None:
            writer = csv.writer(out, lineterminator="\n")
            writer.writerow(list(row))
        writer.writerow([_cell(v) for v in row.values()])
        count += 1
    return count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="number of cases")
    parser.add_argument("--format", choices=("jsonl", "csv"), default="jsonl")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument(
        "--ogrs3-share", type=float, default=0.05, help="share of cases giving [ogrs3] inputs"
    )
    parser.add_argument(
        "--sentenced", action="store_true", help="only sentenced community cases (to schedule)"
    )
    args = parser.parse_args(argv)
    if args.n < 0:
        parser.error("n must be 0 or more")
    writer = write_csv if args.format == "csv" else write_jsonl
    writer(generate(args.n, args.seed, args.ogrs3_share, args.sentenced), sys.stdout)
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
