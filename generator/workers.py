"""Spread work over the CPU cores: the one way the build runs work on other processes.

A process pool (`concurrent.futures`) with the start method named ("fork"): each worker is forked with the
function and its state handed to its initializer, so it inherits them without pickling, and only
indices and results travel. Fork copies the threads' locks but not the threads, so no stage forks
while a thread of its own may hold a lock it needs: the preload thread of pipeline.py starts after
the Markdown workers are forked and is joined before the next stage forks, and the preview forks
its builder before the server starts threads (previewbuilder.py). The pools' own threads only pass
work through their queues, whose locks a forked worker never takes.
Work is never stopped by killing its processes: one killed while it sends a result leaves half a message
in the pipe the pool reads, and `multiprocessing.Pool`, used before, then waited forever (as it did for a
worker the system killed for memory). Cancelled work ends at its next item (`cancelled`).
Where fork is missing (Windows), work runs on the calling process.
"""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Generic, TypeVar

from . import memory
from .errors import MujazError

T = TypeVar("T")
S = TypeVar("S")

# Below this many items per process, starting processes costs more than it saves.
MIN_ITEMS_PER_JOB = 64
# What a forked worker comes to hold of its own, as a share of what the build held when it forked: each
# reference count the worker writes copies the page that holds it. Measured at 10,000 and 100,000 stories
# a language: 0.18 to 0.36. And what the build itself may grow by meanwhile, by default.
WORKER_SHARE = 0.5
GROWTH = 0.5
# Added to the niceness of a process working beside the build (start_indices' `background`: the check of
# output/). With two checking on two cores, an edit at 10,000 stories a language took 1 to 3% longer: the
# check took CPU from the build's own work.
BACKGROUND_NICENESS = 10
PR_SET_PDEATHSIG = 1  # Linux's prctl: the signal a process gets when the one that forked it ends

# Set in each worker by its initializer, never in the parent.
_STATE: Any = None
_FUNCTION: Callable[[Any, int], Any] | None = None
_HOLD: Any = None  # an Event (start_indices' `hold`): the worker sends its results once it is set
_STOPPED: Any = None  # a shared byte, set when the caller cancels (`cancelled`)

LOST = ("a process of the build stopped before it finished (the system may have run out of memory) — "
        "build again; with `--jobs 1` the build holds less memory")


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


Progress = Callable[[int, int], None]  # (done, total)


def map_indices(function: Callable[[S, int], T], state: S, count: int, jobs: int | None,
                progress: Progress | None = None) -> list[T]:
    """[function(state, i) for i in range(count)], in order, over `jobs` processes (None: all cores, if worth it)."""
    return start_indices(function, state, count, jobs, progress)()


