"""The site model: articles with their URLs, translation groups, and checks across files."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import lru_cache
from types import MappingProxyType
from typing import Callable, Mapping

from .bodies import Body, body_of
from .config import SiteConfig
from .content import Document
from .errors import Diagnostic
from .markup import Rendered
from .pagestore import PageStore
from .text import fold_label
from .urls import Urls, slugify




@dataclass(frozen=True)
class Term:
    """A tag or category as pages show it: its label and the page that lists it."""

    name: str
    slug: str
    href: str


@dataclass(frozen=True)
class Article:
    """A document after rendering, with its place in the site."""

    path: str  # the file, relative to the site root (as Document.path)
    lang: str
    slug: str
    group: str
    title: str
    date: datetime
    updated: datetime | None
    tags: tuple[Term, ...]
    category: Term | None
    source_name: str
    source_url: str
    summary: str
    image_src: str
    image_alt: str
    draft: bool
    scheduled: bool
    pins: tuple[str, ...]
    body: Body  # its rendered HTML and table of contents, read when asked for (bodies.py)
    route: str
    href: str
    url: str  # absolute
    reading_minutes: int = 1
    pin_lines: tuple[int, ...] = ()  # the front matter line of each pin, for messages
    links: tuple[tuple[str, str], ...] = ()  # ("a" or "img", address) in the body that point into the site
    image_line: int = 1
    author: str = ""

    @property
    def html(self) -> str:
        """The rendered body, read from the body store each time: the build does not hold them."""
        return self.body.read()[0]

    @property
    def toc(self) -> str:
        return self.body.read()[1]

    @property
    def day(self) -> date:
        return self.date.date()

    @property
    def modified(self) -> datetime:
        return self.updated or self.date

    @property
    def sort_key(self) -> tuple:
        """Newest first, then by route: every listing uses this one order."""
        return (-self.date.timestamp(), self.route)


@dataclass(frozen=True)
class Site:
    config: SiteConfig
    urls: Urls
    articles: tuple[Article, ...]  # newest first
    groups: Mapping[str, Mapping[str, Article]]  # translation key -> language -> article

    def in_language(self, lang: str) -> tuple[Article, ...]:
        return tuple(a for a in self.articles if a.lang == lang)

    def translations(self, article: Article) -> tuple[Article, ...]:
        """The other language versions of `article`, in the configured language order."""
        group = self.groups[article.group]
        return tuple(group[code] for code in self.config.language_codes if code in group and code != article.lang)


def assemble_site(documents: list[Document], rendered: Mapping[str, Rendered], config: SiteConfig,
                  urls: Urls, now: datetime, bodies: PageStore | None = None) -> tuple[Site, list[Diagnostic]]:
    """Give every document its URL and translation group; report clashes between files. A body kept in
    the body store is read from `bodies`."""
    diagnostics: list[Diagnostic] = []
    articles = []
    for doc in documents:
        articles.append(make_article(doc, rendered[doc.path], urls, now, bodies))
    articles = _fold_terms(articles, urls)
    articles.sort(key=lambda a: a.sort_key)

    by_route: dict[str, list[Article]] = defaultdict(list)
    groups: dict[str, dict[str, Article]] = defaultdict(dict)
    for article in sorted(articles, key=lambda a: a.path):
        by_route[article.route].append(article)
        first = groups[article.group].get(article.lang)
        if first is not None:
            diagnostics.append(Diagnostic(article.path, f"is a second {article.lang!r} version of the story in {first.path}",
                                          1, "give one file another name, or fix its translation_key"))
        else:
            groups[article.group][article.lang] = article
    for route, clash in sorted(by_route.items()):
        if len(clash) > 1:
            others = ", ".join(a.path for a in clash[1:])
            diagnostics.append(Diagnostic(clash[0].path, f"has the same URL /{route} as {others}", 1,
                                          "change the slug or the date of one of them"))
    frozen_groups = MappingProxyType({k: MappingProxyType(v) for k, v in sorted(groups.items())})
    return Site(config, urls, tuple(articles), frozen_groups), diagnostics


def make_article(doc: Document, rendered: Rendered, urls: Urls, now: datetime, bodies: PageStore | None = None) -> Article:
    """A document with its URL, terms and rendered body."""
    route = urls.article(doc.lang, doc.date.date(), doc.slug)
    image = doc.image_src
    if image.startswith("/") and not image.startswith("//"):
        image = urls.base_path + image.lstrip("/")
    return Article(
        path=doc.path, lang=doc.lang, slug=doc.slug, group=doc.group, title=doc.title,
        date=doc.date, updated=doc.updated,
        tags=tuple(_term(urls.tag, urls, doc.lang, t) for t in doc.tags),
        category=_term(urls.category, urls, doc.lang, doc.category) if doc.category else None,
        source_name=doc.source_name, source_url=doc.source_url, summary=doc.summary,
        image_src=image, image_alt=doc.image_alt, draft=doc.draft, scheduled=doc.date > now,
        pins=doc.pins, body=body_of(rendered, bodies),
        route=route, href=urls.href(route), url=urls.absolute(route),
        reading_minutes=reading_minutes(rendered.words), pin_lines=doc.pin_lines,
        links=rendered.links, image_line=doc.image_line, author=doc.author,
    )


def _fold_terms(articles: list[Article], urls: Urls) -> list[Article]:
    """Tags (and sections) that differ only in spelling (text.fold_label) become one, named by the spelling
    most articles of the language use (ties: the first in sort order), so they share one page."""
    # Counted by spelling, then folded once per spelling: a site has hundreds of them, and tens of thousands
    # of stories that carry them.
    uses = Counter(("tag", a.lang, t.name) for a in articles for t in a.tags)
    uses.update(("category", a.lang, a.category.name) for a in articles if a.category)
    counts: dict[tuple[str, str, str], Counter[str]] = defaultdict(Counter)
    for (kind, lang, name), n in uses.items():
        counts[kind, lang, fold_label(name)][name] = n
    if all(len(spellings) == 1 for spellings in counts.values()):
        return articles  # nothing to fold: the common case
    chosen = {key: min(spellings.items(), key=lambda item: (-item[1], item[0]))[0] for key, spellings in counts.items()}
    folded = []
    for article in articles:
        tags = tuple(dict.fromkeys(_term(urls.tag, urls, article.lang, chosen["tag", article.lang, fold_label(t.name)])
                                   for t in article.tags))
        category = article.category and _term(urls.category, urls, article.lang,
                                              chosen["category", article.lang, fold_label(article.category.name)])
        folded.append(replace(article, tags=tags, category=category) if (tags, category) != (article.tags, article.category)
                      else article)
    return folded


WORDS_PER_MINUTE = 200  # a common figure for news prose; Arabic readers are measured close to it


def reading_minutes(words: int) -> int:
    """Minutes to read a body of `words` words, rounded up, at least one."""
    return max(1, -(-words // WORDS_PER_MINUTE))


@lru_cache(maxsize=65536)  # tags repeat on thousands of articles
def _term(route_for: Callable[[str, str], str], urls: Urls, lang: str, label: str) -> Term:
    slug = slugify(label)
    return Term(label, slug, urls.href(route_for(lang, slug)))
