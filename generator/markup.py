"""Markdown to HTML with Python-Markdown: `extra`, `toc`, `sane_lists`, a base-path fixer and an HTML sanitiser.

Raw HTML in a body goes through sanitise.py's allow-list (nh3) unless config says
`raw_html: trusted`. Text pasted from web pages, word processors and phones is read as the
editor meant it: bullets and numbers typed as characters, tab-separated tables, bare addresses.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import PurePosixPath
from typing import NamedTuple
from urllib.parse import parse_qs, urlsplit
from xml.etree.ElementTree import Element, SubElement

import markdown
from markdown import util
from markdown.blockprocessors import HashHeaderProcessor
from markdown.extensions import Extension
from markdown.extensions.toc import slugify_unicode
from markdown.inlinepatterns import InlineProcessor as InlinePattern
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import InlineProcessor, Treeprocessor

from .config import MarkdownConfig
from .errors import BuildError, Diagnostic
from .limits import OverBudget, budget, seconds_for
from .sanitise import (CHART_SIZE, IFRAME_SANDBOX, NO_COOKIE_YOUTUBE, charts_as_frames, datawrapper_frame,
                       flourish_frame, sanitise_html, scripts_in)
from .text import PASTED_BULLETS, PASTED_DASHES, strip_marks
from .urls import PREVIEW_ADDRESS, is_unsafe_url, on_this_site

URL_ATTRIBUTES = ("href", "src", "action", "formaction", "poster", "xlink:href", "background")
SAFE_PLACEHOLDER = "#"
# What `{: …}` (attr_list) may set: event handlers and style never, nor a link's address.
ATTR_LIST_ALLOWED = frozenset({"id", "class", "lang", "dir", "width", "height", "alt", "title"})

_TAG = re.compile(r"<[^>]+>")
# Python-Markdown's inline patterns (with `extra`), each with the strings one of which
# a text must hold for the pattern to match anything in it.
_INLINE_TRIGGERS = {
    "backtick": ("`", "\\"), "escape": ("\\",), "footnote": ("[^",), "reference": ("[",), "link": ("[",),
    "image_link": ("![",), "image_reference": ("![",), "short_reference": ("[",), "short_image_ref": ("![",),
    "autolink": ("<",), "automail": ("<",), "linebreak": ("  \n",), "html": ("<",), "entity": ("&",),
    "mujaz_bare_address": ("://", "www."), "not_strong": ("*", "_"), "em_strong": ("*", "_"),
    "em_strong2": ("*", "_"), "strong_em": ("*", "_"),
}
# The same for block processors whose test is a search of the block alone; each of
# these searches every block of prose that no processor before it claimed.
_BLOCK_TRIGGERS = {
    "hashheader": ("#",), "setextheader": ("\n=", "\n-"), "hr": ("-", "_", "*"), "quote": (">",),
    "deflist": (":",), "table": ("|",),
    # These three take every block off the front of the list and put it back when it is not theirs:
    # on a body of thousands of paragraphs, that is quadratic.
    "footnote": ("[^",), "abbr": ("*[",), "reference": ("]:",),
}
# And for preprocessors that read the whole text: fenced code blocks, and the HTML
# parser of raw blocks (which also rewrites character references).
_PREPROCESSOR_TRIGGERS = {"fenced_code_block": ("```", "~~~"), "html_block": ("<", "&")}


@dataclass(frozen=True)
class Rendered:
    html: str
    toc: str  # the table of contents as an HTML list, empty when the body has no headings
    words: int = 0  # words a reader reads, for the reading time; counted once, then cached with the HTML
    links: tuple[tuple[str, str], ...] = ()  # ("a", "img", "video" or "audio", address) of every address on this site
    frames_left_out: tuple[str, ...] = ()  # addresses of frames the sanitiser removed, for a warning
    scripts_left_out: tuple[str, ...] = ()  # addresses of scripts it removed ("" for one written in the body)
    typed_links: tuple[str, ...] = ()  # links Markdown shows as typed ("[text] (address)"), for a warning
    http_pictures: tuple[str, ...] = ()  # pictures (and videos) at http:// addresses, for a warning
    full_pictures: tuple[str, ...] = ()  # pictures at a full address (another site's, mostly), for a warning
    body: str = ""  # once html and toc are kept in the body store (bodies.py), their name there; they are then ""


# Addresses in the HTML this module makes (Python-Markdown and nh3 both write double quotes).
_ADDRESS = re.compile(r'<(a|img|source|iframe|video|audio)\b[^>]*?\s(?:href|src)="([^"]*)"')
_ELSEWHERE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//|#)", re.IGNORECASE)  # a scheme, another host, this page
# A file on the editor's own computer (C:\…, file:///…, \\server\…): no reader can load it.
ON_A_COMPUTER = re.compile(r"^(?:[a-z]:[\\/]|file:|\\\\)", re.IGNORECASE)


def checked_here(address: str) -> bool:
    """Whether the build can tell if `address` leads anywhere: one into the site, or a file or a preview on a
    computer (one under the site's base path is written from the site's root: urls.on_this_site)."""
    return bool(address) and (not _ELSEWHERE.match(address) or bool(ON_A_COMPUTER.match(address))
                              or bool(PREVIEW_ADDRESS.match(address)))


def local_addresses(html_text: str) -> tuple[tuple[str, str], ...]:
    """Links and images of `html_text` that point into the site (root-relative or relative) or to a file or a
    preview on the editor's computer, in order, once each."""
    found = {}
    for tag, address in _ADDRESS.findall(html_text):
        address = html.unescape(address).strip()
        if checked_here(address):
            found.setdefault((tag if tag in ("a", "video", "audio") else "img", address), None)
    return tuple(found)


