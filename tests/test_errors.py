"""Bad input: one line per problem naming file and line, exit 1, no traceback, output/ untouched."""

from __future__ import annotations

import pytest

from conftest import BASE_CONFIG, article
from generator.writer import staging_prefix

GOOD = article("خبر سليم", body="نص.")

CASES = {
    "broken_yaml": (
        {"content/a.ar.md": "---\ntitle: خبر\ndate: 2023-09-13\ntags: [a, b\n---\nنص\n"},
        ["content/a.ar.md:4: front matter is not valid YAML: a [ opens a list that is never closed with ]"],
    ),
    "two_commas_in_a_list": (
        {"content/a.ar.md": "---\ntitle: خبر\ndate: 2023-09-13\ntags: [اقتصاد, , نفط]\n---\nنص\n"},
        ["content/a.ar.md:4: front matter is not valid YAML: a list has two commas with nothing between them — "
         "delete one of them, or write the value that was meant between them"],
    ),
    "colon_in_title": (  # عاجل: opens many a headline
        {"content/a.ar.md": "---\ntitle: عاجل: قمة الطاقة\ndate: 2023-09-13\n---\nنص\n"},
        ["content/a.ar.md:2: front matter is not valid YAML: the title holds a colon and a space, which YAML reads as "
         "the start of another setting — put the whole title in quotes: title: \"عاجل: قمة الطاقة\""],
    ),
    "no_space_after_a_key_s_colon": (  # YAML stumbles on the line after it
        {"content/a.ar.md": "---\ntitle: خبر\ndate:2023-09-13\nsummary: ملخص.\n---\nنص\n"},
        ["content/a.ar.md:3: front matter is not valid YAML: date: has no space after its colon, so YAML reads the "
         "line as text, not a setting — write date: 2023-09-13"],
    ),
    "a_summary_pasted_on_two_lines": (  # YAML names the line after the summary's second
        {"content/a.ar.md": "---\ntitle: خبر\ndate: 2023-09-13\nsummary: سطر أول\nسطر ثان\n---\nنص\n",
         "content/b.ar.md": "---\ntitle: قمة في\nالرياض اليوم\ndate: 2023-09-13\n---\nنص\n"},
        ["content/a.ar.md:5: front matter is not valid YAML: the summary goes on to this line, and a setting is one "
         "line — join the two lines: summary: سطر أول سطر ثان",
         "content/b.ar.md:3: front matter is not valid YAML: the title goes on to this line, and a setting is one "
         "line — join the two lines: title: قمة في الرياض اليوم"],
    ),
    "no_space_after_the_only_key_s_colon": (  # YAML reads it as text
        {"content/a.ar.md": "---\ntitle:خبر\n---\nنص\n"},
        ["content/a.ar.md:2: front matter is not valid YAML: title: has no space after its colon, so YAML reads the "
         "line as text, not a setting — write title: خبر"],
    ),
    "a_writer_of_a_list_left_empty": (
        {"content/a.ar.md": "---\ntitle: خبر\ndate: 2023-09-13\nauthor:\n  - أحمد علي\n  -\n---\nنص\n",
         "content/a.en.md": "---\ntitle: News\ndate: 2023-09-13\nauthor: [Ahmad Ali, {name: Omar}]\n---\nText\n"},
        ["content/a.ar.md:4: author: every name of the list must be text — write author: [first name, second name]",
         "content/a.en.md:4: author: every name of the list must be text — write author: [first name, second name]"],
    ),
    "draft_answered_in_arabic": (
        {"content/a.ar.md": "---\ntitle: خبر\ndate: 2023-09-13\ndraft: نعم\n---\nنص\n",
         "content/b.ar.md": "---\ntitle: خبر آخر\ndate: 2023-09-13\ndraft: maybe\n---\nنص\n"},
        ["content/a.ar.md:4: draft: must be true or false, not 'نعم' — write draft: true",
         "content/b.ar.md:4: draft: must be true or false, not 'maybe' — write true or false"],
    ),
    "draft_in_quotes_or_in_other_words": (
        {"content/a.ar.md": "---\ntitle: خبر\ndate: 2023-09-13\ndraft: \"false\"\n---\nنص\n",
         "content/b.ar.md": "---\ntitle: خبر آخر\ndate: 2023-09-13\ndraft: 'Yes'\n---\nنص\n",
         "content/c.ar.md": "---\ntitle: خبر ثالث\ndate: 2023-09-13\ndraft: 0\n---\nنص\n"},
        ["content/a.ar.md:4: draft: must be true or false, not 'false' (in quotes, it is text) — write draft: false",
         "content/b.ar.md:4: draft: must be true or false, not 'Yes' — write draft: true",
         "content/c.ar.md:4: draft: must be true or false, not '0' — write draft: false"],
    ),
    "unclosed_front_matter": (
        {"content/a.ar.md": "---\ntitle: خبر\ndate: 2023-09-13\nنص\n"},
        ["content/a.ar.md:1: front matter is not closed — did you forget the line --- after the last setting?"],
    ),
    "no_front_matter": (
        {"content/a.ar.md": "# عنوان\nنص\n"},
        ["content/a.ar.md:1: no front matter: the first line must be ---"],
    ),
    "front_matter_is_a_list": (
        {"content/a.ar.md": "---\n- title\n- date\n---\nنص\n"},
        ["content/a.ar.md:2: front matter must be settings written as key: value"],
    ),
    "front_matter_is_a_string": (
        {"content/a.ar.md": "---\njust a sentence\n---\nنص\n"},
        ["content/a.ar.md:2: front matter must be settings written as key: value"],
    ),
    "control_character_in_front_matter": (
        {"content/a.ar.md": "---\ndate: 2023-09-13\ntitle: خبر\x1f\n---\nنص\n"},
        ["content/a.ar.md:3: front matter contains the invisible control character U+001F — delete it"],
    ),
    "unpaired_surrogate_escape": (
        {"content/a.ar.md": '---\ntitle: "\\ud800 خبر"\ndate: 2023-09-13\n---\nنص\n'},
        ["content/a.ar.md:2: title: holds an unpaired \\u escape (a UTF-16 surrogate)"],
    ),
    "missing_title": (
        {"content/a.ar.md": "---\ndate: 2023-09-13\n---\nنص\n"},
        ["content/a.ar.md:1: title is missing — add a line title: … to the front matter"],
    ),
    "empty_title": (
        {"content/a.ar.md": "---\ntitle:\ndate: 2023-09-13\n---\nنص\n"},
        ["content/a.ar.md:2: title is empty"],
    ),
    "missing_date": (
        {"content/a.ar.md": "---\ntitle: خبر\n---\nنص\n"},
        ["content/a.ar.md:1: date is missing — add a line date: 2023-09-13; for a page that is no story (About "
         "us, contact), move the file into content/pages/"],
    ),
    "impossible_date": (
        {"content/a.ar.md": "---\ntitle: خبر\ndate: 2023-02-30\n---\nنص\n"},
        ["content/a.ar.md:3: date: 2023-02-30 is not a real calendar date — check the month and day"],
    ),
    # A date written in words stops the build (the editing page reads a date only in numbers), with the date in
    # numbers to write instead: the hint was the pattern alone.
    "date_in_words": (
        {"content/a.ar.md": "---\ntitle: خبر\ndate: 13 September 2023\n---\nنص\n"},
        ["content/a.ar.md:3: date: '13 September 2023' is a date in words — write it in numbers: 2023-09-13"],
    ),
    "date_in_arabic_words_with_a_time": (
        {"content/a.ar.md": "---\ntitle: خبر\ndate: الخميس ٥ نوفمبر ٢٠٢٥ الساعة 10:30 م\n---\nنص\n"},
        ["content/a.ar.md:3: date: 'الخميس 5 نوفمبر 2025 الساعة 10:30 م' is a date in words — write it in numbers: "
         "2025-11-05T22:30+00:00"],
    ),
    "date_in_words_and_more": (
        {"content/a.ar.md": "---\ntitle: خبر\ndate: نشر في نوفمبر الماضي\n---\nنص\n"},
        ["content/a.ar.md:3: date: 'نشر في نوفمبر الماضي' is not a date — write it as YYYY-MM-DD"],
    ),
    "tags_not_a_list": (
        {"content/a.ar.md": "---\ntitle: خبر\ndate: 2023-09-13\ntags: {روسيا: 1}\n---\nنص\n"},
        ["content/a.ar.md:4: tags: must be a list — write tags: [first, second]"],
    ),
    "tag_not_a_string": (
        {"content/a.ar.md": article("خبر", tags="[روسيا, {name: x}]")},
        ["content/a.ar.md:4: tags: every item must be text, found {'name': 'x'}"],
    ),
    # Python-Markdown parses nested lists by recursion: 500 levels (400 KB of leading spaces) exhausted Python's
    # stack, and the build ended in a RecursionError's traceback.
    "lists_nested_500_deep": (
        {"content/a.ar.md": article("خبر", body="\n".join("    " * level + "- بند" for level in range(500)))},
        ["content/a.ar.md:5: too deeply nested to render: lists, quotes or HTML blocks inside one another, hundreds of "
         "levels deep — flatten it: check the spaces at the start of its lines"],
    ),
    "unknown_language": (
        {"content/a.fr.md": GOOD},
        ["content/a.fr.md:1: unknown language 'fr' in the file name — use one of ar, en"],
    ),
    "duplicate_url": (
        {"content/2023/a.ar.md": GOOD, "content/2024/a.ar.md": GOOD},
        ["content/2023/a.ar.md:1: has the same URL /2023/09/13/a/ as content/2024/a.ar.md"],
    ),
    "two_files_one_language_in_a_group": (
        {"content/a.ar.md": article("أ", translation_key="k"), "content/b.ar.md": article("ب", translation_key="k")},
        ["content/b.ar.md:1: is a second 'ar' version of the story in content/a.ar.md"],
    ),
    "not_utf8": (
        {"content/a.ar.md": "---\ntitle: x\ndate: 2023-09-13\n---\n".encode() + "نص".encode("cp1256") + b"\n"},
        ["content/a.ar.md:5: not valid UTF-8 (byte 0x"],
    ),
    "empty_file": ({"content/a.ar.md": ""}, ["content/a.ar.md:1: the file is empty"]),
    "binary_file": ({"content/a.ar.md": b"\x89PNG\r\n\x1a\n\x00\x00"}, ["content/a.ar.md: is a binary file, not Markdown text"]),
    "python_object_tag": (
        {"content/a.ar.md": "---\ntitle: !!python/object/apply:os.system ['true']\ndate: 2023-09-13\n---\n"},
        ["content/a.ar.md:2: front matter is not valid YAML: the title begins with !, which YAML reads as a type — "
         "put the whole title in quotes: title: \"!!python/object/apply:os.system ['true']\""],
    ),
    "slug_with_dots": (
        {"content/a.ar.md": article("خبر", slug="'../../evil'")},
        ["content/a.ar.md:4: slug '../../evil' may hold only letters, digits, - and _"],
    ),
    "slug_with_slash": (
        {"content/a.ar.md": article("خبر", slug="'2023/other'")},
        ["content/a.ar.md:4: slug '2023/other' may hold only letters, digits, - and _"],
    ),
    "source_url_runs_script": (
        {"content/a.ar.md": article("خبر", source="{name: x, url: 'javascript:alert(1)'}")},
        ["content/a.ar.md:4: source: url 'javascript:alert(1)' is not a web address — start it with https://"],
    ),
    "image_is_a_data_url": (
        {"content/a.ar.md": article("خبر", image="'data:text/html,<script>alert(1)</script>'")},
        ["content/a.ar.md:4: image: 'data:text/html,<script>alert(1)</script>' is not an image address"],
    ),
}

