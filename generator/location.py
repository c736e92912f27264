"""Where a photo was taken, as its metadata says: a phone writes it into every photo it takes.

The site's copies of a photo never carry it (images.py writes them without metadata). The file in the
repository does, and a site on GitHub Pages is most often a public repository: anyone can read where a
correspondent stood. So `import` writes photos without it, and a build names every photo of static/ that
holds it.
"""

from __future__ import annotations

import io
import warnings

MAX_PIXELS = 60_000_000  # a 60-megapixel photo is a camera's; more is a decompression bomb
_GPS_IFD = 0x8825  # EXIF's GPS tags
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


def without_location(data: bytes) -> bytes:
    """The photo's bytes, or where its metadata holds the place it was taken, the photo again in its own format,
    upright (EXIF orientation applied, as the copy must stand without EXIF) and without any metadata. Bytes
    Pillow cannot read, and an animation, are given back as they are: the build names them."""
    from PIL import Image, ImageOps

    try:
        with Image.open(io.BytesIO(data)) as opened, warnings.catch_warnings():
            warnings.simplefilter("ignore")  # Pillow's word on a damaged tag: the build names a damaged photo
            if not located(opened) or getattr(opened, "is_animated", False) or opened.format not in _KEEP \
                    or opened.width * opened.height > MAX_PIXELS:
                return data
            kind = opened.format
            image = ImageOps.exif_transpose(opened)
            image.load()
    except Exception:  # noqa: BLE001 — a damaged file fails in Pillow's readers in ways of their own (images.py)
        return data
    out = io.BytesIO()
    if kind == "JPEG" and image.mode not in ("RGB", "L", "CMYK"):
        image = image.convert("RGB")
    image.save(out, kind, **_KEEP[kind])  # no exif= nor xmp=: Pillow writes none unless given it
    return out.getvalue()


# How each format is written again: as close to the photo as its format allows. A JPEG at 95 is the camera's own
# quality; the build's copies for readers are made from it.
_KEEP = {"JPEG": {"quality": 95}, "PNG": {}, "WEBP": {"quality": 95}, "AVIF": {"quality": 95}}
