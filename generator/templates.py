"""Render planned pages with Jinja2: localized dates, UI strings (the theme is found by theme.py)."""

from __future__ import annotations

import hashlib
import re
import traceback
from collections import OrderedDict
from collections.abc import Mapping
from datetime import date, datetime
from functools import lru_cache
from html import escape
from pathlib import Path
from types import CodeType
from typing import TYPE_CHECKING
from urllib.parse import urljoin

import jinja2
from babel.dates import format_date, format_skeleton
from babel.numbers import format_decimal
from babel.units import format_unit

from .config import SiteConfig
from .errors import BuildError, Diagnostic, MujazError, shown
from .images import with_pictures
from .offline import WORKER, has_worker
from .pages import FooterLink, Page
from .text import NOT_IN_XML
from .theme import BUNDLED_THEMES, Theme
from .urls import Urls

if TYPE_CHECKING:
    from .icons import Icons


class _CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates kept in this process's memory, by file and source text: the preview and the
    tests build many times in one process, and compiling a theme costs more than rendering a small
    site's pages. Every Renderer sets the same options, so code compiled for one suits all. Never on
    disk: a cache file can come from elsewhere, and loading code runs it."""

    def __init__(self, most: int = 256):
        self._code: OrderedDict[tuple[str, str], CodeType] = OrderedDict()
        self._most = most

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        bucket.code = self._code.get((bucket.key, bucket.checksum))

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[bucket.key, bucket.checksum] = bucket.code
        while len(self._code) > self._most:  # an edited template leaves its old code behind
            self._code.popitem(last=False)


_COMPILED = _CompiledTemplates()


class Renderer:
    """Turns a Page into bytes. Holds the Jinja environment for one build."""

    def __init__(self, config: SiteConfig, urls: Urls, theme: Theme, versioned_assets: bool = True,
                 footer: Mapping[str, tuple[FooterLink, ...]] | None = None, icons: Icons | None = None):
        self.config, self.urls, self.theme = config, urls, theme
        self.versioned_assets = versioned_assets
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader([str(d) for d in theme.template_dirs]),
            autoescape=jinja2.select_autoescape(["html", "xml"]),
            undefined=jinja2.StrictUndefined,
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
            auto_reload=False,  # one build, one set of templates: no stat of every template for every page
            bytecode_cache=_COMPILED,
        )
        # Arabic as itself, not \uXXXX: the search index is a third the size; <, >, & and ' stay escaped.
        self.env.policies["json.dumps_kwargs"] = {"sort_keys": True, "ensure_ascii": False, "separators": (",", ":")}
        self._locales = {lang.code: lang.locale for lang in config.languages}
        self.env.filters.update(
            long_date=lambda d, lang: self._digits(_long_date(_as_date(d), self._locales[lang]), lang),
            month_year=lambda d, lang: self._digits(_month_year(_as_date(d), self._locales[lang]), lang),
            number=lambda n, lang: self._digits(_number(n, self._locales[lang]), lang),
            digits=lambda n, lang: self._digits(str(n), lang),
            minutes=lambda n, lang: self._digits(_minutes(n, self._locales[lang]), lang),
            hijri=lambda d, lang: self._digits(_hijri(_as_date(d), "ar" if lang.startswith("ar") else "en"), lang)
            if config.date.hijri else "",
            iso=lambda d: d.isoformat(),
            absolute_url=lambda href: urljoin(config.base_url, href),
            with_pictures=lambda html, pictures, sizes: with_pictures(html, pictures or {}, sizes),
            footnotes=lambda body, title, lang="": _footnotes(body, title, lambda n: self._digits(n, lang)),
            without_empty=lambda mapping: {k: v for k, v in mapping.items() if v not in (None, "", [], ())},
        )
        self.env.globals.update(
            config=config,
            languages=config.languages,
            asset=self._asset,
            home_href=lambda lang: urls.href(urls.home(lang)),
            tags_href=lambda lang: urls.href(urls.tags(lang)),
            feed_href=lambda lang, section="": urls.href(urls.feed(lang, section)),
            search_href=lambda lang: urls.href(urls.search(lang)),
            absolute=urls.absolute,
            strings_for=self._strings,
            # Whether a language's pages write numbers in Arabic-Indic digits (date.digits: arab), lists' too.
            arabic_digits=self._arabic_digits,
            # The pages of content/pages/ (About us…) in a language, which every page's footer links.
            footer_pages=lambda lang: (footer or {}).get(lang, ()),
            icons=icons,  # the site's icons (icons.py), or None: no logo and no font to draw its name with
            manifest_href=lambda lang: urls.href(urls.manifest(lang)),
            # The service worker every published page registers (offline.py), or None: the preview's pages, a theme
            # without one.
            service_worker=urls.href(WORKER) if versioned_assets and has_worker(theme) else None,
        )
        self._asset_versions: dict[str, str] = {}

    def _asset(self, name: str) -> str:
        """Link to a theme static file by a name that changes with its bytes (see versioned_name). The
        preview links the plain name: live reload swaps a stylesheet in place by its name, the preview
        server tells the browser to keep nothing, and a stylesheet edited then changes no page."""
        if name not in self._asset_versions:
            path = self.theme.static_dir / name if self.theme.static_dir else None
            if path is None or not path.is_file():
                raise MujazError(f"theme asset {shown(name)} not found in {self.theme.static_dir}")
            self._asset_versions[name] = asset_version(path.read_bytes()) if self.versioned_assets else ""
        if self.versioned_assets:
            return self.urls.href("assets/" + versioned_name(name, self._asset_versions[name]))
        return self.urls.href("assets/" + name)

    def _arabic_digits(self, lang: str) -> bool:
        """Whether `date.digits: arab` asks the language's pages for ٠١٢…"""
        return self.config.date.digits == "arab" and lang.startswith("ar")

    def _digits(self, text: str, lang: str) -> str:
        """Babel writes Latin digits even for Arabic locales; `date.digits: arab` asks for ٠١٢…"""
        return text.translate(_ARABIC_INDIC) if self._arabic_digits(lang) else text

    def _strings(self, lang: str) -> dict[str, str]:
        return self.theme.strings.get(lang) or self.theme.strings.get("en") or {}

    def render(self, page: Page) -> bytes:
        """Render one page; template mistakes become Diagnostics naming template file and line."""
        language = self.config.language(page.lang)
        strings = self._strings(page.lang)
        try:
            template = self.env.get_template(page.template)
            text = template.render(page=page, lang=language, t=strings, canonical=self.urls.absolute(page.route),
                                   **page.context)
        except jinja2.TemplateSyntaxError as exc:
            raise BuildError([Diagnostic(_shorten(exc.filename, self.config), f"template syntax error: {exc.message}", exc.lineno)]) from None
        except jinja2.TemplateNotFound as exc:
            looked = ", ".join(str(d) for d in self.theme.template_dirs)
            raise BuildError([Diagnostic(page.template, f"template {exc.name!r} not found; looked in {looked}",
                                         hint="copy it from themes/default/templates/")]) from None
        except (jinja2.UndefinedError, TypeError, ValueError, KeyError) as exc:
            filename, line = _template_frame(exc)
            if filename is None:
                raise
            # Such a mistake may show on one story only (a field it lacks): the hint names the first page it broke.
            article = page.context.get("article")
            made_from = f", made from {article.path}" if article is not None else ""
            raise BuildError([Diagnostic(_shorten(filename, self.config), f"template error: {exc}", line,
                                         f"it broke the page {page.file}{made_from}")]) from None
        if page.file.endswith(".xml"):
            # Whatever reached the feed or sitemap (a config value, a template's own text), it must stay XML.
            text = NOT_IN_XML.sub("", text)
        return text.encode("utf-8")


