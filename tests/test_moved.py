"""An archive moved from Hugo, Jekyll, Pelican or WordPress: what it brings is named, and `convert` writes it in
Mujaz's terms, so the site then builds and shows what the old one showed."""

from __future__ import annotations

from conftest import article

HUGO_TOML = """\
+++
title = "Port reopens after the storm"
date = 2023-09-13T10:00:00+03:00
tags = ["ports", "weather"]
categories = ["Economy"]
description = "The port reopened on Monday after three days."
+++
The port reopened on Monday.

{{< youtube dQw4w9WgXcQ >}}

{{< figure src="/images/port.png" caption="Cranes at dawn" >}}

Earlier: [the closure]({{< ref "closure.en.md" >}}).
"""

JEKYLL = """\
---
title: Ministers meet in Muscat
date: 2023-09-14
# kept: a comment of the editor's
lang: en
excerpt: Gulf ministers met to discuss shipping lanes.
permalink: /news/ministers-meet/
---
See [the map]({{ site.baseurl }}/en/2023/09/12/closure/).

[caption id="attachment_7" align="aligncenter" width="800"]<img src="/images/port.png"> Ministers at the table[/caption]

[embed]https://www.youtube.com/watch?v=dQw4w9WgXcQ[/embed]
"""

HELD_BACK = """\
---
title: An unfinished story
date: 2023-09-15
published: false
---
Not ready.
"""

PELICAN = """\
Title: Rain returns to the valley
Date: 2023-09-16 08:30
Tags: weather, farming
Summary: The first rain in months fell overnight.

Farmers welcomed it.
"""

JSON_STORY = """\
{
  "title": "Fishing season opens",
  "date": "2023-09-17",
  "lastmod": "2023-09-18",
  "summary": "Boats went out at dawn.",
  "authors": ["Mona Saleh", "Tarek Aziz"],
  "sticky": true
}
Boats went out at dawn.
"""


def _png() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (900, 600), (40, 90, 140)).save(out, "PNG")
    return out.getvalue()


def _archive(site):
    return site.write({
        "content/2023/09/port.en.md": HUGO_TOML,
        "content/2023/09/ministers.en.md": JEKYLL,
        "content/2023/09/unfinished.en.md": HELD_BACK,
        "content/2023/09/rain.en.md": PELICAN,
        "content/2023/09/fishing.en.md": JSON_STORY,
        "content/2023/09/closure.en.md": article("The port closes", "2023-09-12", "Storm.", summary="Closed."),
        "static/images/port.png": _png(),
    })


def test_another_system_s_front_matter_stops_the_build_naming_it_and_the_command_that_converts_it(site):
    _archive(site)
    result = site.cli()
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert ("content/2023/09/port.en.md:1: its front matter is TOML (between +++ lines, as Hugo writes it), and "
            "Mujaz reads YAML — write it between --- lines, as key: value (or run: python -m generator convert)") in lines
    assert any(line.startswith("content/2023/09/fishing.en.md:1: its front matter is JSON") for line in lines)
    assert any(line.startswith("content/2023/09/rain.en.md:1: its settings have no --- line above them (Pelican's")
               for line in lines)
    # Jekyll's unpublished story would go out: an error, not a warning.
    assert ("content/2023/09/unfinished.en.md:4: published: false holds the story back in the system it came from, "
            "and Mujaz would publish it — write draft: true in its place (or delete the line to publish it)") in lines
    assert not site.output.exists()


