"""`python -m generator check`: an editor validates the site before pushing; nothing is written."""

from __future__ import annotations

import subprocess
import sys

from conftest import article


def _check(site) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", "check"], cwd=site.root,
                          capture_output=True, text=True, timeout=120)


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
        "static/img/summit.jpg": b"jpg", "static/img/a.jpg": b"jpg", "static/img/rifle.jpg": b"jpg",
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