CONFIG_CASES = {
    "unknown_key": (BASE_CONFIG + "colour: red\n", ["config.yaml:8: colour: unknown setting"]),
    "bad_direction": (
        BASE_CONFIG.replace("direction: ltr", "direction: left"),
        ['config.yaml:5: languages[1].direction: must be "rtl" or "ltr"'],
    ),
    "default_not_a_language": (
        BASE_CONFIG.replace("default_language: ar", "default_language: fr"),
        ["config.yaml:6: default_language: 'fr' is not one of the languages (ar, en)"],
    ),
    "missing_base_url": (
        "\n".join(l for l in BASE_CONFIG.splitlines() if not l.startswith("base_url")),
        ["config.yaml: base_url: required setting is missing"],
    ),
    "base_url_is_the_repository_s_page": (  # pasted from the browser on github.com
        BASE_CONFIG.replace("https://example.org/digest/", "https://github.com/Huda-News/digest"),
        ["config.yaml:2: base_url: 'https://github.com/Huda-News/digest' is the repository's page on GitHub, not the "
         "site's address — write base_url: https://huda-news.github.io/digest/ (the address Settings → Pages shows)"],
    ),
    "base_url_is_a_page_s_address": (  # pasted from the browser on the site's front page
        BASE_CONFIG.replace("https://example.org/digest/", "https://example.org/digest/index.html"),
        ["config.yaml:2: base_url: 'https://example.org/digest/index.html' ends in a page's name, 'index.html', and "
         "every address of the site would be made from it — write the folder's address: base_url: "
         "https://example.org/digest/"],
    ),
    "time_zone_named_by_its_city_in_arabic": (
        BASE_CONFIG + "timezone: توقيت مكة\n",
        ["config.yaml:8: timezone: unknown time zone 'توقيت مكة' — write Asia/Riyadh"],
    ),
    "time_zone_named_by_its_city": (BASE_CONFIG + "timezone: cairo\n",
                                    ["config.yaml:8: timezone: unknown time zone 'cairo' — write Africa/Cairo"]),
    "time_zone_misspelt": (BASE_CONFIG + "timezone: Asia/Riyad\n",
                           ["config.yaml:8: timezone: unknown time zone 'Asia/Riyad' — write Asia/Riyadh"]),
    "time_zone_written_as_an_offset": (
        BASE_CONFIG + "timezone: GMT+3\n",
        ["config.yaml:8: timezone: unknown time zone 'GMT+3' — an offset is no zone: daylight saving and the law "
         "change it; write your city's zone (Asia/Riyadh, Asia/Baghdad, Asia/Kuwait, Asia/Qatar, Asia/Amman, "
         "Asia/Damascus, Asia/Aden…)"],
    ),
    "locale_written_as_a_page_s_lang": (
        BASE_CONFIG.replace("direction: rtl}", "direction: rtl, locale: ar-EG}"),
        ["config.yaml:4: languages[0].locale: unknown locale 'ar-EG' — write ar_EG"],
    ),
    "wrong_type": (BASE_CONFIG + "per_page: ten\n", ["config.yaml:8: per_page: must be a whole number, not the text 'ten'"]),
    # Settings written as people name them: each error gives the line to write.
    "number_in_quotes": (BASE_CONFIG + 'per_page: "10"\n', [
        "config.yaml:8: per_page: must be a whole number, not the text '10' — write per_page: 10, in digits 0 to 9 and "
        "without quotes"]),
    "number_in_arabic_digits": (BASE_CONFIG + "feed_size: ٢٠\n", [
        "config.yaml:8: feed_size: must be a whole number, not the text '٢٠' — write feed_size: 20, in digits 0 to 9 "
        "and without quotes"]),
    "flags_in_quotes": (BASE_CONFIG.replace("admin: false", "admin: 'false'") + "date: {hijri: 'yes'}\nimages: {cards: 0}\n", [
        "config.yaml:7: admin: must be true, false or a mapping with repo and branch, not the text 'false' (in quotes, it "
        "is text) — write admin: false",
        "config.yaml:8: date.hijri: must be true or false, not the text 'yes' — write hijri: true",
        "config.yaml:9: images.cards: must be true or false, not the number 0 — write cards: false"]),
    "direction_in_capitals": (BASE_CONFIG.replace("direction: rtl}", "direction: RTL}"), [
        'config.yaml:4: languages[0].direction: must be "rtl" or "ltr" — write direction: rtl']),
    "direction_in_arabic_words": (BASE_CONFIG.replace("direction: rtl}", "direction: من اليمين إلى اليسار}"), [
        'config.yaml:4: languages[0].direction: must be "rtl" or "ltr" — write direction: rtl']),
    "default_language_named_in_words": (BASE_CONFIG.replace("default_language: ar", "default_language: Arabic"), [
        "config.yaml:6: default_language: 'Arabic' is not one of the languages (ar, en) — write default_language: ar"]),
    "default_language_named_in_arabic": (BASE_CONFIG.replace("default_language: ar", "default_language: العربية"), [
        "config.yaml:6: default_language: 'العربية' is not one of the languages (ar, en) — write default_language: ar"]),
    "output_is_content": (BASE_CONFIG + "output: content\n", ["config.yaml:8: output:", "would overwrite the site's own files"]),
    "output_is_site_root": (BASE_CONFIG + "output: .\n", ["config.yaml:8: output:", "would overwrite the site's own files"]),
    "markdown_not_a_mapping": (BASE_CONFIG + "markdown: strict\n", ["config.yaml:8: markdown: must be a mapping of Markdown settings, not the text 'strict'"]),
    "several_at_once": (
        BASE_CONFIG + "per_page: 0\ntimezone: Mars/Olympus\n",
        ["config.yaml:8: per_page: must be at least 1", "config.yaml:9: timezone: unknown time zone 'Mars/Olympus'"],
    ),
}


