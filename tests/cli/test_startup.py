"""Start-up (issue 15): Ctrl-C before the command runs, the garbage collector during start-up,
and what each command's path imports (docs/speed.md). Speed itself is measured in bench/,
never asserted here."""

from __future__ import annotations

import functools
import gc
import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from rarplan.cli import main as cli_main
from tests.conftest import REPO

CASE = REPO / "examples" / "cases" / "X100001.toml"
posix_only = pytest.mark.skipif(os.name != "posix", reason="sends SIGINT to a child process")


@pytest.fixture
def collector() -> Iterator[None]:
    """`run` freezes what start-up made: give the test process its collector back as it was."""
    yield
    gc.enable()
    gc.unfreeze()


# --- Ctrl-C during start-up --------------------------------------------------------------


def _interrupted_at(marker: str, args: list[str], cwd: Path) -> tuple[int, list[str]]:
    """Run `python -X importtime -m rarplan ARGS` and send it SIGINT once the import-time line
    of module `marker` shows (the module is loaded, the command has not run yet). Returns
    the exit code and the stderr lines that are not import times."""
    child = subprocess.Popen(
        [sys.executable, "-X", "importtime", "-m", "rarplan", *args],
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stderr is not None
    others: list[str] = []
    try:
        for line in child.stderr:
            if not line.startswith("import time:"):
                others.append(line.rstrip("\n"))
            elif line.rstrip().endswith(f" {marker}"):  # "import time: 329 | 40736 |   typer"
                child.send_signal(signal.SIGINT)
                break
        _, rest = child.communicate(timeout=60)
    finally:
        child.kill()
    others += [line for line in rest.splitlines() if not line.startswith("import time:")]
    return child.returncode, [line for line in others if line.strip()]


@posix_only
def test_ctrl_c_while_typer_loads_exits_130_with_one_line(tmp_path: Path) -> None:
    """SIGINT while the app is being imported (typer loaded, the command not yet run): exit 130
    and the one line the command itself would give, no traceback, nothing written."""
    plan = tmp_path / "X100001.plan.toml"
    args = ["assess", str(CASE), "--no-input", "--out", str(plan)]
    code, lines = _interrupted_at("typer", args, tmp_path)
    assert (code, lines) == (130, ["rarplan: interrupted"])
    assert not plan.exists()


@posix_only
def test_ctrl_c_as_python_dash_m_loads_rarplan_exits_130(tmp_path: Path) -> None:
    """SIGINT as soon as `rarplan.cli.main` is loaded (in `python -m rarplan`, before `run`
    or at its start): the same one line and exit 130."""
    code, lines = _interrupted_at("rarplan.cli.main", ["band", "62"], tmp_path)
    assert (code, lines) == (130, ["rarplan: interrupted"])


@posix_only
def test_ctrl_c_during_start_up_under_json_gives_the_json_error(tmp_path: Path) -> None:
    code, lines = _interrupted_at("typer", ["band", "62", "--json"], tmp_path)
    assert code == 130
    assert [json.loads(line)["error"]["code"] for line in lines] == ["interrupted"]


def test_an_interrupt_before_the_command_runs_is_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], collector: None
) -> None:
    """The same in-process, on every platform: KeyboardInterrupt while the app is built."""

    def interrupted(args: list[str]) -> Any:
        raise KeyboardInterrupt

    monkeypatch.setattr("rarplan.cli.app.get_command", interrupted)
    with pytest.raises(SystemExit) as exited:
        cli_main.run(["band", "62"])
    assert exited.value.code == 130
    captured = capsys.readouterr()
    assert (captured.out, captured.err.strip()) == ("", "rarplan: interrupted")
    with pytest.raises(SystemExit) as exited:
        cli_main.run(["band", "62", "--json"])
    assert exited.value.code == 130
    error = json.loads(capsys.readouterr().err)["error"]
    assert (error["code"], error["exit_code"]) == ("interrupted", 130)


# --- the garbage collector ---------------------------------------------------------------


def test_the_collector_is_off_for_start_up_and_on_for_the_command(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], collector: None
) -> None:
    """Off while typer and the command's modules load; on (with start-up's objects frozen, a
    pass every YOUNG_OBJECTS new objects) when the command runs, as a batch of 100,000 cases
    needs; on again, as it was, when `run` ends."""
    from rarplan.cli.commands import band

    seen: dict[str, bool] = {}
    original = band.band

    @functools.wraps(original)
    def spy(*args: Any, **kwargs: Any) -> Any:
        seen["enabled"] = gc.isenabled()
        seen["frozen"] = gc.get_freeze_count() > 0
        seen["young"] = gc.get_threshold()[0] == cli_main.YOUNG_OBJECTS
        return original(*args, **kwargs)

    monkeypatch.setattr(band, "band", spy)
    before = gc.get_threshold()
    with pytest.raises(SystemExit) as exited:
        cli_main.run(["band", "62", "--json"])
    assert exited.value.code == 0
    assert json.loads(capsys.readouterr().out)["band"] == "medium"
    assert seen == {"enabled": True, "frozen": True, "young": True}
    assert gc.isenabled() and gc.get_threshold() == before


def test_end_startup_leaves_a_running_collector_alone(collector: None) -> None:
    """In-process callers (the tests' runner, a script) keep Python's defaults: nothing frozen."""
    gc.unfreeze()
    cli_main.end_startup()
    assert gc.isenabled() and gc.get_freeze_count() == 0


# --- what each command's path imports -----------------------------------------------------

HEAVY = ("rich", "jinja2", "questionary", "holidays", "icalendar")
IMPORTS = (
    "import sys, atexit\n"
    "from rarplan.cli.main import run\n"
    "heavy = sys.argv[1].split(',')\n"
    "atexit.register(lambda: sys.__stderr__.write('IMPORTED ' + ' '.join(sorted(\n"
    "    {m.split('.')[0] for m in sys.modules} & set(heavy))) + '\\n'))\n"
    "run(sys.argv[2:])\n"
)


def _heavy_imports(args: list[str], cwd: Path) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-c", IMPORTS, ",".join(HEAVY), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    line = [x for x in done.stderr.splitlines() if x.startswith("IMPORTED")][-1]
    return set(line.split()[1:])


def test_each_command_imports_only_the_libraries_its_path_needs(tmp_path: Path) -> None:
    """rich only for a table or styled text on a terminal (never under --json, nor when the
    output is piped, as here), jinja2 only in render: a lazy import moved to module level
    shows here."""
    plan = str(tmp_path / "X100001.plan.toml")
    assess = ["assess", str(CASE), "--no-input", "--out", plan]
    assert _heavy_imports([*assess, "--json"], tmp_path) == set()
    assert _heavy_imports(["schedule", plan, "--json"], tmp_path) == set()
    assert _heavy_imports(["show", plan, "--json"], tmp_path) == set()
    assert _heavy_imports(["status", str(tmp_path), "--json"], tmp_path) == set()
    assert _heavy_imports(["status", str(tmp_path)], tmp_path) == set()  # piped: plain lines
    assert _heavy_imports(["catalogue", "show", "mentor-support", "--json"], tmp_path) == set()
    assert _heavy_imports(["band", "62"], tmp_path) == set()
    html = str(tmp_path / "X100001.person.html")
    render = ["render", plan, "--for", "person", "--format", "html", "--out", html, "--json"]
    assert _heavy_imports(render, tmp_path) == {"jinja2"}
