"""`import` (a pasted news page) and `import-feed` (RSS/Atom): drafts an editor can publish, and clear refusals."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import BASE_CONFIG, NOW, LocalServer, article
from pages_server import quiet_error

from generator.dateline import read_date
from generator.importer import read_pasted

FIXTURES = Path(__file__).parent / "fixtures"


def _run(site, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=site.root,
                          capture_output=True, text=True, timeout=120)


def _front(path: Path) -> tuple[dict, str]:
    _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
    return yaml.safe_load(front), body.strip()


def _content(site) -> dict[str, bytes]:
    folder = site.root / "content"
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()} if folder.exists() else {}


def test_a_pasted_page_becomes_three_linked_drafts_that_build(site):
    site.write({})
    shutil.copy(FIXTURES / "pasted-page.txt", site.root / "page.txt")
    result = _run(site, "import", "page.txt")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "Imported 3 drafts; set draft: false to publish."
    files = sorted(_content(site))
    assert len(files) == 3 and all(f.startswith("2023/09/") and f.endswith(".ar.md") for f in files)

    main_file = next(f for f in files if "related" in _front(site.root / "content" / f)[0])
    front, body = _front(site.root / "content" / main_file)
    assert front["title"] == "بوتين يستقبل كيم في قاعدة فوستوشني الفضائية", "the '| صور' marker is dropped"
    assert front["date"] == "2023-09-13"
    assert front["source"] == {"name": "وكالات"}
    assert front["draft"] is True
    paragraphs = body.split("\n\n")
    assert len(paragraphs) == 3 and paragraphs[0].startswith("وصل الزعيم") and paragraphs[2].startswith("قال الكرملين")
    assert "المصدر" not in body and "إقرأ" not in body

    others = {_front(site.root / "content" / f)[0]["title"]: f for f in files if f != main_file}
    assert set(others) == {"كيم يزور مصنع طائرات في كومسومولسك على نهر آمور", "بوتين يقبل دعوة لزيارة بيونغ يانغ"}
    in_page_order = ["كيم يزور مصنع طائرات في كومسومولسك على نهر آمور", "بوتين يقبل دعوة لزيارة بيونغ يانغ"]
    assert front["related"] == [Path(others[t]).name.removesuffix(".ar.md") for t in in_page_order]
    plant, plant_body = _front(site.root / "content" / others["كيم يزور مصنع طائرات في كومسومولسك على نهر آمور"])
    assert plant["date"] == "2023-09-15" and plant["source"] == {"name": "وكالة روسية"}, "its own, not the main story's"
    assert len(plant_body.split("\n\n")) == 2
    invitation, _ = _front(site.root / "content" / others["بوتين يقبل دعوة لزيارة بيونغ يانغ"])
    assert invitation["date"] == "2023-09-14", "its own date line, in Arabic-Indic digits"
    assert "source" not in invitation, "a further story does not inherit the main story's source"

    # Published, the first story lists the other two under إقرأ أيضاً, pinned first.
    for path in (site.root / "content").rglob("*.md"):
        path.write_text(path.read_text(encoding="utf-8").replace("draft: true", "draft: false"), encoding="utf-8")
    site.build()
    slug = Path(main_file).name.removesuffix(".ar.md")
    page = site.page(f"2023/09/13/{slug}/")
    related = [a.text_content() for a in page.xpath("//*[contains(@class, 'related')]//a")]
    assert related[:2] == ["كيم يزور مصنع طائرات في كومسومولسك على نهر آمور", "بوتين يقبل دعوة لزيارة بيونغ يانغ"]

    before = _content(site)
    again = _run(site, "import", "page.txt")  # the same page twice: nothing new, nothing overwritten
    assert again.returncode == 0, again.stderr
    assert again.stdout.splitlines()[-1] == "Imported 0 drafts, skipped 3 already imported; set draft: false to publish."
    assert "page.txt:1: 'بوتين يستقبل كيم في قاعدة فوستوشني الفضائية' is already in content/2023/09/" in again.stdout
    assert _content(site) == before


@pytest.mark.parametrize("text, message", [
    ("", "page.txt:1: is empty — paste the article's text"),
    ("\n  \n", "page.txt:1: is empty — paste the article's text"),
    ("تاريخ النشر: 15 سبتمبر 2023\nشارك\nطباعة\nالمصدر: وكالة\n", "page.txt:1: no story found — paste the article's text"),
    ("عنوان الخبر\nتاريخ النشر: 15 سبتمبر 2023\n", "page.txt:1: the story 'عنوان الخبر' has no text"),
])
def test_a_page_it_cannot_read_is_refused_and_nothing_is_written(site, text, message):
    site.write({"content/old.ar.md": "---\ntitle: قديم\ndate: 2023-01-01\n---\nنص.\n"})
    (site.root / "page.txt").write_text(text, encoding="utf-8")
    before = _content(site)
    result = _run(site, "import", "page.txt")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines()[0].startswith(message), result.stderr
    assert result.stderr.splitlines()[-1] == "Nothing was written."
    assert _content(site) == before


def test_non_utf8_and_missing_files_are_refused(site):
    site.write({})
    (site.root / "page.txt").write_bytes("Café opens\n".encode("latin-1"))  # Windows-1256 is read (test_import_files)
    result = _run(site, "import", "page.txt")
    assert result.returncode == 1 and "page.txt: not valid UTF-8" in result.stderr and "Traceback" not in result.stderr
    result = _run(site, "import", "nowhere.txt")
    assert result.returncode == 1 and "nowhere.txt: no such file" in result.stderr
    assert _content(site) == {}


@pytest.mark.parametrize("written, expected", [
    ("الجمعة، 02 فبراير 2024 10:15 ص", "2024-02-02T10:15:00+03:00"),
    ("الإثنين، 04 مارس 2024 08:30 م", "2024-03-04T20:30:00+03:00"),
    ("14/3/2024", "2024-03-14"),
    ("15 سبتمبر/ أيلول 2023", "2023-09-15"),
    ("20 مايو ,2024: 09:30 ص GST", "2024-05-20T09:30:00+04:00"),
    ("15:32-15 سبتمبر 2023 م ـ 30 صَفَر 1445 هـ", "2023-09-15T15:32:00+03:00"),
    ("الجمعة 30 صفر 1445 هـ الموافق 15 سبتمبر 2023", "2023-09-15"),
    ("15/9/2023 01:07 PM (بتوقيت مكة المكرمة)", "2023-09-15T13:07:00+03:00"),
    ("2023-09-15T14:30 GMT+2", "2023-09-15T14:30:00+02:00"),
    ("12:30 ص 1 يناير 2024", "2024-01-01T00:30:00+03:00"),
    ("منذ 3 ساعات", "2026-01-01T00:00:00+03:00"),  # NOW is 03:00 in Riyadh
    ("15th, September 2023 GMT", "2023-09-15"),
    ("١٥ سبتمبر ٢٠٢٣", "2023-09-15"),
    ("15 أيلول 2023", "2023-09-15"),
    ("3 كانون الثاني 2024", "2024-01-03"),
    ("12 شتنبر 2023", "2023-09-12"),
    ("2 جانفي 2024", "2024-01-02"),
    ("September 15, 2023", "2023-09-15"),
    ("2023-09-15", "2023-09-15"),
    ("15 سبتمبر 2023 - 14:30 GMT", "2023-09-15T14:30:00+00:00"),
    ("Sat 15 Mar 2025 09.05 GMT", "2025-03-15T09:05:00+00:00"),  # a British daily's time, with a full stop
    ("Mar 15, 2025, 9:05 AM ET", "2025-03-15T09:05:00-04:00"),  # an American outlet's: New York's summer time
    ("Jan 15, 2025, 9:05 PM ET", "2025-01-15T21:05:00-05:00"),
    # Under who posted it, a social network's post: its age in short, or yesterday's time.
    ("\u200f٣ س ·\u200f", "2026-01-01T00:00:00+03:00"),
    ("5m", "2026-01-01T02:55:00+03:00"),
    ("2 d ·", "2025-12-30T03:00:00+03:00"),
    ("أمس الساعة 10:30 م", "2025-12-31T22:30:00+03:00"),
    ("Yesterday at 10:30 AM", "2025-12-31T10:30:00+03:00"),
    ("02:15", "2026-01-01T02:15:00+03:00"),  # a time alone: the last such time before now
    ("10:42", "2025-12-31T10:42:00+03:00"),
    ("12:30 ص", "2026-01-01T00:30:00+03:00"),
    ("12 مارس الساعة 9:15 ص ·", "2025-03-12T09:15:00+03:00"),  # Facebook's, with its dot: the last 12 March
    ("March 12 at 9:15 AM ·", "2025-03-12T09:15:00+03:00"),
    ("1 يناير الساعة 2:30 ص ·", "2026-01-01T02:30:00+03:00"),
    ("1 يناير الساعة 4:30 ص ·", "2025-01-01T04:30:00+03:00"),  # an hour after NOW: last year's
])
def test_dates_as_news_sites_write_them(written, expected):
    dated = read_date(written, "Asia/Riyadh", NOW)
    assert dated.when.isoformat() == expected and not dated.hijri


# A Hijri date alone, as Saudi and Gulf agencies date their stories: the Gregorian day of the Umm al-Qura calendar.
@pytest.mark.parametrize("written, expected", [
    ("الأحد 1446/9/15 هـ", "2025-03-15"),
    ("15 رمضان 1446هـ", "2025-03-15"),
    ("١٥ رمضان ١٤٤٦ هـ", "2025-03-15"),
    ("15/9/1446 هـ", "2025-03-15"),
    ("1445 صفر 30", "2023-09-15"),
    ("2 ربيع الأول 1446", "2024-09-05"),
    ("الثلاثاء 10 ذو الحجة 1445 هـ 10:30 ص", "2024-06-16T10:30:00+03:00"),
    ("10 ذي الحجة 1445", "2024-06-16"),
    ("Ramadan 15, 1446 AH", "2025-03-15"),
    ("Rabi' al-Awwal 12, 1446", "2024-09-15"),
    ("30 رمضان 1446 هـ", "2025-03-30"),  # Umm al-Qura's Ramadan had 29 days that year: the day after the 29th
])
def test_a_hijri_date_alone_is_read_in_the_umm_al_qura_calendar(written, expected):
    dated = read_date(written, "Asia/Riyadh", NOW)
    assert dated.when.isoformat() == expected and dated.hijri


# The dateline a wire story opens with names its agency: the draft's source, unless a line names one outright.
@pytest.mark.parametrize("lead, source", [
    ("WASHINGTON (AP) — Lawmakers passed the budget on Friday after a week of talks.", "AP"),
    ("باريس (أ ف ب) - أعلنت الحكومة الفرنسية اليوم خطة جديدة لدعم المزارعين.", "أ ف ب"),
    ("الدوحة في 15 مارس /قنا/ بحث وزير الخارجية مع نظيره التركي العلاقات الثنائية.", "قنا"),
    ("ABU DHABI, 15th March, 2025 (WAM) -- The cabinet approved a new housing programme.", "WAM"),
    # An aside in brackets, with neither a date nor a place in capitals before it, is no agency.
    ("قال الوزير (المستقيل) - في كلمة أمام البرلمان - إن الحكومة ستواصل عملها.", None),
    ("أكد مصدر مسؤول (فضل عدم ذكر اسمه) - أن المفاوضات ستستأنف الأسبوع المقبل.", None),
    ("In 2024 (a record year) - exports rose by a third, the ministry said.", None),
    ("The minister said on Monday that talks (Reuters reported) - would resume soon.", None),
])
def test_a_wire_dateline_gives_the_source(lead, source):
    reading = read_pasted(f"Headline of the story\n{lead}\nA second paragraph follows here.\n", "page.txt",
                          "Asia/Riyadh", NOW)
    assert (reading.stories[0].source or None) == source
    assert reading.stories[0].paragraphs[0] == lead  # the text keeps it


@pytest.mark.parametrize("written", ["قريباً", "31 فبراير 2023", "15 سبتمبر", "15 رمضان", "31 رمضان 1446 هـ",
                                     "15 رمضان 1600 هـ", "1446/13/15 هـ", "99/99/9999", "Version 2.05 GMT", "25:10 1 يناير 2024",
                                     "أمس", "3 س قالت الوزارة", "أمس الساعة الثانية", "12 سنة", "25:10", "10:75",
                                     "أمس أمس أمس 10:30", "10:42Z", "15 سبتمبر الساعة 10:30",
                                     "30 فبراير الساعة 9:15 ص ·"])
def test_what_is_no_date_is_not_read_as_one(written):
    assert read_date(written, "Asia/Riyadh", NOW) is None


def test_a_feed_becomes_drafts_and_a_second_import_skips_them(site):
    site.write({}, config=BASE_CONFIG + "timezone: Asia/Riyadh\n")
    shutil.copy(FIXTURES / "digest.rss", site.root / "feed.rss")
    result = _run(site, "import-feed", "feed.rss")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "Imported 2 drafts; set draft: false to publish."
    files = sorted(_content(site))
    assert files == ["2024/01/ftth-m-rd-lktb-fy-lqhrh.ar.md", "2024/01/mtr-ghzyrh-la-lshl.ar.md"]
    front, body = _front(site.root / "content" / "2024/01/ftth-m-rd-lktb-fy-lqhrh.ar.md")
    assert front["title"] == "افتتاح معرض الكتاب في القاهرة"
    assert front["date"] == "2024-01-25T11:30:00+03:00", "the site's time zone"
    assert front["source"] == {"name": "نشرة الشرق", "url": "https://news.example/2024/01/book-fair"}
    assert front["tags"] == ["ثقافة"] and front["draft"] is True
    assert "**دور نشر**" in body and "[التفاصيل](https://news.example/fair)" in body, "HTML became Markdown"
    assert "script" not in body and "alert" not in body
    rain, _ = _front(site.root / "content/2024/01/mtr-ghzyrh-la-lshl.ar.md")
    assert rain["date"] == "2024-01-27T00:30:00+03:00", "after midnight in Riyadh: the next day's folder and page"

    again = _run(site, "import-feed", "feed.rss")
    assert again.returncode == 0
    assert again.stdout.splitlines()[-1] == "Imported 0 drafts, skipped 2 already imported; set draft: false to publish."
    assert sorted(_content(site)) == files

    shutil.copy(FIXTURES / "digest.atom", site.root / "feed.atom")
    atom = _run(site, "import-feed", "feed.atom")
    assert atom.returncode == 0, atom.stderr
    front, body = _front(site.root / "content/2024/01/cairo-book-fair-opens.en.md")  # the feed's xml:lang
    assert front["source"]["url"] == "https://news.example/en/2024/01/book-fair"
    assert "- Two weeks" in body

    for path in (site.root / "content").rglob("*.md"):
        path.write_text(path.read_text(encoding="utf-8").replace("draft: true", "draft: false"), encoding="utf-8")
    site.build()
    assert site.page("2024/01/25/ftth-m-rd-lktb-fy-lqhrh/").findtext(".//h1") == "افتتاح معرض الكتاب في القاهرة"


def test_a_broken_feed_is_refused(site):
    site.write({})
    (site.root / "feed.xml").write_text("<html><body>not a feed", encoding="utf-8")
    result = _run(site, "import-feed", "feed.xml")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith("error: feed.xml: not a readable RSS or Atom feed")
    assert _content(site) == {}


def test_a_wordpress_export_is_refused_naming_the_way_that_keeps_its_stories_whole(site):
    """A WordPress export (WXR) is RSS to feedparser: its pages and attachments became stories, its private posts
    drafts to publish, and its text one paragraph with its shortcodes escaped."""
    site.write({})
    (site.root / "export.xml").write_text(
        '<?xml version="1.0"?><rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Old</title>'
        "<wp:wxr_version>1.2</wp:wxr_version><item><title>Port reopens</title><content:encoded><![CDATA[One.\n\n"
        "Two.]]></content:encoded><wp:post_type>post</wp:post_type></item><item><title>port.jpg</title>"
        "<wp:post_type>attachment</wp:post_type></item></channel></rss>", encoding="utf-8")
    result = _run(site, "import-feed", "export.xml")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith("error: export.xml: is a WordPress export (WXR), not a feed")
    assert "then run python -m generator convert" in result.stderr
    assert _content(site) == {}


def test_an_english_page_with_english_labels(site):
    site.write({})
    (site.root / "page.txt").write_text(
        "Putin accepts an invitation to Pyongyang | Video\n"
        "Published: September 14th, 2023\n"
        "The Kremlin said the Russian president accepted Kim's invitation.\n"
        "Source: Wire services\n"
        "Read also: Kim tours an aircraft plant\n"
        "The North Korean leader visited a factory in Komsomolsk-on-Amur.\n", encoding="utf-8")
    result = _run(site, "import", "page.txt", "--lang", "en")
    assert result.returncode == 0, result.stderr
    main, _ = _front(site.root / "content/2023/09/putin-accepts-an-invitation-to-pyongyang.en.md")
    assert main["title"] == "Putin accepts an invitation to Pyongyang" and main["date"] == "2023-09-14"
    assert main["source"] == {"name": "Wire services"} and main["related"] == ["kim-tours-an-aircraft-plant"]
    [plant_file] = (site.root / "content").glob("*/*/kim-tours-an-aircraft-plant.en.md")
    plant, body = _front(plant_file)
    assert body == "The North Korean leader visited a factory in Komsomolsk-on-Amur."
    assert "source" not in plant, "not the main story's: further stories are often other outlets' reports"
    assert "page.txt:5: no date line for 'Kim tours an aircraft plant'; dated today" in result.stderr


def test_a_feed_by_url(site):
    import functools
    import http.server
    import threading

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    site.write({})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(FIXTURES)))
    server.handle_error = quiet_error
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        result = _run(site, "import-feed", f"http://127.0.0.1:{server.server_address[1]}/digest.atom")
    finally:
        server.shutdown()
        server.server_close()
    assert result.returncode == 0, result.stderr
    assert (site.root / "content/2024/01/cairo-book-fair-opens.en.md").is_file()
    missing = _run(site, "import-feed", "http://127.0.0.1:9/feed.xml")  # nothing listens there
    assert missing.returncode == 1 and "not a readable RSS or Atom feed" in missing.stderr


HOSTILE_FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Wire</title><language>en</language>
<item><title>Port reopens</title><link>https://wire.example/port</link>
<pubDate>Fri, 02 Feb 2024 10:00:00 GMT</pubDate>
<description><![CDATA[<p>Ships are back.</p><p><img src="/port.jpg" alt="port">{: onerror="alert(1)" style="x"}</p>
<iframe src="https://www.youtube-nocookie.com/embed/abc"></iframe><p><a href="/more" onclick="alert(2)">more</a></p>]]></description>
</item></channel></rss>
"""


