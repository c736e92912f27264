"""Every address an article links to or shows, resolved against the site's own pages and files.

A link to a story that does not exist, or a picture missing from static/, builds
fine and breaks for the reader; this stage finds them for `build` (as warnings) and
`check`. It reads the addresses each rendered body lists (markup.local_addresses,
cached with the body) and the front matter image; the theme's own links come from
urls.py and are right by construction.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urljoin, urlsplit

from .config import SiteConfig
from .content import Document
from .errors import Diagnostic, shown
from .markup import ON_A_COMPUTER, Rendered, checked_here
from .site import Article, Site, StoryFiles
from .slips import MOST_STORIES, outside_code
from .urls import PREVIEW_ADDRESS, host_of, output_file

# Broken addresses named one by one in an article; the rest in one line. A page pasted from elsewhere can hold
# thousands of links relative to its own site: each named with its line cost a search of the whole body, and
# 5,000 of them took a build 46 s (50,000, over an hour).
MOST_NAMED = 20


def broken_addresses(site: Site, pages: set[str], files: Iterable[str],
                     body_of: Callable[[str], tuple[str, int]], kept_out: Iterable[Document] = ()) -> list[Diagnostic]:
    """A warning for every link to no page and every image of no file (up to MOST_NAMED an article, then one
    for the rest); `pages` holds the pages' output files, `files` the copied static files,
    `body_of` gives an article's Markdown and its first line (by its source file), to name the line of an
    address: asked only of an article with a broken one, once. `kept_out`: the stories not on the site yet
    (drafts, dated ahead), which a link to a story's file may name."""
    base = site.urls.base_path
    known = pages | set(files)
    by_name: dict[str, list[str]] = {}  # static files by their name, to name the one an address missed
    for file in sorted(files):
        by_name.setdefault(file.rpartition("/")[2].casefold(), []).append(file)
    held = StoryFiles(kept_out, base)
    closest = _Closest(site.articles)
    warnings = []
    for article in site.articles_and_pages:
        led = dict(article.story_links)
        addresses = [link for link in article.links if link[1] not in led]
        if checked_here(article.image_src):  # a lead image on another site (a feed's) is the reader's to load
            addresses.append(("image", article.image_src))
        broken = []
        for kind, address in addresses:
            route = _route(base, article.route, address)
            if route is None or not _exists(route, known):
                broken.append((kind, address, route))
        body = body_of(article.path) if any(kind != "image" for kind, _, _ in broken) else ("", 1)
        for kind, address, route in broken[:MOST_NAMED]:
            line = article.image_line if kind == "image" else _line_of(address, base, *body)
            if kind == "a" and urlsplit(address).path.endswith(".md"):
                warnings.append(_story_file_warning(article, address, line, held, closest))
            elif beside := _beside_story(site.config.root, article.path, address):
                warnings.append(_beside_warning(article, kind, address, beside, line))
            else:
                warnings.append(_warning(article, kind, address, route, base, line, known, by_name))
        if len(broken) > MOST_NAMED:
            warnings.append(Diagnostic(article.path, f"and {len(broken) - MOST_NAMED:,} more links or images that lead "
                                       "nowhere", body[1], "fix the ones above, then check again", "warning"))
    return warnings


def missed_in_bodies(rendered: Mapping[str, Rendered], body_of: Callable[[str], tuple[str, int]]) -> list[Diagnostic]:
    """A warning for what a body's reader would miss (up to MOST_NAMED of each kind an article): a frame the
    sanitiser removed (a video or map the editor pasted), and a link Markdown shows as typed. `rendered` is by
    source file, as `body_of` asks."""
    warnings = []
    for path, body in rendered.items():
        if not body.frames_left_out and not body.typed_links and not body.scripts_left_out:
            continue
        text, first_line = body_of(path)
        for found, warning, what in ((body.frames_left_out, _frame_warning, "frames left out"),
                                     (body.scripts_left_out, _script_warning, "scripts left out"),
                                     (body.typed_links, _typed_warning, "links shown as typed")):
            warnings += [warning(path, item, text, first_line) for item in found[:MOST_NAMED]]
            if len(found) > MOST_NAMED:
                warnings.append(Diagnostic(path, f"and {len(found) - MOST_NAMED:,} more {what}", first_line,
                                           "fix the ones above, then check again", "warning"))
    return warnings


