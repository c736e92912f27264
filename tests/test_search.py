"""Client-side search, as a reader uses it: type in Chromium, read the results; Arabic spellings fold together."""

from __future__ import annotations

import json
import re

import pytest
from conftest import REPO, article
from pages_server import serve

from generator.search import light_stem, search_terms

ECONOMY = {
    "content/egypt.ar.md": article("الاقتصاد المصري ينمو بوتيرة أسرع", "2024-03-01", tags="[اقتصاد]",
                                   summary="أرقام النمو الجديدة.", body="ارتفع الناتج المحلي هذا العام."),
    "content/minister.ar.md": article("وزير يعلن خطة جديدة", "2024-03-02",
                                      body="قال وزير الإقتصاد إن الخطة تبدأ في الربيع."),
    "content/world.ar.md": article("تقرير عن العالم", "2024-03-03",
                                   body="يتباطأ الاقْتِصادُ العالمِيُّ هذا العام بحسب التقرير."),
    "content/crisis.ar.md": article("أزمة في الأسواق", "2024-03-04",
                                    body="عمّقت الأزمة الاقتصادية خسائر الأسواق."),
    "content/football.ar.md": article("نهائي كرة القدم", "2024-03-05", body="فاز الفريق في المباراة النهائية."),
    "content/tricky.ar.md": article("<b>عنوان</b> عن الاقتصاد", "2024-02-01", body="نص قصير."),
    "content/desalination.ar.md": article("افتتاح أكبر محطة لتحلية مياه البحر", "2024-01-10", category="بيئة",
                                          body="تخدم المحطة مليون نسمة."),
    "content/drought.ar.md": article("موسم جفاف طويل", "2024-01-11", body="تعتمد المدن على التحلية أكثر فأكثر."),
    # Typed on a Persian keyboard layout: ک for ك, ی for ي.
    "content/kirkuk.ar.md": article("انتخابات محلیة في کرکوک", "2024-01-12", body="فتحت مراکز الاقتراع أبوابها."),
    # Pasted from a word processor: a soft hyphen and a zero-width non-joiner inside words.
    "content/phosphate.ar.md": article("صادرات المغرب ترتفع", "2024-01-09",
                                       body="ارتفعت صادرات الفوس\u00adفات والأسم\u200cدة هذا العام."),
    "content/egypt.en.md": article("Egypt's economy grows faster", "2024-03-01", body="New growth figures."),
    "content/football.en.md": article("Football final", "2024-03-05", body="The team won the final."),
}
ECONOMY_TITLES = {"الاقتصاد المصري ينمو بوتيرة أسرع", "وزير يعلن خطة جديدة", "تقرير عن العالم",
                  "أزمة في الأسواق", "<b>عنوان</b> عن الاقتصاد"}
PREFIX = "/digest/"


@pytest.fixture(scope="module")
def economy_site(tmp_path_factory):
    from conftest import Site
    site = Site(tmp_path_factory.mktemp("search")).write(ECONOMY)
    with pytest.MonkeyPatch.context() as patch:  # tiny shards, so lookups cross shard bounds as on a big site
        patch.setattr("generator.searchindex.SHARD_BYTES", 120)
        site.build(cache=False)
    server = serve(site.output, PREFIX)
    try:
        yield site, f"http://127.0.0.1:{server.server_address[1]}{PREFIX}"
    finally:
        server.shutdown()
        server.server_close()


def _search(page, query: str) -> list[str]:
    page.fill("#q", query)
    # The results list says which query it shows: never read the previous query's results.
    page.wait_for_function("q => document.getElementById('search-results').dataset.query === q", arg=query)
    return page.locator("#search-results li h2").all_inner_texts()


def test_hamza_and_plain_alef_find_the_same_articles(economy_site, browser):
    _, base = economy_site
    page = browser.new_page()
    page.goto(base + "search/")
    plain = _search(page, "الاقتصاد")
    assert set(plain) == ECONOMY_TITLES
    assert plain[0] == "الاقتصاد المصري ينمو بوتيرة أسرع", "a title match ranks first"
    page.fill("#q", "")
    hamza = _search(page, "الإقتصاد")
    assert hamza == plain
    assert _search(page, "اقْتِصاد") == plain, "diacritics in the query are ignored too"
    assert page.locator("#search-status").inner_text() == "النتائج: 5"
    assert _search(page, "الاقتصاد المصري") == ["الاقتصاد المصري ينمو بوتيرة أسرع"], "every word must match"
    assert _search(page, "طائرة ") == [] and page.locator("#search-status").inner_text() == "لم نجد مقالات بهذه الكلمات."


