"""bench/gen_cases.py: deterministic, and every case it makes is a valid case file.

Source: issue 5 ("a deterministic generator in `bench/`") and the case file contract in
rarplan/model/case.py. No timings here: speed is measured by `make bench`, never asserted in tests.
"""

from __future__ import annotations

import importlib.util
import io
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from rarplan.assess.ogrs import estimate
from rarplan.files.caseio import iter_csv
from rarplan.model.case import Case

BENCH = Path(__file__).resolve().parents[1] / "bench"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_cases", BENCH / "gen_cases.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


gen = _load()


def jsonl(n: int, **options: Any) -> str:
    out = io.StringIO()
    gen.write_jsonl(gen.generate(n, **options), out)
    return out.getvalue()


@pytest.fixture(scope="module")
def sample() -> list[dict[str, Any]]:
    return [json.loads(line) for line in jsonl(1500).splitlines()]


def test_same_seed_same_bytes() -> None:
    assert jsonl(300) == jsonl(300)


def test_a_smaller_run_is_a_prefix_of_a_larger_one() -> None:
    assert jsonl(400).splitlines()[:120] == jsonl(120).splitlines()


def test_another_seed_gives_other_cases() -> None:
    assert jsonl(50, seed=1) != jsonl(50, seed=2)


def test_every_case_validates(sample: list[dict[str, Any]]) -> None:
    for raw in sample:
        case = Case.model_validate(raw)
        if case.ogrs3 is not None:
            assert case.scores.ogrs is None
            assert 0 <= estimate(case.ogrs3, case.sex).ogrs3_2year <= 100
        else:
            assert case.scores.ogrs is not None


def test_crns_are_unique(sample: list[dict[str, Any]]) -> None:
    assert len({raw["crn"] for raw in sample}) == len(sample)
    assert gen.crn(0) == "A000000"
    assert gen.crn(1_000_000) == "B000000"


def test_a_realistic_spread(sample: list[dict[str, Any]]) -> None:
    """Both sexes, ages 18-70, OGRS across all four bands, some [ogrs3] estimates, needs."""
    sexes = {raw["sex"] for raw in sample}
    ages = [raw["age"] for raw in sample]
    scores = [raw["scores"]["ogrs"] for raw in sample if "ogrs" in raw["scores"]]
    with_ogrs3 = sum("ogrs3" in raw for raw in sample)
    needs = [sum(raw["needs"].values()) for raw in sample]
    assert sexes == {"male", "female"}
    assert min(ages) >= 18 and max(ages) <= 70 and max(ages) - min(ages) > 40
    assert min(scores) < 25 and max(scores) > 90
    assert any(50 <= s < 75 for s in scores) and any(25 <= s < 50 for s in scores)
    assert 0.02 * len(sample) < with_ogrs3 < 0.1 * len(sample)
    assert min(needs) == 0 and max(needs) >= 7
    assert {raw["sentence"]["stage"] for raw in sample} == {"sentenced", "pre_sentence"}


def test_sentenced_only_cases_can_be_scheduled() -> None:
    for line in jsonl(300, sentenced_only=True).splitlines():
        case = Case.model_validate_json(line)
        assert case.sentence.stage == "sentenced"
        assert case.sentence.setting == "community"
        assert case.sentence.start_date is not None
        assert case.sentence.rar_max_days is not None


def test_csv_reads_back_as_the_same_cases(tmp_path: Path) -> None:
    """The CSV form, read by `rarplan assess --batch FILE.csv`, gives the JSONL cases."""
    path = tmp_path / "cases.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        gen.write_csv(gen.generate(300), out)
    from_csv = []
    for _, raw in iter_csv(path):
        assert isinstance(raw, dict), raw
        from_csv.append(Case.model_validate(raw))
    from_jsonl = [Case.model_validate_json(line) for line in jsonl(300).splitlines()]
    assert from_csv == from_jsonl


def test_command_line_matches_the_library() -> None:
    done = subprocess.run(
        [sys.executable, str(BENCH / "gen_cases.py"), "25", "--format", "jsonl"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout == jsonl(25)
    assert done.stderr == ""
