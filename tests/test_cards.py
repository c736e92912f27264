"""Share cards: one per article, 1200×630, the headline shaped and laid out right to left for Arabic."""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageChops, ImageDraw, ImageFont, ImageOps, features

from conftest import BASE_CONFIG, REPO, article

import generator.cards as cards

FONT = REPO / "themes/default/fonts/Amiri-Bold.ttf"
WORDS = "سلام عليكم"
_FOOTER_TOP = cards.HEIGHT - cards.MARGIN - cards.FOOTER_SIZE - 8
ABOVE_FOOTER = (0, 0, cards.WIDTH, _FOOTER_TOP)  # the headline (or the photo), without the footer
FOOTER_BAND = (0, _FOOTER_TOP, cards.WIDTH, cards.HEIGHT)


def _photo(turned: bool = False) -> bytes:
    out = io.BytesIO()
    gradient = Image.linear_gradient("L")
    (gradient.rotate(90) if turned else gradient).resize((1600, 900)).convert("RGB").save(out, "JPEG")
    return out.getvalue()


def test_every_article_has_a_card_that_shared_links_show(site):
    site.write({
        "static/images/port.jpg": _photo(),
        "content/2023/09/port.ar.md": article("الميناء يستقبل أول سفينة", image="{src: /images/port.jpg, alt: سفينة}",
                                              body="نص الخبر."),
        "content/2023/09/port.en.md": article("The port takes its first ship", image="{src: /images/port.jpg, alt: A ship}",
                                              body="Text."),
    })
    site.build()
    for route, title in (("2023/09/13/port/", "الميناء يستقبل أول سفينة"), ("en/2023/09/13/port/", "The port takes its first ship")):
        page = site.page(route)
        meta = {m.get("property") or m.get("name"): m.get("content") for m in page.xpath("//meta[@content]")}
        assert meta["og:image"] == f"https://example.org/digest/{route}card.jpg"
        assert (meta["og:image:width"], meta["og:image:height"], meta["og:image:alt"]) == ("1200", "630", title)
        assert meta["twitter:image"] == meta["og:image"] and meta["twitter:card"] == "summary_large_image"
        with Image.open(site.output / route / "card.jpg") as card:
            assert card.format == "JPEG" and card.size == (1200, 630)
            assert card.getpixel((600, 20)) != cards.BACKGROUND, "the lead photo is behind the shade"

    # Without a photo, the card is a PNG: the JPEG drawn over the photo is gone from output/.
    site.write({"content/2023/09/port.ar.md": article("الميناء يستقبل أول سفينة", body="نص الخبر.")})
    site.build()
    meta = {m.get("property"): m.get("content") for m in site.page("2023/09/13/port/").xpath("//meta[@property]")}
    assert meta["og:image"] == "https://example.org/digest/2023/09/13/port/card.png"
    assert meta["og:image:width"] == "1200"
    with Image.open(site.output / "2023/09/13/port/card.png") as card:
        assert card.format == "PNG" and card.size == (1200, 630)
        assert card.convert("RGB").getpixel((600, 20)) == cards.BACKGROUND
    assert not (site.output / "2023/09/13/port/card.jpg").exists()
    assert (site.output / "en/2023/09/13/port/card.jpg").is_file()

    site.write({}, config=BASE_CONFIG + "images: {cards: false}\n")
    site.build()
    assert not (site.output / "2023/09/13/port/card.png").exists()
    assert not site.page("2023/09/13/port/").xpath("//meta[@property='og:image']")


def _ink_columns(image: Image.Image, box: tuple[int, int, int, int]) -> tuple[int, int]:
    """The first and last columns of light pixels (the headline's ink) inside `box`."""
    gray = image.convert("L").crop(box).point(lambda v: 255 if v > 160 else 0)
    left, _, right, _ = gray.getbbox()
    return left, right


def _reference(text: str, engine) -> Image.Image:
    font = ImageFont.truetype(str(FONT), cards.HEADLINE_SIZE, layout_engine=engine)
    image = Image.new("L", (1600, 200), 0)
    direction = {"direction": "rtl"} if engine == ImageFont.Layout.RAQM else {}
    ImageDraw.Draw(image).text((50, 40), text, font=font, fill=255, **direction)
    return image


def _ink_width(image: Image.Image) -> int:
    left, _, right, _ = image.point(lambda v: 255 if v > 160 else 0).getbbox()
    return right - left


