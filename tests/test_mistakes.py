"""Editor mistakes that used to pass in silence: each one a small site, with the exact line `check` prints.

Warnings appear in `build` too; `check --strict` fails on them, as a pull request does.
"""

from __future__ import annotations

import json
from urllib.parse import unquote

import pytest

import generator.build
import generator.content
from generator.errors import BuildError

from conftest import BASE_CONFIG, article

PICTURES = {
    "content/a.en.md": "---\ntitle: Story\ndate: 2023-09-13\nsummary: S.\nimage: {src: /images/missing.jpg, alt: x}\n---\n"
                       "Text.\n\n![pic](/images/gone.png) and <img src=\"/images/raw.png\" alt=\"r\">\n\n"
                       "![fine](/images/here.png)\n",
    "static/images/here.png": b"png",
}
LINKS = {
    "content/a.en.md": "---\ntitle: Story\ndate: 2023-09-13\nsummary: S.\ntags: [Energy]\ncategory: World\n---\n"
                       "See [the story](/2023/01/01/no-such-story/).\n\n[A tag](/en/tags/nothing/) and "
                       "[a section](/en/categories/none/).\n\n[Fine](/en/tags/energy/), [home](/en/), "
                       "[section](/en/categories/world/), [search](/en/search/?q=x), [day](/en/2023/09/13)\n",
}
WRITTEN = "---\ntitle: t\ndate: 2023-09-13\n---\nنص\n"
# Addresses as editors get them wrong: from the story's folder, with static/ in front, in other capitals, on their
# own computer. The picture is in static/; the hint gives its address.
ADDRESSES = {
    "content/a.en.md": "---\ntitle: Story\ndate: 2023-09-13\nsummary: S.\nimage: {src: /static/images/port.jpg, alt: x}\n"
                       "---\n![one](images/port.jpg)\n\n![two](/Images/Port.JPG)\n\n"
                       "![three](C:\\Users\\Huda\\Pictures\\port.jpg)\n\n[The other story](2023/09/14/b/)\n",
    "content/b.ar.md": "---\ntitle: خبر آخر\ndate: 2023-09-14\nsummary: ملخص.\nimage: {src: 'https://wire.example/b.jpg', "
                       "alt: صورة}\n---\nنص.\n",
    "static/images/port.jpg": b"jpg",
}

# Embed codes as the sites give them: YouTube's (Share → Embed), Google Maps', and an old one over http.
FRAMES = ("---\ntitle: Story\ndate: 2023-09-13\nsummary: S.\n---\nThe speech:\n\n"
          '<iframe width="560" height="315" src="https://www.google.com/maps/embed?pb=!1m18&amp;z=3" '
          'style="border:0;"></iframe>\n\n<iframe src="http://player.vimeo.com/video/1"></iframe>\n\n'
          '<iframe width="560" height="315" src="https://www.youtube.com/embed/M7lc1UVf-VE?si=x&amp;start=5" '
          'title="YouTube video player" frameborder="0" allowfullscreen></iframe>\n\nThe end.\n')

COPIED_SUMMARY = "انهار سدان فوق درنة بعد أمطار غزيرة، فجرف السيل أحياء كاملة إلى البحر."
COPIED_TEXT = ("ضربت العاصفة شرق ليبيا بأمطار لم تعرفها المنطقة منذ عقود، وامتلأ الوادي فوق المدينة حتى انهار "
               "السدان واحداً بعد الآخر في ساعات الليل الأولى. " * 3)

