"""The benchmark script itself still runs (bench/run.py): a small smoke run of the benchmarks
that are quick at a small size, so a change to a command's flags or to the scheduler's entry
point cannot break `make bench` unseen. Speed is never asserted here (issue 5)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO


def test_the_bench_runs_each_quick_benchmark_to_a_figure(tmp_path):
    # cli-attend makes the assessed, scheduled and attended stages and runs on fresh copies;
    # cli-status reads the five-plan caseload in place.
    names = ["schedule-one", "batch-json", "batch-plans", "cli-attend", "cli-status"]
    only = [arg for name in names for arg in ("--only", name)]
    done = subprocess.run(
        [sys.executable, str(REPO / "bench" / "run.py"), *only, "--cases", "120", "--runs", "1"]
        + ["--no-hyperfine", "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=REPO,
    )
    assert done.returncode in (0, 1), done.stderr  # 1: a target missed at this tiny size
    report = json.loads((tmp_path / "partial.json").read_text(encoding="utf-8"))
    results = {r["name"]: r for r in report["results"]}
    assert list(results) == names
    for name, result in results.items():
        assert result["status"] in ("pass", "FAIL"), (name, result["reason"])
        assert result["rarplan_s"] > 0, name
    for name in ("cli-attend", "cli-status"):
        assert results[name]["peer_s"] > 0 and results[name]["ratio"] > 0, name
    assert (tmp_path / "partial.md").read_text(encoding="utf-8").count("| schedule-one") == 1


def test_instructions_are_counted_beside_the_times_where_valgrind_is_installed(tmp_path):
    """`--instructions`: each start-up pair also counted under valgrind, a figure that does not
    scatter; without valgrind on PATH, a one-line usage error, not a traceback."""
    bench = [sys.executable, str(REPO / "bench" / "run.py"), "--instructions", "--only", "band"]
    bench += ["--runs", "1", "--out", str(tmp_path)]
    no_valgrind = {**os.environ, "PATH": str(Path(sys.executable).parent)}
    done = subprocess.run(bench, capture_output=True, text=True, timeout=120, env=no_valgrind)
    assert done.returncode == 2 and "valgrind is not on PATH" in done.stderr, done.stderr
    if shutil.which("valgrind") is None:
        return
    done = subprocess.run(bench, capture_output=True, text=True, timeout=300, cwd=REPO)
    assert done.returncode in (0, 1), done.stderr
    (result,) = json.loads((tmp_path / "partial.json").read_text(encoding="utf-8"))["results"]
    assert 0.5 < result["instructions_ratio"] < 2, result
    assert "(instructions " in (tmp_path / "partial.md").read_text(encoding="utf-8")
