"""NewsArticle JSON-LD, Open Graph, Twitter card and canonical, as a crawler reads them from built pages."""

from __future__ import annotations

import json

from conftest import BASE_CONFIG, article

CONFIG = BASE_CONFIG + "publisher: {ar: وكالة موجز, en: Mujaz Agency}\nauthor: {ar: فريق التحرير, en: The desk}\n"


def _build(site):
    meta = dict(translation_key="summit", summary="'A summit in the Far East.'", tags="[Russia, North Korea]",
                category="politics", image="{src: /images/summit.jpg, alt: The summit}",
                source="{name: Example News, url: 'https://example.org/summit'}", updated="2023-09-14")
    site.write({"content/summit.en.md": article("Summit at Vostochny", "2023-09-13", "Text.", **meta),
                "content/summit.ar.md": article("قمة فوستوشني", "2023-09-13", "نص.", translation_key="summit")},
               config=CONFIG)
    site.build()
    return site.page("en/2023/09/13/summit/")


def test_news_article_json_ld_has_every_field(site):
    page = _build(site)
    [script] = page.xpath("//script[@type='application/ld+json']")
    data = json.loads(script.text)
    url = "https://example.org/digest/en/2023/09/13/summit/"
    assert data == {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": "Summit at Vostochny",
        "description": "A summit in the Far East.",
        "datePublished": "2023-09-13T00:00:00+00:00",
        "dateModified": "2023-09-14T00:00:00+00:00",
        "inLanguage": "en",
        "mainEntityOfPage": url,
        "url": url,
        "image": "https://example.org/digest/images/summit.jpg",
        "keywords": ["Russia", "North Korea"],
        "articleSection": "politics",
        "isBasedOn": "https://example.org/summit",
        "author": {"@type": "Person", "name": "The desk"},
        # Its logo: the site's icon (icons.py), as Google asks of a news publisher.
        "publisher": {"@type": "Organization", "name": "Mujaz Agency", "url": "https://example.org/digest/en/",
                      "logo": {"@type": "ImageObject", "url": "https://example.org/digest/icons/icon-512.png",
                               "width": 512, "height": 512}},
    }


def test_open_graph_twitter_and_canonical(site):
    page = _build(site)
    og = {m.get("property"): m.get("content") for m in page.xpath("//meta[@property]") if m.get("property") != "article:tag"}
    url = "https://example.org/digest/en/2023/09/13/summit/"
    assert og == {
        "og:type": "article", "og:title": "Summit at Vostochny", "og:url": url, "og:site_name": "Digest",
        "og:locale": "en_US", "og:locale:alternate": "ar_AR", "og:description": "A summit in the Far East.",
        "og:image": url + "card.png", "og:image:width": "1200", "og:image:height": "630",
        "og:image:alt": "Summit at Vostochny",  # the share card, which shows the headline
        "article:published_time": "2023-09-13T00:00:00+00:00", "article:modified_time": "2023-09-14T00:00:00+00:00",
    }
    assert page.xpath("//meta[@property='article:tag']/@content") == ["Russia", "North Korea"]
    assert page.xpath("string(//meta[@name='twitter:card']/@content)") == "summary_large_image"
    assert page.xpath("string(//link[@rel='canonical']/@href)") == url
    # Without it, Google's Discover shows a story with a thumbnail, not its picture large.
    assert page.xpath("//meta[@name='robots']/@content") == ["max-image-preview:large"]
    arabic = site.page("2023/09/13/summit/")
    assert arabic.xpath("string(//meta[@property='og:locale']/@content)") == "ar_AR"
    assert arabic.xpath("//meta[@property='og:locale:alternate']/@content") == ["en_US"]
    data = json.loads(arabic.xpath("//script[@type='application/ld+json']")[0].text)
    assert data["author"] == {"@type": "Person", "name": "فريق التحرير"} and data["publisher"]["name"] == "وكالة موجز"
