"""A story's old addresses (`aliases:`): a story whose date or slug changed keeps the links shared to it working,
as Hugo's aliases and WordPress's old-slug redirects do; and a build that moves a story says which address to keep."""

from __future__ import annotations

from conftest import NOW, article
from pages_server import serve

from generator.build import BuildOptions, build

MOVED = "content/2023/09/budget.en.md"


def _moved(aliases: str = "") -> str:
    return article("Budget passes", "2023-09-14", "The budget passed on Thursday.",
                   **({"aliases": aliases} if aliases else {}))


def test_a_story_s_old_addresses_send_readers_on_and_stay_out_of_the_sitemap(site):
    """Written as the browser showed them (the site's whole address, from its root with or without the base path,
    percent-encoded), each old address is a page that sends the reader on, tells search engines where the story is,
    and is no page of the sitemap; a link written to an old address is no broken link."""
    base = "https://example.org/digest/"  # BASE_CONFIG's
    site.write({MOVED: _moved(f"[{base}en/2023/09/13/budget/, /digest/en/2023/09/12/budget-vote/, "
                              "en/2023/09/11/%D9%85%D9%8A%D8%B2%D8%A7%D9%86%D9%8A%D8%A9/, /en/old-budget.html]"),
                "content/2023/09/other.en.md": article("Markets calm", "2023-09-15",
                                                       "After [the vote](/en/2023/09/13/budget/), markets were calm.")})
    result = site.build()
    assert not result.warnings, [str(w) for w in result.warnings]
    now = site.page("en/2023/09/14/budget/")
    assert now.xpath("string(//h1)") == "Budget passes"
    for old in ("en/2023/09/13/budget/", "en/2023/09/12/budget-vote/", "en/2023/09/11/ميزانية/", "en/old-budget.html"):
        page = site.page(old)
        assert page.xpath("string(//meta[@http-equiv='refresh']/@content)").endswith("/en/2023/09/14/budget/"), old
        assert page.xpath("string(//link[@rel='canonical']/@href)").endswith("/en/2023/09/14/budget/")
        assert page.xpath("string(//meta[@name='robots']/@content)") == "noindex"
    sitemaps = "".join(path.read_text(encoding="utf-8") for path in site.output.rglob("*.xml") if "sitemap" in str(path))
    assert "2023/09/14/budget" in sitemaps and "2023/09/13/budget" not in sitemaps and "old-budget" not in sitemaps


def test_a_reader_who_opens_an_old_address_lands_on_the_story(site, browser):
    site.write({MOVED: _moved("[/en/2023/09/13/budget/]")})
    out = site.root / "output"
    server = serve(out, "/digest/")
    url = f"http://127.0.0.1:{server.server_address[1]}/digest/"
    try:
        build(BuildOptions(config_path=site.root / "config.yaml", base_url=url, now=NOW))
        page = browser.new_page()
        page.goto(url + "en/2023/09/13/budget/")
        page.wait_for_url(url + "en/2023/09/14/budget/")
        assert page.locator("h1").inner_text() == "Budget passes"
        page.close()
    finally:
        server.shutdown()
        server.server_close()


def test_an_old_address_elsewhere_or_where_a_page_is_now_is_refused_at_its_line(site):
    site.write({MOVED: _moved("[https://elsewhere.example/en/2023/09/13/budget/]")})
    result = site.cli()
    assert result.returncode == 1 and result.stderr.splitlines()[0] == (
        f"{MOVED}:4: aliases: 'https://elsewhere.example/en/2023/09/13/budget/' is not an old address of a page of this "
        "site — write the story's old address as the browser showed it, such as /2023/09/13/story/")
    site.write({MOVED: _moved("[/en/2023/09/15/markets/]"),
                "content/2023/09/markets.en.md": article("Markets calm", "2023-09-15")})
    result = site.cli()
    assert result.returncode == 1, result.stderr
    assert (f"{MOVED}:4: two pages would be written to en/2023/09/15/markets/index.html (redirect and article) — "
            "take that address out of aliases: a page is there now") in result.stderr.splitlines(), result.stderr
    assert not (site.root / "output").exists(), "nothing written"
    # The story at that address planned first (an older one), or kept as the last build planned it: the line is
    # still the one that lists the address, not the other story's.
    site.write({MOVED: _moved(), "content/2023/09/aid.en.md": article("Aid arrives", "2023-09-12")})
    for command in ("check", "build"):  # aid.en.md edited too: its page is planned again, before the redirect
        site.write({MOVED: _moved("[/en/2023/09/12/aid/]"),
                    "content/2023/09/aid.en.md": article("Aid arrives", "2023-09-12", f"Edited for {command}.")})
        result = site.cli(command=command)
        assert (f"{MOVED}:4: two pages would be written to en/2023/09/12/aid/index.html (article and redirect) — "
                "take that address out of aliases: a page is there now") in result.stderr.splitlines(), result.stderr
        site.write({MOVED: _moved()})
        assert site.cli().returncode == 0


def test_a_story_that_moved_is_named_with_the_alias_that_keeps_its_links_until_it_is_written(site):
    """Its date corrected after it was published: every build (and check) from then on says which address links
    lead to now lead nowhere, and what to write to keep it; written, the old address leads on."""
    site.write({MOVED: article("Budget passes", "2023-09-13", "The budget passed."),
                "content/2023/09/other.en.md": article("Markets calm", "2023-09-15", "Markets were calm.")})
    site.build()
    site.write({MOVED: _moved()})
    said = ("its page moved from /en/2023/09/13/budget/ to /en/2023/09/14/budget/: links shared to the old address "
            "lead nowhere")
    checked = site.cli(command="check")
    assert (f"warning: {MOVED}:1: {said} — keep them working: add /en/2023/09/13/budget/ to its aliases (aliases: "
            "[/en/2023/09/13/budget/])") in checked.stderr
    assert [w.message for w in site.build().warnings] == [said]
    site.write({"content/2023/09/other.en.md": article("Markets calm", "2023-09-15", "Markets were calm again.")})
    assert [w.message for w in site.build().warnings] == [said], "said again by the next build with work to do"
    site.write({MOVED: _moved("[/en/2023/09/13/budget/]")})
    kept = site.build()
    assert not kept.warnings and (site.output / "en/2023/09/13/budget/index.html").is_file()
    site.write({"content/2023/09/other.en.md": article("Markets calm", "2023-09-15", "Markets were calm.")})
    assert not site.build().warnings, "kept by its alias, it is no longer said"
    site.write({MOVED: _moved()})
    site.build()
    assert not (site.output / "en/2023/09/13/budget").exists(), "an old address taken out: its page goes"
