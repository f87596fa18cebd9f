"""rarplan's benchmarks: `make bench`, or `python bench/run.py [--quick] [--only NAME]`.

Each benchmark runs as its own section and is measured against a peer in the same run, on the
same machine, as medians (issue 5). Nothing here asserts a time in the test suite. Results go
to stdout as a Markdown table and to bench/out/latest.md and bench/out/latest.json (a quick,
`--only`, `--runs` or `--cases` run writes bench/out/partial.* instead).

Benchmarks:
  help             `rarplan --help` vs a plain typer app's `--help` (target: ratio <= 0.70)
  band             `rarplan band 62 --json` vs the plain app's trivial command (ratio <= 1.15)
  cli-assess, cli-schedule, cli-attend, cli-complete, cli-verify, cli-render, cli-status,
  cli-catalogue-show
                   each single-case command, start-up included, on the shipped example
                   X100001 taken through its stages (`status` over a folder of 5 plans;
                   `catalogue show mentor-support`) vs the plain app's trivial command
                   (ratio <= 1.3, issue 15); commands that write run on a fresh copy each time
  batch-json       `rarplan assess --batch` of 100,000 cases with --json (>= 2,000 cases/s,
                   peak memory < 200 MB)
  batch-plans      the same writing plan files (<= 60 s, peak memory < 200 MB)
  schedule-one     a 60-day high-intensity plan with six interventions, in-process (< 50 ms)
  schedule-folder  1,000 plans through `rarplan schedule` then `rarplan status` (< 15 s)

A benchmark whose command is not built yet reports "skipped: <reason>" instead of failing.
The start-up pairs run interleaved (rarplan, peer, rarplan, peer, ...) after warm-ups, so the
machine's drift moves both alike; `--hyperfine` times them with hyperfine instead (a fresh
copy put in place by `--prepare`; all of rarplan's runs, then all of the peer's). Peak memory
is the whole process tree's (a worker pool included), sampled from /proc, and the largest
single process's maximum RSS from wait4(2).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
OUT = BENCH / "out"
PYTHON = sys.executable
sys.path.insert(0, str(BENCH))

import gen_cases  # noqa: E402 (bench/ is not a package)

FULL_CASES = 100_000
FULL_PLANS = 1_000
MEMORY_LIMIT_MB = 200.0
BATCH_BUDGET_S = 120.0  # a slow batch is run fewer times rather than for half an hour

# The command lines each benchmark runs, in one place so they are easy to adjust when a
# command's flags settle. "{file}", "{folder}" and "{out}" are filled in at run time.
BATCH_JSON = ["assess", "--batch", "{file}", "--json", "--no-plan"]
BATCH_PLANS = ["assess", "--batch", "{file}", "--out-dir", "{out}", "--quiet"]
# Tried in order: the first that the built command accepts is used.
SCHEDULE_FOLDER = (
    ["schedule", "--batch", "{folder}", "--json"],
    ["schedule", "{folder}", "--json"],
)
STATUS_FOLDER = (
    ["status", "{folder}", "--json"],
    ["status", "--batch", "{folder}", "--json"],
)
# Entry points of rarplan.schedule.make tried for the in-process benchmark, each called as
# fn(plan, catalogue).
SCHEDULING_ENTRY_POINTS = ("schedule_plan", "schedule", "build_schedule", "make_schedule")
# Preferred for the 60-day plan (ten, ten, ten and eight appointments); then any eligible.
HEAVY_INTERVENTIONS = (
    "job-club",
    "anger-management",
    "compulsive-obsessive-behaviour",
    "positive-futures",
)

# The single-case commands (issue 15): the shipped example X100001 taken through its stages,
# each command timed, start-up included, against the peer's trivial command. "{dir}" is the
# folder the command works in, "{examples}" the repository's examples/. Each entry names the
# stage whose folder the command starts from (None: an empty folder); a stage's folder is made
# once per bench run by running that stage's own command on a copy of the folder before it.
# "caseload" is the attended X100001 beside the other four examples, assessed.
EXAMPLES = REPO / "examples"
TODAY = "2027-03-02"  # the last date in examples/attendance.csv
SINGLE_CASE: dict[str, tuple[str | None, list[str]]] = {
    "assess": (
        None,
        ["assess", "{examples}/cases/X100001.toml", "--no-input"]
        + ["--out", "{dir}/X100001.plan.toml"],
    ),
    "schedule": ("assess", ["schedule", "{dir}/X100001.plan.toml"]),
    "attend": (
        "schedule",
        ["attend", "{dir}/X100001.plan.toml", "--attendance", "{examples}/attendance.csv"]
        + ["--today", TODAY, "--no-input"],
    ),
    "complete": (
        "attend",
        ["complete", "{dir}/X100001.plan.toml", "--outcomes", "{examples}/outcomes.toml"]
        + ["--today", TODAY, "--no-input", "--confirmed-by", "RO 4471"]
        + ["--rationale", "Housing need met and CV and interviews done in 7 days."]
        + ["--progress", "Moved into a housing association flat; CV written."]
        + ["--outcome", "Settled accommodation; employability improved."],
    ),
    "verify": ("complete", ["verify", "{dir}/X100001.completion.toml", "{dir}/X100001.plan.toml"]),
    "render": (
        "schedule",
        ["render", "{dir}/X100001.plan.toml", "--for", "person", "--format", "html"]
        + ["--out", "{dir}/X100001.person.html"],
    ),
    "status": ("caseload", ["status", "{dir}", "--today", TODAY]),
    "catalogue-show": (None, ["catalogue", "show", "mentor-support"]),
}
# Commands that write nothing run in their stage's folder; the others in a fresh copy each run.
READ_ONLY = ("verify", "status", "catalogue-show")
CASELOAD_OTHERS = ("X100002", "X100003", "X100004", "X100005")
SINGLE_CASE_RATIO = 1.3  # at most this many times the peer's trivial command (issue 15)


@dataclass
class Result:
    name: str
    title: str
    target: str
    status: str = "skipped"  # pass | FAIL | skipped | error
    reason: str = ""
    rarplan_s: float | None = None
    peer_s: float | None = None
    ratio: float | None = None
    rate: str = ""  # e.g. "8,120 cases/s"
    cpu_s: float | None = None  # median CPU time of the child(ren), where measured
    peer_cpu_s: float | None = None  # the peer's, for start-up pairs
    cpu_ratio: float | None = None  # rarplan's CPU time over the peer's, for start-up pairs
    # rarplan's instructions over the peer's (`--instructions`): the same on every run
    instructions_ratio: float | None = None
    peak_rss_mb: float | None = None  # the largest single process
    peak_tree_mb: float | None = None  # the whole process tree, workers included (PSS)
    memory_quarters_mb: tuple[float, float] | None = None  # peak in the 2nd / last quarter
    runs: int = 0
    commands: list[str] = field(default_factory=list)


class Skip(Exception):
    """The benchmark cannot run yet (a command or entry point not built)."""


@dataclass
class Settings:
    runs: int
    warmup: int
    batch_runs: int
    cases: int
    plans: int
    work: Path
    use_hyperfine: bool
    count_instructions: bool = False

    @property
    def scale(self) -> float:
        return self.cases / FULL_CASES


# --- running commands ----------------------------------------------------------------------


def rarplan_argv() -> list[str]:
    script = Path(PYTHON).parent / "rarplan"
    return [str(script)] if script.exists() else [PYTHON, "-m", "rarplan"]


def peer_argv() -> list[str]:
    return [PYTHON, str(BENCH / "peer_app.py")]


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update({"NO_COLOR": "1", "COLUMNS": "100"})
    env.pop("RARPLAN_CATALOGUE", None)
    # An officer's install caches bytecode (pip compiles a wheel's modules when installing it),
    # as the peer's site-packages already are: let the warm-ups write rarplan's __pycache__,
    # or every timed run would compile rarplan's modules again (bench/README.md).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def show(argv: list[str]) -> str:
    """A command line as a reader would type it: `rarplan`, `python`, short file names."""
    shown = []
    for arg in argv:
        if arg in (PYTHON, rarplan_argv()[0]):
            arg = Path(arg).name
        elif arg.startswith(str(REPO)):
            arg = str(Path(arg).relative_to(REPO))
        elif "rarplan-bench-" in arg:  # the run's scratch folder
            arg = Path(arg).name
        shown.append("plans/" if arg == "{out}" else arg)
    return shlex.join(shown)


@dataclass
class Run:
    seconds: float
    code: int
    stderr: str
    lines: int
    errors: int
    first_error: str
    peak_rss_mb: float  # the largest single process (wait4)
    tree_mb: float  # the whole process tree (a worker pool included), sampled; 0 if unknown
    cpu_s: float  # user + system time of the child and its children (a pool counts in full)
    tree_quarters: tuple[float, float] = (0.0, 0.0)  # MB: peak in the 2nd and the 4th quarter
    counts: dict[bytes, int] = field(default_factory=dict)  # stdout lines holding each marker


# How often the process tree's memory is sampled. Each sample walks every process's page
# tables (smaps_rollup): about 3 ms of CPU for a batch and its two workers, so sampling every
# 50 ms took some 6% of a CPU from the batch being timed. Four times a second still gives about
# 80 samples in a 20 s batch, enough to see the memory stay flat.
SAMPLE_EVERY_S = 0.25


class TreeMemory(threading.Thread):
    """Samples the memory of a process and all its descendants every SAMPLE_EVERY_S (Linux
    /proc).

    Each process counts its proportional set size (PSS, from smaps_rollup), so pages a forked
    worker still shares with its parent are not counted twice. Best effort: 0 where /proc is
    not there.
    """

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_kb = 0
        self.samples: list[int] = []
        self._done = threading.Event()

    def run(self) -> None:
        while not self._done.is_set():
            kb = self.sample()
            if kb:
                self.samples.append(kb)
            self.peak_kb = max(self.peak_kb, kb)
            self._done.wait(SAMPLE_EVERY_S)

    def quarters(self) -> tuple[float, float]:
        """Peak MB in the second and in the last quarter of the run: equal when flat.

        The first quarter is left out: it holds the start-up and the pool's first fill.
        """
        n = len(self.samples)
        if n < 8:
            return 0.0, 0.0
        second, last = self.samples[n // 4 : n // 2], self.samples[3 * n // 4 :]
        return max(second) / 1024, max(last) / 1024

    def stop(self) -> None:
        self._done.set()
        self.join()

    def sample(self) -> int:
        total = 0
        for pid in self._tree(self.pid):
            total += _pss_kb(pid)
        return total

    @staticmethod
    def _tree(pid: int) -> list[int]:
        found, todo = [], [pid]
        while todo:
            current = todo.pop()
            found.append(current)
            try:
                for task in os.listdir(f"/proc/{current}/task"):
                    with open(f"/proc/{current}/task/{task}/children") as fh:
                        todo.extend(int(c) for c in fh.read().split())
            except OSError:
                continue
        return found


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def run_once(
    argv: list[str],
    cwd: Path,
    count_lines: bool = False,
    markers: tuple[bytes, ...] = (),
    sample_memory: bool = False,
) -> Run:
    """Run a command once: wall time, exit code, stderr, stdout lines and the child's peak RSS.

    With `count_lines`, stdout is read through a pipe and its lines counted, with those holding
    an error object and those holding each of `markers`. With `sample_memory`, a thread samples
    the process tree's memory (left off for start-up timings, where it would only add noise).
    """
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(
            argv,
            cwd=cwd,
            env=child_env(),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE if count_lines else subprocess.DEVNULL,
            stderr=err,
        )
        sampler = TreeMemory(proc.pid)
        if sample_memory:
            sampler.start()
        lines = errors = 0
        counts = dict.fromkeys(markers, 0)
        first_error = ""
        if proc.stdout is not None:
            for line in proc.stdout:
                lines += 1
                if b'"error": {' in line:
                    errors += 1
                    first_error = first_error or line.decode("utf-8", "replace").strip()
                for marker in markers:
                    counts[marker] += marker in line
            proc.stdout.close()
        if sample_memory:
            # Wait for the exit without reaping, so the tree can be sampled to the end.
            os.waitid(os.P_PID, proc.pid, os.WEXITED | os.WNOWAIT)
            sampler.stop()
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
    return Run(
        seconds=seconds,
        code=proc.returncode,
        stderr=stderr,
        lines=lines,
        errors=errors,
        first_error=first_error[:300],
        peak_rss_mb=usage.ru_maxrss / 1024,  # kilobytes on Linux
        cpu_s=usage.ru_utime + usage.ru_stime,
        tree_mb=sampler.peak_kb / 1024,
        tree_quarters=sampler.quarters(),
        counts=counts,
    )


def last_error(stderr: str, code: int) -> str:
    """The last stderr line, or the message of a `--json` error object."""
    line = (stderr.strip().splitlines() or [f"exit {code}"])[-1]
    if line.startswith("{"):
        try:
            return str(json.loads(line)["error"]["message"])
        except (ValueError, KeyError, TypeError):
            pass
    return line.removeprefix("rarplan: ").removeprefix("usage error: ").removeprefix("error: ")


def not_built(run: Run, what: str) -> None:
    """Raise Skip when a command is still the scaffold, or fails before doing any work."""
    if run.code == 0:
        return
    first = last_error(run.stderr, run.code)
    if "not built yet" in run.stderr:
        raise Skip(f"`{what}` not built yet")
    if run.code == 2:
        raise Skip(f"`{what}` does not take these options yet: {first}")
    raise Skip(f"`{what}` exited {run.code}: {first}")


# A folder replaced by a fresh copy of another before each run of a command that writes.
Fresh = tuple[Path, Path] | None  # (source, the folder the command works in)
FRESH_COPY = (
    "import shutil, sys; shutil.rmtree(sys.argv[2], ignore_errors=True); "
    "shutil.copytree(sys.argv[1], sys.argv[2])"
)


def refresh(fresh: Fresh) -> None:
    """Put a fresh copy of the source folder in place (what FRESH_COPY does for hyperfine)."""
    if fresh is not None:
        source, folder = fresh
        shutil.rmtree(folder, ignore_errors=True)
        shutil.copytree(source, folder)


def median_of(
    argv_pairs: list[list[str]], settings: Settings, fresh: list[Fresh] | None = None
) -> tuple[list[float], list[float]]:
    """Wall time and CPU time (user + system) of each command, run interleaved after warm-ups:
    medians, except hyperfine's CPU time, which is the mean (the only figure it exports).

    `fresh[i]`, where given, is a folder put back from its source before each run of command i
    (outside the time measured), so a command that writes does the same work every run.
    """
    prepare = fresh or [None] * len(argv_pairs)
    if settings.use_hyperfine:
        return hyperfine_medians(argv_pairs, settings, prepare)
    for argv, folder in zip(argv_pairs, prepare, strict=True):
        for _ in range(settings.warmup):
            refresh(folder)
            check = run_once(argv, settings.work)
            if check.code != 0:
                raise Skip(f"`{show(argv)}` exited {check.code}: {check.stderr.strip()[:200]}")
    runs: list[list[Run]] = [[] for _ in argv_pairs]
    for _ in range(settings.runs):
        for i, argv in enumerate(argv_pairs):
            refresh(prepare[i])
            runs[i].append(run_once(argv, settings.work))
    wall = [statistics.median(r.seconds for r in each) for each in runs]
    cpu = [statistics.median(r.cpu_s for r in each) for each in runs]
    return wall, cpu


def hyperfine_medians(
    argv_pairs: list[list[str]], settings: Settings, fresh: list[Fresh]
) -> tuple[list[float], list[float]]:
    export = settings.work / "hyperfine.json"
    prepare: list[str] = []
    if any(fresh):  # one --prepare per command, or none at all
        for folder in fresh:
            argv = ["true"] if folder is None else [PYTHON, "-c", FRESH_COPY, *map(str, folder)]
            prepare += ["--prepare", shlex.join(argv)]
    cmd = [
        "hyperfine",
        "--style",
        "none",
        "--shell=none",
        "--warmup",
        str(settings.warmup),
        "--runs",
        str(settings.runs),
        "--export-json",
        str(export),
        *prepare,
        *(shlex.join(argv) for argv in argv_pairs),
    ]
    done = subprocess.run(cmd, cwd=settings.work, env=child_env(), capture_output=True, text=True)
    if done.returncode != 0:
        raise Skip(f"hyperfine failed: {done.stderr.strip()[:200]}")
    data = json.loads(export.read_text())
    wall = [float(r["median"]) for r in data["results"]]
    cpu = [float(r["user"]) + float(r["system"]) for r in data["results"]]
    return wall, cpu


def start_up_pair(
    result: Result, ours: list[str], peer: list[str], settings: Settings, fresh: Fresh = None
) -> float:
    """Time rarplan's command against the peer's: the ratio of wall times (what the target
    judges), and of CPU times beside it (steadier on a busy machine)."""
    result.commands = [show(ours), show(peer)]
    wall, cpu = median_of([ours, peer], settings, [fresh, None])
    result.rarplan_s, result.peer_s = wall
    result.cpu_s, result.peer_cpu_s = cpu
    result.ratio = result.rarplan_s / result.peer_s
    result.cpu_ratio = result.cpu_s / result.peer_cpu_s
    result.runs = settings.runs
    if settings.count_instructions:
        refresh(fresh)
        ours_count = instructions(ours, settings.work)
        result.instructions_ratio = ours_count / instructions(peer, settings.work)
    return result.ratio


def instructions(argv: list[str], cwd: Path) -> float:
    """The instructions one run of a command executes, counted by valgrind's cachegrind: the
    same figure on every run (string hashing fixed), where times scatter with the machine's
    load. A ratio of these is not a ratio of times (C code runs more instructions a
    nanosecond than the interpreter), but it moves with what a change to rarplan saves."""
    env = child_env()
    env["PYTHONHASHSEED"] = "0"
    count = ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null"]
    done = subprocess.run(
        [*count, *argv], cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    found = re.search(rb"I\s+refs:\s+([\d,]+)", done.stderr)
    if done.returncode != 0 or found is None:
        raise Skip(f"valgrind could not count `{show(argv)}`: exit {done.returncode}")
    return float(found.group(1).replace(b",", b""))


# --- the benchmarks ------------------------------------------------------------------------


def bench_help(settings: Settings) -> Result:
    result = Result("help", "`rarplan --help` vs plain typer `--help`", "ratio <= 0.70")
    ours, peer = [*rarplan_argv(), "--help"], [*peer_argv(), "--help"]
    ratio = start_up_pair(result, ours, peer, settings)
    result.status = "pass" if ratio <= 0.70 else "FAIL"
    return result


def bench_band(settings: Settings) -> Result:
    result = Result(
        "band", "`rarplan band 62 --json` vs plain typer trivial command", "ratio <= 1.15"
    )
    ours, peer = [*rarplan_argv(), "band", "62", "--json"], [*peer_argv(), "lookup", "62", "--json"]
    ratio = start_up_pair(result, ours, peer, settings)
    result.status = "pass" if ratio <= 1.15 else "FAIL"
    return result


def single_argv(template: list[str], folder: Path) -> list[str]:
    return [*rarplan_argv(), *fill(template, dir=str(folder), examples=str(EXAMPLES))]


def stage_folder(settings: Settings, stage: str | None) -> Path:
    """The folder holding the example case after `stage`, made once per bench run.

    None is an empty folder; "caseload" holds five plans (see SINGLE_CASE). A stage's folder is
    a copy of the folder of the stage before it, with the stage's own command run in it.
    """
    folder = settings.work / "one" / (stage or "empty")
    if folder.exists():
        return folder
    scratch = folder.with_name(folder.name + "-making")
    shutil.rmtree(scratch, ignore_errors=True)
    if stage is None:
        scratch.mkdir(parents=True)
    elif stage == "caseload":
        shutil.copytree(stage_folder(settings, "attend"), scratch)
        for crn in CASELOAD_OTHERS:
            case = EXAMPLES / "cases" / f"{crn}.toml"
            assess = ["assess", str(case), "--no-input", "--out", f"{{dir}}/{crn}.plan.toml"]
            _make(single_argv(assess, scratch), settings, "caseload")
    else:
        before, template = SINGLE_CASE[stage]
        shutil.copytree(stage_folder(settings, before), scratch)
        _make(single_argv(template, scratch), settings, stage)
    scratch.rename(folder)
    return folder


def _make(argv: list[str], settings: Settings, stage: str) -> None:
    try:
        not_built(run_once(argv, settings.work), f"rarplan {argv[len(rarplan_argv())]}")
    except Skip as skip:
        raise Skip(f"cannot make the {stage} stage: {skip}") from None


def bench_single(name: str) -> Callable[[Settings], Result]:
    """The benchmark of one single-case command: `rarplan NAME ...` vs the peer's `lookup`."""

    def run(settings: Settings) -> Result:
        title, target = TITLES[f"cli-{name}"]
        result = Result(f"cli-{name}", title, target)
        stage, template = SINGLE_CASE[name]
        source = stage_folder(settings, stage)
        fresh: Fresh = None
        folder = source
        if name not in READ_ONLY:
            folder = settings.work / f"run-{name}"
            fresh = (source, folder)
        ours, peer = single_argv(template, folder), [*peer_argv(), "lookup", "62", "--json"]
        refresh(fresh)  # one checked run first, for a plain reason if the command fails
        not_built(run_once(ours, settings.work), f"rarplan {' '.join(template[:2])}")
        PROFILE[result.name] = (ours, fresh)
        ratio = start_up_pair(result, ours, peer, settings, fresh)
        result.status = "pass" if ratio <= SINGLE_CASE_RATIO else "FAIL"
        return result

    return run


