#!/usr/bin/env python3
"""What one very large article adds to a cold build, and how much of it is Python-Markdown.

Usage: python bench/big_article.py [--megabytes 10] [--runs 3]

Builds the same small site (the sample content) with and without one Arabic
article of the given size (prose paragraphs with bold text and links), cold
(`--no-cache`, one process), and prints the median wall times, the extra time,
and the time Python-Markdown alone takes to convert that body.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
from generator.markup import render_markdown  # noqa: E402

PARAGRAPH = "فقرة من خبر طويل عن **القمة** بين الزعيمين في الشرق الأقصى، مع [رابط](https://example.org).\n\n"


def build_seconds(site: Path) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "generator", "build", "--no-cache", "--jobs", "1"], cwd=site,
                   check=True, capture_output=True, env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"})
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--megabytes", type=float, default=10)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    body = PARAGRAPH * int(args.megabytes * 1e6 // len(PARAGRAPH.encode())) + "الفقرة الأخيرة.\n"
    with tempfile.TemporaryDirectory() as tmp:
        plain, big = Path(tmp) / "plain", Path(tmp) / "big"
        for site in (plain, big):
            site.mkdir()
            shutil.copy(REPO / "config.yaml", site)
            shutil.copytree(REPO / "content", site / "content")
        (big / "content" / "2024" / "06" / "long-read.ar.md").write_text(
            f"---\ntitle: خبر طويل جدا\ndate: 2024-06-20\nsummary: ملخص.\n---\n{body}", encoding="utf-8")
        without, with_big, markdown = [], [], []
        for _ in range(args.runs):  # alternated, so both see the same machine load
            without.append(build_seconds(plain))
            with_big.append(build_seconds(big))
            started = time.perf_counter()
            render_markdown(body)
            markdown.append(time.perf_counter() - started)
    a, b, m = statistics.median(without), statistics.median(with_big), statistics.median(markdown)
    print(f"{'MB':>5} {'without s':>10} {'with s':>8} {'extra s':>8} {'markdown s':>11} {'markdown share':>15}")
    print(f"{args.megabytes:>5.1f} {a:>10.2f} {b:>8.2f} {b - a:>8.2f} {m:>11.2f} {m / max(b - a, 1e-9):>15.0%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
