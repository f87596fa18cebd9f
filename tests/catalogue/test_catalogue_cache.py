"""The checked catalogue kept in rarplan's cache folder (rarplan.catalogue.load): the copy is
the catalogue, a changed file is never served a stale copy, a damaged copy is ignored and
made again, and the folder and files are the user's own."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from rarplan.catalogue import load as cat
from rarplan.files import cache
from rarplan.model.errors import InvalidInput

POSIX = pytest.mark.skipif(not hasattr(os, "getuid"), reason="owners and modes are POSIX's")


def _copy_of_shipped(tmp_path: Path, name: str = "own.toml") -> Path:
    path = tmp_path / name
    path.write_bytes(cat.default_path().read_bytes())
    return path


def _cache_file(path: Path) -> Path:
    return cache.base_folder() / "catalogue" / cat.cache_name(path.read_bytes())


def _load_fresh(path: Path) -> cat.Catalogue:
    """Load as a new process would: not from this process's own memo."""
    cat._CACHE.clear()
    return cat.load(path)


def test_the_copy_is_written_once_checked_and_read_back_equal(tmp_path):
    path = _copy_of_shipped(tmp_path)
    first = _load_fresh(path)
    assert _cache_file(path).is_file()
    again = _load_fresh(path)
    assert again is not first
    assert again.data == first.data
    assert again.data == cat.parse(path.read_text("utf-8"), path.name).data
    assert again.path == first.path == "own.toml"


@pytest.mark.parametrize("shipped", sorted(cat.SHIPPED))
def test_the_copy_leaves_out_what_is_at_its_default_and_reads_back_the_same(tmp_path, shipped):
    """A rule gives two or three of its fifteen keys: the copy holds those, not the other
    twelve as nulls (a third of its size), and reads back to the same catalogue."""
    path = tmp_path / f"{shipped}.toml"
    path.write_bytes(cat.shipped_path(shipped).read_bytes())
    parsed = _load_fresh(path)
    copy = _cache_file(path).read_text("utf-8")
    assert "null" not in copy and '"not_suitable":[]' not in copy
    assert _load_fresh(path).data == parsed.data == cat.parse(path.read_text("utf-8"), "x").data


def test_the_copy_is_what_the_next_load_reads(tmp_path, monkeypatch):
    path = _copy_of_shipped(tmp_path)
    _load_fresh(path)

    def no_toml(*args: object) -> None:
        raise AssertionError("the TOML was parsed although a good copy is cached")

    monkeypatch.setattr(cat, "parse", no_toml)
    assert len(_load_fresh(path)) == len(cat.load(cat.default_path()))


def test_a_changed_file_is_never_served_the_old_copy(tmp_path):
    path = _copy_of_shipped(tmp_path)
    assert _load_fresh(path).data.provider != "Another provider"
    text = path.read_text("utf-8")
    provider_line = next(line for line in text.splitlines() if line.startswith("provider = "))
    path.write_text(text.replace(provider_line, 'provider = "Another provider"'), "utf-8")
    assert _load_fresh(path).data.provider == "Another provider"


def test_a_change_to_the_format_modules_names_a_new_copy(tmp_path, monkeypatch):
    data = _copy_of_shipped(tmp_path).read_bytes()
    before = cat.cache_name(data)
    monkeypatch.setattr(cat, "__version__", "0.0.0-other")
    assert cat.cache_name(data) != before
    monkeypatch.undo()
    monkeypatch.setattr(cat, "FORMAT_SOURCES", cat.FORMAT_SOURCES[:-1])
    assert cat.cache_name(data) != before


@pytest.mark.parametrize(
    "damage",
    [b"", b"not json", b'{"provider": "x"}', b"\xff\xfe\x00", b'{"schema_version": 1'],
)
def test_a_damaged_copy_is_ignored_and_made_again(tmp_path, damage):
    path = _copy_of_shipped(tmp_path)
    good = _load_fresh(path)
    copy = _cache_file(path)
    copy.write_bytes(damage)
    again = _load_fresh(path)
    assert again.data == good.data
    assert copy.read_bytes() != damage  # rewritten from the TOML
    assert _load_fresh(path).data == good.data


def test_a_copy_the_models_refuse_is_ignored(tmp_path):
    path = _copy_of_shipped(tmp_path)
    good = _load_fresh(path)
    copy = _cache_file(path)
    copy.write_bytes(copy.read_bytes().replace(b'"mentor-support"', b'"Not An Id"', 1))
    assert _load_fresh(path).data == good.data


def test_an_invalid_catalogue_is_never_cached(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text('provider = "x"\n', "utf-8")
    with pytest.raises(InvalidInput):
        _load_fresh(path)
    assert not _cache_file(path).exists()


def test_no_cache_folder_to_use_is_no_error(tmp_path, monkeypatch):
    blocked = tmp_path / "a-file"
    blocked.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))  # a file where the folder would go
    assert cache.folder("catalogue") is None
    assert len(_load_fresh(_copy_of_shipped(tmp_path))) == len(cat.load(cat.default_path()))


@POSIX
def test_folder_0700_and_files_0600_even_with_an_open_umask(tmp_path):
    old = os.umask(0o022)
    try:
        path = _copy_of_shipped(tmp_path)
        _load_fresh(path)
    finally:
        os.umask(old)
    for folder in (cache.base_folder(), cache.base_folder() / "catalogue"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    assert stat.S_IMODE(_cache_file(path).stat().st_mode) == 0o600


@POSIX
def test_an_open_folder_of_ours_is_closed_again(tmp_path):
    folder = cache.base_folder() / "catalogue"
    folder.mkdir(parents=True)
    folder.chmod(0o777)
    cache.base_folder().chmod(0o755)
    assert cache.folder("catalogue") == folder
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(cache.base_folder().stat().st_mode) == 0o700


@POSIX
def test_a_folder_of_someone_else_is_not_used(tmp_path, monkeypatch):
    monkeypatch.setattr(os, "getuid", lambda: os.stat(tmp_path).st_uid + 1)
    assert cache.folder("catalogue") is None
    path = _copy_of_shipped(tmp_path)
    assert len(_load_fresh(path)) == len(cat.load(cat.default_path()))
    assert not any((cache.base_folder() / "catalogue").iterdir())


def test_old_copies_do_not_pile_up(tmp_path):
    """Each changed catalogue names a new copy; the folder keeps the newest KEEP of them."""
    path = _copy_of_shipped(tmp_path)
    made = []
    for n in range(cache.KEEP + 3):
        text = cat.default_path().read_text("utf-8")
        path.write_text(text.replace("provider = ", f"# edit {n}\nprovider = ", 1), "utf-8")
        _load_fresh(path)
        made.append(_cache_file(path))
        os.utime(made[-1], (1_000_000 + n, 1_000_000 + n))  # written in this order
    kept = sorted((cache.base_folder() / "catalogue").glob("*.json"))
    assert len(kept) == cache.KEEP
    assert set(made[-cache.KEEP :]) == set(kept)
    assert _load_fresh(path).data.provider  # the newest still read back