# The command line of each start-up benchmark run, for --profile-imports at the end.
PROFILE: dict[str, tuple[list[str], Fresh]] = {}


def cases_file(settings: Settings, n: int, sentenced: bool = False) -> Path:
    path = settings.work / f"cases-{n}{'-sentenced' if sentenced else ''}.jsonl"
    if not path.exists():
        with path.open("w", encoding="utf-8") as out:
            cases = gen_cases.generate(n, sentenced_only=sentenced)
            gen_cases.write_jsonl(cases, out)
    return path


def fill(template: list[str], **values: str) -> list[str]:
    return [part.format(**values) for part in template]


def _batch_runs(argv: list[str], settings: Settings, n: int, json_lines: bool) -> list[Run]:
    """Up to `batch_runs` runs, fewer once they have taken BATCH_BUDGET_S in all.

    Each run writes into its own folder under the work folder, which is removed only when the
    whole bench ends: on ext4 without a journal, files created within minutes of deleting many
    are far slower to create (the inode allocator checks and skips recently deleted inodes,
    `recently_deleted` in fs/ext4/ialloc.c). Deleting a run's 100,000 plans between runs, or
    before the next benchmark, would time that clean-up, not rarplan.
    """
    runs: list[Run] = []
    for i in range(settings.batch_runs):
        if sum(r.seconds for r in runs) > BATCH_BUDGET_S:
            break
        out = settings.work / f"plans-{i}"
        real = [a.replace("{out}", str(out)) for a in argv]
        run = run_once(real, settings.work, count_lines=json_lines, sample_memory=True)
        if i == 0:
            not_built(run, "rarplan " + " ".join(argv[len(rarplan_argv()) :][:2]))
        if json_lines and (run.lines != n or run.errors):
            raise Skip(
                f"{run.errors} of {n} cases failed, {run.lines} lines out; first: "
                f"{run.first_error or run.stderr.strip()[:200]}"
            )
        runs.append(run)
    return runs