def test_a_language_code_in_capitals_is_named_once_at_its_line(site):
    """`code: AR`: the default language, the title and the description in Arabic were each "not one of the
    languages (AR, en)", three errors for one mistake, none at its line."""
    site.write({"content/good.ar.md": GOOD}, config=BASE_CONFIG.replace("{code: ar,", "{code: AR,"))
    result = site.cli()
    assert result.returncode == 1 and result.stderr.splitlines()[:-1] == [
        "config.yaml:4: languages[0].code: 'AR': a language's code is written in small letters, as pages and file "
        "names give it — write code: ar"], result.stderr


def _assert_failed_cleanly(site, result, expected: list[str], before: dict[str, bytes]) -> None:
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    for text in expected:
        assert text in result.stderr, f"{text!r} not in:\n{result.stderr}"
    problem_lines = [l for l in result.stderr.splitlines() if not l.startswith("Build failed")]
    assert all(":" in l for l in problem_lines)
    assert result.stderr.splitlines()[-1].startswith("Build failed with")
    assert site.snapshot() == before, "output/ must be left exactly as it was"
    assert not list(site.root.glob(staging_prefix(site.output) + "*")), "no staging folder left behind"


def _break_a_good_site(site, expected: list[str], files: dict[str, str | bytes], config: str = BASE_CONFIG) -> None:
    """Build a good site, then add the mistake and check that the next build fails cleanly."""
    site.write({"content/good.ar.md": GOOD})
    site.build()  # in this process: the build under test, the broken one, runs as the editor runs it
    before = site.snapshot()
    site.write(files, config=config)
    _assert_failed_cleanly(site, site.cli(), expected, before)


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_content_is_reported_and_output_is_kept(site, case):
    files, expected = CASES[case]
    _break_a_good_site(site, expected, files)


