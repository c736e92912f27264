"""Pictures a story shows from other sites: said by every build and `check`, and brought into the site by
`bring-pictures`, as an editor who pasted a story with its pictures from an outlet would run it."""

from __future__ import annotations

import io
import os

import pytest
from PIL import Image

from conftest import BASE_CONFIG, LocalServer, article

OUTLET = "https://cdn.outlet.test/2026/12"
WARNED = ("readers' phones load {} whole from there, and the story loses {} when that site moves {} — bring {} into "
          "the site: python -m generator bring-pictures {}")


def _jpeg(colour: str, size: tuple[int, int] = (1000, 700), gps: bool = False) -> bytes:
    out = io.BytesIO()
    exif = Image.Exif()
    if gps:
        exif[0x8825] = {1: "N", 2: (33.0, 30.0, 0.0), 3: "E", 4: (36.0, 17.0, 0.0)}
    Image.new("RGB", size, colour).save(out, "JPEG", exif=exif)
    return out.getvalue()


def _warning(path: str, line: int, what: str, many: bool = False) -> str:
    words = ("each", "them", "them", "them") if many else ("it", "it", "it", "it")
    return f"warning: {path}:{line}: shows {what}: " + WARNED.format(*words, path)


def test_a_picture_shown_from_another_site_is_named_by_build_and_check_with_its_line(site):
    site.write({
        "content/2026/12/port.ar.md": article("انفجار في الميناء", "2026-12-01",
                                              f"نص الخبر.\n\n![الميناء]({OUTLET}/port.jpg)\n",
                                              image=f"{{src: '{OUTLET}/lead.jpg', alt: الميناء}}"),
        "content/2026/12/port.en.md": article("Blast at the port", "2026-12-01",
                                              f"The story.\n\n<img src=\"{OUTLET}/port.jpg?w=2&amp;q=9\" alt=\"The port\">\n"),
        # The site's own address written whole, and a picture server the site names as its own: no other site's.
        "content/2026/12/own.ar.md": article("صورة من الموقع", "2026-12-02",
                                             "نص.\n\n![صورة](https://example.org/digest/images/x.jpg)\n\n"
                                             "![أخرى](https://media.digest.test/y.jpg)\n"),
        "static/images/x.jpg": _jpeg("red"),
    }, BASE_CONFIG + "images: {hosts: [media.digest.test]}\n")

    result = site.cli()
    assert result.returncode == 0, result.stderr
    warned = [line for line in result.stderr.splitlines() if "shows" in line]
    assert warned == [
        _warning("content/2026/12/port.ar.md", 4, "2 pictures from 'cdn.outlet.test'", many=True),
        _warning("content/2026/12/port.en.md", 7, "a picture from 'cdn.outlet.test'")]
    checked = site.cli("--strict", command="check")
    assert checked.returncode == 1
    assert [line for line in checked.stderr.splitlines() if "shows" in line] == warned


def test_past_three_stories_one_line_names_them_all(site):
    site.write({f"content/2026/12/s{i}.en.md": article(f"Story {i}", "2026-12-01", f"![x](https://o{i % 2}.test/p.jpg)")
                for i in range(5)})
    result = site.cli()
    assert [line for line in result.stderr.splitlines() if "from other sites" in line] == [
        "warning: content/: 5 stories show pictures from other sites ('o0.test', 'o1.test'): readers' phones load each "
        "whole from there, and a story loses its picture when that site moves it — bring them into the site: "
        "python -m generator bring-pictures"]


