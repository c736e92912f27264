"""`bring-pictures`: the pictures stories show from other sites, fetched into static/images/ and named there.

A picture at another site's address (pasted with a story from an outlet, or one an import could not fetch) is
loaded whole by every reader's phone, since the build makes copies of the site's own photos only, and the story
loses it when that site moves it or stops serving other sites. This command fetches each, within the import's
bounds, writes it as the CMS saves a photo (`metadata.as_imported`: no place, at most 2400 px), and writes the
story again with the picture's new address in place of the old one. A picture pasted into the text as its bytes
(`data:image/png;base64,…`), which no page shows, is saved as a file the same way. Nothing else of the file
changes: a story whose new text would read differently in any other way (an address that is also text a reader
sees) is left as it was, and said.
"""

from __future__ import annotations

import base64
import io
import os
import time
import warnings
from dataclasses import dataclass, fields
from pathlib import Path

from .config import SiteConfig
from .content import Document, named_stories, parse_document
from .errors import BuildError, MujazError
from .fetch import Network, Unfetched, download
from .links import own_hosts, picture_elsewhere, written_forms
from .markup import Rendered, plain_text, render_bounded
from .metadata import MAX_PIXELS, as_imported
from .pagefile import FETCH_SECONDS, MAX_PICTURE_BYTES, picture_suffix
from .scaffold import free_address, static_path, within
from .slips import DATA_PICTURE, outside_code, pasted_picture, shows_pictures
from .writer import read_plain, write_beside

# All of one run's fetches: an archive moved from another system may show thousands of pictures, some on servers
# that stall. Each story is written once its pictures are in, so a run stopped here loses nothing: the next one
# goes on with the stories left.
RUN_SECONDS = 600.0


@dataclass
class Brought:
    """What a run did: the files it wrote (pictures, then the stories naming them), and a line for each picture
    or story it could not bring, why, and what to do."""

    pictures: list[str]
    stories: list[str]
    notes: list[str]


def bring_pictures(config: SiteConfig, named: list[Path]) -> Brought:
    """Bring the pictures of the stories `named` (every story under content/ if none) into static/images/, within
    RUN_SECONDS.
    MujazError for a name that is no story of the site, or a picture that would be written through a link
    to a folder outside the site (nothing more is written then)."""
    sources = named_stories(config, named)
    done = Brought([], [], [])
    seconds = RUN_SECONDS
    run = _Run(config, time.monotonic() + seconds, done)
    for source in sources:
        run.story(source.path, source.raw if source.raw is not None else b"", source.content_rel)
    if run.late or run.late_pictures:
        left = " and ".join(part for part in (_count(run.late, "story", "stories"),
                                              _count(run.late_pictures, "picture", "pictures")) if part)
        done.notes.append(f"{left} not looked at: the {seconds:.0f} s for a run's pictures were spent — run it "
                          "again, it goes on with them")
    return done


def _count(count: int, one: str, many: str) -> str:
    return "" if not count else f"1 {one}" if count == 1 else f"{count:,} {many}"