CASES = {
    "front matter image missing": (PICTURES, [
        "warning: content/a.en.md:5: the front matter image '/digest/images/missing.jpg' is not in static/ — put the "
        "picture at static/images/missing.jpg, or fix the address"]),
    "Markdown image missing": (PICTURES, [
        "warning: content/a.en.md:9: an image '/digest/images/gone.png' is not in static/ — put the picture at "
        "static/images/gone.png, or fix the address"]),
    "raw HTML image missing": (PICTURES, [
        "warning: content/a.en.md:9: an image '/digest/images/raw.png' is not in static/ — put the picture at "
        "static/images/raw.png, or fix the address"]),
    "an address that misses a picture static/ holds": (ADDRESSES, [
        "warning: content/a.en.md:5: the front matter image '/digest/static/images/port.jpg' is not in static/ — write "
        "/images/port.jpg, the address of static/images/port.jpg",
        "warning: content/a.en.md:7: an image 'images/port.jpg' is not in static/ — write /images/port.jpg, the "
        "address of static/images/port.jpg",
        "warning: content/a.en.md:9: an image '/digest/Images/Port.JPG' is not in static/ — write /images/port.jpg",
        "warning: content/a.en.md:11: an image 'C:\\\\Users\\\\Huda\\\\Pictures\\\\port.jpg' is a file on a computer, which "
        "no reader can open — copy it into static/ (for a picture, static/images/port.jpg) and write its address "
        "from there (/images/…)",
        "warning: content/a.en.md:13: links to '2023/09/14/b/', which is no page of the site — write /2023/09/14/b/: "
        "an address without a / in front is read from the story's own folder"]),
    "link to no story": (LINKS, [
        "warning: content/a.en.md:8: links to '/digest/2023/01/01/no-such-story/', which is no page of the site — "
        "check the address: a story is at /YYYY/MM/DD/<slug>/, a tag at /tags/<tag>/"]),
    "link to no tag or section": (LINKS, [
        "warning: content/a.en.md:10: links to '/digest/en/tags/nothing/', which is no page of the site",
        "warning: content/a.en.md:10: links to '/digest/en/categories/none/', which is no page of the site"]),
    "wrong extensions": ({f"content/{name}": WRITTEN for name in ("x.ar.markdown", "y.ar.MD", "z.ar.txt", "w.ar")}, [
        "warning: content/x.ar.markdown:1: is not read: articles are files ending in .md — rename it to x.ar.md",
        "warning: content/y.ar.MD:1: is not read: articles are files ending in .md — rename it to y.ar.md",
        "warning: content/z.ar.txt:1: is not read: articles are files ending in .md — rename it to z.ar.md",
        "warning: content/w.ar:1: is not read: articles are files ending in .md — rename it to w.ar.md"]),
    "English file still in Arabic": ({"content/left.en.md": article(
        "قمة بوتين وكيم", summary="'ملخص بالعربية'",
        body="هذا نص عربي طويل بما يكفي ليحسب كنص عربي كامل في ملف إنجليزي بالخطأ.")}, [
        "warning: content/left.en.md:2: the title is in Arabic letters, but this is the en file — translate it, or "
        "give the file the language it is written in",
        "warning: content/left.en.md:4: the summary is in Arabic letters, but this is the en file",
        "warning: content/left.en.md:6: the text is in Arabic letters, but this is the en file"]),
    "Arabic file still in English": ({"content/left.ar.md": article(
        "Putin meets Kim", body="This English text is long enough to count as English in the Arabic file.")}, [
        "warning: content/left.ar.md:2: the title is in Latin letters, but this is the ar file",
        "warning: content/left.ar.md:5: the text is in Latin letters, but this is the ar file"]),
    "two articles with one title": ({"content/one.ar.md": article("خبر مكرر"),
                                     "content/two.ar.md": article("خبرٌ  مكرر", "2023-09-14")}, [
        "warning: content/two.ar.md:2: has the same title as content/one.ar.md — readers cannot tell them apart in "
        "lists: make one title more specific"]),
    # An editor starts a story from a copy of yesterday's file and changes its headline and date only.
    "a copy of another story's file": ({
        "content/one.ar.md": article("انهيار سدين في درنة", "2023-09-12", COPIED_TEXT, summary=f"'{COPIED_SUMMARY}'"),
        "content/two.ar.md": article("وصول المساعدات إلى درنة", "2023-09-14", COPIED_TEXT,
                                     summary=f"'{COPIED_SUMMARY}'"),
        # A short placeholder shared by two stories is not an editor's own words: nothing to say of it.
        "content/three.ar.md": article("خبر ثالث", "2023-09-15", summary="ملخص"),
        "content/four.ar.md": article("خبر رابع", "2023-09-16", summary="ملخص")}, [
        "warning: content/two.ar.md:4: has the same summary as content/one.ar.md — lists and link previews would show "
        "the other story's words: write this story's own summary",
        "warning: content/two.ar.md:6: has the same text as content/one.ar.md — a copy of that story's file, its text "
        "never replaced: write or paste this story's own"]),
    "a pin at its own line": ({"content/one.ar.md": article("خبر"),
                               "content/two.ar.md": "---\ntitle: خبر آخر\ndate: 2023-09-14\nrelated:\n  - one\n"
                                                    "  - ghost\n---\nنص.\n"}, [
        "warning: content/two.ar.md:6: related: no article has the slug 'ghost'; pin ignored"]),
    "# starts a YAML comment": ({"content/hash.ar.md": "---\ntitle: #عاجل قمة\ndate: 2023-09-13\n---\nنص.\n"}, [
        "content/hash.ar.md:2: title is empty: YAML reads everything after # as a comment — put the title in "
        "quotes: title: \"#…\""]),
    "a tab for indentation": ({"content/tab.ar.md": "---\ntitle: قمة\ndate: 2023-09-13\ntags:\n\t- x\n---\nنص.\n"}, [
        "content/tab.ar.md:5: front matter is not valid YAML: a tab is used for indentation or spacing, and YAML "
        "allows only spaces — replace the tab with two spaces"]),
    "a frame from a host config.yaml does not trust": ({"content/a.en.md": FRAMES}, [
        "warning: content/a.en.md:8: a frame from 'www.google.com' is left out: that host is not in "
        "markdown.embed_hosts — if you trust it, add 'www.google.com' to markdown.embed_hosts in config.yaml; else "
        "remove the frame",
        "warning: content/a.en.md:10: a frame at 'http://player.vimeo.com/video/1' is left out: a frame must be an "
        "https:// address — write its address with https://, or remove it"]),
    "an embed's code pasted with its script": ({"content/embed.en.md": (
        "---\ntitle: Rain this week\ndate: 2023-09-13\n---\nThe chart:\n\n<div class=\"infogram-embed\" data-id="
        "\"a1\"></div><script src=\"https://e.infogram.com/js/dist/embed-loader-min.js\"></script>\n\n"
        "```\n<script>shown as code, not run</script>\n```\n\n<blockquote class=\"twitter-tweet\"><p>A post.</p>"
        "</blockquote>\n<script async src=\"https://platform.twitter.com/widgets.js\"></script>\n\n"
        "<script>counter()</script>\n")}, [
        f"warning: content/embed.en.md:{line}: a script{host} is left out: a story runs no scripts, so an embed that "
        "needs one shows nothing of its own — put its address alone on a line (a YouTube or Vimeo video, a Flourish "
        "or Datawrapper chart), or use its iframe code, from a host in markdown.embed_hosts; or link to it"
        for line, host in ((7, " from 'e.infogram.com'"), (14, " from 'platform.twitter.com'"), (16, ""))]),
    "a correction dated before the story": ({"content/late.ar.md": "---\ntitle: قمة\ndate: 2023-09-13T10:00:00+03:00\n"
                                                                "updated: 2023-08-13T12:00:00+03:00\n---\nنص.\n"}, [
        "warning: content/late.ar.md:4: updated: 2023-08-13 is before the date, 2023-09-13: the page "
        "would say the story was corrected before it was published — check both dates: a correction comes after the "
        "story"]),
    "a correction dated in a year to come": ({"content/ahead.ar.md": "---\ntitle: قمة\ndate: 2023-09-13\n"
                                                                 "updated: 2203-09-14\n---\nنص.\n"}, [
        "warning: content/ahead.ar.md:4: updated: 2203-09-14 is still to come, though the article is published — "
        "check its year and month: a correction is dated when it is made"]),
    "a date with its year mistyped": ({"content/ahead.ar.md": "---\ntitle: قمة\nsummary: ملخص.\ndate: 2205-09-13\n---\nنص.\n",
                                       "content/old.ar.md": "---\ntitle: قمة أخرى\ndate: 0225-09-13\n---\nنص.\n",
                                       "content/kept.ar.md": "---\ntitle: مسودة\ndate: 2205-09-13\ndraft: true\n---\nنص.\n"}, [
        "warning: content/ahead.ar.md:4: date: 2205-09-13 is more than a year ahead: the story stays unpublished "
        "until then — check its year; to keep a story back, write draft: true",
        "warning: content/old.ar.md:3: date: 0225-09-13 is before 1900: the story would be published as the oldest in "
        "the archive — check its year"]),
    "a Hijri date written as the date": ({"content/hijri.ar.md": "---\ntitle: قمة\ndate: 1446-06-05\n---\nنص.\n",
                                          "content/hour.ar.md": "---\ntitle: قمة ثانية\ndate: 1446-09-30T21:15\n---\nنص.\n"}, [
        "warning: content/hijri.ar.md:3: date: 1446-06-05 is a Hijri date: read as a Gregorian one, the story would be "
        "published as the oldest in the archive — write the Gregorian day, 2024-12-06 (1446-06-05 in the Umm al-Qura "
        "calendar)",
        # Ramadan 1446 had 29 days in Umm al-Qura's tables: its 30th, as a country that began it later counts, is
        # the day after the 29th.
        "warning: content/hour.ar.md:3: date: 1446-09-30 is a Hijri date: read as a Gregorian one, the story would be "
        "published as the oldest in the archive — write the Gregorian day, 2025-03-30T21:15 (1446-09-30 in the Umm "
        "al-Qura calendar)"]),
    "stars from WhatsApp in a title": ({"content/star.ar.md": "---\ntitle: \"*عاجل*: قمة الطاقة\"\ndate: 2023-09-13\n"
                                                              "summary: ملخص **مهم**.\n---\nنص *مائل* مقبول.\n"}, [
        "warning: content/star.ar.md:2: the title shows its stars as they are ('*عاجل*'): a title is plain text, not "
        "Markdown or WhatsApp — remove the * marks; the page sets headlines in bold already",
        "warning: content/star.ar.md:4: the summary shows its stars as they are ('**مهم**')"]),
    "capital letters in a story's address": ({"content/Kim-Summit.en.md": article("Kim summit", summary="S."),
                                                "content/b.en.md": article("Talks", summary="S.", slug="Talks-Resume")}, [
        "warning: content/Kim-Summit.en.md:1: the file name 'Kim-Summit' has capital letters, which the story's "
        "address keeps, and GitHub Pages tells an address in capitals from one in small letters — rename the file "
        "kim-summit.en.md",
        "warning: content/b.en.md:5: the slug 'Talks-Resume' has capital letters, which the story's address keeps, "
        "and GitHub Pages tells an address in capitals from one in small letters — write slug: talks-resume"]),
    "a link or an HTML tag in a title or summary": ({"content/tag.ar.md": "---\ntitle: \"قمة <b>الطاقة</b>\"\n"
                                                                       "date: 2023-09-13\nsummary: \"انظر "
                                                                       "[التقرير](https://example.com/r).\"\n---\nنص.\n"}, [
        "warning: content/tag.ar.md:2: the title shows an HTML tag as typed ('<b>'): a title is plain text — remove "
        "the tag, keeping its words",
        "warning: content/tag.ar.md:4: the summary shows a link as typed ('[التقرير](https://example.com/r)'): a "
        "summary is plain text, which lists, feeds and link previews show — keep its words, التقرير, and put the "
        "link in the text"]),
    "Arabic copied from a PDF": ({"content/pdf.ar.md": "---\ntitle: بيان الوزارة\ndate: 2023-09-13\nsummary: ملخص.\n---\n"
                                                        "فقرة عادية.\n\nﺃﻋﻠﻨﺖ ﺍﻟﻮﺯﺍﺭﺓ ﺍﻟﻴﻮﻡ ﻋﻦ ﺧﻄﺔ.\n"}, [
        "warning: content/pdf.ar.md:8: the text holds Arabic letters in the shapes a PDF stores them in ('ﺃﻋﻠﻨﺖ'): "
        "search cannot find these words, and a copy from a PDF often has their letters in reverse order — paste the "
        "text again from the original document or a web page"]),
    "a keyword list pasted as tags": ({"content/seo.ar.md": article(
        "قمة", summary="ملخص.", tags="[" + ", ".join(f"وسم{n}" for n in range(14)) + "]")}, [
        "warning: content/seo.ar.md:5: has 14 tags: each is a page of its own, most of them with this story alone — "
        "keep the few a reader would follow (up to 10)"]),
    "a key written twice": ({"content/twice.ar.md": "---\ntitle: قمة\ndate: 2023-09-13\ntags: [طاقة]\n"
                                                    "image: {src: /a.jpg, alt: x, alt: y}\ntitle: قمة ثانية\n---\nنص.\n"}, [
        "content/twice.ar.md:5: 'alt' is written twice, on line 5: only the second would count — keep one of them",
        "content/twice.ar.md:6: 'title' is written twice, on lines 2 and 6: only the second would count — keep one "
        "of them"]),
    "a headline pasted into the text": ({"content/p.ar.md": article("قمة بين بوتين وكيم", summary="ملخص.",
                                                                    body="\n**قمةٌ بين بوتين وكيم**\n\nنص الخبر.")}, [
        "warning: content/p.ar.md:7: the text begins with the headline again: the page shows it twice, under the "
        "headline — delete that line from the text (pasted with the story, most likely)"]),
    "a section name mistyped": ({"content/a.en.md": article("Vote counted", category="Politics"),
                                 "content/b.en.md": article("Cabinet named", "2023-09-14", category="Politics"),
                                 "content/c.en.md": article("Talks resume", "2023-09-15", category="Poltics"),
                                 "content/d.ar.md": article("مهرجان", category="منوعات"),
                                 "content/e.ar.md": article("معرض", "2023-09-14", category="منوعات"),
                                 "content/f.ar.md": article("حفل", "2023-09-15", category="منوغات")}, [
        "warning: content/c.en.md:4: category: 'Poltics' is this story's alone, and 'Politics' has 2 stories: a typo "
        "makes a section of its own — write category: Politics, if that is the section meant",
        "warning: content/f.ar.md:4: category: 'منوغات' is this story's alone, and 'منوعات' has 2 stories"]),
    "a tag mistyped": ({"content/a.ar.md": article("قمة", tags="[روسيا, كوريا]"),
                        "content/b.ar.md": article("زيارة", "2023-09-14", tags="[روسيا]"),
                        "content/c.ar.md": "---\ntitle: معاهدة\ndate: 2023-09-15\ntags:\n  - كوريا\n  - روسبا\n---\nنص.\n",
                        "content/d.en.md": article("Talks", tags="[Iran, diplomacy]"),
                        "content/e.en.md": article("Oil", "2023-09-14", tags="[Iran]"),
                        # A letter apart, but a word of four: another country, no typo.
                        "content/f.en.md": article("Vote", "2023-09-15", tags="[Iraq]")}, [
        "warning: content/c.ar.md:4: tags: 'روسبا' is this story's alone, and 'روسيا' has 2 stories: a typo makes a "
        "tag of its own — write روسيا in its place, if that is the tag meant"]),
    "an unclosed quote": ({"content/quote.ar.md": "---\ntitle: \"قمة\ndate: 2023-09-13\n---\nنص.\n"}, [
        "content/quote.ar.md:2: front matter is not valid YAML: a quote mark opens a text that is never closed — "
        "end the text with the same quote mark (\" or '), or remove the opening one"]),
    # A headline that opens with a quoted name or a label: YAML reads the mark as the start of something else.
    "a headline that opens with a quote": ({"content/q.ar.md": "---\ntitle: \"حماس\" توافق على الهدنة\n"
                                                               "date: 2023-09-13\n---\nنص.\n"}, [
        "content/q.ar.md:2: front matter is not valid YAML: the title begins with \", which YAML reads as a text in "
        "quotes, which ends at the next \" — put the whole title in quotes: title: '\"حماس\" توافق على الهدنة'"]),
    "a headline that opens with a label": ({"content/v.ar.md": "---\ntitle: [فيديو] فيضانات في درنة\n"
                                                               "date: 2023-09-13\n---\nنص.\n",
                                            "content/w.en.md": "---\ntitle: Gaza talks resume\ndate: 2023-09-13\n"
                                                               "summary: *Urgent* the talks resume.\n---\nText.\n"}, [
        "content/v.ar.md:2: front matter is not valid YAML: the title begins with [, which YAML reads as a list — put "
        "the whole title in quotes: title: \"[فيديو] فيضانات في درنة\"",
        "content/w.en.md:4: front matter is not valid YAML: the summary begins with *, which YAML reads as a "
        "reference to another value — put the whole summary in quotes: summary: \"*Urgent* the talks resume.\""]),
    "a list or settings never closed": ({"content/l.ar.md": "---\ntitle: قمة\ndate: 2023-09-13\ntags: [طاقة, نفط\n"
                                                            "---\nنص.\n",
                                         "content/m.en.md": "---\ntitle: Summit\ndate: 2023-09-13\n"
                                                            "source: {name: Wire, url: https://wire.example/\n---\nText.\n"}, [
        "content/l.ar.md:4: front matter is not valid YAML: a [ opens a list that is never closed with ] — close it "
        "on the same line, and put a value that holds a comma or a bracket in quotes",
        "content/m.en.md:4: front matter is not valid YAML: a { opens settings that are never closed with }"]),
    # Published, these were cut where YAML saw a comment (a space and #) or a type (!), and no one was told.
    "a hashtag inside a headline or summary": ({"content/h.ar.md": "---\ntitle: زلزال بقوة 6 درجات #عاجل\n"
                                                                   "date: 2023-09-13\nsummary: حملة #أنا_أيضا تعود.\n"
                                                                   "---\nنص.\n",
                                                "content/i.en.md": "---\ntitle: ! Breaking news\ndate: 2023-09-13\n"
                                                                   "---\nText.\n"}, [
        "content/h.ar.md:2: title: YAML reads '#عاجل' as a comment, so the title would be 'زلزال بقوة 6 درجات' — put "
        "the whole title in quotes: title: \"زلزال بقوة 6 درجات #عاجل\"",
        "content/h.ar.md:4: summary: YAML reads '#أنا_أيضا تعود.' as a comment, so the summary would be 'حملة'",
        "content/i.en.md:2: title: YAML reads '!' as a type, so the title would be 'Breaking news' — put the whole "
        "title in quotes: title: \"! Breaking news\""]),
    # Published in silence: a page with a headline and nothing under it, and a paragraph in every list.
    "a story with no text": ({"content/empty.ar.md": "---\ntitle: قمة\ndate: 2023-09-13\nsummary: ملخص.\n---\n\n"}, [
        "warning: content/empty.ar.md:6: has no text: the page shows the headline alone — write or paste the story "
        "below the front matter's closing ---"]),
    "a paragraph pasted as the summary": ({"content/long.ar.md": article("قمة", summary="'" + "جملة طويلة " * 30 + "'")}, [
        "warning: content/long.ar.md:4: the summary is 329 characters long, a paragraph: lists, feeds and link "
        "previews show one sentence — keep one sentence (under 300 characters); the rest belongs in the text"]),
    "a story filed under two sections": ({"content/two.ar.md": article("قمة", category="[سياسة, اقتصاد, مصر]")}, [
        "content/two.ar.md:4: category: a story has one section, not a list of 3 — write category: سياسة, and put "
        "the others among its tags: tags: [اقتصاد, مصر]"]),
    # Markdown shows these as typed: the reader sees brackets and an address, and no link.
    "a link typed with a space, or the wrong way round": ({"content/l.ar.md": article(
        "قمة", summary="ملخص.", body="انظر [التقرير الكامل] (https://example.com/report) للتفاصيل.\n\n"
                                     "وكذلك (https://example.com/b)[البيان].\n\n`[رمز] (https://x.example)` في سطر برمجي.")}, [
        "warning: content/l.ar.md:6: a link shows as typed, brackets and all: '[التقرير الكامل] "
        "(https://example.com/report)' — write the words in [ ] and the address right after them in ( ), with no "
        "space between: [التقرير الكامل](https://example.com/report)",
        "warning: content/l.ar.md:8: a link shows as typed, brackets and all: '(https://example.com/b)[البيان]' — "
        "write the words in [ ] and the address right after them in ( ), with no space between: "
        "[البيان](https://example.com/b)"]),
    "a link whose address is never closed": ({"content/l.ar.md": article(
        "قمة", summary="ملخص.", body="انظر [التقرير الكامل](https://example.com/report للتفاصيل.")}, [
        "warning: content/l.ar.md:6: a link shows as typed, brackets and all: '[التقرير الكامل](https://example.com/"
        "report' — close its address with ): [التقرير الكامل](https://example.com/report)"]),
    # Each is read as an address on the site itself, and leads nowhere.
    "an address of another site without its https://, an e-mail, an address in quotes": ({"content/l.ar.md": article(
        "قمة", summary="ملخص.", body="[بي بي سي](www.bbc.com/arabic) و[رويترز](reuters.com/world/)\n\n"
                                     "[راسلونا](news@example.org)\n\n[المصدر](“https://example.com/q”)\n\n"
                                     "[تقرير](report.pdf)")}, [
        "warning: content/l.ar.md:6: links to 'www.bbc.com/arabic', another site's address without its https://, "
        "which makes it an address on this site — write https://www.bbc.com/arabic",
        "warning: content/l.ar.md:6: links to 'reuters.com/world/', another site's address without its https://, "
        "which makes it an address on this site — write https://reuters.com/world/",
        "warning: content/l.ar.md:8: links to 'news@example.org', an e-mail address, read as an address on this site "
        "— write mailto:news@example.org",
        "warning: content/l.ar.md:10: links to '“https://example.com/q”', in quote marks, which make it an address "
        "on this site — remove the quote marks: https://example.com/q",
        "warning: content/l.ar.md:12: links to 'report.pdf', which is no page of the site"]),
    # A headline copied from the browser's tab or the page's <title>, its outlet after it.
    "a title that ends with its source's name": ({
        "content/t.ar.md": "---\ntitle: انطلاق قمة الطاقة في الرياض - الجزيرة نت\ndate: 2023-09-13\nsummary: ملخص.\n"
                           "source: {name: الجزيرة نت, url: 'https://www.aljazeera.net/news/2023/9/13/x'}\n---\nنص.\n",
        "content/t.en.md": "---\ntitle: Energy summit opens | BBC News\ndate: 2023-09-13\nsummary: S.\n"
                           "source: BBC News\n---\nText.\n",
        "content/u.en.md": "---\ntitle: Talks resume - Reuters\ndate: 2023-09-14\nsummary: S.\n---\nText.\n",
    }, [
        "warning: content/t.ar.md:2: the title ends with its source's name, 'الجزيرة نت', as a browser's tab shows a "
        "page's title: lists, feeds and link previews would show it too — write the headline alone: title: انطلاق "
        "قمة الطاقة في الرياض",
        "warning: content/t.en.md:2: the title ends with its source's name, 'BBC News', as a browser's tab shows a "
        "page's title: lists, feeds and link previews would show it too — write the headline alone: title: Energy "
        "summit opens"]),
    # The editing page lists the story itself among the stories to pin: it was left out without a word.
    "a story pinning itself": ({
        "content/a.ar.md": "---\ntitle: قمة\ndate: 2023-09-13\nsummary: ملخص.\nrelated: [a, A.ar.md, b]\n---\nنص.\n",
        "content/a.en.md": "---\ntitle: Summit\ndate: 2023-09-13\nsummary: S.\n---\nText.\n",
        "content/b.ar.md": "---\ntitle: خبر آخر\ndate: 2023-09-12\nsummary: ملخص.\n---\nنص.\n",
    }, [
        "warning: content/a.ar.md:5: related: 'a' is this story itself; pin ignored — name another story's slug, or "
        "remove it",
        "warning: content/a.ar.md:5: related: 'A.ar.md' is this story itself; pin ignored — name another story's slug, "
        "or remove it"]),
    # As Hugo's page bundles keep them: the picture (a document, a video) saved beside the story's file.
    "a picture beside the story in content/": ({
        "content/2023/09/b.ar.md": article("قمة", summary="ملخص.", image="{src: port.jpg, alt: الميناء}",
                                           body="نص.\n\n![الميناء](port.jpg)\n\n[التقرير](report.pdf)\n\n"
                                                "![المؤتمر](briefing.mp4)\n\n![غائبة](gone.jpg)\n"),
        "content/2023/09/port.jpg": b"jpg", "content/2023/09/report.pdf": b"%PDF", "content/2023/09/briefing.mp4": b"mp4",
    }, [
        "warning: content/2023/09/b.ar.md:5: the front matter image 'port.jpg' is content/2023/09/port.jpg beside the "
        "story: content/ holds the stories, and nothing else of it is published — move it to static/images/port.jpg "
        "and write its address as /images/port.jpg",
        "warning: content/2023/09/b.ar.md:9: an image 'port.jpg' is content/2023/09/port.jpg beside the story: "
        "content/ holds the stories, and nothing else of it is published — move it to static/images/port.jpg and "
        "write its address as /images/port.jpg",
        "warning: content/2023/09/b.ar.md:11: links to 'report.pdf', the file content/2023/09/report.pdf beside the "
        "story: content/ holds the stories, and nothing else of it is published — move it to static/files/report.pdf "
        "and write its address as /files/report.pdf",
        "warning: content/2023/09/b.ar.md:13: a video 'briefing.mp4' is content/2023/09/briefing.mp4 beside the "
        "story: content/ holds the stories, and nothing else of it is published — move it to "
        "static/media/briefing.mp4 and write its address as /media/briefing.mp4",
        "warning: content/2023/09/b.ar.md:15: an image 'gone.jpg' is not in static/ — put the picture at "
        "static/2023/09/13/b/gone.jpg, or fix the address"]),
    "a front matter image without its description": ({"content/pic.ar.md": article(
        "قمة", summary="ملخص.", image="/images/p.jpg"), "static/images/p.jpg": b"jpg"}, [
        "warning: content/pic.ar.md:5: the front matter image has no alt text — describe the picture for readers who "
        "cannot see it"]),
}


