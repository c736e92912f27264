"""The preview's builds, on a process of their own.

`serve` starts this process before its web server and watcher start any thread:
a build forks worker processes, and forking a process that runs threads can
deadlock the child on a lock another thread held. Here builds also run on a main
thread, where the Markdown time budget (limits.py) can interrupt them.

The server sends the paths that changed; the builder answers with messages: Shown
(edited article pages rewritten at once, before the exact build), then Built or
Failed. It keeps the last good site model for the next fast render.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from dataclasses import dataclass
from pathlib import Path

from .build import BuildOptions, build
from .content import read_source
from .errors import BuildError, MujazError
from .rebuild import Model, render_edited


@dataclass(frozen=True)
class Settings:
    config_path: Path
    output: Path
    cache_dir: Path
    site_url: str


@dataclass(frozen=True)
class Shown:
    """Edited article pages, or the theme's stylesheets, were rewritten ahead of the exact build."""

    milliseconds: float
    stylesheet: bool = False  # only the theme's assets: the page swaps its stylesheet, without a reload


@dataclass(frozen=True)
class Built:
    seconds: float
    rendered: int
    warnings: tuple[str, ...]
    changed: tuple[str, ...]


@dataclass(frozen=True)
class Failed:
    errors: tuple[str, ...]


class Builder:
    """The handle the server keeps: send changed paths, receive messages."""

    def __init__(self, settings: Settings):
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
        self._connection, child = context.Pipe()
        # Not a daemon: daemonic processes may not start the build's worker processes.
        self.process = context.Process(target=_run, args=(child, self._connection, settings), name="mujaz-builder")
        self.process.start()
        child.close()

    def request(self, changed: tuple[str, ...]) -> None:
        """Rebuild after `changed` (site-relative paths; empty for the first build)."""
        self._connection.send(changed)

    def receive(self) -> Shown | Built | Failed:
        """The next message; EOFError once the builder has stopped."""
        return self._connection.recv()

    def stop(self) -> None:
        try:
            self._connection.send(None)
        except OSError:
            pass
        self.process.join(timeout=10)
        if self.process.is_alive():
            self.process.terminate()
            self.process.join()
        self._connection.close()


def _run(connection, server_end, settings: Settings) -> None:
    """The builder process: one request at a time, until told to stop or the server goes away."""
    server_end.close()  # else the pipe would never report the server gone
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole process group; the server stops us
    model: Model | None = None
    while True:
        try:
            changed = connection.recv()
        except (EOFError, OSError):
            return
        if changed is None:
            return
        if model is not None and changed:
            shown = _fast_copy(model, settings, changed) or _fast_render(model, settings, changed)
            if shown is not None:
                connection.send(shown)
        started = time.perf_counter()
        try:
            result = build(BuildOptions(config_path=settings.config_path, output=settings.output,
                                        base_url=settings.site_url, drafts=True, cache_dir=settings.cache_dir,
                                        keep_model=True, versioned_assets=False))
        except BuildError as exc:
            model = None
            connection.send(Failed(tuple(str(d) for d in exc.diagnostics)))
        except MujazError as exc:
            model = None
            connection.send(Failed((str(exc),)))
        else:
            model = result.model
            connection.send(Built(time.perf_counter() - started, result.rendered,
                                  tuple(str(w) for w in result.warnings), tuple(changed)))


def _fast_copy(model: Model, settings: Settings, changed: tuple[str, ...]) -> Shown | None:
    """A stylesheet of the theme saved: copied into the preview at once (the preview links it by its plain
    name), before the exact build, which renders no page for it. A link is left to the exact build, which
    refuses one that leads out of the site."""
    static, root = model.renderer.theme.static_dir, model.config.root
    if static is None or not all(r.endswith(".css") for r in changed):
        return None
    static = static.resolve()
    sources = [root / r for r in changed]
    if not all(p.parent.resolve().is_relative_to(static) and p.is_file() and not p.is_symlink() for p in sources):
        return None
    names = [(Path("assets") / p.parent.resolve().relative_to(static) / p.name).as_posix() for p in sources]
    if not all((settings.output / name).is_file() for name in names):
        return None  # a new stylesheet: no page links it before the exact build
    started = time.perf_counter()
    _write_now(settings, [(name, source.read_bytes()) for name, source in zip(names, sources)])
    return Shown(1000 * (time.perf_counter() - started), stylesheet=True)


def _fast_render(model: Model, settings: Settings, changed: tuple[str, ...]) -> Shown | None:
    """Like Hugo's fast render: an edited article's page is rewritten at once, before the exact build
    (which also redoes listings, feeds and related lists)."""
    if not all(r.startswith("content/") and r.endswith(".md") for r in changed):
        return None
    started = time.perf_counter()
    root = model.config.root
    try:
        files = render_edited(model, [read_source(model.config, root / r) for r in sorted(changed)])
    except (OSError, MujazError):
        return None  # the exact build reports whatever is wrong
    if not files:
        return None
    _write_now(settings, files)
    return Shown(1000 * (time.perf_counter() - started))


def _write_now(settings: Settings, files: list[tuple[str, bytes]]) -> None:
    """Files of the preview replaced ahead of the exact build, each whole (a page being read is never half)."""
    for name, data in files:
        target = settings.output / name
        temporary = target.with_name(f".{target.name}.preview")
        temporary.write_bytes(data)
        os.replace(temporary, target)
