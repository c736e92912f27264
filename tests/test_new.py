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
