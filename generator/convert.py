"""`convert`: stories moved from Hugo, Jekyll, Pelican or WordPress, written again in Mujaz's terms.

An archive of thousands of stories is not retyped by hand. Each story's front matter is written as YAML
between --- lines (from Hugo's TOML or JSON, or Pelican's bare metadata lines), with Mujaz's names for the
keys other systems name otherwise (`moved.RENAMED`: description is summary, lastmod is updated), a story
its system held back (`published: false`, `status: draft`) as `draft: true`, and the teaser before <!--more-->
as the summary of a story that has none. A YAML front matter keeps every line it needs no change in. In the
text, each code of those systems that Mujaz has an equivalent for (`moved.codes`) is replaced by it. A story
whose name Mujaz reads otherwise moves: Hugo's page bundle (its pictures into static/images/) and Jekyll's
dated name; so does a page that is no story (About us), into content/pages/. A story is written only if it
then reads without an error, whole, over no file but its own, and not if it changed meanwhile.
"""
from __future__ import annotations

import dataclasses
import json
import os
import re
import tomllib
from dataclasses import dataclass
from datetime import time
from pathlib import Path

import yaml

from .config import SiteConfig
from .content import KNOWN_KEYS, PAGES_FOLDER, SUMMARY_LONGEST, language_written, named_stories, parse_document
from .errors import Diagnostic
from .moved import ADDRESS_KEYS, HELD_BACK, LANGUAGE_KEYS, RENAMED, SECTION_PAGE, SECTION_PAGE_HINT, SECTION_PAGE_NOTE, codes
from .scaffold import within
from .writer import read_plain, write_beside
from .yamlsafe import load_bounded


@dataclass
class Converted:
    """What a run wrote, and a line for each story it left as it was and why."""

    stories: list[str]
    notes: list[str]


def convert(config: SiteConfig, named: list[Path], dry_run: bool = False) -> Converted:
    """Convert the stories `named` (every story under content/ if none); with `dry_run`, write nothing.
    MujazError for a name that is no story of the site."""
    done = Converted([], [])
    bundles: dict[Path, dict[Path, Path]] = {}  # a bundle's pictures, moved once for all its languages
    for source in named_stories(config, named):
        raw = source.raw if source.raw is not None else read_plain(config.root / source.path, 2**31)
        if raw is not None:  # not a plain file now: the build names it
            _story(config, source.path, raw, done, dry_run, bundles)
    return done


# Jekyll's name for a post: its day, then its slug (2023-09-13-port-reopens.md); Hugo's page bundle: a folder
# named for the story, its text in index.md and its pictures beside it.
_DATED = re.compile(r"^(\d{4}-\d{2}-\d{2})-(.+)$")
_BUNDLE = "index"


@dataclass(frozen=True)
class _Place:
    rel: str  # where the story goes, from the site's root
    language: str
    day: str  # the day its old name gave, for a story whose front matter has none
    bundle: Path | None  # the folder of a page bundle, whose pictures go to static/images/<slug>/
    slug: str


