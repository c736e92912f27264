"""Photos for phones: resized copies that exist at the widths they claim, no metadata, no work twice."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

from urllib.parse import unquote

import lxml.etree
import pytest
import yaml
from PIL import Image

from conftest import BASE_CONFIG, NOW, article

from generator.build import BuildOptions, build

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def _photo(width: int, height: int, orientation: int = 1, gps: bool = True, fmt: str = "JPEG") -> bytes:
    """A camera-like photo: a gradient, with an EXIF orientation and a GPS position."""
    image = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    exif[0x010F] = "Camera maker"
    if gps:
        exif[GPS_IFD] = {1: "N", 2: (24.0, 28.0, 0.0), 3: "E", 4: (54.0, 22.0, 0.0)}
    out = io.BytesIO()
    image.save(out, fmt, exif=exif.tobytes()) if fmt == "JPEG" else image.save(out, fmt)
    return out.getvalue()


def _candidates(srcset: str) -> list[tuple[str, int]]:
    return [(url, int(width.rstrip("w"))) for url, width in (part.split() for part in srcset.split(","))]


@pytest.fixture
def photo_site(site):
    site.write({
        "static/images/camp.jpg": _photo(3000, 2000, orientation=6),  # held upright: 2000 × 3000
        "static/images/chart.png": _photo(600, 400, gps=False, fmt="PNG"),
        "content/2023/09/camp.en.md": article(
            "Camp opens", body="First paragraph.\n\n![A chart of arrivals](/images/chart.png)\n\nLast paragraph.",
            image="{src: /images/camp.jpg, alt: Tents at dawn}"),
    })
    return site


def test_srcset_candidates_exist_at_the_widths_they_claim_and_carry_no_metadata(photo_site):
    site = photo_site
    result = site.build()
    assert not [w for w in result.warnings if "image" in w.message]
    page = site.page("en/2023/09/13/camp/")
    [lead] = page.xpath("//figure[@class='lead-image']//img")
    assert (lead.get("width"), lead.get("height")) == ("2000", "3000"), "turned upright by its EXIF orientation"
    assert lead.get("fetchpriority") == "high" and lead.get("loading") is None, "the lead image loads first"
    [webp] = page.xpath("//figure[@class='lead-image']//source")
    assert webp.get("type") == "image/webp" and webp.get("sizes") == lead.get("sizes")
    prefix = "/digest/"
    for srcset, fmt in ((webp.get("srcset"), "WEBP"), (lead.get("srcset"), "JPEG")):
        candidates = _candidates(srcset)
        assert [w for _, w in candidates] == [480, 800, 1200]
        for url, width in candidates:
            with Image.open(site.output / url.removeprefix(prefix)) as copy:
                assert copy.format == fmt and copy.width == width and copy.height == width * 3 // 2

    [body] = page.xpath("//div[@class='body']//img")
    assert body.get("alt") == "A chart of arrivals" and body.get("loading") == "lazy"
    assert (body.get("width"), body.get("height")) == ("600", "400")
    assert [w for _, w in _candidates(body.get("srcset"))] == [480, 600], "never wider than the photo"

    images = [p for p in site.output.rglob("*") if p.suffix in (".jpg", ".png", ".webp")]
    assert len(images) >= 12
    for path in images:
        with Image.open(path) as copy:
            exif = copy.getexif()
            assert GPS_IFD not in exif and not exif.get_ifd(GPS_IFD), f"{path} carries a GPS position"
            assert ORIENTATION not in exif and 0x010F not in exif, f"{path} carries EXIF"
    with Image.open(site.output / "images/camp.jpg") as full:
        assert full.size == (2000, 3000), "the photo's own address: the upright copy, no metadata"
    assert (site.output / "images/camp.jpg").stat().st_size < len((site.root / "static/images/camp.jpg").read_bytes())


def test_a_photo_whose_name_has_spaces_is_offered_at_phone_widths_and_loses_its_gps_position(site):
    """A name as a phone or a camera gives it, with spaces (and in Arabic): it was published as it was, at
    full size and with the photographer's position, as a srcset could not hold its address."""
    name = "قاعة المؤتمر, الرياض.jpg"
    site.write({f"static/images/{name}": _photo(1600, 1000),
                "content/a.en.md": article("Hall", image=f"{{src: '/images/{name}', alt: The hall}}",
                                           body="Text.\n\n![The hall again](/images/%D9%82%D8%A7%D8%B9%D8%A9%20"
                                                "%D8%A7%D9%84%D9%85%D8%A4%D8%AA%D9%85%D8%B1,%20%D8%A7%D9%84%D8%B1%D9%8A"
                                                "%D8%A7%D8%B6.jpg)\n")})
    result = site.build()
    assert not [str(w) for w in result.warnings if "image" in w.message]
    page = site.page("en/2023/09/13/a/")
    offered = page.xpath("//figure[@class='lead-image']//img/@srcset | //div[@class='body']//img/@srcset")
    assert len(offered) == 2, "the lead image and the one in the text, each named its own way"
    for srcset in offered:
        candidates = _candidates(srcset)
        assert [w for _, w in candidates] == [480, 800, 1200]
        for url, width in candidates:
            with Image.open(site.output / unquote(url).removeprefix("/digest/")) as copy:
                assert copy.width == width
    with Image.open(site.output / "images" / name) as full:
        assert not full.getexif().get_ifd(GPS_IFD) and GPS_IFD not in full.getexif(), "no position published"


def test_unchanged_photos_are_not_processed_again_and_a_replaced_one_is(photo_site, monkeypatch):
    import generator.images as images

    site = photo_site
    site.build()
    page_before = (site.output / "en/2023/09/13/camp/index.html").read_text()

    def refuse(*args):
        raise AssertionError("an unchanged photo was processed again")

    monkeypatch.setattr(images, "_process_one", refuse)
    post = site.root / "content/2023/09/camp.en.md"
    post.write_text(post.read_text().replace("Last paragraph.", "Last paragraph, edited."))
    site.build()
    assert "Last paragraph, edited." in (site.output / "en/2023/09/13/camp/index.html").read_text()

    monkeypatch.undo()
    (site.root / "static/images/chart.png").write_bytes(_photo(900, 300, gps=False, fmt="PNG"))
    site.build()
    page = site.page("en/2023/09/13/camp/")
    [body] = page.xpath("//div[@class='body']//img")
    assert (body.get("width"), body.get("height")) == ("900", "300"), "the page showing it was rendered again"
    assert [w for _, w in _candidates(body.get("srcset"))] == [480, 800, 900]
    assert page_before != (site.output / "en/2023/09/13/camp/index.html").read_text()


