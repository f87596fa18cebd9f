"""The plan lock's two branches (rarplan.files.locking): POSIX's `flock`, run here, and
Windows' `msvcrt.locking`, run through a stand-in `msvcrt` that behaves as Windows documents
it (a byte locked through one handle cannot be locked through another; `LK_NBLCK` fails at
once with an OSError; the byte is the one at the handle's position)."""

from __future__ import annotations

import contextlib
import os
import sys
import threading
import types
from collections.abc import Iterator
from pathlib import Path

import pytest

from rarplan.files import locking


class FakeMsvcrt(types.ModuleType):
    """Windows' byte-range lock as the C runtime's `_locking` documents it."""

    LK_NBLCK = 2
    LK_UNLCK = 0

    def __init__(self) -> None:
        super().__init__("msvcrt")
        self.held: dict[tuple[int, int], int] = {}  # (file, byte) -> the handle holding it

    def locking(self, fd: int, mode: int, nbytes: int) -> None:
        assert nbytes == 1
        byte = (os.fstat(fd).st_ino, os.lseek(fd, 0, os.SEEK_CUR))
        if mode == self.LK_UNLCK:
            if self.held.get(byte) != fd:
                raise PermissionError(13, "Permission denied")
            del self.held[byte]
        elif mode == self.LK_NBLCK:
            if byte in self.held:
                raise PermissionError(13, "Permission denied")
            self.held[byte] = fd
        else:
            raise AssertionError(f"mode {mode} is not used")


@pytest.fixture
def msvcrt(monkeypatch: pytest.MonkeyPatch) -> FakeMsvcrt:
    fake = FakeMsvcrt()
    monkeypatch.setitem(sys.modules, "msvcrt", fake)
    return fake


@pytest.fixture
def opens(tmp_path: Path) -> Iterator[tuple[int, int]]:
    """Two opens of one lock file, as two rarplan processes (or threads) would hold."""
    lock_file = tmp_path / ".X1.plan.toml.lock"
    first = os.open(lock_file, os.O_RDWR | os.O_CREAT, 0o600)
    second = os.open(lock_file, os.O_RDWR | os.O_CREAT, 0o600)
    yield first, second
    for fd in (first, second):
        with contextlib.suppress(OSError):  # a test may have closed one
            os.close(fd)


@pytest.fixture(params=["posix", "nt"])
def system(request: pytest.FixtureRequest, msvcrt: FakeMsvcrt) -> str:
    """Each branch: POSIX's where it runs, Windows' through the stand-in `msvcrt`."""
    if request.param == "posix" and os.name == "nt":
        pytest.skip("the POSIX branch")
    return str(request.param)


def test_two_opens_exclude_each_other_until_the_first_lets_go(
    opens: tuple[int, int], system: str
) -> None:
    first, second = opens
    assert locking.try_lock(first, system)
    assert not locking.try_lock(second, system)
    locking.unlock(first, system)
    assert locking.try_lock(second, system)


@pytest.mark.skipif(os.name == "nt", reason="the POSIX branch")
def test_posix_closing_the_file_lets_the_lock_go(opens: tuple[int, int]) -> None:
    """A process that dies closes its files: the system lets its lock go."""
    first, second = opens
    assert locking.try_lock(first, "posix")
    os.close(first)
    assert locking.try_lock(second, "posix")


def test_windows_locks_the_first_byte_wherever_the_handle_stands(
    opens: tuple[int, int], msvcrt: FakeMsvcrt
) -> None:
    """`msvcrt.locking` locks from the handle's position: both holders must name byte 0, or
    two of them would lock different bytes and both 'hold' the lock."""
    first, second = opens
    os.write(second, b"moved")  # the second handle now stands at byte 5
    assert locking.try_lock(first, "nt")
    assert not locking.try_lock(second, "nt")
    assert {byte for _, byte in msvcrt.held} == {0}
    locking.unlock(first, "nt")
    assert msvcrt.held == {}


def test_a_waiter_gets_the_lock_when_the_holder_lets_go(
    opens: tuple[int, int], system: str
) -> None:
    holder, waiter = opens
    assert locking.try_lock(holder, system)
    timer = threading.Timer(0.2, locking.unlock, (holder, system))
    timer.start()
    assert locking.lock(waiter, 30, system)
    timer.join()


def test_a_waiter_gives_up_when_its_time_runs_out(opens: tuple[int, int], system: str) -> None:
    holder, waiter = opens
    assert locking.try_lock(holder, system)
    assert not locking.lock(waiter, 0.1, system)
    assert not locking.lock(waiter, 0, system)  # no wait: one try


def test_neither_system_module_is_imported_until_a_lock_is_taken() -> None:
    """`import rarplan.files.locking` works where fcntl does not exist (Windows)."""
    source = Path(locking.__file__).read_text(encoding="utf-8")
    top = [line for line in source.splitlines() if line.startswith(("import ", "from "))]
    assert not [line for line in top if "fcntl" in line or "msvcrt" in line]