def bench_batch_json(settings: Settings) -> Result:
    n = settings.cases
    floor = 2000  # issue 15: the national annual volume with margin
    result = Result(
        "batch-json",
        f"`rarplan assess --batch` of {n:,} cases, `--json`",
        f">= {floor:,} cases/s, peak < {MEMORY_LIMIT_MB:.0f} MB",
    )
    argv = [*rarplan_argv(), *fill(BATCH_JSON, file=str(cases_file(settings, n)))]
    result.commands = [show(argv)]
    runs = _batch_runs(argv, settings, n, json_lines=True)
    result.rarplan_s = statistics.median(r.seconds for r in runs)
    result.cpu_s = statistics.median(r.cpu_s for r in runs)
    result.peak_rss_mb = max(r.peak_rss_mb for r in runs)
    result.peak_tree_mb = max(r.tree_mb for r in runs) or None
    result.memory_quarters_mb = runs[-1].tree_quarters if runs[-1].tree_quarters[0] else None
    rate = n / result.rarplan_s
    result.rate = f"{rate:,.0f} cases/s; {n / result.cpu_s:,.0f} per CPU-second"
    result.runs = len(runs)
    ok = rate >= floor and peak_memory(result) < MEMORY_LIMIT_MB
    result.status = "pass" if ok else "FAIL"
    return result


