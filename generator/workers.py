"""Spread work over the CPU cores: forked processes inherit the build's state, so only indices travel."""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")
S = TypeVar("S")

# Below this many items per process, starting processes costs more than it saves.
MIN_ITEMS_PER_JOB = 64

_STATE: Any = None
_FUNCTION: Callable[[Any, int], Any] | None = None


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


Progress = Callable[[int, int], None]  # (done, total)


def map_indices(function: Callable[[S, int], T], state: S, count: int, jobs: int | None,
                progress: Progress | None = None) -> list[T]:
    """[function(state, i) for i in range(count)], in order, over `jobs` processes (None: all cores, if worth it)."""
    if jobs is None:
        jobs = min(default_jobs(), count // MIN_ITEMS_PER_JOB)
    if jobs <= 1 or count < 2 or "fork" not in multiprocessing.get_all_start_methods():
        results = []
        for i in range(count):
            results.append(function(state, i))
            if progress is not None and i % 256 == 255:
                progress(i + 1, count)
        return results
    global _STATE, _FUNCTION
    _STATE, _FUNCTION = state, function
    try:
        size = max(1, min(-(-count // (jobs * 4)), 512))  # many chunks even out slow pages and feed the progress bar
        chunks = [range(start, min(start + size, count)) for start in range(0, count, size)]
        # Frozen objects are never visited by the collector, so the workers do not
        # copy every page of the parent's memory just by collecting garbage.
        gc.freeze()
        results = []
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            for chunk in pool.imap(_run_chunk, chunks):
                results += chunk
                if progress is not None:
                    progress(len(results), count)
        return results
    finally:
        gc.unfreeze()
        _STATE, _FUNCTION = None, None


def start_indices(function: Callable[[S, int], T], state: S, count: int, jobs: int) -> Callable[[], list[T]]:
    """map_indices on `jobs` forked processes that start now; the build goes on, and calls the result to wait.

    For work that can run beside the next stage, on cores that stage leaves idle.
    With one job (or no fork) nothing starts early: the work runs when waited for.
    """
    if jobs <= 1 or count < 1 or "fork" not in multiprocessing.get_all_start_methods():
        return lambda: map_indices(function, state, count, 1)
    global _STATE, _FUNCTION
    _STATE, _FUNCTION = state, function
    gc.freeze()
    try:
        pool = multiprocessing.get_context("fork").Pool(min(jobs, count))  # the workers are forked here
    finally:
        gc.unfreeze()
        _STATE, _FUNCTION = None, None
    pending = pool.map_async(_run_chunk, [range(i, i + 1) for i in range(count)], chunksize=1)

    def wait() -> list[T]:
        try:
            return [result for chunk in pending.get() for result in chunk]
        finally:
            pool.terminate()
            pool.join()
    return wait


def _run_chunk(indices: range) -> list[Any]:
    assert _FUNCTION is not None
    return [_FUNCTION(_STATE, i) for i in indices]