def test_a_name_a_letter_apart_from_another_is_named_only_where_it_is_one_story_s_and_long_enough(site):
    files = CASES["a tag mistyped"][0]
    result = site.write(files).build()
    assert [(w.path, w.message) for w in result.warnings if "typo" in w.message] == [
        ("content/c.ar.md", "tags: 'روسبا' is this story's alone, and 'روسيا' has 2 stories: a typo makes a tag of "
                            "its own")]
    # Once a second story has it, it is a tag of its own.
    site.write({**files, "content/g.ar.md": article("خبر", "2023-09-16", tags="[روسبا]")})
    assert not [w for w in site.build().warnings if "typo" in w.message]


def test_a_copy_is_named_once_and_short_shared_words_and_translations_are_no_copy(site):
    files = CASES["a copy of another story's file"][0]
    # A translation is no copy, and neither is a third story of the same words: it is named once, after the first.
    files = {**files, "content/one.en.md": article("Two dams burst in Derna", "2023-09-12", COPIED_TEXT,
                                                   summary=f"'{COPIED_SUMMARY}'"),
             "content/five.ar.md": article("خبر خامس", "2023-09-17", COPIED_TEXT)}
    result = site.write(files).build()
    assert [(w.path, w.message) for w in result.warnings if "same" in w.message] == [
        ("content/two.ar.md", "has the same summary as content/one.ar.md"),
        ("content/two.ar.md", "has the same text as content/one.ar.md"),
        ("content/five.ar.md", "has the same text as content/one.ar.md")]


@pytest.mark.parametrize("case", CASES)
def test_check_names_the_mistake_and_the_fix(site, case):
    files, expected = CASES[case]
    site.write(files)
    result = site.cli(command="check")
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.splitlines()
    for line in expected:
        assert any(found.startswith(line) for found in lines), f"{line}\n---\n{result.stderr}"


