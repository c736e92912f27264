"""`import-feed`: RSS or Atom items become draft articles; an item whose link was imported before is skipped."""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from html import unescape
from itertools import islice
from urllib.parse import urljoin
from zoneinfo import ZoneInfo

import nh3

from .config import SiteConfig
from .credits import MOST_CAPTION, caption_and_credit, shown_under
from .content import SUMMARY_LONGEST
from .errors import MujazError
from .fetch import Network, Unfetched, download_document
from .formatted import text_as_markdown
from .pastedlines import headline_alone
from .sanitise import sanitise_html
from .savedpage import BLOCKS, few_inside, parsed
from .slips import unwrapped
from .scaffold import Draft, Known, free_slug, path_for, slug_for
from .urls import is_unsafe_url


# A feed is someone else's file: read at most this much, for at most this long, whatever the server does.
MAX_FEED_BYTES = 20 * 2**20
FETCH_SECONDS = 60.0
# Drafts one import writes: a news feed holds its last 10 to 100 items. A feed of an archive's 60,000 items (20 MB
# holds them) took 73 s and wrote 60,000 drafts, for an editor to delete; the rest wait for the next run.
MOST_ITEMS = 100


def _feed_bytes(location: str) -> tuple[bytes, Network]:
    """The feed's bytes, from a file or a web address, and the network they came from (a saved feed is
    someone else's, as if online); MujazError past MAX_FEED_BYTES or FETCH_SECONDS."""
    network = Network.INTERNET
    unreadable = f"{location}: not a readable RSS or Atom feed"
    try:
        if location.startswith(("http://", "https://")):
            data, network = download_document(location, MAX_FEED_BYTES, FETCH_SECONDS, "import-feed")
        else:
            with open(location, "rb") as handle:
                data = handle.read(MAX_FEED_BYTES + 1)
    except FileNotFoundError:
        raise MujazError(f"{location}: no such file — give a saved feed or its https:// address") from None
    except Unfetched as exc:
        raise MujazError(f"{unreadable} ({exc.reason}) — "
                         + ("try again later" if exc.timed_out else "check the file or the address")) from None
    except (OSError, ValueError) as exc:  # a file that cannot be read
        raise MujazError(f"{unreadable} ({exc}) — check the file or the address") from None
    if len(data) > MAX_FEED_BYTES:
        raise MujazError(f"{location}: more than {MAX_FEED_BYTES // 2**20} MB — a feed is a few hundred KB; "
                         "is it the right address?")
    return data, network


# What a blog's software adds to every item of its feed, not the story's: WordPress's footer line (in its Arabic and
# English wording), and Jetpack's sharing, likes and related-posts blocks (by their classes).
_FOOTER = re.compile(r"^(?:the post .+ (?:appeared first|first appeared) on .+|ظهرت المقالة .+ أول\S* على .+"
                     r"|ظهرت التدوينة .+ أول\S* على .+)$", re.IGNORECASE | re.DOTALL)
FOOTER_LONGEST = 400  # characters: a footer is a line
_BLOG_BLOCKS = ("sharedaddy", "sd-sharing", "jp-relatedposts", "jetpack-likes", "wpcnt", "jp-sharing-input-touch")
_READ_MORE = re.compile(r"\s*\[(?:…|\.\.\.|&hellip;|&#8230;)\]$")  # "[…]", WordPress's teaser end


# Where an item's HTML gives addresses, each from the page the item was published on.
_ADDRESSES = ("href", "src", "poster", "data-src", "data-lazy-src", "data-original", "data-lazy")
_ADDRESS_LISTS = ("srcset", "data-srcset", "data-lazy-srcset")  # "a.jpg 480w, b.jpg 960w"


