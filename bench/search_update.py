#!/usr/bin/env python3
"""Time a language's search index built whole beside the same index updated in place, for one story edited and
for one added as the newest, on the entries a built site's cache holds.

Usage: python bench/search_update.py SITE_DIR [--runs 5]

SITE_DIR is a site built by this version of Mujaz (its `.cache/mujaz/` holds the search indexes and every
story's entry). The edit gives the fourth newest story the words of another one as well (a paragraph
added); the added story has another story's words under a new key. Each scenario times
`build_index` over every entry and `update_index` from the last index, alternated, median of --runs,
checks the two give the same bytes, and says whether the update took its in-place path. Also printed:
what reading every story's entry costs (what an edit read and wrote before entries were kept in shards),
beside reading the shards the edit needs.
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
from generator.cache import _MAGIC  # noqa: E402
from generator.picklesafe import Within, load_values  # noqa: E402
from generator.searchindex import _words, build_index, update_index  # noqa: E402


def read(path: Path) -> dict:
    with path.open("rb") as handle:
        assert handle.read(len(_MAGIC)) == _MAGIC, path
        _, state = load_values(Within(handle, os.fstat(handle.fileno()).st_size - len(_MAGIC)))
    return state


def timed(function, *args):
    start = time.perf_counter()
    result = function(*args)
    return time.perf_counter() - start, result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    folder = args.site / ".cache" / "mujaz"
    indexes = read(folder / "search.pickle")["search"]
    shards = sorted(folder.glob("entries-*.pickle"))
    seconds, states = zip(*(timed(read, path) for path in shards))
    entries = {key: value for state in states for key, value in state["entries"].items()}
    megabytes = sum(path.stat().st_size for path in shards) / 2**20
    print(f"entries: {len(entries)} in {len(shards)} shards, {megabytes:.0f} MB; reading all {sum(seconds):.2f} s, "
          f"the two an edit reads {2 * sum(seconds) / len(shards):.2f} s")
    print(f"{'lang':<5} {'scenario':<9} {'docs':>7} {'whole s':>8} {'update s':>9} {'ratio':>6}  path")
    for code, made in indexes.items():
        docs = list(made.docs)
        if len(docs) < 20:
            continue
        old = [entries[key] for key in docs]
        words = _words(old[3])
        for stem, weight in _words(old[len(old) // 2]).items():
            words[stem] = max(weight, words.get(stem, 0))
        edited = ("\n".join(words), bytes(words.values()))
        scenarios = {"edit": (docs[:3] + ["edited"] + docs[4:], old[:3] + [edited] + old[4:]),
                     "add": (["added"] + docs, [old[len(old) // 3]] + old)}
        for name, (new_docs, new) in scenarios.items():
            whole, update, took = [], [], ""
            for _ in range(args.runs):
                spent, built = timed(build_index, new)
                whole.append(spent)
                spent, updated = timed(update_index, made.index, made.counts, docs, new_docs, new.__getitem__,
                                       entries.get)
                update.append(spent)
                took = "in place" if updated is not None else "built whole"
                assert updated is None or updated == built, "an update must give the whole build's bytes"
            w, u = statistics.median(whole), statistics.median(update)
            print(f"{code:<5} {name:<9} {len(new_docs):>7} {w:>8.2f} {u:>9.2f} {u / w:>6.2f}  {took}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
