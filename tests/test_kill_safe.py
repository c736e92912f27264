"""SIGKILL a real build at each step of writing and publishing.

Whatever the step, output/ is one complete build, never a mix, with one exception that
the next build mends first: a build killed while it moves its files into output/ (an
in-place commit) leaves a journal, and finishing it gives exactly the new build.
"""

from __future__ import annotations

import hashlib
import random
import shutil
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from conftest import article
from generator.writer import recover_output, staging_prefix

STORIES = 120  # per language
WORDS = "قمة روسيا كوريا زيارة اقتصاد طاقة نفط غاز صواريخ فضاء تعاون حدود مفاوضات انتخابات برلمان".split()


def _manifest(output) -> dict[str, str]:
    return {p.relative_to(output).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(output.rglob("*")) if p.is_file()}


def _write_stories(site, round_no: int) -> None:
    rng = random.Random(7)
    files = {}
    for i in range(STORIES):
        words = " ".join(rng.choice(WORDS) for _ in range(200))
        day = f"2023-{1 + i % 12:02d}-{1 + i % 28:02d}"
        # Every round changes one story, so every build differs from the one before it.
        title = f"خبر {i} {'محدث ' + str(round_no) if i == round_no % STORIES else ''}"
        files[f"content/s{i}.ar.md"] = article(title, day, words, tags=f"[{rng.choice(WORDS)}]")
        files[f"content/s{i}.en.md"] = article(f"Story {i}", day, f"Story {i} text. {words}")
    site.write(files)


# Where each build is killed, in order, and whether a whole build's swap is the one-step renameat2
# (True) or the three renames of machines without it. Every third round is cold (no cache), so
# written whole; the others are in place: move:1 puts the journal in place, move:2 on move files.
POINTS = [("pages:first", True), ("pages:half", True), ("exchange", True),
          ("move:1", True), ("move:2", True), ("rename:1", False),
          ("move:3", True), ("cache", True), ("rename:2", False),
          ("move:5", True), ("pages:last", True), ("rename:3", False),
          ("move:4", True), ("pages:half", False), ("cache", False)]
HARNESS = Path(__file__).with_name("kill_points.py")


def _build(site) -> None:
    result = subprocess.run([sys.executable, "-m", "generator", "build"], cwd=site.root,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr


def _killed_at(site, point: str, exchange: bool) -> str:
    """Run a build that stops at `point` (kill_points.py), SIGKILL it there; what it said it reached."""
    args = [sys.executable, str(HARNESS), str(site.root), point] + ([] if exchange else ["--no-exchange"])
    process = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        said = process.stdout.readline().strip()  # "at <point>" once it waits there, or "done"
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
        process.stdin.close()
        process.stdout.close()
        process.stderr.close()
    return said


@pytest.mark.slow  # about 40 s: make test-slow, and CI
def test_builds_killed_at_every_step_leave_a_complete_build(site):
    _write_stories(site, 0)
    _build(site)
    complete = _manifest(site.output)
    assert len(complete) > 4 * STORIES

    landed = Counter()
    for round_no, (point, exchange) in enumerate(POINTS, start=1):
        _write_stories(site, round_no)
        if round_no % 3 == 0:
            shutil.rmtree(site.root / ".cache")  # a cold build, without the cache
        said = _killed_at(site, point, exchange)
        landed[said] += 1
        staged = list(site.root.glob(staging_prefix(site.output) + "*"))
        mid_commit = point.startswith("move:") and int(point.split(":")[1]) > 2
        if mid_commit:  # some files moved, the rest not: what the next build does first, alone
            assert _manifest(site.output) != complete, "the kill came after the first file was moved"
            recover_output(site.output)
        after_kill = _manifest(site.output) if site.output.exists() else None

        _build(site)  # the next build finishes what the killed one left (a swap or a commit) and cleans up
        new_build = _manifest(site.output)
        if mid_commit:
            assert after_kill == new_build, f"killed at {point}: the journal did not finish the commit"
        elif after_kill is not None:
            assert after_kill in (complete, new_build), f"killed at {point}: output/ is a mix of two builds"
        else:  # killed between the first two renames: output/ waits in the backup, put back first
            assert (point, exchange) == ("rename:2", False), f"killed at {point}: output/ went missing"
        if point.startswith("pages"):
            assert staged, f"killed at {point}: inside the staging folder"
        assert not list(site.root.glob(staging_prefix(site.output) + "*")), "leftover staging folder not cleaned"
        assert not [p for p in site.root.iterdir() if p.name not in ("content", "config.yaml", "output", ".cache")]
        complete = new_build
    assert landed == Counter(f"at {point}" for point, _ in POINTS), landed
