"""`serve`: build with drafts, serve under the site's base path with livereload, rebuild on save.

The only module that imports livereload (and watchfiles). livereload provides the
web server, the script it injects into pages and the reload messages; its own
watcher polls every 0.8 s, misses new files and ignores changes for 3 s after a
reload, so watching is done here with watchfiles (inotify), and bursts of saves
are folded into one rebuild. The preview is written to .cache/mujaz-preview/site,
so drafts never reach output/.
"""

from __future__ import annotations

import mimetypes
import os
import re
import threading
import time
import webbrowser
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import jinja2
import watchfiles
from livereload import Server
from livereload.handlers import LiveReloadHandler
from tornado.ioloop import IOLoop

from .build import CACHE_DIR, BuildOptions, BuildResult, Model, build, render_edited
from .config import load_config
from .content import read_source
from .errors import BuildError, MujazError
from .templates import BUNDLED_THEMES, find_theme

WATCHED = ("content", "themes", "templates", "static", "config.yaml")
_EDITOR_DROPPINGS = re.compile(r"(\.sw[a-p]x?|~|\.tmp|\.bak)$|^\.#|^#.*#$|^4913$|^\.~lock\.")
PREVIEW_DIR = CACHE_DIR.parent / "mujaz-preview"
QUIET = 0.15  # seconds without a save that end a burst


@dataclass(frozen=True)
class ServeOptions:
    config_path: Path = Path("config.yaml")
    host: str = "127.0.0.1"
    port: int = 8000
    open_browser: bool = False
    log: Callable[[str], None] = print


def is_watched(root: Path, path: str) -> bool:
    """True for a change worth a rebuild: inside a watched folder, not an editor's temporary file."""
    try:
        rel = Path(os.path.abspath(path)).relative_to(root)
    except ValueError:
        return False
    if not rel.parts or rel.parts[0] not in WATCHED or _EDITOR_DROPPINGS.search(rel.name):
        return False
    return not any(part.startswith(".") or part == "__pycache__" for part in rel.parts[:-1])