_LINK_ADDRESS = re.compile(r'(<a\b[^>]*?\shref=")([^"]*)"')


def led_to(html_text: str, addresses: Mapping[str, str]) -> str:
    """`html_text` with each link to an address in `addresses` (as `local_addresses` reads it) led to its new one."""
    def lead(match: re.Match) -> str:
        new = addresses.get(html.unescape(match.group(2)).strip())
        return match.group(0) if new is None else f'{match.group(1)}{html.escape(new)}"'
    return _LINK_ADDRESS.sub(lead, html_text)


def _fix_element_urls(root: Element, base: str) -> None:
    base_path = urlsplit(base).path or "/"
    for element in root.iter():
        for attr in URL_ATTRIBUTES:
            value = element.get(attr)
            if not value:
                continue
            if is_unsafe_url(value):
                element.set(attr, SAFE_PLACEHOLDER)
            elif attr in ("href", "src") and value.startswith("/") and not value.startswith("//"):
                # An editor writes `/images/x.jpg` meaning "the site's images folder";
                # on a GitHub project page the site lives under `/repo/`, where that link breaks.
                element.set(attr, base_path + value.lstrip("/"))
            elif attr in ("href", "src") and (own := on_this_site(value, base)) is not None:
                element.set(attr, own)


# A video or a recording written as a picture (`![المؤتمر الصحفي](/media/press.mp4)`): no browser shows it in an
# <img>, and readers saw a broken picture. It becomes the browser's own player, which loads nothing before the
# reader plays it (preload="none"): a phone on slow data pays only for what its reader plays.
_PLAYED = {**dict.fromkeys((".mp4", ".m4v", ".webm", ".mov", ".ogv"), "video"),
           **dict.fromkeys((".mp3", ".m4a", ".aac", ".oga", ".ogg", ".opus", ".wav", ".flac"), "audio")}


def _players(root: Element) -> None:
    for picture in list(root.iter("img")):
        src, said = picture.get("src", ""), picture.get("title") or picture.get("alt", "")
        played = _PLAYED.get(PurePosixPath(urlsplit(src).path).suffix.lower())
        if played is None:
            continue
        picture.tag = played
        picture.attrib = {"src": src, "controls": "controls", "preload": "none"}
        if picture.tag == "video":
            picture.set("playsinline", "playsinline")  # an iPhone plays it in the page, not full screen at once
        if said:
            picture.set("title", said)  # its name to a screen reader
        picture.text = ""  # an element of its own, closed: <video …></video>


def _figures(root: Element) -> None:
    """A picture alone on its line with a title (`![الميناء](/images/port.jpg "رافعات الميناء، الأربعاء")`) is a
    figure, its title the caption under it: as a title alone it showed only under a mouse, never on a phone."""
    for paragraph in [p for p in root.iter("p") if len(p) == 1 and p[0].get("title")]:
        shown = paragraph[0]
        if shown.tag not in ("img", "video", "audio") or (paragraph.text or "").strip() or (shown.tail or "").strip():
            continue
        paragraph.tag = "figure"
        caption = SubElement(paragraph, "figcaption")
        caption.text = shown.get("title")
        if shown.tag == "img":  # its alt names it; the title under a mouse would say the caption again
            del shown.attrib["title"]


