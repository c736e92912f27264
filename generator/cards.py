"""Share cards: a 1200×630 picture per article for WhatsApp, Telegram and X previews (`og:image`).

The headline in the article's language, the site's name and the date, over the lead photo behind
a shade when there is one (a JPEG), else on a plain background (a PNG of sixteen tones: a third of
the bytes of a JPEG, whose blur around every letter costs more than the letters; a site of photo-less
stories stays within what GitHub Pages hosts for twice as long). Arabic is shaped (letters joined)
and laid out right to left by Pillow's raqm layout where the machine has it (libraqm ships in
Pillow's wheels and needs the system's FriBiDi: Debian and Ubuntu `libfribidi0`); elsewhere by
arabic-reshaper and python-bidi, which draw the same joined forms. The font ships with the theme
(Amiri, OFL), so cards look the same on every machine. Cards are cached by everything drawn on them.
"""

from __future__ import annotations

import io
import os
import re
import warnings
import zlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .hashing import digest
from .metadata import upright
from .workers import start_indices
from .writer import write_beside

WIDTH, HEIGHT = 1200, 630
MARGIN = 72
HEADLINE_SIZE = 64  # px; a long headline steps down to fit HEADLINE_LINES lines
HEADLINE_MIN_SIZE = 44
HEADLINE_LINES = 3
FOOTER_SIZE = 34
BACKGROUND = (20, 38, 56)  # without a lead photo
HEADLINE_COLOUR = (255, 255, 255)
FOOTER_COLOUR = (225, 228, 232)
TONES = 16  # of a card without a photo, from BACKGROUND to HEADLINE_COLOUR: the letters' edges need no more
SHADE = 0.85  # how dark the photo gets under the text, at the bottom
QUALITY = 85  # without libjpeg's optimised Huffman tables: a second pass over every card (3.7 of 10 ms) for 20% fewer bytes
FONT_FILE = "Amiri-Bold.ttf"  # in the theme's fonts/ folder
CARDS_PER_JOB = 8  # a card takes a few ms: a job of eight pays for the hand-over
_VERSION = 2  # of the drawing: a new one draws every card again


_CARD_NAME = re.compile(r"^[0-9a-f]{16,128}\.(jpg|png)(\.partial-\w+)?$")


@dataclass(frozen=True)
class Card:
    """What a card shows; `key` names it in the cache."""

    title: str
    site_name: str
    date_text: str
    rtl: bool
    photo: str  # the lead photo's file, or ""
    photo_key: str  # a hash of its bytes
    font: str

    @property
    def file_name(self) -> str:
        return card_name(bool(self.photo))

    @property
    def key(self) -> str:
        return digest(repr((_VERSION, self.title, self.site_name, self.date_text, self.rtl, self.photo_key,
                            font_key(self.font), shaping())).encode())


def card_name(over_photo: bool) -> str:
    """The card's file beside its article page."""
    return "card.jpg" if over_photo else "card.png"


@dataclass(frozen=True)
class CardFile:
    href: str  # as pages link to it
    width: int = WIDTH
    height: int = HEIGHT


@lru_cache(maxsize=8)
def font_key(path: str) -> str:
    return digest(Path(path).read_bytes())


@lru_cache(maxsize=1)
def shaping() -> str:
    """"raqm" where Pillow can shape text itself, else "reshaper" (arabic-reshaper and python-bidi)."""
    from PIL import features

    return "raqm" if features.check("raqm") else "reshaper"


def make_cards(cards: dict[str, Card], folder: Path, jobs: int | None) -> dict[str, Path]:
    """The file of each card (by output path), drawn now or found in `folder` from an earlier build.

    `folder` is a folder itself, never a link (`build._image_folder` sees to it)."""
    folder.mkdir(parents=True, exist_ok=True)
    names = {rel: card.key + Path(card.file_name).suffix for rel, card in cards.items()}
    # One listing, not a stat per card. Only plain files count: a link planted in a cache from elsewhere would
    # publish what it leads to; drawing the card replaces it.
    present = {entry.name for entry in os.scandir(folder) if entry.is_file(follow_symlinks=False)}
    where = {rel: folder / name for rel, name in names.items()}
    missing = [rel for rel in cards if names[rel] not in present]
    if missing:
        drawn = start_indices(_draw_one, [(cards[rel], where[rel]) for rel in missing], len(missing), jobs,
                              per_job=CARDS_PER_JOB)()
        where.update(zip(missing, drawn))
    # Cards of old headlines are dropped: the cache keeps what the site shows, not every draft of it.
    used = set(names.values())
    for name in present - used:
        if _CARD_NAME.match(name):
            (folder / name).unlink(missing_ok=True)
    return where


