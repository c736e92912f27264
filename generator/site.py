"""The site model: articles with their URLs, translation groups, and checks across files."""

from __future__ import annotations

import posixpath
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from types import MappingProxyType
from urllib.parse import unquote, urlsplit

from .bodies import Body, body_of
from .config import SiteConfig
from .content import Document
from .errors import Diagnostic, shown
from .markup import Rendered, led_to
from .pagestore import PageStore
from .text import fold_label
from .urls import Urls, slugify




@dataclass(frozen=True)
class Term:
    """A tag or category as pages show it: its label and the page that lists it."""

    name: str
    slug: str
    href: str


@dataclass(frozen=True, slots=True)
class Article:
    """A document after rendering, with its place in the site: a story, or a page of content/pages/ (`page`),
    which has no date."""

    path: str  # the file, relative to the site root (as Document.path)
    lang: str
    slug: str
    group: str
    title: str
    date: datetime | None  # None for a page, and for it alone
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
    links: tuple[tuple[str, str], ...] = ()  # ("a", "img", "video" or "audio", address) in the body, into the site
    image_line: int = 1
    authors: tuple[str, ...] = ()  # the byline's names, as written
    # (address, href) of each link written to another story's file, and the address of that story's page
    story_links: tuple[tuple[str, str], ...] = ()
    aliases: tuple[str, ...] = ()  # routes of its old addresses, each a page that leads on to this one
    image_caption: str = ""
    image_credit: str = ""
    correction: str = ""  # shown under the story, with `updated`, the day it was made
    page: bool = False  # a page of content/pages/ (About us…): at /<slug>/, linked from every page's footer
    bylines: tuple[Term, ...] = ()  # the page of each writer's stories, for a story with an `author:`
    order: int = 0  # a page's place among the footer's links
    pinned: bool = False  # leads its language's home page at the build's time (`Site.pinned`)

    @property
    def writers(self) -> tuple[tuple[str, Term | None], ...]:
        """Each name of the byline, as written, with the page of that writer's stories (None on a page of
        content/pages/)."""
        return tuple(zip(self.authors, self.bylines or (None,) * len(self.authors)))

    @property
    def author(self) -> str:
        """The first writer, for a theme copied before a byline could name several."""
        return self.authors[0] if self.authors else ""

    @property
    def byline(self) -> Term | None:
        return self.bylines[0] if self.bylines else None

    @property
    def html(self) -> str:
        """The rendered body, read from the body store each time: the build does not hold them."""
        html = self.body.read()[0]
        return led_to(html, dict(self.story_links)) if self.story_links else html

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
    articles: tuple[Article, ...]  # the stories, newest first
    groups: Mapping[str, Mapping[str, Article]]  # translation key -> language -> article
    # The pages of content/pages/ (About us, contact…), in the footer's order; by group, as the stories.
    pages: tuple[Article, ...] = ()
    page_groups: Mapping[str, Mapping[str, Article]] = field(default_factory=lambda: MappingProxyType({}))
    # By language, the stories pinned to the top of its home page, newest first (at most MOST_PINNED).
    pinned: Mapping[str, tuple[Article, ...]] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def articles_and_pages(self) -> tuple[Article, ...]:
        """The stories and the pages of content/pages/: what links, pictures and keys are read from."""
        return self.articles + self.pages

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
    terms = Terms(urls)
    made = [make_article(doc, rendered[doc.path], urls, now, bodies, terms) for doc in documents]
    articles = [a for a in made if not a.page]
    pages = [a for a in made if a.page]
    diagnostics += [_taken(page, config) for page in pages
                    if page.slug.isdigit() or page.slug in _TAKEN or page.slug in config.language_codes]
    diagnostics += [Diagnostic(doc.path, f"aliases: {shown(alias, 60)} is not an old address of a page of this site",
                               doc.aliases_line, "write the story's old address as the browser showed it, such as "
                               "/2023/09/13/story/")
                    for doc in documents if doc.aliases for alias in doc.aliases if not urls.alias(alias)]
    articles = _fold_terms(articles, terms)
    linked = articles + pages  # a story may link a page by its file, and a page a story
    articles, pages = with_story_links(articles, linked, urls.base_path), with_story_links(pages, linked, urls.base_path)
    articles.sort(key=lambda a: a.sort_key)
    pages.sort(key=lambda a: (a.order, a.title, a.path))

    by_route: dict[str, list[Article]] = defaultdict(list)
    groups: dict[str, dict[str, Article]] = defaultdict(dict)
    page_groups: dict[str, dict[str, Article]] = defaultdict(dict)
    for article in sorted(articles + pages, key=lambda a: a.path):
        by_route[article.route].append(article)
        grouped = page_groups if article.page else groups
        first = grouped[article.group].get(article.lang)
        if first is not None:
            diagnostics.append(Diagnostic(article.path, f"is a second {article.lang!r} version of the story in {first.path}",
                                          1, "give one file another name, or fix its translation_key"))
        else:
            grouped[article.group][article.lang] = article
    for route, clash in sorted(by_route.items()):
        if len(clash) > 1:
            others = ", ".join(a.path for a in clash[1:])
            diagnostics.append(Diagnostic(clash[0].path, f"has the same URL /{route} as {others}", 1,
                                          "change the slug or the date of one of them"))
    frozen = lambda grouped: MappingProxyType({k: MappingProxyType(v) for k, v in sorted(grouped.items())})  # noqa: E731
    pinned, problems = _pinned(articles, documents, now)
    diagnostics += problems
    return Site(config, urls, tuple(articles), frozen(groups), tuple(pages), frozen(page_groups), pinned), diagnostics


