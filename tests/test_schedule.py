"""Scheduled publishing: an article dated in the future appears with the first build after its time."""

from __future__ import annotations

from datetime import datetime, timezone

import yaml

from conftest import BASE_CONFIG, REPO, article

WORKFLOW = REPO / ".github/workflows/pages.yml"
CONFIG = BASE_CONFIG + "timezone: Asia/Riyadh\n"


def test_a_scheduled_article_appears_with_the_first_build_after_its_time(site):
    site.write({"content/2023/09/now.ar.md": article("خبر منشور"),
                "content/2030/01/later.ar.md": article("خبر مجدول", date="2030-01-01T09:00:00+03:00",
                                                       body="نص الخبر المجدول.")}, config=CONFIG)
    site.build(now=datetime(2030, 1, 1, 5, 59, tzinfo=timezone.utc))  # 08:59 in Riyadh
    assert not (site.output / "2030").exists()
    assert "خبر مجدول" not in (site.output / "index.html").read_text() + (site.output / "feed.xml").read_text()

    site.build(now=datetime(2030, 1, 1, 6, 17, tzinfo=timezone.utc))  # the hourly build at 09:17
    assert site.page("2030/01/01/later/").findtext(".//h1") == "خبر مجدول"
    # Parsed by the first build, rendered by this one: from its file, read again (the cache keeps no bodies).
    assert "نص الخبر المجدول." in site.page("2030/01/01/later/").xpath("string(//article)")
    assert not site.page("2030/01/01/later/").xpath("//*[contains(@class, 'badge')]"), "published, not a preview"
    for name in ("index.html", "feed.xml", "sitemaps/articles-2030-01.xml"):
        assert "2030/01/01/later/" in (site.output / name).read_text(), name
    assert "sitemaps/articles-2030-01.xml" in (site.output / "sitemap.xml").read_text()


def test_check_lists_what_is_scheduled_and_when_it_goes_live(site):
    site.write({"content/2023/09/now.ar.md": article("خبر منشور", summary="ملخص"),
                "content/2099/01/later.ar.md": article("خبر مجدول", date="2099-01-01T09:00:00+03:00", summary="ملخص"),
                "content/2099/02/draft.ar.md": article("مسودة", date="2099-02-01", draft="true", summary="ملخص")},
               config=CONFIG)
    result = site.cli(command="check")
    assert result.returncode == 0, result.stdout + result.stderr
    scheduled = [line for line in result.stdout.splitlines() if line.startswith("scheduled:")]
    assert scheduled == ["scheduled: content/2099/01/later.ar.md goes live at 2099-01-01 09:00 (Asia/Riyadh), "
                         "with the first build after that (the Pages workflow builds every hour)"], "drafts wait for draft: false"


def test_the_pages_workflow_publishes_every_hour():
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as true
    assert triggers["schedule"] == [{"cron": "17 * * * *"}]
    build = workflow["jobs"]["build"]
    assert build["if"] == "github.event_name != 'pull_request'", "a scheduled run builds and deploys as a push does"
    assert workflow["jobs"]["deploy"]["if"] == "github.event_name != 'pull_request'"
    assert "no activity for 60\n  # days" in WORKFLOW.read_text(encoding="utf-8"), "GitHub's limit is stated where it applies"