def test_bring_pictures_fetches_them_into_the_site_and_the_story_names_its_copies(site):
    """Both versions of the story show one picture: fetched once, and both name the one copy. The photo that
    holds the place it was taken is written without it. A picture that cannot be had stays where it was, said."""
    server = LocalServer(routes={"/lead.jpg": (_jpeg("red", (4000, 3000), gps=True), "image/jpeg"),
                                 "/port.jpg?w=2&q=9": (_jpeg("blue"), "image/jpeg"),
                                 "/page.jpg": (b"<html>not a picture</html>", "text/html")})
    here = server.url
    arabic = article("انفجار في الميناء", "2026-12-01",
                     f"نص الخبر.\n\n![الميناء]({here}/port.jpg?w=2&q=9 \"الميناء\")\n\n"
                     f"[![صورة]({here}/page.jpg)]({here}/page.jpg)\n\nفقرة أخيرة.\n",
                     image=f"\n  src: {here}/lead.jpg\n  alt: الميناء")
    english = article("Blast at the port", "2026-12-01",
                      f"The story.\n\n<img src=\"{here}/port.jpg?w=2&amp;q=9\" alt=\"The port\">\n\n"
                      f"![gone]({here}/gone)\n")
    site.write({"content/2026/12/port.ar.md": arabic.replace("\n", "\r\n"), "content/2026/12/port.en.md": english})
    try:
        result = site.cli(command="bring-pictures")
    finally:
        server.close()
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "static/images/port.jpg: brought",
        "static/images/port-2.jpg: brought",
        "content/2026/12/port.ar.md: shows its pictures from static/images/ now",
        "content/2026/12/port.en.md: shows its pictures from static/images/ now",
        "2 pictures brought into static/images/ for 2 stories; commit them with the stories"]
    assert result.stderr.splitlines() == [
        f"warning: content/2026/12/port.ar.md: {here}/page.jpg could not be brought (not a JPEG, PNG, GIF, WebP or "
        "AVIF picture) — save the picture in static/images/ and write its address there (/images/…) in its place",
        f"warning: content/2026/12/port.en.md: {here}/gone could not be brought (Not Found) — save the picture in "
        "static/images/ and write its address there (/images/…) in its place"]
    assert server.paths.count("/port.jpg?w=2&q=9") == 1

    # Nothing else of either file changed: the Arabic one keeps its Windows line ends.
    assert (site.root / "content/2026/12/port.ar.md").read_bytes() == arabic.replace(
        f"{here}/lead.jpg", "/images/port.jpg").replace(f"{here}/port.jpg?w=2&q=9", "/images/port-2.jpg").replace(
        "\n", "\r\n").encode()
    assert (site.root / "content/2026/12/port.en.md").read_text(encoding="utf-8") == english.replace(
        f"{here}/port.jpg?w=2&amp;q=9", "/images/port-2.jpg")
    with Image.open(site.root / "static/images/port.jpg") as lead:
        assert lead.size == (2400, 1800) and 0x8825 not in lead.getexif()

    built = site.cli()
    assert built.returncode == 0, built.stderr
    assert "shows" not in built.stderr.replace("shows its", "")
    page = site.page("2026/12/01/port/")
    assert page.xpath("//article//img/@src")[:2] == ["/digest/images/port.jpg", "/digest/images/port-2.jpg"]
    # Phones get the small copies of both.
    assert [s.split(", ")[0] for s in page.xpath("//article//img/@srcset")][:2] == [
        "/digest/images/port-w480.jpg 480w", "/digest/images/port-2-w480.jpg 480w"]
    # Brought again: nothing is left to bring, but the two that could not be had, tried again.
    again = site.cli(command="bring-pictures")
    assert again.stdout.splitlines()[-1] == "0 pictures brought into static/images/ for 0 stories"
    assert len(again.stderr.splitlines()) == 2


def test_a_story_whose_address_is_also_its_text_is_left_as_it_was(site):
    server = LocalServer(_jpeg("green"), "image/jpeg")
    body = f"![x]({server.url}/a.jpg)\n\nThe picture's address: {server.url}/a.jpg\n"
    site.write({"content/2026/12/a.en.md": article("Shown and said", "2026-12-01", body)})
    try:
        result = site.cli(command="bring-pictures")
    finally:
        server.close()
    assert (site.root / "content/2026/12/a.en.md").read_text(encoding="utf-8") == article("Shown and said", "2026-12-01", body)
    assert result.stderr.splitlines() == [
        "warning: content/2026/12/a.en.md: its pictures were saved (static/images/a.jpg) but its text was left as it "
        "was: an address there is written in a way this command does not rewrite — write each picture's /images/… "
        "address in place of its old one"]


def test_only_the_stories_named_and_a_name_that_is_no_story_is_refused(site):
    server = LocalServer(_jpeg("green"), "image/jpeg")
    files = {f"content/2026/12/{name}.en.md": article(name, "2026-12-01", f"![x]({server.url}/{name}.jpg)")
             for name in ("one", "two")}
    site.write(files)
    try:
        refused = site.cli("config.yaml", command="bring-pictures")
        result = site.cli("content/2026/12/two.en.md", command="bring-pictures")
    finally:
        server.close()
    assert refused.returncode == 1
    assert refused.stderr == ("error: config.yaml is no story file under content/ — name a <slug>.<lang>.md file there, "
                              "or none for every story\n")
    assert result.stdout.splitlines()[-1] == "1 picture brought into static/images/ for 1 story; commit them with the stories"
    assert server.paths == ["/two.jpg"]
    assert (site.root / "content/2026/12/one.en.md").read_text(encoding="utf-8") == files["content/2026/12/one.en.md"]
    assert "/images/two.jpg" in (site.root / "content/2026/12/two.en.md").read_text(encoding="utf-8")


def test_a_server_that_stalls_costs_the_run_its_bound_and_the_stories_left_are_said(site, monkeypatch):
    import generator.bringpictures as bringpictures

    monkeypatch.setattr(bringpictures, "RUN_SECONDS", 1.0)
    server = LocalServer(b"", "image/jpeg", mode="stall")
    many = "\n\n".join(f"![x]({server.url}/many-{i}.jpg)" for i in range(1000))
    site.write({"content/2026/12/a.en.md": article("A story of a thousand pictures", "2026-12-01", many),
                **{f"content/2026/12/s{i}.en.md": article(f"Story {i}", "2026-12-01", f"![x]({server.url}/{i}.jpg)")
                   for i in range(3)}})
    try:
        result = site.cli(command="bring-pictures")
    finally:
        server.close()
    assert result.returncode == 0
    assert server.paths == ["/many-0.jpg"]
    assert result.stderr.splitlines()[-1] == ("warning: 3 stories and 999 pictures not looked at: the 1 s for a "
                                              "run's pictures were spent — run it again, it goes on with them")


