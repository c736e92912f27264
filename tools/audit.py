#!/usr/bin/env python3
"""Lighthouse scores of the sample site's home and article pages, both languages (`make audit`).

Runs npm's lighthouse (installed by `make audit` into .venv/node) with Debian's /usr/bin/chromium,
in Lighthouse's default phone emulation, and prints one row per page (a page with a score below 95 is run three times, and the median
counts); exits 1 if a score is still below 95.
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

LIGHTHOUSE = REPO / ".venv" / "node" / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
PAGES = {"home ar": "", "home en": "en/", "article ar": "2023/09/13/kim-putin-vostochny-summit/",
         "article en": "en/2023/09/13/kim-putin-vostochny-summit/"}
TARGET = 95
RUNS = 3  # for a page below the target: Lighthouse's guidance is the median of several runs


def main() -> int:
    chromium = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
    print(f"{'page':<12} " + " ".join(f"{c:>15}" for c in CATEGORIES))
    worst = 100
    with sample_site() as url, tempfile.TemporaryDirectory() as tmp:
        for name, route in PAGES.items():
            runs = [_scores(url + route, Path(tmp) / "report.json", chromium)]
            if min(runs[0]) < TARGET:  # the performance score swings on a busy machine: the median of three counts
                runs += [_scores(url + route, Path(tmp) / "report.json", chromium) for _ in range(RUNS - 1)]
            scores = [statistics.median(column) for column in zip(*runs)]
            worst = min(worst, *scores)
            print(f"{name:<12} " + " ".join(f"{s:>15}" for s in scores), flush=True)
    print(f"target: every score at least {TARGET}; lowest: {worst}")
    return 0 if worst >= TARGET else 1


def _scores(address: str, report: Path, chromium: str) -> list[int]:
    subprocess.run([str(LIGHTHOUSE), address, "--quiet", "--output=json", f"--output-path={report}",
                    f"--only-categories={','.join(CATEGORIES)}", "--chrome-flags=--headless=new --no-sandbox"],
                   check=True, env={**os.environ, "CHROME_PATH": chromium}, timeout=300)
    categories = json.loads(report.read_text())["categories"]
    return [round(100 * (categories[c]["score"] or 0)) for c in CATEGORIES]


if __name__ == "__main__":
    sys.exit(main())
