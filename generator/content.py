"""Read `content/**/*.md` into validated, frozen Documents (front matter + Markdown source).

The front matter's text is read by frontmatter.py; here its values become a Document, with the checks that
need the whole file (its name, its language, its body).
"""

from __future__ import annotations

import os
import posixpath
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from time import time_ns
from typing import Mapping, NamedTuple
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from .config import SiteConfig
from .errors import BuildError, Diagnostic, MujazError, shown
from .frontmatter import KNOWN_KEYS, Fields, load_yaml, split_front_matter
from .hashing import digest
from .moved import SECTION_PAGE, SECTION_PAGE_HINT, SECTION_PAGE_NOTE, code_warnings, unknown_key
from .slips import slips
from .text import NOT_IN_XML, SAVE_AS_UTF8, fold_label, normalize, saved_as, without_controls
from .urls import MAX_SLUG_BYTES, is_unsafe_url
from .workers import map_indices

# A key an editor wrote in Arabic, as the words are folded (fold_label: العنوان and عنوان alike), and the key meant.
_KEYS_IN_ARABIC = {fold_label(name): key for key, names in {
    "title": ("عنوان",), "date": ("تاريخ", "تاريخ النشر"), "updated": ("تحديث", "تاريخ التحديث"),
    "correction": ("تصحيح",),
    "author": ("كاتب", "مؤلف", "محرر", "بقلم"), "tags": ("وسوم", "وسم", "كلمات مفتاحية", "كلمات دلالية"),
    "category": ("قسم", "تصنيف", "فئة"), "source": ("مصدر",), "summary": ("ملخص", "موجز", "خلاصة"),
    "image": ("صورة",), "draft": ("مسودة",), "order": ("ترتيب",), "pinned": ("مثبت", "تثبيت"),
}.items() for name in names}
# Pages that are no news (About us, contact, a corrections policy) are files of content/pages/: each has an address
# of its own (/about/), and the footer of every page links it. They have no date, and no list, feed or search shows
# them.
PAGES_FOLDER = "pages"
PAGE_KEYS = frozenset({"title", "summary", "slug", "translation_key", "draft", "updated", "order"})
SLUG = re.compile(r"^[\w][\w-]*$")
LANGUAGE_LIKE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})?$")


@dataclass(frozen=True, slots=True)
class Document:
    """One article file in one language, validated but not yet rendered: a story, or a page of content/pages/."""

    path: str  # relative to the site root, for messages
    lang: str
    slug: str
    group: str  # translation key: files sharing it are translations of each other
    title: str
    date: datetime | None  # aware, in the site's time zone; None for a page (`page`), and for it alone
    updated: datetime | None
    tags: tuple[str, ...]
    category: str
    source_name: str
    source_url: str
    summary: str
    image_src: str
    image_alt: str
    draft: bool
    pins: tuple[str, ...]  # the front matter's `related:` slugs, shown first in the related block
    body: str
    body_line: int
    pin_lines: tuple[int, ...] = ()  # the front matter line of each pin
    authors: tuple[str, ...] = ()  # the byline: its writers' names, each with a page of their stories
    author_line: int = 1
    title_line: int = 2
    date_line: int = 3
    image_line: int = 1
    updated_line: int = 1
    category_line: int = 1
    tags_line: int = 1
    # (line, "an image" or "an <img>") of each picture in the body without alt text: found while the body
    # is at hand, so `check` can warn from a parsed file the cache keeps without its body.
    images_without_alt: tuple[tuple[int, str], ...] = ()
    # A hash of the title as readers tell titles apart (`title_key`): made with the rest, so the check for two
    # stories with one title, on every build, folds no title of a file that did not change. A hash, not the
    # folded title, which kept for every file through the build was 60 MB at 100,000 stories a language.
    title_key: str = ""
    # The same of the summary and of the text, where they are long enough to be an editor's own ("" if not):
    # two stories that share one were made by copying a file (`copies`).
    summary_key: str = ""
    text_key: str = ""
    summary_line: int = 1
    aliases: tuple[str, ...] = ()  # the story's old addresses, which lead readers on to its page
    aliases_line: int = 1
    image_caption: str = ""  # what the lead photo shows, under it
    image_credit: str = ""  # who took it, or the agency's name
    correction: str = ""  # what an earlier version of the story got wrong, shown under it, dated by `updated`
    page: bool = False  # a page of content/pages/ (About us…), not a story: no date, in no list
    order: int = 0  # a page's place among the pages the footer links, the smallest first
    pinned: bool = False  # leads its language's home page (until `pinned_until`; None: until unpinned)
    pinned_until: datetime | None = None
    pinned_line: int = 1


# Markdown images with empty alt text (`![](…)`, `![ ](…)`, `![][ref]`) and raw <img> tags.
_MD_IMAGE = re.compile(r"!\[\s*\]\s*[(\[]")
# An <img> (not past the next <: linear on "<img <img …"), or where a <noscript> begins or ends: the sanitiser
# drops what one holds (a lazy loader's copy, a chart's picture for pages without scripts), which no reader sees.
_HTML_IMAGE = re.compile(r"<img\b[^<>]*>|<(/?)noscript\b", re.IGNORECASE)
_ALT = re.compile(r"""\balt\s*=\s*(?:"\s*[^"\s][^"]*"|'\s*[^'\s][^']*'|[^\s"'>]+)""", re.IGNORECASE)


def images_without_alt(body: str, first_line: int) -> tuple[tuple[int, str], ...]:
    """(line, what) of each image in a Markdown body that has no alt text."""
    if "![" not in body and "<img" not in body.lower():
        return ()
    found, hidden = [], False
    for lineno, text in enumerate(body.splitlines(), start=first_line):
        if _MD_IMAGE.search(text):
            found.append((lineno, "an image"))
        for tag in _HTML_IMAGE.finditer(text):
            if not tag[0].lower().startswith("<img"):
                hidden = not tag[1]
            elif not hidden and not _ALT.search(tag[0]):
                found.append((lineno, "an <img>"))
    return tuple(found)