def test_a_word_with_an_invisible_character_inside_is_found_by_the_word(economy_site, browser):
    """A soft hyphen or a zero-width non-joiner from a word processor cut the word in two: no search found it."""
    _, base = economy_site
    page = browser.new_page()
    page.goto(base + "search/")
    assert _search(page, "الفوسفات") == ["صادرات المغرب ترتفع"]
    page.fill("#q", "")
    assert _search(page, "الأسمدة") == ["صادرات المغرب ترتفع"]


def test_results_link_to_articles_and_titles_stay_text(economy_site, browser):
    _, base = economy_site
    page = browser.new_page()
    page.goto(base + "search/?q=" + "الإقتصاد")  # a shared link runs the search on arrival
    page.wait_for_function("document.getElementById('search-status').textContent !== ''")
    assert page.locator("#search-results b").count() == 0, "a title is shown as text, never as HTML"
    assert "<b>عنوان</b> عن الاقتصاد" in page.locator("#search-results").inner_text()
    page.locator("#search-results a", has_text="وزير يعلن").click()
    page.wait_for_load_state()
    assert page.url.endswith("/digest/2024/03/02/minister/")
    assert page.locator("h1").inner_text() == "وزير يعلن خطة جديدة"


def test_english_search_and_the_nav_link(economy_site, browser):
    _, base = economy_site
    page = browser.new_page()
    page.goto(base + "en/")
    page.locator("nav a", has_text="Search").click()
    page.wait_for_load_state()
    assert page.url.endswith("/digest/en/search/")
    assert _search(page, "economies") == ["Egypt's economy grows faster"]
    assert _search(page, "final") == ["Football final"]
    assert _search(page, "foot") == ["Football final"], "the word being typed matches as a prefix"


def test_browser_and_builder_stem_alike(economy_site, browser):
    """search.js must turn text into the same stems as generator/search.py, or queries miss."""
    _, base = economy_site
    page = browser.new_page()
    page.goto(base + "search/")
    samples = ["الاقتصاد الإقتصاد الآن أحمد إسلام ٱلله القاهرة مستشفى مؤتمر رئيس ٢٠٢٤ ۱۴۴۵ وبالاقتصاد",
               "للمعلمين والمعلمات كالبرق فالسيارة سياراتها مكتبتهم وزير وزارة بيونغ يانغ",
               "Putin's visits to Pyongyang; the economies, series, bus, analysis — 2024 COVID-19 café",
               "الاقْتِصادُ العالمِيُّ ـــ مـوجـز Kim Jong Un إلى روسيا (2023)",
               "انتخابات کرکوک في سوریا والھيئة",  # ک ی ھ as a Persian keyboard layout types them
               # Invisible characters a word processor leaves inside words: soft hyphen, ZWNJ, ZWJ, ZWSP.
               "الاقت\u00adصاد المعل\u200cمين السيا\u200dرة eco\u00adnomy مؤ\u200bتمر"]
    for path in sorted((REPO / "content").rglob("*.md")):  # every word of the sample site
        samples.append(path.read_text(encoding="utf-8"))
    page.wait_for_function("window.mujazSearch !== undefined")
    in_browser = page.evaluate("texts => texts.map(t => window.mujazSearch.searchTerms(t))", samples)
    assert in_browser == [search_terms(text) for text in samples]


def test_light_stems():
    assert {light_stem(t) for t in ("الاقتصاد", "اقتصاد", "الاقتصاديه", "والاقتصاد", "للاقتصاد")} == {"اقتصاد"}
    assert search_terms("الإقتصادُ") == search_terms("الاقتصاد") == ["اقتصاد"]
    assert search_terms("المدرسة") == search_terms("مدرسه") == ["مدرس"]
    assert light_stem("economies") == "economy" and light_stem("analysis") == "analysis"