# A home page that leads with more than this many stories leads with none: the rest of the news is pushed below
# a phone's first screen.
MOST_PINNED = 3


def _pinned(articles: list[Article], documents: list[Document], now: datetime
            ) -> tuple[Mapping[str, tuple[Article, ...]], list[Diagnostic]]:
    """The stories each language's home page leads with (`articles` newest first), and a warning for a pin that
    has ended (a year mistyped ends it in silence) and for each pin past MOST_PINNED in a language."""
    diagnostics = [Diagnostic(d.path, f"the pin ended on {d.pinned_until - timedelta(seconds=1):%Y-%m-%d}: the "
                              "story no longer leads the home page", d.pinned_line,
                              "delete pinned: and pinned_until:, or check the day's year", "warning")
                   for d in documents if d.pinned and d.pinned_until is not None and d.pinned_until <= now]
    by_lang: dict[str, list[Article]] = defaultdict(list)
    for article in articles:
        if article.pinned:
            by_lang[article.lang].append(article)
    lines = {d.path: d.pinned_line for d in documents if d.pinned}
    for pinned in by_lang.values():
        newest = ", ".join(a.path for a in pinned[:MOST_PINNED])
        diagnostics += [Diagnostic(a.path, f"is pinned, but the home page leads with {MOST_PINNED} stories at most, "
                                   f"the newest pinned: {newest}", lines[a.path],
                                   "unpin a story that no longer leads (delete its pinned: line)", "warning")
                        for a in pinned[MOST_PINNED:]]
    return MappingProxyType({lang: tuple(pinned[:MOST_PINNED]) for lang, pinned in sorted(by_lang.items())}), diagnostics


# The first folders of the addresses the site gives its own pages and files, which a page of content/pages/ cannot
# take: a year's archive is a number, a language's pages are in a folder named by its code.
_TAKEN = frozenset({"page", "tags", "categories", "authors", "search", "assets", "images", "admin", "icons"})


def _taken(page: Article, config: SiteConfig) -> Diagnostic:
    what = ("a year of the archive" if page.slug.isdigit() else
            "the pages in another language" if page.slug in config.language_codes else "the site's own pages and files")
    return Diagnostic(page.path, f"the page's address /{page.route} is where the site keeps {what}", 1,
                      f"name it another way: slug: about-{page.slug} (or rename the file)")


def make_article(doc: Document, rendered: Rendered, urls: Urls, now: datetime, bodies: PageStore | None = None,
                 terms: Terms | None = None) -> Article:
    """A document with its URL, terms and rendered body."""
    terms = Terms(urls) if terms is None else terms
    route = urls.page(doc.lang, doc.slug) if doc.date is None else urls.article(doc.lang, doc.date.date(), doc.slug)
    image = doc.image_src
    if image.startswith("/") and not image.startswith("//"):
        image = urls.base_path + image.lstrip("/")
    return Article(
        path=doc.path, lang=doc.lang, slug=doc.slug, group=doc.group, title=doc.title,
        date=doc.date, updated=doc.updated,
        tags=tuple(terms["tag", doc.lang, t] for t in doc.tags),
        category=terms["category", doc.lang, doc.category] if doc.category else None,
        source_name=doc.source_name, source_url=doc.source_url, summary=doc.summary,
        image_src=image, image_alt=doc.image_alt, draft=doc.draft, scheduled=doc.date is not None and doc.date > now,
        pins=doc.pins, body=body_of(rendered, bodies),
        route=route, href=urls.href(route), url=urls.absolute(route),
        reading_minutes=reading_minutes(rendered.words), pin_lines=doc.pin_lines,
        links=rendered.links, image_line=doc.image_line, authors=doc.authors,
        image_caption=doc.image_caption, image_credit=doc.image_credit, correction=doc.correction,
        page=doc.page, order=doc.order,
        pinned=doc.pinned and (doc.pinned_until is None or now < doc.pinned_until),
        bylines=() if doc.page else tuple(terms["author", doc.lang, name] for name in doc.authors),
        aliases=tuple(dict.fromkeys(a for a in map(urls.alias, doc.aliases) if a and a != route)) if doc.aliases else (),
    )


