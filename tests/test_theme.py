"""The bundled theme in a real browser, phone and desktop, both languages: layout, direction, links,
dark mode and print, valid HTML (Nu checker), accessibility (axe-core), typography."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from conftest import BASE_CONFIG, NOW, REPO
from generator.build import BuildOptions, build
from pages_server import serve

NODE_AUDIT = REPO / ".venv" / "node-audit" / "node_modules"  # axe-core and vnu-jar: make test-slow installs them
PREFIX = "/mujaz/"
PAGE_TYPES = {  # one of each kind, in both languages
    "home": ("", "en/"),
    "article": ("2023/09/13/kim-putin-vostochny-summit/", "en/2023/09/13/kim-putin-vostochny-summit/"),
    "day": ("2023/09/13/", "en/2023/09/13/"),
    "month": ("2023/09/", "en/2023/09/"),
    "year": ("2023/", "en/2023/"),
    "tag": ("tags/روسيا/", "en/tags/russia/"),
    "tags": ("tags/", "en/tags/"),
    "404": ("no-such-page/", "en/no-such-page/"),
    "search": ("search/?q=كوريا", "en/search/?q=korea"),  # with results on screen
}
VIEWPORTS = {"phone": {"width": 375, "height": 812}, "desktop": {"width": 1280, "height": 800}}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("theme") / "output"
    server = serve(out, PREFIX)
    url = f"http://127.0.0.1:{server.server_address[1]}{PREFIX}"
    build(BuildOptions(config_path=REPO / "config.yaml", output=out, base_url=url, now=NOW, cache=False,
                       cache_dir=out.parent / "cache"))  # its lock too: other tests build the sample site meanwhile
    yield url, out
    server.shutdown()
    server.server_close()


def _open(page, url: str, kind: str) -> None:
    page.goto(url)
    if kind == "search":
        page.wait_for_function("document.getElementById('search-status').textContent !== ''")
        assert page.locator("#search-results li").count() > 0


def _routes():
    return [(kind, lang, route) for kind, routes in PAGE_TYPES.items() for lang, route in zip(("ar", "en"), routes)]


@pytest.mark.slow  # 10 s of Chromium per viewport; CI runs it
@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
def test_no_page_scrolls_sideways_on_phone_or_desktop(site, browser, viewport):
    url, _ = site
    page = browser.new_page(viewport=VIEWPORTS[viewport])
    for kind, lang, route in _routes():
        _open(page, url + route, kind)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{kind} ({lang}) scrolls sideways by {overflow}px at {viewport}"
        # A missing page gets the site's one 404.html, as on GitHub Pages: Arabic, with a link to English.
        expected = "rtl" if lang == "ar" or kind == "404" else "ltr"
        assert page.evaluate("document.documentElement.dir") == expected
    page.close()


def _box(page, selector: str) -> dict:
    return page.eval_on_selector(selector, "e => { const r = e.getBoundingClientRect(); return {left: r.left, right: r.right}; }")


VIDEOS = """---
title: مؤتمر صحفي
date: 2023-09-13
summary: ملخص.
---
الكلمة كما نشرتها القناة:

https://www.youtube.com/watch?v=M7lc1UVf-VE&t=1m5s

ورمز التضمين كما يعطيه يوتيوب:

<iframe width="560" height="315" src="https://www.youtube.com/embed/M7lc1UVf-VE" title="YouTube video player"
frameborder="0" allowfullscreen></iframe>

<iframe width="100%" height="166" src="https://w.soundcloud.com/player/?url=https%3A//api.soundcloud.com/tracks/1"></iframe>

وعلى فيميو:

https://vimeo.com/76979871

والرسم البياني كما ينشره مكتب البيانات:

