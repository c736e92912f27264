"""What a story copied from elsewhere brings with it that the build accepts and a reader trips over.

A link copied from Google's results, a Facebook post or an Outlook mail is that service's redirect, not the page:
readers pass a warning page on the way, and Outlook's stops working once the mail's tenant says so. A picture
saved from a phone or a page is described by its file name, which a screen reader reads out. A picture pasted
into the text itself (`data:image/png;base64,…`, as some editors paste a screenshot) is one no page shows: the
sanitiser lets no data: address through. Each is a warning with the line to fix and, for a link, the address to
write.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from .errors import Diagnostic, shown
from .urls import host_of

# The redirect services by host, with the query parameter holding the page's own address.
_REDIRECTS = (
    (re.compile(r"(?:www\.)?google\.[a-z]{2,3}(?:\.[a-z]{2})?"), "/url", ("q", "url"), "Google's"),
    (re.compile(r"(?:l|lm|m|www)\.facebook\.com"), "/l.php", ("u",), "Facebook's"),
    (re.compile(r"l\.instagram\.com"), "/", ("u",), "Instagram's"),
    (re.compile(r"[a-z0-9]+\.safelinks\.protection\.outlook\.com"), "/", ("url",), "Outlook's"),
    (re.compile(r"(?:www\.)?youtube\.com"), "/redirect", ("q",), "YouTube's"),
)
_MARKS = ("/url?", "/amp/s/", "l.php", "l.instagram.com", "safelinks", "/redirect?")  # one of them, or no redirect is there
_ADDRESS = re.compile(r"https?://[^\s<>()\"'\]]{1,4000}", re.IGNORECASE)
_PAGE = re.compile(r"https?://[^\s\x00-\x1f\x7f]{1,2000}", re.IGNORECASE)  # what a redirect may lead to
MOST_NAMED = 20  # of each kind in a story: a page of search results pasted whole holds hundreds; the rest in one line
# Stories named one by one for a warning many may have (pictures on other sites, another system's codes); past it,
# one line names them all: an archive moved from another system holds thousands.
MOST_STORIES = 3
# A picture written into the text as its bytes: `bring-pictures` saves it as a file.
DATA_PICTURE = re.compile(r"data:image/([A-Za-z0-9.+-]{1,20});base64,[A-Za-z0-9+/]*={0,2}", re.IGNORECASE)

# A picture's file name as its description: a name with a picture's extension, or a camera's or phone's own.
_FILE_NAME = re.compile(r"^[^\s/\\]{0,200}\.(?:jpe?g|png|gif|webp|avif|heic|tiff?)$"
                        r"|^(?:IMG|DSC[FN]?|PXL|MVIMG|WhatsApp Image|Screenshot)[ _-]?\d", re.IGNORECASE)
_IMG = re.compile("<img", re.IGNORECASE)
_MARKDOWN_ALT = re.compile(r"!\[([^\]\n]{1,300})\]")
_HTML_ALT = re.compile(r"<img\b[^<>]{0,2000}?\balt\s*=\s*[\"']([^\"'\n]{1,300})[\"']", re.IGNORECASE)


# Code blocks (fenced) and code spans: what they hold is shown as code, written as the writer meant it.
_FENCE = re.compile(r"^([ \t]{0,3})(`{3,}|~{3,})[^\n]*\n.*?(?:^[ \t]{0,3}\2[ \t]*$|\Z)", re.MULTILINE | re.DOTALL)
_CODE_SPAN = re.compile(r"`[^`\n]{1,2000}`")


def outside_code(body: str) -> str:
    """`body` with its code blocks and code spans blanked: of the same length, each line where it was."""
    if "`" not in body and "~~~" not in body:
        return body
    return _CODE_SPAN.sub(_blank, _FENCE.sub(_blank, body))


def _blank(match: re.Match) -> str:
    return re.sub(r"[^\n]", " ", match[0])


def slips(path: str, image_alt: str, image_line: int, source_url: str, source_line: int, body: str,
          body_line: int) -> list[Diagnostic]:
    """The warnings of one story, from its front matter's values and their lines, and its text."""
    warnings = [_file_named(path, image_alt, image_line)] if _FILE_NAME.match(image_alt.strip()) else []
    warnings += [_file_named(path, alt, line) for alt, line in _alts(body, body_line)]
    real = unwrapped(source_url)
    if real:
        warnings.append(_wrapped(path, "its source", source_url, real, source_line))
    warnings += _wrapped_in(path, body, body_line) + _pasted_in(path, body, body_line)
    return sorted(warnings, key=lambda warning: warning.line or 0)