def bench_batch_plans(settings: Settings) -> Result:
    n = settings.cases
    limit = 60.0 * settings.scale  # issue 15
    scaled = "" if n == FULL_CASES else " (60 s scaled to the batch)"
    result = Result(
        "batch-plans",
        f"`rarplan assess --batch` of {n:,} cases, writing plan files",
        f"<= {limit:g} s{scaled}, peak < {MEMORY_LIMIT_MB:.0f} MB",
    )
    file = cases_file(settings, n)
    argv = [*rarplan_argv(), *fill(BATCH_PLANS, file=str(file), out="{out}")]
    result.commands = [show(argv)]
    runs = _batch_runs(argv, settings, n, json_lines=False)
    result.rarplan_s = statistics.median(r.seconds for r in runs)
    result.cpu_s = statistics.median(r.cpu_s for r in runs)
    result.peak_rss_mb = max(r.peak_rss_mb for r in runs)
    result.peak_tree_mb = max(r.tree_mb for r in runs) or None
    result.memory_quarters_mb = runs[-1].tree_quarters if runs[-1].tree_quarters[0] else None
    result.rate = f"{n / result.rarplan_s:,.0f} cases/s; CPU {result.cpu_s:.1f} s"
    result.runs = len(runs)
    ok = result.rarplan_s <= limit and peak_memory(result) < MEMORY_LIMIT_MB
    result.status = "pass" if ok else "FAIL"
    return result


