"""`check`: every stage of a build except writing, plus the warnings an editor wants before publishing.

It reads drafts and scheduled articles too (they will be published one day), renders
pages in memory (so template mistakes show), and never touches output/ or the cache.

It reads the build cache (.cache/mujaz/), never writing it: front matter, Markdown and the
related model come from there, and a page the last build rendered from the very same inputs
(its family's key, or its own record, in the page graph) is not rendered again. That render
succeeded with the same config, theme and code, which the cache's salts cover. So `check`
after a publish costs what changed since it, not a render of the whole site. A cache it
cannot use costs a check without it, never a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import NamedTuple

from .cache import CACHE_DIR, BuildCache, cache_at_fault, cache_salts, unusable_cache
from .cards import words_shown
from .config import SiteConfig, load_config
from .content import Document, drafts, scan_content, scheduled, stories
from .errors import BuildError, Diagnostic
from .pagegraph import PageGraph, reason, records
from .pages import Page
from .pipeline import across_stories, card_font, plan, read_content
from .site import Site
from .slips import MOST_NAMED
from .templates import Renderer
from .theme import Theme, find_theme
from .workers import map_indices


@dataclass(frozen=True)
class Coverage:
    """How much of one language's content has a translation."""

    lang: str
    articles: int
    translated: int
    untranslated: tuple[str, ...]  # source paths
    # (source, the untranslated story of another language it may be the translation of, what they share, the
    # translation_key to give both)
    maybe_pairs: tuple[tuple[str, str, str, str], ...] = ()

    @property
    def share(self) -> float:
        return self.translated / self.articles if self.articles else 1.0


@dataclass(frozen=True)
class CheckReport:
    errors: tuple[Diagnostic, ...]
    warnings: tuple[Diagnostic, ...]
    coverage: tuple[Coverage, ...]
    scheduled: tuple[tuple[datetime, str], ...] = ()  # (when it goes live, source path), soonest first
    drafts: tuple[str, ...] = ()  # source paths, newest first
    pages: int = 0  # in the site, drafts and scheduled articles included
    rendered: int = 0  # of them, rendered by this check; the others the last build rendered as they are
    notes: tuple[str, ...] = ()  # said, but neither warnings nor errors: nothing for an editor to fix (not --strict)


def check(config_path: Path, now: datetime | None = None, jobs: int | None = None,
          base_url: str | None = None) -> CheckReport:
    """Validate config, theme and content as a build would (the same stages: pipeline.plan), without writing anything.
    `base_url` overrides config.yaml's as `build --base-url` does: the cache of a build is used only by a check
    of the same config."""
    try:
        config = load_config(config_path, base_url=base_url)
        theme = find_theme(config)
    except BuildError as exc:
        return CheckReport(exc.diagnostics, (), ())
    now = now or datetime.now(timezone.utc)
    cache_dir = config.root / CACHE_DIR
    salts = cache_salts(config, theme, True)
    try:
        # Read, never saved: what it holds is keyed by what it was made from.
        return _check(config, theme, now, jobs, BuildCache.load(cache_dir if cache_dir.is_dir() else None, salts),
                      cache_dir)
    except Exception as exc:
        if not cache_dir.is_dir() or not cache_at_fault(exc):
            raise
        report = _check(config, theme, now, jobs, BuildCache.load(None, salts), cache_dir)
        note = unusable_cache(exc, "checked without it")
        return replace(report, notes=(f"note: {note.path}: {note.message} — {note.hint}",))


def _check(config: SiteConfig, theme: Theme, now: datetime, jobs: int | None, cache: BuildCache,
           images_dir: Path) -> CheckReport:
    sources, diagnostics = scan_content(config, cache.stamps)
    documents = None
    try:
        documents = read_content(config, cache, sources, diagnostics, jobs)
        cache.load_content()
        last = cache.graph if isinstance(cache.graph, PageGraph) else None
        # Drafts and scheduled articles too: they will be published one day. Photos only as the cache holds
        # them, and share cards linked but not drawn: nothing is written.
        planned = plan(config, theme, cache, documents, diagnostics, True, now, jobs, images_dir, last=last, draw=False)
    except BuildError as exc:
        # The warnings found before the errors too: check is where an editor asks for everything at once.
        found = [*exc.diagnostics, *(d for d in diagnostics if d.severity == "warning")]
        stopped_reading = documents is None
        # What parsed, for the translation table: plan read every file before it stopped.
        documents = [doc for _, (_, doc, _) in sorted(cache.documents.items()) if doc is not None]
        if stopped_reading:  # plan would have said these: the stories that parsed, side by side
            found += across_stories(documents, True, now)
        pages = rendered = 0
    else:
        documents = planned.documents
        changed = _not_rendered_before(planned.pages, planned.changed_articles, planned.last, cache)
        found = planned.diagnostics + _render_all(planned.site, changed, planned.renderer, jobs)
        rendered = len(changed)
        pages = len(planned.pages) + sum(len(record.pages) for _, record in planned.kept)
    found += editorial_warnings(documents)
    found += cut_headlines(stories(documents), config, theme)  # a page has no share card
    errors = tuple(d for d in found if d.severity == "error")
    warnings = tuple(d for d in found if d.severity == "warning")
    return CheckReport(errors, warnings, translation_coverage(config, stories(documents)), scheduled(documents, now),
                       drafts(documents), pages, rendered)


