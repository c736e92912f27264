"""What lists the whole site: the sitemap (an index and its pieces), and the 404 page and robots.txt.

They are planned on every build, after the families (pages.py), from a `SitemapEntry` per page: of
the families planned again from their pages, of the others from what the cache kept of them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from .config import SiteConfig
from .pages import Alternate, Page, switch_links
from .urls import Urls


def closing_pages(config: SiteConfig, urls: Urls, entries: list[SitemapEntry]) -> list[Page]:
    """The pages made from the whole site's list of pages: 404, the sitemap and robots.txt."""
    default = config.default_language
    pages = [Page("404.html", "404.html", default, "404", {}, in_sitemap=False,
                  switch=switch_links(config, urls, default, {}))]
    pages += _sitemaps(urls, default, entries)
    pages.append(Page("robots.txt", "robots.txt", default, "robots",
                      {"sitemap_url": urls.absolute("sitemap.xml"),
                       "news_sitemap_url": urls.absolute("news-sitemap.xml")}, in_sitemap=False))
    return pages


# Search engines read at most 50,000 addresses from one sitemap file; a piece holds fewer, so an edit
# renders again a small file, not one that lists the whole archive (134 MB at 100,000 stories a language).
SITEMAP_MOST = 10_000
_SITEMAP_GROUPS = {"tag": "tags", "tags": "tags", "category": "categories", "year": "dates", "month": "dates",
                   "day": "dates", "page": "pages",
                   "author": "authors"}


class SitemapEntry(NamedTuple):
    """A page as the sitemap lists it; kept in the cache for the pages a build does not plan again."""

    route: str
    lastmod: datetime | None
    alternates: tuple[Alternate, ...]
    piece: str  # the sitemap file that lists it: its article's month, or its kind of listing


def sitemap_entry(page: Page) -> SitemapEntry | None:
    """What the sitemap says of `page`, or None if it is not listed."""
    if not page.in_sitemap:
        return None
    article = page.context.get("article") if page.kind == "article" else None
    piece = f"articles-{article.day.year:04d}-{article.day.month:02d}" if article is not None \
        else _SITEMAP_GROUPS.get(page.kind, page.kind)
    return SitemapEntry(page.route, page.lastmod, page.alternates, piece)


@dataclass(frozen=True)
class SitemapLink:
    url: str  # absolute
    lastmod: datetime | None


def _sitemaps(urls: Urls, lang: str, entries: list[SitemapEntry]) -> list[Page]:
    """sitemap.xml, an index of the pieces that list the pages: article pages by the month of their date,
    listings by kind, each cut into pieces of at most SITEMAP_MOST, in the order of their addresses.
    An edit changes one month's piece."""
    groups: dict[str, list[SitemapEntry]] = defaultdict(list)
    for entry in sorted(entries):
        groups[entry.piece].append(entry)
    pieces, links = [], []
    for name in sorted(groups):
        members = groups[name]
        for start in range(0, len(members), SITEMAP_MOST):
            chunk = tuple(members[start:start + SITEMAP_MOST])
            route = f"sitemaps/{name}{'' if start == 0 else f'-{start // SITEMAP_MOST + 1}'}.xml"
            pieces.append(Page(route, "sitemap.xml", lang, "sitemap", {"entries": chunk}, in_sitemap=False))
            links.append(SitemapLink(urls.absolute(route),
                                     max((e.lastmod for e in chunk if e.lastmod is not None), default=None)))
    index = Page("sitemap.xml", "sitemap-index.xml", lang, "sitemap-index", {"sitemaps": tuple(links)},
                 in_sitemap=False)
    return [index, *pieces]