# Python-Markdown titles the link back from a footnote in English, on every page; the theme says it in the page's.
_BACKLINK = re.compile(r'(<a class="footnote-backref" href="#fnref:[^"]*" title=")Jump back to footnote (\d+) in the text"')
_REFERENCE = re.compile(r'(<a class="footnote-ref" href="#fn:[^"]*">)(\d+)</a>')


def _footnotes(body: str, title: str, digits=str) -> str:
    """A rendered body with its footnotes' links back titled `title` ("… {} …", the footnote's number), and each
    footnote's number in the text written with `digits` (the page's: ١ where date.digits is arab)."""
    if 'class="footnote-backref"' not in body:
        return body
    body = _BACKLINK.sub(lambda link: link[1] + escape(title.replace("{}", digits(link[2]))) + '"', body)
    return _REFERENCE.sub(lambda ref: ref[1] + digits(ref[2]) + "</a>", body)


_ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


@lru_cache(maxsize=1 << 16)
def asset_version(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:10]


def versioned_name(name: str, version: str) -> str:
    """css/style.css → css/style.1a2b3c4d5e.css. A new name for new bytes lets the browser and a CDN keep
    the file for a year (deploy.py) even where the CDN ignores the query string."""
    folder, _, file = name.rpartition("/")
    stem, dot, suffix = file.rpartition(".")
    versioned = f"{stem}.{version}.{suffix}" if dot and stem else f"{file}.{version}"
    return f"{folder}/{versioned}" if folder else versioned


def _hijri(day: date, language: str) -> str:
    """The Umm al-Qura date: "30 صفر 1445 هـ" or "30 Safar 1445 AH"."""
    from hijridate import Gregorian

    try:
        hijri = Gregorian(day.year, day.month, day.day).to_hijri()
    except OverflowError:
        return ""  # outside the Umm al-Qura tables (1343–1500 AH)
    return f"{hijri.day} {hijri.month_name(language)} {hijri.year} {hijri.notation(language)}"


# Babel parses the locale and pattern on every call; a site shows each date many times.
@lru_cache(maxsize=1 << 16)
def _long_date(day: date, locale: str) -> str:
    return format_date(day, "long", locale=locale)


@lru_cache(maxsize=1 << 12)
def _month_year(day: date, locale: str) -> str:
    return format_skeleton("yMMMM", day, locale=locale)


@lru_cache(maxsize=1 << 10)
def _minutes(n: int, locale: str) -> str:
    return format_unit(n, "duration-minute", length="long", locale=locale)


@lru_cache(maxsize=1 << 12)
def _number(n: int, locale: str) -> str:
    return format_decimal(n, locale=locale)


def _as_date(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def _template_frame(exc: BaseException) -> tuple[str | None, int | None]:
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename.endswith((".html", ".xml", ".txt")):
            return frame.filename, frame.lineno
    return None, None


def _shorten(filename: str | None, config: SiteConfig) -> str:
    if not filename:
        return "template"
    path = Path(filename).resolve()
    for root in (config.root, BUNDLED_THEMES.parent):
        if root in path.parents:
            return path.relative_to(root).as_posix()
    return str(path)

