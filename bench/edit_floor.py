#!/usr/bin/env python3
"""The floor under an edit's build: what any fresh `build` process pays on a built site before it does the edit's
own work, part by part, each in a process of its own.

Usage: python bench/edit_floor.py SITE_DIR [--runs 5]

SITE_DIR is a site built once (bench/run.py makes them). The parts:

* start: the interpreter starting and stopping, nothing imported (`python -c pass`, timed from outside);
* imports: the generator's modules a build with work to do imports, and the libraries they import
  (Jinja2, Python-Markdown, PyYAML, Babel);
* numeric: NumPy and scipy.sparse, which updating a related list needs (the stories' vectors);
* templates: the theme's templates compiled by Jinja2, as the pages of an edit need them;
* content: every file under content/ listed and stat'ed, with no Mujaz code: how an edit is found;
* output: every file and folder of output/ lstat'ed, with no Mujaz code: how a build knows output/ is as it
  left it (it knows the names from its cache: listing them is not timed). A build does this on processes of
  its own, beside the others, so the floor leaves it out;
* state: the last build's cache an edit reads, with the collector off as in a build (the stories' front matter
  and rendered bodies' entries, the term memo and related model, the related lists, the page graph's families
  and page copies, the search indexes), imports done first: what a build that keeps its model in the cache pays
  before it plans. (The pages' records are read for the pages a build plans: not timed here.)

The floor is the sum of the parts but the last two: nothing an edit does itself (reading the cache, planning,
rendering, saving) is in it. With the state, it is what this design pays for an edit whatever the edit.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

_TIMED = """
import time
started = time.perf_counter()
{body}
print(time.perf_counter() - started)
"""

PARTS = {
    "imports": "import generator.build, generator.rebuild, generator.pipeline, generator.related",
    "numeric": "import numpy, scipy.sparse",
    "templates": """
from pathlib import Path
from generator.config import load_config
from generator.templates import Renderer
from generator.theme import find_theme
from generator.urls import Urls
config = load_config(Path("config.yaml"))
theme = find_theme(config)
started = time.perf_counter()  # the part is the compiling, not the imports before it
renderer = Renderer(config, Urls(config.base_url, config.default_language), theme, True)
for folder in theme.template_dirs:
    for path in sorted(folder.glob("*")):
        if path.is_file() and not path.name.startswith("_"):
            renderer.env.get_template(path.name)
""",
    "content": """
import os
def walk(folder):
    count = 0
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                count += walk(entry.path)
            elif entry.name.endswith(".md"):
                os.stat(entry.path)
                count += 1
    return count
walk("content")
""",
    "output": """
import os
paths = []
for folder, _, names in os.walk("output"):
    paths.append(folder)
    paths += [os.path.join(folder, name) for name in names]
started = time.perf_counter()  # the part is the looking, one lstat a file and a folder, not the listing before it
for path in paths:
    os.lstat(path)
""",
    "state": """
import gc
from pathlib import Path
import numpy, scipy.sparse
import generator.build, generator.rebuild, generator.pipeline, generator.related, generator.relatedmodel
from generator.cache import CACHE_DIR, BuildCache, cache_salts
from generator.config import load_config
from generator.theme import find_theme
gc.disable()
config = load_config(Path("config.yaml"))
salts = cache_salts(config, find_theme(config), True)
started = time.perf_counter()  # the part is the reading, not the imports before it
cache = BuildCache.load(config.root / CACHE_DIR, salts)
cache.load_documents()
cache.load_content()
cache.load_search()
assert cache.graph is not None and cache.documents, "the site's cache is not this code's: build it first"
""",
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    site = args.site.resolve()
    if not (site / "output").is_dir():
        parser.error(f"{site} has no output/: build it first")
    env = {"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"}
    seconds: dict[str, list[float]] = {name: [] for name in ("start", *PARTS)}
    for _ in range(args.runs):  # the parts take turns, so a slow minute of the machine falls on all of them
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True, cwd=site, env=env)
        seconds["start"].append(time.perf_counter() - started)
        for name, body in PARTS.items():
            done = subprocess.run([sys.executable, "-c", _TIMED.format(body=body)], check=True, cwd=site, env=env,
                                  capture_output=True, text=True)
            seconds[name].append(float(done.stdout.split()[-1]))
    medians = {name: statistics.median(values) for name, values in seconds.items()}
    print(f"{'part':<10} {'median s':>9}  runs")
    for name, values in seconds.items():
        print(f"{name:<10} {medians[name]:>9.3f}  " + ", ".join(f"{v:.3f}" for v in values))
    floor = sum(value for name, value in medians.items() if name not in ("output", "state"))
    print(f"{'floor':<10} {floor:>9.3f}  (every part but output, which a build does beside on other processes, and state)")
    print(f"{'with state':<10} {floor + medians['state']:>9.3f}  (the floor and the cache an edit reads)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
