"""A build that stops dead at one named point, for test_kill_safe.py to SIGKILL it exactly there.

    python tests/kill_points.py SITE_FOLDER POINT [--no-exchange]

POINT is one of
    pages:first, pages:half, pages:last   as the build's own progress reports pages written to staging
    exchange                              before the one-step swap (renameat2) of staging and output/
    rename:N                              before the N-th rename of a whole build's commit: without
                                          renameat2, 1-3 are the three-step swap
    move:N                                before the N-th os.replace of an in-place commit: 1 puts its
                                          journal in place, then each staged file is moved into output/
    cache                                 after the swap, before the build cache is saved
At POINT it prints "at POINT" and waits on standard input, which never answers: the test kills it
there. A build that never reaches POINT prints "done". `--no-exchange` takes the three-rename swap
that machines without renameat2 use. Only announcing is added: the build does what it always does.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generator import cache, writer  # noqa: E402
from generator.build import BuildOptions, build  # noqa: E402


def main(folder: str, point: str, exchange: bool) -> None:
    def stop_at(here: str) -> None:
        if here == point:
            print("at", here, flush=True)
            sys.stdin.readline()  # never answered: the test kills this process now

    seen: set[str] = set()

    def progress(stage: str, done: int, total: int) -> None:
        if stage != "pages":
            return
        for name, reached in (("pages:first", done > 0), ("pages:half", 2 * done >= total),
                              ("pages:last", done == total)):
            if reached and name not in seen:
                seen.add(name)
                stop_at(name)

    real_rename, real_replace, real_exchange, real_commit, real_save = os.rename, os.replace, writer._exchange, \
        writer.Staging.commit, cache.BuildCache.save
    renames, moves = [0], [0]

    def rename(source, target) -> None:
        renames[0] += 1
        stop_at(f"rename:{renames[0]}")
        real_rename(source, target)

    def replace(source, target) -> None:
        moves[0] += 1
        stop_at(f"move:{moves[0]}")
        real_replace(source, target)

    def commit(self):
        os.rename, os.replace = rename, replace
        try:
            return real_commit(self)
        finally:
            os.rename, os.replace = real_rename, real_replace

    def swap_in_one_step(a, b) -> bool:
        stop_at("exchange")
        return real_exchange(a, b)

    def save(self) -> None:
        stop_at("cache")
        real_save(self)

    writer.Staging.commit = commit
    writer._exchange = swap_in_one_step if exchange else (lambda a, b: False)
    cache.BuildCache.save = save
    os.chdir(folder)  # as `python -m generator build` runs there: config.yaml by the same name, the same cache
    build(BuildOptions(config_path=Path("config.yaml"), progress=progress, jobs=2))
    print("done", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], "--no-exchange" not in sys.argv[3:])
