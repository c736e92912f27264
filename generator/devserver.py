"""`serve`: build with drafts, serve under the site's base path with livereload, rebuild on save.

The only module that imports livereload (and watchfiles). livereload provides the
web server, the script it injects into pages and the reload messages; its own
watcher polls every 0.8 s, misses new files and ignores changes for 3 s after a
reload, so watching is done here with watchfiles (inotify), and bursts of saves
are folded into one rebuild. Three parts: the watcher (a thread), the builder (a
process, previewbuilder.py) and the web app (previewapp.py); this module joins
them on tornado's IOLoop. The preview is written to .cache/mujaz-preview/site, so
drafts never reach output/.
"""

from __future__ import annotations

import os
import logging
import re
import threading
import time
import webbrowser
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import watchfiles
from livereload import Server
from livereload.handlers import LiveReloadHandler
from tornado.ioloop import IOLoop

from .build import CACHE_DIR
from .config import load_config
from .errors import MujazError
from .previewapp import PreviewApp, overlay_renderer
from .previewbuilder import Builder, Built, Failed, Settings, Shown
from .theme import BUNDLED_THEMES, find_theme, read_strings as find_theme_strings

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
    """Coordinates the watcher, the builder process and the web app; all but the watcher run on the IOLoop."""

    def __init__(self, options: ServeOptions):
        self.options = options
        config = load_config(options.config_path)
        self.root = config.root
        self.base_path = config.base_path
        self.site_url = f"http://{options.host}:{options.port}{self.base_path}"
        self.output = self.root / PREVIEW_DIR / "site"
        self.app = PreviewApp(self.output, self.base_path, options.host, self._overlay)
        self._pending: set[str] = set()
        self._lock = threading.Lock()
        self.loop: IOLoop | None = None  # set by serve() before the watcher starts
        self._last_change = 0.0
        self._timer: object | None = None
        self._building = False
        self.watching = threading.Event()  # set once the watched folders are watched
        self.watching_top = threading.Event()  # and the site folder itself
        # Forked now, while this process has no other thread (see previewbuilder).
        self.builder = Builder(Settings(options.config_path, self.output, self.root / PREVIEW_DIR / "cache",
                                        self.site_url))

    def first_build(self) -> None:
        """The build before serving starts: waited for here."""
        self.builder.request(())
        message = self.builder.receive()
        self._report(message)

    def listen(self) -> None:
        """Runs in a thread: hands every message of the builder to the IOLoop."""
        while True:
            try:
                message = self.builder.receive()
            except (EOFError, OSError):
                return
            assert self.loop is not None
            self.loop.add_callback(self._on_message, message)

    # --- changes ----------------------------------------------------------
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
        self._building = True
        self.builder.request(tuple(sorted(Path(os.path.abspath(p)).relative_to(self.root).as_posix() for p in paths)))

    # --- what the builder says ---------------------------------------------
    def _on_message(self, message: Shown | Built | Failed) -> None:
        self._report(message)
        if isinstance(message, Shown):
            self._reload_pages("style.css" if message.stylesheet else "*")
            return
        self._building = False
        css_only = isinstance(message, Built) and bool(message.changed) and all(p.endswith(".css") for p in message.changed)
        self._reload_pages("style.css" if css_only else "*")

    def _reload_pages(self, path: str) -> None:
        self.app.reloads += 1
        _reload(path)

    def connected(self, url: str) -> None:
        """A page's script has registered for reloads: a page that was loading when the last one went out (after
        the fast render, the exact build's, which may add or clear the warnings) reloads now."""
        if self.app.missed_a_reload(url):
            self._reload_pages("*")

    def _report(self, message: Shown | Built | Failed) -> None:
        log = self.options.log
        if isinstance(message, Shown):
            what = "the stylesheet" if message.stylesheet else "the edit"
            log(f"Showed {what} in {message.milliseconds:.0f} ms; rebuilding the rest")
        elif isinstance(message, Built):
            self.app.show_errors(())
            # On the page too, for the files this save changed: the editor looks at the page, not the terminal.
            self.app.show_warnings(tuple(w for w in message.warnings
                                         if any(w.startswith(f"warning: {path}:") for path in message.changed)))
            for warning in message.warnings:
                log(warning)
            log(f"Rebuilt in {message.seconds:.2f} s ({message.rendered} pages rendered)"
                + (f" after {', '.join(message.changed)}" if message.changed else ""))
        else:
            self.app.show_errors(message.errors)  # the last good pages stay behind the errors
            for line in message.errors:
                log(line)

    def _overlay(self, lines: tuple[str, ...], standalone: bool, lang: str, direction: str, warnings: bool) -> bytes:
        bundled = BUNDLED_THEMES / "default"
        try:  # the config as it is now: the error may well be in it, then the bundled theme speaks
            theme = find_theme(load_config(self.options.config_path))
            dirs, strings = [str(d) for d in theme.template_dirs], theme.strings
        except MujazError:
            dirs, strings = [], find_theme_strings(bundled)
        render = overlay_renderer(dirs + [str(bundled / "templates")], strings)
        return render(lines, standalone, lang, direction, warnings)

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
                self.watching.set()
                either.wait()
                continue
            # yield_on_timeout: the first (empty) yield says the watches are in place; serve() waits for it,
            # so a save made right after "Serving …" is never missed.
            for changes in watchfiles.watch(*folders, stop_event=either, debounce=100, step=10, watch_filter=None,
                                            raise_interrupt=False, ignore_permission_denied=True,
                                            yield_on_timeout=True, rust_timeout=200):
                self.watching.set()
                paths = {path for _, path in changes if is_watched(self.root, path)}
                if paths:
                    self.changed(paths)
            restart.set()
            top.join()

    def _watch_top(self, stop: threading.Event, restart: threading.Event) -> None:
        """The site folder alone, not recursively: config.yaml, and watched folders created or removed."""
        for changes in watchfiles.watch(self.root, stop_event=_Either(stop, restart), recursive=False, debounce=100,
                                        step=10, watch_filter=None, raise_interrupt=False,
                                        yield_on_timeout=True, rust_timeout=200):
            self.watching_top.set()
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


