"""Nothing lost, nothing leaked: atomic owner-only writes, no clobbering, locks, versions."""

from __future__ import annotations

import errno
import os
import signal
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


def mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


def test_files_are_owner_only_whatever_the_umask(tmp_path):
    old = os.umask(0)
    try:
        target = tmp_path / "X123456.plan.toml"
        storage.atomic_write(target, "x = 1\n")
    finally:
        os.umask(old)
    assert mode(target) == 0o600


@pytest.mark.parametrize("umask", [0o022, 0o077, 0o277, 0o577])
def test_owner_only_when_the_umask_takes_the_owners_bits_too(tmp_path, monkeypatch, umask):
    # The mode is set again only when the umask cut it; which is read once, from /proc.
    monkeypatch.setattr(storage, "_OWNER_KEPT", [])
    old = os.umask(umask)
    try:
        assert storage._umask_keeps_owner() is (umask & 0o600 == 0)
        target = tmp_path / "X123456.plan.toml"
        storage.atomic_write(target, "x = 1\n", durable=False)
    finally:
        os.umask(old)
    assert mode(target) == 0o600
    assert target.read_text() == "x = 1\n"


def test_existing_file_is_never_overwritten_without_force(tmp_path):
    target = tmp_path / "a.toml"
    storage.atomic_write(target, "old")
    with pytest.raises(WouldOverwrite, match="already exists"):
        storage.atomic_write(target, "new")
    assert target.read_text() == "old"


def test_forced_overwrite_keeps_the_previous_version(tmp_path):
    target = tmp_path / "a.toml"
    storage.atomic_write(target, "old")
    storage.atomic_write(target, "new", overwrite=True)
    assert target.read_text() == "new"
    kept = list((tmp_path / storage.HISTORY_DIR).iterdir())
    assert [k.read_text() for k in kept] == ["old"]
    assert mode(kept[0]) == 0o600
    assert mode(tmp_path / storage.HISTORY_DIR) == 0o700


def test_no_temporary_files_are_left_behind(tmp_path):
    storage.atomic_write(tmp_path / "a.toml", "x")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.toml"]


@pytest.fixture(params=["unnamed", "named"])
def write_way(request, monkeypatch):
    """Run a test with the O_TMPFILE way and with the named temporary it falls back to."""
    monkeypatch.setattr(storage, "_UNNAMED", [request.param == "unnamed"])
    return request.param


def test_both_ways_write_owner_only_refuse_to_clobber_and_leave_nothing(tmp_path, write_way):
    old = os.umask(0)
    try:
        target = tmp_path / "X123456.plan.toml"
        storage.atomic_write(target, "x = 1\n", durable=False)
    finally:
        os.umask(old)
    assert mode(target) == 0o600
    with pytest.raises(WouldOverwrite, match="already exists"):
        storage.atomic_write(target, "x = 2\n")
    (tmp_path / "folder").mkdir()
    with pytest.raises(InvalidInput, match="is a folder"):
        storage.atomic_write(tmp_path / "folder", "x")
    with pytest.raises(InvalidInput, match="folder does not exist"):
        storage.atomic_write(tmp_path / "missing" / "a.toml", "x")
    assert target.read_text() == "x = 1\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["X123456.plan.toml", "folder"]


def test_a_file_system_without_unnamed_files_falls_back_to_a_named_temporary(tmp_path, monkeypatch):
    real_open = os.open

    def refusing_open(path, flags, *args, **kwargs):
        if flags & os.O_TMPFILE == os.O_TMPFILE:
            raise OSError(errno.EOPNOTSUPP, "Operation not supported")
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(storage, "_UNNAMED", [True])
    monkeypatch.setattr(os, "open", refusing_open)
    storage.atomic_write(tmp_path / "a.toml", "x")
    assert (tmp_path / "a.toml").read_text() == "x"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.toml"]


def test_without_proc_the_unnamed_way_is_given_up_for_the_process(tmp_path, monkeypatch):
    real_link = os.link

    def no_proc(src, dst, **kwargs):
        if str(src).startswith("/proc/"):
            raise OSError(errno.ENOENT, "No such file or directory")
        return real_link(src, dst, **kwargs)

    monkeypatch.setattr(storage, "_UNNAMED", [True])
    monkeypatch.setattr(os, "link", no_proc)
    storage.atomic_write(tmp_path / "a.toml", "x")
    storage.atomic_write(tmp_path / "b.toml", "y")
    assert storage._UNNAMED == [False]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.toml", "b.toml"]


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
    """Kill a writer with SIGKILL at random moments: the file is always one whole version."""
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
        proc.send_signal(signal.SIGKILL)
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
        time.sleep(5)
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
        planfile.dump_plan(factories.plan()).replace("schema_version = 2", "schema_version = 99")
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

    monkeypatch.setattr(planfile, "SCHEMA_VERSION", 3)
    monkeypatch.setitem(planfile.MIGRATIONS, 2, v2_to_v3)
    plan = planfile.parse_plan(data, "old.toml")
    assert plan.responsible_officer == "RO Test"
    assert plan.schema_version == 3


def test_a_version_1_plan_loads_without_the_catalogue_facts_it_repeated(tmp_path):
    """Schema 1 repeated each entry's needs and flags in every result; schema 2 keeps the
    judgement (status, reasons, whether it meets a need) and leaves the rest to the catalogue."""
    import tomllib

    from rarplan.assess.assessment import assess
    from rarplan.catalogue import models as catalogue
    from rarplan.files.caseio import load_case

    case, _ = load_case(REPO / "examples" / "cases" / "X100001.toml")
    plan = assess(case, catalogue.load())
    doc = tomllib.loads(planfile.dump_plan(plan))
    assert len(doc["assessment"]["interventions"]) == 40
    doc["schema_version"] = 1
    for result in doc["assessment"]["interventions"]:
        result.update(needs=["accommodation"], accredited=False, counts_towards_rar=True)
    path = tmp_path / "X123456.plan.toml"
    path.write_text(tomli_w.dumps(doc))
    loaded, raw = planfile.load_plan(path)
    assert loaded.schema_version == 2
    assert loaded.assessment.interventions == plan.assessment.interventions
    assert raw == path.read_bytes()  # read as it is: only a save writes version 2
    assert "counts_towards_rar" not in planfile.dump_plan(loaded)


@pytest.mark.parametrize(
    "crn", ["../X123456", "X12345", "X1234567", "1234567", "X12345/", "X123456\x00", "ＸＸ"]
)
def test_crn_is_validated_before_any_file_name(crn):
    with pytest.raises(ValueError):
        factories.case(crn=crn)
