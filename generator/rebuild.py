"""The rest of a build that has work to do: read what changed, plan, render and write, save the cache.

build.py starts every build and hands over here once it finds that something changed; only then are the
stages imported (Python-Markdown, Jinja2, Babel, numpy), which a build with nothing to do never needs.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable
from itertools import chain
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import NamedTuple

from .bodies import FOLDER as BODIES
from .build import Begun, BuildResult, Stopwatch, write_next_publish
from .cache import BuildCache
from .config import SiteConfig
from .content import SETTLE_NS, Source, drafts, parse_document, scheduled, settled_stamp, stories
from .errors import Diagnostic
from .hashing import digest
from .markup import Rendered, render_bounded
from .pagegraph import PageGraph, Record, made_of, reason, records
from .pages import Family, Page, family_pages
from .pagestore import PageStore
from .pipeline import Planned, plan, read_content, reporter
from .site import Article, Site, make_article, with_story_links
from .templates import Renderer
from .urls import Urls, output_file
from .workers import Progress, release_freed_memory, start_indices
from .manifest import FileStamp, Manifest
from .writer import MARKER, MARKER_TEXT, PAGE, Staging, made_name

PAGES_FOLDER = "pages"  # in the cache folder: a copy of every page (pagestore.py)


@dataclass(frozen=True)
class Model:
    """What a finished build knew, kept by the preview server for render_edited()."""

    config: SiteConfig
    site: Site
    pages: tuple[Page, ...]  # planned by this build
    renderer: Renderer
    now: datetime
    kept: tuple[Family, ...] = ()  # the families whose pages it kept as they were, unplanned


def build_changed(begun: Begun) -> BuildResult:
    """The build from where build.py found work to do to its end: output/ written, the cache saved."""
    options, config, cache, watch, now = begun.options, begun.config, begun.cache, begun.watch, begun.now
    cache_dir, images_dir, diagnostics = begun.cache_dir, begun.images_dir, begun.diagnostics
    documents = read_content(config, cache, begun.sources, diagnostics, options.jobs)
    watch.lap("parse front matter")
    cache.load_content()
    last, whole = _last_graph(cache)
    planned = plan(config, begun.theme, cache, documents, diagnostics, options.drafts, now, options.jobs, images_dir,
                   options.progress, watch.lap, versioned_assets=options.versioned_assets, last=last,
                   bodies_dir=cache_dir if options.cache else images_dir,
                   defer=not options.keep_model)  # the preview's model holds every page it planned
    site, pages, documents, diagnostics = planned.site, planned.pages, planned.documents, planned.diagnostics
    if last is not None and planned.last is None:
        last, whole = None, ("the pages every page's footer links changed (a page of content/pages/ added, removed, "
                             "retitled or reordered)")
    html_pages = Counter(page.lang for page in pages if page.file.endswith(".html"))
    html_pages.update(lang for _, record in planned.kept for file, lang, _ in record.pages if file.endswith(".html"))
    html_pages.update(lang for family in planned.deferred for file, lang, _ in planned.families[family.name].pages
                      if file.endswith(".html"))

    in_place = last is not None and begun.same_folder and last.generation == cache.output.generation
    staging = Staging(config.output_dir, cache.output if begun.same_folder else None, in_place=in_place,
                      suspect=begun.check.result() if in_place else None)
    store = PageStore(cache_dir / PAGES_FOLDER) if options.cache else None
    try:
        count, graph, why = _write(planned, staging, options.jobs, watch, reporter(options.progress, "pages"),
                                   last, cache.records, whole, store, images_dir)
        cache.output = staging.commit()
    except BaseException:
        staging.discard()
        raise
    cache.graph = replace(graph, generation=cache.output.generation)
    watch.lap("publish" if staging.in_place else "swap")
    diagnostics += _pages_size_warning(config, cache.output)
    result = BuildResult(config.output_dir, {code: html_pages[code] for code in config.language_codes if code in html_pages},
                         staging.count, time.perf_counter() - begun.started,
                         tuple(d for d in diagnostics if d.severity == "warning"), count,
                         explained=_explain(options.explain, config, graph, cache.records, why, staging),
                         scheduled=() if options.drafts else scheduled(documents, now),
                         drafts=() if options.drafts else drafts(documents))
    cache.output_dir = str(config.output_dir)
    cache.inputs = begun.inputs_key
    cache.stamps = {s.path: (s.stamp, s.key) for s in begun.sources if s.stamp is not None}
    # The next build that changes the site without an edit: a story's date comes, or a pin ends.
    cache.valid_until = min([d.date for d in stories(documents) if d.date > now]
                            + [d.pinned_until for d in documents if d.pinned_until is not None and d.pinned_until > now],
                            default=None)
    cache.summary = replace(result, explained=())
    cache.save()
    if options.cache:
        write_next_publish(cache_dir, cache.valid_until)
    if store is not None:  # after the graph that names the copies is saved: a killed build leaves no dangling name
        store.prune(set(graph.copies.values()))
        PageStore(cache_dir / BODIES).prune({entry.body for entry in cache.rendered.values()
                                             if isinstance(entry, Rendered) and isinstance(entry.body, str)})
    watch.lap("save cache")
    model = Model(config, site, tuple(pages), planned.renderer, now, tuple(family for family, _ in planned.kept)) \
        if options.keep_model else None
    # The time reported covers saving the cache too: it is part of what the editor waits for.
    return replace(result, seconds=time.perf_counter() - begun.started, timings=tuple(watch.laps), model=model)


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
        new = make_article(doc, render_bounded(doc.body, config.base_url, config.markdown, doc.path, doc.body_line),
                           site.urls, model.now)
        new = with_story_links([new], site.articles, config.base_path)[0]
        same_place = ("route", "lang", "group", "date", "tags", "category", "bylines", "draft", "scheduled",
                      "pinned")
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


def _last_graph(cache: BuildCache) -> tuple[PageGraph | None, str]:
    """What the last build's pages were made from, if the cache knows; else why every page is rendered."""
    if cache.output is None or not isinstance(cache.graph, PageGraph):
        return None, ("no earlier build of this site is known (a first build, or the cache is gone or stale after a "
                      "change to config.yaml, the theme or Mujaz)")
    return cache.graph, ""