class _UrlTreeprocessor(Treeprocessor):
    def __init__(self, md: markdown.Markdown, base: str):
        super().__init__(md)
        self.base = base

    def run(self, root: Element) -> None:
        _players(root)
        _figures(root)
        _fix_element_urls(root, self.base)
        # A link that shows an address (bare, <https://…>, or [https://…](…)) reads left to right, isolated
        # from the Arabic around it, which otherwise takes its trailing "/" or "?" to the far side.
        for link in root.iter("a"):
            if len(link) == 0 and "dir" not in link.attrib and _SHOWN_ADDRESS.match(link.text or ""):
                link.set("dir", "ltr")


# List markers a word processor, a phone or an Arabic editor writes, which Markdown reads as text: Word's and
# WhatsApp's bullets, and numbers closed by ")" or "-" (١- , 2) ). Each list became one paragraph of run-on lines.
_BULLETS = PASTED_BULLETS
_PASTED_BULLET = re.compile(f"^( {{0,3}})[{_BULLETS}][ \\t]+")
_PASTED_NUMBER = re.compile(r"^( {0,3})(\d{1,9})[)\-–][ \t]+")
# A dash and a space is a bullet only beside another one: alone, it is as often a speaker's line or a source
# ("— رويترز"). Word copies its dash bullets as a dash and a tab (_TabbedPaste).
_DASHES = PASTED_DASHES
_SPACED_DASH = re.compile(f"^( {{0,3}})([{_DASHES}]) +")


class _PastedListMarkers(Preprocessor):
    """Rewrites pasted list markers as Markdown's (`- ` and `1. `), after fenced code is set aside."""

    def run(self, lines: list[str]) -> list[str]:
        # A regex over the whole body cost a twentieth of its Markdown time; a look at each line's start, nothing.
        lines = [_PASTED_NUMBER.sub(r"\1\2. ", _PASTED_BULLET.sub(r"\1- ", line)) if _may_mark(line) else line
                 for line in lines]
        dashes = [_dash_of(line) for line in lines]
        for i, dash in enumerate(dashes):
            if dash and dash in (dashes[i - 1] if i else "", dashes[i + 1] if i + 1 < len(lines) else ""):
                lines[i] = _SPACED_DASH.sub(r"\1- ", lines[i])
        return lines


def _may_mark(line: str) -> bool:
    first = line.lstrip(" ")[:1]
    return first.isdigit() or (first != "" and first in _BULLETS)


def _dash_of(line: str) -> str:
    if line.lstrip(" ")[:1] not in _DASHES:
        return ""
    spaced = _SPACED_DASH.match(line)
    return spaced[2] if spaced else ""


_WORD_DASH = re.compile(f"^( {{0,3}})[{_DASHES}]\t[ \t]*")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
# A list item, quote, heading, table row or HTML tag: Markdown or HTML already, whatever its tabs.
_MARKDOWN_BLOCK = re.compile(r"(?:[-*+>][ \t]|#|\||<|\d{1,9}[.)][ \t])")


class _TabbedPaste(Preprocessor):
    """What a paste tells by its tabs, read before Python-Markdown turns tabs into spaces: Word's dash bullets
    (a dash and a tab), and rows copied from Excel, Google Sheets or a web page's table (cells between tabs),
    which Markdown ran together into one paragraph. Two or more such rows in a row, with as many cells each,
    become a table whose first row is its head. Fenced code is left as it is."""

    def run(self, lines: list[str]) -> list[str]:
        if not any("\t" in line for line in lines):
            return lines
        out: list[str] = []
        fence = ""
        i = 0
        while i < len(lines):
            line = lines[i]
            opened = _FENCE.match(line)
            if fence or opened:
                if not fence:
                    fence = opened[1]
                elif line.strip(" ").startswith(fence[0] * len(fence)) and not line.strip(" ").strip(fence[0]):
                    fence = ""
                out.append(line)
                i += 1
                continue
            rows = [_cells(line)]
            while rows[0] and i + len(rows) < len(lines) and len(row := _cells(lines[i + len(rows)])) == len(rows[0]):
                rows.append(row)
            if len(rows) < 2:
                out.append(_WORD_DASH.sub(r"\1- ", line))
                i += 1
                continue
            out += ["| " + " | ".join(rows[0]) + " |", "|" + " --- |" * len(rows[0])]
            out += ["| " + " | ".join(row) + " |" for row in rows[1:]]
            i += len(rows)
        return out


