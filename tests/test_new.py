"""`python -m generator new`: an editor starts an article from the command line."""

from __future__ import annotations

import subprocess
import sys



def _new(site, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", "new", *args], cwd=site.root,
                          capture_output=True, text=True, timeout=60)


def test_new_creates_drafts_in_both_languages_that_build(site):
    site.write({})
    result = _new(site, "قمة بين بوتين وكيم جونغ أون", "--lang", "both", "--date", "2023-09-13", "--tags", "روسيا, كوريا")
    assert result.returncode == 0, result.stderr
    ar = site.root / "content/2023/09/qmh-byn-bwtyn-wkym-jwngh-wn.ar.md"
    en = site.root / "content/2023/09/qmh-byn-bwtyn-wkym-jwngh-wn.en.md"
    assert ar.is_file() and en.is_file()
    assert "title: قمة بين بوتين وكيم جونغ أون\n" in ar.read_text(encoding="utf-8")
    assert site.build().pages.get("ar", 0) > 0
    assert not (site.output / "2023/09/13/qmh-byn-bwtyn-wkym-jwngh-wn").exists(), "a draft until the editor says so"
    site.build(drafts=True)
    page = site.page("2023/09/13/qmh-byn-bwtyn-wkym-jwngh-wn/")
    assert page.findtext(".//h1") == "قمة بين بوتين وكيم جونغ أون"
    assert [a.text for a in page.xpath("//ul[@class='tags']//bdi")] == ["روسيا", "كوريا"]


def test_new_never_overwrites(site):
    site.write({})
    assert _new(site, "Putin visits Pyongyang", "--lang", "en", "--date", "2024-06-19").returncode == 0
    path = site.root / "content/2024/06/putin-visits-pyongyang.en.md"
    path.write_text(path.read_text() + "The editor's text.\n")
    before = path.read_bytes()
    result = _new(site, "Putin visits Pyongyang", "--lang", "en", "--date", "2024-06-19")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "content/2024/06/putin-visits-pyongyang.en.md already exists — choose another --slug" in result.stderr
    assert path.read_bytes() == before
    assert _new(site, "Putin visits Pyongyang", "--lang", "en", "--date", "2024-06-19", "--slug", "putin-pyongyang-2").returncode == 0
    assert (site.root / "content/2024/06/putin-pyongyang-2.en.md").is_file()


def test_new_defaults_to_today_and_the_default_language(site):
    site.write({})
    assert _new(site, "خبر اليوم").returncode == 0
    [created] = list((site.root / "content").rglob("*.md"))
    assert created.name == "khbr-lywm.ar.md" and created.parent.parent.name.isdigit()


def test_new_reports_mistakes_in_one_line(site):
    site.write({})
    for args, message in ((["x", "--date", "13/09/2023"], "--date '13/09/2023' is not a date"),
                          (["x", "--lang", "fr"], "unknown language 'fr'"),
                          (["x", "--slug", "../up"], "slug '../up' is not usable"),
                          (["   "], "the title is empty")):
        result = _new(site, *args)
        assert result.returncode == 1 and message in result.stderr and "Traceback" not in result.stderr, args
    assert not (site.root / "content").exists() or not list((site.root / "content").rglob("*.md"))


def test_new_names_the_writers_given_and_each_one_s_page_lists_the_story(site):
    site.write({})
    result = _new(site, "Grain deal renewed", "--lang", "en", "--date", "2023-09-17",
                  "--author", "Sarah Al-Ahmad", "--author", "Khaled Youssef")
    assert result.returncode == 0, result.stderr
    path = site.root / "content/2023/09/grain-deal-renewed.en.md"
    assert "author:\n- Sarah Al-Ahmad\n- Khaled Youssef\n" in path.read_text(encoding="utf-8")
    assert _new(site, "Harvest begins", "--lang", "en", "--date", "2023-09-18", "--author", "Omar Nasser").returncode == 0
    assert "author: Omar Nasser\n" in (site.root / "content/2023/09/harvest-begins.en.md").read_text(encoding="utf-8")
    site.build(drafts=True)
    assert site.page("en/2023/09/17/grain-deal-renewed/").xpath('//span[@class="byline"]/a/@href') == [
        "/digest/en/authors/sarah-al-ahmad/", "/digest/en/authors/khaled-youssef/"]
    assert [a.text_content() for a in site.page("en/authors/omar-nasser/").xpath("//main//h2/a")] == ["Harvest begins"]


def test_new_page_starts_a_page_of_the_site_without_a_date(site):
    site.write({})
    result = _new(site, "من نحن", "--page", "--slug", "about", "--lang", "both")
    assert result.returncode == 0, result.stderr
    assert "Created content/pages/about.ar.md (a draft: set draft: false to publish)" in result.stdout
    text = (site.root / "content/pages/about.ar.md").read_text(encoding="utf-8")
    assert text == "---\ntitle: من نحن\ndraft: true\n---\n\n"
    page = site.root / "content/pages/about.ar.md"
    page.write_text(text.replace("draft: true", "draft: false") + "نشرة يومية تختصر الأخبار.\n", encoding="utf-8")
    result = site.build()
    assert [str(w) for w in result.warnings if "about.ar.md" in str(w)] == []
    assert site.page("about/").xpath("string(//h1)") == "من نحن"
    assert "/digest/about/" in site.page("").xpath("//footer//a/@href"), "linked from every page's footer"
    refused = _new(site, "Contact", "--page", "--date", "2023-09-13")
    assert refused.returncode == 1 and "a page has no date, tags or writer — leave out --date" in refused.stderr
    assert not (site.root / "content/pages/contact.ar.md").exists()
