"""A formatted line of someone else's document (a Word paragraph, a web page's block) written as Markdown.

An editor who imports a Word document or a saved page expects what the reader saw to come with the text:
its links, its bold and italic words, its subheadings, lists and quotations. Both readers give a line as
runs of text, each with its emphasis and link; `markdown` writes them so that Python-Markdown shows them
again and shows the text as text: an asterisk the writer typed stays an asterisk.
"""

from __future__ import annotations

import re
from typing import NamedTuple
from urllib.parse import urljoin, urlsplit

from .slips import unwrapped
from .text import PASTED_BULLETS, PASTED_DASHES, without_controls


class Run(NamedTuple):
    text: str
    bold: bool = False
    italic: bool = False
    link: str = ""  # a whole web address (`web_address`), or "" for none


# Characters Python-Markdown would read as markup inside a line, and at its start.
_INLINE = re.compile(r"([\\`*_\[\]{}])")
# Besides Markdown's: what markup.py reads as a list's marker pasted as a character (1- and 1–, •, a dash
# beside another), which an entity keeps as the character it is.
_OPENING = re.compile(rf"^(?:([#>+-])|([{PASTED_BULLETS}{PASTED_DASHES}])|(\d+)([.)\-–])(?=\s))")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f]")  # shown as nothing, and Python-Markdown's own marks (\x02, \x03)
_URL_UNSAFE = {" ": "%20", "(": "%28", ")": "%29", "<": "%3C", ">": "%3E"}


def web_address(href: str, base: str = "") -> str:
    """A link's whole address (a relative one made whole from `base`), or "" for one that leads nowhere a reader
    of another site can go: no address to read it from, a script, or a part of the same page. A redirect's
    (Google's, as a document shared from Google Docs wraps every link; Outlook's, Facebook's) is the page's own."""
    href = href.strip()
    if not href or href.startswith("#"):
        return ""
    try:
        whole = urljoin(base, href) if base else href
        scheme = urlsplit(whole).scheme.lower()
    except ValueError:  # an address Python cannot take apart ("http://[x")
        return ""
    if scheme not in ("http", "https", "mailto") or (scheme != "mailto" and not urlsplit(whole).netloc):
        return ""
    whole = unwrapped(whole) or whole
    return "".join(_URL_UNSAFE.get(character, character) for character in whole)


def is_plain(runs: list[Run]) -> bool:
    return not any(run.bold or run.italic or run.link for run in runs)


def markdown(runs: list[Run], opening: str = "") -> str:
    """The runs as one line of Markdown after `opening` (`## `, `- `, `> `…): runs alike merged (Word splits
    text into runs at every edit), spaces outside the marks, marks around no words dropped, the text escaped."""
    merged: list[Run] = []
    for run in runs:
        # The characters the build leaves out of a text (a Word document holds them): between two runs alike, one
        # kept "*a*" and "*b*" apart until the build made them "*a**b*", which shows its stars.
        run = run._replace(text=without_controls(run.text, " "))
        if merged and merged[-1][1:] == run[1:]:
            merged[-1] = merged[-1]._replace(text=merged[-1].text + run.text)
        elif run.text:
            merged.append(run)
    line, at = "", 0
    while at < len(merged):  # a link and the runs it holds, or a run outside any link
        end = at + 1
        while merged[at].link and end < len(merged) and merged[end].link == merged[at].link:
            end += 1
        words = "".join(_emphasised(run) for run in merged[at:end])
        if merged[at].link and words.strip():
            # Brackets as entities: Python-Markdown takes "[\\]: x" at a line's start for a link's definition
            lead, core, trail = _around(words.replace("\\[", "&#91;").replace("\\]", "&#93;"))
            words = f"{lead}[{core}]({merged[at].link}){trail}"
            if line.endswith("!") and not lead:  # "![…](…)" would be a picture
                line = line[:-1] + "\\!"
        line += words
        at = end
    line = " ".join(line.split())
    if opening.startswith("#") and line.endswith("#"):  # a heading's closing hashes are not shown
        line = line[:-1] + "\\#"
    return opening + _OPENING.sub(lambda m: _as_text(m[1] or m[2] or "", m[3] or "", m[4] or ""), line)


def picture(alt: str, address: str, caption: str = "") -> str:
    """A picture on a line of its own, its description shown as text where the picture is not, and its caption
    as its title, which a story shows under it (markup.py)."""
    title = " ".join(caption.split()).replace('"', "&quot;")  # a quotation in it would end the title early
    return f"![{_escaped(' '.join(alt.split()))}]({address}" + (f' "{title}")' if title else ")")


# What opens a block at the start of a text's line: a heading, a quotation, a list, a setext heading's line or a
# definition (extra's def_list). Python-Markdown takes a backslash before the first ones, an entity for the others.
_TEXT_OPENING = re.compile(rf"^(\s*)(?:([#>+\-=:{PASTED_BULLETS}{PASTED_DASHES}])|(\d+)([.)\-–])(?=\s|$))")


def text_as_markdown(text: str) -> str:
    """Someone else's text (a feed item's, from its HTML) as Markdown that shows it as written, one line as HTML
    shows it: an asterisk, a bracket, a tag written as text, or a hash sign at its start is text, not markup."""
    return _TEXT_OPENING.sub(_opening_escaped, _escaped(" ".join(text.split("\n"))))


def _opening_escaped(found: re.Match) -> str:
    return found[1] + _as_text(found[2] or "", found[3] or "", found[4] or "")


def _as_text(mark: str, number: str, after: str) -> str:
    """A mark that opens a line (`#`, `>`, `•`), or a number and the mark after it (`1.`, `1-`), written to show
    as text: a backslash before what Markdown lets one escape, an entity for the rest."""
    shown = mark or after
    return number + (f"\\{shown}" if shown in "#>+-.)" else f"&#{ord(shown)};")


def _escaped(text: str) -> str:
    return _INLINE.sub(r"\\\1", _CONTROL.sub("", text)).replace("&", "&amp;").replace("<", "&lt;")


def _emphasised(run: Run) -> str:
    mark = "*" * (2 * run.bold + run.italic)
    lead, core, trail = _around(_CONTROL.sub("", run.text))
    core = _escaped(core)
    return f"{lead}{mark}{core}{mark}{trail}" if core and mark else f"{lead}{core}{trail}"


def _around(text: str) -> tuple[str, str, str]:
    """The spaces before, the words, the spaces after: Markdown's marks must touch the words they hold."""
    core = text.strip()
    if not core:
        return text, "", ""
    lead = text[:len(text) - len(text.lstrip())]
    return lead, core, text[len(lead) + len(core):]