def _fold_terms(articles: list[Article], terms: Terms) -> list[Article]:
    """Tags (and sections, and writers) that differ only in spelling (text.fold_label) become one, named by the
    spelling most articles of the language use (ties: the first in sort order), so they share one page."""
    # Counted by spelling, then folded once per spelling: a site has hundreds of them, and tens of thousands
    # of stories that carry them. Only the stories that carry a spelling not chosen are made again.
    uses = Counter(("tag", a.lang, t.name) for a in articles for t in a.tags)
    uses.update(("category", a.lang, a.category.name) for a in articles if a.category)
    uses.update(("author", a.lang, b.name) for a in articles for b in a.bylines)
    counts: dict[tuple[str, str, str], Counter[str]] = defaultdict(Counter)
    for (kind, lang, name), n in uses.items():
        counts[kind, lang, fold_label(name)][name] = n
    renamed: dict[tuple[str, str, str], str] = {}  # (kind, language, spelling) -> the spelling chosen for it
    for (kind, lang, _), spellings in counts.items():
        chosen = min(spellings.items(), key=lambda item: (-item[1], item[0]))[0]
        renamed.update(((kind, lang, name), chosen) for name in spellings if name != chosen)
    if not renamed:
        return articles  # nothing to fold: the common case
    folded = []
    for article in articles:
        lang = article.lang
        if not (any(("tag", lang, t.name) in renamed for t in article.tags)
                or article.category and ("category", lang, article.category.name) in renamed
                or any(("author", lang, b.name) in renamed for b in article.bylines)):
            folded.append(article)
            continue
        # Two spellings of one tag on a story become one tag.
        tags = tuple(dict.fromkeys(terms["tag", lang, renamed.get(("tag", lang, t.name), t.name)] for t in article.tags))
        category = article.category and terms["category", lang, renamed.get(("category", lang, article.category.name),
                                                                            article.category.name)]
        bylines = tuple(terms["author", lang, renamed.get(("author", lang, b.name), b.name)] for b in article.bylines)
        folded.append(replace(article, tags=tags, category=category, bylines=bylines))
    return folded


def with_story_links(articles: Iterable[Article], among: Iterable[Article], base_path: str) -> list[Article]:
    """`articles`, each with the pages of the stories among `among` that it links to by their file."""
    articles = list(articles)
    if not any(".md" in address for article in articles for kind, address in article.links if kind == "a"):
        return articles  # most sites: no story is linked by its file
    stories = StoryFiles(among, base_path)
    linked = []
    for article in articles:
        found = tuple((address, story.href + fragment) for kind, address in article.links if kind == "a"
                      for story, fragment in [stories.find(address, article.path)] if story is not None)
        linked.append(replace(article, story_links=found) if found else article)
    return linked


class StoryFiles:
    """Stories by the file they are written in, for links to a story written to its file: `[…](other.ar.md)`,
    as GitHub links one file of a repository to another, and as Pelican and Hugo let editors link. The page
    shows the address of the story's page, so the link follows the story when its date changes.

    A file is found from the folder of the story that links to it, from the site's root (/content/…), from
    content/ (/2023/…), or, for a name alone, anywhere in content/ if only one file has that name."""

    def __init__(self, stories: Iterable[Article | Document], base_path: str):
        self.base_path = base_path
        self.by_path: dict[str, Article | Document] = {}
        self.by_name: dict[str, list[Article | Document]] = defaultdict(list)
        for story in stories:
            self.by_path[story.path] = story
            self.by_name[story.path.rpartition("/")[2]].append(story)

    def find(self, address: str, here: str) -> tuple[Article | Document | None, str]:
        """The story a link at `address` in the file `here` names by its file, and the link's #fragment."""
        parts = urlsplit(address)
        if parts.scheme or parts.netloc or not parts.path.endswith(".md"):
            return None, ""
        path = unquote(parts.path)
        fragment = "#" + parts.fragment if parts.fragment else ""
        if path.startswith("/"):
            rel = path[len(self.base_path):] if path.startswith(self.base_path) else path[1:]
            tried = [rel, "content/" + rel]
        else:
            tried = [posixpath.join(posixpath.dirname(here), path)]
        for candidate in tried:
            story = self.by_path.get(posixpath.normpath(candidate))
            if story is not None:
                return story, fragment
        named = self.by_name.get(path, []) if "/" not in path else []
        return (named[0], fragment) if len(named) == 1 else (None, "")


WORDS_PER_MINUTE = 200  # a common figure for news prose; Arabic readers are measured close to it


def reading_minutes(words: int) -> int:
    """Minutes to read a body of `words` words, rounded up, at least one."""
    return max(1, -(-words // WORDS_PER_MINUTE))


class Terms(dict):
    """Each tag's and section's Term by (kind, language, label), made the first time it is asked for: a site
    has hundreds of them, carried by tens of thousands of stories."""

    def __init__(self, urls: Urls):
        super().__init__()
        self.urls = urls

    def __missing__(self, key: tuple[str, str, str]) -> Term:
        kind, lang, label = key
        slug = slugify(label)
        route = {"tag": self.urls.tag, "category": self.urls.category, "author": self.urls.author}[kind](lang, slug)
        term = self[key] = Term(label, slug, self.urls.href(route))
        return term