def _cells(line: str) -> list[str]:
    """A line's cells if it is a row pasted from a spreadsheet (two cells or more, between tabs), else []."""
    if "\t" not in line or line[:1] in ("\t", " ") or _WORD_DASH.match(line) or _MARKDOWN_BLOCK.match(line):
        return []
    cells = [cell.strip().replace("|", "\\|") for cell in line.rstrip("\r").split("\t")]
    return cells if len(cells) >= 2 and any(cells) else []


# A bare address, as editors paste it from a browser, WhatsApp or Word, is a link (Hugo, GitHub and WhatsApp
# make it one; Python-Markdown wanted <…> around it). Not inside a word or another address, and never past
# a space, a tag or a placeholder of Python-Markdown's (\x02…\x03).
_BARE_ADDRESS = r"(?<![\w/@.:\-])(?:https?://|www\.)[^\s<>\"'`\x02\x03]+"
_SHOWN_ADDRESS = re.compile(r"(?:https?://|www\.)\S+$")
_RAW_HTML = re.compile(util.HTML_PLACEHOLDER.replace("%s", r"(\d+)"))
_INLINE_NODE = re.compile(util.INLINE_PLACEHOLDER.replace("%s", r"(\d+)"))
_LINK_TAG = re.compile(r"</?a[\s>]", re.IGNORECASE)
# What ends a sentence or a quote after an address, in Arabic too: it is not part of the address.
_AFTER_ADDRESS = ".,:;!?'\"*،؛؟…»)"


class _BareAddress(InlinePattern):
    ANCESTOR_EXCLUDES = ("a",)  # the text of a link is not linked again

    def handleMatch(self, m: re.Match, data: str):  # noqa: N802 (Python-Markdown's name)
        if self._in_raw_link(data[:m.start(0)]):
            return None, None, None
        address = m.group(0)
        while address and address[-1] in _AFTER_ADDRESS:
            if address[-1] == ")" and address.count("(") >= address.count(")"):
                break  # a bracket the address opened, as in Wikipedia's addresses
            address = address[:-1]
        if not address.startswith("http") and "." not in address[4:]:
            return None, None, None  # "www." alone
        link = Element("a", {"href": address if address.startswith("http") else f"https://{address}"})
        link.text = util.AtomicString(address)
        return link, m.start(0), m.start(0) + len(address)

    def _in_raw_link(self, before: str) -> bool:
        """Whether the text before the address opens an <a> tag written as HTML (set aside by now) and does not
        close it."""
        if not self.md.htmlStash.rawHtmlBlocks:
            return False
        inside = False
        stashed = self.md.treeprocessors["inline"].stashed_nodes  # the inline stage's: an HTML tag's placeholder
        for key in _INLINE_NODE.findall(before):
            node = stashed.get(key)
            for index in _RAW_HTML.findall(node) if isinstance(node, str) else ():
                tag = self.md.htmlStash.rawHtmlBlocks[int(index)]
                if isinstance(tag, str) and _LINK_TAG.match(tag):
                    inside = not tag.startswith("</")
        return inside


# A YouTube address as the share button or the address bar gives it: a video, a short, a live stream.
_YOUTUBE_VIDEO = re.compile(r"https://(?:(?:www\.|m\.)?youtube\.com/(?:watch\?(?:[^#\s]*&)?v=|shorts/|live/)"
                            r"|youtu\.be/)([\w-]{11})(?![\w-])")
_SECONDS = re.compile(r"^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s?)?$")


def _youtube(video: re.Match, address: str) -> str:
    query = parse_qs(urlsplit(address).query)
    start = _SECONDS.match((query.get("t") or query.get("start") or [""])[0])
    seconds = sum(int(n or 0) * unit for n, unit in zip(start.groups(), (3600, 60, 1))) if start else 0
    return f"https://{NO_COOKIE_YOUTUBE}/embed/{video[1]}" + (f"?start={seconds}" if seconds else "")


class _Player(NamedTuple):
    """What an address alone on its line becomes: the frame its service gives for it."""

    host: str  # the frame's, which markdown.embed_hosts must trust
    mark: str  # in every address it reads: a body whose links hold none has no paragraph to look at
    address: re.Pattern  # as the address bar or the share button gives it
    frame: Callable[[re.Match, str], str]  # the frame's address, from the match and the whole address
    title: str
    size: tuple[str, str]  # as the service's embed code gives it; a video fills the text's width at 16:9 (theme)