@pytest.mark.skipif(not features.check("raqm"), reason="needs Pillow's raqm layout (libfribidi0) for the reference")
@pytest.mark.parametrize("shaping", ["raqm", "reshaper"])
def test_the_card_draws_arabic_letters_joined_as_raqm_shapes_them(tmp_path, monkeypatch, shaping):
    shaped = _reference(WORDS, ImageFont.Layout.RAQM)
    unshaped = _reference(WORDS, ImageFont.Layout.BASIC)  # each letter in its isolated form, left to right
    assert shaped.tobytes() != unshaped.tobytes()
    assert abs(_ink_width(shaped) - _ink_width(unshaped)) > 20, "joined letters take less room"

    monkeypatch.setattr(cards, "shaping", lambda: shaping)
    cards._font.cache_clear()
    card = Image.open(io.BytesIO(cards.draw(cards.Card(WORDS, "موجز", "13 سبتمبر 2023", True, "", "", str(FONT)))))
    line = round(cards.HEADLINE_SIZE * 1.45)
    top = cards.HEIGHT - cards.MARGIN - cards.FOOTER_SIZE * 2 - line
    left, right = _ink_columns(card, (0, top, cards.WIDTH, top + line))
    width = right - left
    if shaping == "raqm":
        assert abs(width - _ink_width(shaped)) <= 3, "the card's headline is the shaped text"
    else:  # presentation forms join the letters too, without the font's own ligatures: near, not equal
        assert abs(width - _ink_width(shaped)) * 2 < abs(width - _ink_width(unshaped)), (width, "joined, not isolated")
    assert abs(right - (cards.WIDTH - cards.MARGIN)) <= 4, "set from the right margin"
    cards._font.cache_clear()


def test_the_cache_keeps_the_cards_and_photos_the_site_shows_not_their_old_versions(site):
    site.write({"static/images/port.jpg": _photo(),
                "content/a.en.md": article("First headline", image="{src: /images/port.jpg, alt: A ship}")})
    site.build()
    folder = site.root / ".cache/mujaz"
    cards_before = sorted(p.name for p in (folder / "cards").iterdir())
    photos_before = sorted(p.name for p in (folder / "images").iterdir() if p.is_dir())
    assert len(cards_before) == 1 and len(photos_before) == 1
    site.write({"static/images/port.jpg": _photo(turned=True),  # another photo at the same address
                "content/a.en.md": article("Second headline", image="{src: /images/port.jpg, alt: A ship}")})
    site.build()
    cards_after = sorted(p.name for p in (folder / "cards").iterdir())
    photos_after = sorted(p.name for p in (folder / "images").iterdir() if p.is_dir())
    assert len(cards_after) == 1 and cards_after != cards_before
    assert len(photos_after) == 1 and photos_after != photos_before


@pytest.mark.parametrize("rtl", [True, False])
def test_the_footer_is_stamped_where_drawing_it_would_put_it(rtl):
    """The footer is laid out once per day and language and pasted: it must land on the very pixels
    that drawing it on each card would."""
    site, date = ("موجز", "١٣ سبتمبر ٢٠٢٣") if rtl else ("Digest", "13 September 2023")
    card = Image.open(io.BytesIO(cards.draw(cards.Card("Headline", site, date, rtl, "", "", str(FONT)))))
    ink = Image.new("L", (cards.WIDTH, cards.HEIGHT), 0)  # drawn as a card without a photo is: ink, then toned
    x, anchor = (cards.WIDTH - cards.MARGIN, "ra") if rtl else (cards.MARGIN, "la")
    cards._text(ImageDraw.Draw(ink), (x, cards.HEIGHT - cards.MARGIN - cards.FOOTER_SIZE), f"{site}  ·  {date}",
                cards._font(str(FONT), cards.FOOTER_SIZE), anchor, rtl, cards._ink(cards.FOOTER_COLOUR))
    drawn = ink.point(cards._TONE_STEPS)
    drawn.putpalette(cards._palette())
    ours, theirs = card.convert("RGB").crop(FOOTER_BAND), drawn.convert("RGB").crop(FOOTER_BAND)
    assert ours.convert("L").point(lambda v: 255 if v > 160 else 0).getbbox() is not None, "the footer has ink"
    assert ImageChops.difference(ours, theirs).getbbox() is None