def peak_memory(result: Result) -> float:
    """What the memory target is judged on: the whole tree where sampled, else the child."""
    return max(result.peak_tree_mb or 0.0, result.peak_rss_mb or 0.0)


def _scheduling_entry() -> tuple[str, Callable[..., Any]]:
    import importlib

    try:
        module = importlib.import_module("rarplan.schedule.make")
    except ModuleNotFoundError as exc:
        if exc.name != "rarplan.schedule.make":
            raise
        raise Skip("rarplan/schedule/make.py does not exist yet") from None
    for name in SCHEDULING_ENTRY_POINTS:
        fn = getattr(module, name, None)
        if callable(fn):
            return name, fn
    raise Skip(
        "rarplan.schedule.make has none of "
        + ", ".join(f"{n}()" for n in SCHEDULING_ENTRY_POINTS)
        + " yet"
    )


def high_intensity_plan(interventions: int = 6) -> tuple[Any, Any]:
    """A sentenced case, OGRS 85, 60 RAR days over 12 months, with six eligible interventions."""
    from rarplan import load_catalogue
    from rarplan.assess.assessment import assess
    from rarplan.model.case import Case

    catalogue = load_catalogue()
    raw = gen_cases.prune(next(iter(gen_cases.generate(1, sentenced_only=True))))
    raw["scores"]["ogrs"] = 85
    raw["sentence"].update({"rar_max_days": 60, "length_months": 12})
    raw["needs"] = dict.fromkeys(gen_cases.NEEDS, True)
    raw["circumstances"].update(
        {"alcohol_dependent": False, "misuses_illegal_drugs": False, "group_unsuitable": False}
    )
    raw.pop("ogrs3", None)
    case = Case.model_validate(raw)
    first = assess(case, catalogue)
    eligible = [
        r.id
        for r in first.assessment.interventions
        if r.status == "eligible"
        and catalogue.entries[r.id].counts_towards_rar
        and r.addresses_identified_need
    ]
    if len(eligible) < interventions:
        raise Skip(f"only {len(eligible)} eligible interventions for the high-intensity case")
    # The longest services on the rate card first, so the plan uses most of its 60 days.
    chosen = [i for i in HEAVY_INTERVENTIONS if i in eligible]
    chosen += [i for i in eligible if i not in chosen]
    raw["plan"]["interventions"] = chosen[:interventions]
    raw["plan"]["proposed_days"] = 60
    plan = assess(Case.model_validate(raw), catalogue)
    return plan, catalogue