# What an earlier build made of each file: path -> (hash of its bytes, Document or None, its diagnostics).
Parsed = dict[str, tuple[str, "Document | None", tuple[Diagnostic, ...]]]


# (device, inode, size, mtime_ns, ctime_ns): any write to a file changes its ctime, and
# nothing but the system clock can set it back.
Stamp = tuple[int, int, int, int, int]

# A file is known by its stamp only once it is this much older than the scan that stamped it:
# timestamps are coarse (a few ms; 2 s on FAT), and two writes within one tick look alike.
SETTLE_NS = 3 * 10**9


class Source(NamedTuple):
    """One Markdown file under content/. A tuple, not a frozen dataclass: every build makes one per file, and
    at 100,000 stories a language making them as dataclasses took half a second of a build with nothing to do."""

    path: str  # relative to the site root, for messages (Document.path, Article.path)
    content_rel: str  # relative to content/, with /: gives language, slug and translation group
    raw: bytes | None  # None: not read, as it is unchanged since the build that stamped it
    key: str  # hash of the file's bytes
    stamp: Stamp | None = None  # set when the file had settled (SETTLE_NS) as it was scanned


def scan_content(config: SiteConfig, stamped: Mapping[str, tuple[Stamp, str]] | None = None
                 ) -> tuple[list[Source], list[Diagnostic]]:
    """Every Markdown file under content/, sorted by path.

    A file whose stamp is the one in `stamped` (path -> (stamp, hash), from an earlier
    scan) is not read: git and make tell unchanged files the same way. Others are read.
    """
    sources: list[Source] = []
    diagnostics: list[Diagnostic] = []
    root = str(config.root)
    settled_before = time_ns() - SETTLE_NS
    for rel in _markdown_files(root, diagnostics, config.language_codes):
        try:
            sources.append(_read(root, rel, stamped or {}, settled_before))
        except OSError as exc:
            diagnostics.append(Diagnostic(rel, f"cannot be read: {exc.strerror}"))
    return sources, diagnostics


def read_source(config: SiteConfig, path: Path, stamped: Mapping[str, tuple[Stamp, str]] | None = None,
                settled_before: int = 0) -> Source:
    """One Markdown file under content/; OSError if it cannot be read."""
    return _read(str(config.root), path.relative_to(config.root).as_posix(), stamped, settled_before)


def _read(root: str, rel: str, stamped: Mapping[str, tuple[Stamp, str]] | None, settled_before: int) -> Source:
    """The file `rel` (under content/, relative to the site's `root`, with /). Plain strings, not Paths:
    this runs for every article file on every build."""
    path = f"{root}/{rel}"
    stamp = settled_stamp(os.stat(path), settled_before)  # before reading: see settled_stamp
    known = stamped.get(rel) if stamped and stamp is not None else None
    if known is not None and known[0] == stamp:
        return Source(rel, rel.removeprefix("content/"), None, known[1], stamp)
    raw = Path(path).read_bytes()
    return Source(rel, rel.removeprefix("content/"), raw, digest(raw), stamp)


def body_of(config: SiteConfig, document: Document, key: str) -> tuple[str, int]:
    """A document's Markdown body and its first line. One parsed by an earlier build comes from the cache,
    which keeps no bodies (`cache.without_body`): its file is read again, and must still be the file that
    hashed to `key`; BuildError if it is gone or changed since this build began."""
    if document.body:
        return document.body, document.body_line
    try:
        source = read_source(config, config.root / document.path)
    except OSError as exc:
        raise BuildError([Diagnostic(document.path, f"cannot be read: {exc.strerror}")]) from None
    again = parse_document(source.raw, source.path, source.content_rel, config, []) if source.key == key else None
    if again is None:
        raise BuildError([Diagnostic(document.path, "changed while the build was reading it",
                                     hint="build again")])
    return again.body, again.body_line


def settled_stamp(st: os.stat_result, settled_before: int) -> Stamp | None:
    """A file's stamp, or None while it may still be changing (written after `settled_before`).

    Taken before the file is read: a write in between changes the stamp, never the other way round.
    """
    if max(st.st_mtime_ns, st.st_ctime_ns) >= settled_before:
        return None
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def named_stories(config: SiteConfig, named: list[Path]) -> list[Source]:
    """The stories `named` (paths as a command line gives them), or every story under content/ if none.
    MujazError for a name that is no story of the site."""
    sources, _ = scan_content(config)
    if not named:
        return sources
    wanted = set()
    for path in named:
        try:
            wanted.add((Path.cwd() / path).resolve().relative_to(config.root.resolve()).as_posix())
        except ValueError:
            raise MujazError(f"{path} is not in this site's folder — name a story file under content/") from None
    missing = wanted - {source.path for source in sources}
    if missing:
        raise MujazError(f"{sorted(missing)[0]} is no story file under content/ — name a <slug>.<lang>.md file "
                         "there, or none for every story")
    return [source for source in sources if source.path in wanted]


def read_documents(config: SiteConfig, sources: list[Source], earlier: Parsed | None = None,
                   jobs: int | None = 1) -> tuple[list[Document], list[Diagnostic], Parsed]:
    """Parse every source into a Document; collect every problem.

    A source whose hash is in `earlier` is not parsed again (the caller makes sure
    `earlier` came from the same config); the others are parsed on `jobs` processes.
    """
    earlier = earlier or {}
    parsed: Parsed = {}
    fresh: list[Source] = []
    unreadable: list[Diagnostic] = []
    for source in sources:
        known = earlier.get(source.path)
        if known is not None and known[0] == source.key:
            parsed[source.path] = known
            continue
        if source.raw is None:  # stamped, but its parsed form is lost (a damaged cache): read it after all
            try:
                source = read_source(config, config.root / source.path)
            except OSError as exc:
                unreadable.append(Diagnostic(source.path, f"cannot be read: {exc.strerror}"))
                continue
        parsed[source.path] = (source.key, None, ())  # filled in below, keeping the sorted order
        fresh.append(source)
    for source, (doc, found) in zip(fresh, map_indices(_parse, _ParseJob(fresh, config), len(fresh), jobs)):
        parsed[source.path] = (source.key, doc, found)
    documents: list[Document] = []
    diagnostics: list[Diagnostic] = unreadable
    for _, doc, found in parsed.values():
        diagnostics.extend(found)
        if doc is not None:
            documents.append(doc)
    return documents, diagnostics, parsed


