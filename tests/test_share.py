"""Share links under an article (config.yaml's share:): each opens its service with the story's headline and
its address, in the order the site lists them, in the page's language; none under a story not yet published."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from conftest import BASE_CONFIG, NOW, article
from generator.build import BuildOptions, build
from pages_server import serve

# A headline with what an address must escape: a question mark, &, #, %, and a quotation.
TITLE_AR = "سؤال؟ أرباح 5% & خسائر #2 في «السوق»"
TITLE_EN = "Q&A: who pays 5% more? #budget"
STORY = {"content/2023/09/budget.ar.md": article(TITLE_AR, body="نص الخبر عن الموازنة."),
         "content/2023/09/budget.en.md": article(TITLE_EN, body="The budget story.")}
PAGES = {"ar": "2023/09/13/budget/", "en": "en/2023/09/13/budget/"}


def _shared(page) -> list[tuple[str, str, dict[str, list[str]], str]]:
    """(service, label, the query its address carries, where it opens) of each share link, in order."""
    links = page.xpath('//nav[@class="share"]//a')
    return [(a.get("data-service"), a.text_content(), parse_qs(urlsplit(a.get("href")).query, strict_parsing=True),
             a.get("href").split("?")[0] + (f" target={a.get('target')} rel={a.get('rel')}" if a.get("target") else ""))
            for a in links]


def test_each_share_link_carries_the_headline_and_the_address_of_the_story(site):
    site.write(STORY).build()
    for lang, route in PAGES.items():
        page = site.page(route)
        address = page.xpath('//link[@rel="canonical"]/@href')[0]
        title = TITLE_AR if lang == "ar" else TITLE_EN
        assert address == f"https://example.org/digest/{route}"
        # The landmark is named by the words the row shows, once.
        (named,) = page.xpath('//nav[@class="share"]/@aria-labelledby')
        assert page.xpath(f'//nav[@class="share"]//*[@id="{named}"]/text()') == (
            ["شارك الخبر"] if lang == "ar" else ["Share"])
        opens = " target=_blank rel=noopener"
        assert _shared(page) == [
            ("whatsapp", "واتساب" if lang == "ar" else "WhatsApp", {"text": [f"{title}\n{address}"]},
             "https://wa.me/" + opens),
            ("telegram", "تيليغرام" if lang == "ar" else "Telegram", {"url": [address], "text": [title]},
             "https://t.me/share/url" + opens),
            ("x", "إكس" if lang == "ar" else "X", {"text": [title], "url": [address]},
             "https://x.com/intent/tweet" + opens),
            ("facebook", "فيسبوك" if lang == "ar" else "Facebook", {"u": [address]},
             "https://www.facebook.com/sharer/sharer.php" + opens),
            ("email", "البريد" if lang == "ar" else "Email", {"subject": [title], "body": [address]}, "mailto:"),
        ], lang


@pytest.mark.parametrize("written, services", [
    ("share: [telegram, whatsapp, linkedin]", ["telegram", "whatsapp", "linkedin"]),
    ("share: واتساب، تلغرام", ["whatsapp", "telegram"]),  # as an editor may write it, in Arabic, one line
    ("share: [Email, WhatsApp, whatsapp]", ["email", "whatsapp"]),
    ("share: yes", ["whatsapp", "telegram", "x", "facebook", "email"]),
    ("share: false", []),
    ("share: []", []),
])
def test_the_site_chooses_its_services_and_their_order(site, written, services):
    site.write(STORY, config=BASE_CONFIG + written + "\n").build()
    page = site.page(PAGES["ar"])
    assert [service for service, *_ in _shared(page)] == services
    assert len(page.xpath('//nav[@class="share"]')) == (1 if services else 0)


def test_a_story_not_yet_published_offers_no_share_link(site):
    """A draft (shown by `serve` and `build --drafts`) or a scheduled story: a link shared now would lead
    readers to a page that is not there."""
    site.write({**STORY,
                "content/2023/09/draft.ar.md": article("مسودة خبر", body="نص.", draft="true"),
                "content/2026/02/later.ar.md": article("خبر مجدول", "2026-02-01", "نص.")}).build(drafts=True)
    assert [s for s, *_ in _shared(site.page("2023/09/13/draft/"))] == []
    assert [s for s, *_ in _shared(site.page("2026/02/01/later/"))] == []
    assert len(_shared(site.page(PAGES["ar"]))) == 5


@pytest.mark.parametrize("written, error", [
    ("share: [whatsapp, twiter]", "config.yaml:8: share[1]: the text 'twiter' is not a service Mujaz shares to; "
                                  "it knows whatsapp, telegram, x, facebook, linkedin, email — write x"),
    ("share:\n  - whatsapp\n  - 3", "config.yaml:10: share[1]: the number 3 is not a service Mujaz shares to; "
                                    "it knows whatsapp, telegram, x, facebook, linkedin, email"),
    ("share: 3", "config.yaml:8: share: must be a list of services such as [whatsapp, telegram, x, facebook, "
                 "email], or false, not the number 3"),
])
def test_a_service_mujaz_does_not_know_is_named_at_its_line(site, written, error):
    site.write(STORY, config=BASE_CONFIG + written + "\n")
    result = site.cli()
    assert result.returncode == 1 and not site.output.exists()
    assert result.stderr.splitlines()[0] == error, result.stderr


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The story's site, built and served as Pages serves it: its address."""
    root = tmp_path_factory.mktemp("share") / "site"
    (root / "content/2023/09").mkdir(parents=True)
    (root / "config.yaml").write_text(BASE_CONFIG, encoding="utf-8")
    for rel, text in STORY.items():
        (root / rel).write_text(text, encoding="utf-8")
    out = root / "output"
    server = serve(out, "/digest/")
    url = f"http://127.0.0.1:{server.server_address[1]}/digest/"
    build(BuildOptions(config_path=root / "config.yaml", output=out, base_url=url, now=NOW))
    yield url
    server.shutdown()
    server.server_close()


