"""`python -m generator check`: an editor validates the site before pushing; nothing is written."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from conftest import BASE_CONFIG, REPO, Site, article
from generator import cards as cards_module
from generator.cards import FONT_FILE


def _check(site, *args: str) -> subprocess.CompletedProcess:
    return site.cli(*args, command="check")


def _files(site) -> set[str]:
    return {p.relative_to(site.root).as_posix() for p in site.root.rglob("*")}


def test_check_reports_warnings_and_coverage_and_writes_nothing(site):
    site.write({
        "content/2023/09/summit.ar.md": article("قمة في فوستوشني", "2023-09-13", summary="ملخص",
                                                 body="نص.\n\n![](/img/summit.jpg)\n"),
        "content/2023/09/summit.en.md": article("Summit at Vostochny", "2023-09-14", summary="Summary",
                                                 body='Text.\n\n<img src="/img/a.jpg" alt="Kim and Putin">\n'),
        "content/2023/10/rifle.ar.md": article("تبادل البنادق", "2023-10-01",
                                                body='نص.\n\n<img src="/img/rifle.jpg">\n'),
        "content/2023/11/visit.ar.md": article("دعوة لزيارة", "2023-11-01", summary="ملخص", subtitle="عنوان فرعي"),
        "static/img/summit.jpg": _photo(), "static/img/a.jpg": _photo(), "static/img/rifle.jpg": _photo(),
    })
    before = _files(site)
    result = _check(site)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    warnings = result.stderr.splitlines()
    assert "warning: content/2023/09/summit.ar.md:8: an image has no alt text — describe the picture for readers who cannot see it" in warnings
    assert "warning: content/2023/10/rifle.ar.md:7: an <img> has no alt text — describe the picture for readers who cannot see it" in warnings
    assert not any("summit.en.md" in w and "alt" in w for w in warnings), "that <img> has alt text"
    assert any(w.startswith("warning: content/2023/10/rifle.ar.md:1: no summary") for w in warnings)
    assert any(w.startswith("warning: content/2023/09/summit.en.md:1: dated 2023-09-14 but its translation "
                            "content/2023/09/summit.ar.md is dated 2023-09-13") for w in warnings)
    assert any(w.startswith("warning: content/2023/11/visit.ar.md:5: unknown front matter key 'subtitle' is ignored")
               for w in warnings)
    assert len([w for w in warnings if w.startswith("warning:")]) == 5
    table = result.stdout.splitlines()
    assert table[0].split() == ["language", "articles", "translated", "share"]
    assert table[1].split() == ["ar", "3", "1", "33%"]
    assert table[2].split() == ["en", "1", "1", "100%"]
    assert "untranslated (ar): content/2023/10/rifle.ar.md" in table
    assert "untranslated (ar): content/2023/11/visit.ar.md" in table
    assert table[-1] == "OK: 0 errors, 5 warnings; nothing was written."
    assert _files(site) == before, "check writes neither output/ nor a cache"


def test_check_exits_1_on_errors_from_every_stage(site):
    site.write({
        "content/a.ar.md": article("عنوان", "2023-02-30"),
        "content/b.ar.md": "---\ntitle: [unclosed\n---\n",
        "content/c.ar.md": article("عنوان", "2023-09-13", related="[no-such-story]", summary="س"),
    })
    result = _check(site)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert any(line.startswith("content/a.ar.md:3: ") and "2023-02-30" in line for line in lines)
    assert any(line.startswith("content/b.ar.md:2: ") for line in lines)
    assert result.stdout.splitlines()[-1].startswith("Found 2 errors")
    assert not (site.root / "output").exists()


def test_check_finds_clashes_pins_and_template_errors(site):
    site.write({
        "content/x/story.ar.md": article("أ", "2023-09-13", summary="س"),
        "content/y/story.ar.md": article("ب", "2023-09-13", summary="س"),
    })
    result = _check(site)
    assert result.returncode == 1
    assert "content/x/story.ar.md:1: has the same URL /2023/09/13/story/ as content/y/story.ar.md" in result.stderr

    site.write({"content/y/story.ar.md": article("ب", "2023-09-14", summary="س", related="[nowhere]"),
                "templates/article.html": "{% extends 'base.html' %}{% block main %}{{ article.title.upper( }}{% endblock %}"})
    result = _check(site)
    assert result.returncode == 1
    assert "warning: content/y/story.ar.md:5: related: no article has the slug 'nowhere'; pin ignored" in result.stderr
    assert "templates/article.html:1: template syntax error" in result.stderr


def test_check_accepts_the_sample_site(tmp_path):
    from conftest import REPO
    result = subprocess.run([sys.executable, "-m", "generator", "check", "--config", str(REPO / "config.yaml")],
                            cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "OK: 0 errors, 0 warnings; nothing was written."


# --- check after a build: it reads the build cache and renders only what the last build did not -------------

def _rendered(result: subprocess.CompletedProcess) -> tuple[int, int]:
    """(pages rendered, pages in the site) from check's report."""
    found = re.search(r"^Rendered ([\d,]+) of ([\d,]+) pages", result.stdout, re.M)
    assert found, result.stdout
    return int(found[1].replace(",", "")), int(found[2].replace(",", ""))