class _ParseJob(NamedTuple):
    sources: list[Source]
    config: SiteConfig


def _parse(job: _ParseJob, i: int) -> tuple[Document | None, tuple[Diagnostic, ...]]:
    found: list[Diagnostic] = []
    source = job.sources[i]
    doc = parse_document(source.raw, source.path, source.content_rel, job.config, found)
    return doc, tuple(found)


# Names an editor gives articles that are not read: story.ar.markdown, story.ar.MD, story.ar.txt, story.ar.
_NEAR_MARKDOWN = (".markdown", ".mdown", ".mkd", ".mkdn", ".txt", ".text")


def _misnamed(name: str, languages: tuple[str, ...]) -> str:
    """The .md name a file was probably meant to have, or "" for a file that is no article (a picture, notes)."""
    lower = name.lower()
    for suffix in (".md", *_NEAR_MARKDOWN):
        if lower.endswith(suffix):
            stem = name[: -len(suffix)]
            # story.ar.md.txt: Notepad's .txt after the name the editor typed, which Windows hides
            return stem[:-3] + ".md" if stem.lower().endswith(".md") else stem + ".md"
    stem, dot, last = name.rpartition(".")
    return name + ".md" if dot and stem and last in languages else ""


def _markdown_files(root: str, diagnostics: list[Diagnostic], languages: tuple[str, ...] = ()) -> list[str]:
    """Every .md file under content/, as a path relative to the site's `root`: each folder's files by name,
    then its folders by name. Folders and files whose names start with a dot are skipped."""
    found: list[str] = []
    real_root = os.path.realpath(root)
    stack = ["content"]
    while stack:
        folder = stack.pop()
        try:
            with os.scandir(f"{root}/{folder}") as listing:
                entries = sorted((e for e in listing if not e.name.startswith(".")), key=lambda e: e.name)
        except OSError:  # as os.walk: a folder that cannot be listed has no articles to give
            continue
        folders = []
        for entry in entries:
            rel = f"{folder}/{entry.name}"
            if entry.is_dir():
                if not entry.is_symlink():  # as os.walk: a link to a folder is not followed
                    folders.append(rel)
            elif not entry.name.endswith(".md"):
                wrong = _misnamed(entry.name, languages)
                if wrong:
                    diagnostics.append(Diagnostic(rel, "is not read: articles are files ending in .md", 1,
                                                  f"rename it to {wrong}", "warning"))
            elif entry.is_symlink() and not os.path.realpath(entry.path).startswith(real_root + os.sep):
                diagnostics.append(Diagnostic(rel, "is a link to a file outside the site; not followed",
                                              hint="copy the file into content/ instead"))
            else:
                found.append(rel)
        stack += reversed(folders)
    return found


# Arabic presentation forms: each letter in the one shape it takes in a word, as old PDFs store text. A page
# shows them, but they are no letters to search, and a PDF's copy often puts them in the order they are seen
# (reversed). Not the word ligatures U+FDF0-FDFF (ﷲ, ﷺ), which an editor writes on purpose.
_PDF_SHAPES = re.compile("[\ufb50-\ufdcf\ufe70-\ufefc]+")
# *عاجل* or **urgent**, as WhatsApp and Markdown make bold: in a title or summary, the stars are shown.
_STARRED = re.compile(r"(?<![\w*])\*{1,2}[^\s*][^*]*?(?<!\s)\*{1,2}(?![\w*])")
_WEB_ADDRESS = re.compile(r"https?://\S+$", re.IGNORECASE)
# Markup a title or summary shows its reader as typed: a Markdown link, an HTML tag pasted from a page's source.
_LINK_WRITTEN = re.compile(r"\[(?P<words>[^\[\]\n]{1,200})\]\s*\([^()\s]{1,500}\)")
_TAG_WRITTEN = re.compile(r"</?(?:a|b|i|u|em|strong|span|br|p|div|font|sup|sub|mark|small)\b[^<>]{0,200}>",
                          re.IGNORECASE)


