"""The site's icon: in a browser's tab, on a phone's home screen (each language's web app manifest), and in the
link previews of pages without a share card of their own (the home, the listings).

Made from config.yaml's `logo:` (a picture of static/), else from the first word of the site's title, drawn on
the share cards' colour (cards.py). Without an icon link a browser asks for /favicon.ico on every first visit,
which on a project page is another site's address, and on a domain of its own the site's whole 404 page.
"""

from __future__ import annotations

import io
import os
import re
from dataclasses import dataclass
from pathlib import Path
from warnings import catch_warnings, simplefilter

from .cards import draw_name, font_key, shaping
from .config import SiteConfig
from .errors import BuildError, Diagnostic
from .hashing import digest
from .metadata import MAX_PIXELS, upright
from .pages import Page
from .theme import Theme
from .urls import Urls
from .writer import read_plain, write_beside

SMALL, TOUCH, MEDIUM, LARGE = 32, 180, 192, 512  # a tab's, iOS's home screen's, and the manifest's two
FOLDER = "icons"  # in output/, and in the build's cache
MANIFEST = "manifest.webmanifest"  # the template of each language's manifest (`Urls.manifest`)
_VERSION = 1  # of the drawing: a new one draws every icon again
_ICON_NAME = re.compile(r"^[0-9a-f]{16,128}-\d+\.png(\.partial-\w+)?$")
MOST_BYTES = 20_000_000  # a logo past this is no logo but a photo or a poster (config.py refuses a larger file)


@dataclass(frozen=True)
class Icons:
    """Where pages link the icons: by their size, an address on the site."""

    small: str
    touch: str
    medium: str
    large: str
    manifest: bool  # whether each language has its manifest: a theme copied before they were has no template


def site_icons(config: SiteConfig, urls: Urls, theme: Theme, font: Path | None, folder: Path, draw: bool
               ) -> tuple[Icons | None, list[tuple[str, Path]], list[Diagnostic]]:
    """The icons' addresses, (path in output/, file) of each, drawn into `folder` now or found there from an
    earlier build, and a warning for a logo too small for them; none without a logo and without the theme's font.
    With `draw` false (check), nothing is drawn, and the pages link them all the same."""
    lang = config.language(config.default_language)
    logo = config.root / "static" / config.logo.lstrip("/") if config.logo else None
    made = read_plain(logo, MOST_BYTES) or b"" if logo is not None else b""  # config.py found it a plain file
    words = lang.title.split()
    if not made and (font is None or not words):  # nothing to draw from: no logo, and no font or no title
        return None, [], []
    href = lambda size: urls.href(f"{FOLDER}/icon-{size}.png")  # noqa: E731
    manifest = any((templates / MANIFEST).is_file() for templates in theme.template_dirs)
    icons = Icons(href(SMALL), href(TOUCH), href(MEDIUM), href(LARGE), manifest)
    warnings = _small_logo(made, config) if made else []
    if not draw:
        return icons, [], warnings
    key = digest(repr((_VERSION, digest(made), words[:1], lang.direction, font and font_key(str(font)),
                       shaping())).encode("utf-8", "surrogatepass"))
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for size in (SMALL, TOUCH, MEDIUM, LARGE):
        path = folder / f"{key}-{size}.png"
        if not path.is_file() or path.is_symlink():
            picture = _from_logo(made, size, config) if made else draw_name(words[0], str(font),
                                                                              lang.direction == "rtl", size)
            os.replace(write_beside(path, picture), path)
        files.append((f"{FOLDER}/icon-{size}.png", path))
    kept = {path.name for _, path in files}
    for entry in os.scandir(folder):  # the icons of an earlier logo or title
        if _ICON_NAME.match(entry.name) and entry.name not in kept:
            Path(entry.path).unlink(missing_ok=True)
    return icons, files, warnings


def _small_logo(data: bytes, config: SiteConfig) -> list[Diagnostic]:
    """A warning for a logo narrower or lower than a phone's home screen icon (MEDIUM): it would be blurred."""
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as opened:  # its header alone
            width, height = opened.size
    except (OSError, ValueError, Image.DecompressionBombError):
        return []  # said when it is drawn (_from_logo)
    if min(width, height) >= MEDIUM:
        return []
    return [Diagnostic(config.source.name, f"logo: {config.logo} is only {width}×{height} px: phones show the "
                       "site's icon blurred on their home screens", None,
                       f"use the logo at {LARGE} × {LARGE} px or more (square looks best)", "warning")]


def _from_logo(data: bytes, size: int, config: SiteConfig) -> bytes:
    """The logo as a square PNG of `size` px, whole, on white where it is not square or not opaque (a phone's
    home screen shows black where an icon is transparent); BuildError for a file that is no picture."""
    from PIL import Image, ImageOps

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS  # as for the photos (images.py): more is a decompression bomb
    try:
        with Image.open(io.BytesIO(data)) as opened, catch_warnings():
            simplefilter("error", Image.DecompressionBombWarning)
            logo = ImageOps.contain(upright(opened).convert("RGBA"), (size, size), Image.Resampling.LANCZOS)
    except (OSError, ValueError, Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        what = "has more pixels than a logo" if "decompression bomb" in str(exc).lower() else "is no picture Mujaz can read"
        raise BuildError([Diagnostic(config.source.name, f"logo: {config.logo} {what}", None,
                                     "save the logo again as a PNG of 512 × 512 px and build again")]) from None
    square = Image.new("RGBA", (size, size), (255, 255, 255, 255))
    square.alpha_composite(logo, ((size - logo.width) // 2, (size - logo.height) // 2))
    out = io.BytesIO()
    square.convert("RGB").save(out, "PNG", optimize=True)
    return out.getvalue()


def manifest_pages(config: SiteConfig, urls: Urls, icons: Icons | None) -> list[Page]:
    """Each language's web app manifest, which a phone reads when a reader adds the site to the home screen: its
    name, its icons, and its home in that language as where it opens."""
    if icons is None or not icons.manifest:
        return []
    return [Page(urls.manifest(lang.code), MANIFEST, lang.code, "manifest",
                 {"icons": icons, "start": urls.href(urls.home(lang.code)), "scope": config.base_path},
                 in_sitemap=False) for lang in config.languages]

