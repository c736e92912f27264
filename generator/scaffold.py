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
from .content import PAGES_FOLDER, SLUG, as_read
from .errors import MujazError
from .fetch import Network
from .metadata import as_imported
from .urls import MAX_SLUG_BYTES

_NOT_SLUG = re.compile(r"[^a-z0-9]+")
SLUG_WORDS = 8


@dataclass(frozen=True)
class Picture:
    """A photo that comes with an imported story (a Word document's, or one fetched from a page or a feed), to be
    written into static/images/."""

    suffix: str  # .jpg, .png, .gif, .webp or .avif, from its bytes
    data: bytes
    alt: str  # the description its document keeps for it, or ""
    caption: str = ""  # the caption a Word document sets under or above it, without the credit
    credit: str = ""  # the credit in that caption (`credits.caption_and_credit`)


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
    summary: str = ""
    authors: tuple[str, ...] = ()
    updated: date | datetime | None = None
    image_src: str = ""
    image_alt: str = ""
    image_caption: str = ""
    image_credit: str = ""
    fetched_from: Network = Network.INTERNET  # the network of the page or feed it came from: its pictures are
    # fetched from there or farther, never nearer (`fetch.Network`)
    pictures: tuple[tuple[str, Picture], ...] = ()  # (address, photo) written to static/ beside the draft: its
    # image's (`with_picture`) and those its text shows (`in_text`)
    page: bool = False  # a page of content/pages/ (About us…): no date, in no list

    def front_matter(self) -> dict:
        if self.page:
            return {"title": self.title, "draft": True}
        front: dict = {"title": self.title, "date": self.when.isoformat()}
        if self.updated:
            front["updated"] = self.updated.isoformat()
        if self.authors:
            front["author"] = self.authors[0] if len(self.authors) == 1 else list(self.authors)
        if self.summary:
            front["summary"] = self.summary
        if self.tags:
            front["tags"] = list(self.tags)
        source = {k: v for k, v in (("name", self.source_name), ("url", self.source_url)) if v}
        if source:
            front["source"] = source
        if self.image_src:
            front["image"] = {"src": self.image_src, "alt": self.image_alt,
                              **({"caption": self.image_caption} if self.image_caption else {}),
                              **({"credit": self.image_credit} if self.image_credit else {})}
        if self.related:
            front["related"] = list(self.related)
        front["draft"] = True
        return front


@dataclass(frozen=True)
class Found:
    path: str
    slug: str


class Known:
    """The articles content/ holds (drafts included), so an import skips what was imported before.

    A story is known by its source address, or by its title on its day; a story whose day was
    guessed is known by its title alone.
    """

    def __init__(self, timezone: str) -> None:
        self.zone = ZoneInfo(timezone)
        self._by_url: dict[str, Found] = {}
        self._by_title: dict[tuple[str, str, date | None], Found] = {}

    @classmethod
    def of(cls, config: SiteConfig) -> "Known":
        from .content import read_documents, scan_content, stories

        known = cls(config.timezone)
        sources, _ = scan_content(config)
        documents, _, _ = read_documents(config, sources, None, 1)  # files with errors are passed over
        for doc in stories(documents):
            known._note(doc.lang, doc.title, doc.date, doc.source_url, Found(doc.path, doc.slug))
        return known

    def find(self, lang: str, title: str, day: date | datetime | None, url: str = "") -> Found | None:
        if url and url in self._by_url:
            return self._by_url[url]
        return self._by_title.get((lang, as_read(title), self._day(day)))

    def add(self, draft: Draft, path: str) -> None:
        self._note(draft.lang, draft.title, draft.when, draft.source_url, Found(path, draft.slug))

    def _note(self, lang: str, title: str, when: date | datetime, url: str, found: Found) -> None:
        if url:
            self._by_url.setdefault(url, found)
        for key in ((lang, as_read(title), self._day(when)), (lang, as_read(title), None)):
            self._by_title.setdefault(key, found)

    def _day(self, when: date | datetime | None) -> date | None:
        """The day in the site's time zone, as the article's URL will have it."""
        return when.astimezone(self.zone).date() if isinstance(when, datetime) else when


def slug_for(title: str) -> str:
    """An ASCII slug from a title in any script: `قمة بين بوتين وكيم` → `qmh-byn-bwtyn-wkym`."""
    words = [w for w in _NOT_SLUG.split(anyascii(title).lower()) if w]
    return "-".join(words[:SLUG_WORDS])[:MAX_SLUG_BYTES].strip("-") or "article"


def path_for(config: SiteConfig, draft: Draft) -> Path:
    if draft.page:
        return config.content_dir / PAGES_FOLDER / f"{draft.slug}.{draft.lang}.md"
    return config.content_dir / f"{draft.when:%Y}" / f"{draft.when:%m}" / f"{draft.slug}.{draft.lang}.md"


