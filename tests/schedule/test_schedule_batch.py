"""`rarplan schedule --batch`: each plan durable before its line; nothing else flushed.

Issue 15, "Batch durability done right": fsync the files written and their folder, never
`os.sync()`; a batch stopped midway leaves each plan as it was or scheduled, and running it
again goes on (plans already scheduled are skipped, not failures).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rarplan.cli.app import build
from rarplan.files.planfile import load_plan, save_plan
from rarplan.schedule import batch
from tests import factories

runner = CliRunner()


def caseload(folder: Path, count: int) -> list[Path]:
    folder.mkdir()
    paths = []
    for n in range(count):
        crn = f"A{n:06d}"
        path = folder / f"{crn}.plan.toml"
        save_plan(factories.plan(["job-club"], crn=crn), path)
        paths.append(path)
    return paths


def test_each_plan_and_its_folder_are_fsynced_and_nothing_else_is_flushed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = caseload(tmp_path / "caseload", 7)

    def no_sync() -> None:
        raise AssertionError("os.sync() called")

    synced: set[int] = set()
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        synced.add(os.fstat(fd).st_ino)
        real_fsync(fd)

    monkeypatch.setattr(os, "sync", no_sync)
    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(batch, "CHUNK", 3)  # three chunks
    result = runner.invoke(build(), ["schedule", "--batch", str(tmp_path / "caseload"), "--json"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r.get("file") for r in rows[:-1]] == [str(p) for p in paths]
    assert {r.get("status") for r in rows[:-1]} == {"scheduled"}
    assert {p.stat().st_ino for p in paths} <= synced
    assert (tmp_path / "caseload").stat().st_ino in synced
    assert all(load_plan(p)[0].schedule is not None for p in paths)


def test_a_rerun_skips_what_was_scheduled_and_schedules_the_rest(tmp_path: Path) -> None:
    """As if stopped after the first plans: those are skipped, the others scheduled."""
    paths = caseload(tmp_path / "caseload", 5)
    first = runner.invoke(build(), ["schedule", *map(str, paths[:2]), "--json"])
    assert first.exit_code == 0, first.output
    again = runner.invoke(build(), ["schedule", "--batch", str(tmp_path / "caseload"), "--json"])
    assert again.exit_code == 0, again.output
    rows = [json.loads(line) for line in again.stdout.splitlines()]
    assert [r.get("status") for r in rows[:-1]] == ["skipped"] * 2 + ["scheduled"] * 3
    assert rows[-1]["summary"] == {"scheduled": 3, "skipped": 2, "failed": 0, "plans": 5}


def test_a_plan_given_twice_is_scheduled_once_then_skipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A chunk holds each plan's lock until its plans are written: a plan given twice goes in
    the next chunk the second time, rather than wait for its own lock."""
    (path,) = caseload(tmp_path / "caseload", 1)
    monkeypatch.setenv("RARPLAN_LOCK_TIMEOUT", "0")
    result = runner.invoke(build(), ["schedule", str(path), str(path), "--json"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r.get("status") for r in rows[:-1]] == ["scheduled", "skipped"]


def test_a_plan_that_cannot_be_written_fails_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = caseload(tmp_path / "caseload", 3)
    from rarplan.files import storage

    real_write = storage.atomic_write

    def atomic_write(path: Path, data: bytes, **how: bool) -> None:
        if Path(path) == paths[1]:
            raise OSError("disk full")
        real_write(path, data, **how)

    monkeypatch.setattr(storage, "atomic_write", atomic_write)
    before = paths[1].read_bytes()
    result = runner.invoke(build(), ["schedule", "--batch", str(tmp_path / "caseload"), "--json"])
    assert result.exit_code == 1, result.output  # an unexpected error: exit 1, as a bug
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r.get("status") for r in rows[:-1]] == ["scheduled", "failed", "scheduled"]
    assert rows[1] == {
        "schema_version": 1,
        "file": str(paths[1]),
        "status": "failed",
        "error": rows[1]["error"],
    }
    assert paths[1].read_bytes() == before
