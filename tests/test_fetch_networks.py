"""What a page or a feed on the internet names is fetched from the internet only: an importer that followed its
addresses to this computer or the newsroom's network would ask the editor's router, a printer's page or a service
on the laptop for what a stranger chose (and keep the answer, where it is a picture). The addresses an editor
gives are fetched wherever they are. In these tests 127.0.0.1 is a site on the internet (conftest.no_network),
and 127.0.0.2 (named router.here.test here) is this computer."""

from __future__ import annotations

import io

import pytest
import yaml
from PIL import Image

from conftest import TEST_CA, LocalServer, article
from generator.fetch import Network, network_of


def _jpeg(colour: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (1200, 800), colour).save(out, "JPEG")
    return out.getvalue()


def _feed(items: list[tuple[str, str, str]]) -> bytes:
    """RSS of (title, lead picture, HTML text) items."""
    return ("<?xml version='1.0' encoding='utf-8'?><rss version='2.0' xmlns:media='http://search.yahoo.com/mrss/'>"
            "<channel><title>Wire</title>" + "".join(
                f"<item><title>{title}</title><link>https://wire.example/{n}</link><pubDate>Sat, 03 Feb 2024 "
                f"0{n}:00:00 GMT</pubDate><description><![CDATA[{text}]]></description>"
                + (f"<media:content url='{lead}' medium='image'><media:description>A photo</media:description>"
                   "</media:content>" if lead else "") + "</item>"
                for n, (title, lead, text) in enumerate(items)) + "</channel></rss>").encode()


def _drafts(site) -> dict[str, dict]:
    drafts = {}
    for path in (site.root / "content").rglob("*.md"):
        front, body = path.read_text(encoding="utf-8").split("---\n", 2)[1:]
        drafts[yaml.safe_load(front)["title"]] = {**yaml.safe_load(front), "body": body}
    return drafts


@pytest.mark.parametrize("address, network", [
    ("8.8.8.8", Network.INTERNET), ("2606:4700::1111", Network.INTERNET),
    ("127.0.0.1", Network.THIS_MACHINE), ("127.0.0.2", Network.THIS_MACHINE), ("::1", Network.THIS_MACHINE),
    ("0.0.0.0", Network.THIS_MACHINE), ("::ffff:127.0.0.1", Network.THIS_MACHINE),
    ("192.168.1.1", Network.LOCAL), ("10.0.0.138", Network.LOCAL), ("172.16.0.1", Network.LOCAL),
    ("169.254.169.254", Network.LOCAL), ("100.64.0.1", Network.LOCAL), ("fe80::1%eth0", Network.LOCAL),
    ("fd00::1", Network.LOCAL), ("::ffff:192.168.1.1", Network.LOCAL),
])
def test_each_address_is_on_the_network_a_browser_would_say(address, network):
    assert network_of(address) == network


def test_a_feed_on_the_internet_cannot_have_the_importer_ask_this_computer_for_its_pictures(site):
    """Its lead picture, a picture in its text, and a picture on the internet that sends the importer on to this
    computer: none is asked for there, each is said with why, and the drafts show them from their addresses.
    A picture on the internet is brought as before."""
    site.write({})
    here = LocalServer(routes={"/router.jpg": (_jpeg("red"), "image/jpeg"), "/in-text.jpg": (_jpeg("blue"), "image/jpeg")},
                       host="127.0.0.2")
    router = here.url.replace("127.0.0.2", "router.here.test")  # a name a browser does not take for a preview's
    online = LocalServer(routes={"/ok.jpg": (_jpeg("green"), "image/jpeg")},
                         redirects={"/moved.jpg": f"{router}/router.jpg"})
    items = [("Port reopens", f"{router}/router.jpg", "<p>The port reopened.</p>"),
             ("Bridge closes", f"{online.url}/moved.jpg", "<p>The bridge closed.</p>"),
             ("Ferry resumes", "", f"<p>The ferry resumed.</p><p><img src='{router}/in-text.jpg' alt='Ferry'></p>"),
             ("Market opens", f"{online.url}/ok.jpg", "<p>The market opened.</p>")]
    (site.root / "wire.rss").write_bytes(_feed(items))
    try:
        result = site.cli("wire.rss", "--lang", "en", command="import-feed")
    finally:
        here.close()
        online.close()
    assert result.returncode == 0, result.stderr
    assert here.paths == []
    assert online.paths == ["/moved.jpg", "/ok.jpg"]
    said = [line for line in result.stderr.splitlines() if "could not be brought" in line]
    assert len(said) == 3 and all(
        print(result.stderr) or"(its server is on this computer (127.0.0.2), and a page on the internet named it)"
                                  in line for line in said), said
    drafts = _drafts(site)
    assert drafts["Port reopens"]["image"]["src"] == f"{router}/router.jpg"
    assert drafts["Bridge closes"]["image"]["src"] == f"{online.url}/moved.jpg"
    assert f"]({router}/in-text.jpg)" in drafts["Ferry resumes"]["body"]
    assert drafts["Market opens"]["image"]["src"] == "/images/market-opens.jpg"
    assert sorted(p.name for p in (site.root / "static/images").iterdir()) == ["market-opens.jpg"]


