"""`rarplan assess --batch`: one result per case, in order; one bad case never stops the rest.

Source: issue 5 (JSON lines with `--batch`, plan files, the scripting contract) and the README,
'Many cases at once'. Speed is measured by `make bench`, never here.
"""

from __future__ import annotations

import codecs
import contextlib
import gc
import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from rarplan.assess.batch import _valid_case
from rarplan.cli.app import build
from rarplan.files.caseio import case_from_dict
from rarplan.files.planfile import load_plan
from rarplan.model.case import Case
from rarplan.model.errors import InvalidInput
from tests.conftest import REPO
from tests.test_bench_generator import gen

runner = CliRunner()


def lines(n: int, **options: Any) -> list[str]:
    out = io.StringIO()
    gen.write_jsonl(gen.generate(n, **options), out)
    return out.getvalue().splitlines()


def batch(path: Path, *args: str, workers: int | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    if workers is not None:
        env["RARPLAN_WORKERS"] = str(workers)
    return subprocess.run(
        [sys.executable, "-m", "rarplan", "assess", "--batch", str(path), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def test_each_line_gives_the_same_result_as_assessing_the_case_alone(tmp_path: Path) -> None:
    cases = lines(40)
    source = tmp_path / "cases.jsonl"
    source.write_text("\n".join(cases) + "\n")
    result = runner.invoke(build(), ["assess", "--batch", str(source), "--json", "--no-plan"])
    assert result.exit_code == 0, result.output
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["line"] for o in out] == list(range(1, 41))
    assert {o["status"] for o in out} == {"assessed"}  # no plan file asked for
    for n in (0, 7, 23, 39):
        single = tmp_path / f"case{n}.json"
        single.write_text(cases[n])
        alone = runner.invoke(build(), ["assess", str(single), "--json", "--no-plan"])
        assert alone.exit_code == 0, alone.output
        expected = json.loads(alone.stdout)
        for key in ("crn", "band", "proposed_days", "selected", "warnings"):
            assert out[n][key] == expected[key], key


def test_a_bad_line_is_reported_with_its_number_and_crn_and_the_rest_go_on(
    tmp_path: Path,
) -> None:
    good = lines(3)
    bad = json.loads(good[1])
    bad["scores"] = {"ogrs": 140}
    source = tmp_path / "cases.jsonl"
    source.write_text("\n".join([good[0], json.dumps(bad), "{not json", good[2]]) + "\n")
    result = runner.invoke(build(), ["assess", "--batch", str(source), "--json", "--no-plan"])
    assert result.exit_code == 3
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["line"] for o in out] == [1, 2, 3, 4]
    assert "error" not in out[0] and "error" not in out[3]
    assert out[1]["crn"] == bad["crn"]
    assert out[1]["error"]["exit_code"] == 3
    assert "line 2: scores.ogrs" in out[1]["error"]["message"]
    assert out[2]["crn"] is None
    assert "line 3: not valid JSON" in out[2]["error"]["message"]


def test_plan_files_are_owner_only_named_by_crn_and_never_overwritten(tmp_path: Path) -> None:
    """Run again, the batch keeps the plans it wrote (reported as done, "exists"); a plan for
    the same CRN from other case facts is refused (exit 5) and left as it is, unless forced."""
    cases = lines(5, sentenced_only=True)
    source = tmp_path / "cases.jsonl"
    source.write_text("\n".join(cases) + "\n")
    out_dir = tmp_path / "plans"
    first = runner.invoke(build(), ["assess", "--batch", str(source), "--out-dir", str(out_dir)])
    assert first.exit_code == 0, first.output
    crns = [json.loads(c)["crn"] for c in cases]
    assert sorted(p.name for p in out_dir.iterdir()) == sorted(f"{c}.plan.toml" for c in crns)
    assert {p.stat().st_mode & 0o777 for p in out_dir.iterdir()} == {0o600}
    before = {p.name: p.read_bytes() for p in out_dir.iterdir()}
    again = runner.invoke(build(), ["assess", "--batch", str(source), "--out-dir", str(out_dir)])
    assert again.exit_code == 0, again.output
    assert "assessed 5 case(s)" in again.stderr and "(5 already written)" in again.stderr
    assert {p.name: p.read_bytes() for p in out_dir.iterdir()} == before
    changed = json.loads(cases[2])
    changed["age"] = changed.get("age", 30) + 1
    cases[2] = json.dumps(changed)
    source.write_text("\n".join(cases) + "\n")
    refused = runner.invoke(
        build(), ["assess", "--batch", str(source), "--out-dir", str(out_dir), "--json"]
    )
    assert refused.exit_code == 5
    out = [json.loads(line) for line in refused.stdout.splitlines()]
    assert [o.get("status") for o in out] == ["exists", "exists", None, "exists", "exists"]
    assert out[2]["error"]["exit_code"] == 5 and "already exists" in out[2]["error"]["message"]
    assert {p.name: p.read_bytes() for p in out_dir.iterdir()} == before
    forced = runner.invoke(
        build(), ["assess", "--batch", str(source), "--out-dir", str(out_dir), "--force"]
    )
    assert forced.exit_code == 0, forced.output
    assert load_plan(out_dir / f"{changed['crn']}.plan.toml")[0].case.age == changed["age"]


def test_a_rerun_after_an_interruption_continues_without_force(tmp_path: Path) -> None:
    """An interrupted batch left the first plans written, and (on a file system without hard
    links, see storage) an empty file where it was writing, and a hidden temporary file. The
    same batch run again writes the rest: the plans there are kept and reported as done, the
    empty file is replaced, and every line ends well."""
    cases = lines(12, sentenced_only=True)
    crns = [json.loads(c)["crn"] for c in cases]
    source = tmp_path / "cases.jsonl"
    source.write_text("\n".join(cases[:5]) + "\n")
    out_dir = tmp_path / "plans"
    first = runner.invoke(build(), ["assess", "--batch", str(source), "--out-dir", str(out_dir)])
    assert first.exit_code == 0, first.output
    kept = {p.name: p.read_bytes() for p in out_dir.iterdir()}
    (out_dir / f"{crns[5]}.plan.toml").write_bytes(b"")
    (out_dir / f".{crns[6]}.plan.toml.4242.0.tmp").write_bytes(b"schema_version = 2\n")
    source.write_text("\n".join(cases) + "\n")
    again = runner.invoke(
        build(), ["assess", "--batch", str(source), "--out-dir", str(out_dir), "--json"]
    )
    assert again.exit_code == 0, again.output
    assert again.stderr == ""
    out = [json.loads(line) for line in again.stdout.splitlines()]
    assert [o["status"] for o in out] == ["exists"] * 5 + ["written"] * 7
    assert [o["plan_file"] for o in out] == [str(out_dir / f"{c}.plan.toml") for c in crns]
    assert {name: (out_dir / name).read_bytes() for name in kept} == kept
    for crn in crns:
        assert load_plan(out_dir / f"{crn}.plan.toml")[0].crn == crn


def test_a_batch_killed_midway_leaves_only_whole_plans_and_the_rerun_finishes(
    tmp_path: Path,
) -> None:
    """Killed while it writes (whenever that happens to be), a batch leaves every plan under
    its name whole; the same command run again finishes the batch."""
    cases = lines(400, sentenced_only=True)
    crns = [json.loads(c)["crn"] for c in cases]
    source = tmp_path / "cases.jsonl"
    source.write_text("\n".join(cases) + "\n")
    out_dir = tmp_path / "plans"
    argv = [sys.executable, "-m", "rarplan", "assess", "--batch", str(source), "--json"]
    argv += ["--out-dir", str(out_dir)]
    env = {**os.environ, "RARPLAN_WORKERS": "1"}
    with subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL) as running:
        for _ in range(6000):  # kill it once it is writing, or let it end
            if running.poll() is not None or len(list(out_dir.glob("*.plan.toml"))) > 20:
                break
            time.sleep(0.01)
        running.kill()
    written = sorted(out_dir.glob("*.plan.toml"))
    for path in written:
        assert load_plan(path)[0].crn == path.name.removesuffix(".plan.toml")
    again = batch(source, "--json", "--out-dir", str(out_dir), workers=1)
    assert again.returncode == 0, again.stderr
    out = [json.loads(line) for line in again.stdout.splitlines()]
    assert sum(o["status"] == "exists" for o in out) == len(written)
    assert sorted(p.name for p in out_dir.glob("*.plan.toml")) == sorted(
        f"{c}.plan.toml" for c in crns
    )


