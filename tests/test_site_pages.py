"""Pages that are not news (About us, contact, a corrections policy): files of content/pages/, each at an
address of its own in each language, linked from the foot of every page, and in no list, feed or search."""

from __future__ import annotations

import io
import json
import shutil

from lxml import etree
from PIL import Image

from conftest import BASE_CONFIG, REPO, article


def page(title: str, body: str, **meta: object) -> str:
    """Front matter + body of one page of content/pages/: no date."""
    lines = ["---", f"title: {title!r}", *(f"{key}: {value}" for key, value in meta.items())]
    return "\n".join(lines) + "\n---\n" + body + "\n"


SITE = {
    "content/2023/09/floods.ar.md": article("فيضانات في درنة", "2023-09-12", "نص الخبر. [من نحن](/about/)",
                                            tags="[ليبيا]"),
    "content/2023/09/floods.en.md": article("Floods in Derna", "2023-09-12", "The story.", tags="[Libya]"),
    "content/pages/about.ar.md": page("من نحن", "نختار أهم الأخبار كل يوم.", summary="نشرة أخبار موجزة.", order=1),
    "content/pages/about.en.md": page("About us", "We choose the day's main news.", order=1),
    "content/pages/contact.ar.md": page("اتصل بنا", "راسلونا على البريد.", order=2),
    # No order: after the pages that have one.
    "content/pages/policy.ar.md": page("سياسة التصحيح", "نصحح الأخطاء ونقول ما صُحِّح.", order=3),
}


def _footer(tree) -> list[tuple[str, str]]:
    return [(a.text, a.get("href")) for a in tree.xpath('//footer//nav[@class="site-pages"]/a')]


def test_a_page_has_its_address_in_each_language_and_the_foot_of_every_page_links_it(site):
    result = site.write(SITE).build()
    assert not result.warnings, [str(w) for w in result.warnings]
    about = site.page("about/")
    assert about.get("lang") == "ar" and about.get("dir") == "rtl"
    assert about.xpath("//h1/text()") == ["من نحن"] and about.xpath('//p[@class="lede"]/text()') == ["نشرة أخبار موجزة."]
    assert about.xpath('string(//div[@class="body"])').strip() == "نختار أهم الأخبار كل يوم."
    assert about.xpath("//title/text()") == ["من نحن — موجز"]
    assert about.xpath('//meta[@name="description"]/@content') == ["نشرة أخبار موجزة."]
    assert about.xpath("//time") == [], "a page has no date"
    # Its link previews: its title and summary, and the site's icon (no share card of its own).
    assert about.xpath('//meta[@property="og:title"]/@content') == ["من نحن — موجز"]
    assert about.xpath('//meta[@property="og:description"]/@content') == ["نشرة أخبار موجزة."]
    assert about.xpath('//meta[@property="og:image"]/@content') == ["https://example.org/digest/icons/icon-512.png"]
    # Its translation: the language switcher leads to it, and each names the other as its alternate.
    assert about.xpath('//a[@class="lang-switch"]/@href') == ["/digest/en/about/"]
    assert about.xpath('//link[@hreflang="en"]/@href') == ["https://example.org/digest/en/about/"]
    english = site.page("en/about/")
    assert english.xpath("//h1/text()") == ["About us"] and english.get("dir") == "ltr"
    assert english.xpath('//a[@class="lang-switch"]/@href') == ["/digest/about/"]
    # A page in one language only: the switcher leads to the other language's home.
    assert site.page("contact/").xpath('//a[@class="lang-switch"]/@href') == ["/digest/en/"]

    arabic_links = [("من نحن", "/digest/about/"), ("اتصل بنا", "/digest/contact/"),
                    ("سياسة التصحيح", "/digest/policy/")]
    for route in ("", "2023/09/12/floods/", "tags/", "2023/", "about/", "search/", "404.html"):
        assert _footer(site.page(route)) == arabic_links, route
    for route in ("en/", "en/2023/09/12/floods/", "en/about/"):
        assert _footer(site.page(route)) == [("About us", "/digest/en/about/")], route
    (nav,) = site.page("").xpath('//nav[@class="site-pages"]')
    assert nav.get("aria-label") == "عن الموقع"


