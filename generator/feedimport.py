"""`import-feed`: RSS or Atom items become draft articles; an item whose link was imported before is skipped."""

from __future__ import annotations

import calendar
from html import unescape
from dataclasses import dataclass
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import nh3

from .config import SiteConfig
from .content import read_documents, scan_content
from .errors import MujazError
from .markup import sanitise_html
from .scaffold import Draft, free_slug, slug_for


@dataclass(frozen=True)
class FeedImport:
    drafts: tuple[Draft, ...]
    skipped: int  # items already in content/ (same link)
    warnings: tuple[str, ...] = ()  # what the editor should check in the drafts


def imported_links(config: SiteConfig) -> set[str]:
    """Source URLs of every article in content/, drafts included; files with errors are passed over."""
    sources, _ = scan_content(config)
    documents, _, _ = read_documents(config, sources, None, 1)
    return {d.source_url for d in documents if d.source_url}


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
    known = imported_links(config)
    drafts, taken, skipped, warnings = [], set(), 0, []
    for entry in feed.entries:
        link = entry.get("link", "")
        # Atom titles may be HTML (type="html"): the title is its text, entities decoded.
        title = " ".join(unescape(nh3.clean(entry.get("title", ""), tags=set())).split())
        if not title:
            continue
        if link and link in known:
            skipped += 1
            continue
        known.add(link)
        stamp = entry.get("published_parsed") or entry.get("updated_parsed")
        when = datetime.fromtimestamp(calendar.timegm(stamp), timezone.utc) if stamp else now
        html = entry["content"][0]["value"] if entry.get("content") else entry.get("summary", "")
        # Always the strict path, whatever raw_html says: a feed is someone else's HTML. No frames at all.
        clean = sanitise_html(html) if html else ""
        try:
            body = markdownify(clean, heading_style="ATX", bullets="-").strip()
        except RecursionError:  # markdownify recurses once per nested tag
            body = unescape(nh3.clean(clean, tags=set())).strip()
            warnings.append(f"{location}: the item {title[:60]!r} nests its HTML too deeply to convert; "
                            "imported as plain text — check its paragraphs in the draft")
        tags = tuple(dict.fromkeys(t["term"].strip() for t in entry.get("tags", []) if t.get("term", "").strip()))
        draft = Draft(title, when.astimezone(zone).replace(microsecond=0), lang, slug_for(title), body=body, tags=tags,
                      source_name=feed.feed.get("title", ""), source_url=link)
        drafts.append(free_slug(config, draft, taken))
    return FeedImport(tuple(drafts), skipped, tuple(warnings))


def _language(config: SiteConfig, declared: str) -> str:
    """The feed's own language (`ar`, `en-us`) if the site has it, else the site's default."""
    code = declared.split("-")[0].lower()
    return code if code in config.language_codes else config.default_language
