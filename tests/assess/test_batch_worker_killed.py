"""Issue 19, "No crash, no hang": a worker of a batch killed at any moment, the moment it hands
back a block's results included, stops the batch with one line and exit 1, never a hang.

The attack: a two-worker `rarplan assess --batch ... --json` whose blocks' results are
megabytes (far over a pipe's 64 KB), a worker killed with SIGKILL, many times over. Half the
kills are aimed at the moment a worker hands back its results: the main process is paused
(SIGSTOP) until a worker is blocked writing to the pool's result pipe, or both workers wait,
and that worker is killed before the main process goes on (SIGCONT). Handed back through the
pipe, a block's results were then left half-written, and the pool's reader waited for the
rest for ever: every such kill hung the batch. The other half are kills while the workers
run, at moments spread over the batch.

The results are handed back in files instead, in a folder of the batch's own: the tests also
check that it is owner-only, names no one, and is removed however the batch ends.

Linux only: the workers are found, and a worker's state read, in /proc (the test's own means;
rarplan never reads /proc). A hang is caught by the subprocess timeout, not by timing.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tests.test_bench_generator import gen

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="finds the workers and their state in /proc"
)

ROUNDS = 24  # 12 kills as a worker hands back its results, 12 while the workers run
HANG = 60  # seconds: far longer than a stopped batch takes to end; only a hang reaches it
STOPPED = "a worker process of the batch stopped before finishing its cases"


@pytest.fixture(scope="module")
def cases(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """About six blocks of cases; one block's `--json` results are some megabytes."""
    source = tmp_path_factory.mktemp("killed") / "cases.jsonl"
    with source.open("w") as out:
        gen.write_jsonl(gen.generate(2000), out)
    return source


def _workers(pid: int) -> list[int]:
    """The main process's children (the pool's workers), from every thread that made one."""
    found: list[int] = []
    with contextlib.suppress(FileNotFoundError, ProcessLookupError):
        for task in Path(f"/proc/{pid}/task").iterdir():
            with contextlib.suppress(FileNotFoundError, ProcessLookupError):
                found += [int(p) for p in (task / "children").read_text().split()]
    return sorted(found)


