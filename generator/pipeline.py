"""The stages a build and `check` share: content → Markdown → site model → related and search → pages → pictures.

`build` then writes what `plan` returns; `check` renders its pages in memory and reports. Both
call these functions, so they cannot drift apart. The cache (`cache.py`) hands back what an
earlier build made of unchanged inputs; `check` gives an empty one, which it never saves.
"""

from __future__ import annotations

import pickle
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import NamedTuple

from .admin import admin_pages
from .bodies import FOLDER as BODIES
from .bodies import keep
from .cache import BuildCache, without_body
from .cards import FONT_FILE, Card, CardFile, card_name, make_cards
from .config import MarkdownConfig, SiteConfig, served_elsewhere
from .content import (Document, Source, body_of, copies, corrections_to_come, dates_mistyped, names_mistyped,
                      read_documents, writers_joined)
from .errors import Diagnostic, raise_if_errors
from .hashing import digest, digest_all
from .icons import FOLDER as ICONS
from .icons import manifest_pages, site_icons
from .images import Picture, Processed, process_images, shown_pictures, small_leads, used_addresses
from .links import broken_addresses, http_pictures_shown, missed_in_bodies, pictures_elsewhere
from .markup import Rendered, render_bounded
from .moved import grouped
from .offline import offline_pages
from .pagegraph import FamilyRecord, PageGraph, changed_sources, changed_values, family_key, read_values
from .pages import FOOTER, Alternate, Family, Page, collisions, family_pages, footer_links, plan_families
from .pagestore import PageStore
from .sitemap import SitemapEntry, closing_pages, sitemap_entry
from .related import RelatedInput, TermMemo, find_related, related_inputs, text_digests
from .search import build_indexes, start_indexes
from .site import Article, Site, assemble_site
from .templates import Renderer, asset_version, versioned_name
from .theme import Theme
from .urls import Urls
from .workers import Progress, release_freed_memory, start_indices
from .writer import static_files

# How many ranked groups the related engine returns per group: more than shown,
# so a language whose translations are missing can still fill its list.
RELATED_DEPTH_FACTOR = 3


@dataclass(frozen=True)
class Planned:
    """Everything a build writes, and what it found on the way."""

    documents: list[Document]  # every file read, drafts included
    site: Site  # of the documents selected for publishing
    pages: list[Page]
    static: list[tuple[str, Path]]  # (path in output/, file) copied besides the pages
    renderer: Renderer
    article_keys: dict[str, str]  # source -> a hash of what the article is made from
    diagnostics: list[Diagnostic]  # warnings (errors were raised)
    families: dict[str, FamilyRecord]  # what the next build is to know of every family of pages
    kept: list[tuple[Family, FamilyRecord]]  # the families whose pages were not planned again: nothing they are made from changed
    # With `plan(defer=True)` and no last build: the families planned, whose pages are planned again where they are
    # rendered (`pages` holds the rest). Held all at once, a build from nothing's pages were 0.7 GB at 100,000
    # stories a language, the most of its peak.
    deferred: list[Family]
    values: dict[str, str]  # a hash of each value the families read (`pagegraph.read_values`)
    changed_articles: frozenset[str]  # article sources whose key is not the last build's (`changed_sources`)
    loose: tuple[str, ...]  # the output files of the pages of no family (the sitemap's, 404, the editing page…)
    # The old addresses of stories that moved where no page is yet: file -> (the story's source, its language),
    # kept from build to build and said each time, until an alias (or another page) is there.
    moved: dict[str, tuple[str, str]] = field(default_factory=dict)
    # The last build's page graph as far as these pages were planned from it: None where it was given none, or
    # where the footer's pages changed since, which every page shows (`_footer_kept`).
    last: PageGraph | None = None


def read_content(config: SiteConfig, cache: BuildCache, sources: list[Source], diagnostics: list[Diagnostic],
                 jobs: int | None) -> list[Document]:
    """Every scanned file as a Document (front matter an earlier build parsed comes from the cache);
    BuildError with every error found.

    Only the cache's front matter is loaded first: a mistake in a file is reported before the rest of
    the cache (2 s at 10,000 articles per language) is read. Once parsed, `sources` keep their paths,
    hashes and stamps but not the files' bytes.
    """
    cache.load_documents()
    documents, problems, cache.documents = read_documents(config, sources, cache.documents, jobs)
    # Held by the caller to the end of the build, the bytes were as large as the bodies.
    sources[:] = [source._replace(raw=None) if source.raw is not None else source for source in sources]
    diagnostics += grouped(problems)
    raise_if_errors(diagnostics)
    return documents


