"""A news page saved from the browser (File › Save Page As, .html): the lines a reader sees in it.

Copied from the browser, a page is its visible text; saved, it is the page's HTML, with its menus,
scripts and styles. This reads what a reader would copy: the page's article where its HTML marks one
(`<article>`, else `<main>`), a line per block, without the page's navigation, scripts, forms and
frames; its headline (`<h1>`) first; and what its meta tags say of the story, where the text may not
(the time it was published and updated, the outlet, its address), as labelled lines the importer reads
as it reads a copied page's. importer.py then reads those lines as it reads any pasted page.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import islice
from typing import NamedTuple
from warnings import catch_warnings, filterwarnings

from .credits import caption_and_credit
from .formatted import Run, is_plain, markdown, web_address
from .sanitise import LAZY_ATTRIBUTES

# Not text a reader reads, wherever they are: dropped with all they hold.
_UNREAD = ("script", "style", "noscript", "template", "svg", "iframe", "object", "form", "button", "select",
           "nav", "aside", "head")
# A page's own parts around its story: dropped where the page marks no <article> or <main>.
_PAGE_PARTS = ("header", "footer")
# Tags that start a new line where a reader sees one.
BLOCKS = ("p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "td", "th", "dd", "dt", "blockquote",
           "figcaption", "section", "article", "header", "footer", "main", "time", "pre", "ul", "ol", "table",
           "figure", "address")
# Tags whose line opens with a mark of its own: a list's item, a subheading.
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_OPENINGS = ("li", *_HEADINGS)
# Pictures narrower or lower than this, as the page declares them, are icons, avatars and tracking pixels.
_SMALLEST_PICTURE = 100
_CAPTION_LINES = 4  # what a figure's caption may take in what the walk found: its lines and its pictures
# What its meta tags (Open Graph's, and a news article's) say, as the labelled lines a copied page has.
_META = {"article:published_time": "Published", "article:modified_time": "Updated", "og:site_name": "Source",
         "og:url": "Link"}
MOST_PICTURES = 30  # a story's own pictures; a page of more is a gallery, or an outlet's sidebar of stories
_LOOKS_LIKE_HTML = re.compile(r"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head)\b", re.IGNORECASE | re.DOTALL)


@contextmanager
def as_markup() -> Iterator[None]:
    """Beautiful Soup (which markdownify uses too) warns when markup looks like a file name (a page or a feed item
    whose whole text is ".htm"): what the importers give it is always markup, so the warning would only puzzle the
    editor."""
    from bs4 import MarkupResemblesLocatorWarning

    with catch_warnings():
        filterwarnings("ignore", category=MarkupResemblesLocatorWarning)
        yield


def parsed(html: str):
    """Beautiful Soup's tree of someone else's HTML, from Python's own parser (`html.parser`), in time that grows
    with the page, within `as_markup`.

    That parser's builder keeps each void tag it closed itself (`<br>`, `<img>`) in a list, and looks there
    for every end tag: a page of 40,000 `<br>` and then as many `</b>` took 16 s, and the time grows with the
    square of the tags. The same record, kept as counts, answers at once (`_Tally`)."""
    from bs4 import BeautifulSoup
    from bs4.builder import HTMLParserTreeBuilder
    from bs4.builder._htmlparser import BeautifulSoupHTMLParser

    class Parser(BeautifulSoupHTMLParser):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.already_closed_empty_element = _Tally()

    class Builder(HTMLParserTreeBuilder):
        def feed(self, markup, _parser_class=Parser) -> None:
            super().feed(markup, Parser)

    with as_markup():
        return BeautifulSoup(html, builder=Builder())


class _Tally(Counter):
    """Beautiful Soup's list of void tags closed, as counts: `in`, `append` and `remove` at once."""

    def append(self, tag: str) -> None:
        self[tag] += 1

    def remove(self, tag: str) -> None:
        self[tag] -= 1
        if self[tag] <= 0:
            del self[tag]


def is_html(text: str) -> bool:
    """Whether a page's text is a saved web page's HTML, not its copied text."""
    return bool(_LOOKS_LIKE_HTML.match(text[:4096]))


class Saved(NamedTuple):
    text: str  # the lines a reader would copy
    marked: dict[int, tuple[str, str]]  # line → (its text, as Markdown) where the page formats it
    image: str = ""  # the picture the page gives for sharing (og:image), as a whole address
    image_alt: str = ""
    pictures: tuple[StoryPicture, ...] = ()  # the story's own pictures, in the order it shows them
    pictures_left: int = 0  # past MOST_PICTURES


