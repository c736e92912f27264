"""What a photo's metadata says that matters here: where it was taken, and which way up the camera was held.

A phone writes the place into every photo it takes. The site's copies of a photo never carry it (images.py
writes them without metadata). The file in the repository does, and a site on GitHub Pages is most often a
public repository: anyone can read where a correspondent stood. So `import` writes photos without it, a
build names every photo of static/ that holds it, and `remove-locations` saves those again without it.
"""

from __future__ import annotations

import io
import os
import warnings
from pathlib import Path

from .writer import read_plain, write_beside

MAX_PIXELS = 60_000_000  # a 60-megapixel photo is a camera's; more is a decompression bomb
_GPS_IFD = 0x8825  # EXIF's GPS tags
_ORIENTATION = 0x0112
_XMP_PLACE = (b"GPSLatitude", b"GPSLongitude")  # the same, as XMP (Lightroom, Photoshop) writes it


def located(image) -> bool:
    """Whether an opened Pillow image's metadata (EXIF or XMP) holds the place it was taken."""
    try:
        gps = image.getexif().get_ifd(_GPS_IFD)
    except Exception:  # noqa: BLE001 — damaged EXIF is no place; the photo itself is read elsewhere
        gps = {}
    xmp = image.info.get("xmp") or image.info.get("XML:com.adobe.xmp") or b""
    if isinstance(xmp, str):
        xmp = xmp.encode("utf-8", "replace")
    return bool(gps) or any(tag in xmp for tag in _XMP_PLACE)


def upright(image):
    """The image loaded and turned as the camera was held (its EXIF orientation applied), in 8 bits a channel and
    in sRGB. Pillow's exif_transpose also writes the EXIF again, which a damaged tag makes fail (a latitude said to
    be bytes: TypeError); every copy is written without metadata anyway."""
    from PIL import Image

    image.load()
    if image.mode.startswith("I;16") or image.mode == "I" and image.getextrema()[1] > 255:
        # A grey scan of 16 bits (Pillow reads a 16-bit colour PNG as 8 bits already): converted as it is, every
        # value past 255 is clipped, and the picture is published white.
        image = image.convert("I").point(lambda value: value / 257).convert("L")
    image = _in_srgb(image)
    try:
        orientation = image.getexif().get(_ORIENTATION, 1)
    except Exception:  # noqa: BLE001 — an EXIF that cannot be read turns nothing
        orientation = 1
    turn = {2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180, 4: Image.Transpose.FLIP_TOP_BOTTOM,
            5: Image.Transpose.TRANSPOSE, 6: Image.Transpose.ROTATE_270, 7: Image.Transpose.TRANSVERSE,
            8: Image.Transpose.ROTATE_90}.get(orientation if isinstance(orientation, int) else 1)
    return image.transpose(turn) if turn is not None else image.copy()


def _in_srgb(image):
    """The image in sRGB, where its colour profile is another (an iPhone's Display P3, a camera's Adobe RGB, a
    press photo's CMYK): the copies carry no profile, and a browser shows a picture without one as sRGB, its
    colours dull or shifted. An image without a profile, or one that cannot be read, is left as it is."""
    profile = image.info.get("icc_profile")
    if not profile or image.mode not in ("RGB", "RGBA", "CMYK", "P"):
        return image
    from PIL import ImageCms

    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
        if "srgb" in ImageCms.getProfileDescription(source).lower() or source.profile.xcolor_space.strip() not in (
                "RGB", "CMYK"):
            return image
        if image.mode == "P":
            image = image.convert("RGBA" if "transparency" in image.info else "RGB")
        converted = ImageCms.profileToProfile(image, source, ImageCms.createProfile("sRGB"),
                                              outputMode="RGBA" if image.mode == "RGBA" else "RGB")
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):  # a damaged profile: the colours as they are
        return image
    converted.info.pop("icc_profile", None)  # sRGB's, which a PNG would carry: a browser assumes it
    return converted


def without_location(data: bytes) -> bytes:
    """The photo's bytes, or where its metadata holds the place it was taken, the photo again (`_again`)."""
    return _again(data, None)


def as_imported(data: bytes) -> bytes:
    """The photo as an import writes it, as the CMS saves one: where its metadata holds the place it was taken, or
    it is wider or higher than KEPT_SIDE, the photo again (`_again`), at most KEPT_SIDE; else its bytes as they came."""
    return _again(data, KEPT_SIDE)


# The widest copy the build makes with the default widths (images.py: twice the widest, 1200), and what the CMS
# saves a photo at most (admin.PHOTO_UPLOAD): a camera's 4000 px are bytes git keeps forever that no reader is sent.
KEPT_SIDE = 2400


def _again(data: bytes, longest: int | None) -> bytes:
    """The photo in its own format, upright (EXIF orientation applied, as the copy must stand without EXIF),
    without any metadata and at most `longest` wide or high, where it holds a place or is larger; else `data`
    itself. Bytes Pillow cannot read, and an animation, are given back as they are: the build names them."""
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as opened, warnings.catch_warnings():
            warnings.simplefilter("ignore")  # Pillow's word on a damaged tag: the build names a damaged photo
            larger = longest is not None and max(opened.size) > longest
            if not (larger or located(opened)) or getattr(opened, "is_animated", False) \
                    or opened.format not in _KEEP or opened.width * opened.height > MAX_PIXELS:
                return data
            kind = opened.format
            image = upright(opened)
    except Exception:  # noqa: BLE001 — a damaged file fails in Pillow's readers in ways of their own (images.py)
        return data
    if larger:
        image.thumbnail((longest, longest), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    if kind == "JPEG" and image.mode not in ("RGB", "L", "CMYK"):
        image = image.convert("RGB")
    image.save(out, kind, **_KEEP[kind])  # no exif= nor xmp=: Pillow writes none unless given it
    return out.getvalue()


# How each format is written again: at a quality no reader tells from the photo's; the build's copies for readers
# are made from it.
_KEEP = {"JPEG": {"quality": 92}, "PNG": {}, "WEBP": {"quality": 92}, "AVIF": {"quality": 92}}


PHOTO_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".avif")
_LARGEST = 50 * 1024 * 1024  # a photo's file; more is no photo a page shows


def remove_locations(static: Path) -> tuple[list[str], list[str]]:
    """Every photo of the folder `static` whose metadata holds the place it was taken, saved again in its place
    without it (`without_location`), each whole or not at all: (the photos saved again, and those that hold a place
    but cannot be read to leave it out), by their paths in `static`. A link is never followed: what it leads to is
    someone else's file."""
    saved, left = [], []
    for folder, folders, files in os.walk(static):  # os.walk does not follow links to folders
        folders.sort()
        for name in sorted(files):
            path = Path(folder) / name
            if path.suffix.lower() not in PHOTO_SUFFIXES:
                continue
            data = read_plain(path, _LARGEST)  # None for a link, a pipe, a file too large
            if data is None or not _holds_place(data):
                continue
            rel = path.relative_to(static).as_posix()
            again = without_location(data)
            if again is data:
                left.append(rel)
                continue
            os.replace(write_beside(path, again), path)
            saved.append(rel)
    return saved, left


def _holds_place(data: bytes) -> bool:
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as opened, warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return located(opened)
    except Exception:  # noqa: BLE001 — what Pillow cannot open tells it no place
        return False
