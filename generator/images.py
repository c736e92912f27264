"""Pictures for readers on phones: the site's own photos, resized, re-encoded and stripped of metadata.

Every photo under static/ (JPEG, PNG, WebP, AVIF, a still GIF) that an article shows (its lead image, images
in its text) is written at a few widths (never wider than the photo) as WebP, and in the photo's own format
(PNG for a GIF) as the fallback; the page offers them through `<picture>`/`srcset` with the photo's width and
height, so a phone takes the copy its screen needs and the page does not jump when it arrives.
The file at the photo's own address is replaced by a copy turned upright (EXIF orientation) and
re-encoded without its metadata: EXIF and GPS tags would tell where a photographer stood.

Work is cached by the photo's bytes and the settings, in .cache/mujaz/images/: a build whose
photos did not change does no image work but a hash of each.
"""

from __future__ import annotations

import json
import os
import re
import time
import warnings
from html import escape, unescape
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import quote, unquote

from .config import ImagesConfig
from .content import SETTLE_NS, settled_stamp
from .errors import Diagnostic
from .hashing import digest
from .metadata import MAX_PIXELS, located, upright
from .workers import start_indices
from .writer import is_plain_file, own_folder, read_plain, write_beside

# Other formats (SVG) and animations are published as they are. A WebP or AVIF photo (one saved from a web page, or
# one the CMS saved) keeps its format at its own address and in its srcset, and an opaque WebP's copies are JPEG too,
# for the browsers that show no WebP (iOS before 14); a still GIF (a chart, a map) keeps its format at its own address,
# and its copies for phones are PNG, which shows a GIF's flat colours as they are.
EXTENSIONS = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".webp": "WEBP", ".avif": "AVIF", ".gif": "GIF"}
# Formats a camera or an editing program saves and that Chrome, Firefox and Android's browsers do not show:
# published as they are, each is an empty frame for most readers.
NOT_SHOWN = {".heic": "an iPhone's HEIC photo", ".heif": "a HEIF photo", ".tif": "a TIFF file", ".tiff": "a TIFF file",
             ".psd": "a Photoshop file", **dict.fromkeys((".dng", ".cr2", ".nef", ".arw"), "a camera's raw file")}
MIME = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "AVIF": "image/avif", "GIF": "image/gif"}
SUFFIX = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp", "AVIF": ".avif", "GIF": ".gif"}
FULL_WIDTH_FACTOR = 2  # the copy at the photo's own address: at most twice the widest width
PHOTOS_PER_JOB = 2  # a photo takes a tenth of a second or more: two of them pay for a process
_FORMAT_VERSION = 3  # of the cached files: a new one leaves the old entries unused (2: whether it is located; 3: in
# sRGB and 8 bits, so that photos already copied with their colours dull or their greys white are copied again)


# A lead photo narrower than this is seen stretched: Facebook shows a link's picture under 600 × 315 px as a small
# square (its sharing guide), and a phone's screen, 360 to 430 CSS px at two or three device pixels each, wider.
SHARP_LEAD_WIDTH = 600


@dataclass(frozen=True)
class Picture:
    """A processed photo, as a page offers it: the copy at its own address, and a srcset per format, the
    smallest first (a browser takes the first <source> it can show) and the most widely shown last (the <img>)."""

    src: str  # the copy at full size, at the photo's own address
    width: int
    height: int
    sources: tuple[tuple[str, str], ...]  # (MIME type, srcset)


@dataclass(frozen=True)
class Processed:
    pictures: dict[str, Picture]  # by address in the pages (base path included)
    files: list[tuple[str, Path]]  # (path in output/, file in the cache) to publish
    replaced: frozenset[str]  # paths in output/ whose static/ original is not published as it is
    warnings: tuple[Diagnostic, ...]  # photos Pillow cannot read, published as they are; errors: names that clash
    originals: dict[str, tuple[Path, str]]  # by address: the static/ file and the hash of its bytes
    sizes: dict[str, tuple[int, int]]  # by address: each photo's width and height, check's too (it makes no copies)


