"""Property tests: whatever an editor saves, a build succeeds or stops with one-line errors.

Never an uncaught exception, never a file written outside output/. `make fuzz` runs the
long profile (HYPOTHESIS_PROFILE=long).
"""

from __future__ import annotations

import json
from datetime import date
import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from conftest import BASE_CONFIG, NOW
from generator.build import BuildOptions, build
from generator.errors import BuildError

settings.register_profile("default", max_examples=300, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile("long", max_examples=3000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

# Any code point, surrogates included: they reach YAML through "\udc80" escapes.
ANY_CHAR = st.characters(codec=None, categories=None)
TRICKY = st.sampled_from(["\u202e", "\u2066", "\u200f", "\x00", "\ufeff", "---", "\n---\n", ": ", "#", "&a", "*a",
                          "!!python/object:os.system", "[", "{", "'", '"', "\\", "<script>", "]]>", "../", "ـ", "ً"])
TEXT = st.lists(st.one_of(st.text(ANY_CHAR, max_size=12), TRICKY, st.text("كيمبوتينروسيا ", max_size=30)),
                max_size=6).map("".join)
LONG_LINE = st.integers(1000, 20000).map(lambda n: "ب" * n)


def yaml_scalar(value: str, style: int) -> str:
    if style == 0:
        return value.replace("\n", " ")  # plain: may well be invalid YAML, which is the point
    if style == 1:
        return "'" + value.replace("'", "''").replace("\n", " ") + "'"
    return json.dumps(value)  # double-quoted with \u escapes, lone surrogates included


SCALAR = st.builds(yaml_scalar, st.one_of(TEXT, LONG_LINE), st.integers(0, 2))
DATE = st.one_of(st.dates().map(str), st.just("2023-02-30"), st.datetimes().map(lambda d: d.isoformat()), SCALAR)
FIELD_VALUE = st.one_of(SCALAR, st.lists(SCALAR, max_size=4).map(lambda items: "[" + ", ".join(items) + "]"),
                        st.integers().map(str), st.sampled_from(["", "~", "true", "{}", "[]", "&x a", "*x"]))
GOOD_TEXT = TEXT.map(json.dumps)  # always valid YAML, whatever the characters
GOOD_DATE = st.dates(min_value=date(1900, 1, 1)).map(str)
OPTIONAL_FIELDS = st.dictionaries(
    st.sampled_from(["updated", "tags", "category", "summary", "source", "image", "slug",
                     "draft", "related", "translation_key", "لقب"]),
    FIELD_VALUE, max_size=4,
)
GOOD_LIST = st.lists(GOOD_TEXT, max_size=3).map(lambda items: "[" + ", ".join(items) + "]")
# Three files in four are well-formed, so the rendering stages see hostile text too, not only the validator.
GOOD_FRONT_MATTER = st.builds(
    lambda title, date, text_fields, tags: {"title": title, "date": date, **text_fields, **tags},
    st.tuples(st.sampled_from("كخبرK"), TEXT).map(lambda parts: json.dumps("".join(parts))), GOOD_DATE,
    st.dictionaries(st.sampled_from(["summary", "category"]), GOOD_TEXT, max_size=2),
    st.dictionaries(st.just("tags"), GOOD_LIST, max_size=1),
)
ANY_FRONT_MATTER = st.builds(lambda title, date, rest: {"title": title, "date": date, **rest}, SCALAR, DATE, OPTIONAL_FIELDS)
MARKDOWN = st.lists(st.one_of(
    TEXT, LONG_LINE,
    st.sampled_from(["# عنوان", "## Heading", "- item", "1. one", "> quote", "```\ncode", "```", "| a | b |\n|---|---|",
                     "[link](javascript:alert(1))", "![i](data:x)", "<a href='javascript:x'>a</a>", "<div markdown=1>",
                     "[^1]", "[^1]: note", "*[HTML]: abbr", "<!--", "&#0;", "\\"]),
), max_size=12).map("\n\n".join)
GOOD_NAME = st.tuples(st.sampled_from(["story", "خبر", "a-b"]), st.sampled_from([".ar", ".en", ""]))
ANY_NAME = st.tuples(st.sampled_from(["story", "x.y", "-", "a b"]), st.sampled_from([".ar", ".en", "", ".fr", ".AR"]))


@st.composite
def content_file(draw) -> tuple[str, bytes]:
    good = draw(st.integers(0, 3)) > 0
    stem, suffix = draw(GOOD_NAME if good else ANY_NAME)
    meta = draw(GOOD_FRONT_MATTER if good else ANY_FRONT_MATTER)
    text = "---\n" + "".join(f"{key}: {value}\n" for key, value in meta.items()) + "---\n" + draw(MARKDOWN)
    data = text.encode("utf-8", "replace" if good or draw(st.booleans()) else "surrogatepass")
    if not good and draw(st.integers(0, 4)) == 0:
        data = draw(st.binary(max_size=200))
    return f"{stem}{suffix}.md", data


def _files_outside(root: Path, output: Path) -> set[str]:
    """Everything in the site folder except output/ and what the build keeps beside it (cache, spare)."""
    kept = {output, root / ".cache", root / ".output-spare"}
    return {p.relative_to(root).as_posix() for p in root.rglob("*")
            if p not in kept and not any(k in p.parents for k in kept)}


@given(files=st.lists(content_file(), min_size=1, max_size=3))
def test_any_content_builds_or_fails_with_one_line_errors(files):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "config.yaml").write_text(BASE_CONFIG, encoding="utf-8")
        for i, (name, data) in enumerate(files):
            folder = root / "content" / str(i)
            folder.mkdir(parents=True)
            (folder / name).write_bytes(data)
        before = _files_outside(root, root / "output")
        try:
            result = build(BuildOptions(config_path=root / "config.yaml", drafts=True, now=NOW))
        except BuildError as error:
            event("build failed with one-line errors")
            assert error.diagnostics
            for diagnostic in error.diagnostics:
                line = str(diagnostic)
                assert "\n" not in line and "\r" not in line, line
                assert line.startswith(("content/", "config.yaml")), line
            assert not (root / "output").exists()
        else:
            event("build succeeded")
            assert (root / "output" / "index.html").is_file()
            assert all(w.path.startswith("content/") for w in result.warnings)
        assert _files_outside(root, root / "output") == before
