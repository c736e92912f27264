"""The one place that decides every URL and output path.

A *route* is a path relative to the site root, without the base path: "" for the
home page, "en/2023/09/13/kim-putin/" for a page, "en/feed.xml" for a file.
Templates only ever see hrefs made here, so a site under a sub-path
(https://user.github.io/repo/) never gets a hard-coded "/" link.
"""

from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass
from datetime import date
from functools import cached_property, lru_cache
from urllib.parse import quote, unquote, urlsplit, urlunsplit

from .text import strip_marks

_UNSAFE_IN_SLUG = re.compile(r"[^\w\-]+")
# What a slug may drop without changing which tag it names: spaces, dashes and punctuation between words.
_SEPARATORS = re.compile(r"[\s\-_.,'’‘:;!?؟¡/\\|·،؛()\[\]{}«»\"“”]+")
MAX_SLUG_BYTES = 120
# Browsers ignore ASCII whitespace and control characters inside a scheme: `java\tscript:` runs.
_IGNORED_IN_SCHEME = re.compile(r"[\x00-\x20\x7f]+")
_UNSAFE_SCHEME = re.compile(r"(?:javascript|vbscript|data):", re.IGNORECASE)


def is_unsafe_url(value: str) -> bool:
    """True for URLs that run code or smuggle content when followed: javascript:, vbscript:, data:."""
    return bool(_UNSAFE_SCHEME.match(_IGNORED_IN_SCHEME.sub("", html.unescape(value))))


# The preview on the editor's own computer (`serve`'s http://127.0.0.1:8000/…, or localhost), as an address copied
# from the browser's address bar: no reader can open it.
PREVIEW_ADDRESS = re.compile(r"^https?://(?:localhost|127(?:\.\d{1,3}){3}|0\.0\.0\.0|\[::1\])(?::\d{1,5})?(?=[/?#]|$)",
                             re.IGNORECASE)


def on_this_site(address: str, base: str) -> str | None:
    """`address` from the site's root (`/repo/2023/…`) when it is an address on the site written in full, as an
    editor copies it from the browser: from the published site (`base`, the site's address: http or https, the host
    in any case) or from the preview (`PREVIEW_ADDRESS`, under the site's base path); else None. Written so, a link
    leads within the preview and the published site alike, and `check` finds it when it leads nowhere."""
    if "://" not in address:
        return None
    parts, site = urlsplit(address), urlsplit(base)
    if parts.scheme.lower() not in ("http", "https"):
        return None
    if not PREVIEW_ADDRESS.match(address) and ("://" not in base or parts.netloc.lower() != site.netloc.lower()):
        return None
    site_path = site.path or "/"
    path = parts.path or "/"
    if path + "/" == site_path:  # the site's address without its last slash
        path = site_path
    return urlunsplit(("", "", path, parts.query, parts.fragment)) if path.startswith(site_path) else None


@lru_cache(maxsize=65536)  # tags repeat on thousands of articles
def slugify(label: str) -> str:
    """A URL segment for a tag or category: its words, without diacritics, joined by '-'.

    `الإقتصاد` and `الاقتصاد` get one page; ة and ى stay as written so the URL reads well.
    Where the words leave out a symbol that tells labels apart (C, C++ and C#; `!!!` and
    `???`), a short hash of what was left out follows, so distinct tags get distinct pages.
    """
    folded = strip_marks(label).casefold()
    words = _UNSAFE_IN_SLUG.split(folded)
    slug = "-".join(w.strip("_") for w in words if w.strip("_"))
    meaning = _SEPARATORS.sub("", folded)
    if not slug:  # nothing readable (`..`, `!!!`, diacritics alone): only the hash tells them apart
        return "-" + _short_hash(folded.strip() or label.strip())
    if meaning != slug.replace("-", "").replace("_", ""):
        slug += "-" + _short_hash(meaning)
    if len(slug.encode()) <= MAX_SLUG_BYTES:
        return slug
    # File systems refuse names over 255 bytes; a hash keeps long labels apart.
    digest = hashlib.sha1(slug.encode()).hexdigest()[:8]
    return slug.encode()[: MAX_SLUG_BYTES - 9].decode(errors="ignore").rstrip("-") + "-" + digest


def _short_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:6]


