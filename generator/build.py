"""The build, top to bottom: config → content → markup → site model → related → pages → templates → write.

Every stage is a function of its inputs, so the cache (`cache.py`) can hand back
what an earlier build made of unchanged inputs, and the slow stages (Markdown,
page rendering) can run on every core (`workers.py`).
"""

from __future__ import annotations

import gc
import os
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import NamedTuple

from . import config as config_stage
from .bodies import FOLDER as BODIES
from .cache import CACHE_DIR, BuildCache, cache_at_fault, cache_salts, unusable_cache
from .config import SiteConfig
from .content import SETTLE_NS, Source, parse_document, scan_content, settled_stamp
from .errors import Diagnostic
from .hashing import digest
from .markup import Rendered, render_bounded
from .memory import peak_since_last
from .pagegraph import PageGraph, Record, changed_sources, made_of, reason, records
from .pages import Family, Page, family_pages
from .pagestore import PageStore
from .pipeline import Planned, plan, read_content, reporter
from .site import Article, Site, make_article
from .templates import Renderer, Theme, find_theme
from .urls import Urls, output_file
from .workers import Progress, start_indices
from .writer import (MARKER, MARKER_TEXT, PAGE, FileStamp, Manifest, OutputCheck, Staging, build_lock, check_output_folder,
                     made_name, own_folder, recover_output, write_beside)

PAGES_FOLDER = "pages"  # in the cache folder: a copy of every page (pagestore.py)
LOCK_FILE = "build.lock"  # in the cache folder, even for a build that does not use the cache
# In the cache folder: when the next scheduled article goes live, for the Pages workflow's hourly run (which
# builds only once one has): ISO 8601 in UTC, or nothing when none is scheduled.
NEXT_PUBLISH = "next-publish.txt"
PICTURE_FOLDERS = ("images", "cards")  # in the cache folder: photos' copies (images.py) and share cards (pipeline.py)


@dataclass(frozen=True)
class BuildOptions:
    config_path: Path = Path("config.yaml")
    output: Path | None = None
    base_url: str | None = None
    drafts: bool = False  # include drafts and articles dated in the future
    now: datetime | None = None  # what counts as "the future"; tests fix it
    jobs: int | None = None  # worker processes; None: every core, when the work is big enough
    cache: bool = True  # reuse and update .cache/ beside config.yaml
    cache_dir: Path | None = None  # default: .cache/mujaz beside config.yaml
    progress: Callable[[str, int, int], None] | None = None  # (stage, done, total) during long stages
    keep_model: bool = False  # return the site model, for render_edited(); never skips work
    versioned_assets: bool = True  # link theme files by names that change with their bytes; the preview: False
    explain: tuple[str, ...] = ()  # files of output/ (or their addresses) to say why they were written or kept
    cache_unread: bool = False  # build as if the cache were empty, and replace it (after one that could not be used)
    # Read each stage's peak memory (Linux). It resets the process's high-water mark at every stage, so what
    # getrusage() or a parent's wait4() then report is the last stage's peak, not the build's: off by default.
    stage_memory: bool = False


@dataclass(frozen=True)
class BuildResult:
    output_dir: Path
    pages: dict[str, int]  # HTML pages in the site, per language
    files: int
    seconds: float
    warnings: tuple[Diagnostic, ...]
    rendered: int = 0  # pages rendered by this build; the others were unchanged and kept
    timings: tuple[Lap, ...] = ()  # per stage, in order
    model: Model | None = None  # with BuildOptions.keep_model
    explained: tuple[tuple[str, str | None], ...] = ()  # (asked, why it was written or kept; None: no such file)


@dataclass(frozen=True)
class Model:
    """What a finished build knew, kept by the preview server for render_edited()."""

    config: SiteConfig
    site: Site
    pages: tuple[Page, ...]  # planned by this build
    renderer: Renderer
    now: datetime
    kept: tuple[Family, ...] = ()  # the families whose pages it kept as they were, unplanned


class Lap(NamedTuple):
    stage: str
    seconds: float
    peak: int | None = None  # the most bytes the build's own process held in RAM during the stage, if asked


class _Stopwatch:
    def __init__(self, memory: bool = False) -> None:
        self.laps: list[Lap] = []
        self._memory = memory
        if memory:
            peak_since_last()  # the first stage's peak is its own, not an earlier build's (the preview's process)
        self._last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.laps.append(Lap(stage, now - self._last, peak_since_last() if self._memory else None))
        self._last = now