_PLAYERS = (
    _Player(NO_COOKIE_YOUTUBE, "youtu", _YOUTUBE_VIDEO, _youtube, "YouTube", ("560", "315")),
    # dnt=1: Vimeo's player without its cookies, as youtube-nocookie is YouTube's.
    _Player("player.vimeo.com", "vimeo.com/", re.compile(r"https://(?:www\.)?vimeo\.com/(\d+)/?(?=[?#]|$)"),
            lambda video, _: f"https://player.vimeo.com/video/{video[1]}?dnt=1", "Vimeo", ("640", "360")),
    # The charts and maps of newsrooms' data desks: a chart's public page, and its frame.
    _Player("flo.uri.sh", "flourish.studio/",
            re.compile(r"https://public\.flourish\.studio/((?:visualisation|story)/\d+)/?(?=[?#]|$)"),
            lambda chart, _: flourish_frame(chart[1]), "Flourish", CHART_SIZE),
    _Player("datawrapper.dwcdn.net", "datawrapper.dwcdn.net/",
            re.compile(r"https://datawrapper\.dwcdn\.net/(\w{5})/(?:(\d+)/)?(?=[?#]|$)"),
            lambda chart, _: datawrapper_frame(chart[1], chart[2]), "Datawrapper", CHART_SIZE),
)


class _PlayerParagraph(Treeprocessor):
    """A paragraph that is a video's or a chart's address and nothing else becomes its frame (YouTube's from
    youtube-nocookie), as WordPress and Ghost make it: an editor pastes the address, not the embed code. Only
    for a service whose frame's host markdown.embed_hosts trusts."""

    def __init__(self, md: markdown.Markdown, players: tuple[_Player, ...]):
        super().__init__(md)
        self.players = players

    def run(self, root: Element) -> None:
        if not any(player.mark in link.get("href", "") for link in root.iter("a") for player in self.players):
            return  # most bodies: a search in C of their links, not a walk of every element in Python
        for parent in root.iter():
            for index, paragraph in enumerate(parent):
                if paragraph.tag != "p" or len(paragraph) != 1 or (paragraph.text or "").strip():
                    continue
                link = paragraph[0]
                if link.tag != "a" or (link.tail or "").strip() or link.text != link.get("href"):
                    continue
                frame = _frame(link.get("href", ""), self.players)
                if frame is not None:
                    parent[index] = frame


def _frame(address: str, players: tuple[_Player, ...]) -> Element | None:
    for player in players:
        found = player.address.match(address)
        if found:
            break
    else:
        return None
    frame = Element("iframe", {"src": player.frame(found, address), "title": player.title, "width": player.size[0],
                               "height": player.size[1], "allow": "encrypted-media; picture-in-picture; fullscreen",
                               "allowfullscreen": "", "sandbox": IFRAME_SANDBOX, "loading": "lazy",
                               # YouTube's player refuses to play without knowing the page's site.
                               "referrerpolicy": "strict-origin-when-cross-origin"})
    frame.text = ""
    return frame


class _ListStart(Treeprocessor):
    """`<ol start="٣">` (a list numbered in Arabic-Indic digits) is no number to a browser: written in ASCII digits."""

    def run(self, root: Element) -> None:
        for element in root.iter("ol"):
            start = element.get("start")
            if start is not None and not start.isascii():
                number = int(start)  # int() reads every script's digits; sane_lists matched \d+
                if number == 1:
                    del element.attrib["start"]
                else:
                    element.set("start", str(number))


class _HeadingsBelowTheTitle(Treeprocessor):
    """A text whose headings begin at # (a Markdown file written elsewhere, a page pasted) has them one level
    down, its order kept: the page's headline is its one <h1>, which screen readers and search engines read as
    the page's name, and the contents list (levels 2 to 4) names them."""

    def run(self, root: Element) -> None:
        if next(root.iter("h1"), None) is None:
            return
        for element in root.iter():
            if element.tag in _LOWER:
                element.tag = _LOWER[element.tag]


_LOWER = {f"h{level}": f"h{min(level + 1, 6)}" for level in range(1, 7)}