@pytest.mark.parametrize("rtl", [True, False])
def test_a_card_without_a_photo_is_a_png_a_third_the_size_with_the_same_letters(rtl):
    """The letters of a card without a photo in TONES tones: what a phone shows of them is the
    full-tone drawing to within half a tone, in under a third of the bytes that drawing takes as a JPEG."""
    title = ("وزير الخارجية يبحث مع نظيره سبل تعزيز التعاون الاقتصادي بين البلدين في ظل التحديات" if rtl
             else "Central bank holds interest rates steady as inflation eases for a third month in a row")
    card = cards.Card(title, "موجز" if rtl else "Digest", "١٣ سبتمبر ٢٠٢٣" if rtl else "13 September 2023", rtl,
                      "", "", str(FONT))
    assert card.file_name == "card.png"
    data = cards.draw(card)
    ours = Image.open(io.BytesIO(data))
    assert ours.format == "PNG" and ours.size == (cards.WIDTH, cards.HEIGHT)
    ours = ours.convert("RGB")
    assert len(ours.getcolors()) <= cards.TONES
    assert ours.getpixel((10, 10)) == cards.BACKGROUND
    assert cards.HEADLINE_COLOUR in {colour for _, colour in ours.getcolors()}, "the letters' cores are white"

    full = Image.new("RGB", (cards.WIDTH, cards.HEIGHT), cards.BACKGROUND)  # the same letters in every tone
    canvas, (size, lines) = ImageDraw.Draw(full), cards._fit(title, str(FONT), rtl)
    assert len(lines) >= 2, "a headline long enough to fill the card"
    top = cards.HEIGHT - cards.MARGIN - cards.FOOTER_SIZE * 2 - round(size * 1.45) * len(lines)
    x, anchor = (cards.WIDTH - cards.MARGIN, "ra") if rtl else (cards.MARGIN, "la")
    for number, line in enumerate(lines):
        cards._text(canvas, (x, top + number * round(size * 1.45)), line, cards._font(str(FONT), size), anchor, rtl,
                    cards.HEADLINE_COLOUR)
    difference = ImageChops.difference(ours.crop(ABOVE_FOOTER), full.crop(ABOVE_FOOTER)).convert("L")
    half_a_tone = 255 / (cards.TONES - 1) / 2
    assert max(v for v, n in enumerate(difference.histogram()) if n) <= half_a_tone + 1
    as_jpeg = io.BytesIO()
    full.save(as_jpeg, "JPEG", quality=cards.QUALITY)
    assert len(data) < len(as_jpeg.getvalue()) / 3, (len(data), len(as_jpeg.getvalue()))


def test_a_camera_sized_photo_is_decoded_smaller_and_the_card_shows_the_same_picture(tmp_path):
    photo = tmp_path / "camera.jpg"
    picture = Image.radial_gradient("L").resize((4000, 3000)).convert("RGB")
    lines = ImageDraw.Draw(picture)
    for x in range(0, 4000, 24):  # detail a careless shrink would blur or alias
        lines.line([(x, 0), (x, 2999)], fill=(250, 250, 250), width=6)
    picture.save(photo, "JPEG", quality=90)
    card = Image.open(io.BytesIO(cards.draw(cards.Card("", "", "", False, str(photo), "", str(FONT))))).convert("L")
    with Image.open(photo) as opened:  # the whole photo, decoded at full size, shaded as the card shades it
        full = ImageOps.fit(opened.convert("RGB"), (cards.WIDTH, cards.HEIGHT))
    out = io.BytesIO()
    Image.composite(Image.new("RGB", full.size, (0, 0, 0)), full, cards._shade()).save(out, "JPEG", quality=cards.QUALITY)
    shaded = Image.open(out).convert("L")
    counts = ImageChops.difference(card.crop(ABOVE_FOOTER), shaded.crop(ABOVE_FOOTER)).histogram()
    # Decoded at half size: 8 levels at most, 1.0 on average; at a quarter (too small, blown up): 31 and 4.5.
    assert max(counts[16:]) == 0, "nowhere far off"
    assert sum(level * n for level, n in enumerate(counts)) < 2 * sum(counts), "within two levels on average"


@pytest.mark.slow  # 3.5 s of building under a memory cap: make test-slow, and CI
def test_a_title_of_a_hundred_thousand_words_neither_holds_up_the_build_nor_changes_what_the_card_shows(site):
    """A story from a fork whose title runs to a megabyte: the card shows the three lines that fit, as it
    does for the title's first two hundred words, and what lies past them is never laid out (it took
    minutes per card)."""
    arabic, english = " ".join(["كلمة"] * 100_000), " ".join(["word"] * 100_000)
    site.write({"content/2023/09/long.ar.md": article(arabic), "content/2023/09/long.en.md": article(english)})
    run = site.cli(memory_mb=2000, timeout=90)
    assert run.returncode == 0, run.stderr
    for route, title, rtl in (("2023/09/13/long/", arabic, True), ("en/2023/09/13/long/", english, False)):
        shown = (site.output / route / "card.png").read_bytes()
        meta = {m.get("property"): m.get("content") for m in site.page(route).xpath("//meta[@property]")}
        assert meta["og:image"].endswith(route + "card.png")
        first_words = cards.draw(cards.Card(" ".join(title.split()[:200]), "", "", rtl, "", "", str(FONT)))
        ours, theirs = (Image.open(io.BytesIO(data)).convert("RGB").crop(ABOVE_FOOTER) for data in (shown, first_words))
        assert ours.convert("L").point(lambda v: 255 if v > 160 else 0).getbbox() is not None, "the headline has ink"
        assert ImageChops.difference(ours, theirs).getbbox() is None
