"""Writing rarplan's files safely, the same way on Windows, macOS and Linux (reading them:
`rarplan.files.reading`).

Plan files hold criminal-offence data about a person, so every write keeps four promises:

- **Atomic.** The data goes to a new temporary file beside the target (created exclusively,
  so it is ours alone), is written and, unless a batch asks otherwise, fsynced; only then does
  it get the target's name. A crash leaves the old file or the new one, never half of one. A
  crash can leave a hidden `.NAME.PID.N.tmp` beside the target, never a partial plan.
- **Owner-only.** Files are created 0600 and set to 0600 again by `os.chmod` on the
  temporary, before any data is written: the umask can only take bits away, so the file is
  never more open than 0600, and the chmod gives back what a strict umask (077, 277) took.
  (On Windows the bits mean little; the folder's access list protects the file.)
- **Never clobbered.** Without `overwrite` an existing name is refused (exit 5), with no
  window in which two writers can both win: the temporary is hard-linked to the target name
  (`os.link`, on POSIX file systems and NTFS alike), which fails if the name exists, then the
  temporary is removed. A file system with no hard links (FAT, some network shares) refuses
  the link; then the name is claimed by creating the target exclusively (`O_EXCL`, so still
  only one writer wins) and the whole temporary is moved over that claim with `os.replace`.
  On that path a crash between the two steps can leave an empty file under the name, never
  a partial one, and the next reader reports "the file is empty". With `overwrite` the
  temporary is moved over the target with `os.replace`, keeping the old file in
  `.rarplan-history/` first unless told not to.
- **One writer at a time.** Updating a plan holds `.NAME.lock` beside it (owner-only; it
  names no person and holds no data) with the operating system's own lock (`flock` on POSIX,
  `msvcrt.locking` on Windows: `rarplan.files.locking`), released by the system if rarplan
  dies.
  A second writer waits up to RARPLAN_LOCK_TIMEOUT seconds (default 5), then fails (exit 5).

After a rename the folder is fsynced too, so the new name survives a power cut, where the
system allows it: Windows cannot open a folder for that, and NTFS journals the rename itself.
"""

from __future__ import annotations

import contextlib
import errno
import itertools
import math
import os
import re
import stat
import time
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import NoReturn

from rarplan.files import locking
from rarplan.files.reading import reading
from rarplan.model.errors import FileLocked, InvalidInput, WouldOverwrite

HISTORY_DIR = ".rarplan-history"
LOCK_TIMEOUT_ENV = "RARPLAN_LOCK_TIMEOUT"

# Temporary files older than this, or whose process is gone, are a killed run's (`tidy`).
STALE_TEMPORARY_SECONDS = 3600


# Binary mode matters on Windows, where a descriptor otherwise turns "\n" into "\r\n"; the
# flag is 0 elsewhere. Python makes every descriptor it opens non-inheritable (PEP 446).
_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
_counter = itertools.count()


def private_folder(path: str | Path) -> Path:
    """Create a folder (and any missing parents) owner-only, whatever the umask: each folder
    rarplan creates is made 0700, then set to 0700 (the umask may have taken the owner's bits).
    Folders that already exist are left as they are. A symbolic link is refused."""
    folder = Path(path)
    missing: list[Path] = []
    for each in (folder, *folder.parents):
        if os.path.lexists(each):
            break
        missing.append(each)
    if os.path.islink(folder):
        raise InvalidInput(f"{folder}: is a symbolic link; rarplan does not follow it here")
    for each in reversed(missing):
        with reading(str(each), "folder"):
            try:
                each.mkdir(mode=0o700)
            except FileExistsError:
                continue  # made meanwhile by another process: theirs to set
            os.chmod(each, 0o700)
    if folder.exists() and not folder.is_dir():
        raise InvalidInput(f"{folder}: not a folder")
    return folder


def keep_previous(path: Path, durable: bool = True) -> Path | None:
    """Copy the current file into .rarplan-history/ beside it; return the copy's path.

    The history folder is never followed if it is a symbolic link (it could point a copy of a
    plan anywhere): that is refused, as is a history "folder" that is a file."""
    if not path.exists():
        return None
    folder = path.parent / HISTORY_DIR
    if os.path.islink(folder):
        raise InvalidInput(
            f"{folder}: is a symbolic link; rarplan keeps previous versions only in a real folder",
            hint="remove the link (and move anything you need out of its target)",
        )
    private_folder(folder)
    stamp = datetime.now().strftime("%Y%m%dT%H%M%S%f")
    target = folder / f"{path.name}.{stamp}"
    with reading(str(path)):
        data = path.read_bytes()
    atomic_write(target, data, overwrite=True, keep=False, durable=durable)
    return target


