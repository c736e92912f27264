#!/usr/bin/env python3
"""Build benchmarks: cold, warm, one-article edit and one-article add, at several site sizes.

Usage: python bench/run.py [--sizes 1000,10000] [--runs 3] [--shared ../shared] [--work DIR] [--anchors]
                           [--scenarios cold,warm,...]

Each size is a site of N articles per language made by SHARED/bench/make_corpus.py and
to_site.py --format project. Every scenario runs `python -m generator build` in a fresh
process, --runs times, and the table shows the median wall time, the CPU time (user+sys,
workers included) and peak RSS of the median run, the output size, and what output/ and
.cache/ take on disk together after the last run (a file linked from one into the other counted once).
"peak MB" is the largest single process; "all MB" is what the build and its worker processes held
together at their highest (the sum of their proportional set sizes, read from /proc every 50 ms: a page
a worker shares with the build counts once). A machine or CI runner needs the second:

  cold   no output/, no .cache/ (a fresh clone)
  cold-nocards  the same with `images: {cards: false}` (on a copy of the site): what Hugo builds, which
         draws no share cards
  warm   the same site again, nothing changed
  edit   one article's body changed (a different article each run), output/ kept
  edit-old  the same for one of the oldest articles, which the related model is fitted on: a refit
  add    one new article (a new one each run)
  ci     one article edited with .cache/ kept and no output/: what a publish from CI does
  check  `check` after a publish of one edit (the build untimed): what the Pages workflow runs next
  restyle  the theme's stylesheet changed (the site's own copy of the theme): every page made again

The last column holds the targets of the issue this benchmark answers (#22), where it sets one.

With --anchors, SHARED/bench/anchors.sh N builds the same corpus with Hugo and Pelican in
the same run, and the table adds their times and the ratio ours/theirs for the cold build.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000", help="articles per language, comma-separated")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--work", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "mujaz-bench")
    parser.add_argument("--scenarios", default=",".join(SCENARIOS), help="which of them, comma-separated")
    parser.add_argument("--anchors", action="store_true", help="also build with Hugo and Pelican (anchors.sh)")
    parser.add_argument("--skip-pelican", action="store_true", help="with --anchors: Hugo only (Pelican is slow)")
    args = parser.parse_args()

    scenarios = [s for s in SCENARIOS if s in args.scenarios.split(",")]
    rows = []
    for size in (int(s) for s in args.sizes.split(",")):
        site = make_site(size, args.shared, args.work)
        rows += [(size, scenario, *measure(without_cards(site) if scenario == "cold-nocards" else site, scenario,
                                           args.runs)) for scenario in scenarios]
        ours = {scenario: row[0] for _, scenario, *row in rows[-len(scenarios):] if scenario.startswith("cold")}
        if args.anchors and ours:
            rows += anchors(size, args.shared, args.skip_pelican, ours, args.runs)
    print(f"{'articles/lang':>13} {'scenario':<14} {'wall s':>8} {'cpu s':>8} {'peak MB':>8} {'all MB':>8} "
          f"{'output MB':>9} {'disk MB':>8} {'target s':>8}  note")
    for size, scenario, wall, cpu, rss, together, out, disk, note in rows:
        target = TARGETS.get((size, scenario))
        shown = f"{target:>8.1f}" if target else f"{'':>8}"
        print(f"{size:>13} {scenario:<14} {wall:>8.2f} {cpu:>8.2f} {rss:>8.0f} {together:>8.0f} {out:>9.1f} "
              f"{disk:>8.0f} {shown}  {note}")
    print(f"median of {args.runs} runs; {os.cpu_count()} CPUs; python {sys.version.split()[0]}")
    return 0


# As an editor's machine runs a build: Python keeps the generator's compiled modules (__pycache__), which
# a shell with PYTHONDONTWRITEBYTECODE set would have it compile again on every run (0.1 s).
_BUILD_ENV = {**{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}, "PYTHONPATH": str(REPO)}

SCENARIOS = ("cold", "cold-nocards", "warm", "edit", "edit-old", "add", "ci", "check", "restyle")
TARGETS = {(10000, "cold"): 15, (10000, "edit"): 1, (10000, "add"): 1, (10000, "ci"): 5, (10000, "warm"): 0.5,
           (100000, "cold"): 150, (100000, "edit"): 5, (100000, "add"): 5, (100000, "ci"): 60, (100000, "warm"): 4}


def make_site(size: int, shared: Path, work: Path) -> Path:
    site = work / f"n{size}"
    if (site / "config.yaml").is_file():
        return site
    work.mkdir(parents=True, exist_ok=True)
    corpus = work / f"corpus-{size}.jsonl"
    subprocess.run([sys.executable, str(shared / "bench/make_corpus.py"), "--articles", str(size), "--out", str(corpus)],
                   check=True, capture_output=True)
    subprocess.run([sys.executable, str(shared / "bench/to_site.py"), "--format", "project", str(corpus), str(site)],
                   check=True, capture_output=True)
    return site


def measure(site: Path, scenario: str, runs: int) -> tuple[float, float, float, float, float, float, str]:
    results = []
    for run in range(runs):
        if scenario in ("cold", "cold-nocards"):
            for name in ("output", ".cache", ".output-spare"):
                shutil.rmtree(site / name, ignore_errors=True)
        elif scenario in ("edit", "edit-old"):  # a recent story, as an everyday edit is, or one of the fitted part
            stories = sorted((site / "content").rglob("*.ar.md"))
            article = stories[-1 - run * 7] if scenario == "edit" else stories[run * 7]
            with article.open("a", encoding="utf-8") as f:
                f.write(f"\nفقرة أضيفت في التعديل رقم {run} للقياس.\n")
        elif scenario == "ci":
            for name in ("output", ".output-spare"):
                shutil.rmtree(site / name, ignore_errors=True)
            article = sorted((site / "content").rglob("*.ar.md"))[-3 - run * 11]
            with article.open("a", encoding="utf-8") as f:
                f.write(f"\nفقرة أضيفت قبل النشر رقم {run}.\n")
        elif scenario == "check":
            article = sorted((site / "content").rglob("*.en.md"))[-2 - run * 5]
            with article.open("a", encoding="utf-8") as f:
                f.write(f"\nA paragraph added before check number {run}.\n")
            timed_build(site)
            results.append(timed_build(site, "check"))
            continue
        elif scenario == "restyle":
            theme = site / "themes" / "bench"
            if not theme.is_dir():  # the site's own copy of the theme, as an editor who restyles keeps one
                shutil.copytree(REPO / "themes" / "default", theme)
                config = site / "config.yaml"
                config.write_text(config.read_text(encoding="utf-8") + "theme: bench\n", encoding="utf-8")
            with (theme / "static" / "style.css").open("a", encoding="utf-8") as f:
                f.write(f"\n/* restyled {run} */\n")
        elif scenario == "add":
            new = site / "content" / "2099" / "01" / f"bench-added-{time.time_ns()}.en.md"
            new.parent.mkdir(parents=True, exist_ok=True)
            new.write_text(f"---\ntitle: Added article {run}\ndate: 2025-01-0{run % 9 + 1}\ntags: [bench]\n---\n"
                           "A short story added by the benchmark.\n", encoding="utf-8")
        results.append(timed_build(site))
    wall, cpu, rss, together = sorted(results)[len(results) // 2]
    out = sum(p.stat().st_size for p in (site / "output").rglob("*") if p.is_file()) / 2**20
    spread = f"runs {min(r[0] for r in results):.2f}–{max(r[0] for r in results):.2f} s"
    return (statistics.median(r[0] for r in results), cpu, rss, together, out,
            _disk_mb(site / "output", site / ".cache"), spread)


def without_cards(site: Path) -> Path:
    """A copy of the site beside it with share cards off."""
    copy = site.with_name(site.name + "-nocards")
    if not (copy / "config.yaml").is_file():
        shutil.copytree(site, copy, ignore=shutil.ignore_patterns("output", ".cache", ".output-spare"), dirs_exist_ok=True)
        config = copy / "config.yaml"
        config.write_text(config.read_text(encoding="utf-8") + "images: {cards: false}\n", encoding="utf-8")
    return copy


def _disk_mb(*folders: Path) -> float:
    """What the folders take on disk together, a file hard-linked from one into another counted once (as du)."""
    seen, blocks = set(), 0
    for folder in folders:
        for path in folder.rglob("*"):
            st = path.lstat()
            if (st.st_dev, st.st_ino) not in seen:
                seen.add((st.st_dev, st.st_ino))
                blocks += st.st_blocks
    return blocks * 512 / 2**20


def timed_build(site: Path, command: str = "build") -> tuple[float, float, float, float]:
    """(wall s, CPU s, peak MB of its largest process, peak MB of all its processes together) of
    `python -m generator COMMAND` in the site folder."""
    # Its messages go to a file, not a pipe: check prints one line per warning, far past a pipe's 64 KB.
    with tempfile.TemporaryFile() as messages:
        started = time.perf_counter()
        process = subprocess.Popen([sys.executable, "-m", "generator", command], cwd=site,
                                   stdout=subprocess.DEVNULL, stderr=messages, env=_BUILD_ENV)
        highest = [0]
        sampler = threading.Thread(target=_sample_memory, args=(process, highest), daemon=True)
        sampler.start()
        _, status, usage = os.wait4(process.pid, 0)  # usage covers the worker processes it waited for
        wall = time.perf_counter() - started
        sampler.join()
        if os.waitstatus_to_exitcode(status) != 0:
            messages.seek(0)
            raise SystemExit(f"{command} failed in {site}:\n{messages.read().decode()[-2000:]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, highest[0] / 1024


def _sample_memory(process: subprocess.Popen, highest: list[int]) -> None:
    """The highest sum of the proportional set sizes (KB) of `process` and its descendants, into highest[0],
    until it is reaped (0 where /proc is missing).

    Read every 50 ms, or after nine times as long as the last reading took if that is longer: the kernel
    walks a process's page tables to tell its PSS, holding its memory map's lock meanwhile (0.1 s for a
    3.5 GB build), so reading it without pause took most of a core and stalled the build's own mmap calls
    (at 100,000 stories a language, its related stage took four times as long)."""
    while os.path.exists(f"/proc/{process.pid}"):
        started = time.perf_counter()
        total = 0
        for pid in _process_tree(process.pid):
            try:
                with open(f"/proc/{pid}/smaps_rollup") as rollup:
                    total += next((int(line.split()[1]) for line in rollup if line.startswith("Pss:")), 0)
            except (OSError, ValueError):  # it ended meanwhile
                pass
        highest[0] = max(highest[0], total)
        time.sleep(max(0.05, 9 * (time.perf_counter() - started)))


def _process_tree(pid: int) -> list[int]:
    found, waiting = [], [pid]
    while waiting:
        here = waiting.pop()
        found.append(here)
        try:
            for task in os.listdir(f"/proc/{here}/task"):
                with open(f"/proc/{here}/task/{task}/children") as children:
                    waiting += [int(child) for child in children.read().split()]
        except OSError:
            pass
    return found


def anchors(size: int, shared: Path, skip_pelican: bool, ours: dict[str, float], runs: int) -> list[tuple]:
    """Hugo's (and Pelican's) full builds, median of `runs`, each beside our cold builds (scenario -> wall s)."""
    env = {**os.environ, "RUNS": str(runs), "SKIP_PELICAN": "1" if skip_pelican else "0"}
    result = subprocess.run(["bash", str(shared / "bench/anchors.sh"), str(size)], capture_output=True, text=True, env=env)
    if result.returncode != 0:
        return [(size, "anchors", 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, f"anchors.sh failed: {result.stderr.strip().splitlines()[-1:]}")]
    rows = []
    for line in result.stdout.splitlines():
        parts = line.split()
        if len(parts) >= 4 and parts[0] in ("hugo", "pelican") and parts[1].replace(".", "").isdigit():
            wall, cpu, rss = float(parts[1]), float(parts[2]), float(parts[3])
            ratios = "; ".join(f"ours {scenario} / {parts[0]} = {ours_wall / wall:.2f}" for scenario, ours_wall in ours.items())
            rows.append((size, f"{parts[0]} (full)", wall, cpu, rss, 0.0, 0.0, 0.0, ratios))
    return rows


if __name__ == "__main__":
    raise SystemExit(main())
