"""Plan every output page: which template renders it, at which route, with what data.

Templates compute nothing: listings, pagination, date navigation, related lists
and language alternates are all decided here.
"""

from __future__ import annotations

import zlib
from collections import defaultdict
from functools import cached_property
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from types import MappingProxyType
from typing import Any, Callable, Iterable, Mapping, NamedTuple, Sequence

from .config import SiteConfig
from .errors import Diagnostic
from .searchindex import DOCS_PER_CHUNK, SearchIndex
from .site import Article, Site, Term
from .urls import Urls, output_file


@dataclass(frozen=True)
class Pagination:
    """Where a listing page stands: `number` 0 on the first page, else the page's number counted from the
    oldest (`_pages_of`); the links to the newer and the older page ("" where there is none); and the days
    of its newest and oldest stories."""

    number: int
    prev_href: str
    next_href: str
    newest: date | None
    oldest: date | None


class Alternate(NamedTuple):
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


@dataclass(frozen=True)
class Family:
    """Pages one function plans from explicit arguments: the planner sees nothing else but the config.

    Every page that shares an alt_key (the versions of one story, of one day's archive) is in the
    same family, so the family links its own alternates. `pagegraph.family_key` records the arguments
    as plain data, each article by its key: a build that finds a family's key unchanged keeps its
    pages without planning them again.
    """

    name: str
    planner: Callable[..., list[Page]]
    args: tuple
    # The values besides the articles its pages show that its arguments come from, by name
    # (`pagegraph.changed_values`): a listing's stories, a story's related list and pictures, a search index.
    reads: tuple[str, ...] = ()


def plan_families(site: Site, related: Mapping[str, tuple[str, ...]], search: Mapping[str, SearchIndex],
                  pictures: Mapping[str, Mapping[str, Any]], cards: Mapping[str, Any]
                  ) -> tuple[list[Family], dict[str, Any]]:
    """Every family of the site's pages, and by name the values they read as plain data, but for the related
    lists and search indexes: each listing's stories in order with what else its pages show of it
    (`listing_value`), the tags' counts (TAGS), and a shard of the stories' pictures and share cards
    (`pictures_value`). `pictures` and `cards` give, per article source, the processed photos it shows and
    its share card (images.py, cards.py)."""
    config = site.config
    codes = config.language_codes
    by_lang = {code: site.in_language(code) for code in codes}
    named: dict[str, Any] = {}
    # The first page of a home leads with its pinned stories, and leaves them out of its list below.
    families = _listing_families("home", [Listing(code, ("home",), articles, "home.html", "home", ("home",), {},
                                                  pinned=site.pinned.get(code, ()))
                                          for code, articles in by_lang.items()], config.per_page, named)
    families += _search_families(by_lang, search)
    tag_counts = []
    for code, articles in by_lang.items():
        families.append(Family(f"feed/{code}", _feed_page, (code, articles[: config.feed_size]),
                               reads=(listing_value(code, ("home",)),)))
        for kind in ("tag", "category", "author"):
            grouped = _by_term(articles, kind)
            families += _term_families(code, kind, grouped, config.per_page, named)
            if kind == "category":
                # A feed per section, as newsrooms publish one (a reader, or a channel that posts a feed, follows
                # one section). Not per tag: a site has hundreds of tags, each feed the stories' whole texts.
                families += [Family(f"feed/{code}/category/{slug}", _feed_page,
                                    (code, tuple(members[: config.feed_size]), term),
                                    reads=(listing_value(code, ("category", slug)),))
                             for slug, (term, members) in sorted(grouped.items())]
            if kind == "tag":  # the tags page: every tag with its number of stories, the most used first
                tag_counts.append((code, tuple(sorted(((term, len(members)) for term, members in grouped.values()),
                                                      key=lambda tc: (-tc[1], tc[0].slug)))))
    # Its own value, not the tags' listings it counts: a tag no story has any longer has no listing to read.
    named[TAGS] = tuple(tag_counts)
    families.append(Family("tags", _tags_pages, (tuple(tag_counts),), reads=(TAGS,)))
    families += _date_families(site, by_lang, named)
    news = _latest_news(site.articles)
    named[NEWS] = tuple(a.path for a in news)  # a story that comes or goes changes it, as a listing's
    families.append(Family("news-sitemap", _news_sitemap, (news,), reads=(NEWS,)))
    for group, versions in site.page_groups.items():
        ordered = [versions[code] for code in codes if code in versions]
        args = tuple((a, pictures.get(a.path, {})) for a in ordered)
        families.append(Family(f"page/{group}", _page_pages, (args,),
                               reads=_picture_shards(ordered, pictures, cards, named)))
    count = config.related.count
    for group, versions in site.groups.items():
        ordered = [versions[code] for code in codes if code in versions]
        args = tuple((a, tuple(_chosen(site, a, related, count)), pictures.get(a.path, {}), cards.get(a.path))
                     for a in ordered)
        families.append(Family(f"article/{group}", _article_pages, (args,),
                               reads=(related_value(group), *_picture_shards(ordered, pictures, cards, named))))
    return families, named