def _story(config: SiteConfig, rel: str, raw: bytes, done: Converted, dry_run: bool,
           bundles: dict[Path, dict[Path, Path]]) -> None:
    bom = "\ufeff" if raw.startswith(b"\xef\xbb\xbf") else ""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return  # the build names the file's encoding, and how to save it
    newline = "\r\n" if "\r\n" in text else "\n"
    plain = text.replace("\r\n", "\n")
    if rel.rsplit("/", 1)[-1].split(".")[0] == SECTION_PAGE:
        done.notes.append(f"{rel}: left as it was: it {SECTION_PAGE_NOTE} — {SECTION_PAGE_HINT}")
        return
    place = _place(config, rel, plain)
    try:
        new = _converted(plain, place.language, place.day)
    except _Unread as exc:
        done.notes.append(f"{rel}: left as it was: {exc} — write its front matter as YAML between --- lines")
        return
    if _is_page(new, place):
        new, place = _as_page(new), dataclasses.replace(place, rel=f"content/{PAGES_FOLDER}/{Path(place.rel).name}")
    if place.bundle is not None and place.bundle not in bundles:
        bundles[place.bundle] = _bundle_pictures(config, place)
    pictures = bundles.get(place.bundle, {})
    new = _pictures_moved(new, pictures, place)
    if new == plain and place.rel == rel:
        return
    encoded = (bom + new.replace("\n", newline)).encode("utf-8")
    found: list[Diagnostic] = []
    if parse_document(encoded, place.rel, place.rel.removeprefix("content/"), config, found) is None or any(
            d.severity == "error" for d in found):
        first = next(d for d in found if d.severity == "error")
        done.notes.append(f"{rel}: left as it was: written in Mujaz's terms it would still not read "
                          f"({first.message}) — fix that by hand, as check says")
        return
    moving = {old: new_place for old, new_place in pictures.items() if os.path.lexists(old)}  # not yet, by another
    if _written(config, rel, raw, place, encoded, moving, done, dry_run):
        done.stories.append(rel if place.rel == rel else f"{rel} → {place.rel}")


def _written(config: SiteConfig, rel: str, raw: bytes, place: _Place, encoded: bytes, moving: dict[Path, Path],
             done: Converted, dry_run: bool) -> bool:
    """Whether the story could be written at its place (with `dry_run`, would be), its pictures moved: over no
    file, through no link out of the site, and only if it is as it was read."""
    path, target = config.root / rel, config.root / place.rel
    taken = [where for where in (target, *moving.values()) if where != path and os.path.lexists(where)]
    if taken or not all(within(config.root, where) for where in (target, *moving.values())):
        what = (f"{taken[0].relative_to(config.root)} is taken" if taken else
                "a folder on the way is a link to one outside the site")
        done.notes.append(f"{rel}: left as it was: {what} — rename or move that file, then run convert again")
        return False
    if dry_run:
        return True
    if read_plain(path, len(raw)) != raw:
        done.notes.append(f"{rel}: changed while it was converted, and was left as it was — run convert again")
        return False
    moved: list[tuple[Path, Path]] = []
    try:
        for old, new_place in moving.items():
            new_place.parent.mkdir(parents=True, exist_ok=True)
            _move(old, new_place)
            moved.append((old, new_place))
        target.parent.mkdir(parents=True, exist_ok=True)
        if target == path:
            os.replace(write_beside(target, encoded), target)
        else:
            partial = write_beside(target, encoded)
            try:
                _move(partial, target)
            finally:
                partial.unlink(missing_ok=True)
            path.unlink()
    except FileExistsError as exc:
        for old, new_place in reversed(moved):  # back in the bundle, for the next run to move with the story
            _move(new_place, old)
        done.notes.append(f"{rel}: left where it was: {Path(exc.filename2 or exc.filename).name} was made "
                          "meanwhile — run convert again")
        return False
    if place.bundle is not None:
        _remove_emptied(place.bundle)
    return True


def _remove_emptied(bundle: Path) -> None:
    """The bundle's folder and the ones below it that its pictures were in, where nothing is left in them."""
    for folder in [*sorted(path for path in bundle.iterdir() if path.is_dir() and not path.is_symlink()), bundle]:
        if not any(folder.iterdir()):
            folder.rmdir()


def _move(old: Path, new: Path) -> None:
    """`old` renamed `new`, never over a file (FileExistsError): a second name, then the first removed."""
    try:
        os.link(old, new, follow_symlinks=False)
    except FileExistsError:
        raise
    except OSError:  # a file system without hard links: copied, and never over a file ("xb")
        with open(old, "rb") as source, open(new, "xb") as copy:
            copy.write(source.read())
    os.unlink(old)