HTTP_PICTURES = {"content/a.en.md": "---\ntitle: Story\ndate: 2023-09-13\nsummary: S.\n"
                                    "image: {src: http://photos.example/a.jpg, alt: x}\n---\nText.\n\n"
                                    "![pic](http://photos.example/b.jpg) and ![safe](https://photos.example/c.jpg)\n\n"
                                    "[a page over http](http://old.example/) is no picture\n\n"
                                    "<video src=\"HTTP://videos.example/d.mp4\"></video>\n"}


def test_a_picture_at_an_http_address_is_named_on_an_https_site_only(site):
    """Browsers load a picture on an https page over https, or not at all: on a host without https, readers see
    none. GitHub Pages serves every site over https."""
    site.write(HTTP_PICTURES)
    lines = [line for line in site.cli(command="check").stderr.splitlines() if "http://" in line]
    assert lines == [
        "warning: content/a.en.md:5: the front matter image 'http://photos.example/a.jpg' is at an http:// address: on "
        "this https site, browsers load it over https or not at all — write its https:// address if its site has "
        "one, or bring the picture into the site: python -m generator bring-pictures content/a.en.md",
        "warning: content/a.en.md:9: a picture or video 'http://photos.example/b.jpg' is at an http:// address: on "
        "this https site, browsers load it over https or not at all — write its https:// address if its site has "
        "one, or bring the picture into the site: python -m generator bring-pictures content/a.en.md",
        "warning: content/a.en.md:13: a picture or video 'HTTP://videos.example/d.mp4' is at an http:// address: on "
        "this https site, browsers load it over https or not at all — write its https:// address if its site has "
        "one, or copy the file into static/ and write its address from there (/…)"]
    site.write(HTTP_PICTURES, BASE_CONFIG.replace("https://example.org/", "http://intranet.example/"))
    assert "http:// address" not in site.cli(command="check").stderr, "a site served over http loads them"


def test_notepad_s_txt_after_the_name_typed_is_named_and_the_name_meant_given(site):
    """Notepad adds .txt to the name an editor types (story.ar.md.txt), and Windows hides it from view."""
    site.write({"content/v.ar.md.txt": WRITTEN, "content/u.en.MD.TXT": WRITTEN})
    lines = site.cli(command="check").stderr.splitlines()
    assert [line for line in lines if "is not read" in line] == [
        "warning: content/u.en.MD.TXT:1: is not read: articles are files ending in .md — rename it to u.en.md",
        "warning: content/v.ar.md.txt:1: is not read: articles are files ending in .md — rename it to v.ar.md"]


def test_a_headline_yaml_reads_as_a_number_or_with_a_hash_in_a_word_is_shown_as_written(site):
    """YAML reads `12:30` as the number 750 and `1e3` as 1000.0; a # inside a word (C#) or in quotes is text, and
    a comment written as one (# and a space) stays a comment."""
    site.write({"content/a.en.md": "---\ntitle: 12:30\ndate: 2023-09-13\nsummary: 1e3\n---\nText.\n",
                "content/b.en.md": "---\ntitle: C# and F# rise\ndate: 2023-09-14\ncategory: World  # or Markets\n"
                                   "summary: \"Quoted # kept\" # a comment after the quotes\n---\nText.\n"})
    result = site.cli(command="check")
    assert result.returncode == 0 and "YAML" not in result.stderr, result.stderr
    site.build()
    first, second = site.page("en/2023/09/13/a/"), site.page("en/2023/09/14/b/")
    assert first.xpath("string(//h1)").strip() == "12:30"
    assert first.xpath("string(//meta[@name='description']/@content)") == "1e3"
    assert second.xpath("string(//h1)").strip() == "C# and F# rise"
    assert second.xpath("string(//meta[@name='description']/@content)") == "Quoted # kept"
    assert site.page("en/categories/world/").xpath("string(//h1)").strip().endswith("World")


def test_a_new_section_unlike_the_others_is_no_typo(site):
    site.write({"content/a.en.md": article("Oil deal", summary="S.", category="Iran"),
                "content/b.en.md": article("Gas deal", "2023-09-14", summary="S.", category="Iran"),
                "content/c.en.md": article("Election", "2023-09-15", summary="S.", category="Iraq"),
                "content/d.en.md": article("Vote", "2023-09-16", summary="S.", category="World")})
    result = site.cli(command="check")
    assert result.returncode == 0 and "category" not in result.stderr, result.stderr


def test_a_text_that_opens_with_the_headline_s_words_and_goes_on_is_no_repeat(site):
    site.write({"content/q.ar.md": article("قمة الطاقة", summary="ملخص.", body="قمة الطاقة تبدأ اليوم في الرياض.\n")})
    result = site.cli(command="check")
    assert result.returncode == 0 and "headline again" not in result.stderr, result.stderr


def test_the_word_ligatures_an_editor_writes_on_purpose_are_no_pdf_shapes(site):
    site.write({"content/a.ar.md": article("خبر", summary="ملخص.", body="قال النبي ﷺ وبسم ﷲ.")})
    result = site.cli(command="check")
    assert result.returncode == 0 and "PDF" not in result.stderr, result.stderr


def test_the_fixed_sites_say_nothing(site):
    """The same sites without their mistakes: no warning of these kinds, so the checks above can fail."""
    fixed = {**PICTURES, "static/images/missing.jpg": b"jpg", "static/images/gone.png": b"png",
             "static/images/raw.png": b"png"}
    site.write(fixed)
    result = site.cli(command="check")
    assert result.returncode == 0 and "not in static/" not in result.stderr, result.stderr
    # A lead image on a picture server the site names as its own: no warning either (test_bring_pictures.py).
    site.write({"content/b.ar.md": ADDRESSES["content/b.ar.md"]}, BASE_CONFIG + "images: {hosts: [wire.example]}\n")
    result = site.cli(command="check")
    assert result.returncode == 0 and "b.ar.md" not in result.stderr, result.stderr


def test_a_date_written_year_first_with_slashes_or_dots_is_the_date_it_says(site):
    site.write({"content/a.ar.md": "---\ntitle: خبر\nsummary: ملخص.\ndate: ٢٠٢٣/٩/١٣\n---\nنص.\n",
                "content/b.ar.md": "---\ntitle: خبر آخر\nsummary: ملخص.\ndate: 2023.09.14 18:30\n---\nنص.\n"})
    site.build()
    assert site.page("2023/09/13/a/").xpath("string(//time/@datetime)").startswith("2023-09-13")
    assert site.page("2023/09/14/b/").xpath("string(//time/@datetime)").startswith("2023-09-14T18:30")
    # Day first stays a mistake: 04/09/2023 is April to some and September to others.
    site.write({"content/b.ar.md": "---\ntitle: خبر آخر\ndate: 04/09/2023\n---\nنص.\n"})
    result = site.cli()
    assert result.returncode == 1 and result.stderr.splitlines()[0] == (
        "content/b.ar.md:3: date: '04/09/2023' is not a date: the day and the month can be read either way round — "
        "write it year first: 2023-09-04 if the day comes first, 2023-04-09 if the month does"), result.stderr
    # One that is a date one way round only is given that way, not a month 19.
    for written in ("19/06/2024", "06/19/2024"):
        site.write({"content/b.ar.md": f"---\ntitle: خبر آخر\ndate: {written}\n---\nنص.\n"})
        result = site.cli()
        assert result.returncode == 1 and result.stderr.splitlines()[0] == (
            f"content/b.ar.md:3: date: '{written}' is written with the year last — write it year first: 2024-06-19"
        ), result.stderr
    site.write({"content/b.ar.md": "---\ntitle: خبر آخر\ndate: 30/02/2024\n---\nنص.\n"})
    assert site.cli().stderr.splitlines()[0] == ("content/b.ar.md:3: date: '30/02/2024' is not a real calendar date — "
                                                 "check the month and day, and write it as YYYY-MM-DD")


def test_a_time_written_as_people_and_other_systems_write_it_is_the_time_it_says(site):
    """An hour of one digit (9:30), Jekyll's own date (2023-09-13 21:00:00 +0300), an offset of hours alone (+03),
    a comma before the time: each was "not a date", with a pattern for a hint."""
    written = {"a": "2023-09-13 9:30", "b": "2023-09-14 21:00:00 +0300", "c": "2023-09-15T07:05+01",
               "d": "2023-09-16, 18:45", "e": "٢٠٢٣/٩/١٧ ٦:١٥"}
    site.write({f"content/{slug}.ar.md": f"---\ntitle: خبر {slug}\nsummary: ملخص.\ndate: {date}\n---\nنص.\n"
                for slug, date in written.items()})
    result = site.build()
    assert not result.warnings, [str(w) for w in result.warnings]
    times = {slug: site.page(f"2023/09/{13 + i}/{slug}/").xpath("string(//article//time/@datetime)")
             for i, slug in enumerate(written)}
    assert times == {"a": "2023-09-13T09:30:00+00:00", "b": "2023-09-14T18:00:00+00:00", "c": "2023-09-15T06:05:00+00:00",
                     "d": "2023-09-16T18:45:00+00:00", "e": "2023-09-17T06:15:00+00:00"}, times  # the site's zone: UTC
    site.write({"content/a.ar.md": "---\ntitle: خبر a\ndate: 2023-09-13 25:30\n---\nنص.\n"})
    result = site.cli()
    assert result.returncode == 1 and result.stderr.splitlines()[0] == (
        "content/a.ar.md:3: date: 2023-09-13T25:30 is not a real calendar date — check the month, the day and the time "
        "(hours 00 to 23)"), result.stderr


def test_a_byline_pasted_with_its_label_is_shown_once(site):
    """`author: "بقلم: أحمد علي"` or `By John Smith`, as the source's page writes it: the page showed "بقلم بقلم: أحمد
    علي" and "By By John Smith", and the story's metadata named "By John Smith" its author. A name that only opens
    like a label (Byron) or a label without a separator before a word (كتب أحمد) stays as it is."""
    site.write({"content/a.ar.md": '---\ntitle: قمة\ndate: 2023-09-13\nsummary: ملخص.\nauthor: "بقلم: أحمد علي"\n---\nنص.\n',
                "content/a.en.md": "---\ntitle: Summit\ndate: 2023-09-13\nsummary: S.\nauthor: By John Smith\n---\nText.\n",
                "content/b.en.md": "---\ntitle: Talks\ndate: 2023-09-14\nsummary: S.\nauthor: Byron Smith\n---\nText.\n",
                "content/b.ar.md": "---\ntitle: محادثات\ndate: 2023-09-14\nsummary: ملخص.\nauthor: كتب أحمد\n---\nنص.\n"})
    site.build()
    bylines = {route: " ".join(site.page(route).xpath("string(//span[@class='byline'])").split())
               for route in ("2023/09/13/a/", "en/2023/09/13/a/", "en/2023/09/14/b/", "2023/09/14/b/")}
    assert bylines == {"2023/09/13/a/": "بقلم أحمد علي", "en/2023/09/13/a/": "By John Smith",
                       "en/2023/09/14/b/": "By Byron Smith", "2023/09/14/b/": "بقلم كتب أحمد"}, bylines
    data = json.loads(site.page("en/2023/09/13/a/").xpath("//script[@type='application/ld+json']")[0].text)
    assert data["author"] == {"@type": "Person", "name": "John Smith",
                              "url": "https://example.org/digest/en/authors/john-smith/"}


