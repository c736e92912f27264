"""Dates as Arabic readers in each region expect them: month names, digits, and the Hijri date."""

from __future__ import annotations

import pytest

from conftest import BASE_CONFIG, article


def _text(site, route: str, selector: str) -> str:
    return " ".join(site.page(route).xpath(f"string({selector})").split())


def _dates(site, route: str) -> str:
    """The article's date line, without the reading time that follows it."""
    meta = site.page(route).xpath("//p[@class='meta']")[0]
    reading = " ".join(meta.xpath("string(.//span[@class='reading-time'])").split())
    return " ".join(meta.text_content().split()).replace(" · " + reading, "")


@pytest.mark.parametrize("months, january", [("egypt", "يناير"), ("levant", "كانون الثاني"), ("maghreb", "جانفي"),
                                             ("ar_MA", "يناير"), (None, "يناير")])
def test_month_names_follow_the_region(site, months, january):
    config = BASE_CONFIG + (f"date: {{months: {months}}}\n" if months else "")
    site.write({"content/a.ar.md": article("خبر", "2023-01-15"), "content/a.en.md": article("News", "2023-01-15")},
               config=config)
    site.build()
    assert _text(site, "2023/01/15/a/", "//article//time") == f"15 {january} 2023"
    assert _text(site, "2023/01/", "//h1") == f"{january} 2023"
    assert _text(site, "en/2023/01/15/a/", "//article//time") == "15 January 2023"


def test_arabic_indic_digits_in_dates_page_numbers_and_counts(site):
    files = {f"content/s{i}.ar.md": article(f"خبر {i}", f"2023-09-{10 + i}") for i in range(12)}
    files["content/s0.en.md"] = article("Story", "2023-09-10")
    site.write(files, config=BASE_CONFIG + "per_page: 5\ndate: {digits: arab}\n")
    site.build()
    time = site.page("2023/09/10/s0/").xpath("//article//time")[0]
    assert time.text == "١٠ سبتمبر ٢٠٢٣" and time.get("datetime").startswith("2023-09-10T")
    assert site.page("page/1/").xpath("//title")[0].text.endswith("صفحة ١")
    assert _text(site, "page/1/", "//nav[contains(@class, 'pager')]//time") == "١٠ سبتمبر ٢٠٢٣"
    assert _text(site, "2023/", "//h1") == "٢٠٢٣"
    assert "(١٢)" in _text(site, "2023/", "//ul[@class='date-children']")
    assert _text(site, "en/2023/09/10/s0/", "//article//time") == "10 September 2023", "English keeps 0-9"


def test_hijri_date_beside_the_gregorian_one(site):
    site.write({"content/a.ar.md": article("خبر", "2023-09-15"), "content/a.en.md": article("News", "2023-09-15")},
               config=BASE_CONFIG + "date: {hijri: true}\n")
    site.build()
    assert _dates(site, "2023/09/15/a/") == "15 سبتمبر 2023 — 30 صفر 1445 هـ"
    assert _dates(site, "en/2023/09/15/a/") == "15 September 2023 · 30 Safar 1445 AH"
    assert _text(site, "2023/09/15/", "//h1") == "15 سبتمبر 2023 — 30 صفر 1445 هـ"


def test_hijri_and_arabic_digits_together(site):
    site.write({"content/a.ar.md": article("خبر", "2023-09-15")}, config=BASE_CONFIG + "date: {hijri: true, digits: arab}\n")
    site.build()
    assert _dates(site, "2023/09/15/a/") == "١٥ سبتمبر ٢٠٢٣ — ٣٠ صفر ١٤٤٥ هـ"


def test_without_date_settings_no_hijri_and_latin_digits(site):
    site.write({"content/a.ar.md": article("خبر", "2023-09-15")})
    site.build()
    assert _dates(site, "2023/09/15/a/") == "15 سبتمبر 2023"


@pytest.mark.parametrize("setting, message", [
    ("date: {digits: roman}", 'config.yaml:8: date.digits: must be "latn" (0123) or "arab" (٠١٢٣), not the text \'roman\''),
    ("date: {months: mars}", "config.yaml:8: date.months: unknown locale 'mars'"),
    ("date: {hijri: maybe}", "config.yaml:8: date.hijri: must be true or false, not the text 'maybe'"),
    ("date: {calendar: julian}", "config.yaml:8: date.calendar: unknown setting"),
])
def test_bad_date_settings_are_one_line_errors(site, setting, message):
    site.write({"content/a.ar.md": article("خبر")}, config=BASE_CONFIG + setting + "\n")
    result = site.cli()
    assert result.returncode == 1 and message in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("lang, digits, words, expected", [
    ("ar", "latn", 450, "3 دقائق للقراءة"), ("ar", "arab", 450, "٣ دقائق للقراءة"), ("ar", "latn", 150, "دقيقة للقراءة"),
    ("ar", "latn", 350, "دقيقتان للقراءة"), ("en", "arab", 450, "3 minutes read"), ("en", "latn", 50, "1 minute read"),
])
def test_reading_time_in_the_pages_language_and_digits(site, lang, digits, words, expected):
    body = " ".join(["كلمة" if lang == "ar" else "word"] * words)
    site.write({f"content/a.{lang}.md": article("خبر" if lang == "ar" else "News", "2023-09-15", body)},
               config=BASE_CONFIG + f"date: {{digits: {digits}}}\n")
    site.build()
    route = ("" if lang == "ar" else "en/") + "2023/09/15/a/"
    assert _text(site, route, "//span[@class='reading-time']") == expected
