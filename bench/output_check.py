#!/usr/bin/env python3
"""Time the check of output/ a build runs before it trusts it (`writer.differences`): every folder read, as
before folders had stamps, beside only the folders whose stamp changed.

Usage: python bench/output_check.py SITE_DIR [--runs 3]

SITE_DIR is a site built by any version of Mujaz that keeps a manifest of output/ in `.cache/mujaz/state.pickle`.
The folders' stamps are taken here, as a build's commit takes them. Each run checks output/ both ways,
alternated; the median of --runs is printed, with what each found (nothing, on a site left as built).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from generator.writer import _ancestors, differences, stamp_of_stat  # noqa: E402
from search_update import read  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    output = args.site / "output"
    files = read(args.site / ".cache/mujaz/state.pickle")["output"].files
    start = time.perf_counter()
    folders = [(rel, stamp_of_stat(os.lstat(output / rel))) for rel in _ancestors(files)]
    print(f"{len(files):,} files in {len(folders):,} folders; stamping the folders took {time.perf_counter() - start:.2f} s")
    ways = {"every folder read": [], "folders by stamp": folders}
    times: dict[str, list[float]] = {way: [] for way in ways}
    for _ in range(args.runs):
        for way, known in ways.items():
            start = time.perf_counter()
            found = differences(output, files, known)
            times[way].append(time.perf_counter() - start)
            assert not found, f"{way}: {sorted(found)[:5]}"
    print(f"{'check':<20}{'median':>10}{'runs':>22}")
    for way, seconds in times.items():
        print(f"{way:<20}{statistics.median(seconds):>9.2f}s{min(seconds):>11.2f}–{max(seconds):.2f} s")
    every, stamped = (statistics.median(times[way]) for way in ways)
    print(f"ratio {stamped / every:.2f}")


if __name__ == "__main__":
    main()
