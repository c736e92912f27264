"""A correction (front matter `correction:`, dated by `updated:`): shown under the story and said at its top, in
its metadata and in its feed entry, as newsrooms tell readers what an earlier version got wrong."""

from __future__ import annotations

import json

from lxml import etree
from lxml import html as lxml_html

from conftest import article

CORRECTED = "ذكرت نسخة سابقة من هذا الخبر أن ثلاثة سدود انهارت، والصحيح أنهما سدان <b>اثنان</b>."
STORY = {
    "content/2023/09/dams.ar.md": article("انهيار سدين في درنة", "2023-09-12T09:00:00+00:00", "نص الخبر عن السدين.",
                                          updated="2023-09-14T10:30:00+00:00", correction=repr(CORRECTED)),
    "content/2023/09/dams.en.md": article("Two dams burst in Derna", "2023-09-12T09:00:00+00:00", "The story.",
                                          updated="2023-09-13T08:00:00+00:00"),
}


def test_a_corrected_story_says_so_at_its_top_and_shows_the_correction_under_it(site):
    site.write(STORY).build()
    page = site.page("2023/09/12/dams/")
    (note,) = page.xpath('//article//p[@class="correction"]')
    assert note.get("id") == "mujaz-correction" and note.get("role") == "note"
    assert note.xpath("strong/text()") == ["تصحيح"]
    assert note.xpath("time/@datetime") == ["2023-09-14T10:30:00+00:00"]
    # Its words as written: a tag in them is text, not markup.
    assert note.text_content() == f"تصحيح (14 سبتمبر 2023): {CORRECTED}"
    (said,) = page.xpath('//p[@class="meta"]/a[@href="#mujaz-correction"]')
    assert said.text == "صُحِّح" and said.getnext().get("datetime") == "2023-09-14T10:30:00+00:00"
    metadata = json.loads(page.xpath('//script[@type="application/ld+json"]/text()')[0])
    assert metadata["correction"] == {"@type": "CorrectionComment", "text": CORRECTED,
                                      "datePublished": "2023-09-14T10:30:00+00:00"}
    assert metadata["dateModified"] == "2023-09-14T10:30:00+00:00"

    english = site.page("en/2023/09/12/dams/")  # updated, with nothing corrected: as before
    assert english.xpath('//p[@class="correction"]') == [] and english.xpath('//a[@href="#mujaz-correction"]') == []
    assert "Updated" in english.xpath('string(//p[@class="meta"])')
    assert "correction" not in json.loads(english.xpath('//script[@type="application/ld+json"]/text()')[0])


def test_the_feed_entry_carries_the_correction_after_the_story(site):
    site.write(STORY).build()
    feed = etree.fromstring((site.output / "feed.xml").read_bytes())
    atom = {"a": "http://www.w3.org/2005/Atom"}
    (entry,) = feed.xpath("//a:entry", namespaces=atom)
    assert entry.xpath("a:updated/text()", namespaces=atom) == ["2023-09-14T10:30:00+00:00"]
    content = lxml_html.fragment_fromstring(entry.xpath("a:content/text()", namespaces=atom)[0], create_parent="div")
    paragraphs = content.xpath("p")
    assert paragraphs[0].text_content() == "نص الخبر عن السدين."
    assert paragraphs[-1].text_content() == f"تصحيح (14 سبتمبر 2023): {CORRECTED}"
    assert paragraphs[-1].xpath("b") == [], "the correction's words stay text in the feed too"


def test_a_correction_without_a_date_is_shown_and_named(site):
    site.write({"content/a.ar.md": article("خبر", body="نص.", summary="ملخص الخبر.", correction="ذكرت نسخة سابقة خطأ")})
    result = site.cli("--strict", command="check")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "warning: content/a.ar.md:5: the correction has no date: readers are told of a correction with the day it "
        "was made — add updated: with the day and time of the correction, below date:"], result.stderr
    site.build()
    assert site.page("2023/09/13/a/").xpath('string(//p[@class="correction"])') == "تصحيح: ذكرت نسخة سابقة خطأ"


def test_a_correction_written_with_its_key_in_arabic_is_read(site):
    site.write({"content/a.ar.md": "---\ntitle: خبر\ndate: 2023-09-13\nتحديث: 2023-09-14\n"
                                   "تصحيح: ذكرت نسخة سابقة خطأ\n---\nنص.\n"})
    site.build()
    assert site.page("2023/09/13/a/").xpath('string(//p[@class="correction"])') == (
        "تصحيح (14 سبتمبر 2023): ذكرت نسخة سابقة خطأ")
