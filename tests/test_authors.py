"""A writer's page: the stories of one byline (`author:`), linked from each of them, as newsrooms, Pelican and
Hugo's taxonomies make them."""

from __future__ import annotations

import json
from urllib.parse import unquote

from lxml import etree

from conftest import article

STORIES = {
    "content/2023/09/a.ar.md": article("فيضانات درنة", "2023-09-12", "نص.", author="سارة الأحمد"),
    # Her name spelt another way, as editors type it: one page for both.
    "content/2023/09/b.ar.md": article("إعادة فتح الميناء", "2023-09-14", "نص.", author="ساره الاحمد"),
    "content/2023/09/c.ar.md": article("قمة المناخ", "2023-09-15", "نص.", author='"بقلم: خالد يوسف"'),
    "content/2023/09/d.ar.md": article("خبر بلا كاتب", "2023-09-16", "نص."),
    "content/2023/09/a.en.md": article("Derna floods", "2023-09-12", "Text.", author="Sarah Al-Ahmad"),
}


def _listed(page) -> list[str]:
    return [a.text_content() for a in page.xpath("//main//h2/a")]


def test_a_byline_leads_to_the_writer_s_page_which_lists_her_stories(site):
    result = site.write(STORIES).build()
    assert not result.warnings, [str(w) for w in result.warnings]
    story = site.page("2023/09/12/a/")
    (link,) = story.xpath('//span[@class="byline"]/a')
    assert link.get("rel") == "author" and link.text_content() == "سارة الأحمد", "the byline as written"
    writer = site.page(unquote(link.get("href").removeprefix("/digest/")))
    assert writer.xpath("string(//h1)").split() == ["مقالات", "بقلم", "سارة", "الأحمد"]
    assert _listed(writer) == ["إعادة فتح الميناء", "فيضانات درنة"], "newest first, both spellings"
    assert site.page("2023/09/14/b/").xpath('//span[@class="byline"]/a/@href') == [link.get("href")]

    # The label pasted with a name is not part of it (content.py): the page is the writer's.
    (other,) = site.page("2023/09/15/c/").xpath('//span[@class="byline"]/a/@href')
    assert _listed(site.page(unquote(other.removeprefix("/digest/")))) == ["قمة المناخ"]
    assert site.page("2023/09/16/d/").xpath('//span[@class="byline"]') == []

    english = site.page("en/2023/09/12/a/")
    (href,) = english.xpath('//span[@class="byline"]/a/@href')
    assert href == "/digest/en/authors/sarah-al-ahmad/"
    assert site.page("en/authors/sarah-al-ahmad/").xpath("string(//h1)").split() == ["Articles", "by", "Sarah",
                                                                                      "Al-Ahmad"]
    metadata = json.loads(english.xpath('//script[@type="application/ld+json"]/text()')[0])
    assert metadata["author"] == {"@type": "Person", "name": "Sarah Al-Ahmad",
                                  "url": "https://example.org/digest/en/authors/sarah-al-ahmad/"}

    sitemap = etree.fromstring((site.output / "sitemaps/authors.xml").read_bytes())
    listed = sitemap.xpath("//*[local-name()='loc']/text()")
    assert "https://example.org/digest/en/authors/sarah-al-ahmad/" in listed and len(listed) == 3
