"""Importing from the Actions tab, for editors who use no terminal and no git: the "Import a story" workflow runs
tools/import-drafts, which imports the address given as drafts and pushes them. Here the script runs as the workflow
runs it, in a clone of a site's repository, against a local web server, and the repository it pushes to is read."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest
import yaml

from conftest import ONLINE, REPO, LocalServer, run_actionlint
from test_import_files import FORMATTED_PAGE, RELS, SAVED_PAGE, STORY, _docx, _drawing, _photo


def _git(folder, *args: str) -> str:
    return subprocess.run(["git", "-C", str(folder), *args], capture_output=True, text=True, check=True).stdout


@pytest.fixture
def repository(site, tmp_path):
    """A site's repository as the workflow checks it out: a clone of `origin` (which the test reads) on main."""
    site.write({"content/2025/01/old.ar.md": "---\ntitle: خبر قديم\ndate: 2025-01-01\n---\nنص الخبر القديم.\n"})
    (site.root / "tools").mkdir()
    for script in ("import-drafts", "push-pictures", "editors.sh"):
        shutil.copy(REPO / "tools" / script, site.root / "tools" / script)
    origin = tmp_path / "origin.git"
    subprocess.run(["git", "init", "--quiet", "--bare", "--initial-branch", "main", str(origin)], check=True)
    _git(site.root, "init", "--quiet", "--initial-branch", "main")
    _git(site.root, "add", "-A")
    _git(site.root, "-c", "user.name=Editor", "-c", "user.email=editor@example.com", "commit", "--quiet", "-m", "Site")
    _git(site.root, "remote", "add", "origin", str(origin))
    _git(site.root, "push", "--quiet", "origin", "main")
    return origin


def _run(site, tmp_path, address: str, what: str = "story") -> tuple[subprocess.CompletedProcess, str]:
    return _script(site, tmp_path, "import-drafts", ADDRESS=address, WHAT=what)


def _script(site, tmp_path, script: str, **env: str) -> tuple[subprocess.CompletedProcess, str]:
    """tools/`script` run as its workflow runs it, with `env` added: what it did, and the run's summary."""
    summary = tmp_path / "summary.md"
    summary.write_text("", encoding="utf-8")
    env = {**os.environ, **env, "GITHUB_STEP_SUMMARY": str(summary), "GITHUB_REF_NAME": "main", "PY": sys.executable,
           **ONLINE}
    result = subprocess.run(["bash", f"tools/{script}"], cwd=site.root, capture_output=True, text=True, env=env,
                            timeout=120)
    return result, summary.read_text(encoding="utf-8")


@pytest.mark.parametrize("name, permissions, job, env", [
    # The address is never written into the script's text, where a quote in it would be code.
    ("import", {"contents": "write"}, "import", {"ADDRESS": "${{ inputs.address }}", "WHAT": "${{ inputs.what }}"}),
    # Besides pushing, it may start a workflow: the Pages one, which its push does not start.
    ("pictures", {"contents": "write", "actions": "write"}, "bring", {"GH_TOKEN": "${{ github.token }}"}),
])
def test_the_editors_workflows_pass_actionlint_and_take_only_what_they_need(name, permissions, job, env):
    workflow = REPO / f".github/workflows/{name}.yml"
    result = run_actionlint(workflow)
    assert result.returncode == 0, result.stdout + result.stderr
    loaded = yaml.safe_load(workflow.read_text(encoding="utf-8"))
    assert list(loaded[True]) == ["workflow_dispatch"], "run by an editor with write access, never by a stranger"
    assert loaded["permissions"] == permissions
    [step] = [step for step in loaded["jobs"][job]["steps"] if "run" in step]
    assert step["run"] == f"make {'import-drafts' if name == 'import' else 'push-pictures'}" and step["env"] == env


def test_a_story_imported_from_the_actions_tab_is_pushed_as_a_draft(site, tmp_path, repository):
    server = LocalServer(FORMATTED_PAGE.encode())
    try:
        result, summary = _run(site, tmp_path, f" {server.url}/2025/12/water\n")
        again, summary_again = _run(site, tmp_path, f"{server.url}/2025/12/water")
    finally:
        server.close()
    assert result.returncode == 0, result.stderr
    assert _git(repository, "log", "--format=%an|%s", "-1", "main").strip() == (
        f"github-actions[bot]|Import as drafts: {server.url}/2025/12/water")
    [added] = _git(repository, "show", "--name-only", "--format=", "main").split()
    assert added.startswith("content/2025/12/") and added.endswith(".ar.md")
    draft = _git(repository, "show", f"main:{added}")
    assert "draft: true" in draft and "**محطة تحلية**" in draft, "pushed as a draft, its formatting kept"
    assert f"### Imported as drafts from `{server.url}/2025/12/water`" in summary and f"- `{added}`" in summary
    assert "turn \"draft\" off to publish it" in summary
    assert again.returncode == 0, again.stderr
    assert "### Nothing new at" in summary_again and "already in" in summary_again
    assert len(_git(repository, "log", "--format=%H", "main").split()) == 2, "nothing imported twice"