def test_other_systems_names_and_codes_are_warnings_at_their_lines_with_what_to_write(site):
    site.write({"content/2023/09/ministers.en.md": JEKYLL, "static/images/port.png": _png(),
                "content/2023/09/closure.en.md": article("The port closes", "2023-09-12", "Storm.", summary="x."),
                "content/2023/09/notes.en.md": article("Codes in a code block", "2023-09-12", summary="y.", body=(
                    "[Video] How Hugo embeds a video:\n\n```\n{{< youtube dQw4w9WgXcQ >}}\n```\n\nand `{% raw %}` "
                    "too. [video] and [Embed] are labels here.\n"))})
    result = site.cli(command="check")
    assert result.returncode == 0, result.stderr
    warnings = result.stderr.splitlines()
    path = "warning: content/2023/09/ministers.en.md"
    assert (f"{path}:5: unknown front matter key 'lang' is ignored — the file's name gives its language "
            "(<slug>.ar.md, <slug>.en.md): delete the line (python -m generator convert does)") in warnings
    assert (f"{path}:6: unknown front matter key 'excerpt' is ignored — Mujaz calls it summary: rename the key "
            "(python -m generator convert does)") in warnings
    assert any(w.startswith(f"{path}:7: unknown front matter key 'permalink' is ignored — a story's address is made "
                            "from its date and slug: list its old address under aliases:") for w in warnings)
    assert (f"{path}:9: a Liquid tag (Jekyll's) ({{{{ site.baseurl }}}}) shows to readers as typed: Mujaz has no "
            "such codes — delete it (python -m generator convert does)") in warnings
    assert any(w.startswith(f"{path}:11: a WordPress shortcode ([caption id=") and
               "write <img alt=\"Ministers at the table\" src=\"/images/port.png\"> in its place, and its caption in "
               "a paragraph below" in w for w in warnings)
    assert any(w.startswith(f"{path}:13: a WordPress shortcode ([embed]https://www.youtube.com/watch?v=dQw4w9WgXcQ"
                            "[/embed]) shows to readers as typed") and
               "write https://www.youtube.com/watch?v=dQw4w9WgXcQ in its place" in w for w in warnings)
    assert not any("notes.en.md" in w and "code" in w for w in warnings), "code shows as code, labels as labels"


def test_a_file_that_opens_with_a_word_and_a_colon_is_not_taken_for_pelican_s(site):
    site.write({"content/a.en.md": "Update: the port reopened.\n\nMore text.\n"})
    result = site.cli(command="check")
    assert ("content/a.en.md:1: no front matter: the first line must be --- — start the file with ---, then title: "
            "and date:, then ---") in result.stderr.splitlines()


def test_a_misspelt_or_capitalised_key_is_told_the_key_meant(site):
    site.write({"content/a.en.md": article("A story", summary="s.", autor="'Sara'", Tags="[a]",
                                           link="https://other.example/report")})
    warnings = site.cli(command="check").stderr.splitlines()
    # A link post's link is another site's page, not the story's old address: convert does not make it an alias.
    assert not any("'link'" in w and "convert" in w for w in warnings), warnings
    assert ("warning: content/a.en.md:5: unknown front matter key 'autor' is ignored — did you mean author:?"
            in warnings)
    assert ("warning: content/a.en.md:6: unknown front matter key 'Tags' is ignored — keys are written in small "
            "letters: tags: (python -m generator convert does)" in warnings)


def test_check_names_the_warnings_of_every_file_beside_another_file_s_error(site):
    site.write({"content/a.en.md": article("A story", summary="s.", lastmod="2023-09-14"),
                "content/b.en.md": "no front matter\n"})
    result = site.cli(command="check")
    assert result.returncode == 1
    assert "content/b.en.md:1: no front matter: the first line must be ---" in result.stderr
    assert ("warning: content/a.en.md:5: unknown front matter key 'lastmod' is ignored — Mujaz calls it updated: "
            "rename the key (python -m generator convert does)") in result.stderr.splitlines()


