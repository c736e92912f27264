"""In a GitHub Actions run: what `check` finds, and why a build stopped, where an editor sees it.

An editor who publishes from the browser (/admin/) sees a run's page, not its log. A log line written as
a workflow command (`::warning file=…,line=…::…`) is shown on the run's page as an annotation, and on a
pull request's changed file at its line. GitHub shows ten annotations of each kind a step and drops the
rest without a word, so the step's summary (the Markdown file GITHUB_STEP_SUMMARY names, shown on the run's
page too) lists every finding.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping

from .errors import Diagnostic

ANNOTATED = 10  # of each kind, a step: GitHub's limit
SUMMARY_ROWS = 200  # a summary may take 1 MB; past this many rows it points to the log


def in_a_run(environ: Mapping[str, str] = os.environ) -> bool:
    return environ.get("GITHUB_ACTIONS") == "true"


def log_lines(diagnostics: Iterable[Diagnostic]) -> list[str]:
    """Each diagnostic as the log shows it: the first ANNOTATED errors and warnings as workflow commands, which
    the log shows as their text, the rest as they are."""
    shown = {"error": 0, "warning": 0}
    lines = []
    for diagnostic in diagnostics:
        shown[diagnostic.severity] += 1
        lines.append(annotation(diagnostic) if shown[diagnostic.severity] <= ANNOTATED else str(diagnostic))
    return lines


def annotation(diagnostic: Diagnostic) -> str:
    """`diagnostic` as a workflow command: an annotation at its file and line, its text as the log shows it."""
    where = f"file={_property(diagnostic.path)}" + (f",line={diagnostic.line}" if diagnostic.line else "")
    return f"::{diagnostic.severity} {where},title=Mujaz::{_data(str(diagnostic).removeprefix('warning: '))}"


def error_line(text: str) -> str:
    """An error that names no file (a config.yaml that is not there), as an annotation of the run."""
    return f"::error title=Mujaz::{_data(text.removeprefix('error: '))}"


def summary(heading: str, diagnostics: Iterable[Diagnostic], notes: Iterable[str] = ()) -> str:
    """The step's summary: a heading, every diagnostic as a row (file and line, what, how to fix), then `notes`."""
    rows = [f"| {_cell(d.path)}{f':{d.line}' if d.line else ''} | {d.severity} | {_cell(d.message)} | {_cell(d.hint)} |"
            for d in diagnostics]
    text = [f"### {heading}", ""]
    if rows:
        text += ["| file | | what | how to fix |", "|---|---|---|---|", *rows[:SUMMARY_ROWS], ""]
        if len(rows) > SUMMARY_ROWS:
            text += [f"And {len(rows) - SUMMARY_ROWS:,} more: the step's log lists them all.", ""]
    text += [f"- {_cell(note)}" for note in notes]
    return "\n".join(text).rstrip("\n") + "\n"


def add_summary(text: str, environ: Mapping[str, str] = os.environ) -> None:
    """Append `text` to the step's summary, where the run gives one."""
    path = environ.get("GITHUB_STEP_SUMMARY")
    if path:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(text)


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def _cell(text: str) -> str:
    """Plain text in a Markdown table's cell: a file's words never open a column, a tag or a code span."""
    return (" ".join(text.split()).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace("|", "\\|").replace("`", "'"))
