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
from warnings import catch_warnings, filterwarnings

# Not text a reader reads, wherever they are: dropped with all they hold.
_UNREAD = ("script", "style", "noscript", "template", "svg", "iframe", "object", "form", "button", "select",
           "nav", "aside", "head")
# A page's own parts around its story: dropped where the page marks no <article> or <main>.
_PAGE_PARTS = ("header", "footer")
# Tags that start a new line where a reader sees one.
_BLOCKS = ("p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "td", "th", "dd", "dt", "blockquote",
           "figcaption", "section", "article", "header", "footer", "main", "time", "pre", "ul", "ol", "table",
           "figure", "address")
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


def page_lines(html: str, address: str = "") -> str:
    """The saved page's text as a reader would copy it: labelled lines from its meta tags (or the `address` it was
    fetched from), its headline, then its story's lines, each on the line of the HTML it comes from (or the first free line after it), so that what
    the importer says of a line ("saved.html:42: …") names the line of the file.

    The story is the <article> that holds the headline, else the <main> that does, else the page's <main>, else
    the whole page without its own header and footer. Read in one walk of the tree, without changing it: the
    page is someone else's file, and any number of tags, nested however deep, costs their count."""
    from bs4 import BeautifulSoup, NavigableString, Tag

    with as_markup():
        soup = BeautifulSoup(html, "html.parser")
    found: list[tuple[int, str]] = []  # (line of the file, text)
    said = set()
    for meta in soup.find_all("meta"):
        key, content = meta.get("property") or meta.get("name") or "", meta.get("content")
        label = _META.get(key.strip().lower()) if isinstance(key, str) else None
        if label and label not in said and isinstance(content, str) and content.strip():
            said.add(label)
            found.append((meta.sourceline or 1, f"{label}: {' '.join(content.split())}"))
    if "Link" not in said and address:  # fetched from its address, which its meta tags do not give
        found.append((1, f"Link: {address}"))
    headline = soup.find("h1")
    around = list(headline.parents) if headline is not None else []
    root = (next((tag for tag in around if tag.name == "article"), None)
            or next((tag for tag in around if tag.name == "main"), None) or soup.find("main"))
    skipped = _UNREAD + (_PAGE_PARTS if root is None else ())
    line, words, seen_headline = getattr(root, "sourceline", None) or 1, [], False

    def end_line() -> None:
        if words:
            found.append((line, " ".join("".join(words).split())))
            words.clear()

    # Depth first, by hand: a stack of what is left to read, and None where a block ends.
    waiting: list = [root or soup]
    while waiting:
        node = waiting.pop()
        if node is None or (isinstance(node, Tag) and node.name == "br"):
            end_line()
        elif isinstance(node, Tag) and node.name not in skipped:
            if node.name in _BLOCKS:
                end_line()
                line = max(line, node.sourceline or line)
                waiting.append(None)
            seen_headline = seen_headline or node is headline
            waiting += reversed(node.contents)
        elif type(node) is NavigableString:  # not a comment, a doctype or a CDATA section
            words.append(str(node))
    end_line()
    if headline is not None and not seen_headline:
        found.append((headline.sourceline or 1, " ".join(headline.get_text().split())))
    return _placed([(number, text) for number, text in found if text])


def _placed(found: list[tuple[int, str]]) -> str:
    """`found` as text, each at its line, or at the first line after the one before it."""
    lines: list[str] = []
    for number, text in sorted(found, key=lambda item: item[0]):
        lines += [""] * (max(number, len(lines) + 1) - len(lines) - 1)
        lines.append(text)
    return "\n".join(lines)