def http_pictures_shown(site: Site, rendered: Mapping[str, Rendered],
                        body_of: Callable[[str], tuple[str, int]]) -> list[Diagnostic]:
    """On a site served over https (GitHub Pages always is), a warning for every picture an article shows from an
    http:// address, front matter and text (up to MOST_NAMED an article): a browser loads it over https, or not at
    all, so on a host without https the reader sees no picture."""
    if not site.config.base_url.lower().startswith("https://"):
        return []
    warnings = []
    for article in site.articles_and_pages:
        if _http(article.image_src):
            warnings.append(_http_warning(article.path, "the front matter image", article.image_src, article.image_line,
                                          True))
        body = rendered[article.path]
        if body.http_pictures:
            text, first_line = body_of(article.path)
            warnings += [_http_warning(article.path, "a picture or video", address,
                                       _line_of(address, "/", text, first_line), address in body.full_pictures)
                         for address in body.http_pictures[:MOST_NAMED]]
    return warnings


def _http_warning(path: str, what: str, address: str, line: int, picture: bool) -> Diagnostic:
    bring = (f"bring the picture into the site: python -m generator bring-pictures {path}" if picture else
             "copy the file into static/ and write its address from there (/…)")
    return Diagnostic(path, f"{what} {shown(address, 80)} is at an http:// address: on this https site, browsers "
                      "load it over https or not at all", line, f"write its https:// address if its site has one, or "
                      f"{bring}", "warning")


def pictures_elsewhere(site: Site, rendered: Mapping[str, Rendered],
                       body_of: Callable[[str], tuple[str, int]]) -> list[Diagnostic]:
    """A warning for every story that shows a picture from another site (its `image:` or one in its text, at
    https:// or //): every reader loads it whole from there, since the build makes no smaller copy of it, and it is
    gone once that site moves it or refuses other sites. The site's own host and `images.hosts` are no other
    site; a picture at http:// has its own warning. Past MOST_STORIES stories, one line for all."""
    own = own_hosts(site.config)
    found = []
    for article in site.articles_and_pages:
        pictures = (article.image_src, *rendered[article.path].full_pictures)
        addresses = list(dict.fromkeys(a for a in pictures if picture_elsewhere(a, own) and not _http(a)))
        if addresses:
            found.append((article, addresses))
    if len(found) > MOST_STORIES:
        hosts = dict.fromkeys(host_of(a) for _, addresses in found for a in addresses)
        return [Diagnostic("content/", f"{len(found):,} stories show pictures from other sites ({_some(hosts)}): "
                           "readers' phones load each whole from there, and a story loses its picture when that "
                           "site moves it", hint="bring them into the site: python -m generator bring-pictures",
                           severity="warning")]
    warnings = []
    for article, addresses in found:
        first, one = addresses[0], len(addresses) == 1
        line = article.image_line if first == article.image_src else _picture_line(first, *body_of(article.path))
        what = (f"a picture from {shown(host_of(first), 80)}" if one else
                f"{len(addresses)} pictures from {_some(dict.fromkeys(map(host_of, addresses)))}")
        it, each = ("it", "it") if one else ("them", "each")
        warnings.append(Diagnostic(article.path, f"shows {what}: readers' phones load {each} whole from there, and the "
                                   f"story loses {it} when that site moves {it}", line,
                                   f"bring {it} into the site: python -m generator bring-pictures {article.path}",
                                   "warning"))
    return warnings


def _picture_line(address: str, body: str, first_line: int) -> int:
    """The line of a picture's address, in any of the ways it is written (`written_forms`)."""
    for written in written_forms(address):
        if written in body:
            return _line_of(written, "/", body, first_line)
    return first_line


def written_forms(address: str) -> tuple[str, ...]:
    """How a text may write an address rendered as `address`: as it is, or in HTML with & as &amp;."""
    return (address, address.replace("&", "&amp;")) if "&" in address else (address,)


