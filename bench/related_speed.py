#!/usr/bin/env python3
"""Time every related list of a synthetic bilingual corpus, as the build computes them.

Usage: python bench/related_speed.py [--articles 10000] [--shared ../shared] [--runs 3] [--jobs N]

Makes the corpus with SHARED/bench/make_corpus.py (deterministic), groups the
Arabic and English version of each story into one translation group, as the
build does, and prints the median wall time of `find_related` and the peak RSS.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from generator.config import RelatedConfig  # noqa: E402
from generator.related import RelatedInput, find_related  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10000, help="articles per language")
    parser.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[2] / "shared")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=None, help="worker processes (default: as the build, every core)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        subprocess.run([sys.executable, str(args.shared / "bench/make_corpus.py"), "--articles", str(args.articles),
                        "--out", str(corpus)], check=True, capture_output=True)
        groups: dict[str, list[dict]] = defaultdict(list)
        with corpus.open(encoding="utf-8") as f:
            for line in f:
                row = json.loads(line)
                groups[row["id"]].append(row)
    items = [RelatedInput(key=key, texts=tuple((r["title"], r["body"]) for r in rows),
                          tags=tuple(dict.fromkeys(t for r in rows for t in r["tags"])), category=rows[0]["category"],
                          day=date.fromisoformat(rows[0]["date"]).toordinal())
             for key, rows in sorted(groups.items())]
    config = RelatedConfig()
    times = []
    for _ in range(args.runs):
        started = time.perf_counter()
        result = find_related(items, config, config.count * 3, args.jobs)
        times.append(time.perf_counter() - started)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    shown = sum(len(v) >= 1 for v in result.values()) / len(result)
    print(f"{'articles/lang':>13} {'groups':>7} {'median s':>9} {'min s':>7} {'peak RSS MB':>12} {'with links':>10}")
    print(f"{args.articles:>13} {len(items):>7} {statistics.median(times):>9.2f} {min(times):>7.2f} {peak_mb:>12.0f} {shown:>10.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
