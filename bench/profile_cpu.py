"""Where a command's CPU time goes: `python bench/profile_cpu.py [--runs N] -- ARGS...`.

Runs `rarplan ARGS` in this process N times (default 10), each in a fresh copy of the current
folder's files if `--fresh DIR` is given, and samples the stack every 4 ms of CPU time
(SIGPROF, so a sample is CPU spent, not waiting). Prints the functions and module imports that
held the most CPU, inclusive, in milliseconds per run. POSIX only (SIGPROF); a developer's
tool, not a benchmark: `make bench` is what the targets judge (docs/speed.md).

    python bench/profile_cpu.py --runs 20 -- verify X100001.completion.toml X100001.plan.toml
"""

from __future__ import annotations

import argparse
import collections
import os
import shutil
import signal
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path
from types import FrameType

INTERVAL_S = 0.004
# Shown shorter: the installed libraries, the standard library and this repository.
PREFIXES = (
    sysconfig.get_paths()["purelib"] + "/",
    sysconfig.get_paths()["stdlib"] + "/",
    str(Path(__file__).resolve().parents[1]) + "/",
)


def _where(frame: FrameType | None) -> list[str]:
    """The distinct `file:function` names on the stack, innermost first, leaving out the
    import machinery and this profiler."""
    names: list[str] = []
    while frame is not None:
        code = frame.f_code
        file = code.co_filename
        for prefix in PREFIXES:
            file = file.removeprefix(prefix)
        name = f"{file}:{code.co_name}"
        if not file.startswith(("<frozen", "bench/")) and name not in names:
            names.append(name)
        frame = frame.f_back
    return names


def profile_one(args: list[str]) -> tuple[float, collections.Counter[str], int]:
    """One run of `rarplan ARGS` in this process: CPU seconds and the sampled stacks."""
    from rarplan.cli.main import run

    counts: collections.Counter[str] = collections.Counter()
    samples = 0

    def sample(signum: int, frame: FrameType | None) -> None:
        nonlocal samples
        if frame is not None:
            samples += 1
            counts.update(_where(frame))

    signal.signal(signal.SIGPROF, sample)
    started = time.process_time()
    signal.setitimer(signal.ITIMER_PROF, INTERVAL_S, INTERVAL_S)
    try:
        run(args)
    except SystemExit:
        pass
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0, 0)
    return time.process_time() - started, counts, samples


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--fresh", type=Path, help="copy this folder's files in before each run")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("args", nargs=argparse.REMAINDER)
    options = parser.parse_args()
    args = options.args[1:] if options.args[:1] == ["--"] else options.args
    if options.child:  # one run, its counts on stdout for the parent to add up
        cpu, counts, samples = profile_one(args)
        sys.stdout.flush()
        sys.__stderr__.write(f"CPU {cpu} {samples}\n")
        for name, count in counts.items():
            sys.__stderr__.write(f"{count} {name}\n")
        return 0
    total_cpu = 0.0
    total_samples = 0
    total: collections.Counter[str] = collections.Counter()
    for _ in range(options.runs):
        with tempfile.TemporaryDirectory(prefix="rarplan-profile-") as work:
            if options.fresh:
                shutil.copytree(options.fresh, work, dirs_exist_ok=True)
            done = subprocess.run(
                [sys.executable, __file__, "--child", "--", *args],
                cwd=work if options.fresh else os.getcwd(),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
            )
        lines = [x for x in done.stderr.splitlines() if x[:1].isdigit() or x.startswith("CPU ")]
        cpu_line = next(x for x in lines if x.startswith("CPU "))
        total_cpu += float(cpu_line.split()[1])
        total_samples += int(cpu_line.split()[2])
        for line in lines:
            if not line.startswith("CPU "):
                count, name = line.split(" ", 1)
                total[name] += int(count)
    per_sample_ms = total_cpu * 1000 / max(total_samples, 1) / options.runs
    print(f"{total_cpu / options.runs * 1000:.0f} ms of CPU a run in rarplan, after Python's own")
    print(f"start-up; inclusive CPU ms a run ({total_samples} samples in all):")
    for name, count in total.most_common(options.top):
        print(f"  {count * per_sample_ms:7.1f}  {name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
