"""Raw HTML in a body, or in an item of a feed, through an allow-list: nh3 (the Rust sanitiser ammonia).

Only the tags, attributes and URL schemes listed here are kept; frames only from the hosts config.yaml
trusts, sandboxed and loaded lazily (YouTube's embed code is served from its host that sets no cookie
until played). What a news site's page holds back for a script (a lazy loader's waiting address) is
made the picture's own first, so a pasted page keeps its pictures.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import nh3

from .urls import on_this_site

_GLOBAL_ATTRIBUTES = {"id", "class", "lang", "dir", "title"}
SANITISER_TAGS = {
    "a", "abbr", "address", "article", "aside", "audio", "b", "bdi", "bdo", "blockquote", "br", "caption", "cite",
    "code", "col", "colgroup", "dd", "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "iframe", "img", "ins", "kbd", "li", "mark", "ol", "p",
    "picture", "pre", "q", "rp", "rt", "ruby", "s", "samp", "section", "small", "source", "span", "strong", "sub",
    "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "track", "u", "ul", "var",
    "video", "wbr",
}
SANITISER_ATTRIBUTES = {
    "*": _GLOBAL_ATTRIBUTES,
    "a": {"href", "name", "rel", "target", "hreflang"},
    "img": {"src", "alt", "width", "height", "srcset", "sizes", "loading"},
    "iframe": {"src", "width", "height", "title", "allow", "allowfullscreen", "referrerpolicy"},
    "video": {"src", "controls", "width", "height", "poster", "preload", "muted", "loop", "playsinline"},
    "audio": {"src", "controls", "preload", "loop", "muted"},
    "source": {"src", "srcset", "type", "media", "sizes"},
    "track": {"src", "kind", "srclang", "label", "default"},
    "td": {"colspan", "rowspan", "align"}, "th": {"colspan", "rowspan", "align", "scope", "abbr"},
    "col": {"span"}, "colgroup": {"span"}, "ol": {"start", "type", "reversed"}, "li": {"value"},
    "time": {"datetime"}, "blockquote": {"cite"}, "q": {"cite"}, "del": {"cite", "datetime"},
    "ins": {"cite", "datetime"}, "details": {"open"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
# A frame may run its host's scripts inside its own origin, never navigate the page or open forms.
IFRAME_SANDBOX = "allow-scripts allow-same-origin allow-popups allow-presentation"
NO_COOKIE_YOUTUBE = "www.youtube-nocookie.com"
_YOUTUBE = frozenset({"www.youtube.com", "youtube.com", "m.youtube.com"})
# News sites load pictures with a script: the address waits in data-src (the widths in data-srcset) and src
# holds a blank placeholder, which the sanitiser drops as it drops every data: address. Without the script
# the picture never shows, so the waiting address becomes the picture's own (as the script would make it),
# and the browser's own lazy loading takes the script's place.
LAZY_ATTRIBUTES = {"src": ("data-src", "data-lazy-src", "data-original", "data-lazy"),
                   "srcset": ("data-srcset", "data-lazy-srcset")}
# A tag ends at its first "<" too (where a value holds one the tag is left as written): each search from "<img"
# stops there, so a body of a million unclosed tags costs a pass, not a million passes.
_PICTURE_TAG = re.compile(r"""<(img|source)\b(?:"[^"<]*"|'[^'<]*'|[^'"<>])*>""", re.IGNORECASE)
_TAG_ATTRIBUTE = re.compile(r"""\s([^\s"'>/=]+)(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?""")
# A frame nh3 left without an address (nh3 writes attributes in double quotes, and a frame's content as text).
_EMPTY_FRAME = re.compile(r'<iframe\b(?![^>]*\ssrc=")[^>]*>.*?</iframe>', re.DOTALL)


def sanitise_html(fragment: str, embed_hosts: tuple[str, ...] = (), base: str = "/",
                  left_out: list[str] | None = None) -> str:
    """`fragment` with only allow-listed tags, attributes and URL schemes; frames only from `embed_hosts`,
    the addresses of the others appended to `left_out`, and the frames themselves removed (each would be
    an empty box the size of a video).

    `base` is the site's address (base_url), or its base path alone. Root-relative addresses get the base
    path, as Markdown links do: `<img src="/images/a.jpg">` must work on a project site under /repo/ too.
    (Addresses that already start with it, such as those of Markdown links rendered before, are left
    alone.) An address on the site written in full is written from the site's root (urls.on_this_site).
    """
    base_path = urlsplit(base).path or "/"

    def keep(tag: str, attribute: str, value: str) -> str | None:
        if tag == "iframe" and attribute == "src":
            parts = urlsplit(value)
            host = parts.hostname or ""
            if host in _YOUTUBE and host not in embed_hosts and NO_COOKIE_YOUTUBE in embed_hosts \
                    and parts.scheme == "https" and parts.path.startswith("/embed/"):
                # YouTube's own embed code: the same player from its host that sets no cookie until played.
                return parts._replace(netloc=NO_COOKIE_YOUTUBE).geturl()
            if parts.scheme == "https" and host in embed_hosts:
                return value
            if left_out is not None:
                left_out.append(value)
            return None
        if attribute in ("href", "src", "poster"):
            if value.startswith("/") and not value.startswith("//") and not value.startswith(base_path):
                return base_path + value.lstrip("/")
            return on_this_site(value, base) or value
        return value

    if "data-" in fragment:
        fragment = _PICTURE_TAG.sub(_waiting_address_shown, fragment)
    clean = nh3.clean(fragment, tags=SANITISER_TAGS, attributes=SANITISER_ATTRIBUTES, attribute_filter=keep,
                      url_schemes=URL_SCHEMES, link_rel=None, generic_attribute_prefixes={"data-"},
                      # What a page offers readers without scripts: the copy of a picture a lazy loader
                      # shows (shown above, once), or a tracking pixel; as text it would be tags in the story.
                      # A whole page pasted brings its <title> too: the outlet's name and the headline again.
                      clean_content_tags={"script", "style", "noscript", "title"},
                      set_tag_attribute_values={"iframe": {"sandbox": IFRAME_SANDBOX, "loading": "lazy"}})
    if "<iframe" in clean:
        clean = _EMPTY_FRAME.sub("", clean)
    if "<p></p>" in clean:  # Markdown put a paragraph around what the sanitiser dropped (a pasted page's <title>)
        clean = _EMPTY_PARAGRAPH.sub("", clean)
    return _SANITISED_ADDRESS_LINK.sub(_left_to_right, clean) if "<a " in clean else clean


_EMPTY_PARAGRAPH = re.compile(r"<p></p>\n*")
_SCRIPT = re.compile(r"<script\b([^<>]*)>", re.IGNORECASE)
# The embed codes of newsrooms' chart services, which draw the chart with their script: Flourish's
# <div class="flourish-embed" data-src="visualisation/1234567"> and its loader, Datawrapper's script.
_DIV = re.compile(r"<div\b([^<>]*)>", re.IGNORECASE)
_FLOURISH_CHART = re.compile(r"((?:visualisation|story)/\d+)(?![\w/])")
_FLOURISH_LOADER = re.compile(r'<script\b[^<>]*\ssrc="https://public\.flourish\.studio/resources/embed\.js"[^<>]*>'
                              r"\s*</script>", re.IGNORECASE)
_DATAWRAPPER_SCRIPT = re.compile(r'<script\b[^<>]*\ssrc="https://datawrapper\.dwcdn\.net/(\w{5})/(?:(\d+)/)?embed\.js"'
                                 r"[^<>]*>\s*</script>", re.IGNORECASE)
CHART_SIZE = ("640", "500")  # a chart's frame, from its embed code or its address alone on a line (markup.py)


def flourish_frame(chart: str) -> str:
    """The frame of a Flourish chart ("visualisation/1234567")."""
    return f"https://flo.uri.sh/{chart}/embed"


def datawrapper_frame(chart: str, version: str | None) -> str:
    """The frame of a Datawrapper chart ("AbC12"), at a version where one is given."""
    return f"https://datawrapper.dwcdn.net/{chart}/" + (f"{version}/" if version else "")


def charts_as_frames(fragment: str, embed_hosts: tuple[str, ...]) -> str:
    """A Flourish or Datawrapper chart's embed code as the frame the same service gives for it, where
    `embed_hosts` trusts that frame's host: a story runs no script, and the chart would be an empty box."""
    if "flo.uri.sh" in embed_hosts and "flourish-embed" in fragment:
        fragment = _DIV.sub(_flourish_frame, fragment)
        # Its loader goes with the frames made; one left with a chart not made a frame is named (scripts_in).
        fragment = _FLOURISH_LOADER.sub("", fragment) if 'src="https://flo.uri.sh/' in fragment else fragment
    if "datawrapper.dwcdn.net" in embed_hosts and "datawrapper.dwcdn.net" in fragment:
        fragment = _DATAWRAPPER_SCRIPT.sub(
            lambda chart: _chart_frame(datawrapper_frame(chart[1], chart[2]), "Datawrapper"), fragment)
    return fragment


def _flourish_frame(div: re.Match) -> str:
    attributes = {a[1].lower(): a[0].split("=", 1)[-1].strip().strip("'\"") for a in _TAG_ATTRIBUTE.finditer(div[1])}
    chart = _FLOURISH_CHART.match(attributes.get("data-src", ""))
    if "flourish-embed" not in attributes.get("class", "").split() or chart is None:
        return div[0]
    return "<div>" + _chart_frame(flourish_frame(chart[1]), "Flourish")


def _chart_frame(src: str, title: str) -> str:
    return f'<iframe src="{src}" title="{title}" width="{CHART_SIZE[0]}" height="{CHART_SIZE[1]}"></iframe>'


def scripts_in(fragment: str) -> tuple[str, ...]:
    """The address of each script in `fragment` ("" for one written in it), which the sanitiser drops: an embed's
    code (a chart's, a post's from X or Instagram) that shows nothing without it."""
    if "<script" not in fragment.lower():
        return ()
    found = []
    for script in _SCRIPT.finditer(fragment):
        source = next((a for a in _TAG_ATTRIBUTE.finditer(script[1]) if a[1].lower() == "src"), None)
        found.append(source[0].split("=", 1)[1].strip().strip("'\"") if source and "=" in source[0] else "")
    return tuple(found)


# A link written as HTML whose words are an address, as the sanitiser writes it out: it reads left to right,
# as the same link written in Markdown does (_UrlTreeprocessor).
_SANITISED_ADDRESS_LINK = re.compile(r'<a((?: [\w-]+="[^"]*")*)>((?:https?://|www\.)[^<\s]+)</a>')


def _left_to_right(link: re.Match) -> str:
    return link[0] if ' dir="' in link[1] else f'<a{link[1]} dir="ltr">{link[2]}</a>'


def _waiting_address_shown(tag: re.Match) -> str:
    """An <img> or <source> tag with the address its lazy loader holds back as its own src or srcset.

    The tag is still raw HTML: the sanitiser then checks the address as it checks every src."""
    text = tag.group(0)
    attributes = list(_TAG_ATTRIBUTE.finditer(text))
    names = [a.group(1).lower() for a in attributes]
    renamed: dict[int, str] = {}
    for own, waiting in LAZY_ATTRIBUTES.items():
        found = next((i for i, name in enumerate(names) if name in waiting), None)
        if found is not None:
            renamed.update({i: "" for i, name in enumerate(names) if name == own})  # the placeholder goes
            renamed[found] = own
    if not renamed:
        return text
    parts, end = [], len(tag.group(1)) + 1
    parts.append(text[:end])
    for i, attribute in enumerate(attributes):
        parts.append(text[end:attribute.start()])
        end = attribute.end()
        if i not in renamed:
            parts.append(attribute.group(0))
        elif renamed[i]:
            parts.append(f" {renamed[i]}{attribute.group(0)[attribute.end(1) - attribute.start():]}")
    parts.append(text[end:])
    if tag.group(1).lower() == "img" and "loading" not in names:
        parts.insert(1, ' loading="lazy"')
    return "".join(parts)
