"""Thirty pasted pages in the shapes of real outlets' pages: each read as an editor expects.

Every page in tests/fixtures/pasted/ is imported as `import` would import it, and its drafts are
compared with tests/fixtures/pasted/expected.yaml: title, dates, source, byline, tags, summary,
the paragraphs kept, the furniture dropped, the further stories and their pins, and the warnings
that name each guess. Then the whole folder goes through the command line at once.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import BASE_CONFIG, NOW

from generator.config import load_config
from generator.importer import import_pages
from generator.pagefile import PageFile

PAGES = Path(__file__).parent / "fixtures" / "pasted"
EXPECTED = yaml.safe_load((PAGES / "expected.yaml").read_text(encoding="utf-8"))
CONFIG = BASE_CONFIG + "timezone: Asia/Riyadh\n"


def _story_fields(draft) -> dict:
    return {
        "title": draft.title, "date": draft.when.isoformat(),
        "updated": draft.updated.isoformat() if draft.updated else None,
        "source": draft.source_name or None, "url": draft.source_url or None, "author": ", ".join(draft.authors) or None,
        "tags": list(draft.tags) or None, "summary": draft.summary or None,
        "paragraphs": len([p for p in draft.body.split("\n\n") if p.strip()]),
    }


def _expected_fields(expected: dict) -> dict:
    keys = ("title", "date", "updated", "source", "url", "author", "tags", "summary", "paragraphs")
    return {key: expected.get(key) for key in keys}


def test_the_folder_holds_thirty_pages_in_ten_shapes_and_each_has_its_expectations():
    pages = sorted(p.name for p in PAGES.glob("*.txt"))
    assert len(pages) >= 30 and pages == sorted(EXPECTED)
    shapes = {name.rsplit("-", 1)[0] for name in pages}
    assert len(shapes) >= 10, shapes


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_a_pasted_page_is_read_as_an_editor_expects(tmp_path, name):
    expected = EXPECTED[name]
    (tmp_path / "config.yaml").write_text(CONFIG, encoding="utf-8")
    config = load_config(tmp_path / "config.yaml")
    text = (PAGES / name).read_text(encoding="utf-8")
    result = import_pages(config, [PageFile(name, text)], expected.get("lang", "ar"), NOW)

    main, *further = result.drafts
    assert _story_fields(main) == _expected_fields(expected)
    for phrase in expected.get("keeps", []):
        assert phrase in main.body, phrase
    lines = [line.strip() for d in result.drafts
             for line in (d.title, d.summary, *d.authors, d.source_name, *d.body.split("\n")) if line.strip()]
    for phrase in expected.get("drops", []):
        assert not [line for line in lines if line.startswith(phrase)], phrase
    assert [_story_fields(d) for d in further] == [
        {**_expected_fields(story), "paragraphs": story["paragraphs"]} for story in expected.get("further", [])]
    assert main.related == tuple(d.slug for d in further), "the further stories are pinned, in page order"

    warnings = [str(w) for w in result.warnings]
    assert all(w.startswith(f"warning: {name}:") for w in warnings)
    for start in expected.get("warnings", []):
        assert any(w.startswith(f"warning: {name}:{start}") for w in warnings), (start, warnings)
    assert len(warnings) == len(expected.get("warnings", [])), warnings


def _run(root: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=root, input=stdin,
                          capture_output=True, text=True, timeout=120)


def _content(root: Path) -> dict[str, bytes]:
    folder = root / "content"
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()} if folder.exists() else {}


def test_every_page_at_once_a_dry_run_writes_nothing_and_a_second_import_adds_nothing(site):
    arabic = sorted(n for n in EXPECTED if EXPECTED[n].get("lang", "ar") == "ar")
    site.write({}, config=CONFIG)
    for name in arabic:
        (site.root / name).write_text((PAGES / name).read_text(encoding="utf-8"), encoding="utf-8")
    stories = sum(1 + len(EXPECTED[n].get("further", [])) for n in arabic)

    dry = _run(site.root, "import", "--dry-run", *arabic)
    assert dry.returncode == 0, dry.stderr
    assert _content(site.root) == {}, "--dry-run writes nothing"
    assert dry.stdout.splitlines()[-1] == f"Would import {stories} drafts; nothing was written (--dry-run)."
    assert "  title:   الأهلي يتأهل إلى نصف نهائي دوري أبطال أفريقيا" in dry.stdout
    assert "  author:  سارة منصور" in dry.stdout
    assert "  text:    حجز الأهلي مقعده في نصف النهائي بعد فوزه بهدفين نظيفين على ضيفه … (3 paragraphs)" in dry.stdout

    result = _run(site.root, "import", *arabic)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == f"Imported {stories} drafts; set draft: false to publish."
    written = _content(site.root)
    assert len(written) == stories
    assert "egypt-daily-1.txt:14: the headline" in result.stderr, "warnings name the page and the line"

    # Published as they are, the drafts build, and check finds no error in any of them.
    for path in (site.root / "content").rglob("*.md"):
        path.write_text(path.read_text(encoding="utf-8").replace("draft: true", "draft: false"), encoding="utf-8")
    check = _run(site.root, "check")
    assert check.returncode == 0, check.stdout + check.stderr
    errors = [line for line in check.stdout.splitlines() + check.stderr.splitlines() if line.startswith("content/")]
    assert errors == [], errors
    site.build()
    [page] = [site.page(p.relative_to(site.output).as_posix()) for p in (site.output / "2024/02/02").glob("*/index.html")]
    assert page.findtext(".//h1") == "افتتاح محطة جديدة لتحلية مياه البحر في العين السخنة"
    assert page.xpath("string(//*[@class='byline'])") == "بقلم محمود عبد الرحيم"

    for path in (site.root / "content").rglob("*.md"):
        path.write_text(path.read_text(encoding="utf-8").replace("draft: false", "draft: true"), encoding="utf-8")
    before = _content(site.root)
    again = _run(site.root, "import", *arabic)
    assert again.returncode == 0, again.stderr
    assert again.stdout.splitlines()[-1] == f"Imported 0 drafts, skipped {stories} already imported; set draft: false to publish."
    assert _content(site.root) == before


def test_standard_input_is_a_page_too(site):
    site.write({}, config=CONFIG)
    page = (PAGES / "levant-syria-1.txt").read_text(encoding="utf-8")
    result = _run(site.root, "import", "-", stdin=page)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "Imported 2 drafts; set draft: false to publish."
    again = _run(site.root, "import", "-", stdin=page)
    assert "stdin:1: 'عودة الرحلات الجوية بين دمشق وعدة عواصم عربية' is already in content/2023/09/" in again.stdout
    refused = _run(site.root, "import", "-", stdin="شارك\nطباعة\n")
    assert refused.returncode == 1 and refused.stderr.startswith("stdin:1: no story found")
    assert refused.stderr.splitlines()[-1] == "Nothing was written."


def test_one_refused_page_among_several_writes_none_of_them(site):
    site.write({}, config=CONFIG)
    (site.root / "good.txt").write_text((PAGES / "tv-news-2.txt").read_text(encoding="utf-8"), encoding="utf-8")
    (site.root / "empty.txt").write_text("\n", encoding="utf-8")
    result = _run(site.root, "import", "good.txt", "empty.txt")
    assert result.returncode == 1 and "empty.txt:1: is empty" in result.stderr
    assert _content(site.root) == {}


def test_a_page_bigger_than_any_pasted_page_is_refused_before_it_is_read(site):
    site.write({}, config=CONFIG)
    result = subprocess.run([sys.executable, "-m", "generator", "import", "-"], cwd=site.root,
                            input=b"x" * (6 * 2**20), capture_output=True, timeout=60)
    assert result.returncode == 1
    assert result.stderr.decode().startswith("error: stdin: more than 5 MB — a pasted page is a few KB")
    assert _content(site.root) == {}


@pytest.mark.parametrize("label", ["عاجل |", "عاجل جدا |", "خبر عاجل:", "🔴 عاجل -", "Breaking news:"])
def test_an_urgency_label_before_a_headline_is_dropped_whatever_its_words(tmp_path, label):
    (tmp_path / "config.yaml").write_text(CONFIG, encoding="utf-8")
    config = load_config(tmp_path / "config.yaml")
    page = f"{label} زلزال بقوة ست درجات يضرب المنطقة\n\nشعر السكان بالهزة في عدة مدن، ولم ترد أنباء عن إصابات.\n"
    [draft] = import_pages(config, [PageFile("page.txt", page)], "ar", NOW).drafts
    assert draft.title == "زلزال بقوة ست درجات يضرب المنطقة"
