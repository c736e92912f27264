"""Load and validate `config.yaml` into a frozen SiteConfig, reporting every error at once."""

from __future__ import annotations

import difflib
import os
import re
import zoneinfo
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable
from urllib.parse import urlsplit

import yaml

from . import zones
from .errors import BuildError, Diagnostic, MujazError, shown
from .text import SAVE_AS_UTF8, saved_as
from .yamlsafe import (TooBig, flag_meant, has_escapes, in_quotes, join_surrogates, load_bounded, plain_problem,
                       written_twice)

RTL_LANGUAGES = frozenset({"ar", "fa", "he", "ur", "ps", "ckb", "yi"})
DEFAULT_LOCALES = {"ar": "ar_EG", "en": "en_GB"}
LANGUAGE_KEYS = {"code", "name", "direction", "locale"}


@dataclass(frozen=True)
class LanguageConfig:
    code: str
    name: str
    direction: str
    locale: str
    title: str
    description: str
    publisher: str = ""  # the news organisation, for NewsArticle metadata; default: the site title
    author: str = ""  # the byline when an article names none; default: the publisher


@dataclass(frozen=True)
class RelatedConfig:
    """Knobs of the related-articles model; see README "Related articles"."""

    count: int = 5
    title_weight: float = 3.0
    body_weight: float = 1.0
    tag_weight: float = 2.0
    category_weight: float = 0.5
    min_score: float | None = None  # None ("auto"): related.AUTO_MIN_SCORE, calibrated on categorised news
    min_relative: float = 0.0  # a candidate below this share of the story's best candidate's score is not shown
    max_age_days: int = 0
    recency_weight: float = 0.2
    recency_half_life_days: float = 365.0
    topic_weight: float = 1.0  # weight of topic (LSA) similarity beside word overlap; 0 turns it off
    topics: int = 0  # LSA dimensions; 0: about the square root of the number of stories, 20 to 100


# Arabic month names by region, from CLDR through Babel: يناير / كانون الثاني / جانفي.
MONTH_REGIONS = {"egypt": "ar_EG", "levant": "ar_LB", "maghreb": "ar_DZ"}


@dataclass(frozen=True)
class DateConfig:
    digits: str = "latn"  # "arab": Arabic-Indic digits (٠١٢…) on Arabic pages
    hijri: bool = False  # the Umm al-Qura Hijri date beside the Gregorian one


# Frames from these hosts are kept in articles (sandboxed, loaded lazily); any other frame loses its address.
EMBED_HOSTS = ("www.youtube-nocookie.com", "player.vimeo.com", "platform.twitter.com", "w.soundcloud.com",
               "flo.uri.sh", "datawrapper.dwcdn.net")


@dataclass(frozen=True)
class MarkdownConfig:
    # "safe": HTML in articles (videos, tables) is kept, through an allow-list sanitiser;
    # "escape": shown as text; "trusted": kept exactly as written, scripts included.
    raw_html: str = "safe"
    embed_hosts: tuple[str, ...] = EMBED_HOSTS


@dataclass(frozen=True)
class ImagesConfig:
    """Resized copies of the site's own photos, for phones (see images.py)."""

    widths: tuple[int, ...] = (480, 800, 1200)  # a 375-px phone at 2x takes the 800
    formats: tuple[str, ...] = ("webp",)  # besides the original's own format, always written as the fallback
    quality: int = 75
    cards: bool = True  # a share card per article for og:image; false: the lead image is shared
    # Hosts of the site's own pictures besides the site (a picture server of its own): a picture there is not
    # another site's, so no warning says to bring it in (links.pictures_elsewhere).
    hosts: tuple[str, ...] = ()


IMAGE_FORMATS = ("webp", "avif")

# The services an article's share links can open, and those shown unless config.yaml says `share:`. Readers of
# Arabic news pass stories on in WhatsApp and Telegram first. A plain link each: nothing loads until it is tapped.
SHARE_SERVICES = ("whatsapp", "telegram", "x", "facebook", "linkedin", "email")
SHARE = ("whatsapp", "telegram", "x", "facebook", "email")
# The services as editors also write them, in Arabic too.
_SHARE_NAMES = {"twitter": "x", "mail": "email", "e-mail": "email", "wa": "whatsapp", "fb": "facebook",
                "واتساب": "whatsapp", "تيليغرام": "telegram", "تلغرام": "telegram", "فيسبوك": "facebook",
                "تويتر": "x", "إكس": "x", "البريد": "email"}


