#!/usr/bin/env python3
"""Time every related list of a synthetic bilingual corpus, as the build computes them.

Usage: python bench/related_speed.py [--articles 10000] [--shared ../shared] [--runs 3] [--jobs N]

Makes the corpus with SHARED/bench/make_corpus.py (deterministic), groups the
Arabic and English version of each story into one translation group, as the
build does, and prints the median wall time of `find_related` and the peak RSS.
Each run is a process of its own, as a build computes the lists once per process:
memory an earlier run left to the allocator is not counted again. "corpus MB" is
the peak RSS with the corpus loaded, before the lists are computed.
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
    parser.add_argument("--one-run", type=Path, help=argparse.SUPPRESS)  # a run in its own process, of this corpus
    args = parser.parse_args()
    if args.one_run:
        print(json.dumps(_one_run(args.one_run, args.jobs)))
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        subprocess.run([sys.executable, str(args.shared / "bench/make_corpus.py"), "--articles", str(args.articles),
                        "--out", str(corpus)], check=True, capture_output=True)
        jobs = [] if args.jobs is None else ["--jobs", str(args.jobs)]
        runs = [json.loads(subprocess.run([sys.executable, __file__, "--one-run", str(corpus), *jobs], check=True,
                                          capture_output=True, text=True).stdout)
                for _ in range(args.runs)]
    times = [run["seconds"] for run in runs]
    print(f"{'articles/lang':>13} {'groups':>7} {'median s':>9} {'min s':>7} {'corpus MB':>10} {'peak RSS MB':>12} "
          f"{'with links':>10}")
    print(f"{args.articles:>13} {runs[0]['groups']:>7} {statistics.median(times):>9.2f} {min(times):>7.2f} "
          f"{max(run['corpus_mb'] for run in runs):>10.0f} {max(run['peak_mb'] for run in runs):>12.0f} "
          f"{runs[0]['shown']:>10.3f}")
    return 0


def _one_run(corpus: Path, jobs: int | None) -> dict:
    groups: dict[str, list[dict]] = defaultdict(list)
    with corpus.open(encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            groups[row["id"]].append(row)
    items = [RelatedInput(key=key, texts=tuple((r["title"], r["body"]) for r in rows),
                          tags=tuple(dict.fromkeys(t for r in rows for t in r["tags"])), category=rows[0]["category"],
                          day=date.fromisoformat(rows[0]["date"]).toordinal())
             for key, rows in sorted(groups.items())]
    del groups
    config = RelatedConfig()
    corpus_mb = _peak_mb()
    started = time.perf_counter()
    result = find_related(items, config, config.count * 3, jobs)
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "groups": len(items), "corpus_mb": corpus_mb, "peak_mb": _peak_mb(),
            "shown": sum(len(v) >= 1 for v in result.values()) / len(result)}


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


if __name__ == "__main__":
    sys.exit(main())