def test_index_files_are_split_in_runs_of_sorted_stems(economy_site):
    site, _ = economy_site
    ar = site.output / "search"
    docs = json.loads((ar / "docs-0.json").read_text(encoding="utf-8"))
    assert [row[1] for row in docs][-2:] == ["أزمة في الأسواق", "نهائي كرة القدم"], "by doc id: the oldest first"
    html = (ar / "index.html").read_text(encoding="utf-8")
    bounds = re.search(r'data-bounds="([^"]*)"', html)[1].split()
    shards = [json.loads((ar / f"terms-{n}.json").read_text(encoding="utf-8")) for n in range(len(bounds))]
    assert len(bounds) >= 3 and not (ar / f"terms-{len(bounds)}.json").exists()
    stems = [stem for shard in shards for stem in shard]
    assert stems == sorted(stems) and "اقتصاد" in stems
    assert [next(iter(shard)) for shard in shards] == bounds, "the page names each shard by its first stem"


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_the_browser_finds_every_stem_and_prefix_across_shards(economy_site, browser, lang):
    """Every stem of the index, and every prefix of one, looked up by search.js across shard bounds."""
    site, base = economy_site
    folder = site.output / ("search" if lang == "ar" else "en/search")
    index: dict[str, set[int]] = {}
    for path in folder.glob("terms-*.json"):
        for stem, flat in json.loads(path.read_text(encoding="utf-8")).items():
            # The newest doc's id, then each later one's distance below the one before.
            docs = {flat[0] - sum(flat[2:at + 1:2]) for at in range(0, len(flat), 2)}
            assert sorted(docs, reverse=True) == [flat[0] - sum(flat[2:at + 1:2]) for at in range(0, len(flat), 2)]
            index[stem] = docs
    prefixes = sorted({stem[:n] for stem in index for n in (1, 2, 3)})
    expected = {p: sorted(set().union(*(d for s, d in index.items() if s.startswith(p)))) for p in prefixes}
    page = browser.new_page()
    page.goto(base + ("search/" if lang == "ar" else "en/search/"))
    page.wait_for_function("window.mujazSearch !== undefined")
    found = page.evaluate("""async ([stems, prefixes]) => {
        const keys = async (s, p) => [...(await window.mujazSearch.postings(s, p)).keys()].sort((a, b) => a - b);
        const exact = {}, start = {};
        for (const s of stems) exact[s] = await keys(s, false);
        for (const p of prefixes) start[p] = await keys(p, true);
        return [exact, start];
    }""", [sorted(index), prefixes])
    assert found[0] == {stem: sorted(docs) for stem, docs in index.items()}
    assert found[1] == expected
    assert page.evaluate("window.mujazSearch.postings('غيرموجود', false).then(m => m.size)") == 0


def test_a_small_site_has_one_shard_per_language():
    from conftest import REPO as repo
    import tempfile
    from pathlib import Path

    from generator.build import BuildOptions, build
    with tempfile.TemporaryDirectory() as tmp:
        build(BuildOptions(config_path=repo / "config.yaml", output=Path(tmp) / "out", cache=False,
                           cache_dir=Path(tmp) / "cache"))  # its lock too: other tests build the sample site meanwhile
        for folder in ("search", "en/search"):
            assert sorted(p.name for p in (Path(tmp) / "out" / folder).glob("terms-*.json")) == ["terms-0.json"]


def test_the_index_reads_text_as_search_terms_does():
    """build_index folds each distinct token once for speed; it must find exactly the stems a query would."""
    from collections import Counter

    from generator.search import _Stems
    for path in sorted((REPO / "content").rglob("*.md")):
        text = path.read_text(encoding="utf-8") + " ٱلقدس عام٢٠٢٤ abc٣ ـــ"
        counted: Counter = Counter()
        _Stems().count(text, counted)
        assert counted == Counter(search_terms(text)), path.name


