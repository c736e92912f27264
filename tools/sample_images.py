"""Draw the sample site's pictures (static/images/): maps, charts and illustrations made with Pillow.

Nothing is downloaded; the same script always draws the same pictures. Run it again after
changing it: `python tools/sample_images.py`. The photos a real digest publishes come from its
photographers and agencies; these only show what a reader sees.
"""

from __future__ import annotations

import math
import random
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "static" / "images"
FONT = ROOT / "themes" / "default" / "fonts" / "Amiri-Bold.ttf"
SIZE = (1600, 900)


def _sky(top: tuple[int, int, int], bottom: tuple[int, int, int], size=SIZE) -> Image.Image:
    """A vertical gradient, with a little grain so it compresses like a photo."""
    gradient = Image.linear_gradient("L").resize(size)
    image = Image.composite(Image.new("RGB", size, bottom), Image.new("RGB", size, top), gradient)
    noise = Image.effect_noise(size, 18).convert("RGB")
    return Image.blend(image, noise, 0.06)


def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONT), size)


def summit_map() -> Image.Image:
    """The Russian Far East: sea, coast, the Amur and a marker at the launch site."""
    image = _sky((120, 170, 205), (70, 120, 170))
    draw = ImageDraw.Draw(image)
    rng = random.Random(1)
    coast = [(0, 520)] + [(x, 520 - 140 * math.sin(x / 260) + rng.randint(-12, 12)) for x in range(0, 1601, 40)] + [(1600, 900), (0, 900)]
    draw.polygon([(x, 900 - y + 380) for x, y in coast], fill=(196, 184, 150))
    draw.line([(200, 700), (520, 610), (860, 660), (1180, 540), (1500, 500)], fill=(90, 140, 190), width=14)
    draw.ellipse((1040, 560, 1080, 600), fill=(200, 40, 40), outline=(255, 255, 255), width=5)
    draw.text((1100, 540), "Vostochny", font=_font(54), fill=(40, 40, 40))
    return image


def magnitude_chart() -> Image.Image:
    """Bars of a quake's magnitude and its aftershocks, hour by hour."""
    image = _sky((250, 248, 242), (236, 232, 222))
    draw = ImageDraw.Draw(image)
    rng = random.Random(2)
    values = [6.8] + [round(rng.uniform(3.0, 5.2), 1) for _ in range(17)]
    for i, value in enumerate(values):
        x = 140 + i * 74
        height = value * 100
        draw.rectangle((x, 800 - height, x + 52, 800), fill=(190, 60, 40) if i == 0 else (220, 140, 90))
    draw.line([(120, 800), (1480, 800)], fill=(60, 60, 60), width=4)
    draw.text((300, 40), "6.8", font=_font(96), fill=(190, 60, 40))
    return image


def temperature_curve() -> Image.Image:
    """A warming curve over a century, for the climate summit."""
    image = _sky((252, 246, 236), (240, 228, 210))
    draw = ImageDraw.Draw(image)
    rng = random.Random(3)
    points = [(100 + i * 14, 700 - (i / 100) ** 2.2 * 480 + rng.uniform(-25, 25)) for i in range(101)]
    draw.line([(100, 700), (1520, 700)], fill=(120, 120, 120), width=3)
    draw.line(points, fill=(200, 70, 30), width=8, joint="curve")
    draw.text((1200, 120), "+1.2°C", font=_font(88), fill=(200, 70, 30))
    return image


def pitch() -> Image.Image:
    """A football pitch seen from above, under floodlights."""
    image = _sky((40, 120, 60), (30, 95, 45))
    draw = ImageDraw.Draw(image)
    for stripe in range(0, 1600, 160):
        draw.rectangle((stripe, 0, stripe + 80, 900), fill=(45, 130, 66))
    white = (240, 240, 240)
    draw.rectangle((80, 80, 1520, 820), outline=white, width=8)
    draw.line([(800, 80), (800, 820)], fill=white, width=8)
    draw.ellipse((650, 300, 950, 600), outline=white, width=8)
    draw.rectangle((80, 260, 320, 640), outline=white, width=8)
    draw.rectangle((1280, 260, 1520, 640), outline=white, width=8)
    return image.filter(ImageFilter.GaussianBlur(0.6))


def river_map() -> Image.Image:
    """A valley town between two dams, and the path of the flood to the sea."""
    image = _sky((205, 195, 170), (180, 165, 135))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 720, 1600, 900), fill=(60, 110, 160))
    draw.line([(760, 0), (790, 200), (740, 420), (800, 600), (780, 720)], fill=(70, 120, 175), width=40)
    for y in (160, 330):
        draw.rectangle((700, y, 860, y + 22), fill=(90, 90, 90))
    draw.rectangle((560, 560, 1040, 720), fill=(225, 215, 195))
    return image


def calligraphy() -> Image.Image:
    """The letter ض, which gives Arabic its name, "the language of the ḍād"."""
    image = _sky((28, 52, 74), (14, 30, 46))
    draw = ImageDraw.Draw(image)
    draw.text((800, 430), "ض", font=_font(520), fill=(232, 196, 120), anchor="mm")
    draw.text((800, 800), "لغة الضاد", font=_font(90), fill=(220, 220, 220), anchor="mm", direction="rtl")
    return image


def two_flags() -> Image.Image:
    """Two plain banners facing each other across a table."""
    image = _sky((236, 236, 232), (210, 210, 204))
    draw = ImageDraw.Draw(image)
    draw.rectangle((180, 160, 700, 520), fill=(0, 108, 53))
    draw.rectangle((900, 160, 1420, 520), fill=(35, 159, 64))
    draw.rectangle((900, 280, 1420, 400), fill=(255, 255, 255))
    draw.rectangle((900, 400, 1420, 520), fill=(218, 0, 0))
    draw.rectangle((120, 640, 1480, 700), fill=(120, 80, 50))
    return image


PICTURES = {
    "vostochny-map.jpg": summit_map, "quake-magnitudes.png": magnitude_chart, "warming-curve.jpg": temperature_curve,
    "pitch.jpg": pitch, "derna-valley.jpg": river_map, "dad-letter.jpg": calligraphy, "two-banners.jpg": two_flags,
}


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, draw in PICTURES.items():
        image = draw()
        path = OUT / name
        if name.endswith(".png"):
            image.save(path, "PNG", optimize=True)
        else:
            image.save(path, "JPEG", quality=92)  # as a camera would: large, for the build to make small
        print(f"{path.relative_to(ROOT)}: {image.width}×{image.height}, {path.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()