def _as_published(html: str, page: str) -> str:
    """The item's HTML without what the blog's software adds to every item (`_FOOTER`, `_BLOG_BLOCKS`), its
    relative addresses (`/2025/06/x/`, `../img.jpg`) made whole from `page`, the item's own address (in the draft
    they would lead into this site), and a redirect's address (Google's, Outlook's…) the page's own; HTML nested
    too deeply to convert (`_too_deep`) as it is, to be read as text."""
    if _too_deep(html):
        return html
    try:
        soup = parsed(html)
        for block in soup.find_all(class_=lambda name: bool(name) and name.startswith(_BLOG_BLOCKS)):
            block.decompose()
        for paragraph in soup.find_all("p"):
            text = " ".join(paragraph.get_text().split()).rstrip(".")
            # With its two links, the post's and the blog's: "The post office appeared first on…" is news.
            if len(text) <= FOOTER_LONGEST and _FOOTER.match(text) and len(paragraph.find_all("a")) == 2:
                paragraph.decompose()
        for element in soup.find_all(True):
            for name in _ADDRESSES:
                if isinstance(element.get(name), str) and not element[name].startswith("#"):
                    whole = _whole(page, element[name].strip()) if page else element[name]
                    element[name] = unwrapped(whole) or whole  # a redirect's address is the page's own
            if page:
                for name in _ADDRESS_LISTS:
                    if isinstance(element.get(name), str):
                        element[name] = ", ".join(" ".join([_whole(page, part.split()[0]), *part.split()[1:]])
                                                  for part in element[name].split(",") if part.split())
        return str(soup)
    except RecursionError:  # nested past what the parser's tree walk takes: markdownify's fallback reads it
        return html


def _whole(page: str, address: str) -> str:
    try:
        return urljoin(page, address)
    except ValueError:  # no address at all ("http://[x"): the sanitiser decides what is left of it
        return address


@dataclass(frozen=True)
class FeedImport:
    drafts: tuple[Draft, ...]
    skipped: int  # items already in content/ (same link, or same title on the same day)
    warnings: tuple[str, ...] = ()  # what the editor should check in the drafts


def _markdown(html: str) -> str:
    """The item's HTML as Markdown, its text shown as written (`text_as_markdown`): markdownify escapes only
    asterisks and underscores, so "[a](…)", "<b>" or "# 1" written as text became a link, bold or a heading."""
    from markdownify import MarkdownConverter

    class Converter(MarkdownConverter):
        def escape(self, text: str, parent_tags: set) -> str:
            return text_as_markdown(text)

    soup = parsed(html)
    _captions_as_titles(soup)
    return Converter(heading_style="ATX", bullets="-").convert_soup(soup).strip()


def _captions_as_titles(soup) -> None:
    """A figure of one picture and its caption (as WordPress writes one) becomes the picture with the caption,
    its credit apart, as its title, which a story shows under it: left as text, the caption was a paragraph of
    the story. In one pass over the pictures, each looked for in at most three tags around it."""
    from bs4 import NavigableString

    pictures: dict[int, list] = {}  # a figure's id → [the figure, its pictures]
    for image in soup.find_all("img"):
        figure = next((tag for tag in islice(image.parents, 3) if tag.name == "figure"), None)
        if figure is not None:
            pictures.setdefault(id(figure), [figure, []])[1].append(image)
    for figure, images in pictures.values():
        captions = [tag for tag in figure.children if getattr(tag, "name", "") == "figcaption"]
        inside = few_inside(captions[0]) if len(captions) == 1 and len(images) == 1 else None
        if not inside:  # no caption, or none of a caption's size
            continue
        written = " ".join(" ".join(node for node in inside if type(node) is NavigableString).split())
        if not written or len(written) > MOST_CAPTION:
            continue
        caption, credit = caption_and_credit(written)
        # markdownify writes a quotation mark in a title as \", which Python-Markdown shows with its backslash
        images[0]["title"] = shown_under(caption, credit).replace('"', "&quot;")
        images[0]["alt"] = images[0].get("alt") or caption
        captions[0].decompose()


# The namespace a WordPress export (WXR) declares, whatever its version (http://wordpress.org/export/1.2/).
_WORDPRESS_EXPORT = "http://wordpress.org/export/"


