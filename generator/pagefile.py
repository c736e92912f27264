"""The file an editor gives `import`: a page's text as their tools save it, or a Word document.

Correspondents send stories as Word documents, and Notepad on an Arabic Windows saves text in
Windows-1256 or UTF-16: each is read as the text it holds, so the editor need not convert it. A PDF, an
old .doc or an RTF file is named, with how to get its text. A document is someone else's file: it is
read within bounds (its size, its text's size), and its XML may declare nothing (no DOCTYPE), so it can
neither expand nor reach outside itself.
"""

from __future__ import annotations

import io
import sys
import zipfile
from xml.etree.ElementTree import ParseError, iterparse

from .errors import MujazError
from .text import saved_as

MAX_PAGE_BYTES = 5 * 1024 * 1024  # a pasted page is a few KB; more is the wrong file
MAX_DOCUMENT_BYTES = 50 * 1024 * 1024  # a Word document may hold its photos
MAX_DOCUMENT_XML = 20 * 1024 * 1024  # its text and formatting, unpacked: a long report is a few MB
_WORD = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# Files that are no text, by their first bytes, and how to get the text out of each.
_NOT_TEXT = {b"%PDF": "a PDF", b"\xd0\xcf\x11\xe0": "a Word 97-2003 document (.doc)", b"{\\rtf": "an RTF document"}
_GET_TEXT = "open it, select the story's text, copy it, and paste it into a text file (or import - and paste it)"


def read_page(source: str) -> tuple[str, str]:
    """(name for messages, text) of a page to import: a file, or standard input for `-`."""
    name = "stdin" if source == "-" else source
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
        return name, _word_text(name, data)
    kind = next((kind for magic, kind in _NOT_TEXT.items() if data.startswith(magic)), None)
    if kind:
        raise MujazError(f"{name}: is {kind}, not text — {_GET_TEXT}")
    if len(data) > MAX_PAGE_BYTES:
        raise MujazError(f"{name}: more than {MAX_PAGE_BYTES // 2**20} MB — a pasted page is a few KB; "
                         "is it the right file?")
    return name, _text(name, data)


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


def _word_text(name: str, data: bytes) -> str:
    """The text of a Word document (.docx), a line per paragraph, as Word shows it: deleted tracked changes and
    field codes left out, a text box's paragraphs as lines of their own."""
    if len(data) > MAX_DOCUMENT_BYTES:
        raise MujazError(f"{name}: more than {MAX_DOCUMENT_BYTES // 2**20} MB — is it the right file?")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as document:
            if "word/document.xml" not in document.namelist():
                raise MujazError(f"{name}: is a zip file, not a Word document (.docx) — {_GET_TEXT}")
            with document.open("word/document.xml") as part:
                xml = part.read(MAX_DOCUMENT_XML + 1)  # what it unpacks to, not what its header says
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, ValueError, OSError):
        raise MujazError(f"{name}: is a damaged Word document — open it in Word, save it again, and import that") from None
    if len(xml) > MAX_DOCUMENT_XML:
        raise MujazError(f"{name}: its text unpacks to more than {MAX_DOCUMENT_XML // 2**20} MB — a story is a few "
                         f"KB; {_GET_TEXT}")
    if b"<!DOCTYPE" in xml or b"<!ENTITY" in xml:  # Word writes neither: a made-up file's expansion or reach
        raise MujazError(f"{name}: is not a document Word wrote (it declares entities) — {_GET_TEXT}")
    lines: list[str] = []
    open_paragraphs: list[list[str]] = []  # a text box's paragraphs sit inside a paragraph: each has its own line
    try:
        for event, element in iterparse(io.BytesIO(xml), events=("start", "end")):
            if element.tag == _WORD + "p":
                if event == "start":
                    open_paragraphs.append([])
                else:
                    lines.append("".join(open_paragraphs.pop()))
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
    return "\n".join(lines)