def _report(result: subprocess.CompletedProcess) -> tuple:
    """What an editor reads from check, but for the line on how many pages it rendered."""
    return (result.returncode, result.stderr,
            [line for line in result.stdout.splitlines() if not line.startswith("Rendered ")])


def _fresh_check(site, tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    """check of the same files in a copy of the site that no build ran in: it renders every page."""
    copy = tmp_path / "fresh-copy"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(site.root, copy, ignore=shutil.ignore_patterns(".cache", "output"))
    result = _check(Site(copy), *args)
    rendered, pages = _rendered(result)
    assert rendered == pages
    return result


def _state(site) -> dict[str, tuple[bytes, int]]:
    """Every file of the site folder, output/ and .cache/ included: bytes and modification time."""
    return {p.relative_to(site.root).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(site.root.rglob("*")) if p.is_file()}


def _photo() -> bytes:
    out = io.BytesIO()
    Image.linear_gradient("L").resize((900, 600)).convert("RGB").save(out, "JPEG")
    return out.getvalue()


# A theme change that breaks the page of one story only, as a template mistake that depends on content does.
_FAILS_FOR_LATER = "{% if article.slug == 'later' %}{{ article.no_such_field }}{% endif %}\n{% endblock %}"


def _stories() -> dict[str, str | bytes]:
    files: dict[str, str | bytes] = {"static/images/port.jpg": _photo()}
    for day in range(1, 9):
        tags = "[اقتصاد, موانئ]" if day % 2 else "[طاقة]"
        files[f"content/2023/09/story-{day}.ar.md"] = article(f"خبر رقم {day} عن الميناء", f"2023-09-{day:02d}",
                                                               summary="ملخص.", tags=tags, body=f"نص الخبر {day}.")
        files[f"content/2023/09/story-{day}.en.md"] = article(f"Port story number {day}", f"2023-09-{day:02d}",
                                                               summary="Summary.", tags="[economy]",
                                                               body=f"Story text {day}.")
    files["content/2023/09/story-3.en.md"] = article("Port story number 3", "2023-09-03", summary="Summary.",
                                                      image="{src: /images/port.jpg, alt: Cranes at the port}",
                                                      body="Text.\n\n![](/images/port.jpg)\n")
    default = (REPO / "themes/default/templates/article.html").read_text(encoding="utf-8")
    head, _, _ = default.rpartition("{% endblock %}")
    files["templates/article.html"] = head + _FAILS_FOR_LATER
    return files


def test_check_after_a_build_renders_only_what_the_build_did_not_and_reports_the_same(site, tmp_path):
    site.write(_stories())
    assert site.cli().returncode == 0
    before = _state(site)
    after_build = _check(site)
    assert after_build.returncode == 0, after_build.stderr
    rendered, pages = _rendered(after_build)
    assert pages > 50
    assert rendered == 0, "every page is as the build rendered it, 404.html and the sitemap included"
    assert _report(after_build) == _report(_fresh_check(site, tmp_path))
    # From a parsed file the cache keeps without its body, the missing alt text is still reported, at its line.
    assert "warning: content/2023/09/story-3.en.md:9: an image has no alt text" in after_build.stderr
    assert _state(site) == before, "check writes neither output/ nor the cache"

    # A draft whose page the template cannot render: the last build left it out, so it never rendered it.
    site.write({"content/2023/09/later.ar.md": article("خبر لاحق", "2023-09-09", summary="ملخص.", draft="true",
                                                        tags="[طاقة]")})
    assert site.cli().returncode == 0, "a build leaves drafts out"
    before = _state(site)
    with_draft = _check(site)
    assert with_draft.returncode == 1
    [error] = [line for line in with_draft.stderr.splitlines() if "no_such_field" in line]
    assert error.startswith("templates/article.html:") and error.endswith(
        "— it broke the page 2023/09/09/later/index.html, made from content/2023/09/later.ar.md"), error
    rendered, pages = _rendered(with_draft)
    # The draft's pages, the listings it joins and, in a site this small, the pages of most stories, whose
    # related lists it enters.
    assert 0 < rendered < pages
    assert _report(with_draft) == _report(_fresh_check(site, tmp_path))
    assert _state(site) == before

    # An edit not built yet: its story's pages are rendered, and the report is a full check's.
    (site.root / "content/2023/09/later.ar.md").unlink()
    site.write({"content/2023/09/story-5.ar.md": article("خبر رقم 5 عن الميناء", "2023-09-05", summary="ملخص جديد.",
                                                          tags="[اقتصاد, موانئ]", body="نص معدل.\n\n![](/x.png)\n")})
    edited = _check(site)
    assert edited.returncode == 0, edited.stderr
    assert "warning: content/2023/09/story-5.ar.md:9: an image has no alt text" in edited.stderr
    rendered, pages = _rendered(edited)
    assert 0 < rendered < pages
    assert _report(edited) == _report(_fresh_check(site, tmp_path))


def test_check_uses_the_cache_of_a_build_with_the_same_base_url_only(site):
    site.write(_stories())
    assert site.cli("--base-url", "https://example.net/news/").returncode == 0
    other = _check(site)
    rendered, pages = _rendered(other)
    assert rendered == pages, "a page's links differ with the address: nothing the build rendered applies"
    same = _check(site, "--base-url", "https://example.net/news/")
    assert same.returncode == 0, same.stderr
    rendered, pages = _rendered(same)
    assert rendered == 0 < pages


def test_a_damaged_cache_costs_check_a_full_render_never_a_traceback(site, tmp_path):
    site.write(_stories())
    assert site.cli().returncode == 0
    for path in (site.root / ".cache/mujaz").glob("*.pickle"):
        path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2])
    result = _check(site)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    rendered, pages = _rendered(result)
    assert rendered == pages
    assert _report(result) == _report(_fresh_check(site, tmp_path))