class _TriggeredInline(InlineProcessor):
    """Python-Markdown's inline stage, except that a pattern is not tried on text without its trigger.

    The stock stage searches every text for each of about fifteen patterns in turn:
    a fifth of the Markdown time for news prose, where most text holds no markup.
    A pattern not in _INLINE_TRIGGERS (another extension's) is always tried.
    """

    _patterns: tuple = ()

    def run(self, tree, ancestors=None):
        patterns = self.inlinePatterns
        now = tuple(patterns)
        if now != self._patterns:  # patterns can be registered after this stage, even while converting
            self._patterns = now
            self._triggers = [None] * len(patterns)
            for name, triggers in _INLINE_TRIGGERS.items():
                if name in patterns:
                    # One trigger as a plain string: see _triggered_test.
                    self._triggers[patterns.get_index_for_name(name)] = triggers[0] if len(triggers) == 1 else triggers
        return super().run(tree, ancestors)

    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:  # noqa: N802, N803
        # The stock method's loop, plus the trigger test; a pattern that cannot match
        # returns (data, False, 0) there, which is what skipping it does here.
        if isinstance(data, util.AtomicString):
            return data
        start = 0
        count = len(self.inlinePatterns)
        while patternIndex < count:
            triggers = self._triggers[patternIndex]
            if triggers is not None and (triggers not in data if type(triggers) is str
                                         else not any(trigger in data for trigger in triggers)):
                patternIndex, start = patternIndex + 1, 0
                continue
            data, matched, start = self._InlineProcessor__applyPattern(self.inlinePatterns[patternIndex], data,
                                                                       patternIndex, start)
            if not matched:
                patternIndex += 1
        return data


class _RawHtmlGuard(Postprocessor):
    """Runs before Python-Markdown puts stashed raw HTML back into the page: notes whether there is any."""

    def __init__(self, md: markdown.Markdown, base: str):
        super().__init__(md)
        self.base = base
        self.found = False

    def run(self, text: str) -> str:
        self.found = False
        for block in self.md.htmlStash.rawHtmlBlocks:
            if isinstance(block, str):
                self.found = True
            else:
                _fix_element_urls(block, self.base)
        return text


class _Sanitiser(Postprocessor):
    """The whole body through nh3, when it holds raw HTML: a tag opened in one raw fragment may close in another."""

    def __init__(self, md: markdown.Markdown, guard: _RawHtmlGuard, embed_hosts: tuple[str, ...], base: str):
        super().__init__(md)
        self.guard = guard
        self.embed_hosts = embed_hosts
        self.base = base

    def run(self, text: str) -> str:
        if self.guard.found:
            text = charts_as_frames(text, self.embed_hosts)
        left_out: list[str] = []
        clean = sanitise_html(text, self.embed_hosts, self.base, left_out) if self.guard.found else text
        self.md.frames_left_out = tuple(left_out)  # read by render_markdown, set on every conversion
        self.md.scripts_left_out = scripts_in(text) if self.guard.found else ()
        return clean


def _restrict_attr_list(processor: Treeprocessor) -> None:
    """attr_list sets only ATTR_LIST_ALLOWED and data-*: `{: onerror=…}` would run in the reader's browser."""
    assign = processor.assign_attrs

    def assign_allowed(elem: Element, attrs_string: str, *, strict: bool = False) -> str:
        before = dict(elem.attrib)
        remainder = assign(elem, attrs_string, strict=strict)
        for name in list(elem.attrib):
            if name.lower() in ATTR_LIST_ALLOWED or name.lower().startswith("data-") or before.get(name) == elem.get(name):
                continue
            if name in before:
                elem.set(name, before[name])
            else:
                del elem.attrib[name]
        return remainder

    processor.assign_attrs = assign_allowed


# A line that opens with one # and a word is a hashtag (#عاجل, as posts pasted from X or Telegram open), not a
# headline: Python-Markdown made it an <h1> inside the story; CommonMark, which Hugo's Markdown follows, wants a
# space after the #s too. ## and more with a word right after them stay headings, as Python-Markdown reads them.
HEADING_LEVEL = "(?P<level>#{1,6})"
_HASH_HEADING = re.compile(HashHeaderProcessor.RE.pattern.replace(HEADING_LEVEL, r"(?P<level>#{2,6}|#(?=[ \t\n]|$))"))