class StoryPicture(NamedTuple):
    line: int  # the last line of text before it: it stands before the first paragraph below that
    written: str  # its address as the page writes it (a saved page's own folder's file: "story_files/a.jpg")
    address: str  # made whole from the page's address, or "" where none is
    alt: str  # its description, or the caption of the figure it is in when it has none
    caption: str = ""  # its figure's caption, without the credit
    credit: str = ""  # the credit its figure's caption gives (`credits.caption_and_credit`)


def page_lines(html: str, address: str = "") -> Saved:
    """The saved page's text as a reader would copy it: labelled lines from its meta tags (or the `address` it was
    fetched from), its headline, then its story's lines, each on the line of the HTML it comes from (or the first
    free line after it), so that what the importer says of a line ("saved.html:42: …") names the line of the file;
    and each line the page formats (a link, bold or italic words, a subheading, a list's item, a quotation) as
    Markdown too, its links made whole from the page's address.

    The story is the <article> that holds the headline, else the <main> that does, else the page's <main>, else
    the whole page without its own header and footer. Read in one walk of the tree, without changing it: the
    page is someone else's file, and any number of tags, nested however deep, costs their count.

    The story's pictures (`_address`: the one a lazy loader holds back, the largest of a srcset or of a
    <picture>'s sources) come apart, each after the line it stands in or below; a figure's caption leaves the
    text, with its credit apart, and describes a picture the page left undescribed, as Word's caption does
    (pagefile.py)."""
    from bs4 import NavigableString, Tag

    soup = parsed(html)
    found: list[list] = []  # [line of the file, text, as Markdown, the picture's index or -1]
    said: dict[str, str] = {}
    for meta in soup.find_all("meta"):
        key, content = meta.get("property") or meta.get("name") or "", meta.get("content")
        key = key.strip().lower() if isinstance(key, str) else ""
        if key and key not in said and isinstance(content, str) and content.strip():
            said[key] = " ".join(content.split())
            if key in _META:
                found.append([meta.sourceline or 1, f"{_META[key]}: {said[key]}", "", -1])
    if "og:url" not in said and address:  # fetched from its address, which its meta tags do not give
        found.append([1, f"Link: {address}", "", -1])
    base = address or said.get("og:url", "")
    headline = soup.find("h1")
    around = list(headline.parents) if headline is not None else []
    root = (next((tag for tag in around if tag.name == "article"), None)
            or next((tag for tag in around if tag.name == "main"), None) or soup.find("main"))
    skipped = _UNREAD + (_PAGE_PARTS if root is None else ())
    line, runs, seen_headline = getattr(root, "sourceline", None) or 1, [], False
    style, lists, quotes, opening = Run(""), [], 0, ""  # what the text met so far is in
    pictures: list[StoryPicture] = []
    left = 0  # pictures past MOST_PICTURES
    in_line: list[int] = []  # the pictures met in the line being read: placed after it
    figures: list[_Figure] = []  # the figures the walk is in, the innermost last

    def end_line() -> None:
        nonlocal opening
        text = " ".join("".join(run.text for run in runs).split())
        if text:
            shown = "> " * quotes + opening
            found.append([line, text, markdown(runs, shown) if shown or not is_plain(runs) else "", -1])
            opening = ""
        runs.clear()
        found.extend([line, "", "", index] for index in in_line)
        in_line.clear()

    def picture_met(tag: Tag) -> None:
        nonlocal left
        written = _address(tag)
        # On a page that marks no story, a picture above its headline is the page's own: a logo, a banner.
        if not written or _small(tag) or (root is None and headline is not None and not seen_headline):
            return
        if len(pictures) == MOST_PICTURES:
            left += 1
            return
        in_line.append(len(pictures))
        alt = tag.get("alt")
        pictures.append(StoryPicture(0, written, web_address(written, base),
                                     " ".join(alt.split()) if isinstance(alt, str) else ""))
        if figures:
            figures[-1].pictures.append(len(pictures) - 1)

    def figure_ended(figure: _Figure) -> None:
        """A caption leaves the text for the figure's first picture the page left undescribed (or its first),
        with its credit apart; it describes a picture the page left undescribed. A caption is a line or two:
        longer, it is no caption, and a page of figures nested in captions costs no more than their count."""
        if not figure.pictures or figure.caption is None or figure.caption_end is None \
                or figure.caption_end - figure.caption > _CAPTION_LINES:
            return
        lines = [entry for entry in found[figure.caption:figure.caption_end] if entry[1]]
        if not lines:
            return
        caption, credit = _caption_parts(" ".join(entry[1] for entry in lines), figure.caption_tag)
        shown = next((i for i in figure.pictures if not pictures[i].alt), figure.pictures[0])
        pictures[shown] = pictures[shown]._replace(alt=pictures[shown].alt or caption, caption=caption,
                                                   credit=credit)
        for entry in lines:
            entry[1] = ""

    # Depth first, by hand: a stack of what is left to read, and where each tag ends with what was in force.
    waiting: list = [root or soup]
    while waiting:
        node = waiting.pop()
        if isinstance(node, _End):
            if node.name in BLOCKS:
                end_line()
            if node.name == "figure":
                figure_ended(figures.pop())
            elif node.name == "figcaption" and figures and figures[-1].caption_end is None:
                figures[-1].caption_end = len(found)
            style, opening = node.style, "" if node.name in _OPENINGS else opening
            if node.name in ("ul", "ol"):
                lists.pop()
            quotes -= node.name == "blockquote"
        elif isinstance(node, Tag) and node.name == "br":
            end_line()
        elif isinstance(node, Tag) and node.name not in skipped:
            waiting.append(_End(node.name, style))
            if node.name in BLOCKS:
                end_line()
                line = max(line, node.sourceline or line)
            if node.name == "img":
                picture_met(node)
            elif node.name == "figure":
                figures.append(_Figure())
            elif node.name == "figcaption" and figures and figures[-1].caption is None:
                figures[-1].caption, figures[-1].caption_tag = len(found), node
            if node.name in ("ul", "ol"):
                lists.append(node.name)
            elif node.name == "li" and lists:
                opening = "    " * (len(lists) - 1) + ("1. " if lists[-1] == "ol" else "- ")
            elif node.name in _HEADINGS and node is not headline:
                opening = "#" * max(2, int(node.name[1])) + " "
            quotes += node.name == "blockquote"
            if node.name in ("b", "strong"):
                style = style._replace(bold=True)
            elif node.name in ("i", "em"):
                style = style._replace(italic=True)
            elif node.name == "a" and isinstance(node.get("href"), str):
                style = style._replace(link=web_address(node["href"], base))
            seen_headline = seen_headline or node is headline
            waiting += reversed(node.contents)
        elif type(node) is NavigableString:  # not a comment, a doctype or a CDATA section
            runs.append(style._replace(text=str(node)))
    end_line()
    if headline is not None and not seen_headline:
        found.append([headline.sourceline or 1, " ".join(headline.get_text().split()), "", -1])
    image = web_address(said.get("og:image") or said.get("twitter:image") or "", base)
    image = image if image.startswith(("https://", "http://")) else ""  # a picture, not a mail address
    alt = said.get("og:image:alt") or said.get("twitter:image:alt") or ""
    text, marked, after = _placed(found)
    return Saved(text, marked, image, alt if image else "",
                 tuple(picture._replace(line=after[i]) for i, picture in enumerate(pictures)), left)