def parse_document(raw: bytes, rel: str, content_rel: str, config: SiteConfig,
                   diagnostics: list[Diagnostic]) -> Document | None:
    """Parse one file's bytes; on any error append diagnostics and return None."""
    start = len(diagnostics)
    fail = lambda message, line=None, hint="": diagnostics.append(Diagnostic(rel, message, line, hint))  # noqa: E731
    if b"\x00" in raw and not saved_as(raw):  # UTF-16 holds NUL bytes too
        fail("is a binary file, not Markdown text", hint="remove it from content/ or save it as UTF-8 text")
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        encoding = saved_as(raw)
        line = 1 if encoding.startswith("UTF-16") else raw.count(b"\n", 0, exc.start) + 1
        if encoding:
            fail(f"is saved in {encoding}, not UTF-8", line, SAVE_AS_UTF8)
        else:
            fail(f"not valid UTF-8 (byte 0x{raw[exc.start]:02x})", line, "save the file with UTF-8 encoding")
        return None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        fail("the file is empty", 1, "start it with front matter: a line ---, title: and date:, then ---")
        return None

    folder, _, name = content_rel.rpartition("/")
    lang, slug = _language_and_slug(name, config, fail)
    if slug == SECTION_PAGE:
        fail(SECTION_PAGE_NOTE, 1, SECTION_PAGE_HINT)
        return None
    meta_text, body, body_line = split_front_matter(text, fail)
    if meta_text is None:
        return None
    found = NOT_IN_XML.search(body)
    if found:
        # Pasted from PDFs and word processors: invisible here, and they make feed.xml unreadable XML.
        diagnostics.append(Diagnostic(rel, f"the text holds the invisible control character U+{ord(found[0]):04X}; "
                                      "it was left out of the pages", body_line + body.count("\n", 0, found.start()),
                                      "delete it, or retype the line", "warning"))
        body = without_controls(body)
    meta, lines = load_yaml(meta_text, fail)
    if meta is None:
        return None

    diagnostics += _read_in_english(rel, meta, lines)
    page = folder.split("/", 1)[0] == PAGES_FOLDER
    if page:
        diagnostics += _story_keys_on_page(rel, meta, lines)
    known = PAGE_KEYS if page else KNOWN_KEYS
    for key in sorted(set(meta) - known, key=lambda key: (lines.get(key, 1), str(key))):
        diagnostics.append(unknown_key(rel, key, meta[key], lines.get(key, 1), known, meta.get("draft") is True))
    fields = Fields(meta, lines, fail, meta_text.split("\n"))
    title = fields.text("title", required=True)
    zone = ZoneInfo(config.timezone)
    # A page moved from Hugo or Jekyll (about.md) has no date: it is a page of content/pages/ here.
    published = None if page else fields.date("date", zone, required=True, hint="add a line date: 2023-09-13; for "
                                              f"a page that is no story (About us, contact), move the file into "
                                              f"content/{PAGES_FOLDER}/")
    order = fields.whole_number("order") if page else 0
    updated = fields.date("updated", zone)
    if published is not None and updated is not None and updated < published:  # a month or a year mistyped
        shown_as = "%Y-%m-%d %H:%M" if updated.date() == published.date() else "%Y-%m-%d"  # in the site's zone
        diagnostics.append(Diagnostic(rel, f"updated: {updated:{shown_as}} is before the date, "
                                      f"{published:{shown_as}}: the page would say the story was corrected "
                                      "before it was published", lines.get("updated", 1),
                                      "check both dates: a correction comes after the story", "warning"))
    correction = fields.text("correction")
    if correction and updated is None:
        diagnostics.append(Diagnostic(rel, "the correction has no date: readers are told of a correction with the day "
                                      "it was made", lines.get("correction", 1),
                                      "add updated: with the day and time of the correction, below date:", "warning"))
    tags = fields.text_list("tags")
    if len(tags) > MOST_TAGS:
        diagnostics.append(Diagnostic(rel, f"has {len(tags)} tags: each is a page of its own, most of them with this "
                                      "story alone", lines.get("tags", 1),
                                      f"keep the few a reader would follow (up to {MOST_TAGS})", "warning"))
    related = fields.text_list("related")
    aliases = fields.text_list("aliases")
    category = fields.text("category")
    summary = fields.text("summary")
    authors = fields.names("author")
    if authors:  # pasted with its label (بقلم: …, By …), which the page writes before it itself
        from .pastedlines import byline_name  # here: its labels take 8 ms to import, and most builds parse no file

        named: dict[str, str] = {}  # one writer named twice, spelt two ways, is one page and is named once
        for writer in map(byline_name, authors):
            named.setdefault(fold_label(writer), writer)
        authors = tuple(named.values())
    draft = fields.flag("draft")
    pinned, pinned_until = (False, None) if page else _pin(rel, fields, zone, diagnostics)
    source_name, source_url = fields.parts("source", ("name", "url"))
    if not source_url and _WEB_ADDRESS.match(source_name):
        # source: https://… alone, as an editor pastes it: the link, named by its site (reuters.com).
        host = (urlsplit(source_name).hostname or "").removeprefix("www.")
        source_name, source_url = host or source_name, source_name
    image_src, image_alt, image_caption, image_credit = fields.parts("image", ("src", "alt", "caption", "credit"))
    if source_url and not source_url.lower().startswith(("http://", "https://")):
        fail(f"source: url {source_url!r:.60} is not a web address", lines.get("source"), "start it with https://")
    if image_src and is_unsafe_url(image_src):
        fail(f"image: {image_src!r:.60} is not an image address", lines.get("image"),
             "give a path such as /images/photo.jpg or an https:// address")
    if "slug" in meta:
        slug = fields.text("slug")
        if slug and not SLUG.match(slug):
            fail(f"slug {slug!r:.60} may hold only letters, digits, - and _", lines.get("slug"),
                 "no / or .. : a slug names one folder")
        elif len(slug.encode()) > MAX_SLUG_BYTES:
            fail(f"slug is too long ({len(slug.encode())} bytes)", lines.get("slug"),
                 f"keep it under {MAX_SLUG_BYTES} bytes: a few words are enough")
    translation_key = fields.text("translation_key")
    if slug.lower() != slug:
        # An address is told apart by its letters' case on GitHub Pages: a reader who types it, or a link written
        # in small letters, as most sites' are, meets a page that is not there.
        line, what, fix = ((lines.get("slug", 1), "the slug", f"write slug: {slug.lower()}") if "slug" in meta else
                           (1, "the file name", f"rename the file {name.replace(slug, slug.lower(), 1)}"))
        diagnostics.append(Diagnostic(rel, f"{what} {shown(slug)} has capital letters, which the story's address "
                                      "keeps, and GitHub Pages tells an address in capitals from one in small letters",
                                      line, fix, "warning"))

    if len(diagnostics) > start and any(d.severity == "error" for d in diagnostics[start:]):
        return None
    file_lang = lang or config.default_language
    texts = (("title", title, lines.get("title", 1)), ("summary", summary, lines.get("summary", 1)),
             ("correction", correction, lines.get("correction", 1)), ("text", body, body_line))
    for what, text, line in texts:
        wrong = _wrong_script(text, file_lang, what == "text")
        if wrong:
            diagnostics.append(Diagnostic(rel, f"the {what} is {wrong}, but this is the {file_lang} file", line,
                                          "translate it, or give the file the language it is written in",
                                          "warning"))
    # The shapes are three bytes in UTF-8, the first 0xEF: a search of the bytes for it takes a hundredth of the
    # time of the pattern's over the text, and almost no article holds one.
    for what, text, line in texts if b"\xef" in raw else ():
        shaped = _PDF_SHAPES.search(text)
        if shaped:
            at = line + text.count("\n", 0, shaped.start())
            diagnostics.append(Diagnostic(rel, f"the {what} holds Arabic letters in the shapes a PDF stores them in "
                                          f"({shown(shaped.group(), 30)}): search cannot find these words, and a copy "
                                          "from a PDF often has their letters in reverse order", at,
                                          "paste the text again from the original document or a web page", "warning"))
    for what, text, line in texts[:3]:  # the title, the summary and the correction, which are plain text
        marked = _STARRED.search(text)
        if marked:
            diagnostics.append(Diagnostic(rel, f"the {what} shows its stars as they are ({shown(marked.group(), 40)}): "
                                          f"a {what} is plain text, not Markdown or WhatsApp", line,
                                          "remove the * marks; the page sets headlines in bold already"
                                          if what == "title" else "remove the * marks", "warning"))
        linked = _LINK_WRITTEN.search(text)
        if linked:
            diagnostics.append(Diagnostic(rel, f"the {what} shows a link as typed ({shown(linked.group(), 60)}): a "
                                          f"{what} is plain text, which lists, feeds and link previews show", line,
                                          f"keep its words, {linked['words']}, and put the link in the text",
                                          "warning"))
        tagged = _TAG_WRITTEN.search(text)
        if tagged:
            diagnostics.append(Diagnostic(rel, f"the {what} shows an HTML tag as typed ({shown(tagged.group(), 40)}): "
                                          f"a {what} is plain text", line, "remove the tag, keeping its words",
                                          "warning"))
    if not body.strip():
        diagnostics.append(Diagnostic(rel, "has no text: the page shows the headline alone", body_line,
                                      "write or paste the story below the front matter's closing ---", "warning"))
    if len(summary) > SUMMARY_LONGEST:
        diagnostics.append(Diagnostic(rel, f"the summary is {len(summary)} characters long, a paragraph: lists, feeds "
                                      "and link previews show one sentence", lines.get("summary", 1),
                                      f"keep one sentence (under {SUMMARY_LONGEST} characters); the rest belongs in "
                                      "the text", "warning"))
    if summary and as_read(summary.strip(_SENTENCE_MARKS)) == as_read(title.strip(_SENTENCE_MARKS)):
        diagnostics.append(Diagnostic(rel, "the summary is the headline again: lists and link previews show the same "
                                      "words twice", lines.get("summary", 1),
                                      "write one sentence that says what the headline leaves out", "warning"))
    headline_again = _headline_again(body, title)
    if headline_again:
        diagnostics.append(Diagnostic(rel, "the text begins with the headline again: the page shows it twice, under "
                                      "the headline", body_line + headline_again - 1,
                                      "delete that line from the text (pasted with the story, most likely)", "warning"))
    headline = _without_outlet(title, source_name)
    if headline != title:
        diagnostics.append(Diagnostic(rel, f"the title ends with its source's name, {shown(source_name, 40)}, as a "
                                      "browser's tab shows a page's title: lists, feeds and link previews would show "
                                      "it too", lines.get("title", 2),
                                      f"write the headline alone: title: {headline}", "warning"))
    diagnostics += slips(rel, image_alt, lines.get("image", 1), source_url, lines.get("source", 1), body, body_line)
    diagnostics += code_warnings(rel, body, body_line)
    group = f"key:{translation_key}" if translation_key else posixpath.join(_shared_folder(folder, file_lang),
                                                                            _stem(name, config))
    return Document(
        path=rel, lang=file_lang, slug=slug, group=group, title=title,
        date=published, updated=updated, tags=tags, category=category, source_name=source_name,
        source_url=source_url, summary=summary, image_src=image_src, image_alt=image_alt,
        draft=draft, pins=related, body=body, body_line=body_line,
        pin_lines=tuple(lines.get(f"related:{pin}", lines.get("related", 1)) for pin in related),
        title_line=lines.get("title", 2), date_line=lines.get("date", 3), image_line=lines.get("image", 1),
        updated_line=lines.get("updated", 1), category_line=lines.get("category", 1), tags_line=lines.get("tags", 1),
        authors=authors, author_line=lines.get("author", 1),
        images_without_alt=images_without_alt(body, body_line),
        title_key=title_key(title), summary_key=title_key(summary) if len(summary) >= COPIED_SUMMARY_FROM else "",
        text_key=digest(body.strip().encode("utf-8", "surrogatepass")) if len(body) >= COPIED_TEXT_FROM else "",
        summary_line=lines.get("summary", 1), aliases=aliases, aliases_line=lines.get("aliases", 1),
        image_caption=image_caption, image_credit=image_credit, correction=correction, page=page, order=order,
        pinned=pinned, pinned_until=pinned_until, pinned_line=lines.get("pinned_until", lines.get("pinned", 1)),
    )


