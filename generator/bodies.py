"""Rendered article bodies kept on disk, not in the build's memory: a page reads the body it shows.

At 100,000 stories a language the bodies' HTML took a gigabyte of the build's own memory, from the
Markdown stage to the end, and every forked worker that read them (the related lists' terms, the search
index, the pages) got copies of what it read. Now a Markdown worker keeps each body it renders in a
`PageStore` (named by the hash of its bytes, checked on every read) and hands back only its name, words
and links; an article's `html` is read from the store when something asks for it. The cache's Markdown
entries name their bodies, so the store lives in the cache folder (`.cache/mujaz/bodies/`; for a build
without the cache, a folder removed after it).

A body the store cannot keep (a link planted where its folder goes, a body past MAX_PAGE_BYTES) stays in
memory, as before. A body the cache names that is missing or damaged raises MissingBody, which like any
other fault of the cache has the build run again without it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from .markup import Rendered
from .pagestore import PageStore

FOLDER = "bodies"  # in the folder of the build's own files (the cache's, or a temporary one)


class MissingBody(Exception):
    """A body the cache names is not in the store, or not as kept there."""


def keep(store: PageStore | None, rendered: Rendered) -> Rendered:
    """`rendered` with its HTML and contents kept in `store` and named, or as it is where it cannot be."""
    toc = rendered.toc.encode("utf-8", "surrogatepass")
    data = b"%d\n" % len(toc) + toc + rendered.html.encode("utf-8", "surrogatepass")
    name = store.put(data) if store is not None else ""
    return replace(rendered, html="", toc="", body=name) if name else rendered


@dataclass(frozen=True)
class Body:
    """An article's rendered HTML and table of contents: read from the store each time, or held here."""

    name: str = ""  # in the store; "" when held here
    store: PageStore | None = field(default=None, compare=False, repr=False)
    held: tuple[str, str] = ("", "")  # (HTML, contents) when not in the store

    def read(self) -> tuple[str, str]:
        if not self.name:
            return self.held
        data = self.store.get(self.name) if self.store is not None else None
        head, _, rest = (data or b"").partition(b"\n")
        if data is None or not head.isdigit() or int(head) > len(rest):
            if self.store is not None:
                self.store.discard(self.name)  # so the build without the cache keeps it anew
            raise MissingBody(f"the rendered body {self.name} is missing from the cache or damaged")
        cut = int(head)
        return rest[cut:].decode("utf-8", "surrogatepass"), rest[:cut].decode("utf-8", "surrogatepass")


def body_of(rendered: Rendered, store: PageStore | None) -> Body:
    """Where the body `rendered` stands for is: in `store` by its name, or in `rendered` itself."""
    return Body(rendered.body, store) if rendered.body else Body(held=(rendered.html, rendered.toc))