def _place(config: SiteConfig, rel: str, text: str) -> _Place:
    """Where a story goes: Jekyll's day and Hugo's index.md out of its name, with the language its letters are
    written in where the name gives none and that is not the site's default."""
    folder, _, name = rel.rpartition("/")
    stem = name[: -len(".md")]
    base, dot, suffix = stem.rpartition(".")
    language = suffix if dot and suffix in config.language_codes else ""
    slug = base if language else stem
    day, bundle = "", None
    if slug == _BUNDLE and folder.count("/") >= 1:
        bundle = config.root / folder
        folder, _, slug = folder.rpartition("/")
    dated = _DATED.match(slug)
    if dated:
        day, slug = dated[1], dated[2]
    written = language or language_written(config, text) or config.default_language
    named = f"{slug}.{written}.md" if language or written != config.default_language else f"{slug}.md"
    return _Place(f"{folder}/{named}", written, day, bundle, slug)


def _bundle_pictures(config: SiteConfig, place: _Place) -> dict[Path, Path]:
    """A page bundle's files (its pictures, in its folder or one below it, as WordPress exports write them:
    images/…) and where each goes: static/images/<slug>/, in the same place below it. A link is not moved: into
    static/, it would publish what it leads to."""
    found = {}
    for folder, folders, files in os.walk(place.bundle):  # links to folders are not followed
        folders[:] = sorted(folders) if Path(folder) == place.bundle else []
        for name in sorted(files):
            path = Path(folder) / name
            if not path.is_symlink() and path.is_file() and not name.endswith(".md"):
                found[path] = config.root / "static" / "images" / place.slug / path.relative_to(place.bundle)
    return found


def _pictures_moved(text: str, pictures: dict[Path, Path], place: _Place) -> str:
    """`text` naming each moved picture at its new address, where a link, an image or a front matter value named it
    from the bundle (`photo.jpg`, `./photo.jpg`, `images/photo.jpg`)."""
    for old in pictures:
        relative = old.relative_to(place.bundle).as_posix()
        written = re.escape(relative)
        text = re.sub(rf"(?<=[(\"'])(?:\./)?{written}(?=[)\"'\s])|(?<=: )(?:\./)?{written}$",
                      f"/images/{place.slug}/{relative}", text, flags=re.M)
    return text


# A page that is no story (About us), as the other systems mark one: Jekyll's `layout: page`, Hugo's `type: page`,
# or a file at the top of Hugo's content/ without a date. It goes to content/pages/, where it needs no date.
_PAGE_MARKS = ("layout", "type")
# What a page of content/pages/ has no use for: the other system's marks, its menu, and the old address a story
# keeps (a page's own is its name: about.md is /about/ there as here).
_PAGE_UNUSED = frozenset({*_PAGE_MARKS, "menu", "aliases"})


def _is_page(text: str, place: _Place) -> bool:
    """Whether a story converted to `text` is a page of the other system: no date, and marked as a page or at the
    top of content/."""
    if place.day or place.rel.startswith(f"content/{PAGES_FOLDER}/") or not text.startswith("---\n"):
        return False
    head = text[4:].partition("\n---\n")[0]
    try:
        meta = load_bounded(head)
    except yaml.YAMLError:
        return False
    if not isinstance(meta, dict) or meta.get("date") is not None:
        return False
    return place.rel.count("/") == 1 or any(str(meta.get(mark, "")).strip().lower() == "page" for mark in _PAGE_MARKS)


def _as_page(text: str) -> str:
    """A converted page's text without the keys a page has no use for, and Hugo's `weight` (its place in a menu)
    as its `order` among the pages the foot of every page links."""
    lines = text.split("\n")
    closing = lines.index("---", 1)
    starts = [i for i in range(1, closing) if _TOP_KEY.match(lines[i])]
    kept = lines[1:starts[0]] if starts else lines[1:closing]
    for start, end in zip(starts, [*starts[1:], closing]):
        key = lines[start].split(":", 1)[0].strip()
        if key in _PAGE_UNUSED:
            continue
        if key == "weight":
            lines[start] = "order:" + lines[start].split(":", 1)[1]
        kept += lines[start:end]
    return "\n".join(["---", *kept, *lines[closing:]])


class _Unread(Exception):
    """Another system's front matter this command cannot read either."""


