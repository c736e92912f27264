"""Incremental, cached and parallel builds give exactly the output of a clean single-process build."""

from __future__ import annotations

import dataclasses
import io
import multiprocessing
import os
import pickle
import shutil
import time
from pathlib import Path

import pytest

import generator.build
import generator.content
import generator.pipeline
import generator.related
from conftest import BASE_CONFIG, NOW, Site, article, check_beside, read_cache_file
from generator import writer
from generator.build import CACHE_DIR
from generator.cache import _KEYED, BuildCache, _shard
from generator.errors import BuildError
from generator.pagegraph import FamilyRecord
from generator.sitemap import SitemapEntry
from generator.manifest import CHECK_PARTS, Manifest, pack_folders

TOPICS = ["روسيا", "كوريا", "اقتصاد", "طاقة", "فضاء"]


def _stories() -> dict[str, str]:
    files = {}
    for i in range(12):
        day = f"2023-{1 + i % 3:02d}-{10 + i % 5:02d}"
        tags = f"[{TOPICS[i % 5]}, {TOPICS[(i + 2) % 5]}]"
        body = f"خبر عن {TOPICS[i % 5]} و{TOPICS[(i + 1) % 5]}. " * 20
        if i == 6:  # an hour the site's time zone places, and HTML the Markdown settings decide about
            day, body = day + " 23:30", body + "\n\n<mark>مهم</mark>"
        if i == 0:  # a link to another story's file shows that story's address, which its date decides
            body += "\n\n[الخبر الثاني](s2.ar.md#x)"
        # Two sections in Arabic, each with its pages and its feed; one story with none.
        section = {} if i == 11 else {"category": "سياسة" if i % 2 else "اقتصاد"}
        if i % 4 == 0:  # a writer's page lists her stories
            section["author"] = "سارة الأحمد"
        if i == 9:  # the home page leads with it
            section["pinned"] = "true"
        files[f"content/2023/s{i}.ar.md"] = article(f"خبر رقم {i} عن {TOPICS[i % 5]}", day, body, tags=tags, **section)
        if i % 3:
            files[f"content/2023/s{i}.en.md"] = article(f"Story {i} on {TOPICS[i % 5]}", day, f"Story {i}. " * 20,
                                                        category="World")
    # Pages of content/pages/, which the foot of every page links: one links a story by its file.
    files["content/pages/about.ar.md"] = "---\ntitle: من نحن\norder: 1\n---\nنشرة موجزة. [خبر](../2023/s2.ar.md)\n"
    files["content/pages/about.en.md"] = "---\ntitle: About us\norder: 1\n---\nA short digest.\n"
    return files


def _edit(site: Site, rel: str, old: str, new: str) -> None:
    path = site.root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, (old, rel)
    path.write_text(text.replace(old, new), encoding="utf-8")


CHANGES = {
    "edit_body": lambda s: _edit(s, "content/2023/s4.ar.md", "خبر عن", "نبأ عن"),
    "edit_title": lambda s: _edit(s, "content/2023/s4.en.md", "Story 4 on", "Updated story 4 on"),
    "add": lambda s: s.write({"content/2023/new.ar.md": article("خبر جديد عن روسيا", "2023-03-20", "روسيا " * 30)}),
    "delete": lambda s: (s.root / "content/2023/s5.en.md").unlink(),
    "rename": lambda s: (s.root / "content/2023/s7.ar.md").rename(s.root / "content/2023/s7-renamed.ar.md"),
    "translation_added": lambda s: s.write({"content/2023/s3.en.md": article("Story 3, now in English", "2023-01-13")}),
    "tag_changed": lambda s: _edit(s, "content/2023/s1.ar.md", "tags: [كوريا", "tags: [رياضة"),
    "section_changed": lambda s: _edit(s, "content/2023/s1.ar.md", "category: سياسة", "category: اقتصاد"),
    "author_changed": lambda s: _edit(s, "content/2023/s4.ar.md", "author: سارة الأحمد", "author: خالد يوسف"),
    "second_writer": lambda s: _edit(s, "content/2023/s8.ar.md", "author: سارة الأحمد", "author: [سارة الأحمد, خالد يوسف]"),
    # s0 links to s2's file: s0's page, which the edit leaves, shows s2's new address.
    "date_changed": lambda s: _edit(s, "content/2023/s2.ar.md", "date: 2023-03-12", "date: 2022-12-31"),
    "alias_added": lambda s: _edit(s, "content/2023/s2.ar.md", "date: 2023-03-12",
                                   "date: 2023-03-12\naliases: [/2023/03/01/s2-old/]"),
    "template_changed": lambda s: s.write({"templates/article.html": '{% extends "base.html" %}{% block main %}'
                                                                    "<h1>{{ article.title }}</h1>{% endblock %}"}),
    "theme_strings_changed": lambda s: (shutil.copytree(Path(__file__).parent.parent / "themes/default", s.root / "themes/mine"),
                                        _edit(s, "themes/mine/strings.yaml", "اقرأ أيضاً", "اقرأ كذلك"),
                                        _edit(s, "config.yaml", "default_language: ar", "default_language: ar\ntheme: mine")),
    "config_changed": lambda s: _edit(s, "config.yaml", "default_language: ar", "default_language: ar\nper_page: 3"),
    # Settings only pages show (cache.py keeps the content stages' work through them) and two they read.
    "site_title_changed": lambda s: _edit(s, "config.yaml", "en: Digest}", "en: The Digest}"),
    "page_settings_changed": lambda s: _edit(s, "config.yaml", "admin: false", "admin: false\nfeed_size: 2\n"
                                             "date: {digits: arab, hijri: true}\nimages: {cards: false}\n"
                                             "description: {ar: موجز الأخبار, en: The news in brief}\n"
                                             "publisher: {ar: دار الموجز, en: Mujaz House}\nauthor: Desk\n"
                                             "share: [telegram, email]"),
    "language_changed": lambda s: _edit(s, "config.yaml", "{code: ar, name: العربية,", "{code: ar, name: عربي, locale: ar_LB,"),
    "timezone_changed": lambda s: _edit(s, "config.yaml", "admin: false", "admin: false\ntimezone: Asia/Tokyo"),
    "raw_html_changed": lambda s: _edit(s, "config.yaml", "admin: false", "admin: false\nmarkdown: {raw_html: false}"),
    "related_changed": lambda s: _edit(s, "config.yaml", "admin: false", "admin: false\nrelated: {count: 2, title_weight: 1}"),
    "static_added": lambda s: s.write({"static/images/a.txt": "x"}),
    # The icons are drawn from it, and every page links them and the manifests where they linked the drawn ones.
    "logo_added": lambda s: (s.write({"static/logo.png": _logo()}, config=(s.root / "config.yaml").read_text("utf-8")),
                             _edit(s, "config.yaml", "admin: false", "admin: false\nlogo: /logo.png")),
    "pinned": lambda s: _edit(s, "content/2023/s3.ar.md", "date: 2023-01-13", "date: 2023-01-13\npinned: true"),
    "unpinned": lambda s: _edit(s, "content/2023/s9.ar.md", "pinned: true", "pinned: false"),
    "page_edited": lambda s: _edit(s, "content/pages/about.ar.md", "نشرة موجزة.", "نشرة أخبار موجزة."),
    "page_retitled": lambda s: _edit(s, "content/pages/about.ar.md", "title: من نحن", "title: عن الموجز"),
    "page_added": lambda s: s.write({"content/pages/contact.ar.md": "---\ntitle: اتصل بنا\n---\nراسلونا.\n"}),
    "page_removed": lambda s: (s.root / "content/pages/about.en.md").unlink(),
    # Five new stories spell a tag four old ones share another way: the old stories' pages now show it so.
    "tag_spelling_outvoted": lambda s: s.write({f"content/2023/space{i}.ar.md": article(
        f"خبر فضاء {i}", "2023-02-01", "الفضاء " * 30, tags="[الفضاء]") for i in range(5)}),
}