def test_several_stories_pasted_at_once_are_pushed_together_or_none(site, tmp_path, repository):
    """An editor pastes the addresses of the morning's stories apart by spaces or lines: one run imports them all,
    in one commit; one that is no address stops the run before anything is imported."""
    server = LocalServer(routes={"/water": (FORMATTED_PAGE.encode(), "text/html; charset=utf-8"),
                                 "/library": (SAVED_PAGE.encode(), "text/html; charset=utf-8")})
    try:
        result, summary = _run(site, tmp_path, f"{server.url}/water  \n{server.url}/library\n")
        mixed, summary_mixed = _run(site, tmp_path, f"{server.url}/water and more")
        feeds, _ = _run(site, tmp_path, f"{server.url}/a.xml {server.url}/b.xml", "feed")
    finally:
        server.close()
    assert result.returncode == 0, result.stderr
    assert _git(repository, "log", "--format=%s", "-1", "main").strip() == (
        f"Import as drafts: {server.url}/water {server.url}/library")
    added = _git(repository, "show", "--name-only", "--format=", "main").split()
    assert len(added) == 2 and all(path.endswith(".ar.md") for path in added), added
    assert f"### Imported as drafts from `{server.url}/water {server.url}/library`" in summary
    assert mixed.returncode == 1 and "`and` is not a web address" in summary_mixed
    assert feeds.returncode == 1 and "import one feed at a time" in feeds.stderr
    assert len(_git(repository, "log", "--format=%H", "main").split()) == 2, "one commit for both, none after"
    assert _git(site.root, "status", "--porcelain") == ""


