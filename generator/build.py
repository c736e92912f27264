"""The build, top to bottom: config → content → markup → site model → related → pages → templates → write."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from . import config as config_stage
from .content import Document, read_documents
from .errors import Diagnostic, raise_if_errors
from .markup import render_markdown
from .pages import plan_pages
from .related import find_related
from .site import assemble_site, related_inputs
from .templates import Renderer, find_theme
from .urls import Urls
from .writer import write_site

# How many ranked groups the related engine returns per group: more than shown,
# so a language whose translations are missing can still fill its list.
RELATED_DEPTH_FACTOR = 3


@dataclass(frozen=True)
class BuildOptions:
    config_path: Path = Path("config.yaml")
    output: Path | None = None
    base_url: str | None = None
    drafts: bool = False  # include drafts and articles dated in the future
    now: datetime | None = None  # what counts as "the future"; tests fix it


@dataclass(frozen=True)
class BuildResult:
    output_dir: Path
    pages: dict[str, int]  # HTML pages written per language
    files: int
    seconds: float
    warnings: tuple[Diagnostic, ...]


def build(options: BuildOptions) -> BuildResult:
    """Build the whole site into output/, or raise BuildError and leave output/ untouched."""
    started = time.perf_counter()
    now = options.now or datetime.now(timezone.utc)
    config = config_stage.load_config(options.config_path, base_url=options.base_url, output=options.output)
    theme = find_theme(config)

    documents, diagnostics = read_documents(config)
    raise_if_errors(diagnostics)
    documents = select_documents(documents, options.drafts, now)
    rendered = {doc.path: render_markdown(doc.body, config.base_path, config.markdown.raw_html) for doc in documents}

    urls = Urls(config.base_url, config.default_language)
    site, problems = assemble_site(documents, rendered, config, urls, now)
    diagnostics += problems
    raise_if_errors(diagnostics)

    inputs, pin_warnings = related_inputs(site)
    diagnostics += pin_warnings
    related = find_related(inputs, config.related, config.related.count * RELATED_DEPTH_FACTOR)

    pages, problems = plan_pages(site, related)
    raise_if_errors(problems)

    renderer = Renderer(config, urls, theme)
    files = [(page.file, renderer.render(page)) for page in pages]
    files.append((".nojekyll", b""))
    if config.cname:
        files.append(("CNAME", config.cname.encode() + b"\n"))
    copies = [(theme.static_dir, "assets/")] if theme.static_dir else []
    if (config.root / "static").is_dir():
        copies.append((config.root / "static", ""))
    count = write_site(files, copies, config.output_dir)

    html_pages = Counter(page.lang for page in pages if page.file.endswith(".html"))
    return BuildResult(config.output_dir, dict(html_pages), count, time.perf_counter() - started,
                       tuple(d for d in diagnostics if d.severity == "warning"))


def select_documents(documents: list[Document], drafts: bool, now: datetime) -> list[Document]:
    """Drafts and future-dated articles are published only when asked for (preview)."""
    if drafts:
        return documents
    return [d for d in documents if not d.draft and d.date <= now]