def _picture_shards(versions: Sequence[Article], pictures: Mapping[str, Any], cards: Mapping[str, Any],
                    named: dict[str, Any]) -> tuple[str, ...]:
    """The names of the shards that hold the versions' pictures and share cards, each once; each version's are
    added to its shard in `named`."""
    shards = []
    for a in versions:
        shards.append(pictures_value(a.path))
        named.setdefault(shards[-1], []).append((a.path, pictures.get(a.path), cards.get(a.path)))
    return tuple(dict.fromkeys(shards))


FOOTER = "footer"  # the pages of content/pages/ every page's footer links (`footer_links`)
TAGS = "tags"  # the value the tags pages read: every tag with its number of stories, in each language
NEWS = "news"  # the value the news sitemap reads: the stories it lists


def listing_value(lang: str, where: tuple) -> str:
    """The name a listing goes by among the values families read: its stories, and what its pages say of it."""
    return "listing/" + lang + "/" + "/".join(map(str, where))


# Each story's pictures and share card, in shards by its source file: a value per story would be tens of
# thousands of names, and one value for them all would change for every story page when a story is added.
PICTURE_SHARDS = 256
_PICTURE_VALUES = tuple(f"pictures/{n}" for n in range(PICTURE_SHARDS))


def pictures_value(path: str) -> str:
    """The name of the value that holds the pictures and share card of the story in `path`."""
    return _PICTURE_VALUES[zlib.crc32(path.encode("utf-8", "surrogatepass")) % PICTURE_SHARDS]


def related_value(group: str) -> str:
    """The name a story's related list goes by among the values families read."""
    return "related/" + group


def search_value(code: str) -> str:
    """The name a language's search index goes by among the values families read."""
    return "search/" + code


def family_pages(family: Family, config: SiteConfig, urls: Urls) -> list[Page]:
    """The family's pages, alternates linked."""
    return _link_alternates(family.planner(config, urls, *family.args), config, urls)


def _feed_page(config: SiteConfig, urls: Urls, code: str, entries: tuple[Article, ...],
               section: Term | None = None) -> list[Page]:
    """The language's feed, or a section's: its newest stories, whole."""
    route = urls.feed(code, section.slug if section else "")
    return [Page(route, "feed.xml", code, "feed",
                 {"entries": entries, "feed_url": urls.absolute(route), "section": section,
                  "home_url": urls.absolute(urls.category(code, section.slug) if section else urls.home(code)),
                  "updated": max((a.modified for a in entries), default=None)},
                 in_sitemap=False)]


# Google News reads a news sitemap of the stories of the last two days, a thousand at most. The days are counted
# back from the newest story, not from the build's clock: the file is the same whenever the site is built.
NEWS_DAYS = 2
NEWS_MOST = 1000


def _latest_news(articles: Sequence[Article]) -> tuple[Article, ...]:
    """The stories of the NEWS_DAYS up to the newest published one, newest first (at most NEWS_MOST)."""
    published = [a for a in articles if not a.draft and not a.scheduled]
    if not published:
        return ()
    since = published[0].date - timedelta(days=NEWS_DAYS)
    return tuple(a for a in published[:NEWS_MOST] if a.date > since)


