"""examples/scripts/caseload.sh works as documented: assess a folder, schedule, status."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

SCRIPT = REPO / "examples" / "scripts" / "caseload.sh"


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_caseload_script_assesses_schedules_and_reports(tmp_path: Path):
    cases = tmp_path / "cases"
    shutil.copytree(REPO / "examples" / "cases", cases)
    (cases / "broken.toml").write_text('crn = "X999999"\n[scores]\nogrs = 400\n')
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"
    result = subprocess.run(
        ["bash", str(SCRIPT), str(cases), str(tmp_path / "plans")],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    out = result.stdout
    assert result.returncode == 1, out + result.stderr  # the broken case is reported
    assert "FAILED    broken.toml (exit 3)" in out
    for crn in ("X100001", "X100002", "X100003", "X100004", "X100005"):
        assert f"assessed  {crn}.toml" in out
        assert (tmp_path / "plans" / f"{crn}.plan.toml").exists()
    assert "scheduled X100001.plan.toml" in out
    assert "scheduled X100004.plan.toml" in out
    assert "assessed  X100002.toml\n          (no RAR days ordered yet" in out  # pre-sentence
    assert "X100001" in out.split("\n\n", 1)[1]  # the status table lists the caseload
    # Run again: nothing is overwritten, and it says so.
    again = subprocess.run(
        ["bash", str(SCRIPT), str(cases), str(tmp_path / "plans")],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert "kept      X100001.toml (plan exists)" in again.stdout
    assert "scheduled" not in again.stdout