@pytest.mark.parametrize("case", sorted(CONFIG_CASES))
def test_bad_config_is_reported_and_output_is_kept(site, case):
    config, expected = CONFIG_CASES[case]
    _break_a_good_site(site, expected, {}, config)


@pytest.mark.parametrize("encoding, named", [("utf-16", 'UTF-16 (Notepad\'s "Unicode")'),
                                             ("cp1256", "the Windows Arabic encoding (Windows-1256)")])
def test_a_file_notepad_saved_in_another_encoding_is_named_with_how_to_save_it_as_utf8(site, encoding, named):
    """Notepad on Arabic Windows saved "ANSI" (Windows-1256) by default, and offers "Unicode" (UTF-16)."""
    fix = "save it again as UTF-8 (in Notepad: File › Save As, Encoding: UTF-8)"
    line = 1 if encoding == "utf-16" else 2  # where the first Arabic letter is
    story = article("خبر عاجل", body="نص الخبر باللغة العربية.").encode(encoding)
    _break_a_good_site(site, [f"content/a.ar.md:{line}: is saved in {named}, not UTF-8 — {fix}"],
                       {"content/a.ar.md": story})
    before = site.snapshot()
    (site.root / "content/a.ar.md").unlink()
    (site.root / "config.yaml").write_bytes(BASE_CONFIG.encode(encoding))
    _assert_failed_cleanly(site, site.cli(), [f"config.yaml: is saved in {named}, not UTF-8 — {fix}"], before)