def free_slug(config: SiteConfig, draft: Draft, taken: set[Path]) -> Draft:
    """The draft, its slug suffixed -2, -3… if its file exists or is `taken` by another draft of this run."""
    base, n = draft.slug, 1
    while path_for(config, draft).exists() or path_for(config, draft) in taken:
        n += 1
        draft = replace(draft, slug=f"{base[:MAX_SLUG_BYTES - 4]}-{n}")
    taken.add(path_for(config, draft))
    return draft


def static_path(config: SiteConfig, address: str) -> Path:
    return config.root / "static" / address.lstrip("/")


def with_picture(config: SiteConfig, draft: Draft, picture: Picture, taken: set[Path]) -> Draft:
    """The draft with `picture` as its image, at static/images/<slug><suffix> (-2, -3… if that file exists or is
    `taken` by another draft or picture of this run)."""
    address = free_address(config, draft.slug, picture.suffix, taken)
    return replace(draft, image_src=address, image_alt=picture.alt, pictures=draft.pictures + ((address, picture),))


def in_text(config: SiteConfig, draft: Draft, picture: Picture, taken: set[Path]) -> tuple[Draft, str]:
    """The draft with `picture` to write beside it for its text, named after the draft and numbered after the
    pictures it has (<slug>-2, -3…), and the address its text shows it at."""
    address = free_address(config, draft.slug, picture.suffix, taken, len(draft.pictures) + 1)
    return replace(draft, pictures=draft.pictures + ((address, picture),)), address


def free_address(config: SiteConfig, slug: str, suffix: str, taken: set[Path], n: int = 1) -> str:
    """static/images/<slug><suffix>, or the first of -n, -(n+1)… that no file has and no other draft takes."""
    address = f"/images/{slug}{suffix}" if n == 1 else f"/images/{slug}-{n}{suffix}"
    while static_path(config, address).exists() or static_path(config, address) in taken:
        n += 1
        address = f"/images/{slug}-{n}{suffix}"
    taken.add(static_path(config, address))
    return address


def write_drafts(config: SiteConfig, drafts: list[Draft]) -> list[Path]:
    """Create every draft's file (and its pictures', as the CMS saves a photo: without the place it was taken, at
    most 2400 px), or none of them if any exists already."""
    files = [(path_for(config, d), _text(d)) for d in drafts]
    files += [(static_path(config, address), as_imported(picture.data)) for d in drafts
              for address, picture in d.pictures]
    existing = [p for p, _ in files if p.exists()]
    if existing:
        raise MujazError(f"{existing[0].relative_to(config.root)} already exists — choose another --slug; nothing was written")
    outside = [p for p, _ in files if not within(config.root, p)]
    if outside:  # a folder on the way is a link out of the site (a fork's): its files would land elsewhere
        raise MujazError(f"{outside[0].relative_to(config.root)} would be written through a link to a folder outside "
                         "the site — make that folder a folder of the site; nothing was written")
    for draft in drafts:
        if not SLUG.match(draft.slug) or not draft.slug.isascii():
            raise MujazError(f"slug {draft.slug!r} is not usable — give one with --slug, in ASCII letters, digits and -")
    written: list[Path] = []
    try:
        for path, data in files:
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("xb") as handle:  # "x": never overwrite, even if created meanwhile
                handle.write(data)
            written.append(path)
    except FileExistsError as exc:
        for path in written:  # all or nothing: an import is not left half done
            path.unlink()
        raise MujazError(f"{Path(exc.filename).relative_to(config.root)} appeared while writing; nothing was written") from None
    return written


def within(root: Path, path: Path) -> bool:
    """Whether `path`, its folders' links followed as far as they exist, stays inside `root`."""
    existing = path.parent
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    return existing.resolve().is_relative_to(root.resolve())


def _text(draft: Draft) -> bytes:
    text = "---\n" + yaml.safe_dump(draft.front_matter(), allow_unicode=True, sort_keys=False) + "---\n\n"
    return (text + (draft.body.strip() + "\n" if draft.body.strip() else "")).encode("utf-8")


def new_article(config: SiteConfig, title: str, languages: list[str], day: date | None = None,
                tags: list[str] | None = None, slug: str | None = None, authors: list[str] | None = None,
                page: bool = False) -> list[Path]:
    """Write content/YYYY/MM/<slug>.<lang>.md for each language, as drafts (content/pages/<slug>.<lang>.md for a
    page); refuse to overwrite."""
    if not title.strip():
        raise MujazError("the title is empty — give one: python -m generator new \"…\"")
    for lang in languages:
        config.require_language(lang, also=" or both")
    clean_tags = tuple(t.strip() for t in tags or [] if t.strip())
    writers = tuple(dict.fromkeys(a.strip() for a in authors or [] if a.strip()))
    if page and (day or clean_tags or writers):
        given = "--date" if day else "--tags" if clean_tags else "--author"
        raise MujazError(f"a page has no date, tags or writer — leave out {given}, or leave out --page for a story")
    day = day or datetime.now(ZoneInfo(config.timezone)).date()
    slug = slug if slug is not None else slug_for(title)
    return write_drafts(config, [Draft(title.strip(), day, lang, slug, tags=clean_tags, authors=writers, page=page)
                                 for lang in languages])
