#!/usr/bin/env python3
"""The floor under a build that writes output/ from nothing (cold, or a CI publish): how long this machine's
file system takes to create a tree shaped like a built output/ (the same folders, files and sizes, zero
bytes), with no Mujaz code at all.

Usage: python bench/write_floor.py OUTPUT_DIR [--runs 3] [--work DIR]

The copy is made in DIR (default: beside OUTPUT_DIR, on the same file system) and removed after each run.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import time
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("output", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", type=Path, help="where to create the copies (default: beside OUTPUT_DIR)")
    args = parser.parse_args()
    files = []
    for folder, _, names in os.walk(args.output):
        for name in names:
            path = Path(folder, name)
            files.append((path.relative_to(args.output).as_posix(), path.stat().st_size))
    folders = {rel.rpartition("/")[0] for rel, _ in files}
    total = sum(size for _, size in files)
    seconds = []
    for run in range(args.runs):
        target = (args.work or args.output.parent) / f".write-floor-{os.getpid()}-{run}"
        seconds.append(_create(target, files))
        shutil.rmtree(target)
    print(f"{'files':>8} {'folders':>8} {'MB':>8} {'median s':>9}  runs")
    print(f"{len(files):>8} {len(folders):>8} {total / 2**20:>8.0f} {statistics.median(seconds):>9.2f}  "
          + ", ".join(f"{s:.2f}" for s in seconds))
    return 0


def _create(root: Path, files: list[tuple[str, int]]) -> float:
    started = time.perf_counter()
    made: set[str] = set()
    for rel, size in files:
        folder = rel.rpartition("/")[0]
        if folder not in made:
            os.makedirs(root / folder, exist_ok=True)
            made.add(folder)
        fd = os.open(root / rel, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        try:
            os.write(fd, bytes(size))
        finally:
            os.close(fd)
    return time.perf_counter() - started


if __name__ == "__main__":
    raise SystemExit(main())