https://public.flourish.studio/visualisation/1234567/
"""


def test_a_video_fills_the_column_at_16_9_on_a_phone_and_a_desktop(tmp_path, browser):
    """A YouTube or Vimeo address alone on its line is its player, a Flourish chart's its frame; every video player
    is as wide as the text and 16:9 (with height: auto, every frame was 150 px tall); an audio player keeps its own
    height; a chart is as wide as the text, at the height its service gives it."""
    (tmp_path / "content").mkdir()
    (tmp_path / "config.yaml").write_text(BASE_CONFIG, encoding="utf-8")
    (tmp_path / "content/talk.ar.md").write_text(VIDEOS, encoding="utf-8")
    out = tmp_path / "output"
    server = serve(out, "/digest/")
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/digest/"
        build(BuildOptions(config_path=tmp_path / "config.yaml", output=out, base_url=url, now=NOW))
        for viewport in VIEWPORTS.values():
            page = browser.new_page(viewport=viewport)
            page.route("**/*", lambda route: route.continue_() if "127.0.0.1" in route.request.url else route.abort())
            page.goto(url + "2023/09/13/talk/")
            frames = page.eval_on_selector_all(".body iframe", """frames => frames.map(f => {
                const box = f.getBoundingClientRect(); return [f.src, box.width, box.height]; })""")
            column = page.eval_on_selector(".body", "e => e.clientWidth")
            assert [src for src, _, _ in frames] == [
                "https://www.youtube-nocookie.com/embed/M7lc1UVf-VE?start=65",
                "https://www.youtube-nocookie.com/embed/M7lc1UVf-VE",
                "https://w.soundcloud.com/player/?url=https%3A//api.soundcloud.com/tracks/1",
                "https://player.vimeo.com/video/76979871?dnt=1",
                "https://flo.uri.sh/visualisation/1234567/embed"], frames
            for _, width, height in (*frames[:2], frames[3]):
                assert abs(width - column) < 1 and abs(height - width * 9 / 16) < 1, (viewport, frames, column)
            assert frames[2][2] == 166, frames
            assert abs(frames[4][1] - column) < 1 and frames[4][2] == 500, frames
            page.close()
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_pages_lay_out_in_their_direction(site, browser, lang):
    url, _ = site
    page = browser.new_page(viewport=VIEWPORTS["desktop"])
    page.goto(url + PAGE_TYPES["article"][0 if lang == "ar" else 1])
    title, nav = _box(page, ".site-title"), _box(page, ".site-nav")
    style = "([s, p]) => getComputedStyle(document.querySelector(s))[p]"
    if lang == "ar":
        assert title["left"] > nav["right"], "the Arabic site title starts at the right, the navigation follows leftwards"
    else:
        assert title["right"] < nav["left"], "the English site title starts at the left"
    assert page.evaluate(style, [".body", "direction"]) == ("rtl" if lang == "ar" else "ltr")
    for element in (".body ul", ".body blockquote"):
        start = page.evaluate(style, [element, "paddingRight" if lang == "ar" else "paddingLeft"])
        start_margin = page.evaluate(style, [element, "marginRight" if lang == "ar" else "marginLeft"])
        end = page.evaluate(style, [element, "paddingLeft" if lang == "ar" else "paddingRight"])
        assert float(start[:-2]) + float(start_margin[:-2]) > float(end[:-2]), f"{element} indents on the reading side"
    page.close()


def test_language_switcher_related_tags_and_dates_lead_to_real_pages(site, browser):
    url, _ = site
    page = browser.new_page()
    article_ar, article_en = PAGE_TYPES["article"]
    page.goto(url + article_ar)
    page.click("a.lang-switch")
    # The click returns once the next page is on its way, before its document is there to read (it was null once).
    page.wait_for_url(url + article_en)
    assert page.evaluate("document.documentElement.lang") == "en"
    page.click("a.lang-switch")
    page.wait_for_url(url + article_ar)
    for selector in (".related a", "ul.tags a", ".meta a", "article time"):
        links = page.eval_on_selector_all(selector, "els => els.map(e => e.closest('a') ? e.closest('a').href : null)")
        for href in filter(None, links):
            response = page.request.get(href)
            assert response.status == 200, f"{selector} → {href}"
    assert len(page.query_selector_all(".related a")) >= 3
    page.close()


def _luminance(color: str) -> float:
    r, g, b = (int(x) / 255 for x in color[color.index("(") + 1:color.index(")")].split(",")[:3])
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def test_dark_mode_and_print(site, browser):
    url, _ = site
    page = browser.new_page()
    page.goto(url + PAGE_TYPES["article"][0])
    background = "getComputedStyle(document.body).backgroundColor"
    text = "getComputedStyle(document.body).color"
    page.emulate_media(color_scheme="light")
    assert _luminance(page.evaluate(background)) > 0.8 and _luminance(page.evaluate(text)) < 0.1
    page.emulate_media(color_scheme="dark")
    assert _luminance(page.evaluate(background)) < 0.05 and _luminance(page.evaluate(text)) > 0.6
    page.emulate_media(media="print", color_scheme="dark")
    assert page.evaluate("getComputedStyle(document.querySelector('.site-header')).display") == "none"
    assert _luminance(page.evaluate(background)) > 0.95, "print is black on white even in dark mode"
    page.close()


def test_arabic_text_is_comfortable_to_read(site, browser):
    url, _ = site
    page = browser.new_page(viewport=VIEWPORTS["phone"])
    page.goto(url + PAGE_TYPES["article"][0])
    size = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.body p')).fontSize)")
    height = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.body p')).lineHeight)")
    assert size >= 17 and height / size >= 1.7
    families = page.evaluate("getComputedStyle(document.querySelector('.body p')).fontFamily")
    for face in ("Noto Naskh Arabic", "Geeza Pro", "Segoe UI", "Tahoma"):  # Android, iOS/macOS, Windows, Linux
        assert face in families
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.reload()
    assert requests and all(r.startswith(url.rstrip("/").rsplit("/", 1)[0]) for r in requests), "no external requests"
    page.close()


@pytest.mark.slow  # 20 s a scheme in Chromium; CI runs it
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_serious_or_critical_violation(site, browser, scheme):
    url, _ = site
    axe = NODE_AUDIT / "axe-core" / "axe.min.js"
    assert axe.is_file(), "npm install axe-core (make test-slow does it)"
    page = browser.new_page(viewport=VIEWPORTS["phone"])
    page.emulate_media(color_scheme=scheme)
    problems = []
    for kind, lang, route in _routes():
        _open(page, url + route, kind)
        page.add_script_tag(path=str(axe))
        result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        for violation in result["violations"]:
            if violation["impact"] in ("serious", "critical"):
                problems.append(f"{kind} ({lang}): {violation['id']}: {violation['help']} "
                                f"{[n['target'] for n in violation['nodes']][:3]}")
    page.close()
    assert not problems, "\n".join(problems)


@pytest.mark.slow  # 6 to 8 s, most of it starting Java: make test-slow, and CI
def test_every_page_type_passes_the_nu_html_checker(site):
    _, out = site
    jar = NODE_AUDIT / "vnu-jar" / "build" / "dist" / "vnu.jar"
    assert jar.is_file(), "npm install vnu-jar (make test-slow does it)"
    files = sorted({str(out / route.split("?")[0] / "index.html") for _, _, route in _routes()
                    if (out / route.split("?")[0]).is_dir()}
                   | {str(out / "404.html"), str(out / "offline.html"), str(out / "en/offline.html")})
    result = subprocess.run(["java", "-jar", str(jar), "--errors-only", "--format", "json", *files],
                            capture_output=True, text=True, timeout=300)
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    assert not messages, "\n".join(f"{Path(m.get('url', '')).parent.name}: {m.get('message')}" for m in messages)
    assert len(files) >= 17


FOOTNOTED = """---
title: خبر بحاشيتين
date: 2023-09-13
translation_key: notes
---
قال الوزير[^1] إن الاتفاق[^2] يبدأ غداً:

