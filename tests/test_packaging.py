"""`pipx install .` then `rarplan` from any folder: the wheel carries the catalogue and the
templates (issue 2)."""

from __future__ import annotations

import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from tests.conftest import REPO


@pytest.mark.slow
def test_the_wheel_installs_and_runs_from_another_folder(tmp_path: Path):
    wheels = tmp_path / "wheels"
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(wheels), str(REPO)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    if build.returncode != 0:
        pytest.skip(f"cannot build a wheel here: {build.stderr.strip()[-300:]}")
    wheel = next(wheels.glob("rarplan-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "rarplan/data/interventions.toml" in names
    assert "rarplan/documents/templates/person.html.j2" in names
    env_dir = tmp_path / "env"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "-q", str(wheel)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    if install.returncode != 0:
        pytest.skip(f"cannot install dependencies here: {install.stderr.strip()[-300:]}")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    check = subprocess.run(
        [str(env_dir / "bin" / "rarplan"), "catalogue", "check"],
        capture_output=True,
        text=True,
        cwd=elsewhere,
        timeout=120,
    )
    assert check.returncode == 0, check.stderr
    # Both shipped catalogues, the default (docs/data.md, "Choosing catalogues").
    assert "site-packages/rarplan/data/structured-interventions.toml + " in check.stderr
    assert "site-packages/rarplan/data/interventions.toml: ok, 51 interventions" in check.stderr
