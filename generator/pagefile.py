"""What `import` is given: pasted text as editors' tools save it, a Word document, a saved web page, or an address.

Correspondents send stories as Word documents, often with a photo in them; editors save pages from the
browser (.html), or give a story's address; Notepad on an Arabic Windows saves text in Windows-1256 or
UTF-16. Each is read as the text it holds, so the editor need not convert it: a document's first photo
comes with its text, and a web page's text is what a reader would copy of it (savedpage.py). A PDF, an
old .doc or an RTF file is named, with how to get its text. A document or a page is someone else's: it
is read within bounds (its size, its text's and its photo's, the time its server takes), and its XML may
declare nothing (no DOCTYPE), so it can neither expand nor reach outside itself.
"""

from __future__ import annotations

import io
import posixpath
import re
import sys
import time
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import unquote, urlsplit
from xml.etree.ElementTree import Element, ParseError, iterparse

from .errors import MujazError
from .credits import caption_and_credit
from .formatted import Run, is_plain, markdown, web_address
from .fetch import Network, Unfetched, download, download_document
from .savedpage import Saved, is_html, page_lines
from .config import SiteConfig
from .scaffold import Draft, Picture, in_text, static_path, with_picture
from .text import saved_as
from .writer import read_plain

MAX_PAGE_BYTES = 5 * 1024 * 1024  # a pasted page is a few KB; more is the wrong file
MAX_DOCUMENT_BYTES = 50 * 1024 * 1024  # a Word document may hold its photos
MAX_DOCUMENT_XML = 20 * 1024 * 1024  # its text and formatting, unpacked: a long report is a few MB
MAX_PICTURE_BYTES = 20 * 1024 * 1024  # a photo as a camera takes it; the build makes the copies readers load
# A document shared from Google Docs: its link, and the address Google exports it from as a Word document.
_GOOGLE_DOC = re.compile(r"https://docs\.google\.com/document/(?:u/\d+/)?d/([A-Za-z0-9_-]{20,100})(?:[/?#]|$)")
GOOGLE_DOCS_EXPORT = "https://docs.google.com/document/d/{}/export?format=docx"
MAX_PHOTOS = 30  # a correspondent's photos: a gallery of them is more than a story
MAX_LISTED = 10_000  # styles, lists or links a document keeps: a long report has a few hundred
FETCH_SECONDS = 60.0  # a page given by its address: the most a server may take, however it sends
PICTURES_SECONDS = 180.0  # all the pictures of one import: a feed's dozens, each from a server of its own
PICTURES_BYTES = 100 * 1024 * 1024  # and what they may hold together, in memory until the drafts are written
_WORD = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_DRAWING = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
_BLIP = "{http://schemas.openxmlformats.org/drawingml/2006/main}blip"
_EMBED = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}embed"
_RELATIONSHIP = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_RELATIONSHIP_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")  # Word's complex script here
# What would end a line inside a run's text, where Word ends one only with <w:br/>.
_BREAKS = re.compile("[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_STYLE_KINDS = ("quote", "intense quote", "strong", "emphasis", "title", "subtitle", "caption")
_HEADING = re.compile(r"heading [1-9]")
# The photo formats a page shows, by their first bytes (Word also holds drawings in EMF and WMF, which none shows).
_PICTURES = {b"\xff\xd8\xff": ".jpg", b"\x89PNG\r\n\x1a\n": ".png", b"GIF8": ".gif"}
# What Word adds to a description it wrote itself, for a picture no one described (Office's automatic Alt Text).
_MACHINE_WRITTEN = re.compile(r"\s*(?:description automatically generated(?: with (?:low|medium|high) confidence)?"
                              r"|تم إنشاء الوصف تلقائي[اًا]*(?: بثقة (?:منخفضة|متوسطة|عالية))?)\s*\.?\s*$",
                              re.IGNORECASE)
# Files that are no text, by their first bytes, and how to get the text out of each.
_NOT_TEXT = {b"%PDF": "a PDF", b"\xd0\xcf\x11\xe0": "a Word 97-2003 document (.doc)", b"{\\rtf": "an RTF document"}
_GET_TEXT = "open it, select the story's text, copy it, and paste it into a text file (or import - and paste it)"


@dataclass(frozen=True)
class PageFile:
    name: str  # for messages
    text: str
    picture: Picture | None = None  # a Word document's first photo, the draft's image
    note: str = ""  # what the editor should know of it (a picture left out, a description Word wrote)
    marked: Mapping[int, tuple[str, str]] = field(default_factory=dict)  # line → (its text, as Markdown), formatted
    image: str = ""  # a web page's picture for sharing, by its address
    image_alt: str = ""
    in_text: tuple[InText, ...] = ()  # a Word document's further photos, a web page's pictures in its story
    network: Network = Network.INTERNET  # of the server that gave it; a file is someone else's page, as if online


@dataclass(frozen=True)
class InText:
    """A picture in a page's text: its bytes (a Word document's photo, a saved page's in the folder the browser
    saved it with), or its web address, fetched with the drafts (`pictures_brought`)."""

    line: int  # it stands before the first paragraph below this line
    alt: str
    picture: Picture | None = None
    address: str = ""
    caption: str = ""  # its figure's, without the credit
    credit: str = ""


def read_page(source: str) -> PageFile:
    """A page to import: a file, a web address, or standard input for `-`."""
    name = "stdin" if source == "-" else source
    if source.startswith(("http://", "https://")):
        return _web_page(source)
    try:
        if source == "-":
            data = sys.stdin.buffer.read(MAX_DOCUMENT_BYTES + 1)
        else:
            with open(source, "rb") as handle:
                data = handle.read(MAX_DOCUMENT_BYTES + 1)
    except FileNotFoundError:
        raise MujazError(f"{source}: no such file") from None
    except IsADirectoryError:
        raise MujazError(f"{source}: is a folder — give the file that holds the pasted page") from None
    except OSError as exc:
        raise MujazError(f"{source}: cannot be read ({exc.strerror})") from None
    # Save Page As (complete) writes the page's pictures into a folder beside it, named after it.
    return _page(name, data, files=None if source == "-" else Path(source).with_name(Path(source).stem + "_files"))


def _page(name: str, data: bytes, address: str = "", files: Path | None = None) -> PageFile:
    """What a file or the answer at a web `address` holds: a Word document, a page saved from the browser (its
    pictures read from the folder of its `files`), or text; a PDF, an old .doc or an RTF file named."""
    if data.startswith(b"PK\x03\x04"):
        return _word_document(name, data)
    kind = next((kind for magic, kind in _NOT_TEXT.items() if data.startswith(magic)), None)
    if kind:
        raise MujazError(f"{name}: is {kind}, not text — {_GET_TEXT}")
    if len(data) > MAX_PAGE_BYTES:
        raise MujazError(f"{name}: more than {MAX_PAGE_BYTES // 2**20} MB — " + (
            "save the page's text and import that" if address else "a pasted page is a few KB; is it the right file?"))
    text = _text(name, data)
    return _saved(name, page_lines(text, address), files) if is_html(text) else PageFile(name, text)


def _web_page(address: str) -> PageFile:
    """The story at a web address, read as a saved page is (`savedpage.page_lines`), or a Word document there,
    within FETCH_SECONDS and the bounds of a page and a document whatever the server does; a Google Docs
    document's link, as the Word document Google makes of it."""
    shared = _GOOGLE_DOC.match(address)
    if shared:
        return _shared_document(address, GOOGLE_DOCS_EXPORT.format(shared[1]))
    try:
        data, network = download_document(address, MAX_DOCUMENT_BYTES, FETCH_SECONDS, "import")
    except Unfetched as exc:
        raise MujazError(f"{address}: {_unfetched(exc)}, or save the page and import the file") from None
    return replace(_page(address, data, address), network=network)


def _saved(name: str, page: Saved, files: Path | None = None) -> PageFile:
    """A saved page's text, and its story's pictures: each from the folder the browser saved the page's `files`
    in (at most MAX_PICTURE_BYTES each and MAX_DOCUMENT_BYTES together), or by its web address."""
    shown, held, notes = [], 0, []
    for found in page.pictures:
        own = _own_file(files, found.written) if files else None
        if own is None and found.address.startswith(("https://", "http://")):
            shown.append(InText(found.line, found.alt, address=found.address, caption=found.caption,
                                credit=found.credit))
        elif own is not None:
            picture = _read_picture(files, own)
            if picture is None or held + len(picture.data) > MAX_DOCUMENT_BYTES:
                notes.append(f"{found.written}: cannot be read from the page's folder (missing, a link out of it, or "
                             f"not a JPEG, PNG, GIF, WebP or AVIF picture under {MAX_PICTURE_BYTES // 2**20} MB), or "
                             f"the page's pictures pass {MAX_DOCUMENT_BYTES // 2**20} MB; the draft leaves it out")
                continue
            held += len(picture.data)
            shown.append(InText(found.line, found.alt, picture, caption=found.caption, credit=found.credit))
    if page.pictures_left:
        notes.append(f"shows {page.pictures_left} more pictures than a story does; the draft has the first "
                     f"{len(page.pictures)}")
    return PageFile(name, page.text, note=f"{name}: " + "; ".join(notes) if notes else "", marked=page.marked,
                    image=page.image, image_alt=page.image_alt, in_text=tuple(shown))


def _own_file(files: Path, written: str) -> Path | None:
    """The file a saved page shows from the folder the browser saved its files in (`story_files/a.jpg`), or None for
    an address elsewhere."""
    try:
        parts = urlsplit(written)
    except ValueError:
        return None
    path = [part for part in unquote(parts.path).split("/") if part not in ("", ".")]
    if parts.scheme or parts.netloc or written.startswith("/") or not path or path[0] != files.name:
        return None
    return files.parent.joinpath(*path)


def _read_picture(folder: Path, file: Path) -> Picture | None:
    """A picture in a saved page's folder, or None for one that is not there, not a picture, or not in the folder:
    the page is someone else's, and its addresses may not reach past it (`..`, a link to a file elsewhere)."""
    try:
        inside = file.resolve(strict=True).is_relative_to(folder.resolve(strict=True))
    except (OSError, RuntimeError, ValueError):  # missing, a loop of links, a name the system refuses
        return None
    data = read_plain(file, MAX_PICTURE_BYTES) if inside else None  # never through a link, nor a pipe, nor past 20 MB
    suffix = picture_suffix(data) if data else None
    return Picture(suffix, data, "") if suffix else None


def _shared_document(address: str, export: str) -> PageFile:
    """A document a correspondent shares from Google Docs by its link: Google gives it as a Word document to anyone
    the link is shared with, and a sign-in page to anyone else."""
    try:
        data = download(export, MAX_DOCUMENT_BYTES, FETCH_SECONDS, "import")
    except Unfetched as exc:
        raise MujazError(f"{address}: {_unfetched(exc)}, or download it as a Word document and import that") from None
    if not data.startswith(b"PK\x03\x04"):
        raise MujazError(f"{address}: Google Docs gives it to its readers only — in the document, Share › General "
                         "access › Anyone with the link, then import it again; or File › Download › Microsoft Word "
                         "(.docx), and import that")
    return _word_document(address, data)


def _unfetched(exc: Unfetched) -> str:
    return f"{exc.reason} — try again later" if exc.timed_out else f"cannot be fetched ({exc.reason}) — check the address"


def _text(name: str, data: bytes) -> str:
    """The text of a page saved as UTF-8, or in the encodings Notepad saves in (`text.saved_as`)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        encoding = saved_as(data)
        if encoding.startswith("UTF-16"):
            try:
                return data.decode("utf-16")
            except UnicodeDecodeError:
                pass
        elif encoding:
            return data.decode("cp1256")
        raise MujazError(f"{name}: not valid UTF-8 (byte {exc.start}) — save the text as UTF-8") from None


def _word_document(name: str, data: bytes) -> PageFile:
    """A Word document's text, a line per paragraph with its formatting as Markdown (`_Paragraphs`), and its
    first photo."""
    if len(data) > MAX_DOCUMENT_BYTES:
        raise MujazError(f"{name}: more than {MAX_DOCUMENT_BYTES // 2**20} MB — is it the right file?")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as document:
            if "word/document.xml" not in document.namelist():
                raise MujazError(f"{name}: is a zip file, not a Word document (.docx) — {_GET_TEXT}")
            xml = _part(document, "word/document.xml", MAX_DOCUMENT_XML)
            if xml is None:
                raise MujazError(f"{name}: its text unpacks to more than {MAX_DOCUMENT_XML // 2**20} MB — a story is "
                                 f"a few KB; {_GET_TEXT}")
            targets = _targets(name, document)
            paragraphs = _Paragraphs(name, xml, targets or {}, _styles(name, document), _numbering(name, document))
            if targets is None and paragraphs.photos:
                photos, note = [], f"{name}: its pictures' list is damaged; the draft has no picture"
            else:
                photos, note = _photos(name, document, paragraphs.photos, targets or {})
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, ValueError, OSError):
        raise MujazError(f"{name}: is a damaged Word document — open it in Word, save it again, and import that") from None
    # A photo's line: that of the paragraph it is in (one outside any paragraph, which Word never writes, at the end).
    placed = [(picture, paragraphs.first_lines[at] if at < len(paragraphs.first_lines) else len(paragraphs.lines))
              for picture, at in photos]
    return PageFile(name, "\n".join(paragraphs.lines), placed[0][0] if placed else None, note, paragraphs.marked,
                    in_text=tuple(InText(line, picture.alt, picture, caption=picture.caption, credit=picture.credit)
                                  for picture, line in placed[1:]))


def _part(document: zipfile.ZipFile, part: str, most: int) -> bytes | None:
    """A part of the document, or None past `most` bytes: what it unpacks to, not what its header says."""
    with document.open(part) as opened:
        data = opened.read(most + 1)
    return data if len(data) <= most else None


def _safe_xml(name: str, xml: bytes) -> bytes:
    if b"<!DOCTYPE" in xml or b"<!ENTITY" in xml:  # Word writes neither: a made-up file's expansion or reach
        raise MujazError(f"{name}: is not a document Word wrote (it declares entities) — {_GET_TEXT}")
    return xml


def _events(name: str, xml: bytes) -> Iterator[tuple[str, Element]]:
    """The start and the end of each element of a part of the document, each let go of once ended: what a walk
    holds grows with the document's nesting, not with its length."""
    open_elements: list[Element] = []
    for event, element in iterparse(io.BytesIO(_safe_xml(name, xml)), events=("start", "end")):
        if event == "start":
            open_elements.append(element)
        yield event, element
        if event == "end":
            open_elements.pop()
            if open_elements:
                del open_elements[-1][:]  # its earlier siblings went before it: this is the one child left


def _listed(name: str, document: zipfile.ZipFile, part: str) -> Iterator[tuple[str, Element]] | None:
    """The events of a part that lists things (the links and pictures, the styles, the lists' numbering); none when
    the document has no such part, None when it is too large."""
    if part not in document.namelist():
        return iter(())
    xml = _part(document, part, MAX_DOCUMENT_XML)
    return None if xml is None else _events(name, xml)


def _targets(name: str, document: zipfile.ZipFile) -> dict[str, tuple[str, bool]] | None:
    """What each relationship of the text leads to (a picture's part, a link's address), and whether it is outside
    the document; None when the list is damaged."""
    events = _listed(name, document, "word/_rels/document.xml.rels")
    targets: dict[str, tuple[str, bool]] = {}
    try:
        for event, element in events or ():
            if event == "end" and element.tag == _RELATIONSHIP and len(targets) < MAX_LISTED:
                targets[element.get("Id") or ""] = (element.get("Target") or "", element.get("TargetMode") == "External")
    except ParseError:
        return None
    return None if events is None else targets


def _styles(name: str, document: zipfile.ZipFile) -> dict[str, str]:
    """What each paragraph and character style of the document is to a reader, by its id: `heading N`, `quote`,
    `strong`, `emphasis`, `title`, `subtitle`, or "". Word names its built-in styles in English in every language;
    a style based on one (or given an outline level) is what that one is."""
    read: dict[str, tuple[str, str]] = {}  # id → (what its name or outline level says, the style it is based on)
    style_id, said, based = "", "", ""
    try:
        for event, element in _listed(name, document, "word/styles.xml") or ():
            tag = element.tag
            if event == "start" and tag == _WORD + "style":
                style_id, said, based = element.get(_WORD + "styleId") or "", "", ""
            elif event == "start":
                continue
            elif tag == _WORD + "name":
                words = " ".join((element.get(_WORD + "val") or "").lower().split())
                said = said or (words.replace("intense ", "") if words in _STYLE_KINDS or _HEADING.fullmatch(words)
                                else "")
            elif tag == _WORD + "outlineLvl" and re.fullmatch("[0-8]", element.get(_WORD + "val") or ""):
                said = said or f"heading {int(element.get(_WORD + 'val') or 0) + 1}"
            elif tag == _WORD + "basedOn":
                based = element.get(_WORD + "val") or ""
            elif tag == _WORD + "style" and len(read) < MAX_LISTED:
                read[style_id] = (said, based)
    except ParseError:
        pass  # the formatting of a damaged list of styles is left out; the text is all there

    def kind(style_id: str) -> str:
        for _ in range(10):  # a chain of styles based on each other, perhaps in a circle
            said, based = read.get(style_id, ("", ""))
            if said or not based:
                return said
            style_id = based
        return ""

    return {style_id: kind(style_id) for style_id in read}


def _numbering(name: str, document: zipfile.ZipFile) -> dict[tuple[str, str], str]:
    """How each list of the document numbers each level: (list, level) → Word's number format ("bullet",
    "decimal", "arabicAbjad"…)."""
    formats: dict[tuple[str, str], str] = {}  # (abstract list, level) → format
    lists: dict[str, str] = {}  # list → its abstract list
    abstract = level = number = ""
    try:
        for event, element in _listed(name, document, "word/numbering.xml") or ():
            tag, value = element.tag, element.get(_WORD + "val") or ""
            if event == "start" and tag == _WORD + "abstractNum":
                abstract, number = element.get(_WORD + "abstractNumId") or "", ""
            elif event == "start" and tag == _WORD + "num":
                number, abstract = element.get(_WORD + "numId") or "", ""
            elif event == "start" and tag == _WORD + "lvl":
                level = element.get(_WORD + "ilvl") or "0"
            elif event == "end" and tag == _WORD + "numFmt" and abstract and len(formats) < MAX_LISTED:
                formats[(abstract, level)] = value
            elif event == "end" and tag == _WORD + "abstractNumId" and number and len(lists) < MAX_LISTED:
                lists[number] = value
    except ParseError:
        pass  # as for the styles
    return {(number, level): shown for number, abstract in lists.items()
            for level in "012345678" if (shown := formats.get((abstract, level)))}


class _Paragraphs:
    """A line per paragraph, as Word shows it: deleted tracked changes and field codes left out, a text box's
    paragraphs as lines of their own; each line Word formats (bold or italic words, a link, a heading, a list's
    item, a quotation) also as Markdown; and the photos in the order they come, as (relationship, Alt Text, the
    paragraph they are in, its caption): the paragraph in Word's Caption style just under or above it, which then
    leaves the text, and describes a photo Word gives no Alt Text (`_photos`)."""

    def __init__(self, name: str, xml: bytes, targets: dict[str, tuple[str, bool]], styles: dict[str, str],
                 numbering: dict[tuple[str, str], str]):
        self.lines: list[str] = []
        self.marked: dict[int, tuple[str, str]] = {}
        self.photos: list[tuple[str, str, int, str]] = []  # (relationship, description, paragraph, caption)
        self.first_lines: list[int] = []  # each paragraph's first line
        self.targets, self.styles, self.numbering = targets, styles, numbering
        self._read: list[tuple[list[Run], str, int]] = []  # each paragraph's runs, its kind, its list level (-1: none)
        try:
            self._walk(_events(name, xml))
        except ParseError:
            raise MujazError(f"{name}: is a damaged Word document — open it in Word, save it again, and import "
                             "that") from None
        self._write()

    def _walk(self, events: Iterator[tuple[str, Element]]) -> None:
        described = ""  # the Alt Text of the drawing being read: its description comes before its picture
        open_paragraphs: list[dict] = []  # a text box's paragraphs sit inside a paragraph: each has its own line
        links: list[str] = []  # the hyperlinks the text is in
        fields: list[str] = []  # the fields the text is in, each with the address of a HYPERLINK field
        run: dict = {}  # the formatting of the run being read
        within, properties = "", None  # "pPr" or "rPr" while a paragraph's or a run's properties are read
        changes = 0  # inside a tracked change of formatting: what it was before, which Word no longer shows
        for event, element in events:
            tag = element.tag[len(_WORD):] if element.tag.startswith(_WORD) else ""
            if tag.endswith("Change"):
                changes += 1 if event == "start" else -1
            if event == "start":
                if tag == "p":
                    open_paragraphs.append({"runs": [], "style": "", "list": "", "level": "0"})
                elif tag == "r":
                    run = {}
                elif tag in ("pPr", "rPr") and properties is None:
                    within, properties = tag, element
                elif tag == "hyperlink":
                    target, external = self.targets.get(element.get(_RELATIONSHIP_ID) or "", ("", False))
                    links.append(web_address(target) if external else "")
                elif tag == "fldSimple":
                    fields.append(_field_address(element.get(_WORD + "instr") or ""))
                continue
            if tag == "p":
                paragraph = open_paragraphs.pop()
                kind = self.styles.get(paragraph["style"], "")
                level = -1
                if paragraph["list"] not in ("", "0"):
                    kind = self.numbering.get((paragraph["list"], paragraph["level"]), "bullet")
                    level = int(paragraph["level"]) if paragraph["level"].isdigit() else 0
                self._read.append((paragraph["runs"], kind, level) if paragraph["runs"] else _EMPTY)
            elif element is properties:
                within, properties = "", None
            elif tag == "hyperlink" and links:
                links.pop()
            elif tag == "fldSimple" and fields:
                fields.pop()
            elif tag == "fldChar":
                kind = element.get(_WORD + "fldCharType")
                if kind == "begin":
                    fields.append("")
                elif kind == "end" and fields:
                    fields.pop()
            elif tag == "instrText" and fields and not fields[-1]:
                fields[-1] = _field_address(element.text or "")
            elif within and changes:
                pass
            elif within == "pPr" and open_paragraphs:
                paragraph = open_paragraphs[-1]
                value = element.get(_WORD + "val") or ""
                if tag == "pStyle":
                    paragraph["style"] = value
                elif tag == "numId":
                    paragraph["list"] = value
                elif tag == "ilvl":
                    paragraph["level"] = value
            elif within == "rPr":
                if tag == "rStyle":
                    run["style"] = self.styles.get(element.get(_WORD + "val") or "", "")
                elif tag in ("b", "bCs", "i", "iCs", "rtl", "cs"):
                    run[tag] = (element.get(_WORD + "val") or "true").lower() not in ("0", "false", "off")
            elif element.tag == _DRAWING + "docPr":
                described = " ".join((element.get("descr") or "").split())
            elif element.tag == _BLIP and element.get(_EMBED):
                self.photos.append((element.get(_EMBED), described, len(self._read), ""))
            elif open_paragraphs and tag in ("t", "tab", "br", "cr"):
                text = _BREAKS.sub(" ", element.text or "") if tag == "t" else " " if tag == "tab" else "\n"
                link = links[-1] if links else next((address for address in reversed(fields) if address), "")
                open_paragraphs[-1]["runs"].append(Run(text, *_emphasis(run, text), link))

    def _write(self) -> None:
        """The lines, and the Markdown of those formatted: a heading's level counted from the document's highest
        (below its first line, which is the headline)."""
        texts = [i for i, (runs, _, _) in enumerate(self._read) if "".join(run.text for run in runs).strip()]
        levels = [int(kind[-1]) for i, (_, kind, _) in enumerate(self._read)
                  if kind.startswith("heading") and (not texts or i != texts[0])]
        captions = {i: " ".join("".join(run.text for run in runs).split())
                    for i, (runs, kind, _) in enumerate(self._read) if kind == "caption"}
        for n, (relationship, alt, at, _) in enumerate(self.photos):
            below = next((i for i in (at + 1, at - 1) if captions.get(i)), None)
            if below is not None:
                self.photos[n] = (relationship, alt, at, captions.pop(below))
                self._read[below] = _EMPTY
        for runs, kind, level in self._read:
            self.first_lines.append(len(self.lines) + 1)
            opening = ""
            if level >= 0:
                opening = "    " * level + ("- " if kind in ("bullet", "none", "") else "1. ")
            elif kind.startswith("heading") and levels:
                opening = "#" * min(6, int(kind[-1]) - min(levels) + 2) + " "
            elif kind == "quote":
                opening = "> "
            line: list[Run] = []
            for piece in runs + [Run("\n")]:  # a line break inside the paragraph ends a line
                if piece.text != "\n":
                    line.append(piece)
                    continue
                text = "".join(run.text for run in line)
                self.lines.append(text)
                if text.strip() and (opening or not is_plain(line)):
                    self.marked[len(self.lines)] = (text, markdown(line, opening))
                    opening = "> " if opening == "> " else ""
                line = []


_EMPTY: tuple[list[Run], str, int] = ([], "", -1)  # a paragraph with no text, of which a document may hold millions


def _emphasis(run: dict, text: str) -> tuple[bool, bool]:
    """Whether Word shows the run's text bold and italic: a script written right to left (Arabic) takes its
    complex-script settings, where the document gives them."""
    style = run.get("style", "")
    complex_script = run.get("rtl") or run.get("cs") or _ARABIC.search(text)
    bold = run.get("bCs", run.get("b")) if complex_script else run.get("b")
    italic = run.get("iCs", run.get("i")) if complex_script else run.get("i")
    return bool(bold if bold is not None else style == "strong"), bool(italic if italic is not None else style == "emphasis")


def _field_address(instruction: str) -> str:
    """The address of a HYPERLINK field (`HYPERLINK "https://…"`), or "" for any other field."""
    found = re.match(r'\s*HYPERLINK\s+"([^"]+)"', instruction)
    return web_address(found[1]) if found else ""


def _photos(name: str, document: zipfile.ZipFile, photos: list[tuple[str, str, int, str]],
            targets: dict[str, tuple[str, bool]]) -> tuple[list[tuple[Picture, int]], str]:
    """The document's photos in formats pages show, each with the paragraph it is in (at most MAX_PHOTOS of them,
    MAX_PICTURE_BYTES unpacked each and MAX_DOCUMENT_BYTES together), and what the editor should know of them."""
    found: list[tuple[Picture, int]] = []
    notes, held = [], 0
    for relationship, alt, at, written_caption in photos:
        target, external = targets.get(relationship, ("", True))
        part = posixpath.normpath(posixpath.join("word", target))
        if external or part not in document.namelist():  # a picture linked, not in the document
            continue
        data = _part(document, part, MAX_PICTURE_BYTES)
        suffix = picture_suffix(data) if data is not None else None
        if suffix and (len(found) == MAX_PHOTOS or held + len(data) > MAX_DOCUMENT_BYTES):
            notes.append(f"holds more photos than a story shows; the draft has the first {len(found)}")
            break
        if suffix:
            held += len(data)
            caption, credit = caption_and_credit(written_caption)
            alt = alt or caption
            written = _MACHINE_WRITTEN.sub("", alt).strip()
            if written != alt:
                notes.append(f"its photo's description was written by Word itself ({written[:60]!r}); the draft keeps "
                             "it as the image's alt text — check that it says what a reader should know of the picture")
            found.append((Picture(suffix, data, written, caption, credit), at))
    if photos and not found:
        notes.append(f"holds no photo in a format pages show (JPEG, PNG, GIF or WebP, each under "
                     f"{MAX_PICTURE_BYTES // 2**20} MB); the draft has no picture — add one in the draft")
    return found, f"{name}: " + "; ".join(notes) if notes else ""


def pictures_brought(config: SiteConfig, drafts: list[Draft]) -> tuple[list[Draft], list[str]]:
    """The drafts, each picture at a web address (a page's picture for sharing, a feed item's, one in a feed
    item's text) fetched and placed in static/images/ as a Word document's photo is: the build then makes the
    copies phones load, and the story does not hang on another site keeping it. A picture that cannot be had
    within its bounds stays at its address, said; so do those left when PICTURES_SECONDS are spent, or once the
    pictures fetched hold PICTURES_BYTES."""
    fetch = _Pictures(config, {static_path(config, address) for draft in drafts for address, _ in draft.pictures})
    brought = []
    for draft in drafts:
        if draft.image_src.startswith(("http://", "https://")):
            draft = fetch.lead(draft)
        if "](http" in draft.body:
            fetch.current = draft
            body = _IN_TEXT.sub(fetch.for_text, draft.body)
            draft = replace(fetch.current, body=body)
        brought.append(draft)
    if fetch.late:
        fetch.notes.append(f"{fetch.late} more pictures were not brought: the {PICTURES_SECONDS:.0f} s for an import's "
                           "pictures were spent; the drafts show them from their addresses — import fewer items at "
                           "a time, or save those pictures in static/images/")
    if fetch.full:
        fetch.notes.append(f"{fetch.full} more pictures were not brought: an import's pictures may hold "
                           f"{PICTURES_BYTES // 2**20} MB; the drafts show them from their addresses — import fewer "
                           "items at a time, or save those pictures in static/images/")
    return brought, fetch.notes


# A picture in Markdown text at a web address, as import-feed writes one: ![alt](https://…) or with a title after it.
_IN_TEXT = re.compile(r'(!\[[^\]\n]*\]\()(https?://[^\s)]+)((?:\s+"[^"\n]*")?\))')


class _Pictures:
    """Pictures fetched for one import: each address once, all within PICTURES_SECONDS."""

    def __init__(self, config: SiteConfig, taken: set):
        self.config, self.taken = config, taken
        self.deadline = time.monotonic() + PICTURES_SECONDS
        self.placed: dict[str, str] = {}  # address → where it is in static/
        self.current: Draft | None = None  # the draft whose text is read, with the pictures placed for it so far
        self.notes: list[str] = []
        self.late = 0  # pictures not fetched: the time for all of them was spent
        self.held = 0  # bytes of the pictures fetched
        self.full = 0  # pictures not fetched: PICTURES_BYTES were held

    def lead(self, draft: Draft) -> Draft:
        address = draft.image_src
        if address in self.placed:
            return replace(draft, image_src=self.placed[address])
        picture = self._fetched(address, draft.image_alt, draft)
        if picture is None:
            return draft
        draft = with_picture(self.config, draft, picture, self.taken)
        self.placed[address] = draft.image_src
        return draft

    def for_text(self, found: re.Match) -> str:
        """A picture of the current draft's text, at the address it is placed at."""
        address = found[2]
        if address not in self.placed:
            picture = self._fetched(address, "", self.current)
            if picture is None:
                return found[0]
            self.current, self.placed[address] = in_text(self.config, self.current, picture, self.taken)
        return found[1] + self.placed[address] + found[3]

    def _fetched(self, address: str, alt: str, draft: Draft) -> Picture | None:
        """The picture at `address`, from the network of the page or feed `draft` came from or a farther one."""
        left = self.deadline - time.monotonic()
        if left <= 0 or self.held >= PICTURES_BYTES:  # said once, at the end: a feed may hold thousands
            self.late += left <= 0
            self.full += left > 0
            return None
        reason, data = "", b""
        try:
            data = download(address, MAX_PICTURE_BYTES, min(FETCH_SECONDS, left), "import", draft.fetched_from)
        except Unfetched as exc:
            reason = exc.reason
        suffix = picture_suffix(data) if data and len(data) <= MAX_PICTURE_BYTES else None
        if suffix:
            self.held += len(data)
            return Picture(suffix, data, alt)
        if not reason:
            reason = ("nothing came" if not data else f"more than {MAX_PICTURE_BYTES // 2**20} MB"
                      if len(data) > MAX_PICTURE_BYTES else "not a JPEG, PNG, GIF, WebP or AVIF picture")
        self.notes.append(f"{address}: a picture of {draft.title[:60]!r} could not be brought ({reason}); the draft "
                          "shows it from that address — save it in static/images/ and write that name in its place")
        return None


def picture_suffix(data: bytes) -> str | None:
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return ".webp"
    if data[4:12] == b"ftypavif":
        return ".avif"
    return next((suffix for magic, suffix in _PICTURES.items() if data.startswith(magic)), None)