def _pin(rel: str, fields: Fields, zone: ZoneInfo, diagnostics: list[Diagnostic]) -> tuple[bool, datetime | None]:
    """Whether the story leads its home page (`pinned:`), and until when (`pinned_until:`; None: until unpinned). A
    day alone holds to its end, the next midnight in the site's zone."""
    meta, lines = fields.meta, fields.lines
    written = meta.get("pinned")
    if isinstance(written, (date, str)) and any(c.isdigit() for c in str(written)):  # the day it would end
        fields.fail(f"pinned: is true or false, not {shown(str(written), 30)}", lines.get("pinned"),
                    f"write pinned: true, and below it pinned_until: {shown(str(written), 30)[1:-1]}")
        return False, None
    if "pinned_until" in meta and "pinned" not in meta:
        diagnostics.append(Diagnostic(rel, "pinned_until: says when a pin ends, but the story is not pinned",
                                      lines.get("pinned_until", 1), "add a line pinned: true above it", "warning"))
    if not fields.flag("pinned"):
        return False, None
    ends = fields.date("pinned_until", zone)
    if ends is None or ":" in str(meta["pinned_until"]):
        return True, ends
    return True, datetime.combine(ends.date() + timedelta(days=1), time(), zone)


def _story_keys_on_page(rel: str, meta: dict, lines: dict[str, int]) -> list[Diagnostic]:
    """The keys only a story has (date:, tags:…), taken out of a page's front matter, named in one warning."""
    found = sorted((key for key in meta if key in KNOWN_KEYS - PAGE_KEYS), key=lambda key: lines.get(key, 1))
    if not found:
        return []
    for key in found:
        del meta[key]
    named = ", ".join(f"{key}:" for key in found)
    return [Diagnostic(rel, f"{named} {'are' if len(found) > 1 else 'is'} a story's, and this is a page of "
                       f"content/{PAGES_FOLDER}/, which has no date, section or tags and is in no list or feed: "
                       f"{'they are' if len(found) > 1 else 'it is'} ignored", lines.get(found[0], 1),
                       f"delete {'them' if len(found) > 1 else 'it'}, or move the file out of content/{PAGES_FOLDER}/ "
                       "if it is a story", "warning")]


