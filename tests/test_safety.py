"""Text from editors is escaped everywhere it lands; URLs that run code never reach a page."""

from __future__ import annotations

import json
from urllib.parse import unquote

from lxml import etree

from conftest import BASE_CONFIG, article

EVIL = """<script>alert("x")</script> it's "quoted" </title> ]]> </script> &amp; <!--"""
ATOM = "{http://www.w3.org/2005/Atom}"


def _evil_site(site):
    quoted = json.dumps(EVIL)  # a JSON string is a valid YAML double-quoted scalar
    config = BASE_CONFIG.replace("title: {ar: موجز, en: Digest}", f"title: {quoted}\ndescription: {quoted}")
    meta = dict(tags=f"[{quoted}]", category=quoted, summary=quoted, source=f"{{name: {quoted}, url: 'https://example.org/?a=1&b=\"2\"'}}",
                translation_key="evil")
    front = "".join(f"{key}: {value}\n" for key, value in {"title": quoted, **meta}.items())
    text = f"---\n{front}date: 2023-09-13\n---\nText.\n"
    site.write({"content/evil.ar.md": text, "content/evil.en.md": text}, config=config)
    site.build()
    return site


def test_editor_text_is_escaped_in_every_page_attribute_and_script(site):
    _evil_site(site)
    html_files = sorted(site.output.rglob("*.html"))
    assert len(html_files) > 10
    for path in html_files:
        page = site.page(path.relative_to(site.output).as_posix())
        for script in page.iter("script"):
            if script.get("src"):  # the theme's own scripts (search, the share sheet), never editor text
                assert script.get("src").startswith(("/digest/assets/search.", "/digest/assets/share.",
                                                     "/digest/assets/offline.")) \
                    and not script.text, path
                continue
            assert script.get("type") == "application/ld+json", f"{path}: a script element from editor text"
            data = json.loads(script.text)
            assert data["headline"] == EVIL and data["description"] == EVIL
            assert data["publisher"]["name"] == EVIL
        assert EVIL in page.findtext(".//title"), path
    for route in ("2023/09/13/evil/", "en/2023/09/13/evil/"):
        page = site.page(route)
        assert page.findtext(".//h1") == EVIL
        assert page.xpath("string(//meta[@name='description']/@content)") == EVIL
        assert page.xpath("string(//meta[@property='og:title']/@content)") == EVIL
        assert page.xpath("string(//meta[@property='article:tag']/@content)") == EVIL
        assert page.xpath("string(//p[@class='source']//bdi)") == EVIL
        assert page.xpath("string(//p[@class='source']/a/@href)") == 'https://example.org/?a=1&b="2"'
        assert page.xpath("string(//ul[@class='tags']//bdi)") == EVIL
    raw = b"".join(p.read_bytes() for p in site.output.rglob("*") if p.is_file() and p.suffix not in (".jpg", ".png", ".webp"))
    assert b"<script>alert" not in raw and b"</title> ]]>" not in raw


def test_editor_text_survives_the_search_index_as_data(site):
    _evil_site(site)
    for folder in ("search", "en/search"):
        rows = json.loads((site.output / folder / "docs-0.json").read_text(encoding="utf-8"))
        assert [row[1] for row in rows] == [EVIL] and rows[0][4] == EVIL
        raw = b"".join(p.read_bytes() for p in (site.output / folder).glob("*.json"))
        assert b"<" not in raw and b">" not in raw, "escaped as \\u003c even in JSON a browser never renders"


def _sitemap_pieces(site) -> list[str]:
    pieces = [p.relative_to(site.output).as_posix() for p in (site.output / "sitemaps").glob("*.xml")]
    assert pieces
    return pieces


def test_editor_text_is_escaped_in_feeds_and_sitemap(site):
    _evil_site(site)
    for name in ("feed.xml", "en/feed.xml", "sitemap.xml", *_sitemap_pieces(site)):
        etree.fromstring((site.output / name).read_bytes())  # strict XML: one stray < or ]]> fails here
    feed = etree.fromstring((site.output / "en/feed.xml").read_bytes())
    assert feed.findtext(f"{ATOM}title") == EVIL
    entry = feed.find(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}title") == EVIL
    assert entry.findtext(f"{ATOM}summary") == EVIL
    assert entry.find(f"{ATOM}category").get("term") == EVIL