def feed_drafts(config: SiteConfig, location: str, lang: str | None = None,
                now: datetime | None = None) -> FeedImport:
    import feedparser  # only this command needs it

    # feedparser's own cleaning would drop the data-src of a lazily loaded picture and keep its <noscript>
    # copy, which the sanitiser drops: the picture would be lost. Every HTML of the feed goes through
    # sanitise_html or nh3 below.
    with _media_descriptions_apart():
        data, network = _feed_bytes(location)
        feed = feedparser.parse(data, sanitize_html=False)
    if feed.get("bozo") and not feed.entries:
        reason = feed.get("bozo_exception")
        raise MujazError(f"{location}: not a readable RSS or Atom feed ({reason}) — check the file or the address")
    if any(uri.startswith(_WORDPRESS_EXPORT) for uri in feed.get("namespaces", {}).values()):
        raise MujazError(f"{location}: is a WordPress export (WXR), not a feed: its pages, attachments and private "
                         "posts would become stories, and its text lose its paragraphs and keep its shortcodes — "
                         "export the posts as Markdown files instead (a WordPress plugin or the "
                         "wordpress-export-to-markdown tool), put them in content/, then run python -m generator "
                         "convert")
    lang = config.require_language(lang or _language(config, feed.feed.get("language", "")))
    zone = ZoneInfo(config.timezone)
    now = now or datetime.now(timezone.utc)
    known = Known.of(config)
    drafts, taken, skipped, warnings, left = [], set(), 0, [], 0
    for entry in feed.entries:
        link = entry.get("link", "")
        # Atom titles may be HTML (type="html"): the title is its text, entities decoded.
        written = _plain(entry.get("title", ""))
        # An aggregator's item (Google News) names the outlet it came from (RSS's <source>), after the headline too.
        outlet = _plain(entry.get("source", {}).get("title", ""))
        title = _without_outlet(headline_alone(written) or written, outlet)
        if not title:
            continue
        stamp = entry.get("published_parsed") or entry.get("updated_parsed")
        when = (datetime.fromtimestamp(calendar.timegm(stamp), timezone.utc) if stamp else now)
        when = when.astimezone(zone).replace(microsecond=0)
        # An item imported before its title was cleaned is found by that title too.
        if known.find(lang, title, when, link) or known.find(lang, written, when, link):
            skipped += 1
            continue
        if len(drafts) == MOST_ITEMS:
            left += 1
            continue
        html, caption = _body_and_caption(entry)
        # Always the strict path, whatever raw_html says: a feed is someone else's HTML. No frames at all.
        page = link if _web(link) else _plain(feed.feed.get("link", ""))
        deep = _too_deep(html)
        clean = sanitise_html(_as_published(html, page if _web(page) else "")) if html and not deep else ""
        try:
            body = _text_of(html) if deep else _markdown(clean)
        except RecursionError:  # markdownify recurses once per nested tag
            body, deep = unescape(nh3.clean(clean, tags=set())).strip(), True
        if deep:
            warnings.append(f"{location}: the item {title[:60]!r} nests its HTML too deeply to convert; "
                            "imported as plain text — check its paragraphs in the draft")
        # An aggregator's item: its headline, linked.
        if _without_outlet(_plain(body if deep else clean), outlet) in ("", title):
            warnings.append(f"{location}: the item {title[:60]!r} gives its headline and no text — write the story "
                            "in the draft, from its source")
        image_src, image_alt = _image(entry, caption)
        if image_src and not image_alt:
            warnings.append(f"{location}: the item {title[:60]!r} has an image without a description — "
                            "write its alt text in the draft")
        tags = tuple(dict.fromkeys(t["term"].strip() for t in entry.get("tags", []) if t.get("term", "").strip()))
        draft = free_slug(config, Draft(
            title, when, lang, slug_for(title), body=body, tags=tags,
            source_name=outlet or _plain(feed.feed.get("title", "")), source_url=link,
            summary=_teaser(_summary(entry.get("summary", ""), title, outlet)), image_src=image_src,
            image_alt=image_alt, image_credit=_credit(entry) if image_src else "", fetched_from=network), taken)
        known.add(draft, path_for(config, draft).relative_to(config.root).as_posix())
        drafts.append(draft)
    if left:
        warnings.append(f"{location}: holds {left:,} more new items than one import takes ({MOST_ITEMS}); these "
                        f"are its first {MOST_ITEMS} — import the feed again for the next")
    return FeedImport(tuple(drafts), skipped, tuple(warnings))


def _plain(html: str) -> str:
    """The text of a bit of HTML, entities decoded, on one line: its paragraphs, lines and items apart by a space
    ("…for a link.</p><p># 2" was "link.# 2")."""
    if _too_deep(html):
        return " ".join(_text_of(html).split())
    return " ".join(unescape(nh3.clean(_BLOCK.sub(r" \g<0>", html), tags=set())).split())


# html5ever, the parser nh3 cleans with, looks through every tag still open at each block that starts: a feed
# item of 50,000 figures, each in the last one's caption (3 MB), took nh3 55 s, and the time grows with the
# square of the depth. A story nests a few levels, and markdownify converts none past 300 (RecursionError).
MOST_NESTING = 300
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)[^<>]*?(/?)>")
# Tags that hold no others (void), or that HTML closes by itself at the next of their kind: not nesting.
_UNNESTED = frozenset("area base br col embed hr img input link meta param source track wbr p li dt dd tr td th "
                      "option optgroup thead tbody tfoot colgroup rb rt rp".split())


