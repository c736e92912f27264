#!/usr/bin/env python3
"""Measure related-article quality on categorised news corpora (JSON Lines).

Usage: python bench/related_quality.py CORPUS.jsonl [...] [--dump FILE] [--curve]

For each corpus it computes related lists with Mujaz's own engine and default
config (the same `find_related` the build calls) and prints, with two baselines
computed in the same run:
  precision  share of shown links whose `category` equals the article's
  coverage   share of articles with at least 3 links
  links      mean links shown per article
The category is the answer key, so it is never given to the engine; nor are tags
(these corpora have none). Baselines: TF-IDF cosine over raw whitespace tokens
(top `count`, no threshold) and random picks.

--curve prints, instead, the trade-off the thresholds make: precision of the shown
links against coverage for a range of `min_score` values and of `min_relative`
(a share of each story's best candidate's score), the rest of the config as default.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path

import numpy as np
from scipy import sparse

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from generator.config import RelatedConfig  # noqa: E402
from generator.related import RelatedInput, find_related  # noqa: E402


def read(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def mujaz(rows: list[dict], config: RelatedConfig) -> dict[str, tuple[str, ...]]:
    items = [RelatedInput(key=r["id"], texts=((r["title"], r["body"]),),
                          day=date.fromisoformat(r["date"]).toordinal() if r.get("date") else None)
             for r in rows]
    return {k: v[: config.count] for k, v in find_related(items, config, config.count).items()}


def raw_tfidf(rows: list[dict], count: int) -> dict[str, tuple[str, ...]]:
    docs = [Counter((r["title"] + " " + r["body"]).split()) for r in rows]
    df = Counter(t for d in docs for t in d)
    vocab = {t: i for i, t in enumerate(df)}
    n = len(rows)
    data, indices, indptr = [], [], [0]
    for d in docs:
        weights = {vocab[t]: tf * math.log(n / df[t]) for t, tf in d.items()}
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1
        for i, w in sorted(weights.items()):
            indices.append(i)
            data.append(w / norm)
        indptr.append(len(indices))
    m = sparse.csr_matrix((data, indices, indptr), shape=(n, len(vocab)))
    sims = (m @ m.T).toarray()
    np.fill_diagonal(sims, -1)
    result = {}
    for i, r in enumerate(rows):
        top = np.argsort(-sims[i], kind="stable")[:count]
        result[r["id"]] = tuple(rows[j]["id"] for j in top)
    return result


def random_picks(rows: list[dict], count: int) -> dict[str, tuple[str, ...]]:
    rng = random.Random(0)
    ids = [r["id"] for r in rows]
    return {i: tuple(rng.sample([x for x in ids if x != i], count)) for i in ids}


def score(rows: list[dict], related: dict[str, tuple[str, ...]]) -> tuple[float, float, float]:
    category = {r["id"]: r["category"] for r in rows}
    shown = [(r["id"], other) for r in rows for other in related.get(r["id"], ())]
    precision = sum(category[a] == category[b] for a, b in shown) / max(len(shown), 1)
    coverage = sum(len(related.get(r["id"], ())) >= 3 for r in rows) / len(rows)
    return precision, coverage, len(shown) / len(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpora", nargs="+", type=Path)
    parser.add_argument("--dump", type=Path, help="write {id, related} JSON lines of Mujaz's lists here")
    parser.add_argument("--curve", action="store_true", help="precision and coverage against min_score and min_relative")
    args = parser.parse_args(argv)
    config = RelatedConfig()
    if args.curve:
        return curve(args.corpora, config)
    dump = args.dump.open("w", encoding="utf-8") if args.dump else None
    print(f"{'corpus':<12} {'method':<12} {'articles':>8} {'precision':>9} {'coverage':>8} {'links':>6} {'seconds':>8}")
    for path in args.corpora:
        rows = read(path)
        for name, method in (("mujaz", lambda: mujaz(rows, config)),
                             ("raw tf-idf", lambda: raw_tfidf(rows, config.count)),
                             ("random", lambda: random_picks(rows, config.count))):
            started = time.perf_counter()
            related = method()
            seconds = time.perf_counter() - started
            p, c, links = score(rows, related)
            print(f"{path.name:<12} {name:<12} {len(rows):>8} {p:>9.3f} {c:>8.3f} {links:>6.2f} {seconds:>8.2f}")
            if dump and name == "mujaz":
                for r in rows:
                    dump.write(json.dumps({"id": r["id"], "related": list(related.get(r["id"], ()))}) + "\n")
    if dump:
        dump.close()
    return 0


def curve(corpora: list[Path], config: RelatedConfig) -> int:
    from dataclasses import replace

    print(f"{'corpus':<12} {'min_score':>9} {'min_relative':>12} {'precision':>9} {'coverage':>8} {'links':>6}")
    settings = [(s, 0.0) for s in (0.05, 0.3, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1, 1.2)]
    settings += [(0.05, r) for r in (0.5, 0.6, 0.7, 0.8, 0.85, 0.9)]
    for path in corpora:
        rows = read(path)
        for min_score, min_relative in settings:
            p, c, links = score(rows, mujaz(rows, replace(config, min_score=min_score, min_relative=min_relative)))
            print(f"{path.name:<12} {min_score:>9.2f} {min_relative:>12.2f} {p:>9.3f} {c:>8.3f} {links:>6.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