def process_images(addresses: set[str], static: list[tuple[str, Path]], base_path: str, settings: ImagesConfig,
                   cache_dir: Path, jobs: int | None, write: bool = True) -> Processed:
    """Resized copies of the static/ photos behind `addresses`; a warning for each one Pillow cannot read.
    Without `write` (for check) nothing is written: only photos the cache holds already are offered, and the others
    are read for what the build would say of them."""
    by_rel = dict(static)
    wanted: dict[str, Path] = {}  # rel -> source
    named: dict[str, list[str]] = {}  # rel -> the addresses pages name it by (`a b.jpg` in front matter, `a%20b.jpg`)
    warnings: list[Diagnostic] = []
    for address in sorted(addresses):
        rel = unquote(address[len(base_path):]) if address.startswith(base_path) else ""
        suffix = Path(rel).suffix.lower()
        if suffix in EXTENSIONS and rel in by_rel:
            wanted[rel] = by_rel[rel]
            named.setdefault(rel, []).append(address)
        elif suffix in NOT_SHOWN and rel in by_rel:
            warnings.append(Diagnostic(f"static/{rel}", f"is {NOT_SHOWN[suffix]}, which Chrome, Firefox and Android's "
                                       "browsers do not show: most readers would see an empty frame", None,
                                       "export it as JPEG and link the .jpg (on an iPhone: Settings → Camera → "
                                       "Formats → Most Compatible)", "warning"))
    if not wanted:
        return Processed({}, [], frozenset(), tuple(warnings), {}, {})
    folder = cache_dir / "images"
    jobs_list = []
    withheld: set[str] = set()  # photos that cannot be read and hold their place: never published as they are
    located_rels: list[str] = []  # photos that hold the place they were taken
    seen: dict[str, Seen] = {}  # rel -> what check read of a photo it makes no copies of
    done: dict[str, tuple[dict, Path]] = {}
    originals = {}
    hashes = _photo_hashes(wanted, folder, write)
    alike: dict[str, list[str]] = {}  # key -> the photos of those bytes: one photo saved under several names
    for rel, source in list(wanted.items()):
        originals.update((address, (source, hashes[rel])) for address in named[rel])
        key = digest(repr((_FORMAT_VERSION, settings.widths, settings.formats, settings.quality, hashes[rel])).encode())
        entry = _cached(folder, key)
        if entry is not None:
            done[rel] = entry
            located_rels += [rel] if entry[0]["located"] else []
        elif key not in alike:  # its copies are made once: two workers writing one entry raced
            alike[key] = [rel]
            jobs_list.append((rel, source, key))
        else:
            alike[key].append(rel)
    if jobs_list:
        # check writes nothing, but reads every photo the cache does not hold: one that cannot be read is
        # reported to a pull request as the build that publishes it would report it.
        results = start_indices(_process_one if write else _read_one, _PhotoJob(jobs_list, settings, folder),
                                len(jobs_list), jobs, per_job=PHOTOS_PER_JOB)()
        for (_, _, key), (meta, message, place, as_it_is, read) in zip(jobs_list, results):
            for rel in alike[key]:
                # What is published as it is (a photo that cannot be read, an animation) keeps its metadata: one
                # that holds its place is left out instead.
                kept = "left out of the site: its metadata holds the place it was taken (GPS), which only a copy " \
                       "could leave out" if place else "published as it is, at full size"
                if message:
                    warnings.append(Diagnostic(f"static/{rel}", f"{message}; {kept}", None,
                                               "save it again as JPEG or PNG", "warning"))
                elif as_it_is and place:
                    warnings.append(Diagnostic(f"static/{rel}", f"is an animation, which is published as it is; {kept}",
                                               None, "save it again without its place (GPS)", "warning"))
                withheld |= {rel} if as_it_is and place else set()
                located_rels += [rel] if place else []
                if meta is None:
                    del wanted[rel]
                    seen.update({rel: read} if read else {})
                else:
                    done[rel] = (meta, folder / key)
    warnings += _located(located_rels)
    if write:
        _drop_unused(folder, {entry.name for _, entry in done.values()})
    pictures, files, made = {}, [], {}
    for rel in wanted:
        meta, entry_dir = done[rel]
        pictures.update((address, _picture(address, meta)) for address in named[rel])
        for name in meta["files"]:
            published = _beside(rel, name)
            files.append((published, entry_dir / name))
            made.setdefault(published, []).append(rel)
    for rel, read in seen.items():  # check: the copies the build would make, which may take another's names
        for name in read.files:
            made.setdefault(_beside(rel, name), []).append(rel)
    warnings += _name_clashes(made, by_rel.keys() - wanted.keys() - seen.keys())
    sizes = {address: (picture.width, picture.height) for address, picture in pictures.items()}
    sizes.update((address, (read.width, read.height)) for rel, read in seen.items() for address in named[rel])
    return Processed(pictures, files, frozenset(wanted) | withheld, tuple(warnings),
                     {a: o for a, o in originals.items() if a in pictures}, sizes)


