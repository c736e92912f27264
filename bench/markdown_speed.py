#!/usr/bin/env python3
"""Time Mujaz's Markdown converter beside plain Python-Markdown on the same bodies, and check the HTML is the same.

Usage: python bench/markdown_speed.py [--articles 1000] [--shared ../shared] [--runs 3] [DIR ...]

Bodies come from the Markdown files under each DIR, or else from a site of N articles
per language made with SHARED/bench/make_corpus.py and to_site.py --format project.
Both converters have the same extensions; Mujaz's adds the shortcuts of
generator/markup.py (searches that cannot match are skipped). Runs alternate, one
process, and the table shows the median seconds over all bodies.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import markdown

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from generator.config import MarkdownConfig  # noqa: E402
from generator.markup import MujazExtension, _converter  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dirs", nargs="*", type=Path, help="folders of Markdown files (default: a synthetic site)")
    parser.add_argument("--articles", type=int, default=1000, help="articles per language of the synthetic site")
    parser.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[2] / "shared")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if args.dirs:
        bodies = _bodies(args.dirs)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            corpus, site = Path(tmp) / "corpus.jsonl", Path(tmp) / "site"
            subprocess.run([sys.executable, str(args.shared / "bench/make_corpus.py"), "--articles", str(args.articles),
                            "--out", str(corpus)], check=True, capture_output=True)
            subprocess.run([sys.executable, str(args.shared / "bench/to_site.py"), "--format", "project", str(corpus),
                            str(site)], check=True, capture_output=True)
            bodies = _bodies([site / "content"])
    stock = markdown.Markdown(extensions=["extra", "toc", "sane_lists", MujazExtension("/", MarkdownConfig())],
                              extension_configs={"toc": {"permalink": False, "toc_depth": "2-4"}}, output_format="html")
    converters = {"Python-Markdown": stock, "Mujaz": _converter("/", MarkdownConfig())}
    times: dict[str, list[float]] = {name: [] for name in converters}
    html: dict[str, list[str]] = {}
    for _ in range(args.runs):
        for name, md in converters.items():
            started = time.perf_counter()
            html[name] = [_convert(md, body) for body in bodies]
            times[name].append(time.perf_counter() - started)
    same = html["Python-Markdown"] == html["Mujaz"]
    base = statistics.median(times["Python-Markdown"])
    print(f"{'converter':<16} {'bodies':>7} {'median s':>9} {'ms/body':>8} {'ratio':>6} {'same HTML':>10}")
    for name in converters:
        median = statistics.median(times[name])
        print(f"{name:<16} {len(bodies):>7} {median:>9.3f} {1000 * median / len(bodies):>8.3f} {median / base:>6.2f} "
              f"{'yes' if same else 'NO':>10}")
    return 0 if same else 1


def _bodies(dirs: list[Path]) -> list[str]:
    bodies = []
    for folder in dirs:
        for path in sorted(folder.rglob("*.md")):
            text = path.read_text(encoding="utf-8")
            bodies.append(text.split("---\n", 2)[2] if text.startswith("---\n") else text)
    return bodies


def _convert(md: markdown.Markdown, body: str) -> str:
    md.reset()
    return md.convert(body)


if __name__ == "__main__":
    sys.exit(main())
