"""Text of the other direction never scrambles: titles, tags, sections and sources are isolated."""

from __future__ import annotations

from browser import chromium
from conftest import article

MIXED = "زيارة Kim Jong Un إلى روسيا (2023)"


def test_mixed_direction_titles_are_isolated_in_lists_and_related_blocks(site):
    site.write({
        "content/visit.ar.md": article(MIXED, "2023-09-13", "زيارة كيم إلى روسيا وقمة مع بوتين في فوستوشني.",
                                       tags="[Kim Jong Un, روسيا]", category="'North Korea'", translation_key="visit",
                                       source="{name: Reuters, url: 'https://example.org/r'}"),
        "content/visit.en.md": article(MIXED, "2023-09-13", "Kim visits Russia for a summit with Putin at Vostochny.",
                                       tags="[Kim Jong Un, Russia]", translation_key="visit"),
        "content/rifles.ar.md": article("كيم وبوتين يتبادلان البنادق", "2023-09-14", "كيم وبوتين في فوستوشني وروسيا.",
                                        tags="[Kim Jong Un, روسيا]", translation_key="rifles"),
        "content/rifles.en.md": article("Kim and Putin swap rifles", "2023-09-14", "Kim visits Russia; Putin at Vostochny.",
                                        tags="[Kim Jong Un, Russia]", translation_key="rifles"),
    })
    site.build()
    home = site.page("")
    [title] = [a for a in home.xpath("//ol[@class='article-list']//h2/a") if a.text_content() == MIXED]
    assert title[0].tag == "bdi" and title[0].text == MIXED
    english = site.page("en/2023/09/14/rifles/")
    [link] = english.xpath("//aside[@class='related']//a")
    assert link[0].tag == "bdi" and link[0].text == MIXED
    arabic = site.page("2023/09/13/visit/")
    for label in ("Kim Jong Un", "North Korea", "Reuters"):
        isolated = [b for b in arabic.xpath("//article//bdi") if b.text == label]
        assert len(isolated) == 1, f"{label!r}, a left-to-right label on an Arabic page, sits in one <bdi>"

    with chromium() as browser:
        page = browser.new_page()
        page.goto((site.output / "index.html").as_uri())
        isolation = page.eval_on_selector_all("ol.article-list bdi", "els => els.map(e => getComputedStyle(e).unicodeBidi)")
        assert isolation and set(isolation) == {"isolate"}
        titles = page.eval_on_selector_all("ol.article-list h2 bdi", "els => els.map(e => e.innerText)")
        assert MIXED in titles
