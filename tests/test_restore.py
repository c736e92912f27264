"""Bringing a story back from the site's git history (`restore`, and the "Restore a story" workflow for editors
who use no git): a story deleted in /admin/, or a story as it was before a save that lost its text. Here the saves
are made as the editing page makes them, in a repository of a real site, at known times."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys

import pytest
import yaml
from PIL import Image

from conftest import REPO, article, run_actionlint

FIRST = article("انهيار سدين في درنة", "2025-01-01", "انهار سدان فوق المدينة بعد العاصفة.\n\nوجرف السيل أحياء كاملة.",
                summary="سدان ينهاران.")
LOST = article("انهيار سدين في درنة", "2025-01-01", "انهار", summary="سدان ينهاران.")
ENGLISH = article("Two dams burst above Derna", "2025-01-01", "Two dams burst after the storm.", summary="Dams burst.")
STORY = {"content/2025/01/dams.ar.md": FIRST, "content/2025/01/dams.en.md": ENGLISH}


def _git(folder, *args: str, when: str = "2025-01-01T10:00:00Z", by: str = "Editor") -> str:
    env = {**os.environ, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    return subprocess.run(["git", "-C", str(folder), "-c", f"user.name={by}", "-c", "user.email=desk@example.com",
                           *args], capture_output=True, text=True, check=True, env=env).stdout


def _save(site, message: str, when: str, by: str = "Editor") -> None:
    _git(site.root, "add", "-A")
    _git(site.root, "commit", "--quiet", "-m", message, when=when, by=by)


@pytest.fixture
def history(site):
    """A site saved three times, as /admin/ saves: the story written (1 January, 10:00), its text lost in a save
    (2 January, 10:00), then the story deleted, both its languages (3 January, 10:00). UTC is the site's zone."""
    site.write({**STORY, "content/2025/01/other.ar.md": article("خبر آخر", "2025-01-01", "نص آخر.", summary="آخر.")})
    _git(site.root, "init", "--quiet", "--initial-branch", "main")
    _save(site, "Create Articles “dams”", "2025-01-01T10:00:00Z")
    (site.root / "content/2025/01/dams.ar.md").write_text(LOST, encoding="utf-8")
    _save(site, "Update Articles “dams”", "2025-01-02T10:00:00Z", by="Sara")
    for rel in STORY:
        (site.root / rel).unlink()
    _save(site, "Delete Articles “dams”", "2025-01-03T10:00:00Z", by="Sara")
    return site


def test_a_story_deleted_in_the_editing_page_is_listed_and_brought_back(history):
    listed = history.cli(command="restore")
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.splitlines() == [
        "dams: «انهيار سدين في درنة», deleted 2025-01-03 10:00 by Sara (content/2025/01/dams.ar.md, "
        "content/2025/01/dams.en.md)",
        "1 story deleted; restore one by its name: restore NAME"]
    # Named as a reader has it: its page's address, in English.
    result = history.cli("https://example.org/digest/en/2025/01/01/dams/", command="restore")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "Restored content/2025/01/dams.ar.md", "Restored content/2025/01/dams.en.md",
        "The story is as it was on 2025-01-02 10:00, saved by Sara («Update Articles “dams”»); commit it, and the "
        "next build publishes it"]
    assert (history.root / "content/2025/01/dams.ar.md").read_text(encoding="utf-8") == LOST, "as it was deleted"
    assert (history.root / "content/2025/01/dams.en.md").read_text(encoding="utf-8") == ENGLISH
    history.build()
    assert history.page("en/2025/01/01/dams/").xpath("//h1/text()") == ["Two dams burst above Derna"]


def test_a_story_is_brought_back_as_it_was_at_a_time(history):
    """The text was lost in the save of 2 January: the story as it was at noon on 1 January has it."""
    history.cli("dams", command="restore")
    _save(history, "Restore dams", "2025-01-04T10:00:00Z")
    kept = history.cli("dams", command="restore")
    assert kept.returncode == 1 and kept.stderr.splitlines()[0] == (
        "error: dams is in the site, not deleted — to bring back an earlier version, give the time it was as you want "
        "it (--as-of \"YYYY-MM-DD HH:MM\"); its saves: 2025-01-04 10:00 by Editor; 2025-01-03 10:00 by Sara; "
        "2025-01-02 10:00 by Sara; 2025-01-01 10:00 by Editor")
    result = history.cli("content/2025/01/dams.ar.md", "--as-of", "2025-01-01 12:00", command="restore")
    assert result.returncode == 0, result.stderr
    assert (history.root / "content/2025/01/dams.ar.md").read_text(encoding="utf-8") == FIRST
    assert result.stdout.splitlines()[-1].startswith("The story is as it was on 2025-01-01 10:00, saved by Editor")
    too_early = history.cli("dams", "--as-of", "2024-12-31", command="restore")
    assert too_early.stderr.splitlines()[0] == ("error: the site's history begins after 2024-12-31 00:00: its first "
                                                "save is of 2025-01-01 10:00")
    history.build()
    assert "وجرف السيل أحياء كاملة" in history.page("2025/01/01/dams/").text_content()