def build(options: BuildOptions) -> BuildResult:
    """Build the whole site into output/, or raise BuildError and leave output/ untouched."""
    # A build makes millions of objects and keeps nearly all of them to its end, so the
    # cycle collector, run every few hundred allocations, walks them again and again
    # for nothing: a fifth of an edit's time at 10,000 articles. Off until the build ends.
    enabled = gc.isenabled()
    gc.disable()
    try:
        try:
            return _build(options)
        except Exception as exc:
            if not cache_at_fault(exc) or not options.cache or options.cache_unread:
                raise
            # A cache from elsewhere may hold any value its allowed types can: what a build cannot use is
            # a reason to build without it, never a traceback.
            result = _build(replace(options, cache_unread=True))
            return replace(result, warnings=(unusable_cache(exc, "built without it, and replaced it"),)
                           + result.warnings)
    finally:
        if enabled:
            gc.enable()


def _build(options: BuildOptions) -> BuildResult:
    started = time.perf_counter()
    config = config_stage.load_config(options.config_path, base_url=options.base_url, output=options.output)
    cache_dir = options.cache_dir or config.root / CACHE_DIR
    with build_lock(cache_dir / LOCK_FILE, config.output_dir):
        recover_output(config.output_dir)
        with _image_folder(cache_dir if options.cache else None) as (images_dir, warnings):
            result = _build_locked(options, config, cache_dir, images_dir, started)
            return replace(result, warnings=tuple(warnings) + result.warnings)


def _build_locked(options: BuildOptions, config: SiteConfig, cache_dir: Path, images_dir: Path,
                  started: float) -> BuildResult:
    watch = _Stopwatch(options.stage_memory)
    now = options.now or datetime.now(timezone.utc)
    theme = find_theme(config)
    salts = cache_salts(config, theme, options.versioned_assets)
    cache = BuildCache.empty(cache_dir, salts) if options.cache_unread else \
        BuildCache.load(cache_dir if options.cache else None, salts, stamps=False)
    same_folder = cache.output_dir == str(config.output_dir)
    check_output_folder(config.output_dir, cache.output.inode if same_folder and cache.output else None)
    # Whether output/ is as the last build left it is looked for meanwhile (beside this process, on a big site).
    check = OutputCheck(config.output_dir, cache.output if same_folder else None, options.jobs)
    if not options.cache_unread:
        cache.load_stamps()
    try:
        return _build_checked(options, config, cache_dir, images_dir, started, watch, now, theme, cache, same_folder,
                              check)
    finally:
        check.cancel()  # a build that failed before it needed the check


