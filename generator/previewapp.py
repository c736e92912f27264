"""The preview's web app (WSGI): the preview folder under the site's base path, and nothing else.

It answers GET and HEAD; refuses any path that could name something outside the
folder (`..`, `//`, NUL, backslashes) before it looks at the disk, so answers never
tell which folders exist elsewhere; and answers only to requests addressed to this
machine (localhost, an IP address, or the host it was told to bind), so a page on
another site cannot read drafts through a DNS name rebound to 127.0.0.1.
While the last build failed, every HTML page carries the errors over it.
"""

from __future__ import annotations

import ipaddress
import mimetypes
import os
import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import jinja2

MAX_PATH = 1024  # longer request paths are not pages of a site (and would make the OS refuse the name)
MAX_SEGMENT = 255
LOCAL_NAMES = frozenset({"localhost", "localhost.localdomain"})

# (errors or warnings, standalone?, language, direction, warnings?) -> HTML
Overlay = Callable[[tuple[str, ...], bool, str, str, bool], bytes]
_LANG = re.compile(rb'<html[^>]*\blang="([A-Za-z-]{2,12})"')
_DIR = re.compile(rb'<html[^>]*\bdir="(rtl|ltr)"')


class PreviewApp:
    def __init__(self, folder: Path, base_path: str, bound_host: str, overlay: Overlay):
        self.folder = folder
        self.base_path = base_path
        self.bound_host = bound_host.lower()
        self.overlay = overlay
        self.errors: tuple[str, ...] = ()
        self.warnings: tuple[str, ...] = ()
        self._overlays: dict[tuple, bytes] = {}
        # The reloads sent so far, and the count at which each page was last served: a page still loading when a
        # reload goes out is not listening yet, and would show what it was served until the next save.
        self.reloads = 0
        self._served: dict[str, int] = {}

    def missed_a_reload(self, url: str) -> bool:
        """Whether the page at `url` (as a browser that just connected gives it) was served before the last reload."""
        return self._served.get(unquote(urlsplit(url).path), self.reloads) < self.reloads

    def show_errors(self, errors: tuple[str, ...]) -> None:
        """Every HTML page served from now on carries `errors` (none: the pages as built)."""
        self._overlays = {}  # made on demand, per page language
        self.errors = errors

    def show_warnings(self, warnings: tuple[str, ...]) -> None:
        """Every HTML page served from now on, while there are no errors, shows `warnings` in a box the reader
        can close (the warnings of the files the last save changed: none, no box)."""
        self._overlays = {}
        self.warnings = warnings

    def _overlay_for(self, standalone: bool, page: bytes) -> bytes:
        """The errors' overlay, or else the warnings' box, in the language and direction the page's <html> tag
        declares."""
        lang, direction = (found[1].decode() if found else "" for found in (_LANG.search(page[:2000]),
                                                                             _DIR.search(page[:2000])))
        warned = not self.errors
        key = (standalone, lang, direction, warned)
        if key not in self._overlays:
            self._overlays[key] = self.overlay(self.warnings if warned else self.errors, standalone, lang,
                                               direction or "ltr", warned)
        return self._overlays[key]

    def __call__(self, environ: dict, start_response: Callable) -> list[bytes]:
        method = environ.get("REQUEST_METHOD", "GET")
        status, headers, body = self._answer(environ, method)
        start_response(status, headers + [("Content-Length", str(len(body)))])
        # HEAD: the headers alone. livereload 2.7 sets Content-Length from the body it is given, so it reads 0.
        return [b""] if method == "HEAD" else [body]

    def _answer(self, environ: dict, method: str) -> tuple[str, list[tuple[str, str]], bytes]:
        if method not in ("GET", "HEAD"):
            return "405 Method Not Allowed", [("Allow", "GET, HEAD"), ("Content-Type", "text/plain")], b"405\n"
        if not self.is_local_host(environ.get("HTTP_HOST", "")):
            return "403 Forbidden", [("Content-Type", "text/plain")], b"403: this preview answers only on this machine\n"
        path = environ.get("PATH_INFO", "/") or "/"
        if path == "/" and self.base_path != "/":
            return "302 Found", [("Location", self.base_path)], b""
        segments = path.split("/")
        if "\0" in path or "\\" in path or ".." in segments:
            return "403 Forbidden", [("Content-Type", "text/plain")], b"403: outside the site\n"
        if not path.startswith(self.base_path) or "//" in path or len(path) > MAX_PATH \
                or any(len(s.encode("utf-8", "surrogateescape")) > MAX_SEGMENT for s in segments):
            return self._not_found()
        rel = path[len(self.base_path):]
        target = self.folder / rel if rel else self.folder
        try:
            if target.is_dir():
                if rel and not rel.endswith("/"):
                    return "301 Moved Permanently", [("Location", quote(path + "/"))], b""
                target = target / "index.html"
            real = os.path.realpath(target)
            if os.path.commonpath([real, os.path.realpath(self.folder)]) != os.path.realpath(self.folder):
                return "403 Forbidden", [("Content-Type", "text/plain")], b"403: outside the site\n"
            with open(real, "rb") as handle:
                data = handle.read()
        except OSError:  # missing, a folder without index.html, a name the system refuses
            return self._not_found()
        if real.endswith(".html"):  # PATH_INFO holds the path's bytes as Latin-1 (PEP 3333)
            self._served[path.encode("latin-1", "replace").decode("utf-8", "replace")] = self.reloads
        return self._file("200 OK", data, real)

    def is_local_host(self, host: str) -> bool:
        """True for a Host header naming this machine: localhost, any IP address, or the name it was bound to."""
        name = host.strip().lower()
        if name.startswith("["):  # [::1]:8000
            name = name[1:name.find("]")] if "]" in name else name
        elif name.count(":") == 1:
            name = name.partition(":")[0]
        if not name or name in LOCAL_NAMES or name == self.bound_host:
            return True
        try:
            ipaddress.ip_address(name)  # an address is not a DNS name: nothing can rebind it
            return True
        except ValueError:
            return False

    def _not_found(self) -> tuple[str, list[tuple[str, str]], bytes]:
        page = self.folder / "404.html"
        try:
            data = page.read_bytes()
        except OSError:
            data = b"<!doctype html><title>404</title><p>Not found</p>"
        return self._file("404 Not Found", data, "404.html")

    def _file(self, status: str, data: bytes, name: str) -> tuple[str, list[tuple[str, str]], bytes]:
        kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
        if kind == "text/html" and self.errors:
            data = self._overlay_for(True, data) if b"</body>" not in data else \
                data.replace(b"</body>", self._overlay_for(False, data) + b"</body>", 1)
        elif kind == "text/html" and self.warnings and b"</body>" in data:
            data = data.replace(b"</body>", self._overlay_for(False, data) + b"</body>", 1)
        if kind.startswith("text/") or kind in ("application/xml", "application/javascript"):
            kind += "; charset=utf-8"
        return status, [("Content-Type", kind), ("Cache-Control", "no-store")], data