def _too_deep(html: str) -> bool:
    """Whether tags in `html` nest past MOST_NESTING, counted in one pass over its text (more than HTML would:
    a tag left open counts as open)."""
    depth = 0
    for tag in _TAG.finditer(html):
        if tag[3] or tag[2].lower() in _UNNESTED:
            continue
        depth = max(depth - 1, 0) if tag[1] else depth + 1
        if depth > MOST_NESTING:
            return True
    return False


def _text_of(html: str) -> str:
    """The text of HTML nested too deeply for nh3 or markdownify, from Beautiful Soup's tree (`parsed`, in time
    that grows with the page), as Markdown that shows it as written."""
    return "\n\n".join(text_as_markdown(line) for line in parsed(html).get_text("\n").split("\n") if line.strip())


# A tag that starts a line where a reader sees one (as a saved page is read), so its words are not run into the
# words before it.
_BLOCK = re.compile(rf"</?(?:{'|'.join(BLOCKS)}|br)\b", re.IGNORECASE)


def _summary(html: str, title: str, outlet: str) -> str:
    """An item's description as plain text, without the blog's footer, and with "…" for WordPress's "[…]"; none
    where it says only the headline (and the outlet), as an aggregator's does."""
    text = _READ_MORE.sub("…", _plain(_as_published(html, "")))
    return "" if _without_outlet(text, outlet) == title else text


def _without_outlet(headline: str, outlet: str) -> str:
    """`headline` without the outlet's name an aggregator writes after it ("… - صحيفة المدينة")."""
    for separator in (" - ", " – ", " — ", " | ", " "):
        if outlet and headline.endswith(separator + outlet) and len(headline) > len(separator + outlet):
            return headline[:-len(separator + outlet)].rstrip()
    return headline


def _teaser(text: str) -> str:
    """A feed's description cut to a summary `check` accepts: a teaser, not the story."""
    if len(text) <= SUMMARY_LONGEST:
        return text
    return text[:SUMMARY_LONGEST - 1].rsplit(" ", 1)[0] + "…"


def _body_and_caption(entry) -> tuple[str, str]:
    """The item's HTML (its description where it gives no other), and its picture's description, the first
    `media:description` (`_media_descriptions_apart`): the image's alt text."""
    contents = entry.get("content", [])
    html = next((c["value"] for c in contents if c.get("type", "") in ("text/html", "application/xhtml+xml")), "")
    return html or entry.get("summary", ""), next(iter(entry.get(_MEDIA_DESCRIPTIONS, [])), "")


_MEDIA_DESCRIPTIONS = "mujaz_media_descriptions"


@contextmanager
def _media_descriptions_apart() -> Iterator[None]:
    """While a feed is read, its `media:description`s are kept apart, in the order the item gives them.

    feedparser (6.0) reads one as the item's own `<description>`: whichever of the two came last was the
    item's summary, the other went elsewhere or was lost, so a teaser became the photo's description, or the
    photo's description the draft's summary. These two handlers are the library's own way to read an element
    (`push`, then `pop` at its end); they stand in for its two for the time of one parse, as the CLI reads one
    feed at a time."""
    from feedparser.namespaces.mediarss import Namespace

    def start(parser, attributes) -> None:
        parser.push("mujaz_media_description", 1)

    def end(parser) -> None:
        said = parser.pop("mujaz_media_description")
        if parser.inentry and isinstance(said, str) and said.strip():
            parser.entries[-1].setdefault(_MEDIA_DESCRIPTIONS, []).append(said)

    own = Namespace._start_media_description, Namespace._end_media_description
    Namespace._start_media_description, Namespace._end_media_description = start, end
    try:
        yield
    finally:
        Namespace._start_media_description, Namespace._end_media_description = own


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


def _credit(entry) -> str:
    """Who the item's picture is by (media:credit: a photographer, an agency), as its draft's `credit:`."""
    first = (entry.get("media_credit") or [{}])[0]
    return _plain(str(first.get("content", "")))[:120] if isinstance(first, dict) else ""


def _web(address: str) -> bool:
    return address.startswith(("https://", "http://")) and not is_unsafe_url(address)


def _language(config: SiteConfig, declared: str) -> str:
    """The feed's own language (`ar`, `en-us`) if the site has it, else the site's default."""
    code = declared.split("-")[0].lower()
    return code if code in config.language_codes else config.default_language
