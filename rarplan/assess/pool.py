"""Running a batch's blocks of work on worker processes: in order, bounded, stoppable.

`rarplan.assess.batch` gives the jobs (a block of cases each) and what each worker needs;
this module runs them on a `ProcessPoolExecutor` and hands each job's report (`Done`) back to
the main process in the jobs' order, with at most IN_FLIGHT of them queued, so memory stays
flat however long the batch.

Stopping a batch (docs/scripting.md, "Stopping a batch"):
- The workers are a `ProcessPoolExecutor`, which reports a worker that died
  (`BrokenProcessPool`: one line, exit 1) where `multiprocessing.Pool` waited for ever.
- A worker hands back a block's results (megabytes under `--json`) in a file of its own, and
  through the pool only the block's number (`_hand_back`): a message of a hundred or so bytes,
  which a pipe takes in one piece (POSIX makes a write of up to PIPE_BUF bytes, 512 at least,
  all or nothing; Windows' pipes are message pipes). Handed back through the pipe itself, the
  results were written in many pieces, and a worker killed between two left the pool's reader
  waiting for the rest for ever (measured: 1 kill in 50 hung the batch; every kill hung it
  when aimed at that moment, tests/assess/test_batch_worker_killed.py). The files are in a
  folder of their own (`_results_folder`: new, owner-only, unguessable, in the system's
  temporary folder), named by block number (never by a person or a CRN), each removed once
  read; the folder is removed when the batch ends, however it ends, and by the workers if
  the main process is killed.
- Ctrl-C reaches the whole process group. The workers ignore it (no traceback from each);
  the main process, whatever stops it (Ctrl-C, a closed output pipe, an error), sets the
  pool's stop event: each worker skips the chunks not started and finishes the one in hand
  (a fraction of a second), and the pool shuts down as it normally does. Never `terminate`:
  a worker ended while sending its chunk's report leaves half a message in the pool's result
  pipe, and the pool's thread then waits for the rest for ever (measured: 2 Ctrl-Cs in 16
  hung the exit that way).
- A worker whose main process was killed ends itself (`_end_with_parent`): it would otherwise
  wait for work for ever.
"""

from __future__ import annotations

import collections
import contextlib
import itertools
import json
import multiprocessing
import os
import shutil
import signal
import stat
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from rarplan.files.storage import STALE_TEMPORARY_SECONDS, atomic_write
from rarplan.model.errors import ExitCode, RarplanError

# A job's report: its stdout (encoded), its stderr, each case's exit code (0: done), and how
# many of its plans an earlier run had already written.
Done = tuple[bytes, str, list[int], int]
NOTHING_DONE: Done = (b"", "", [], 0)
Job = tuple[Callable[..., Done], tuple[Any, ...]]  # a worker's function and its arguments
IN_FLIGHT = 6  # jobs queued at once: bounds memory
RESULTS_PREFIX = "rarplan-batch-"  # the results folder's name: this, then random letters

_stop: Any = None  # in a worker: the pool's stop event (a multiprocessing.Event)
_results: str | None = None  # in a worker: the folder it hands back results in


def stopping() -> bool:
    """In a worker: whether the batch is stopping (the jobs still queued are skipped)."""
    return _stop is not None and _stop.is_set()


def run(
    jobs: Iterator[Job],
    workers: int,
    setup: Callable[..., None],
    setup_args: tuple[Any, ...],
    emit: Callable[[Done], None],
) -> None:
    """Run the jobs on `workers` processes, each started with `setup(*setup_args)`, and give
    each job's report to `emit`, in the jobs' order.

    Each report comes back in a file of `_results_folder` (see the module's notes). Whatever
    stops this process here (Ctrl-C, a closed output pipe, an error) stops the workers
    through `stop`; a worker that dies stops the batch with one clear error."""
    context = multiprocessing.get_context()  # the platform's own: fork, or spawn (Windows, macOS)
    stop = context.Event()
    with _results_folder() as folder:
        pool = ProcessPoolExecutor(
            workers,
            mp_context=context,
            initializer=_init,
            initargs=(setup, setup_args, stop, folder),
        )
        pending: collections.deque[Future[int | None]] = collections.deque()
        numbered = ((number, job, args) for number, (job, args) in enumerate(jobs))
        try:
            try:
                with _ctrl_c_held():  # the workers start with the first jobs
                    for number, job, args in itertools.islice(numbered, workers):
                        pending.append(pool.submit(_hand_back, number, job, *args))
                for number, job, args in numbered:
                    pending.append(pool.submit(_hand_back, number, job, *args))
                    if len(pending) >= IN_FLIGHT:
                        emit(_handed_back(folder, pending.popleft().result()))
                while pending:
                    emit(_handed_back(folder, pending.popleft().result()))
            except BrokenProcessPool:  # seen by `submit` or by a result, whichever comes first
                raise RarplanError(
                    "a worker process of the batch stopped before finishing its cases (killed, "
                    "or out of memory); the batch is stopped",
                    hint="each line reported has its plan written; run the same batch again to "
                    "continue where it stopped",
                ) from None
        except BaseException:
            stop.set()  # the workers finish the chunk in hand, skip the rest, and end
            pool.shutdown(wait=True, cancel_futures=True)
            raise
        pool.shutdown()