LONG_EN = ("Ministers from eleven coastal states agreed on Tuesday to share fishing data, fund joint patrols against "
           "illegal trawlers, and meet again in the spring to review quotas for the most threatened species")
LONG_AR = ("وزراء من إحدى عشرة دولة ساحلية يتفقون على تبادل بيانات الصيد وتمويل دوريات مشتركة لمكافحة سفن الصيد غير "
           "القانوني والاجتماع مجدداً في الربيع لمراجعة حصص الأنواع الأكثر تهديداً في المنطقة وإطلاق برنامج لحماية "
           "الشعاب المرجانية")
FITS_AR = ("الحكومة تعلن خطة لإصلاح شبكة المياه في المدن الساحلية خلال ثلاث سنوات بتمويل من صندوق التنمية الوطني "
           "وبمشاركة البلديات والجامعات الحكومية")


@pytest.mark.parametrize("cards", [True, False])
def test_check_warns_of_a_title_its_share_card_cuts(site, cards):
    assert len(FITS_AR) >= 130 and len(LONG_EN) > 180 and len(LONG_AR) > 210
    site.write({
        "content/2023/09/fish.en.md": article(LONG_EN, summary="Summary.", body="Text.", translation_key="fish"),
        "content/2023/09/fish.ar.md": article(LONG_AR, summary="ملخص.", translation_key="fish"),
        "content/2023/09/water.ar.md": article(FITS_AR, summary="ملخص."),
    }, config=BASE_CONFIG + ("" if cards else "images: {cards: false}\n"))
    result = _check(site)
    assert result.returncode == 0, result.stderr
    cut = [line for line in result.stderr.splitlines() if "share card" in line]
    if not cards:
        assert cut == [], "no card, nothing cut"
        return
    font = str(REPO / "themes/default/fonts" / FONT_FILE)
    for path, title, rtl in (("content/2023/09/fish.ar.md", LONG_AR, True), ("content/2023/09/fish.en.md", LONG_EN, False)):
        # What the card draws: its lines at the smallest size, the last ending in "…".
        _, lines = cards_module._fit(title, font, rtl)
        assert lines[-1].endswith(" …")
        shown = len(" ".join(lines).split()) - 1
        assert 0 < shown < len(title.split())
        assert f"warning: {path}:2: the title is {len(title)} characters long: its share card, which link previews " \
               f"show, cuts it after {shown} words — shorten it (under 130 characters fits in either language)" in cut
    assert len(cut) == 2, "the Arabic title of over 130 characters fits its card"