_NO_COPY = "output/ is not the folder the last build wrote, and the cache holds no sound copy of this page"


def _write(planned: Planned, staging: Staging, jobs: int | None, watch: Stopwatch, progress: Progress | None,
           last: PageGraph | None, last_records: Callable[[Iterable[str]], dict[str, Record]], whole: str,
           store: PageStore | None, images_dir: Path) -> tuple[int, PageGraph, dict[str, str | None]]:
    """Stage the pages that changed and the other files. A page that did not change is kept as output/ holds
    it (in place) or copied from the page store (a whole output/); without a last graph every page is rendered.
    A family kept as the last build planned it (`planned.kept`) is planned here after all when one of its
    pages can be neither kept nor copied.

    Returns how many pages were rendered, the new page graph (the records of the pages planned: the others' are
    the last build's, read with `last_records`), and per page file why it was rendered (None: kept or copied as
    it is).
    """
    config, urls = planned.site.config, planned.site.urls
    pages = list(planned.pages)
    for page in pages:
        article = page.context.get("article")
        staging.claim(page.file, article.path if article is not None else f"page /{page.route}")
    kept = {file: family for family, record in planned.kept for file, _, _ in record.pages}
    for file, family in kept.items():
        staging.claim(file, f"the pages of {family.name}")
    # A deferred family's pages, each as its family and its place in it (`_render_page` plans them again).
    later = [(file, (family, at)) for family in planned.deferred
             for at, (file, _, _) in enumerate(planned.families[family.name].pages)]
    for file, (family, _) in later:
        staging.claim(file, f"the pages of {family.name}")
    copies = dict(last.copies) if last is not None else {}
    plan_family = lambda family: family_pages(family, config, urls)  # noqa: E731
    # The families' pages first, as planned: the sitemap and the editing page come after them.
    job = _PageJob([(file, "", place) for file, place in later] + [(page.file, "", page) for page in pages],
                   planned.renderer, staging, store, plan_family, {})
    if last is None:
        # Every page is rendered: that starts now, and this process records the pages meanwhile.
        pending = start_indices(_render_page, job, len(job.items), jobs, progress)
        try:
            made = records(chain((page for family in planned.deferred for page in plan_family(family)), pages))
        except BaseException:
            pending()  # no worker may still be writing when the caller discards the staging folder
            raise
        # The pages planned again to record them, freed a family at a time, left their room in this process's
        # heap among the records: given back while it waits (at 10,000 stories a language, 38 MB).
        release_freed_memory()
        watch.lap("record pages (while rendering)")
        why: dict[str, str | None] = {file: whole for file, _, _ in job.items}
    else:
        # A kept page that output/ does not hold as written (in place), or whose copy the store lacks, is planned.
        unsound = {file for file in kept if (file in staging.suspect or file not in staging.previous
                                             if staging.in_place else not copies.get(file))}
        pages += _plan_again(kept, unsound, config, urls)
        made = records(pages)
        watch.lap("record pages")
        before = last_records(page.file for page in pages)
        why = {page.file: reason(before.get(page.file), record, planned.changed_articles)
               for page, record in zip(pages, made)}
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
    graph_records = dict(zip([file for file, _ in later] + [page.file for page in pages], made, strict=True))
    graph = PageGraph(graph_records, dict(planned.article_keys), static=known,
                      # Every page is planned (a record) or kept: a kept page planned again left `kept`.
                      copies={file: name for file, name in copies.items()
                              if name and (file in graph_records or file in kept)},
                      families=planned.families, values=planned.values, loose=planned.loose, complete=last is None,
                      moved=planned.moved)
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


def _explain(asked: tuple[str, ...], config: SiteConfig, graph: PageGraph,
             last_records: Callable[[Iterable[str]], dict[str, Record]], why: dict[str, str | None],
             staging: Staging) -> tuple[tuple[str, str | None], ...]:
    """For each asked path, why this build wrote its file or kept it, and what the page is made from."""
    answers = []
    for path in asked:
        file = _output_path(path, config)
        # A page this build planned has its record in the graph; the others kept the last build's.
        candidates = [file, file.rstrip("/") + "/index.html"]
        before = last_records(candidates)
        file, record = next(((name, graph.records.get(name) or before[name]) for name in candidates
                             if name in graph.records or name in before), (file, None))
        if record is not None:
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
    # (output file, the name of its copy in the store or "", its page or (its family, its place in it))
    items: list[tuple[str, str, Page | tuple[Family, int] | None]]
    renderer: Renderer
    staging: Staging
    store: PageStore | None
    plan: Callable[[Family], list[Page]]  # a family's pages
    planned: dict[str, list[Page]]  # the last family planned by this process, by name: its pages come in a row


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
    if type(page) is tuple:
        family, at = page
        if family.name not in job.planned:
            job.planned.clear()
            job.planned[family.name] = job.plan(family)
        page = job.planned[family.name][at]
        if page.file != file:
            raise RuntimeError(f"{family.name} planned {page.file} where it had planned {file}")
    data = job.renderer.render(page)
    stamp = job.staging.write(file, data)
    # The store's copy is the staged file itself, where there is one (None: output/ keeps these very bytes).
    staged = job.staging.root / file if stamp is not None else None
    return stamp, job.store.put(data, same_as=staged) if job.store is not None else "", True
