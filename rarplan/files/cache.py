"""rarplan's cache folder: work done once and kept for the next command (docs/speed.md).

It holds what rarplan can always work out again from files it is given or ships: the checked
catalogue (rarplan.catalogue.load) and the compiled document templates
(rarplan.documents.render). Never case data. Any file in it may be deleted at any time; a file
that is missing, stale or damaged is ignored and made again, so the cache can make a command
faster but never change what it does.

The folder is `$XDG_CACHE_HOME/rarplan`, else `~/.cache/rarplan` (crash logs go there too). It
is the user's own: created 0700, its files 0600 (rarplan.files.storage), and on systems with
owners a folder belonging to someone else is not used (then nothing is cached).

Each sub-folder keeps its newest KEEP files: a changed catalogue or a new rarplan names a new
file, and the old ones would otherwise pile up; the oldest go when a new one is written.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

KEEP = 16  # files a sub-folder keeps: a few catalogues, each across a few versions


def base_folder() -> Path:
    """Where rarplan keeps its cache and crash logs (the folder may not exist yet)."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "rarplan"


def folder(name: str) -> Path | None:
    """The cache's sub-folder `name`, created owner-only; None when it cannot be used."""
    try:
        base = base_folder()
        path = base / name
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        for each in (base, path):
            if not _owner_only(each):
                return None
    except (OSError, RuntimeError):  # RuntimeError: no home folder to be found
        return None
    return path


def _owner_only(path: Path) -> bool:
    """Ours and closed to others (made so if it is ours); on Windows, where files have no
    POSIX owner, the user's profile folder's access list does this."""
    if not hasattr(os, "getuid"):
        return True
    info = os.stat(path)
    if info.st_uid != os.getuid() or not stat.S_ISDIR(info.st_mode):
        return False
    if stat.S_IMODE(info.st_mode) & 0o077:
        os.chmod(path, 0o700)
    return True


def read(path: Path) -> bytes | None:
    """A cache file's bytes, or None if it is not there or cannot be read."""
    try:
        return path.read_bytes()
    except OSError:
        return None


def write(path: Path, data: bytes) -> None:
    """Replace a cache file atomically (0600). A cache that cannot be written is no error."""
    from rarplan.files.storage import atomic_write
    from rarplan.model.errors import RarplanError

    with contextlib.suppress(OSError, RarplanError):
        atomic_write(path, data, overwrite=True, keep=False, durable=False)
        _tidy(path.parent, path.suffix)


def _tidy(where: Path, suffix: str) -> None:
    """Remove all but the newest KEEP `*suffix` files of a cache folder (rarplan's own files:
    the folder is rarplan's; nothing else is touched)."""
    with contextlib.suppress(OSError):
        files = [(p.stat().st_mtime, p) for p in where.glob(f"*{suffix}") if p.is_file()]
        for _, old in sorted(files, reverse=True)[KEEP:]:
            old.unlink(missing_ok=True)
