"""Reading and writing rarplan's files safely.

- Writes are atomic: the data goes to a file with no name yet (or a temporary one) in the same
  folder, is flushed and fsynced, then linked or renamed into place, so a crash leaves the old
  file or the new one, never half of one.
- Files are created readable by the owner only (0600), whatever the umask: they hold
  criminal-offence data about a person.
- An existing file is never replaced without `force`; when it is, the old one is kept in
  `.rarplan-history/` beside it.
- Updating a plan takes a lock beside it; a second writer waits briefly, then fails (exit 5).
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import io
import itertools
import json
import os
import sys
import time
import tomllib
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from rarplan.model.errors import FileLocked, InvalidInput, WouldOverwrite

HISTORY_DIR = ".rarplan-history"
MAX_INPUT_BYTES = 20 * 1024 * 1024
LOCK_TIMEOUT_ENV = "RARPLAN_LOCK_TIMEOUT"


@contextlib.contextmanager
def reading(name: str, kind: str = "file") -> Iterator[None]:
    """Turn the ways opening a file fails into one clear `InvalidInput` line."""
    try:
        yield
    except FileNotFoundError:
        raise InvalidInput(f"{name}: {kind} not found") from None
    except IsADirectoryError:
        raise InvalidInput(f"{name}: is a folder, not a {kind}") from None
    except PermissionError:
        raise InvalidInput(f"{name}: permission denied") from None
    except UnicodeDecodeError:
        raise InvalidInput(f"{name}: not UTF-8 text") from None
    except OSError as exc:
        raise InvalidInput(f"{name}: cannot read: {exc.strerror or exc}") from None


def read_bytes(source: str | Path, kind: str = "file") -> tuple[bytes, str]:
    """The bytes of a file, or of stdin for '-', with the name to use in messages."""
    if str(source) == "-":
        data = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
        name = "<stdin>"
    else:
        name = str(source)
        with reading(name, kind), Path(source).open("rb") as fh:
            data = fh.read(MAX_INPUT_BYTES + 1)
    if len(data) > MAX_INPUT_BYTES:
        raise InvalidInput(f"{name}: larger than {MAX_INPUT_BYTES // (1024 * 1024)} MB")
    return data, name


def open_text(source: str | Path) -> IO[str]:
    """A text stream on a file (UTF-8, BOM allowed), or on stdin for '-'."""
    if str(source) == "-":
        return io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8-sig", newline="")
    with reading(str(source)):
        return open(source, encoding="utf-8-sig", newline="")  # noqa: SIM115


def decode(data: bytes, name: str) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"{name}: not UTF-8 text (byte {exc.start})") from None
    if "\x00" in text:
        raise InvalidInput(f"{name}: contains a NUL byte; not a text file")
    return text


def parse_document(text: str, name: str, fmt: str | None = None) -> dict[str, Any]:
    """Parse TOML or JSON (by `fmt`, the file's ending, or the first character)."""
    if fmt is None:
        lower = name.lower()
        if lower.endswith(".json") or lower.endswith(".jsonl"):
            fmt = "json"
        elif lower.endswith(".toml"):
            fmt = "toml"
        else:
            fmt = "json" if text.lstrip().startswith(("{", "[")) else "toml"
    if not text.strip():
        raise InvalidInput(f"{name}: the file is empty")
    try:
        value: Any = json.loads(text) if fmt == "json" else tomllib.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"{name}: not valid JSON: {exc.msg} (line {exc.lineno})") from None
    except tomllib.TOMLDecodeError as exc:
        raise InvalidInput(f"{name}: not valid TOML: {exc}") from None
    except RecursionError:
        raise InvalidInput(f"{name}: nested too deeply") from None
    if not isinstance(value, dict):
        raise InvalidInput(f"{name}: expected a table of keys at the top, not {_kind(value)}")
    return value


def load_document(source: str | Path, fmt: str | None = None) -> tuple[dict[str, Any], str]:
    data, name = read_bytes(source)
    return parse_document(decode(data, name), name, fmt), name


def _kind(value: Any) -> str:
    return {list: "a list", str: "a string", int: "a number", float: "a number"}.get(
        type(value), type(value).__name__
    )


def sha256_file(path: str | Path) -> str:
    data, _ = read_bytes(path)
    return hashlib.sha256(data).hexdigest()


