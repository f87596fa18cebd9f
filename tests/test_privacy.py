"""Nothing leaked (issue 6): a person's name and date of birth stay in the plan file only.

They never appear in output, messages, file names, calendars or documents unless asked for
with --with-names, and every file rarplan writes is readable by the owner only.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from rarplan.cli.app import build
from tests.conftest import REPO

NAME = "Zebedee Quillfeather"
DOB = "1990-04-17"
runner = CliRunner()


def run(*args: str):
    result = runner.invoke(build(), list(args))
    return result, result.stdout + result.stderr


def test_name_and_date_of_birth_never_leak(tmp_path: Path):
    case = (REPO / "examples" / "cases" / "X100001.toml").read_text()
    case = case.replace('crn = "X100001"', f'crn = "X100001"\nname = "{NAME}"')
    case = case.replace("age = 34\n", f"date_of_birth = {DOB}\n")
    (tmp_path / "case.toml").write_text(case)
    outputs = []
    steps = [
        ("assess", "case.toml"),
        ("assess", "case.toml", "--json", "--no-plan"),
        ("assess", "case.toml"),  # refused: the plan exists (exit 5)
        ("schedule", "X100001.plan.toml", "--ics", "X100001.ics"),
        (
            "attend",
            "X100001.plan.toml",
            "--attendance",
            str(REPO / "examples" / "attendance.csv"),
            "--today",
            "2027-03-02",
        ),
        (
            "complete",
            "X100001.plan.toml",
            "--outcomes",
            str(REPO / "examples" / "outcomes.toml"),
            "--today",
            "2027-03-02",
            "--no-input",
            "--confirmed-by",
            "RO 1",
            "--rationale",
            "r",
            "--progress",
            "p",
            "--outcome",
            "o",
        ),
        ("verify", "X100001.completion.toml", "X100001.plan.toml"),
        ("status", ".", "--today", "2027-03-02"),
        ("render", "X100001.plan.toml", "--for", "person", "--out", "person.html"),
        ("render", "X100001.plan.toml", "--for", "person"),  # court: pre-sentence only
        ("render", "X100001.plan.toml", "--for", "referral"),
    ]
    for step in steps:
        result, text = run(*step)
        assert result.exit_code in (0, 5), (step, text)
        outputs.append(text)
    everything = "\n".join(outputs)
    assert NAME not in everything and "Quillfeather" not in everything
    assert DOB not in everything
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert all("Quillfeather" not in p.name for p in files)
    for path in files:
        if path.name in ("case.toml",) or path.parent.name == ".cache":
            continue
        assert oct(path.stat().st_mode & 0o777) == "0o600", path
        text = path.read_text(errors="replace")
        if not path.name.endswith(".plan.toml") and ".rarplan-history" not in str(path):
            assert "Quillfeather" not in text, path.name
    assert NAME in (tmp_path / "X100001.plan.toml").read_text()  # kept in the plan only


def test_with_names_puts_the_name_in_exports_when_asked(tmp_path: Path):
    case = (REPO / "examples" / "cases" / "X100001.toml").read_text()
    (tmp_path / "case.toml").write_text(
        case.replace('crn = "X100001"', f'crn = "X100001"\nname = "{NAME}"')
    )
    os.chdir(tmp_path)
    assert run("assess", "case.toml")[0].exit_code == 0
    assert run("schedule", "X100001.plan.toml", "--ics", "a.ics", "--with-names")[0].exit_code == 0
    assert "Quillfeather" in Path("a.ics").read_text()
    result, text = run("render", "X100001.plan.toml", "--for", "person", "--with-names")
    assert result.exit_code == 0 and "Quillfeather" in result.stdout


def _plugin_package(folder: Path, marker: Path) -> dict[str, str]:
    """A pydantic plugin, installed as a package's entry point in `folder`, that writes
    `marker` when pydantic loads it: what an observability service's plugin would do, seeing
    every value a model checks. The environment that puts it on Python's path."""
    (folder / "spy_plugin.py").write_text(
        "from pathlib import Path\n"
        f"Path({str(marker)!r}).write_text('loaded')\n"
        "class Plugin:\n"
        "    def new_schema_validator(self, *args, **kwargs):\n"
        "        return None, None, None\n"
        "plugin = Plugin()\n"
    )
    info = folder / "spy_plugin-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: spy-plugin\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("[pydantic]\nspy = spy_plugin:plugin\n")
    env = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    return {**env, "PYTHONPATH": os.pathsep.join([str(folder), str(REPO)])}


def test_the_command_line_runs_no_pydantic_plugin(tmp_path: Path):
    """A case's criminal-offence data is seen by no third-party code (docs/data.md, "Your
    data"): a pydantic plugin installed beside rarplan is never loaded by a command, though
    pydantic loads it for any other program (the control below)."""
    marker = tmp_path / "loaded"
    env = _plugin_package(tmp_path, marker)
    control = "import pydantic\nclass M(pydantic.BaseModel):\n    x: int\nM(x=1)\n"
    subprocess.run([sys.executable, "-c", control], env=env, check=True, timeout=60)
    assert marker.read_text() == "loaded"  # pydantic does load it, so the test can fail
    marker.unlink()
    case = REPO / "examples" / "cases" / "X100001.toml"
    command = [sys.executable, "-m", "rarplan", "assess", str(case), "--no-input", "--no-plan"]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert not marker.exists()
