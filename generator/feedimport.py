"""`import-feed`: RSS or Atom items become draft articles; an item whose link was imported before is skipped."""

from __future__ import annotations

import calendar
from html import unescape
from dataclasses import dataclass
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import nh3

from .config import SiteConfig
from .errors import MujazError
from .markup import sanitise_html
from .scaffold import Draft, Known, free_slug, path_for, slug_for
from .urls import is_unsafe_url


SUMMARY_MAX = 300  # characters: a teaser, not the story


@dataclass(frozen=True)
class FeedImport:
    drafts: tuple[Draft, ...]
    skipped: int  # items already in content/ (same link, or same title on the same day)
    warnings: tuple[str, ...] = ()  # what the editor should check in the drafts


def feed_drafts(config: SiteConfig, location: str, lang: str | None = None,
                now: datetime | None = None) -> FeedImport:
    import feedparser  # only this command needs it
    from markdownify import markdownify

    feed = feedparser.parse(location)
    if feed.get("bozo") and not feed.entries:
        reason = feed.get("bozo_exception")
        raise MujazError(f"{location}: not a readable RSS or Atom feed ({reason}) — check the file or the address")
    lang = config.require_language(lang or _language(config, feed.feed.get("language", "")))
    zone = ZoneInfo(config.timezone)
    now = now or datetime.now(timezone.utc)
    known = Known.of(config)
    drafts, taken, skipped, warnings = [], set(), 0, []
    for entry in feed.entries:
        link = entry.get("link", "")
        # Atom titles may be HTML (type="html"): the title is its text, entities decoded.
        title = _plain(entry.get("title", ""))
        if not title:
            continue
        stamp = entry.get("published_parsed") or entry.get("updated_parsed")
        when = (datetime.fromtimestamp(calendar.timegm(stamp), timezone.utc) if stamp else now)
        when = when.astimezone(zone).replace(microsecond=0)
        if known.find(lang, title, when, link):
            skipped += 1
            continue
        html, caption = _body_and_caption(entry)
        # Always the strict path, whatever raw_html says: a feed is someone else's HTML. No frames at all.
        clean = sanitise_html(html) if html else ""
        try:
            body = markdownify(clean, heading_style="ATX", bullets="-").strip()
        except RecursionError:  # markdownify recurses once per nested tag
            body = unescape(nh3.clean(clean, tags=set())).strip()
            warnings.append(f"{location}: the item {title[:60]!r} nests its HTML too deeply to convert; "
                            "imported as plain text — check its paragraphs in the draft")
        image_src, image_alt = _image(entry, caption)
        if image_src and not image_alt:
            warnings.append(f"{location}: the item {title[:60]!r} has an image without a description — "
                            "write its alt text in the draft")
        tags = tuple(dict.fromkeys(t["term"].strip() for t in entry.get("tags", []) if t.get("term", "").strip()))
        draft = free_slug(config, Draft(
            title, when, lang, slug_for(title), body=body, tags=tags, source_name=_plain(feed.feed.get("title", "")),
            source_url=link, summary=_teaser(_plain(entry.get("summary", ""))), image_src=image_src,
            image_alt=image_alt), taken)
        known.add(draft, path_for(config, draft).relative_to(config.root).as_posix())
        drafts.append(draft)
    return FeedImport(tuple(drafts), skipped, tuple(warnings))


def _plain(html: str) -> str:
    """The text of a bit of HTML, entities decoded, on one line."""
    return " ".join(unescape(nh3.clean(html, tags=set())).split())


def _teaser(text: str) -> str:
    if len(text) <= SUMMARY_MAX:
        return text
    return text[:SUMMARY_MAX].rsplit(" ", 1)[0] + "…"


def _body_and_caption(entry) -> tuple[str, str]:
    """The item's HTML, and a media description if the feed gave one.

    feedparser files a `media:description` among the item's content, as text/plain: the body is
    the item's HTML content if it has some, else its summary; a plain text besides is the caption.
    """
    contents = entry.get("content", [])
    html = next((c["value"] for c in contents if c.get("type", "") in ("text/html", "application/xhtml+xml")), "")
    plain = next((c["value"] for c in contents if c.get("type", "") == "text/plain"), "")
    summary = entry.get("summary", "")
    if html:
        return html, plain
    if summary:
        return summary, plain if plain != summary else ""
    return plain, ""


def _image(entry, caption: str) -> tuple[str, str]:
    """The item's picture (media:content, an image enclosure, or media:thumbnail) and its alt text."""
    for media in entry.get("media_content", []):
        if media.get("medium") == "image" or media.get("type", "").startswith("image/"):
            if _web(media.get("url", "")):
                return media["url"], _plain(caption)
    for link in entry.get("links", []):
        if link.get("rel") == "enclosure" and link.get("type", "").startswith("image/") and _web(link.get("href", "")):
            return link["href"], _plain(link.get("title", "") or caption)
    for thumbnail in entry.get("media_thumbnail", []):
        if _web(thumbnail.get("url", "")):
            return thumbnail["url"], _plain(caption)
    return "", ""


def _web(address: str) -> bool:
    return address.startswith(("https://", "http://")) and not is_unsafe_url(address)


def _language(config: SiteConfig, declared: str) -> str:
    """The feed's own language (`ar`, `en-us`) if the site has it, else the site's default."""
    code = declared.split("-")[0].lower()
    return code if code in config.language_codes else config.default_language