def bench_schedule_one(settings: Settings) -> Result:
    result = Result(
        "schedule-one",
        "schedule a 60-day high-intensity plan, six interventions (in-process)",
        "< 50 ms",
    )
    name, fn = _scheduling_entry()
    plan, catalogue = high_intensity_plan()
    result.commands = [f"rarplan.schedule.make.{name}(plan, catalogue)"]
    try:
        for _ in range(max(1, settings.warmup)):
            fn(plan.model_copy(deep=True), catalogue)
    except TypeError as exc:
        raise Skip(f"rarplan.schedule.make.{name}(plan, catalogue) does not fit: {exc}") from None
    times = []
    for _ in range(settings.runs):
        copy = plan.model_copy(deep=True)
        start = time.perf_counter()
        fn(copy, catalogue)
        times.append(time.perf_counter() - start)
    result.rarplan_s = statistics.median(times)
    result.runs = settings.runs
    outcome = fn(plan.model_copy(deep=True), catalogue)
    planned = getattr(getattr(outcome, "schedule", None), "rar_days_planned", None)
    if planned is not None:
        result.rate = f"{planned} RAR days planned"
    result.status = "pass" if result.rarplan_s < 0.050 else "FAIL"
    return result


# In batch mode a refused plan (exit 4: it cannot fit the court's days) is an answer, not a
# failure of the run: a real caseload has some. Any other code means the command did not run.
BATCH_DONE = (0, 4)
SCHEDULED = b'"status": "scheduled"'


def _first_accepted(templates: tuple[list[str], ...], folder: Path, what: str) -> list[str]:
    """The first command line the built command accepts, run once on a scratch copy."""
    reasons = []
    for template in templates:
        scratch = folder.with_name(folder.name + "-probe")
        shutil.rmtree(scratch, ignore_errors=True)
        shutil.copytree(folder, scratch)
        argv = [*rarplan_argv(), *fill(template, folder=str(scratch))]
        run = run_once(argv, folder.parent, count_lines=True)
        shutil.rmtree(scratch, ignore_errors=True)
        if run.code in BATCH_DONE and run.lines:
            return template
        reasons.append(f"`{' '.join(template)}`: {last_error(run.stderr, run.code)}")
    # A scaffold rejects the folder argument before it can say it is not built: ask it plainly.
    bare = run_once([*rarplan_argv(), what.split()[-1], "--json"], folder.parent)
    if "not built yet" in bare.stderr:
        raise Skip(f"`{what}` not built yet")
    raise Skip(f"`{what}` takes none of the folder forms tried: " + "; ".join(reasons))