def test_check_names_what_the_stories_side_by_side_show_beside_one_story_s_error(site):
    # A story the build cannot read stops it before it compares the others: check names both, so the editor
    # who mends the error does not meet a second list.
    site.write({"content/ahead.ar.md": article("قمة", date="2205-09-13"),
                "content/one.ar.md": article("خبر مكرر"), "content/two.ar.md": article("خبر مكرر", date="2023-09-14"),
                "content/broken.ar.md": "---\ntitle: خبر\ndate: 13/09/2023\n---\nنص.\n"})
    result = site.cli(command="check")
    lines = result.stderr.splitlines()
    assert result.returncode == 1
    assert "content/broken.ar.md:3: date: '13/09/2023' is written with the year last — write it year first: 2023-09-13" \
        in lines, result.stderr
    assert ("warning: content/ahead.ar.md:3: date: 2205-09-13 is more than a year ahead: the story stays unpublished "
            "until then — check its year; to keep a story back, write draft: true") in lines, result.stderr
    assert any(line.startswith("warning: content/two.ar.md:2: has the same title as content/one.ar.md") for line in lines)


def test_keys_written_in_arabic_are_read_as_the_keys_they_name_and_named_in_one_line(site):
    site.write({"content/a.ar.md": "---\nالعنوان: قمة الطاقة في الرياض\nالتاريخ: 2023-09-13\nالوسوم: [طاقة, نفط]\n"
                                   "القسم: اقتصاد\nالملخص: ملخص القمة.\n---\nنص الخبر.\n",
                "content/b.ar.md": "---\ntitle: خبر ثان\nعنوان: عنوان آخر\ndate: 2023-09-14\nsummary: ملخص.\n---\nنص.\n"})
    result = site.cli()
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert warnings == [
        "warning: content/a.ar.md:2: the keys 'العنوان', 'التاريخ', 'الوسوم', 'القسم', 'الملخص' in Arabic were read as "
        "title:, date:, tags:, category:, summary: — write the keys in English (their values stay as they are): the "
        "editing page reads them in English only",
        "warning: content/b.ar.md:3: 'عنوان' is title written in Arabic, and title: is given already — delete one of "
        "the two lines: the line 'عنوان' is left out"], result.stderr
    page = site.page("2023/09/13/a/")
    assert page.xpath("string(//h1)").strip() == "قمة الطاقة في الرياض"
    assert {a.text_content().strip() for a in page.xpath("//a[contains(@href, '/tags/')]")} >= {"طاقة", "نفط"}
    assert page.xpath("//a[contains(@href, '/categories/')]")
    assert site.page("2023/09/14/b/").xpath("string(//h1)").strip() == "خبر ثان"


def test_a_draft_dated_years_ahead_is_kept_back_on_purpose_and_not_warned_of(site):
    site.write({"content/kept.ar.md": "---\ntitle: مسودة\ndate: 2205-09-13\ndraft: true\n---\nنص.\n",
                "content/now.ar.md": article("خبر")})
    result = site.cli(command="check")
    assert result.returncode == 0 and "ahead" not in result.stderr, result.stderr


def test_a_broken_link_in_an_article_parsed_by_an_earlier_build_still_names_its_line(site):
    """The cache keeps no Markdown bodies: the line is found by reading the article again."""
    site.write({**LINKS, "content/other.en.md": article("Another story")})
    first = site.cli()
    site.write({"content/other.en.md": article("Another story, edited")})  # so the next build has work to do
    again = site.cli()
    wanted = "warning: content/a.en.md:10: links to '/digest/en/tags/nothing/', which is no page"  # not the first line
    assert wanted in first.stderr and wanted in again.stderr, again.stderr
    shards = b"".join(path.read_bytes() for path in (site.root / ".cache/mujaz").glob("documents-*.pickle"))
    assert b"Story" in shards and b"no-such-story" not in shards, "front matter kept, the body not"


def test_a_link_without_its_final_slash_finds_its_page_whether_the_build_planned_it_or_kept_it(site):
    """A host serves a folder's address without its slash (it redirects to it): no warning for /en/tags/port, in a
    build from nothing, nor in one that keeps the tag's pages as the last build wrote them."""
    site.write({"content/a.en.md": article("Port", body="See [the tag](/en/tags/port) and [a story](/2023/09/14/b).",
                                           tags="[port]"),
                "content/b.ar.md": article("خبر", "2023-09-14"), "content/c.en.md": article("Other", "2023-09-15")})
    first = site.cli()
    site.write({"content/c.en.md": article("Other", "2023-09-15", "Edited.")})  # the tag's pages are kept
    again = site.cli("--explain", "en/tags/port/")
    assert "en/tags/port/index.html: kept" in again.stdout, again.stdout
    for result in (first, again):
        assert result.returncode == 0 and "no page of the site" not in result.stderr, result.stderr
    site.write({"content/c.en.md": article("Other", "2023-09-15", "See [a tag](/en/tags/harbour).")})
    assert "links to '/digest/en/tags/harbour', which is no page of the site" in site.cli().stderr


@pytest.mark.slow  # 4 s of building under a memory cap: make test-slow, and CI
def test_thousands_of_dead_links_are_named_twenty_at_a_time_without_holding_up_the_build(site):
    """A page pasted from elsewhere keeps its links relative to its own site. Each was named with its line by
    searching the body again: 5,000 took a build 46 s, and these 20,000 would have taken about 12 minutes."""
    links = [f"[المصدر {i}](/archive/item-{i}/)" for i in range(20_000)]
    site.write({"content/pasted.ar.md": article("صفحة ملصوقة", body="\n\n".join(links))})
    built = site.cli(memory_mb=2000, timeout=60)
    assert built.returncode == 0, built.stderr
    warnings = [line for line in built.stderr.splitlines() if line.startswith("warning: content/pasted.ar.md")]
    # The body starts on line 5 of the file (after four lines of front matter) and has a link every other line.
    assert warnings[:20] == [f"warning: content/pasted.ar.md:{5 + 2 * i}: links to '/digest/archive/item-{i}/', which is "
                             "no page of the site — check the address: a story is at /YYYY/MM/DD/<slug>/, a tag at "
                             "/tags/<tag>/" for i in range(20)]
    assert warnings[20:] == ["warning: content/pasted.ar.md:5: and 19,980 more links or images that lead nowhere — "
                             "fix the ones above, then check again"]


def test_an_article_changed_after_the_scan_whose_body_is_read_again_is_a_one_line_error(site, monkeypatch):
    monkeypatch.setattr(generator.content, "SETTLE_NS", 0)  # every file counts as settled: its stamp is kept
    site.write({**LINKS, "content/other.en.md": article("Another story")})
    site.build()
    before = site.snapshot()
    site.write({"content/other.en.md": article("Another story, edited")})
    scan = generator.build.scan_content

    def scan_then_edit(*args, **kwargs):
        found = scan(*args, **kwargs)
        path = site.root / "content/a.en.md"
        path.write_text(LINKS["content/a.en.md"] + "\nA line added meanwhile.\n", encoding="utf-8")
        return found
    monkeypatch.setattr(generator.build, "scan_content", scan_then_edit)
    with pytest.raises(BuildError) as failed:
        site.build()
    assert [str(d) for d in failed.value.diagnostics] == [
        "content/a.en.md: changed while the build was reading it — build again"]
    assert site.snapshot() == before


def test_build_prints_the_same_warnings_and_strict_check_fails_on_them(site):
    site.write({**LINKS, **PICTURES, "content/b.en.md": LINKS["content/a.en.md"].replace("Story", "Other")})
    built = site.cli()
    assert built.returncode == 0, built.stderr
    assert "warning: content/a.en.md:9: an image '/digest/images/gone.png' is not in static/" in built.stderr
    assert "warning: content/b.en.md:8: links to '/digest/2023/01/01/no-such-story/', which is no page" in built.stderr
    plain = site.cli(command="check")
    strict = site.cli("--strict", command="check")
    assert plain.returncode == 0 and strict.returncode == 1
    assert strict.stdout.splitlines()[-1].endswith("warnings (--strict: warnings fail too); nothing was written.")


@pytest.mark.parametrize("written", ["٢٠٢٤-٠٤-٠٣", "۲۰۲۴-۰۴-۰۳", "٢٠٢٤-٠٤-٠٣T10:30:00+03:00"])
def test_dates_in_arabic_indic_and_persian_digits_are_read(site, written):
    site.write({"content/a.ar.md": f"---\ntitle: قمة\ndate: {written}\n---\nنص.\n"})
    site.build()
    assert (site.output / "2024/04/03/a/index.html").is_file()


@pytest.mark.parametrize("spellings", [
    ("الطاقة", "طاقة"),                 # the article ال
    ("الطّاقة", "الطاقة"),                # diacritics
    ("الإقتصاد", "الاقتصاد"),            # alef forms
    ("الطاقه", "الطاقة"),                # ة and ه
    ("مستشفى", "مستشفي"),               # ى and ي
    ("كأس العالم ٢٠٢٢", "كأس العالم 2022"),  # Arabic-Indic digits
    ("كركوك وسوريا", "کرکوک وسوریا"),     # ک and ی of a Persian keyboard layout
    ("Energy", "energy"),                # letter case
])
@pytest.mark.parametrize("kind", ["tags", "category"])
def test_spellings_of_one_tag_or_section_share_one_page_named_by_the_most_used(site, spellings, kind):
    common, rare = spellings
    value = (lambda label: f"[{label!r}]") if kind == "tags" else (lambda label: repr(label))
    site.write({
        "content/a.ar.md": article("خبر أول", **{kind: value(common)}),
        "content/b.ar.md": article("خبر ثان", "2023-09-14", **{kind: value(common)}),
        "content/c.ar.md": article("خبر ثالث", "2023-09-15", **{kind: value(rare)}),
    })
    site.build()
    folder = "tags" if kind == "tags" else "categories"
    pages = [p for p in (site.output / folder).iterdir() if p.is_dir()]
    assert len(pages) == 1, [p.name for p in pages]
    page = site.page(f"{folder}/{pages[0].name}/")
    assert page.xpath("string(//h1)").strip().endswith(common), "named by the spelling most articles use"
    assert len(page.xpath("//ol[@class='article-list']/li")) == 3
    target = f"/digest/{folder}/{pages[0].name}/"
    [link] = [a for a in site.page("2023/09/15/c/").iter("a") if unquote(a.get("href", "")) == target]
    assert link.text_content().strip() == common, "the rare spelling's article links to the shared page"


