"""`new`: start an article from the command line, with its front matter, without overwriting anything."""

from __future__ import annotations

import re
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


def slug_for(title: str) -> str:
    """An ASCII slug from a title in any script: `قمة بين بوتين وكيم` → `qmh-byn-bwtyn-wkym`."""
    words = [w for w in _NOT_SLUG.split(anyascii(title).lower()) if w]
    return "-".join(words[:SLUG_WORDS])[:MAX_SLUG_BYTES].strip("-")


def new_article(config: SiteConfig, title: str, languages: list[str], day: date | None = None,
                tags: list[str] | None = None, slug: str | None = None) -> list[Path]:
    """Write content/YYYY/MM/<slug>.<lang>.md for each language, as drafts; refuse to overwrite."""
    if not title.strip():
        raise MujazError("the title is empty — give one: python -m generator new \"…\"")
    for lang in languages:
        if lang not in config.language_codes:
            raise MujazError(f"unknown language {lang!r} — use one of {', '.join(config.language_codes)} or both")
    day = day or datetime.now(ZoneInfo(config.timezone)).date()
    slug = slug or slug_for(title)
    if not slug or not SLUG.match(slug) or not slug.isascii():
        raise MujazError(f"slug {slug!r} is not usable — give one with --slug, in ASCII letters, digits and -")
    folder = config.content_dir / f"{day:%Y}" / f"{day:%m}"
    paths = [folder / f"{slug}.{lang}.md" for lang in languages]
    existing = [p for p in paths if p.exists()]
    if existing:
        raise MujazError(f"{existing[0].relative_to(config.root)} already exists — choose another --slug; nothing was written")
    front = {"title": title.strip(), "date": day.isoformat(), "tags": [t.strip() for t in tags or [] if t.strip()],
             "draft": True}
    text = "---\n" + yaml.safe_dump(front, allow_unicode=True, sort_keys=False) + "---\n\n"
    folder.mkdir(parents=True, exist_ok=True)
    for path in paths:
        with path.open("x", encoding="utf-8") as f:  # "x": never overwrite, even if created meanwhile
            f.write(text)
    return paths
