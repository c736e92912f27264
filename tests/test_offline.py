"""Reading offline: a page a reader opened opens again without a connection (the theme's service worker, offline.py);
a page never opened says so in its language; online, every page is the one published."""

from __future__ import annotations

import shutil

import pytest

from conftest import REPO, article

pytest.importorskip("playwright")

SITE = {
    "content/2023/09/one.ar.md": article("سدان ينهاران فوق درنة", "2023-09-12", "نص الخبر الأول.", summary="ملخص."),
    "content/2023/09/one.en.md": article("Two dams burst above Derna", "2023-09-12", "The first story.",
                                         summary="A summary."),
    "content/2023/09/two.ar.md": article("وصول المساعدات إلى درنة", "2023-09-14", "نص الخبر الثاني.", summary="ملخص."),
    "content/2023/09/two.en.md": article("Aid reaches Derna", "2023-09-14", "The second story.", summary="A summary."),
}


def test_a_page_read_opens_again_offline_and_one_never_opened_says_so_in_its_language(site, browser):
    from pages_server import serve

    site.write(SITE).build()
    server = serve(site.output, "/digest/")
    url = f"http://127.0.0.1:{server.server_address[1]}/digest/"
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(url)
        page.wait_for_function("navigator.serviceWorker.controller !== null")  # installed, and in charge of the page
        page.goto(url + "2023/09/12/one/")
        context.set_offline(True)
        page.goto(url + "2023/09/12/one/")
        assert page.locator("h1").inner_text() == "سدان ينهاران فوق درنة"
        # Styled as online: the stylesheet, named by its bytes, is kept too.
        assert page.evaluate("[...document.styleSheets].some(s => s.cssRules.length > 0)")
        # A page never opened: the offline page in the page's language, styled, with the way home.
        page.goto(url + "2023/09/14/two/")
        assert page.locator("h1").inner_text() == "لا اتصال بالإنترنت"
        assert page.evaluate("document.documentElement.lang") == "ar"
        assert page.evaluate("[...document.styleSheets].some(s => s.cssRules.length > 0)")
        # It lists the pages of its language that open now: the story read.
        page.locator("#kept[data-listed]").wait_for(state="attached")
        kept = page.locator("#kept a")
        assert [(a.inner_text(), a.get_attribute("href")) for a in kept.all()] == [
            ("سدان ينهاران فوق درنة", "/digest/2023/09/12/one/")]
        kept.first.click()
        page.wait_for_url(url + "2023/09/12/one/")
        assert page.locator("h1").inner_text() == "سدان ينهاران فوق درنة"
        page.goto(url + "en/2023/09/14/two/")
        assert page.locator("h1").inner_text() == "No connection"
        assert page.evaluate("document.documentElement.lang") == "en"
        # No English page was read: nothing to list, and no heading over nothing.
        page.locator("#kept[data-listed]").wait_for(state="attached")
        assert page.locator("#kept").get_attribute("data-listed") == "0" and page.locator("#kept").is_hidden()

        # Online again, a corrected headline is read as published, not as kept.
        context.set_offline(False)
        path = site.root / "content/2023/09/one.ar.md"
        path.write_text(path.read_text(encoding="utf-8").replace("سدان ينهاران", "سدّان ينهاران"), encoding="utf-8")
        site.build()
        page.goto(url + "2023/09/12/one/")
        assert page.locator("h1").inner_text() == "سدّان ينهاران فوق درنة"
    finally:
        context.close()
        server.shutdown()
        server.server_close()


def test_the_worker_and_the_offline_pages_are_published_beside_the_site_and_in_no_sitemap(site):
    site.write(SITE).build()
    worker = (site.output / "sw.js").read_text(encoding="utf-8")
    assert 'const SCOPE = "/digest/";' in worker
    assert 'const OFFLINE = {"/digest/":"/digest/offline.html","/digest/en/":"/digest/en/offline.html"};' in worker
    assert site.page("offline.html").xpath("//meta[@name='robots']/@content") == ["noindex"]
    for route in ("", "2023/09/12/one/", "en/", "offline.html"):
        (script,) = site.page(route).xpath("//script[@data-worker]")
        assert script.get("data-worker") == "/digest/sw.js" and script.get("src").startswith("/digest/assets/offline.")
        assert script.get("defer") is not None, "never in the way of the page"
    sitemaps = "".join(p.read_text(encoding="utf-8") for p in site.output.rglob("*.xml"))
    assert "offline" not in sitemaps and "sw.js" not in sitemaps


def test_the_preview_and_a_theme_without_a_worker_register_none(site):
    site.write(SITE).build(versioned_assets=False)  # as `serve` builds: live reload replaces its pages
    assert not (site.output / "sw.js").exists() and not (site.output / "offline.html").exists()
    assert "data-worker" not in (site.output / "index.html").read_text(encoding="utf-8")

    shutil.copytree(REPO / "themes/default", site.root / "themes/old")
    (site.root / "themes/old/templates/sw.js").unlink()  # a theme copied before the worker existed
    config = (site.root / "config.yaml").read_text(encoding="utf-8") + "theme: old\n"
    site.write({}, config=config).build()
    assert not (site.output / "sw.js").exists() and not (site.output / "offline.html").exists()
    assert "data-worker" not in (site.output / "index.html").read_text(encoding="utf-8")