def test_a_word_finds_its_form_with_an_attached_letter_and_sections_are_searched(economy_site, browser):
    _, base = economy_site
    page = browser.new_page()
    page.goto(base + "search/")
    found = _search(page, "تحلية")
    assert "افتتاح أكبر محطة لتحلية مياه البحر" in found, "لتحلية is found by تحلية, a word the site also uses"
    assert set(found) == {"افتتاح أكبر محطة لتحلية مياه البحر", "موسم جفاف طويل"}
    assert _search(page, "لتحلية") == ["افتتاح أكبر محطة لتحلية مياه البحر"]
    assert _search(page, "بيئة") == ["افتتاح أكبر محطة لتحلية مياه البحر"], "the section's name is indexed"


def test_a_word_typed_with_persian_letters_and_its_arabic_spelling_find_each_other(economy_site, browser):
    _, base = economy_site
    page = browser.new_page()
    page.goto(base + "search/")
    assert _search(page, "كركوك") == ["انتخابات محلیة في کرکوک"]
    assert _search(page, "مراكز الاقتراع") == ["انتخابات محلیة في کرکوک"]
    assert _search(page, "محلیة کرکوک") == ["انتخابات محلیة في کرکوک"], "and a query typed so"


def test_attached_letters_fold_only_onto_words_the_index_knows():
    from generator.searchindex import build_index

    def entry(*stems):
        return "\n".join(stems), bytes([1] * len(stems))

    index, counts = build_index([entry("لتحل"), entry("تحل"), entry("بحر"), entry("كتاب")])
    assert counts == {"لتحل": 1, "تحل": 1, "بحر": 1, "كتاب": 1}, "each stem's articles, before the fold"
    terms = json.loads("".join(shard for _, shard in index.shards).replace("}{", ","))
    # The newest article, first given, is doc 3 of 4 (ids count from the oldest); the next is one below it.
    assert terms["تحل"] == [3, 1, 1, 1], "لتحل's article joins تحل's"
    assert terms["لتحل"] == [3, 1]
    assert "حر" not in terms and "تاب" not in terms, "no word of the site is تاب: كتاب stays whole"


# Stems that fold onto one another in every order the fold can meet them (بكتب onto كتب, وبكتب onto بكتب, …),
# and some that fold onto nothing.
_BASES = ("كتب", "سلم", "بحر", "news", "ab")
_STEMS = [prefix + base for base in _BASES for prefix in ("", "ل", "ب", "و", "ف", "ك", "لب", "وب", "فل", "بك", "بب")
          if not base.isascii() or not prefix]


def _entries(draw, count: int) -> list:
    from hypothesis import strategies as st
    entries = []
    for _ in range(count):
        stems = draw(st.lists(st.sampled_from(_STEMS), max_size=8, unique=True))
        entries.append(("\n".join(stems), bytes(draw(st.lists(st.integers(1, 20), min_size=len(stems),
                                                                max_size=len(stems))))))
    return entries


def test_an_index_updated_by_any_change_is_the_one_built_whole(monkeypatch):
    """update_index gives build_index's very bytes, or declines: stories edited, added, removed and moved,
    with words coming and going that fold onto others through attached letters."""
    from hypothesis import HealthCheck, event, given, settings
    from hypothesis import strategies as st

    import generator.searchindex as searchindex
    monkeypatch.setattr(searchindex, "SHARD_BYTES", 40)  # many shards, whose bounds move with the lists

    @st.composite
    def changes(draw):
        old = _entries(draw, draw(st.integers(0, 12)))
        docs = [(f"old{i}", entry) for i, entry in enumerate(old)]
        new = list(docs)
        for n in range(draw(st.integers(1, 4))):
            kind = draw(st.sampled_from(["edit", "add", "remove", "move"]))
            if kind == "add" or not new:
                new.insert(draw(st.integers(0, len(new))), (f"new{n}", _entries(draw, 1)[0]))
            elif kind == "edit":
                at = draw(st.integers(0, len(new) - 1))
                new[at] = (f"new{n}", _entries(draw, 1)[0])
            elif kind == "remove":
                new.pop(draw(st.integers(0, len(new) - 1)))
            else:
                moving = new.pop(draw(st.integers(0, len(new) - 1)))
                new.insert(draw(st.integers(0, len(new))), moving)
        return docs, new

    @settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(changes())
    def check(change):
        docs, new = change
        index, counts = searchindex.build_index([entry for _, entry in docs])
        memo, old_keys = dict(docs), {key for key, _ in docs}

        def new_entry(doc):
            assert new[doc][0] not in old_keys, "only the entries of docs not in the last index are read"
            return new[doc][1]
        updated = searchindex.update_index(index, counts, [key for key, _ in docs], [key for key, _ in new],
                                           new_entry, memo.get)
        event("updated" if updated is not None else "built whole")
        if updated is not None:
            assert updated == searchindex.build_index([entry for _, entry in new])

    check()