def test_convert_writes_an_archive_in_mujaz_s_terms_and_the_site_shows_what_the_old_one_showed(site):
    _archive(site)
    before = {p: p.read_bytes() for p in (site.root / "content").rglob("*.md")}
    dry = site.cli("--dry-run", command="convert")
    assert dry.returncode == 0, dry.stderr
    assert "5 stories would be converted; nothing was written" in dry.stdout
    assert {p: p.read_bytes() for p in before} == before

    result = site.cli(command="convert")
    assert result.returncode == 0, result.stderr
    assert "5 stories converted" in result.stdout
    assert (site.root / "content/2023/09/closure.en.md").read_bytes() == before[site.root / "content/2023/09/closure.en.md"]
    jekyll = (site.root / "content/2023/09/ministers.en.md").read_text()
    assert "# kept: a comment of the editor's\n" in jekyll and "title: Ministers meet in Muscat\n" in jekyll
    assert "lang:" not in jekyll

    built = site.cli()
    assert built.returncode == 0, built.stderr
    assert "warning" not in built.stderr, built.stderr
    port = site.page("en/2023/09/13/port/")
    assert port.xpath("string(//p[@class='lede'])") == "The port reopened on Monday after three days."
    assert [a.text_content() for a in port.xpath("//article//a[contains(@href, '/tags/')]")] == ["ports", "weather"]
    assert port.xpath("//a[contains(@href, '/categories/economy/')]")
    assert port.xpath("//iframe[contains(@src, 'youtube-nocookie.com/embed/dQw4w9WgXcQ')]")
    assert port.xpath("//img[@alt='Cranes at dawn']")
    assert "Cranes at dawn" in port.xpath("string(//div[@class='body'])")
    assert port.xpath("//a[text()='the closure']/@href") == ["/digest/en/2023/09/12/closure/"]
    assert "{{" not in port.xpath("string(//div[@class='body'])")

    ministers = site.page("en/2023/09/14/ministers/")
    assert ministers.xpath("string(//p[@class='lede'])") == "Gulf ministers met to discuss shipping lanes."
    assert ministers.xpath("//a[text()='the map']/@href") == ["/digest/en/2023/09/12/closure/"]
    assert ministers.xpath("//img[@alt='Ministers at the table']")
    assert ministers.xpath("//iframe[contains(@src, 'youtube-nocookie.com/embed/dQw4w9WgXcQ')]")
    assert "[caption" not in ministers.xpath("string(//div[@class='body'])")
    # Its old address leads to its new one.
    moved = (site.output / "news/ministers-meet/index.html").read_text()
    assert "/digest/en/2023/09/14/ministers/" in moved

    assert not (site.output / "en/2023/09/15").exists(), "the story held back stays held back"
    assert "draft: true" in (site.root / "content/2023/09/unfinished.en.md").read_text()
    assert site.page("en/2023/09/16/rain/").xpath("string(//h1)") == "Rain returns to the valley"
    fishing = site.page("en/2023/09/17/fishing/")
    assert fishing.xpath("//time[@datetime][contains(@datetime, '2023-09-18')]"), "lastmod is its correction date"
    # A sticky post (WordPress's) is a pinned story: it leads the home page.
    assert "pinned: true" in (site.root / "content/2023/09/fishing.en.md").read_text()
    assert site.page("en/").xpath('//ol[contains(@class, "pinned")]//h2//text()') == ["Fishing season opens"]
    # Hugo's list of writers: each writer's page lists the story.
    assert fishing.xpath('//span[@class="byline"]/a/@href') == ["/digest/en/authors/mona-saleh/",
                                                                "/digest/en/authors/tarek-aziz/"]

    again = site.cli(command="convert")
    assert "0 stories converted" in again.stdout, "a converted story needs nothing more"


def test_convert_leaves_a_story_it_cannot_read_and_says_why(site):
    broken = '+++\ntitle = "Unclosed\n+++\nText.\n'
    site.write({"content/a.en.md": broken})
    result = site.cli(command="convert")
    assert result.returncode == 0, result.stderr
    assert "warning: content/a.en.md: left as it was: its TOML front matter does not read" in result.stderr
    assert (site.root / "content/a.en.md").read_text() == broken
    named = site.cli("content/none.en.md", command="convert")
    assert named.returncode == 1 and "content/none.en.md is no story file under content/" in named.stderr