def _logo() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (300, 200), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def _clean_build_of(site: Site, tmp_path: Path) -> dict[str, bytes]:
    clean = Site(tmp_path / "clean")
    shutil.copytree(site.root, clean.root, ignore=shutil.ignore_patterns("output", ".cache", ".output-*"))
    clean.build(cache=False, jobs=1)
    return clean.snapshot()


def test_an_edit_an_added_story_and_a_removed_one_update_the_search_index_in_place(site, tmp_path, monkeypatch):
    """The index of the edited language is changed where the stories changed (not built again from every
    story's words), and its files are a clean build's, byte for byte."""
    import generator.search

    outcomes = []
    update = generator.search.update_index
    monkeypatch.setattr(generator.search, "update_index", lambda *args: outcomes.append(update(*args)) or outcomes[-1])
    site.write({f"content/2023/05/s{i:02}.ar.md": article(f"خبر رقم {i} عن الحصاد", f"2023-05-{i + 1:02}",
                                                          f"نص قصير عن موسم القمح والزيتون رقم {i}.") for i in range(20)})
    site.build()
    steps = {
        "edited": lambda: site.write({"content/2023/05/s05.ar.md": article(
            "خبر رقم 5 عن الحصاد", "2023-05-06", "نص قصير عن موسم القمح رقم 5، وعن مطر الربيع المتأخر.")}),
        "added": lambda: site.write({"content/2023/05/s99.ar.md": article(
            "خبر جديد عن الحصاد", "2023-05-28", "الحصاد بدأ في السهول الشمالية.")}),
        "removed": lambda: (site.root / "content/2023/05/s10.ar.md").unlink(),
        # A new date moves the story among the others: it is removed from one place and added at another.
        "redated": lambda: _edit(site, "content/2023/05/s03.ar.md", "2023-05-04", "2023-05-17"),
    }
    for step, change in steps.items():
        change()
        outcomes.clear()
        site.build()
        assert len(outcomes) == 1 and outcomes[0] is not None, f"{step}: the Arabic index was updated in place"
        searched = {name: data for name, data in site.snapshot().items() if name.startswith("search/")}
        assert searched == {name: data for name, data in _clean_build_of(site, tmp_path / step).items()
                            if name.startswith("search/")}, step
    assert generator.search.search_terms("المتأخر")[0] in (site.output / "search/terms-0.json").read_text("utf-8")


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_an_incremental_build_equals_a_clean_build(site, tmp_path, change):
    site.write(_stories())
    site.build()
    site.build()  # the second build leaves a spare generation, so the next one recycles it
    CHANGES[change](site)
    result = site.build()
    assert site.snapshot() == _clean_build_of(site, tmp_path)
    assert not list(site.root.glob(".output-staging-*"))
    if change.startswith("edit_"):
        total = sum(result.pages.values()) + 2  # feeds and sitemap
        assert 0 < result.rendered < total / 2, f"an edit re-rendered {result.rendered} of {total} pages"


@pytest.mark.slow  # 13 s; each of these changes alone is compared with a clean build in make test (above)
def test_a_chain_of_changes_stays_equal_to_clean_builds(site, tmp_path):
    site.write(_stories())
    site.build()
    for i, change in enumerate(sorted(CHANGES)):
        CHANGES[change](site)
        site.build()
        assert site.snapshot() == _clean_build_of(site, tmp_path / str(i)), f"after {change}"


def test_a_build_with_nothing_changed_renders_nothing_and_keeps_every_file(site):
    site.write(_stories())
    site.build()
    inodes = {p: p.stat().st_ino for p in site.output.rglob("*") if p.is_file()}
    for _ in range(3):
        assert site.build().rendered == 0
        assert {p: p.stat().st_ino for p in site.output.rglob("*") if p.is_file()} == inodes