def _photo_hashes(sources: dict[str, Path], folder: Path, write: bool = True) -> dict[str, str]:
    """A hash of each photo's bytes; a photo whose file is unchanged since the last build is not read again.

    "Unchanged": the stamp it had then, by the rule content files follow (content.settled_stamp).
    """
    index_file = folder / "index.json"
    raw = read_plain(index_file, 20_000_000)  # the cache may come from elsewhere: never a link, a pipe, a huge file
    try:
        known = json.loads(raw) if raw is not None else {}
    except ValueError:
        known = {}
    if not isinstance(known, dict):
        known = {}
    settled_before = time.time_ns() - SETTLE_NS
    hashes, index = {}, {}
    for rel, source in sources.items():
        stamp = settled_stamp(source.stat(), settled_before)
        entry = known.get(rel)
        if stamp is not None and isinstance(entry, list) and len(entry) == 6 and tuple(entry[:5]) == stamp \
                and isinstance(entry[5], str) and re.fullmatch(r"[0-9a-f]{16,128}", entry[5]):
            hashes[rel] = entry[5]
        else:
            hashes[rel] = digest(source.read_bytes())
        if stamp is not None:
            index[rel] = [*stamp, hashes[rel]]
    if write and index != known:
        folder.mkdir(parents=True, exist_ok=True)
        os.replace(write_beside(index_file, json.dumps(index).encode()), index_file)
    return hashes


def _located(rels: list[str]) -> list[Diagnostic]:
    """A warning per photo that holds the place it was taken, or one for them all past a few: a site that has
    published for years before has hundreds, and `remove-locations` saves them all again at once."""
    what = ("the site's copies leave it out, but anyone who can read the repository can read it in this file", None,
            "upload the photo again in /admin/, which saves it without its place, and delete this file (or run: "
            "python -m generator remove-locations)")
    if len(rels) <= _LOCATED_NAMED:
        return [Diagnostic(f"static/{rel}", f"its metadata holds the place it was taken (GPS): {what[0]}", *what[1:],
                           "warning") for rel in rels]
    named = ", ".join(sorted(rels)[:_LOCATED_NAMED])
    return [Diagnostic("static/", f"{len(rels)} photos hold the place they were taken (GPS) in their metadata ({named} "
                       f"and {len(rels) - _LOCATED_NAMED} more): the site's copies leave it out, but anyone who can "
                       "read the repository can read it in these files", None,
                       "run: python -m generator remove-locations, and commit the photos it saves again", "warning")]


_LOCATED_NAMED = 3


def _name_clashes(made: dict[str, list[str]], as_they_are: set[str]) -> list[Diagnostic]:
    """An error for each photo whose copies for phones take the names of another's (port.jpg and port.webp
    both give port-w480.webp), or of a file of static/ published as it is; `made` lists, for each name,
    the photos whose copies have it."""
    problems = {}
    for path, photos in made.items():
        first, *others = photos
        for other in others:
            problems.setdefault((first, other), Diagnostic(
                f"static/{other}", f"its copies for phones would have the names of those of static/{first} ({path})",
                None, "rename one of the two photos"))
        if path in as_they_are:
            problems.setdefault((path, first), Diagnostic(
                f"static/{path}", f"has the name of a copy for phones of static/{first}", None, "rename one of them"))
    return list(problems.values())


def _drop_unused(folder: Path, used: set[str]) -> None:
    """Entries of photos no article shows any more (or of their old versions), and halves a killed build left."""
    for entry in folder.iterdir() if folder.is_dir() else ():
        if entry.name not in used and _ENTRY_NAME.match(entry.name):
            _remove(entry)


def _beside(rel: str, name: str) -> str:
    """images/port.jpg and "w800.webp" → images/port-w800.webp; "full.jpg" → images/port.jpg itself."""
    return rel if name.startswith("full.") else f"{rel.rpartition('.')[0]}-{name}"


def _picture(address: str, meta: dict) -> Picture:
    stem = address.rpartition(".")[0]
    if re.search(r"[\s,]", stem):  # a srcset parts its candidates at spaces and commas: written as %20 and %2C
        stem = quote(unquote(stem), safe="/")
    by_format: dict[str, list[str]] = {}
    for name in meta["files"]:
        if name.startswith("w"):
            width, ext = name[1:].split(".")
            by_format.setdefault(ext, []).append(f"{stem}-{name} {width}w")
    sources = tuple((MIME[_FORMAT_OF[ext]], ", ".join(by_format[ext])) for ext in sorted(by_format, key=_SMALLEST.index))
    return Picture(address, meta["width"], meta["height"], sources)


