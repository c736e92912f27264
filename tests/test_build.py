"""Building small sites from files: URLs, translations, drafts, pagination, overrides, output handling."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from urllib.parse import quote

import pytest

from conftest import BASE_CONFIG, REPO, article


def test_summary_line_counts_pages_per_language(site):
    site.write({"content/a.ar.md": article("أ"), "content/a.en.md": article("A")})
    result = site.cli()
    assert result.returncode == 0, result.stderr
    line = result.stdout.strip()
    assert re.fullmatch(r"Built \d+ pages \(\d+ ar, \d+ en\), \d+ files in \d+\.\d\d s \(\d+ rendered, the rest unchanged\) → .*output", line), line


def test_root_and_sub_path_builds_differ_only_in_base_url(site):
    site.write({"content/a.ar.md": article("أ", tags="[x]"), "content/a.en.md": article("A", tags="[x]")})
    assert site.cli("--base-url", "https://news.example.com/").returncode == 0
    root = site.snapshot()
    root_links = _links(site.page("en/2023/09/13/a/"))
    assert site.cli().returncode == 0  # base_url from config.yaml: https://example.org/digest/
    assert site.snapshot().keys() == root.keys()
    sub_links = _links(site.page("en/2023/09/13/a/"))
    assert all(h.startswith(("/", "https://news.example.com/")) and not h.startswith("/digest/") for h in root_links)
    assert all(h.startswith(("/digest/", "https://example.org/digest/")) for h in sub_links), sub_links
    moved = [h.replace("https://news.example.com/", "https://example.org/digest/") if h.startswith("http")
             else "/digest" + h for h in root_links]
    assert moved == sub_links
    shared = site.page("en/2023/09/13/a/").xpath('//nav[@class="share"]//a/@href')
    assert shared and all(quote("https://example.org/digest/en/2023/09/13/a/") in h for h in shared), shared


def _links(page) -> list[str]:
    """The page's links to the site (the share links lead to the services, with the page's address)."""
    return [h for h in page.xpath("//a[not(ancestor::nav[@class='share'])]/@href | //link/@href")
            if not h.startswith("#")]


def test_base_url_from_command_line_beats_environment_beats_config(site):
    site.write({"content/a.ar.md": article("أ")})
    env = {"MUJAZ_BASE_URL": "https://env.example/site/"}
    assert site.cli(env=env).returncode == 0
    assert site.page("").xpath("//link[@rel='canonical']/@href") == ["https://env.example/site/"]
    assert site.cli("--base-url", "https://cli.example/", env=env).returncode == 0
    assert site.page("").xpath("//link[@rel='canonical']/@href") == ["https://cli.example/"]


def test_file_without_suffix_is_default_language_and_translation_key_pairs_files(site):
    site.write({
        "content/kim.md": article("كيم"),
        "content/kim.en.md": article("Kim"),
        "content/ar-name.ar.md": article("بوتين", translation_key="putin"),
        "content/english-name.en.md": article("Putin", translation_key="putin"),
    })
    site.build()
    assert site.page("2023/09/13/kim/").xpath("//a[@hreflang='en'][@lang='en']/@href") == ["/digest/en/2023/09/13/kim/"]
    assert site.page("2023/09/13/ar-name/").xpath("//a[@hreflang='en'][@lang='en']/@href") == ["/digest/en/2023/09/13/english-name/"]
    assert site.page("en/2023/09/13/english-name/").xpath("//link[@hreflang='ar']/@href") == [
        "https://example.org/digest/2023/09/13/ar-name/"]


def test_translations_in_a_folder_per_language_pair_as_in_hugo_and_elsewhere_check_says_how(site):
    site.write({
        "content/ar/2023/kim.ar.md": article("كيم", summary="ملخص."),
        "content/en/2023/kim.en.md": article("Kim", summary="S.", body="Text."),
        "content/2023/ar/putin.ar.md": article("بوتين", summary="ملخص."),
        "content/world/putin.en.md": article("Putin", summary="S.", body="Text."),
    })
    site.build()
    assert site.page("2023/09/13/kim/").xpath("//a[@hreflang='en'][@lang='en']/@href") == ["/digest/en/2023/09/13/kim/"]
    assert site.page("en/2023/09/13/putin/").xpath("//a[@hreflang='ar']/@href") == ["/digest/"], "not paired"
    assert ("warning: content/world/putin.en.md:1: is not paired with content/2023/ar/putin.ar.md as its translation: "
            "translations pair when they sit in one folder — move one beside the other, or give both "
            "translation_key: putin") in site.cli(command="check").stderr.splitlines()


def test_drafts_and_future_articles_only_with_drafts_flag(site):
    site.write({
        "content/live.ar.md": article("منشور"),
        "content/draft.ar.md": article("مسودة", draft="true"),
        "content/later.ar.md": article("لاحق", date="2030-01-01"),
    })
    site.build()
    assert (site.output / "2023/09/13/live/index.html").is_file()
    assert not (site.output / "2023/09/13/draft").exists()
    assert not (site.output / "2030").exists()
    assert "مسودة" not in (site.output / "feed.xml").read_text()
    site.build(drafts=True)
    badge = site.page("2023/09/13/draft/").xpath("//*[contains(@class,'badge')]")
    assert badge and badge[0].text_content() == "مسودة"
    assert site.page("2030/01/01/later/").xpath("//*[contains(@class,'badge')]")[0].text_content() == "مجدول"


def test_dates_with_offsets_and_naive_times_use_the_site_time_zone(site):
    config = BASE_CONFIG + "timezone: Asia/Riyadh\n"
    site.write({
        "content/late.ar.md": article("متأخر", date="2023-09-13T23:30:00+00:00"),
        "content/naive.ar.md": article("محلي", date="2023-09-13T08:00:00"),
    }, config=config)
    site.build()
    # 23:30 UTC is 02:30 the next day in Riyadh: the URL and the shown date follow the site's zone.
    assert site.page("2023/09/14/late/").xpath("//time/@datetime")[0] == "2023-09-14T02:30:00+03:00"
    assert site.page("2023/09/13/naive/").xpath("//time/@datetime")[0] == "2023-09-13T08:00:00+03:00"


def _titles(page) -> list[str]:
    return [a.text_content() for a in page.xpath("//ol[contains(@class,'article-list')]//h2/a")]


def test_listings_paginate_by_per_page_from_the_oldest_so_an_added_story_leaves_older_pages_as_they_were(site):
    files = {f"content/n{i:02d}.ar.md": article(f"خبر {i}", date=f"2023-09-{i:02d}") for i in range(1, 8)}
    config = BASE_CONFIG + "per_page: 3\n"
    site.write(files, config=config)
    site.build()
    # 7 stories, 3 a page: page 1 holds the oldest 3, the home the newest 4 (from 3 to 5 of them).
    first = site.page("")
    assert _titles(first) == ["خبر 7", "خبر 6", "خبر 5", "خبر 4"]
    assert first.xpath("//a[@rel='next']/@href") == ["/digest/page/1/"] and not first.xpath("//a[@rel='prev']")
    oldest = site.page("page/1/")
    assert _titles(oldest) == ["خبر 3", "خبر 2", "خبر 1"]
    assert oldest.xpath("//a[@rel='prev']/@href") == ["/digest/"] and not oldest.xpath("//a[@rel='next']")
    # The pager names the days its stories span, oldest first.
    assert oldest.xpath("//nav[@class='pager']//time/@datetime") == ["2023-09-01", "2023-09-03"]
    assert not (site.output / "page/2").exists()
    assert site.page("2023/09/page/1/").xpath("//ol/li")

    site.write({"content/n08.ar.md": article("خبر 8", date="2023-09-08"),
                "content/n09.ar.md": article("خبر 9", date="2023-09-09")}, config=config)
    site.build()
    assert _titles(site.page("")) == ["خبر 9", "خبر 8", "خبر 7"]
    newer = site.page("page/2/")
    assert _titles(newer) == ["خبر 6", "خبر 5", "خبر 4"]
    assert newer.xpath("//a[@rel='prev']/@href") == ["/digest/"]
    assert newer.xpath("//a[@rel='next']/@href") == ["/digest/page/1/"]
    assert site.page("").xpath("//a[@rel='next']/@href") == ["/digest/page/2/"]
    # Page 1 now links to page 2 as the newer one; its stories stay: only its link changed.
    assert _titles(site.page("page/1/")) == ["خبر 3", "خبر 2", "خبر 1"]
    assert site.page("page/1/").xpath("//a[@rel='prev']/@href") == ["/digest/page/2/"]
    numbered = {n: (site.output / f"page/{n}/index.html").read_bytes() for n in (1, 2)}

    site.write({"content/n10.ar.md": article("خبر 10", date="2023-09-10")}, config=config)
    site.build()
    assert _titles(site.page("")) == ["خبر 10", "خبر 9", "خبر 8", "خبر 7"]
    assert {n: (site.output / f"page/{n}/index.html").read_bytes() for n in (1, 2)} == numbered
    assert not (site.output / "page/3").exists()

    # A story in the next month links September's first page to October; its numbered pages stay as they were.
    september = {n: (site.output / f"2023/09/page/{n}/index.html").read_bytes() for n in (1, 2)}
    site.write({"content/n11.ar.md": article("خبر 11", date="2023-10-01")}, config=config)
    site.build()
    assert site.page("2023/09/").xpath("//nav[@class='date-nav']/a[@class='next']/@href") == ["/digest/2023/10/"]
    assert {n: (site.output / f"2023/09/page/{n}/index.html").read_bytes() for n in (1, 2)} == september


def test_site_templates_override_the_theme(site):
    site.write({
        "content/a.ar.md": article("أ"),
        "templates/404.html": '{% extends "base.html" %}{% block main %}<p id="mine">لا شيء هنا</p>{% endblock %}',
    })
    site.build()
    page = site.page("404.html")
    assert page.xpath("//p[@id='mine']")[0].text_content() == "لا شيء هنا"
    assert page.xpath("//link[@rel='stylesheet']"), "the override still inherits the theme's base.html"


def test_a_template_edited_between_builds_of_one_process_is_used(site):
    """The preview builds many times in one process, which keeps compiled templates: an edit must show."""
    mine = '{% extends "base.html" %}{% block main %}<p id="mine">WORD</p>{% endblock %}'
    site.write({"content/a.ar.md": article("أ"), "templates/404.html": mine.replace("WORD", "أول")})
    site.build()
    (site.root / "templates/404.html").write_text(mine.replace("WORD", "ثان"), encoding="utf-8")  # same size
    site.build()
    assert site.page("404.html").xpath("//p[@id='mine']")[0].text_content() == "ثان"


def test_static_files_are_copied_and_root_relative_links_get_the_base_path(site):
    site.write({
        "content/a.ar.md": article("أ", body="![خريطة](/images/map.png)\n\n[الأرشيف](/2023/)\n\n[خارجي](https://example.com/x)\n",
                                   image="{src: /images/map.png, alt: خريطة}"),
        "static/images/map.png": b"\x89PNG fake",
    })
    site.build()
    assert (site.output / "images/map.png").read_bytes() == b"\x89PNG fake"
    page = site.page("2023/09/13/a/")
    assert page.xpath("//div[@class='body']//img/@src") == ["/digest/images/map.png"]
    assert page.xpath("//figure//img/@src") == ["/digest/images/map.png"]
    assert "/digest/2023/" in page.xpath("//div[@class='body']//a/@href")
    assert "https://example.com/x" in page.xpath("//div[@class='body']//a/@href")


def test_markdown_extras_render(site):
    body = "## قسم\n\nنص[^1].\n\n| أ | ب |\n|---|---|\n| 1 | 2 |\n\n[^1]: حاشية.\n"
    site.write({"content/a.ar.md": article("أ", body=body)})
    site.build()
    page = site.page("2023/09/13/a/")
    assert page.xpath("//div[@class='body']//h2/@id")
    assert page.xpath("//div[@class='body']//table")
    assert page.xpath("//div[@class='body']//*[contains(@class,'footnote')]")


def test_builds_are_deterministic_and_unchanged_files_keep_their_inode(site):
    site.write({f"content/s{i}.{lang}.md": article(f"{lang} {i}", date=f"2023-0{i}-01", tags="[x, y]")
                for i in range(1, 6) for lang in ("ar", "en")})
    site.build()
    first = site.snapshot()
    inode = (site.output / "2023/01/01/s1/index.html").stat().st_ino
    site.build()
    assert site.snapshot() == first
    assert (site.output / "2023/01/01/s1/index.html").stat().st_ino == inode
    (site.root / "content/s5.ar.md").write_text(article("تغيّر", date="2023-05-01", tags="[x, y]"), encoding="utf-8")
    site.build()
    assert (site.output / "2023/05/01/s5/index.html").read_bytes() != first["2023/05/01/s5/index.html"]


def test_a_failed_build_keeps_the_previous_output(site):
    site.write({"content/a.ar.md": article("أ")})
    site.build()
    before = site.snapshot()
    site.write({"templates/article.html": "{% extends 'base.html' %}{% block main %}{{ article.nope }}{% endblock %}"})
    result = site.cli()
    assert result.returncode == 1
    assert "templates/article.html:1: template error" in result.stderr
    assert site.snapshot() == before


def test_template_syntax_error_names_file_and_line(site):
    site.write({"content/a.ar.md": article("أ"), "templates/home.html": "{% extends 'base.html' %}\n{% block main %}\n{% if %}\n"})
    result = site.cli()
    assert result.returncode == 1
    assert "templates/home.html:3: template syntax error" in result.stderr


def test_a_folder_with_only_config_and_content_builds_with_the_bundled_theme(site):
    site.write({"content/2023/09/x.ar.md": article("أ")})
    assert not (site.root / "themes").exists()
    assert site.cli().returncode == 0
    assert (site.output / "assets/style.css").is_file()


def test_pages_link_theme_files_by_names_that_change_with_their_bytes(site):
    import hashlib

    theme = site.root / "themes/default"
    shutil.copytree(REPO / "themes/default", theme)
    site.write({"content/2023/09/x.ar.md": article("أ")})
    site.build()

    def linked() -> str:
        href = site.page("index.html").xpath("//link[@rel='stylesheet']/@href")[0]
        assert href.startswith("/digest/assets/") and "?" not in href
        return href.removeprefix("/digest/")

    first = linked()
    css = (theme / "static/style.css").read_bytes()
    assert first == f"assets/style.{hashlib.sha256(css).hexdigest()[:10]}.css"
    assert (site.output / first).read_bytes() == css
    assert (site.output / "assets/style.css").read_bytes() == css  # for a stylesheet's relative addresses

    (theme / "static/style.css").write_bytes(css + b"\nbody { margin: 0 }\n")
    site.build()
    second = linked()
    assert second != first and not (site.output / first).exists()
    assert (site.output / second).read_bytes() == css + b"\nbody { margin: 0 }\n"


def test_tags_differing_only_in_diacritics_share_a_page(site):
    site.write({"content/a.ar.md": article("أ", tags="[الاقتصاد]"), "content/b.ar.md": article("ب", tags="[الإقتصاد]")})
    site.build()
    assert len(site.page("tags/الاقتصاد/").xpath("//ol/li")) == 2


def test_progress_bar_waits_two_seconds_and_clears_its_line(monkeypatch):
    import io

    from generator import cli

    stream = io.StringIO()
    bar = cli.ProgressBar(stream)
    bar.update("pages", 10, 100)
    assert stream.getvalue() == "", "nothing in the first seconds"
    monkeypatch.setattr(bar, "started", bar.started - 5)
    bar.update("pages", 50, 100)
    assert stream.getvalue() == "\r[###############...............] pages: 50/100\x1b[K"
    bar.clear()
    assert stream.getvalue().endswith("\r\x1b[K")


def test_builds_print_no_progress_when_not_on_a_terminal(site):
    site.write({"content/a.ar.md": article("أ")})
    result = site.cli()
    assert "\r" not in result.stderr + result.stdout and "\x1b" not in result.stderr + result.stdout


@pytest.mark.parametrize("jobs", [1, 2])
def test_progress_is_reported_up_to_the_total_of_every_long_stage(site, jobs):
    site.write({f"content/2023/s{i}.ar.md": article(f"خبر {i}", "2023-05-01", f"نص رقم {i}. " * 20) for i in range(300)})
    seen: dict[str, list[tuple[int, int]]] = {}
    site.build(jobs=jobs, progress=lambda stage, done, total: seen.setdefault(stage, []).append((done, total)))
    for stage in ("Markdown", "pages"):
        calls = seen[stage]
        dones = [done for done, _ in calls]
        assert dones == sorted(dones) and calls[-1][0] == calls[-1][1] > 256, (stage, calls)


def test_a_failure_while_pages_render_leaves_output_and_no_staging_folder(site, monkeypatch):
    """Pages render on other processes while this one records what they are made from: a failure there
    must wait for them, so nothing is written after the staging folder is discarded."""
    import multiprocessing

    import generator.rebuild

    site.write({f"content/2023/s{i}.ar.md": article(f"خبر {i}", "2023-05-01", f"نص {i}") for i in range(40)})
    site.build()
    before = site.snapshot()

    def broken(*args):
        raise RuntimeError("recording failed")

    monkeypatch.setattr(generator.rebuild, "records", broken)
    with pytest.raises(RuntimeError, match="recording failed"):
        site.build(cache=False, jobs=2)  # no manifest: every page is rendered while they are recorded
    assert site.snapshot() == before
    assert not list(site.root.glob(".output-staging-*"))
    assert not multiprocessing.active_children()


def test_one_job_means_one_process_even_for_a_big_search_index(site, monkeypatch):
    """`--jobs 1` runs the whole build in this process; by default a big index is built beside it."""
    import generator.search
    import generator.workers

    monkeypatch.setattr(generator.search, "PARALLEL_FROM", 1)  # every index counts as big
    site.write({f"content/2023/s{i}.ar.md": article(f"خبر {i}", "2023-05-01", f"نص {i}") for i in range(5)})
    forks = []
    real = generator.workers.multiprocessing.get_context
    monkeypatch.setattr(generator.workers.multiprocessing, "get_context", lambda method: forks.append(method) or real(method))
    site.build(jobs=1, cache=False)
    assert forks == []
    site.build(cache=False)
    assert forks == ["fork"], "the default still builds the search index beside the related stage"


def test_an_edit_reassembles_the_search_index_in_this_process(site, monkeypatch):
    """Only articles to index pay for a process beside the build: one that reassembles the index from the
    entries the cache holds would read them all, so the system would copy them for it (2 GB at 100,000)."""
    import generator.search
    import generator.workers

    monkeypatch.setattr(generator.search, "PARALLEL_FROM", 2)
    site.write({f"content/2023/s{i}.ar.md": article(f"خبر {i}", "2023-05-01", f"نص {i}") for i in range(5)})
    forks = []
    real = generator.workers.multiprocessing.get_context
    monkeypatch.setattr(generator.workers.multiprocessing, "get_context", lambda method: forks.append(method) or real(method))
    site.build()
    assert forks == ["fork"], "five articles to index are built beside the related stage"
    site.write({"content/2023/s3.ar.md": article("خبر 3", "2023-05-01", "نص جديد عن الزيتون")})
    site.build()
    assert forks == ["fork"], "one article to index and four from the cache: no other process"
    terms = json.loads((site.output / "search/terms-0.json").read_text(encoding="utf-8"))
    assert generator.search.search_terms("الزيتون")[0] in terms, "the edited words are found"


def test_an_edit_reads_the_search_entries_only_once_the_related_stage_let_go_of_its_model(site, monkeypatch):
    """Read with the rest of the cache, the entries the search index is reassembled from made an edit's peak
    at 100,000 stories a language (4.1 GB, in the related stage). Without entries to read, the index is built
    beside the related stage, as a build from nothing does."""
    import generator.cache
    import generator.search
    import generator.pipeline

    events = []
    related, load_search = generator.pipeline._related, generator.cache.BuildCache.load_search
    start_indexes = generator.pipeline.start_indexes

    def related_noted(inputs, config, cache, jobs):
        events.append(("related", len(cache.search_entries)))  # entries held while the related stage runs
        return related(inputs, config, cache, jobs)

    def load_noted(cache):
        events.append(("search read", cache.terms is None and cache.related_state is None))
        load_search(cache)

    def start_noted(site, earlier, entry, jobs, keys):
        events.append(("index started", sum(len(made.docs) for made in earlier.values())))
        return start_indexes(site, earlier, entry, jobs, keys)

    monkeypatch.setattr(generator.pipeline, "_related", related_noted)
    monkeypatch.setattr(generator.cache.BuildCache, "load_search", load_noted)
    monkeypatch.setattr(generator.pipeline, "start_indexes", start_noted)
    monkeypatch.setattr(generator.search, "start_indexes", start_noted)  # as build_indexes calls it
    site.write({f"content/2023/s{i}.ar.md": article(f"خبر {i}", "2023-05-01", f"نص {i}") for i in range(5)})
    site.build()
    assert events == [("index started", 0), ("related", 0)], "a build from nothing has no entries to read"
    site.write({"content/2023/s3.ar.md": article("خبر 3", "2023-05-01", "نص جديد عن الزيتون")})
    events.clear()
    site.build()
    assert events == [("related", 0), ("search read", True), ("index started", 5)], events
    terms = json.loads((site.output / "search/terms-0.json").read_text(encoding="utf-8"))
    assert generator.search.search_terms("الزيتون")[0] in terms, "the edited words are found"
    events.clear()
    site.build(base_url="https://news.example.com/")  # read by the content stages: their cache is not this build's
    assert events == [("index started", 0), ("related", 0)], events


def test_an_edit_reads_and_writes_only_the_search_entries_where_a_story_came_or_went(site, monkeypatch):
    """The index of an edit is updated from the entry of the story it replaces: the other stories' entries (0.3 GB
    at 100,000 stories a language) are neither read nor written again."""
    import generator.cache
    import generator.search

    site.write({f"content/2023/s{i:02}.ar.md": article(f"خبر {i}", "2023-05-01", f"نص {i} عن المطر") for i in range(40)})
    site.build()
    shards = sorted(p.name for p in (site.root / ".cache/mujaz").glob("entries-*.pickle"))
    assert len(shards) == 32, "a build from nothing writes every shard"
    read, written = [], []
    real_read, real_write = generator.cache.BuildCache._read, generator.cache.BuildCache._write
    monkeypatch.setattr(generator.cache.BuildCache, "_read", lambda cache, name: read.append(name) or real_read(cache, name))
    monkeypatch.setattr(generator.cache.BuildCache, "_write",
                        lambda cache, name, state: written.append(name) or real_write(cache, name, state))
    site.write({"content/2023/s07.ar.md": article("خبر 7", "2023-05-01", "نص 7 عن المطر والسيول")})
    site.build()
    read = [name for name in read if name.startswith("entries-")]
    written = [name for name in written if name.startswith("entries-")]
    assert 1 <= len(read) <= 2 and sorted(read) == written, (read, written)
    terms = json.loads((site.output / "search/terms-0.json").read_text(encoding="utf-8"))
    assert generator.search.search_terms("السيول")[0] in terms, "the edited words are found"


def test_a_planned_page_cannot_be_changed_under_the_stages_that_read_it(site):
    from dataclasses import replace

    site.write({"content/a.en.md": article("A")})
    result = site.build(keep_model=True)
    page = next(p for p in result.model.pages if p.kind == "article")
    with pytest.raises(TypeError):
        page.context["article"] = None  # a later stage makes a new page instead
    changed = replace(page, context={**page.context, "extra": 1})
    assert "extra" in changed.context and "extra" not in page.context


def _build_and_modules(site, modules: tuple[str, ...] = ("numpy", "scipy")) -> tuple[subprocess.CompletedProcess, str]:
    """`build` run as the CLI runs it, and which of `modules` it imported ('[]' for none)."""
    probe = ("import sys; from generator.cli import main; sys.argv = ['mujaz', 'build']; code = main(); "
             f"print(code, sorted(m for m in {modules!r} if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", probe], cwd=site.root, capture_output=True, text=True, timeout=60)
    return done, done.stdout.splitlines()[-1] if done.stdout else ""


# What only a build with work to do needs: NumPy and SciPy took a fifth of a second to import, the stages'
# own modules and libraries (Markdown, Jinja2, Babel's formats, the stemmers) 80 ms of a build that finds
# nothing changed at 10,000 stories a language (0.6 s).
STAGES = ("numpy", "scipy", "markdown", "jinja2", "babel.dates", "snowballstemmer", "stop_words", "PIL",
          "generator.rebuild", "generator.pipeline", "generator.markup", "generator.templates", "generator.related")


def test_a_build_with_nothing_to_do_imports_none_of_the_stages(site):
    site.write({"content/a.ar.md": article("خبر"), "content/a.en.md": article("A story", body="Text.")})
    first = site.cli()
    assert first.returncode == 0, first.stderr
    again, modules = _build_and_modules(site, STAGES)
    assert again.returncode == 0, again.stderr
    assert "0 rendered" in again.stdout and modules == "0 []"
    site.write({"content/a.en.md": article("A story", body="Text, edited.")})
    edited, modules = _build_and_modules(site, STAGES)
    assert edited.returncode == 0 and "(0 rendered" not in edited.stdout, edited.stdout + edited.stderr
    assert "generator.rebuild" in modules and "markdown" in modules, "the probe sees what a build imports"


def test_a_mistake_in_a_file_is_reported_before_the_rest_of_the_cache_is_read(site):
    """Only the front matter of earlier builds is read before a file's mistake is reported: the related model, the
    search entries and the page graph (2 s at 10,000 articles per language, and the NumPy they hold) are not."""
    site.write({"content/a.ar.md": article("خبر", tags="[اقتصاد]"), "content/a.en.md": article("A story", body="Text."),
                "content/b.ar.md": article("خبر آخر", "2023-09-14", tags="[اقتصاد]")})
    assert site.cli().returncode == 0
    assert (site.root / ".cache/mujaz/parsed.pickle").is_file(), "the related model the next build would read"
    site.write({"content/b.ar.md": "---\ntitle: خبر آخر\ndate: 2023-09-14\ntags: [اقتصاد\n---\nنص\n"})
    failed, modules = _build_and_modules(site)
    assert "content/b.ar.md:4: front matter is not valid YAML" in failed.stderr
    assert "Traceback" not in failed.stderr and modules == "1 []"


def test_timings_give_each_stage_its_own_peak_memory(site, monkeypatch):
    """`build --timings` prints, per stage, the most memory the build held in it: a stage that takes 300 MB
    more shows them, and a stage after they were let go does not. (The stage in which they are let go starts
    with them, and shows them too.)"""
    import generator.pipeline as pipeline
    from generator.memory import peak_since_last

    if peak_since_last() is None:
        pytest.skip("this system cannot read or reset a process's peak memory (Linux 4.0 and later can)")
    held = []

    def related_inputs_and_300_mb(*args, **kwargs):
        held.append(b"x" * (300 << 20))  # written, so in RAM
        return related_inputs(*args, **kwargs)

    related_inputs = pipeline.related_inputs
    monkeypatch.setattr(pipeline, "related_inputs", related_inputs_and_300_mb)
    monkeypatch.setattr(pipeline, "release_freed_memory", lambda: held.clear())  # after the stage, as it is called
    site.write({"content/a.ar.md": article("خبر", tags="[اقتصاد]"), "content/a.en.md": article("A story", body="Text.")})
    result = site.cli("--timings")
    assert result.returncode == 0, result.stderr
    laps = {m[3]: (float(m[1]), int(m[2])) for m in re.finditer(r"^ +(\d+\.\d\d) s +(\d+) MB  (.+)$", result.stderr, re.M)}
    assert list(laps)[:4] == ["config, theme, read content", "parse front matter", "markdown", "site model"], laps
    assert len(laps) >= 10 and all(mb > 0 for _, mb in laps.values()), result.stderr
    related, after = laps["related"][1], laps["images"][1]
    assert related - laps["site model"][1] >= 290 and related - after >= 290, laps
    whole = re.search(r"^memory at most: (\d+) MB in the build's process", result.stderr, re.M)
    assert whole and int(whole[1]) == max(mb for _, mb in laps.values()), result.stderr


def test_a_footnote_s_way_back_is_titled_in_the_page_s_language(site):
    """Python-Markdown titles it "Jump back to footnote 1 in the text" on every page, Arabic ones too."""
    body = "قال المتحدث[^1] إن الاتفاق قريب[^2].\n\n[^1]: في مؤتمر صحفي.\n[^2]: بحسب مسودة اطلعنا عليها."
    site.write({"content/a.ar.md": article("أ", body=body),
                "content/a.en.md": article("A", body="The deal is near.[^1]\n\n[^1]: At a briefing.")}).build()
    assert site.page("2023/09/13/a/").xpath('//a[@class="footnote-backref"]/@title') == [
        "العودة إلى موضع الحاشية 1 في النص", "العودة إلى موضع الحاشية 2 في النص"]
    assert site.page("en/2023/09/13/a/").xpath('//a[@class="footnote-backref"]/@title') == [
        "Back to footnote 1 in the text"]
