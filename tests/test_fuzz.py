"""No bad input crashes rarplan: random bytes, random TOML/JSON, wrong types, huge numbers, odd
Unicode, empty files, folders and missing files, fed to every command that reads a file.

Each ends with a documented exit code and one-line messages, never a traceback (exit 1), and
never a changed input file.
"""

from __future__ import annotations

import contextlib
import copy
import io
import json
import tomllib
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from rarplan.cli import main as cli_main
from rarplan.cli.app import build
from tests.conftest import REPO

from . import factories

APP = build()
runner = CliRunner()
FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
CASE = tomllib.loads((REPO / "examples" / "cases" / "X100001.toml").read_text())
ALLOWED = {0, 2, 3, 4, 5}

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.sampled_from(["", "\u202e", "\x00", "𝕏123456", "X123456", "../../etc/passwd", "ÿ" * 500]),
)
json_values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=12,
)


def _plan_file(tmp: Path) -> Path:
    path = tmp / "X123456.plan.toml"
    if not path.exists():
        from rarplan.files.planfile import save_plan

        save_plan(factories.plan(), path)
    return path


# (name, argv builder given the fuzzed file and a tmp folder)
COMMANDS: list[tuple[str, Any]] = [
    ("assess", lambda f, t: ["assess", str(f), "--no-plan"]),
    ("assess-json", lambda f, t: ["assess", str(f), "--no-plan", "--json"]),
    ("assess-batch", lambda f, t: ["assess", "--batch", str(f), "--no-plan", "--json"]),
    ("catalogue-check", lambda f, t: ["catalogue", "check", str(f)]),
    ("schedule", lambda f, t: ["schedule", str(f), "--out", str(t / "out.plan.toml")]),
    ("attend", lambda f, t: ["attend", str(_plan_file(t)), "--attendance", str(f)]),
    ("complete", lambda f, t: ["complete", str(f), "--no-input", "--out", str(t / "r.toml")]),
    ("verify", lambda f, t: ["verify", str(f), str(_plan_file(t))]),
    ("render", lambda f, t: ["render", str(f), "--format", "md"]),
    ("status", lambda f, t: ["status", str(_caseload(f, t)), "--json"]),
]


def _caseload(fuzzed: Path, tmp: Path) -> Path:
    """A caseload folder holding the fuzzed file as a plan beside a good one."""
    folder = tmp / "caseload"
    folder.mkdir(exist_ok=True)
    _plan_file(folder)
    if fuzzed.is_file():
        (folder / "Y999999.plan.toml").write_bytes(fuzzed.read_bytes())
    return folder


