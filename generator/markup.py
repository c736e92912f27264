"""Markdown to HTML with Python-Markdown: `extra`, `toc`, `sane_lists` and a base-path fixer."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from xml.etree.ElementTree import Element

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor


@dataclass(frozen=True)
class Rendered:
    html: str
    toc: str  # the table of contents as an HTML list, empty when the body has no headings


class _BasePathTreeprocessor(Treeprocessor):
    """Prefix root-relative links (`/images/x.jpg`) with the site's base path.

    An editor writes `/images/x.jpg` meaning "the site's images folder"; on a
    GitHub project page the site lives under `/repo/`, where that link breaks.
    """

    def __init__(self, md: markdown.Markdown, base_path: str):
        super().__init__(md)
        self.base_path = base_path

    def run(self, root: Element) -> None:
        for element in root.iter():
            for attr in ("href", "src"):
                value = element.get(attr)
                if value and value.startswith("/") and not value.startswith("//"):
                    element.set(attr, self.base_path + value.lstrip("/"))


class BasePathExtension(Extension):
    def __init__(self, base_path: str):
        super().__init__()
        self.base_path = base_path

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        # Priority 1: after the inline processor has turned links into elements.
        md.treeprocessors.register(_BasePathTreeprocessor(md, self.base_path), "mujaz_base_path", 1)


@lru_cache(maxsize=4)
def _converter(base_path: str) -> markdown.Markdown:
    return markdown.Markdown(
        extensions=["extra", "toc", "sane_lists", BasePathExtension(base_path)],
        extension_configs={"toc": {"permalink": False, "toc_depth": "2-4"}},
        output_format="html",
    )


def render_markdown(text: str, base_path: str = "/") -> Rendered:
    """Render one document; the converter is reset so no state leaks between documents."""
    md = _converter(base_path)
    md.reset()
    html = md.convert(text)
    toc = getattr(md, "toc", "")
    has_headings = bool(getattr(md, "toc_tokens", None))
    return Rendered(html=html, toc=toc if has_headings else "")