def bench_schedule_folder(settings: Settings) -> Result:
    n = settings.plans
    limit = 15.0 * n / FULL_PLANS
    scaled = "" if n == FULL_PLANS else " (15 s scaled)"
    result = Result(
        "schedule-folder",
        f"{n:,} plans through `rarplan schedule` then `rarplan status`",
        f"< {limit:g} s in all{scaled}",
    )
    # The plans come from `rarplan assess --batch` on sentenced cases.
    pristine = settings.work / "folder-pristine"
    shutil.rmtree(pristine, ignore_errors=True)
    argv = [
        *rarplan_argv(),
        *fill(BATCH_PLANS, file=str(cases_file(settings, n, sentenced=True)), out=str(pristine)),
    ]
    made = run_once(argv, settings.work)
    try:
        not_built(made, "rarplan assess --batch")
    except Skip as skip:
        raise Skip(f"needs plans from assess --batch: {skip}") from None
    status = _first_accepted(STATUS_FOLDER, pristine, "rarplan status")
    try:
        schedule = _first_accepted(SCHEDULE_FOLDER, pristine, "rarplan schedule")
    except Skip as skip:
        # Still worth knowing how long `status` takes on the unscheduled plans.
        alone = run_once([*rarplan_argv(), *fill(status, folder=str(pristine))], settings.work)
        note = f"status alone on {n:,} unscheduled plans: {seconds(alone.seconds)}"
        raise Skip(f"{skip} ({note})") from None
    folder = settings.work / "folder"
    schedule_argv = [*rarplan_argv(), *fill(schedule, folder=str(folder))]
    status_argv = [*rarplan_argv(), *fill(status, folder=str(folder))]
    result.commands = [show(schedule_argv), show(status_argv)]
    totals: list[float] = []
    peaks: list[float] = []
    trees: list[float] = []
    cpus: list[float] = []
    scheduled = refused = 0
    for _ in range(settings.batch_runs):
        if sum(totals) > BATCH_BUDGET_S:
            break
        shutil.rmtree(folder, ignore_errors=True)
        shutil.copytree(pristine, folder)
        first = run_once(
            schedule_argv, settings.work, count_lines=True, markers=(SCHEDULED,), sample_memory=True
        )
        second = run_once(status_argv, settings.work, sample_memory=True)
        not_built(second, "rarplan status")
        if first.code not in BATCH_DONE:
            not_built(first, "rarplan schedule")
        scheduled, refused = first.counts[SCHEDULED], first.errors
        totals.append(first.seconds + second.seconds)
        cpus.append(first.cpu_s + second.cpu_s)
        peaks.append(max(first.peak_rss_mb, second.peak_rss_mb))
        trees.append(max(first.tree_mb, second.tree_mb))
    shutil.rmtree(folder, ignore_errors=True)
    result.rarplan_s = statistics.median(totals)
    result.cpu_s = statistics.median(cpus)
    result.peak_rss_mb = max(peaks)
    result.peak_tree_mb = max(trees) or None
    result.rate = (
        f"{n / result.rarplan_s:,.0f} plans/s; CPU {result.cpu_s:.1f} s; "
        f"{scheduled:,} scheduled, {refused:,} refused as not fitting"
    )
    result.runs = len(totals)
    result.status = "pass" if result.rarplan_s < limit else "FAIL"
    return result


BENCHMARKS: dict[str, Callable[[Settings], Result]] = {
    "help": bench_help,
    "band": bench_band,
    **{f"cli-{name}": bench_single(name) for name in SINGLE_CASE},
    "batch-json": bench_batch_json,
    "batch-plans": bench_batch_plans,
    "schedule-one": bench_schedule_one,
    "schedule-folder": bench_schedule_folder,
}
TITLES = {
    "help": ("`rarplan --help` vs plain typer `--help`", "ratio <= 0.70"),
    "band": ("`rarplan band 62 --json` vs plain typer trivial command", "ratio <= 1.15"),
    **{
        f"cli-{name}": (
            f"`rarplan {name.replace('-', ' ')}` on the example vs plain typer trivial command",
            f"ratio <= {SINGLE_CASE_RATIO}",
        )
        for name in SINGLE_CASE
    },
    "batch-json": ("`rarplan assess --batch`, `--json`", ">= 2,000 cases/s, < 200 MB"),
    "batch-plans": ("`rarplan assess --batch`, writing plan files", "<= 60 s, < 200 MB"),
    "schedule-one": ("schedule a 60-day plan, six interventions (in-process)", "< 50 ms"),
    "schedule-folder": ("plans through `rarplan schedule` then `rarplan status`", "< 15 s"),
}


# --- reporting -----------------------------------------------------------------------------


def seconds(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value * 1000:.1f} ms" if value < 1 else f"{value:.2f} s"


def table(results: list[Result]) -> str:
    rows = [
        "| benchmark | rarplan median | peer median | ratio | peak memory | target | result |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in results:
        ours = seconds(r.rarplan_s) + (f" ({r.rate})" if r.rate else "")
        ratio = f"{r.ratio:.2f}" if r.ratio is not None else "-"
        if r.cpu_ratio is not None:
            ratio += f" (CPU {r.cpu_ratio:.2f})"
        if r.instructions_ratio is not None:
            ratio += f" (instructions {r.instructions_ratio:.2f})"
        rss = "-"
        if r.peak_rss_mb is not None:
            rss = f"{r.peak_rss_mb:.0f} MB"
            if r.peak_tree_mb and r.peak_tree_mb > r.peak_rss_mb * 1.1:
                rss = f"{r.peak_tree_mb:.0f} MB in all ({r.peak_rss_mb:.0f} MB largest process)"
            if r.memory_quarters_mb:
                early, late = r.memory_quarters_mb
                rss += f"; {early:.0f} MB at 1/4-1/2 of the run, {late:.0f} MB in the last 1/4"
        outcome = r.status if r.status in ("pass", "FAIL") else f"{r.status}: {r.reason}"
        rows.append(
            f"| {r.name}: {r.title} | {ours} | {seconds(r.peer_s)} | {ratio} | {rss} "
            f"| {r.target} | {outcome} |"
        )
    return "\n".join(rows)


def machine() -> dict[str, Any]:
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True
    ).stdout.strip()
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "load_average_1min": round(os.getloadavg()[0], 2),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "commit": commit or None,
    }