def test_a_build_with_nothing_changed_reads_the_manifest_of_output_packed(site, monkeypatch):
    """The cache keeps output/'s files as names, tags and stamps, and a build with nothing to do checks output/
    from the names and stamps without making the dictionary of every file (0.4 s at 100,000 stories a
    language); a build with work to do makes it, as it rewrites what is not as the manifest says."""
    site.write(_stories())
    site.build()
    manifest = read_cache_file(site.root / ".cache/mujaz/state.pickle")[1]["output"]
    assert "files" not in vars(manifest) and manifest.file_names and manifest.file_stamps
    assert {rel for rel, _ in manifest.stamps()} == {p.relative_to(site.output).as_posix()
                                                     for p in site.output.rglob("*") if p.is_file()}
    unpacked = []
    files = Manifest.files.func
    monkeypatch.setattr(Manifest, "files", property(lambda self: unpacked.append(1) or files(self)))
    assert site.build().rendered == 0
    assert not unpacked
    _edit(site, "content/2023/s4.ar.md", "خبر عن", "نبأ عن")
    assert site.build().rendered > 0
    assert unpacked


def test_a_parallel_build_equals_a_single_process_build(site, tmp_path):
    site.write(_stories())
    site.build(cache=False, jobs=1)
    single = site.snapshot()
    parallel = Site(tmp_path / "parallel")
    shutil.copytree(site.root, parallel.root, ignore=shutil.ignore_patterns("output"))
    result = parallel.build(cache=False, jobs=2)
    copies = [".nojekyll", writer.MARKER] + [f for f in single if f.startswith(("assets/", "icons/"))]  # the theme's CSS and script, the icons
    cards = [f for f in single if f.endswith(("/card.jpg", "/card.png"))]  # drawn beside the pages, not rendered from templates
    assert cards and result.rendered == len(single) - len(copies) - len(cards)  # every page rendered, in the workers
    assert parallel.snapshot() == single


def test_a_fresh_checkout_with_the_cache_restored_renders_only_changed_markdown(site, tmp_path, monkeypatch):
    """The Pages workflow restores .cache/mujaz/ into a fresh checkout: no output/, no spare."""
    import generator.build

    site.write(_stories())
    site.build()
    site.build()
    for folder in [site.output, *site.root.glob(".output-*")]:
        shutil.rmtree(folder)
    _edit(site, "content/2023/s4.ar.md", "خبر عن", "نبأ عن")
    bodies, words, indexed = [], [], []
    monkeypatch.setattr(generator.pipeline, "render_bounded", lambda text, *a: bodies.append(text) or
                        generator.markup.render_bounded(text, *a))
    count, entry = generator.related._term_counts, generator.search.article_entry
    monkeypatch.setattr(generator.related, "_term_counts", lambda job, i: words.append(i) or count(job, i))
    monkeypatch.setattr(generator.search, "article_entry", lambda article, stems: indexed.append(article.path) or
                        entry(article, stems))
    site.build(jobs=1)
    assert len(bodies) == 1 and "نبأ عن" in bodies[0]
    # The related and search stages' memos came back from the cache whole: one story's words read again.
    assert (len(words), indexed) == (1, ["content/2023/s4.ar.md"])
    assert site.snapshot() == _clean_build_of(site, tmp_path)


def _shards_an_edit_rewrites(site: Site, *patterns: str) -> tuple[list[Path], list[str]]:
    """A site of _stories() built, then one story edited and built again: the cache files matching `patterns`
    after the first build, and the names of those the second wrote again."""
    site.write(_stories())
    site.build()
    shards = [shard for pattern in patterns for shard in sorted((site.root / CACHE_DIR).glob(pattern))]
    for shard in shards:
        os.utime(shard, ns=(10**18, 10**18))  # so a file written again shows by its time
    _edit(site, "content/2023/s4.ar.md", "خبر عن", "نبأ عن")
    site.build()
    return shards, [shard.name for shard in shards if shard.stat().st_mtime_ns != 10**18]


def test_an_edit_rewrites_only_the_cache_shards_of_the_file_it_changed(site, tmp_path):
    _, rewritten = _shards_an_edit_rewrites(site, "documents-*.pickle", "rendered-*.pickle")
    rewritten = [name.split("-")[0] for name in rewritten]
    # Its parsed entry, and its rendered body: the old one's shard and the new one's (the same, or not).
    assert rewritten.count("documents") == 1 and rewritten.count("rendered") in (1, 2), rewritten
    assert site.snapshot() == _clean_build_of(site, tmp_path)
    site.write(_stories())  # back as it was: the shards hold what the first build's did
    site.build()
    (tmp_path / "again").mkdir()
    assert site.snapshot() == _clean_build_of(site, tmp_path / "again")


def test_an_edit_rewrites_only_the_page_graph_shards_it_changed(site, tmp_path):
    shards, rewritten = _shards_an_edit_rewrites(site, "graph-*.pickle")
    # Those of the page copies and families of the pages that show the story (its own, its listings, the related
    # lists it is in): a few dozen of 256 (with 32 shards an edit wrote most of them).
    assert len(shards) == 256 and 0 < len(rewritten) < len(shards) / 4, rewritten
    assert site.snapshot() == _clean_build_of(site, tmp_path)


def test_an_edit_reads_and_writes_only_the_records_and_index_shards_of_the_pages_it_plans(site, tmp_path, monkeypatch):
    """The pages' records and the index of the pages that show each article are read where a build asks: an edit
    reads the records of the pages it plans again and the index of the story it changed, not every page's
    (half of the state an edit read), and writes a new file only for a shard that changed."""
    site.write(_stories())
    site.build()
    before = {path.name for pattern in ("records-*.pickle", "shows-*.pickle")
              for path in (site.root / CACHE_DIR).glob(pattern)}
    held = sum(len(read_cache_file(path)[1]["records"]) for path in (site.root / CACHE_DIR).glob("records-*.pickle"))
    read, asked = [], []
    original, records = BuildCache._read, BuildCache.records

    def asking(cache, files):
        files = list(files)
        asked.extend(files)
        return records(cache, files)
    monkeypatch.setattr(BuildCache, "_read", lambda cache, name: read.append(name) or original(cache, name))
    monkeypatch.setattr(BuildCache, "records", asking)
    _edit(site, "content/2023/s4.ar.md", "خبر عن", "نبأ عن")
    result = site.build()
    after = {path.name for pattern in ("records-*.pickle", "shows-*.pickle")
             for path in (site.root / CACHE_DIR).glob(pattern)}
    # The records of the pages it planned again (the story's, its listings' and days', the lists it is in, and the
    # sitemap's and the other pages of no family, planned every build) and of none other: their shards only.
    assert 0 < len(set(asked)) < held / 2 and sum(result.pages.values()) > 50, (len(set(asked)), held)
    shards_asked = {_shard(file, _KEYED["records"]) for file in asked}
    assert {int(name.split("-")[1], 16) for name in read if name.startswith("records-")} <= shards_asked
    assert 0 < len([name for name in read if name.startswith("shows-")]) <= 2
    # The shards it did not change keep their files; those it changed have new ones, and the old are gone.
    assert before & after and after - before and len(after - before) < len(before) / 4
    assert site.snapshot() == _clean_build_of(site, tmp_path)


