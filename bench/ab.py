"""Two versions of Mujaz side by side on one bench site, builds alternated, medians printed.

    python bench/ab.py OLD_TREE NEW_TREE [--size 10000] [--scenario cold|edit|add|ci|…] [--runs 3]
                       [--cards | --no-cards] [--work /dev/shm/mujaz-bench]

Each tree is a checkout of this repository (`git worktree add /tmp/old HEAD~1`). On a shared machine
a figure measured an hour apart says little: here every build of one tree is next to one of the other.
Each tree builds its own copy of the bench site (its cache is its own); a scenario is bench/run.py's,
prepared and measured by its `measure`, one run at a time, the trees taking turns.
Prints wall and CPU seconds, the largest process's peak and all processes' peak.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("trees", nargs=2, type=Path, help="two checkouts of Mujaz: the old one first")
    parser.add_argument("--size", type=int, default=10000, help="articles per language")
    parser.add_argument("--scenario", choices=[name for name in run.SCENARIOS if name != "cold-nocards"],
                        default="cold")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cards", action=argparse.BooleanOptionalAction, default=False, help="draw share cards")
    parser.add_argument("--shared", type=Path, default=run.REPO.parent / "shared")
    parser.add_argument("--work", type=Path, default=Path("/tmp/mujaz-bench"))
    args = parser.parse_args()

    site = run.make_site(args.size, args.shared, args.work)
    site = site if args.cards else run.without_cards(site)
    trees = [tree.resolve() for tree in args.trees]
    sites = {tree: _copy(site, f"ab{n}") for n, tree in enumerate(trees)}
    if args.scenario != "cold":
        for tree in trees:
            _as(tree, lambda: run.timed_build(sites[tree]))  # each copy's own cache, made by its tree
    results: dict[Path, list[tuple[float, ...]]] = {tree: [] for tree in trees}
    for _ in range(args.runs):
        for tree in trees:
            results[tree].append(_as(tree, lambda: run.measure(sites[tree], args.scenario, 1)[:4]))
            print(f"{tree}: " + " ".join(f"{x:9.2f}" for x in results[tree][-1]), flush=True)
    print(f"\n{args.scenario}, {args.size} articles per language, cards {'on' if args.cards else 'off'}, "
          f"median of {args.runs}:")
    print(f"{'tree':<40} {'wall s':>9} {'cpu s':>9} {'peak MB':>9} {'all MB':>9}")
    medians = {tree: [statistics.median(r[i] for r in results[tree]) for i in range(4)] for tree in trees}
    for tree in trees:
        print(f"{str(tree):<40} " + " ".join(f"{x:9.2f}" for x in medians[tree]))
    old, new = medians[trees[0]], medians[trees[1]]
    print(f"{'new / old':<40} " + " ".join(f"{b / a:9.2f}" if a else f"{'':>9}" for a, b in zip(old, new)))
    return 0


def _copy(site: Path, suffix: str) -> Path:
    copy = site.with_name(f"{site.name}-{suffix}")
    if not (copy / "config.yaml").is_file():
        shutil.copytree(site, copy, ignore=shutil.ignore_patterns("output", ".cache", ".output-spare"))
    return copy


def _as(tree: Path, measured):
    """`measured()` with the builds it starts running the code of `tree`."""
    run._BUILD_ENV["PYTHONPATH"] = str(tree)
    return measured()


if __name__ == "__main__":
    raise SystemExit(main())
