#!/usr/bin/env python3
"""Edit-to-reload latency of `python -m generator serve`, beside `hugo server` on the same corpus.

Usage: python bench/serve_latency.py [--sizes 1000,10000] [--edits 10] [--shared ../shared] [--work DIR] [--hugo]

For each size, a site of N articles per language (make_corpus.py + to_site.py --format
project, as bench/run.py makes it) is served; a WebSocket client connects to /livereload
the way the browser's livereload.js does, then the script appends one sentence to a
different article --edits times and measures the time from the file write to the
"reload" message. It prints the median, min and max. With --hugo, SHARED/bench/serve_rebuild.py
measures `hugo server` on the same corpus in the same run (its "observed" time is from the
write to Hugo's log line; Hugo's browser reload follows it).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

from tornado import ioloop, websocket

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import REPO, make_site  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--edits", type=int, default=10)
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--work", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "mujaz-bench")
    parser.add_argument("--hugo", action="store_true", help="also measure hugo server (anchors.sh must have run)")
    args = parser.parse_args()
    rows = []
    for size in (int(s) for s in args.sizes.split(",")):
        site = make_site(size, args.shared, args.work)
        first, last = measure(site, args.edits)
        rows.append((size, "mujaz: edited page shown", first))
        rows.append((size, "mujaz: exact rebuild done", last))
        if args.hugo:
            rows.append((size, "hugo server", hugo(size, args.shared, args.edits)))
    print(f"{'articles/lang':>13} {'measure':<26} {'median ms':>10} {'min ms':>8} {'max ms':>8}  edits")
    for size, name, times in rows:
        if times:
            print(f"{size:>13} {name:<26} {statistics.median(times):>10.0f} {min(times):>8.0f} {max(times):>8.0f}  {len(times)}")
        else:
            print(f"{size:>13} {name:<26} {'n/a':>10}")
    print("mujaz: file write -> reload message on the WebSocket (first: the edited page; last: after the exact rebuild)")
    print("hugo: file write -> its 'Built in' log line (serve_rebuild.py 'observed'); its browser reload follows")
    return 0


def measure(site: Path, edits: int) -> tuple[list[float], list[float]]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = site / ".bench-serve.log"
    with log.open("w") as out:
        server = subprocess.Popen([sys.executable, "-m", "generator", "serve", "--port", str(port)], cwd=site,
                                  stdout=out, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONPATH": str(REPO)})
    try:
        deadline = time.monotonic() + 600
        while "Serving http" not in log.read_text():
            if server.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(log.read_text())
            time.sleep(0.1)
        return ioloop.IOLoop.current().run_sync(lambda: _edits(site, port, edits, log), timeout=1800)
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=30)


async def _edits(site: Path, port: int, edits: int, log: Path) -> tuple[list[float], list[float]]:
    """Per edit: ms to the first reload message (the edited page) and to the last (the exact rebuild)."""
    client = await websocket.websocket_connect(f"ws://127.0.0.1:{port}/livereload")
    client.write_message(json.dumps({"command": "hello", "protocols": ["http://livereload.com/protocols/official-7"]}))
    await client.read_message()
    client.write_message(json.dumps({"command": "info", "url": f"http://127.0.0.1:{port}/", "plugins": {}}))
    files = sorted((site / "content").rglob("*.md"))
    first, last = [], []
    originals = {}
    try:
        for i in range(edits):
            path = files[(i * 97) % len(files)]
            originals.setdefault(path, path.read_bytes())
            text = path.read_text(encoding="utf-8")
            rebuilt = log.read_text().count("Rebuilt in")
            started = time.perf_counter()
            path.write_text(text + f"\nA sentence added by edit {i}.\n", encoding="utf-8")
            times = []
            while not times or log.read_text().count("Rebuilt in") == rebuilt:
                try:
                    message = await asyncio.wait_for(client.read_message(), timeout=0.05)
                except asyncio.TimeoutError:
                    continue
                if message is None:
                    raise SystemExit("the server closed the WebSocket")
                if json.loads(message).get("command") == "reload":
                    times.append((time.perf_counter() - started) * 1000)
            while log.read_text().count("Rebuilt in") > rebuilt and len(times) < 2:
                try:  # the exact rebuild's reload follows its log line at once
                    message = await asyncio.wait_for(client.read_message(), timeout=0.5)
                except asyncio.TimeoutError:
                    break
                if message and json.loads(message).get("command") == "reload":
                    times.append((time.perf_counter() - started) * 1000)
            first.append(times[0])
            last.append(times[-1])
            await asyncio.sleep(0.5)  # an editor's pause between saves
    finally:
        for path, data in originals.items():
            path.write_bytes(data)
    client.close()
    return first, last


def hugo(size: int, shared: Path, edits: int) -> list[float]:
    work = Path(os.environ.get("WORK", Path.home() / ".cache/mujaz-anchors"))
    site = work / "sites" / f"n{size}" / "hugo"
    venv = Path(os.environ.get("VENV", work / "venv"))
    binary = next(iter(venv.glob("lib/python*/site-packages/hugo/binaries/hugo")), None)
    if not site.is_dir() or binary is None:
        return []
    result = subprocess.run([sys.executable, str(shared / "bench/serve_rebuild.py"), "--tool", "hugo", "--bin", str(binary),
                             "--edits", str(edits), str(site)], capture_output=True, text=True, timeout=1800)
    try:
        data = json.loads(result.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return []
    return [float(edit["observed_ms"]) for edit in data.get("edits", []) if "observed_ms" in edit]


if __name__ == "__main__":
    raise SystemExit(main())