def own_hosts(config: SiteConfig) -> set[str]:
    """The hosts whose pictures are the site's own: its address's, and `images.hosts`."""
    return {host_of(config.base_url), *config.images.hosts}


def picture_elsewhere(address: str, own: set[str]) -> bool:
    """Whether a picture's address is on another site: http://, https:// or // (which a page loads as it is loaded)."""
    return address.lower().startswith(("https://", "http://", "//")) and host_of(address) not in own


def _http(address: str) -> bool:
    return address[:7].lower() == "http://"


def _some(names: Iterable[str]) -> str:
    names = [shown(name, 60) for name in names]
    return ", ".join(names[:3]) + (f" and {len(names) - 3:,} more" if len(names) > 3 else "")


def _frame_warning(path: str, address: str, text: str, first_line: int) -> Diagnostic:
    parts = urlsplit(address)
    host = parts.hostname or ""
    line = _line_of(host or address, "/", text, first_line)
    if parts.scheme != "https":
        return Diagnostic(path, f"a frame at {shown(address, 80)} is left out: a frame must be an https:// address",
                          line, "write its address with https://, or remove it", "warning")
    return Diagnostic(path, f"a frame from {shown(host, 80)} is left out: that host is not in markdown.embed_hosts",
                      line, f"if you trust it, add {shown(host, 80)} to markdown.embed_hosts in config.yaml; else "
                      "remove the frame", "warning")


def _script_warning(path: str, address: str, text: str, first_line: int) -> Diagnostic:
    """An embed's code pasted whole: its script is dropped, and the chart, map or post it would draw is not shown
    (a post's words stay, as the quotation X and Instagram put under their script)."""
    host = urlsplit(address).hostname or "" if address.startswith(("https://", "http://", "//")) else ""
    # A script shown as code is not the one dropped.
    line = next((number for number, written in enumerate(outside_code(text).split("\n"), start=first_line)
                 if "<script" in written.lower() and (host in written if host else "src=" not in written.lower())),
                first_line)
    return Diagnostic(path, f"a script{f' from {shown(host, 80)}' if host else ''} is left out: a story runs no "
                      "scripts, so an embed that needs one shows nothing of its own", line,
                      "put its address alone on a line (a YouTube or Vimeo video, a Flourish or Datawrapper chart), or "
                      "use its iframe code, from a host in markdown.embed_hosts; or link to it", "warning")


def _typed_warning(path: str, typed: str, text: str, first_line: int) -> Diagnostic:
    """The link or picture as Markdown reads it: the words in [ ] and, right after them, the address in ( )."""
    parts = _REVERSED_PARTS if typed.startswith("(") else _TYPED_PARTS
    mark, words, address = parts.search(typed).group("mark", "words", "address")
    # Where it stands as written, else (words shown otherwise, as an &amp;) where its address does.
    line = next((first_line + number for number, written in enumerate(text.split("\n")) if typed in written),
                None) or _line_of(address, "/", text, first_line)
    if mark and mark != "!":  # `! [صورة](…)`: a ! and a link
        return Diagnostic(path, f"a picture shows as a ! and a link: {shown(typed, 80)}", line,
                          f"write the ! right before the [, with no space: ![{words}]({address})", "warning")
    what = "a picture" if mark else "a link"
    fix = ("close its address with )" if parts is _TYPED_PARTS and not typed.endswith(")") else
           "write the words in [ ] and the address right after them in ( ), with no space between")
    return Diagnostic(path, f"{what} shows as typed, brackets and all: {shown(typed, 80)}", line,
                      f"{fix}: {mark or ''}[{words}]({address})", "warning")


_TYPED_PARTS = re.compile(r"^(?P<mark>!\s*)?\[(?P<words>.*)\]\s*\((?P<address>[^)]*)\)?$", re.DOTALL)
_REVERSED_PARTS = re.compile(r"^(?P<mark>)\((?P<address>.*)\)\s*\[(?P<words>.*)\]$", re.DOTALL)