def across_stories(documents: list[Document], drafts: bool, now: datetime) -> list[Diagnostic]:
    """The warnings only the stories side by side show: a title, summary or text twice, a section or tag spelt a
    letter apart, dates mistyped, two writers written as one."""
    selected = select_documents(documents, drafts, now)
    return [*copies(selected), *corrections_to_come(selected, now), *dates_mistyped(documents, now),
            *names_mistyped(selected), *writers_joined(selected)]


def plan(config: SiteConfig, theme: Theme, cache: BuildCache, documents: list[Document], diagnostics: list[Diagnostic],
         drafts: bool, now: datetime, jobs: int | None, images_dir: Path,
         progress: Callable[[str, int, int], None] | None = None,
         lap: Callable[[str], None] = lambda stage: None, versioned_assets: bool = True,
         last: PageGraph | None = None, draw: bool = True, bodies_dir: Path | None = None,
         defer: bool = False) -> Planned:
    """The site model and its pages from the documents `read_content` returned; BuildError with every error found.

    Photos are processed into `images_dir` and share cards drawn there; without `draw` (check) nothing
    is written: a photo is offered only as that folder holds it already, and cards are linked, not drawn.
    A family of pages whose key is the one in `last` (the last build's page graph) is not planned again.
    With `defer` and no `last`, the pages of the families are not kept but planned again as they are rendered.
    Documents do not keep their Markdown bodies past rendering; their HTML is kept in the body store in
    `bodies_dir` (default: `images_dir`), where a build's cache names it.
    """
    cache.load_content()
    selected = select_documents(documents, drafts, now)
    diagnostics += across_stories(documents, drafts, now)
    bodies = PageStore((bodies_dir or images_dir) / BODIES)
    rendered = _render_bodies(documents, selected, config, cache, jobs, reporter(progress, "Markdown"),
                              bodies if draw else None)
    # Rendered, a body is wanted again only for a broken link's line, which body_of reads from its file;
    # held to the end of a first build, the bodies were a tenth of its memory.
    cache.documents = {path: without_body(entry) for path, entry in cache.documents.items()}
    documents = [cache.documents[doc.path][1] for doc in documents]
    selected = select_documents(documents, drafts, now)
    release_freed_memory()
    lap("markdown")

    urls = Urls(config.base_url, config.default_language)
    site, problems = assemble_site(selected, rendered, config, urls, now, bodies)
    diagnostics += problems
    raise_if_errors(diagnostics)
    lap("site model")

    article_keys = _article_keys(site, cache.salts.content, {rel: key for rel, (key, _, _) in cache.documents.items()})
    last_related = cache.related  # as the last build saved them: the related stage replaces them
    related = _related_and_search(site, config, cache, article_keys, diagnostics, jobs, lap, draw)

    static = published_files(config, theme, versioned_assets)  # walked once: checked here, copied by _write
    published = [rel for rel, _ in static]
    footer = footer_links(site)
    icons, icon_files, problems = site_icons(config, urls, theme, card_font(theme), images_dir / ICONS, draw)
    static += icon_files
    diagnostics += problems
    renderer = Renderer(config, urls, theme, versioned_assets, footer, icons)
    pictures, cards = _pictures(site, renderer, theme, static, images_dir, diagnostics, jobs, lap, draw)

    indexes = {code: made.index for code, made in cache.search.items()}
    families, named = plan_families(site, related, indexes, pictures, cards)
    named[FOOTER] = footer
    values = read_values(cache.related[0], indexes, named)
    del named  # hashed: the values themselves (every listing's stories) are not needed past here
    moved_from, last = last, last if _footer_kept(last, values) else None
    came = changed_sources(last.keys, article_keys) if last is not None else frozenset()
    changed = changed_values(last, values, related, last_related, site, came)
    # The pages of the last build that show an article that changed: their families are hashed again.
    shown = cache.shown(came) if changed is not None else frozenset()
    pages, records, kept, deferred, files = _plan_changed(families, config, urls, article_keys, last, changed, shown,
                                                          defer and last is None)
    entries = [entry for record in records.values() for _, _, entry in record.pages if entry is not None]
    closing = closing_pages(config, urls, entries)
    editing, problems = admin_pages(config, theme.strings.get(config.default_language) or {})
    closing += manifest_pages(config, urls, icons) + offline_pages(config, urls, theme, versioned_assets)
    pages += closing + editing
    diagnostics += problems + served_elsewhere(config)
    files += map(_origin, closing + editing)
    files += [(file, family.name.partition("/")[0], "") for family, record in kept for file, _, _ in record.pages]
    raise_if_errors(collisions(files, {d.path: d.aliases_line for d in selected if d.aliases}))
    written = {file for file, _, _ in files}
    moves = _moved(site, moved_from, records, written)
    if moves:
        articles = {article.path: article for article in site.articles}
        diagnostics += [_moved_warning(file, articles[source]) for file, (source, _) in sorted(moves.items())]
    by_path = {d.path: d for d in selected}
    read_body = lambda path: body_of(config, by_path[path], cache.documents[path][0])  # noqa: E731
    diagnostics += broken_addresses(site, written, published, read_body,
                                    [d for d in documents if d.path not in by_path])
    diagnostics += missed_in_bodies(rendered, read_body) + http_pictures_shown(site, rendered, read_body)
    diagnostics += pictures_elsewhere(site, rendered, read_body)
    lap("plan pages")
    return Planned(documents, site, pages, static, renderer, article_keys, diagnostics, records, kept, deferred,
                   values, came, tuple(page.file for page in closing + editing), moves, last)