@dataclass(frozen=True)
class Urls:
    base_url: str
    default_language: str

    @cached_property  # every link is made with it: split once, not per link
    def base_path(self) -> str:
        return urlsplit(self.base_url).path

    def _prefix(self, lang: str) -> str:
        """The folder of a language's pages: none for the default language's."""
        return "" if lang == self.default_language else lang + "/"

    # `page`: a listing's page by its number (pages.py), 0 for its first page, at the listing's own address.
    def _join(self, lang: str, *parts: object, page: int = 0) -> str:
        segments = [str(p) for p in parts] + (["page", str(page)] if page else [])
        return self._prefix(lang) + "".join(segment + "/" for segment in segments)

    def home(self, lang: str, page: int = 0) -> str:
        return self._join(lang, page=page)

    def article(self, lang: str, day: date, slug: str) -> str:
        # Not %Y, which writes the year 1 as "1" on some systems and "0001" on others. Written out, not by
        # _join: every story's route is made on every build.
        return f"{self._prefix(lang)}{day.year:04d}/{day.month:02d}/{day.day:02d}/{slug}/"

    def year(self, lang: str, year: int, page: int = 0) -> str:
        return self._join(lang, f"{year:04d}", page=page)

    def month(self, lang: str, year: int, month: int, page: int = 0) -> str:
        return self._join(lang, f"{year:04d}", f"{month:02d}", page=page)

    def day(self, lang: str, day: date, page: int = 0) -> str:
        return self._join(lang, f"{day.year:04d}", f"{day.month:02d}", f"{day.day:02d}", page=page)

    def page(self, lang: str, slug: str) -> str:
        """A page of content/pages/ (About us…): /about/, /en/about/."""
        return self._join(lang, slug)

    def tags(self, lang: str) -> str:
        return self._join(lang, "tags")

    def manifest(self, lang: str) -> str:
        """A language's web app manifest (icons.py), beside its home."""
        return self._join(lang) + "manifest.webmanifest"

    def offline(self, lang: str) -> str:
        """The page a language's reader sees offline in place of a page never opened (offline.py), beside its home."""
        return self._join(lang) + "offline.html"

    def tag(self, lang: str, slug: str, page: int = 0) -> str:
        return self._join(lang, "tags", slug, page=page)

    def category(self, lang: str, slug: str, page: int = 0) -> str:
        return self._join(lang, "categories", slug, page=page)

    def author(self, lang: str, slug: str, page: int = 0) -> str:
        """The page of a writer's stories, from the bylines (`author:`)."""
        return self._join(lang, "authors", slug, page=page)

    def search(self, lang: str, file: str = "") -> str:
        return self._join(lang, "search") + file

    def feed(self, lang: str, section: str = "") -> str:
        """The language's feed, or a section's (by its slug), beside the section's pages."""
        if section:
            return self.category(lang, section) + "feed.xml"
        return self._join(lang).removesuffix("/") + ("/" if lang != self.default_language else "") + "feed.xml"

    def alias(self, address: str) -> str | None:
        """The route of a page's old address (`aliases:`) as an editor copies it from the browser: the site's whole
        address, or from its root with or without the base path, percent-encoded or not; None for an address
        elsewhere, the site's home, or one that is no page's (a query, a part of a page, a way up with ..)."""
        path = on_this_site(address, self.base_url) if "://" in address else address.strip()
        if path is None or any(mark in path for mark in "?#\\") or any(ord(c) < 32 for c in path):
            return None
        path = "/" + unquote(path).lstrip("/")
        if path.startswith(self.base_path):
            path = "/" + path[len(self.base_path):]
        if {".", ".."} & set(path.split("/")):
            return None
        route = path.lstrip("/")
        return (route if route.endswith((".html", "/")) else route + "/") if route else None

    def href(self, route: str) -> str:
        """The link a page uses: base path + route, percent-encoded."""
        return self.base_path + _quoted(route)

    def absolute(self, route: str) -> str:
        """The full URL, for canonical links, feeds and the sitemap."""
        return self.base_url + _quoted(route)


# What percent-encoding leaves as it is (`quote`'s always-safe characters and "/"): most routes of a site
# with Latin slugs, each made once a build, so a cache of them would only miss.
_PLAIN_ROUTE = re.compile(r"[A-Za-z0-9_.~/-]*")


def _quoted(route: str) -> str:
    return route if _PLAIN_ROUTE.fullmatch(route) else _percent_encoded(route)


@lru_cache(maxsize=262144)  # every page links the same few routes: home, tags, its days
def _percent_encoded(route: str) -> str:
    return quote(route, safe="/")


def output_file(route: str) -> str:
    """The file a route is written to, relative to output/."""
    return route + "index.html" if route == "" or route.endswith("/") else route


def host_of(address: str) -> str:
    """The host an address names, lower case, without the dot a fully written name may end in; "" for none."""
    try:
        return (urlsplit(address).hostname or "").rstrip(".")
    except ValueError:  # a bracketed host that is no IPv6 address
        return ""