def start_indices(function: Callable[[S, int], T], state: S, count: int, jobs: int | None,
                  progress: Progress | None = None, background: bool = False,
                  per_job: int = MIN_ITEMS_PER_JOB, hold: bool = False) -> Pending[T]:
    """map_indices on processes forked now; the caller goes on with other work and calls the result to wait.

    With one job (or where fork is missing) nothing starts early: the work runs when waited for,
    unless `background` asks for a process even so, to work beside the caller. Background processes run
    at a lower priority (BACKGROUND_NICENESS), to take the cores the caller leaves idle rather than its own.
    `progress` is called as chunks finish, from a thread of this process. `per_job`: with `jobs`
    None, how many items pay for starting a process (fewer for slow items, such as photos), and no more
    processes than the memory left holds (`affordable`).

    With `hold`, the workers send their results only once they are waited for: a result arrives whole in
    this process, so it should not come while the caller's own work holds the most memory (the search index
    of a build from nothing at 100,000 stories a language, 0.5 GB, came in the middle of the related stage,
    its peak); progress is reported from then on only.
    """
    if jobs is None:
        jobs = affordable(min(default_jobs(), count // per_job))
    jobs = min(jobs, count)
    # Work split over processes needs two; work beside the caller is worth one.
    if jobs < (1 if background else 2) or "fork" not in multiprocessing.get_all_start_methods():
        return Pending(lambda: _serial(function, state, count, progress))
    size = max(1, min(-(-count // (jobs * 4)), 512))  # many chunks even out slow pages and feed the progress bar
    context = multiprocessing.get_context("fork")
    sent = context.Event() if hold else None
    stopped = context.RawValue("b", 0)
    pool = ProcessPoolExecutor(jobs, mp_context=context, initializer=_install,
                               initargs=(function, state, sent, stopped, BACKGROUND_NICENESS if background else 0,
                                         os.getpid()))
    done = [0]

    def finished(chunk: Future) -> None:  # on the pool's own thread, as each chunk ends
        if not chunk.cancelled() and chunk.exception() is None:
            done[0] += len(chunk.result())
            progress(done[0], count)

    # Frozen objects are never visited by the collector, so the workers do not
    # copy every page of the parent's memory just by collecting garbage.
    gc.freeze()
    try:  # the workers are forked by the first submit
        chunks = [pool.submit(_run_chunk, range(start, min(start + size, count))) for start in range(0, count, size)]
    finally:
        gc.unfreeze()
    if progress is not None:
        for chunk in chunks:
            chunk.add_done_callback(finished)

    def wait() -> list[T]:
        if sent is not None:
            sent.set()
        try:
            return [result for chunk in chunks for result in chunk.result()]
        except BrokenProcessPool:
            raise MujazError(LOST) from None
        finally:
            stop()

    def stop() -> None:  # chunks not begun are dropped, and the ones running end at their next item
        stopped.value = 1
        if sent is not None:
            sent.set()
        pool.shutdown(wait=True, cancel_futures=True)
    return Pending(wait, stop)


class Pending(Generic[T]):
    """Work start_indices started: call it to wait for the results, or cancel() to stop it unread (a build
    that fails meanwhile). Either is done once; cancel() after the results came does nothing."""

    def __init__(self, wait: Callable[[], list[T]], stop: Callable[[], None] = lambda: None):
        self._wait, self._stop = wait, stop

    def __call__(self) -> list[T]:
        self._stop = lambda: None
        return self._wait()

    def cancel(self) -> None:
        stop, self._stop = self._stop, lambda: None
        stop()


def affordable(jobs: int, growth: float | None = None, each: float = 0) -> int:
    """`jobs` worker processes, or as many fewer as the memory left holds beside this process once it has
    grown by `growth` bytes (by default GROWTH of itself), each worker counted at WORKER_SHARE of this process
    and `each` bytes of work of its own. In a 7 GB cgroup (what a private repository's runner has), a build
    from nothing at 100,000 stories a language was killed; on fewer processes it finishes."""
    if jobs < 1:
        return jobs
    held, free = memory.held(), memory.free()
    if not held or free is None:
        return jobs
    growth = GROWTH * held if growth is None else growth
    return max(0, min(jobs, int((free - growth) // (WORKER_SHARE * held + each))))


def _serial(function: Callable[[S, int], T], state: S, count: int, progress: Progress | None) -> list[T]:
    results = []
    for i in range(count):
        results.append(function(state, i))
        if progress is not None and (i % 256 == 255 or i + 1 == count):
            progress(i + 1, count)
    return results


def _install(function: Callable[[Any, int], Any], state: Any, hold: Any, stopped: Any, niceness: int,
             build: int) -> None:
    global _STATE, _FUNCTION, _HOLD, _STOPPED
    _STATE, _FUNCTION, _HOLD, _STOPPED = state, function, hold, stopped
    _end_with(build)
    if niceness:
        try:
            os.nice(niceness)
        except OSError:  # a system that refuses it: the work runs at the caller's priority, as before
            pass


def _end_with(build: int) -> None:
    """End this worker when the build that forked it ends. A build killed (SIGKILL, or by the system short of
    memory) cannot tell its workers, which would wait for work forever, each holding its memory and the build's
    lock (writer.build_lock, which forked processes share): the next build would refuse to run. On Linux the
    system ends them with the build; elsewhere each looks every second."""
    try:
        if ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGKILL) == 0:
            if os.getppid() != build:  # it ended before the request was made
                os._exit(1)
            return
    except (OSError, AttributeError, TypeError):  # not Linux
        pass

    def watch() -> None:
        while os.getppid() == build:
            time.sleep(1)
        os._exit(1)
    threading.Thread(target=watch, daemon=True).start()


def _run_chunk(indices: range) -> list[Any]:
    assert _FUNCTION is not None
    results = []
    for i in indices:
        if cancelled():
            return []  # never read
        results.append(_FUNCTION(_STATE, i))
    if _HOLD is not None:
        _HOLD.wait()
    return results


def cancelled() -> bool:
    """Whether the work this process runs was cancelled: a long item may look now and then and end early, as
    its result will not be read. Always False outside a worker."""
    return _STOPPED is not None and bool(_STOPPED.value)


def release_freed_memory() -> None:
    """Give back to the system the memory of objects freed so far. glibc keeps freed blocks in its heap, and
    Python's own small objects come from elsewhere, so without this a build that frees its Markdown bodies
    (a gigabyte at 100,000 articles per language) would hold on to them, and every worker forked later too."""
    try:
        ctypes.CDLL(None).malloc_trim(0)  # the C library the interpreter runs on
    except (OSError, AttributeError, TypeError):  # not glibc, or Windows (no CDLL(None)): left to the allocator
        pass