def test_a_page_is_in_the_sitemap_and_in_no_list_feed_or_search(site):
    site.write(SITE).build()
    for route in ("", "2023/", "2023/09/", "tags/", "en/"):
        listed = site.page(route).xpath("//main//a/@href")
        assert listed and not [href for href in listed if "about" in href or "contact" in href], route
    atom = {"a": "http://www.w3.org/2005/Atom"}
    feed = etree.fromstring((site.output / "feed.xml").read_bytes())
    assert feed.xpath("//a:entry/a:title/text()", namespaces=atom) == ["فيضانات في درنة"]
    news = etree.fromstring((site.output / "news-sitemap.xml").read_bytes())
    assert [loc for loc in news.xpath("//*[local-name()='loc']/text()")] == [
        "https://example.org/digest/2023/09/12/floods/", "https://example.org/digest/en/2023/09/12/floods/"]
    docs = json.loads((site.output / "search/docs-0.json").read_text("utf-8"))
    assert "من نحن" not in json.dumps(docs, ensure_ascii=False)
    sitemap = etree.fromstring((site.output / "sitemaps/pages.xml").read_bytes())
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    urls = sitemap.xpath("//s:url/s:loc/text()", namespaces=ns)
    assert {"https://example.org/digest/about/", "https://example.org/digest/en/about/",
            "https://example.org/digest/contact/"} <= set(urls)
    (about,) = sitemap.xpath('//s:url[s:loc="https://example.org/digest/about/"]', namespaces=ns)
    assert about.xpath("x:link/@hreflang", namespaces=ns) == ["ar", "en", "x-default"]
    index = (site.output / "sitemap.xml").read_text("utf-8")
    assert "https://example.org/digest/sitemaps/pages.xml" in index


def test_the_keys_of_a_story_on_a_page_are_named_once_and_ignored(site):
    site.write({"content/pages/about.ar.md": page("من نحن", "نص.", summary="ملخص.", date="2024-01-01",
                                                  tags="[أخبار]", category="عام")})
    result = site.cli()
    assert result.returncode == 0, result.stderr
    assert ("warning: content/pages/about.ar.md:4: date:, tags:, category: are a story's, and this is a page of "
            "content/pages/, which has no date, section or tags and is in no list or feed: they are ignored — "
            "delete them, or move the file out of content/pages/ if it is a story") in result.stderr
    assert not (site.output / "tags").exists() or "أخبار" not in (site.output / "tags/index.html").read_text("utf-8")
    assert site.page("about/").xpath("//h1/text()") == ["من نحن"]


def test_a_page_s_mistakes_stop_the_build_at_their_line_and_leave_output_as_it_was(site):
    site.write({"content/2023/a.ar.md": article("خبر", "2023-01-02")}).build()
    before = site.snapshot()
    site.write({"content/pages/about.ar.md": page("", "نص.", order="first"),
                "content/pages/tags.ar.md": page("الوسوم عندنا", "نص."),
                "content/pages/2024.ar.md": page("عام", "نص."),
                "content/pages/en.ar.md": page("بالإنجليزية", "نص.")})
    (site.root / "content/pages/about.ar.md").write_text("---\ntitle:\norder: first\n---\nنص.\n", encoding="utf-8")
    result = site.cli()
    assert result.returncode == 1 and "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("content/")]
    assert "content/pages/about.ar.md:2: title is empty — add a line title: … to the front matter" in errors
    assert ("content/pages/about.ar.md:3: order: must be a whole number, not 'first' — write order: 1 (the "
            "smallest first)") in errors
    assert len(errors) == 2, errors  # the other three are found once the files parse
    (site.root / "content/pages/about.ar.md").write_text("---\ntitle: من نحن\norder: ٢\n---\nنص.\n", encoding="utf-8")
    result = site.cli()
    assert result.returncode == 1
    assert ("content/pages/tags.ar.md:1: the page's address /tags/ is where the site keeps the site's own "
            "pages and files — name it another way: slug: about-tags (or rename the file)") in result.stderr
    assert "content/pages/2024.ar.md:1: the page's address /2024/ is where the site keeps a year of the " \
           "archive" in result.stderr
    assert "content/pages/en.ar.md:1: the page's address /en/ is where the site keeps the pages in another " \
           "language" in result.stderr
    assert site.snapshot() == before