def _footer_kept(last: PageGraph | None, values: Mapping[str, str]) -> bool:
    """Whether the pages every page's footer links are those the last build linked. If not, no page of that build
    is kept, as after a change to config.yaml: a page added to content/pages/, or retitled, changes every page."""
    known = getattr(last, "values", None)
    return isinstance(known, dict) and known.get(FOOTER) == values[FOOTER]


def _related_and_search(site: Site, config: SiteConfig, cache: BuildCache, article_keys: dict[str, str],
                        diagnostics: list[Diagnostic], jobs: int | None, lap: Callable[[str], None],
                        draw: bool) -> dict[str, tuple[str, ...]]:
    """The related lists (returned) and the search index (kept in `cache.search`), each saved in the cache
    as soon as it is made, with `draw` (check writes nothing)."""
    # Without an earlier build's search index (a build from nothing, or after a change to the settings the
    # content stages read), the search index is built on other processes meanwhile: much of the related stage
    # keeps one core only. With it, it is updated (or reassembled from the entries kept) after.
    late = cache.search_waiting()
    search_done = None if late else start_indexes(site, cache.search, cache.entry, jobs, article_keys)
    try:
        inputs, pin_warnings = related_inputs(site, article_keys)
        diagnostics += pin_warnings
        related = _related(inputs, config, cache, jobs)
        lap("related")
        # Before the search index comes in (its processes send it when waited for), or the entries it is
        # reassembled from are read: together with the term memo and the related model, a gigabyte at
        # 100,000 stories a language, they made the build's peak.
        cache.save_content("parsed.pickle", write=draw)
        cache.save_content("content.pickle", write=draw)
        release_freed_memory()
    finally:  # even on a failure: no worker is left behind
        if search_done is not None:
            indexes, entries = search_done()
    if late:
        cache.load_search()
        indexes, entries = build_indexes(site, cache.search, cache.entry, jobs, article_keys)
    cache.save_search(indexes, entries, write=draw)
    # The related stage's arrays are freed by now: given back before the pages' workers fork (a build from
    # nothing at 10,000 stories a language peaked at 670 MB in its own process, and now at 642).
    release_freed_memory()
    lap("search index (the rest)")
    return related