ENGLISH = {"preview_failed": "Build failed — the last good pages are behind this message",
           "preview_fix": "Fix the file and save it: the page reloads by itself.",
           "preview_warnings": "Built, with warnings on what you saved"}


def overlay_renderer(template_dirs: list[str], strings: dict[str, dict[str, str]]) -> Overlay:
    """The error overlay (`_preview_error.html`) or the warnings' box (`_preview_warnings.html`), from the site's
    templates if it has them, else the bundled ones, in the page's language (`strings`: the theme's interface
    words per language; English where missing)."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(template_dirs), autoescape=True)

    def render(lines: tuple[str, ...], standalone: bool, lang: str, direction: str, warnings: bool = False) -> bytes:
        own = strings.get(lang) if isinstance(strings.get(lang), dict) else {}
        words = {**ENGLISH, **{k: v for k, v in own.items() if k in ENGLISH and isinstance(v, str)}}
        if warnings:
            return env.get_template("_preview_warnings.html").render(
                warnings=lines, lang=lang or "en", dir=direction, title=words["preview_warnings"]).encode()
        return env.get_template("_preview_error.html").render(
            errors=lines, standalone=standalone, lang=lang or "en", dir=direction,
            failed=words["preview_failed"], fix=words["preview_fix"]).encode()

    return render