def test_a_story_that_carries_two_spellings_of_one_tag_shows_it_once(site):
    site.write({
        "content/a.ar.md": article("خبر أول", tags="[الطاقة, نفط]"),
        "content/b.ar.md": article("خبر ثان", "2023-09-14", tags="[الطاقة]"),
        "content/c.ar.md": article("خبر ثالث", "2023-09-15", tags="[طاقة, الطاقة, نفط]"),
    })
    site.build()
    for page in ("2023/09/13/a/", "2023/09/14/b/", "2023/09/15/c/"):
        labels = [a.text_content().strip() for a in site.page(page).xpath("//ul[@class='tags']//a")]
        assert sorted(labels) == sorted(["الطاقة", "نفط"] if page != "2023/09/14/b/" else ["الطاقة"]), (page, labels)
    assert len([p for p in (site.output / "tags").iterdir() if p.is_dir()]) == 2


def test_youtube_embed_code_plays_from_its_cookieless_host_and_frames_left_out_leave_no_empty_box(site):
    site.write({"content/a.en.md": FRAMES})
    site.build()
    body = site.page("en/2023/09/13/a/").find_class("body")[0]
    frames = body.findall(".//iframe")
    assert [f.get("src") for f in frames] == ["https://www.youtube-nocookie.com/embed/M7lc1UVf-VE?si=x&start=5"]
    assert frames[0].get("sandbox") and frames[0].get("loading") == "lazy"
    assert [p.text for p in body.iter("p")] == ["The speech:", "The end."]
    # Where an editor lists YouTube's own host, its frames are kept as written.
    site.write({"content/a.en.md": FRAMES}, config=BASE_CONFIG + "markdown: {embed_hosts: [www.youtube.com]}\n")
    site.build()
    [frame] = site.page("en/2023/09/13/a/").find_class("body")[0].findall(".//iframe")
    assert frame.get("src") == "https://www.youtube.com/embed/M7lc1UVf-VE?si=x&start=5"


def _jpeg(width: int, height: int) -> bytes:
    from io import BytesIO

    from PIL import Image

    out = BytesIO()
    Image.new("RGB", (width, height), (90, 120, 160)).save(out, "JPEG")
    return out.getvalue()


# A story's HTML as news sites serve it to a browser that runs their lazy loader: the address waits in data-src
# or data-srcset behind a blank placeholder, with a copy for readers without scripts in <noscript>, beside a
# tracking pixel.
LAZY = ("---\ntitle: Story\ndate: 2023-09-13\nsummary: S.\n---\n<title>The Outlet | Story</title>\n\nThe scene:\n\n"
        '<figure><img class="lazyload" src="data:image/gif;base64,R0lGODlhAQABAAAAACH5BAEKAAEALAAAAAABAAEAAAICTAEAOw==" '
        'data-src="https://cdn.example.com/2023/scene-1200.jpg" data-srcset="https://cdn.example.com/2023/scene-480.jpg '
        '480w, https://cdn.example.com/2023/scene-1200.jpg 1200w" alt="The scene"><noscript><img '
        'src="https://cdn.example.com/2023/scene-1200.jpg" alt="The scene"></noscript><figcaption>The square at noon.'
        '</figcaption></figure>\n\n<picture><source data-srcset="https://cdn.example.com/2023/map.webp" type="image/webp">'
        '<img data-original="https://cdn.example.com/2023/map.png" alt="Map"></picture>\n\n'
        '<p><img data-lazy-src="/images/local.jpg" alt="Ours" width="1600" height="1000"></p>\n\n'
        '<img data-src="javascript:alert(1)" alt="x">\n\n'
        '<noscript><img height="1" width="1" src="https://tracker.example.net/tr?id=1&amp;ev=PageView"></noscript>\n\n'
        "The end.\n")


def test_a_story_pasted_with_a_lazy_loader_shows_its_pictures_and_no_tags_as_text(site):
    site.write({"content/a.en.md": LAZY, "static/images/local.jpg": _jpeg(1600, 1000)})
    site.build()
    body = site.page("en/2023/09/13/a/").find_class("body")[0]
    assert "<" not in body.text_content(), "a <noscript> copy is no text in the story"
    assert "Outlet" not in body.text_content(), "nor the <title> of a whole page pasted"
    assert not [p for p in body.iter("p") if len(p) == 0 and not (p.text or "").strip()], \
        "nor an empty paragraph where a <title> or a pixel stood alone"
    pictures = [(img.get("alt"), img.get("src"), img.get("loading")) for img in body.iter("img")]
    assert pictures[:2] == [("The scene", "https://cdn.example.com/2023/scene-1200.jpg", "lazy"),
                            ("Map", "https://cdn.example.com/2023/map.png", "lazy")], pictures
    [scene, _, ours, unsafe] = body.iter("img")
    assert scene.get("srcset") == ("https://cdn.example.com/2023/scene-480.jpg 480w, "
                                   "https://cdn.example.com/2023/scene-1200.jpg 1200w")
    assert body.find(".//source").get("srcset") == "https://cdn.example.com/2023/map.webp"
    # The site's own picture, once shown, is offered at phone widths like any other.
    assert ours.get("alt") == "Ours" and ours.get("src").startswith("/digest/"), ours.get("src")
    assert " 480w" in (ours.get("srcset") or ""), ours.attrib
    assert (site.output / ours.get("src").removeprefix("/digest/")).is_file()
    # A waiting address is checked as any address is; the tracking pixel is not published.
    assert unsafe.get("alt") == "x" and unsafe.get("src") is None
    assert "tracker.example.net" not in (site.output / "en/2023/09/13/a/index.html").read_text(encoding="utf-8")
    assert "The scene:" in [p.text for p in body.findall("p")] and body.findtext(".//figcaption") == "The square at noon."


BARE_ADDRESSES = """نشرت الوزارة البيان على موقعها https://www.example.gov/ar/news/2023/0913، وأعادت نشره وكالة الأنباء
(www.example-news.org/story/88)؛ هل قرأته؟ https://example.org/q?id=5&lang=ar؟

https://en.wikipedia.org/wiki/Oil_(disambiguation).

<a href="https://example.net/x">https://example.net/x</a> و`https://example.com/code` و[النص](https://example.com/t)

وبين قوسين زاويين <https://example.com/auto/> وفي رابط [https://example.com/shown/](https://example.com/shown/)
"""


def test_an_address_pasted_bare_is_a_link_that_stops_at_arabic_punctuation(site):
    """WhatsApp, Word, GitHub and Hugo make a pasted address a link; Python-Markdown left it as text."""
    site.write({"content/a.ar.md": article("خبر بروابط", body=BARE_ADDRESSES, summary="ملخص.")})
    site.build()
    body = site.page("2023/09/13/a/").find_class("body")[0]
    links = [(a.get("href"), a.text_content()) for a in body.iter("a")]
    assert links == [
        ("https://www.example.gov/ar/news/2023/0913", "https://www.example.gov/ar/news/2023/0913"),
        ("https://www.example-news.org/story/88", "www.example-news.org/story/88"),
        ("https://example.org/q?id=5&lang=ar", "https://example.org/q?id=5&lang=ar"),
        ("https://en.wikipedia.org/wiki/Oil_(disambiguation)", "https://en.wikipedia.org/wiki/Oil_(disambiguation)"),
        ("https://example.net/x", "https://example.net/x"),
        ("https://example.com/t", "النص"),
        ("https://example.com/auto/", "https://example.com/auto/"),
        ("https://example.com/shown/", "https://example.com/shown/"),
    ], links
    # Read left to right and isolated from the Arabic around it: a trailing / stays at the address's end. The
    # link written as HTML too (it had none): only a link whose words are not an address reads as its text.
    assert [a.get("dir") for a in body.iter("a")] == ["ltr"] * 5 + [None, "ltr", "ltr"]
    text = body.text_content()
    assert "0913، وأعادت" in text and "88)؛ هل" in text and "ar؟" in text, "the punctuation stays, outside the link"
    assert body.findtext(".//code") == "https://example.com/code", "code is left as it is"


def test_a_youtube_address_alone_on_its_line_is_its_player_and_in_a_sentence_a_link(site):
    body = ("https://youtu.be/M7lc1UVf-VE?t=90\n\nشاهد الكلمة: https://www.youtube.com/watch?v=M7lc1UVf-VE\n\n"
            "- https://www.youtube.com/shorts/M7lc1UVf-VE\n")
    site.write({"content/a.ar.md": article("فيديو", body=body, summary="ملخص.")})
    site.build()
    page = site.page("2023/09/13/a/").find_class("body")[0]
    [frame] = page.iter("iframe")
    assert frame.get("src") == "https://www.youtube-nocookie.com/embed/M7lc1UVf-VE?start=90"
    assert frame.get("sandbox") and frame.get("loading") == "lazy" and frame.get("title") == "YouTube"
    assert [a.get("href") for a in page.iter("a")] == ["https://www.youtube.com/watch?v=M7lc1UVf-VE",
                                                        "https://www.youtube.com/shorts/M7lc1UVf-VE"]
    # A site that does not trust YouTube's frames keeps the address a link.
    site.write({"content/a.ar.md": article("فيديو", body=body, summary="ملخص.")},
               config=BASE_CONFIG + "markdown: {embed_hosts: [player.vimeo.com]}\n")
    site.build()
    page = site.page("2023/09/13/a/").find_class("body")[0]
    assert not list(page.iter("iframe")) and page.find(".//a").get("href") == "https://youtu.be/M7lc1UVf-VE?t=90"