def test_work_git_has_not_saved_is_never_overwritten(history):
    history.cli("dams", command="restore")
    _save(history, "Restore dams", "2025-01-04T10:00:00Z")
    story = history.root / "content/2025/01/dams.ar.md"
    story.write_text(LOST + "\nفقرة كتبها المحرر ولم يحفظها بعد.\n", encoding="utf-8")
    result = history.cli("dams", "--as-of", "2025-01-01 12:00", command="restore")
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == (
        "error: content/2025/01/dams.ar.md has changes git has not saved, which restoring would lose — commit them "
        "first (the history keeps every version), or discard them")
    assert story.read_text(encoding="utf-8").endswith("ولم يحفظها بعد.\n")


def test_a_photo_deleted_from_the_media_library_is_brought_back_as_the_build_names_it(history):
    """The build's warning names the file to restore; restore brings back its bytes, and the warning goes."""
    drawn = io.BytesIO()
    Image.new("RGB", (900, 600), "#336699").save(drawn, "PNG")
    photo = drawn.getvalue()
    history.write({"static/images/dams.png": photo,
                   "content/2025/01/other.ar.md": article("خبر آخر", "2025-01-01", "نص آخر.\n\n![السد](/images/dams.png)",
                                                          summary="آخر.")})
    _save(history, "Upload “dams.png”", "2025-01-04T10:00:00Z")
    (history.root / "static/images/dams.png").unlink()
    _save(history, "Delete “dams.png”", "2025-01-05T10:00:00Z", by="Sara")
    warned = history.cli(command="check")
    assert "put the picture at static/images/dams.png" in warned.stderr, warned.stderr
    early = history.cli("static/images/dams.png", "--as-of", "2025-01-02 12:00", command="restore")
    assert early.stderr.splitlines()[0] == ("error: static/images/dams.png was not in the site on 2025-01-02 12:00, or "
                                            "is too large to restore here")
    result = history.cli("static/images/dams.png", command="restore")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "Restored static/images/dams.png",
        "The file is as it was on 2025-01-04 10:00, saved by Editor («Upload “dams.png”»); commit it, and the next "
        "build publishes it"]
    assert (history.root / "static/images/dams.png").read_bytes() == photo
    assert "dams.png" not in history.cli(command="check").stderr
    again = history.cli("static/images/dams.png", command="restore")
    assert again.returncode == 1 and "is in the site, not deleted" in again.stderr
    never = history.cli("static/images/dam.png", command="restore")
    assert never.stderr.splitlines()[0] == ("error: no save deleted 'static/images/dam.png' — check its name: the "
                                            "build's warning about the picture names the file to restore")


@pytest.mark.parametrize("story", ["../../config.yaml", "content/../config.yaml", "--version", "-x", "a b",
                                   "static/../config.yaml", "static/",
                                   "https://example.org/digest/..", "content/2025/01/dams.ar.md\n../x"])
def test_what_names_no_story_is_refused_and_nothing_is_written(history, story):
    before = _git(history.root, "status", "--porcelain", "--untracked-files=all")
    result = history.cli("--", story, command="restore")
    assert result.returncode == 1
    assert result.stderr.splitlines()[0].startswith("error: ") and "names no story" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert _git(history.root, "status", "--porcelain", "--untracked-files=all") == before


def test_outside_a_repository_and_in_a_shallow_clone_restore_says_what_to_do(site, tmp_path, history):
    lone = tmp_path / "lone"
    shutil.copytree(history.root, lone, ignore=shutil.ignore_patterns(".git"))
    result = subprocess.run([sys.executable, "-m", "generator", "restore"], cwd=lone, capture_output=True,
                            text=True, env={**os.environ, "GIT_CEILING_DIRECTORIES": str(tmp_path)})
    assert result.returncode == 1 and result.stderr.startswith(f"error: {lone} is not in a git repository"), result.stderr
    shallow = tmp_path / "shallow"
    subprocess.run(["git", "clone", "--quiet", "--depth", "1", f"file://{history.root}", str(shallow)], check=True)
    result = subprocess.run([sys.executable, "-m", "generator", "restore"], cwd=shallow, capture_output=True, text=True)
    assert result.returncode == 1 and "holds only its last save" in result.stderr, result.stderr


# The workflow, as it runs: tools/restore-story in a clone, pushing to `origin`, which the test reads.