def _import_one(site, feed: str) -> tuple[Path, str]:
    """The draft `import-feed` writes from a feed of one item, and its body."""
    site.write({})
    (site.root / "feed.rss").write_text(feed, encoding="utf-8")
    result = _run(site, "import-feed", "feed.rss")
    assert result.returncode == 0, result.stderr
    [path] = (site.root / "content").rglob("*.md")
    return path, _front(path)[1]


# A WordPress blog's feed: its footer line under every item (in the Arabic and English wording), Jetpack's sharing
# block, and "[…]" ending the teaser.
BLOG_FEED = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>أخبار المدينة</title>
<language>ar</language>
<item><title>افتتاح جسر جديد فوق النهر</title><link>https://news.example/2025/12/bridge/</link>
<pubDate>Sat, 20 Dec 2025 09:00:00 +0000</pubDate>
<description><![CDATA[<p>افتتحت البلدية اليوم جسرا جديدا فوق النهر [&#8230;]</p>
<p>ظهرت المقالة <a href="https://news.example/2025/12/bridge/">افتتاح جسر جديد فوق النهر</a> أولاً على
<a href="https://news.example">أخبار المدينة</a>.</p>]]></description>
<content:encoded><![CDATA[<p>افتتحت البلدية اليوم جسرا جديدا فوق النهر يربط شطري المدينة.</p>
<p>The post office appeared first on the old square, the museum said, and moved in 1950.</p>
<div class="sharedaddy sd-sharing-enabled"><h3 class="sd-title">شارك هذا:</h3><ul><li>
<a href="https://news.example/?share=x">X</a></li></ul></div>
<p>The post <a href="https://news.example/2025/12/bridge/">City opens a bridge</a> appeared first on
<a href="https://news.example">City News</a>.</p>
<p>ظهرت المقالة <a href="https://news.example/2025/12/bridge/">افتتاح جسر جديد فوق النهر</a> أولاً على
<a href="https://news.example">أخبار المدينة</a>.</p>]]></content:encoded>
</item></channel></rss>
"""


def test_a_blog_s_footer_and_sharing_buttons_are_left_out_of_the_draft(site):
    path, body = _import_one(site, BLOG_FEED)
    front, _ = _front(path)
    assert body.split("\n\n") == ["افتتحت البلدية اليوم جسرا جديدا فوق النهر يربط شطري المدينة.",
                                  "The post office appeared first on the old square, the museum said, and moved in 1950."]
    assert front["summary"] == "افتتحت البلدية اليوم جسرا جديدا فوق النهر…"


def test_an_aggregator_s_item_takes_its_outlet_as_the_source_and_says_it_has_no_text(site):
    """Google News' feeds give each item's outlet in RSS's <source>, after the headline too, and no text but the
    headline linked."""
    site.write({})
    (site.root / "feed.rss").write_text("""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>"الطاقة" - أخبار Google</title><language>ar</language>
<item><title>افتتاح محطة طاقة شمسية في الصحراء - صحيفة المدينة</title>
<link>https://news.google.com/rss/articles/CBMi1?oc=5</link><pubDate>Sat, 20 Dec 2025 09:00:00 GMT</pubDate>
<description>&lt;a href="https://news.google.com/rss/articles/CBMi1?oc=5"&gt;افتتاح محطة طاقة شمسية في الصحراء&lt;/a&gt;
&amp;nbsp;&amp;nbsp;&lt;font color="#6f6f6f"&gt;صحيفة المدينة&lt;/font&gt;</description>
<source url="https://city.example">صحيفة المدينة</source></item></channel></rss>""", encoding="utf-8")
    result = _run(site, "import-feed", "feed.rss")
    assert result.returncode == 0, result.stderr
    assert ("warning: feed.rss: the item 'افتتاح محطة طاقة شمسية في الصحراء' gives its headline and no text — write "
            "the story in the draft, from its source") in result.stderr
    [path] = (site.root / "content").rglob("*.md")
    front, _ = _front(path)
    assert front["title"] == "افتتاح محطة طاقة شمسية في الصحراء"
    assert front["source"]["name"] == "صحيفة المدينة" and "summary" not in front


def test_a_feed_item_s_relative_addresses_lead_to_its_own_site_not_into_this_one(site):
    """A blog writes its links and pictures from its own root (`/2025/06/…`, `/wp-content/…`): copied as they
    are, they would lead into this site, to pages it does not have."""
    path, body = _import_one(site, """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>City News</title>
<link>https://news.example/</link><language>en</language>
<item><title>Market reopens after repairs</title><link>https://news.example/2025/12/market/</link>
<pubDate>Sat, 20 Dec 2025 09:00:00 GMT</pubDate>
<content:encoded><![CDATA[<p>The market reopened on Saturday. <a href="/2025/06/market-closes/">It closed in June</a>.</p>
<p><img src="/wp-content/uploads/market.jpg" alt="The market hall"></p>
<p>See <a href="../other/">more</a>, <a href="#map">the map</a> and <a href="https://else.example/x">elsewhere</a>.</p>
]]></content:encoded></item></channel></rss>""")
    assert body.split("\n\n") == [
        "The market reopened on Saturday. [It closed in June](https://news.example/2025/06/market-closes/).",
        "![The market hall](https://news.example/wp-content/uploads/market.jpg)",
        "See [more](https://news.example/2025/12/other/), [the map](#map) and [elsewhere](https://else.example/x)."]


def test_feed_html_takes_the_strict_path_and_attr_list_cannot_add_handlers(site):
    path, body = _import_one(site, HOSTILE_FEED)
    assert "iframe" not in body and "onclick" not in body, "no frames and no handlers from a feed"
    path.write_text(path.read_text(encoding="utf-8").replace("draft: true", "draft: false"), encoding="utf-8")
    site.build()
    [page] = [p for p in site.output.rglob("port-reopens/index.html")]
    text = page.read_text(encoding="utf-8")
    assert "Ships are back." in text and 'alt="port"' in text
    tree = site.page(page.relative_to(site.output).as_posix())
    assert not tree.xpath("//@onerror | //@onclick | //*[@style='x']"), "no handler reached an element"
    assert not [s for s in tree.xpath("//script[not(@type='application/ld+json')]/text()") if "alert" in s]


LAZY_FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Wire</title>
<language>en</language><item><title>Market reopens</title><link>https://wire.example/market</link>
<pubDate>Fri, 02 Feb 2024 10:00:00 GMT</pubDate>
<content:encoded><![CDATA[<p>Stalls are back.</p><p><img class="lazyload" src="data:image/gif;base64,R0lGODlhAQABAAAAACw="
data-lazy-src="https://wire.example/market.jpg" alt="The market"><noscript><img src="https://wire.example/market.jpg"
alt="The market"></noscript></p><p>Prices held.</p>]]></content:encoded>
</item></channel></rss>
"""


def test_a_feed_item_s_lazily_loaded_picture_is_imported_once_as_a_picture(site):
    """As a news site's feed writes a picture a script loads: the address in data-lazy-src, a copy in
    <noscript>. The copy became the text "<img …>" in the draft, and the picture itself was lost."""
    _, body = _import_one(site, LAZY_FEED)
    assert body == "Stalls are back.\n\n![The market](https://wire.example/market.jpg)\n\nPrices held.", body


@pytest.mark.parametrize("shape", ["spaces", "colons", "bars", "date"])
def test_a_megabyte_line_is_read_in_linear_time(site, shape):
    huge = {"spaces": "كلمة" + " " * 1_000_000 + "أخرى.",
            "colons": "ab" + " " * 1_000_000 + "x" + ":" * 1000,
            "bars": "x|" + " " * 1_000_000 + "| y",
            "date": "تاريخ النشر: 15" + " " * 1_000_000 + "سبتمبر 2023"}[shape]
    site.write({})
    page = f"عنوان الخبر\nتاريخ النشر: 15 سبتمبر 2023\n{huge}\nفقرة أخيرة.\nالمصدر: وكالة\n"
    (site.root / "page.txt").write_text(page, encoding="utf-8")
    # Quadratic patterns took 4 s on 40,000 spaces and never ended on 400,000: a timeout here is a hang.
    result = site.cli("page.txt", command="import", memory_mb=1024, timeout=30)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 0, result.stderr
    assert max(len(line) for line in result.stderr.splitlines() or [""]) < 400, "no megabyte echoed in a message"


def test_a_date_line_with_superscript_digits_is_read_or_refused_not_a_crash():
    assert read_date("15 سبتمبر 2023 ¹", "UTC") is not None
    assert read_date("¹ سبتمبر", "UTC") is None


MEDIA_FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Gulf &amp; Wire</title><language>en</language>
<item><title>Dhow race &lt;b&gt;returns&lt;/b&gt; to the creek</title><link>https://wire.example/dhow</link>
<pubDate>Sat, 03 Feb 2024 06:00:00 GMT</pubDate>
<description>&lt;p&gt;Forty wooden boats raced at dawn &amp;amp; crowds watched.&lt;/p&gt;</description>
<content:encoded><![CDATA[<p>Forty wooden boats raced at dawn.</p><p>The race had stopped for four years.</p>]]></content:encoded>
<media:content url="https://wire.example/dhow.jpg" medium="image" type="image/jpeg">
<media:description>Sails on the creek at sunrise</media:description></media:content>
</item>
<item><title>Port traffic rises</title><link>https://wire.example/port</link>
<pubDate>Sat, 03 Feb 2024 07:00:00 GMT</pubDate>
<description>Container traffic rose by a tenth last year.</description>
<enclosure url="https://wire.example/port.jpg" type="image/jpeg" length="1000"/>
</item></channel></rss>
"""

ATOM_HTML_TITLE = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en"><title>Bulletin</title><id>https://b.example/</id>
<updated>2024-02-03T08:00:00Z</updated>
<entry><title type="html">&lt;em&gt;Rain&lt;/em&gt; floods &amp;amp; closes roads</title><id>https://b.example/rain</id>
<link href="https://b.example/rain"/><published>2024-02-03T08:00:00Z</published>
<summary type="html">&lt;p&gt;Heavy rain shut three roads.&lt;/p&gt;</summary>
<content type="html">&lt;p&gt;Heavy rain shut three roads on Saturday.&lt;/p&gt;</content>
<link rel="enclosure" type="image/png" href="https://b.example/rain.png" title="A flooded road"/></entry></feed>
"""


def test_feed_items_keep_plain_titles_their_summary_and_their_picture_with_its_alt(site):
    site.write({})
    (site.root / "media.rss").write_text(MEDIA_FEED, encoding="utf-8")
    (site.root / "title.atom").write_text(ATOM_HTML_TITLE, encoding="utf-8")
    dry = _run(site, "import-feed", "media.rss", "--dry-run")
    assert dry.returncode == 0 and _content(site) == {}, "--dry-run writes nothing"
    assert "  image:   https://wire.example/dhow.jpg" in dry.stdout
    result = _run(site, "import-feed", "media.rss")
    assert result.returncode == 0, result.stderr
    dhow, body = _front(site.root / "content/2024/02/dhow-race-returns-to-the-creek.en.md")
    assert dhow["title"] == "Dhow race returns to the creek", "HTML in a title is stripped, not kept"
    assert dhow["summary"] == "Forty wooden boats raced at dawn & crowds watched.", "entities decoded"
    assert dhow["image"] == {"src": "https://wire.example/dhow.jpg", "alt": "Sails on the creek at sunrise"}
    assert body == "Forty wooden boats raced at dawn.\n\nThe race had stopped for four years.", \
        "the body is the item's HTML content, not the media description feedparser files beside it"
    port, _ = _front(site.root / "content/2024/02/port-traffic-rises.en.md")
    assert port["image"] == {"src": "https://wire.example/port.jpg", "alt": ""}
    assert "media.rss: the item 'Port traffic rises' has an image without a description" in result.stderr

    atom = _run(site, "import-feed", "title.atom")
    assert atom.returncode == 0, atom.stderr
    rain, _ = _front(site.root / "content/2024/02/rain-floods-closes-roads.en.md")
    assert rain["title"] == "Rain floods & closes roads"
    assert rain["summary"] == "Heavy rain shut three roads."
    assert rain["image"] == {"src": "https://b.example/rain.png", "alt": "A flooded road"}

    for path in (site.root / "content").rglob("*.md"):
        path.write_text(path.read_text(encoding="utf-8").replace("draft: true", "draft: false"), encoding="utf-8")
    site.build()
    page = site.page("en/2024/02/03/dhow-race-returns-to-the-creek/")
    assert page.xpath("string(//figure[@class='lead-image']//img/@src)") == "https://wire.example/dhow.jpg"
    assert page.xpath("string(//meta[@name='description']/@content)") == "Forty wooden boats raced at dawn & crowds watched."


def test_a_picture_s_description_is_its_alt_text_wherever_the_item_gives_it(site):
    """An item's `media:description` describes its picture, before or after the item's own description, with no
    description at all, with a type, or one per picture: it is the lead picture's alt text, never the summary, and
    the item's own description is never the picture's."""
    site.write({})
    media = ("<media:content url='https://wire.example/{0}.jpg' medium='image'><media:description{1}>{2}"
             "</media:description></media:content>")
    body = "<content:encoded><![CDATA[<p>The {0} story, told in full.</p>]]></content:encoded>"
    items = {
        "Harbour lights return": media.format("a", "", "Boats at dusk") + body.format("harbour"),
        "Market hours extended": media.format("b", "", "Stalls at noon") +
        "<description>Shops stay open later.</description>" + body.format("market"),
        "Bridge reopens to traffic": "<description>Cars cross again.</description>" +
        media.format("c", " type='plain'", "The bridge &amp; its lamps") +
        media.format("d", "", "A second picture"),
        "Library adds a wing": "<media:group><media:content url='https://wire.example/e.jpg' medium='image'/>"
        "<media:description type='html'>Readers in the &lt;b&gt;new&lt;/b&gt; hall</media:description>"
        "</media:group><description>The wing opens Monday.</description>",
    }
    (site.root / "wire.rss").write_text(
        "<?xml version='1.0' encoding='utf-8'?><rss version='2.0' xmlns:media='http://search.yahoo.com/mrss/' "
        "xmlns:content='http://purl.org/rss/1.0/modules/content/'><channel><title>Wire</title>" + "".join(
            f"<item><title>{title}</title><link>https://wire.example/{n}</link><pubDate>Sat, 03 Feb 2024 0{n}:00:00 "
            f"GMT</pubDate>{inside}</item>" for n, (title, inside) in enumerate(items.items())) + "</channel></rss>",
        encoding="utf-8")
    result = _run(site, "import-feed", "wire.rss", "--lang", "en")
    assert result.returncode == 0, result.stderr
    drafts = {front["title"]: (front, text) for front, text in map(_front, (site.root / "content").rglob("*.md"))}
    assert {title: drafts[title][0]["image"]["alt"] for title in items} == {
        "Harbour lights return": "Boats at dusk", "Market hours extended": "Stalls at noon",
        "Bridge reopens to traffic": "The bridge & its lamps", "Library adds a wing": "Readers in the new hall"}
    assert {title: drafts[title][0].get("summary") for title in items} == {
        "Harbour lights return": "The harbour story, told in full.", "Market hours extended": "Shops stay open later.",
        "Bridge reopens to traffic": "Cars cross again.", "Library adds a wing": "The wing opens Monday."}
    assert drafts["Market hours extended"][1] == "The market story, told in full."
    assert drafts["Bridge reopens to traffic"][1] == "Cars cross again."
    assert "without a description" not in result.stderr


def _hostile_feed(mode: str) -> LocalServer:
    """A server that sends a feed without end ("endless"), or its headers and then nothing ("stall")."""
    items = b"<?xml version='1.0'?><rss version='2.0'><channel><title>x</title>" if mode == "endless" else b""
    return LocalServer(items + b"<item><title>again</title></item>" * 2000, "application/rss+xml", mode)


def test_a_feed_without_end_is_refused_at_its_size_bound_under_a_memory_cap(site):
    site.write({})
    hostile = _hostile_feed("endless")
    try:
        result = site.cli(hostile.url, command="import-feed", memory_mb=1024, timeout=90)
    finally:
        hostile.close()
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert result.stderr.startswith(f"error: {hostile.url}: more than 20 MB — a feed is a few hundred KB")
    assert _content(site) == {}


def test_a_server_that_stops_answering_does_not_hang_the_import(site, monkeypatch):
    import generator.feedimport as feedimport
    from generator.config import load_config
    from generator.errors import MujazError

    site.write({})
    monkeypatch.setattr(feedimport, "FETCH_SECONDS", 1.0)  # the same bound as 60 s, sooner
    hostile = _hostile_feed("stall")
    try:
        with pytest.raises(MujazError, match=r"not a readable RSS or Atom feed \(no answer within 1 s\)"):
            feedimport.feed_drafts(load_config(site.root / "config.yaml"), hostile.url)
    finally:
        hostile.close()


CHANNEL_FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>قناة الأخبار</title><language>ar</language>
<item><title>🔴 عاجل | انقطاع الكهرباء عن أحياء في المدينة</title><link>https://t.example/c/101</link>
<pubDate>Fri, 26 Jan 2024 09:00:00 GMT</pubDate><description>عادت الكهرباء بعد ساعتين.</description></item>
<item><title>📍 افتتاح جسر جديد فوق النهر | فيديو</title><link>https://t.example/c/102</link>
<pubDate>Fri, 26 Jan 2024 10:00:00 GMT</pubDate><description>افتتح الجسر صباح اليوم.</description></item>
<item><title>⚡️ Breaking: port reopens after the storm</title>
<pubDate>Fri, 26 Jan 2024 11:00:00 GMT</pubDate><description>Ships are moving again.</description></item>
<item><title>عاجل</title><link>https://t.example/c/104</link>
<pubDate>Fri, 26 Jan 2024 12:00:00 GMT</pubDate><description>نص.</description></item>
</channel></rss>
"""


def test_a_channel_s_feed_gives_headlines_without_its_emoji_and_urgency_labels(site):
    """A feed made from a Telegram channel opens each title as its posts open: the emoji and the label go, as
    they do from a pasted post (the draft's title and its slug); a title that is the label alone stays."""
    site.write({}, config=BASE_CONFIG + "timezone: Asia/Riyadh\n")
    # The port story, imported by an earlier version with the label in its title (the item has no link).
    site.write({"content/2024/01/port.ar.md": article("⚡️ Breaking: port reopens after the storm",
                                                       "2024-01-26T14:00:00+03:00", draft="true")},
               config=BASE_CONFIG + "timezone: Asia/Riyadh\n")
    (site.root / "feed.rss").write_text(CHANNEL_FEED, encoding="utf-8")
    result = _run(site, "import-feed", "feed.rss")
    assert result.returncode == 0, result.stderr
    assert "skipped 1 already imported" in result.stdout.splitlines()[-1]
    titles = {path: _front(site.root / "content" / path)[0]["title"] for path in _content(site) if path != "2024/01/port.ar.md"}
    assert titles == {"2024/01/nqt-lkhrb-n-hy-fy-lmdynh.ar.md": "انقطاع الكهرباء عن أحياء في المدينة",
                      "2024/01/ftth-jsr-jdyd-fwq-lnhr.ar.md": "افتتاح جسر جديد فوق النهر",
                      "2024/01/jl.ar.md": "عاجل"}


def test_a_feed_s_long_description_becomes_a_summary_check_accepts(site):
    paragraph = "وصل الوفد إلى العاصمة صباح اليوم وبدأ جولة من المحادثات " * 12
    path, _ = _import_one(site, f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>نشرة</title><language>ar</language>
<item><title>وصول الوفد</title><link>https://news.example/1</link><pubDate>Fri, 26 Jan 2024 09:00:00 GMT</pubDate>
<description>{paragraph}</description></item></channel></rss>
""")
    summary = _front(path)[0]["summary"]
    assert summary.endswith("…") and len(summary) <= 300 and paragraph.startswith(summary[:-1])
    path.write_text(path.read_text(encoding="utf-8").replace("draft: true", "draft: false"), encoding="utf-8")
    assert "summary" not in site.cli(command="check").stderr


def test_what_a_feed_item_writes_as_text_is_shown_as_text_on_the_page(site):
    """An outlet writes about HTML, a ranking or a quotation: "[1](…)", "<b>", "# 2" and "> x" in its text are words,
    not a link, bold, a heading or a quotation, on the page the draft makes."""
    text = ("<p>The tag &lt;b&gt; makes text bold; write [1](https://a.example) for a link.</p>"
            "<p># 2 on the list</p><p>&gt; said the minister</p><p>1. not a list</p>")
    path, _ = _import_one(site, f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Tech desk</title><language>en</language>
<item><title>How pages are written</title><link>https://tech.example/2025/12/html/</link>
<pubDate>Sat, 20 Dec 2025 09:00:00 +0000</pubDate><description><![CDATA[{text}]]></description></item>
</channel></rss>""")
    # Its paragraphs apart in the summary too, which was "…for a link.# 2 on the list> said…".
    assert _front(path)[0]["summary"] == ("The tag <b> makes text bold; write [1](https://a.example) for a link. # 2 "
                                          "on the list > said the minister 1. not a list")
    path.write_text(path.read_text(encoding="utf-8").replace("draft: true", "draft: false"), encoding="utf-8")
    site.build()
    [page] = [p for p in site.output.rglob("index.html") if p.parent.name == path.name.split(".")[0]]
    from lxml import html as lxml_html

    article = lxml_html.fromstring(page.read_bytes()).xpath("//article")[0]
    paragraphs = [" ".join(p.text_content().split()) for p in article.xpath(".//p")]
    for written in ("The tag <b> makes text bold; write [1](https://a.example) for a link.", "# 2 on the list",
                    "> said the minister", "1. not a list"):
        assert written in paragraphs, paragraphs
    assert not article.xpath(".//b | .//h1[contains(., '2 on')] | .//blockquote | .//ol")


def test_a_feed_item_s_link_through_a_redirect_is_imported_as_the_page_s_own(site):
    _, body = _import_one(site, """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Desk</title><language>en</language>
<item><title>A report is out</title><pubDate>Sat, 20 Dec 2025 09:00:00 +0000</pubDate>
<description><![CDATA[<p>The <a href="https://l.facebook.com/l.php?u=https%3A%2F%2Fagency.example%2Freport&amp;h=AT0">report</a>
is out.</p>]]></description></item></channel></rss>""")
    assert body == "The [report](https://agency.example/report) is out."


def test_a_feed_of_an_archive_is_imported_a_hundred_items_a_run(site):
    """A feed can hold an archive's thousands of items: one import writes the first hundred new ones and says how
    many wait; the next import writes the next ones, the first skipped as imported."""
    site.write({})
    (site.root / "archive.xml").write_text(
        "<rss><channel><title>Archive</title>" + "".join(
            f"<item><title>Story number {n} from the archive</title><link>https://archive.example/{n}</link>"
            f"<pubDate>Sat, 03 Feb 2024 {n % 24:02d}:00:00 GMT</pubDate><description>Story {n}.</description></item>"
            for n in range(105)) + "</channel></rss>", encoding="utf-8")
    first = site.cli("archive.xml", "--lang", "en", command="import-feed")
    assert first.returncode == 0, first.stderr
    assert first.stderr.splitlines() == [
        "warning: archive.xml: holds 5 more new items than one import takes (100); these are its first 100 — import "
        "the feed again for the next"]
    assert len(list((site.root / "content").rglob("*.md"))) == 100
    second = site.cli("archive.xml", "--lang", "en", command="import-feed")
    assert second.returncode == 0 and second.stderr == "", second.stderr
    assert second.stdout.splitlines()[-1] == "Imported 5 drafts, skipped 100 already imported; set draft: false to publish."
    titles = {p.read_text(encoding="utf-8").split("title: ", 1)[1].split("\n", 1)[0]
              for p in (site.root / "content").rglob("*.md")}
    assert titles == {f"Story number {n} from the archive" for n in range(105)}