def test_shard_files_of_a_build_killed_before_it_saved_pages_pickle_are_not_read_and_are_removed(site, tmp_path):
    """A build killed after it wrote new record and index shards, and before pages.pickle (which names the file of
    each), leaves the last build's files named: the next build reads those, and removes the others."""
    site.write(_stories())
    site.build()
    first = {path.name: path.read_bytes() for path in (site.root / CACHE_DIR).glob("*.pickle")}
    _edit(site, "content/2023/s4.ar.md", "خبر عن", "نبأ عن")
    site.build()
    left = {path.name for path in (site.root / CACHE_DIR).glob("*.pickle")} - first.keys()
    assert any(name.startswith("records-") for name in left) and any(name.startswith("shows-") for name in left)
    for name, data in first.items():  # the killed build had written its shard files, and not yet the others
        if not name.startswith(("records-", "shows-")) or not (site.root / CACHE_DIR / name).exists():
            (site.root / CACHE_DIR / name).write_bytes(data)
    _edit(site, "content/2023/s4.ar.md", "نبأ عن", "نبأ جديد عن")
    site.build()
    assert site.snapshot() == _clean_build_of(site, tmp_path)
    _, state = read_cache_file(site.root / CACHE_DIR / "pages.pickle")
    named = {file for files in state["graph_files"].values() for file in files if file}
    assert named == {path.name for pattern in ("records-*.pickle", "shows-*.pickle")
                     for path in (site.root / CACHE_DIR).glob(pattern)}


def test_a_shard_file_of_the_page_graph_gone_from_the_cache_is_built_without_and_replaced(site, tmp_path):
    """The index of the pages that show each article cannot be read as empty, as a family can: a file pages.pickle
    names that is missing makes the cache one the build cannot use."""
    site.write(_stories())
    site.build()
    for path in (site.root / CACHE_DIR).glob("shows-*.pickle"):
        path.unlink()
    _edit(site, "content/2023/s4.ar.md", "خبر عن", "نبأ عن")
    result = site.cli()
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert "— built without it, and replaced it: nothing to do" in result.stderr
    assert site.snapshot() == _clean_build_of(site, tmp_path)


def _sharded_entries(site: Site) -> dict[str, dict]:
    """What the cache's shards hold, every shard's entries together: parsed files, rendered bodies, and the page
    graph's records, the index of the pages that show each article, page copies and families (whatever output/
    each graph shard was written for)."""
    found: dict[str, dict] = {"documents": {}, "rendered": {}, "records": {}, "shows": {}, "copies": {}, "families": {}}
    for name in ("documents", "rendered", "records", "shows"):
        for path in (site.root / CACHE_DIR).glob(f"{name}-*.pickle"):
            found[name].update(read_cache_file(path)[1][name])
    for path in (site.root / CACHE_DIR).glob("graph-*.pickle"):
        _, copies, families = read_cache_file(path)[1]["graph"]
        for name, part in (("copies", copies), ("families", families)):
            found[name].update(part)
    return found


def test_a_cache_kept_through_edits_holds_what_a_fresh_build_would_write(site, tmp_path):
    """Only the shards where an entry came, went or changed are written again, each patched from the entries it
    was read with: after an edit, an added story, a deleted one, a renamed one and a retagged one, every shard
    holds exactly the entries a build with no cache writes, none left behind and none missing."""
    site.write(_stories())
    site.build()
    for change in ("edit_body", "add", "delete", "rename", "tag_changed"):
        CHANGES[change](site)
        site.build()
    fresh = Site(tmp_path / "fresh")
    shutil.copytree(site.root, fresh.root, ignore=shutil.ignore_patterns("output", ".cache", ".output-*"))
    fresh.build()
    kept, made = _sharded_entries(site), _sharded_entries(fresh)
    for name in made:
        assert kept[name] == made[name], (name, kept[name].keys() ^ made[name].keys())
    assert len(made["documents"]) == 20 + 2 and len(made["families"]) > 20  # the stories and two pages


def test_an_edit_writes_only_the_term_memo_shards_it_changed(site):
    """The related stage's term counts are kept by group in shards: an edit writes those of the groups it
    replaced, not the whole memo (0.3 GB at 100,000 stories a language)."""
    shards, rewritten = _shards_an_edit_rewrites(site, "terms-*.pickle")
    assert len(shards) == 32 and 1 <= len(rewritten) <= 2, rewritten


def test_term_shards_a_killed_build_left_are_not_read_with_an_older_vocabulary(site, tmp_path):
    """A build killed after it wrote the term memo's shards, and before parsed.pickle (the vocabulary their term
    ids number), leaves shards whose ids name words parsed.pickle does not hold: they are read as empty."""
    site.write(_stories())
    site.build()
    kept = {name: (site.root / CACHE_DIR / name).read_bytes() for name in ("parsed.pickle", "content.pickle")}
    _edit(site, "content/2023/s4.ar.md", "خبر عن", "نبأ جديد تماما عن مهرجان الزيتون في")
    site.build()
    for name, data in kept.items():  # as the killed build left them
        (site.root / CACHE_DIR / name).write_bytes(data)
    site.build()
    assert site.snapshot() == _clean_build_of(site, tmp_path)