_FORMAT_OF = {suffix.lstrip("."): name for name, suffix in SUFFIX.items()}
# For the same look, AVIF takes fewer bytes than WebP, and WebP fewer than JPEG; the oldest browsers show only the last.
_SMALLEST = ("avif", "webp", "jpg", "png")
_NAME = re.compile(r"^(full|w\d{1,4})\.(jpg|png|webp|avif|gif)$")
_ENTRY_NAME = re.compile(r"^[0-9a-f]{16,128}(\.partial-\d+)?$")


def _cached(folder: Path, key: str) -> tuple[dict, Path] | None:
    """The cached entry for `key`, if whole and well formed; a cache folder is never trusted."""
    entry = folder / key
    raw = read_plain(entry / "meta.json", 10_000) if own_folder(entry) else None
    try:
        meta = json.loads(raw) if raw is not None else None
    except ValueError:
        return None
    # Copies are published: a link among them could lead to a secret.
    if not _well_formed(meta) or not all(is_plain_file(entry / name) for name in meta["files"]):
        return None
    return meta, entry


def _well_formed(meta: Any) -> bool:
    return (isinstance(meta, dict) and isinstance(meta.get("files"), list) and len(meta["files"]) <= 64
            and all(isinstance(n, str) and _NAME.match(n) for n in meta["files"])
            and meta.get("fallback") in ("jpg", "png", "webp", "avif") and isinstance(meta.get("located"), bool)
            and all(type(meta.get(k)) is int and 0 < meta[k] < 100_000 for k in ("width", "height")))


class _PhotoJob(NamedTuple):
    photos: list  # (path in output/, source file, key)
    settings: ImagesConfig
    folder: Path


def _read(source: Path, small: bool = False):
    """The photo upright, as the camera held it (with `small`, a JPEG at an eighth of its size: every byte
    is still read, in a tenth of the time), or why it cannot be read ((None, "") for an animation, which is
    published as it is); whether its metadata holds the place it was taken; and its width and height upright, at
    its full size."""
    from PIL import Image, UnidentifiedImageError

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    place = False
    try:
        with Image.open(source) as opened, warnings.catch_warnings():
            warnings.simplefilter("ignore")  # Pillow's word on a damaged EXIF tag: the photo's own warning says more
            place = located(opened)
            if getattr(opened, "is_animated", False):
                return None, "", place, None  # an animation (GIF-like WebP, APNG): a copy would keep its first frame only
            size = opened.size
            if small:
                opened.draft("RGB", (1, 1))
            drafted = opened.size
            image = upright(opened)
            if image.size != drafted:  # turned a quarter
                size = size[::-1]
    except Image.DecompressionBombError:
        return None, f"cannot be read as an image: it has more than {MAX_PIXELS // 1_000_000} million pixels", \
            place, None
    except UnidentifiedImageError:
        return None, "cannot be read as an image: its bytes are not a JPEG, PNG or other picture Pillow knows", \
            place, None
    except (OSError, ValueError) as exc:
        cut = "truncated" in str(exc)
        return None, ("cannot be read as an image: " + ("its file is cut short (an upload or a copy that did not "
                                                         "finish)" if cut else f"{type(exc).__name__}")), place, None
    except Exception as exc:  # noqa: BLE001 — a damaged file makes Pillow's readers fail in ways of their own
        # (a PNG whose chunk is cut short: SyntaxError)
        return None, f"cannot be read as an image: its bytes are damaged ({type(exc).__name__})", place, None
    return image, "", place, size


class Seen(NamedTuple):
    """What check reads of a photo it makes no copies of: the width and height of the copy at its own address, and
    the names of its copies."""

    width: int
    height: int
    files: tuple[str, ...]


def _read_one(job: _PhotoJob, i: int) -> tuple[None, str, bool, bool, Seen | None]:
    """What check asks of a photo the cache does not hold: (None, why it cannot be read or "", whether it holds the
    place it was taken, whether it is published as it is, what its copies would be)."""
    rel, source, _ = job.photos[i]
    image, problem, place, size = _read(source, small=True)
    if image is None:
        return None, problem, place, True, None
    width, height = _full_size(*size, job.settings)
    _, own, copies = _copies(rel, _has_alpha(image), size[0], job.settings)
    return None, "", place, False, Seen(width, height, (f"full{SUFFIX[own]}", *(_copy_name(*c) for c in copies)))


