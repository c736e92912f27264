"""`serve` as an editor uses it: a real browser beside a text editor, saving files."""

from __future__ import annotations

import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from browser import chromium
from conftest import BASE_CONFIG, NOW, REPO, Site, article
from generator.devserver import is_watched

TIMEOUT_MS = 15000


class Served:
    """`python -m generator serve` running in a site folder, its log collected."""

    def __init__(self, site: Site, ctrl_c_ignored: bool = False):
        self.site = site
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.log_path = site.root.parent / "serve.log"
        self.log_file = self.log_path.open("w")
        # As a script's `serve &` starts it: with Ctrl-C ignored, which a process inherits.
        ignore = (lambda: signal.signal(signal.SIGINT, signal.SIG_IGN)) if ctrl_c_ignored else None
        self.process = subprocess.Popen([sys.executable, "-m", "generator", "serve", "--port", str(self.port)],
                                        cwd=site.root, stdout=self.log_file, stderr=subprocess.STDOUT,
                                        preexec_fn=ignore)
        self.url = f"http://127.0.0.1:{self.port}/digest/"
        deadline = time.monotonic() + 30
        while "Serving http" not in self.log():
            assert self.process.poll() is None, self.log()
            assert time.monotonic() < deadline, self.log()
            time.sleep(0.05)

    def log(self) -> str:
        return self.log_path.read_text()

    def rebuilds(self) -> int:
        return self.log().count("Rebuilt in") + self.log().count("Build failed") + len(re.findall(r"^content/.*:\d+:", self.log(), re.M))

    def get(self, path: str) -> tuple[int, bytes]:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}") as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def stop(self) -> subprocess.CompletedProcess:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            self.process.wait(timeout=10)
        self.log_file.close()
        return self.process


@pytest.fixture
def served(site):
    site.write({
        "content/2023/summit.ar.md": article("قمة في فوستوشني", body="نص القمة الأول.", translation_key="summit"),
        "content/2023/summit.en.md": article("Summit at Vostochny", body="First text of the summit.", translation_key="summit"),
        "content/2023/plan.ar.md": article("خطة سرية", "2023-10-01", "مسودة لم تنشر بعد.", draft="true"),
        "content/2099/later.ar.md": article("خبر مجدول للنشر", "2099-01-01", "ينشر لاحقاً."),
    })
    shutil.copytree(REPO / "themes" / "default", site.root / "themes" / "default")
    server = Served(site)
    yield server
    server.stop()


def _open(browser, served: "Served", path: str = ""):
    """A page the server has registered for reloads: a save before that would have nobody to tell.

    livereload registers a browser when its script sends "info", after the handshake; serve then
    prints "Browser connected": the wait is for that line.
    """
    registered = served.log().count("Browser connected")
    page = browser.new_page()
    page.goto(served.url + path)
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    while served.log().count("Browser connected") <= registered:
        assert time.monotonic() < deadline, served.log()
        time.sleep(0.02)
    return page


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_a_saved_edit_and_a_new_article_appear_without_reloading_by_hand(served):
    with chromium() as browser:
        page = _open(browser, served, "en/2023/09/13/summit/")
        assert "First text of the summit." in page.inner_text("article")
        _edit(served.site.root / "content/2023/summit.en.md", "First text", "Edited text")
        page.wait_for_function("document.querySelector('article')?.innerText.includes('Edited text of the summit.')",
                               timeout=TIMEOUT_MS)
        # The article page is shown first; the exact rebuild follows on its own thread.
        deadline = time.monotonic() + TIMEOUT_MS / 1000
        while time.monotonic() < deadline and "Rebuilt in" not in served.log().partition("Showed the edit in")[2]:
            time.sleep(0.05)
        log = served.log()
        assert "Showed the edit in" in log, log
        assert log.index("Showed the edit in") < log.rindex("Rebuilt in"), log

        home = _open(browser, served)
        served.site.write({"content/2023/new.ar.md": article("خبر جديد أضيف الآن", "2023-11-02")}, config=BASE_CONFIG)
        # ?. : while the page reloads there is a moment with no body yet, which is no answer either way.
        home.wait_for_function("document.body?.innerText.includes('خبر جديد أضيف الآن')", timeout=TIMEOUT_MS)
        assert home.url == served.url