def _not_rendered_before(pages: list[Page], changed: frozenset[str], last: PageGraph | None,
                         cache: BuildCache) -> list[Page]:
    """The planned pages the last build did not render from the same inputs: not those whose record is the one
    it kept and none of whose articles is in `changed` (their keys are not the ones they had then), which
    `build` itself would keep (404, robots.txt and the sitemap's pieces are planned on every build)."""
    if last is None:
        return pages
    before = cache.records(page.file for page in pages)
    return [page for page, record in zip(pages, records(pages)) if reason(before.get(page.file), record, changed) is not None]


def _render_all(site: Site, pages: list, renderer: Renderer, jobs: int | None) -> list[Diagnostic]:
    """Render every page and drop the bytes; the first template error of each kind is reported (with the
    first page it broke: a mistake in a template every story uses would otherwise be a line per story)."""
    found = map_indices(_render_one, _RenderJob(pages, renderer), len(pages), jobs)
    first: dict[tuple, Diagnostic] = {}
    for d in found:
        if d is not None:
            first.setdefault((d.path, d.line, d.message), d)
    return list(first.values())


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
        found = list(doc.images_without_alt) + ([(doc.image_line, "the front matter image")]
                                                if doc.image_src and not doc.image_alt else [])
        for line, what in found[:MOST_NAMED]:
            warnings.append(Diagnostic(doc.path, f"{what} has no alt text", line,
                                       "describe the picture for readers who cannot see it", "warning"))
        if len(found) > MOST_NAMED:  # a gallery pasted whole: one line for the rest
            warnings.append(Diagnostic(doc.path, f"and {len(found) - MOST_NAMED:,} more pictures have no alt text",
                                       found[MOST_NAMED][0], "describe each, then check again", "warning"))
        if not doc.summary:
            warnings.append(Diagnostic(doc.path, "no summary", 1,
                                       "add summary: one sentence shown in lists, feeds and link previews", "warning"))
    by_group: dict[str, list[Document]] = {}
    for doc in stories(documents):  # a page of content/pages/ has no date, and pairs by its file name alone
        by_group.setdefault(doc.group, []).append(doc)
    # A story alone in its language whose name another language's lone story has: a translation in another folder.
    alone: dict[str, list[Document]] = {}
    for versions in by_group.values():
        if len(versions) == 1:
            alone.setdefault(versions[0].slug, []).append(versions[0])
    for same in alone.values():
        for doc in same[1:]:
            first = same[0]
            if doc.lang != first.lang and doc.path.rpartition("/")[0] != first.path.rpartition("/")[0]:
                warnings.append(Diagnostic(doc.path, f"is not paired with {first.path} as its translation: translations "
                                           "pair when they sit in one folder", 1, "move one beside the other, or give "
                                           f"both translation_key: {doc.slug}", "warning"))
    for versions in by_group.values():
        first = versions[0]
        for other in versions[1:]:
            if other.date.date() != first.date.date():
                warnings.append(Diagnostic(other.path, f"dated {other.date.date()} but its translation {first.path} "
                                           f"is dated {first.date.date()}", 1,
                                           "give translations the same date so they sit on the same day page",
                                           "warning"))
    return warnings


# A title of real words shorter than this fits its share card (measured: 137 characters in English and 181 in
# Arabic at least). Only longer ones are laid out, 2 ms each: most titles of a digest are far shorter.
CARD_CUT_FROM = 130


def cut_headlines(documents: list[Document], config: SiteConfig, theme: Theme) -> list[Diagnostic]:
    """A title too long for its share card, which link previews show: the card cuts it with "…"."""
    font = card_font(theme)
    if not config.images.cards or font is None:
        return []
    warnings = []
    for doc in documents:
        if len(doc.title) >= CARD_CUT_FROM:
            shown = words_shown(doc.title, str(font), config.language(doc.lang).direction == "rtl")
            if shown is not None:
                warnings.append(Diagnostic(doc.path, f"the title is {len(doc.title)} characters long: its share card, "
                                           f"which link previews show, cuts it after {shown} words", doc.title_line,
                                           f"shorten it (under {CARD_CUT_FROM} characters fits in either language)",
                                           "warning"))
    return warnings


def translation_coverage(config: SiteConfig, documents: list[Document]) -> tuple[Coverage, ...]:
    languages_of: dict[str, set[str]] = {}
    for doc in documents:
        languages_of.setdefault(doc.group, set()).add(doc.lang)
    untranslated = [d for d in documents if len(languages_of[d.group]) < len(config.language_codes)]
    alone: dict = {}  # day → the untranslated stories of that day: a site in one language has thousands
    for doc in untranslated:
        alone.setdefault(doc.date.date(), []).append(doc)
    report = []
    for lang in config.language_codes:
        mine = sum(d.lang == lang for d in documents)
        lonely = sorted((d for d in untranslated if d.lang == lang), key=lambda d: d.path)
        pairs = tuple(pair for pair in (_maybe_pair(d, alone) for d in lonely) if pair)
        report.append(Coverage(lang, mine, mine - len(lonely), tuple(d.path for d in lonely), pairs))
    return tuple(report)


def _maybe_pair(doc: Document, alone: dict) -> tuple[str, str, str, str] | None:
    """The one untranslated story of another language, of the same day, with the same picture or source address:
    most likely its translation under another file name (`قمة-الرياض.ar.md`, `riyadh-summit.en.md`), which no
    language switcher joins until both give one translation_key."""
    found = [(other, "picture" if doc.image_src and other.image_src == doc.image_src else "source")
             for other in alone[doc.date.date()] if other.lang != doc.lang
             and (doc.image_src and other.image_src == doc.image_src or doc.source_url and other.source_url == doc.source_url)]
    if len(found) != 1:
        return None
    other, shared = found[0]
    key = min((doc.slug, other.slug), key=lambda slug: (not slug.isascii(), slug))  # the same for both
    return doc.path, other.path, shared, key