class Preview:
    """The state that the watcher, the builder and the web app share; all but the watcher run on the IOLoop."""

    def __init__(self, options: ServeOptions):
        self.options = options
        config = load_config(options.config_path)
        self.root = config.root
        self.base_path = config.base_path
        self.site_url = f"http://{options.host}:{options.port}{self.base_path}"
        self.output = self.root / PREVIEW_DIR / "site"
        self.errors: tuple[str, ...] = ()
        self._overlays: dict[bool, bytes] = {}
        self._pending: set[str] = set()
        self._lock = threading.Lock()
        self.loop: IOLoop | None = None  # set by serve() before the watcher starts
        self._last_change = 0.0
        self._timer: object | None = None
        self._building = False
        self.model: Model | None = None
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="mujaz-build")

    # --- building -------------------------------------------------------
    def rebuild(self, changed: Iterable[str] = ()) -> BuildResult | None:
        """The exact build of the preview; runs on the builder thread, so pages are served meanwhile."""
        started = time.perf_counter()
        try:
            result = build(BuildOptions(config_path=self.options.config_path, output=self.output, base_url=self.site_url,
                                        drafts=True, cache_dir=self.root / PREVIEW_DIR / "cache", keep_model=True))
        except BuildError as exc:
            self._failed(tuple(str(d) for d in exc.diagnostics))
        except MujazError as exc:
            self._failed((str(exc),))
        else:
            self.errors, self.model = (), result.model
            for warning in result.warnings:
                self.options.log(str(warning))
            self.options.log(f"Rebuilt in {time.perf_counter() - started:.2f} s ({result.rendered} pages rendered)"
                             + (f" after {', '.join(sorted(changed))}" if changed else ""))
            return result
        for line in self.errors:
            self.options.log(line)
        return None

    def _failed(self, errors: tuple[str, ...]) -> None:
        """Keep the last good pages; every page served from now on carries the errors."""
        self._overlays = {standalone: self._overlay(errors, standalone) for standalone in (False, True)}
        self.errors, self.model = errors, None

    def changed(self, paths: set[str]) -> None:
        """Called from the watcher thread: queue the paths for the IOLoop."""
        with self._lock:
            self._pending |= paths
        assert self.loop is not None
        self.loop.add_callback(self._on_change)

    def _on_change(self) -> None:
        """A save after a quiet spell rebuilds at once; saves in a burst wait for it to end (one more rebuild)."""
        now = time.monotonic()
        idle = now - self._last_change >= QUIET and not self._building
        self._last_change = now
        if idle:
            self._flush()
        elif self._timer is None:
            self._timer = self.loop.call_later(QUIET, self._trailing)

    def _trailing(self) -> None:
        self._timer = None
        wait = QUIET - (time.monotonic() - self._last_change)
        if wait > 0 or self._building:
            self._timer = self.loop.call_later(max(wait, 0.02), self._trailing)
        else:
            self._flush()

    def _flush(self) -> None:
        with self._lock:
            paths, self._pending = self._pending, set()
        if not paths:
            return
        rel = {Path(os.path.abspath(p)).relative_to(self.root).as_posix() for p in paths}
        self._fast_render(rel)
        self._building = True
        future = self.executor.submit(self.rebuild, rel)
        self.loop.add_future(future, lambda done: self._built(done, rel))

    def _built(self, future, rel: set[str]) -> None:
        self._building = False
        result = future.result()
        css_only = result is not None and all(p.endswith(".css") for p in rel)
        LiveReloadHandler.reload_waiters("style.css" if css_only else "*")

    def _fast_render(self, rel: set[str]) -> None:
        """Like Hugo's fast render: an edited article's page is rewritten and reloaded at once, before the exact
        rebuild (which also redoes listings, feeds and related lists) runs."""
        if self.model is None or self.errors or not all(r.startswith("content/") and r.endswith(".md") for r in rel):
            return
        started = time.perf_counter()
        try:
            sources = [read_source(self.model.config, self.root / r) for r in sorted(rel)]
            files = render_edited(self.model, sources)
        except (OSError, MujazError):
            return  # the exact rebuild reports whatever is wrong
        if not files:
            return
        for name, data in files:
            target = self.output / name
            tmp = target.with_name(f".{target.name}.preview")
            tmp.write_bytes(data)
            os.replace(tmp, target)
        LiveReloadHandler.reload_waiters("*")
        self.options.log(f"Showed the edit in {1000 * (time.perf_counter() - started):.0f} ms; rebuilding the rest")

    # --- serving --------------------------------------------------------
    def app(self, environ: dict, start_response: Callable) -> list[bytes]:
        """WSGI: the preview folder under the base path; `/` redirects there; nothing outside it is served."""
        path = environ.get("PATH_INFO", "/")
        if path in ("/", "") and self.base_path != "/":
            return _respond(start_response, "302 Found", b"", [("Location", self.base_path)])
        if "\0" in path or "\\" in path or ".." in path.split("/"):
            return _respond(start_response, "403 Forbidden", b"403: outside the site\n", [("Content-Type", "text/plain")])
        if not path.startswith(self.base_path):
            return self._not_found(start_response)
        rel = path[len(self.base_path):]
        target = (self.output / rel) if rel else self.output
        if target.is_dir():
            if rel and not rel.endswith("/"):
                return _respond(start_response, "301 Moved Permanently", b"", [("Location", quote(path + "/"))])
            target = target / "index.html"
        real = os.path.realpath(target)
        if os.path.commonpath([real, os.path.realpath(self.output)]) != os.path.realpath(self.output):
            return _respond(start_response, "403 Forbidden", b"403: outside the site\n", [("Content-Type", "text/plain")])
        if not os.path.isfile(real):
            return self._not_found(start_response)
        with open(real, "rb") as f:
            return self._file(start_response, "200 OK", f.read(), real)

    def _not_found(self, start_response: Callable) -> list[bytes]:
        page = self.output / "404.html"
        data = page.read_bytes() if page.is_file() else b"<!doctype html><title>404</title><p>Not found</p>"
        return self._file(start_response, "404 Not Found", data, "404.html")

    def _file(self, start_response: Callable, status: str, data: bytes, name: str) -> list[bytes]:
        kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
        if kind == "text/html":
            data = self._with_errors(data)
        if kind.startswith("text/") or kind in ("application/xml", "application/javascript"):
            kind += "; charset=utf-8"
        return _respond(start_response, status, data, [("Content-Type", kind), ("Cache-Control", "no-store")])

    def _with_errors(self, page: bytes) -> bytes:
        if not self.errors:
            return page
        if b"</body>" not in page:
            return self._overlays[True]
        return page.replace(b"</body>", self._overlays[False] + b"</body>", 1)

    def _overlay(self, errors: tuple[str, ...], standalone: bool) -> bytes:
        try:
            dirs = [str(d) for d in find_theme(load_config(self.options.config_path)).template_dirs]
        except MujazError:
            dirs = []
        env = jinja2.Environment(loader=jinja2.FileSystemLoader(dirs + [str(BUNDLED_THEMES / "default" / "templates")]),
                                 autoescape=True)
        return env.get_template("_preview_error.html").render(errors=errors, standalone=standalone).encode()

    # --- watching -------------------------------------------------------
    def watch(self, stop: threading.Event) -> None:
        """Runs in a thread: every watched folder, recursively; restarted when one appears or disappears."""
        while not stop.is_set():
            restart = threading.Event()
            top = threading.Thread(target=self._watch_top, args=(stop, restart), daemon=True, name="mujaz-watch-top")
            top.start()
            folders = [self.root / name for name in WATCHED[:-1] if (self.root / name).is_dir()]
            either = _Either(stop, restart)
            if not folders:
                either.wait()
                continue
            for changes in watchfiles.watch(*folders, stop_event=either, debounce=100, step=10, watch_filter=None,
                                            raise_interrupt=False, ignore_permission_denied=True):
                paths = {path for _, path in changes if is_watched(self.root, path)}
                if paths:
                    self.changed(paths)
            restart.set()
            top.join()

    def _watch_top(self, stop: threading.Event, restart: threading.Event) -> None:
        """The site folder alone, not recursively: config.yaml, and watched folders created or removed."""
        for changes in watchfiles.watch(self.root, stop_event=_Either(stop, restart), recursive=False, debounce=100,
                                        step=10, watch_filter=None, raise_interrupt=False):
            paths = {path for _, path in changes if is_watched(self.root, path)}
            if paths:
                self.changed(paths)
            if any(Path(p).name in WATCHED[:-1] for p in paths):
                restart.set()