ARABIC_SCRIPT = frozenset({"ar", "fa", "ur", "ps", "ckb", "sd", "ug"})
# Runs of letters, not single letters: findall then makes a string per word, not per letter (twice as fast).
_ARABIC_LETTERS = re.compile("[\u0620-\u064a\u0671-\u06d3\u06fa-\u06ff]+")
_LATIN_LETTERS = re.compile("[A-Za-z\u00c0-\u024f]+")
_MARKUP = re.compile(r"<[^>]*>|\]\([^)]*\)|https?://\S+|`[^`]*`")  # tags, link targets, addresses, code


def language_written(config: SiteConfig, text: str) -> str | None:
    """The site's language a text is written in, by its letters (most of them Arabic, or most Latin): the first of
    the site's languages in that script; None where the text has too few letters to tell, or the site no such
    language."""
    sample = text[:20_000]
    arabic, latin = sum(map(len, _ARABIC_LETTERS.findall(sample))), sum(map(len, _LATIN_LETTERS.findall(sample)))
    if arabic + latin < 40 or arabic == latin:
        return None
    return next((code for code in config.language_codes if (code in ARABIC_SCRIPT) == (arabic > latin)), None)


def _wrong_script(text: str, lang: str, long: bool) -> str:
    """"in Arabic letters" / "in Latin letters" when `text` is not in the script of `lang`; "" when it is.

    A body counts by its share of letters (names and quotes in the other script are
    normal); a title or summary by having any letter of its own script at all.
    """
    sample = _MARKUP.sub(" ", text[:20_000]) if long else text
    arabic, latin = sum(map(len, _ARABIC_LETTERS.findall(sample))), sum(map(len, _LATIN_LETTERS.findall(sample)))
    if arabic + latin < (40 if long else 3):
        return ""
    if lang in ARABIC_SCRIPT:
        return "in Latin letters" if (arabic < 0.2 * (arabic + latin) if long else arabic == 0) else ""
    return "in Arabic letters" if (arabic > 0.5 * (arabic + latin) if long else arabic > latin) else ""


def _read_in_english(rel: str, meta: dict, lines: dict[str, int]) -> list[Diagnostic]:
    """Keys written in Arabic (العنوان: …) read as the keys they name, where the front matter has no such key, and
    named in one line: the editing page, other tools and every guide read the keys in English alone."""
    found, read = [], []
    for key in sorted((k for k in meta if isinstance(k, str)), key=lambda k: lines.get(k, 1)):
        meant = _KEYS_IN_ARABIC.get(fold_label(key)) if len(key) < 40 else None
        if meant is None:
            continue
        line, value = lines.get(key, 1), meta.pop(key)
        if meant in meta:
            found.append(Diagnostic(rel, f"{shown(key)} is {meant} written in Arabic, and {meant}: is given already",
                                    line, f"delete one of the two lines: the line {shown(key)} is left out", "warning"))
        else:
            meta[meant], lines[meant] = value, line
            read.append((key, meant, line))
    if read:
        written, meant = ", ".join(shown(key) for key, _, _ in read), ", ".join(f"{m}:" for _, m, _ in read)
        found.append(Diagnostic(rel, f"{'the keys' if len(read) > 1 else 'the key'} {written} in Arabic "
                                f"{'were' if len(read) > 1 else 'was'} read as {meant}", read[0][2],
                                "write the keys in English (their values stay as they are): the editing page reads "
                                "them in English only", "warning"))
    return found


def stories(documents: list[Document]) -> list[Document]:
    """The stories among `documents`: not the pages of content/pages/, which have no date."""
    return [d for d in documents if not d.page]


def scheduled(documents: list[Document], now: datetime) -> tuple[tuple[datetime, str], ...]:
    """(when it goes live, source) of every article held back for its date, soonest first: no build before then
    publishes it, so `build` and `check` name each (a year or a day mistyped holds a story back in silence)."""
    return tuple(sorted((d.date, d.path) for d in stories(documents) if not d.draft and d.date > now))


def drafts(documents: list[Document]) -> tuple[str, ...]:
    """The source of every draft, newest first: `new`, the importers and the editing page start stories as drafts,
    and one whose `draft: true` is forgotten is never published, so `build` and `check` count them."""
    held = [d for d in documents if d.draft]
    return tuple(d.path for d in [*sorted(stories(held), key=lambda d: (d.date, d.path), reverse=True),
                                  *sorted((d for d in held if d.page), key=lambda d: d.path)])


def corrections_to_come(documents: list[Document], now: datetime) -> list[Diagnostic]:
    """A published article whose `updated:` is more than a day ahead of the build (a year mistyped): the page
    would say it was corrected then, and a feed reader keeps the newest `updated` entry on top until that day."""
    return [Diagnostic(d.path, f"updated: {d.updated:%Y-%m-%d} is still to come, though the article is published",
                       d.updated_line, "check its year and month: a correction is dated when it is made", "warning")
            for d in stories(documents) if d.updated is not None and d.date <= now and d.updated > now + timedelta(days=1)]


