"""sitemap.xml is an index of small pieces, as search engines read them, and an edit renders one piece again."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from urllib.parse import quote

import generator.sitemap
from conftest import NOW, article

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
BASE = "https://example.org/digest/"


def _stories() -> dict[str, str]:
    files = {}
    for month in (1, 2, 3):
        for day in range(10, 15):
            slug = f"m{month}d{day}"
            tags = f"[وسم{day % 2}]"
            files[f"content/{slug}.ar.md"] = article(f"خبر {slug}", f"2023-{month:02d}-{day}", tags=tags)
            if day % 2:
                files[f"content/{slug}.en.md"] = article(f"Story {slug}", f"2023-{month:02d}-{day}", body="Text.")
    return files


def _read(site) -> tuple[dict[str, str | None], dict[str, list[tuple[str, str | None]]]]:
    """The index (piece address → its lastmod) and each piece's (address, lastmod) entries."""
    index = ET.parse(site.output / "sitemap.xml").getroot()
    assert index.tag == "{%s}sitemapindex" % NS["s"]
    listed = {s.findtext("s:loc", namespaces=NS): s.findtext("s:lastmod", namespaces=NS)
              for s in index.findall("s:sitemap", NS)}
    pieces = {}
    for url in listed:
        assert url.startswith(BASE + "sitemaps/") and url.endswith(".xml"), url
        root = ET.parse(site.output / url.removeprefix(BASE)).getroot()
        assert root.tag == "{%s}urlset" % NS["s"]
        pieces[url] = [(u.findtext("s:loc", namespaces=NS), u.findtext("s:lastmod", namespaces=NS))
                       for u in root.findall("s:url", NS)]
    return listed, pieces


def test_the_sitemap_lists_every_page_once_in_pieces_no_larger_than_the_limit(site, monkeypatch):
    monkeypatch.setattr(generator.sitemap, "SITEMAP_MOST", 4)
    site.write(_stories())
    site.build()
    listed, pieces = _read(site)
    assert sorted(p.relative_to(site.output).as_posix() for p in (site.output / "sitemaps").iterdir()) == \
        sorted(url.removeprefix(BASE) for url in listed), "every piece is in the index, and only those"
    assert all(1 <= len(entries) <= 4 for entries in pieces.values())
    locs = [loc for entries in pieces.values() for loc, _ in entries]
    assert len(locs) == len(set(locs))
    # What a reader can land on: every HTML page but later pages of a listing, search, and 404.
    folders = {p.relative_to(site.output).parent.as_posix() for p in site.output.rglob("index.html")}
    expected = {BASE + ("" if f == "." else quote(f) + "/") for f in folders
                if "/page/" not in f and not f.startswith("page/") and "search" not in f.split("/")}
    assert set(locs) == expected
    for url, lastmod in listed.items():
        assert lastmod == max(m for _, m in pieces[url] if m), url
    # Article pages by the month of their date, in both languages: March's seven in two pieces.
    march = [url for url in pieces if url.startswith(BASE + "sitemaps/articles-2023-03")]
    assert sorted(march) == [BASE + "sitemaps/articles-2023-03-2.xml", BASE + "sitemaps/articles-2023-03.xml"]
    assert {loc for url in march for loc, _ in pieces[url]} == \
        {f"{BASE}{lang}2023/03/{day}/m3d{day}/" for day in range(10, 15) for lang in ("", "en/")
         if lang == "" or day % 2}


def test_an_update_renders_only_its_months_piece_and_the_index_again(site):
    site.write(_stories())
    site.build()
    before = _read(site)[1]
    path = site.root / "content/m2d12.ar.md"
    path.write_text(path.read_text(encoding="utf-8").replace("date: 2023-02-12", "date: 2023-02-12\nupdated: 2023-05-01"),
                    encoding="utf-8")
    result = site.build(now=NOW, explain=("sitemap.xml", "sitemaps/articles-2023-02.xml",
                                          "sitemaps/articles-2023-01.xml", "sitemaps/articles-2023-03.xml"))
    why = dict(result.explained)
    assert why["sitemap.xml"].startswith("sitemap.xml: rendered again")
    assert why["sitemaps/articles-2023-02.xml"].startswith("sitemaps/articles-2023-02.xml: rendered again")
    assert why["sitemaps/articles-2023-01.xml"].startswith("sitemaps/articles-2023-01.xml: kept")
    assert why["sitemaps/articles-2023-03.xml"].startswith("sitemaps/articles-2023-03.xml: kept")
    listed, after = _read(site)
    assert dict(after[BASE + "sitemaps/articles-2023-02.xml"])[BASE + "2023/02/12/m2d12/"].startswith("2023-05-01")
    assert listed[BASE + "sitemaps/articles-2023-02.xml"].startswith("2023-05-01")
    assert after[BASE + "sitemaps/articles-2023-01.xml"] == before[BASE + "sitemaps/articles-2023-01.xml"]


NEWS = {"s": NS["s"], "n": "http://www.google.com/schemas/sitemap-news/0.9"}


def test_google_news_reads_the_stories_of_the_last_two_days_with_their_publication_and_language(site):
    """news-sitemap.xml, which robots.txt names: the stories of the two days up to the newest, newest first, each
    with the publication's name in its language; not a draft, not one older."""
    site.write({"content/new.ar.md": article("قمة الطاقة تختتم", "2023-09-15T18:00:00+00:00"),
                "content/new.en.md": article("Energy summit ends", "2023-09-15T18:00:00+00:00", body="Text."),
                "content/day.ar.md": article("افتتاح القمة", "2023-09-14T09:00:00+00:00"),
                "content/old.ar.md": article("خبر قديم", "2023-09-13T17:59:00+00:00"),
                "content/draft.ar.md": article("مسودة", "2023-09-15T19:00:00+00:00", draft="true")},
               config="title: {ar: موجز, en: Digest}\nbase_url: " + BASE + "\nlanguages:\n"
                      "  - {code: ar, name: العربية, direction: rtl}\n  - {code: en, name: English, direction: ltr}\n"
                      "default_language: ar\nadmin: false\npublisher: {ar: دار موجز, en: Mujaz House}\n").build()
    urls = ET.parse(site.output / "news-sitemap.xml").getroot().findall("s:url", NEWS)
    assert [(url.findtext("s:loc", namespaces=NEWS), url.findtext("n:news/n:publication/n:name", namespaces=NEWS),
             url.findtext("n:news/n:publication/n:language", namespaces=NEWS),
             url.findtext("n:news/n:publication_date", namespaces=NEWS), url.findtext("n:news/n:title", namespaces=NEWS))
            for url in urls] == [
        (BASE + "2023/09/15/new/", "دار موجز", "ar", "2023-09-15T18:00:00+00:00", "قمة الطاقة تختتم"),
        (BASE + "en/2023/09/15/new/", "Mujaz House", "en", "2023-09-15T18:00:00+00:00", "Energy summit ends"),
        (BASE + "2023/09/14/day/", "دار موجز", "ar", "2023-09-14T09:00:00+00:00", "افتتاح القمة")]
    assert f"Sitemap: {BASE}news-sitemap.xml" in (site.output / "robots.txt").read_text(encoding="utf-8").splitlines()
    assert "news-sitemap" not in (site.output / "sitemap.xml").read_text(encoding="utf-8"), "a sitemap of its own"