def _draw_one(missing: list[tuple[Card, Path]], i: int) -> Path:
    """Draw one card into the cache; where it is."""
    card, path = missing[i]
    partial = write_beside(path, draw(card))  # with the umask's mode: output/ links it as it is
    try:
        os.replace(partial, path)  # whole or not at all
    except IsADirectoryError:
        # A folder in its place, from a cache made elsewhere: not the build's to remove. This build publishes
        # the card from where it was drawn, and the next removes that file.
        return partial
    return path


def draw(card: Card) -> bytes:
    """The card as JPEG bytes over a photo, else PNG bytes."""
    from PIL import Image, ImageDraw

    # Without a photo the letters are drawn as ink (0 to 255) and coloured by a palette of TONES tones.
    image = _background(card.photo) if card.photo else Image.new("L", (WIDTH, HEIGHT), 0)
    headline, footer = (HEADLINE_COLOUR, FOOTER_COLOUR) if card.photo else (255, _ink(FOOTER_COLOUR))
    canvas = ImageDraw.Draw(image)
    size, lines = _fit(card.title, card.font, card.rtl)
    font = _font(card.font, size)
    line_height = round(size * 1.45)
    bottom = HEIGHT - MARGIN - FOOTER_SIZE * 2
    top = bottom - line_height * len(lines)
    x, anchor = (WIDTH - MARGIN, "ra") if card.rtl else (MARGIN, "la")
    for number, line in enumerate(lines):
        _text(canvas, (x, top + number * line_height), line, font, anchor, card.rtl, headline)
    # Every card of a day in one language has the same footer: it is laid out once, then stamped.
    left, top, mask = _stamp(f"{card.site_name}  ·  {card.date_text}", card.font, card.rtl, shaping())
    image.paste(footer, (x + left, HEIGHT - MARGIN - FOOTER_SIZE + top), mask)
    out = io.BytesIO()
    if card.photo:
        image.save(out, "JPEG", quality=QUALITY)
    else:
        # Long runs of one tone: zlib's run-length strategy packs them within a sixth of its default, in half the time.
        toned = image.point(_TONE_STEPS)
        toned.putpalette(_palette())
        toned.save(out, "PNG", compress_level=6, compress_type=zlib.Z_RLE)
    return out.getvalue()


def draw_name(word: str, font_path: str, rtl: bool, size: int) -> bytes:
    """A square PNG of `size` px: `word` (the site's name) in white on the cards' background, as wide as fits,
    for a site without a logo of its own (icons.py)."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (size, size), BACKGROUND)
    available = size * 0.78
    font = _font(font_path, 100)
    points = max(6, int(100 * min(available / max(_width(word, font, rtl), 1), 0.62 * size / 100)))
    _text(ImageDraw.Draw(image), (size / 2, size / 2), word, _font(font_path, points), "mm", rtl, HEADLINE_COLOUR)
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


def _ink(colour: tuple[int, int, int]) -> int:
    """How much ink (0 to 255) gives `colour` on the plain background, as near as one value can."""
    return round(255 * (colour[0] - BACKGROUND[0]) / (HEADLINE_COLOUR[0] - BACKGROUND[0]))


_TONE_STEPS = [round(v * (TONES - 1) / 255) for v in range(256)]  # ink -> the nearest of TONES tones


@lru_cache(maxsize=1)
def _palette() -> list[int]:
    return [round(b + (h - b) * tone / (TONES - 1)) for tone in range(TONES)
            for b, h in zip(BACKGROUND, HEADLINE_COLOUR)]


@lru_cache(maxsize=256)
def _stamp(text: str, font_path: str, rtl: bool, engine: str):
    """The footer's ink as a mask, and where its corner lies from the anchor point it is drawn at."""
    from PIL import Image, ImageDraw

    font, anchor = _font(font_path, FOOTER_SIZE), "ra" if rtl else "la"
    direction = {"direction": "rtl" if rtl else "ltr"} if engine == "raqm" else {}
    shown = text if engine == "raqm" else _visual(text, rtl)
    left, top, right, bottom = font.getbbox(shown, anchor=anchor, **direction)
    mask = Image.new("L", (right - left, bottom - top), 0)
    ImageDraw.Draw(mask).text((-left, -top), shown, font=font, fill=255, anchor=anchor, **direction)
    return left, top, mask