def test_an_update_declines_what_it_cannot_do_exactly():
    from generator.searchindex import build_index, update_index

    def entry(*stems):
        return "\n".join(stems), bytes(range(1, len(stems) + 1))

    old = [entry("كتب", "سلم"), entry("بكتب", "news"), entry("سلم", "لحلي")]
    index, counts = build_index(old)
    keys = ["a", "b", "c"]
    memo = dict(zip(keys, old))

    def update(new_keys, new):
        return update_index(index, counts, keys, new_keys, new.__getitem__, memo.get)

    edited = [old[0], entry("بكتب", "sport"), old[2]]
    assert update(["a", "B", "c"], edited) == build_index(edited), "a new word that folds onto none"
    for words, why in [(("news",), "بكتب, folded onto كتب, is gone"), (("لسلم",), "a new word folds onto سلم")]:
        edited = [old[0], entry(*words), old[2]]
        assert update(["a", "B", "c"], edited) == build_index(edited), why
    # لبكتب folds onto بكتب after بكتب has folded onto كتب (the fold goes in sorted order): so كتب does not
    # hold لبكتب's stories, and an update must not add them either.
    chain = [entry("لبكتب"), entry("بكتب"), entry("كتب"), entry("لبكتب", "فلكتب")]
    built, chain_counts = build_index(chain)
    again = [chain[0], chain[1], chain[2], entry("فلكتب", "لبكتب")]
    updated = update_index(built, chain_counts, list("wxyz"), list("wxyZ"), again.__getitem__,
                           dict(zip("wxyz", chain)).get)
    assert updated == build_index(again) and updated is not None
    # What other stems fold onto a word that comes or goes depends on every story's words.
    assert update(["A", "b", "c"], [entry("سلم"), old[1], old[2]]) is None, "كتب is gone, بكتب still folds onto it"
    assert update(["A", "b", "c"], [entry("كتب", "سلم", "حلي"), old[1], old[2]]) is None, "لحلي folds onto حلي, new"
    assert update(["c", "b", "a"], [old[2], old[1], old[0]]) is None, "the stories kept changed their order"
    assert update_index(index, counts, keys, ["a", "B", "c"], edited, {}.get) is None, "the old entry is unknown"
    assert counts["سلم"] == 2
    for wrong in ({**counts, "سلم": 1}, {**counts, "حلي": 1}, {k: n for k, n in counts.items() if k != "news"}):
        assert update_index(index, wrong, keys, ["a", "b", "C"], [old[0], old[1], entry("news")].__getitem__,
                            memo.get) is None, \
            "counts that do not describe the index (a cache from elsewhere)"
    many = [(f"k{i}", entry("سلم")) for i in range(200)]
    index, counts = build_index([e for _, e in many])
    assert update_index(index, counts, [k for k, _ in many], [f"n{i}" for i in range(65)] + [k for k, _ in many[65:]],
                        [e for _, e in many].__getitem__, dict(many).get) is None, "more changes than an update is worth"


