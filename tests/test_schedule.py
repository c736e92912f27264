"""Scheduled publishing: an article dated in the future appears with the first build after its time."""

from __future__ import annotations

import subprocess
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
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


@pytest.mark.parametrize("command", ["check", "build"])
def test_check_and_build_name_what_is_scheduled_and_when_it_goes_live(site, command):
    """A date mistyped a day or a year ahead holds a story back: each command names it, so no one waits for it."""
    site.write({"content/2023/09/now.ar.md": article("خبر منشور", summary="ملخص"),
                "content/2099/01/later.ar.md": article("خبر مجدول", date="2099-01-01T09:00:00+03:00", summary="ملخص"),
                "content/2099/02/draft.ar.md": article("مسودة", date="2099-02-01", draft="true", summary="ملخص")},
               config=CONFIG)
    for run in range(2 if command == "build" else 1):  # and again, when nothing changed and the build has no work
        result = site.cli(command=command)
        assert result.returncode == 0, result.stdout + result.stderr
        assert run == 0 or "(0 rendered, the rest unchanged)" in result.stdout, result.stdout
        scheduled = [line for line in result.stdout.splitlines() if line.startswith("scheduled:")]
        assert scheduled == ["scheduled: content/2099/01/later.ar.md goes live at 2099-01-01 09:00 (Asia/Riyadh), "
                             "with the first build after that (the Pages workflow builds every hour)"], \
            "drafts wait for draft: false"
        # `new` and the importers write drafts: one whose draft: true is forgotten would never be published.
        assert "drafts: 1 kept out of the site until their draft: true line is removed: content/2099/02/draft.ar.md" \
            in result.stdout.splitlines(), result.stdout


def test_many_drafts_are_counted_and_the_newest_named(site):
    site.write({f"content/2023/09/d{day}.ar.md": article(f"مسودة {day}", date=f"2023-09-{day:02d}", draft="true",
                                                        summary="ملخص") for day in range(1, 8)}, config=CONFIG)
    site.write({"content/2023/09/now.ar.md": article("خبر منشور", summary="ملخص")}, config=CONFIG)
    result = site.cli()
    assert result.returncode == 0, result.stderr
    assert ("drafts: 7 kept out of the site until their draft: true line is removed: content/2023/09/d7.ar.md, "
            "content/2023/09/d6.ar.md, content/2023/09/d5.ar.md, content/2023/09/d4.ar.md, content/2023/09/d3.ar.md, "
            "and 2 more") in result.stdout.splitlines(), result.stdout


def test_the_pages_workflow_publishes_every_hour():
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as true
    assert triggers["schedule"] == [{"cron": "17 * * * *"}]
    jobs = workflow["jobs"]
    assert jobs["due"]["if"] == "github.event_name == 'schedule'", "a push always publishes"
    assert jobs["build"]["needs"] == "due" and "needs.due.outputs.publish != 'false'" in jobs["build"]["if"]
    assert "no activity for 60\n  # days" in WORKFLOW.read_text(encoding="utf-8"), "GitHub's limit is stated where it applies"


def _due_script(workflow: Path) -> str:
    [step] = [s for s in yaml.safe_load(workflow.read_text(encoding="utf-8"))["jobs"]["due"]["steps"] if s.get("id") == "due"]
    return step["run"]


@pytest.mark.parametrize("workflow", [WORKFLOW, REPO / "docs/workflows/object-storage.yml"], ids=["pages", "object-storage"])
def test_the_hourly_run_publishes_only_once_a_scheduled_article_is_due(tmp_path, workflow):
    """The `due` step of the workflow, run by bash as the runner runs it, on what a build left."""
    script = _due_script(workflow)
    now = datetime.now(timezone.utc)
    cases = {"no file (a first run, an evicted cache)": (None, "true"),
             "nothing scheduled": ("", "false"),
             "due a minute ago": ((now - timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M:%SZ"), "true"),
             "due in an hour": ((now + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ"), "false"),
             "not a time": ("$(touch pwned) garbage", "true")}
    for case, (written, expected) in cases.items():
        folder = tmp_path / case.split()[0] / case.split()[-1]
        (folder / ".cache/mujaz").mkdir(parents=True)
        if written is not None:
            (folder / ".cache/mujaz/next-publish.txt").write_text(written, encoding="utf-8")
        output = folder / "github-output"
        # As Actions runs a step's script.
        done = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script], cwd=folder,
                              env={"GITHUB_OUTPUT": str(output), "PATH": "/usr/bin:/bin"},
                              capture_output=True, text=True, timeout=30)
        assert done.returncode == 0, (case, done.stderr)
        assert output.read_text() == f"publish={expected}\n", case
        assert not (folder / "pwned").exists(), "the file's text is never run"


def test_each_build_writes_when_the_next_scheduled_article_goes_live(site):
    site.write({"content/2023/09/now.ar.md": article("خبر منشور"),
                "content/2030/01/later.ar.md": article("خبر مجدول", date="2030-01-01T09:00:00+03:00"),
                "content/2030/02/last.ar.md": article("خبر أخير", date="2030-02-01T09:00:00+03:00"),
                "content/2029/05/draft.ar.md": article("مسودة", date="2029-05-01", draft="true")}, config=CONFIG)
    written = site.root / ".cache/mujaz/next-publish.txt"
    site.build(now=datetime(2029, 12, 31, tzinfo=timezone.utc))
    assert written.read_text() == "2030-01-01T06:00:00Z", "the soonest, in UTC; a draft waits for draft: false"
    site.build(now=datetime(2030, 1, 1, 6, 17, tzinfo=timezone.utc))
    assert written.read_text() == "2030-02-01T06:00:00Z"
    site.build(now=datetime(2030, 2, 1, 6, 17, tzinfo=timezone.utc))
    assert written.read_text() == "", "nothing left to schedule: the hourly runs stop at `due`"
    written.unlink()
    site.build(now=datetime(2030, 2, 1, 7, 17, tzinfo=timezone.utc))  # nothing changed: the last result stands
    assert written.read_text() == ""
