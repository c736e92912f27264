"""A link written to another story's file leads to that story's page, as it does between files on GitHub."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from lxml import html as lxml_html

from conftest import BASE_CONFIG, article

LINKING = "content/2023/09/a.ar.md"
FILES = {
    LINKING: article("قمة الطاقة", "2023-09-13", summary="ملخص.", body=(
        "كما ذكرنا في [خبر الأمس](b.ar.md) وفي [ردود الفعل](b.ar.md#ردود-الفعل) وفي [التقرير](/content/2024/01/c.ar.md)"
        " و[النسخة الإنجليزية](/2024/01/c.en.md) و[الاسم وحده](c.en.md) و[مجلد آخر](../../2024/01/c.ar.md).\n")),
    "content/2023/09/b.ar.md": article("خبر الأمس", "2023-09-12", summary="ملخص.",
                                       body="نص.\n\n## رُدُودُ الفِعْل\n\nنص.\n"),
    "content/2024/01/c.ar.md": article("التقرير", "2024-01-05", summary="ملخص."),
    "content/2024/01/c.en.md": article("The report", "2024-01-05", summary="Summary.", body="Text."),
}


def _links(site, route: str) -> list[str]:
    return [a.get("href") for a in site.page(route).xpath("//main//article//p//a")]


def test_a_link_to_a_story_s_file_leads_to_its_page_in_every_way_an_editor_writes_it(site):
    site.write(FILES)
    result = site.build()
    assert not [str(w) for w in result.warnings if "links to" in str(w)]
    b, c_ar, c_en = "/digest/2023/09/12/b/", "/digest/2024/01/05/c/", "/digest/en/2024/01/05/c/"
    assert _links(site, "2023/09/13/a/") == [b, b + "#ردود-الفعل", c_ar, c_en, c_en, c_ar]
    for href in (b, c_ar, c_en):  # each leads to a page the build made
        assert (site.output / href.removeprefix("/digest/") / "index.html").is_file()
    # and the part: an Arabic heading's id is its words, without their diacritics (it was "_1")
    assert [h.text for h in site.page("2023/09/12/b/").xpath("//*[@id='ردود-الفعل']")] == ["رُدُودُ الفِعْل"]
    feed = ET.parse(site.output / "feed.xml").getroot()
    content = next(e for e in feed.iter("{http://www.w3.org/2005/Atom}content") if "خبر الأمس" in (e.text or ""))
    assert 'href="/digest/2023/09/12/b/"' in content.text and ".md" not in content.text


def test_the_link_follows_the_story_when_its_date_changes(site):
    site.write(FILES)
    site.build()
    site.write({"content/2023/09/b.ar.md": article("خبر الأمس", "2023-09-10", summary="ملخص.")})
    site.build()
    assert _links(site, "2023/09/13/a/")[:2] == ["/digest/2023/09/10/b/", "/digest/2023/09/10/b/#ردود-الفعل"]


def test_a_link_to_a_draft_or_a_mistyped_file_is_named_and_the_rest_of_the_site_builds(site):
    files = dict(FILES)
    files[LINKING] = article("قمة الطاقة", "2023-09-13", summary="ملخص.",
                             body="انظر [المسودة](d.ar.md) و[خطأ](bb.ar.md) و[ملف غائب](zzz.ar.md).\n")
    files["content/2023/09/d.ar.md"] = article("مسودة", "2023-09-11", summary="ملخص.", draft="true")
    site.write(files)
    printed = site.cli().stderr
    assert ("warning: content/2023/09/a.ar.md:6: links to 'd.ar.md', the file of a story not on the site yet (a "
            "draft) — publish that story first, or leave the link out until it is") in printed
    assert ("warning: content/2023/09/a.ar.md:6: links to 'bb.ar.md', which is no story's file in content/ — did you "
            "mean b.ar.md? A story's file is found from this story's folder, from /content/, or by its name alone") in printed
    assert ("warning: content/2023/09/a.ar.md:6: links to 'zzz.ar.md', which is no story's file in content/ — a "
            "story's file is found from this story's folder, from /content/, or by its name alone") in printed
    # Once published, the draft is linked.
    files["content/2023/09/d.ar.md"] = article("مسودة", "2023-09-11", summary="ملخص.")
    site.write(files)
    site.build()
    assert _links(site, "2023/09/13/a/")[0] == "/digest/2023/09/11/d/"


def test_a_name_two_folders_hold_is_not_guessed(site):
    site.write({**FILES, "content/2022/c.en.md": article("Another report", "2022-03-01", summary="S.", body="T."),
                LINKING: article("قمة", "2023-09-13", summary="ملخص.", body="[التقرير](c.en.md)\n")}, BASE_CONFIG)
    printed = site.cli().stderr
    assert "links to 'c.en.md', which is no story's file in content/" in printed
    assert _links(site, "2023/09/13/a/") == ["c.en.md"]


def test_the_preview_shows_an_edited_story_s_links_to_other_files_at_once(site):
    from generator.build import BuildOptions, build
    from generator.config import load_config
    from generator.content import scan_content
    from generator.rebuild import render_edited

    site.write(FILES)
    model = build(BuildOptions(config_path=site.root / "config.yaml", keep_model=True)).model
    site.write({LINKING: article("قمة الطاقة", "2023-09-13", summary="ملخص.", body="جديد: [خبر الأمس](b.ar.md).\n")})
    sources = [s for s in scan_content(load_config(site.root / "config.yaml"))[0] if s.path == LINKING]
    [(name, data)] = render_edited(model, sources)
    assert name == "2023/09/13/a/index.html"
    assert lxml_html.fromstring(data).xpath("//main//article//p//a/@href") == ["/digest/2023/09/12/b/"]


def test_a_story_s_address_copied_from_the_browser_leads_within_the_site_and_is_checked(site):
    """An editor copies a story's address from the published site. Written from the site's root, it leads within
    the preview too, and `check` names it when it leads nowhere (a story that moved, a typo)."""
    site.write({**FILES, LINKING: article("قمة الطاقة", "2023-09-13", summary="ملخص.", body=(
        "[أمس](https://example.org/digest/2023/09/12/b/) و[الرئيسية](http://EXAMPLE.org/digest) "
        "و[غائب](https://example.org/digest/2023/09/11/b/#x) و[موقع آخر](https://example.org/other/) "
        "و<a href=\"https://example.org/digest/en/\">raw</a>\n"))})
    printed = site.cli()
    assert [line for line in printed.stderr.splitlines() if "links to" in line] == [
        "warning: content/2023/09/a.ar.md:6: links to '/digest/2023/09/11/b/#x', which is no page of the site — "
        "check the address: a story is at /YYYY/MM/DD/<slug>/, a tag at /tags/<tag>/"]
    assert _links(site, "2023/09/13/a/") == ["/digest/2023/09/12/b/", "/digest/", "/digest/2023/09/11/b/#x",
                                             "https://example.org/other/", "/digest/en/"]


def test_an_address_copied_from_the_preview_leads_within_the_site_and_one_it_cannot_serve_is_named(site):
    """An editor copies a story's address from the preview's address bar (`serve`: http://127.0.0.1:8000/…). Under
    the site's base path it is the story's address from the site's root; elsewhere (another program's preview, or
    without the base path) no reader can open it, and the build says so at its line."""
    site.write({**FILES, LINKING: article("قمة الطاقة", "2023-09-13", summary="ملخص.", body=(
        "[أمس](http://127.0.0.1:8000/digest/2023/09/12/b/) و[الرئيسية](http://localhost:8000/digest/)\n\n"
        "[غائب](http://localhost:1313/posts/b/) و[خارج](http://[::1]:8000/2023/09/12/b/)\n\n"
        "![صورة](http://127.0.0.1:8000/images/port.jpg)\n"))})
    printed = site.cli()
    assert [line for line in printed.stderr.splitlines() if "preview" in line] == [
        "warning: content/2023/09/a.ar.md:8: links to 'http://localhost:1313/posts/b/', an address of a preview on a "
        "computer, which no reader can open — write the address from the site's root: the part after the port, "
        "'/posts/b/'",
        "warning: content/2023/09/a.ar.md:8: links to 'http://[::1]:8000/2023/09/12/b/', an address of a preview on a "
        "computer, which no reader can open — write the address from the site's root: the part after the port, "
        "'/2023/09/12/b/'",
        "warning: content/2023/09/a.ar.md:10: an image is at 'http://127.0.0.1:8000/images/port.jpg', an address of a "
        "preview on a computer, which no reader can open — write the address from the site's root: the part after "
        "the port, '/images/port.jpg'"]
    assert _links(site, "2023/09/13/a/")[:2] == ["/digest/2023/09/12/b/", "/digest/"]


def test_only_addresses_on_the_site_itself_are_read_as_its_own():
    from generator.urls import on_this_site

    base = "https://user.github.io/repo/"
    assert on_this_site("https://user.github.io/repo/2023/09/12/b/?q=1#x", base) == "/repo/2023/09/12/b/?q=1#x"
    assert on_this_site("HTTP://User.GitHub.io/repo", base) == "/repo/"
    for elsewhere in ("https://user.github.io/repository/", "https://user.github.io/other/", "https://evil.io/repo/",
                      "https://user.github.io.evil.io/repo/", "ftp://user.github.io/repo/", "/repo/", "mailto:x@y"):
        assert on_this_site(elsewhere, base) is None, elsewhere
    assert on_this_site("https://user.github.io/repo/", "/repo/") is None, "a base path alone names no host"
    # The preview serves the site under its base path on this computer, whatever the port.
    for preview in ("http://127.0.0.1:8000/repo/2023/", "http://LOCALHOST:5500/repo/2023/", "http://[::1]/repo/2023/",
                    "http://0.0.0.0:8000/repo/2023/"):
        assert on_this_site(preview, base) == "/repo/2023/", preview
        assert on_this_site(preview, "/repo/") == "/repo/2023/", "a base path alone is enough for the preview"
    for elsewhere in ("http://localhost:8000/other/", "http://localhost.evil.io/repo/", "http://127.0.0.1.evil.io/repo/",
                      "http://10.0.0.1:8000/repo/"):
        assert on_this_site(elsewhere, base) is None, elsewhere


@pytest.mark.slow  # 300 stories built under a memory cap: make test-slow, and CI
def test_thousands_of_links_to_mistyped_files_cost_twenty_searches_for_a_close_name(site):
    """Each search for the closest name compares it with every story's; a fork's pages could hold thousands."""
    links = " ".join(f"[{i}](story-{i}.ar.mdx.md)" for i in range(20))
    site.write({f"content/s/story-{n}.ar.md": article(f"خبر {n}", summary="ملخص.", body=links) for n in range(300)})
    built = site.cli(memory_mb=2000, timeout=120)
    assert built.returncode == 0, built.stderr
    warned = [line for line in built.stderr.splitlines() if "which is no story's file in content/" in line]
    assert len(warned) == 300 * 20
    assert sum("did you mean" in line for line in warned) == 20


def test_a_heading_s_anchor_never_takes_an_id_the_theme_gives_the_page(site):
    """`## Main` is #main: the theme's own ids (the skip link's target, the related list's heading) are named so that
    no heading's words make them, and every id of the page is its one element's."""
    site.write({"content/2023/09/a.en.md": article("Budget passes", body=(
        "Intro.\n\n## Main\n\nThe main points.\n\n## Related heading\n\nMore.\n\n## Mujaz\n\nAbout us.")),
        "content/2023/09/b.en.md": article("Budget talks", "2023-09-12", body="The budget points.")})
    site.build()
    page = site.page("en/2023/09/13/a/")
    ids = page.xpath("//@id")
    assert len(ids) == len(set(ids)), sorted(ids)
    assert [h.text for h in page.xpath("//*[@id='main']")] == ["Main"], "a link to …/#main leads to the heading"
    [skip] = page.xpath("//a[@class='skip-link']/@href")
    assert page.xpath(f"//*[@id='{skip[1:]}']")[0].tag == "main", "the skip link still leads to the text"
    [related] = page.xpath("//aside[@class='related']/@aria-labelledby")
    assert page.xpath(f"//*[@id='{related}']")[0].getparent().tag == "aside"


def test_a_text_whose_headings_begin_at_one_hash_leaves_the_headline_the_page_s_one_h1(site):
    """A story written elsewhere, or pasted, heads its parts with #: the page's headline stays its only <h1> (what
    screen readers and search engines take as its name), and the parts keep their order below it."""
    site.write({"content/2023/09/a.ar.md": article("إقرار الميزانية", body=(
        "مقدمة.\n\n# البنود\n\nنص.\n\n## الإنفاق\n\nنص.\n\n# ردود الفعل\n\nنص.")),
        "content/2023/09/b.ar.md": article("نقاش الميزانية", "2023-09-12", body="مقدمة.\n\n## البنود\n\nنص.")})
    site.build()
    page = site.page("2023/09/13/a/")
    assert [h.text_content().strip() for h in page.xpath("//h1")] == ["إقرار الميزانية"]
    body = page.xpath("//div[@class='body']")[0]
    assert [(h.tag, h.text_content().strip()) for h in body.xpath(".//h2|.//h3")] == [
        ("h2", "البنود"), ("h3", "الإنفاق"), ("h2", "ردود الفعل")]
    # A text that begins at ## is left as it was written.
    other = site.page("2023/09/12/b/").xpath("//div[@class='body']")[0]
    assert [h.tag for h in other.xpath(".//h2|.//h3")] == ["h2"]

