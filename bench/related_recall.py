#!/usr/bin/env python3
"""How many of the exact related links the clustered search finds, and what it saves.

Usage: python bench/related_recall.py [--articles 10000] [--shared ../shared] [--probes 8,12,16] [--corpus FILE]
                                      [--sample K]

Makes the synthetic corpus (SHARED/bench/make_corpus.py, seed 7), groups each story's two languages as
the build does, and computes every list twice with the same model: once scoring every pair (the exact
reference) and once as the build does past relatedmodel._CLUSTERED_FROM stories, each story scored
against the members of its nearest topic clusters, for each number of probes asked. recall: the share
of the reference's shown links (count per story, after min_score) that the clustered lists show too.

--sample K scores every pair for K stories drawn at random only (each against all others, with the
model and vectors of the clustered run): at 100,000 stories the full reference would take the better
part of an hour, and 2,000 stories pin the recall down to a few tenths of a percent.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from generator import relatedmodel  # noqa: E402
from generator.config import RelatedConfig  # noqa: E402
from generator.related import RelatedInput, TermMemo, _rank, find_related, min_score_for  # noqa: E402


def load(corpus: Path) -> list[RelatedInput]:
    groups: dict[str, list[dict]] = defaultdict(list)
    with corpus.open(encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            groups[row["id"]].append(row)
    return [RelatedInput(key=key, texts=tuple((r["title"], r["body"]) for r in rows),
                         tags=tuple(dict.fromkeys(t for r in rows for t in r["tags"])), category=rows[0]["category"],
                         day=date.fromisoformat(rows[0]["date"]).toordinal())
            for key, rows in sorted(groups.items())]


def timed(items: list[RelatedInput], config: RelatedConfig,
          state: relatedmodel.RelatedState | None = None) -> tuple[dict, float]:
    started = time.perf_counter()
    lists = find_related(items, config, config.count, None, TermMemo() if state is not None else None,
                         state=state)
    return lists, time.perf_counter() - started


def sampled_reference(items: list[RelatedInput], config: RelatedConfig, state: relatedmodel.RelatedState,
                      sample: int) -> dict[str, tuple[str, ...]]:
    """Every pair's score for `sample` stories, with the clustered run's own vectors: its lists, exactly."""
    import numpy as np

    rows = np.sort(np.random.default_rng(1).choice(len(items), sample, replace=False))
    days = np.array([it.day for it in items], dtype=np.float64)
    keys = [it.key for it in items]
    key_rank = np.argsort(np.array(keys, dtype=object)).argsort()
    tiebreak = np.lexsort((key_rank, -days)).argsort()
    scorer = relatedmodel._Scorer(state.words, state.topics, days, config)
    margin = state.margin
    values, columns = relatedmodel._best(scorer, [(rows, np.arange(len(items)))], rows, len(items), margin, tiebreak)
    ranked = _rank(values[rows], columns[rows], days, key_rank, min_score_for(config, state.topics is not None),
                   config.min_relative)
    return {keys[row]: tuple(keys[j] for j in picked[:config.count]) for row, picked in zip(rows.tolist(), ranked)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10000, help="articles per language")
    parser.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[2] / "shared")
    parser.add_argument("--corpus", type=Path, help="a corpus made already (JSON Lines), instead of --articles")
    parser.add_argument("--probes", default=str(relatedmodel._PROBES), help="comma-separated")
    parser.add_argument("--sample", type=int, help="score every pair for this many stories only")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        corpus = args.corpus
        if corpus is None:
            corpus = Path(tmp) / "corpus.jsonl"
            subprocess.run([sys.executable, str(args.shared / "bench/make_corpus.py"), "--articles",
                            str(args.articles), "--seed", "7", "--out", str(corpus)], check=True, capture_output=True)
        items = load(corpus)
    config = RelatedConfig()
    print(f"{'stories':>8} {'search':<16} {'seconds':>8} {'links':>8} {'recall':>7}  (peak RSS so far)")
    exact = None
    if not args.sample:
        relatedmodel._CLUSTERED_FROM = 10**12
        exact, seconds = timed(items, config)
        _row(len(items), "every pair", seconds, exact, exact)
    relatedmodel._CLUSTERED_FROM = 2000
    for probes in (int(p) for p in args.probes.split(",")):
        relatedmodel._PROBES = probes
        state = relatedmodel.RelatedState()
        fast, seconds = timed(items, config, state)
        if args.sample:
            started = time.perf_counter()
            exact = sampled_reference(items, config, state, args.sample)
            _row(len(items), f"every pair, {args.sample}", time.perf_counter() - started, exact, exact)
        _row(len(items), f"{probes} clusters", seconds, fast, exact)
    return 0


def _row(stories: int, search: str, seconds: float, lists: dict, exact: dict) -> None:
    links = sum(len(exact[key]) for key in exact)
    found = sum(len(set(exact[key]) & set(lists[key])) for key in exact)
    print(f"{stories:>8} {search:<16} {seconds:>8.2f} {sum(len(lists[key]) for key in exact) / len(exact):>8.2f} "
          f"{found / max(links, 1):>7.4f}  {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    sys.exit(main())