def test_drafts_and_scheduled_articles_are_previewed_with_a_badge_but_never_built(served):
    for route, badge in (("2023/10/01/plan/", "مسودة"), ("2099/01/01/later/", "مجدول")):
        status, body = served.get("/digest/" + route)
        assert status == 200 and f'<span class="badge">{badge}</span>' in body.decode(), route
    result = served.site.cli()
    assert result.returncode == 0
    assert not (served.site.output / "2023/10/01/plan").exists() and not (served.site.output / "2099").exists()


def test_deleted_and_renamed_articles_leave_the_preview(served):
    content = served.site.root / "content/2023"
    (content / "summit.ar.md").rename(content / "summit-renamed.ar.md")
    (content / "plan.ar.md").unlink()
    deadline = time.monotonic() + 15
    while served.get("/digest/2023/09/13/summit-renamed/")[0] != 200 or served.get("/digest/2023/10/01/plan/")[0] != 404:
        assert time.monotonic() < deadline, served.log()
        time.sleep(0.05)
    assert served.get("/digest/2023/09/13/summit/")[0] == 404


def test_a_broken_file_shows_the_error_over_the_page_and_fixing_it_recovers(served):
    article_file = served.site.root / "content/2023/summit.en.md"
    with chromium() as browser:
        page = _open(browser, served, "en/2023/09/13/summit/")
        _edit(article_file, "title: 'Summit at Vostochny'", "title: [unclosed")
        page.wait_for_selector("#mujaz-build-error", timeout=TIMEOUT_MS)
        overlay = page.inner_text("#mujaz-build-error")
        assert "content/2023/summit.en.md:2: front matter is not valid YAML: a [ opens a list" in overlay, overlay
        assert "First text of the summit." in page.inner_text("article"), "the last good page stays behind"
        assert page.get_attribute("#mujaz-build-error", "lang") == "en"
        assert "Build failed" in overlay
        status, other = served.get("/digest/")
        assert status == 200 and b"mujaz-build-error" in other, "every page shows the error"
        arabic = browser.new_page()
        arabic.goto(served.url)  # an Arabic page: the overlay speaks Arabic, right to left
        box = arabic.locator("#mujaz-build-error")
        assert box.get_attribute("lang") == "ar" and box.get_attribute("dir") == "rtl"
        assert "تعذّر بناء الموقع" in box.inner_text()
        assert "content/2023/summit.en.md:2: front matter is not valid YAML" in box.inner_text()
        assert arabic.locator("#mujaz-build-error li").first.get_attribute("dir") == "ltr", "file:line reads left to right"
        _edit(article_file, "title: [unclosed", "title: 'Summit, fixed'")
        page.wait_for_function("!document.getElementById('mujaz-build-error') && "
                               "document.querySelector('h1')?.innerText == 'Summit, fixed'", timeout=TIMEOUT_MS)


def test_warnings_on_a_saved_file_show_under_the_page_until_it_is_fixed(served):
    """The page is built and shown; a box under it says what a reader would miss, for the file just saved."""
    article_file = served.site.root / "content/2023/summit.en.md"
    with chromium() as browser:
        page = _open(browser, served, "en/2023/09/13/summit/")
        assert not page.locator("#mujaz-build-warnings").count(), "no warnings, no box"
        _edit(article_file, "First text of the summit.",
              "Second text, see [the plan] (https://example.org/plan) and [the archive](/2023/01/01/gone/).")
        page.wait_for_selector("#mujaz-build-warnings", timeout=TIMEOUT_MS)
        box = page.inner_text("#mujaz-build-warnings")
        assert "Built, with warnings on what you saved (2)" in box, box
        assert "content/2023/summit.en.md:6: a link shows as typed, brackets and all" in box, box
        assert "content/2023/summit.en.md:6: links to '/digest/2023/01/01/gone/', which is no page of the site" in box
        assert "Second text, see [the plan]" in page.inner_text("article"), "the page is the new one, readable"
        assert not page.locator("#mujaz-build-error").count()
        arabic = browser.new_page()
        arabic.goto(served.url)  # every page shows it, in the page's language
        assert arabic.locator("#mujaz-build-warnings").get_attribute("dir") == "rtl"
        assert "وفي ما حفظته تنبيهات" in arabic.inner_text("#mujaz-build-warnings summary")
        _edit(article_file, "[the plan] (https://example.org/plan) and [the archive](/2023/01/01/gone/).",
              "[the plan](https://example.org/plan).")
        page.wait_for_function("!document.getElementById('mujaz-build-warnings') && "
                               "document.querySelector('article')?.innerText.includes('see the plan.')",
                               timeout=TIMEOUT_MS)