def test_no_picture_is_written_through_a_link_out_of_the_site(site, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    server = LocalServer(_jpeg("green"), "image/jpeg")
    site.write({"content/2026/12/a.en.md": article("Linked", "2026-12-01", f"![x]({server.url}/a.jpg)")})
    (site.root / "static").mkdir()
    os.symlink(elsewhere, site.root / "static/images")
    try:
        result = site.cli(command="bring-pictures")
    finally:
        server.close()
    assert result.returncode == 1
    assert result.stderr == ("error: static/images/a.jpg would be written through a link to a folder outside the site "
                             "— make that folder a folder of the site\n")
    assert list(elsewhere.iterdir()) == []


def test_a_picture_pasted_into_the_text_as_data_is_named_and_brought_in_as_a_file(site):
    """Some editors paste a screenshot as its bytes (data:image/png;base64,…): the sanitiser lets no data: address
    through, so readers saw an empty frame, and nothing said so."""
    import base64

    out = io.BytesIO()
    Image.new("RGB", (300, 200), "navy").save(out, "PNG")
    pasted = "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()
    body = (f"Before.\n\n![The chart]({pasted})\n\n<img src=\"{pasted}\" alt=\"The chart again\">\n\n"
            "![Cut](data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAA)\n\nAfter.\n")
    site.write({"content/2026/12/chart.en.md": article("A chart pasted", "2026-12-01", body, summary="S.")})
    built = site.cli()
    size = len(out.getvalue()) // 1024 or 1
    assert [line for line in built.stderr.splitlines() if "pasted as data" in line] == [
        f"warning: content/2026/12/chart.en.md:{line}: a picture pasted as data (image/png, {kb} KB) is in the text "
        "itself: no page shows it — bring it into the site as a file: python -m generator bring-pictures "
        "content/2026/12/chart.en.md" for line, kb in ((8, size), (10, size), (12, 1))]

    result = site.cli(command="bring-pictures")
    assert result.stdout.splitlines()[:2] == ["static/images/chart.png: brought",
                                              "content/2026/12/chart.en.md: shows its pictures from static/images/ now"]
    assert result.stderr == ("warning: content/2026/12/chart.en.md: a picture pasted as data (image/png, 1 KB) could "
                             "not be brought (damaged, or cut short) — save the picture in "
                             "static/images/ and write its address there (/images/…) in its place\n")
    assert (site.root / "content/2026/12/chart.en.md").read_text(encoding="utf-8") == article(
        "A chart pasted", "2026-12-01", body.replace(pasted, "/images/chart.png"), summary="S.")
    site.cli()
    page = site.page("en/2026/12/01/chart/")
    assert page.xpath("//article//img[@alt='The chart']/@src") == ["/digest/images/chart.png"]
    assert page.xpath("//article//img[@alt='The chart again']/@srcset") == ["/digest/images/chart-w300.png 300w"]


def _huge_png() -> bytes:
    out = io.BytesIO()
    Image.new("1", (10_000, 7_000)).save(out, "PNG")  # 70 million pixels in a few KB
    return out.getvalue()


@pytest.mark.parametrize("served, reason", [
    # A picture without end is cut at its bound, under a memory cap.
    ((b"\xff\xd8\xff" + b"\0" * 65536, "image/jpeg", "endless"), "more than 20 MB"),
    # A few KB of PNG that hold more pixels than a build reads: kept, it would fill the memory of whatever opened it
    # next. It was brought, and the build named it; refused, it was called damaged.
    ((_huge_png(), "image/png", "page"), "more than 60 million pixels"),
])
def test_a_picture_that_cannot_be_kept_is_refused_with_its_reason_under_a_memory_cap(site, served, reason):
    server = LocalServer(*served)
    site.write({"content/2026/12/a.en.md": article("Not to keep", "2026-12-01", f"![x]({server.url}/a.png)")})
    try:
        result = site.cli(command="bring-pictures", memory_mb=400, timeout=120)
    finally:
        server.close()
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [
        f"warning: content/2026/12/a.en.md: {server.url}/a.png could not be brought ({reason}) — save the picture in "
        "static/images/ and write its address there (/images/…) in its place"]
    assert not (site.root / "static").exists()


def test_a_picture_as_data_shown_in_a_code_block_is_code_and_is_not_brought(site):
    import base64

    out = io.BytesIO()
    Image.new("RGB", (30, 20), "navy").save(out, "PNG")
    pasted = "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()
    body = f"How a screenshot pasted as data reads:\n\n```\n![The chart]({pasted})\n```\n"
    site.write({"content/2026/12/code.en.md": article("Data in code", "2026-12-01", body, summary="S.")})
    result = site.cli(command="bring-pictures")
    assert result.returncode == 0 and result.stderr == "", result.stderr
    assert result.stdout.splitlines() == ["0 pictures brought into static/images/ for 0 stories"]
    assert not (site.root / "static").exists()