# Pelican's metadata: `Key: value` lines at the top of the file, up to the first empty line.
_PELICAN = re.compile(r"^([A-Za-z][\w -]{0,40}):\s*(.*)$")
_TOP_KEY = re.compile(r"^[^\s#-][^\n]*:")


# Where Hugo, Jekyll and WordPress end a story's teaser: the words before it are the summary they show in lists.
_MORE = re.compile(r"^[ \t]*<!--\s*more\s*-->[ \t]*$", re.MULTILINE | re.IGNORECASE)
_MARKUP = re.compile(r"[<>\[\]*_`#|\\{}]")


def _converted(text: str, language: str, day: str = "") -> str:
    """The text in Mujaz's terms: its front matter (with the `day` its old name gave, and the teaser before
    <!--more--> as its summary, where it has none), then its body with the codes replaced."""
    head, body = _front_matter(text, language)
    if head.startswith("---\n"):  # and ends with its closing ---
        if day and not re.search(r"^date\s*:", head, re.M):
            head = head[:-4] + f"date: {day}\n---\n"
        teaser, rest = _teaser(body) if not re.search(r"^summary\s*:", head, re.M) else ("", body)
        if teaser:  # the page shows the summary above the text: the teaser moves there, and is not shown twice
            head, body = head[:-4] + "\n".join(_yaml_lines({"summary": teaser})) + "\n---\n", rest
    parts, at = [head], 0
    for code in codes(body):
        if code.replacement is not None:
            parts += [body[at:code.start], code.replacement]
            at = code.end
    return "".join(parts) + body[at:]


def _teaser(body: str) -> tuple[str, str]:
    """(the words before <!--more-->, the text after it), where they are one short paragraph of plain text (a
    summary is one sentence shown in lists, feeds and link previews); ("", body) otherwise."""
    more = _MORE.search(body)
    if more is None:
        return "", body
    words = " ".join(body[:more.start()].split())
    plain = "\n\n" not in body[:more.start()].strip() and not _MARKUP.search(words)
    return (words, body[more.end():].lstrip("\n")) if plain and 0 < len(words) <= SUMMARY_LONGEST else ("", body)


def _front_matter(text: str, language: str) -> tuple[str, str]:
    """(the front matter in Mujaz's terms, with its --- lines, the body after it)."""
    first, _, rest = text.partition("\n")
    if first.strip() == "+++":
        meta, end = _toml(rest)
        return _yaml(_in_mujaz_terms(meta, language)), rest[end:]
    if first.strip() == "{":
        try:
            meta, end = json.JSONDecoder().raw_decode(text)
        except json.JSONDecodeError as exc:
            raise _Unread(f"its JSON front matter does not read (line {exc.lineno})") from None
        if not isinstance(meta, dict):
            raise _Unread("its JSON front matter is no set of keys")
        return _yaml(_in_mujaz_terms(meta, language)), text[end:].removeprefix("\n")
    if first.strip() != "---":
        return _pelican(text, language)
    lines = text.split("\n")
    closing = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if closing is None:
        return "", text  # the build says what is missing
    return "\n".join(["---", *_blocks(lines[1:closing], language), "---", ""]), "\n".join(lines[closing + 1:])


def _toml(rest: str) -> tuple[dict, int]:
    match = re.search(r"^\+\+\+[ \t]*$", rest, re.MULTILINE)
    if match is None:
        raise _Unread("its TOML front matter has no closing +++ line")
    try:
        meta = tomllib.loads(rest[:match.start()])
    except tomllib.TOMLDecodeError as exc:
        raise _Unread(f"its TOML front matter does not read ({exc})") from None
    return meta, min(match.end() + 1, len(rest))


def _pelican(text: str, language: str) -> tuple[str, str]:
    lines = text.split("\n")
    end = next((i for i, line in enumerate(lines) if not line.strip()), len(lines))
    meta = {}
    for line in lines[:end]:
        found = _PELICAN.match(line)
        if found is None:
            return "", text  # no metadata lines: the build names what is missing
        meta[found[1].strip().lower()] = found[2].strip()
    for key in ("tags", "keywords"):
        if isinstance(meta.get(key), str):
            meta[key] = [tag.strip() for tag in meta[key].split(",") if tag.strip()]
    return _yaml(_in_mujaz_terms(meta, language)), "\n".join(lines[end + 1:])