class MujazExtension(Extension):
    """`base`: the site's address (base_url), or its base path alone (then addresses on the site written in
    full stay as they are)."""

    def __init__(self, base: str, options: MarkdownConfig = MarkdownConfig()):
        super().__init__()
        self.base = base
        self.options = options

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        # Priority 1: after the inline processor has turned links into elements.
        md.treeprocessors.register(_UrlTreeprocessor(md, self.base), "mujaz_urls", 1)
        md.treeprocessors.register(_ListStart(md), "mujaz_list_start", 2)
        md.treeprocessors.register(_HeadingsBelowTheTitle(md), "mujaz_headings", 6)  # 6: before the contents (5)
        players = tuple(player for player in _PLAYERS if player.host in self.options.embed_hosts)
        if players:
            md.treeprocessors.register(_PlayerParagraph(md, players), "mujaz_player_paragraph", 3)
        # 85: after <…> autolinks (120) and inline HTML (90, its tags are set aside by then), before emphasis
        # (60): `**https://…**` is a bold link.
        md.inlinePatterns.register(_BareAddress(_BARE_ADDRESS, md), "mujaz_bare_address", 85)
        # 24: after fenced code blocks (25) are set aside, so code keeps its characters.
        md.preprocessors.register(_TabbedPaste(md), "mujaz_tabbed_paste", 31)  # before tabs become spaces (30)
        md.preprocessors.register(_PastedListMarkers(md), "mujaz_pasted_lists", 24)
        if "hashheader" in md.parser.blockprocessors:
            md.parser.blockprocessors["hashheader"].RE = _HASH_HEADING
        if "attr_list" in md.treeprocessors:
            _restrict_attr_list(md.treeprocessors["attr_list"])
        # Priority 35: before `raw_html` (30) substitutes the stash into the text.
        guard = _RawHtmlGuard(md, self.base)
        md.postprocessors.register(guard, "mujaz_raw_html_guard", 35)
        if self.options.raw_html == "safe":
            md.postprocessors.register(_Sanitiser(md, guard, self.options.embed_hosts, self.base),
                                       "mujaz_sanitiser", -10)
        elif self.options.raw_html == "escape":
            # Without these two, raw HTML is ordinary text and gets escaped.
            md.preprocessors.deregister("html_block")
            md.inlinePatterns.deregister("html")


class _Shortcuts(Extension):
    """Python-Markdown as it is, minus searches that cannot match: the same HTML in about half the time on news text."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        md.treeprocessors.register(_TriggeredInline(md), "inline", 20)  # 20: the stock stage's priority
        blocks = md.parser.blockprocessors
        for name, triggers in _BLOCK_TRIGGERS.items():
            if name in blocks:
                processor = blocks[name]
                processor.test = _triggered_test(processor.test, triggers)
        for name, triggers in _PREPROCESSOR_TRIGGERS.items():
            if name in md.preprocessors:
                processor = md.preprocessors[name]
                processor.run = _triggered_run(processor.run, triggers)


def _triggered_test(test, triggers: tuple[str, ...]):
    if len(triggers) == 1:  # most are: `in` is three times as fast as any() over a tuple
        only = triggers[0]

        def triggered(parent, block: str) -> bool:
            return only in block and test(parent, block)
    else:
        def triggered(parent, block: str) -> bool:
            return any(trigger in block for trigger in triggers) and test(parent, block)
    return triggered


def _triggered_run(run, triggers: tuple[str, ...]):
    def triggered(lines: list[str]) -> list[str]:
        text = "\n".join(lines)
        return run(lines) if any(trigger in text for trigger in triggers) else lines
    return triggered


@lru_cache(maxsize=4)
def _converter(base: str, options: MarkdownConfig) -> markdown.Markdown:
    return markdown.Markdown(
        extensions=["extra", "toc", "sane_lists", MujazExtension(base, options), _Shortcuts()],
        extension_configs={"toc": {"permalink": False, "toc_depth": "2-4", "slugify": heading_id}},
        output_format="html",
    )


def plain_text(html_text: str) -> str:
    """A rendered body as the words a reader sees, for text analysis and search."""
    return html.unescape(_TAG.sub(" ", html_text))


def render_markdown(text: str, base: str = "/", options: MarkdownConfig = MarkdownConfig()) -> Rendered:
    """Render one document; the converter is reset so no state leaks between documents. `base`: the site's
    address (base_url), or its base path alone."""
    md = _converter(base, options)
    md.reset()
    html_text = md.convert(text)
    toc = getattr(md, "toc", "")
    has_headings = bool(getattr(md, "toc_tokens", None))
    words = len(_TAG.sub(" ", html_text).split())
    return Rendered(html=html_text, toc=toc if has_headings else "", words=words, links=local_addresses(html_text),
                    frames_left_out=getattr(md, "frames_left_out", ()),
                    scripts_left_out=getattr(md, "scripts_left_out", ()), typed_links=typed_links(text, html_text),
                    http_pictures=http_pictures(html_text), full_pictures=full_pictures(html_text))


_HTTP_PICTURE = re.compile(r'<(?:img|source|video|audio)\b[^>]*?\s(?:src|poster)="(http://[^"]*)"', re.IGNORECASE)


def http_pictures(html_text: str) -> tuple[str, ...]:
    """The addresses of the body's pictures and media at http:// (not https://), once each."""
    if "http://" not in html_text.lower():
        return ()
    return tuple(dict.fromkeys(html.unescape(found) for found in _HTTP_PICTURE.findall(html_text)))