class _Closest:
    """The story's file whose name is closest to a mistyped one, for the first MOST_NAMED a build asks about: each
    search compares the name with every story's (a fork's page could hold thousands of such links)."""

    def __init__(self, stories: Iterable[Article]):
        self.stories, self.names, self.asked = stories, None, 0

    def __call__(self, name: str) -> list[str]:
        self.asked += 1
        if self.asked > MOST_NAMED:
            return []
        if self.names is None:  # made when first asked: most builds have no such link
            self.names = sorted({story.path.rpartition("/")[2] for story in self.stories})
        return difflib.get_close_matches(name, self.names, n=1, cutoff=0.8)


def _story_file_warning(article: Article, address: str, line: int, held: StoryFiles, closest: _Closest) -> Diagnostic:
    """A link written to a story's file that names no story on the site: one kept out, or a name mistyped."""
    shown_address = shown(address, 80)
    story, _ = held.find(address, article.path)
    if story is not None:
        why = "a draft" if story.draft else "dated ahead"
        return Diagnostic(article.path, f"links to {shown_address}, the file of a story not on the site yet ({why})",
                          line, "publish that story first, or leave the link out until it is", "warning")
    close = closest(unquote(urlsplit(address).path).rpartition("/")[2])
    where = "story's file is found from this story's folder, from /content/, or by its name alone"
    return Diagnostic(article.path, f"links to {shown_address}, which is no story's file in content/", line,
                      f"did you mean {close[0]}? A {where}" if close else f"a {where}", "warning")


def _route(base: str, here: str, address: str) -> str | None:
    """The site route `address` names when followed from the page at `here`; None if it leaves the base path
    (a file or a preview on the editor's computer leaves the site)."""
    if ON_A_COMPUTER.match(address) or PREVIEW_ADDRESS.match(address):
        return None
    path = urlsplit(address).path
    if not path:
        return here  # ?query or #fragment alone: this page
    absolute = urljoin(base + here, path)
    if not absolute.startswith(base):
        return None
    return unquote(absolute[len(base):])


# An address written without what makes it one of another site: its https:// (www.bbc.com/…, reuters.com/…), the
# mailto: of an e-mail address, or with the quote marks pasted around it. Each is read as a page of this site.
_QUOTES = "\"'“”„«»‘’"
_E_MAIL = re.compile(r"^[^@/\s:]+@[^@/\s]+\.[a-z]{2,}$", re.IGNORECASE)
_HOST_FIRST = re.compile(r"^(?:www\.[^/\s]+|[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|net|org|info|news|tv|co|io|gov|edu|int"
                         r"|[a-z]{2}))(?:[/?#]|$)", re.IGNORECASE)
_FILE_SUFFIX = re.compile(r"^[^/]*\.(?:html?|php|aspx?|jpe?g|png|gif|webp|avif|svg|pdf|md|xml|json|txt|mp[34]|js|css)"
                          r"(?:[/?#]|$)", re.IGNORECASE)


def _other_site(address: str) -> tuple[str, str] | None:
    """(what it is read as, what to write) for an address meant for another site or a mailbox; None otherwise."""
    bare = address.strip(_QUOTES + " ")
    if bare != address and bare.lower().startswith(("http://", "https://", "mailto:", "/")):
        return "in quote marks, which make it an address on this site", f"remove the quote marks: {bare}"
    if _E_MAIL.match(bare):
        return "an e-mail address, read as an address on this site", f"write mailto:{bare}"
    if _HOST_FIRST.match(bare) and not _FILE_SUFFIX.match(bare):
        return ("another site's address without its https://, which makes it an address on this site",
                f"write https://{bare}")
    return None


def _exists(route: str, known: set[str]) -> bool:
    # A folder's address without its slash is redirected by every static host, Pages included.
    return route in known or output_file(route) in known or output_file(route + "/") in known


def _line_of(address: str, base: str, body: str, first_line: int) -> int:
    """The body line where the editor wrote `address` (Markdown links carry the base path only once rendered)."""
    written = [address] + (["/" + address[len(base):]] if address.startswith(base) and base != "/" else [])
    for number, text in enumerate(body.split("\n"), start=first_line):
        if any(w in text for w in written):
            return number
    return first_line