def test_a_vimeo_address_or_a_data_desk_s_chart_alone_on_its_line_is_its_frame(site):
    """Vimeo's video plays without its cookies (dnt=1); a Flourish chart's public page and a Datawrapper chart's
    address are their frames, sandboxed and lazy, as the services' embed codes give them. A site whose
    markdown.embed_hosts does not trust a service keeps its address a link."""
    body = ("https://vimeo.com/76979871\n\nhttps://public.flourish.studio/visualisation/1234567/\n\n"
            "https://datawrapper.dwcdn.net/AbC12/3/\n\nعلى فيميو: https://vimeo.com/76979871\n")
    site.write({"content/a.ar.md": article("رسوم", body=body, summary="ملخص.")})
    site.build()
    page = site.page("2023/09/13/a/").find_class("body")[0]
    assert [(f.get("src"), f.get("title"), f.get("loading"), bool(f.get("sandbox"))) for f in page.iter("iframe")] == [
        ("https://player.vimeo.com/video/76979871?dnt=1", "Vimeo", "lazy", True),
        ("https://flo.uri.sh/visualisation/1234567/embed", "Flourish", "lazy", True),
        ("https://datawrapper.dwcdn.net/AbC12/3/", "Datawrapper", "lazy", True)]
    assert [a.get("href") for a in page.iter("a")] == ["https://vimeo.com/76979871"], "in a sentence, a link"
    site.write({"content/a.ar.md": article("رسوم", body=body, summary="ملخص.")},
               config=BASE_CONFIG + "markdown: {embed_hosts: [player.vimeo.com]}\n")
    site.build()
    page = site.page("2023/09/13/a/").find_class("body")[0]
    assert [f.get("title") for f in page.iter("iframe")] == ["Vimeo"]
    assert [a.get("href") for a in page.iter("a")][:2] == ["https://public.flourish.studio/visualisation/1234567/",
                                                          "https://datawrapper.dwcdn.net/AbC12/3/"]


FLOURISH_AND_DATAWRAPPER = (
    "The chart, as Flourish gives its embed code:\n\n<div class=\"flourish-embed flourish-chart\" data-src=\""
    "visualisation/1234567\"><script src=\"https://public.flourish.studio/resources/embed.js\"></script><noscript>"
    "<img src=\"https://public.flourish.studio/visualisation/1234567/thumbnail\" alt=\"chart\" /></noscript></div>"
    "\n\nAnd Datawrapper:\n\n<div style=\"min-height:429px\" id=\"datawrapper-vis-AbC12\"><script type=\""
    "text/javascript\" defer src=\"https://datawrapper.dwcdn.net/AbC12/embed.js\" charset=\"utf-8\" data-target="
    "\"#datawrapper-vis-AbC12\"></script><noscript><img src=\"https://datawrapper.dwcdn.net/AbC12/full.png\" "
    "alt=\"\" /></noscript></div>\n")


def test_a_chart_s_embed_code_is_its_frame_where_its_service_is_trusted(site):
    """Flourish's and Datawrapper's embed codes draw the chart with their script, which a story never runs: each
    becomes the frame its service gives, sandboxed and lazy, with no warning. A site that does not trust the
    service's frames is told of the script left out."""
    site.write({"content/a.en.md": article("Rain this week", body=FLOURISH_AND_DATAWRAPPER, summary="Rain.")})
    checked = site.cli(command="check")
    assert checked.returncode == 0 and "warning" not in checked.stderr, checked.stderr
    site.build()
    page = site.page("en/2023/09/13/a/").find_class("body")[0]
    assert [(f.get("src"), f.get("title"), f.get("height"), f.get("loading"), bool(f.get("sandbox")))
            for f in page.iter("iframe")] == [
        ("https://flo.uri.sh/visualisation/1234567/embed", "Flourish", "500", "lazy", True),
        ("https://datawrapper.dwcdn.net/AbC12/", "Datawrapper", "500", "lazy", True)]
    site.write({"content/a.en.md": article("Rain this week", body=FLOURISH_AND_DATAWRAPPER, summary="Rain.")},
               config=BASE_CONFIG + "markdown: {embed_hosts: [player.vimeo.com]}\n")
    checked = site.cli(command="check")
    assert [line.split(" is left out")[0] for line in checked.stderr.splitlines() if "script" in line] == [
        "warning: content/a.en.md:8: a script from 'public.flourish.studio'",
        "warning: content/a.en.md:12: a script from 'datawrapper.dwcdn.net'"], checked.stderr


PASTED_SPACING = {
    # A non-breaking space after "title:" and in a list's indentation, a right-to-left mark before "date:",
    # Arabic commas between tags: each invisible or natural to an Arabic editor, and each was a failed build
    # ("not valid YAML", "date is missing") or one tag of three words.
    "content/one.ar.md": "---\ntitle:\u00a0قمة الطاقة\n\u200fdate: 2023-09-13\nsummary: ملخص.\n"
                         "tags: [اقتصاد، نفط، السعودية]\ncategory: عالم\n---\nنص.\n",
    "content/two.ar.md": "---\ntitle: \u200fiPhone يصل إلى الأسواق\ndate: 2023-09-14\nsummary: ملخص.\ntags:\n"
                         "\u00a0\u00a0- اقتصاد\n  -\u00a0تقنية\n---\nنص.\n",
    "content/three.ar.md": "---\ntitle: خبر ثالث\ndate: 2023-09-15\nsummary: ملخص.\ntags: نفط، تقنية\n---\nنص.\n",
}


def test_spacing_and_commas_pasted_into_the_front_matter_read_as_the_editor_sees_them(site):
    site.write(PASTED_SPACING)
    result = site.cli(command="check")
    assert result.returncode == 0 and "warning" not in result.stderr, result.stderr
    site.build()
    one = site.page("2023/09/13/one/")
    assert one.findtext(".//h1").strip() == "قمة الطاقة"
    tags = {route: [a.text_content().strip() for a in site.page(route).xpath("//main//article//h2/a")]
            for route in ("tags/اقتصاد/", "tags/نفط/", "tags/السعودية/", "tags/تقنية/")}
    assert {route: len(titles) for route, titles in tags.items()} == {
        "tags/اقتصاد/": 2, "tags/نفط/": 2, "tags/السعودية/": 1, "tags/تقنية/": 2}, tags
    # The mark that opens a title with a Latin word is the title's own: it keeps the line right to left.
    assert site.page("2023/09/14/two/").findtext(".//h1").strip() == "\u200fiPhone يصل إلى الأسواق"


def test_tags_written_as_hashtags_are_the_tags_they_name(site):
    """As on social media: YAML read everything after # as a comment, so the story had no tags at all (no word
    of it), or its file was "not valid YAML"."""
    site.write({
        "content/one.ar.md": "---\ntitle: قمة الغذاء\ndate: 2023-09-13\nsummary: ملخص.\ntags: #اقتصاد #الأمن_الغذائي\n---\nنص.\n",
        "content/two.ar.md": "---\ntitle: سوق النفط\ndate: 2023-09-14\nsummary: ملخص.\ntags: [#اقتصاد, نفط]\n---\nنص.\n",
        "content/three.ar.md": "---\ntitle: خبر ثالث\ndate: 2023-09-15\nsummary: ملخص.\ntags:  # بعد المراجعة\n---\nنص.\n",
        # In quotes, and as the editing page writes what was typed into its tag box: the tags they name too.
        "content/four.ar.md": "---\ntitle: خبر رابع\ndate: 2023-09-16\nsummary: ملخص.\n"
                              "tags: [\"#اقتصاد\", '#الأمن_الغذائي']\n---\nنص.\n",
        "content/five.ar.md": "---\ntitle: خبر خامس\ndate: 2023-09-17\nsummary: ملخص.\ntags:\n  - '#نفط'\n  - '#'\n---\nنص.\n",
    })
    result = site.cli(command="check")
    assert result.returncode == 0 and "warning" not in result.stderr, result.stderr
    site.build()
    titles = {route: [a.text_content().strip() for a in site.page(route).xpath("//main//article//h2/a")]
              for route in ("tags/اقتصاد/", "tags/الامن-الغذائي/", "tags/نفط/")}
    assert titles == {"tags/اقتصاد/": ["خبر رابع", "سوق النفط", "قمة الغذاء"],
                      "tags/الامن-الغذائي/": ["خبر رابع", "قمة الغذاء"], "tags/نفط/": ["خبر خامس", "سوق النفط"]}, titles
    assert [a.text_content() for a in site.page("2023/09/17/five/").xpath("//ul[@class='tags']//a")] == ["نفط"]
    assert not site.page("2023/09/15/three/").xpath("//ul[@class='tags']//a"), "a comment alone is no tag"
    # A hashtag after a comment's "# " cannot be told from the comment: said, not dropped in silence.
    site.write({"content/three.ar.md": "---\ntitle: خبر ثالث\ndate: 2023-09-15\ntags: #اقتصاد # للمراجعة\n---\nنص.\n"})
    result = site.cli(command="check")
    assert result.returncode == 1 and result.stderr.splitlines()[0] == (
        "content/three.ar.md:4: tags is empty: YAML reads everything after # as a comment — write them without #: "
        "tags: [first, second]"), result.stderr


def test_a_source_given_as_its_address_alone_is_a_link_named_by_its_site(site):
    site.write({"content/a.ar.md": article("خبر", summary="ملخص.",
                                           source="https://www.reuters.com/world/middle-east/talks-2023-09-13/")})
    site.build()
    [link] = site.page("2023/09/13/a/").xpath("//p[@class='source']/a")
    assert link.get("href") == "https://www.reuters.com/world/middle-east/talks-2023-09-13/"
    assert link.text_content() == "reuters.com", "named by its site, not by the whole address"


def test_a_setting_written_twice_in_config_yaml_is_named_with_both_lines(site):
    site.write({"content/a.ar.md": article("خبر")}, config=BASE_CONFIG + "per_page: 10\ntimezone: UTC\nper_page: 5\n")
    result = site.cli()
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.splitlines()[0] == ("config.yaml:10: 'per_page' is written twice, on lines 8 and 10: only the "
                                             "second would count — keep one of them"), result.stderr
    assert not site.output.exists()


PASTED_LISTS = """أبرز النقاط:

١. النقطة الأولى
٢. النقطة الثانية

والبنود:

• بند من Word
• بند من واتساب

١- خطوة أولى
٢- خطوة ثانية

And:

3) third
4) fourth

```
• a bullet in code stays
1) as written
```

A score of 2-0 and
2 - 1 stay text.
"""


def test_lists_pasted_from_word_a_phone_or_written_with_arabic_numbers_are_lists(site):
    site.write({"content/a.ar.md": article("قوائم", body=PASTED_LISTS)})
    site.build()
    body = site.page("2023/09/13/a/").find_class("body")[0]
    lists = [(item.tag, item.get("start"), [li.text_content().strip() for li in item.iterchildren("li")])
             for item in body.iterchildren("ol", "ul")]
    assert lists == [("ol", None, ["النقطة الأولى", "النقطة الثانية"]),
                     ("ul", None, ["بند من Word", "بند من واتساب"]),
                     ("ol", None, ["خطوة أولى", "خطوة ثانية"]),
                     ("ol", "3", ["third", "fourth"])], lists
    assert body.findtext(".//pre/code") == "• a bullet in code stays\n1) as written\n"
    assert body.xpath("string(.//p[last()])") == "A score of 2-0 and\n2 - 1 stay text."