# More tags than this on one story is a keyword list pasted from an outlet's page, not tags a reader follows.
MOST_TAGS = 10
# A summary longer than this is a paragraph pasted from the story (import-feed cuts a feed's at this length too).
SUMMARY_LONGEST = 300
# A date this far ahead is more often a year mistyped than a story planned; one before EARLIEST_YEAR always is.
FAR_AHEAD = timedelta(days=366)
EARLIEST_YEAR = 1900


def dates_mistyped(documents: list[Document], now: datetime) -> list[Diagnostic]:
    """An article (not a draft) dated more than a year ahead, which stays unpublished until then without a word
    from the build, or before EARLIEST_YEAR, which is published at the bottom of the archive (1025 for 2025)."""
    found = []
    for d in stories(documents):
        if d.draft:
            continue
        if d.date > now + FAR_AHEAD:
            found.append(Diagnostic(d.path, f"date: {d.date:%Y-%m-%d} is more than a year ahead: the story stays "
                                    "unpublished until then", d.date_line,
                                    "check its year; to keep a story back, write draft: true", "warning"))
        elif d.date.year < EARLIEST_YEAR:
            written = f"{d.date.year:04d}-{d.date:%m-%d}"
            gregorian = _hijri_meant(d.date)
            if gregorian:
                found.append(Diagnostic(d.path, f"date: {written} is a Hijri date: read as a Gregorian one, the story "
                                        "would be published as the oldest in the archive", d.date_line,
                                        f"write the Gregorian day, {gregorian} ({written} in the Umm al-Qura "
                                        "calendar)", "warning"))
            else:
                found.append(Diagnostic(d.path, f"date: {written} is before {EARLIEST_YEAR}: the story would be "
                                        "published as the oldest in the archive", d.date_line, "check its year",
                                        "warning"))
    return found


def _hijri_meant(when: datetime) -> str:
    """The Gregorian day (and the time as written) of a date whose year is one of the Hijri years the Umm al-Qura
    tables hold (1924 to 2077, as news is dated); "" for any other."""
    from .dateline import HIJRI_YEARS, from_hijri  # here: the calendar's tables, only for a date before 1900

    if not HIJRI_YEARS[0] <= when.year <= HIJRI_YEARS[1]:
        return ""
    day = from_hijri(when.year, when.month, when.day)
    if day is None:
        return ""
    return day.isoformat() + (f"T{when:%H:%M}" if (when.hour, when.minute) != (0, 0) else "")


# What may stand around a headline pasted into the text: Markdown's heading and emphasis marks, quote marks.
_HEADLINE_MARKS = "#*_>\"'«»“”` \t"
_SENTENCE_MARKS = _HEADLINE_MARKS + ".!?:؟،؛…"  # a summary ends as a sentence, a headline need not


def _without_outlet(title: str, outlet: str) -> str:
    """The title without its source's name after it ("… - الجزيرة نت", "… | BBC News"), as a browser's tab and a
    page's <title> give a headline; the title as it is without one."""
    for separator in (" - ", " – ", " — ", " | ", " :: "):
        if outlet and title.casefold().endswith((separator + outlet).casefold()) and len(title) > len(separator + outlet):
            return title[:-len(separator + outlet)].rstrip()
    return title


def _headline_again(body: str, title: str) -> int:
    """The line (counted from 1 in the text) of a first line that is the headline again, as a story copied
    whole from a web page brings it; 0 if the text does not begin so."""
    for number, line in enumerate(body.split("\n", 20)[:20], 1):
        if line.strip():
            same = as_read(line.strip(_HEADLINE_MARKS)) == as_read(title.strip(_HEADLINE_MARKS))
            return number if same and title.strip() else 0
    return 0


def as_read(text: str) -> str:
    """A title as readers tell titles apart: diacritics, letter case and spacing aside."""
    return " ".join(normalize(text).casefold().split())


def title_key(title: str) -> str:
    """What two titles share when readers cannot tell them apart (diacritics, spelling and spacing aside), hashed."""
    return digest(as_read(title).encode("utf-8", "surrogatepass"))


# A summary or a text this long is an editor's own words, not a placeholder: a story that shares one with another was
# made by copying that story's file (or the editing page's "duplicate"), and kept its words by mistake.
COPIED_SUMMARY_FROM = 40
COPIED_TEXT_FROM = 200


def copies(documents: list[Document]) -> list[Diagnostic]:
    """Two stories of one language with the same title (diacritics and spacing aside): readers cannot tell them apart;
    or with the same summary, or text: the later one is a copy of the earlier's file whose words were never changed."""
    first: dict[tuple[str, str, str], Document] = {}
    warnings = []
    for doc in sorted(stories(documents), key=lambda d: (d.date, d.path)):
        for what, key, line, hint in (
                ("title", doc.title_key, doc.title_line,
                 "readers cannot tell them apart in lists: make one title more specific"),
                ("summary", doc.summary_key, doc.summary_line,
                 "lists and link previews would show the other story's words: write this story's own summary"),
                ("text", doc.text_key, doc.body_line,
                 "a copy of that story's file, its text never replaced: write or paste this story's own")):
            if not key:
                continue
            earlier = first.setdefault((what, doc.lang, key), doc)
            if earlier is not doc:
                warnings.append(Diagnostic(doc.path, f"has the same {what} as {earlier.path}", line, hint, "warning"))
    return warnings


# How alike two names of sections or tags must be (difflib's ratio) for one to be taken for a typo of the other:
# Poltics and Politics are 0.93, Sport and Sports 0.91, منوغات and منوعات (one letter of six) 0.83; Iran and Iraq 0.75.
NAME_TYPO_LIKENESS = 0.8