class _End(NamedTuple):
    name: str
    style: Run  # the emphasis and link in force before the tag began


def _placed(found: list[list]) -> tuple[str, dict[int, tuple[str, str]], dict[int, int]]:
    """`found` as text, each at its line, or at the first line after the one before it; the lines formatted; and
    the line each picture stands after."""
    lines: list[str] = []
    marked: dict[int, tuple[str, str]] = {}
    after: dict[int, int] = {}
    for number, text, markdown_text, picture in sorted(found, key=lambda item: item[0]):
        if picture >= 0:
            after[picture] = len(lines)
        elif text:
            lines += [""] * (max(number, len(lines) + 1) - len(lines) - 1)
            lines.append(text)
            if markdown_text:
                marked[len(lines)] = (text, markdown_text)
    return "\n".join(lines), marked, after


def _address(tag) -> str:
    """A picture's address as the page writes it: the one its lazy loader holds back, else the widest of its
    srcset, else its src; "" for one written in the page itself (data:). In a <picture>, the widest its <source>s
    offer in a format pages show, where it is wider than the <img>'s own (a page's <img> is often the small copy
    for old browsers)."""
    address = next(filter(None, (_widest(tag.get(name)) for name in _SRCSETS)), "") or next(
        (value.strip() for value in (tag.get(name) for name in (*LAZY_ATTRIBUTES["src"], "src"))
         if isinstance(value, str) and value.strip() and not value.strip().lower().startswith("data:")), "")
    if tag.parent is None or tag.parent.name != "picture":
        return address
    sources = [node for node in islice(tag.previous_siblings, _MOST_SOURCES) if getattr(node, "name", None) == "source"
               and node.get("type", "image/jpeg") in _SHOWN_TYPES]
    offered = max(((where, size) for node in sources for name in _SRCSETS
                   for where, size, unit in _candidates(node.get(name)) if unit == "w"), key=lambda c: c[1], default=None)
    own = max((size for name in _SRCSETS for _, size, unit in _candidates(tag.get(name)) if unit == "w"), default=0.0)
    return offered[0] if offered and offered[1] > own else address


