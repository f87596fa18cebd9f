"""The judgement memos of the compiled catalogue judge exactly as the rules do.

`judge_all` reuses a judgement for every case the entry's rules cannot tell apart (same
categories, same place of each number among the rules' constants). Over thousands of varied
generated cases, and over random ones, it must equal judging each entry directly. The memos
belong to one catalogue, keyed by values, and bounded.
"""

from __future__ import annotations

import ast
import importlib.util
import os
import shutil
from datetime import date
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from rarplan.assess import eligibility
from rarplan.assess.eligibility import judge, judge_all
from rarplan.catalogue import load as cat
from rarplan.catalogue.compiled import CompiledCatalogue
from rarplan.catalogue.facts import case_facts
from rarplan.catalogue.models import Catalogue
from rarplan.model.case import Case
from tests.conftest import REPO

TODAY = date(2026, 11, 23)


def _generator():
    spec = importlib.util.spec_from_file_location("gen_cases", REPO / "bench" / "gen_cases.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def direct(catalogue: Catalogue, case: Case):
    facts = case_facts(case, TODAY)
    return [judge(rules, facts, case.checks) for rules in catalogue.compiled.rules]


def test_memoised_judgements_equal_direct_ones_on_generated_cases():
    gen = _generator()
    catalogue = cat.load()
    for raw in gen.generate(3000, seed=7):
        case = Case.model_validate(gen.prune(raw))
        assert judge_all(catalogue, case, TODAY) == direct(catalogue, case)


@settings(max_examples=300, deadline=None)
@given(
    age=st.one_of(st.none(), st.integers(10, 120)),
    ogrs=st.one_of(st.none(), st.floats(0, 100)),
    ovp=st.one_of(st.none(), st.sampled_from([0, 26, 27, 27.5, 28, 99])),
    audit=st.one_of(st.none(), st.integers(0, 40)),
    thinking=st.one_of(st.none(), st.integers(0, 20)),
    item=st.one_of(st.none(), st.integers(0, 2)),
    previous=st.one_of(st.none(), st.integers(0, 10)),
    months=st.one_of(st.none(), st.integers(1, 36)),
)
def test_memoised_judgements_equal_direct_ones_at_every_boundary(
    age, ogrs, ovp, audit, thinking, item, previous, months
):
    catalogue = cat.load()
    case = Case.model_validate(
        {
            "crn": "X123456",
            "sex": "male",
            "age": age,
            "sentence": {"length_months": months},
            "offence": {"index_offence": "violence", "previous_convictions": previous},
            "scores": {
                "ogrs": ogrs,
                "ovp": ovp,
                "audit": audit,
                "oasys_thinking_score": thinking,
                "oasys_11_6": item,
                "oasys_total_score": thinking,
            },
        }
    )
    assert judge_all(catalogue, case, TODAY) == direct(catalogue, case)


def _case(**scores: float) -> Case:
    return Case.model_validate({"crn": "X123456", "sex": "male", "age": 30, "scores": scores})


def test_a_case_the_rules_cannot_tell_apart_reuses_the_judgements():
    catalogue = cat.parse(cat.default_path().read_text(encoding="utf-8"), "fresh.toml")
    memos = catalogue.compiled.judgements
    first = judge_all(catalogue, _case(ogrs=60.0), TODAY)
    kept = [dict(memo) for memo in memos]
    assert all(len(memo) == 1 for memo in kept)
    again = judge_all(catalogue, _case(ogrs=60.4), TODAY)  # no rule compares OGRS with 60.4
    assert again == first
    assert all(a is b for a, b in zip(again, first, strict=True))  # the memos' own judgements
    assert [dict(memo) for memo in memos] == kept  # nothing new to remember


def test_a_memo_key_holds_only_values():
    catalogue = cat.parse(cat.default_path().read_text(encoding="utf-8"), "fresh.toml")
    judge_all(catalogue, _case(ogrs=60.0, ovp=12.0), TODAY)
    atoms = (str, int, float, bool, type(None))

    def values_only(key: object) -> bool:
        if isinstance(key, tuple):
            return all(values_only(part) for part in key)
        return isinstance(key, atoms)

    for memo in catalogue.compiled.judgements:
        assert all(values_only(key) for key in memo)


def test_memos_are_bounded(monkeypatch):
    catalogue = cat.parse(cat.default_path().read_text(encoding="utf-8"), "fresh.toml")
    monkeypatch.setattr(eligibility, "JUDGEMENTS_PER_ENTRY", 3)
    for age in range(18, 60):
        case = Case.model_validate({"crn": "X123456", "sex": "male", "age": age})
        assert judge_all(catalogue, case, TODAY) == direct(catalogue, case)
    assert max(len(memo) for memo in catalogue.compiled.judgements) <= 3


def test_two_catalogue_files_never_share_memos(tmp_path: Path):
    """A provider's catalogue and the shipped one, loaded in one process (the same text from
    two files, then one of them edited): each has its own compiled rules and memos."""
    shipped = cat.default_path()
    one, two = tmp_path / "one.toml", tmp_path / "two.toml"
    shutil.copy(shipped, one)
    text = shipped.read_text(encoding="utf-8")
    # Drink Impaired Drivers' "OGRS <50", made "<40" in the second file
    assert text.count('fact = "scores.ogrs"\nlt = 50') == 1
    two.write_text(text.replace('fact = "scores.ogrs"\nlt = 50', 'fact = "scores.ogrs"\nlt = 40'))
    a, b = cat.load(one), cat.load(two)
    assert a is not b and a.compiled is not b.compiled
    case = _case(ogrs=45.0)
    judged_a, judged_b = judge_all(a, case, TODAY), judge_all(b, case, TODAY)
    assert judged_a == direct(a, case) and judged_b == direct(b, case)
    assert judged_a != judged_b  # "OGRS <50" excludes 45 in one; "<40" does not in the other
    for memo_a, memo_b in zip(a.compiled.judgements, b.compiled.judgements, strict=True):
        assert memo_a is not memo_b
    assert a.compiled.results is not b.compiled.results


def test_the_same_file_changed_on_disk_is_a_new_catalogue(tmp_path: Path):
    path = tmp_path / "own.toml"
    shutil.copy(cat.default_path(), path)
    first = cat.load(path)
    assert cat.load(path) is first  # unchanged: loaded once
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert cat.load(path) is not first


def test_the_compiled_catalogue_is_built_once_per_catalogue():
    catalogue = cat.load()
    assert isinstance(catalogue.compiled, CompiledCatalogue)
    assert catalogue.compiled is catalogue.compiled
    assert catalogue.compiled.ids == tuple(e.id for e in catalogue)


# --- no process-wide caches keyed by id(), no generated code (STYLE.md, issue 15) ----------


def _uses_id(node: ast.AST) -> bool:
    return any(
        isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "id"
        for n in ast.walk(node)
    )


def id_keys_and_generated_code(source: str) -> list[int]:
    """The lines using `id(...)` as a dictionary key (a subscript, `.get`, `.setdefault`,
    `.pop`, `in`, a dict display, `map(id, ...)`) or calling `exec`/`eval`: an id outlives its
    object and can name another one later, and generated code hides from readers."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Subscript):
            found = _uses_id(node.slice)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            found = node.func.id in ("exec", "eval") or (
                node.func.id == "map"
                and bool(node.args)
                and isinstance(node.args[0], ast.Name)
                and node.args[0].id == "id"
            )
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            found = node.func.attr in ("get", "setdefault", "pop") and any(
                _uses_id(a) for a in node.args[:1]
            )
        elif isinstance(node, ast.Compare):
            found = _uses_id(node.left) and any(
                isinstance(op, ast.In | ast.NotIn) for op in node.ops
            )
        elif isinstance(node, ast.Dict):
            found = any(k is not None and _uses_id(k) for k in node.keys)
        elif isinstance(node, ast.DictComp):
            found = _uses_id(node.key)
        else:
            found = False
        if found:
            lines.append(getattr(node, "lineno", 0))
    return lines


def test_no_module_uses_id_as_a_key_or_generates_code():
    offenders = {
        str(path.relative_to(REPO)): lines
        for path in sorted((REPO / "rarplan").rglob("*.py"))
        if (lines := id_keys_and_generated_code(path.read_text(encoding="utf-8")))
    }
    assert offenders == {}


def test_the_finder_finds_what_it_looks_for():
    for source in (
        "CACHE[id(x)] = 1",
        "CACHE.get(id(x))",
        "CACHE.setdefault(id(x), [])",
        "id(x) in CACHE",
        "{id(x): 1}",
        "{id(x): x for x in xs}",
        "list(map(CACHE.get, map(id, rows)))",
        "exec('x = 1')",
    ):
        assert id_keys_and_generated_code(source) == [1], source
    assert id_keys_and_generated_code("seen = id(x) == id(y)\nCACHE[key] = x") == []