def _news_sitemap(config: SiteConfig, urls: Urls, entries: tuple[Article, ...]) -> list[Page]:
    return [Page("news-sitemap.xml", "news-sitemap.xml", config.default_language, "news-sitemap",
                 {"entries": entries}, in_sitemap=False)]


def _chosen(site: Site, article: Article, related: Mapping[str, tuple[str, ...]], count: int) -> list[Article]:
    """The related stories shown under `article`: the first `count` of its ranked groups with a version in
    its language."""
    chosen = []
    for key in related.get(article.group, ()):
        if len(chosen) == count:
            break
        other = site.groups[key].get(article.lang)
        if other is not None:
            chosen.append(other)
    return chosen


def _article_pages(config: SiteConfig, urls: Urls, versions: tuple[tuple[Article, tuple[Article, ...],
                   Mapping[str, Any], Any], ...]) -> list[Page]:
    """The pages of one story's versions, each with its related stories, translations, pictures and card."""
    pages = []
    for article, related, pictures, card in versions:
        # "pictures": the processed photos it shows (images.py); "card": its share card (cards.py).
        context = {"article": article, "related": related,
                   "translations": tuple(a for a, _, _, _ in versions if a is not article), "pictures": pictures}
        if card is not None:
            context["card"] = card
        pages.append(Page(article.route, "article.html", article.lang, "article", context,
                          alt_key=("article", article.group), lastmod=article.modified))
        # Its old addresses (`aliases:`), each a page that sends the reader on: links shared before it moved work.
        pages += [Page(alias, "redirect.html", article.lang, "redirect", {"article": article}, in_sitemap=False)
                  for alias in article.aliases]
    return pages


def _page_pages(config: SiteConfig, urls: Urls, versions: tuple[tuple[Article, Mapping[str, Any]], ...]) -> list[Page]:
    """The versions of one page of content/pages/ (About us…), each with the photos it shows."""
    return [Page(page.route, "page.html", page.lang, "page", {"article": page, "pictures": pictures},
                 alt_key=("page", page.group), lastmod=page.updated)
            for page, pictures in versions]


@dataclass(frozen=True)
class FooterLink:
    title: str
    href: str


def footer_links(site: Site) -> dict[str, tuple[FooterLink, ...]]:
    """Per language, the pages of content/pages/ that every page's footer links, in their order."""
    links: dict[str, tuple[FooterLink, ...]] = {}
    for code in site.config.language_codes:
        links[code] = tuple(FooterLink(page.title, page.href) for page in site.pages if page.lang == code)
    return links


class Listing(NamedTuple):
    """A list of stories in one language, newest first, cut into pages (`_pages_of`)."""

    lang: str
    where: tuple  # what it lists: ("home",), ("tag", slug), ("category", slug), or (level, first day)
    articles: Sequence[Article]
    template: str
    kind: str
    alt_key: tuple  # of its first page (the others have no versions in other languages)
    context: Mapping[str, Any]  # of every page
    first: Mapping[str, Any] = MappingProxyType({})  # of the first page alone
    pinned: tuple[Article, ...] = ()  # stories the first page leads with, above its list (a home's)


