"""A static server that behaves like GitHub Pages, for tests that load the built site over HTTP."""

from __future__ import annotations

import http.server
import mimetypes
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit


class PagesHandler(http.server.BaseHTTPRequestHandler):
    """Like GitHub Pages: `/<prefix>/x` maps to output/x, nothing else exists, misses get /404.html."""

    root: Path
    prefix: str

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        path = unquote(urlsplit(self.path).path)
        target = None
        if path.startswith(self.prefix):
            candidate = (self.root / path[len(self.prefix):]).resolve()
            if candidate.is_dir():
                candidate = candidate / "index.html"
            if self.root in candidate.parents and candidate.is_file():
                target = candidate
        status = 200 if target else 404
        body = (target or self.root / "404.html").read_bytes()
        self.send_response(status)
        kind = mimetypes.guess_type(target.name)[0] if target else "text/html"
        self.send_header("Content-Type", f"{kind or 'application/octet-stream'}; charset=utf-8"
                         if kind and (kind.startswith("text/") or kind.endswith("xml")) else kind or "application/octet-stream")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def quiet_error(request: object, client_address: object) -> None:
    """A test server's handle_error: a client that stops reading (what the fetch tests provoke) is no news. Printed,
    as socketserver does, from a thread that outlives its test, it landed in a later test's captured stderr (the
    CLI runs in this process, `_in_process`) and failed it."""


def serve(root: Path, prefix: str):
    handler = type("Handler", (PagesHandler,), {"root": root.resolve(), "prefix": prefix})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.handle_error = quiet_error
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


