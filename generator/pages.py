"""Plan every output page: which template renders it, at which route, with what data.

Templates compute nothing: listings, pagination, date navigation, related lists
and language alternates are all decided here.
"""

from __future__ import annotations

from collections import defaultdict
from functools import cached_property, partial
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from types import MappingProxyType
from typing import Any, Callable, Iterable, Mapping, Sequence

from .errors import Diagnostic
from .search import DOCS_PER_CHUNK, SearchIndex
from .site import Article, Site, Term
from .urls import Urls, output_file


@dataclass(frozen=True)
class Pagination:
    number: int
    count: int
    prev_href: str
    next_href: str
    pages: tuple[tuple[int, str], ...]  # (number, href) of every page of the listing


@dataclass(frozen=True)
class Alternate:
    hreflang: str
    url: str  # absolute


@dataclass(frozen=True)
class SwitchLink:
    code: str
    name: str
    href: str
    is_translation: bool


@dataclass(frozen=True)
class Page:
    route: str
    template: str
    lang: str
    kind: str
    context: Mapping[str, Any] = field(hash=False)
    alt_key: tuple = ()  # pages sharing an alt_key in different languages are alternates
    alternates: tuple[Alternate, ...] = ()
    switch: tuple[SwitchLink, ...] = ()
    lastmod: datetime | None = None
    in_sitemap: bool = True

    def __post_init__(self) -> None:
        # Read-only, as the rest of the page: a later stage makes a new page (dataclasses.replace)
        # with a new context, so no page changes under a stage that already read it.
        if not isinstance(self.context, MappingProxyType):
            object.__setattr__(self, "context", MappingProxyType(dict(self.context)))

    @cached_property  # asked for hundreds of thousands of times a build
    def file(self) -> str:
        return output_file(self.route)


@dataclass(frozen=True)
class DateLink:
    day: date
    href: str
    count: int = 0


def plan_pages(site: Site, related: Mapping[str, tuple[str, ...]],
               search: Mapping[str, SearchIndex]) -> tuple[list[Page], list[Diagnostic]]:
    """Every page of the site, alternates linked, routes checked for collisions."""
    config, urls = site.config, site.urls
    pages: list[Page] = []
    for language in config.languages:
        code = language.code
        articles = site.in_language(code)
        pages += _paginate(urls, articles, config.per_page, lambda n: urls.home(code, n), code, "home.html", "home", ("home",), {})
        pages += [_article_page(site, a, related) for a in articles]
        pages += _date_pages(site, code, articles)
        pages += _term_pages(site, code, articles, "tag")
        pages += _term_pages(site, code, articles, "category")
        pages += _search_pages(site, code, articles, search[code])
        pages.append(Page(urls.feed(code), "feed.xml", code, "feed",
                          {"entries": articles[: config.feed_size], "feed_url": urls.absolute(urls.feed(code)),
                           "home_url": urls.absolute(urls.home(code)),
                           "updated": max((a.modified for a in articles[: config.feed_size]), default=None)},
                          in_sitemap=False))
    pages = _link_alternates(pages, site)
    default = config.default_language
    pages.append(Page("404.html", "404.html", default, "404", {}, in_sitemap=False,
                      switch=_switch(site, default, {})))
    pages += _sitemaps(urls, default, [p for p in pages if p.in_sitemap])
    pages.append(Page("robots.txt", "robots.txt", default, "robots",
                      {"sitemap_url": urls.absolute("sitemap.xml")}, in_sitemap=False))
    return pages, _collisions(pages)


def _article_page(site: Site, article: Article, related: Mapping[str, tuple[str, ...]]) -> Page:
    count = site.config.related.count
    chosen = []
    for key in related.get(article.group, ()):
        other = site.groups[key].get(article.lang)
        if other is not None and len(chosen) < count:
            chosen.append(other)
    return Page(article.route, "article.html", article.lang, "article",
                # "pictures": the processed photos it shows, filled in by the image stage (images.py).
                {"article": article, "related": tuple(chosen), "translations": site.translations(article),
                 "pictures": {}},
                alt_key=("article", article.group), lastmod=article.modified)


