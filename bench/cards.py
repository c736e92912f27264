#!/usr/bin/env python3
"""Share cards: milliseconds to draw one and the bytes it takes, in one process, for Arabic and English
headlines, without a lead photo and over one of 1600×1067 and 4000×3000 pixels (the cold build of a digest
draws one per article, and publishes them all).

Usage: python bench/cards.py [--cards 200] [--runs 3]
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from generator.cards import Card, draw, shaping  # noqa: E402

FONT = str(REPO / "themes/default/fonts/Amiri-Bold.ttf")
HEADLINES = {
    "ar": ("موجز", "١٣ سبتمبر ٢٠٢٣", "اجتماع لوزراء الطاقة يبحث أسعار النفط وخطط الإنتاج للعام المقبل رقم {}"),
    "en": ("Digest", "13 September 2023", "Energy ministers meet to discuss oil prices and next year's output, part {}"),
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cards", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        photos = {"no": "", "1600": str(Path(folder) / "1600.jpg"), "4000": str(Path(folder) / "4000.jpg")}
        _photo(Path(photos["1600"]), (1600, 1067))
        _photo(Path(photos["4000"]), (4000, 3000))
        print(f"{'language':<9} {'photo px':<9} {'ms/card':>8} {'KB/card':>8}   (median of {args.runs} runs of {args.cards}; "
              f"layout: {shaping()})")
        for lang, (site, date, headline) in HEADLINES.items():
            for label, photo in photos.items():
                cards = [Card(headline.format(i), site, date, lang == "ar", photo, "", FONT) for i in range(args.cards)]
                draw(cards[0])  # fonts loaded once, as in a build's worker
                runs, size = [], 0
                for _ in range(args.runs):
                    started = time.perf_counter()
                    size = sum(len(draw(card)) for card in cards)
                    runs.append((time.perf_counter() - started) / len(cards) * 1000)
                print(f"{lang:<9} {label:<9} {statistics.median(runs):>8.2f} {size / len(cards) / 1000:>8.1f}")
    return 0


def _photo(path: Path, size: tuple[int, int]) -> None:
    from PIL import Image

    out = io.BytesIO()
    Image.radial_gradient("L").resize(size).convert("RGB").save(out, "JPEG", quality=90)
    path.write_bytes(out.getvalue())


if __name__ == "__main__":
    raise SystemExit(main())