def test_a_draft_page_is_neither_published_nor_linked_but_the_preview_shows_it(site):
    site.write({**SITE, "content/pages/contact.ar.md": page("اتصل بنا", "نص.", order=2, draft="true")})
    result = site.cli()
    assert result.returncode == 0, result.stderr
    assert not (site.output / "contact").exists()
    assert ("اتصل بنا", "/digest/contact/") not in _footer(site.page(""))
    assert "content/pages/contact.ar.md" in result.stdout  # counted among the drafts kept out
    site.build(drafts=True)
    assert ("اتصل بنا", "/digest/contact/") in _footer(site.page(""))
    assert site.page("contact/").xpath('//span[@class="badge"]/text()') == ["مسودة"]


def test_links_to_and_from_a_page_are_checked(site):
    site.write({**SITE, "content/pages/about.en.md": page("About us", "Our [policy](/policy/) and [more](/nowhere/).\n\n"
                                                          "[A story](../2023/09/floods.en.md)")})
    result = site.build()
    broken = [str(w) for w in result.warnings if "nowhere" in w.message]
    assert broken == ["warning: content/pages/about.en.md:4: links to '/digest/nowhere/', which is no page of the site — check "
                      "the address: a story is at /YYYY/MM/DD/<slug>/, a tag at /tags/<tag>/"]
    assert not [w for w in result.warnings if "policy" in w.message or "floods" in w.message]
    body = site.page("en/about/").xpath('//div[@class="body"]//a/@href')
    assert body == ["/digest/policy/", "/digest/nowhere/", "/digest/en/2023/09/12/floods/"]
    # A story's link to a page (/about/, in SITE) leads there: no warning for it.
    assert not [w for w in result.warnings if w.path.startswith("content/2023")]


def test_a_photo_on_a_page_is_offered_to_phones_in_its_resized_copies(site):
    out = io.BytesIO()
    Image.linear_gradient("L").resize((1600, 1000)).convert("RGB").save(out, "JPEG")
    site.write({"static/images/team.jpg": out.getvalue(),
                "content/pages/about.ar.md": page("من نحن", "فريق التحرير:\n\n![فريق التحرير في المكتب](/images/team.jpg)")})
    result = site.build()
    assert not result.warnings, [str(w) for w in result.warnings]
    (img,) = site.page("about/").xpath('//div[@class="body"]//img')
    assert img.get("alt") == "فريق التحرير في المكتب" and img.get("width") and img.get("srcset")
    for candidate in img.get("srcset").split(","):
        address = candidate.split()[0].removeprefix("/digest/")
        assert (site.output / address).is_file(), address


def test_editing_a_page_renders_it_alone_and_retitling_it_renders_every_page(site):
    site.write(SITE).build()
    edited = site.root / "content/pages/about.ar.md"
    edited.write_text(edited.read_text("utf-8").replace("كل يوم", "كل صباح"), encoding="utf-8")
    result = site.build()
    assert result.rendered == 1
    assert "كل صباح" in site.page("about/").xpath('string(//div[@class="body"])')

    edited.write_text(edited.read_text("utf-8").replace("title: 'من نحن'", "title: 'عن الموجز'"), encoding="utf-8")
    result = site.cli("--explain", "2023/09/12/floods/")
    assert result.returncode == 0, result.stderr
    assert ("2023/09/12/floods/index.html: rendered again: the pages every page's footer links changed (a page of "
            "content/pages/ added, removed, retitled or reordered)") in result.stdout
    assert ("عن الموجز", "/digest/about/") in _footer(site.page("2023/09/12/floods/"))
    assert ("عن الموجز", "/digest/about/") in _footer(site.page("404.html"))


def test_a_theme_copied_before_pages_existed_names_the_template_to_copy(site):
    shutil.copytree(REPO / "themes/default", site.root / "themes/old")
    (site.root / "themes/old/templates/page.html").unlink()
    site.write({"content/2023/a.ar.md": article("خبر", "2023-01-02"), "content/pages/about.ar.md": page("من نحن", "نص.")},
               config=BASE_CONFIG + "theme: old\n")
    result = site.cli()
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith("page.html: template 'page.html' not found; looked in ")
    assert "copy it from themes/default/templates/" in result.stderr


def test_check_reads_pages_with_the_stories(site):
    site.write(SITE)
    result = site.cli(command="check")
    assert result.returncode == 0, result.stdout + result.stderr
    # The translation table counts stories: a page has no date to pair by.
    assert "ar                 1           1    100%" in result.stdout, result.stdout
    assert "content/pages/contact.ar.md:1: no summary" in result.stdout + result.stderr
