"""The site's icon: in a browser's tab, on a phone's home screen (a web app manifest per language), in link
previews of pages without a card of their own, and as the publisher's logo in a story's metadata."""

from __future__ import annotations

import io
import json
import shutil
import struct
import zlib

from PIL import Image

from conftest import BASE_CONFIG, REPO, article
from generator.deploy import headers

STORY = {"content/2023/a.ar.md": article("خبر", "2023-09-13"), "content/2023/a.en.md": article("A story", "2023-09-13")}


def _png(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG"
    return image.convert("RGB")


def test_without_a_logo_the_site_s_name_is_its_icon_in_tabs_home_screens_and_link_previews(site):
    site.write(STORY).build()
    sizes = {"icon-32.png": 32, "icon-180.png": 180, "icon-192.png": 192, "icon-512.png": 512}
    for name, size in sizes.items():
        icon = _png((site.output / "icons" / name).read_bytes())
        assert icon.size == (size, size), name
    large = _png((site.output / "icons/icon-512.png").read_bytes())
    colours = {colour for _, colour in large.getcolors(512 * 512)}
    assert (255, 255, 255) in colours and len(colours) > 2, "the name drawn in white on a colour, not a blank square"

    for route, lang in (("", "ar"), ("2023/09/13/a/", "ar"), ("en/", "en"), ("tags/", "ar"), ("404.html", "ar")):
        page = site.page(route)
        assert page.xpath('//link[@rel="icon"]/@href') == ["/digest/icons/icon-32.png"], route
        assert page.xpath('//link[@rel="apple-touch-icon"]/@href') == ["/digest/icons/icon-180.png"], route
        manifest = page.xpath('//link[@rel="manifest"]/@href')
        assert manifest == ["/digest/manifest.webmanifest" if lang == "ar" else "/digest/en/manifest.webmanifest"]
    # A page without a card of its own is previewed with the icon; a story with its card, and once only.
    home = site.page("")
    assert home.xpath('//meta[@property="og:image"]/@content') == ["https://example.org/digest/icons/icon-512.png"]
    assert home.xpath('//meta[@property="og:title"]/@content') == ["موجز"]
    story = site.page("2023/09/13/a/")
    assert story.xpath('//meta[@property="og:image"]/@content') == ["https://example.org/digest/2023/09/13/a/card.png"]
    assert len(story.xpath('//meta[@property="og:title"]')) == 1

    for path, lang, start, name in (("manifest.webmanifest", "ar", "/digest/", "موجز"),
                                    ("en/manifest.webmanifest", "en", "/digest/en/", "Digest")):
        manifest = json.loads((site.output / path).read_text("utf-8"))
        assert (manifest["name"], manifest["lang"], manifest["start_url"], manifest["scope"]) == \
            (name, lang, start, "/digest/")
        assert manifest["dir"] == ("rtl" if lang == "ar" else "ltr")
        for icon in manifest["icons"]:
            size = int(icon["sizes"].split("x")[0])
            assert _png((site.output / icon["src"].removeprefix("/digest/")).read_bytes()).size == (size, size)
    assert headers("manifest.webmanifest", b"{}")[0] == "application/manifest+json; charset=utf-8"


def test_a_logo_is_the_icon_whole_on_white(site):
    logo = Image.new("RGBA", (900, 300), (0, 0, 0, 0))
    logo.paste((200, 20, 20, 255), (0, 0, 900, 300))
    out = io.BytesIO()
    logo.save(out, "PNG")
    site.write({**STORY, "static/images/logo.png": out.getvalue()}, config=BASE_CONFIG + "logo: /images/logo.png\n")
    result = site.build()
    assert not result.warnings, [str(w) for w in result.warnings]
    icon = _png((site.output / "icons/icon-512.png").read_bytes())
    assert icon.size == (512, 512)
    assert icon.getpixel((256, 256))[0] > 150 and icon.getpixel((256, 256))[1] < 80, "the logo in the middle"
    assert icon.getpixel((256, 10)) == (255, 255, 255), "white above a logo wider than high: it is not cut"
    assert icon.getpixel((3, 256))[0] > 150, "as wide as the icon"
    before = (site.output / "icons/icon-192.png").read_bytes()

    # A new logo: the icons are drawn again, and no page changes (they link the icons by the same address).
    logo.paste((20, 20, 200, 255), (0, 0, 900, 300))
    out = io.BytesIO()
    logo.save(out, "PNG")
    (site.root / "static/images/logo.png").write_bytes(out.getvalue())
    result = site.build()
    assert result.rendered == 0
    assert (site.output / "icons/icon-192.png").read_bytes() != before
    assert _png((site.output / "icons/icon-512.png").read_bytes()).getpixel((256, 256))[2] > 150


def test_a_logo_too_small_for_a_home_screen_is_named_by_build_and_check(site):
    out = io.BytesIO()
    Image.new("RGB", (120, 40), (200, 20, 20)).save(out, "PNG")
    site.write({**STORY, "static/images/logo.png": out.getvalue()}, config=BASE_CONFIG + "logo: /images/logo.png\n")
    said = ("config.yaml: logo: /images/logo.png is only 120×40 px: phones show the site's icon blurred on their home "
            "screens — use the logo at 512 × 512 px or more (square looks best)")
    assert [str(w) for w in site.build().warnings] == ["warning: " + said]
    check = site.cli(command="check")
    assert check.returncode == 0 and said in check.stdout + check.stderr
    assert _png((site.output / "icons/icon-512.png").read_bytes()).size == (512, 512), "made all the same"


def test_a_logo_that_is_no_picture_of_static_is_named_at_its_line_and_output_is_left_as_it_was(site, tmp_path):
    site.write(STORY).build()
    before = site.snapshot()
    (tmp_path / "outside.png").write_bytes(b"not the site's")
    (site.root / "static/images").mkdir(parents=True)
    (site.root / "static/images/linked.png").symlink_to(tmp_path / "outside.png")
    (site.root / "static/images/logo.gif").write_bytes(b"GIF89a")
    cases = {
        "/images/logo.png": "config.yaml:8: logo: '/images/logo.png' is no file of static/ — put the picture at "
                            "static/images/logo.png and write logo: /images/logo.png",
        "/images/logo.gif": "config.yaml:8: logo: '/images/logo.gif' is not a PNG, JPEG or WebP picture — write "
                            "logo: /images/logo.png, for the file static/images/logo.png",
        "/../../outside.png": "config.yaml:8: logo: '/../../outside.png' is no file of static/ — write logo: "
                              "/images/logo.png, for the file static/images/logo.png",
        "/images/linked.png": "config.yaml:8: logo: '/images/linked.png' is no file of static/",
        "[a, b]": "config.yaml:8: logo: must be the address of a picture in static/, such as /images/logo.png",
    }
    for value, message in cases.items():
        (site.root / "config.yaml").write_text(BASE_CONFIG + f"logo: {value}\n", encoding="utf-8")
        result = site.cli()
        assert result.returncode == 1 and "Traceback" not in result.stderr, value
        assert result.stderr.startswith(message), (value, result.stderr)
        assert site.snapshot() == before
    # A file of static/ named as a picture that is none, or a picture of more pixels than any logo has.
    (site.root / "config.yaml").write_text(BASE_CONFIG + "logo: /images/logo.png\n", encoding="utf-8")
    (site.root / "static/images/linked.png").unlink()
    for data, said in ((b"<html>not a picture</html>", "is no picture Mujaz can read"),
                       (_huge_png(), "has more pixels than a logo")):
        (site.root / "static/images/logo.png").write_bytes(data)
        result = site.cli(memory_mb=1500) if said.startswith("has more") else site.cli()
        assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
        assert result.stderr.startswith(f"config.yaml: logo: /images/logo.png {said} — save the logo again as a PNG "
                                        "of 512 × 512 px and build again"), result.stderr
        assert site.snapshot() == before


def _huge_png() -> bytes:
    """A PNG whose header says 60,000 × 60,000 px (3.6 billion pixels, gigabytes decoded), in a few bytes."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 60_000, 60_000, 8, 0, 0, 0, 0)  # 8-bit grey
    rows = zlib.compress(b"\x00" * 60_001 * 16)  # the first rows of it
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")


def test_a_theme_without_the_font_and_a_site_without_a_logo_tell_browsers_there_is_no_icon(site):
    shutil.copytree(REPO / "themes/default", site.root / "themes/plain", ignore=shutil.ignore_patterns("fonts"))
    site.write(STORY, config=BASE_CONFIG + "theme: plain\n").build()
    home = site.page("")
    assert home.xpath('//link[@rel="icon"]/@href') == ["data:,"], "no request for /favicon.ico"
    assert home.xpath('//link[@rel="manifest"]') == [] and not (site.output / "manifest.webmanifest").exists()
    assert home.xpath('//meta[@property="og:image"]') == []


def test_a_site_without_a_title_and_without_a_logo_builds_with_no_icon(site):
    """Nothing to draw an icon from (found by test_fuzz: `title: {}` stopped the build with a traceback)."""
    site.write(STORY, config=BASE_CONFIG.replace("title: {ar: موجز, en: Digest}", "title: {}")).build()
    assert site.page("").xpath('//link[@rel="icon"]/@href') == ["data:,"]


def test_a_theme_copied_before_manifests_existed_builds_with_its_icons_and_without_one(site):
    shutil.copytree(REPO / "themes/default", site.root / "themes/old")
    (site.root / "themes/old/templates/manifest.webmanifest").unlink()
    site.write(STORY, config=BASE_CONFIG + "theme: old\n").build()
    home = site.page("")
    assert home.xpath('//link[@rel="icon"]/@href') == ["/digest/icons/icon-32.png"]
    assert home.xpath('//link[@rel="manifest"]') == [] and not (site.output / "manifest.webmanifest").exists()


def test_check_links_the_icons_and_draws_none(site):
    site.write(STORY)
    result = site.cli(command="check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert not (site.root / ".cache/mujaz/icons").exists() or not any((site.root / ".cache/mujaz/icons").iterdir())