def _build_checked(options: BuildOptions, config: SiteConfig, cache_dir: Path, images_dir: Path, started: float,
                   watch: _Stopwatch, now: datetime, theme: Theme, cache: BuildCache, same_folder: bool,
                   check: OutputCheck) -> BuildResult:
    sources, diagnostics = scan_content(config, cache.stamps)
    inputs_key = _inputs_key(config, theme, sources, diagnostics, options.drafts)
    watch.lap("config, theme, read content")
    unchanged = None if options.keep_model or options.explain else _unchanged_result(cache, config, inputs_key, now,
                                                                                     check)
    if unchanged is not None:
        if options.cache:
            _write_next_publish(cache_dir, cache.valid_until)
        watch.lap("check output")
        return replace(unchanged, seconds=time.perf_counter() - started, timings=tuple(watch.laps))

    documents = read_content(config, cache, sources, diagnostics, options.jobs)
    watch.lap("parse front matter")
    cache.load_content()
    last, whole = _last_graph(cache)
    planned = plan(config, theme, cache, documents, diagnostics, options.drafts, now, options.jobs, images_dir,
                   options.progress, watch.lap, versioned_assets=options.versioned_assets, last=last,
                   bodies_dir=cache_dir if options.cache else images_dir)
    site, pages, documents, diagnostics = planned.site, planned.pages, planned.documents, planned.diagnostics
    html_pages = Counter(page.lang for page in pages if page.file.endswith(".html"))
    html_pages.update(lang for _, record in planned.kept for file, lang, _ in record.pages if file.endswith(".html"))

    in_place = last is not None and same_folder and last.generation == cache.output.generation
    staging = Staging(config.output_dir, cache.output if same_folder else None, in_place=in_place,
                      suspect=check.result() if in_place else None)
    store = PageStore(cache_dir / PAGES_FOLDER) if options.cache else None
    try:
        count, graph, why = _write(planned, staging, options.jobs, watch, reporter(options.progress, "pages"),
                                   last, whole, store, images_dir)
        cache.output = staging.commit()
    except BaseException:
        staging.discard()
        raise
    cache.graph = replace(graph, generation=cache.output.generation)
    watch.lap("publish" if staging.in_place else "swap")
    diagnostics += _pages_size_warning(config, cache.output)
    result = BuildResult(config.output_dir, {code: html_pages[code] for code in config.language_codes if code in html_pages},
                         staging.count, time.perf_counter() - started,
                         tuple(d for d in diagnostics if d.severity == "warning"), count,
                         explained=_explain(options.explain, config, graph, why, staging))
    cache.output_dir = str(config.output_dir)
    cache.inputs = inputs_key
    cache.stamps = {s.path: (s.stamp, s.key) for s in sources if s.stamp is not None}
    cache.valid_until = min((d.date for d in documents if d.date > now), default=None)
    cache.summary = replace(result, explained=())
    cache.save()
    if options.cache:
        _write_next_publish(cache_dir, cache.valid_until)
    if store is not None:  # after the graph that names the copies is saved: a killed build leaves no dangling name
        store.prune(set(graph.copies.values()))
        PageStore(cache_dir / BODIES).prune({entry.body for entry in cache.rendered.values()
                                             if isinstance(entry, Rendered) and isinstance(entry.body, str)})
    watch.lap("save cache")
    model = Model(config, site, tuple(pages), planned.renderer, now, tuple(family for family, _ in planned.kept)) \
        if options.keep_model else None
    # The time reported covers saving the cache too: it is part of what the editor waits for.
    return replace(result, seconds=time.perf_counter() - started, timings=tuple(watch.laps), model=model)


# GitHub Pages publishes a site of at most 1 GB (its deploy action says "Deployment might fail" past it).
PAGES_LIMIT = 10**9
PAGES_WARN_FROM = 0.9  # of the limit: the next few weeks of stories still fit


def _pages_size_warning(config: SiteConfig, output: Manifest) -> list[Diagnostic]:
    """A warning when output/ nears what GitHub Pages publishes, unless the site deploys to object storage."""
    size = sum(stamp[0] for _, stamp in output.files.values())
    if config.deploy.endpoint or size < PAGES_LIMIT * PAGES_WARN_FROM:
        return []
    return [Diagnostic(config.output_dir.name + "/", f"holds {size / 10**9:.2f} GB; GitHub Pages publishes a site of "
                       "at most 1 GB", hint="turn share cards off (images: {cards: false}), or publish to object "
                       "storage (README: Hosting past GitHub Pages)", severity="warning")]


@contextmanager
def _image_folder(cache_dir: Path | None) -> Iterator[tuple[Path, list[Diagnostic]]]:
    """Where photos' copies and share cards are kept: the cache, or for a build without one, a folder removed
    after it; and a warning when the cache holds a link or a file where their folders go (a cache may come
    from elsewhere: its folders are never followed, which could lead the build's writes and removals out)."""
    warnings = []
    if cache_dir is not None:
        wrong = [name for name in PICTURE_FOLDERS if not own_folder(cache_dir / name)]
        if not wrong:
            yield cache_dir, []
            return
        warnings = [Diagnostic((CACHE_DIR / name).as_posix(), "is not a folder of the cache but a link or a file; "
                               "photos and share cards are made again on every build until it is gone",
                               hint=f"remove it (rm {(CACHE_DIR / name).as_posix()})", severity="warning")
                    for name in wrong]
    with tempfile.TemporaryDirectory(prefix="mujaz-images-") as folder:
        yield Path(folder), warnings


def render_edited(model: Model, sources: list[Source]) -> list[tuple[str, bytes]] | None:
    """The article pages of edited files, rendered at once against the last build's model.

    For the preview only, ahead of the exact rebuild that follows: it applies when
    every file is an existing article whose URL, date, tags, section and status are
    unchanged (so no other page's content depends on the edit beyond what the full
    build will redo), and returns None otherwise.
    """
    config, site = model.config, model.site
    by_source = {a.path: a for a in site.articles}
    files = []
    for source in sources:
        old = by_source.get(source.path)
        found: list[Diagnostic] = []
        doc = parse_document(source.raw, source.path, source.content_rel, config, found)
        if old is None or doc is None or any(d.severity == "error" for d in found):
            return None
        new = make_article(doc, render_bounded(doc.body, config.base_path, config.markdown, doc.path, doc.body_line),
                           site.urls, model.now)
        same_place = ("route", "lang", "group", "date", "tags", "category", "draft", "scheduled")
        if any(getattr(new, name) != getattr(old, name) for name in same_place):
            return None
        page = _article_page(model, old)
        page = replace(page, context={**page.context, "article": new}, lastmod=new.modified)
        files.append((page.file, model.renderer.render(page)))
    return files