def _pictures(site: Site, renderer: Renderer, theme: Theme, static: list[tuple[str, Path]], images_dir: Path,
              diagnostics: list[Diagnostic], jobs: int | None, lap: Callable[[str], None],
              draw: bool) -> tuple[dict[str, dict[str, Picture]], dict[str, CardFile]]:
    """The photos the articles show, resized, and their share cards: the pictures of each article page and
    its card, by article source. `static` (the files to copy) loses the photos replaced by their copies and
    gains the copies and the cards."""
    config = site.config
    photos = process_images(used_addresses(site.articles_and_pages), static, config.base_path, config.images, images_dir,
                            jobs, write=draw)
    diagnostics += [*photos.warnings, *small_leads(site.articles, photos.sizes)]
    raise_if_errors(diagnostics)  # copies of two photos with one name
    pictures = shown_pictures(site.articles_and_pages, photos.pictures)
    static[:] = [(rel, path) for rel, path in static if rel not in photos.replaced] + photos.files
    lap("images")
    cards: dict[str, CardFile] = {}
    if config.images.cards:
        cards, card_files, problems = _share_cards(site, renderer, theme, photos, images_dir, jobs, draw)
        static += card_files
        diagnostics += problems
        lap("share cards")
    return pictures, cards


def _plan_changed(families: list[Family], config: SiteConfig, urls: Urls, article_keys: dict[str, str],
                  last: PageGraph | None, changed: frozenset[str] | None, shown: frozenset[str], defer: bool,
                  ) -> tuple[list[Page], dict[str, FamilyRecord], list[tuple[Family, FamilyRecord]], list[Family],
                             list[tuple[str, str, str]]]:
    """The pages of every family whose key differs from the last build's (all of them without one), what
    this build keeps of every family, the families kept as the last build planned them, the families planned
    whose pages are not returned (with `defer`: every family planned), and the file, kind and article source of
    every page planned (`_origin`).

    `changed` names the values families read that changed since the last build (None: there is no last
    build). A family that reads none of them, and none of whose pages showed an article that changed, is
    kept without hashing its arguments (`pagegraph`). `shown`: the output files of the last build whose pages
    show an article whose key changed (`BuildCache.shown`)."""
    pages, records, kept, deferred, files = [], {}, [], [], []
    known = last.families if last is not None and isinstance(last.families, dict) else {}
    for family in families:
        before = known.get(family.name)
        unchanged = (before is not None and changed is not None and changed.isdisjoint(family.reads)
                     and _sound(before, last) and not any(file in shown for file, _, _ in before.pages))
        key = "" if unchanged else family_key(family, article_keys)
        if unchanged or (before is not None and getattr(before, "key", None) == key and _sound(before, last)):
            records[family.name] = before
            kept.append((family, before))
            continue
        planned = family_pages(family, config, urls)
        records[family.name] = FamilyRecord(key, tuple((p.file, p.lang, sitemap_entry(p)) for p in planned))
        files += map(_origin, planned)
        if defer:
            deferred.append(family)
        else:
            pages += planned
    return pages, records, kept, deferred, files


def _moved(site: Site, last: PageGraph | None, records: Mapping[str, FamilyRecord], written: set[str]
           ) -> dict[str, tuple[str, str]]:
    """The old addresses of stories the last build (or one before it) wrote elsewhere (their date or slug changed
    since) where no page is now: a link shared to one leads nowhere, unless the story's `aliases:` keep it. By
    file: (the story's source, its language)."""
    if last is None:
        return {}
    known = last.families if isinstance(last.families, dict) else {}
    kept = _kept_moves(last)
    stories = {(article.path, article.lang) for article in site.articles} if kept else set()
    moves = {file: story for file, story in kept if story in stories and file not in written}
    for group, versions in site.groups.items():
        before, now = known.get(f"article/{group}"), records.get(f"article/{group}")
        if now is None or now is before or not _sound(before, last):  # a family kept as it was moved nothing
            continue
        at = {lang: file for file, lang, entry in now.pages if entry is not None}  # a story's page, not an old address's
        for file, lang, entry in before.pages:
            article = versions.get(lang)
            if entry is not None and article is not None and at.get(lang) not in (None, file) and file not in written:
                moves[file] = (article.path, lang)
    return moves


def _kept_moves(last: PageGraph) -> list[tuple[str, tuple[str, str]]]:
    """The last build's moves, as far as they have the shape a build writes (the cache may come from elsewhere)."""
    moved = getattr(last, "moved", None)
    if type(moved) is not dict:
        return []
    return [(file, story) for file, story in moved.items() if type(file) is str and type(story) is tuple
            and len(story) == 2 and all(type(part) is str for part in story)]


def _moved_warning(file: str, article: Article) -> Diagnostic:
    old = "/" + file.removesuffix("index.html")
    return Diagnostic(article.path, f"its page moved from {old} to /{article.route}: links shared to the old address "
                      "lead nowhere", 1, f"keep them working: add {old} to its aliases (aliases: [{old}])", "warning")


