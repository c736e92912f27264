"""SIGKILL a real build at random moments: output/ is always one complete build, never a mix."""

from __future__ import annotations

import hashlib
import random
import shutil
import signal
import subprocess
import sys
import time

import pytest

from conftest import article
from generator.writer import staging_prefix

STORIES = 120  # per language
KILLS = 24
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


def _start_build(site) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "generator", "build"], cwd=site.root,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _build(site) -> None:
    result = subprocess.run([sys.executable, "-m", "generator", "build"], cwd=site.root,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr


@pytest.mark.slow  # about 50 s: make test-slow, and CI
def test_killed_builds_leave_a_complete_earlier_build(site):
    _write_stories(site, 0)
    _build(site)
    complete = _manifest(site.output)
    assert len(complete) > 4 * STORIES

    rng = random.Random(2026)
    killed_mid_build = 0
    duration = None
    for round_no in range(1, KILLS + 1):
        _write_stories(site, round_no)
        if round_no % 4 == 0:
            shutil.rmtree(site.root / ".cache")  # every fourth build starts cold, without the cache
        if duration is None or round_no % 4 == 0:
            duration = _timed_build_of_a_copy(site)
        process = _start_build(site)
        time.sleep(rng.uniform(0.1, 1.0) * duration)
        process.send_signal(signal.SIGKILL)
        finished = process.wait() == 0
        killed_mid_build += not finished
        after_kill = _manifest(site.output)

        started = time.perf_counter()
        _build(site)
        duration = time.perf_counter() - started
        new_build = _manifest(site.output)
        assert after_kill in (complete, new_build), f"round {round_no}: output/ is a mix of two builds"
        assert not list(site.root.glob(staging_prefix(site.output) + "*")), "leftover staging folder not cleaned"
        assert not [p for p in site.root.iterdir() if p.name not in ("content", "config.yaml", "output", ".cache", ".output-spare")]
        complete = new_build
    assert killed_mid_build >= KILLS * 2 // 3, f"only {killed_mid_build} kills landed before the build ended"


def _timed_build_of_a_copy(site) -> float:
    """How long the next build will take, measured on a copy so the site itself is not touched."""
    copy = site.root.parent / "timing-copy"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(site.root, copy, symlinks=True)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "generator", "build"], cwd=copy, capture_output=True, check=True, timeout=120)
    elapsed = time.perf_counter() - started
    shutil.rmtree(copy)
    return elapsed