def _article_page(model: Model, article: Article) -> Page:
    """The page of `article` as the model's build planned it, or as its family plans it (a family the build kept)."""
    planned = next((p for p in model.pages if p.kind == "article" and p.context.get("article") is article), None)
    if planned is not None:
        return planned
    family = next(f for f in model.kept if f.name == f"article/{article.group}")
    return next(p for p in family_pages(family, model.config, model.site.urls) if p.context["article"] is article)


def _inputs_key(config: SiteConfig, theme: Theme, sources: list[Source], problems: list[Diagnostic], drafts: bool) -> str:
    """Everything a build reads besides config and the theme's templates and strings (which are in the cache's
    salts): the content, static/ and the theme's assets."""
    files = [(s.path, s.key) for s in sources] + _static_entries(config.root / "static")
    if theme.static_dir:
        files += [("assets",)] + _static_entries(theme.static_dir)
    return digest(repr((drafts, files, [str(d) for d in problems])).encode("utf-8", "surrogatepass"))


def _static_entries(static: Path) -> list[tuple]:
    """Every entry under static/, links as links (a new link to a folder is a change the build must see,
    and refuse if it leads out of the site), files by size and time, a link's target by its own."""
    entries = []
    for folder, folders, names in os.walk(static):
        for name in sorted(folders + names):
            path = Path(folder, name)
            link = os.readlink(path) if path.is_symlink() else ""
            try:
                seen = path.stat()
                stamp = (seen.st_mode, seen.st_size, seen.st_mtime_ns)
            except OSError:  # a link to nothing
                stamp = ()
            entries.append((path.relative_to(static).as_posix(), link, stamp))
    return entries


def _unchanged_result(cache: BuildCache, config: SiteConfig, inputs_key: str, now: datetime,
                      check: OutputCheck) -> BuildResult | None:
    """The last build's result, if nothing it read has changed and output/ is still exactly what it wrote
    (`check`: of output/ against the last build's manifest)."""
    if cache.inputs != inputs_key or cache.summary is None or cache.output is None:
        return None
    if cache.output_dir != str(config.output_dir) or (cache.valid_until is not None and now >= cache.valid_until):
        return None
    if check.result() != frozenset() or not _sound_summary(cache.summary):
        return None
    return replace(cache.summary, rendered=0)


def _write_next_publish(cache_dir: Path, when: datetime | None) -> None:
    """NEXT_PUBLISH, written whole. Where it cannot be (a folder planted in its place), it is left out: the
    hourly run then builds, as it does without it."""
    path = cache_dir / NEXT_PUBLISH
    text = when.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ") if when is not None else ""
    partial = write_beside(path, text.encode())
    try:
        os.replace(partial, path)
    except OSError:
        partial.unlink(missing_ok=True)


def _sound_summary(summary: object) -> bool:
    """Whether a last result from the cache is as a build makes it: it is printed as this build's, outside the
    build (the cache may come from elsewhere; one that is not costs a build that renders nothing)."""
    return (type(summary) is BuildResult and type(summary.pages) is dict
            and all(type(code) is str and type(count) is int for code, count in summary.pages.items())
            and type(summary.files) is int and type(summary.warnings) is tuple
            and all(type(warning) is Diagnostic for warning in summary.warnings)
            and summary.explained == () and summary.model is None)


def _last_graph(cache: BuildCache) -> tuple[PageGraph | None, str]:
    """What the last build's pages were made from, if the cache knows; else why every page is rendered."""
    if cache.output is None or not isinstance(cache.graph, PageGraph):
        return None, ("no earlier build of this site is known (a first build, or the cache is gone or stale after a "
                      "change to config.yaml, the theme or Mujaz)")
    return cache.graph, ""


_NO_COPY = "output/ is not the folder the last build wrote, and the cache holds no sound copy of this page"