_FULL_PICTURE = re.compile(r'<img\b[^>]*?\ssrc="((?:https?:)?//[^"]*)"', re.IGNORECASE)


def full_pictures(html_text: str) -> tuple[str, ...]:
    """The addresses of the body's pictures written whole (http://, https:// or //), once each."""
    if "//" not in html_text:
        return ()
    return tuple(dict.fromkeys(html.unescape(found) for found in _FULL_PICTURE.findall(html_text)))


# A link written with a space between its two parts, with its address never closed, or with its parts the other
# way round: Markdown shows it as typed, brackets and address, and the reader gets no link.
_TYPED_LINK = re.compile(r"!?\[[^\[\]\n]{1,300}\]\s+\((?:https?://|www\.|/)[^()\s]{0,2000}\)"
                         r"|!?\[[^\[\]\n]{1,300}\]\((?:https?://|www\.|/)[^()\s]{0,2000}(?=\s|$)"
                         r"|\((?:https?://|www\.)[^()\s]{1,2000}\)\s*\[[^\[\]\n]{1,300}\]")
# A picture written with a space after its ! (`! [صورة](/images/x.jpg)`): Markdown shows a ! and a link.
_SPACED_PICTURE = re.compile(r"(?<!\S)!\s+\[[^\[\]\n]{0,300}\]\([^()\s]{1,2000}\)")
_SPACED_PICTURE_SHOWN = re.compile(r"(?<![^\s>])!\s+<a ")
_CODE = re.compile(r"<(pre|code)\b.*?</\1>", re.DOTALL)


def typed_links(text: str, html_text: str) -> tuple[str, ...]:
    """The links and pictures of a body that its reader sees as typed, as written."""
    # Most bodies: a few searches in C. A link Markdown made leaves no "](" in the page's text: one left is typed.
    linked = "] (" in text or ")[" in text or ") [" in text or "](" in html_text
    spaced = "! [" in text
    if not (linked or spaced):
        return ()
    prose = _CODE.sub(" ", html_text)
    found = [typed.group() for typed in _TYPED_LINK.finditer(html.unescape(_TAG.sub("", prose)))] if linked else []
    if spaced and _SPACED_PICTURE_SHOWN.search(prose):
        found += [typed.group() for typed in _SPACED_PICTURE.finditer(text)]
    return tuple(dict.fromkeys(found))


def heading_id(text: str, separator: str) -> str:
    """A heading's id, for a link to that part of the story (`…/#ردود-الفعل`): its words, without diacritics or
    tatweel, as Hugo and GitHub keep them. The toc extension's own slugify keeps ASCII alone, and named every
    Arabic heading `_1`, `_2`."""
    return slugify_unicode(strip_marks(text), separator)


def render_bounded(text: str, base: str, options: MarkdownConfig, origin: str, line: int | None = None) -> Rendered:
    """render_markdown under the budget of limits.py; a body past it is a BuildError naming its file."""
    seconds = seconds_for(text)
    try:
        with budget(seconds):
            return render_markdown(text, base, options)
    except OverBudget as exc:
        _converter.cache_clear()  # interrupted midway: the next body gets a converter in a known state
        what = f"took more than {seconds:.0f} s" if exc.what == "time" else "needed more than 2 GB of memory"
        raise BuildError([Diagnostic(origin, f"too complex to render: {what}", line,
                                     "split it, or remove the long runs of repeated characters ([, *, _ or <)")]) from None
    except RecursionError:  # Python-Markdown parses nested blocks by recursion: a few hundred levels exhaust it
        _converter.cache_clear()
        raise BuildError([Diagnostic(origin, "too deeply nested to render: lists, quotes or HTML blocks inside one "
                                     "another, hundreds of levels deep", line,
                                     "flatten it: check the spaces at the start of its lines")]) from None
