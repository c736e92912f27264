"""A story pinned to the home page (`pinned: true`, or until a day): it leads its language's home page, above newer
stories, until it is unpinned or its day ends, as a newsroom keeps its main story on top."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from conftest import BASE_CONFIG, article

CONFIG = BASE_CONFIG + "timezone: Asia/Riyadh\nper_page: 2\n"


def _home(site, route: str = "") -> tuple[list[str], list[str]]:
    """The headlines the home page leads with, and those of its list below them."""
    page = site.page(route)
    leading = page.xpath('//ol[contains(@class, "pinned")]//h2//text()')
    listed = page.xpath('//ol[@class="article-list"]//h2//text()')
    return leading, listed


PIN = {"pinned": "true"}


def _stories(**meta: dict[str, str]) -> dict[str, str]:
    """Four stories in Arabic, a day apart (d1 the oldest), two of them in English; `meta` adds lines to one, by
    name: d1=PIN."""
    files = {}
    for day in range(1, 5):
        files[f"content/2025/12/d{day}.ar.md"] = article(f"خبر اليوم {day}", f"2025-12-0{day}", summary="ملخص",
                                                           **meta.get(f"d{day}", {}))
        if day >= 3:
            files[f"content/2025/12/d{day}.en.md"] = article(f"Story of day {day}", f"2025-12-0{day}", "Text.",
                                                             summary="A summary.")
    return files


def test_a_pinned_story_leads_its_languages_home_page_and_is_listed_once(site):
    result = site.write(_stories(d1=PIN), config=CONFIG).build()
    assert not result.warnings, [str(w) for w in result.warnings]
    leading, listed = _home(site)
    assert leading == ["خبر اليوم 1"], "the oldest story, pinned, above the newer ones"
    assert listed == ["خبر اليوم 4", "خبر اليوم 3"], "and not listed again on that page"
    (mark,) = site.page("").xpath('//ol[contains(@class, "pinned")]//*[@class="pin"]/text()')
    assert mark == "مثبّت"
    # In its place on the numbered page that holds it, as the archive has it.
    assert _home(site, "page/1/") == ([], ["خبر اليوم 2", "خبر اليوم 1"])
    # The English home leads with nothing: each language's file says whether it is pinned.
    assert _home(site, "en/") == ([], ["Story of day 4", "Story of day 3"])
    # Only the home page: a tag's, a section's and the archive's lists keep the order of dates.
    assert site.page("2025/12/").xpath("//main//h2//text()")[0] == "خبر اليوم 4"


def test_a_pin_is_written_in_arabic_too_and_the_english_version_pinned_of_its_own(site):
    files = _stories()
    files["content/2025/12/d2.ar.md"] = article("خبر اليوم 2", "2025-12-02", summary="ملخص", **{"مثبّت": "true"})
    files["content/2025/12/d3.en.md"] = article("Story of day 3", "2025-12-03", "Text.", summary="A summary.",
                                                pinned="true")
    result = site.write(files, config=CONFIG).build()
    assert _home(site)[0] == ["خبر اليوم 2"]
    assert _home(site, "en/") == (["Story of day 3"], ["Story of day 4"])
    assert [str(w) for w in result.warnings] == [
        "warning: content/2025/12/d2.ar.md:5: the key 'مثبّت' in Arabic was read as pinned: — write the keys in "
        "English (their values stay as they are): the editing page reads them in English only"]


def test_a_pin_until_a_day_holds_to_its_end_and_the_hourly_build_knows_when_it_ends(site):
    site.write(_stories(d1={**PIN, "pinned_until": "2026-01-10"}), config=CONFIG)
    written = site.root / ".cache/mujaz/next-publish.txt"
    # 23:59 on 10 December in Riyadh: still pinned, and the next change the site needs is the pin's end.
    result = site.build(now=datetime(2026, 1, 10, 20, 59, tzinfo=timezone.utc))
    assert not result.warnings, [str(w) for w in result.warnings]
    assert _home(site)[0] == ["خبر اليوم 1"]
    assert written.read_text() == "2026-01-10T21:00:00Z", "midnight in Riyadh, in UTC"
    # The hourly build after midnight: nothing was edited, and the home page lists the story in its place again.
    result = site.build(now=datetime(2026, 1, 10, 21, 17, tzinfo=timezone.utc))
    assert _home(site) == ([], ["خبر اليوم 4", "خبر اليوم 3"])
    assert written.read_text() == ""
    # A pin that has ended is named (a year mistyped ends one in silence), at its line.
    assert [str(w) for w in result.warnings] == [
        "warning: content/2025/12/d1.ar.md:6: the pin ended on 2026-01-10: the story no longer leads the home page "
        "— delete pinned: and pinned_until:, or check the day's year"]


def test_a_pin_until_an_hour(site):
    site.write(_stories(d4={**PIN, "pinned_until": "2026-01-05T18:00:00+03:00"}), config=CONFIG)
    site.build(now=datetime(2026, 1, 5, 14, 59, tzinfo=timezone.utc))
    assert _home(site)[0] == ["خبر اليوم 4"]
    assert (site.root / ".cache/mujaz/next-publish.txt").read_text() == "2026-01-05T15:00:00Z"
    site.build(now=datetime(2026, 1, 5, 15, 0, tzinfo=timezone.utc))
    assert _home(site) == ([], ["خبر اليوم 4", "خبر اليوم 3"])


def test_the_home_page_leads_with_three_pinned_stories_at_most_and_names_the_others(site):
    result = site.write(_stories(d1=PIN, d2=PIN, d3=PIN, d4=PIN), config=CONFIG).build()
    assert _home(site) == (["خبر اليوم 4", "خبر اليوم 3", "خبر اليوم 2"], []), "the newest three"
    assert _home(site, "page/1/") == ([], ["خبر اليوم 2", "خبر اليوم 1"])
    assert [str(w) for w in result.warnings] == [
        "warning: content/2025/12/d1.ar.md:5: is pinned, but the home page leads with 3 stories at most, the newest "
        "pinned: content/2025/12/d4.ar.md, content/2025/12/d3.ar.md, content/2025/12/d2.ar.md — unpin a story that "
        "no longer leads (delete its pinned: line)"]


@pytest.mark.parametrize("written, message", [
    ("نعم", "5: pinned: must be true or false, not 'نعم' — write pinned: true"),
    ("2026-12-10", "5: pinned: is true or false, not '2026-12-10' — write pinned: true, and below it pinned_until: "
                   "2026-12-10"),
    ("true\npinned_until: 2029-13-45", "6: pinned_until: 2029-13-45 is not a real calendar date — check the month and day"),
    ("[true]", "5: pinned: must be true or false, not '[True]' — write true or false"),
])
def test_a_pin_written_wrong_stops_the_build_at_its_line_and_leaves_output_as_it_was(site, written, message):
    site.write(_stories(), config=CONFIG).build()
    before = site.snapshot()
    site.write(_stories(d2={"pinned": written}), config=CONFIG)
    result = site.cli()
    assert result.returncode != 0
    assert result.stderr.splitlines()[0] == f"content/2025/12/d2.ar.md:{message}", result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert site.snapshot() == before


def test_a_page_of_content_pages_is_never_pinned(site):
    files = _stories()
    files["content/pages/about.ar.md"] = "---\ntitle: من نحن\npinned: true\n---\nنشرة موجزة.\n"
    result = site.write(files, config=CONFIG).build()
    assert _home(site)[0] == []
    assert any(w.path == "content/pages/about.ar.md" and "pinned" in w.message for w in result.warnings)


def test_another_systems_sticky_story_is_named_with_mujazs_key(site):
    files = _stories()
    files["content/2025/12/d2.ar.md"] = article("خبر اليوم 2", "2025-12-02", summary="ملخص", sticky="true")
    result = site.write(files, config=CONFIG).build()
    assert _home(site)[0] == []
    assert [w.hint for w in result.warnings if w.path.endswith("d2.ar.md")] == [
        "Mujaz calls it pinned: rename the key (python -m generator convert does)"]


def test_a_last_day_without_a_pin_is_named_and_an_unpinned_story_s_is_not(site):
    """`pinned_until:` alone pins nothing (a `pinned: true` forgotten); beside `pinned: false` it is what the
    editing page leaves when its switch is turned off, and says nothing."""
    result = site.write(_stories(d1={"pinned_until": "2026-01-10"},
                                 d2={"pinned": "false", "pinned_until": "2026-01-10"}), config=CONFIG).build()
    assert _home(site)[0] == []
    assert [str(w) for w in result.warnings] == [
        "warning: content/2025/12/d1.ar.md:5: pinned_until: says when a pin ends, but the story is not pinned — add "
        "a line pinned: true above it"]