def _write(planned: Planned, staging: Staging, jobs: int | None, watch: _Stopwatch, progress: Progress | None,
           last: PageGraph | None, whole: str, store: PageStore | None,
           images_dir: Path) -> tuple[int, PageGraph, dict[str, str | None]]:
    """Stage the pages that changed and the other files. A page that did not change is kept as output/ holds
    it (in place) or copied from the page store (a whole output/); without a last graph every page is rendered.
    A family kept as the last build planned it (`planned.kept`) is planned here after all when one of its
    pages can be neither kept nor copied.

    Returns how many pages were rendered, the new page graph, and per page file why it was
    rendered (None: kept or copied as it is).
    """
    config, urls = planned.site.config, planned.site.urls
    pages = list(planned.pages)
    for page in pages:
        article = page.context.get("article")
        staging.claim(page.file, article.path if article is not None else f"page /{page.route}")
    kept = {file: family for family, record in planned.kept for file, _, _ in record.pages}
    for file, family in kept.items():
        staging.claim(file, f"the pages of {family.name}")
    graph_records = {file: last.records[file] for file in kept} if last is not None else {}
    copies = dict(last.copies) if last is not None else {}
    job = _PageJob([(page.file, "", page) for page in pages], planned.renderer, staging, store)
    if last is None:
        # Every page is rendered: that starts now, and this process records the pages meanwhile.
        pending = start_indices(_render_page, job, len(pages), jobs, progress)
        try:
            made = records(pages)
        except BaseException:
            pending()  # no worker may still be writing when the caller discards the staging folder
            raise
        watch.lap("record pages (while rendering)")
        why: dict[str, str | None] = {page.file: whole for page in pages}
    else:
        # A kept page that output/ does not hold as written (in place), or whose copy the store lacks, is planned.
        unsound = {file for file in kept if (file in staging.suspect or file not in staging.previous
                                             if staging.in_place else not copies.get(file))}
        pages += _plan_again(kept, unsound, config, urls)
        made = records(pages)
        watch.lap("record pages")
        changed = changed_sources(last.keys, planned.article_keys)
        why = {page.file: reason(last.records.get(page.file), record, changed) for page, record in zip(pages, made)}
        if staging.in_place:
            for file in why.keys() & (staging.suspect | (why.keys() - staging.previous.keys())):
                why[file] = why[file] or "its file in output/ is not as the last build wrote it"
            for file in [page.file for page in pages if why[page.file] is None] + list(kept):
                staging.keep(file)
            job = job._replace(items=[(page.file, "", page) for page in pages if why[page.file] is not None])
        else:
            # Without output/ in place, a page that did not change is copied from the store (rendered if it
            # cannot be), and so is every page of a kept family (planned and rendered if it cannot be).
            job = job._replace(items=[(page.file, copies.get(page.file, "") if why[page.file] is None else "", page)
                                      for page in pages] + [(file, copies[file], None) for file in kept])
        watch.lap("pages to render")
        pending = start_indices(_render_page, job, len(job.items), jobs, progress)
    done = list(zip(job.items, pending()))
    lost = {file for (file, _, _), result in done if result is None}
    if lost:
        again = [page for page in _plan_again(kept, lost, config, urls) if page.file in lost]
        job = job._replace(items=[(page.file, "", page) for page in again])
        done += zip(job.items, start_indices(_render_page, job, len(again), jobs, progress)())
        pages += again
        made += records(again)
        why.update((page.file, None) for page in again)
    watch.lap("render pages")
    rendered = 0
    for (file, _, _), result in done:
        if result is not None:
            stamp, name, fresh = result
            staging.record(file, PAGE, stamp)
            copies[file] = name
            if fresh:
                rendered += 1
                why[file] = why.get(file) or _NO_COPY

    extras = [(".nojekyll", b""), (MARKER, MARKER_TEXT)] + ([("CNAME", config.cname.encode() + b"\n")] if config.cname else [])
    for rel, data in extras:
        staging.claim(rel, "config.yaml")
        if not staging.ensure(rel, digest(data)):
            staging.record(rel, digest(data), staging.write(rel, data))
    tags, known = _static_tags(planned.static, last.static if last else {}, images_dir)
    staging.copy_files([(rel, path, tags[rel]) for rel, path in planned.static], made=images_dir)
    graph_records.update((page.file, record) for page, record in zip(pages, made))
    graph = PageGraph(graph_records, dict(planned.article_keys), static=known,
                      copies={file: name for file, name in copies.items() if file in graph_records and name},
                      families=planned.families)
    return rendered, graph, why