UNSAFE_BODY = """\
<a href=" JaVaScRiPt:alert(1)">raw link</a> <a href="java&#x09;script:alert(2)">entity link</a>

[md link](javascript:alert(3)) ![md image](data:image/svg+xml;base64,PHN2Zz4=) [fine](/about/)

<img src=data:text/html,x alt="raw image">

<iframe src="https://www.youtube-nocookie.com/embed/abc" title="video"></iframe>

<table><tr><td>1</td></tr></table>
"""


def _urls(element) -> list[str]:
    return [v for e in element.iter() if isinstance(e.tag, str) for k, v in e.attrib.items() if k in ("href", "src")]


def test_raw_html_is_kept_but_script_urls_are_removed(site):
    site.write({"content/a.en.md": article("Embed", body=UNSAFE_BODY)})
    site.build()
    body = site.page("en/2023/09/13/a/").find_class("body")[0]
    urls = _urls(body)
    assert urls == ["#", "#", "/digest/about/", "https://www.youtube-nocookie.com/embed/abc"]  # the Markdown ones: #
    assert [a.text for a in body.iter("a")] == ["raw link", "entity link", "md link", "fine"]
    assert body.find(".//iframe").get("src") == "https://www.youtube-nocookie.com/embed/abc"
    assert body.find(".//table") is not None
    feed = (site.output / "en/feed.xml").read_text()
    assert "alert(" not in feed and "youtube-nocookie" in feed


HOSTILE_BODY = """<script>alert(1)</script><style>body{display:none}</style>

<p onclick="alert(2)" style="color:red" class="note">para</p> <img src="/x.png" onerror="alert(3)" alt="pic">

<iframe src="https://www.youtube-nocookie.com/embed/abc" onload="alert(4)" sandbox="allow-top-navigation"></iframe>
<iframe src="https://evil.example/page"></iframe> <iframe srcdoc="<script>alert(5)</script>"></iframe>
<iframe src="http://player.vimeo.com/video/1"></iframe>

<base href="https://evil.example/"><object data="/x.swf"></object><embed src="/y.swf"><form action="/x"><input></form>

<a href="https://example.org/" target="_blank">out</a> <svg><a href="javascript:alert(6)">svg</a></svg>

![x](/x.png){: onerror="alert(7)" style="x" id="pic" data-credit="AFP" href="javascript:alert(8)"}

[link](/about/){: onmouseover="alert(9)" class="more" title="t"}
"""


def _body(site, config=BASE_CONFIG):
    site.write({"content/a.en.md": article("Embed", body=HOSTILE_BODY)}, config=config)
    site.build()
    return site.page("en/2023/09/13/a/").find_class("body")[0]


def test_raw_html_goes_through_the_sanitiser(site):
    body = _body(site)
    markup = etree.tostring(body, encoding="unicode")
    assert "alert" not in markup and "evil.example" not in markup and "style" not in markup
    for tag in ("script", "base", "object", "embed", "form", "input", "svg"):
        assert body.find(f".//{tag}") is None, tag
    assert not [e for e in body.iter() if isinstance(e.tag, str) and any(a.startswith("on") for a in e.attrib)]
    frames = body.findall(".//iframe")
    # The frames from other hosts, over http and without an address are gone, not left as empty boxes.
    assert [f.get("src") for f in frames] == ["https://www.youtube-nocookie.com/embed/abc"]
    assert {f.get("sandbox") for f in frames} == {"allow-scripts allow-same-origin allow-popups allow-presentation"}
    assert {f.get("loading") for f in frames} == {"lazy"}
    assert not [f for f in frames if f.get("srcdoc") is not None]
    assert body.find(".//p[@class='note']").text == "para"
    assert body.xpath("string(.//a[text()='out']/@href)") == "https://example.org/"