def _pages_of(count: int, per_page: int) -> list[tuple[int, int, int]]:
    """A listing of `count` stories as pages (number, start, end), its stories [start, end) newest first.

    Numbered from the oldest, so a story added on top leaves every numbered page as it was: each holds
    `per_page` stories, the oldest ones on page 1. The first page (number 0, the listing's own address)
    holds the rest, the newest: from `per_page` to twice that less one. Numbered from the newest, as
    most blogs do, an added story moved every page's stories down by one, and a site of 10,000 stories
    a language made its home's 1,000 pages again on every publish.
    """
    numbered = max(count // per_page - 1, 0)
    first = count - numbered * per_page
    return [(0, 0, first)] + [(n, count - n * per_page, count - (n - 1) * per_page) for n in range(numbered, 0, -1)]


def _listing_families(name: str, listings: list[Listing], per_page: int, values: dict[str, Any]) -> list[Family]:
    """The families of the listings' pages, one per page, so an edit plans again only the page that shows the
    story (the first pages of every language are one family, as they are versions of one another). A page's
    arguments are what it shows: its stories, and the numbers of the pages it links to (0: the first page,
    None: none). Each listing's value, which its families read, goes into `values`: its stories (by source
    file) and contexts."""
    firsts, rest = [], []
    reads = tuple(listing_value(listing.lang, listing.where) for listing in listings)
    for listing, value in zip(listings, reads):
        values[value] = (tuple(a.path for a in listing.articles), tuple(listing.context.items()),
                         tuple(listing.first.items()), tuple(a.path for a in listing.pinned))
        pages = _pages_of(len(listing.articles), per_page)
        head = (listing.lang, listing.where, listing.template, listing.kind, listing.alt_key)
        planned = []
        for i, (number, start, end) in enumerate(pages):
            newer = pages[i - 1][0] if i > 0 else None
            older = pages[i + 1][0] if i + 1 < len(pages) else None
            context = listing.context if number else {**listing.context, **listing.first,
                                                      **({"pinned": listing.pinned} if listing.pinned else {})}
            planned.append((number, newer, older, context, tuple(listing.articles[start:end])))
        firsts.append((*head, tuple(planned[:1])))
        rest += [Family(f"{name}/{listing.lang}/{page[0]}", _listing_pages, (((*head, (page,)),),), reads=(value,))
                 for page in planned[1:]]
    return [Family(f"{name}/1", _listing_pages, (tuple(firsts),), reads=reads), *rest]


def _listing_pages(config: SiteConfig, urls: Urls, listings: tuple[tuple, ...]) -> list[Page]:
    """Pages of listings, given per listing as (language, what it lists, template, kind, alt_key of its first
    page, the (number, number of the newer page, of the older, context, stories) of each page to plan)."""
    planned = []
    for lang, where, template, kind, alt_key, pages in listings:
        for number, newer, older, context, chunk in pages:
            link = lambda n: "" if n is None else urls.href(_listing_route(urls, lang, where, n))  # noqa: E731
            pagination = Pagination(number, link(newer), link(older), chunk[0].day if chunk else None,
                                    chunk[-1].day if chunk else None)
            planned.append(Page(_listing_route(urls, lang, where, number), template, lang, kind,
                                {**context, "items": chunk, "pagination": pagination},
                                alt_key=alt_key if number == 0 else (), in_sitemap=number == 0,
                                lastmod=max((a.modified for a in chunk), default=None)))
    return planned


def _listing_route(urls: Urls, lang: str, where: tuple, n: int) -> str:
    if where[0] == "home":
        return urls.home(lang, n)
    if where[0] == "tag":
        return urls.tag(lang, where[1], n)
    if where[0] == "category":
        return urls.category(lang, where[1], n)
    if where[0] == "author":
        return urls.author(lang, where[1], n)
    return _date_route(urls, lang, where[0], where[1], n)


# The archive's levels: (level, the one above, the one below). A period is named by its first day.
DATE_LEVELS = (("year", None, "month"), ("month", "year", "day"), ("day", "month", None))


def _period(level: str, day: date) -> date:
    """The first day of the year, month or day that holds `day`."""
    return date(day.year, 1, 1) if level == "year" else day.replace(day=1) if level == "month" else day


def _date_route(urls: Urls, lang: str, level: str, start: date, page: int = 0) -> str:
    if level == "year":
        return urls.year(lang, start.year, page)
    if level == "month":
        return urls.month(lang, start.year, start.month, page)
    return urls.day(lang, start, page)


def _date_families(site: Site, by_lang: Mapping[str, Sequence[Article]], values: dict[str, Any]) -> list[Family]:
    """The families of each year, month and day of the archive: its listing in every language that has stories
    then, each with the links to the periods before, after, above and below it (in its value)."""
    urls = site.urls
    found: dict[tuple[str, date], list[Listing]] = defaultdict(list)
    for lang, articles in by_lang.items():
        periods: dict[str, dict[date, list[Article]]] = {level: defaultdict(list) for level, _, _ in DATE_LEVELS}
        for article in articles:
            day = article.day
            for level, _, _ in DATE_LEVELS:
                periods[level][_period(level, day)].append(article)
        # The months of each year and the days of each month that hold stories: found from the periods, not by
        # going through every story again.
        below: dict[str, dict[date, list[date]]] = {level: defaultdict(list) for level, _, child in DATE_LEVELS if child}
        for level, parent, _ in DATE_LEVELS:
            for start in periods[level] if parent else ():
                below[parent][_period(parent, start)].append(start)

        def link(level: str, start: date, counted: bool = False) -> DateLink:
            return DateLink(start, urls.href(_date_route(urls, lang, level, start)),
                            len(periods[level][start]) if counted else 0)

        for level, parent, child in DATE_LEVELS:
            starts = sorted(periods[level])
            for i, start in enumerate(starts):
                members = periods[level][start]
                context = {"level": level, "heading": start, "up": link(parent, _period(parent, start)) if parent else None,
                           "prev": None, "next": None, "children": ()}
                # The periods before, after and below it (with their counts) on the first page alone: on every
                # page of a year, the first story of the next year changed them all, and so did every story
                # added to it.
                first = {"prev": link(level, starts[i - 1]) if i > 0 else None,
                         "next": link(level, starts[i + 1]) if i + 1 < len(starts) else None,
                         "children": tuple(link(child, s, counted=True) for s in sorted(below[level][start], reverse=True))
                         if child else ()}
                found[level, start].append(Listing(lang, (level, start), members, "date.html", level,
                                                   (level, start), context, first))
    per_page = site.config.per_page
    return [family for level, start in sorted(found)
            for family in _listing_families(f"{level}/{start.isoformat()}", found[level, start], per_page, values)]


def _by_term(articles: Sequence[Article], kind: str) -> dict[str, tuple[Term, list[Article]]]:
    """Per tag (or section, or writer) slug, the term and the stories that carry it, in the listings' order."""
    grouped: dict[str, tuple[Term, list[Article]]] = {}
    for article in articles:
        for term in _terms_of(article, kind):
            grouped.setdefault(term.slug, (term, []))[1].append(article)
    return grouped


def _terms_of(article: Article, kind: str) -> tuple[Term, ...]:
    """A story's tags, or its section, or its writers' pages (its byline's), as terms of `kind`."""
    if kind == "tag":
        return article.tags
    if kind == "author":
        return article.bylines
    return (article.category,) if article.category is not None else ()


def _term_families(lang: str, kind: str, grouped: Mapping[str, tuple[Term, list[Article]]],
                   per_page: int, values: dict[str, Any]) -> list[Family]:
    template = f"{kind}.html"
    return [family for slug in sorted(grouped)
            for family in _listing_families(f"{kind}/{lang}/{slug}", [Listing(lang, (kind, slug), grouped[slug][1],
                                             template, kind, (), {"term": grouped[slug][0]})], per_page, values)]


def _tags_pages(config: SiteConfig, urls: Urls, listings: tuple[tuple[str, tuple[tuple[Term, int], ...]], ...]) -> list[Page]:
    return [Page(urls.tags(lang), "tags.html", lang, "tags", {"terms": terms}, alt_key=("tags",))
            for lang, terms in listings]


def _search_families(by_lang: Mapping[str, Sequence[Article]], search: Mapping[str, SearchIndex]) -> list[Family]:
    """Each language's search page, and each file of the index its script fetches (see search.py): an edit
    changes a shard or two of the index and one file of stories."""
    indexes = {code: search[code] for code in by_lang}
    families = [Family("search", _search_pages, (tuple((code, tuple(first for first, _ in index.shards), index.chunks)
                                                       for code, index in indexes.items()),),
                       reads=tuple(search_value(code) for code in indexes))]
    for code, index in indexes.items():
        families += [Family(f"search/{code}/terms-{n}", _search_terms, (code, n, terms), reads=(search_value(code),))
                     for n, (_, terms) in enumerate(index.shards)]
        articles = by_lang[code][::-1]  # by doc id, the oldest first: a story added on top changes the last chunk
        families += [Family(f"search/{code}/docs-{n}", _search_docs,
                            (code, n, tuple(articles[n * DOCS_PER_CHUNK:(n + 1) * DOCS_PER_CHUNK])),
                            reads=(listing_value(code, ("home",)),))
                     for n in range(index.chunks)]
    return families


def _search_pages(config: SiteConfig, urls: Urls, indexes: tuple[tuple[str, tuple[str, ...], int], ...]) -> list[Page]:
    return [Page(urls.search(lang), "search.html", lang, "search",
                 {"bounds": bounds, "chunks": chunks, "chunk_size": DOCS_PER_CHUNK,
                  "data_href": urls.href(urls.search(lang))}, alt_key=("search",), in_sitemap=False)
            for lang, bounds, chunks in indexes]


def _search_terms(config: SiteConfig, urls: Urls, lang: str, n: int, terms: str) -> list[Page]:
    return [Page(urls.search(lang, f"terms-{n}.json"), "search-terms.json", lang, "search-data", {"terms": terms},
                 in_sitemap=False)]


def _search_docs(config: SiteConfig, urls: Urls, lang: str, n: int, articles: tuple[Article, ...]) -> list[Page]:
    return [Page(urls.search(lang, f"docs-{n}.json"), "search-docs.json", lang, "search-data",
                 {"articles": articles}, in_sitemap=False)]


def _link_alternates(pages: list[Page], config: SiteConfig, urls: Urls) -> list[Page]:
    default = config.default_language
    by_key: dict[tuple, dict[str, Page]] = defaultdict(dict)
    for page in pages:
        if page.alt_key:
            by_key[page.alt_key][page.lang] = page
    linked = []
    homes = _homes(config, urls)
    untranslated = {code: switch_links(config, urls, code, {}, homes) for code in config.language_codes}
    for page in pages:
        versions = by_key.get(page.alt_key, {}) if page.alt_key else {}
        alternates: tuple[Alternate, ...] = ()
        if len(versions) > 1:
            ordered = [versions[c] for c in config.language_codes if c in versions]
            x_default = versions.get(default, ordered[0])
            alternates = tuple(Alternate(p.lang, urls.absolute(p.route)) for p in ordered)
            alternates += (Alternate("x-default", urls.absolute(x_default.route)),)
        hrefs = {code: urls.href(p.route) for code, p in versions.items()}
        switch = switch_links(config, urls, page.lang, hrefs, homes) if len(hrefs) > 1 else untranslated[page.lang]
        linked.append(replace(page, alternates=alternates, switch=switch))
    return linked


def switch_links(config: SiteConfig, urls: Urls, lang: str, translated: Mapping[str, str],
            homes: Mapping[str, str] | None = None) -> tuple[SwitchLink, ...]:
    """One link per other language: the translation when there is one, else that language's home."""
    homes = homes or _homes(config, urls)
    return tuple(SwitchLink(l.code, l.name, translated.get(l.code) or homes[l.code], l.code in translated)
                 for l in config.languages if l.code != lang)


def _homes(config: SiteConfig, urls: Urls) -> dict[str, str]:
    return {l.code: urls.href(urls.home(l.code)) for l in config.languages}


def collisions(files: Iterable[tuple[str, str, str]], alias_lines: Mapping[str, int] | None = None) -> list[Diagnostic]:
    """An error for every output file two pages would be written to; `files` holds (file, kind of page,
    the article's source or ""). One of them a redirect is named at the `aliases:` line (`alias_lines`, by
    source) of the story that lists the address, which is the one to change."""
    seen: dict[str, tuple[str, str, str]] = {}
    problems = []
    for found in files:
        file, kind, source = found
        first = seen.setdefault(file, found)
        if first is not found:
            redirect = found if kind == "redirect" else first if first[1] == "redirect" else None
            where = (redirect[2] if redirect else "") or first[2] or source or "content/"
            line = (alias_lines or {}).get(where, 1) if redirect else 1
            hint = ("take that address out of aliases: a page is there now" if redirect else
                    "rename the slug so it does not clash with a listing page")
            problems.append(Diagnostic(where, f"two pages would be written to {file} ({first[1]} and {kind})", line,
                                       hint))
    return problems
