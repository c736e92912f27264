"""The repository's own sample site, built as `make build` builds it, checked against the HTML contract."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import datetime
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import feedparser
import pytest
from lxml import html as lxml_html

from conftest import NOW, REPO
from generator.build import BuildOptions, build

BASE = "https://example.github.io/mujaz/"
BASE_PATH = "/mujaz/"
ARABIC_MONTHS = ("يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر")
SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}


@pytest.fixture(scope="module")
def output(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("sample") / "output"
    build(BuildOptions(config_path=REPO / "config.yaml", output=out, base_url=BASE, now=NOW,
                       cache_dir=out.parent / "cache"))  # not the project's own .cache/
    return out


@pytest.fixture(scope="module")
def pages(output: Path) -> dict[str, lxml_html.HtmlElement]:
    return {p.relative_to(output).as_posix(): lxml_html.fromstring(p.read_bytes()) for p in sorted(output.rglob("*.html"))}


def articles(pages, lang):
    pattern = re.compile(("en/" if lang == "en" else "") + r"\d{4}/\d{2}/\d{2}/[^/]+/index\.html$")
    return {k: v for k, v in pages.items() if pattern.fullmatch(k)}


def resolve(output: Path, href: str) -> Path | None:
    """The file a static server mounted at the base path would answer `href` with."""
    path = unquote(urlsplit(href).path)
    if not path.startswith(BASE_PATH):
        return None
    target = output / path[len(BASE_PATH):]
    return target / "index.html" if path.endswith("/") else target


def test_every_page_keeps_the_head_contract(pages):
    assert len(pages) > 100
    for name, doc in pages.items():
        if name.startswith("admin/"):  # the editing page is for editors, not readers (test_admin.py)
            continue
        lang = "en" if name.startswith("en/") else "ar"
        root = doc.getroottree().getroot()
        assert root.get("lang") == lang, name
        assert root.get("dir") == ("ltr" if lang == "en" else "rtl"), name
        assert doc.xpath("//meta[@charset='utf-8']"), name
        assert doc.xpath("//meta[@name='viewport']"), name
        assert doc.findtext(".//title").strip(), name
        canonical = doc.xpath("//link[@rel='canonical']/@href")
        assert len(canonical) == 1 and canonical[0].startswith(BASE), name
        feed = doc.xpath("//link[@rel='alternate'][@type='application/atom+xml']/@href")
        # A section's page names its own feed too, at its own address.
        in_section = re.match(r"(?:en/)?categories/[^/]+/", name)
        section = [BASE_PATH + quote(in_section[0]) + "feed.xml"] if in_section else []
        assert feed == [BASE_PATH + ("en/" if lang == "en" else "") + "feed.xml", *section], name


def test_sample_content_is_large_enough(pages):
    ar, en = articles(pages, "ar"), articles(pages, "en")
    assert len(ar) >= 12 and len(en) >= 12
    years = {k[:4] for k in ar}
    months = {k[:7] for k in ar}
    assert len(years) >= 2 and len(months) >= 4


def test_article_pages_show_title_date_source_tags_and_related(pages, output):
    for name, doc in {**articles(pages, "ar"), **articles(pages, "en")}.items():
        lang = "en" if name.startswith("en/") else "ar"
        art = doc.xpath("//article[contains(@class,'article')]")[0]
        assert art.xpath(".//h1")[0].text_content().strip()
        stamp = art.xpath(".//time/@datetime")[0]
        datetime.fromisoformat(stamp)
        shown = art.xpath(".//time")[0].text_content()
        if lang == "ar":
            assert any(m in shown for m in ARABIC_MONTHS), shown
        assert art.xpath(".//*[contains(@class,'source')]"), name
        for href in art.xpath(".//a[@rel='tag']/@href"):
            assert resolve(output, href).is_file(), href
        related = doc.xpath("//*[contains(@class,'related')]//a/@href")
        assert 1 <= len(related) <= 5, name
        for href in related:
            assert href.startswith(BASE_PATH + ("en/" if lang == "en" else "")) and re.search(r"/\d{4}/\d{2}/\d{2}/", href)
            assert resolve(output, href).is_file()
            assert href != BASE_PATH + name.removesuffix("index.html")


def test_arabic_source_label_and_read_also_heading(pages):
    doc = pages["2023/09/13/kim-putin-vostochny-summit/index.html"]
    assert "المصدر" in doc.xpath("//*[contains(@class,'source')]")[0].text_content()
    assert doc.xpath("//*[contains(@class,'related')]//h2")[0].text_content() == "اقرأ أيضاً", "hamzat wasl: no hamza under the alef"
    assert pages["en/2023/09/13/kim-putin-vostochny-summit/index.html"].xpath(
        "//*[contains(@class,'related')]//h2")[0].text_content() == "Read also"


def test_kim_visit_and_putin_remarks_are_related_both_ways(pages):
    for prefix in ("", "en/"):
        remarks = pages[f"{prefix}2023/09/16/putin-russia-american-independence/index.html"]
        summit = pages[f"{prefix}2023/09/13/kim-putin-vostochny-summit/index.html"]
        assert any("kim-putin-vostochny-summit" in h for h in remarks.xpath("//*[contains(@class,'related')]//a/@href"))
        assert any("putin-russia-american-independence" in h for h in summit.xpath("//*[contains(@class,'related')]//a/@href"))
        # The Komsomolsk visit's list leads with the other stories of the same trip.
        plant = pages[f"{prefix}2023/09/15/kim-visits-komsomolsk-aircraft-plant/index.html"]
        top = plant.xpath("//*[contains(@class,'related')]//a/@href")[:3]
        assert {h.split("/")[-2] for h in top} >= {"kim-putin-vostochny-summit", "kim-putin-rifles-invitation"}


def test_translated_pages_link_each_other(pages):
    ar = pages["2023/09/13/kim-putin-vostochny-summit/index.html"]
    en = pages["en/2023/09/13/kim-putin-vostochny-summit/index.html"]
    for doc in (ar, en):
        alternates = dict(zip(doc.xpath("//link[@hreflang]/@hreflang"), doc.xpath("//link[@hreflang]/@href")))
        assert alternates == {
            "ar": BASE + "2023/09/13/kim-putin-vostochny-summit/",
            "en": BASE + "en/2023/09/13/kim-putin-vostochny-summit/",
            "x-default": BASE + "2023/09/13/kim-putin-vostochny-summit/",
        }
    switch = ar.xpath("//a[@hreflang='en'][@lang='en']")
    assert switch[0].text_content() == "English"
    assert switch[0].get("href") == BASE_PATH + "en/2023/09/13/kim-putin-vostochny-summit/"
    assert en.xpath("//a[@hreflang='ar'][@lang='ar']/@href") == [BASE_PATH + "2023/09/13/kim-putin-vostochny-summit/"]


def test_untranslated_article_switches_to_the_other_home(pages):
    doc = pages["2023/12/18/world-arabic-language-day/index.html"]
    assert not doc.xpath("//link[@hreflang]")
    assert doc.xpath("//a[@hreflang='en'][@lang='en']/@href") == [BASE_PATH + "en/"]


def test_every_internal_link_resolves(pages, output):
    checked = 0
    for name, doc in pages.items():
        for href in doc.xpath("//@href | //@src"):
            if href.startswith(("http://", "https://", "mailto:")):
                continue
            assert href.startswith(BASE_PATH) or href.startswith("#"), f"{name}: {href} does not carry the base path"
            if href.startswith("#"):
                continue
            target = resolve(output, href)
            assert target is not None and target.is_file(), f"{name}: broken link {href}"
            checked += 1
    assert checked > 1000


def test_date_indexes_have_localized_headings_and_navigation(pages):
    month = pages["2023/09/index.html"]
    assert month.xpath("//h1")[0].text_content().strip() == "سبتمبر 2023"
    assert month.xpath("//a[@rel='up']/@href") == [BASE_PATH + "2023/"]
    assert month.xpath("//a[contains(@class,'prev')]/@href") == [BASE_PATH + "2023/03/"]
    assert month.xpath("//a[contains(@class,'next')]/@href") == [BASE_PATH + "2023/11/"]
    listed = month.xpath("//ol[contains(@class,'article-list')]//h2/a/@href")
    assert len(listed) == 6
    dates = [d for d in month.xpath("//ol[contains(@class,'article-list')]//time/@datetime")]
    assert dates == sorted(dates, reverse=True), "newest first"
    day = pages["2023/09/13/index.html"]
    assert day.xpath("//a[@rel='up']/@href") == [BASE_PATH + "2023/09/"]
    assert "13 سبتمبر 2023" in day.xpath("//h1")[0].text_content()
    year = pages["en/2023/index.html"]
    assert year.xpath("//h1")[0].text_content().strip() == "2023"
    assert BASE_PATH + "en/2023/09/" in year.xpath("//ul[contains(@class,'date-children')]//a/@href")


def test_tags_and_categories_pages(pages):
    tags = pages["tags/index.html"]
    names = [a.text_content() for a in tags.xpath("//a[@rel='tag']")]
    counts = [int(c.text_content().strip("()")) for c in tags.xpath("//ul[contains(@class,'tag-cloud')]//*[@class='count']")]
    assert "روسيا" in names and counts == sorted(counts, reverse=True), "most used tags first"
    russia = pages["tags/روسيا/index.html"]
    assert len(russia.xpath("//ol[contains(@class,'article-list')]/li")) == counts[names.index("روسيا")] == 5
    assert pages["en/categories/politics/index.html"].xpath("//ol/li")


def test_feeds_are_atom_with_full_content(output):
    for prefix, lang in (("", "ar"), ("en/", "en")):
        feed = feedparser.parse((output / prefix / "feed.xml").read_bytes())
        assert not feed.bozo, feed.bozo_exception
        assert feed.version == "atom10"
        assert feed.feed.title
        assert 12 <= len(feed.entries) <= 20
        newest = feed.entries[0]
        assert newest.link == BASE + prefix + "2024/06/19/putin-visits-pyongyang/"
        assert "<p>" in newest.content[0].value
        assert feed.feed.language == lang


def test_sitemap_lists_absolute_urls_with_language_alternates(output):
    index = ET.parse(output / "sitemap.xml")
    pieces = [loc.text for loc in index.findall("s:sitemap/s:loc", SITEMAP_NS)]
    assert pieces and all(p.startswith(BASE + "sitemaps/") for p in pieces)
    urls = [u for p in pieces for u in ET.parse(output / p.removeprefix(BASE)).findall("s:url", SITEMAP_NS)]
    locs = [u.findtext("s:loc", namespaces=SITEMAP_NS) for u in urls]
    assert all(loc.startswith(BASE) for loc in locs)
    assert len(locs) == len(set(locs))
    entry = next(u for u in urls if u.findtext("s:loc", namespaces=SITEMAP_NS) == BASE + "en/2023/09/16/putin-russia-american-independence/")
    alternates = {l.get("hreflang"): l.get("href") for l in entry.findall("x:link", SITEMAP_NS)}
    assert alternates == {"ar": BASE + "2023/09/16/putin-russia-american-independence/",
                          "en": BASE + "en/2023/09/16/putin-russia-american-independence/",
                          "x-default": BASE + "2023/09/16/putin-russia-american-independence/"}
    robots = (output / "robots.txt").read_text()
    assert f"Sitemap: {BASE}sitemap.xml" in robots
    assert (output / ".nojekyll").is_file()
    not_found = lxml_html.fromstring((output / "404.html").read_bytes())
    assert BASE_PATH in not_found.xpath("//main//a/@href")


def test_css_is_direction_neutral_and_local(output):
    css = (output / "assets" / "style.css").read_text()
    assert "margin-inline" in css and "padding-inline-start" in css
    assert not re.search(r"(margin|padding)-(left|right)\s*:", css), "physical sides would break one direction"
    assert "@import" not in css and not re.search(r"url\(\s*['\"]?(https?:)?//", css), "no request to another host"