def _waiting_in(pid: int) -> str | None:
    """Where a process sleeps in the kernel (`pipe_write`, or `anon_pipe_write` in newer
    kernels, `pipe_read`, ...); None if it runs."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        where = Path(f"/proc/{pid}/wchan").read_text().strip()
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return None
    return where if state in ("S", "D") and where not in ("", "0") else None


def _handing_back(pid: int, workers: list[int]) -> int:
    """Pause the main process (so that it reads no results) until a worker is blocked handing
    back its results, or all wait; return that worker, or the first one."""
    os.kill(pid, signal.SIGSTOP)
    waiting = 0  # polls in a row with every worker waiting (a worker may sleep a moment)
    for _ in range(500):  # a block takes a fraction of a second: this is a bound, not a timing
        where = {w: _waiting_in(w) for w in workers}
        writing = [w for w, at in where.items() if at and at.endswith("pipe_write")]
        if writing:
            return writing[0]
        waiting = waiting + 1 if all(where.values()) else 0
        if waiting == 20:
            return workers[0]
        time.sleep(0.01)
    return workers[0]


def _start(source: Path, tmp_path: Path, *args: str, **popen: Any) -> subprocess.Popen[bytes]:
    """A two-worker `--json` batch of `source` in its own process group, its temporary
    folder `tmp_path/tmp`."""
    (tmp_path / "tmp").mkdir(exist_ok=True)
    env = {**os.environ, "RARPLAN_WORKERS": "2", "TMPDIR": str(tmp_path / "tmp")}
    argv = [sys.executable, "-m", "rarplan", "assess", "--batch", str(source), "--json", *args]
    options: dict[str, Any] = {"stdout": subprocess.DEVNULL, "stderr": subprocess.PIPE}
    return subprocess.Popen(
        argv, env=env, start_new_session=True, cwd=tmp_path, **(options | popen)
    )


def _started_workers(running: subprocess.Popen[bytes]) -> list[int]:
    workers: list[int] = []
    while len(workers) < 2 and running.poll() is None:
        time.sleep(0.005)
        workers = _workers(running.pid)
    if running.poll() is not None:
        pytest.fail(f"the batch ended before its workers could be seen: {running.returncode}")
    return workers


def _results_folders(tmp_path: Path) -> list[str]:
    return sorted(p.name for p in (tmp_path / "tmp").glob("rarplan-batch-*"))


def _kill_a_worker(source: Path, tmp_path: Path, round_: int) -> tuple[int | None, str]:
    """Run the batch, kill one worker at this round's moment; the batch's exit code and
    stderr, or (None, ...) if it hung."""
    plans = ["--out-dir", str(tmp_path / "plans")] if round_ % 4 == 3 else ["--no-plan"]
    running = _start(source, tmp_path, *plans)
    try:
        workers = _started_workers(running)
        if round_ % 2 == 0:
            time.sleep(0.05 * (1 + round_ // 2 % 6))  # let some blocks go by first
            victim = _handing_back(running.pid, workers)
            os.kill(victim, signal.SIGKILL)
            os.kill(running.pid, signal.SIGCONT)
        else:
            time.sleep(0.03 * (round_ % 12))  # moments from the workers' start on
            os.kill(workers[round_ % 2], signal.SIGKILL)
        try:
            _, err = running.communicate(timeout=HANG)
        except subprocess.TimeoutExpired:
            return None, ""
        return running.returncode, err.decode()
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(running.pid, signal.SIGCONT)
            os.killpg(running.pid, signal.SIGKILL)
        running.wait()


def test_a_worker_killed_at_any_moment_stops_the_batch_with_one_line(
    cases: Path, tmp_path: Path
) -> None:
    for round_ in range(ROUNDS):
        code, err = _kill_a_worker(cases, tmp_path, round_)
        assert code is not None, f"round {round_}: the batch hung after a worker was killed"
        assert code == 1, f"round {round_}: exit {code}: {err}"
        assert len(err.splitlines()) == 1, f"round {round_}: {err}"  # no traceback
        error = json.loads(err)["error"]  # under --json, the one line is a JSON error
        assert error["message"].startswith(STOPPED), f"round {round_}: {err}"
        assert error["exit_code"] == 1
        assert _results_folders(tmp_path) == [], f"round {round_}: results left behind"
    for plan in (tmp_path / "plans").glob("*.plan.toml"):
        assert plan.stat().st_size > 0


def test_results_are_handed_back_in_owner_only_files_removed_at_the_end(
    cases: Path, tmp_path: Path
) -> None:
    """The workers' results wait in files of a folder of the batch's own: 0700, each file
    0600 whatever the umask, named by block number (no CRN, no name); each removed once
    printed, the folder at the end. A folder a batch killed whole left (untouched for over an
    hour) is removed by the next batch; a recent one, and a link, are left alone."""
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    hours_ago = time.time() - 2 * 3600
    left = tmp / "rarplan-batch-killed"
    left.mkdir()
    (left / "3.out").write_bytes(b'[[0], 0, ""]\n')
    os.utime(left, (hours_ago, hours_ago))
    recent = tmp / "rarplan-batch-running"
    recent.mkdir()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "keep").write_text("not rarplan's")
    link = tmp / "rarplan-batch-link"
    link.symlink_to(elsewhere)
    os.utime(link, (hours_ago, hours_ago), follow_symlinks=False)
    theirs = {recent.name, link.name}
    # stdout not read at first: the batch waits to print, and the blocks' results wait in files
    running = _start(cases, tmp_path, "--no-plan", stdout=subprocess.PIPE, umask=0)
    seen: dict[str, int] = {}
    try:
        for _ in range(3000):  # until the files of two blocks are seen (a bound, not a timing)
            for folder in (tmp / name for name in _results_folders(tmp_path)):
                if folder.name in theirs | {left.name}:  # the test's own
                    continue
                with contextlib.suppress(FileNotFoundError):
                    seen[folder.name + "/"] = folder.stat().st_mode & 0o777
                    for file in folder.iterdir():
                        seen[file.name] = file.stat().st_mode & 0o777
            if sum(name.endswith(".out") for name in seen) >= 2 or running.poll() is not None:
                break
            time.sleep(0.01)
        out, err = running.communicate(timeout=HANG)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(running.pid, signal.SIGKILL)
        running.wait()
    assert running.returncode == 0, err
    assert err == b""
    numbers = [json.loads(line)["line"] for line in out.splitlines()]
    assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) == 2000
    assert sum(name.endswith(".out") for name in seen) >= 2, seen
    for name, mode in seen.items():
        assert mode == (0o700 if name.endswith("/") else 0o600), (name, oct(mode))
        assert re.fullmatch(r"rarplan-batch-\w+/|\.?[0-9]+\.out(\.[0-9]+\.[0-9]+\.tmp)?", name)
    assert _results_folders(tmp_path) == sorted(theirs)
    assert (elsewhere / "keep").read_text() == "not rarplan's"


def test_ctrl_c_removes_the_results_folder(cases: Path, tmp_path: Path) -> None:
    running = _start(cases, tmp_path, "--no-plan")
    try:
        _started_workers(running)
        time.sleep(0.3)  # some blocks in hand
        os.killpg(running.pid, signal.SIGINT)
        running.communicate(timeout=HANG)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(running.pid, signal.SIGKILL)
        running.wait()
    assert running.returncode == 130
    assert _results_folders(tmp_path) == []


def test_the_main_process_killed_its_workers_remove_the_results_folder(
    cases: Path, tmp_path: Path
) -> None:
    running = _start(cases, tmp_path, "--no-plan")
    try:
        workers = _started_workers(running)
        time.sleep(0.3)  # some blocks in hand
        assert _results_folders(tmp_path)
        running.kill()
        running.wait(timeout=HANG)
        for _ in range(int(HANG / 0.05)):  # until the workers have ended (a bound)
            if not any(_waiting_in(w) or Path(f"/proc/{w}").exists() for w in workers):
                break
            time.sleep(0.05)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(running.pid, signal.SIGKILL)
    assert _results_folders(tmp_path) == []