def test_a_page_on_the_internet_cannot_have_the_importer_ask_this_computer_for_its_pictures(site):
    """A page given by its address, and the same page saved from the browser: a saved page is someone else's,
    whose pictures are on the internet too."""
    site.write({})
    here = LocalServer(routes={"/printer.jpg": (_jpeg("red"), "image/jpeg")}, host="127.0.0.2")
    page = (f"<html><head><title>Dam repaired</title><meta property='og:image' content='{here.url}/printer.jpg'>"
            "</head><body><article><h1>Dam repaired</h1><p>Engineers finished the repairs on the dam this week, "
            "the ministry said.</p><p>The road above it opens on Monday.</p></article></body></html>").encode()
    online = LocalServer(page)
    (site.root / "saved.html").write_bytes(page.replace(b"Dam repaired", b"Dam reopened"))
    try:
        fetched = site.cli(f"{online.url}/dam", "--lang", "en", command="import")
        saved = site.cli("saved.html", "--lang", "en", command="import")
    finally:
        here.close()
        online.close()
    assert fetched.returncode == saved.returncode == 0, fetched.stderr + saved.stderr
    assert here.paths == []
    for result in (fetched, saved):
        assert "its server is on this computer (127.0.0.2), and a page on the internet named it" in result.stderr
    assert {draft["image"]["src"] for draft in _drafts(site).values()} == {f"{here.url}/printer.jpg"}


def test_a_feed_on_this_computer_may_name_its_pictures_there(site):
    """An address the editor gives is fetched wherever it is (a newsroom's own feed, on its network), and so are
    the pictures it names there."""
    site.write({})
    served = {"/desk.jpg": (_jpeg("red"), "image/jpeg")}
    here = LocalServer(routes=served, host="127.0.0.2")
    served["/feed.rss"] = (_feed([("Desk story", f"{here.url}/desk.jpg", "<p>The desk's story.</p>")]),
                           "application/rss+xml")
    try:
        result = site.cli(f"{here.url}/feed.rss", "--lang", "en", command="import-feed")
    finally:
        here.close()
    assert result.returncode == 0, result.stderr
    assert here.paths == ["/feed.rss", "/desk.jpg"]
    assert _drafts(site)["Desk story"]["image"]["src"] == "/images/desk-story.jpg"


def test_bring_pictures_asks_nothing_of_this_computer(site):
    """A published story is on the internet: a picture it shows from this computer is not a picture its readers
    can see, and bring-pictures does not ask for it."""
    here = LocalServer(routes={"/laptop.jpg": (_jpeg("red"), "image/jpeg")}, host="127.0.0.2")
    site.write({"content/2026/12/port.en.md": article("Blast at the port", "2026-12-01",
                                                      f"The story.\n\n![The port]({here.url}/laptop.jpg)\n")})
    try:
        result = site.cli(command="bring-pictures")
    finally:
        here.close()
    assert result.returncode == 0, result.stderr
    assert here.paths == []
    assert result.stderr.splitlines() == [
        f"warning: content/2026/12/port.en.md: {here.url}/laptop.jpg could not be brought (its server is on this "
        "computer (127.0.0.2), and a page on the internet named it) — save the picture in static/images/ and write "
        "its address there (/images/…) in its place"]


def test_through_a_proxy_a_name_on_this_computer_is_refused_before_the_proxy_is_asked(site):
    """Behind a newsroom's proxy, the proxy connects: the importer checks the name as it resolves here first."""
    site.write({})
    proxy = LocalServer(routes={"http://photos.test/ok.jpg": (_jpeg("green"), "image/jpeg"),
                                "http://router.here.test/admin.jpg": (_jpeg("red"), "image/jpeg")})
    (site.root / "wire.rss").write_bytes(_feed([
        ("Port reopens", "http://router.here.test/admin.jpg", "<p>The port reopened.</p>"),
        ("Market opens", "http://photos.test/ok.jpg", "<p>The market opened.</p>")]))
    try:
        result = site.cli("wire.rss", "--lang", "en", command="import-feed",
                          env={"http_proxy": proxy.url, "no_proxy": ""})
    finally:
        proxy.close()
    assert result.returncode == 0, result.stderr
    assert proxy.paths == ["http://photos.test/ok.jpg"]
    assert "(its server is on this computer (127.0.0.2), and a page on the internet named it)" in result.stderr
    drafts = _drafts(site)
    assert drafts["Market opens"]["image"]["src"] == "/images/market-opens.jpg"
    assert drafts["Port reopens"]["image"]["src"] == "http://router.here.test/admin.jpg"


def test_over_https_the_server_is_checked_as_connected_and_its_certificate_by_its_name(site):
    """An https address is connected to by the address its name resolves to, as http is, and its certificate is
    checked against its name: this computer's https server gives its picture to a feed of this computer, and
    nothing to a feed on the internet."""
    site.write({})
    secure = LocalServer(routes={"/desk.jpg": (_jpeg("red"), "image/jpeg")}, host="127.0.0.2", tls=True)
    picture = secure.url.replace("127.0.0.2", "router.here.test") + "/desk.jpg"
    feed = _feed([("Desk story", picture, "<p>The desk's story.</p>")])
    here = LocalServer(routes={"/feed.rss": (feed, "application/rss+xml")}, host="127.0.0.2")
    (site.root / "wire.rss").write_bytes(feed.replace(b"Desk story", b"Wire story").replace(b"/0<", b"/1<"))
    trusted = {"SSL_CERT_FILE": str(TEST_CA)}
    try:
        from_here = site.cli(f"{here.url}/feed.rss", "--lang", "en", command="import-feed", env=trusted)
        assert secure.paths == ["/desk.jpg"]
        from_elsewhere = site.cli("wire.rss", "--lang", "en", command="import-feed", env=trusted)
    finally:
        secure.close()
        here.close()
    assert from_here.returncode == from_elsewhere.returncode == 0, from_here.stderr + from_elsewhere.stderr
    assert secure.paths == ["/desk.jpg"], "asked once, by the feed of this computer"
    drafts = _drafts(site)
    assert drafts["Desk story"]["image"]["src"] == "/images/desk-story.jpg"
    assert drafts["Wire story"]["image"]["src"] == picture
    assert "(its server is on this computer (127.0.0.2), and a page on the internet named it)" in from_elsewhere.stderr
