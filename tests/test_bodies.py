"""Rendered bodies live in the cache's body store, not in the build's memory: pages and feeds read them there,
a damaged or missing one costs a build without the cache (never a traceback, never a wrong page), and a body
no article has any more is removed."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import article
from test_pagestore import _clean_build

BODIES = Path(".cache/mujaz/bodies")


def _stories() -> dict[str, str]:
    return {
        "content/2023/olives.ar.md": article("موسم الزيتون", "2023-10-02", "بدأ قطف **الزيتون** في القرى الجبلية."),
        "content/2023/olives.en.md": article("Olive season", "2023-10-02", "Picking of *olives* began in the hill villages."),
        "content/2023/port.en.md": article("Port reopens", "2023-10-03", "The old port reopened to fishing boats."),
    }


def _kept(site) -> list[Path]:
    return sorted(p for p in (site.root / BODIES).rglob("*.page"))


def test_pages_and_feeds_read_the_bodies_the_site_model_does_not_hold(site):
    site.write(_stories())
    result = site.build(keep_model=True)
    articles = result.model.site.articles
    assert all(a.body.name and a.body.held == ("", "") for a in articles), "no body's HTML in the model"
    assert len(_kept(site)) == 3
    page = site.page("en/2023/10/02/olives/")
    assert page.xpath("string(//article//em)") == "olives"
    assert "الزيتون" in site.page("2023/10/02/olives/").xpath("string(//article//strong)")
    feed = (site.output / "en/feed.xml").read_text(encoding="utf-8")
    assert "&lt;em&gt;olives&lt;/em&gt;" in feed and "fishing boats" in feed


def test_a_build_without_the_cache_keeps_no_body_in_it(site):
    site.write(_stories())
    site.build(cache=False)
    assert not (site.root / BODIES).exists()
    assert site.page("en/2023/10/03/port/").xpath("string(//article)").count("fishing boats") == 1


def test_a_body_no_article_has_is_removed_and_an_edit_keeps_one_more(site, tmp_path):
    site.write(_stories())
    site.build()
    before = _kept(site)
    (site.root / "content/2023/port.en.md").unlink()
    site.write({"content/2023/olives.en.md": article("Olive season", "2023-10-02", "Picking of olives ended early.")})
    site.build()
    after = _kept(site)
    assert len(after) == 2 and len(set(before) & set(after)) == 1, "the Arabic body stays, the other two are gone"
    assert site.snapshot() == _clean_build(site, tmp_path)


def test_a_missing_or_damaged_body_costs_a_build_without_the_cache_never_a_wrong_page(site, tmp_path):
    site.write(_stories())
    site.build()
    first, second = _kept(site)[:2]
    first.unlink()
    second.write_bytes(b"5\n<script>alert(1)</script>")  # its name no longer the hash of its bytes
    shutil.rmtree(site.output)  # every page is copied from the cache's copies, or rendered: none may be wrong
    (site.root / "content/2023/port.en.md").write_text(article("Port reopens", "2023-10-03", "Boats came back."),
                                                       encoding="utf-8")
    done = site.cli()
    assert done.returncode == 0, done.stderr
    assert ".cache/mujaz/: holds values Mujaz cannot use (MissingBody" in done.stderr
    assert "Traceback" not in done.stderr
    assert site.snapshot() == _clean_build(site, tmp_path)
    assert b"<script>" not in b"".join(site.snapshot().values())
    again = site.cli()
    assert "cannot use" not in again.stderr, "the build without the cache kept every body anew"