_SRCSETS = (*LAZY_ATTRIBUTES["srcset"], "srcset")
_MOST_SOURCES = 12  # a <picture>'s <source>s: one a format and a width, a dozen at most
_SHOWN_TYPES = ("image/jpeg", "image/png", "image/webp", "image/avif", "image/gif")  # what picture_suffix takes


def _widest(srcset) -> str:
    """The candidate of a srcset ("a.jpg 480w, b.jpg 960w", or 1x and 2x) with the largest width or density."""
    return max(_candidates(srcset), key=lambda candidate: candidate[1], default=("",))[0]


def _candidates(srcset) -> list[tuple[str, float, str]]:
    """A srcset's addresses, each with its width or density and which it is ("w", "x", or "" where none is
    given: 1x)."""
    if not isinstance(srcset, str):
        return []
    found = []
    for candidate in srcset.split(","):
        parts = candidate.split()
        if not parts or parts[0].lower().startswith("data:"):
            continue
        unit = parts[1][-1:] if len(parts) > 1 and parts[1][-1:] in ("w", "x") else ""
        try:
            size = float(parts[1][:-1]) if unit else 1.0
        except ValueError:
            size = 0.0
        found.append((parts[0], size, unit))
    return found


def _small(tag) -> bool:
    """Whether the page declares the picture smaller than a story's photo: an icon, an avatar, a tracking pixel."""
    for name in ("width", "height"):
        value = tag.get(name)
        if isinstance(value, str) and re.fullmatch(r"\s*[0-9]{1,5}\s*", value) and int(value) < _SMALLEST_PICTURE:
            return True
    return False


class _Figure:
    """A figure the walk is in: its pictures (their indices), and where its caption's lines begin and end in what
    was found."""

    def __init__(self):
        self.pictures: list[int] = []
        self.caption: int | None = None
        self.caption_end: int | None = None
        self.caption_tag = None


# What marks a caption's credit as its own element: "<span class="credit">", "<cite>", "<small>".
_CREDIT_CLASS = re.compile(r"credit|copyright|photographer|caption-source|image-source", re.IGNORECASE)
CAPTION_NODES = 60  # tags and texts in a caption: a sentence or two, with a link or a credit's span


def few_inside(tag) -> list | None:
    """What `tag` holds, tags and texts in the order they are written, or None past CAPTION_NODES of them: one
    step for each, where Beautiful Soup's own walks first look for the last of all of them."""
    found, waiting = [], list(reversed(tag.contents[:CAPTION_NODES + 1]))
    while waiting:
        node = waiting.pop()
        found.append(node)
        if len(found) > CAPTION_NODES:
            return None
        waiting += reversed(getattr(node, "contents", [])[:CAPTION_NODES + 1])
    return found


def _caption_parts(text: str, caption) -> tuple[str, str]:
    """A figure's caption, as read (`text`), and its credit: the part the page marks as its credit, less its label,
    or else the one the caption's words give."""
    inside = few_inside(caption) if caption is not None else None
    marked = next((node for node in inside or () if getattr(node, "name", None) in ("cite", "small")
                   or _CREDIT_CLASS.search(" ".join(getattr(node, "attrs", {}).get("class") or []))), None)
    credit = " ".join(marked.get_text(" ").split()) if marked is not None else ""
    if not credit or credit not in text:
        return caption_and_credit(text)
    rest = " ".join(text.replace(credit, " ", 1).split()).rstrip(" -–—|,،;:")
    return rest, caption_and_credit(credit)[1] or credit
