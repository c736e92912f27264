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


TWO_WRITERS = {
    **STORIES,
    "content/2023/09/e.ar.md": article("اتفاق الحبوب", "2023-09-17", "نص.", author="[سارة الأحمد, خالد يوسف]"),
    "content/2023/09/e.en.md": article("Grain deal", "2023-09-17", "Text.",
                                       author="[Sarah Al-Ahmad, Khaled Youssef, Omar Nasser]"),
    # One writer named twice, spelt two ways: named once.
    "content/2023/09/f.ar.md": article("موسم الحصاد", "2023-09-18", "نص.", author="[خالد يوسف, خالد  يوسف]"),
    "content/2023/09/g.en.md": article("Rain", "2023-09-19", "Text.", author="[]"),  # an empty list: no writer
}


def _byline(page) -> tuple[str, list[str]]:
    (byline,) = page.xpath('//span[@class="byline"]')
    return " ".join(byline.text_content().split()), [unquote(a.get("href")) for a in byline.xpath("a")]


def test_a_story_of_two_writers_is_on_each_writer_s_page_and_names_both(site):
    result = site.write(TWO_WRITERS).build()
    assert not result.warnings, [str(w) for w in result.warnings]
    story = site.page("2023/09/17/e/")
    text, links = _byline(story)
    assert text == "بقلم سارة الأحمد وخالد يوسف", "و joined to the last name, as Arabic writes it"
    sarah, khaled = links
    assert _listed(site.page(sarah.removeprefix("/digest/"))) == ["اتفاق الحبوب", "إعادة فتح الميناء", "فيضانات درنة"]
    assert _listed(site.page(khaled.removeprefix("/digest/"))) == ["موسم الحصاد", "اتفاق الحبوب", "قمة المناخ"]
    assert _byline(site.page("2023/09/18/f/")) == ("بقلم خالد يوسف", [khaled])

    english = site.page("en/2023/09/17/e/")
    assert _byline(english) == ("By Sarah Al-Ahmad, Khaled Youssef and Omar Nasser",
                                ["/digest/en/authors/sarah-al-ahmad/", "/digest/en/authors/khaled-youssef/",
                                 "/digest/en/authors/omar-nasser/"])
    assert _listed(site.page("en/authors/omar-nasser/")) == ["Grain deal"]
    assert site.page("en/2023/09/19/g/").xpath('//span[@class="byline"]') == []
    metadata = json.loads(english.xpath('//script[@type="application/ld+json"]/text()')[0])
    assert [person["name"] for person in metadata["author"]] == ["Sarah Al-Ahmad", "Khaled Youssef", "Omar Nasser"]
    assert metadata["author"][2]["url"] == "https://example.org/digest/en/authors/omar-nasser/"

    feed = etree.fromstring((site.output / "en/feed.xml").read_bytes())
    atom = {"a": "http://www.w3.org/2005/Atom"}
    (entry,) = feed.xpath("//a:entry[a:title='Grain deal']", namespaces=atom)
    assert entry.xpath("a:author/a:name/text()", namespaces=atom) == ["Sarah Al-Ahmad", "Khaled Youssef", "Omar Nasser"]


def test_a_byline_joining_two_writers_who_have_pages_is_named_with_the_list_to_write(site):
    files = {
        **STORIES,
        "content/2023/09/e.ar.md": article("اتفاق الحبوب", "2023-09-17", "نص.", author="سارة الأحمد وخالد يوسف"),
        "content/2023/09/e.en.md": article("Grain deal", "2023-09-17", "Text.", author="Sarah Al-Ahmad & Khaled Youssef"),
        "content/2023/09/k.en.md": article("Harvest", "2023-09-18", "Text.", author="Khaled Youssef"),
        "content/2023/09/j.en.md": article("Port", "2023-09-19", "Text.", author="khaled youssef and Sarah Al-Ahmad"),
        # A byline that goes on with a place, and a second name beginning with و: one writer each.
        "content/2023/09/g.ar.md": article("سوق الذهب", "2023-09-19", "نص.", author="خالد يوسف، القاهرة"),
        "content/2023/09/h.ar.md": article("مؤتمر الطاقة", "2023-09-20", "نص.", author="سارة وليد"),
        "content/2023/09/i.ar.md": article("معرض الكتاب", "2023-09-21", "نص.", author="سارة"),
    }
    result = site.write(files).build()
    assert sorted(str(w) for w in result.warnings) == [
        "warning: content/2023/09/e.ar.md:4: author: 'سارة الأحمد وخالد يوسف' is 2 writers written as one name: it makes a "
        "page of its own, and the story is on none of theirs — write author: [سارة الأحمد, خالد يوسف]",
        "warning: content/2023/09/e.en.md:4: author: 'Sarah Al-Ahmad & Khaled Youssef' is 2 writers written as one name: it "
        "makes a page of its own, and the story is on none of theirs — write author: [Sarah Al-Ahmad, Khaled Youssef]",
        "warning: content/2023/09/j.en.md:4: author: 'khaled youssef and Sarah Al-Ahmad' is 2 writers written as one "
        "name: it makes a page of its own, and the story is on none of theirs — write author: [khaled youssef, Sarah "
        "Al-Ahmad]",
    ]
    site.write({"content/2023/09/e.ar.md": article("اتفاق الحبوب", "2023-09-17", "نص.",
                                                   author="[سارة الأحمد, خالد يوسف]")})
    assert [str(w) for w in site.build().warnings if "e.ar.md" in str(w)] == []