@pytest.fixture
def repository(history, tmp_path):
    (history.root / "tools").mkdir()
    for script in ("restore-story", "editors.sh"):
        shutil.copy(REPO / "tools" / script, history.root / "tools" / script)
    _save(history, "Tools", "2025-01-05T10:00:00Z")
    origin = tmp_path / "origin.git"
    subprocess.run(["git", "init", "--quiet", "--bare", "--initial-branch", "main", str(origin)], check=True)
    _git(history.root, "remote", "add", "origin", str(origin))
    _git(history.root, "push", "--quiet", "origin", "main")
    return origin


def _workflow(site, tmp_path, **env: str) -> tuple[subprocess.CompletedProcess, str]:
    summary = tmp_path / "summary.md"
    summary.write_text("", encoding="utf-8")
    env = {**os.environ, **env, "GITHUB_STEP_SUMMARY": str(summary), "GITHUB_REF_NAME": "main", "PY": sys.executable,
           "PATH": os.environ["PATH"], "GIT_AUTHOR_DATE": "2025-01-06T10:00:00Z",
           "GIT_COMMITTER_DATE": "2025-01-06T10:00:00Z"}
    result = subprocess.run(["bash", "tools/restore-story"], cwd=site.root, capture_output=True, text=True, env=env,
                            timeout=120)
    return result, summary.read_text(encoding="utf-8")


def test_the_actions_tab_lists_the_stories_deleted_then_restores_one_and_pushes_it(history, tmp_path, repository):
    result, summary = _workflow(history, tmp_path, STORY="", AS_OF="")
    assert result.returncode == 0, result.stderr
    assert summary.startswith("### Stories deleted\n\n- `dams: «انهيار سدين في درنة», deleted 2025-01-03 10:00 by Sara")
    assert "run the workflow again with its name" in summary
    result, summary = _workflow(history, tmp_path, STORY=" dams\n", AS_OF="2025-01-01 12:00")
    assert result.returncode == 0, result.stderr
    assert _git(repository, "log", "--format=%an|%s", "-1", "main").strip() == (
        "github-actions[bot]|Restore dams as of 2025-01-01 12:00")
    assert _git(repository, "show", "main:content/2025/01/dams.ar.md") == FIRST
    assert sorted(_git(repository, "show", "--name-only", "--format=", "main").split()) == [
        "content/2025/01/dams.ar.md", "content/2025/01/dams.en.md"]
    assert "### Restored `dams`" in summary and "- `content/2025/01/dams.ar.md`" in summary
    assert "The story is as it was on 2025-01-01 10:00, saved by Editor" in summary
    wrong, summary = _workflow(history, tmp_path, STORY="damz", AS_OF="")
    assert wrong.returncode == 1 and summary.startswith("### Nothing was restored\n\n- `error: no deleted story")
    assert len(_git(repository, "log", "--format=%H", "main").split()) == 5, "one commit, for the one restored"


def test_the_restore_workflow_passes_actionlint_and_takes_only_what_it_needs():
    workflow = REPO / ".github/workflows/restore.yml"
    result = run_actionlint(workflow)
    assert result.returncode == 0, result.stdout + result.stderr
    loaded = yaml.safe_load(workflow.read_text(encoding="utf-8"))
    assert list(loaded[True]) == ["workflow_dispatch"], "run by an editor with write access, never by a stranger"
    assert loaded["permissions"] == {"contents": "write", "actions": "write"}
    steps = loaded["jobs"]["restore"]["steps"]
    assert steps[0]["with"] == {"fetch-depth": 0}, "the whole history, which a story is brought back from"
    [step] = [step for step in steps if "run" in step]
    # The inputs are never written into the script's text, where a quote in them would be code.
    assert step["run"] == "make restore-story" and step["env"] == {
        "STORY": "${{ inputs.story }}", "AS_OF": "${{ inputs.as_of }}", "GH_TOKEN": "${{ github.token }}"}



def test_a_branch_that_refuses_the_push_is_said_on_the_run_s_page(history, tmp_path, repository):
    """A protected main (here, a hook that refuses every push): three tries, then the run says so and fails."""
    hook = repository / "hooks/pre-receive"
    hook.write_text("#!/bin/sh\necho protected >&2\nexit 1\n", encoding="utf-8")
    hook.chmod(0o755)
    result, summary = _workflow(history, tmp_path, STORY="dams", AS_OF="")
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] == (
        "error: the story could not be pushed to main — run the workflow again (if the branch is protected, let "
        "GitHub Actions push to it)")
    assert summary == "### The story could not be pushed\n\nRun the workflow again.\n"
    assert len(_git(repository, "log", "--format=%H", "main").split()) == 4, "nothing reached the branch"