def test_one_photo_saved_under_several_names_is_made_into_copies_once(site, monkeypatch):
    """An editor who uploads one photo twice has two files of the same bytes: their copies share one entry of the
    cache, and each was made by a job of its own. Two workers writing one entry raced: a build of eight such files
    on two processes stopped with IsADirectoryError in one of six."""
    import generator.images as images

    made = []
    process = images._process_one
    monkeypatch.setattr(images, "_process_one", lambda job, i: made.append(job.photos[i][0]) or process(job, i))
    photo = _photo(900, 600, gps=False)
    site.write({**{f"static/images/p{n}.jpg": photo for n in range(8)},
                "content/a.en.md": article("Eight", body=" ".join(f"![{n}](/images/p{n}.jpg)" for n in range(8)))})
    site.build(jobs=1)  # in this process, where the count is kept
    assert len(made) == 1, made
    page = site.page("en/2023/09/13/a/")
    assert [img.get("width") for img in page.xpath("//div[@class='body']//img")] == ["900"] * 8
    assert all((site.output / f"images/p{n}-w480.webp").is_file() for n in range(8)), "each name has its copies"


def test_a_replaced_photo_s_copies_are_in_output_before_the_page_that_names_them(photo_site, monkeypatch):
    """output/ is served as it is written (the preview, a server on the folder): a page showing a replaced
    photo must not appear while the photo's copies of the old size are still there (the preview test that
    read a new page and then an old copy failed once on CI that way)."""
    import generator.writer as writer

    site = photo_site
    site.build()
    moved: list[str] = []

    def finish(root, output_dir):
        moved.extend(json.loads((root / writer.JOURNAL).read_bytes())["moves"])
        finish_for_real(root, output_dir)

    finish_for_real = writer._finish
    monkeypatch.setattr(writer, "_finish", finish)
    (site.root / "static/images/chart.png").write_bytes(_photo(900, 300, gps=False, fmt="PNG"))
    site.build()
    page, copy = moved.index("en/2023/09/13/camp/index.html"), moved.index("images/chart-w480.webp")
    assert copy < page, moved
    assert all(not rel.endswith(".html") for rel in moved[:page]), "every copied file before any page"
    with Image.open(site.output / "images/chart-w480.webp") as published:
        assert published.size == (480, 160)


def test_a_file_that_is_no_image_is_published_as_it_is_with_a_warning(site):
    site.write({"static/images/broken.jpg": b"not a photo",
                "content/a.en.md": article("Broken", image="{src: /images/broken.jpg, alt: x}")})
    result = site.build()
    assert any(str(w).startswith("warning: static/images/broken.jpg: cannot be read as an image") for w in result.warnings)
    assert (site.output / "images/broken.jpg").read_bytes() == b"not a photo"
    [lead] = site.page("en/2023/09/13/a/").xpath("//figure[@class='lead-image']//img")
    assert lead.get("src") == "/digest/images/broken.jpg" and lead.get("srcset") is None


LOCATED = ("its metadata holds the place it was taken (GPS): the site's copies leave it out, but anyone who can read "
           "the repository can read it in this file — upload the photo again in /admin/, which saves it without its "
           "place, and delete this file (or run: python -m generator remove-locations)")