PHONE = {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True}


def test_a_reader_who_taps_whatsapp_or_telegram_opens_it_with_the_story(served, browser):
    """In Chromium as a phone: tapping a share link opens the service in a new tab, asked for the story's
    headline and address (the services' own pages are stood in for: the test has no network)."""
    url = served
    context = browser.new_context(**PHONE)
    asked: list[str] = []

    def elsewhere(route):
        asked.append(route.request.url)
        route.fulfill(status=200, content_type="text/html", body="<title>service</title>")

    context.route("https://**/*", elsewhere)
    page = context.new_page()
    page.goto(url + PAGES["ar"])
    assert asked == [], "the page loads nothing from the services"
    for service, query in (("whatsapp", {"text": [f"{TITLE_AR}\n{url}{PAGES['ar']}"]}),
                           ("telegram", {"url": [url + PAGES["ar"]], "text": [TITLE_AR]})):
        link = page.locator(f'nav.share a[data-service="{service}"]')
        box = link.bounding_box()
        assert box["height"] >= 44 and box["width"] >= 44, (service, box)  # a finger's width
        with context.expect_page() as opened:
            link.tap()
        tab = opened.value
        tab.wait_for_load_state()
        assert parse_qs(urlsplit(tab.url).query) == query, tab.url
        assert tab.url == asked[-1]
        tab.close()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, "the share links wrap on a phone"
    context.close()


def test_where_the_browser_offers_a_share_sheet_the_story_goes_to_it(served, browser):
    """"Other apps" opens the phone's own sheet (navigator.share) with the story; where the browser has none (this
    Chromium, as a desktop's), the button is not shown, and the links serve."""
    url = served + PAGES["ar"]
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(url)
    page.wait_for_load_state("load")  # share.js, deferred, has run
    assert page.evaluate("typeof navigator.share") == "undefined"
    assert page.locator("button.share-native").is_hidden()
    context.add_init_script("navigator.share = (data) => { window.shared = data; return Promise.resolve(); };")
    page = context.new_page()
    page.goto(url)
    button = page.locator("button.share-native")
    button.wait_for(state="visible")
    box = button.bounding_box()
    assert box["height"] >= 44, box
    button.tap()
    page.wait_for_function("window.shared !== undefined")
    assert page.evaluate("window.shared") == {"title": TITLE_AR, "url": url}
    context.close()
