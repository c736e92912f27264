"""Worker processes only as many as the memory left can hold: a big site on a small runner builds slower, never
killed."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from conftest import article
from generator import memory, workers

GB = 2**30
ROOT = Path(__file__).resolve().parent.parent


def _fake_system(tmp_path, monkeypatch, meminfo_kb: int, cgroup_lines: list[str], files: dict[str, str]) -> None:
    proc, cgroups = tmp_path / "proc", tmp_path / "cgroup"
    (proc / "self").mkdir(parents=True)
    (proc / "meminfo").write_text(f"MemTotal:       99999999 kB\nMemAvailable:   {meminfo_kb} kB\n")
    (proc / "self/cgroup").write_text("\n".join(cgroup_lines) + "\n")
    for rel, text in files.items():
        (cgroups / rel).parent.mkdir(parents=True, exist_ok=True)
        (cgroups / rel).write_text(text)
    monkeypatch.setattr(memory, "PROC", proc)
    monkeypatch.setattr(memory, "CGROUPS", cgroups)


def test_free_memory_is_the_systems_without_a_limit(tmp_path, monkeypatch):
    _fake_system(tmp_path, monkeypatch, 8 * 2**20, ["0::/user.slice"], {"user.slice/memory.max": "max\n"})
    assert memory.free() == 8 * GB


def test_free_memory_is_what_a_cgroup_v2_limit_above_this_one_leaves(tmp_path, monkeypatch):
    """A runner's limit set on a parent group counts; files cached and not read lately count as free."""
    _fake_system(tmp_path, monkeypatch, 20 * 2**20, ["0::/runner/job"], {
        "runner/job/memory.max": "max\n",
        "runner/memory.max": f"{7 * GB}\n", "runner/memory.current": f"{6 * GB}\n",
        "runner/memory.stat": f"anon {5 * GB}\ninactive_file {GB // 2}\nactive_file 100\n",
    })
    assert memory.free() == GB + GB // 2


def test_free_memory_under_a_cgroup_v1_limit(tmp_path, monkeypatch):
    _fake_system(tmp_path, monkeypatch, 20 * 2**20, ["4:memory:/docker/abc", "1:cpu:/docker/abc"], {
        "memory/docker/abc/memory.limit_in_bytes": f"{4 * GB}\n", "memory/docker/abc/memory.usage_in_bytes": f"{3 * GB}\n",
        "memory/docker/abc/memory.stat": f"cache {GB}\ntotal_inactive_file {GB // 4}\n",
        "memory/memory.limit_in_bytes": "9223372036854771712\n",  # the root group: no limit
    })
    assert memory.free() == GB + GB // 4


_COMPUTED = multiprocessing.get_context("fork").Event()  # set in the worker
_ARRIVED = threading.Event()  # set in this process, as it unpickles a result


class _Result:
    def __init__(self, value: int):
        self.value = value

    def __reduce__(self):
        return _arrived, (self.value,)


def _arrived(value: int) -> int:
    _ARRIVED.set()
    return value


def _work(state: int, i: int) -> _Result:
    _COMPUTED.set()
    return _Result(state + i)


def test_held_workers_send_their_results_only_when_they_are_waited_for():
    """A result arrives whole in the build's process: the search index of a build from nothing at 100,000
    stories a language (0.5 GB) came in the middle of the related stage and made its peak."""
    _COMPUTED.clear()
    _ARRIVED.clear()
    wait = workers.start_indices(_work, 40, 2, 1, background=True, hold=True)
    assert _COMPUTED.wait(timeout=60), "the worker ran"
    # That something does not happen needs a bound: sent at once, a result arrives within milliseconds.
    assert not _ARRIVED.wait(timeout=1), "the result came before it was waited for"
    assert wait() == [40, 41] and _ARRIVED.is_set()