def _reload(path: str) -> None:
    """Tell every open page to reload (or, for "style.css", to swap its stylesheet).

    livereload 2.7 has no public call for this: its Server.watch() runs its own
    polling watcher, which misses new files (see the module docstring). So the
    class method its watcher calls is called here too.
    """
    LiveReloadHandler.reload_waiters(path)


def _say_when_browsers_connect(log: Callable[[str], None], connected: Callable[[str], None]) -> None:
    """Print "Browser connected" when a page's livereload script has registered for reloads, and call
    `connected` with the page's address once it is registered.

    livereload 2.7 logs that line itself only from Server.serve(), which this module does not use
    (it runs the app on its own loop); the editor, and the tests, learn from it that a save will reach the page.
    It logs it just before it registers the page: `connected` runs on the loop after that.
    """
    class Connected(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            message = record.getMessage()
            if message.startswith("Browser Connected: "):
                url = message.removeprefix("Browser Connected: ")
                log(f"Browser connected: {url}")
                IOLoop.current().add_callback(connected, url)

    logger = logging.getLogger("livereload")
    logger.setLevel(logging.INFO)
    logger.propagate = False
    logger.addHandler(Connected())


def serve(options: ServeOptions) -> int:
    """Build, then serve and rebuild until Ctrl-C."""
    preview = Preview(options)  # forks the builder before any thread exists
    try:
        preview.first_build()
        server = Server(app=preview.app)
        server.application(options.port, options.host, debug=False, live_css=True)
        _say_when_browsers_connect(options.log, preview.connected)
        preview.loop = IOLoop.current()
        stop = threading.Event()
        threading.Thread(target=preview.listen, daemon=True, name="mujaz-listen").start()
        watcher = threading.Thread(target=preview.watch, args=(stop,), daemon=True, name="mujaz-watch")
        watcher.start()
        preview.watching.wait(timeout=10)
        preview.watching_top.wait(timeout=10)
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
    finally:
        preview.builder.stop()
    options.log("Stopped.")
    return 0