# `.NAME.PID.N.tmp`: the temporary files `_write_temporary` makes.
_TEMPORARY = re.compile(r"\..+\.([0-9]+)\.[0-9]+\.tmp")
_tidied: set[str] = set()


def tidy(folder: str | Path) -> list[str]:
    """Remove the temporary files a killed rarplan left in `folder` (once per process and
    folder); return their names. Only rarplan's own (named `.NAME.PID.N.tmp`, regular files,
    not links) and only stale ones: older than STALE_TEMPORARY_SECONDS, or over a minute old
    with no process of that number running here (a write takes milliseconds; checked where
    the system can say, POSIX, without signalling anything)."""
    key = os.path.abspath(folder)
    if key in _tidied:
        return []
    _tidied.add(key)
    removed: list[str] = []
    now = time.time()
    with contextlib.suppress(OSError), os.scandir(folder) as entries:
        for entry in entries:
            match = _TEMPORARY.fullmatch(entry.name)
            if match is None:
                continue
            with contextlib.suppress(OSError):
                info = entry.stat(follow_symlinks=False)
                if not stat.S_ISREG(info.st_mode):
                    continue
                age = now - info.st_mtime
                pid = int(match.group(1))
                if age > STALE_TEMPORARY_SECONDS or (
                    age > 60 and pid != os.getpid() and not _running(pid)
                ):
                    os.unlink(entry.path)
                    removed.append(entry.name)
    return removed


def _running(pid: int) -> bool:
    """Whether a process numbered `pid` runs here; True where that cannot be known (Windows:
    signal 0 would not be a question there), so only the age decides."""
    if os.name != "posix":
        return True
    try:
        os.kill(pid, 0)  # signal 0: asks only whether the process exists
    except ProcessLookupError:
        return False
    except (OSError, OverflowError):
        return True  # someone else's process (EPERM), or a number no process has
    return True


def atomic_write(
    path: str | Path,
    data: bytes | str,
    *,
    overwrite: bool = False,
    keep: bool = True,
    durable: bool = True,
) -> Path | None:
    """Write a file atomically with mode 0600 (see the module's notes for how).

    overwrite=False refuses an existing file (exit 5, "use --force"), race-free. With
    overwrite=True and keep=True, the old file is kept in .rarplan-history/ first, and the
    kept copy's path is returned (None when nothing was replaced).
    durable=False skips the fsyncs; a batch then calls `sync_written` once at the end.
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    target = Path(path)
    tidy(target.parent)
    if overwrite and target.is_dir():
        raise InvalidInput(f"{target}: is a folder")
    with _writing(target):
        tmp = _write_temporary(target, payload, durable)
        kept = None
        try:
            if overwrite:
                if keep:
                    kept = keep_previous(target, durable)
                os.replace(tmp, target)
            else:
                _place_new(tmp, target)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
    if durable:
        _fsync_folder(target.parent)
    return kept


@contextlib.contextmanager
def _writing(target: Path) -> Iterator[None]:
    """A write that fails for want of space or permission is the officer's to fix (exit 3,
    saying which), not a bug; the old file is untouched (see `atomic_write`)."""
    try:
        yield
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
            raise InvalidInput(
                f"{target}: cannot write: the disk is full",
                hint="free some space, then try again; the previous file is unchanged",
            ) from None
        raise InvalidInput(f"{target}: cannot write: {exc.strerror or exc}") from None


def sync_written(paths: Iterable[str | Path]) -> None:
    """Make files written with durable=False durable: fsync each, then each folder once.

    Cheaper than a durable write per file in a batch, and touches only rarplan's files (never
    the whole machine, as `os.sync` would)."""
    folders: set[str] = set()
    for path in paths:
        with contextlib.suppress(FileNotFoundError):
            # write access: Windows flushes only a handle opened for writing
            fd = os.open(path, os.O_RDWR | getattr(os, "O_BINARY", 0))
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        folders.add(os.path.dirname(os.path.abspath(path)))
    for folder in sorted(folders):
        _fsync_folder(folder)


def _write_temporary(target: Path, payload: bytes, durable: bool) -> str:
    """Write `payload` to a new owner-only temporary file beside `target`; return its path."""
    folder = target.parent
    for _ in range(100):
        tmp = os.path.join(folder, f".{target.name}.{os.getpid()}.{next(_counter)}.tmp")
        try:
            fd = os.open(tmp, _NEW_FILE, 0o600)
            break
        except FileExistsError:
            continue  # left by a process that had our number and died
        except FileNotFoundError:
            raise InvalidInput(f"{folder}: folder does not exist") from None
        except NotADirectoryError:
            raise InvalidInput(f"{folder}: not a folder") from None
        except PermissionError:
            raise InvalidInput(f"{folder}: permission denied") from None
    else:
        raise InvalidInput(f"{folder}: cannot create a temporary file")
    try:
        try:
            os.chmod(tmp, 0o600)  # the umask may have taken the owner's bits too
            view = memoryview(payload)
            while view:
                view = view[os.write(fd, view) :]
            if durable:
                os.fsync(fd)
        finally:
            os.close(fd)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return tmp


def _place_new(tmp: str, target: Path) -> None:
    """Give the written temporary the target's name, only if nothing has that name."""
    try:
        os.link(tmp, target)
    except FileExistsError:
        _refuse(target)
    except OSError:
        _claim_then_replace(tmp, target)  # this file system has no hard links
    else:
        os.unlink(tmp)