def write_outputs(
    results: list[Result],
    settings: Settings,
    command: str,
    load_before: float,
    stem: str,
    out: Path = OUT,
) -> str:
    info = machine()
    info["load_average_1min_at_start"] = round(load_before, 2)
    header = (
        f"`{command}` on {info['date']}: Python {info['python']}, {info['platform']}, "
        f"{info['cpus']} CPUs, commit {info['commit']}; load average {load_before:.1f} at the "
        f"start, {info['load_average_1min']:.1f} at the end; {settings.runs} runs after "
        f"{settings.warmup} warm-ups for start-up, up to {settings.batch_runs} for batches; "
        "medians."
    )
    commands = [f"- {r.name}: " + "; ".join(f"`{c}`" for c in r.commands) for r in results]
    text = f"{header}\n\n{table(results)}\n\nCommands timed:\n" + "\n".join(commands) + "\n"
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{stem}.md").write_text(text, encoding="utf-8")
    document = {
        "command": command,
        "machine": info,
        "settings": {
            "runs": settings.runs,
            "warmup": settings.warmup,
            "batch_runs": settings.batch_runs,
            "cases": settings.cases,
            "plans": settings.plans,
            "hyperfine": settings.use_hyperfine,
        },
        "results": [asdict(r) for r in results],
    }
    (out / f"{stem}.json").write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    return text


def profile_imports(argv: list[str], top: int = 15) -> str:
    """The slowest imports (cumulative, microseconds) of one run, from -X importtime."""
    script = "import sys; from rarplan.cli.main import run; sys.argv[0] = 'rarplan'; run()"
    done = subprocess.run(
        [PYTHON, "-X", "importtime", "-c", script, *argv],
        capture_output=True,
        text=True,
        env=child_env(),
    )
    rows = []
    for line in done.stderr.splitlines():
        parts = line.removeprefix("import time:").split("|")
        if len(parts) != 3 or not parts[0].strip().isdigit():
            continue  # the header, or not an import line
        rows.append((int(parts[1]), int(parts[0]), parts[2].strip()))
    rows.sort(reverse=True)
    shown = show([*rarplan_argv(), *argv])
    lines = [f"Top imports for `{shown}` (cumulative / self, ms):"]
    lines += [f"  {c / 1000:7.1f} {s / 1000:7.1f}  {n}" for c, s, n in rows[:top]]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="rarplan's benchmarks (medians, against peers).")
    parser.add_argument("--quick", action="store_true", help="fewer runs, 5,000-case batch")
    parser.add_argument(
        "--only",
        action="append",
        choices=list(BENCHMARKS),
        metavar="NAME",
        help="run only this benchmark (repeatable): " + ", ".join(BENCHMARKS),
    )
    parser.add_argument("--runs", type=int, help="runs per start-up command (default 30)")
    parser.add_argument("--cases", type=int, help="cases in the batch (default 100,000)")
    parser.add_argument(
        "--hyperfine",
        action="store_true",
        help="time the start-up pairs with hyperfine (all of rarplan's runs, then all of the "
        "peer's) instead of the interleaved loop",
    )
    parser.add_argument(
        "--no-hyperfine", action="store_true", help="the interleaved loop (the default)"
    )
    parser.add_argument(
        "--instructions",
        action="store_true",
        help="also count each start-up pair's instructions once under valgrind (steady where "
        "times scatter; about 5 s a command)",
    )
    parser.add_argument(
        "--out", type=Path, default=OUT, help="folder for latest.* / partial.* (default bench/out)"
    )
    parser.add_argument(
        "--profile-imports",
        action="store_true",
        help="also print the slowest imports of `rarplan band 62 --json` and of each cli-* run",
    )
    args = parser.parse_args(argv)
    if args.hyperfine and shutil.which("hyperfine") is None:
        parser.error("--hyperfine: hyperfine is not on PATH")
    if args.instructions and shutil.which("valgrind") is None:
        parser.error("--instructions: valgrind is not on PATH")

    work = Path(tempfile.mkdtemp(prefix="rarplan-bench-"))
    settings = Settings(
        runs=args.runs or (5 if args.quick else 30),
        warmup=1 if args.quick else 3,
        batch_runs=1 if args.quick else 3,
        cases=args.cases or (5_000 if args.quick else FULL_CASES),
        plans=200 if args.quick else FULL_PLANS,
        work=work,
        # Interleaved unless asked: each of rarplan's runs sits beside one of the peer's, so
        # the machine's drift over a benchmark's minute moves both alike (docs/speed.md).
        use_hyperfine=args.hyperfine and not args.no_hyperfine,
        count_instructions=args.instructions,
    )
    command = "python bench/run.py" + ("".join(f" {a}" for a in (argv or sys.argv[1:])))
    results: list[Result] = []
    load_before = os.getloadavg()[0]
    try:
        for name in args.only or list(BENCHMARKS):
            title, target = TITLES[name]
            print(f"## {name}: {title}", file=sys.stderr, flush=True)
            started = time.perf_counter()
            try:
                result = BENCHMARKS[name](settings)
            except Skip as skip:
                result = Result(name, title, target, status="skipped", reason=str(skip))
            except Exception as exc:  # a benchmark's bug must not hide the others' figures
                result = Result(name, title, target, status="error", reason=repr(exc)[:300])
            print(
                f"   {result.status} {result.reason} ({time.perf_counter() - started:.1f} s)",
                file=sys.stderr,
                flush=True,
            )
            results.append(result)
        profiles = []
        if args.profile_imports:  # while the cli-* benchmarks' folders still exist
            profiles.append(profile_imports(["band", "62", "--json"]))
            for ours, fresh in PROFILE.values():
                refresh(fresh)
                profiles.append(profile_imports(ours[len(rarplan_argv()) :]))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    # A full run is `latest`; a quick, partial or resized one must not overwrite its figures.
    partial = args.quick or args.only or args.runs or args.cases
    text = write_outputs(
        results, settings, command, load_before, "partial" if partial else "latest", args.out
    )
    print(text)
    for profile in profiles:
        print(profile)
    return 1 if any(r.status in ("FAIL", "error") for r in results) else 0


if __name__ == "__main__":
    raise SystemExit(main())
