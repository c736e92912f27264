#!/usr/bin/env python3
"""Time the check of output/ a build runs before it trusts it (`manifest.differences`): every folder read, as
before folders had stamps, beside only the folders whose stamp changed, in one process and as a build runs it
(`manifest.OutputCheck`: on CHECK_PARTS processes of their own, from CHECK_BESIDE_FROM files).

Usage: python bench/output_check.py SITE_DIR [--runs 3]

SITE_DIR is a site built by any version of Mujaz that keeps a manifest of output/ in `.cache/mujaz/state.pickle`.
The folders' stamps are taken here, as a build's commit takes them. Each run checks output/ every way,
in turn; the median of --runs is printed, with what each found (nothing, on a site left as built).
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from generator.manifest import CHECK_PARTS, OutputCheck, differences, pack_folders, stamp_of_stat  # noqa: E402
from generator.writer import _ancestors  # noqa: E402
from search_update import read  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    output = args.site / "output"
    manifest = read(args.site / ".cache/mujaz/state.pickle")["output"]
    files = manifest.files
    start = time.perf_counter()
    folders = [(rel, stamp_of_stat(os.lstat(output / rel))) for rel in _ancestors(files)]
    print(f"{len(files):,} files in {len(folders):,} folders; stamping the folders took {time.perf_counter() - start:.2f} s")
    names, stamps = pack_folders(dict(folders))
    stamped = dataclasses.replace(manifest, folder_names=names, folder_stamps=stamps)
    ways = {"every folder read": lambda: differences(output, files, []),
            "folders by stamp": lambda: differences(output, files, folders),
            f"as a build, {CHECK_PARTS} parts": lambda: OutputCheck(output, stamped, None).result()}
    times: dict[str, list[float]] = {way: [] for way in ways}
    for _ in range(args.runs):
        for way, check in ways.items():
            start = time.perf_counter()
            found = check()
            times[way].append(time.perf_counter() - start)
            assert found == frozenset(), f"{way}: {sorted(found)[:5] if found else found}"  # None: not checked
    print(f"{'check':<24}{'median':>10}{'runs':>22}  ratio to the first")
    every = statistics.median(times["every folder read"])
    for way, seconds in times.items():
        median = statistics.median(seconds)
        print(f"{way:<24}{median:>9.2f}s{min(seconds):>11.2f}–{max(seconds):.2f} s  {median / every:.2f}")


if __name__ == "__main__":
    main()