def _damaged() -> dict[str, bytes]:
    """Photos whose bytes are damaged where Pillow fails in ways of its own: a PNG whose pixel data says it is half
    its length (SyntaxError), and a JPEG whose GPS latitude says its numbers are bytes (Pillow's exif_transpose
    writes the EXIF again, and failed on it: TypeError)."""
    import struct

    png = bytearray(_photo(600, 400, gps=False, fmt="PNG"))
    at = png.index(b"IDAT")
    png[at - 4:at] = struct.pack(">I", struct.unpack(">I", png[at - 4:at])[0] // 2)
    latitude = b"\x00\x02\x00\x05\x00\x00\x00\x03"  # tag 2, of type 5 (rational), 3 of them: big-endian EXIF
    jpeg = _photo(600, 400, orientation=6)
    assert jpeg.count(latitude) == 1
    return {"static/images/cut.png": bytes(png), "static/images/typed.jpg": jpeg.replace(latitude, latitude[:3] + b"\x01" + latitude[4:])}


@pytest.mark.parametrize("command", ["build", "check"])
def test_a_damaged_photo_is_named_and_published_as_it_is_never_a_traceback(site, command):
    """A photo cut short or with a damaged EXIF (a fork's, a download's) stopped the build with a traceback. A damaged
    tag no longer keeps a photo from its copies for phones, turned as the camera was held."""
    damaged = _damaged()
    site.write({**damaged, "content/a.en.md": article("Damaged", image="{src: /images/cut.png, alt: x}",
                                                      body="![typed](/images/typed.jpg)")})
    result = site.cli(command=command)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    said = [line for line in result.stderr.splitlines() if line.startswith("warning: static/")]
    assert said == [
        "warning: static/images/cut.png: cannot be read as an image: its bytes are damaged (SyntaxError); published as "
        "it is, at full size — save it again as JPEG or PNG",
        f"warning: static/images/typed.jpg: {LOCATED}"], result.stderr
    assert "UserWarning" not in result.stderr, "Pillow's own words on a damaged tag are not the editor's business"
    if command == "build":
        assert (site.output / "images/cut.png").read_bytes() == damaged["static/images/cut.png"]
        with Image.open(site.output / "images/typed.jpg") as copy:
            assert copy.size == (400, 600) and not copy.getexif(), "upright, and telling no place"
        assert "typed-w400.webp 400w" in " ".join(site.page("en/2023/09/13/a/").xpath("//div[@class='body']//source/@srcset"))


def test_a_site_s_photos_that_tell_where_they_were_taken_are_named_in_one_line_and_saved_again_at_once(site, tmp_path):
    """A site that published for years before this had every phone photo with its place: one line names them, and
    `remove-locations` saves each again, upright and without metadata, and nothing else: a photo without a place
    keeps its bytes, and a link's target (someone else's file) is never touched."""
    elsewhere = tmp_path / "elsewhere.jpg"
    elsewhere.write_bytes(_photo(800, 600, orientation=6))
    located = {f"static/images/p{n}.jpg": _photo(800, 600, orientation=6) for n in range(5)}
    plain = _photo(800, 600, gps=False)
    site.write({**located, "static/images/plain.jpg": plain, "static/notes/p.txt": b"not a photo",
                "content/a.en.md": article("Photos", body=" ".join(f"![p{n}](/images/p{n}.jpg)" for n in range(5))
                                           + " ![plain](/images/plain.jpg)")})
    said = [str(w) for w in site.build().warnings if str(w).startswith("warning: static/")]
    assert said == ["warning: static/: 5 photos hold the place they were taken (GPS) in their metadata (images/p0.jpg, "
                    "images/p1.jpg, images/p2.jpg and 2 more): the site's copies leave it out, but anyone who can read "
                    "the repository can read it in these files — run: python -m generator remove-locations, and "
                    "commit the photos it saves again"]
    before = elsewhere.read_bytes()
    (site.root / "static/images/linked.jpg").symlink_to(elsewhere)  # which a build refuses to publish
    result = site.cli(command="remove-locations")
    (site.root / "static/images/linked.jpg").unlink()
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [f"static/images/p{n}.jpg: saved again without the place it was taken"
                                          for n in range(5)] + [
        "5 photos saved again without the place they were taken; commit them (git's history keeps the old files)"]
    for n in range(5):
        with Image.open(site.root / f"static/images/p{n}.jpg") as photo:
            assert photo.size == (600, 800) and not photo.getexif(), "upright, and telling nothing"
    assert (site.root / "static/images/plain.jpg").read_bytes() == plain
    assert elsewhere.read_bytes() == before
    assert not [w for w in site.build().warnings if str(w).startswith("warning: static/")]
    again = site.cli(command="remove-locations")
    assert again.stdout.splitlines() == ["0 photos saved again without the place they were taken"]


def test_check_reads_the_photos_a_pull_request_adds_and_names_those_readers_would_not_see(site):
    """A pull request's check runs on the cache the last publish left: the photos it adds are in no cache
    entry, and check (which writes nothing) still reads each, as the build that publishes them would."""
    site.write({"static/images/camp.jpg": _photo(1200, 800),
                "content/a.en.md": article("Camp", image="{src: /images/camp.jpg, alt: x}")})
    site.build()
    whole = _photo(1600, 1000)
    site.write({"static/images/camp.jpg": _photo(1200, 800),
                "static/images/cut.jpg": whole[: len(whole) // 2],  # an upload that did not finish
                "static/images/phone.heic": b"\0\0\0\x18ftypheic\0\0\0\0mif1heic" + bytes(64),
                "static/images/fine.jpg": _photo(900, 600),
                "static/images/plain.jpg": _photo(900, 600, gps=False),  # its EXIF holds no place
                "content/a.en.md": article("Camp", image="{src: /images/camp.jpg, alt: x}"),
                "content/b.en.md": article("Cut", "2023-09-14", image="{src: /images/cut.jpg, alt: x}",
                                           body="![phone](/images/phone.heic) ![fine](/images/fine.jpg) "
                                                "![plain](/images/plain.jpg)")})
    entries = sorted(p.name for p in (site.root / ".cache/mujaz/images").iterdir())
    result = site.cli(command="check")
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning: static/")]
    assert warnings == [
        "warning: static/images/phone.heic: is an iPhone's HEIC photo, which Chrome, Firefox and Android's browsers "
        "do not show: most readers would see an empty frame — export it as JPEG and link the .jpg (on an iPhone: "
        "Settings → Camera → Formats → Most Compatible)",
        "warning: static/images/cut.jpg: cannot be read as an image: its file is cut short (an upload or a copy that "
        "did not finish); left out of the site: its metadata holds the place it was taken (GPS), which only a copy "
        "could leave out — save it again as JPEG or PNG",  # the place is in the part the upload sent
        f"warning: static/images/camp.jpg: {LOCATED}",  # known from the cache's entry
        f"warning: static/images/cut.jpg: {LOCATED}",
        f"warning: static/images/fine.jpg: {LOCATED}"], result.stderr  # read by check
    assert sorted(p.name for p in (site.root / ".cache/mujaz/images").iterdir()) == entries, "check writes nothing"
    published = [str(w) for w in site.build().warnings if str(w).startswith("warning: static/")]
    assert published == warnings, "the build that publishes them says the same"


def _webp(width: int, height: int, frames: int = 1, gps: bool = True) -> bytes:
    """A WebP as a phone or a web page gives it, with EXIF and a GPS position; with `frames`, an animation."""
    images = [Image.linear_gradient("L").resize((width, height)).point(lambda v, f=f: (v + 40 * f) % 256).convert("RGB")
              for f in range(frames)]
    exif = Image.Exif()
    exif[0x010F] = "Camera maker"
    if gps:
        exif[GPS_IFD] = {1: "N", 2: (24.0, 28.0, 0.0), 3: "E", 4: (54.0, 22.0, 0.0)}
    out = io.BytesIO()
    images[0].save(out, "WEBP", exif=exif.tobytes(), save_all=frames > 1, append_images=images[1:], duration=200)
    return out.getvalue()


def test_a_webp_photo_is_offered_at_phone_widths_without_its_gps_and_an_animation_stays_whole(site):
    """A photo saved from a web page, or converted by the CMS from an iPhone's HEIC, is a WebP: it was published
    at full size with its metadata, no srcset, no width and height, and the share card had no photo."""
    animation = _webp(600, 400, frames=3, gps=False)
    site.write({"static/images/square.webp": _webp(3000, 2000), "static/images/moving.webp": animation,
                "static/images/where.webp": _webp(600, 400, frames=3),
                "content/a.en.md": article("Square", image="{src: /images/square.webp, alt: The square}",
                                           body="Text.\n\n![It moves](/images/moving.webp)\n\n"
                                                "![It tells](/images/where.webp)\n")})
    result = site.build()
    assert not [str(w) for w in result.warnings if "image" in w.message]
    assert [str(w) for w in result.warnings if str(w).startswith("warning: static/images/where.webp: is an")] == [
        "warning: static/images/where.webp: is an animation, which is published as it is; left out of the site: its "
        "metadata holds the place it was taken (GPS), which only a copy could leave out — save it again without its "
        "place (GPS)"]
    assert not (site.output / "images/where.webp").exists(), "an animation that tells its place is not published"
    page = site.page("en/2023/09/13/a/")
    [lead] = page.xpath("//figure[@class='lead-image']//img")
    assert (lead.get("width"), lead.get("height")) == ("2400", "1600")
    candidates = _candidates(lead.get("srcset"))
    assert [w for _, w in candidates] == [480, 800, 1200]
    [offered] = page.xpath("//figure[@class='lead-image']/picture")
    assert _sources(offered) == [("image/webp", "/digest/images/square-w480.webp"),
                                 ("img", "/digest/images/square-w480.jpg")], "JPEG for the browsers that show no WebP"
    webp = [url for url, _ in _candidates(offered.xpath("source/@srcset")[0])]
    for url in [lead.get("src")] + webp + [url for url, _ in candidates]:
        with Image.open(site.output / url.removeprefix("/digest/")) as copy:
            assert copy.format == ("JPEG" if url.endswith(".jpg") else "WEBP"), url
            assert GPS_IFD not in copy.getexif() and 0x010F not in copy.getexif(), url
    assert (site.output / "en/2023/09/13/a/card.jpg").is_file(), "the share card shows the photo"
    assert page.xpath("//meta[@property='og:image']/@content")[0].endswith("/en/2023/09/13/a/card.jpg")
    # An animation is published as it is: a copy would keep its first frame.
    [moving, _] = page.xpath("//div[@class='body']//img")
    assert moving.get("src") == "/digest/images/moving.webp" and moving.get("srcset") is None
    assert (site.output / "images/moving.webp").read_bytes() == animation


def test_two_photos_whose_copies_would_share_names_are_named_before_anything_is_written(site):
    """By check too, before any build has copied the photos (as a pull request is checked): it makes no copies,
    and passed what the publish then stopped at."""
    site.write({"static/images/port.jpg": _photo(1000, 600), "static/images/port.webp": _webp(1000, 600),
                "content/a.en.md": article("Port", image="{src: /images/port.jpg, alt: x}",
                                           body="![again](/images/port.webp)")})
    clash = ("static/images/port.webp: its copies for phones would have the names of those of static/images/port.jpg "
             "(images/port-w480.webp) — rename one of the two photos")
    checked = site.cli(command="check")
    assert checked.returncode == 1 and checked.stderr.splitlines()[0] == clash, checked.stderr
    assert not (site.root / ".cache").exists()
    result = site.cli()
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.splitlines()[0] == clash, result.stderr
    assert not site.output.exists()
    # A file of static/ published as it is, named as a copy would be.
    site.write({"static/images/port.jpg": _photo(1000, 600), "static/images/port-w800.jpg": b"the editor's own",
                "content/a.en.md": article("Port", image="{src: /images/port.jpg, alt: x}")})
    (site.root / "static/images/port.webp").unlink()
    checked = site.cli(command="check")
    assert checked.returncode == 1 and checked.stderr.splitlines()[0] == (
        "static/images/port-w800.jpg: has the name of a copy for phones of static/images/port.jpg — rename one of "
        "them"), checked.stderr
    result = site.cli()
    assert result.returncode == 1 and result.stderr.splitlines()[0] == (
        "static/images/port-w800.jpg: has the name of a copy for phones of static/images/port.jpg — rename one of "
        "them"), result.stderr
    assert not site.output.exists()


MEDIA = {
    "static/media/briefing.mp4": b"\x00\x00\x00\x18ftypmp42" + bytes(64),  # what a phone's camera saves starts so
    "static/media/call.mp3": b"ID3" + bytes(64),
    "static/images/chart.png": _photo(900, 500, gps=False, fmt="PNG"),
    "content/a.ar.md": article("مؤتمر صحفي", body="نص.\n\n![المؤتمر الصحفي](/media/briefing.mp4)\n\n"
                                                 "![المكالمة](/media/call.mp3 \"تسجيل المكالمة\")\n\n"
                                                 "![رسم بياني](/images/chart.png)\n\n![المقابلة](/media/interview.webm)\n"),
}


def test_a_video_or_a_recording_written_as_a_picture_is_its_player(site):
    """`![…](/media/x.mp4)`: no browser shows a video in an <img>, and readers saw a broken picture, without a word
    said. A picture stays a picture; a video the site does not hold is named as a video."""
    site.write(MEDIA)
    result = site.build()
    assert [str(w) for w in result.warnings if "media" in w.message] == [
        "warning: content/a.ar.md:13: a video '/digest/media/interview.webm' is not in static/ — put the file at "
        "static/media/interview.webm, or fix the address"]
    body = site.page("2023/09/13/a/").find_class("body")[0]
    [video, missing] = body.iter("video")
    assert dict(video.attrib) == {"src": "/digest/media/briefing.mp4", "controls": "", "preload": "none",
                                  "playsinline": "", "title": "المؤتمر الصحفي"}
    [audio] = body.iter("audio")
    assert dict(audio.attrib) == {"src": "/digest/media/call.mp3", "controls": "", "preload": "none",
                                  "title": "تسجيل المكالمة"}
    assert [img.get("src") for img in body.iter("img")] == ["/digest/images/chart.png"]
    assert (site.output / "media/briefing.mp4").read_bytes() == MEDIA["static/media/briefing.mp4"]


@pytest.mark.slow  # Chromium; CI runs it
def test_a_video_s_player_loads_nothing_before_the_reader_plays_it(site, browser):
    """On a phone on slow data: the page shows the player, column-wide, and the file is asked for only on a tap."""
    from pages_server import serve

    site.write(MEDIA)
    site.build()
    server = serve(site.output, "/digest/")
    context = browser.new_context(viewport={"width": 375, "height": 812}, device_scale_factor=2)
    try:
        page = context.new_page()
        asked = []
        page.on("request", lambda request: asked.append(request.url))
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/digest/2023/09/13/a/", wait_until="networkidle")
        box = page.locator(".body video").first.bounding_box()
        column = page.locator(".body").bounding_box()
        assert box["width"] == pytest.approx(column["width"], abs=1) and box["height"] == pytest.approx(
            box["width"] * 9 / 16, abs=2), (box, column)
        assert page.locator(".body audio").bounding_box()["width"] == pytest.approx(column["width"], abs=1)
        assert not [url for url in asked if "/media/" in url], asked
        with page.expect_request(lambda request: request.url.endswith("/media/briefing.mp4")):
            page.locator(".body video").first.evaluate("video => video.play().catch(() => {})")
    finally:
        context.close()
        server.shutdown()
        server.server_close()


def test_a_picture_alone_on_its_line_with_a_title_is_a_figure_with_its_caption_under_it(site):
    """`![…](/images/port.jpg "caption")`: the title showed only under a mouse, never on a phone. In a sentence, a
    picture stays where it is."""
    site.write({"static/images/port.jpg": _photo(1200, 800, gps=False),
                "content/a.ar.md": article("الميناء", body='نص.\n\n![رافعات](/images/port.jpg "رافعات الميناء، الأربعاء")'
                                                      '\n\nنص ![أيقونة](/images/port.jpg "أيقونة") في جملة.\n\n'
                                                      '![المؤتمر](/media/briefing.mp4 "المؤتمر الصحفي، الخميس")\n'),
                "static/media/briefing.mp4": b"mp4"})
    site.build()
    body = site.page("2023/09/13/a/").find_class("body")[0]
    [photo, video] = body.iter("figure")
    assert photo.findtext("figcaption") == "رافعات الميناء، الأربعاء"
    [img] = photo.iter("img")
    assert img.get("alt") == "رافعات" and img.get("title") is None and img.get("srcset"), "offered at phone widths"
    assert video.findtext("figcaption") == "المؤتمر الصحفي، الخميس" and video.find("video") is not None
    inline = [img for img in body.iter("img") if img.get("alt") == "أيقونة"]
    # (lxml's parser puts an <img> inside the <source> before it: ancestors, not parents)
    assert [([a.tag for a in i.iterancestors()][2], i.get("title")) for i in inline] == [("p", "أيقونة")]


def test_a_lead_photo_s_caption_and_credit_are_shown_under_it_and_named_in_its_metadata(site):
    """A newsroom names who took a photo (an agency's is theirs to credit) and what it shows: the front matter had
    no place for either, and `caption:` in `image:` stopped the build with no line to write."""
    site.write({
        "static/images/port.jpg": _photo(1200, 800, gps=False),
        "content/2023/09/port.ar.md": article("الميناء يعود للعمل", image="{src: /images/port.jpg, alt: رافعات في الميناء, "
                                              "caption: 'رافعات الحاويات تعود للعمل، الأربعاء', credit: رويترز}"),
        "content/2023/09/port.en.md": article("The port reopens", image="{src: /images/port.jpg, alt: Cranes, "
                                              "credit: Reuters}"),
        "content/2023/09/plain.en.md": article("The port waits", image="{src: /images/port.jpg, alt: Cranes}"),
    })
    site.build()
    page = site.page("2023/09/13/port/")
    [caption] = page.xpath("//figure[@class='lead-image']/figcaption")
    assert " ".join(caption.text_content().split()) == "رافعات الحاويات تعود للعمل، الأربعاء الصورة: رويترز"
    assert [b.text for b in caption.iter("bdi")] == ["رافعات الحاويات تعود للعمل، الأربعاء", "رويترز"]
    data = json.loads(page.xpath("//script[@type='application/ld+json']")[0].text)
    assert data["image"] == {"@type": "ImageObject", "url": "https://example.org/digest/images/port.jpg",
                             "caption": "رافعات الحاويات تعود للعمل، الأربعاء", "creditText": "رويترز"}
    english = site.page("en/2023/09/13/port/")
    assert " ".join(english.xpath("string(//figure[@class='lead-image']/figcaption)").split()) == "Photo: Reuters"
    plain = site.page("en/2023/09/13/plain/")
    assert not plain.xpath("//figcaption"), "no caption, no empty line under the photo"
    assert json.loads(plain.xpath("//script[@type='application/ld+json']")[0].text)["image"] == \
        "https://example.org/digest/images/port.jpg"
    # A part the mapping does not have is named, with the mapping to write.
    site.write({"content/2023/09/plain.en.md": article("The port waits",
                                                       image="{src: /images/port.jpg, alt: Cranes, copyright: AP}")})
    result = site.cli()
    assert result.returncode == 1 and result.stderr.splitlines()[0] == (
        "content/2023/09/plain.en.md:4: image: 'copyright' is none of its parts, which are src, alt, caption and credit "
        "— write image: {src: …, alt: …, caption: …, credit: …}"), result.stderr


def test_a_story_s_lead_photo_and_its_credit_are_in_the_feed_for_readers_and_other_digests(site, tmp_path):
    """Feed readers and apps show an item's picture from Media RSS (as jekyll-feed writes it): the feed had none.
    Another digest importing the feed gets the photo, its description and its credit."""
    from conftest import Site

    site.write({"static/images/port.jpg": _photo(1200, 800, gps=False),
                "content/port.en.md": article("The port reopens", summary="Cranes move again.",
                                              image="{src: /images/port.jpg, alt: Cranes at the quay, credit: Reuters}"),
                "content/calm.en.md": article("A calm day", summary="Nothing moved.")})
    site.build()
    feed = site.output / "en/feed.xml"
    entries = {entry.findtext("{http://www.w3.org/2005/Atom}title"): entry
               for entry in lxml.etree.parse(str(feed)).getroot().iter("{http://www.w3.org/2005/Atom}entry")}
    media = "{http://search.yahoo.com/mrss/}"
    [content] = entries["The port reopens"].findall(f"{media}content")
    assert (content.get("url"), content.get("medium")) == ("https://example.org/digest/images/port.jpg", "image")
    assert (content.findtext(f"{media}description"), content.findtext(f"{media}credit")) == ("Cranes at the quay", "Reuters")
    assert entries["The port reopens"].find(f"{media}thumbnail").get("url") == content.get("url")
    assert entries["A calm day"].find(f"{media}content") is None, "a story without a photo has none in its item"
    other = Site(tmp_path / "other").write({})
    result = other.cli(str(feed), "--lang", "en", command="import-feed")
    assert result.returncode == 0, result.stderr
    [draft] = (other.root / "content").rglob("the-port-reopens.en.md")
    front = yaml.safe_load(draft.read_text(encoding="utf-8").split("---\n", 2)[1])
    assert front["image"] == {"src": "https://example.org/digest/images/port.jpg", "alt": "Cranes at the quay",
                              "credit": "Reuters"}, front  # example.org cannot be reached here: left at its address


def test_a_picture_on_another_site_loads_only_when_it_comes_near_the_screen(site):
    site.write({"content/a.en.md": article("Wire photo", body="Text.\n\n![The port](https://cdn.example.org/port.jpg)\n\n"
                                           '<img src="https://cdn.example.org/map.png" alt="Map" loading="eager">\n')})
    site.build()
    pictures = site.page("en/2023/09/13/a/").xpath("//div[@class='body']//img")
    assert [(p.get("src"), p.get("loading")) for p in pictures] == [
        ("https://cdn.example.org/port.jpg", "lazy"), ("https://cdn.example.org/map.png", "eager")]
    assert pictures[0].get("alt") == "The port" and pictures[0].get("decoding") == "async"


def test_settings_for_images_are_checked(site):
    site.write({"content/a.en.md": article("A")}, config=BASE_CONFIG + "images: {widths: [0], quality: 300, size: 2}\n")
    result = site.cli()
    assert result.returncode == 1 and "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert any(line.startswith("config.yaml:") and "images.widths: must list widths" in line for line in lines)
    assert any("images.quality: must be a whole number from 1 to 100" in line for line in lines)
    assert any("images.size: unknown setting" in line for line in lines)


def test_a_build_without_cache_leaves_no_image_files_behind(photo_site, tmp_path, monkeypatch):
    import tempfile

    private = tmp_path / "tmp"  # not the shared one, where builds of other tests come and go
    private.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(private))
    build(BuildOptions(config_path=photo_site.root / "config.yaml", now=NOW, cache=False))
    assert not list(private.iterdir())
    assert (photo_site.output / "images/camp-w800.webp").is_file()


SHIFTS = """
window.__shift = 0;
new PerformanceObserver(list => { for (const e of list.getEntries()) if (!e.hadRecentInput) window.__shift += e.value; })
  .observe({type: 'layout-shift', buffered: true});
"""


def _layout_shift(browser, url: str, strip_sizes: bool) -> float:
    """The page's layout shift when its lead picture arrives only after the text is on screen."""
    context = browser.new_context(viewport={"width": 375, "height": 812}, device_scale_factor=2)
    try:
        page = context.new_page()
        page.add_init_script(SHIFTS)
        if strip_sizes:  # the page as it was before: images without width and height
            def without_sizes(route):
                response = route.fetch()
                route.fulfill(response=response, body=re.sub(r'\s(width|height)="\d+"', "", response.text()))
            page.route("**/camp/", without_sizes)
        held, released = [], []  # pictures are held back until the first paint, as on a slow connection
        page.route(re.compile(r".*\.(webp|jpg|png)$"), lambda route: route.continue_() if released else held.append(route))
        page.goto(url, wait_until="domcontentloaded")
        page.wait_for_function("performance.getEntriesByType('paint').length > 0")
        released.append(True)
        for route in held:
            route.continue_()
        page.wait_for_function("(i => i && i.complete && i.naturalWidth > 0)(document.querySelector('.lead-image img'))")
        page.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
        return page.evaluate("window.__shift")
    finally:
        context.close()


@pytest.mark.slow  # 5 s of Chromium; CI runs it
def test_pictures_arriving_late_do_not_move_the_text_on_a_phone(photo_site, browser):
    from pages_server import serve

    post = photo_site.root / "content/2023/09/camp.en.md"
    post.write_text(post.read_text().replace("First paragraph.", "First paragraph.\n\n" + "More words here. " * 40))
    photo_site.build()
    server = serve(photo_site.output, "/digest/")
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/digest/en/2023/09/13/camp/"
        assert _layout_shift(browser, url, strip_sizes=False) == 0
        assert _layout_shift(browser, url, strip_sizes=True) > 0.05, "without width and height the text jumps"
    finally:
        server.shutdown()
        server.server_close()


def _sources(picture) -> list[tuple[str, str]]:
    """(type, first candidate's file) of each <source> of a <picture>, then of its <img>, in the browser's order."""
    offered = [(s.get("type"), s.get("srcset").split()[0]) for s in picture.iter("source")]
    [img] = picture.iter("img")  # lxml's parser, which knows no <source>, puts it inside the last one
    return offered + [("img", img.get("srcset").split()[0])]


def test_a_browser_is_offered_the_smallest_copies_first_and_the_most_widely_shown_last(site):
    """A browser takes the first <source> it can show. An AVIF photo (the CMS converts an iPhone's HEIC to it)
    listed its WebP copies first, so every browser took them and its AVIF copies, smaller for the same look, went unused;
    a site asking for AVIF copies beside WebP got them in the order config.yaml named them."""
    site.write({"static/images/harbour.avif": _photo(1600, 1000, fmt="AVIF"), "static/images/camp.jpg": _photo(1600, 1000),
                "content/a.en.md": article("Harbour", image="{src: /images/harbour.avif, alt: The harbour}",
                                           body="Text.\n\n![Tents](/images/camp.jpg)\n")})
    site.build()
    page = site.page("en/2023/09/13/a/")
    [lead] = page.xpath("//figure[@class='lead-image']/picture")
    assert _sources(lead) == [("image/avif", "/digest/images/harbour-w480.avif"),
                              ("img", "/digest/images/harbour-w480.webp")]
    [inline] = page.xpath("//div[@class='body']//picture")
    assert _sources(inline) == [("image/webp", "/digest/images/camp-w480.webp"), ("img", "/digest/images/camp-w480.jpg")]

    site.write({"config.yaml": BASE_CONFIG + "images: {formats: [webp, avif]}\n"})
    site.build()
    page = site.page("en/2023/09/13/a/")
    [inline] = page.xpath("//div[@class='body']//picture")
    assert _sources(inline) == [("image/avif", "/digest/images/camp-w480.avif"),
                                ("image/webp", "/digest/images/camp-w480.webp"), ("img", "/digest/images/camp-w480.jpg")]
    for _, url in _sources(inline):
        with Image.open(site.output / url.removeprefix("/digest/")) as copy:
            assert copy.format == Path(url).suffix.lstrip(".").upper().replace("JPG", "JPEG")


def _chart_gif() -> bytes:
    """A still GIF as a chart is saved: flat palette colours, 3000 × 1500."""
    out = io.BytesIO()
    Image.linear_gradient("L").resize((3000, 1500)).convert("P").save(out, "GIF")
    return out.getvalue()


def test_a_still_gif_is_offered_at_phone_widths_and_an_animated_one_stays_whole(site):
    """A chart or a map saved as GIF was published at full size: a phone on slow data fetched all of it."""
    chart, animation = _chart_gif(), io.BytesIO()
    frames = [Image.new("RGB", (300, 200), colour) for colour in ((200, 30, 30), (30, 30, 200))]
    frames[0].save(animation, "GIF", save_all=True, append_images=frames[1:], duration=300, loop=0)
    site.write({"static/images/chart.gif": chart, "static/images/moving.gif": animation.getvalue(),
                "content/a.en.md": article("Chart", body="![Moving](/images/moving.gif)\n\n![Arrivals](/images/chart.gif)\n")})
    result = site.build()
    assert not [str(w) for w in result.warnings if "image" in w.message]
    body = site.page("en/2023/09/13/a/").find_class("body")[0]
    [moving, still] = body.iter("img")
    assert (still.get("width"), still.get("height")) == ("2400", "1200")
    [picture] = body.iter("picture")
    assert _sources(picture) == [("image/webp", "/digest/images/chart-w480.webp"), ("img", "/digest/images/chart-w480.png")]
    assert [w for _, w in _candidates(still.get("srcset"))] == [480, 800, 1200]
    with Image.open(site.output / "images/chart.gif") as own:
        assert (own.format, own.size) == ("GIF", (2400, 1200)), "its own address still holds a GIF, made smaller"
    assert len((site.output / "images/chart-w800.webp").read_bytes()) < len(chart) / 10
    # Flat colours stay exact: the WebP copy is lossless, the PNG's pixels in fewer bytes.
    copies = site.output / "images"
    with Image.open(copies / "chart-w800.webp") as webp, Image.open(copies / "chart-w800.png") as png:
        assert webp.convert("RGB").tobytes() == png.convert("RGB").tobytes()
    assert (site.output / "images/chart-w800.webp").stat().st_size < (site.output / "images/chart-w800.png").stat().st_size
    assert moving.get("srcset") is None and (site.output / "images/moving.gif").read_bytes() == animation.getvalue()


@pytest.mark.slow  # Chromium; CI runs it
def test_a_phone_s_browser_loads_the_avif_copy_at_its_width_and_a_webp_copy_of_a_still_gif(site, browser):
    """What the reader's phone fetches, not what the HTML lists: Chromium takes the first <source> it shows."""
    from pages_server import serve

    site.write({"static/images/harbour.avif": _photo(1600, 1000, fmt="AVIF"), "static/images/chart.gif": _chart_gif(),
                "content/a.en.md": article("Harbour", image="{src: /images/harbour.avif, alt: The harbour}",
                                           body="Text.\n\n![Arrivals](/images/chart.gif)\n")})
    site.build()
    server = serve(site.output, "/digest/")
    context = browser.new_context(viewport={"width": 375, "height": 812}, device_scale_factor=2)
    try:
        page = context.new_page()
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/digest/en/2023/09/13/a/")
        loaded = "s => [...document.querySelectorAll(s)].every(i => i.complete && i.naturalWidth > 0)"
        page.wait_for_function(loaded, arg=".lead-image img")
        page.locator(".body img").scroll_into_view_if_needed()  # it loads lazily, as it nears the screen
        page.wait_for_function(loaded, arg=".body img")
        # 375 CSS pixels at twice the density: the 800-pixel copy.
        assert page.evaluate("document.querySelector('.lead-image img').currentSrc").endswith("/harbour-w800.avif")
        assert page.evaluate("document.querySelector('.body img').currentSrc").endswith("/chart-w800.webp")
    finally:
        context.close()
        server.shutdown()
        server.server_close()


def test_a_lead_photo_too_small_for_a_phone_s_screen_is_named_at_its_image_line(site):
    """A thumbnail saved from a page (320 px) as the lead photo: phones and link previews show it stretched. A photo
    of that size in the text is the writer's choice (a chart, a logo): no warning."""
    site.write({
        "static/images/thumb.jpg": _photo(320, 180, gps=False),
        "static/images/wide.jpg": _photo(1600, 900, gps=False),
        "content/2023/09/thumb.en.md": article("Camp opens", image="{src: /images/thumb.jpg, alt: Tents at dawn}",
                                               body="Text.\n\n![A small chart](/images/thumb.jpg)"),
        "content/2023/09/wide.en.md": article("Camp grows", image="{src: /images/wide.jpg, alt: More tents}"),
    })
    result = site.build()
    found = [str(w) for w in result.warnings if "px" in w.message]
    assert found == ["warning: content/2023/09/thumb.en.md:4: its picture thumb.jpg is only 320×180 px: phones show it stretched "
                     "and blurred, and so do its share card and link previews — use the photo at least 600 px wide "
                     "(the original, not a thumbnail)"], found
    report = site.cli(command="check")
    assert "thumb.en.md:4: its picture thumb.jpg is only 320×180 px" in report.stderr


def test_check_names_a_small_lead_photo_before_any_build_has_copied_it(site):
    """A pull request is checked before the build that publishes it: check makes no copies, so it read nothing of
    a new photo's size, and passed a thumbnail the publish then named. A photo held sideways counts as it is seen:
    1000 × 500 stored, turned a quarter by its EXIF, is 500 px wide."""
    site.write({
        "static/images/thumb.jpg": _photo(320, 180, gps=False),
        "static/images/sideways.jpg": _photo(1000, 500, orientation=6, gps=False),  # seen 500 × 1000
        "static/images/upright.jpg": _photo(500, 1000, orientation=6, gps=False),  # seen 1000 × 500
        "content/2023/09/thumb.en.md": article("Camp opens", image="{src: /images/thumb.jpg, alt: Tents at dawn}"),
        "content/2023/09/sideways.en.md": article("Camp grows", image="{src: /images/sideways.jpg, alt: More tents}"),
        "content/2023/09/upright.en.md": article("Camp moves", image="{src: /images/upright.jpg, alt: Trucks}"),
    })
    report = site.cli(command="check")
    found = sorted(line for line in report.stderr.splitlines() if " px" in line)
    assert found == [
        "warning: content/2023/09/sideways.en.md:4: its picture sideways.jpg is only 500×1000 px: phones show it "
        "stretched and blurred, and so do its share card and link previews — use the photo at least 600 px wide (the "
        "original, not a thumbnail)",
        "warning: content/2023/09/thumb.en.md:4: its picture thumb.jpg is only 320×180 px: phones show it stretched "
        "and blurred, and so do its share card and link previews — use the photo at least 600 px wide (the original, "
        "not a thumbnail)"], report.stderr
    assert not (site.root / ".cache").exists() and not site.output.exists(), "check writes nothing"
    built = sorted(str(w) for w in site.build().warnings if "px" in w.message)
    assert built == found, "the build says what check said"


def test_a_photo_pasted_with_an_outlet_s_srcset_is_offered_with_its_own_copies_alone(site):
    """A tag pasted from an outlet's page keeps its srcset when its picture is brought into the site: the page had
    two srcset attributes, which is invalid HTML, the outlet's copies among them."""
    site.write({"static/images/port.jpg": _photo(1000, 700, gps=False),
                "content/2023/09/port.en.md": article(
                    "Port", body='Text.\n\n<img src="/images/port.jpg" srcset="https://cdn.outlet.test/p-480.jpg 480w, '
                                 'https://cdn.outlet.test/p-960.jpg 960w" sizes="50vw" alt="The port">\n')})
    site.build()
    html = (site.output / "en/2023/09/13/port/index.html").read_text(encoding="utf-8")
    [tag] = re.findall(r'<img [^>]*alt="The port"[^>]*>', html)
    assert tag.count(" srcset=") == 1 and tag.count(" sizes=") == 1 and "outlet.test" not in html, tag
    assert "/digest/images/port-w480.jpg 480w" in tag


def test_a_photo_pasted_in_an_outlet_s_picture_is_offered_in_its_own_alone(site):
    """A <picture> pasted from an outlet's page, its <source>s at the outlet's addresses: once its photo is in the
    site, the page held a <picture> in a <picture>, which is invalid HTML, and the outlet's sources came first."""
    site.write({"static/images/port.jpg": _photo(1000, 700, gps=False),
                "static/images/quay.jpg": _photo(1000, 700, gps=False),
                "content/2023/09/port.en.md": article(
                    "Port", body='Text.\n\n<picture><source srcset="https://cdn.outlet.test/p.avif" type="image/avif">'
                                 '<source srcset="https://cdn.outlet.test/p.webp" type="image/webp">'
                                 '<img src="/images/port.jpg" alt="The port"></picture>\n\n'
                                 '<picture><source srcset="https://cdn.outlet.test/q.webp"><img '
                                 'src="https://cdn.outlet.test/q.jpg" alt="Another site\'s"></picture>\n\n'
                                 '![The quay](/images/quay.jpg)\n')})
    site.build()
    html = (site.output / "en/2023/09/13/port/index.html").read_text(encoding="utf-8")
    # (lxml's parser knows no <source>, and would put the <img> inside it: the tags are read as written.)
    pictures = re.findall(r"<picture>.*?</picture>", html)
    assert len(pictures) == 3 and "<picture><picture>" not in html and "p.avif" not in html, pictures
    [port] = [p for p in pictures if 'alt="The port"' in p]
    assert re.findall(r'<source [^>]*srcset="(\S+)', port) == ["/digest/images/port-w480.webp"], port
    # Another site's picture keeps its own sources: its lighter formats are still what a phone takes.
    [theirs] = [p for p in pictures if "Another site" in p]
    assert re.findall(r'<source [^>]*srcset="(\S+)"', theirs) == ["https://cdn.outlet.test/q.webp"], theirs


def test_a_picture_typed_with_a_space_is_named_with_the_line_to_write(site):
    # Markdown shows `! [..](..)` as a ! and a link, and `![..] (..)` as typed: the reader gets no picture.
    site.write({"static/images/port.jpg": _photo(800, 600, gps=False),
                "content/a.ar.md": article("الميناء", summary="ملخص.", body=(
                    "! [الميناء](/images/port.jpg)\n\n![الميناء] (/images/port.jpg)\n\n"
                    "عاجل! [التفاصيل](/images/port.jpg)\n\n`! [رمز](/images/port.jpg)` في سطر برمجي.\n\n"
                    "![الميناء](/images/port.jpg)"))})
    result = site.cli()
    assert result.returncode == 0, result.stderr
    assert [line for line in result.stderr.splitlines() if line.startswith("warning:")] == [
        "warning: content/a.ar.md:8: a picture shows as typed, brackets and all: '![الميناء] (/images/port.jpg)' — "
        "write the words in [ ] and the address right after them in ( ), with no space between: "
        "![الميناء](/images/port.jpg)",
        "warning: content/a.ar.md:6: a picture shows as a ! and a link: '! [الميناء](/images/port.jpg)' — write the ! "
        "right before the [, with no space: ![الميناء](/images/port.jpg)"], result.stderr
    # The one written right is the page's only picture in its text.
    assert len(site.page("2023/09/13/a/").xpath("//div[@class='body']//img")) == 1


def test_a_grey_scan_of_16_bits_is_published_in_its_greys_not_white(site):
    """Pillow clips a 16-bit grey value past 255 when it converts it as it is: the picture came out white."""
    import numpy as np

    greys = np.tile(np.linspace(0, 65535, 1000).astype(np.uint16), (600, 1))  # black to white, left to right
    out = io.BytesIO()
    Image.fromarray(greys).convert("I;16").save(out, "PNG")
    site.write({"static/images/scan.png": out.getvalue(),
                "content/a.en.md": article("Scan", summary="S.", body="![A scanned letter](/images/scan.png)")})
    site.build()
    page = site.page("en/2023/09/13/a/")
    [picture] = page.xpath("//div[@class='body']//img")
    addresses = [picture.get("src")] + [url for source in page.xpath("//div[@class='body']//source")
                                        for url, _ in _candidates(source.get("srcset"))]
    for address in addresses:
        with Image.open(site.output / unquote(address).removeprefix("/digest/")) as copy:
            row = np.asarray(copy.convert("L"))[copy.height // 2]
        # Each copy still runs from black to white, through the middle grey.
        assert row[:5].mean() < 10 and row[-5:].mean() > 245 and 100 < row.mean() < 155, (address, row.mean())


def _matrix_profile(red: tuple, green: tuple, blue: tuple) -> bytes:
    """An ICC colour profile (version 2, matrix and gamma 2.2) whose primaries are the XYZ colours given."""
    import struct

    def fixed(value: float) -> bytes:
        return struct.pack(">i", round(value * 65536))

    def xyz(x: float, y: float, z: float) -> bytes:
        return b"XYZ " + bytes(4) + fixed(x) + fixed(y) + fixed(z)

    curve = b"curv" + bytes(4) + struct.pack(">IH", 1, 0x0233) + bytes(2)
    name = b"a test's primaries\0"
    desc = b"desc" + bytes(4) + struct.pack(">I", len(name)) + name + bytes(8 + 3 + 67)
    tags = [(b"desc", desc + bytes(-len(desc) % 4)), (b"wtpt", xyz(0.9642, 1.0, 0.8249)), (b"rXYZ", xyz(*red)),
            (b"gXYZ", xyz(*green)), (b"bXYZ", xyz(*blue)), (b"rTRC", curve), (b"gTRC", curve), (b"bTRC", curve),
            (b"cprt", b"text" + bytes(4) + b"none" + bytes(4))]
    start, table, data = 128 + 4 + 12 * len(tags), b"", b""
    for signature, body in tags:
        table, data = table + signature + struct.pack(">II", start + len(data), len(body)), data + body
    header = (struct.pack(">I", start + len(data)) + bytes(4) + struct.pack(">I", 0x02100000) + b"mntrRGB XYZ "
              + bytes(12) + b"acsp" + bytes(28) + fixed(0.9642) + fixed(1.0) + fixed(0.8249) + bytes(48))
    return header + struct.pack(">I", len(tags)) + table + data


# sRGB's primaries, adapted to the D50 white of ICC profiles.
SRGB_RED, SRGB_GREEN, SRGB_BLUE = (0.4361, 0.2225, 0.0139), (0.3851, 0.7169, 0.0971), (0.1431, 0.0606, 0.7141)


@pytest.mark.parametrize("fmt", ["JPEG", "PNG"])
def test_a_photo_in_another_colour_space_is_published_in_srgb(site, fmt):
    """A browser shows a picture without a profile as sRGB, and the copies carry none: a photo in Display P3 or
    Adobe RGB came out with its colours dull. The test's profile names sRGB's green as its red, so a red pixel of
    the file is green to the eye, and must be green in every copy."""
    out = io.BytesIO()
    Image.new("RGB", (900, 600), (255, 0, 0)).save(out, fmt, icc_profile=_matrix_profile(SRGB_GREEN, SRGB_RED,
                                                                                         SRGB_BLUE))
    name = f"field.{'jpg' if fmt == 'JPEG' else 'png'}"
    site.write({f"static/images/{name}": out.getvalue(),
                "content/a.en.md": article("Field", summary="S.", body=f"![A green field](/images/{name})")})
    site.build()
    page = site.page("en/2023/09/13/a/")
    [picture] = page.xpath("//div[@class='body']//img")
    addresses = [picture.get("src")] + [url for source in page.xpath("//div[@class='body']//source")
                                        for url, _ in _candidates(source.get("srcset"))]
    assert len(addresses) >= 4
    for address in addresses:
        with Image.open(site.output / unquote(address).removeprefix("/digest/")) as copy:
            red, green, blue = copy.convert("RGB").getpixel((copy.width // 2, copy.height // 2))
            assert "icc_profile" not in copy.info
        assert green > 240 and red < 20 and blue < 20, (address, (red, green, blue))