@dataclass(frozen=True)
class AdminConfig:
    """The browser CMS at /admin/ (see admin.py): which GitHub repository and branch its saves commit to."""

    enabled: bool = True
    repo: str = ""  # owner/name; "" when neither config.yaml nor the address tells
    branch: str = "main"


@dataclass(frozen=True)
class DeployConfig:
    """Where `deploy` copies output/ (see deploy.py): an S3-compatible bucket. The keys are never here:
    deploy reads them from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY."""

    endpoint: str = ""  # https://…; "" when config.yaml has no deploy settings
    bucket: str = ""
    folder: str = ""  # a folder inside the bucket, "" for the whole bucket
    region: str = ""
    provider: str = "Other"  # rclone's name for the service: AWS, Cloudflare, Minio, … (quirks differ)


@dataclass(frozen=True)
class SiteConfig:
    root: Path
    source: Path
    base_url: str
    languages: tuple[LanguageConfig, ...]
    default_language: str
    timezone: str
    per_page: int
    feed_size: int
    theme: str
    related: RelatedConfig
    output_dir: Path
    cname: str = ""
    markdown: MarkdownConfig = MarkdownConfig()
    images: ImagesConfig = ImagesConfig()
    date: DateConfig = DateConfig()
    admin: AdminConfig = AdminConfig()
    share: tuple[str, ...] = SHARE  # the share links under an article, in this order (SHARE_SERVICES)
    logo: str = ""  # the site's icon, a picture of static/ by its address (/images/logo.png); "": its name drawn
    # Not in repr: the build's cache is keyed by repr(config), and where a build is copied changes no page.
    deploy: DeployConfig = field(default=DeployConfig(), repr=False)

    @property
    def base_path(self) -> str:
        """The path part of base_url, always starting and ending with '/'."""
        return urlsplit(self.base_url).path

    @property
    def content_dir(self) -> Path:
        return self.root / "content"

    def language(self, code: str) -> LanguageConfig:
        return next(lang for lang in self.languages if lang.code == code)

    @property
    def language_codes(self) -> tuple[str, ...]:
        return tuple(lang.code for lang in self.languages)

    def require_language(self, code: str, also: str = "") -> str:
        """`code` if the site has that language; else a MujazError listing the ones it has (and `also`)."""
        if code not in self.language_codes:
            raise MujazError(f"unknown language {shown(code)} — use one of {', '.join(self.language_codes)}{also}")
        return code


_LAST_PART = re.compile(r"(\.[^.\[]*|\[\d+\])$")


class _Checker:
    """Collects config errors so the user sees all of them in one run."""

    def __init__(self, label: str, lines: dict[str, int] | None = None):
        self.label = label
        self.lines = lines or {}  # setting path -> its line in the file (yamlsafe.key_lines, counted from 1)
        self.diagnostics: list[Diagnostic] = []

    def error(self, key: str, message: str, hint: str = "") -> None:
        self.diagnostics.append(Diagnostic(self.label, f"{key}: {message}", self._line(key), hint))

    def _line(self, key: str) -> int | None:
        """The line of the setting, else of the nearest setting around it; None for one not written at all."""
        while key not in self.lines:
            around = _LAST_PART.sub("", key)  # `languages[1].direction` → `languages[1]` → `languages`
            if around == key:
                return None
            key = around
        return self.lines[key]

    def typed(self, key: str, value: Any, kind: type | tuple[type, ...], name: str) -> bool:
        # bool is an int in Python, but `per_page: yes` is a mistake, not a number.
        if isinstance(value, kind) and not (isinstance(value, bool) and bool not in _as_tuple(kind)):
            return True
        # per_page: "10" or ١٠: a number in quotes, or in Arabic digits, is text to YAML; so is hijri: "true".
        number = value.strip().translate(_DIGITS) if isinstance(value, str) and int in _as_tuple(kind) else ""
        meant = flag_meant(value) if bool in _as_tuple(kind) else ""
        setting = key.rpartition(".")[2]
        self.error(key, f"must be {name}, not {_describe(value)}{in_quotes(value) if meant else ''}",
                   f"write {setting}: {int(number)}, in digits 0 to 9 and without quotes" if number.isdecimal() else
                   f"write {setting}: {meant}" if meant else "")
        return False


_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


def _as_tuple(kind: type | tuple[type, ...]) -> tuple[type, ...]:
    return kind if isinstance(kind, tuple) else (kind,)


def _describe(value: Any) -> str:
    if value is None:
        return "empty"
    return {dict: "a mapping", list: "a list", str: f"the text {shown(value)}", bool: str(value).lower(),
            int: f"the number {value}", float: f"the number {value}"}.get(type(value), shown(value))