def _background(photo: str):
    from PIL import Image, ImageOps

    with Image.open(photo) as opened, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Pillow's word on a damaged EXIF tag: images.py names the photo
        # A camera's JPEG is decoded at a half, quarter or eighth of its size where that still covers the
        # card either way round (libjpeg scales while decoding): 32 ms instead of 160 for 4000×3000.
        opened.draft("RGB", (WIDTH, WIDTH))
        picture = ImageOps.fit(upright(opened).convert("RGB"), (WIDTH, HEIGHT))
    return Image.composite(Image.new("RGB", (WIDTH, HEIGHT), (0, 0, 0)), picture, _shade())


@lru_cache(maxsize=1)
def _shade():
    """Dark at the bottom, where the text is, lighter at the top: the photo still shows."""
    from PIL import Image

    return Image.linear_gradient("L").resize((WIDTH, HEIGHT)).point(lambda v: int(v * SHADE))


@lru_cache(maxsize=32)
def _font(path: str, size: int):
    from PIL import ImageFont

    engine = ImageFont.Layout.RAQM if shaping() == "raqm" else ImageFont.Layout.BASIC
    return ImageFont.truetype(path, size, layout_engine=engine)


def _visual(text: str, rtl: bool) -> str:
    """Text as the basic layout must be given it: letters in their joined forms, in the order they are seen."""
    import arabic_reshaper
    from bidi import get_display

    return get_display(arabic_reshaper.reshape(text), base_dir="R" if rtl else "L")


def _width(text: str, font, rtl: bool) -> float:
    if shaping() == "raqm":
        return font.getlength(text, direction="rtl" if rtl else "ltr")
    return font.getlength(_visual(text, rtl))


def _text(canvas, xy, text: str, font, anchor: str, rtl: bool, fill) -> None:
    if shaping() == "raqm":
        canvas.text(xy, text, font=font, fill=fill, anchor=anchor, direction="rtl" if rtl else "ltr")
    else:
        canvas.text(xy, _visual(text, rtl), font=font, fill=fill, anchor=anchor)


# More characters than HEADLINE_LINES lines can hold at HEADLINE_MIN_SIZE, even of the narrowest letters with
# every vowel mark written: what lies past them is never drawn, and wrapping a title of a hundred thousand
# words (a fork's, say) took minutes per card.
MOST_CHARACTERS = 1000


def words_shown(title: str, font_path: str, rtl: bool) -> int | None:
    """How many words of `title` its card shows when even the smallest size cannot show them all (`_fit` cuts
    the rest with "…"); None when the card shows the whole title."""
    lines = _lines(title, font_path, HEADLINE_MIN_SIZE, rtl)
    return sum(len(line.split()) for line in lines[:HEADLINE_LINES]) if len(lines) > HEADLINE_LINES else None


def _fit(title: str, font_path: str, rtl: bool) -> tuple[int, list[str]]:
    """The largest size at which the headline fits in HEADLINE_LINES lines, and its lines."""
    for size in range(HEADLINE_SIZE, HEADLINE_MIN_SIZE - 1, -4):
        lines = _lines(title, font_path, size, rtl)
        if len(lines) <= HEADLINE_LINES:
            return size, lines
    lines = _lines(title, font_path, HEADLINE_MIN_SIZE, rtl)
    kept = lines[:HEADLINE_LINES]
    if len(lines) > HEADLINE_LINES:
        kept[-1] += " …"
    return HEADLINE_MIN_SIZE, kept


def _lines(title: str, font_path: str, size: int, rtl: bool) -> list[str]:
    """The headline's lines at `size`: its first MOST_CHARACTERS, wrapped to the card's width."""
    return _wrap(title[:MOST_CHARACTERS], _font(font_path, size), rtl, WIDTH - 2 * MARGIN)


def _wrap(text: str, font, rtl: bool, available: int) -> list[str]:
    """The lines of `text` at `font`, up to one past HEADLINE_LINES: enough to know it does not fit."""
    lines: list[str] = []
    for word in text.split():
        if lines and _width(f"{lines[-1]} {word}", font, rtl) <= available:
            lines[-1] += f" {word}"
        elif len(lines) > HEADLINE_LINES:
            break
        else:
            lines.append(word)
    return lines