def test_a_page_still_loading_when_a_reload_went_out_is_reloaded_once_it_listens(tmp_path):
    """After a save the page reloads twice: for the fast render, then for the exact build. A page still loading
    from the first misses the second, and showed the warnings (or the errors) of before the build."""
    from generator.previewapp import PreviewApp

    (tmp_path / "a").mkdir()
    (tmp_path / "a/index.html").write_text("<html><body>A</body></html>")
    app = PreviewApp(tmp_path, "/digest/", "127.0.0.1", lambda *args: b"")
    get = lambda path: app({"REQUEST_METHOD": "GET", "PATH_INFO": path, "HTTP_HOST": "127.0.0.1"},  # noqa: E731
                           lambda status, headers: None)
    get("/digest/a/")
    assert not app.missed_a_reload("http://127.0.0.1:8000/digest/a/")
    app.reloads += 1  # a reload went out after the page was served
    assert app.missed_a_reload("http://127.0.0.1:8000/digest/a/")
    get("/digest/a/")
    assert not app.missed_a_reload("http://127.0.0.1:8000/digest/a/")
    assert not app.missed_a_reload("http://127.0.0.1:8000/digest/never-served/"), "only a page served before it"


def test_a_css_change_swaps_the_stylesheet_without_a_full_reload(served):
    """The stylesheet is copied into the preview at once, before the exact rebuild, which renders no page."""
    css = served.site.root / "themes/default/static/style.css"
    with chromium() as browser:
        page = _open(browser, served)
        page.evaluate("window.mujazMarker = 'still the same page'")
        css.write_text(css.read_text() + "\nbody { outline: 7px solid rgb(1, 2, 3); }\n")
        page.wait_for_function("document.body && getComputedStyle(document.body).outlineWidth == '7px'", timeout=TIMEOUT_MS)
        assert page.evaluate("window.mujazMarker") == "still the same page"
        deadline = time.monotonic() + TIMEOUT_MS / 1000
        while time.monotonic() < deadline and "Rebuilt in" not in served.log().partition("Showed the stylesheet in")[2]:
            time.sleep(0.05)
        log = served.log()
        assert "Showed the stylesheet in" in log, log
        rebuilt = log.partition("Showed the stylesheet in")[2]
        assert "(0 pages rendered) after themes/default/static/style.css" in rebuilt, log


def test_a_burst_of_saves_makes_at_most_two_rebuilds_and_the_last_one_wins(served):
    target = served.site.root / "content/2023/summit.en.md"
    before = served.rebuilds()
    text = target.read_text(encoding="utf-8")
    # Twenty saves in a few milliseconds: one burst, however busy the machine (a pause of QUIET between
    # two saves would make two bursts of it, and two more rebuilds would be right).
    for i in range(20):
        target.write_text(text.replace("First text", f"Save number {i}"), encoding="utf-8")
    deadline = time.monotonic() + 15
    while b"Save number 19" not in served.get("/digest/en/2023/09/13/summit/")[1]:
        assert time.monotonic() < deadline, served.log()
        time.sleep(0.05)
    time.sleep(1.0)  # a window for a late rebuild to show itself: the claim is that none comes
    assert 1 <= served.rebuilds() - before <= 2, served.log()


def test_paths_outside_the_site_are_refused_and_root_redirects_to_the_base_path(served):
    for path in ("/digest/../config.yaml", "/digest/%2e%2e/config.yaml", "/digest/..%2fconfig.yaml",
                 "/digest/%2E%2E/%2E%2E/etc/passwd"):
        status, body = served.get(path)
        assert status in (403, 404) and b"base_url" not in body and b"root:" not in body, path
    with urllib.request.urlopen(f"http://127.0.0.1:{served.port}/") as response:
        assert response.url == served.url
    status, _ = served.get("/elsewhere/")
    assert status == 404