def _claim_then_replace(tmp: str, target: Path) -> None:
    """Without hard links: claim the name exclusively (one writer wins), then move the whole
    temporary over the empty claim."""
    try:
        os.close(os.open(target, _NEW_FILE, 0o600))
    except FileExistsError:
        _refuse(target)
    try:
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            if os.path.getsize(target) == 0:  # still our empty claim: give the name back
                os.unlink(target)
        raise


def _refuse(target: Path) -> NoReturn:
    if target.is_dir():
        raise InvalidInput(f"{target}: is a folder") from None
    raise WouldOverwrite(
        f"{target}: already exists", hint="it is replaced only when asked to", needs=("force",)
    ) from None


def _fsync_folder(folder: str | Path) -> None:
    """Make a rename in `folder` durable. Windows cannot open a folder (nor needs to)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def lock_timeout() -> float:
    """Seconds a second writer waits for a plan's lock: RARPLAN_LOCK_TIMEOUT, or 5."""
    raw = os.environ.get(LOCK_TIMEOUT_ENV) or "5"
    try:
        seconds = float(raw)
    except ValueError:
        seconds = math.nan
    if not 0 <= seconds < math.inf:  # NaN fails too
        raise InvalidInput(
            f"{LOCK_TIMEOUT_ENV}: {raw!r} is not a number of seconds",
            hint=f"set {LOCK_TIMEOUT_ENV} to a number such as 5, or unset it",
        )
    return seconds


# Opening never follows a symbolic link where the system can say so (O_NOFOLLOW, POSIX);
# `os.path.islink` is checked first everywhere.
_NO_FOLLOW = getattr(os, "O_NOFOLLOW", 0)


def _open_lock_file(lock_path: Path) -> int:
    """Open (or make) the lock file, a plain owner-only file of ours: never through a planted
    symbolic link, and never truncated (nothing is written to it)."""
    if os.path.islink(lock_path):
        raise InvalidInput(
            f"{lock_path}: the lock file is a symbolic link; rarplan does not follow it",
            hint="remove the link, then try again",
        )
    flags = os.O_RDWR | os.O_CREAT | _NO_FOLLOW | getattr(os, "O_BINARY", 0)
    try:
        return os.open(lock_path, flags, 0o600)
    except OSError as exc:
        raise InvalidInput(f"{lock_path}: cannot lock: {exc.strerror or exc}") from None


@contextlib.contextmanager
def locked(path: str | Path, timeout: float | None = None) -> Iterator[None]:
    """Hold an exclusive lock for updating `path` (a `.NAME.lock` file beside it).

    A second holder waits up to `timeout` seconds (default: `lock_timeout()`), then raises
    `FileLocked` (exit 5). The lock is the operating system's, so it goes when the process
    does; the empty lock file stays, as lock files do, so waiters share one file."""
    target = Path(path)
    if not target.is_file():
        raise InvalidInput(
            f"{target}: file not found" if not target.exists() else f"{target}: not a file"
        )
    wait = lock_timeout() if timeout is None else timeout
    lock_path = target.parent / f".{target.name}.lock"
    fd = _open_lock_file(lock_path)
    try:
        try:
            taken = locking.lock(fd, wait)
        except OSError as exc:
            raise InvalidInput(f"{lock_path}: cannot lock: {exc.strerror or exc}") from None
        if not taken:
            raise FileLocked(
                f"{target}: locked by another rarplan process ({lock_path})",
                hint="wait for it to finish, then try again",
            )
        try:
            yield
        finally:
            with contextlib.suppress(OSError):  # closing the file lets it go in any case
                locking.unlock(fd)
    finally:
        os.close(fd)
