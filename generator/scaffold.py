"""Write new draft articles into content/ — for `new` and the importers — without ever overwriting a file."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml
from anyascii import anyascii

from .config import SiteConfig
from .content import SLUG
from .errors import MujazError
from .urls import MAX_SLUG_BYTES

_NOT_SLUG = re.compile(r"[^a-z0-9]+")
SLUG_WORDS = 8


@dataclass(frozen=True)
class Draft:
    """One article file to create; `when` is a day or an aware moment."""

    title: str
    when: date | datetime
    lang: str
    slug: str
    body: str = ""
    tags: tuple[str, ...] = ()
    source_name: str = ""
    source_url: str = ""
    related: tuple[str, ...] = ()

    def front_matter(self) -> dict:
        front: dict = {"title": self.title, "date": self.when.isoformat()}
        if self.tags:
            front["tags"] = list(self.tags)
        source = {k: v for k, v in (("name", self.source_name), ("url", self.source_url)) if v}
        if source:
            front["source"] = source
        if self.related:
            front["related"] = list(self.related)
        front["draft"] = True
        return front


def slug_for(title: str) -> str:
    """An ASCII slug from a title in any script: `قمة بين بوتين وكيم` → `qmh-byn-bwtyn-wkym`."""
    words = [w for w in _NOT_SLUG.split(anyascii(title).lower()) if w]
    return "-".join(words[:SLUG_WORDS])[:MAX_SLUG_BYTES].strip("-") or "article"


def path_for(config: SiteConfig, draft: Draft) -> Path:
    return config.content_dir / f"{draft.when:%Y}" / f"{draft.when:%m}" / f"{draft.slug}.{draft.lang}.md"


def free_slug(config: SiteConfig, draft: Draft, taken: set[Path]) -> Draft:
    """The draft, its slug suffixed -2, -3… if its file exists or is `taken` by another draft of this run."""
    base, n = draft.slug, 1
    while path_for(config, draft).exists() or path_for(config, draft) in taken:
        n += 1
        draft = replace(draft, slug=f"{base[:MAX_SLUG_BYTES - 4]}-{n}")
    taken.add(path_for(config, draft))
    return draft


def write_drafts(config: SiteConfig, drafts: list[Draft]) -> list[Path]:
    """Create every draft's file, or none of them if any exists already."""
    paths = [path_for(config, d) for d in drafts]
    existing = [p for p in paths if p.exists()]
    if existing:
        raise MujazError(f"{existing[0].relative_to(config.root)} already exists — choose another --slug; nothing was written")
    for draft in drafts:
        if not SLUG.match(draft.slug) or not draft.slug.isascii():
            raise MujazError(f"slug {draft.slug!r} is not usable — give one with --slug, in ASCII letters, digits and -")
    written: list[Path] = []
    try:
        for draft, path in zip(drafts, paths):
            text = "---\n" + yaml.safe_dump(draft.front_matter(), allow_unicode=True, sort_keys=False) + "---\n\n"
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("x", encoding="utf-8") as f:  # "x": never overwrite, even if created meanwhile
                f.write(text + (draft.body.strip() + "\n" if draft.body.strip() else ""))
            written.append(path)
    except FileExistsError as exc:
        for path in written:  # all or nothing: an import is not left half done
            path.unlink()
        raise MujazError(f"{Path(exc.filename).relative_to(config.root)} appeared while writing; nothing was written") from None
    return written


def new_article(config: SiteConfig, title: str, languages: list[str], day: date | None = None,
                tags: list[str] | None = None, slug: str | None = None) -> list[Path]:
    """Write content/YYYY/MM/<slug>.<lang>.md for each language, as drafts; refuse to overwrite."""
    if not title.strip():
        raise MujazError("the title is empty — give one: python -m generator new \"…\"")
    for lang in languages:
        config.require_language(lang, also=" or both")
    day = day or datetime.now(ZoneInfo(config.timezone)).date()
    slug = slug if slug is not None else slug_for(title)
    clean_tags = tuple(t.strip() for t in tags or [] if t.strip())
    return write_drafts(config, [Draft(title.strip(), day, lang, slug, tags=clean_tags) for lang in languages])
