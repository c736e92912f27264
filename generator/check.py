"""`check`: every stage of a build except writing, plus the warnings an editor wants before publishing.

It reads drafts and scheduled articles too (they will be published one day), renders
every page in memory (so template mistakes show), and never touches output/ or the cache.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import NamedTuple

from .cache import BuildCache
from .config import SiteConfig, load_config
from .content import Document, scan_content
from .errors import BuildError, Diagnostic
from .pipeline import plan
from .site import Site
from .templates import Renderer, find_theme
from .workers import map_indices

# Markdown images with empty alt text (`![](…)`, `![ ](…)`, `![][ref]`) and raw <img> tags.
_MD_IMAGE = re.compile(r"!\[\s*\]\s*[(\[]")
_HTML_IMAGE = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_ALT = re.compile(r"""\balt\s*=\s*(?:"\s*[^"\s][^"]*"|'\s*[^'\s][^']*'|[^\s"'>]+)""", re.IGNORECASE)


@dataclass(frozen=True)
class Coverage:
    """How much of one language's content has a translation."""

    lang: str
    articles: int
    translated: int
    untranslated: tuple[str, ...]  # source paths

    @property
    def share(self) -> float:
        return self.translated / self.articles if self.articles else 1.0


@dataclass(frozen=True)
class CheckReport:
    errors: tuple[Diagnostic, ...]
    warnings: tuple[Diagnostic, ...]
    coverage: tuple[Coverage, ...]
    scheduled: tuple[tuple[datetime, str], ...] = ()  # (when it goes live, source path), soonest first


def check(config_path: Path, now: datetime | None = None, jobs: int | None = None) -> CheckReport:
    """Validate config, theme and content as a build would (the same stages: pipeline.plan), without writing anything."""
    try:
        config = load_config(config_path)
        theme = find_theme(config)
    except BuildError as exc:
        return CheckReport(exc.diagnostics, (), ())
    now = now or datetime.now(timezone.utc)
    sources, diagnostics = scan_content(config)
    cache = BuildCache.load(None, "")  # empty, and never saved: check reads everything and keeps nothing
    try:
        # Drafts and scheduled articles too: they will be published one day.
        planned = plan(config, theme, cache, sources, diagnostics, True, now, jobs, images_dir=None, keep_bodies=True)
    except BuildError as exc:
        found = list(exc.diagnostics)
        # What parsed, for the translation table: plan read every file before it stopped.
        documents = [doc for _, (_, doc, _) in sorted(cache.documents.items()) if doc is not None]
    else:
        documents = planned.documents
        found = planned.diagnostics + _render_all(planned.site, planned.pages, planned.renderer, jobs)
    found += editorial_warnings(documents)
    errors = tuple(d for d in found if d.severity == "error")
    warnings = tuple(d for d in found if d.severity == "warning")
    scheduled = tuple(sorted((d.date, d.path) for d in documents if not d.draft and d.date > now))
    return CheckReport(errors, warnings, translation_coverage(config, documents), scheduled)


def _render_all(site: Site, pages: list, renderer: Renderer, jobs: int | None) -> list[Diagnostic]:
    """Render every page and drop the bytes; the first template error of each kind is reported."""
    found = map_indices(_render_one, _RenderJob(pages, renderer), len(pages), jobs)
    unique = dict.fromkeys(d for d in found if d is not None)
    return list(unique)


class _RenderJob(NamedTuple):
    pages: list
    renderer: Renderer


def _render_one(job: _RenderJob, i: int) -> Diagnostic | None:
    try:
        job.renderer.render(job.pages[i])
    except BuildError as exc:
        return exc.diagnostics[0]
    return None


def editorial_warnings(documents: list[Document]) -> list[Diagnostic]:
    """What a build accepts but a reader would miss: alt text, summaries, translations on other days."""
    warnings = []
    for doc in documents:
        for line, what in _images_without_alt(doc):
            warnings.append(Diagnostic(doc.path, f"{what} has no alt text", line,
                                       "describe the picture for readers who cannot see it", "warning"))
        if not doc.summary:
            warnings.append(Diagnostic(doc.path, "no summary", 1,
                                       "add summary: one sentence shown in lists, feeds and link previews", "warning"))
    by_group: dict[str, list[Document]] = {}
    for doc in documents:
        by_group.setdefault(doc.group, []).append(doc)
    for versions in by_group.values():
        first = versions[0]
        for other in versions[1:]:
            if other.date.date() != first.date.date():
                warnings.append(Diagnostic(other.path, f"dated {other.date.date()} but its translation {first.path} "
                                           f"is dated {first.date.date()}", 1,
                                           "give translations the same date so they sit on the same day page",
                                           "warning"))
    return warnings


def _images_without_alt(doc: Document) -> list[tuple[int, str]]:
    found = []
    for lineno, text in enumerate(doc.body.splitlines(), start=doc.body_line):
        if _MD_IMAGE.search(text):
            found.append((lineno, "an image"))
        for tag in _HTML_IMAGE.findall(text):
            if not _ALT.search(tag):
                found.append((lineno, "an <img>"))
    if doc.image_src and not doc.image_alt:
        found.append((1, "the front matter image"))
    return found


def translation_coverage(config: SiteConfig, documents: list[Document]) -> tuple[Coverage, ...]:
    languages_of: dict[str, set[str]] = {}
    for doc in documents:
        languages_of.setdefault(doc.group, set()).add(doc.lang)
    report = []
    for lang in config.language_codes:
        mine = sorted((d for d in documents if d.lang == lang), key=lambda d: d.path)
        lonely = tuple(d.path for d in mine if len(languages_of[d.group]) < len(config.language_codes))
        report.append(Coverage(lang, len(mine), len(mine) - len(lonely), lonely))
    return tuple(report)
