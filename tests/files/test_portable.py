"""rarplan runs where officers work: nothing Unix-only at import, locks that work everywhere.

Windows has no fcntl, termios, pwd, grp or resource. A module that imports one of them at the
top stops `import rarplan` on most probation officers' laptops, so every module is imported
here with those made unavailable (a module set to None in sys.modules cannot be imported).
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from rarplan.files import storage
from rarplan.model.errors import FileLocked
from tests.conftest import REPO

UNIX_ONLY = ("fcntl", "termios", "pwd", "grp", "resource")

BLOCK = textwrap.dedent(
    f"""
    import sys
    sys.path.insert(0, {str(REPO)!r})
    for name in {UNIX_ONLY!r}:
        sys.modules[name] = None  # `import name` now raises ImportError, as on Windows
    """
)


def rarplan_modules() -> list[str]:
    """Every module under rarplan/, by its dotted name, but `__main__` (it runs the CLI)."""
    names = []
    for path in sorted((REPO / "rarplan").rglob("*.py")):
        parts = path.relative_to(REPO).with_suffix("").parts
        if parts[-1] == "__main__":
            continue
        if parts[-1] == "__init__":
            parts = parts[:-1]
        names.append(".".join(parts))
    return names


def run_python(code: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", BLOCK + code, *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
    )


def test_the_blocker_blocks():
    result = run_python("import fcntl")
    assert result.returncode != 0
    assert "ImportError" in result.stderr or "ModuleNotFoundError" in result.stderr


def test_every_module_imports_without_unix_only_modules():
    modules = rarplan_modules()
    assert len(modules) > 50 and "rarplan.files.storage" in modules
    code = textwrap.dedent(
        """
        import importlib, traceback
        failed = []
        for name in sys.argv[1:]:
            try:
                importlib.import_module(name)
            except Exception:
                failed.append(name + ": " + traceback.format_exc(limit=-1).strip())
        print("\\n".join(failed))
        """
    )
    result = run_python(code, *modules)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", "cannot be imported on Windows:\n" + result.stdout


def test_the_cli_starts_without_unix_only_modules():
    code = (
        "import runpy; sys.argv[1:] = ['--help']; runpy.run_module('rarplan', run_name='__main__')"
    )
    result = run_python(code)
    assert result.returncode == 0, result.stderr
    assert "assess" in result.stdout


def test_a_second_holder_in_another_thread_times_out_with_exit_5(tmp_path: Path):
    """The lock is per holder, not per process: two threads exclude each other too."""
    target = tmp_path / "X123456.plan.toml"
    target.write_text("x")
    holding, done = threading.Event(), threading.Event()

    def hold() -> None:
        with storage.locked(target, timeout=5):
            holding.set()
            done.wait(30)

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert holding.wait(30)
        with pytest.raises(FileLocked) as err, storage.locked(target, timeout=0.2):
            pass
        assert err.value.code == 5
    finally:
        done.set()
        holder.join(30)
    with storage.locked(target, timeout=5):  # and free once the first has let go
        pass
