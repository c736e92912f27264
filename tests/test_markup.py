"""Markdown bodies: the shortcuts past searches that cannot match must leave Python-Markdown's output exactly as it was."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import markdown
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import REPO
from generator import markup
from generator.config import MarkdownConfig
from generator.markup import MujazExtension, heading_id, render_markdown

WORDS = st.sampled_from(["قمة", "بوتين", "وكيم", "الاقتصادُ", "Putin", "Kim's", "2023", "١٢", "3.5%", "«قمة»",
                         "(x)", "'q'", "“a”", "a-b", "c:d", "e!", "f?", "g=h", "i+j", "k#", "l.", "م،", "@", "x@y.z"])
BREAKS = st.sampled_from([" "] * 8 + ["\n"] * 3 + ["\n\n"] * 2 + ["\n\n\n", "  ", " \n", "\n ", "\t"])
MARKUP_PIECES = ["*", "**", "_", "__", "#", "# ", "- ", "1. ", ">", "> ", "<b>", "</b>", "<br>", "&amp;", "&",
                 "&#1575;", "[a](b)", "[a]", "[a][]", "[^1]", "[^1]: n", "[a]: /x", "`", "``", "\\", "\\*", "!",
                 "![i](/j.png)", "<http://a.b>", "<a@b.c>", "  \n", "{: #x}", ":", ": ", "|", "---", "*[HTML]: x", "HTML", "===", "a | b\n--- | ---\nc | d",
                 "&#1575 ", "AT&T ", "&copy ", "```\nrm -rf\n```", "~~~\nx\n~~~", "\n```\n", "<div markdown=\"1\">*a*</div>"]
MARKUP = st.sampled_from(MARKUP_PIECES)


def stock_markdown(text: str) -> str:
    """The same converter without the shortcuts: Python-Markdown's own inline stage and block tests."""
    md = markdown.Markdown(extensions=["extra", "toc", "sane_lists", MujazExtension("/")],
                           extension_configs={"toc": {"permalink": False, "toc_depth": "2-4", "slugify": heading_id}},
                           output_format="html")
    return md.convert(text)


@st.composite
def bodies(draw) -> str:
    """Prose with up to four bits of markup, often at the start of a line, where much of it acts."""
    pieces = draw(st.lists(st.one_of(WORDS, WORDS, BREAKS), max_size=30))
    for _ in range(draw(st.integers(0, 4))):
        line_starts = [0] + [i + 1 for i, piece in enumerate(pieces) if "\n" in piece]
        at = draw(st.one_of(st.sampled_from(line_starts), st.integers(0, len(pieces))))
        pieces.insert(at, draw(MARKUP))
    return "".join(pieces)


@pytest.mark.slow  # 6 s; make test-slow and CI run it
@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(bodies())
def test_any_body_renders_as_python_markdown_renders_it(body):
    assert render_markdown(body).html == stock_markdown(body)


# Any code point but lone surrogates (which no UTF-8 file holds), between bits of markup.
ANY_TEXT = st.lists(st.one_of(st.text(st.characters(codec=None, categories=None, exclude_categories=["Cs"]), max_size=40),
                              MARKUP, BREAKS), max_size=20).map("".join)


@pytest.mark.slow  # 3 s; make test-slow and CI run it
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ANY_TEXT)
def test_any_text_at_all_renders_as_python_markdown_renders_it(body):
    assert render_markdown(body).html == stock_markdown(body)


def test_every_bit_of_markup_anywhere_renders_as_python_markdown_renders_it():
    places = ["{m}قمة بوتين", "قمة {m}بوتين", "قمة{m} بوتين", "قمة بوتين{m}", "قمة\n{m}بوتين", "قمة\n\n{m} بوتين",
              "{m}", "قمة\n{m}", "قمة\n{m}\n\nبوتين", "{m}قمة{m}", "قمة {m}بوتين{m} وكيم", "# {m}عنوان{m}\n\nنص", "- {m}بند\n- بند{m}", "> {m}قول{m}"]
    for piece in MARKUP_PIECES:
        for place in places:
            body = place.format(m=piece)
            assert render_markdown(body).html == stock_markdown(body), body


def test_the_sample_site_renders_as_python_markdown_renders_it():
    sources = sorted(Path(__file__).resolve().parent.parent.joinpath("content").rglob("*.md"))
    assert len(sources) > 20
    for source in sources:
        body = source.read_text(encoding="utf-8").split("---\n", 2)[2]
        assert render_markdown(body).html == stock_markdown(body), source


def test_every_pattern_and_block_test_of_this_markdown_version_has_its_trigger():
    """A Markdown release may rename or add patterns and block processors: they would work, but always be tried; say so."""
    md = markup._converter("/", MarkdownConfig())
    md.reset()
    md.convert("نص")
    stage = md.treeprocessors["inline"]
    assert type(stage).__name__ == "_TriggeredInline" and None not in stage._triggers
    blocks = md.parser.blockprocessors
    assert all(blocks[name].test.__name__ == "triggered" for name in markup._BLOCK_TRIGGERS)
    assert all(md.preprocessors[name].run.__name__ == "triggered" for name in markup._PREPROCESSOR_TRIGGERS)


def test_the_private_parts_of_python_markdown_that_mujaz_replaces_are_still_there():
    """markup.py overrides these by name; a Markdown release that renames one must fail here, loudly."""
    import inspect

    from markdown.blockprocessors import HashHeaderProcessor
    from markdown.extensions.attr_list import AttrListTreeprocessor
    from markdown.treeprocessors import InlineProcessor

    for name in ("_InlineProcessor__handleInline", "_InlineProcessor__applyPattern"):
        assert hasattr(InlineProcessor, name), f"Python-Markdown {markdown.__version__} has no {name}"
    assert list(inspect.signature(AttrListTreeprocessor.assign_attrs).parameters) == ["self", "elem", "attrs_string",
                                                                                       "strict"]
    assert markup.HEADING_LEVEL in HashHeaderProcessor.RE.pattern, "a heading's #s, which markup.py reads apart"


def test_links_shown_as_typed_are_found_in_time_that_grows_with_the_text():
    """A regular expression runs in C, where no deadline of the build reaches it: a megabyte of openings of links
    never closed (`[a](/` again and again) took the search for links shown as typed minutes, each opening scanning
    the rest of the run. In a process of its own, so that a hang fails the test instead of holding it."""
    script = ("from generator.markup import typed_links\n"
              "text = '[a](/' * 200_000 + ' ' + ('[a](/' + 'x' * 1990 + '(') * 500\n"
              "found = typed_links(text, '<p>' + text + '</p>')\n"
              "assert found == ('[a](/',), found[:3]  # the last opening alone is followed by a space\n")
    done = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]