def test_term_shards_of_another_generation_of_the_vocabulary_are_not_read(site, tmp_path, monkeypatch):
    """After the vocabulary starts afresh, every group's term ids number other words: shards written so by a
    build killed before it saved parsed.pickle must not be read with the older vocabulary."""
    site.write(_stories())
    site.build()
    # The shards as such a build leaves them: another generation, and ids that mean other words in this one.
    _plant(site, "terms-*.pickle", "terms", lambda shard: ((shard[0][0] + 1, shard[0][1]), {
        key: (ids * 0, counts) for key, (ids, counts) in shard[1].items()}))
    counted = []
    count = generator.related._count_terms
    monkeypatch.setattr(generator.related, "_count_terms", lambda *args: counted.append(count(*args)) or counted[-1])
    _edit(site, "content/2023/s0.ar.md", "خبر عن", "نبأ عن")
    site.build()
    assert counted and not any(len(ids) > 1 and not ids.any() for ids, _ in counted[-1]), "no planted counts were read"
    assert site.snapshot() == _clean_build_of(site, tmp_path)


def test_page_graph_shards_another_build_left_are_not_read(site, tmp_path):
    """Each graph shard describes the output/ it was written for, and pages.pickle names which one goes with it.
    Here the first build's shards are put back under the second build's pages.pickle, and the edit between them is
    undone: read as they are, the first build's records would say the pages that changed in the second build are
    as output/ holds them, and it would publish them as the second build wrote them."""
    site.write(_stories())
    site.build()
    first = {path: path.read_bytes() for path in (site.root / CACHE_DIR).glob("graph-*.pickle")}
    _edit(site, "content/2023/s4.ar.md", "خبر عن", "نبأ عن")
    site.build()
    for path, data in first.items():
        path.write_bytes(data)
    _edit(site, "content/2023/s4.ar.md", "نبأ عن", "خبر عن")
    site.build()
    assert site.snapshot() == _clean_build_of(site, tmp_path)