def _process_one(job: _PhotoJob, i: int) -> tuple[dict | None, str, bool, bool, None]:
    """Write one photo's copies into the cache folder's <key>/: (meta, "", whether it holds the place it was taken,
    False, None); or (None, why it cannot be read or "" for an animation, whether it holds its place, True, None): a
    photo published as it is."""
    settings, folder = job.settings, job.folder
    rel, source, key = job.photos[i]
    image, problem, place, _ = _read(source)
    if image is None:
        return None, problem, place, True, None
    has_alpha = _has_alpha(image)
    fallback, own, copies = _copies(rel, has_alpha, image.width, settings)
    image = image.convert("RGBA" if has_alpha else "RGB")
    entry = folder / key
    partial = folder / f"{key}.partial-{os.getpid()}"
    _remove(partial)  # what a killed build, or a cache from elsewhere, left there: a link is never written through
    partial.mkdir(parents=True)
    full_width, _ = _full_size(image.width, image.height, settings)
    full = image if full_width == image.width else _resized(image, full_width)
    _save(full, partial / f"full{SUFFIX[own]}", own, settings.quality)
    files = [f"full{SUFFIX[own]}"]
    copy = image
    for width, name in copies:
        if copy.width != width:
            copy = image if width == image.width else _resized(image, width)
        _save(copy, partial / _copy_name(width, name), name, settings.quality, lossless=rel.lower().endswith(".gif"))
        files.append(_copy_name(width, name))
    meta = {"files": files, "fallback": SUFFIX[fallback].lstrip("."), "width": full.width, "height": full.height,
            "located": place}
    (partial / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    _remove(entry)  # an entry found unusable (the build lock keeps other builds out meanwhile)
    os.rename(partial, entry)  # whole or not at all: a killed build leaves a .partial folder, never a half entry
    return meta, "", place, False, None


def _has_alpha(image) -> bool:
    return image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)


def _copies(rel: str, has_alpha: bool, width: int, settings: ImagesConfig) -> tuple[str, str, list[tuple[int, str]]]:
    """How a photo `width` pixels wide is copied: the format every browser shows (the <img>'s), the format of the
    copy at the photo's own address, and each copy for phones (its width and format), the narrowest first."""
    kind = EXTENSIONS[Path(rel).suffix.lower()]
    # An opaque WebP (what the CMS saves a photo as) has JPEG copies too, for the browsers that show no WebP.
    fallback = kind if kind == "AVIF" or (kind == "WEBP" and has_alpha) \
        else "PNG" if has_alpha or kind in ("PNG", "GIF") else "JPEG"
    own = kind if kind in ("GIF", "WEBP", "AVIF") else fallback
    widest = max(settings.widths)
    widths = [w for w in settings.widths if w < width] + ([width] if width <= widest else [])
    formats = dict.fromkeys([f.upper() for f in settings.formats] + [fallback])
    return fallback, own, [(w, name) for w in widths for name in formats]


def _copy_name(width: int, name: str) -> str:
    return f"w{width}{SUFFIX[name]}"


def _full_size(width: int, height: int, settings: ImagesConfig) -> tuple[int, int]:
    """The size of the copy at the photo's own address: the photo's, at most FULL_WIDTH_FACTOR times the widest."""
    most = max(settings.widths) * FULL_WIDTH_FACTOR
    return (width, height) if width <= most else (most, max(1, round(height * most / width)))


def _resized(image, width: int):
    from PIL import Image

    return image.resize((width, max(1, round(image.height * width / image.width))), Image.Resampling.LANCZOS)


def _save(image, path: Path, name: str, quality: int, lossless: bool = False) -> None:
    # No exif= and no icc_profile= argument: Pillow writes no metadata unless given it. PNG's optimize
    # takes ten times as long as compress_level 6 for a file a twentieth smaller; WebP's method 3
    # makes files as small as its default, in a third of the time. A GIF is flat colours (a chart, a map,
    # a logo), which lossless WebP keeps exact in a quarter of the PNG's bytes; lossy WebP blurs their edges,
    # and a logo took twice the PNG's bytes.
    options: dict = {"optimize": True} if name == "JPEG" else {"compress_level": 6} if name == "PNG" \
        else {"method": 3} if name == "WEBP" else {}
    if name == "WEBP" and lossless:
        options["lossless"] = True
    elif name in ("JPEG", "WEBP", "AVIF"):
        options["quality"] = quality
    if name == "JPEG":
        options["progressive"] = True
    image.save(path, name, **options)


