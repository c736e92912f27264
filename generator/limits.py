"""Time and memory budgets for work on text an editor pasted: one pathological body must not hang a build.

Python-Markdown is quadratic on some inputs (16 KB of `[` take half a minute), so each
body is rendered under a deadline (SIGALRM, which also interrupts the regular
expression engine) and an address-space limit (RLIMIT_AS). Both apply where the
work runs on a process's main thread, which is where Mujaz runs it: in the build's
worker processes, in `build` and `check` themselves, and in the preview's builder
process. Elsewhere (a caller's own thread) the memory limit still applies.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from collections.abc import Iterator

try:
    import resource
except ImportError:  # Windows
    resource = None  # type: ignore[assignment]

# A body gets this long, plus a second per 50 KB: a 10 MB article (5 s) passes with room to spare.
BASE_SECONDS = 3.0
SECONDS_PER_BYTE = 1 / 50_000
# And this much memory beyond what its process holds when it starts.
HEADROOM_BYTES = 2 << 30


class OverBudget(Exception):
    """The work took longer or needed more memory than its budget."""

    def __init__(self, what: str):
        super().__init__(what)
        self.what = what  # "time" or "memory"


def seconds_for(text: str) -> float:
    return BASE_SECONDS + len(text) * SECONDS_PER_BYTE


def _alarm(signum: int, frame: object) -> None:
    raise OverBudget("time")


@contextlib.contextmanager
def budget(seconds: float, headroom: int = HEADROOM_BYTES) -> Iterator[None]:
    """Run the body of the `with` under a deadline and a memory limit; OverBudget if it passes either."""
    timed = threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer")
    previous_limit = _limit_memory(headroom)
    if timed:
        previous_handler = signal.signal(signal.SIGALRM, _alarm)
        signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    except MemoryError:
        raise OverBudget("memory") from None
    finally:
        if timed:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous_handler)
        if previous_limit is not None:
            resource.setrlimit(resource.RLIMIT_AS, previous_limit)


def _limit_memory(headroom: int) -> tuple[int, int] | None:
    """Lower the soft address-space limit to what the process maps now plus `headroom`; the old limits."""
    if resource is None or not hasattr(resource, "RLIMIT_AS"):
        return None
    mapped = _mapped_bytes()
    if mapped is None:
        return None
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    wanted = mapped + headroom
    if hard != resource.RLIM_INFINITY:
        wanted = min(wanted, hard)
    if soft != resource.RLIM_INFINITY and soft <= wanted:
        return None  # already tighter
    resource.setrlimit(resource.RLIMIT_AS, (wanted, hard))
    return soft, hard


def _mapped_bytes() -> int | None:
    try:
        with open("/proc/self/statm", "rb") as handle:
            return int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None  # not Linux: RLIMIT_AS is not enforced on macOS anyway