def test_an_update_of_long_lists_is_the_index_built_whole_wherever_the_change_falls():
    """An update reads a list only a little past the change: a few numbers for a recent story, more and more for
    older ones. Stories edited, removed and added near the top, in the middle and at the oldest end of lists of
    600 stories give build_index's very bytes."""
    import dataclasses

    from generator.searchindex import build_index, update_index

    def entry(n, edit=0):
        stems = ["سلم", "news", f"w{n % 7}", f"e{edit}"] if edit else ["سلم", "news", f"w{n % 7}"]
        return "\n".join(stems), bytes(range(1, len(stems) + 1))

    old = [(f"k{i}", entry(i)) for i in range(600)]
    index, counts = build_index([e for _, e in old])
    for at in (0, 3, 40, 300, 598, 599):
        for change in ("edit", "remove", "add"):
            new = list(old)
            if change == "edit":
                new[at] = (f"edited{at}", entry(at, edit=at + 1))
            elif change == "remove":
                del new[at]
            else:
                new.insert(at, (f"added{at}", entry(at, edit=1)))
            updated = update_index(index, counts, [k for k, _ in old], [k for k, _ in new],
                                   lambda doc: new[doc][1], dict(old).get)
            assert updated is not None and updated == build_index([e for _, e in new]), (change, at)
    # Two docs at one place, in a list the edit reaches.
    shards = tuple((first, text.replace('"سلم":[599,1,1,', '"سلم":[599,1,0,')) for first, text in index.shards)
    assert shards != index.shards
    damaged = dataclasses.replace(index, shards=shards)
    assert update_index(damaged, counts, [k for k, _ in old], ["edited"] + [k for k, _ in old[1:]],
                        lambda doc: entry(0, edit=1), dict(old).get) is None, "a list from a damaged cache"


def test_a_story_added_on_top_leaves_every_index_file_that_holds_none_of_its_words(site, monkeypatch):
    """Doc ids count from the oldest: a new story takes the next one, so the other stories' ids, the chunks that
    list them and the shards of words it does not use keep their bytes (and the copies readers' browsers hold)."""
    monkeypatch.setattr("generator.searchindex.SHARD_BYTES", 20)  # a stem a shard, every one of them ending it
    monkeypatch.setattr("generator.searchindex.DOCS_PER_CHUNK", 3)
    monkeypatch.setattr("generator.pages.DOCS_PER_CHUNK", 3)
    words = ["زيتون", "قمح", "مطر", "سد", "نهر", "ميناء", "سفينة", "قطار", "جسر", "مصنع"]
    site.write({f"content/s{i}.ar.md": article(f"خبر {words[i]}", f"2023-05-{i + 1:02}", f"{words[i]} {words[i - 1]}.")
                for i in range(len(words))})
    site.build()
    before = {name: data for name, data in site.snapshot().items() if name.startswith("search/")}
    site.write({"content/new.ar.md": article("خبر قطار", "2023-05-20", "قطار جسر.")})  # words the index has
    site.build()
    after = {name: data for name, data in site.snapshot().items() if name.startswith("search/")}
    changed = sorted(name for name in after if before.get(name) != after[name])
    holding = [name for name, data in after.items() if name.startswith("search/terms-")
               and set(search_terms("خبر قطار جسر")) & json.loads(data).keys()]
    assert len([name for name in after if name.startswith("search/terms-")]) >= 6, "words in shards of their own"
    # The new story is doc 10, in chunk 3 (docs 9 to 11): chunks 0 to 2 are as they were.
    assert changed == sorted({*holding, "search/docs-3.json"}), changed
    assert json.loads(after["search/docs-3.json"])[-1][1] == "خبر قطار"


def test_a_new_word_changes_the_shard_it_falls_in_not_every_later_one(monkeypatch):
    """Shards end where a stem's hash says, once they are past three quarters of their size: a word no story had
    before lengthens one shard, where cutting at a fixed size moved the first stem of every later shard."""
    import random

    from generator.searchindex import build_index

    monkeypatch.setattr("generator.searchindex.SHARD_BYTES", 400)
    rng = random.Random(3)
    words = [f"w{n:03d}" for n in range(300)]
    entries = []
    for _ in range(200):
        chosen = sorted(set(rng.choices(words, k=12)))
        entries.append(("\n".join(chosen), bytes(rng.randrange(1, 9) for _ in chosen)))
    before, _ = build_index(entries)
    after, _ = build_index([("w150x", b"\x03"), *entries])  # a new story on top, with one word of its own
    assert len(before.shards) >= 20
    changed = [shard for shard in after.shards if shard not in before.shards]
    assert len(changed) <= 2 and any("w150x" in text for _, text in changed), changed
    assert len(after.shards) - len(before.shards) in (0, 1)