class _Either:
    """An event that is set when either of two events is (watchfiles polls is_set())."""

    def __init__(self, first: threading.Event, second: threading.Event):
        self.first, self.second = first, second

    def is_set(self) -> bool:
        return self.first.is_set() or self.second.is_set()

    def wait(self) -> None:
        while not self.is_set():
            time.sleep(0.1)


def _respond(start_response: Callable, status: str, body: bytes, headers: list[tuple[str, str]]) -> list[bytes]:
    start_response(status, headers + [("Content-Length", str(len(body)))])
    return [body]


def serve(options: ServeOptions) -> int:
    """Build, then serve and rebuild until Ctrl-C."""
    preview = Preview(options)
    preview.rebuild()  # before any other thread exists: its worker processes are forked from a quiet process
    server = Server(app=preview.app)
    server.application(options.port, options.host, debug=False, live_css=True)
    preview.loop = IOLoop.current()
    stop = threading.Event()
    watcher = threading.Thread(target=preview.watch, args=(stop,), daemon=True, name="mujaz-watch")
    watcher.start()
    options.log(f"Serving {preview.site_url} (Ctrl-C to stop)")
    if options.open_browser:
        webbrowser.open(preview.site_url)
    try:
        preview.loop.start()
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        watcher.join(timeout=2)
        preview.executor.shutdown(wait=True, cancel_futures=True)
    options.log("Stopped.")
    return 0