def _blocks(lines: list[str], language: str) -> list[str]:
    """A YAML front matter's lines, each top-level key's lines kept unless Mujaz names or reads it otherwise."""
    starts = [i for i, line in enumerate(lines) if _TOP_KEY.match(line)]
    kept = lines[:starts[0]] if starts else lines
    taken = _keys(lines)
    for start, end in zip(starts, [*starts[1:], len(lines)]):
        block = lines[start:end]
        try:
            meta = load_bounded("\n".join(block))  # a fork's alias bomb is refused here as in a build
        except yaml.YAMLError:
            meta = None
        if not isinstance(meta, dict) or len(meta) != 1:
            kept += block
            continue
        ours = _in_mujaz_terms(meta, language, taken)
        if ours != meta:
            block = _yaml_lines(ours)
            taken |= set(ours)  # `status: draft` and `published: false` make one draft: true
        kept += block
    return kept


def _keys(lines: list[str]) -> set[str]:
    return {line.split(":", 1)[0].strip() for line in lines if _TOP_KEY.match(line)}


def _in_mujaz_terms(meta: dict, language: str, taken: set[str] | None = None) -> dict:
    """`meta` with Mujaz's names and forms for other systems' keys; a key whose Mujaz name is `taken` (the
    front matter has it already) is left as it is, for check to name."""
    taken = set(meta) if taken is None else taken
    ours: dict = {}
    for key, value in meta.items():
        name = str(key).strip().lower().replace("-", "_")
        if name in KNOWN_KEYS and (name == key or name not in taken):
            ours[name] = value
        elif name in RENAMED and RENAMED[name] not in taken and RENAMED[name] not in ours:
            ours[RENAMED[name]] = _value(RENAMED[name], value)
        elif name == "published" and isinstance(value, bool) or name == "status" and isinstance(value, str):
            if (value is False or str(value).lower() in HELD_BACK) and "draft" not in taken:
                ours["draft"] = True
        elif name in LANGUAGE_KEYS and str(value).lower() == language:
            pass  # the file's name says it
        elif name in ADDRESS_KEYS and isinstance(value, str) and "aliases" not in taken | set(ours):
            ours["aliases"] = [value]  # its old address leads to its new one
        else:
            ours[key] = value
    return ours


def _value(key: str, value: object) -> object:
    if key == "category" and isinstance(value, list):
        return next((item for item in value if item), "")
    if key == "author" and isinstance(value, list):  # Hugo's `authors`: each writer has a page
        names = [str(item) for item in value if item]
        return names[0] if len(names) == 1 else names
    if key == "aliases" and isinstance(value, str):
        return [value]
    if key == "image":
        if isinstance(value, list):
            value = next((item for item in value if item), "")
        if isinstance(value, dict):
            src = value.get("src") or value.get("url") or value.get("image") or value.get("path")
            return {"src": src, "alt": value["alt"]} if value.get("alt") else {"src": src} if src else value
    return value


def _yaml(meta: dict) -> str:
    return "\n".join(["---", *_yaml_lines(meta), "---", ""])


def _yaml_lines(meta: dict) -> list[str]:
    if not meta:
        return []
    try:
        text = yaml.safe_dump(_writable(meta), allow_unicode=True, sort_keys=False, width=10_000)
    except yaml.YAMLError as exc:
        raise _Unread(f"a value YAML cannot write ({exc})") from None
    return text.rstrip("\n").split("\n")


def _writable(value: object) -> object:
    """`value` with what TOML has and YAML does not (a time of day alone) as its text."""
    if isinstance(value, dict):
        return {key: _writable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_writable(item) for item in value]
    return value.isoformat() if isinstance(value, time) else value