def test_the_server_listens_on_localhost_only_and_stops_cleanly_on_ctrl_c(served):
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.connect(("10.255.255.255", 1))
        own_address = probe.getsockname()[0]
    if own_address != "127.0.0.1":
        with pytest.raises(OSError):
            socket.create_connection((own_address, served.port), timeout=2).close()
    process = served.stop()
    assert process.returncode == 0
    assert "Traceback" not in served.log() and "Stopped." in served.log()


def test_ctrl_c_stops_the_preview_even_when_it_was_started_with_ctrl_c_ignored(site):
    site.write({"content/2023/a.en.md": article("Story")})
    shutil.copytree(REPO / "themes" / "default", site.root / "themes" / "default")
    process = Served(site, ctrl_c_ignored=True).stop()
    assert process.returncode == 0


def test_fast_render_applies_to_body_edits_only(site):
    from generator.build import BuildOptions, build
    from generator.rebuild import render_edited
    from generator.content import scan_content
    from generator.config import load_config

    site.write({"content/a.en.md": article("Story", body="Old body."), "content/b.en.md": article("Other", "2023-09-14")})
    model = build(BuildOptions(config_path=site.root / "config.yaml", keep_model=True)).model
    site.write({"content/a.en.md": article("Story", body="New body.")})
    sources = [s for s in scan_content(load_config(site.root / "config.yaml"))[0] if s.path == "content/a.en.md"]
    [(name, data)] = render_edited(model, sources)
    assert name == "en/2023/09/13/a/index.html" and b"New body." in data
    site.write({"content/a.en.md": article("Story", "2023-09-20", body="Moved.")})
    sources = [s for s in scan_content(load_config(site.root / "config.yaml"))[0] if s.path == "content/a.en.md"]
    assert render_edited(model, sources) is None, "a new date moves the page: only the full build can do that"


def test_the_preview_s_exact_build_plans_only_what_changed_and_still_renders_any_story_at_once(site):
    """The preview's builds planned every page of the site, every time, for the fast render of the next save:
    at 10,000 stories a language, 8 s after each save against 6 s for `build`."""
    from generator.build import BuildOptions, build
    from generator.rebuild import render_edited
    from generator.content import scan_content
    from generator.config import load_config

    # Stories with no word in common: none is in another's related list, so an edit to one leaves the others' pages.
    site.write({"content/a.en.md": article("Cranes", body="Old body."),
                "content/b.en.md": article("Budget", "2023-09-14", body="Parliament passed the budget."),
                "content/c.en.md": article("Rain", "2023-09-15", body="Rain fell over the valley.")})
    options = BuildOptions(config_path=site.root / "config.yaml", keep_model=True, drafts=True, now=NOW)
    build(options)
    site.write({"content/b.en.md": article("Budget", "2023-09-14", body="Parliament passed the budget at night.")})
    result = build(options)
    model = result.model
    assert not [p for p in model.pages if p.kind == "article" and p.context["article"].path == "content/a.en.md"], \
        "the story that did not change is not planned again"
    assert [f.name for f in model.kept if f.name.startswith("article/")] == ["article/a", "article/c"]
    site.write({"content/a.en.md": article("Cranes", body="New body.")})
    sources = [s for s in scan_content(load_config(site.root / "config.yaml"))[0] if s.path == "content/a.en.md"]
    [(name, data)] = render_edited(model, sources)
    assert name == "en/2023/09/13/a/index.html" and b"New body." in data
    assert data.replace(b"New body.", b"Old body.") == (site.output / name).read_bytes(), "as the build rendered it"


@pytest.mark.parametrize("name, watched", [
    ("content/2023/a.ar.md", True), ("config.yaml", True), ("themes/x/templates/base.html", True),
    ("content/.a.ar.md.swp", False), ("content/a.ar.md~", False), ("content/.#a.ar.md", False),
    ("content/4913", False), ("output/index.html", False), (".cache/mujaz/state.pickle", False),
])
def test_editor_droppings_and_outputs_are_not_watched(tmp_path, name, watched):
    assert is_watched(tmp_path, str(tmp_path / name)) is watched


