"""Nothing lost, nothing leaked: atomic owner-only writes, no clobbering, locks, versions."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
import tomli_w

from rarplan.files import planfile, storage
from rarplan.model.errors import FileLocked, InvalidInput, WouldOverwrite
from tests import factories
from tests.conftest import REPO

POSIX_MODES = pytest.mark.skipif(os.name == "nt", reason="Windows has no POSIX mode bits")


def mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


@POSIX_MODES
@pytest.mark.parametrize("umask", [0o000, 0o022, 0o077, 0o277, 0o577])
def test_files_are_owner_only_whatever_the_umask(tmp_path, umask):
    old = os.umask(umask)
    try:
        target = tmp_path / "X123456.plan.toml"
        storage.atomic_write(target, "x = 1\n", durable=False)
        storage.atomic_write(target, "x = 2\n", overwrite=True)
    finally:
        os.umask(old)
    assert mode(target) == 0o600
    assert target.read_text() == "x = 2\n"
    assert mode(tmp_path / storage.HISTORY_DIR) & 0o077 == 0


def test_existing_file_is_never_overwritten_without_force(tmp_path):
    target = tmp_path / "a.toml"
    storage.atomic_write(target, "old")
    with pytest.raises(WouldOverwrite, match="already exists") as err:
        storage.atomic_write(target, "new")
    assert err.value.code == 5
    assert target.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.toml"]


def test_forced_overwrite_keeps_the_previous_version(tmp_path):
    target = tmp_path / "a.toml"
    storage.atomic_write(target, "old")
    storage.atomic_write(target, "new", overwrite=True)
    assert target.read_text() == "new"
    kept = list((tmp_path / storage.HISTORY_DIR).iterdir())
    assert [k.read_text() for k in kept] == ["old"]
    if os.name != "nt":
        assert mode(kept[0]) == 0o600
        assert mode(tmp_path / storage.HISTORY_DIR) == 0o700


def test_overwrite_without_keep_leaves_no_history(tmp_path):
    target = tmp_path / "a.toml"
    storage.atomic_write(target, "old")
    storage.atomic_write(target, "new", overwrite=True, keep=False)
    assert target.read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.toml"]


def test_bytes_are_written_as_they_are(tmp_path):
    """No newline translation (Windows text mode), no encoding surprises."""
    target = tmp_path / "a.toml"
    storage.atomic_write(target, b"a\nb\r\nc\x00")
    assert target.read_bytes() == b"a\nb\r\nc\x00"
    storage.atomic_write(tmp_path / "b.toml", "é\n")
    assert (tmp_path / "b.toml").read_bytes() == "é\n".encode()


def test_no_temporary_files_are_left_behind(tmp_path):
    storage.atomic_write(tmp_path / "a.toml", "x")
    storage.atomic_write(tmp_path / "a.toml", "y", overwrite=True, keep=False)
    with pytest.raises(WouldOverwrite):
        storage.atomic_write(tmp_path / "a.toml", "z")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.toml"]


def test_folders_and_missing_folders_are_clear_errors(tmp_path):
    (tmp_path / "folder").mkdir()
    for overwrite in (False, True):
        with pytest.raises(InvalidInput, match="is a folder"):
            storage.atomic_write(tmp_path / "folder", "x", overwrite=overwrite)
        with pytest.raises(InvalidInput, match="folder does not exist"):
            storage.atomic_write(tmp_path / "missing" / "a.toml", "x", overwrite=overwrite)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["folder"]
    assert list((tmp_path / "folder").iterdir()) == []


@pytest.fixture
def no_hard_links(monkeypatch):
    """A file system that refuses hard links, as FAT and some network shares do."""

    def refuse(src, dst, **kwargs):
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", refuse)


def test_without_hard_links_a_new_file_is_still_written_whole_and_private(tmp_path, no_hard_links):
    target = tmp_path / "X123456.plan.toml"
    old = os.umask(0)
    try:
        storage.atomic_write(target, "x = 1\n")
    finally:
        os.umask(old)
    assert target.read_text() == "x = 1\n"
    if os.name != "nt":
        assert mode(target) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["X123456.plan.toml"]


def test_without_hard_links_an_existing_file_is_still_refused(tmp_path, no_hard_links):
    target = tmp_path / "a.toml"
    target.write_text("old")
    with pytest.raises(WouldOverwrite, match="already exists"):
        storage.atomic_write(target, "new")
    (tmp_path / "folder").mkdir()
    with pytest.raises(InvalidInput, match="is a folder"):
        storage.atomic_write(tmp_path / "folder", "x")
    assert target.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.toml", "folder"]


def test_without_hard_links_a_failed_move_gives_the_name_back(tmp_path, no_hard_links, monkeypatch):
    def broken_replace(src, dst):
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(InvalidInput, match="a.toml: cannot write: Input/output error"):
        storage.atomic_write(tmp_path / "a.toml", "x")
    assert list(tmp_path.iterdir()) == []


def test_a_failed_write_leaves_nothing(tmp_path, monkeypatch):
    def full_disk(fd, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "write", full_disk)
    with pytest.raises(InvalidInput, match="a.toml: cannot write: the disk is full"):
        storage.atomic_write(tmp_path / "a.toml", "x")
    assert list(tmp_path.iterdir()) == []


def test_files_written_without_fsync_can_be_synced_afterwards(tmp_path):
    names = [tmp_path / f"{n}.toml" for n in range(3)]
    for name in names:
        storage.atomic_write(name, "x", durable=False)
    storage.sync_written([*names, tmp_path / "gone.toml"])  # a missing file is no error
    assert [n.read_text() for n in names] == ["x", "x", "x"]


WRITER = textwrap.dedent(
    """
    import sys
    sys.path.insert(0, {repo!r})
    from rarplan.files.storage import atomic_write
    n = 0
    print("ready", flush=True)
    while True:
        n += 1
        atomic_write(sys.argv[1], (str(n % 10) * 4_000_000), overwrite=True, keep=False)
    """
)


def test_a_writer_killed_midway_leaves_a_whole_file(tmp_path):
    """Kill a writer at moments along its work: the file is always one whole version."""
    target = tmp_path / "plan.toml"
    target.write_text("0" * 4_000_000)
    script = tmp_path / "writer.py"
    script.write_text(WRITER.format(repo=str(REPO)))
    for delay in (0.05, 0.13, 0.31):
        proc = subprocess.Popen(
            [sys.executable, str(script), str(target)], stdout=subprocess.PIPE, text=True
        )
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        time.sleep(delay)
        proc.kill()  # SIGKILL on POSIX, TerminateProcess on Windows: no clean-up runs
        proc.wait()
        data = target.read_text()
        assert len(data) == 4_000_000
        assert len(set(data)) == 1


HOLDER = textwrap.dedent(
    """
    import sys, time
    sys.path.insert(0, {repo!r})
    from rarplan.files.storage import locked
    with locked(sys.argv[1]):
        print("locked", flush=True)
        time.sleep(60)
    """
)


def test_a_second_writer_fails_with_exit_5_naming_the_lock(tmp_path):
    target = tmp_path / "X123456.plan.toml"
    target.write_text("x")
    script = tmp_path / "holder.py"
    script.write_text(HOLDER.format(repo=str(REPO)))
    proc = subprocess.Popen(
        [sys.executable, str(script), str(target)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
        with pytest.raises(FileLocked) as err, storage.locked(target, timeout=0.3):
            pass
        assert err.value.code == 5
        assert ".X123456.plan.toml.lock" in err.value.message
    finally:
        proc.kill()
        proc.wait()
    with storage.locked(target, timeout=1):  # free again once the holder has gone
        pass


def test_the_lock_is_owner_only_and_names_no_one(tmp_path):
    target = tmp_path / "X123456.plan.toml"
    target.write_text("x")
    old = os.umask(0)
    try:
        with storage.locked(target):
            lock_file = tmp_path / ".X123456.plan.toml.lock"
            assert lock_file.exists()
            if os.name != "nt":
                assert mode(lock_file) == 0o600
    finally:
        os.umask(old)
    if lock_file.exists():  # kept on POSIX so waiters share one file; always empty
        assert lock_file.read_bytes() == b""


def test_a_missing_plan_takes_no_lock(tmp_path):
    for missing, message in [("nope/X.plan.toml", "file not found"), (".", "not a file")]:
        with pytest.raises(InvalidInput, match=message), storage.locked(tmp_path / missing):
            pass
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("value", ["soon", "-1", "nan", "inf", "5s"])
def test_a_lock_timeout_that_is_not_seconds_is_an_input_error(tmp_path, monkeypatch, value):
    target = tmp_path / "X123456.plan.toml"
    target.write_text("x")
    monkeypatch.setenv(storage.LOCK_TIMEOUT_ENV, value)
    with pytest.raises(InvalidInput, match="RARPLAN_LOCK_TIMEOUT") as err, storage.locked(target):
        pass
    assert err.value.code == 3


@pytest.mark.parametrize(("value", "seconds"), [("0", 0.0), ("2.5", 2.5), ("", 5.0), (None, 5.0)])
def test_the_lock_timeout_is_read_from_the_environment(monkeypatch, value, seconds):
    if value is None:
        monkeypatch.delenv(storage.LOCK_TIMEOUT_ENV, raising=False)
    else:
        monkeypatch.setenv(storage.LOCK_TIMEOUT_ENV, value)
    assert storage.lock_timeout() == seconds


def test_plan_round_trips_and_is_private(tmp_path):
    plan = factories.plan()
    path = tmp_path / "X123456.plan.toml"
    planfile.save_plan(plan, path)
    assert mode(path) == 0o600
    loaded, raw = planfile.load_plan(path)
    assert loaded == plan
    assert raw == path.read_bytes()


def test_newer_schema_version_is_refused_not_misread(tmp_path):
    path = tmp_path / "X123456.plan.toml"
    path.write_text(
        planfile.dump_plan(factories.plan()).replace("schema_version = 3", "schema_version = 99")
    )
    with pytest.raises(InvalidInput, match="schema_version 99 is newer"):
        planfile.load_plan(path)


def test_older_versions_are_migrated_on_read(monkeypatch):
    """A rarplan that knows schema N+1 reads a schema-N plan through the migration registry."""
    import tomllib

    data = tomllib.loads(planfile.dump_plan(factories.plan()))
    data["officer"] = data.pop("responsible_officer")  # suppose schema 2 called it "officer"

    def v2_to_v3(doc):
        doc["responsible_officer"] = doc.pop("officer")
        return doc

    data["schema_version"] = 3
    monkeypatch.setattr(planfile, "SCHEMA_VERSION", 4)
    monkeypatch.setitem(planfile.MIGRATIONS, 3, v2_to_v3)
    plan = planfile.parse_plan(data, "old.toml")
    assert plan.responsible_officer == "RO Test"
    assert plan.schema_version == 4


def test_a_version_1_plan_loads_without_the_catalogue_facts_it_repeated(tmp_path):
    """Schema 1 repeated each entry's needs and flags in every result; schema 2 keeps the
    judgement (status, reasons, whether it meets a need) and leaves the rest to the catalogue."""
    import tomllib

    from rarplan.assess.assessment import assess
    from rarplan.catalogue import load as catalogue
    from rarplan.files.caseio import load_case

    case, _ = load_case(REPO / "examples" / "cases" / "X100001.toml")
    plan = assess(case, catalogue.load())
    doc = tomllib.loads(planfile.dump_plan(plan))
    assert len(doc["assessment"]["interventions"]) == len(plan.assessment.interventions) > 30
    doc["schema_version"] = 1
    for result in doc["assessment"]["interventions"]:
        result.update(needs=["accommodation"], accredited=False, counts_towards_rar=True)
    path = tmp_path / "X123456.plan.toml"
    path.write_text(tomli_w.dumps(doc))
    loaded, raw = planfile.load_plan(path)
    assert loaded.schema_version == 3  # through every migration
    assert loaded.assessment.interventions == plan.assessment.interventions
    assert raw == path.read_bytes()  # read as it is: only a save writes version 2
    assert "counts_towards_rar" not in planfile.dump_plan(loaded)


@pytest.mark.parametrize(
    "crn", ["../X123456", "X12345", "X1234567", "1234567", "X12345/", "X123456\x00", "ＸＸ"]
)
def test_crn_is_validated_before_any_file_name(crn):
    with pytest.raises(ValueError):
        factories.case(crn=crn)
