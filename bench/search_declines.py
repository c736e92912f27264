#!/usr/bin/env python3
"""How often the search index's update in place declines on real text, and the index is built whole instead.

Usage: python bench/search_declines.py ../shared/corpus/ar.jsonl ../shared/corpus/en.jsonl [--trials 60]

For each corpus (JSON Lines with title and body, one language), --trials times at random: a story
added as the newest to an index of all the others, and a story edited (a paragraph of another story
appended to its body). Counts the updates done in place and the ones declined, and checks every
update in place against the index built whole.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from generator.search import MAX_BODY_WEIGHT, TITLE_WEIGHT, _Stems, search_terms  # noqa: E402
from generator.searchindex import build_index, update_index  # noqa: E402


def entry(title: str, body: str, stems: _Stems) -> tuple[str, bytes]:
    """A story's entry as search.article_entry makes it, from plain text (no summary, tags or section)."""
    weights: Counter[str] = Counter()
    stems.count(body, weights)
    for stem, n in weights.items():
        weights[stem] = min(n, MAX_BODY_WEIGHT)
    for stem in set(search_terms(title)):
        weights[stem] += TITLE_WEIGHT
    return "\n".join(weights), bytes(weights.values())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpora", nargs="+", type=Path)
    parser.add_argument("--trials", type=int, default=60)
    args = parser.parse_args()
    print(f"{'corpus':<12} {'stories':>8} {'added: in place':>16} {'built whole':>12} {'edited: in place':>17} "
          f"{'built whole':>12}")
    for path in args.corpora:
        stories = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        stems = _Stems()
        entries = [entry(story["title"], story["body"], stems) for story in stories]
        keys = [f"story{i}" for i in range(len(entries))]
        whole, whole_counts = build_index(entries)
        chosen = random.Random(7)
        tally: Counter[str] = Counter()
        for _ in range(args.trials):
            new = chosen.randrange(len(entries))
            rest, rest_keys = entries[:new] + entries[new + 1:], keys[:new] + keys[new + 1:]
            index, counts = build_index(rest)
            added = [entries[new]] + rest
            updated = update_index(index, counts, rest_keys, ["added"] + rest_keys, added.__getitem__,
                                   dict(zip(rest_keys, rest)).get)
            assert updated is None or updated == build_index(added)
            tally["added " + ("in place" if updated else "whole")] += 1
            edited, other = chosen.randrange(len(entries)), chosen.randrange(len(entries))
            story = stories[edited]
            paragraph = stories[other]["body"].split("\n")[0]
            changed = entries[:edited] + [entry(story["title"], story["body"] + "\n" + paragraph, stems)] \
                + entries[edited + 1:]
            changed_keys = keys[:edited] + ["edited"] + keys[edited + 1:]
            updated = update_index(whole, whole_counts, keys, changed_keys, changed.__getitem__,
                                   dict(zip(keys, entries)).get)
            assert updated is None or updated == build_index(changed)
            tally["edited " + ("in place" if updated else "whole")] += 1
        print(f"{path.name:<12} {len(entries):>8} {tally['added in place']:>16} {tally['added whole']:>12} "
              f"{tally['edited in place']:>17} {tally['edited whole']:>12}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