def _origin(page: Page) -> tuple[str, str, str]:
    """A page's file, kind and article source (or ""), for `collisions`."""
    return page.file, page.kind, page.context["article"].path if page.kind in ("article", "redirect", "page") else ""


def _sound(before: object, last: PageGraph) -> bool:
    """Whether the last build's record of a family has the shape a build writes, every page of it with a copy
    in the page store, as every page a build saves has (the cache may come from elsewhere: a damaged one costs a
    planning, never a traceback; and a build killed before it saved pages.pickle leaves graph shards read as
    empty, whose pages' copies are lost). Asked of every family an edit keeps: exact types, tested in turn."""
    if type(before) is not FamilyRecord or type(before.key) is not str or type(before.pages) is not tuple:
        return False
    for page in before.pages:
        if type(page) is not tuple or len(page) != 3:
            return False
        file, lang, entry = page
        if type(file) is not str or type(lang) is not str or file not in last.copies:
            return False
        if entry is not None and not _sound_entry(entry):
            return False
    return True


def _sound_entry(entry: object) -> bool:
    if type(entry) is not SitemapEntry or type(entry.route) is not str or type(entry.piece) is not str:
        return False
    if entry.lastmod is not None and type(entry.lastmod) is not datetime or type(entry.alternates) is not tuple:
        return False
    return all(type(a) is Alternate and type(a.hreflang) is str and type(a.url) is str for a in entry.alternates)


def card_font(theme: Theme) -> Path | None:
    """The font of the share cards: the theme's fonts/ folder (a site theme's before the bundled one)."""
    return next((d.parent / "fonts" / FONT_FILE for d in theme.template_dirs
                 if (d.parent / "fonts" / FONT_FILE).is_file()), None)


def _share_cards(site: Site, renderer: Renderer, theme: Theme, photos: Processed, folder: Path,
                 jobs: int | None, draw: bool) -> tuple[dict[str, CardFile], list[tuple[str, Path]], list[Diagnostic]]:
    """A share card beside every article page (`card.jpg` over its photo, else `card.png`), by article source,
    for og:image; drawn (or found in the cache) only with `draw`."""
    font = card_font(theme)
    if font is None:
        return {}, [], [Diagnostic("themes/", f"no fonts/{FONT_FILE} in the theme, so articles have no share card",
                                   None, "copy themes/default/fonts/ into the theme", "warning")]
    photo_of = {article.path: photos.originals.get(article.image_src, (None, "")) for article in site.articles}
    links = {article.path: CardFile(site.urls.href(article.route) + card_name(bool(photo_of[article.path][0])))
             for article in site.articles}
    if not draw:
        return links, [], []
    titles = {lang.code: lang.title for lang in site.config.languages}
    long_date = renderer.env.filters["long_date"]
    cards = {}
    for article in site.articles:
        photo, photo_key = photo_of[article.path]
        card = Card(article.title, titles[article.lang], long_date(article.date, article.lang),
                    site.config.language(article.lang).direction == "rtl", str(photo or ""), photo_key, str(font))
        cards[article.route + card.file_name] = card
    return links, sorted(make_cards(cards, folder / "cards", jobs).items()), []


def published_files(config: SiteConfig, theme: Theme, versioned_assets: bool = True) -> list[tuple[str, Path]]:
    """(path in output/, source) of the files copied besides the pages: the theme's assets/ and the site's static/.
    A theme file is also copied under its versioned name, which the pages link; the plain name stays for
    what a stylesheet refers to by a relative address (a font, an icon)."""
    files = []
    if theme.static_dir:
        for rel, path in static_files(theme.static_dir, theme.static_dir.parent, config.root):
            files.append(("assets/" + rel, path))
            if versioned_assets:
                files.append(("assets/" + versioned_name(rel, asset_version(path.read_bytes())), path))
    if (config.root / "static").is_dir():
        files += static_files(config.root / "static", config.root, config.root)
    return files


def select_documents(documents: list[Document], drafts: bool, now: datetime) -> list[Document]:
    """Drafts and future-dated articles are published only when asked for (preview)."""
    if drafts:
        return documents
    return [d for d in documents if not d.draft and (d.date is None or d.date <= now)]