def test_every_error_is_reported_in_one_run(site):
    site.write({
        "content/a.ar.md": "---\ndate: 2023-09-13\n---\n",
        "content/b.ar.md": "---\ntitle: ب\ndate: 2023-13-01\n---\n",
        "content/c.de.md": GOOD,
    })
    result = site.cli()
    assert result.returncode == 1
    errors = [l for l in result.stderr.splitlines() if l.startswith("content/")]
    assert [e.split(":")[0] for e in errors] == ["content/a.ar.md", "content/b.ar.md", "content/c.de.md"]
    assert "Build failed with 3 errors" in result.stderr


def test_unknown_front_matter_key_is_a_warning_naming_key_and_file(site):
    site.write({"content/a.ar.md": article("خبر", autor="'سارة'")})
    result = site.cli()
    assert result.returncode == 0
    assert "warning: content/a.ar.md:4: unknown front matter key 'autor' is ignored" in result.stderr


LAUGHS = "".join(f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]\n" for i in range(1, 10))


@pytest.mark.parametrize("where", ["front matter", "config", "strings"])
def test_alias_bombs_are_refused_before_anything_walks_them(site, where):
    # Nine levels of nine aliases: 486 bytes that stand for 387 million strings. Texts, so no type check stops it.
    bomb = "l0: &l0 \"lol\\u00e9\"\n" + LAUGHS
    files = {"content/a.ar.md": article("خبر")}
    config = BASE_CONFIG
    if where == "front matter":
        files["content/a.ar.md"] = "---\ntitle: t\ndate: 2023-09-13\n" + bomb + "summary: *l9\n---\nنص\n"
    elif where == "config":
        config = BASE_CONFIG + bomb
    else:
        files["themes/default/strings.yaml"] = bomb
        files["themes/default/templates/base.html"] = "x"
    site.write(files, config=config)
    result = site.cli(memory_mb=1024, timeout=30)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    expected = {"front matter": "content/a.ar.md:9: front matter is too large: repeated references",
                "config": f"config.yaml:{BASE_CONFIG.count(chr(10)) + 6}: too large: repeated references",
                "strings": "strings.yaml:6: too large: repeated references"}[where]
    assert expected in result.stderr
    assert "expand to more than 20,000 values" in result.stderr


