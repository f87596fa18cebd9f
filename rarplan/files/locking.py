"""The operating system's own exclusive lock on an open file, on Windows and on POSIX.

One writer of a plan at a time (see `rarplan.files.storage.locked`, which opens the lock file
and decides how long to wait). The lock is the system's, so it goes when the process does,
however it ends. Each system has one call for it, so this is the one place rarplan looks at
which system it runs on; both branches are tested (tests/files/test_locking.py), the Windows
one through the same calls made on a stand-in `msvcrt`:

- POSIX (Linux, macOS): `fcntl.flock`, held by the open file: two opens of the lock file, in
  two processes or two threads, exclude each other.
- Windows: `msvcrt.locking` on the file's first byte (a byte past the end of a file may be
  locked), likewise held by the handle.

Neither module is imported until a lock is taken, so `import rarplan` works on both, and a
command that writes nothing never loads them. Why not the `filelock` library: it did the same
two calls, but importing it took about 12 ms of every command that writes a plan (its start-up
imports `secrets`, `hmac` and a dozen modules of its own), some 8 % of a command's whole run
(docs/speed.md).
"""

from __future__ import annotations

import os
import time
from types import ModuleType

# How long to sleep between two tries while another holder has the lock.
POLL_SECONDS = 0.05


def try_lock(fd: int, system: str = os.name) -> bool:
    """Take the exclusive lock on the open file `fd` if it is free: True if taken."""
    if system == "nt":
        msvcrt = _module("msvcrt")
        os.lseek(fd, 0, os.SEEK_SET)  # the byte locked is the one at the file's position
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:  # held by another (Windows says "permission denied")
            return False
        return True
    fcntl = _module("fcntl")
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:  # held by another
        return False
    return True


def unlock(fd: int, system: str = os.name) -> None:
    """Let the lock on `fd` go (closing the file lets it go too)."""
    if system == "nt":
        msvcrt = _module("msvcrt")
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        return
    fcntl = _module("fcntl")
    fcntl.flock(fd, fcntl.LOCK_UN)


def lock(fd: int, timeout: float, system: str = os.name) -> bool:
    """Take the lock on `fd`, waiting up to `timeout` seconds for another holder to let it go:
    True if taken, False if the time ran out."""
    deadline = time.monotonic() + timeout
    while not try_lock(fd, system):
        if time.monotonic() >= deadline:
            return False
        time.sleep(POLL_SECONDS)
    return True


def _module(name: str) -> ModuleType:
    """`fcntl` or `msvcrt`, imported when first used (each exists on its own system only)."""
    import importlib

    return importlib.import_module(name)