def load_config(
    path: Path,
    *,
    base_url: str | None = None,
    output: Path | None = None,
) -> SiteConfig:
    """Read config.yaml; `base_url` and `output` override what the file says."""
    label = path.name
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise BuildError([Diagnostic(str(path), "no config.yaml here", hint="run inside a site folder or pass --config PATH")]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        encoding = saved_as(raw)
        problem = f"is saved in {encoding}, not UTF-8" if encoding else f"not valid UTF-8 ({exc.reason} at byte {exc.start})"
        raise BuildError([Diagnostic(label, problem, hint=SAVE_AS_UTF8 if encoding else "save the file as UTF-8")]) from None
    repeated: list[tuple[str, int, int]] = []
    lines: dict[str, int] = {}
    try:
        data = load_bounded(text, repeated=repeated, lines=lines)
    except TooBig as exc:
        raise BuildError([Diagnostic(label, f"too large: {exc.problem}", line=None if exc.line is None else exc.line + 1,
                                     hint="write the settings out plainly")]) from None
    except yaml.reader.ReaderError as exc:
        raise BuildError([Diagnostic(label, f"contains the invisible control character U+{exc.character:04X}",
                                     line=text.count("\n", 0, exc.position) + 1,
                                     hint="delete it, or retype the line")]) from None
    except yaml.YAMLError as exc:
        problem, line, hint = plain_problem(exc)
        raise BuildError([Diagnostic(label, f"YAML syntax error: {problem}", line=None if line is None else line + 1,
                                     hint=hint)]) from None
    if repeated:
        raise BuildError([Diagnostic(label, written_twice(key, first + 1, again + 1), again + 1,
                                     "keep one of them")
                          for key, first, again in repeated])
    if not isinstance(data, dict):
        raise BuildError([Diagnostic(label, "must be a mapping of settings (key: value)")])
    if has_escapes(text):  # "\ud800" alone is no character: no page could show it
        lone = []
        data = join_surrogates(data, lambda: lone.append(True))
        if lone:
            raise BuildError([Diagnostic(label, "holds an unpaired \\u escape (a UTF-16 surrogate), which no page can show",
                                         hint="write the character itself instead of its \\u code")])
    if base_url is None:
        base_url = os.environ.get("MUJAZ_BASE_URL") or None
    declared = data.get("base_url")  # a preview at 127.0.0.1 still edits the repository config.yaml names
    if base_url is not None:
        data["base_url"] = base_url
        lines.pop("base_url", None)  # a mistake in the address given is not config.yaml's
    return _validate(data, path, output, _Checker(label, {key: line + 1 for key, line in lines.items()}), declared)


def _validate(data: dict, path: Path, output: Path | None, check: _Checker, declared_base_url: Any = None) -> SiteConfig:
    known = {"title", "description", "author", "publisher", "base_url", "languages", "default_language", "timezone",
             "per_page", "feed_size", "theme", "related", "output", "cname", "markdown", "date", "images", "admin",
             "deploy", "share", "logo"}
    for key in sorted(set(data) - known, key=str):
        check.error(str(key), f"unknown setting; known settings are {', '.join(sorted(known))}")
    for key in ("title", "base_url", "languages", "default_language"):
        if data.get(key) is None:  # `key:` with nothing after it is missing too
            check.error(key, "required setting is missing")

    root = path.parent.resolve()
    codes = _languages_codes(data.get("languages"), check)
    default = data.get("default_language")
    if default is not None and check.typed("default_language", default, str, "a language code") and codes and default not in codes:
        meant = _code_meant(default, data.get("languages"))
        check.error("default_language", f"{shown(default)} is not one of the languages ({', '.join(codes)})",
                    f"write default_language: {meant}" if meant else "")

    titles = _per_language("title", data.get("title", ""), codes, check)
    descriptions = _per_language("description", data.get("description", ""), codes, check)
    date_config, months_locale = _date(data.get("date", {}), check)
    languages = _languages(data.get("languages"), titles, descriptions, check, months_locale)
    publishers = _per_language("publisher", data.get("publisher", ""), codes, check)
    authors = _per_language("author", data.get("author", ""), codes, check)
    languages = tuple(replace(lang, publisher=publishers.get(lang.code) or lang.title,
                              author=authors.get(lang.code) or publishers.get(lang.code) or lang.title)
                      for lang in languages)

    base = _base_url(data.get("base_url"), check)
    timezone = data.get("timezone", "UTC")
    if check.typed("timezone", timezone, str, "a time zone name such as Asia/Riyadh"):
        try:
            zoneinfo.ZoneInfo(timezone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a name too long for a file
            check.error("timezone", f"unknown time zone {shown(timezone)}", zones.meant(timezone))
    per_page = _positive_int("per_page", data.get("per_page", 10), check)
    feed_size = _positive_int("feed_size", data.get("feed_size", 20), check)
    theme = data.get("theme", "default")
    if check.typed("theme", theme, str, "a theme name") and not re.fullmatch(r"\w[\w-]{0,63}", theme):
        check.error("theme", f"{shown(theme)} is not a theme name; name a folder in themes/, such as default")
        theme = "default"
    cname = data.get("cname", "") or ""
    check.typed("cname", cname, str, "a domain name")
    related = _related(data.get("related", {}), check)
    markdown = _markdown(data.get("markdown", {}), check)
    images = _images(data.get("images", {}), check)
    admin = _admin(data.get("admin", True), [base, declared_base_url], check)
    share = _share(data.get("share", list(SHARE)), check)
    logo = _logo(data.get("logo") or "", root, check)
    deploy = _deploy(data.get("deploy", {}), check)
    out_dir = _output_dir(output, data.get("output", "output"), root, check)

    if check.diagnostics:
        raise BuildError(check.diagnostics)
    return SiteConfig(
        root=root, source=path, base_url=base, languages=languages, default_language=default,
        timezone=timezone, per_page=per_page, feed_size=feed_size, theme=theme,
        related=related, output_dir=out_dir, cname=cname.strip(), markdown=markdown, date=date_config,
        images=images, admin=admin, share=share, deploy=deploy, logo=logo,
    )


def _languages_codes(value: Any, check: _Checker) -> tuple[str, ...]:
    """The languages' codes; one written in capitals (AR) is named, and taken in small letters here, so that the
    settings that name it (title.ar, default_language: ar) are not named too."""
    if value is None:
        return ()
    if not check.typed("languages", value, list, "a list of languages") or not value:
        if value == []:
            check.error("languages", "must list at least one language")
        return ()
    codes = []
    for i, item in enumerate(value):
        code = item.get("code") if isinstance(item, dict) else None
        if isinstance(code, str):
            if code != code.lower():
                check.error(f"languages[{i}].code", f"{shown(code)}: a language's code is written in small letters, "
                            "as pages and file names give it", f"write code: {code.lower()}")
            codes.append(code.lower())
    return tuple(codes)


def _code_meant(written: str, languages: Any) -> str:
    """The code of the language `written` names (Arabic, arabic, العربية, AR), or ""."""
    from babel import Locale, UnknownLocaleError

    wanted = written.strip().casefold()
    for item in languages if isinstance(languages, list) else ():
        code = item.get("code") if isinstance(item, dict) else None
        if not isinstance(code, str):
            continue
        names = {code, str(item.get("name", ""))}
        try:
            names |= {Locale.parse(code.replace("-", "_")).english_name or "",
                      Locale.parse(code.replace("-", "_")).display_name or ""}
        except (UnknownLocaleError, ValueError, TypeError):
            pass
        if wanted in {name.casefold() for name in names if name}:
            return code.lower()
    return ""


def _languages(value: Any, titles: dict, descriptions: dict, check: _Checker,
               arabic_locale: str | None = None) -> tuple[LanguageConfig, ...]:
    if not isinstance(value, list):
        return ()
    result, seen = [], set()
    for i, item in enumerate(value):
        key = f"languages[{i}]"
        if not check.typed(key, item, dict, "a mapping with code, name and direction"):
            continue
        for extra in sorted(set(item) - LANGUAGE_KEYS, key=str):
            check.error(f"{key}.{extra}", f"unknown setting; known settings are {', '.join(sorted(LANGUAGE_KEYS))}")
        code = item.get("code")
        if not check.typed(f"{key}.code", code, str, "a language code such as ar"):
            continue
        if code in seen:
            check.error(f"{key}.code", f"language {shown(code)} is listed twice")
        seen.add(code)
        name = item.get("name", code)
        check.typed(f"{key}.name", name, str, "text")
        direction = item.get("direction", "rtl" if code.split("-")[0] in RTL_LANGUAGES else "ltr")
        if direction not in ("rtl", "ltr"):
            meant = _DIRECTIONS.get(re.sub(r"[\s_-]+", " ", str(direction)).strip().casefold(), "")
            check.error(f"{key}.direction", 'must be "rtl" or "ltr"', f"write direction: {meant}" if meant else
                        "write direction: rtl for a language written right to left (Arabic), ltr for one written left "
                        "to right")
        fallback = arabic_locale if arabic_locale and code == "ar" else DEFAULT_LOCALES.get(code, code.replace("-", "_"))
        locale = item.get("locale", fallback)
        if check.typed(f"{key}.locale", locale, str, "a locale such as ar_EG"):
            _check_locale(f"{key}.locale", locale, check)
        result.append(LanguageConfig(code, str(name), str(direction), str(locale),
                                     titles.get(code, ""), descriptions.get(code, "")))
    return tuple(result)


# A direction as people name it: in capitals, in words, in Arabic.
_DIRECTIONS = {**dict.fromkeys(("rtl", "right to left", "right", "من اليمين إلى اليسار", "من اليمين الى اليسار",
                                "يمين"), "rtl"),
               **dict.fromkeys(("ltr", "left to right", "left", "من اليسار إلى اليمين", "من اليسار الى اليمين",
                                "يسار"), "ltr")}


def _check_locale(key: str, locale: str, check: _Checker) -> None:
    from babel import Locale, UnknownLocaleError

    try:
        Locale.parse(locale)
    except (UnknownLocaleError, ValueError):
        try:  # ar-EG, as a page's lang attribute writes it, or ar_eg
            parts = re.split(r"[-_]", locale.strip())
            meant = str(Locale.parse("_".join([parts[0].lower(), *(p.upper() for p in parts[1:2])])))
        except (UnknownLocaleError, ValueError, TypeError):
            meant = ""
        hint = f"write {meant}" if meant else "use one such as ar_EG, ar_LB, ar_MA or en_GB"
        check.error(key, f"unknown locale {shown(locale)}", hint)


def _per_language(key: str, value: Any, codes: tuple[str, ...], check: _Checker) -> dict[str, str]:
    if isinstance(value, str):
        return {code: value for code in codes}
    if not check.typed(key, value, (str, dict), "text or a mapping of language code to text"):
        return {}
    result = {}
    for code, text in value.items():
        if codes and code not in codes:
            check.error(f"{key}.{code}", f"not one of the languages ({', '.join(codes)})")
        elif check.typed(f"{key}.{code}", text, str, "text"):
            result[code] = text
    fallback = next(iter(result.values()), "")
    return {code: result.get(code, fallback) for code in codes}


def _base_url(value: Any, check: _Checker) -> str:
    if value is None or not check.typed("base_url", value, str, "a URL such as https://user.github.io/repo/"):
        return ""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        check.error("base_url", f"{shown(value)} is not an absolute http(s) URL such as https://user.github.io/repo/")
        return ""
    if parts.query or parts.fragment:
        check.error("base_url", "must not carry a query or fragment")
    host, folders = parts.hostname or "", [part for part in parts.path.split("/") if part]
    if host in ("github.com", "www.github.com") and len(folders) >= 2:
        owner, repo = folders[0], folders[1].removesuffix(".git")
        owner = owner.lower()  # as Pages names the site; the repository's name keeps its case in the path
        site = f"https://{owner}.github.io/" if repo.lower() == f"{owner}.github.io" else f"https://{owner}.github.io/{repo}/"
        check.error("base_url", f"{shown(value)} is the repository's page on GitHub, not the site's address",
                    f"write base_url: {site} (the address Settings → Pages shows)")
    elif folders and _PAGE_NAME.search(folders[-1]):
        folder = f"{parts.scheme}://{parts.netloc}/{''.join(f + '/' for f in folders[:-1])}"
        check.error("base_url", f"{shown(value)} ends in a page's name, {shown(folders[-1])}, and every address "
                    "of the site would be made from it", f"write the folder's address: base_url: {folder}")
    path = parts.path if parts.path.endswith("/") else parts.path + "/"
    return f"{parts.scheme}://{parts.netloc}{path}"


# The last part of an address copied from the browser on a page, not on the site's folder (…/repo/index.html).
_PAGE_NAME = re.compile(r"\.(?:html?|php|aspx?|xml)$", re.IGNORECASE)


def served_elsewhere(config: SiteConfig) -> list[Diagnostic]:
    """A warning when `cname` (the domain output/CNAME names) is not the address the site is built for: served
    there, every page would ask for its styles, pictures and links at base_url's addresses."""
    domain = config.cname.lower().removeprefix("https://").removeprefix("http://").strip("/")
    parts = urlsplit(config.base_url)
    if not domain or (domain == (parts.hostname or "") and parts.path == "/"):
        return []
    return [Diagnostic(config.source.name, f"cname: {config.cname}, but the site is built for {config.base_url}: "
                       f"served at {domain}, its pages would lead to addresses that are not there",
                       hint=f"write base_url: https://{domain}/ (the Pages workflow passes it once the domain is set "
                       "in Settings → Pages), or delete the cname line", severity="warning")]


def _positive_int(key: str, value: Any, check: _Checker) -> int:
    if check.typed(key, value, int, "a whole number") and value < 1:
        check.error(key, "must be at least 1")
    return value if isinstance(value, int) else 1


def _related(value: Any, check: _Checker) -> RelatedConfig:
    if not check.typed("related", value, dict, "a mapping of related-article settings"):
        return RelatedConfig()
    defaults = RelatedConfig()
    fields: dict[str, Callable[[Any], bool]] = {
        name: (lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= 0)
        if isinstance(getattr(defaults, name), int)
        else (lambda v: isinstance(v, (int, float)) and not isinstance(v, bool) and v >= 0)
        for name in RelatedConfig.__dataclass_fields__
    }
    fields["min_score"] = lambda v: v == "auto" or fields["min_relative"](v)
    values = {}
    for key, item in value.items():
        if key == "min_score" and item == "auto":
            continue
        if key not in fields:
            check.error(f"related.{key}", f"unknown setting; known settings are {', '.join(fields)}")
        elif not fields[key](item):
            kind = "a whole number" if isinstance(getattr(defaults, key), int) else \
                "auto or a number" if key == "min_score" else "a number"
            check.error(f"related.{key}", f"must be {kind} of 0 or more, not {_describe(item)}")
        else:
            values[key] = item
    return RelatedConfig(**values)


def _date(value: Any, check: _Checker) -> tuple[DateConfig, str | None]:
    """`date:` settings, and the Arabic locale its `months` asks for (a region or a locale such as ar_MA)."""
    if not check.typed("date", value, dict, "a mapping of date settings"):
        return DateConfig(), None
    for key in sorted(set(value) - {"months", "digits", "hijri"}, key=str):
        check.error(f"date.{key}", "unknown setting; known settings are months, digits, hijri")
    months = value.get("months")
    locale = None
    if months is not None and check.typed("date.months", months, str, "egypt, levant, maghreb or a locale such as ar_MA"):
        locale = MONTH_REGIONS.get(months.lower(), months)
        if months.lower() not in MONTH_REGIONS:
            _check_locale("date.months", locale, check)
    digits = value.get("digits", "latn")
    if digits not in ("latn", "arab"):
        check.error("date.digits", f'must be "latn" (0123) or "arab" (٠١٢٣), not {_describe(digits)}')
    hijri = value.get("hijri", False)
    check.typed("date.hijri", hijri, bool, "true or false")
    return DateConfig(digits=digits if digits in ("latn", "arab") else "latn", hijri=hijri is True), locale


def _markdown(value: Any, check: _Checker) -> MarkdownConfig:
    if not check.typed("markdown", value, dict, "a mapping of Markdown settings"):
        return MarkdownConfig()
    for key in sorted(set(value) - {"raw_html", "embed_hosts"}, key=str):
        check.error(f"markdown.{key}", "unknown setting; known settings are embed_hosts, raw_html")
    raw_html = value.get("raw_html", True)
    mode = {True: "safe", False: "escape", "trusted": "trusted"}.get(raw_html) if isinstance(raw_html, (bool, str)) else None
    if mode is None:
        check.error("markdown.raw_html", f"must be true, false or trusted, not {_describe(raw_html)}")
        mode = "safe"
    hosts = value.get("embed_hosts", list(EMBED_HOSTS))
    if not check.typed("markdown.embed_hosts", hosts, list, "a list of host names such as player.vimeo.com") \
            or not all(isinstance(h, str) and h.strip() for h in hosts):
        if isinstance(hosts, list):
            check.error("markdown.embed_hosts", "must list host names such as player.vimeo.com")
        hosts = list(EMBED_HOSTS)
    return MarkdownConfig(raw_html=mode, embed_hosts=tuple(h.strip().lower() for h in hosts))


def _images(value: Any, check: _Checker) -> ImagesConfig:
    default = ImagesConfig()
    if not check.typed("images", value, dict, "a mapping of image settings"):
        return default
    for key in sorted(set(value) - {"widths", "formats", "quality", "cards", "hosts"}, key=str):
        check.error(f"images.{key}", "unknown setting; known settings are cards, formats, hosts, quality, widths")
    widths = value.get("widths", list(default.widths))
    if not isinstance(widths, list) or not widths or not all(type(w) is int and 16 <= w <= 8000 for w in widths):
        check.error("images.widths", f"must list widths in pixels between 16 and 8000, such as [480, 800, 1200], "
                    f"not {_describe(widths)}")
        widths = list(default.widths)
    formats = value.get("formats", list(default.formats))
    if not isinstance(formats, list) or not all(f in IMAGE_FORMATS for f in formats):
        check.error("images.formats", f"must list some of {', '.join(IMAGE_FORMATS)} (the original's format "
                    f"is always written too), not {_describe(formats)}")
        formats = list(default.formats)
    quality = value.get("quality", default.quality)
    if type(quality) is not int or not 1 <= quality <= 100:
        check.error("images.quality", f"must be a whole number from 1 to 100, not {_describe(quality)}")
        quality = default.quality
    cards = value.get("cards", default.cards)
    if not isinstance(cards, bool):
        check.typed("images.cards", cards, bool, "true or false")
        cards = default.cards
    hosts = value.get("hosts", [])
    if not isinstance(hosts, list) or not all(isinstance(h, str) and _HOST.fullmatch(h.strip()) for h in hosts):
        check.error("images.hosts", f"must list host names such as media.example.com, not {_describe(hosts)}")
        hosts = []
    return ImagesConfig(tuple(sorted(set(widths))), tuple(dict.fromkeys(formats)), quality, cards,
                        tuple(h.strip().lower() for h in hosts))


def _share(value: Any, check: _Checker) -> tuple[str, ...]:
    """`share:` a list of SHARE_SERVICES, or false (or []) for no share links, true for the default ones."""
    if value is False or value is None:  # `share:` with nothing after it, or `share: false`
        return ()
    if value is True:  # share: yes, as an editor turns a thing on
        return SHARE
    if isinstance(value, str):  # share: whatsapp, telegram
        value = [part for part in re.split(r"[,،]", value) if part.strip()]
    if not check.typed("share", value, list, f"a list of services such as [{', '.join(SHARE)}], or false"):
        return SHARE
    services = []
    for number, service in enumerate(value):
        written = service.strip().casefold() if isinstance(service, str) else ""
        if written in SHARE_SERVICES or written in _SHARE_NAMES:
            services.append(_SHARE_NAMES.get(written, written))
            continue
        close = difflib.get_close_matches(written, [*SHARE_SERVICES, *_SHARE_NAMES], 1, 0.6)
        check.error(f"share[{number}]", f"{_describe(service)} is not a service Mujaz shares to; it knows "
                    f"{', '.join(SHARE_SERVICES)}", f"write {_SHARE_NAMES.get(close[0], close[0])}" if close else "")
    return tuple(dict.fromkeys(services))


_HOST = re.compile(r"[A-Za-z0-9]([A-Za-z0-9-]{0,62}\.)*[A-Za-z0-9-]{1,63}")


REPO = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]{0,38}/[A-Za-z0-9._-]{1,100}")


def _admin(value: Any, base_urls: list[Any], check: _Checker) -> AdminConfig:
    """`admin: false`, `true`, or {repo, branch}. The repository: MUJAZ_REPOSITORY (the Pages workflow sets it,
    so a fork edits itself), else `admin.repo`, else read from a github.io address (the one the build
    publishes at, or config.yaml's), else none (a warning)."""
    if value is False:
        return AdminConfig(enabled=False)
    if value is True:
        value = {}
    elif meant := flag_meant(value):  # admin: "false"
        check.error("admin", f"must be true, false or a mapping with repo and branch, not {_describe(value)}"
                    f"{in_quotes(value)}", f"write admin: {meant}")
        return AdminConfig()
    elif not check.typed("admin", value, dict, "true, false or a mapping with repo and branch"):
        return AdminConfig()
    for key in sorted(set(value) - {"repo", "branch"}, key=str):
        check.error(f"admin.{key}", "unknown setting; known settings are repo, branch")
    repo = os.environ.get("MUJAZ_REPOSITORY") or value.get("repo") \
        or next(filter(None, (_github_repo(url) for url in base_urls if isinstance(url, str))), "")
    if not isinstance(repo, str) or (repo and not REPO.fullmatch(repo)):
        check.error("admin.repo", f"must be a GitHub repository as owner/name, such as newsroom/digest, not "
                                  f"{_describe(repo)}")
        repo = ""
    branch = value.get("branch", "main")
    if not isinstance(branch, str) or not re.fullmatch(r"[\w./-]{1,100}", branch) or ".." in branch:
        check.error("admin.branch", f"must be a branch name such as main, not {_describe(branch)}")
        branch = "main"
    return AdminConfig(True, repo, branch)


BUCKET = re.compile(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")  # S3's rule for bucket names


def _deploy(value: Any, check: _Checker) -> DeployConfig:
    """`deploy: {endpoint, bucket, folder, region, provider}`; endpoint and bucket together or not at all."""
    if not check.typed("deploy", value, dict, "a mapping with endpoint and bucket"):
        return DeployConfig()
    known = ("endpoint", "bucket", "folder", "region", "provider")
    for key in sorted(set(value) - set(known), key=str):
        check.error(f"deploy.{key}", f"unknown setting; known settings are {', '.join(known)}")
    if not value:
        return DeployConfig()
    settings = {key: value.get(key, "") for key in known}
    settings["provider"] = settings["provider"] or "Other"
    rules = {
        "endpoint": (r"https?://[A-Za-z0-9.-]+(:\d{1,5})?/?", "the storage's address, such as "
                     "https://ACCOUNT.r2.cloudflarestorage.com or https://s3.eu-west-1.amazonaws.com"),
        "bucket": (BUCKET.pattern, "a bucket name: 3 to 63 small letters, digits, dots and hyphens"),
        "folder": (r"([\w.-]+/)*[\w.-]+/?|", "a folder inside the bucket, such as digest or news/ar"),
        "region": (r"[a-z0-9-]{0,40}", "a region name such as eu-west-1, or auto"),
        "provider": (r"[A-Za-z0-9]{1,40}", "a service name as rclone spells it: AWS, Cloudflare, Minio or Other"),
    }
    for key, (pattern, name) in rules.items():
        if key in ("endpoint", "bucket") and settings[key] in ("", None):
            check.error(f"deploy.{key}", "required setting is missing")
        elif not isinstance(settings[key], str) or not re.fullmatch(pattern, settings[key]) \
                or ".." in settings[key].split("/"):
            check.error(f"deploy.{key}", f"must be {name}, not {_describe(settings[key])}")
            settings[key] = ""
    settings["folder"] = settings["folder"].strip("/")
    return DeployConfig(**settings)


def _github_repo(base_url: str) -> str:
    """owner/name of a GitHub Pages address: owner.github.io/name/ or, for a user site, owner.github.io/."""
    parts = urlsplit(base_url)
    host = (parts.hostname or "").lower()
    if not host.endswith(".github.io"):
        return ""
    owner = host.removesuffix(".github.io")
    name = parts.path.strip("/").split("/")[0]
    return f"{owner}/{name or host}"


def _output_dir(override: Path | None, value: Any, root: Path, check: _Checker) -> Path:
    if override is None:
        if not check.typed("output", value, str, "a folder name"):
            return root / "output"
        override = Path(value)
    out = (override if override.is_absolute() else root / override).resolve()
    # Resolved, symlinks included: `content/` may be a link to a folder elsewhere.
    inputs = [(root / name).resolve() for name in ("content", "themes", "templates", "static", ".git", "config.yaml")]
    cache = (root / ".cache").resolve()  # the preview's output lives inside it, so only containing it is wrong
    if out == root or out in root.parents or out == cache or out in cache.parents \
            or any(out == p or out in p.parents or p in out.parents for p in inputs):
        check.error("output", f"{out} would overwrite the site's own files; use a separate folder such as output")
    return out


LOGO_TYPES = (".png", ".jpg", ".jpeg", ".webp")
LOGO_MOST_BYTES = 20_000_000  # as the editing page's uploads


def _logo(value: Any, root: Path, check: _Checker) -> str:
    """The logo's address on the site (/images/logo.png): a PNG, JPEG or WebP file of static/, not a link."""
    if not check.typed("logo", value, str, "the address of a picture in static/, such as /images/logo.png"):
        return ""
    rel = value.strip().removeprefix("/").removeprefix("static/")
    if not rel:
        return ""
    example = "logo: /images/logo.png, for the file static/images/logo.png"
    if not rel.lower().endswith(LOGO_TYPES):
        check.error("logo", f"{shown(value)} is not a PNG, JPEG or WebP picture", f"write {example}")
        return ""
    static = (root / "static").resolve()
    path, inside = static / rel, not any(part in ("", "..") for part in rel.split("/"))
    try:
        plain = inside and path.is_file() and not path.is_symlink() and path.resolve().is_relative_to(static)
        size = path.stat().st_size if plain else -1
    except OSError:  # a name too long for a file
        size = -1
    if size < 0:
        check.error("logo", f"{shown(value)} is no file of static/",
                    f"put the picture at static/{rel} and write logo: /{rel}" if inside else f"write {example}")
        return ""
    if size > LOGO_MOST_BYTES:
        check.error("logo", f"{shown(value)} is {size / 10**6:.0f} MB, a photo rather than a logo",
                    "use the logo's own file, a few hundred KB at most")
        return ""
    return "/" + rel