@pytest.mark.parametrize("where", ["front matter", "config"])
def test_deeply_nested_values_are_refused_in_one_line(site, where):
    nest = "[" * 1000 + "]" * 1000
    if where == "front matter":
        site.write({"content/a.ar.md": f"---\ntitle: t\ndate: 2023-09-13\ntags: {nest}\n---\n"})
    else:
        site.write({"content/a.ar.md": article("خبر")}, config=BASE_CONFIG + f"extra: {nest}\n")
    result = site.cli(memory_mb=1024, timeout=30)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert "nested more than 64 levels deep" in result.stderr
    assert len(result.stderr.strip().splitlines()) <= 2


@pytest.mark.parametrize("where", ["title", "summary on two lines"])
def test_a_line_of_a_front_matter_with_a_run_of_spaces_is_read_in_bounded_time(site, where):
    """Each text setting's line is read again as written (what YAML cut at a hashtag): the search took time that
    grew with the square of a run of spaces inside the value, and a regular expression runs in C, where no
    deadline reaches. 300,000 spaces took it minutes."""
    spaces = " " * 300_000
    text = (f"---\ntitle: خبر{spaces}طويل\ndate: 2023-09-13\n---\nنص\n" if where == "title" else
            f"---\ntitle: خبر\ndate: 2023-09-13\nsummary: سطر{spaces}أول\nسطر ثان\n---\nنص\n")
    site.write({"content/a.ar.md": text})
    result = site.cli(command="check", memory_mb=1024, timeout=60)
    assert "Traceback" not in result.stderr, result.stderr[-2000:]
    assert result.returncode == (0 if where == "title" else 1), result.stderr[-2000:]
    if where != "title":
        assert "content/a.ar.md:5: front matter is not valid YAML: the summary goes on to this line" in result.stderr


