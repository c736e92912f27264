"""The build, top to bottom: config → content → markup → site model → related → pages → templates → write.

Every stage is a function of its inputs, so the cache (`cache.py`) can hand back
what an earlier build made of unchanged inputs, and the slow stages (Markdown,
page rendering) can run on every core (`workers.py`).
"""

from __future__ import annotations

import pickle
import time
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from . import config as config_stage
from .cache import BuildCache, digest, fingerprints, salt_for
from .config import SiteConfig
from .content import Document, read_documents
from .errors import Diagnostic, raise_if_errors
from .markup import Rendered, render_markdown
from .pages import Page, plan_pages
from .related import RelatedInput, find_related
from .site import Site, assemble_site, related_inputs
from .templates import Renderer, Theme, find_theme
from .urls import Urls
from .workers import map_indices
from .writer import FileStamp, Staging

# How many ranked groups the related engine returns per group: more than shown,
# so a language whose translations are missing can still fill its list.
RELATED_DEPTH_FACTOR = 3
CACHE_FILE = Path(".cache") / "mujaz" / "build.pickle"


@dataclass(frozen=True)
class BuildOptions:
    config_path: Path = Path("config.yaml")
    output: Path | None = None
    base_url: str | None = None
    drafts: bool = False  # include drafts and articles dated in the future
    now: datetime | None = None  # what counts as "the future"; tests fix it
    jobs: int | None = None  # worker processes; None: every core, when the work is big enough
    cache: bool = True  # reuse and update .cache/ beside config.yaml


@dataclass(frozen=True)
class BuildResult:
    output_dir: Path
    pages: dict[str, int]  # HTML pages in the site, per language
    files: int
    seconds: float
    warnings: tuple[Diagnostic, ...]
    rendered: int = 0  # pages rendered by this build; the others were unchanged and kept


def build(options: BuildOptions) -> BuildResult:
    """Build the whole site into output/, or raise BuildError and leave output/ untouched."""
    started = time.perf_counter()
    now = options.now or datetime.now(timezone.utc)
    config = config_stage.load_config(options.config_path, base_url=options.base_url, output=options.output)
    theme = find_theme(config)
    cache = BuildCache.load(config.root / CACHE_FILE if options.cache else None, _salt(config, theme))

    documents, diagnostics, cache.documents = read_documents(config, cache.documents)
    raise_if_errors(diagnostics)
    selected = select_documents(documents, options.drafts, now)
    rendered = _render_bodies(documents, selected, config, cache, options.jobs)

    urls = Urls(config.base_url, config.default_language)
    site, problems = assemble_site(selected, rendered, config, urls, now)
    diagnostics += problems
    raise_if_errors(diagnostics)

    inputs, pin_warnings = related_inputs(site)
    diagnostics += pin_warnings
    related = _related(inputs, config, cache)

    pages, problems = plan_pages(site, related)
    raise_if_errors(problems)

    same_folder = cache.output_dir == str(config.output_dir)
    staging = Staging(config.output_dir, cache.output if same_folder else None, cache.spare if same_folder else None)
    try:
        count = _write(site, pages, Renderer(config, urls, theme), theme, staging, options.jobs)
        cache.output, cache.spare = staging.commit()
    except BaseException:
        staging.discard()
        raise
    cache.output_dir = str(config.output_dir)
    cache.save()

    html_pages = Counter(page.lang for page in pages if page.file.endswith(".html"))
    return BuildResult(config.output_dir, dict(html_pages), staging.count, time.perf_counter() - started,
                       tuple(d for d in diagnostics if d.severity == "warning"), count)


def select_documents(documents: list[Document], drafts: bool, now: datetime) -> list[Document]:
    """Drafts and future-dated articles are published only when asked for (preview)."""
    if drafts:
        return documents
    return [d for d in documents if not d.draft and d.date <= now]


def _salt(config: SiteConfig, theme: Theme) -> str:
    folders = tuple(theme.template_dirs) + ((theme.static_dir,) if theme.static_dir else ())
    return salt_for(repr(config), repr(theme.strings), folders=folders)


def _render_bodies(documents: list[Document], selected: list[Document], config: SiteConfig,
                   cache: BuildCache, jobs: int | None) -> dict[str, Rendered]:
    """Markdown of the selected documents; bodies rendered by an earlier build come from the cache."""
    keys = {doc.path: digest(doc.body.encode("utf-8", "surrogatepass")) for doc in documents}
    known = {keys[d.path]: cache.rendered[keys[d.path]] for d in documents if keys[d.path] in cache.rendered}
    missing = list({keys[d.path]: d for d in selected if keys[d.path] not in known}.values())
    fresh = map_indices(_render_body, (missing, config.base_path, config.markdown.raw_html), len(missing), jobs)
    known.update((keys[d.path], r) for d, r in zip(missing, fresh))
    cache.rendered = known
    return {doc.path: known[keys[doc.path]] for doc in selected}


def _render_body(state: tuple[list[Document], str, bool], i: int) -> Rendered:
    documents, base_path, raw_html = state
    return render_markdown(documents[i].body, base_path, raw_html)


def _related(inputs: list[RelatedInput], config: SiteConfig, cache: BuildCache) -> dict[str, tuple[str, ...]]:
    depth = config.related.count * RELATED_DEPTH_FACTOR
    key = digest(pickle.dumps((inputs, config.related, depth), protocol=pickle.HIGHEST_PROTOCOL))
    if cache.related is not None and cache.related[0] == key:
        return cache.related[1]
    related = find_related(inputs, config.related, depth)
    cache.related = (key, related)
    return related


def _write(site: Site, pages: list[Page], renderer: Renderer, theme: Theme, staging: Staging, jobs: int | None) -> int:
    """Fill the staging folder: pages whose inputs are unchanged are kept, the rest rendered; return how many were."""
    config = site.config
    for page in pages:
        article = page.context.get("article")
        staging.claim(page.file, article.source if article is not None else f"page /{page.route}")
    prints = fingerprints(list(site.articles), [(p, (p.route, p.template, p.lang, p.kind, p.context, p.alternates,
                                                      p.switch, p.lastmod)) for p in pages])
    todo = [(page, fp) for page, fp in zip(pages, prints) if not staging.ensure(page.file, fp)]
    stamps = map_indices(_render_page, (todo, renderer, staging), len(todo), jobs)
    for (page, fp), stamp in zip(todo, stamps):
        staging.record(page.file, fp, stamp)

    extras = [(".nojekyll", b"")] + ([("CNAME", config.cname.encode() + b"\n")] if config.cname else [])
    for rel, data in extras:
        staging.claim(rel, "config.yaml")
        if not staging.ensure(rel, digest(data)):
            staging.record(rel, digest(data), staging.write(rel, data))
    if theme.static_dir:
        staging.copy_tree(theme.static_dir, "assets/")
    if (config.root / "static").is_dir():
        staging.copy_tree(config.root / "static", "")
    return len(todo)


def _render_page(state: tuple[list[tuple[Page, str]], Renderer, Staging], i: int) -> FileStamp:
    todo, renderer, staging = state
    return staging.write(todo[i][0].file, renderer.render(todo[i][0]))
