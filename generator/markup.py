"""Markdown to HTML with Python-Markdown: `extra`, `toc`, `sane_lists`, a base-path fixer and a URL guard."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import lru_cache
from xml.etree.ElementTree import Element

import markdown
from markdown import util
from markdown.extensions import Extension
from markdown.postprocessors import Postprocessor
from markdown.treeprocessors import InlineProcessor, Treeprocessor

from .urls import is_unsafe_url

URL_ATTRIBUTES = ("href", "src", "action", "formaction", "poster", "xlink:href", "background")
_RAW_URL_ATTRIBUTE = re.compile(
    r"""(?P<name>\b(?:%s))(?P<eq>\s*=\s*)(?P<value>"[^"]*"|'[^']*'|[^\s>"']+)""" % "|".join(URL_ATTRIBUTES),
    re.IGNORECASE,
)
SAFE_PLACEHOLDER = "#"
_TAG = re.compile(r"<[^>]+>")
# Python-Markdown's inline patterns (with `extra`), each with the strings one of which
# a text must hold for the pattern to match anything in it.
_INLINE_TRIGGERS = {
    "backtick": ("`", "\\"), "escape": ("\\",), "footnote": ("[^",), "reference": ("[",), "link": ("[",),
    "image_link": ("![",), "image_reference": ("![",), "short_reference": ("[",), "short_image_ref": ("![",),
    "autolink": ("<",), "automail": ("<",), "linebreak": ("  \n",), "html": ("<",), "entity": ("&",),
    "not_strong": ("*", "_"), "em_strong": ("*", "_"), "em_strong2": ("*", "_"), "strong_em": ("*", "_"),
}
# The same for block processors whose test is a search of the block alone; each of
# these searches every block of prose that no processor before it claimed.
_BLOCK_TRIGGERS = {
    "hashheader": ("#",), "setextheader": ("\n=", "\n-"), "hr": ("-", "_", "*"), "quote": (">",),
    "deflist": (":",), "table": ("|",),
    # These three take every block off the front of the list and put it back when it is not theirs:
    # on a body of thousands of paragraphs, that is quadratic.
    "footnote": ("[^",), "abbr": ("*[",), "reference": ("]:",),
}
# And for preprocessors that read the whole text: fenced code blocks, and the HTML
# parser of raw blocks (which also rewrites character references).
_PREPROCESSOR_TRIGGERS = {"fenced_code_block": ("```", "~~~"), "html_block": ("<", "&")}


@dataclass(frozen=True)
class Rendered:
    html: str
    toc: str  # the table of contents as an HTML list, empty when the body has no headings
    words: int = 0  # words a reader reads, for the reading time; counted once, then cached with the HTML


def neutralise_raw_html(fragment: str) -> str:
    """Replace unsafe URLs in the attributes of raw HTML an editor wrote into a Markdown body."""

    def fix(match: re.Match) -> str:
        value = match["value"].strip("\"'")
        if not is_unsafe_url(value):
            return match[0]
        return f'{match["name"]}{match["eq"]}"{SAFE_PLACEHOLDER}"'

    return _RAW_URL_ATTRIBUTE.sub(fix, fragment)


def _fix_element_urls(root: Element, base_path: str) -> None:
    for element in root.iter():
        for attr in URL_ATTRIBUTES:
            value = element.get(attr)
            if not value:
                continue
            if is_unsafe_url(value):
                element.set(attr, SAFE_PLACEHOLDER)
            elif attr in ("href", "src") and value.startswith("/") and not value.startswith("//"):
                # An editor writes `/images/x.jpg` meaning "the site's images folder";
                # on a GitHub project page the site lives under `/repo/`, where that link breaks.
                element.set(attr, base_path + value.lstrip("/"))


class _UrlTreeprocessor(Treeprocessor):
    def __init__(self, md: markdown.Markdown, base_path: str):
        super().__init__(md)
        self.base_path = base_path

    def run(self, root: Element) -> None:
        _fix_element_urls(root, self.base_path)