def _beside_story(root: Path, story: str, address: str) -> str:
    """The file of content/ a picture's address names from the story's own folder (`photo.jpg` beside the story's
    file, as Hugo's page bundles keep them), or ""."""
    if address.startswith("/") or ON_A_COMPUTER.match(address) or PREVIEW_ADDRESS.match(address):
        return ""  # a broken address that is not from the story's folder is one of these (markup.checked_here)
    written = PurePosixPath(story).parent / unquote(address.split("?")[0].split("#")[0])
    if ".." in written.parts or written.suffix.lower() in ("", ".md", ".html", ".htm"):
        return ""
    try:
        return written.as_posix() if (root / written).is_file() else ""
    except (OSError, ValueError):  # a name too long for the file system
        return ""


def _beside_warning(article: Article, kind: str, address: str, beside: str, line: int) -> Diagnostic:
    name = PurePosixPath(beside).name
    suffix = PurePosixPath(name).suffix.lower()
    folder = "media" if kind in ("video", "audio") else "images" if kind != "a" or suffix in _PICTURES else "files"
    what = f"links to {shown(address, 80)}, the file {beside}" if kind == "a" else \
        f"{_WHAT[kind]} {shown(address, 80)} is {beside}"
    return Diagnostic(article.path, f"{what} beside the story: content/ holds the stories, and nothing else of it is "
                      "published", line, f"move it to static/{folder}/{name} and write its address as /{folder}/{name}",
                      "warning")


_PICTURES = (".jpg", ".jpeg", ".png", ".webp", ".avif", ".gif", ".svg")


_WHAT = {"a": "links to", "image": "the front matter image", "img": "an image", "video": "a video",
         "audio": "a recording"}


def _warning(article: Article, kind: str, address: str, route: str | None, base: str, line: int,
             known: set[str], by_name: Mapping[str, list[str]]) -> Diagnostic:
    shown_address = shown(address, 80)
    what = _WHAT[kind]
    name = address.replace("\\", "/").rpartition("/")[2].split("?")[0]
    if ON_A_COMPUTER.match(address):
        return Diagnostic(article.path, f"{what} {shown_address} is a file on a computer, which no reader can open", line,
                          f"copy it into static/ (for a picture, static/images/{name[:60]}) and write its "
                          "address from there (/images/…)", "warning")
    if PREVIEW_ADDRESS.match(address):
        where = f"{shown_address}, an address of a preview on a computer, which no reader can open"
        after_port = shown(urlsplit(address).path or "/", 80)
        return Diagnostic(article.path, f"links to {where}" if kind == "a" else f"{what} is at {where}", line,
                          f"write the address from the site's root: the part after the port, {after_port}", "warning")
    mistyped = _other_site(address)
    if mistyped:
        return Diagnostic(article.path, f"{what} {shown_address}, {mistyped[0]}", line, mistyped[1], "warning")
    if route is None:
        return Diagnostic(article.path, f"links to {shown_address}, outside the site's base path {base}", line,
                          "write the address as /path/ in Markdown, which adds the base path, or as a full https:// address",
                          "warning")
    # What the editor most likely meant: the address from the site's root (`images/x.jpg` is read from the
    # story's own folder), or the file of the same name elsewhere in static/ (`/static/images/x.jpg`, `X.JPG`).
    meant = route.removeprefix(article.route)
    if not _exists(meant, known):
        found = by_name.get(unquote(name).casefold(), []) if kind != "a" else []
        meant = found[0] if found else ""
    if kind == "a":
        return Diagnostic(article.path, f"links to {shown_address}, which is no page of the site", line,
                          f"write /{meant}: an address without a / in front is read from the story's own folder"
                          if meant else
                          "check the address: a story is at /YYYY/MM/DD/<slug>/, a tag at /tags/<tag>/", "warning")
    return Diagnostic(article.path, f"{what} {shown_address} is not in static/", line,
                      f"write /{meant}, the address of static/{meant}" if meant else
                      f"put the {'file' if kind in ('video', 'audio') else 'picture'} at static/{route}, or fix the "
                      "address", "warning")