1. وقف إطلاق النار
2. تبادل الأسرى

[^1]: وزير الخارجية.
[^2]: اتفاق الهدنة.
"""


def test_with_arabic_indic_digits_footnotes_and_numbered_lists_count_in_them_on_arabic_pages(tmp_path, browser):
    (tmp_path / "content").mkdir()
    (tmp_path / "config.yaml").write_text(BASE_CONFIG + "date: {digits: arab}\n", encoding="utf-8")
    (tmp_path / "content/notes.ar.md").write_text(FOOTNOTED, encoding="utf-8")
    (tmp_path / "content/notes.en.md").write_text(
        "---\ntitle: Two notes\ndate: 2023-09-13\ntranslation_key: notes\n---\nThe minister[^1] said:\n\n"
        "1. a ceasefire\n2. prisoners freed\n\n[^1]: The foreign minister.\n", encoding="utf-8")
    out = tmp_path / "output"
    server = serve(out, "/digest/")
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/digest/"
        build(BuildOptions(config_path=tmp_path / "config.yaml", output=out, base_url=url, now=NOW))
        page = browser.new_page(viewport=VIEWPORTS["phone"])
        for route, numbers, marker, back in (
                ("2023/09/13/notes/", ["١", "٢"], "arabic-indic", "العودة إلى موضع الحاشية ١ في النص"),
                ("en/2023/09/13/notes/", ["1"], "decimal", "Back to footnote 1 in the text")):
            page.goto(url + route)
            assert page.eval_on_selector_all(".footnote-ref", "refs => refs.map(r => r.textContent)") == numbers
            assert page.eval_on_selector(".footnote-backref", "a => a.title") == back
            for selector in (".body > ol", ".footnote ol"):
                assert page.eval_on_selector(selector, "ol => getComputedStyle(ol).listStyleType") == marker, route
        page.close()
    finally:
        server.shutdown()
        server.server_close()