def test_workers_are_counted_against_the_memory_left(monkeypatch):
    monkeypatch.setattr(memory, "held", lambda: 2 * GB)
    monkeypatch.setattr(memory, "free", lambda: 5 * GB)  # the build grows by 1 GB; a worker counts as 1 GB
    assert workers.affordable(8) == 4
    assert workers.affordable(2) == 2
    assert workers.affordable(8, growth=4 * GB) == 1, "a stage beside which the build grows by 4 GB"
    assert workers.affordable(8, each=GB) == 2, "workers with 1 GB of work of their own"
    monkeypatch.setattr(memory, "free", lambda: 2 * GB)
    assert workers.affordable(2) == 1
    monkeypatch.setattr(memory, "free", lambda: GB)
    assert workers.affordable(2) == 0
    monkeypatch.setattr(memory, "free", lambda: None)  # not Linux: as many as asked
    assert workers.affordable(2) == 2


def _forks(monkeypatch) -> list[str]:
    forks: list[str] = []
    real = workers.multiprocessing.get_context
    monkeypatch.setattr(workers.multiprocessing, "get_context", lambda method: forks.append(method) or real(method))
    return forks


@pytest.mark.parametrize("short", [False, True])
def test_a_build_short_of_memory_forks_no_worker_and_writes_the_same_site(site, tmp_path, monkeypatch, short):
    monkeypatch.setattr(workers, "default_jobs", lambda: 2)  # as a two-core runner, whatever runs the test
    if short:
        monkeypatch.setattr(memory, "free", lambda: memory.held())  # less than the build may grow by
    files = {f"content/2023/{i:03d}-story.{lang}.md": article(f"{'خبر' if lang == 'ar' else 'Story'} {i}",
                                                              f"2023-05-{i % 28 + 1:02d}", f"body {i} text {i % 7}",
                                                              tags=f"[t{i % 5}]")
             for i in range(140) for lang in ("ar", "en")}
    site.write(files)
    forks = _forks(monkeypatch)
    site.build()
    assert (forks == []) if short else len(forks) >= 2, forks
    clean = type(site)(tmp_path / "reference")
    clean.write(files)
    monkeypatch.setattr(memory, "free", lambda: None)
    clean.build(jobs=1)
    assert site.snapshot() == clean.snapshot()


def test_the_search_index_is_built_beside_the_related_stage_only_if_its_growth_fits(site, tmp_path, monkeypatch):
    """The related stage grows the build while the index is built beside it: processes it would not leave room
    for are not started, and the index is built once the related lists are done."""
    import generator.search as search

    monkeypatch.setattr(workers, "default_jobs", lambda: 2)
    monkeypatch.setattr(search, "PARALLEL_FROM", 1)
    monkeypatch.setattr(memory, "free", lambda: 8 * memory.held())  # room for every other stage's workers
    asked = []
    real = search.start_indices
    monkeypatch.setattr(search, "start_indices", lambda *args, **kw: asked.append(args[3]) or real(*args, **kw))
    files = {f"content/2023/{i:02d}-story.{lang}.md": article(f"Story {i}", f"2023-05-{i % 28 + 1:02d}", f"text {i}")
             for i in range(20) for lang in ("ar", "en")}
    site.write(files)
    site.build(cache=False)
    assert asked == [2], "a process a language, beside the related stage"
    beside = site.snapshot()
    monkeypatch.setattr(search, "RELATED_GROWTH", 10 * memory.held())  # a stage that would take it all
    site.build(cache=False)
    assert asked == [2, 0], "built after the related stage, on the build's own process"
    assert site.snapshot() == beside


_SENDING = multiprocessing.get_context("fork").Event()  # set in a worker as it hands back a large result


def _large(size: int, i: int) -> bytes:
    _SENDING.set()
    return bytes(size)  # sent after this returns: megabytes take a while to go through a pipe