def _plan_again(kept: dict[str, Family], files: set[str], config: SiteConfig, urls: Urls) -> list[Page]:
    """The pages of every kept family that holds one of `files`, planned now; those files leave `kept`."""
    families = {id(kept[file]): kept[file] for file in files}
    pages = [page for family in families.values() for page in family_pages(family, config, urls)]
    for page in pages:
        kept.pop(page.file, None)
    return pages


def _static_tags(static: list[tuple[str, Path]], known: dict[str, tuple],
                 made: Path) -> tuple[dict[str, str], dict[str, tuple]]:
    """A hash of each copied file's bytes; a file unchanged since the last build (by the stamp rule content
    files follow) is not read. The build's own pictures under `made` (share cards, photos' copies) are never
    read: the cache names each by a hash of what it shows, and that name is its tag. At 10,000 stories the
    cards are a gigabyte, and a publish from a restored cache (new files: no stamp matches) read them all."""
    settled_before = time.time_ns() - SETTLE_NS
    tags, stamps = {}, {}
    for rel, path in static:
        name = made_name(path, made)
        if name:
            tags[rel] = "made " + name
            continue
        stamp = settled_stamp(path.stat(), settled_before)
        before = known.get(rel)
        tags[rel] = before[1] if stamp is not None and before is not None and before[0] == stamp \
            else digest(path.read_bytes())
        if stamp is not None:
            stamps[rel] = (stamp, tags[rel])
    return tags, stamps


def _explain(asked: tuple[str, ...], config: SiteConfig, graph: PageGraph, why: dict[str, str | None],
             staging: Staging) -> tuple[tuple[str, str | None], ...]:
    """For each asked path, why this build wrote its file or kept it, and what the page is made from."""
    answers = []
    for path in asked:
        file = _output_path(path, config)
        record: Record | None = graph.records.get(file) or graph.records.get(file.rstrip("/") + "/index.html")
        if record is not None:
            file = file if file in graph.records else file.rstrip("/") + "/index.html"
            because = why.get(file)
            head = f"{file}: rendered again: {because}" if because else f"{file}: kept: nothing it is made from changed"
            answers.append((path, f"{head}. Made from: {made_of(record)}"))
        elif file in staging.manifest:
            answers.append((path, f"{file}: a file copied as it is (static/, the theme's assets, a photo or a card), "
                                  "published again when its bytes change"))
        else:
            answers.append((path, None))
    return tuple(answers)


def _output_path(path: str, config: SiteConfig) -> str:
    """A path in output/ from what an editor may paste: the file, its path under output/, or its address."""
    text = path.strip()
    for prefix in (config.base_url, config.base_path):
        if prefix and prefix != "/" and text.startswith(prefix):
            text = text[len(prefix):]
            break
    absolute = Path(text)
    if absolute.is_absolute() and absolute.is_relative_to(config.output_dir):
        text = absolute.relative_to(config.output_dir).as_posix() + ("/" if text.endswith("/") else "")
    elif text.startswith(config.output_dir.name + "/"):
        text = text[len(config.output_dir.name) + 1:]
    return output_file(text.lstrip("/").removeprefix("./"))


class _PageJob(NamedTuple):
    items: list[tuple[str, str, Page | None]]  # (output file, the name of its copy in the store or "", its page)
    renderer: Renderer
    staging: Staging
    store: PageStore | None


def _render_page(job: _PageJob, i: int) -> tuple[FileStamp, str, bool] | None:
    """Stage one page, copied from the store or rendered (and then kept in the store); (stamp, its copy's
    name, whether it was rendered). None: its copy was not sound, and no page was given to render instead."""
    file, name, page = job.items[i]
    data = job.store.get(name) if name and job.store is not None else None
    if data is not None:  # its bytes checked: linked from the store, so output/ and the cache share them on disk
        return job.staging.write(file, data, copy_of=job.store.path(name)), name, False
    if name and job.store is not None:
        job.store.discard(name)
    if page is None:
        return None
    data = job.renderer.render(page)
    stamp = job.staging.write(file, data)
    # The store's copy is the staged file itself, where there is one (None: output/ keeps these very bytes).
    staged = job.staging.root / file if stamp is not None else None
    return stamp, job.store.put(data, same_as=staged) if job.store is not None else "", True