def test_symlink_outside_the_site_is_not_followed(site, tmp_path):
    secret = tmp_path / "secret.md"
    secret.write_text(article("سر"), encoding="utf-8")
    site.write({"content/good.ar.md": GOOD})
    (site.root / "content" / "link.ar.md").symlink_to(secret)
    result = site.cli()
    assert result.returncode == 1
    assert "content/link.ar.md: is a link to a file outside the site; not followed" in result.stderr


def test_a_link_to_a_file_inside_the_site_is_read_and_a_linked_folder_is_not_walked(site, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "far.ar.md").write_text(article("خبر من خارج الموقع"), encoding="utf-8")
    site.write({"content/good.ar.md": GOOD, "notes/near.ar.md": article("خبر من داخل الموقع")})
    (site.root / "content" / "linked").symlink_to(elsewhere, target_is_directory=True)
    (site.root / "content" / "near.ar.md").symlink_to(site.root / "notes" / "near.ar.md")
    result = site.cli()
    assert result.returncode == 0 and result.stderr == "", result.stderr
    titles = {h1.text_content() for page in site.output.rglob("index.html") for h1 in site.page(
        page.parent.relative_to(site.output).as_posix() + "/").xpath("//article//h1")}
    assert "خبر من داخل الموقع" in titles and "خبر من خارج الموقع" not in titles, titles


def test_bom_and_crlf_are_accepted_without_warning(site):
    text = "\ufeff" + article("خبر", body="سطر أول.\n\nسطر ثانٍ.").replace("\n", "\r\n")
    site.write({"content/a.ar.md": text.encode("utf-8")})
    result = site.cli()
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert site.page("2023/09/13/a/").xpath("//h1")[0].text_content() == "خبر"


def test_missing_config_is_one_line(tmp_path):
    from conftest import Site

    empty = Site(tmp_path)
    result = empty.cli()
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "config.yaml: no config.yaml here" in result.stderr


def test_a_missing_theme_template_is_named_with_where_it_looked(site):
    site.write({"content/good.ar.md": GOOD, "themes/mine/templates/base.html": "<!doctype html>{% block main %}{% endblock %}"},
               config=BASE_CONFIG + "theme: mine\n")
    result = site.cli()
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "template 'home.html' not found; looked in " in result.stderr
    assert str(site.root / "themes" / "mine" / "templates") in result.stderr


