"""The library API (rarplan/__init__.py): the README's example runs as written and prints what
its comments say, and `import rarplan` stays cheap (every command imports it)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

import rarplan
from rarplan.model.errors import InvalidInput, RefusedByRules
from tests.conftest import REPO

MARKER = "<!-- library-example -->"
EXAMPLES = REPO / "examples"


def readme_example() -> str:
    """The ```python block right after the marker in README.md."""
    after = (REPO / "README.md").read_text(encoding="utf-8").split(MARKER, 1)[1]
    block = after.split("```python\n", 1)[1].split("\n```", 1)[0]
    assert not after.split("```python\n", 1)[0].strip(), "the code block must follow the marker"
    return block + "\n"


def run_python(code: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=cwd, env=env, timeout=120
    )


def test_the_readme_example_runs_and_prints_what_it_says(tmp_path: Path) -> None:
    shutil.copytree(EXAMPLES, tmp_path / "examples")
    code = readme_example()
    result = run_python(code, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    # each print(...) line's trailing comment is what it prints
    expected = [
        line.split("#", 1)[1].strip() for line in code.splitlines() if line.startswith("print(")
    ]
    assert expected and result.stdout.splitlines() == expected
    saved = rarplan.load_plan(tmp_path / "X100001.plan.toml")
    assert saved.completion is not None and saved.completion.status == "completed_early"
    assert (tmp_path / "X100001.plan.toml").stat().st_mode & 0o777 == 0o600


def test_importing_rarplan_imports_nothing_heavy(tmp_path: Path) -> None:
    code = (
        "import sys, rarplan; print(sorted(m for m in sys.modules "
        "if m.split('.')[0] in ('rarplan', 'typing', 'pydantic', 'typer', 'rich')))"
    )
    result = run_python(code, tmp_path)
    assert result.returncode == 0, result.stderr
    # the two stage packages' __init__ files (a docstring each) are bound first; see __init__
    assert result.stdout.strip() == "['rarplan', 'rarplan.assess', 'rarplan.schedule']"


def test_the_stage_functions_stay_functions_once_their_packages_are_imported(
    tmp_path: Path,
) -> None:
    """`rarplan.assess` is both a function and a package (`rarplan/assess/`): importing the
    package, as the first call does, must not replace the function."""
    code = (
        "import rarplan\n"
        "from rarplan.assess import assessment\n"
        "from rarplan.schedule import make\n"
        "import rarplan.assess.bands\n"
        "plan = rarplan.assess('examples/cases/X100001.toml')\n"
        "plan = rarplan.assess('examples/cases/X100001.toml')\n"
        "plan = rarplan.schedule(plan)\n"
        "plan = rarplan.schedule(plan, replan_from=plan.schedule.start, reason='again')\n"
        "print(callable(rarplan.assess), callable(rarplan.schedule), plan.schedule.version)\n"
    )
    shutil.copytree(EXAMPLES, tmp_path / "examples")
    result = run_python(code, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True", "2"]


def test_every_public_function_is_documented() -> None:
    for name in rarplan.__all__:
        if name != "__version__":
            assert (getattr(rarplan, name).__doc__ or "").strip(), name


def test_the_stages_in_memory_write_nothing(tmp_path: Path) -> None:
    catalogue = rarplan.load_catalogue()
    case = rarplan.load_case(EXAMPLES / "cases" / "X100001.toml")
    plan = rarplan.schedule(rarplan.assess(case, catalogue), catalogue, by="RO 4471")
    assert plan.schedule is not None and plan.schedule.rar_days_planned == 18
    assert (plan.history[-1].action, plan.history[-1].by) == ("schedule", "RO 4471")
    plan = rarplan.record_attendance(plan, EXAMPLES / "attendance.csv", today=date(2027, 3, 2))
    assert len(plan.attendance) == 10
    referral = rarplan.render(plan, catalogue, "referral")  # court: pre-sentence only
    assert "X100001" in referral
    # Nothing but rarplan's cache (the checked catalogue, the compiled templates), which the
    # tests' fixture puts in tmp_path/.cache (XDG_CACHE_HOME).
    assert [p.name for p in tmp_path.iterdir() if p.name != ".cache"] == []


def test_errors_are_the_domain_exceptions(tmp_path: Path) -> None:
    (tmp_path / "bad.toml").write_text('crn = "nope"\n', encoding="utf-8")
    with pytest.raises(InvalidInput) as bad:
        rarplan.assess(tmp_path / "bad.toml")
    assert "bad.toml" in str(bad.value)
    plan = rarplan.schedule(rarplan.assess(EXAMPLES / "cases" / "X100001.toml"))
    plan = rarplan.record_attendance(plan, EXAMPLES / "attendance.csv", today=date(2027, 3, 2))
    with pytest.raises(RefusedByRules, match="early"):
        rarplan.complete(
            plan, outcomes=EXAMPLES / "outcomes.toml", confirmed_by="RO", today=date(2027, 3, 2)
        )
    assert plan.completion is None