def test_a_word_document_at_an_address_is_pushed_with_its_photo(site, tmp_path, repository):
    """A press office links its release as a Word document: the draft and the photo in it are pushed together."""
    document = tmp_path / "release.docx"
    _docx(document, STORY.replace("</w:p>", _drawing("rId9", "مدخل المكتبة") + "</w:p>", 1),
          {"word/_rels/document.xml.rels": RELS, "word/media/image1.jpeg": _photo("#336699")})
    server = LocalServer(document.read_bytes(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    try:
        result, summary = _run(site, tmp_path, f"{server.url}/releases/library.docx")
    finally:
        server.close()
    assert result.returncode == 0, result.stderr
    added = sorted(_git(repository, "show", "--name-only", "--format=", "main").split())
    assert added == ["content/2025/12/ftth-mktbh-mh-jdydh-fy-wst-lmdynh.ar.md",
                     "static/images/ftth-mktbh-mh-jdydh-fy-wst-lmdynh.jpg"]
    assert "/images/ftth-mktbh-mh-jdydh-fy-wst-lmdynh.jpg" in _git(repository, "show", f"main:{added[0]}")
    assert _git(site.root, "status", "--porcelain") == ""


def test_a_feed_s_new_items_are_pushed_as_drafts(site, tmp_path, repository):
    feed = ("<?xml version='1.0' encoding='UTF-8'?><rss version='2.0'><channel><title>وكالة الأنباء</title>"
            "<link>https://agency.example/</link>" + "".join(
                f"<item><title>{title}</title><link>https://agency.example/{n}</link>"
                f"<pubDate>Mon, 15 Dec 2025 0{n}:00:00 GMT</pubDate><description>{text}</description></item>"
                for n, title, text in ((1, "افتتاح محطة تحلية جديدة", "افتتحت الحكومة محطة تحلية على الساحل."),
                                       (2, "بدء موسم حصاد التمور", "بدأ المزارعون حصاد التمور في الواحات.")))
            + "</channel></rss>")
    server = LocalServer(feed.encode(), "application/rss+xml")
    try:
        result, summary = _run(site, tmp_path, f"{server.url}/rss.xml", "feed")
    finally:
        server.close()
    assert result.returncode == 0, result.stderr
    added = _git(repository, "show", "--name-only", "--format=", "main").split()
    assert len(added) == 2 and all(path.endswith(".ar.md") for path in added)
    assert all(f"- `{path}`" in summary for path in added)


def test_an_address_that_gives_no_story_is_said_on_the_run_s_page_and_nothing_is_pushed(site, tmp_path, repository):
    server = LocalServer(b"")
    try:
        missing, summary = _run(site, tmp_path, f"{server.url}/gone")
    finally:
        server.close()
    assert missing.returncode == 1
    assert f"### Nothing was imported from `{server.url}/gone`" in summary
    assert "cannot be fetched (Not Found)" in summary
    words, summary_words = _run(site, tmp_path, "الخبر عن محطة التحلية")
    assert words.returncode == 1 and "is not a web address" in summary_words
    assert len(_git(repository, "log", "--format=%H", "main").split()) == 1, "nothing pushed"
    assert _git(site.root, "status", "--porcelain") == "", "and nothing left in the checkout"


def test_an_editor_s_save_pushed_meanwhile_is_kept(site, tmp_path, repository):
    """An editor saved in /admin/ while the workflow ran: the drafts go on top of their commit."""
    elsewhere = tmp_path / "elsewhere"
    subprocess.run(["git", "clone", "--quiet", str(repository), str(elsewhere)], check=True)
    (elsewhere / "content/2025/01/old.ar.md").write_text("---\ntitle: خبر قديم\ndate: 2025-01-01\n---\nنص معدل.\n",
                                                         encoding="utf-8")
    _git(elsewhere, "-c", "user.name=Editor", "-c", "user.email=editor@example.com", "commit", "--quiet", "-am", "Edit")
    _git(elsewhere, "push", "--quiet", "origin", "main")
    server = LocalServer(FORMATTED_PAGE.encode())
    try:
        result, _ = _run(site, tmp_path, f"{server.url}/2025/12/water")
    finally:
        server.close()
    assert result.returncode == 0, result.stderr
    assert _git(repository, "log", "--format=%s", "main").splitlines() == [
        f"Import as drafts: {server.url}/2025/12/water", "Edit", "Site"]


def test_pictures_from_other_sites_are_brought_pushed_and_the_site_published_from_the_actions_tab(site, tmp_path,
                                                                                                 repository):
    """An editor pasted a story with an outlet's picture in /admin/: one run of the workflow brings it in, pushes the
    picture and the story naming it, and asks GitHub to publish the site (which a push with the workflow's own
    token does not)."""
    from test_bring_pictures import _jpeg

    server = LocalServer(routes={"/port.jpg": (_jpeg("blue"), "image/jpeg")})
    story = "---\ntitle: خبر الميناء\ndate: 2025-01-02\n---\nنص.\n\n![الميناء]({}/port.jpg)\n\n![x]({}/gone)\n"
    (site.root / "content/2025/01/port.ar.md").write_text(story.format(server.url, server.url), encoding="utf-8")
    _git(site.root, "add", "-A")
    _git(site.root, "-c", "user.name=Editor", "-c", "user.email=editor@example.com", "commit", "--quiet", "-m", "Port")
    _git(site.root, "push", "--quiet", "origin", "main")
    tools = tmp_path / "bin"
    tools.mkdir()
    (tools / "gh").write_text(f"#!/bin/sh\necho \"$*\" >> {tmp_path}/gh-asked\n", encoding="utf-8")
    (tools / "gh").chmod(0o755)
    path = f"{tools}:{os.environ['PATH']}"
    try:
        result, text = _script(site, tmp_path, "push-pictures", PATH=path)
        again, text_again = _script(site, tmp_path, "push-pictures", PATH=path)
    finally:
        server.close()
    assert result.returncode == 0, result.stderr
    assert _git(repository, "log", "--format=%an|%s", "-1", "main").strip() == (
        "github-actions[bot]|Bring pictures into the site")
    assert sorted(_git(repository, "show", "--name-only", "--format=", "main").split()) == [
        "content/2025/01/port.ar.md", "static/images/port.jpg"]
    assert "![الميناء](/images/port.jpg)" in _git(repository, "show", "main:content/2025/01/port.ar.md")
    assert (tmp_path / "gh-asked").read_text(encoding="utf-8") == "workflow run pages.yml --ref main\n"
    assert "### 1 picture brought into the site" in text and "- `static/images/port.jpg`" in text
    assert "- `content/2025/01/port.ar.md`" in text and "The site is being published" in text
    assert f"{server.url}/gone could not be brought (Not Found)" in text
    # Run again: nothing new to bring, nothing committed, no publish asked for.
    assert again.returncode == 0, again.stderr
    assert "### No picture to bring" in text_again
    assert len(_git(repository, "log", "--format=%H", "main").split()) == 3
    assert (tmp_path / "gh-asked").read_text(encoding="utf-8").count("workflow run") == 1
    assert _git(site.root, "status", "--porcelain") == ""