@pytest.mark.parametrize("damage", ["garbage", "truncated", "empty", "foreign"])
def test_a_damaged_or_foreign_cache_is_ignored(site, tmp_path, damage):
    site.write(_stories())
    site.build()
    cache_files = sorted((site.root / CACHE_DIR).glob("*.pickle"))
    names = {path.name for path in cache_files}
    assert {"state.pickle", "parsed.pickle", "content.pickle", "search.pickle", "pages.pickle"} < names
    assert all(any(name.startswith(f"{shards}-") for name in names) for shards in ("documents", "rendered", "graph"))
    for cache_file in cache_files:
        data = cache_file.read_bytes()
        cache_file.write_bytes({"garbage": b"\x80\x04not a pickle at all", "truncated": data[: len(data) // 2],
                                "empty": b"", "foreign": data.replace(b"mujaz-cache", b"other-cache")}[damage])
    _edit(site, "content/2023/s4.ar.md", "خبر عن", "نبأ عن")
    site.build()
    assert site.snapshot() == _clean_build_of(site, tmp_path)


def test_a_page_graph_whose_families_are_malformed_costs_a_planning_not_a_traceback(site, tmp_path):
    """The cache may come from elsewhere: each family's record is checked before its pages are kept."""
    site.write(_stories())
    site.build()
    shards = sorted((site.root / CACHE_DIR).glob("graph-*.pickle"))
    known = {name: record for path in shards for name, record in read_cache_file(path)[1]["graph"][2].items()}
    shapes = [("not", "a", "tuple"), (("one", "too short"),), (("index.html", "ar", "not an entry"),),
              (("a page with no record.html", "ar", None),), 7,
              tuple((file, lang, SitemapEntry(7, None, (), "dates")) for file, lang, _ in known["home/1"].pages),
              tuple((file, lang, SitemapEntry("x/", "yesterday", (("ar", 1),), "dates"))
                    for file, lang, _ in known["home/1"].pages)]
    malformed = {name: FamilyRecord(record.key, shapes[i % len(shapes)])
                 for i, (name, record) in enumerate(sorted(known.items()))}
    malformed[min(known)] = "not a record"
    for path in shards:  # a graph shard is (the generation of output/ it describes, copies, families)
        _plant_in(path, "graph", lambda shard: (*shard[:2], {name: malformed[name] for name in shard[2]}))
    _edit(site, "content/2023/s4.ar.md", "خبر عن", "نبأ عن")
    result = site.cli()
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert site.snapshot() == _clean_build_of(site, tmp_path)


def _plant_in(path: Path, name: str, change) -> None:
    """Rewrite one value of a cache file, with the cache's own salt, as a cache from elsewhere could."""
    salt, state = read_cache_file(path)
    state[name] = change(state[name])
    with path.open("wb") as handle:
        handle.write(b"mujaz-cache\n")
        pickle.dump((salt, state), handle, protocol=pickle.HIGHEST_PROTOCOL)  # as the cache: arrays as buffers


def _plant(site: Site, file: str, name: str, change) -> None:
    """_plant_in every cache file named `file` (a pattern: each shard of the page graph)."""
    paths = sorted((site.root / CACHE_DIR).glob(file))
    assert paths
    for path in paths:
        _plant_in(path, name, change)


# Values of the allowed types in shapes no build writes: each made a build or check stop with a traceback.
PLANTED = {
    "graph records": ("records-*.pickle", "records", lambda shard: list(shard)),
    "graph record": ("records-*.pickle", "records", lambda shard: {file: "x" for file in shard}),
    "graph shows": ("shows-*.pickle", "shows", lambda shard: {article: 5 for article in shard}),
    "graph files": ("pages.pickle", "graph_files", lambda named: {name: files[1:] for name, files in named.items()}),
    "graph shard": ("graph-*.pickle", "graph", lambda shard: shard[:2]),
    "graph shards": ("pages.pickle", "graph_shards", lambda generations: generations[1:]),
    "graph keys": ("pages.pickle", "graph", lambda graph: dataclasses.replace(graph, keys=["a"])),
    "graph copies": ("graph-*.pickle", "graph", lambda shard: (shard[0], {f: 5 for f in shard[1]}, shard[2])),
    "graph static": ("pages.pickle", "graph", lambda graph: dataclasses.replace(graph, static=[1])),
    "related": ("content.pickle", "related", lambda related: 7),
    "search": ("search.pickle", "search", lambda search: None),
    "search entries": ("entries-*.pickle", "entries", lambda entries: {key: [1, 2] for key in entries}),
    "search entry": ("entries-*.pickle", "entries", lambda entries: {key: ("a\nb", 5) for key in entries}),
    "term groups": ("terms-*.pickle", "terms", lambda shard: (shard[0], {key: "x" for key in shard[1]})),
    "search index": ("search.pickle", "search", lambda search: {code: made._replace(docs=5)
                                                                for code, made in search.items()}),
    "manifest": ("state.pickle", "output", lambda manifest: "output"),
}


@pytest.mark.parametrize("planted", [name if name == "graph records" else pytest.param(name, marks=pytest.mark.slow)
                                     for name in sorted(PLANTED)])  # one in make test, all of them in CI
def test_a_cache_holding_values_no_build_writes_is_built_without_and_replaced(site, tmp_path, planted):
    site.write(_stories())
    assert site.cli().returncode == 0
    _plant(site, *PLANTED[planted])
    _edit(site, "content/2023/s4.ar.md", "خبر عن", "نبأ عن")
    shutil.rmtree(site.output)  # a publish from CI, which restores the cache, as one from elsewhere would be
    cache = {path: path.read_bytes() for path in sorted((site.root / CACHE_DIR).rglob("*")) if path.is_file()}
    checked = site.cli(command="check")
    assert checked.returncode == 0 and "Traceback" not in checked.stderr, checked.stderr
    # check reads no page copies, copied files or output/'s manifest: it meets only the other values. What
    # it says of the cache is a note, not a warning: nothing an editor could fix fails `check --strict`.
    if planted not in ("graph copies", "graph static", "manifest"):
        [note] = [line for line in checked.stderr.splitlines() if ".cache/mujaz/" in line]
        assert note.startswith("note: .cache/mujaz/: holds values Mujaz cannot use (")
        assert note.endswith("— checked without it: nothing to do")
    assert cache == {path: path.read_bytes() for path in sorted((site.root / CACHE_DIR).rglob("*")) if path.is_file()}
    result = site.cli()
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    [warning] = [line for line in result.stderr.splitlines() if ".cache/mujaz/" in line]
    assert warning.startswith("warning: .cache/mujaz/: holds values Mujaz cannot use (")
    assert warning.endswith("— built without it, and replaced it: nothing to do")
    assert site.snapshot() == _clean_build_of(site, tmp_path)
    again = site.cli()
    assert again.returncode == 0 and ".cache/mujaz/" not in again.stderr, "the cache was replaced"
    verdict = checked.stdout.splitlines()[-1]
    assert verdict == site.cli(command="check").stdout.splitlines()[-1], "as many warnings as with a sound cache"


@pytest.mark.parametrize("folders", [{"folder_names": [1, 2]}, {"folder_stamps": b"\0" * 25},
                                     dict(zip(("folder_names", "folder_stamps"), pack_folders(
                                         {"../elsewhere": (1, 2, 3), "/": (1, 2, 3), "": (4, 5, 6)}))),
                                     # One damaged list of files in make test, all of them in CI.
                                     *[pytest.param(planted, marks=pytest.mark.slow) for planted in
                                       ({"file_names": [1, 2]}, {"file_stamps": (1, 2, 3, 4)}, {"file_tags": "one tag"})],
                                     {"file_names": "../elsewhere/keep.txt\0/etc/passwd", "file_tags": "a\0b",
                                      "file_stamps": (0, "x", None) * 2}],
                         ids=["names not a text", "stamps cut short", "paths outside output", "file names not a text",
                              "file stamps cut short", "too few file tags", "files outside output"])
def test_a_manifest_naming_folders_no_build_made_is_built_past_and_nothing_outside_is_touched(site, tmp_path, folders):
    site.write({**_stories(), "elsewhere/keep.txt": "mine"})
    assert site.cli().returncode == 0
    _plant(site, "state.pickle", "output", lambda manifest: dataclasses.replace(manifest, **folders))
    _edit(site, "content/2023/s4.ar.md", "خبر عن", "نبأ عن")
    result = site.cli()
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert site.snapshot() == _clean_build_of(site, tmp_path)
    assert [p.name for p in (site.root / "elsewhere").iterdir()] == ["keep.txt"]
    assert (site.root / "elsewhere/keep.txt").read_text() == "mine"


def test_a_planted_summary_of_the_last_build_is_not_printed_as_this_one(site):
    """With nothing changed a build reports the last one's result from the cache, without building: one in a
    shape no build writes is not printed (it was, to a traceback), and the build goes on as usual."""
    site.write(_stories())
    first = site.cli()
    assert first.returncode == 0
    _plant(site, "state.pickle", "summary", lambda summary: dataclasses.replace(summary, pages=["ar"], warnings=7))
    again = site.cli()
    assert again.returncode == 0 and "Traceback" not in again.stderr, again.stderr
    assert again.stdout.split(" files in ")[0] == first.stdout.split(" files in ")[0]
    assert "(0 rendered, the rest unchanged)" in again.stdout


@pytest.mark.parametrize("change", ["site_title_changed", "page_settings_changed", "language_changed",
                                    "template_changed", "theme_strings_changed", "raw_html_changed"])
def test_a_change_to_how_pages_look_renders_the_pages_but_not_the_stories_again(site, tmp_path, monkeypatch, change):
    """A site title, the month names or a template: every page is made again, but no story's file is read,
    no Markdown rendered and no story's words analysed again for the related lists (a whole rebuild took
    31 s at 10,000 stories a language). A setting the Markdown stage reads does all three again."""
    monkeypatch.setattr(generator.content, "SETTLE_NS", 50_000_000)
    site.write(_stories())
    _settled(site)
    first = site.build(jobs=1)
    markdown, words = [], []
    render, count = generator.pipeline.render_bounded, generator.related._term_counts
    monkeypatch.setattr(generator.pipeline, "render_bounded", lambda *a, **k: markdown.append(a[3]) or render(*a, **k))
    monkeypatch.setattr(generator.related, "_term_counts", lambda job, i: words.append(i) or count(job, i))
    CHANGES[change](site)
    reads = _reads_of_content(monkeypatch)
    result = site.build(jobs=1)
    if change == "raw_html_changed":
        assert (len(reads), len(markdown), len(words)) == (len(_stories()),) * 2 + (12,), "every story again"
    else:
        assert (reads, markdown, words) == ([], [], []), "no file read, no Markdown rendered, no words analysed"
    assert result.rendered == first.rendered, "every page made again"
    monkeypatch.undo()
    assert site.snapshot() == _clean_build_of(site, tmp_path)


def test_in_the_preview_a_stylesheet_edited_renders_no_page_and_is_published(site, tmp_path):
    """The preview links the theme's assets by their plain names: an edit to the stylesheet changes no page
    (a build links it by a name made from its bytes, so there every page changes)."""
    shutil.copytree(Path(__file__).parent.parent / "themes/default", site.root / "themes/mine")
    site.write(_stories(), config=BASE_CONFIG + "theme: mine\n")
    site.build(versioned_assets=False)
    css = site.root / "themes/mine/static/style.css"
    css.write_text(css.read_text(encoding="utf-8") + "\nbody { outline: 7px solid red; }\n", encoding="utf-8")
    result = site.build(versioned_assets=False)
    assert result.rendered == 0
    assert (site.output / "assets/style.css").read_bytes() == css.read_bytes()
    clean = Site(tmp_path / "clean")
    shutil.copytree(site.root, clean.root, ignore=shutil.ignore_patterns("output", ".cache", ".output-*"))
    clean.build(cache=False, versioned_assets=False)
    assert site.snapshot() == clean.snapshot()
    assert site.build().rendered > 0, "a build, which links the stylesheet by its bytes, renders every page"


def test_a_cache_from_another_config_is_not_used(site, tmp_path):
    site.write(_stories())
    site.build()
    site.write({}, config=BASE_CONFIG.replace("https://example.org/digest/", "https://other.example/"))
    site.build()
    assert site.snapshot() == _clean_build_of(site, tmp_path)
    assert b"example.org/digest" not in b"".join(site.snapshot().values())


def test_an_unchanged_site_is_rebuilt_when_a_scheduled_article_falls_due(site):
    site.write({"content/a.ar.md": article("خبر منشور", "2025-12-01"), "content/b.ar.md": article("خبر مجدول", "2026-02-01")})
    site.build()
    assert not (site.output / "2026/02/01/b/index.html").exists()
    assert site.build().rendered == 0
    later = NOW.replace(month=3)
    assert site.build(now=later).rendered > 0
    assert (site.output / "2026/02/01/b/index.html").is_file()


@pytest.mark.parametrize("beside", [False, True], ids=["checked-here", "checked-beside"])
@pytest.mark.parametrize("tamper", ["delete", "edit", "add"])
def test_an_unchanged_site_repairs_a_tampered_output(site, tmp_path, monkeypatch, tamper, beside):
    site.write(_stories())
    site.build()
    CHANGES["edit_body"](site)
    site.build()  # a real change: the next build recycles the spare, whose files share inodes with output/
    page = site.output / "2023/01/10/s0/index.html"
    assert page.is_file()
    if tamper == "delete":
        page.unlink()
    elif tamper == "edit":
        page.write_text("<p>edited by hand</p>")
    else:
        (site.output / "stray.html").write_text("stray")
    log = check_beside(monkeypatch, tmp_path) if beside else None
    assert site.build().rendered == (tamper != "add")
    assert site.snapshot() == _clean_build_of(site, tmp_path)
    if log is not None:
        checked_by = [line.split() for line in log.read_text().splitlines()]
        assert len(checked_by) == CHECK_PARTS and str(os.getpid()) not in [pid for pid, _ in checked_by], \
            "output/ was checked in parts, beside the build's own process"
        assert all(int(niceness) > os.nice(0) for _, niceness in checked_by), "at a lower priority than the build"


def test_a_build_that_fails_while_output_is_checked_beside_it_leaves_no_process_behind(site, tmp_path, monkeypatch):
    site.write(_stories())
    site.build()
    check_beside(monkeypatch, tmp_path)
    site.write({"content/2023/s1.ar.md": "---\ntitle: [خبر\ndate: 2023-01-11\n---\nنص\n"})
    with pytest.raises(BuildError, match="s1.ar.md"):
        site.build()
    assert multiprocessing.active_children() == []



def test_the_check_of_output_stops_looking_once_the_build_that_wanted_it_has_failed(tmp_path, monkeypatch):
    """Cancelled work is not killed but ends at its next item (workers.py), and a part of the check is one item:
    at 100,000 stories a language, 15 s of looking on a disk before a build's error is shown."""
    import generator.manifest as output_manifest

    stamps = [(f"gone/{i}.html", (1, 1, 1)) for i in range(10_000)]
    assert len(output_manifest.look(tmp_path, stamps, [], 0, 1).wrong) == 10_000
    monkeypatch.setattr(output_manifest, "cancelled", lambda: True)
    assert len(output_manifest.look(tmp_path, stamps, [], 0, 1).wrong) < 4096


def test_files_of_every_line_ending_and_front_matter_end_come_back_from_the_cache_as_parsed(site, tmp_path):
    """A later build takes unchanged files' documents from the cache: they must be what a clean build parses."""
    front = "---\ntitle: خبر\ndate: 2023-05-01\n"
    files = {
        "content/bom.ar.md": ("\ufeff" + front + "---\nنص مع علامة ترتيب البايت.\n").encode("utf-8"),
        "content/crlf.ar.md": (front + "---\r\n\r\nسطر أول\r\nسطر ثان\r\n").replace("\n", "\r\n").encode("utf-8"),
        "content/cr.ar.md": (front + "---\rنص\r\rفقرة\r").replace("\n", "\r").encode("utf-8"),
        "content/dots.ar.md": front + "...\nنص بعد ثلاث نقاط",
        "content/spaces.ar.md": front + "---   \n\n\n  نص بعد أسطر فارغة  \n",
        "content/empty.ar.md": front + "---",
        "content/blank.ar.md": front + "---\n",
        "content/dashes.ar.md": front + "---\nنص\n---\nبعد خط\n",
    }
    site.write(files)
    site.build()
    site.write({"content/other.ar.md": article("آخر", "2023-05-02", "نص آخر")})  # a build that reads the cache
    result = site.build()
    assert result.rendered > 0
    assert site.snapshot() == _clean_build_of(site, tmp_path)


def test_pages_recorded_while_a_cold_build_renders_match_the_ones_an_edit_records(site, tmp_path):
    # A cold build records its pages while other processes render them; an edit records them before it
    # renders. Were the records to differ, the edit would re-render every page.
    files = {}
    for i in range(70):
        day = f"2023-{1 + i % 12:02d}-{1 + i % 28:02d}"
        files[f"content/2023/m{i}.ar.md"] = article(f"خبر {i} عن {TOPICS[i % 5]}", day, f"خبر عن {TOPICS[i % 5]}. " * 15,
                                                    tags=f"[{TOPICS[i % 5]}]")
        files[f"content/2023/m{i}.en.md"] = article(f"Story {i}", day, f"Story {i} on {TOPICS[i % 5]}. " * 15)
    site.write(files)
    first = site.build(jobs=2)
    assert sum(first.pages.values()) > 2 * 2 * 64  # enough pages for two rendering processes
    _edit(site, "content/2023/m33.en.md", "Story 33 on", "A longer story 33 on")
    result = site.build(jobs=2)
    assert 0 < result.rendered < 40, f"an edit re-rendered {result.rendered} pages"
    assert site.snapshot() == _clean_build_of(site, tmp_path)


def _reads_of_content(monkeypatch) -> list[str]:
    reads: list[str] = []
    read_bytes = Path.read_bytes

    def spy(path: Path) -> bytes:
        if "content" in path.parts:
            reads.append(path.name)
        return read_bytes(path)
    monkeypatch.setattr(Path, "read_bytes", spy)
    return reads


def test_a_file_rewritten_right_after_a_build_is_read_again_even_with_the_same_size_and_time(site, tmp_path):
    site.write(_stories())
    site.build()
    path = site.root / "content/2023/s4.ar.md"
    before = path.stat()
    _edit(site, "content/2023/s4.ar.md", "خبر عن", "نبأ عن")  # the same number of bytes
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # and the same mtime, as a copy keeping it would
    assert path.stat().st_size == before.st_size
    site.build()
    assert site.snapshot() == _clean_build_of(site, tmp_path)


def _settled(site) -> None:
    """Wait until every content file is older than the settle window (SETTLE_NS, patched short here)."""
    paths = list((site.root / "content").rglob("*.md"))
    while time.time_ns() - max(p.stat().st_ctime_ns for p in paths) <= generator.content.SETTLE_NS:
        time.sleep(0.01)


def test_files_unchanged_since_a_build_are_not_read_again_and_a_changed_one_is(site, tmp_path, monkeypatch):
    monkeypatch.setattr(generator.content, "SETTLE_NS", 50_000_000)  # not 3 s, to keep the test short
    site.write(_stories())
    _settled(site)
    site.build()
    reads = _reads_of_content(monkeypatch)
    assert site.build().rendered == 0 and reads == []
    path = site.root / "content/2023/s4.ar.md"
    before = path.stat()
    _edit(site, "content/2023/s4.ar.md", "خبر عن", "نبأ عن")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # only its ctime tells it changed
    _settled(site)
    site.build()
    assert reads == ["s4.ar.md"]
    assert site.snapshot() == _clean_build_of(site, tmp_path)


def test_stamps_without_the_parsed_files_they_point_to_read_the_files(site, tmp_path, monkeypatch):
    monkeypatch.setattr(generator.content, "SETTLE_NS", 50_000_000)
    site.write(_stories())
    _settled(site)
    site.build()
    for parsed in (site.root / CACHE_DIR).glob("documents-*.pickle"):  # the small file, with the stamps, survives
        parsed.write_bytes(b"")
    _edit(site, "content/2023/s1.ar.md", "tags: [كوريا", "tags: [رياضة")
    site.build()
    assert site.snapshot() == _clean_build_of(site, tmp_path)


def test_a_stamped_file_gone_before_it_could_be_read_again_is_a_one_line_error(site, monkeypatch):
    monkeypatch.setattr(generator.content, "SETTLE_NS", 50_000_000)
    site.write(_stories())
    _settled(site)
    site.build()
    before = site.snapshot()
    for parsed in (site.root / CACHE_DIR).glob("documents-*.pickle"):
        parsed.write_bytes(b"")
    _edit(site, "content/2023/s1.ar.md", "tags: [كوريا", "tags: [رياضة")  # so the build goes past "nothing changed"
    scan = generator.build.scan_content

    def scan_then_lose_a_file(*args, **kwargs):
        found = scan(*args, **kwargs)
        (site.root / "content/2023/s4.ar.md").unlink()  # deleted between the scan and the parse
        return found
    monkeypatch.setattr(generator.build, "scan_content", scan_then_lose_a_file)
    with pytest.raises(BuildError) as failed:
        site.build()
    assert [str(d) for d in failed.value.diagnostics] == ["content/2023/s4.ar.md: cannot be read: No such file or directory"]
    assert site.snapshot() == before