def _paginate(urls: Urls, articles: Sequence[Article], per_page: int, route_for: Callable[[int], str], lang: str,
              template: str, kind: str, alt_key: tuple, context: Mapping[str, Any]) -> list[Page]:
    chunks = [articles[i:i + per_page] for i in range(0, len(articles), per_page)] or [()]
    hrefs = tuple((n, urls.href(route_for(n))) for n in range(1, len(chunks) + 1))
    pages = []
    for n, chunk in enumerate(chunks, start=1):
        pagination = Pagination(n, len(chunks), hrefs[n - 2][1] if n > 1 else "",
                                hrefs[n][1] if n < len(chunks) else "", hrefs)
        pages.append(Page(route_for(n), template, lang, kind,
                          {**context, "items": tuple(chunk), "pagination": pagination},
                          alt_key=alt_key if n == 1 else (), in_sitemap=n == 1,
                          lastmod=max((a.modified for a in chunk), default=None)))
    return pages


# The archive's levels: (level, the one above, the one below). A period is named by its first day.
DATE_LEVELS = (("year", None, "month"), ("month", "year", "day"), ("day", "month", None))


def _period(level: str, day: date) -> date:
    """The first day of the year, month or day that holds `day`."""
    return date(day.year, 1, 1) if level == "year" else day.replace(day=1) if level == "month" else day


def _date_route(urls: Urls, lang: str, level: str, start: date, page: int = 1) -> str:
    if level == "year":
        return urls.year(lang, start.year, page)
    if level == "month":
        return urls.month(lang, start.year, start.month, page)
    return urls.day(lang, start, page)


def _date_pages(site: Site, lang: str, articles: Sequence[Article]) -> list[Page]:
    urls, per_page = site.urls, site.config.per_page
    periods: dict[str, dict[date, list[Article]]] = {level: defaultdict(list) for level, _, _ in DATE_LEVELS}
    for article in articles:
        for level, _, _ in DATE_LEVELS:
            periods[level][_period(level, article.day)].append(article)

    def link(level: str, start: date) -> DateLink:
        return DateLink(start, urls.href(_date_route(urls, lang, level, start)), len(periods[level][start]))

    pages = []
    for level, parent, child in DATE_LEVELS:
        starts = sorted(periods[level])
        for i, start in enumerate(starts):
            members = periods[level][start]
            context = {
                "level": level,
                "heading": start,
                "prev": link(level, starts[i - 1]) if i > 0 else None,
                "next": link(level, starts[i + 1]) if i + 1 < len(starts) else None,
                "up": link(parent, _period(parent, start)) if parent else None,
                "children": tuple(link(child, s) for s in sorted({_period(child, a.day) for a in members}, reverse=True))
                if child else (),
            }
            pages += _paginate(urls, members, per_page, partial(_date_route, urls, lang, level, start), lang,
                               "date.html", level, (level, start), context)
    return pages


def _term_pages(site: Site, lang: str, articles: Sequence[Article], kind: str) -> list[Page]:
    urls = site.urls
    members: dict[str, list[Article]] = defaultdict(list)
    names: dict[str, Term] = {}
    for article in articles:
        for term in (article.tags if kind == "tag" else (article.category,) if article.category else ()):
            members[term.slug].append(article)
            names.setdefault(term.slug, term)
    route_for = urls.tag if kind == "tag" else urls.category
    pages = []
    for slug in sorted(members):
        pages += _paginate(urls, members[slug], site.config.per_page, lambda n, s=slug: route_for(lang, s, n), lang,
                           f"{kind}.html", kind, (), {"term": names[slug]})
    if kind == "tag":
        listing = sorted(((names[s], len(m)) for s, m in members.items()), key=lambda tc: (-tc[1], tc[0].slug))
        pages.append(Page(urls.tags(lang), "tags.html", lang, "tags", {"terms": tuple(listing)}, alt_key=("tags",)))
    return pages


def _search_pages(site: Site, lang: str, articles: Sequence[Article], index: SearchIndex) -> list[Page]:
    """The search page and the index files its script fetches (see search.py)."""
    urls = site.urls
    pages = [Page(urls.search(lang), "search.html", lang, "search",
                  {"bounds": tuple(first for first, _ in index.shards), "chunks": index.chunks,
                   "chunk_size": DOCS_PER_CHUNK, "data_href": urls.href(urls.search(lang))},
                  alt_key=("search",), in_sitemap=False)]
    pages += [Page(urls.search(lang, f"terms-{n}.json"), "search-terms.json", lang, "search-data",
                   {"terms": terms}, in_sitemap=False) for n, (_, terms) in enumerate(index.shards)]
    pages += [Page(urls.search(lang, f"docs-{n}.json"), "search-docs.json", lang, "search-data",
                   {"articles": articles[n * DOCS_PER_CHUNK:(n + 1) * DOCS_PER_CHUNK]}, in_sitemap=False)
              for n in range(index.chunks)]
    return pages