class _TriggeredInline(InlineProcessor):
    """Python-Markdown's inline stage, except that a pattern is not tried on text without its trigger.

    The stock stage searches every text for each of about fifteen patterns in turn:
    a fifth of the Markdown time for news prose, where most text holds no markup.
    A pattern not in _INLINE_TRIGGERS (another extension's) is always tried.
    """

    _patterns: tuple = ()

    def run(self, tree, ancestors=None):
        patterns = self.inlinePatterns
        now = tuple(patterns)
        if now != self._patterns:  # patterns can be registered after this stage, even while converting
            self._patterns = now
            self._triggers = [None] * len(patterns)
            for name, triggers in _INLINE_TRIGGERS.items():
                if name in patterns:
                    # One trigger as a plain string: see _triggered_test.
                    self._triggers[patterns.get_index_for_name(name)] = triggers[0] if len(triggers) == 1 else triggers
        return super().run(tree, ancestors)

    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:  # noqa: N802, N803
        # The stock method's loop, plus the trigger test; a pattern that cannot match
        # returns (data, False, 0) there, which is what skipping it does here.
        if isinstance(data, util.AtomicString):
            return data
        start = 0
        count = len(self.inlinePatterns)
        while patternIndex < count:
            triggers = self._triggers[patternIndex]
            if triggers is not None and (triggers not in data if type(triggers) is str
                                         else not any(trigger in data for trigger in triggers)):
                patternIndex, start = patternIndex + 1, 0
                continue
            data, matched, start = self._InlineProcessor__applyPattern(self.inlinePatterns[patternIndex], data,
                                                                       patternIndex, start)
            if not matched:
                patternIndex += 1
        return data


class _RawHtmlGuard(Postprocessor):
    """Runs before Python-Markdown puts stashed raw HTML back into the page."""

    def __init__(self, md: markdown.Markdown, base_path: str):
        super().__init__(md)
        self.base_path = base_path

    def run(self, text: str) -> str:
        stash = self.md.htmlStash.rawHtmlBlocks
        for i, block in enumerate(stash):
            if isinstance(block, str):
                stash[i] = neutralise_raw_html(block)
            else:
                _fix_element_urls(block, self.base_path)
        return text


class MujazExtension(Extension):
    def __init__(self, base_path: str, raw_html: bool):
        super().__init__()
        self.base_path = base_path
        self.raw_html = raw_html

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        # Priority 1: after the inline processor has turned links into elements.
        md.treeprocessors.register(_UrlTreeprocessor(md, self.base_path), "mujaz_urls", 1)
        # Priority 35: before `raw_html` (30) substitutes the stash into the text.
        md.postprocessors.register(_RawHtmlGuard(md, self.base_path), "mujaz_raw_html_guard", 35)
        if not self.raw_html:
            # Without these two, raw HTML is ordinary text and gets escaped.
            md.preprocessors.deregister("html_block")
            md.inlinePatterns.deregister("html")


class _Shortcuts(Extension):
    """Python-Markdown as it is, minus searches that cannot match: the same HTML in about half the time on news text."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        md.treeprocessors.register(_TriggeredInline(md), "inline", 20)  # 20: the stock stage's priority
        blocks = md.parser.blockprocessors
        for name, triggers in _BLOCK_TRIGGERS.items():
            if name in blocks:
                processor = blocks[name]
                processor.test = _triggered_test(processor.test, triggers)
        for name, triggers in _PREPROCESSOR_TRIGGERS.items():
            if name in md.preprocessors:
                processor = md.preprocessors[name]
                processor.run = _triggered_run(processor.run, triggers)


def _triggered_test(test, triggers: tuple[str, ...]):
    if len(triggers) == 1:  # most are: `in` is three times as fast as any() over a tuple
        only = triggers[0]

        def triggered(parent, block: str) -> bool:
            return only in block and test(parent, block)
    else:
        def triggered(parent, block: str) -> bool:
            return any(trigger in block for trigger in triggers) and test(parent, block)
    return triggered


def _triggered_run(run, triggers: tuple[str, ...]):
    def triggered(lines: list[str]) -> list[str]:
        text = "\n".join(lines)
        return run(lines) if any(trigger in text for trigger in triggers) else lines
    return triggered


@lru_cache(maxsize=4)
def _converter(base_path: str, raw_html: bool) -> markdown.Markdown:
    return markdown.Markdown(
        extensions=["extra", "toc", "sane_lists", MujazExtension(base_path, raw_html), _Shortcuts()],
        extension_configs={"toc": {"permalink": False, "toc_depth": "2-4"}},
        output_format="html",
    )


def plain_text(html_text: str) -> str:
    """A rendered body as the words a reader sees, for text analysis and search."""
    return html.unescape(_TAG.sub(" ", html_text))


def render_markdown(text: str, base_path: str = "/", raw_html: bool = True) -> Rendered:
    """Render one document; the converter is reset so no state leaks between documents."""
    md = _converter(base_path, raw_html)
    md.reset()
    html_text = md.convert(text)
    toc = getattr(md, "toc", "")
    has_headings = bool(getattr(md, "toc_tokens", None))
    words = len(_TAG.sub(" ", html_text).split())
    return Rendered(html=html_text, toc=toc if has_headings else "", words=words)
