"""Feeds: a language's, and a section's (its own address beside the section's pages), each of its newest stories,
whole, as feed readers and the tools that post a feed to a channel read them."""

from __future__ import annotations

from urllib.parse import quote

from lxml import etree

from conftest import BASE_CONFIG, article

ATOM = {"a": "http://www.w3.org/2005/Atom"}


def _feed(site, route: str) -> dict:
    feed = etree.fromstring((site.output / route).read_bytes())
    return {"title": feed.findtext("a:title", namespaces=ATOM), "id": feed.findtext("a:id", namespaces=ATOM),
            "self": feed.xpath("a:link[@rel='self']/@href", namespaces=ATOM)[0],
            "alternate": feed.xpath("a:link[@rel='alternate']/@href", namespaces=ATOM)[0],
            "entries": [entry.findtext("a:title", namespaces=ATOM) for entry in feed.iterfind("a:entry", ATOM)]}


def test_each_section_has_a_feed_of_its_newest_stories(site):
    site.write({
        **{f"content/e{n}.ar.md": article(f"اقتصاد {n}", f"2023-09-1{n}", "نص.", category="اقتصاد") for n in range(3)},
        "content/p.ar.md": article("سياسة", "2023-09-15", "نص.", category="سياسة"),
        "content/n.ar.md": article("بلا قسم", "2023-09-16", "نص."),
        "content/e0.en.md": article("Economy 0", "2023-09-10", "Text.", category="Economy"),
    }, config=BASE_CONFIG + "feed_size: 2\n").build()
    economy = "https://example.org/digest/categories/" + quote("اقتصاد") + "/"
    assert _feed(site, "categories/اقتصاد/feed.xml") == {
        "title": "موجز — اقتصاد", "id": economy, "self": economy + "feed.xml", "alternate": economy,
        "entries": ["اقتصاد 2", "اقتصاد 1"]}  # the newest, as many as feed_size
    assert _feed(site, "categories/سياسة/feed.xml")["entries"] == ["سياسة"]
    assert _feed(site, "en/categories/economy/feed.xml")["title"] == "Digest — Economy"
    assert _feed(site, "feed.xml")["entries"] == ["بلا قسم", "سياسة"], "the language's feed, as before"
    assert sorted(p.relative_to(site.output).as_posix() for p in site.output.rglob("feed.xml")) == [
        "categories/اقتصاد/feed.xml", "categories/سياسة/feed.xml", "en/categories/economy/feed.xml",
        "en/feed.xml", "feed.xml"], "a feed per section, none per tag"
    page = site.page("categories/اقتصاد/")
    href = "/digest/categories/" + quote("اقتصاد") + "/feed.xml"
    assert page.xpath("//link[@type='application/atom+xml']/@href") == ["/digest/feed.xml", href]
    assert page.xpath(f"//main//a[@href='{href}']/text()") == ["خلاصة هذا القسم"]
    sitemaps = [site.output / "sitemap.xml", *(site.output / "sitemaps").glob("*.xml")]
    assert len(sitemaps) > 1 and not any(b"feed.xml" in path.read_bytes() for path in sitemaps), "pages only"


def test_a_story_that_leaves_a_section_leaves_its_feed(site):
    site.write({"content/a.ar.md": article("خبر", "2023-09-13", "نص.", category="اقتصاد"),
                "content/b.ar.md": article("خبر آخر", "2023-09-14", "نص.", category="اقتصاد")}).build()
    assert _feed(site, "categories/اقتصاد/feed.xml")["entries"] == ["خبر آخر", "خبر"]
    site.write({"content/b.ar.md": article("خبر آخر", "2023-09-14", "نص.", category="سياسة")}).build()
    assert _feed(site, "categories/اقتصاد/feed.xml")["entries"] == ["خبر"]
    assert _feed(site, "categories/سياسة/feed.xml")["entries"] == ["خبر آخر"]
