#!/usr/bin/env python3
"""Time reading a site's content from nothing in one process: finding and reading the files, then parsing
and checking their front matter (what a build from nothing does before any Markdown).

Usage: python bench/front_matter_speed.py SITE_DIR [--runs 3]

SITE_DIR holds config.yaml and content/ (for instance a site of bench/run.py's --work folder). With the
Markdown time of bench/markdown_speed.py, it gives the processor time a build from nothing spends before
it renders a page or draws a card.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from generator.config import load_config  # noqa: E402
from generator.content import read_documents, scan_content  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path, help="a folder with config.yaml and content/")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    config = load_config(args.site / "config.yaml")
    scans, parses, count = [], [], 0
    for _ in range(args.runs):
        started = time.perf_counter()
        sources, _ = scan_content(config)
        scanned = time.perf_counter()
        read_documents(config, sources, None, 1)
        scans.append(scanned - started)
        parses.append(time.perf_counter() - scanned)
        count = len(sources)
    print(f"{'files':>7} {'read s':>7} {'front matter s':>15} {'ms/file':>8}   (median of {args.runs}, one process)")
    print(f"{count:>7} {statistics.median(scans):>7.2f} {statistics.median(parses):>15.2f} "
          f"{1000 * statistics.median(parses) / max(count, 1):>8.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