def invoke(argv: list[str]) -> tuple[int, str, str]:
    """Run as the installed `rarplan` does (cli.main), capturing its output."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli_main._run_app(argv)
    return code, out.getvalue(), err.getvalue()


def check_run(argv: list[str], files: list[Path]) -> None:
    before = {f: f.read_bytes() for f in files if f.is_file()}
    code, out, err = invoke(argv)
    assert code in ALLOWED, (argv, code, out, err)
    assert "Traceback" not in out + err
    for line in err.splitlines():
        assert line.startswith(("rarplan:", "{")) or not line.strip(), line
    for f, data in before.items():
        assert f.read_bytes() == data, f"{f} changed"


@pytest.mark.parametrize(("name", "argv"), COMMANDS, ids=[c[0] for c in COMMANDS])
@FUZZ
@given(data=st.binary(max_size=300))
def test_random_bytes(name, argv, data, tmp_path):
    target = tmp_path / ("input.jsonl" if "batch" in name else "input.toml")
    target.write_bytes(data)
    check_run(argv(target, tmp_path), [target])


@pytest.mark.parametrize(("name", "argv"), COMMANDS, ids=[c[0] for c in COMMANDS])
@FUZZ
@given(doc=st.dictionaries(st.text(max_size=15), json_values, max_size=6), as_json=st.booleans())
def test_random_documents(name, argv, doc, as_json, tmp_path):
    target = tmp_path / ("input.json" if as_json else "input.toml")
    if "batch" in name:
        target = tmp_path / "input.jsonl"
        target.write_text(json.dumps(doc, default=str) + "\n")
    elif as_json:
        target.write_text(json.dumps(doc, default=str))
    else:
        try:
            target.write_text(tomli_w.dumps(doc))
        except (TypeError, ValueError):
            target.write_text(json.dumps(doc, default=str))
    check_run(argv(target, tmp_path), [target])


def _paths(doc: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = []
    if isinstance(doc, dict):
        for k, v in doc.items():
            out.append((*prefix, k))
            out.extend(_paths(v, (*prefix, k)))
    return out


PATHS = _paths(CASE)


@FUZZ
@given(path=st.sampled_from(PATHS), value=json_values)
def test_a_real_case_with_one_wrong_value(path, value, tmp_path):
    """Wrong types, huge numbers and odd Unicode in each key of a real case."""
    doc = copy.deepcopy(CASE)
    target: Any = doc
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    case = tmp_path / "case.json"
    case.write_text(json.dumps(doc, default=str))
    check_run(["assess", str(case), "--json", "--out", str(tmp_path / "p.toml")], [case])


@pytest.mark.parametrize(("name", "argv"), COMMANDS, ids=[c[0] for c in COMMANDS])
@pytest.mark.parametrize("kind", ["missing", "folder", "empty"])
def test_missing_files_folders_and_empty_files(name, argv, kind, tmp_path):
    target = tmp_path / "input.toml"
    if kind == "folder":
        target.mkdir()
    elif kind == "empty":
        target.write_text("")
    check_run(argv(target, tmp_path), [target] if kind == "empty" else [])


def test_a_plan_file_with_one_wrong_value_is_reported_with_its_key(tmp_path):
    plan = _plan_file(tmp_path)
    text = plan.read_text().replace("rar_max_days = 20", 'rar_max_days = "many"')
    bad = tmp_path / "bad.plan.toml"
    bad.write_text(text)
    result = runner.invoke(APP, ["schedule", str(bad), "--json"])
    assert result.exit_code == 3, result.output
    message = json.loads(result.stderr)["error"]["message"]
    assert "bad.plan.toml" in message and "case.sentence.rar_max_days" in message


# --- Issue 19: hostile shapes, not just wrong values --------------------------------------------

# Text a plan or case file may be attacked with: keys too deep (tomllib kept every prefix: 40 KB
# took 1.6 GB), numbers of more digits than Python converts, booleans where numbers go, dates
# that overflow an order's end, nesting past the parser's depth.
hostile_toml = st.one_of(
    st.integers(16, 3000).map(lambda n: "a" + ".a" * n + " = 1\n"),
    st.integers(16, 300).map(lambda n: "[" + ".".join(["t"] * n) + "]\n"),
    st.integers(4301, 20_000).map(lambda n: "age = " + "9" * n + "\n"),
    st.sampled_from(["ogrs = true", "age = false", "rar_max_days = true", "session = true"]),
    st.sampled_from(["start_date = 9999-12-31", "date_of_birth = 0001-01-01"]),
    st.integers(1000, 5000).map(lambda n: "x = " + "[" * n + "]" * n + "\n"),
)
SECTIONS = ["", "[scores]\n", "[sentence]\n", "[[schedule.appointments]]\n"]


@pytest.mark.parametrize(("name", "argv"), COMMANDS, ids=[c[0] for c in COMMANDS])
@FUZZ
@given(line=hostile_toml, section=st.sampled_from(SECTIONS))
def test_hostile_toml(name, argv, line, section, tmp_path):
    """Each is an input error (or a plan skipped by `status`), quickly, never exit 1."""
    target = tmp_path / ("input.jsonl" if "batch" in name else "input.toml")
    plan = _plan_file(tmp_path).read_text()
    target.write_text(plan + "\n" + section + line)
    check_run(argv(target, tmp_path), [target])


# CSV batches as an attacker writes them: quotes left open, cells over the csv module's limit,
# bytes that are not UTF-8, columns named twice, CR-only line ends.
csv_cells = st.one_of(
    st.sampled_from(['"open', 'a"b', '"', "\xff", "x" * 140_000, "31/13/1961", "true"]),
    st.text(max_size=10),
)


@FUZZ
@given(
    cells=st.lists(st.lists(csv_cells, min_size=1, max_size=4), min_size=1, max_size=4),
    header=st.sampled_from(["crn,age", "crn,age,crn", "crn,date_of_birth,name"]),
    end=st.sampled_from(["\n", "\r", "\r\n"]),
)
def test_hostile_csv_batches(cells, header, end, tmp_path):
    target = tmp_path / "cases.csv"
    rows = [header] + [",".join(row) for row in cells]
    data = end.join(rows).encode("utf-8", "surrogateescape").replace("ÿ".encode(), b"\xff")
    target.write_bytes(data)
    check_run(["assess", "--batch", str(target), "--no-plan", "--json"], [target])
    code, out, err = invoke(["assess", "--batch", str(target), "--no-plan"])
    assert "31/13/1961" not in out + err


# JSON-lines batches with a hostile value at any key of a real case: a number over Python's
# 4,300 digits (it stopped the whole batch with exit 1), nesting past the parser's depth, a
# boolean for a number, dates that overflow an order's end, floats JSON does not have.
hostile_json = st.one_of(
    st.integers(4301, 20_000).map(lambda n: "9" * n),
    st.integers(1000, 5000).map(lambda n: "[" * n + "]" * n),
    st.sampled_from(["true", "false", '"9999-12-31"', '"0001-01-01"', "1e999", "NaN", "-Infinity"]),
)
_HOLE = "\x00hostile\x00"


@FUZZ
@given(path=st.sampled_from(PATHS), raw=hostile_json)
def test_a_hostile_value_fails_its_own_line_only(path, raw, tmp_path):
    doc = copy.deepcopy(CASE)
    target: Any = doc
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = _HOLE
    line = json.dumps(doc, default=str).replace(json.dumps(_HOLE), raw)
    good = json.dumps(CASE, default=str)
    batch = tmp_path / "cases.jsonl"
    batch.write_text("\n".join([good, line, good]) + "\n")
    check_run(["assess", "--batch", str(batch), "--no-plan", "--json"], [batch])
    code, out, err = invoke(["assess", "--batch", str(batch), "--no-plan", "--json"])
    results = [json.loads(each) for each in out.splitlines()]
    assert [r["line"] for r in results] == [1, 2, 3], (out, err)
    assert "error" not in results[0] and "error" not in results[2], out


# Plans hand-edited where they name files and count days: a crn that is a path, a person's
# name, or any text; a court's maximum below the days already planned.
hostile_crns = st.one_of(
    st.text(max_size=20),
    st.sampled_from(["../../outside", "/tmp/evil", "Jane Smith", "X12345", "X1234567", "x123456"]),
)
PLAN_COMMANDS = [c for c in COMMANDS if c[0] in ("schedule", "complete", "render", "status")]


@pytest.mark.parametrize(("name", "argv"), PLAN_COMMANDS, ids=[c[0] for c in PLAN_COMMANDS])
@FUZZ
@given(crn=hostile_crns, most=st.one_of(st.none(), st.integers(1, 19)))
def test_a_plan_with_a_hand_edited_crn_or_maximum(name, argv, crn, most, tmp_path):
    from rarplan.files.planfile import save_plan

    scheduled = tmp_path / "scheduled.plan.toml"
    if not scheduled.exists():
        save_plan(factories.plan(["msrp-home"], rar_max_days=20), scheduled)
        code, out, err = invoke(["schedule", str(scheduled), "--quiet"])
        assert code == 0, err
    text = scheduled.read_text().replace('crn = "X123456"', f"crn = {json.dumps(crn)}", 1)
    if most is not None:
        text = text.replace("rar_max_days = 20", f"rar_max_days = {most}", 1)
    target = tmp_path / "input.toml"
    target.write_text(text)
    around = set(tmp_path.parent.iterdir())
    check_run(argv(target, tmp_path), [target])
    if crn != "X123456" or most is not None:  # refused: no file written, here or outside
        assert set(tmp_path.parent.iterdir()) == around
        made = {p.name for p in tmp_path.iterdir() if not p.name.endswith(".lock")}
        assert made <= {"input.toml", "scheduled.plan.toml", "caseload", ".rarplan-history"}
