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
import zipfile
from dataclasses import dataclass
from xml.etree.ElementTree import ParseError, iterparse

from .errors import MujazError
from .fetch import Unfetched, download
from .savedpage import is_html, page_lines
from .scaffold import Picture
from .text import saved_as

MAX_PAGE_BYTES = 5 * 1024 * 1024  # a pasted page is a few KB; more is the wrong file
MAX_DOCUMENT_BYTES = 50 * 1024 * 1024  # a Word document may hold its photos
MAX_DOCUMENT_XML = 20 * 1024 * 1024  # its text and formatting, unpacked: a long report is a few MB
MAX_PICTURE_BYTES = 20 * 1024 * 1024  # a photo as a camera takes it; the build makes the copies readers load
FETCH_SECONDS = 60.0  # a page given by its address: the most a server may take, however it sends
_WORD = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_DRAWING = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
_BLIP = "{http://schemas.openxmlformats.org/drawingml/2006/main}blip"
_EMBED = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}embed"
_RELATIONSHIP = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
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
    picture: Picture | None = None  # a Word document's first photo
    note: str = ""  # what the editor should know of it (a picture left out, a description Word wrote)


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
    if data.startswith(b"PK\x03\x04"):
        return _word_document(name, data)
    kind = next((kind for magic, kind in _NOT_TEXT.items() if data.startswith(magic)), None)
    if kind:
        raise MujazError(f"{name}: is {kind}, not text — {_GET_TEXT}")
    if len(data) > MAX_PAGE_BYTES:
        raise MujazError(f"{name}: more than {MAX_PAGE_BYTES // 2**20} MB — a pasted page is a few KB; "
                         "is it the right file?")
    text = _text(name, data)
    return PageFile(name, page_lines(text) if is_html(text) else text)


def _web_page(address: str) -> PageFile:
    """The story at a web address, read as a saved page is (`savedpage.page_lines`), within FETCH_SECONDS and
    MAX_PAGE_BYTES whatever the server does."""
    try:
        data = download(address, MAX_PAGE_BYTES, FETCH_SECONDS, "import")
    except Unfetched as exc:
        said = f"{exc.reason} — try again later" if exc.timed_out else f"cannot be fetched ({exc.reason}) — check the address"
        raise MujazError(f"{address}: {said}, or save the page and import the file") from None
    if len(data) > MAX_PAGE_BYTES:
        raise MujazError(f"{address}: more than {MAX_PAGE_BYTES // 2**20} MB — save the page's text and import that")
    text = _text(address, data)
    return PageFile(address, page_lines(text, address) if is_html(text) else text)


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
    """A Word document's text (`_paragraphs`) and its first photo."""
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
            lines, photos = _paragraphs(name, xml)
            picture, note = _first_picture(name, document, photos)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, ValueError, OSError):
        raise MujazError(f"{name}: is a damaged Word document — open it in Word, save it again, and import that") from None
    return PageFile(name, "\n".join(lines), picture, note)


def _part(document: zipfile.ZipFile, part: str, most: int) -> bytes | None:
    """A part of the document, or None past `most` bytes: what it unpacks to, not what its header says."""
    with document.open(part) as opened:
        data = opened.read(most + 1)
    return data if len(data) <= most else None


def _safe_xml(name: str, xml: bytes) -> bytes:
    if b"<!DOCTYPE" in xml or b"<!ENTITY" in xml:  # Word writes neither: a made-up file's expansion or reach
        raise MujazError(f"{name}: is not a document Word wrote (it declares entities) — {_GET_TEXT}")
    return xml


def _paragraphs(name: str, xml: bytes) -> tuple[list[str], list[tuple[str, str]]]:
    """A line per paragraph, as Word shows it: deleted tracked changes and field codes left out, a text box's
    paragraphs as lines of their own; and the photos in the order they come, as (relationship, Alt Text)."""
    lines: list[str] = []
    photos: list[tuple[str, str]] = []
    described = ""  # the Alt Text of the drawing being read: its description comes before its picture
    open_paragraphs: list[list[str]] = []  # a text box's paragraphs sit inside a paragraph: each has its own line
    try:
        for event, element in iterparse(io.BytesIO(_safe_xml(name, xml)), events=("start", "end")):
            if element.tag == _WORD + "p":
                if event == "start":
                    open_paragraphs.append([])
                else:
                    lines.append("".join(open_paragraphs.pop()))
            elif event == "end" and element.tag == _DRAWING + "docPr":
                described = " ".join((element.get("descr") or "").split())
            elif event == "end" and element.tag == _BLIP and element.get(_EMBED):
                photos.append((element.get(_EMBED), described))
            elif event == "end" and open_paragraphs:
                if element.tag == _WORD + "t":
                    open_paragraphs[-1].append(element.text or "")
                elif element.tag == _WORD + "tab":
                    open_paragraphs[-1].append(" ")
                elif element.tag in (_WORD + "br", _WORD + "cr"):
                    open_paragraphs[-1].append("\n")
            if event == "end":
                element.clear()  # the text is taken: the tree need not grow with the document
    except ParseError:
        raise MujazError(f"{name}: is a damaged Word document — open it in Word, save it again, and import that") from None
    return lines, photos


def _first_picture(name: str, document: zipfile.ZipFile, photos: list[tuple[str, str]]) -> tuple[Picture | None, str]:
    """The document's first photo in a format pages show, and a note when it has photos but none such."""
    if not photos or "word/_rels/document.xml.rels" not in document.namelist():
        return None, ""
    rels = _part(document, "word/_rels/document.xml.rels", MAX_DOCUMENT_XML)
    if rels is None:
        return None, ""
    try:
        targets = {element.get("Id"): element for _, element in iterparse(io.BytesIO(_safe_xml(name, rels)))
                   if element.tag == _RELATIONSHIP}
    except ParseError:
        return None, f"{name}: its pictures' list is damaged; the draft has no picture"
    for relationship, alt in photos:
        target = targets.get(relationship)
        if target is None or target.get("TargetMode") == "External":  # a picture linked, not in the document
            continue
        part = posixpath.normpath(posixpath.join("word", target.get("Target") or ""))
        if part not in document.namelist():
            continue
        data = _part(document, part, MAX_PICTURE_BYTES)
        suffix = _picture_suffix(data) if data is not None else None
        if suffix:
            written = _MACHINE_WRITTEN.sub("", alt).strip()
            if written != alt:
                return Picture(suffix, data, written), (
                    f"{name}: its photo's description was written by Word itself ({written[:60]!r}); the draft "
                    "keeps it as the image's alt text — check that it says what a reader should know of the picture")
            return Picture(suffix, data, alt), ""
    return None, (f"{name}: holds no photo in a format pages show (JPEG, PNG, GIF or WebP, each under "
                  f"{MAX_PICTURE_BYTES // 2**20} MB); the draft has no picture — add one in the draft")


def _picture_suffix(data: bytes) -> str | None:
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return ".webp"
    return next((suffix for magic, suffix in _PICTURES.items() if data.startswith(magic)), None)