@pytest.mark.slow  # 8 s: make test-slow, and CI
def test_a_ten_megabyte_article_is_accepted(site):
    paragraph = "فقرة من خبر طويل عن **القمة** بين الزعيمين في الشرق الأقصى، مع [رابط](https://example.org).\n\n"
    body = paragraph * (10_000_000 // len(paragraph.encode())) + "الفقرة الأخيرة.\n"
    site.write({"content/long.ar.md": article("خبر طويل", body=body), "content/short.ar.md": GOOD})
    result = site.cli()
    assert result.returncode == 0, result.stderr
    page = (site.output / "2023/09/13/long/index.html").read_bytes()
    assert len(page) > 10_000_000 and "<p>الفقرة الأخيرة.</p>".encode() in page


def test_an_escaped_surrogate_pair_is_one_character(site):
    site.write({"content/a.en.md": '---\ntitle: "Flags \\ud83c\\uddf8\\ud83c\\udde6"\ndate: 2023-09-13\n---\nText\n'})
    site.build()
    assert site.page("en/2023/09/13/a/").findtext(".//h1") == "Flags 🇸🇦"


def test_escapes_in_config_join_into_characters_and_a_lone_half_is_one_line(site):
    flags = 'title: {ar: "موجز \\ud83c\\uddf8\\ud83c\\udde6", en: Digest}'
    site.write({"content/a.ar.md": GOOD}, config=BASE_CONFIG.replace("title: {ar: موجز, en: Digest}", flags))
    site.build()
    assert site.page("").findtext(".//title").endswith("موجز 🇸🇦")
    site.write({}, config=BASE_CONFIG.replace("title: {ar: موجز, en: Digest}", 'title: "\\ud800"'))
    result = site.cli()
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert result.stderr.startswith("config.yaml: holds an unpaired \\u escape (a UTF-16 surrogate), which no page "
                                    "can show — write the character itself instead of its \\u code")


def test_a_very_long_tag_gets_a_short_page_name(site):
    site.write({"content/a.ar.md": article("خبر", tags=f"[{'ب' * 600}, {'ب' * 599}]")})
    site.build()
    tag_pages = sorted(p.name for p in (site.output / "tags").iterdir() if p.is_dir())
    assert len(tag_pages) == 2 and all(len(name.encode()) <= 120 for name in tag_pages)


@pytest.mark.parametrize("value", ["9999-12-31T23:00:00-05:00", "0001-01-01T00:30:00+05:00", "9999-12-31"])
def test_dates_at_the_edge_of_the_calendar_are_one_line_errors(site, value):
    site.write({"content/a.ar.md": f"---\ntitle: t\ndate: {value}\n---\nنص\n"})
    result = site.cli()
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert f"content/a.ar.md:3: date: {value} is outside the dates a site can show — use a year between 1 and 9998" \
        in result.stderr


def test_years_before_1000_keep_four_digit_urls(site):
    site.write({"content/old.ar.md": article("خبر قديم", date="0800-03-04"),
                "content/new.ar.md": article("خبر", date="2023-09-13")})
    site.build()
    assert (site.output / "0800/03/04/old/index.html").is_file()
    assert (site.output / "0800/03/04/index.html").is_file() and (site.output / "0800/index.html").is_file()
    assert not (site.output / "800").exists()
    links = site.page("0800/").xpath("//a/@href")
    assert "/digest/0800/03/04/old/" in links


def test_import_given_a_folder_and_a_deeply_nested_feed_say_so_in_one_line(site):
    site.write({})
    (site.root / "pages").mkdir()
    folder = site.cli("pages", command="import")
    assert folder.returncode == 1 and "Traceback" not in folder.stderr
    assert folder.stderr.strip() == "error: pages: is a folder — give the file that holds the pasted page"
    nested = "<b>" * 3000 + "deep text" + "</b>" * 3000
    (site.root / "feed.xml").write_text(
        f"<rss><channel><title>W</title><item><title>Deep</title><link>https://w.example/d</link>"
        f"<description><![CDATA[{nested}]]></description></item></channel></rss>", encoding="utf-8")
    feed = site.cli("feed.xml", command="import-feed", memory_mb=1024, timeout=60)
    assert feed.returncode == 0 and "Traceback" not in feed.stderr, feed.stderr
    assert "warning: feed.xml: the item 'Deep' nests its HTML too deeply to convert; imported as plain text" in feed.stderr
    [draft] = (site.root / "content").rglob("*.md")
    assert "deep text" in draft.read_text(encoding="utf-8")


@pytest.mark.parametrize("command", ["build", pytest.param("check", marks=pytest.mark.slow)])  # 3.5 s each
def test_a_body_too_complex_to_render_fails_cleanly_naming_the_file(site, command):
    site.write({"content/good.ar.md": GOOD})
    if command == "build":
        site.build()  # a good earlier build, to be kept
    site.write({"content/brackets.en.md": article("Brackets", body="[" * 16_000)})
    before = site.snapshot() if site.output.exists() else {}
    # Python-Markdown takes half a minute on these 16 KB; the budget stops it after 3 s.
    result = site.cli(command=command, memory_mb=4096, timeout=60)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert ("content/brackets.en.md:5: too complex to render: took more than 3 s — split it, or remove the long runs "
            "of repeated characters") in result.stderr
    assert (site.snapshot() if site.output.exists() else {}) == before


@pytest.mark.slow  # 3.5 s: make test-slow, and CI
def test_a_body_too_complex_to_render_in_a_worker_process_fails_the_build(site):
    from generator.errors import BuildError

    site.write({f"content/s{i}.ar.md": article(f"خبر {i}") for i in range(6)})
    site.write({"content/brackets.en.md": article("Brackets", body="[" * 16_000)})
    with pytest.raises(BuildError, match="content/brackets.en.md:5: too complex to render: took more than 3 s"):
        site.build(jobs=2)
    assert not site.output.exists()