def test_a_gallery_of_pictures_without_alt_text_is_named_twenty_times_then_counted(site):
    site.write({"content/a.ar.md": article("معرض صور", summary="ملخص", body="\n\n".join(
        f'<img src="https://example.org/digest/p{i}.png">' for i in range(3000)))})
    result = _check(site)
    lines = [line for line in result.stderr.splitlines() if "alt text" in line]
    assert len(lines) == 21, lines[-3:]
    assert lines[0].startswith("warning: content/a.ar.md:6: an <img> has no alt text")
    assert lines[-1] == ("warning: content/a.ar.md:46: and 2,980 more pictures have no alt text — describe each, "
                         "then check again")


def test_a_translation_under_another_file_name_is_named_with_the_key_that_pairs_them(site):
    """`new --lang both` and the editing page give a story's translations one name; one written by hand may take
    another (قمة-الرياض.ar.md, riyadh-summit.en.md), and no language switcher joins them. The same day and the
    same picture name the likely pair; a story of that day with another picture, or of another day, is no pair."""
    site.write({
        "content/2023/09/قمة-الرياض.ar.md": article("قمة الرياض", summary="ملخص.", image="{src: /img/a.jpg, alt: قادة}"),
        "content/2023/09/riyadh-summit.en.md": article("Riyadh summit", summary="S.", image="{src: /img/a.jpg, alt: Leaders}"),
        "content/2023/09/port.en.md": article("Port opens", summary="S.", image="{src: /img/b.jpg, alt: A port}"),
        "content/2023/09/later.en.md": article("Summit ends", "2023-09-14", summary="S.",
                                               image="{src: /img/a.jpg, alt: Leaders}"),
        "static/img/a.jpg": _photo(), "static/img/b.jpg": _photo(),
    })
    table = _check(site).stdout.splitlines()
    assert ("untranslated (ar): content/2023/09/قمة-الرياض.ar.md — content/2023/09/riyadh-summit.en.md may be its "
            "translation (the same day and picture): give both translation_key: riyadh-summit") in table
    assert "untranslated (en): content/2023/09/port.en.md" in table
    assert "untranslated (en): content/2023/09/later.en.md" in table
    # Given the key, the two are one story in two languages: the Arabic page's switcher leads to the English one.
    for name in ("قمة-الرياض.ar.md", "riyadh-summit.en.md"):
        path = site.root / "content/2023/09" / name
        path.write_text(path.read_text().replace("summary:", "translation_key: riyadh-summit\nsummary:", 1))
    assert not any("riyadh-summit" in line or "قمة" in line for line in _check(site).stdout.splitlines())
    site.build()
    page = site.page("2023/09/13/قمة-الرياض/")
    assert page.xpath("//a[@hreflang='en']/@href") == ["/digest/en/2023/09/13/riyadh-summit/"]