def _fsync_dir(folder: str | Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def keep_previous(path: Path, durable: bool = True) -> Path | None:
    """Copy the current file into .rarplan-history/ beside it; return the copy's path."""
    if not path.exists():
        return None
    folder = path.parent / HISTORY_DIR
    folder.mkdir(mode=0o700, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%dT%H%M%S%f")
    target = folder / f"{path.name}.{stamp}"
    atomic_write(target, path.read_bytes(), overwrite=True, keep=False, durable=durable)
    return target


def atomic_write(
    path: str | Path,
    data: bytes | str,
    *,
    overwrite: bool = False,
    keep: bool = True,
    durable: bool = True,
) -> None:
    """Write a file atomically with mode 0600.

    overwrite=False refuses an existing file (exit 5, "use --force"), race-free: the new file
    is linked into place, which fails if the name exists. With overwrite=True and keep=True, the
    old file is kept in .rarplan-history/ first. durable=False skips the fsyncs (batch mode
    syncs once at the end).
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    if not overwrite:
        # the way every new plan of a batch takes: plain strings, no Path objects
        name = os.fspath(path)
        if _write_unnamed(os.path.dirname(name) or ".", name, payload, durable):
            return
    target = Path(path)
    folder = target.parent
    if overwrite and target.is_dir():
        raise InvalidInput(f"{target}: is a folder")
    fd, tmp = _temporary(folder, target.name)
    try:
        try:
            _fill(fd, payload, durable)
        finally:
            os.close(fd)
        if overwrite:
            if keep:
                keep_previous(target, durable)
            os.replace(tmp, target)
        else:
            _link_new(tmp, target)
            os.unlink(tmp)
        if durable:
            _fsync_dir(folder)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _umask_keeps_owner() -> bool:
    """Whether the umask leaves the owner's read and write bits, so a file created with mode
    0600 has it. Read from /proc (Linux) rather than set and restored; False where unknown."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8) & 0o600 == 0
    except (OSError, ValueError, IndexError):
        pass
    return False


_OWNER_KEPT: list[bool] = []  # the answer, once asked: rarplan never changes its umask


def _fill(fd: int, payload: bytes, durable: bool) -> None:
    if not _OWNER_KEPT:
        _OWNER_KEPT.append(_umask_keeps_owner())
    if not _OWNER_KEPT[0]:
        os.fchmod(fd, 0o600)  # the mode given at creation was cut by the umask
    written = os.write(fd, payload)  # all of it, for a regular file, but for a signal
    if written < len(payload):
        view = memoryview(payload)[written:]
        while view:
            view = view[os.write(fd, view) :]
    if durable:
        os.fsync(fd)


def _link_new(source: str, target: str | Path, **how: Any) -> None:
    """Give the written file its name; refuse (exit 5) if the name is taken."""
    try:
        os.link(source, target, **how)
    except FileExistsError:
        if os.path.isdir(target):
            raise InvalidInput(f"{target}: is a folder") from None
        raise WouldOverwrite(
            f"{target}: already exists", hint="use --force to replace it"
        ) from None


# Linux can create a file with no name (O_TMPFILE) and link it in once written: a crash leaves
# nothing behind, not even a temporary file, and it takes fewer steps than a named temporary.
# Where the file system cannot, the named temporary below is used instead.
_UNNAMED = [hasattr(os, "O_TMPFILE") and os.path.isdir("/proc/self/fd")]


def _write_unnamed(folder: str, target: str, payload: bytes, durable: bool) -> bool:
    """Write a new file through O_TMPFILE; False when this file system cannot do it."""
    if not _UNNAMED[0]:
        return False
    try:
        fd = os.open(folder, os.O_TMPFILE | os.O_WRONLY | os.O_CLOEXEC, 0o600)
    except OSError:
        return False  # unsupported here, or a folder problem the named way reports clearly
    try:
        _fill(fd, payload, durable)
        # linkat(AT_SYMLINK_FOLLOW) on the /proc name needs no privilege; passing a dir fd
        # (ignored for an absolute path) makes Python call linkat rather than link.
        try:
            _link_new(f"/proc/self/fd/{fd}", target, src_dir_fd=fd, follow_symlinks=True)
        except OSError as exc:
            if isinstance(exc, FileExistsError) or exc.errno not in _NO_UNNAMED:
                raise
            _UNNAMED[0] = False
            return False
    finally:
        os.close(fd)
    if durable:
        _fsync_dir(folder)
    return True


_NO_UNNAMED = (errno.EXDEV, errno.ENOENT, errno.EPERM, errno.EOPNOTSUPP, errno.EINVAL)
_counter = itertools.count()


def _temporary(folder: Path, name: str) -> tuple[int, str]:
    """A new temporary file beside the target, created exclusively, owner-only."""
    for _ in range(100):
        tmp = os.path.join(folder, f".{name}.{os.getpid()}.{next(_counter)}.tmp")
        try:
            return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600), tmp
        except FileExistsError:
            continue
        except FileNotFoundError:
            raise InvalidInput(f"{folder}: folder does not exist") from None
        except NotADirectoryError:
            raise InvalidInput(f"{folder}: not a folder") from None
        except PermissionError:
            raise InvalidInput(f"{folder}: permission denied") from None
    raise InvalidInput(f"{folder}: cannot create a temporary file")


@contextlib.contextmanager
def locked(path: str | Path, timeout: float | None = None) -> Iterator[None]:
    """Hold an exclusive lock for updating `path` (a `.NAME.lock` file beside it)."""
    target = Path(path)
    if not target.is_file():
        raise InvalidInput(
            f"{target}: file not found" if not target.exists() else f"{target}: not a file"
        )
    lock_path = target.parent / f".{target.name}.lock"
    if timeout is None:
        timeout = float(os.environ.get(LOCK_TIMEOUT_ENV, "5"))
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES):
                    raise
                if time.monotonic() >= deadline:
                    raise FileLocked(
                        f"{target}: locked by another rarplan process ({lock_path})",
                        hint="wait for it to finish, then try again",
                    ) from None
                time.sleep(0.05)
        yield
    finally:
        os.close(fd)