def test_attr_list_sets_only_harmless_attributes(site):
    for config in (BASE_CONFIG, BASE_CONFIG + "markdown: {raw_html: false}\n"):
        body = _body(site, config)
        [image] = body.xpath(".//img[@id='pic']")
        assert dict(image.attrib) == {"src": "/digest/x.png", "alt": "x", "id": "pic", "data-credit": "AFP",
                                      "loading": "lazy", "decoding": "async"}
        [link] = body.xpath(".//a[@class='more']")
        assert dict(link.attrib) == {"href": "/digest/about/", "class": "more", "title": "t"}


def test_trusted_raw_html_keeps_what_the_editor_wrote(site):
    body = _body(site, BASE_CONFIG + "markdown: {raw_html: trusted}\n")
    assert body.find(".//script").text == "alert(1)"
    assert body.xpath("string(.//p[@class='note']/@onclick)") == "alert(2)"
    assert body.xpath("count(.//iframe[@src='https://evil.example/page'])") == 1
    assert body.xpath(".//img[@id='pic']/@onerror") == [], "attr_list stays restricted even then"


def test_embed_hosts_come_from_config(site):
    body = _body(site, BASE_CONFIG + "markdown: {embed_hosts: [evil.example]}\n")
    assert [f.get("src") for f in body.findall(".//iframe")] == ["https://evil.example/page"]


def test_raw_html_off_escapes_it(site):
    site.write({"content/a.en.md": article("Embed", body=UNSAFE_BODY)}, config=BASE_CONFIG + "markdown: {raw_html: false}\n")
    site.build()
    body = site.page("en/2023/09/13/a/").find_class("body")[0]
    assert body.find(".//iframe") is None and body.find(".//table") is None
    assert '<iframe src="https://www.youtube-nocookie.com/embed/abc"' in body.text_content()
    assert not [u for u in _urls(body) if "script" in u.lower() or u.startswith("data:")]


def test_control_characters_from_pasted_pdfs_never_reach_the_feed(site):
    body = "First paragraph.\n\nPage two\x0cstarts here, with a\x08 backspace.\n"
    site.write({"content/a.en.md": article("Pasted", body=body), "content/a.ar.md": article("نص")})
    run = site.cli()
    assert run.returncode == 0, run.stderr
    assert ("warning: content/a.en.md:7: the text holds the invisible control character U+000C; it was left out of "
            "the pages — delete it, or retype the line") in run.stderr
    for name in ("feed.xml", "en/feed.xml", "sitemap.xml", *_sitemap_pieces(site)):
        etree.fromstring((site.output / name).read_bytes())  # strict XML
    raw = b"".join(p.read_bytes() for p in site.output.rglob("*") if p.is_file() and p.suffix not in (".jpg", ".png", ".webp"))
    assert b"\x0c" not in raw and b"\x08" not in raw
    assert "starts here" in site.page("en/2023/09/13/a/").text_content()
    check = site.cli(command="check")
    assert "a.en.md:7: the text holds the invisible control character U+000C" in check.stderr + check.stdout


def test_distinct_tags_get_distinct_pages_and_spellings_of_one_share_it(site):
    tags = {"c": "[C]", "cpp": "['C++']", "cs": "['C#']", "dots": "['..']", "bangs": "['!!!']", "asks": "['???']",
            "hamza": "[الإقتصاد]", "plain": "[الاقتصاد]", "marks": "['َ']"}
    site.write({f"content/{name}.en.md": article(f"Story {name}", tags=value) for name, value in tags.items()})
    site.build()
    pages = {}
    for name in tags:
        [link] = site.page(f"en/2023/09/13/{name}/").xpath("//ul[@class='tags']//a/@href")
        pages[name] = link
        listed = site.page(unquote(link.removeprefix("/digest/"))).xpath("//ol[@class='article-list']//h2/a/bdi/text()")
        assert f"Story {name}" in listed
    assert pages["c"] == "/digest/en/tags/c/"
    assert pages["hamza"] == pages["plain"], "alef forms fold onto one page"
    distinct = {k: v for k, v in pages.items() if k != "hamza"}
    assert len(set(distinct.values())) == len(distinct), pages