def test_a_story_of_a_million_codes_is_named_and_converted_in_bounded_time_and_memory(site):
    # Codes inside codes (a Liquid tag in each Hugo shortcode), and openings never closed: each is read once.
    # Before, each Liquid tag was looked for among every shortcode: a story like this took 200 s.
    hugo = "{{% a %}}" * 60_000 + "\n" + "{% a " * 100_000 + "\n"
    site.write({"content/a.en.md": article("Codes", summary="s.", body=hugo)})
    result = site.cli(command="check", memory_mb=1500, timeout=60)
    assert result.returncode == 0, result.stderr[-2000:]
    named = [line for line in result.stderr.splitlines() if "shows to readers as typed" in line]
    assert len(named) == 20
    assert "warning: content/a.en.md:6: and 59,980 more codes of other systems" in result.stderr

    # Converted without rendering the Markdown (its brackets take Markdown itself long): each replaced once.
    videos = "{{< youtube dQw4w9WgXcQ >}}\n" * 30_000
    captions = "[caption]<img src=x alt=y> c[/caption]" * 20_000 + "\n" + "[caption]" * 100_000 + "\n"
    openings = "{{<a " * 100_000 + "\n"  # and Markdown takes long over its <: not rendered here either
    site.write({"content/b.en.md": article("More codes", summary="s.", body=hugo + openings + videos + captions)})
    converted = site.cli("content/b.en.md", command="convert", memory_mb=1500, timeout=60)
    assert converted.returncode == 0, converted.stderr[-2000:]
    assert "1 story converted" in converted.stdout
    text = (site.root / "content/b.en.md").read_text()
    assert text.count("https://www.youtube.com/watch?v=dQw4w9WgXcQ\n") == 30_000
    assert text.count("<img src=x alt=y>\n\nc") == 20_000 and "[/caption]" not in text


