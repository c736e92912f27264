"""In a GitHub Actions run, what `check` finds and why a build stopped are shown on the run's page: annotations at
the file and line (ten of each kind a step, GitHub's limit) and the step's summary, which lists them all."""

from __future__ import annotations

from conftest import article
from generator.actions import annotation
from generator.errors import Diagnostic


def _run(site, tmp_path, command: str):
    summary = tmp_path / "step-summary.md"
    summary.write_text("", encoding="utf-8")
    printed = site.cli(command=command, env={"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)})
    return printed, summary.read_text(encoding="utf-8")


def test_check_annotates_ten_warnings_and_lists_every_one_in_the_run_s_summary(site, tmp_path):
    site.write({f"content/s{i:02}.ar.md": article(f"خبر رقم {i}", f"2023-09-{i + 1:02}") for i in range(12)}
               | {"content/later.ar.md": article("مسودة", "2023-09-20", summary="ملخص.", draft="true")})
    printed, summary = _run(site, tmp_path, "check")
    assert printed.returncode == 0
    lines = printed.stderr.splitlines()
    annotated = [line for line in lines if line.startswith("::warning ")]
    assert len(annotated) == 10
    assert annotated[0] == ("::warning file=content/s00.ar.md,line=1,title=Mujaz::content/s00.ar.md:1: no summary — "
                            "add summary: one sentence shown in lists, feeds and link previews")
    assert [line for line in lines if line.startswith("warning: ")] == [
        "warning: content/s10.ar.md:1: no summary — add summary: one sentence shown in lists, feeds and link previews",
        "warning: content/s11.ar.md:1: no summary — add summary: one sentence shown in lists, feeds and link previews"]
    assert summary.startswith("### Mujaz check: 0 errors, 12 warnings\n")
    rows = [line for line in summary.splitlines() if line.startswith("| content/")]
    assert len(rows) == 12 and rows[11] == ("| content/s11.ar.md:1 | warning | no summary | add summary: one sentence "
                                            "shown in lists, feeds and link previews |")
    assert "- drafts: 1 kept out of the site until their draft: true line is removed: content/later.ar.md" in summary


def test_outside_a_run_check_prints_plain_lines_and_writes_no_summary(site, tmp_path):
    site.write({"content/a.ar.md": article("خبر")})
    summary = tmp_path / "step-summary.md"
    printed = site.cli(command="check", env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert "warning: content/a.ar.md:1: no summary" in printed.stderr and "::" not in printed.stderr
    assert not summary.exists()


def test_a_build_that_stops_says_why_at_the_line_and_on_the_run_s_page(site, tmp_path):
    site.write({"content/a.ar.md": "---\ntitle: قمة\ndate: 2023-13-40\n---\nنص.\n"})
    printed, summary = _run(site, tmp_path, "build")
    assert printed.returncode == 1 and "Traceback" not in printed.stderr
    [error] = [line for line in printed.stderr.splitlines() if line.startswith("::error ")]
    assert error.startswith("::error file=content/a.ar.md,line=3,title=Mujaz::content/a.ar.md:3: ")
    assert summary.startswith("### Mujaz stopped. Build failed with 1 error; output/ was left as it was.\n")
    assert "| content/a.ar.md:3 | error |" in summary
    assert not site.output.exists()


def test_an_error_of_no_file_is_an_error_of_the_run(site, tmp_path):
    """`deploy`, in the workflow that publishes to object storage, without its settings."""
    site.write({"content/a.ar.md": article("خبر")})
    printed, summary = _run(site, tmp_path, "deploy")
    assert printed.returncode == 1
    assert printed.stderr == ("::error title=Mujaz::config.yaml has no deploy settings — add deploy: {endpoint: …, "
                              "bucket: …} (see the README, Hosting past GitHub Pages)\n")
    assert summary == ("### Mujaz stopped.\n\n- config.yaml has no deploy settings — add deploy: {endpoint: …, bucket: "
                       "…} (see the README, Hosting past GitHub Pages)\n")


def test_a_file_s_words_cannot_break_the_command_or_the_table():
    odd = Diagnostic("content/a,b:c.ar.md", "title: 100% | <b>x</b> `y`\nz", 4, "fix")
    assert annotation(odd) == ("::error file=content/a%2Cb%3Ac.ar.md,line=4,title=Mujaz::content/a,b:c.ar.md:4: "
                               "title: 100%25 | <b>x</b> `y`%0Az — fix")
    from generator.actions import summary
    [row] = [line for line in summary("h", [odd]).splitlines() if line.startswith("| content")]
    assert row == "| content/a,b:c.ar.md:4 | error | title: 100% \\| &lt;b&gt;x&lt;/b&gt; 'y' z | fix |"
    many = summary("h", [odd] * 201)
    assert many.count("| content/a,b:c.ar.md:4 |") == 200 and "And 1 more: the step's log lists them all." in many