def names_mistyped(documents: list[Document]) -> list[Diagnostic]:
    """A section or a tag only one story of its language has, named almost as one that others have: a typo makes a
    page of its own, and the story is missing from the one its editor meant."""
    from difflib import SequenceMatcher  # here: only for the few names one letter apart

    warnings = []
    for key, what, names_of, fix in (("category", "section", lambda d: (d.category,) if d.category else (),
                                      "write category: {}"),
                                     ("tags", "tag", lambda d: d.tags, "write {} in its place")):
        # By language and spelling first: a site has hundreds of names, and tens of thousands of stories.
        by_spelling: dict[tuple[str, str], list[Document]] = {}
        for doc in documents:
            for name in names_of(doc):
                by_spelling.setdefault((doc.lang, name), []).append(doc)
        stories: dict[tuple[str, str], list[Document]] = {}
        spellings: dict[tuple[str, str], Counter[str]] = {}
        for (lang, name), docs in by_spelling.items():
            folded = (lang, fold_label(name))
            stories.setdefault(folded, []).extend(docs)
            spellings.setdefault(folded, Counter())[name] += len(docs)
        # Names a letter apart (one left out, added or changed) share a form with one letter left out: the shared
        # names are found by those forms, not by comparing every name used once with every name used more.
        near: dict[tuple[str, str], list[str]] = {}
        for (lang, folded), docs in sorted(stories.items()):
            if len(docs) > 1:
                for form in _one_letter_out(folded):
                    near.setdefault((lang, form), []).append(folded)
        for (lang, folded), [doc] in ((name, docs) for name, docs in sorted(stories.items()) if len(docs) == 1):
            meant = sorted({other for form in _one_letter_out(folded) for other in near.get((lang, form), ())
                            if SequenceMatcher(None, folded, other).ratio() >= NAME_TYPO_LIKENESS},
                           key=lambda other: -len(stories[lang, other]))
            if meant:
                used = stories[lang, meant[0]]
                written = next(name for name in names_of(doc) if fold_label(name) == folded)
                spelled = spellings[lang, meant[0]].most_common(1)[0][0]
                line = doc.category_line if key == "category" else doc.tags_line
                warnings.append(Diagnostic(doc.path, f"{key}: {shown(written)} is this story's alone, and "
                                           f"{shown(spelled)} has {len(used)} stories: a typo makes a {what} of its own",
                                           line, f"{fix.format(spelled)}, if that is the {what} meant", "warning"))
    return sorted(warnings, key=lambda d: (d.path, d.line))


# Where one byline may join the names of two writers: a comma, "&", "and", or و (written joined to the name after it).
_JOINED_NAMES = re.compile(r"\s*[،,&]\s*|\s+(?:and\s+|و\s*)", re.IGNORECASE)
MOST_JOINS = 6  # a byline with more places to part is not tried: the ways to part it double with each


def writers_joined(documents: list[Document]) -> list[Diagnostic]:
    """A byline written as one name that is two writers or more, each of whom has stories of their own: "سارة
    الأحمد وخالد يوسف" is a page of its own, and the story is missing from both writers' pages. Only names
    known from other bylines are parted: و begins names too (وليد), and a byline goes on with a place."""
    written = {(doc.lang, name) for doc in documents for name in doc.authors}  # a few hundred names, many stories
    known = {(lang, fold_label(name)) for lang, name in written}
    parted = {(lang, name): _known_writers(name, lang, known) for lang, name in written}
    warnings = []
    for doc in documents:
        if len(doc.authors) == 1 and not doc.page:
            parts = parted[doc.lang, doc.authors[0]]
            if parts:
                warnings.append(Diagnostic(doc.path, f"author: {shown(doc.authors[0])} is {len(parts)} writers written "
                                           "as one name: it makes a page of its own, and the story is on none of "
                                           "theirs", doc.author_line, f"write author: [{', '.join(parts)}]", "warning"))
    return warnings


def _known_writers(written: str, lang: str, known: set[tuple[str, str]]) -> list[str] | None:
    """`written` parted at its joins into names all of which are `known`; None if it cannot be."""
    joins = list(_JOINED_NAMES.finditer(written))
    if not joins or len(joins) > MOST_JOINS:
        return None

    def part(start: int, first: int) -> list[str] | None:  # written[start:], parted at joins[first:]
        rest = written[start:].strip()
        if start > 0 and (lang, fold_label(rest)) in known:
            return [rest]
        for i in range(first, len(joins)):
            head = written[start:joins[i].start()].strip()
            if head and (lang, fold_label(head)) in known and (tail := part(joins[i].end(), i + 1)):
                return [head, *tail]
        return None
    return part(0, 0)


def _one_letter_out(name: str) -> set[str]:
    """`name`, and `name` with each of its letters left out in turn."""
    return {name, *(name[:i] + name[i + 1:] for i in range(len(name)))}


def _shared_folder(folder: str, lang: str) -> str:
    """The folder translations share: `folder` without a folder named for the file's language, so that
    content/ar/2023/x.ar.md and content/en/2023/x.en.md are one story, as in Hugo's layout of a folder per language."""
    return "/".join(part for part in folder.split("/") if part != lang)


def _stem(name: str, config: SiteConfig) -> str:
    stem = name[: -len(".md")]
    base, _, suffix = stem.rpartition(".")
    return base if base and suffix in config.language_codes else stem


def _language_and_slug(name: str, config: SiteConfig, fail) -> tuple[str | None, str]:
    stem = name[: -len(".md")]
    base, dot, suffix = stem.rpartition(".")
    if dot and suffix in config.language_codes:
        lang, slug = suffix, base
    elif dot and LANGUAGE_LIKE.match(suffix):
        fail(f"unknown language {shown(suffix)} in the file name", 1,
             f"use one of {', '.join(config.language_codes)} (e.g. story.{config.language_codes[-1]}.md), or add it to languages in config.yaml")
        return None, stem
    else:
        lang, slug = None, stem
    if not SLUG.match(slug):
        fail(f"file name {shown(slug)} is not a usable slug", 1, "use letters, digits and - only, e.g. kim-putin-summit.ar.md")
    return lang, slug