def test_work_cancelled_while_its_results_are_sent_ends():
    """multiprocessing.Pool killed its workers to cancel, one of them at times halfway through a result, and then
    waited forever for the rest of it: a build that failed while output/ was checked beside it hung (seen once in
    `make test`). Each round cancels just as a worker sends; a subprocess bounds the whole."""
    script = ("import sys; sys.path[:0] = ['tests', '.']\n"
              "from test_workers import _SENDING, _large\n"
              "from generator.workers import start_indices\n"
              "for _ in range(40):\n"
              "    _SENDING.clear()\n"
              "    pending = start_indices(_large, 8_000_000, 6, 2, per_job=1)\n"
              "    assert _SENDING.wait(60)\n"
              "    pending.cancel()\n"
              "    assert not __import__('multiprocessing').active_children()\n"
              "print('ended')\n")
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=240)
    assert done.stdout == "ended\n", done.stderr[-2000:]


def _killed(state: None, i: int) -> int:
    if i == 3:
        os.kill(os.getpid(), signal.SIGKILL)  # as the system does to a process when memory runs out
    return i


def test_a_worker_killed_stops_the_work_with_a_message_not_a_wait_forever():
    script = ("import sys; sys.path[:0] = ['tests', '.']\n"
              "from test_workers import _killed\n"
              "from generator.errors import MujazError\n"
              "from generator.workers import map_indices\n"
              "try:\n"
              "    map_indices(_killed, None, 8, 2)\n"
              "except MujazError as error:\n"
              "    print(error)\n")
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.stdout == workers.LOST + "\n", done.stderr[-2000:]


def _until_cancelled(started, i: int) -> int:
    started.set()
    while not workers.cancelled():  # a long item, looking now and then whether it is still wanted
        sum(range(1000))
    return i


def test_an_item_that_looks_whether_it_was_cancelled_ends_when_it_is():
    started = multiprocessing.get_context("fork").Event()
    pending = workers.start_indices(_until_cancelled, started, 2, 2, per_job=1)
    assert started.wait(timeout=60)
    pending.cancel()  # would wait forever for items that never look
    assert not multiprocessing.active_children()
    assert not workers.cancelled(), "never in the build's own process"


def _forever(state: None, i: int) -> int:
    threading.Event().wait()  # work that never ends, as a build killed midway leaves it
    return i


@pytest.mark.parametrize("told_by_the_system", [True, False])
def test_workers_end_with_a_build_that_is_killed_and_release_its_lock(tmp_path, told_by_the_system):
    """multiprocessing.Pool's workers ended when the pipe to their build closed; concurrent.futures' wait for work
    forever. Workers left behind by a SIGKILLed build held its lock (a lock on an open file, which forked processes
    share), and the next build refused to run: test_kill_safe.py failed in CI."""
    import fcntl

    lock = tmp_path / "lock"
    script = ("import fcntl, multiprocessing, os, sys; sys.path[:0] = ['tests', '.']\n"
              "from test_workers import _forever\n"
              "from generator import workers\n"
              "from generator.workers import start_indices\n"
              # Where prctl refuses (not Linux), each worker looks for its build every second.
              f"workers.PR_SET_PDEATHSIG = {'workers.PR_SET_PDEATHSIG' if told_by_the_system else -1}\n"
              f"fd = os.open({str(lock)!r}, os.O_RDWR | os.O_CREAT)\n"
              "fcntl.flock(fd, fcntl.LOCK_EX)\n"
              "pending = start_indices(_forever, None, 4, 2, per_job=1)\n"
              "print(*[p.pid for p in multiprocessing.active_children()], flush=True)\n"
              "sys.stdin.readline()\n")
    build = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             text=True)
    workers_of_it = [int(pid) for pid in build.stdout.readline().split()]
    assert len(workers_of_it) == 2
    build.kill()
    build.wait(timeout=60)
    fd = os.open(lock, os.O_RDWR)
    taken = threading.Thread(target=fcntl.flock, args=(fd, fcntl.LOCK_EX), daemon=True)  # waits for the lock
    try:
        taken.start()
        taken.join(timeout=60)
        assert not taken.is_alive(), "the killed build's workers still hold its lock"
    finally:
        os.close(fd)
        for pid in workers_of_it:  # if the test failed, none is left behind
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
    build.stdin.close()
    build.stdout.close()