class _Run:
    def __init__(self, config: SiteConfig, deadline: float, done: Brought):
        self.config, self.deadline, self.done = config, deadline, done
        self.placed: dict[str, str] = {}  # another site's address -> where its picture now is (/images/…)
        self.failed: set[str] = set()  # addresses tried and not had: tried once a run
        self.taken: set[Path] = set()
        self.own = own_hosts(config)
        self.late = 0  # stories not looked at: the run's time was spent
        self.late_pictures = 0  # pictures of a story looked at, not fetched: the time was spent on its others

    def story(self, rel: str, raw: bytes, content_rel: str) -> None:
        if time.monotonic() >= self.deadline:
            self.late += 1
            return
        document = parse_document(raw, rel, content_rel, self.config, [])
        if document is None:  # the build names what is wrong with it
            return
        lead = [document.image_src] if picture_elsewhere(document.image_src, self.own) else []
        if not lead and not shows_pictures(document.body):
            return
        rendered = self._rendered(document)
        if rendered is None:
            return
        shown = lead + [a for a in rendered.full_pictures if picture_elsewhere(a, self.own) and a not in lead]
        shown += dict.fromkeys(found[0] for found in DATA_PICTURE.finditer(outside_code(document.body)))
        for address in shown:
            if address in self.placed or address in self.failed:
                continue
            if time.monotonic() >= self.deadline:  # a story of thousands: it keeps those brought so far
                self.late_pictures += 1
                continue
            self._fetch(address, document)
        brought = {address: self.placed[address] for address in shown if address in self.placed}
        if brought:
            self._rewrite(rel, raw, content_rel, document, rendered, brought)

    def _rendered(self, document: Document) -> Rendered | None:
        try:
            return render_bounded(document.body, self.config.base_url, self.config.markdown, document.path,
                                  document.body_line)
        except BuildError as exc:
            self.done.notes += [str(d) for d in exc.diagnostics]
            return None

    def _fetch(self, address: str, document: Document) -> None:
        left = self.deadline - time.monotonic()
        reason, data = "", b""
        try:
            data = _pasted(address) if _is_data(address) else download(
                "https:" + address if address.startswith("//") else address, MAX_PICTURE_BYTES,
                min(FETCH_SECONDS, max(left, 0.1)), "bring-pictures", Network.INTERNET)  # a story is on the internet
        except Unfetched as exc:
            reason = exc.reason
        suffix = picture_suffix(data) if data and len(data) <= MAX_PICTURE_BYTES else None
        unreadable = _unreadable(data) if suffix else ""
        if unreadable:
            suffix, reason = None, unreadable
        if suffix is None:
            reason = reason or ("nothing came" if not data else f"more than {MAX_PICTURE_BYTES // 2**20} MB"
                                if len(data) > MAX_PICTURE_BYTES else "not a JPEG, PNG, GIF, WebP or AVIF picture")
            self.failed.add(address)
            # An address from someone else's page may hold a line break: a message is one line.
            named = pasted_picture(address) if _is_data(address) else "".join(
                c if c.isprintable() else "?" for c in address[:200])
            self.done.notes.append(f"{document.path}: {named} could not be brought ({reason}) — save the "
                                   "picture in static/images/ and write its address there (/images/…) in its place")
            return
        where = free_address(self.config, document.slug, suffix, self.taken)
        path = static_path(self.config, where)
        if not within(self.config.root, path):  # a fork's link from static/images to a folder elsewhere
            raise MujazError(f"{path.relative_to(self.config.root)} would be written through a link to a folder "
                             "outside the site — make that folder a folder of the site")
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("xb") as handle:  # "x": never over a file, even one made meanwhile
            handle.write(as_imported(data))
        self.placed[address] = where
        self.done.pictures.append(path.relative_to(self.config.root).as_posix())

    def _rewrite(self, rel: str, raw: bytes, content_rel: str, document: Document, rendered: Rendered,
                 brought: dict[str, str]) -> None:
        """The story written again with the new addresses, if it then reads as it did but for them."""
        bom = "\ufeff" if raw.startswith(b"\xef\xbb\xbf") else ""
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:  # saved as UTF-16, which the build reads too: not rewritten here
            text = ""
        new = _replaced(text, document, brought) if text else text
        again = parse_document((bom + new).encode("utf-8"), rel, content_rel, self.config, []) if new else None
        fresh = self._rendered(again) if again is not None else None
        if fresh is None or not _same_but_pictures(document, rendered, again, fresh, brought):
            where = ", ".join(f"static{brought[a]}" for a in brought)
            self.done.notes.append(f"{rel}: its pictures were saved ({where}) but its text was left as it was: an "
                                   "address there is written in a way this command does not rewrite — write each "
                                   "picture's /images/… address in place of its old one")
            return
        path = self.config.root / rel
        if read_plain(path, len(raw)) != raw:  # larger now is changed too
            self.done.notes.append(f"{rel}: changed while its pictures were fetched, and was left as it was — "
                                   "run bring-pictures again")
            return
        os.replace(write_beside(path, (bom + new).encode("utf-8")), path)
        self.done.stories.append(rel)


def _is_data(address: str) -> bool:
    return address[:5].lower() == "data:"


def _unreadable(data: bytes) -> str:
    """Why Pillow cannot read the picture through ("" where it can): a download or a paste cut short, or damaged,
    is no picture to keep, and one of more pixels than a build reads (a few MB of PNG may hold billions) would fill
    the memory of whatever opened it next."""
    from PIL import Image

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                image.verify()
        return ""
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return f"more than {MAX_PIXELS // 1_000_000} million pixels"
    except Exception:  # noqa: BLE001 — Pillow's readers fail on damaged files in ways of their own (images.py)
        return "damaged, or cut short"


def _pasted(address: str) -> bytes:
    """The bytes of a picture pasted as data; Unfetched where there are none, or more than a picture may hold."""
    encoded = address.split(",", 1)[1]
    if len(encoded) > (MAX_PICTURE_BYTES + 1) * 4 // 3 + 4:
        raise Unfetched(f"more than {MAX_PICTURE_BYTES // 2**20} MB")
    try:
        return base64.b64decode(encoded + "=" * (-len(encoded) % 4))
    except ValueError:
        raise Unfetched("its data is cut short") from None


def _replaced(text: str, document: Document, brought: dict[str, str]) -> str:
    """`text` with each brought address replaced: in the front matter, on the image's line or a line after it;
    in the body, wherever it is written (`links.written_forms`)."""
    lines = text.split("\n")
    head, body = lines[:document.body_line - 1], "\n".join(lines[document.body_line - 1:])
    lead = brought.get(document.image_src)
    if lead is not None:
        at = next((i for i in range(document.image_line - 1, len(head)) if document.image_src in head[i]), None)
        if at is None:
            return ""  # written otherwise (escaped in YAML): left to the editor
        head[at] = head[at].replace(document.image_src, lead, 1)
    for address, where in brought.items():
        for written in written_forms(address):
            body = body.replace(written, where)
    return "\n".join(head + [body])


def _same_but_pictures(before: Document, rendered: Rendered, after: Document, fresh: Rendered,
                       brought: dict[str, str]) -> bool:
    """Whether the story reads as it did, its pictures but the ones brought at the same addresses."""
    changes = {"image_src", "body", "images_without_alt", "text_key"}
    if any(getattr(before, f.name) != getattr(after, f.name) for f in fields(Document) if f.name not in changes):
        return False
    if after.image_src != brought.get(before.image_src, before.image_src):
        return False
    left = tuple(a for a in rendered.full_pictures if a not in brought)
    return fresh.full_pictures == left and plain_text(fresh.html) == plain_text(rendered.html)