def test_convert_writes_what_toml_has_and_yaml_lacks_and_refuses_an_alias_bomb(site):
    toml = ('+++\ntitle = "Night market"\ndate = 2023-09-13\nopens = 19:30:00\n[params]\nlead = "x"\n'
            '[[gallery]]\nsrc = "/a.png"\n+++\nText.\n')
    # One key's value: 387 million strings if walked, which writing it as summary: would do.
    bomb = "".join(f"  l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]\n" for i in range(1, 10))
    site.write({"content/a.en.md": toml,
                "content/b.en.md": "---\ntitle: B\ndate: 2023-09-13\ndescription:\n  l0: &l0 x\n" + bomb + "---\nB.\n"})
    before = (site.root / "content/b.en.md").read_bytes()
    result = site.cli(command="convert", memory_mb=600, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "opens: '19:30:00'\n" in (site.root / "content/a.en.md").read_text()
    assert "1 story converted" in result.stdout
    assert (site.root / "content/b.en.md").read_bytes() == before, "left as it was, for check to name"


def test_convert_moves_hugo_s_page_bundles_and_jekyll_s_dated_names_to_mujaz_s_places(site):
    english = "The port reopened on Monday after the storm passed, and the first ships came in at dawn."
    site.write({
        "content/posts/port-reopens/index.en.md": "---\ntitle: Port reopens\ndate: 2023-09-13\nsummary: s.\n"
                                                  "featured_image: port.png\n---\n" + english + "\n\n![Cranes](port.png)\n",
        "content/posts/port-reopens/index.ar.md": "---\ntitle: عودة الميناء\ndate: 2023-09-13\nsummary: ملخص.\n---\n"
                                                  "عاد الميناء إلى العمل.\n\n![رافعات](./port.png)\n",
        "content/posts/port-reopens/port.png": _png(),
        "content/posts/_index.md": "---\ntitle: Posts\n---\nAll our posts.\n",
        # Jekyll takes a post's day from its name: Mujaz from its front matter, which gets it.
        "content/_posts/2023-09-14-ministers-meet.md": "---\ntitle: Ministers meet\nsummary: s.\n---\n" + english + "\n",
        # As WordPress exports write a post: a dated folder, its pictures in images/ below it.
        "content/posts/2023-09-16-harbour/index.md": "---\ntitle: Harbour opens\ndate: 2023-09-16\nsummary: s.\n"
                                                     "coverImage: images/harbour.png\n---\n" + english + "\n",
        "content/posts/2023-09-16-harbour/images/harbour.png": _png(),
        "content/x/2023-09-15-taken.md": article("Taken", "2023-09-15", "نص.", summary="ملخص"),
        "content/x/taken.md": article("موجود", "2023-09-15", "نص.", summary="ملخص"),
    })
    result = site.cli(command="convert")
    assert result.returncode == 0, result.stderr
    out = result.stdout.splitlines()
    assert "content/posts/port-reopens/index.en.md → content/posts/port-reopens.en.md: written in Mujaz's terms" in out
    assert "content/_posts/2023-09-14-ministers-meet.md → content/_posts/ministers-meet.en.md: written in Mujaz's terms" in out
    notes = result.stderr.splitlines()
    assert ("warning: content/posts/_index.md: left as it was: it is Hugo's page for a section, and Mujaz makes its "
            "section pages itself — move its words into a story, then delete it") in notes
    assert ("warning: content/x/2023-09-15-taken.md: left as it was: content/x/taken.md is taken — rename or move "
            "that file, then run convert again") in notes
    assert not (site.root / "content/posts/port-reopens").exists(), "the bundle's folder, emptied, is gone"
    assert (site.root / "static/images/port-reopens/port.png").read_bytes() == _png()
    assert "date: 2023-09-14\n" in (site.root / "content/_posts/ministers-meet.en.md").read_text()
    assert ("content/posts/2023-09-16-harbour/index.md → content/posts/harbour.en.md: written in Mujaz's terms"
            in out)
    assert not (site.root / "content/posts/2023-09-16-harbour").exists()
    assert "image: /images/harbour/images/harbour.png\n" in (site.root / "content/posts/harbour.en.md").read_text()

    stopped = site.cli()
    assert ("content/posts/_index.md:1: is Hugo's page for a section, and Mujaz makes its section pages itself — "
            "move its words into a story, then delete it") in stopped.stderr.splitlines()
    (site.root / "content/posts/_index.md").unlink()
    built = site.cli()
    assert built.returncode == 0, built.stderr
    port = site.page("en/2023/09/13/port-reopens/")
    assert port.xpath("//img[@alt='Cranes']/@src")[0].startswith("/digest/images/port-reopens/port")
    assert site.page("2023/09/13/port-reopens/").xpath("//img[@alt='رافعات']")
    assert port.xpath("//link[@hreflang='ar']/@href"), "the two languages of the bundle are still translations"
    assert site.page("en/2023/09/14/ministers-meet/").xpath("string(//h1)") == "Ministers meet"
    harbour = site.page("en/2023/09/16/harbour/")
    assert harbour.xpath("//meta[@property='og:image']"), "its cover is its lead picture, and its card's"
    assert harbour.xpath("//img[contains(@src, '/digest/images/harbour/images/harbour')]")


def test_convert_moves_another_system_s_pages_into_content_pages_where_they_need_no_date(site):
    site.write({
        # Hugo: a page at the top of content/, its place in the menu its weight.
        "content/about.md": '+++\ntitle = "About us"\ndescription = "Who we are."\nweight = 2\n'
                            "[menu.main]\n  weight = 2\n+++\nWe are a small desk.\n",
        # Jekyll: a page is marked so, its address its permalink.
        "content/_pages/contact.md": "---\nlayout: page\ntitle: اتصل بنا\npermalink: /contact/\n---\n"
                                     "راسلونا على البريد، أو اتصلوا بمكتب التحرير في ساعات العمل.\n",
        "content/story.md": "---\ntitle: خبر\ndate: 2023-09-13\nsummary: ملخص.\n---\nنص الخبر.\n",
        "content/posts/undated.md": "---\ntitle: خبر بلا تاريخ\n---\nنص.\n",
    })
    result = site.cli(command="convert")
    assert result.returncode == 0, result.stderr
    out = result.stdout.splitlines()
    assert "content/about.md → content/pages/about.en.md: written in Mujaz's terms" in out
    assert "content/_pages/contact.md → content/pages/contact.md: written in Mujaz's terms" in out
    assert (site.root / "content/pages/about.en.md").read_text() == \
        "---\ntitle: About us\nsummary: Who we are.\norder: 2\n---\nWe are a small desk.\n"
    assert (site.root / "content/pages/contact.md").read_text() == \
        "---\ntitle: اتصل بنا\n---\nراسلونا على البريد، أو اتصلوا بمكتب التحرير في ساعات العمل.\n"
    assert (site.root / "content/story.md").exists(), "a story with its date stays where it is"
    assert (site.root / "content/posts/undated.md").exists(), "not marked as a page: a story whose date is missing"
    stopped = site.cli()
    assert ("content/posts/undated.md:1: date is missing — add a line date: 2023-09-13; for a page that is no story "
            "(About us, contact), move the file into content/pages/") in stopped.stderr.splitlines()

    (site.root / "content/posts/undated.md").unlink()
    built = site.cli()
    assert built.returncode == 0 and not built.stderr, built.stderr
    assert site.page("en/about/").xpath("string(//h1)") == "About us"
    assert site.page("contact/").xpath("string(//h1)") == "اتصل بنا"
    assert site.page("").xpath('//nav[@class="site-pages"]/a/@href') == ["/digest/contact/"]


def test_convert_moves_no_link_of_a_bundle_into_static(site, tmp_path):
    secret = tmp_path / "secret.png"
    secret.write_bytes(_png())
    site.write({"content/posts/leak/index.en.md": article("A bundle", body="![x](leak.png)", summary="s.")})
    (site.root / "content/posts/leak/leak.png").symlink_to(secret)
    result = site.cli(command="convert")
    assert result.returncode == 0, result.stderr
    assert not (site.root / "static").exists(), "a link into static/ would publish what it leads to"
    assert (site.root / "content/posts/leak/leak.png").is_symlink()
    assert "![x](leak.png)" in (site.root / "content/posts/leak.en.md").read_text()


def test_an_archive_s_mendable_warnings_are_one_line_past_three_stories_and_the_rest_stay_named(site):
    files = {f"content/s{i}.en.md": article(f"Story {i}", summary="s.", lastmod="2023-09-14",
                                            body="{{< youtube dQw4w9WgXcQ >}}") for i in range(5)}
    files["content/t.en.md"] = article("A theme's code", summary="s.", body="{{< gallery dir=x >}}")
    site.write(files)
    result = site.cli()
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert lines == [
        "warning: content/t.en.md:6: a Hugo shortcode ({{< gallery dir=x >}}) shows to readers as typed: Mujaz has no "
        "such codes — write what it showed in Markdown or HTML, or delete it",
        "warning: content/: 5 stories are written for another system (content/s0.en.md, content/s1.en.md, "
        "content/s2.en.md, …): 5 keys Mujaz names otherwise, 5 codes readers would see typed out — python -m "
        "generator convert writes them in Mujaz's terms; then check names what is left"], lines
    site.write({path: text for path, text in files.items() if path < "content/s3"})
    for gone in ("content/s3.en.md", "content/s4.en.md"):
        (site.root / gone).unlink()
    named = site.cli(command="check").stderr
    assert named.count("unknown front matter key 'lastmod' is ignored") == 3, "three stories are named one by one"


def test_convert_writes_over_no_file_made_while_it_ran(site, monkeypatch):
    import generator.convert as convert_module

    story = "---\ntitle: Ministers meet\ndate: 2023-09-14\nsummary: s.\n---\nنص الخبر.\n"
    site.write({"content/2023-09-14-meet.md": story})
    written = convert_module.write_beside

    def and_someone_else(path, data):  # another program saves a file of that name just then
        partial = written(path, data)
        path.write_text("theirs")
        return partial

    monkeypatch.setattr(convert_module, "write_beside", and_someone_else)
    result = site.cli(command="convert")
    assert result.returncode == 0, result.stderr
    assert "warning: content/2023-09-14-meet.md: left where it was: meet.md was made meanwhile" in result.stderr
    assert (site.root / "content/meet.md").read_text() == "theirs"
    assert (site.root / "content/2023-09-14-meet.md").read_text() == story
    assert sorted(p.name for p in (site.root / "content").iterdir()) == ["2023-09-14-meet.md", "meet.md"]


def test_convert_takes_the_teaser_before_more_as_the_summary_where_a_story_has_none(site):
    site.write({
        "content/a.en.md": "---\ntitle: Port reopens\ndate: 2023-09-13\n---\nThe port reopened on Monday, "
                           "after three days.\n\n<!--more-->\n\nShips came in at dawn.\n",
        "content/b.en.md": "---\ntitle: Bold lead\ndate: 2023-09-13\n---\n**Breaking**: a lead with marks.\n\n"
                           "<!--more-->\n\nMore.\n",
        "content/c.en.md": "---\ntitle: Has one\ndate: 2023-09-13\nsummary: Its own.\n---\nOther words.\n<!--more-->\n",
    })
    before = {name: (site.root / f"content/{name}").read_text() for name in ("b.en.md", "c.en.md")}
    result = site.cli(command="convert")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["content/a.en.md: written in Mujaz's terms", "1 story converted; check the "
                                          "site, then commit them"]
    built = site.cli()
    assert built.returncode == 0, built.stderr
    assert "a.en.md:1: no summary" not in built.stderr
    page = site.page("en/2023/09/13/a/")
    assert page.xpath("string(//p[@class='lede'])") == "The port reopened on Monday, after three days."
    assert page.xpath("string(//div[@class='body'])").strip() == "Ships came in at dawn.", "the teaser, shown once"
    assert {name: (site.root / f"content/{name}").read_text() for name in before} == before


def test_a_bundle_whose_picture_s_place_is_taken_meanwhile_keeps_its_pictures_for_the_next_run(site, monkeypatch):
    import generator.convert as convert_module

    site.write({"content/posts/port/index.en.md": article("Port", summary="s.", body="![a](a.png)\n\n![b](b.png)"),
                "content/posts/port/a.png": _png(), "content/posts/port/b.png": _png()})
    moved = convert_module._move

    def and_someone_else(old, new):  # another program saves a picture of that name just before the second
        if new.name == "b.png":
            new.write_bytes(b"theirs")
        moved(old, new)

    monkeypatch.setattr(convert_module, "_move", and_someone_else)
    result = site.cli(command="convert")
    assert "warning: content/posts/port/index.en.md: left where it was: b.png was made meanwhile" in result.stderr
    assert sorted(p.name for p in (site.root / "content/posts/port").iterdir()) == ["a.png", "b.png", "index.en.md"]
    assert [p.name for p in (site.root / "static/images/port").iterdir()] == ["b.png"]
    monkeypatch.undo()
    (site.root / "static/images/port/b.png").unlink()
    again = site.cli(command="convert")
    assert again.stdout.splitlines()[0] == "content/posts/port/index.en.md → content/posts/port.en.md: written in " \
                                           "Mujaz's terms"
    assert "![a](/images/port/a.png)" in (site.root / "content/posts/port.en.md").read_text()