def _render_bodies(documents: list[Document], selected: list[Document], config: SiteConfig,
                   cache: BuildCache, jobs: int | None, progress: Progress | None,
                   bodies: PageStore | None) -> dict[str, Rendered]:
    """Markdown of the selected documents; bodies rendered by an earlier build come from the cache. Each
    body rendered now is kept in `bodies` by the process that renders it (None: held in memory)."""
    # Keyed by the hash of the whole file, known already: hashing every body again took 0.14 s at 10,000
    # articles per language. A front matter edit renders its body again: one body, milliseconds.
    keys = {doc.path: cache.documents[doc.path][0] for doc in documents}
    known = {keys[d.path]: cache.rendered[keys[d.path]] for d in documents if keys[d.path] in cache.rendered}
    missing = list({keys[d.path]: d for d in selected if keys[d.path] not in known}.values())
    texts = [body_of(config, d, keys[d.path]) for d in missing]  # a scheduled story now due: read again
    pending = start_indices(_render_body, _BodyJob(missing, texts, config.base_url, config.markdown, bodies),
                            len(missing), jobs, progress)
    # While the workers render, this process would only wait: it imports what the related stage
    # needs (a tenth of a second) meanwhile. Joined before the next stage forks any process.
    preload = threading.Thread(target=_import_numeric, name="mujaz-preload", daemon=True)
    preload.start()
    fresh = pending()
    preload.join()
    known.update((keys[d.path], r) for d, r in zip(missing, fresh))
    cache.rendered = known
    return {doc.path: known[keys[doc.path]] for doc in selected}


def _import_numeric() -> None:
    import numpy  # noqa: F401
    import scipy.sparse  # noqa: F401


class _BodyJob(NamedTuple):
    documents: list[Document]
    texts: list[tuple[str, int]]  # (Markdown, its first line) of each
    base_url: str
    options: MarkdownConfig
    store: PageStore | None  # where the HTML is kept, so that it never travels back to the build


def _render_body(job: _BodyJob, i: int) -> Rendered:
    text, first_line = job.texts[i]
    return keep(job.store, render_bounded(text, job.base_url, job.options, job.documents[i].path, first_line))


def _related(inputs: list[RelatedInput], config: SiteConfig, cache: BuildCache, jobs: int | None) -> dict[str, tuple[str, ...]]:
    depth = config.related.count * RELATED_DEPTH_FACTOR
    dump = lambda value: pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)  # noqa: E731
    texts = text_digests(inputs, config.related)  # from the articles' keys; the key adds what those leave out
    key = digest_all([dump((config.related, depth)),
                      *(dump((item.key, item.day, item.pins, text)) for item, text in zip(inputs, texts))])
    if cache.related is not None and cache.related[0] == key:
        return cache.related[1]
    from .relatedmodel import RelatedState  # here: NumPy and SciPy (0.2 s to import) only when lists are computed

    if cache.terms is None:
        cache.terms = TermMemo()
    if cache.related_state is None:
        cache.related_state = RelatedState()
    related = find_related(inputs, config.related, depth, jobs, cache.terms, texts, cache.related_state)
    cache.related = (key, related)
    return related


def _article_keys(site: Site, salt: str, source_keys: dict[str, str]) -> dict[str, str]:
    """Per article source, a hash of what the article is made from, to stand for it in later stages'
    keys: the content salt (the code and the settings the content stages read), its file's path and hash, whether it is scheduled, and what
    other files decide: the spelling of its tags and section (`site._fold_terms`: five new stories
    spelling a tag another way rename it on the pages of every old story that has it), and the addresses of
    the stories it links to by their file (`site.with_story_links`).

    Hashing the article itself would read every body again, and pickling it would
    keep a UTF-8 copy inside every non-ASCII string. One hash of one text per article: fed piece by piece,
    the hasher's calls were most of this pass (a tenth of a second at 10,000 stories a language).
    """
    return {a.path: digest(repr((salt, a.path, source_keys[a.path], a.scheduled, [t.name for t in a.tags],
                                 a.category and a.category.name, [b.name for b in a.bylines],
                                 a.story_links)).encode("utf-8", "surrogatepass"))
            for a in site.articles_and_pages}


def reporter(report: Callable[[str, int, int], None] | None, stage: str) -> Progress | None:
    return None if report is None else (lambda done, total: report(stage, done, total))
