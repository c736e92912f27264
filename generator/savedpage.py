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
from collections.abc import Iterator
from contextlib import contextmanager
from typing import NamedTuple
from warnings import catch_warnings, filterwarnings

from .formatted import Run, is_plain, markdown, web_address

# Not text a reader reads, wherever they are: dropped with all they hold.
_UNREAD = ("script", "style", "noscript", "template", "svg", "iframe", "object", "form", "button", "select",
           "nav", "aside", "head")
# A page's own parts around its story: dropped where the page marks no <article> or <main>.
_PAGE_PARTS = ("header", "footer")
# Tags that start a new line where a reader sees one.
_BLOCKS = ("p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "td", "th", "dd", "dt", "blockquote",
           "figcaption", "section", "article", "header", "footer", "main", "time", "pre", "ul", "ol", "table",
           "figure", "address")
# Tags whose line opens with a mark of its own: a list's item, a subheading.
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_OPENINGS = ("li", *_HEADINGS)
# What its meta tags (Open Graph's, and a news article's) say, as the labelled lines a copied page has.
_META = {"article:published_time": "Published", "article:modified_time": "Updated", "og:site_name": "Source",
         "og:url": "Link"}
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


def is_html(text: str) -> bool:
    """Whether a page's text is a saved web page's HTML, not its copied text."""
    return bool(_LOOKS_LIKE_HTML.match(text[:4096]))


class Saved(NamedTuple):
    text: str  # the lines a reader would copy
    marked: dict[int, tuple[str, str]]  # line → (its text, as Markdown) where the page formats it
    image: str = ""  # the picture the page gives for sharing (og:image), as a whole address
    image_alt: str = ""


def page_lines(html: str, address: str = "") -> Saved:
    """The saved page's text as a reader would copy it: labelled lines from its meta tags (or the `address` it was
    fetched from), its headline, then its story's lines, each on the line of the HTML it comes from (or the first
    free line after it), so that what the importer says of a line ("saved.html:42: …") names the line of the file;
    and each line the page formats (a link, bold or italic words, a subheading, a list's item, a quotation) as
    Markdown too, its links made whole from the page's address.

    The story is the <article> that holds the headline, else the <main> that does, else the page's <main>, else
    the whole page without its own header and footer. Read in one walk of the tree, without changing it: the
    page is someone else's file, and any number of tags, nested however deep, costs their count."""
    from bs4 import BeautifulSoup, NavigableString, Tag

    with as_markup():
        soup = BeautifulSoup(html, "html.parser")
    found: list[tuple[int, str, str]] = []  # (line of the file, text, as Markdown)
    said: dict[str, str] = {}
    for meta in soup.find_all("meta"):
        key, content = meta.get("property") or meta.get("name") or "", meta.get("content")
        key = key.strip().lower() if isinstance(key, str) else ""
        if key and key not in said and isinstance(content, str) and content.strip():
            said[key] = " ".join(content.split())
            if key in _META:
                found.append((meta.sourceline or 1, f"{_META[key]}: {said[key]}", ""))
    if "og:url" not in said and address:  # fetched from its address, which its meta tags do not give
        found.append((1, f"Link: {address}", ""))
    base = address or said.get("og:url", "")
    headline = soup.find("h1")
    around = list(headline.parents) if headline is not None else []
    root = (next((tag for tag in around if tag.name == "article"), None)
            or next((tag for tag in around if tag.name == "main"), None) or soup.find("main"))
    skipped = _UNREAD + (_PAGE_PARTS if root is None else ())
    line, runs, seen_headline = getattr(root, "sourceline", None) or 1, [], False
    style, lists, quotes, opening = Run(""), [], 0, ""  # what the text met so far is in

    def end_line() -> None:
        nonlocal opening
        text = " ".join("".join(run.text for run in runs).split())
        if text:
            shown = "> " * quotes + opening
            found.append((line, text, markdown(runs, shown) if shown or not is_plain(runs) else ""))
            opening = ""
        runs.clear()

    # Depth first, by hand: a stack of what is left to read, and where each tag ends with what was in force.
    waiting: list = [root or soup]
    while waiting:
        node = waiting.pop()
        if isinstance(node, _End):
            if node.name in _BLOCKS:
                end_line()
            style, opening = node.style, "" if node.name in _OPENINGS else opening
            if node.name in ("ul", "ol"):
                lists.pop()
            quotes -= node.name == "blockquote"
        elif isinstance(node, Tag) and node.name == "br":
            end_line()
        elif isinstance(node, Tag) and node.name not in skipped:
            waiting.append(_End(node.name, style))
            if node.name in _BLOCKS:
                end_line()
                line = max(line, node.sourceline or line)
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
        found.append((headline.sourceline or 1, " ".join(headline.get_text().split()), ""))
    image = web_address(said.get("og:image") or said.get("twitter:image") or "", base)
    image = image if image.startswith(("https://", "http://")) else ""  # a picture, not a mail address
    alt = said.get("og:image:alt") or said.get("twitter:image:alt") or ""
    return Saved(*_placed(found), image, alt if image else "")


class _End(NamedTuple):
    name: str
    style: Run  # the emphasis and link in force before the tag began


def _placed(found: list[tuple[int, str, str]]) -> tuple[str, dict[int, tuple[str, str]]]:
    """`found` as text, each at its line, or at the first line after the one before it; and the lines formatted."""
    lines: list[str] = []
    marked: dict[int, tuple[str, str]] = {}
    for number, text, markdown_text in sorted(found, key=lambda item: item[0]):
        lines += [""] * (max(number, len(lines) + 1) - len(lines) - 1)
        lines.append(text)
        if markdown_text:
            marked[len(lines)] = (text, markdown_text)
    return "\n".join(lines), marked