def test_a_post_pasted_with_a_hashtag_at_a_line_s_start_is_text_not_a_headline(site):
    """Posts from X or Telegram open with a hashtag: one # and a word. A heading needs a space after its #s."""
    site.write({"content/a.ar.md": article("منشور", body="#عاجل انفجار في ميناء المدينة\n\n#1 في القائمة\n\n"
                                                          "## عنوان فرعي\n\n###خلفية\n\n```\n#include\n```\n")})
    site.build()
    body = site.page("2023/09/13/a/").find_class("body")[0]
    assert [(child.tag, child.text_content().strip()) for child in body.iterchildren()] == [
        ("p", "#عاجل انفجار في ميناء المدينة"), ("p", "#1 في القائمة"), ("h2", "عنوان فرعي"), ("h3", "خلفية"),
        ("pre", "#include")]


PASTED_FROM_OFFICE = """من Word:

–\tالبند الأول
–\tالبند الثاني

ومن محرر آخر:

– بند أول
– بند ثان

— رويترز

- بند فيه\tجدولة
- وآخر\tمثله

المدينة\tالسكان\tالتغير
القاهرة\t10 ملايين\t+2%
عمّان\t4 ملايين\t+1% | تقدير

```
a\tb
c\td
```

<table>
<tr><td>خلية</td>\t<td>أخرى</td></tr>
<tr><td>ثالثة</td>\t<td>رابعة</td></tr>
</table>
"""


def test_rows_pasted_from_a_spreadsheet_are_a_table_and_word_s_dash_bullets_a_list(site):
    """Excel, Google Sheets and a web page's table paste as cells between tabs, Word's dash bullets as a dash
    and a tab: Markdown ran each into one paragraph. A dash and a space alone (a source's name) stays text."""
    site.write({"content/a.ar.md": article("من المكتب", body=PASTED_FROM_OFFICE)})
    site.build()
    body = site.page("2023/09/13/a/").find_class("body")[0]
    lists = [[" ".join(li.text_content().split()) for li in item.iterchildren("li")] for item in body.iterchildren("ul")]
    assert lists == [["البند الأول", "البند الثاني"], ["بند أول", "بند ثان"], ["بند فيه جدولة", "وآخر مثله"]], lists
    assert "— رويترز" in [p.text_content() for p in body.iterchildren("p")]
    table, written_in_html = body.iterchildren("table")
    assert [[cell.text_content() for cell in row] for row in table.iter("tr")] == [
        ["المدينة", "السكان", "التغير"], ["القاهرة", "10 ملايين", "+2%"], ["عمّان", "4 ملايين", "+1% | تقدير"]]
    assert [cell.tag for cell in next(table.iter("tr"))] == ["th"] * 3
    assert [[cell.text_content() for cell in row] for row in written_in_html.iter("tr")] == [
        ["خلية", "أخرى"], ["ثالثة", "رابعة"]], "HTML with tabs in it stays the HTML it is"
    assert "---" not in body.text_content(), "no Markdown table was made of it"
    assert body.findtext(".//pre/code") == "a   b\nc   d\n", "code keeps its tabs as Markdown lays them out"


def test_a_list_numbered_in_arabic_indic_digits_starts_where_it_says(site):
    site.write({"content/a.ar.md": article("قائمة", body="٣. ثالثة\n٤. رابعة\n")})
    site.build()
    [numbered] = site.page("2023/09/13/a/").find_class("body")[0].iterchildren("ol")
    assert numbered.get("start") == "3", "a browser reads no number in start=\"٣\""


def test_brackets_in_code_or_around_words_are_no_link_typed_wrong(site):
    site.write({"content/c.ar.md": article("قمة", summary="ملخص.", body=(
        "في سطر برمجي: `[رمز] (https://x.example)`.\n\n```\n(https://x.example)[رمز]\n```\n\n"
        "وقال [أحد المسؤولين] (وزير سابق) إن الاتفاق قريب [1] (انظر الملحق)."))})
    printed = site.cli(command="check")
    assert printed.returncode == 0 and "shows as typed" not in printed.stderr, printed.stderr


SLIPS = {"content/2026/12/port.ar.md": "---\ntitle: انفجار في ميناء المدينة\ndate: 2026-12-01\n"
                                       "summary: انفجار في  ميناءِ المدينة.\n"
                                       "source: {name: منفذ, url: 'https://www.google.com/url?q=https://outlet.example/port&sa=D'}\n"
                                       "image: {src: /images/port.jpg, alt: IMG_2034.jpg}\n---\n"
                                       "وقع انفجار. [التفاصيل](https://l.facebook.com/l.php?u=https%3A%2F%2Foutlet.example%2Fa%3Fb%3D1&h=AT0)\n\n"
                                       "![WhatsApp Image 2026-12-01 at 10.15.32](/images/port.jpg)\n\n"
                                       "<img src=\"/images/port.jpg\" alt=\"port-photo.webp\">\n\n"
                                       "[the report](https://eur01.safelinks.protection.outlook.com/?url=https%3A%2F%2Fagency.example%2Freport&data=05)\n\n"
                                       "[on a phone](https://www.google.com/amp/s/outlet.example/port.amp?x=1)\n",
         "static/images/port.jpg": b"jpg"}


def test_a_story_copied_from_search_results_a_post_or_a_mail_names_its_redirects_and_its_file_named_pictures(site):
    """Copied in a hurry: the links are Google's, Facebook's and Outlook's redirects, the pictures are described by
    their file names, and the summary is the headline again. Each is named at its line, with what to write."""
    site.write(SLIPS)
    lines = [line for line in site.cli(command="check").stderr.splitlines() if "content/2026/12/port.ar.md" in line]
    assert lines == [
        "warning: content/2026/12/port.ar.md:4: the summary is the headline again: lists and link previews show the "
        "same words twice — write one sentence that says what the headline leaves out",
        "warning: content/2026/12/port.ar.md:5: its source goes through Google's redirect ('https://www.google.com/"
        "url?q=https://outlet.example/port&s…): readers pass its warning page on the way, and may reach none once it "
        "expires — write the page's own address: https://outlet.example/port",
        "warning: content/2026/12/port.ar.md:6: a picture is described by its file name ('IMG_2034.jpg'): a screen "
        "reader reads the name out to readers who cannot see the picture — describe what it shows: who, where, what "
        "is happening",
        "warning: content/2026/12/port.ar.md:8: a link goes through Facebook's redirect ('https://l.facebook.com/"
        "l.php?u=https%3A%2F%2Foutlet.exampl…): readers pass its warning page on the way, and may reach none once it "
        "expires — write the page's own address: https://outlet.example/a?b=1",
        "warning: content/2026/12/port.ar.md:10: a picture is described by its file name ('WhatsApp Image 2026-12-01 "
        "at 10.15.32'): a screen reader reads the name out to readers who cannot see the picture — describe what it "
        "shows: who, where, what is happening",
        "warning: content/2026/12/port.ar.md:12: a picture is described by its file name ('port-photo.webp'): a "
        "screen reader reads the name out to readers who cannot see the picture — describe what it shows: who, "
        "where, what is happening",
        "warning: content/2026/12/port.ar.md:14: a link goes through Outlook's redirect ('https://eur01.safelinks."
        "protection.outlook.com/?url=https%…): readers pass its warning page on the way, and may reach none once it "
        "expires — write the page's own address: https://agency.example/report",
        "warning: content/2026/12/port.ar.md:16: a link goes to Google's copy of the page (AMP, 'https://www.google."
        "com/amp/s/outlet.example/port.amp?x=1'): readers read it in Google's viewer, and may reach none once Google "
        "drops it — write the page's own address: https://outlet.example/port.amp?x=1"], site.cli(command="check").stderr
    # Fixed as the warnings say: nothing more is said.
    fixed = SLIPS["content/2026/12/port.ar.md"]
    for old, new in (("summary: انفجار في  ميناءِ المدينة.", "summary: عشرات الجرحى في انفجار صباحي."),
                     ("alt: IMG_2034.jpg", "alt: دخان فوق الرصيف"), ("WhatsApp Image 2026-12-01 at 10.15.32", "الرصيف"),
                     ("port-photo.webp", "الميناء"),
                     ("https://www.google.com/url?q=https://outlet.example/port&sa=D", "https://outlet.example/port"),
                     ("https://l.facebook.com/l.php?u=https%3A%2F%2Foutlet.example%2Fa%3Fb%3D1&h=AT0",
                      "https://outlet.example/a?b=1"),
                     ("https://eur01.safelinks.protection.outlook.com/?url=https%3A%2F%2Fagency.example%2Freport&data=05",
                      "https://agency.example/report"),
                     ("https://www.google.com/amp/s/outlet.example/port.amp?x=1", "https://outlet.example/port.amp?x=1")):
        assert old in fixed
        fixed = fixed.replace(old, new)
    # Code shows what it holds as code: an example of each slip there is no slip.
    fixed += ("\nهكذا يبدو الرابط المنسوخ: `https://www.google.com/url?q=https://outlet.example/port`\n\n"
              "```\n![IMG_2034.jpg](/images/port.jpg)\n<img src=\"data:image/png;base64,iVBORw0KGgo=\" alt=\"x\">\n```\n")
    site.write({"content/2026/12/port.ar.md": fixed})
    assert "port.ar.md:" not in site.cli(command="check").stderr


def test_a_megabyte_of_unclosed_img_tags_in_a_code_block_is_read_in_seconds(site):
    """HTML source pasted into a code block: the search for pictures without a description went back to the start
    of every tag left open, and a megabyte of "<img " took 73 s before anything was rendered (10 MB: hours)."""
    site.write({"content/code.en.md": article("Code", summary="A page of code.",
                                              body="Code:\n\n```\n" + "<img " * 200_000 + "\n```\n")})
    result = site.cli(command="check", timeout=30)
    assert result.returncode == 0, result.stderr[-2000:]


def test_a_story_of_thirty_thousand_slips_names_twenty_of_each_and_counts_the_rest_in_seconds(site):
    """A page of search results or of a raw HTML block pasted whole: each kind is named twenty times, and its line found by
    one pass over the text, not one from its start for each (which grows with the square of their number)."""
    line = "![IMG_1.jpg](x) data:image/png;base64,AA https://www.google.com/url?q=https://a.example/\n"
    site.write({"content/many.en.md": article("Many", summary="S.", body="<div>\n" + line * 30_000 + "</div>\n")})
    result = site.cli(command="check", timeout=60)
    assert result.returncode == 0, result.stderr[-2000:]
    lines = result.stderr.splitlines()
    assert [w for w in lines if " more " in w] == [
        f"warning: content/many.en.md:6: and 29,980 more {what} — fix the ones above, then check again"
        for what in ("links through a redirect", "pictures pasted as data")]
    assert sum("described by its file name" in w for w in lines) == 20
    assert sum("pasted as data (image/png" in w for w in lines) == 20
    assert sum("goes through Google's redirect" in w for w in lines) == 20