def test_each_plan_and_its_folder_are_fsynced_and_nothing_else_is_flushed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 15: fsync the files written and their folder, never `os.sync()` (a flush of
    every file of every program on the machine)."""

    def no_sync() -> None:
        raise AssertionError("os.sync() called")

    synced: set[int] = set()
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        synced.add(os.fstat(fd).st_ino)
        real_fsync(fd)

    monkeypatch.setattr(os, "sync", no_sync)
    monkeypatch.setattr(os, "fsync", fsync)
    source = tmp_path / "cases.jsonl"
    source.write_text("\n".join(lines(30, sentenced_only=True)) + "\n")
    out_dir = tmp_path / "plans"
    done = runner.invoke(build(), ["assess", "--batch", str(source), "--out-dir", str(out_dir)])
    assert done.exit_code == 0, done.output
    plans = list(out_dir.glob("*.plan.toml"))
    assert len(plans) == 30
    assert {p.stat().st_ino for p in plans} <= synced
    assert out_dir.stat().st_ino in synced


def test_the_garbage_collector_is_as_it_was_after_a_batch(tmp_path: Path) -> None:
    before = (gc.isenabled(), gc.get_threshold(), gc.get_freeze_count())
    source = tmp_path / "cases.jsonl"
    source.write_text("\n".join([*lines(20), "{not json"]) + "\n")
    for args in (["--json", "--no-plan"], ["--out-dir", str(tmp_path / "plans")]):
        done = runner.invoke(build(), ["assess", "--batch", str(source), *args])
        assert done.exit_code == 3, done.output
        assert (gc.isenabled(), gc.get_threshold(), gc.get_freeze_count()) == before


def test_two_workers_give_exactly_what_one_gives(tmp_path: Path) -> None:
    """A file big enough for the worker pool: same lines, same order, same plan files."""
    cases = lines(400, sentenced_only=True)
    cases[250] = "[1, 2]"
    source = tmp_path / "cases.jsonl"
    source.write_text("\n".join(cases) + "\n")
    assert source.stat().st_size >= 256 * 1024
    one = batch(source, "--json", "--out-dir", str(tmp_path / "one"), workers=1)
    two = batch(source, "--json", "--out-dir", str(tmp_path / "two"), workers=2)
    assert one.returncode == two.returncode == 3, one.stderr
    assert one.stdout.replace("/one/", "/two/") == two.stdout
    assert len(two.stdout.splitlines()) == 400
    names = sorted(p.name for p in (tmp_path / "two").iterdir())
    assert names == sorted(p.name for p in (tmp_path / "one").iterdir())
    assert len(names) == 399


# The one-step parse (`_valid_case`) must accept exactly what the two-step path accepts, and
# build the same case: otherwise a batch would judge a line differently from `assess FILE`.
BASE = json.loads(lines(1, sentenced_only=True)[0])
FIELDS = [
    ("age",),
    ("sex",),
    ("crn",),
    ("sentence", "rar_max_days"),
    ("sentence", "start_date"),
    ("sentence", "stage"),
    ("scores", "ogrs"),
    ("offence", "previous_convictions"),
    ("needs", "accommodation"),
    ("circumstances", "vulnerabilities"),
    ("checks",),
]
values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 200),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.sampled_from(["", "yes", "12", "2027-01-11", "male", "sentenced", "X123456", "1e3"]),
    st.lists(st.sampled_from(["a", "learning_disability", 3]), max_size=2),
    st.dictionaries(st.sampled_from(["x", "is_valid"]), st.booleans(), max_size=1),
)


def _two_step(line: str) -> Case | None:
    try:
        return case_from_dict(json.loads(line), "x")
    except InvalidInput:
        return None


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(path=st.sampled_from(FIELDS), value=values)
def test_the_one_step_parse_agrees_with_the_two_step_one(path: tuple[str, ...], value: Any) -> None:
    raw = json.loads(json.dumps(BASE))
    where = raw
    for key in path[:-1]:
        where = where.setdefault(key, {})
    where[path[-1]] = value
    line = json.dumps(raw)
    assert _valid_case(line) == _two_step(line)


def test_the_one_step_parse_agrees_on_every_generated_case() -> None:
    for line in lines(300):
        fast = _valid_case(line)
        assert fast is not None
        assert fast == _two_step(line)


def test_csv_batches_give_the_same_results_as_json_lines(tmp_path: Path) -> None:
    csv_text = io.StringIO()
    gen.write_csv(gen.generate(12), csv_text)
    (tmp_path / "cases.csv").write_text(csv_text.getvalue())
    (tmp_path / "cases.jsonl").write_text("\n".join(lines(12)) + "\n")
    from_csv = runner.invoke(
        build(), ["assess", "--batch", str(tmp_path / "cases.csv"), "--json", "--no-plan"]
    )
    from_jsonl = runner.invoke(
        build(), ["assess", "--batch", str(tmp_path / "cases.jsonl"), "--json", "--no-plan"]
    )
    assert from_csv.exit_code == from_jsonl.exit_code == 0, from_csv.output
    pick = ("crn", "band", "proposed_days", "selected")
    a = [{k: json.loads(x)[k] for k in pick} for x in from_csv.stdout.splitlines()]
    b = [{k: json.loads(x)[k] for k in pick} for x in from_jsonl.stdout.splitlines()]
    assert a == b


@pytest.mark.parametrize("example", sorted((REPO / "examples" / "cases").glob("*.toml")))
def test_shipped_examples_pass_the_one_step_parse(example: Path) -> None:
    from rarplan.files.reading import load_document

    raw, _ = load_document(example)
    line = json.dumps(raw, default=str)
    assert _valid_case(line) == _two_step(line)


@pytest.mark.parametrize("workers", [1, 2])
def test_plans_are_dated_when_they_are_made(tmp_path: Path, workers: int) -> None:
    """The clock is read once a chunk of cases (a case at a time from stdin): every plan's
    `created` time and assessment date are those of the run."""
    from datetime import datetime

    from rarplan.files.planfile import load_plan

    source = tmp_path / "cases.jsonl"
    source.write_text("\n".join(lines(30)) + "\n")
    before = datetime.now().replace(microsecond=0)
    done = batch(source, "--out-dir", str(tmp_path / "plans"), "--quiet", workers=workers)
    after = datetime.now()
    assert done.returncode == 0, done.stderr
    plans = [load_plan(p)[0] for p in sorted((tmp_path / "plans").iterdir())]
    assert len(plans) == 30
    for plan in plans:
        assert before <= plan.created <= after
        assert plan.assessment.assessed_on in {before.date(), after.date()}


def _numbered(text: str) -> dict[int, str]:
    """The CRN on each line as the text reader numbers lines (`\\n`, `\\r\\n` or `\\r` ends one)."""
    found = {}
    for n, line in enumerate(io.StringIO(text, newline=""), start=1):
        if line.strip():
            found[n] = json.loads(line)["crn"]
    return found


def test_line_ends_blank_lines_a_bom_and_a_long_line_number_as_the_text_reader_does(
    tmp_path: Path,
) -> None:
    """A big file is read in blocks of whole lines (split by the workers, or by the parent with
    one worker): the same numbers and results as reading it line by line, whatever ends a line,
    with blank lines, a byte-order mark, a line longer than a block and no final line end."""
    from rarplan.assess.batch import BLOCK_BYTES

    cases = lines(300)
    ends = ["\n", "\r\n", "\r", "\n\n", "\n  \t\n"]
    long = json.dumps({"crn": "X999999", "note": "x" * (BLOCK_BYTES + 1000)})
    parts = [case + ends[n % len(ends)] for n, case in enumerate(cases)]
    parts.insert(150, long + "\r\n")
    text = "".join(parts).rstrip()
    source = tmp_path / "cases.jsonl"
    source.write_bytes(codecs.BOM_UTF8 + text.encode())
    expected = _numbered(text)
    for workers in (1, 2):
        done = batch(source, "--json", "--no-plan", workers=workers)
        assert done.returncode == 3, done.stderr  # the long line's unknown key
        out = [json.loads(line) for line in done.stdout.splitlines()]
        assert {o["line"]: o["crn"] for o in out} == expected
        (error,) = [o for o in out if "error" in o]
        assert error["crn"] == "X999999" and "note: unknown key" in error["error"]["message"]


def test_a_line_that_is_not_utf8_stops_the_batch_at_that_line(tmp_path: Path) -> None:
    """The lines before it are assessed, its own number is reported, nothing after is read: the
    same with one worker and with two."""
    cases = lines(300)
    data = "\n".join(cases).encode() + b"\n"
    at = data.index(cases[217].encode()) + 30
    source = tmp_path / "cases.jsonl"
    source.write_bytes(data[:at] + b"\xff" + data[at:])
    assert source.stat().st_size >= 256 * 1024  # the worker pool's size
    for workers in (1, 2):
        done = batch(source, "--json", "--out-dir", str(tmp_path / f"w{workers}"), workers=workers)
        assert done.returncode == 3, done.stderr
        out = [json.loads(line) for line in done.stdout.splitlines()]
        assert [o["line"] for o in out] == list(range(1, 219))
        assert out[-1]["error"]["message"].endswith(
            "cases.jsonl: line 218: not UTF-8 text; stopped reading"
        )
        assert len(list((tmp_path / f"w{workers}").iterdir())) == 217


def test_from_stdin_a_line_that_is_not_utf8_is_named_by_its_number_too() -> None:
    cases = lines(5)
    data = ("\n".join(cases[:3]) + "\r\n").encode() + b'{"crn": "\xff"}\n' + cases[4].encode()
    done = subprocess.run(
        [sys.executable, "-m", "rarplan", "assess", "--batch", "-", "--json", "--no-plan"],
        input=codecs.BOM_UTF8 + data,
        capture_output=True,
        timeout=60,
    )
    assert done.returncode == 3
    out = [json.loads(line) for line in done.stdout.splitlines()]
    assert [o["line"] for o in out] == [1, 2, 3, 4]
    assert out[-1]["error"]["message"] == "<stdin>: line 4: not UTF-8 text; stopped reading"


@pytest.mark.parametrize("workers", [1, 2])
def test_a_failure_at_each_stage_is_reported_at_its_line_and_the_rest_are_written(
    tmp_path: Path, workers: int
) -> None:
    """A chunk's cases are read, assessed, then written in turn: a case that cannot be read
    (exit 3), one the rules refuse (4: more days than the court ordered, guidance section 4)
    and one whose plan file exists (5) each fail at their own line; every other plan is
    written, and the existing file is left as it was."""
    cases = lines(400, sentenced_only=True)
    refused = json.loads(cases[100])
    refused["scores"]["ogrs"] = 60.0
    refused["plan"]["proposed_days"] = refused["sentence"]["rar_max_days"] + 1
    cases[100] = json.dumps(refused)
    cases[250] = "[1, 2]"
    out_dir = tmp_path / "plans"
    out_dir.mkdir()
    taken = out_dir / f"{json.loads(cases[300])['crn']}.plan.toml"
    taken.write_text("kept")
    source = tmp_path / "cases.jsonl"
    source.write_text("\n".join(cases) + "\n")
    done = batch(source, "--json", "--out-dir", str(out_dir), workers=workers)
    assert done.returncode == 3, done.stderr  # more than one kind of failure: exit 3
    out = [json.loads(line) for line in done.stdout.splitlines()]
    assert [o["line"] for o in out] == list(range(1, 401))
    failed = {o["line"]: (o["crn"], o["error"]["exit_code"]) for o in out if "error" in o}
    assert failed == {
        101: (refused["crn"], 4),
        251: (None, 3),
        301: (json.loads(cases[300])["crn"], 5),
    }
    assert "already exists" in out[300]["error"]["message"]
    assert taken.read_text() == "kept"
    written = {p.name for p in out_dir.iterdir()} - {taken.name}
    assert len(written) == 397
    assert all(
        o["plan_file"] == str(out_dir / f"{o['crn']}.plan.toml") for o in out if "error" not in o
    )


# --- Issue 19: no crash, no hang when a batch is stopped ---------------------------------------

posix_only = pytest.mark.skipif(
    sys.platform == "win32", reason="process groups, SIGINT to a group and /proc are POSIX"
)


def _running_batch(tmp_path: Path, *args: str) -> subprocess.Popen[bytes]:
    """A two-worker batch big enough to still be running after its first line, in its own
    process group (as a terminal runs it)."""
    source = tmp_path / "cases.jsonl"
    source.write_text("\n".join(lines(20000)) + "\n")
    env = {**os.environ, "RARPLAN_WORKERS": "2"}
    argv = [sys.executable, "-m", "rarplan", "assess", "--batch", str(source), *args]
    running = subprocess.Popen(
        argv,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
        cwd=tmp_path,
    )
    assert running.stdout is not None
    assert running.stdout.readline()  # the batch is under way
    return running


def _workers_of(pid: int) -> list[int]:
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if not children.exists():
        pytest.skip("needs /proc/PID/task/PID/children (Linux) to find the workers")
    return [int(p) for p in children.read_text().split()]


@posix_only
def test_ctrl_c_during_a_two_worker_batch_exits_130_with_one_line(tmp_path: Path) -> None:
    """Issue 19: Ctrl-C (SIGINT to the whole process group, workers included) ends the batch
    with exit 130 and one line, no traceback, and never hangs."""
    import signal

    running = _running_batch(tmp_path, "--out-dir", str(tmp_path / "plans"))
    os.killpg(running.pid, signal.SIGINT)
    try:
        _, err = running.communicate(timeout=30)
    finally:
        running.kill()
    assert running.returncode == 130, err
    assert err.decode().strip().splitlines() == ["rarplan: interrupted"]


@posix_only
def test_a_killed_worker_stops_the_batch_with_a_clear_error(tmp_path: Path) -> None:
    """Issue 19: a worker killed (out of memory, kill -9) stops the batch with one line and
    exit 1; it never hangs, and the plans reported are whole."""
    import signal

    running = _running_batch(tmp_path, "--out-dir", str(tmp_path / "plans"))
    os.kill(_workers_of(running.pid)[0], signal.SIGKILL)
    try:
        _, err = running.communicate(timeout=30)
    finally:
        running.kill()
    assert running.returncode == 1, err
    text = err.decode()
    assert text.startswith("rarplan: error: a worker process of the batch stopped"), text
    assert len(text.splitlines()) == 1 and "Traceback" not in text
    for plan in (tmp_path / "plans").glob("*.plan.toml"):
        assert plan.stat().st_size > 0


@posix_only
def test_killing_the_main_process_ends_its_workers(tmp_path: Path) -> None:
    """Issue 19: the main process killed, its workers end too, quietly (none waits for work
    for ever)."""
    import signal

    running = _running_batch(tmp_path, "--no-plan")
    workers = _workers_of(running.pid)
    assert workers
    running.kill()
    running.wait(timeout=30)
    for pid in workers:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and _alive(pid):
            time.sleep(0.05)
        assert not _alive(pid), f"worker {pid} outlived the main process"
    with contextlib.suppress(ProcessLookupError):
        os.killpg(running.pid, signal.SIGKILL)


def _alive(pid: int) -> bool:
    """Running (a zombie waiting to be reaped by init has ended)."""
    stat = Path(f"/proc/{pid}/stat")
    try:
        return stat.read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return False


@posix_only
def test_a_closed_output_pipe_ends_the_batch_quietly(tmp_path: Path) -> None:
    """Issue 19: `rarplan assess --batch ... | head -1`: the reader goes away; the batch
    stops with exit 141 (as a shell shows SIGPIPE), nothing on stderr, no crash log."""
    running = _running_batch(tmp_path, "--no-plan")
    assert running.stdout is not None and running.stderr is not None
    running.stdout.close()
    try:
        err = running.stderr.read()
        running.wait(timeout=30)
    finally:
        running.kill()
    assert running.returncode == 141, err
    assert err == b""