def _request(served, method: str, path: str, host: str | None = None) -> tuple[int, dict, bytes]:
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", served.port, timeout=10)
    try:
        connection.putrequest(method, path, skip_host=host is not None)
        if host is not None:
            connection.putheader("Host", host)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def test_head_long_paths_double_slashes_and_foreign_hosts(served):
    status, headers, body = _request(served, "HEAD", "/digest/")
    assert status == 200 and body == b"" and headers["Content-Type"] == "text/html; charset=utf-8"
    assert _request(served, "GET", "/digest/" + "a" * 300 + "/")[0] == 404
    assert _request(served, "GET", "/digest/" + "/".join(["b" * 200] * 8))[0] == 404
    for path in ("/digest//etc", "/digest//etc/", "/digest//nonexistent", "/digest//tmp"):
        status, headers, _ = _request(served, "GET", path)
        assert status == 404 and "Location" not in headers, path  # the same answer, whatever exists there
    for host in ("evil.example", "evil.example:%d" % served.port, "localhost.evil.example"):
        status, _, body = _request(served, "GET", "/digest/2023/10/01/plan/", host=host)
        assert status == 403 and "خطة".encode() not in body, host
    for host in ("localhost:%d" % served.port, "127.0.0.1:%d" % served.port, "[::1]:%d" % served.port):
        assert _request(served, "GET", "/digest/2023/10/01/plan/", host=host)[0] == 200, host


def test_with_base_path_root_a_double_slash_never_redirects_off_site(tmp_path):
    from generator.previewapp import PreviewApp

    folder = tmp_path / "site"
    (folder / "etc").mkdir(parents=True)
    (folder / "index.html").write_text("<html><body>home</body></html>")
    app = PreviewApp(folder, "/", "127.0.0.1", lambda errors, standalone, lang, direction: b"")
    answers = {}

    for path in ("//etc", "//etc/", "/etc", "//"):
        def start(status, headers, path=path):
            answers[path] = (status, dict(headers))
        app({"REQUEST_METHOD": "GET", "PATH_INFO": path, "HTTP_HOST": "127.0.0.1:8000"}, start)
    assert answers["//etc"][0].startswith("404") and answers["//etc/"][0].startswith("404")
    assert answers["//"][0].startswith("404")
    assert answers["/etc"] == ("301 Moved Permanently", {"Location": "/etc/", "Content-Length": "0"})


@pytest.mark.slow  # 7 s: make test-slow, and CI
def test_a_body_too_complex_to_render_is_reported_and_the_server_keeps_serving(served):
    served.site.write({"content/2023/brackets.en.md": article("Brackets", body="[" * 16_000)}, config=BASE_CONFIG)
    deadline = time.monotonic() + 30
    while "too complex to render" not in served.log():
        assert time.monotonic() < deadline, served.log()
        time.sleep(0.05)
    assert "content/2023/brackets.en.md:5: too complex to render: took more than 3 s" in served.log()
    status, body = served.get("/digest/en/2023/09/13/summit/")
    assert status == 200 and b"mujaz-build-error" in body and b"too complex to render" in body
    (served.site.root / "content/2023/brackets.en.md").unlink()
    deadline = time.monotonic() + 30
    while b"mujaz-build-error" in served.get("/digest/")[1]:
        assert time.monotonic() < deadline, served.log()
        time.sleep(0.05)


def test_a_replaced_photo_shows_in_the_preview_at_its_new_size(served):
    import io

    from PIL import Image

    def photo(width: int, height: int) -> bytes:
        out = io.BytesIO()
        Image.new("RGB", (width, height), (90, 120, 160)).save(out, "JPEG")
        return out.getvalue()

    images = served.site.root / "static" / "images"
    images.mkdir(parents=True, exist_ok=True)
    (images / "camp.jpg").write_bytes(photo(1000, 500))
    _edit(served.site.root / "content/2023/summit.en.md", "First text of the summit.",
          "First text of the summit.\n\n![A camp](/images/camp.jpg)")
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    while b'width="1000" height="500"' not in served.get("/digest/en/2023/09/13/summit/")[1]:
        assert time.monotonic() < deadline, served.log()
        time.sleep(0.05)
    (images / "camp.jpg").write_bytes(photo(600, 600))  # the same name, another photo
    while b'width="600" height="600"' not in served.get("/digest/en/2023/09/13/summit/")[1]:
        assert time.monotonic() < deadline, served.log()
        time.sleep(0.05)
    status, body = served.get("/digest/images/camp-w480.webp")
    assert status == 200 and Image.open(io.BytesIO(body)).size == (480, 480)