@contextlib.contextmanager
def _results_folder() -> Iterator[str]:
    """A new folder for the workers' results, removed (with anything in it) when the batch
    ends, however it ends. `mkdtemp` makes it exclusively, under a name no one can guess, 0700
    (and `private_folder` would take a folder someone else had made there as it is); the chmod
    gives back what a strict umask took."""
    _tidy_results_folders()
    folder = tempfile.mkdtemp(prefix=RESULTS_PREFIX)
    try:
        os.chmod(folder, 0o700)
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _tidy_results_folders() -> None:
    """Remove the results folders that batches killed whole (every process at once) left in
    the temporary folder: only this user's, real folders (no link followed), untouched for
    STALE_TEMPORARY_SECONDS. A running batch's folder changes with every block it hands
    back (a fraction of a second apart), so it is never one of them."""
    top = tempfile.gettempdir()
    now = time.time()
    uid = os.getuid() if hasattr(os, "getuid") else None  # Windows: %TEMP% is the user's own
    with contextlib.suppress(OSError), os.scandir(top) as entries:
        for entry in entries:
            if not entry.name.startswith(RESULTS_PREFIX):
                continue
            with contextlib.suppress(OSError):
                info = entry.stat(follow_symlinks=False)
                if (
                    stat.S_ISDIR(info.st_mode)
                    and (uid is None or info.st_uid == uid)
                    and now - info.st_mtime > STALE_TEMPORARY_SECONDS
                ):
                    shutil.rmtree(entry.path, ignore_errors=True)


def _hand_back(number: int, job: Callable[..., Done], *args: Any) -> int | None:
    """In a worker: do a job, and write its results to the results folder as chunk `number`'s
    file; return `number` (None if the batch is stopping and the job was skipped). The file:
    a line of JSON, [exit codes, plans kept, stderr text], then the stdout bytes."""
    assert _results is not None
    done = job(*args)
    if done is NOTHING_DONE:
        return None
    out, err, codes, kept = done
    header = json.dumps([codes, kept, err]).encode("ascii") + b"\n"
    atomic_write(_result_file(_results, number), header + out, keep=False, durable=False)
    return number


def _handed_back(folder: str, number: int | None) -> Done:
    """In the main process: chunk `number`'s results, read from its file, which is removed."""
    if number is None:
        return NOTHING_DONE
    path = _result_file(folder, number)
    with open(path, "rb") as fh:
        codes, kept, err = json.loads(fh.readline())
        out = fh.read()
    os.unlink(path)
    return out, err, codes, kept


def _result_file(folder: str, number: int) -> str:
    return os.path.join(folder, f"{number}.out")


@contextlib.contextmanager
def _ctrl_c_held() -> Iterator[None]:
    """Hold a Ctrl-C while the workers start, and raise it once they have. Arriving during a
    fork, it was lost (the interpreter's at-fork hooks swallow a KeyboardInterrupt: the batch
    ran on to its end), and a worker not yet set up to ignore it printed a traceback."""
    if (
        threading.current_thread() is not threading.main_thread()
        or signal.getsignal(signal.SIGINT) is not signal.default_int_handler
    ):
        yield  # Ctrl-C is not Python's KeyboardInterrupt here: nothing to hold
        return
    caught: list[int] = []
    signal.signal(signal.SIGINT, lambda number, frame: caught.append(number))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    if caught:
        raise KeyboardInterrupt


def _init(setup: Callable[..., None], setup_args: tuple[Any, ...], stop: Any, results: str) -> None:
    """Start a worker: `setup` gives it what its jobs need; it leaves Ctrl-C to the main
    process (which stops it through `stop`), hands back results in `results`, and ends itself
    if the main process dies."""
    global _stop, _results
    setup(*setup_args)
    _stop = stop
    _results = results
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_end_with_parent, daemon=True).start()


def _end_with_parent() -> None:
    """Wait for the main process to end, then end this worker quietly: killed, the main
    process cannot stop its workers, which would wait for work for ever, nor remove the
    results folder, which this worker does (see `_remove_results`)."""
    parent = multiprocessing.parent_process()
    if parent is not None:
        parent.join()
        _remove_results()
        os._exit(ExitCode.INTERRUPTED)  # no other clean-up to run: the batch is over


def _remove_results() -> None:
    """Remove the results folder, whose files may hold personal data. This worker's own main
    thread may be writing a file there at the same moment: a file made after the folder was
    read but before it was removed keeps the folder, so it is tried again; once the folder is
    gone, no file can be made in it."""
    if _results is None:
        return
    for _ in range(5):
        shutil.rmtree(_results, ignore_errors=True)
        if not os.path.lexists(_results):
            return
