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

# The redirect services by host, with the query parameter holding the page's own address.
_REDIRECTS = (
    (re.compile(r"(?:www\.)?google\.[a-z]{2,3}(?:\.[a-z]{2})?"), "/url", ("q", "url"), "Google's"),
    (re.compile(r"(?:l|lm|m|www)\.facebook\.com"), "/l.php", ("u",), "Facebook's"),
    (re.compile(r"l\.instagram\.com"), "/", ("u",), "Instagram's"),
    (re.compile(r"[a-z0-9]+\.safelinks\.protection\.outlook\.com"), "/", ("url",), "Outlook's"),
    (re.compile(r"(?:www\.)?youtube\.com"), "/redirect", ("q",), "YouTube's"),
)
_MARKS = ("/url?", "l.php", "l.instagram.com", "safelinks", "/redirect?")  # one of them, or no redirect is there
_ADDRESS = re.compile(r"https?://[^\s<>()\"'\]]{1,4000}", re.IGNORECASE)
_PAGE = re.compile(r"https?://[^\s\x00-\x1f\x7f]{1,2000}", re.IGNORECASE)  # what a redirect may lead to
MOST_NAMED = 20
# A picture written into the text as its bytes: `bring-pictures` saves it as a file.
DATA_PICTURE = re.compile(r"data:image/([A-Za-z0-9.+-]{1,20});base64,[A-Za-z0-9+/]*={0,2}", re.IGNORECASE)  # a page of search results pasted whole holds hundreds: the rest in one line

# A picture's file name as its description: a name with a picture's extension, or a camera's or phone's own.
_FILE_NAME = re.compile(r"^[^\s/\\]{0,200}\.(?:jpe?g|png|gif|webp|avif|heic|tiff?)$"
                        r"|^(?:IMG|DSC[FN]?|PXL|MVIMG|WhatsApp Image|Screenshot)[ _-]?\d", re.IGNORECASE)
_IMG = re.compile("<img", re.IGNORECASE)
_MARKDOWN_ALT = re.compile(r"!\[([^\]\n]{1,300})\]")
_HTML_ALT = re.compile(r"<img\b[^<>]{0,2000}?\balt\s*=\s*[\"']([^\"'\n]{1,300})[\"']", re.IGNORECASE)


def slips(path: str, image_alt: str, image_line: int, source_url: str, source_line: int, body: str,
          body_line: int) -> list[Diagnostic]:
    """The warnings of one story, from its front matter's values and their lines, and its text."""
    warnings = [_file_named(path, image_alt, image_line)] if _FILE_NAME.match(image_alt.strip()) else []
    warnings += [_file_named(path, alt, line) for alt, line in _alts(body, body_line)]
    real = _unwrapped(source_url)
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
    if "data:image/" not in body.lower():
        return []
    warnings = [Diagnostic(path, f"{pasted_picture(match[0])} is in the text itself: no page shows it", first_line
                           + body.count("\n", 0, match.start()), "bring it into the site as a file: python -m generator "
                           f"bring-pictures {path}", "warning") for match in DATA_PICTURE.finditer(body)]
    return warnings[:MOST_NAMED]


def _alts(body: str, first_line: int) -> list[tuple[str, int]]:
    """The descriptions in the text that are file names, with their lines."""
    if "![" not in body and not _IMG.search(body):
        return []
    found = []
    for pattern in (_MARKDOWN_ALT, _HTML_ALT):
        for match in pattern.finditer(body):
            if _FILE_NAME.match(match[1].strip()):
                found.append((match[1], first_line + body.count("\n", 0, match.start())))
    return sorted(found, key=lambda pair: pair[1])


def _file_named(path: str, alt: str, line: int) -> Diagnostic:
    return Diagnostic(path, f"a picture is described by its file name ({shown(alt.strip(), 60)}): a screen reader "
                      "reads the name out to readers who cannot see the picture", line,
                      "describe what it shows: who, where, what is happening", "warning")


def _wrapped_in(path: str, body: str, first_line: int) -> list[Diagnostic]:
    if not any(mark in body for mark in _MARKS):
        return []
    warnings = []
    for match in _ADDRESS.finditer(body):
        real = _unwrapped(match[0])
        if real:
            warnings.append(_wrapped(path, "a link", match[0], real, first_line + body.count("\n", 0, match.start())))
    if len(warnings) > MOST_NAMED:
        rest = len(warnings) - MOST_NAMED
        warnings = warnings[:MOST_NAMED] + [Diagnostic(path, f"and {rest:,} more links through a redirect", first_line,
                                                       "write each page's own address", "warning")]
    return warnings


def _unwrapped(address: str) -> str:
    """The page a redirect's address leads to, or "" for any other address."""
    try:
        parts = urlsplit(address.replace("&amp;", "&"))
        host = (parts.hostname or "").rstrip(".")
    except ValueError:
        return ""
    for hosts, route, names, _ in _REDIRECTS:
        if hosts.fullmatch(host) and parts.path == route:
            query = parse_qs(parts.query)
            real = next((query[name][0] for name in names if name in query), "")
            return real if _PAGE.fullmatch(real) else ""
    return ""


def _service(address: str) -> str:
    host = (urlsplit(address.replace("&amp;", "&")).hostname or "").rstrip(".")
    return next(name for hosts, _, _, name in _REDIRECTS if hosts.fullmatch(host))


def _wrapped(path: str, what: str, address: str, real: str, line: int) -> Diagnostic:
    return Diagnostic(path, f"{what} goes through {_service(address)} redirect ({shown(address, 60)}): readers pass "
                      "its warning page on the way, and may reach none once it expires", line,
                      f"write the page's own address: {real[:300]}", "warning")