def pasted_picture(address: str) -> str:
    """How a message names a picture pasted as data: its bytes would fill the screen."""
    found = DATA_PICTURE.match(address)
    size = len(address) - len(found[0].split(",", 1)[0]) if found else 0
    return f"a picture pasted as data (image/{found[1].lower() if found else '?'}, {size * 3 // 4 // 1024 or 1} KB)"


def _pasted_in(path: str, body: str, first_line: int) -> list[Diagnostic]:
    found = [(match.start(), match[0]) for match in DATA_PICTURE.finditer(outside_code(body))]
    return each_named(path, body, first_line, found, "pictures pasted as data", lambda line, address: Diagnostic(
        path, f"{pasted_picture(address)} is in the text itself: no page shows it", line,
        f"bring it into the site as a file: python -m generator bring-pictures {path}", "warning"))


def shows_pictures(body: str) -> bool:
    """Whether a story's text may show a picture at all: a Markdown image or an <img>."""
    return "![" in body or bool(_IMG.search(body))


def _alts(body: str, first_line: int) -> list[tuple[str, int]]:
    """The descriptions in the text that are file names (MOST_NAMED at most), with their lines."""
    if not shows_pictures(body):
        return []
    text = outside_code(body)
    found = sorted((match.start(), match[1]) for pattern in (_MARKDOWN_ALT, _HTML_ALT)
                   for match in pattern.finditer(text) if _FILE_NAME.match(match[1].strip()))
    return [(alt, line) for line, alt in _lines(body, first_line, found[:MOST_NAMED])]


def each_named(path: str, body: str, first_line: int, found: list[tuple[int, str]], what: str, warning) -> list[Diagnostic]:
    """A warning (`warning(line, value)`) for each of the first MOST_NAMED things found (position, value), and one
    line for the rest."""
    warnings = [warning(line, value) for line, value in _lines(body, first_line, found[:MOST_NAMED])]
    if len(found) > MOST_NAMED:
        warnings.append(Diagnostic(path, f"and {len(found) - MOST_NAMED:,} more {what}", first_line,
                                   "fix the ones above, then check again", "warning"))
    return warnings


def _lines(body: str, first_line: int, found: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """(line, value) of each (position, value), in order: the newlines counted once over the text, not again from
    its start for each (a story of 100,000 would take that many passes)."""
    lines, line, at = [], first_line, 0
    for position, value in found:
        line += body.count("\n", at, position)
        at = position
        lines.append((line, value))
    return lines


def _file_named(path: str, alt: str, line: int) -> Diagnostic:
    return Diagnostic(path, f"a picture is described by its file name ({shown(alt.strip(), 60)}): a screen reader "
                      "reads the name out to readers who cannot see the picture", line,
                      "describe what it shows: who, where, what is happening", "warning")


def _wrapped_in(path: str, body: str, first_line: int) -> list[Diagnostic]:
    if not any(mark in body for mark in _MARKS):
        return []
    found = [(match.start(), match[0]) for match in _ADDRESS.finditer(outside_code(body)) if unwrapped(match[0])]
    return each_named(path, body, first_line, found, "links through a redirect",
                  lambda line, address: _wrapped(path, "a link", address, unwrapped(address), line))


def unwrapped(address: str) -> str:
    """The page a redirect's address leads to, or "" for any other address."""
    try:
        parts = urlsplit(address.replace("&amp;", "&"))
        host = (parts.hostname or "").rstrip(".")
    except ValueError:
        return ""
    if parts.path.startswith("/amp/s/") and _REDIRECTS[0][0].fullmatch(host):  # Google's copy of an AMP page
        real = "https://" + parts.path[len("/amp/s/"):] + (f"?{parts.query}" if parts.query else "")
        return real if _PAGE.fullmatch(real) else ""
    for hosts, route, names, _ in _REDIRECTS:
        if hosts.fullmatch(host) and parts.path == route:
            query = parse_qs(parts.query)
            real = next((query[name][0] for name in names if name in query), "")
            return real if _PAGE.fullmatch(real) else ""
    return ""


def _service(address: str) -> str:
    host = host_of(address.replace("&amp;", "&"))
    return next(name for hosts, _, _, name in _REDIRECTS if hosts.fullmatch(host))


def _wrapped(path: str, what: str, address: str, real: str, line: int) -> Diagnostic:
    if "/amp/s/" in address:
        found = (f"{what} goes to Google's copy of the page (AMP, {shown(address, 60)}): readers read it in Google's "
                 "viewer, and may reach none once Google drops it")
    else:
        found = (f"{what} goes through {_service(address)} redirect ({shown(address, 60)}): readers pass its warning "
                 "page on the way, and may reach none once it expires")
    return Diagnostic(path, found, line, f"write the page's own address: {real[:300]}", "warning")
