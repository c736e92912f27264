"""How much memory this process holds, held at most, and how much more the system lets it take (Linux;
None elsewhere).

A runner or a container may cap memory below what the machine has: GitHub's runners for private
repositories have 7 GB, and a container its cgroup's limit. The build asks before it forks workers
(workers.py), so a big site builds on fewer processes rather than being killed.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

PROC = Path("/proc")
CGROUPS = Path("/sys/fs/cgroup")


def held() -> int | None:
    """Bytes of this process's memory that are in RAM."""
    try:
        resident = int((PROC / "self/statm").read_text().split()[1])
    except (OSError, ValueError, IndexError):
        return None
    return resident * os.sysconf("SC_PAGE_SIZE")


def peak_since_last() -> int | None:
    """The most bytes this process held in RAM since the last call (or since it started), counting anew from
    now: the kernel's high-water mark (VmHWM), reset through clear_refs (Linux 4.0 and later). None where
    either cannot be done: a peak that could not be reset would be the whole run's, not a stage's.

    The reset is the process's own: getrusage() and a parent's wait4() report its peak since the last reset."""
    try:
        peak = next(int(line.split()[1]) * 1024 for line in (PROC / "self/status").read_text().splitlines()
                    if line.startswith("VmHWM:"))
        (PROC / "self/clear_refs").write_text("5")
    except (OSError, ValueError, IndexError, StopIteration):
        return None
    return peak


def largest_child() -> int | None:
    """The most bytes any ended child process (a worker) held in RAM, pages it shared with this one counted in
    full; None where unknown (ru_maxrss is in kilobytes on Linux only)."""
    try:
        import resource  # not on Windows
    except ImportError:
        return None
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024 if sys.platform == "linux" else None


def free() -> int | None:
    """Bytes the system can still give: its available memory, or less where a cgroup of this process (or one
    above it) has a limit. Files in the page cache that no one has read lately count as free: the kernel
    drops them first."""
    found = []
    try:
        info = dict(line.split(":", 1) for line in (PROC / "meminfo").read_text().splitlines() if ":" in line)
        found.append(int(info["MemAvailable"].split()[0]) * 1024)
    except (OSError, ValueError, KeyError):
        pass
    for folder, limit, usage, inactive in _cgroup_folders():
        try:
            cap = (folder / limit).read_text().strip()
            if cap == "max" or int(cap) >= 1 << 60:  # no limit here (cgroup v1 writes a huge number)
                continue
            stat = dict(line.split() for line in (folder / "memory.stat").read_text().splitlines() if line.count(" ") == 1)
            found.append(int(cap) - int((folder / usage).read_text()) + int(stat.get(inactive, 0)))
        except (OSError, ValueError):
            continue
    return max(0, min(found)) if found else None


def _cgroup_folders() -> list[tuple[Path, str, str, str]]:
    """(folder, limit file, usage file, inactive page cache in memory.stat) of this process's memory cgroup
    and every one above it, for cgroup v2 and v1."""
    try:
        lines = (PROC / "self/cgroup").read_text().splitlines()
    except OSError:
        return []
    folders = []
    for line in lines:
        number, controllers, path = (line.split(":", 2) + ["", ""])[:3]
        if number == "0" and controllers == "":
            root, names = CGROUPS, ("memory.max", "memory.current", "inactive_file")
        elif "memory" in controllers.split(","):
            root, names = CGROUPS / "memory", ("memory.limit_in_bytes", "memory.usage_in_bytes", "total_inactive_file")
        else:
            continue
        parts = [part for part in path.split("/") if part and part != ".."]
        folders += [(root.joinpath(*parts[:depth]), *names) for depth in range(len(parts), -1, -1)]
    return folders