def _remove(path: Path) -> None:
    """Remove an entry of the cache's folder, if there is one; a link is removed, never what it leads to."""
    import shutil

    if os.path.isdir(path) and not os.path.islink(path):
        shutil.rmtree(path, ignore_errors=True)
    elif os.path.lexists(path):
        os.unlink(path)


def small_leads(articles, sizes: dict[str, tuple[int, int]]) -> list[Diagnostic]:
    """A warning at the `image:` line of each article whose lead photo is narrower than SHARP_LEAD_WIDTH: a
    thumbnail saved from a page, or a photo a messaging app shrank. `sizes`: Processed.sizes."""
    return [Diagnostic(article.path, f"its picture {article.image_src.rsplit('/', 1)[-1]} is only {size[0]}×"
                       f"{size[1]} px: phones show it stretched and blurred, and so do its share card and link "
                       "previews", article.image_line, f"use the photo at least {SHARP_LEAD_WIDTH} px wide (the "
                       "original, not a thumbnail)", "warning")
            for article in articles if (size := sizes.get(article.image_src)) and size[0] < SHARP_LEAD_WIDTH]


def shown_pictures(articles, pictures: dict[str, Picture]) -> dict[str, dict[str, Picture]]:
    """Per article source, the processed photos it shows (by address): an article page lists what it is
    made from, so a replaced photo renders again exactly the pages that show it."""
    shown = {}
    for article in articles:
        found = {a: pictures[a] for a in sorted(_shown_by(article)) if a in pictures}
        if found:
            shown[article.path] = found
    return shown


def used_addresses(articles) -> set[str]:
    """The local image addresses the articles show: lead images and images in their text."""
    return set().union(*(_shown_by(article) for article in articles))


def _shown_by(article) -> set[str]:
    """The image addresses one article shows: its lead image and the images in its text."""
    return {address for kind, address in article.links if kind == "img"} | ({article.image_src} - {""})


_IMG = re.compile(r'<img\b([^>]*?)\ssrc="([^"]*)"([^>]*?)\s*/?>')
_PASTED_SIZES = re.compile(r'\s(?:srcset|sizes)="[^"]*"')
# A <picture> pasted from an outlet's page, its <source>s at the outlet's addresses (the sanitiser wrote it).
_PASTED_PICTURE = re.compile(r"<picture\b[^<>]*>((?:\s*<source\b[^<>]*>)*)\s*(<img\b[^<>]*>)\s*</picture>")


def _unwrapped(found: re.Match, pictures: dict[str, Picture]) -> str:
    """A pasted <picture> as its <img> alone where that is a photo of the site's, which then gets its copies'
    <picture>: its own <source>s would come first and be taken, and a <picture> in a <picture> is invalid HTML."""
    image = _IMG.match(found[2])
    return found[2] if image and unescape(image[2]) in pictures else found[0]


def with_pictures(html: str, pictures: dict[str, Picture], sizes: str) -> str:
    """The article's HTML with each processed photo offered at every width, with its size (a template filter).
    Every other picture (one on another site) loads only when it comes near the screen: a phone on slow
    data fetches first what the reader sees."""
    if "<img" not in html:
        return html
    if "<picture" in html:
        html = _PASTED_PICTURE.sub(lambda found: _unwrapped(found, pictures), html)

    def offer(found: re.Match) -> str:
        picture = pictures.get(unescape(found[2]))
        before, after = found[1], found[3]
        if picture is None:
            return found[0] if "loading=" in before + after else \
                f'<img{before} src="{found[2]}"{after} loading="lazy" decoding="async">'
        # A srcset and sizes pasted with the tag (an outlet's copies, at its addresses) give way to the copies'
        # own: a second srcset is invalid HTML, and a browser would take the first it reads.
        before, after = _PASTED_SIZES.sub("", before), _PASTED_SIZES.sub("", after)
        extra = "" if re.search(r"\s(width|height)=", before + after) else \
            f' width="{picture.width}" height="{picture.height}"'
        if "loading=" not in before + after:
            extra += ' loading="lazy"'
        *alternatives, (_, fallback) = picture.sources
        sizes_attr = escape(sizes)
        offered = "".join(f'<source type="{kind}" srcset="{escape(srcset)}" sizes="{sizes_attr}">'
                          for kind, srcset in alternatives)
        return (f'<picture>{offered}<img{before} src="{found[2]}" srcset="{escape(fallback)}" sizes="{sizes_attr}"'
                f'{extra} decoding="async"{after}></picture>')

    return _IMG.sub(offer, html)