# Search engines read at most 50,000 addresses from one sitemap file; a piece holds fewer, so an edit
# renders again a small file, not one that lists the whole archive (134 MB at 100,000 stories a language).
SITEMAP_MOST = 10_000
_SITEMAP_GROUPS = {"tag": "tags", "tags": "tags", "category": "categories", "year": "dates", "month": "dates",
                   "day": "dates"}


@dataclass(frozen=True)
class SitemapLink:
    url: str  # absolute
    lastmod: datetime | None


def _sitemaps(urls: Urls, lang: str, entries: list[Page]) -> list[Page]:
    """sitemap.xml, an index of the pieces that list the pages: article pages by the month of their date,
    listings by kind, each cut into pieces of at most SITEMAP_MOST. An edit changes one month's piece."""
    groups: dict[str, list[Page]] = defaultdict(list)
    for page in entries:
        article = page.context.get("article") if page.kind == "article" else None
        name = f"articles-{article.day.year:04d}-{article.day.month:02d}" if article is not None \
            else _SITEMAP_GROUPS.get(page.kind, page.kind)
        groups[name].append(page)
    pieces, links = [], []
    for name in sorted(groups):
        members = groups[name]
        for start in range(0, len(members), SITEMAP_MOST):
            chunk = members[start:start + SITEMAP_MOST]
            route = f"sitemaps/{name}{'' if start == 0 else f'-{start // SITEMAP_MOST + 1}'}.xml"
            pieces.append(Page(route, "sitemap.xml", lang, "sitemap", {"entries": chunk}, in_sitemap=False))
            links.append(SitemapLink(urls.absolute(route),
                                     max((p.lastmod for p in chunk if p.lastmod is not None), default=None)))
    index = Page("sitemap.xml", "sitemap-index.xml", lang, "sitemap-index", {"sitemaps": tuple(links)},
                 in_sitemap=False)
    return [index, *pieces]


def _link_alternates(pages: list[Page], site: Site) -> list[Page]:
    urls, default = site.urls, site.config.default_language
    by_key: dict[tuple, dict[str, Page]] = defaultdict(dict)
    for page in pages:
        if page.alt_key:
            by_key[page.alt_key][page.lang] = page
    linked = []
    homes = _homes(site)
    untranslated = {lang.code: _switch(site, lang.code, {}, homes) for lang in site.config.languages}
    for page in pages:
        versions = by_key.get(page.alt_key, {}) if page.alt_key else {}
        alternates: tuple[Alternate, ...] = ()
        if len(versions) > 1:
            ordered = [versions[c] for c in site.config.language_codes if c in versions]
            x_default = versions.get(default, ordered[0])
            alternates = tuple(Alternate(p.lang, urls.absolute(p.route)) for p in ordered)
            alternates += (Alternate("x-default", urls.absolute(x_default.route)),)
        hrefs = {code: urls.href(p.route) for code, p in versions.items()}
        switch = _switch(site, page.lang, hrefs, homes) if len(hrefs) > 1 else untranslated[page.lang]
        linked.append(replace(page, alternates=alternates, switch=switch))
    return linked


def _switch(site: Site, lang: str, translated: Mapping[str, str],
            homes: Mapping[str, str] | None = None) -> tuple[SwitchLink, ...]:
    """One link per other language: the translation when there is one, else that language's home."""
    homes = homes or _homes(site)
    return tuple(SwitchLink(l.code, l.name, translated.get(l.code) or homes[l.code], l.code in translated)
                 for l in site.config.languages if l.code != lang)


def _homes(site: Site) -> dict[str, str]:
    return {l.code: site.urls.href(site.urls.home(l.code)) for l in site.config.languages}


def _collisions(pages: Iterable[Page]) -> list[Diagnostic]:
    seen: dict[str, Page] = {}
    problems = []
    for page in pages:
        if page.file in seen:
            first = seen[page.file]
            sources = [p.context["article"].path for p in (first, page) if "article" in p.context]
            where = sources[0] if sources else "content/"
            problems.append(Diagnostic(where, f"two pages would be written to {page.file} ({first.kind} and {page.kind})",
                                       1, "rename the slug so it does not clash with a listing page"))
        else:
            seen[page.file] = page
    return problems
