"""Related articles: Arabic-aware text analysis and the lists a reader sees under each article."""

from __future__ import annotations

import pytest

from conftest import article
from generator.text import Analyzer, normalize


def test_normalisation_folds_spellings_of_one_word():
    assert normalize("مُدَرِّسَةٌ") == normalize("مدرسة") == "مدرسه"
    assert normalize("أحمد") == normalize("إحمد") == normalize("آحمد") == normalize("ٱحمد") == "احمد"
    assert normalize("مستشفى") == "مستشفي"
    assert normalize("سؤال") == "سوال" and normalize("رئيس") == "رييس"
    assert normalize("الـــقـمة") == "القمه"
    assert normalize("عام ٢٠٢٣") == "عام 2023"


def test_terms_are_stemmed_in_both_scripts_and_stop_words_dropped():
    analyzer = Analyzer()
    assert analyzer.terms("الاقتصاد") == analyzer.terms("الإقتصاد") == analyzer.terms("الاقتصادُ")
    assert analyzer.terms("في من على") == []
    terms = analyzer.terms("زار كيم Kim Jong Un روسيا and the leaders")
    assert "kim" in terms and "leader" in terms and "the" not in terms


def test_conjunction_before_the_article_is_stripped_as_other_prefixes_are():
    # Snowball's Arabic stemmer leaves و and ف on a word that goes on with ال.
    analyzer = Analyzer()
    for word in ("حكومة", "رئيس", "منتخب", "نفط"):
        plain = analyzer.terms("ال" + word)
        assert analyzer.terms("وال" + word) == analyzer.terms("فال" + word) == analyzer.terms("بال" + word) == plain
    assert analyzer.terms("والد") == analyzer.terms("والدة") == ["والد"]  # a word of its own (father), not و + ال


STORIES = {
    # Shares the tag "سياسة" with the summit but nothing else.
    "content/budget.ar.md": article("البرلمان يقر الموازنة العامة", date="2023-09-10", tags="[سياسة]",
                                    body="أقر البرلمان الموازنة العامة للدولة بعد نقاش طويل حول الضرائب والإنفاق."),
    "content/summit.ar.md": article("قمة بين بوتين وكيم جونغ أون في فوستوشني", date="2023-09-13", tags="[سياسة]",
                                    body="التقى بوتين وكيم جونغ أون في قاعدة فوستوشني الفضائية وبحثا التعاون العسكري والأقمار الصناعية."),
    # No tag in common with the summit, but plainly the same story.
    "content/plant.ar.md": article("كيم جونغ أون يزور مصنع طائرات بعد قمته مع بوتين", date="2023-09-15", tags="[صناعة]",
                                   body="زار كيم جونغ أون مصنع الطائرات بعد القمة مع بوتين في فوستوشني، واطلع على المقاتلات."),
    "content/quake.ar.md": article("زلزال يضرب المغرب", date="2023-09-09", tags="[زلازل]",
                                   body="ضرب زلزال قوي إقليم الحوز في المغرب ودمر قرى جبلية."),
}


def related_of(site, route):
    return [href.split("/")[-2] for href in site.page(route).xpath("//*[contains(@class,'related')]//a/@href")]


def test_text_similarity_beats_a_shared_tag(site):
    site.write(STORIES)
    site.build()
    assert related_of(site, "2023/09/13/summit/")[0] == "plant"
    assert "quake" not in related_of(site, "2023/09/13/summit/"), "below min_score: not shown"
    assert "summit" not in related_of(site, "2023/09/13/summit/"), "never the article itself"


def test_pinned_articles_come_first(site):
    files = dict(STORIES)
    files["content/summit.ar.md"] = files["content/summit.ar.md"].replace("tags: [سياسة]", "tags: [سياسة]\nrelated: [quake]")
    site.write(files)
    result = site.build()
    assert related_of(site, "2023/09/13/summit/")[:2] == ["quake", "plant"]
    assert not result.warnings


@pytest.mark.parametrize("pin", ["quake.ar.md", "https://example.org/digest/2023/09/12/quake/", "/2023/09/12/quake/",
                                 "Quake"])
def test_a_pin_naming_its_story_by_file_or_address_is_read_as_its_slug_and_named(site, pin):
    files = dict(STORIES)
    files["content/summit.ar.md"] = files["content/summit.ar.md"].replace("tags: [سياسة]",
                                                                          f"tags: [سياسة]\nrelated: ['{pin}']")
    site.write(files)
    result = site.cli()
    assert result.returncode == 0, result.stderr
    assert related_of(site, "2023/09/13/summit/")[:2] == ["quake", "plant"]
    assert any(line.startswith("warning: content/summit.ar.md:") and "was read as the slug quake — write quake: a "
               "pin is a story's file name without .ar.md / .en.md" in line for line in result.stderr.splitlines())


def test_a_pin_naming_no_article_is_a_warning(site):
    site.write({"content/a.ar.md": article("أ", related="[ghost]")})
    result = site.cli()
    assert result.returncode == 0
    assert "warning: content/a.ar.md:4: related: no article has the slug 'ghost'; pin ignored" in result.stderr


def test_translations_show_the_same_stories(site):
    files = dict(STORIES)
    files["content/summit.en.md"] = article("Putin and Kim Jong Un meet at Vostochny", date="2023-09-13",
                                            body="Putin and Kim met at the Vostochny cosmodrome.")
    files["content/plant.en.md"] = article("Kim visits an aircraft plant", date="2023-09-15",
                                           body="Kim toured a fighter jet factory.")
    site.write(files)
    site.build()
    ar = related_of(site, "2023/09/13/summit/")
    en = related_of(site, "en/2023/09/13/summit/")
    translated = {path.split("/")[-1].removesuffix(".en.md") for path in files if path.endswith(".en.md")}
    assert en == [slug for slug in ar if slug in translated]
    assert en == ["plant"]
    assert related_of(site, "en/2023/09/15/plant/") == ["summit"]


def test_related_lists_are_the_same_on_every_build(site):
    site.write({f"content/s{i}.ar.md": article(f"قمة بوتين وكيم {i}", date="2023-09-13", body="بوتين كيم قمة فوستوشني.")
                for i in range(8)})
    site.build()
    first = related_of(site, "2023/09/13/s0/")
    assert len(first) == 5
    assert first == ["s1", "s2", "s3", "s4", "s5"], "equal scores and dates: ties broken by key"
    site.build()
    assert related_of(site, "2023/09/13/s0/") == first


def _two_topic_site() -> dict[str, str]:
    """Sport and economy stories, each subject written in two vocabularies (A and B). A few
    "bridge" stories mix one A word into B text; the rest share no word across A and B."""
    sport_a, sport_b = ["المباراة", "الهدف", "المدرب", "الملعب"], ["الدوري", "اللاعب", "الحارس", "البطولة"]
    money_a, money_b = ["البورصة", "الأسهم", "التضخم", "الفائدة"], ["الموازنة", "الضرائب", "المصرف", "الدين"]
    plan = ([("sa", sport_a, None)] * 3 + [("bridge", sport_b, sport_a)] * 2 + [("sb", sport_b, None)] * 40
            + [("ma", money_a, None)] * 40 + [("bridge", money_b, money_a)] * 2 + [("mb", money_b, None)] * 40)
    files = {}
    for i, (kind, words, bridge) in enumerate(plan):
        body = " ".join(words * 3 + ([bridge[i % 4]] if bridge else []))
        files[f"content/{kind}{i:03d}.ar.md"] = article(f"خبر {i}", date="2023-01-10", body=body)
    return files


def test_topics_link_stories_of_one_subject_in_different_words(site):
    """Three topic directions: what every story shares (the title word), sport, economy."""
    from conftest import BASE_CONFIG
    site.write(_two_topic_site(), config=BASE_CONFIG + "related: {topics: 3, topic_weight: 0, min_score: 0.05}\n")
    site.build()
    words_only = related_of(site, "2023/01/10/sa000/")
    site.write({}, config=BASE_CONFIG + "related: {topics: 3, min_score: 0.05}\n")  # the mechanism, not the floor
    site.build()
    with_topics = related_of(site, "2023/01/10/sa000/")
    assert words_only == ["sa001", "sa002", "bridge003", "bridge004"], "only stories sharing a word"
    assert with_topics[:4] == words_only, "shared words still rank first"
    assert len(with_topics) == 5 and with_topics[4].startswith("sb"), "then sport in other words, never economy"


def test_topic_lists_are_the_same_on_every_build(site, tmp_path):
    from conftest import BASE_CONFIG
    site.write(_two_topic_site(), config=BASE_CONFIG + "related: {topics: 3, min_score: 0.05}\n")
    site.build(cache=False, jobs=1)
    first = {p: related_of(site, p) for p in ("2023/01/10/sa000/", "2023/01/10/sb010/", "2023/01/10/mb100/")}
    site.build(cache=False, jobs=2)
    assert {p: related_of(site, p) for p in first} == first
    assert all(len(v) == 5 for v in first.values())


def _two_topic_items(days: int = 1) -> list:
    """The stories of _two_topic_site as the related engine takes them, dated over `days` days."""
    from generator.related import RelatedInput
    return [RelatedInput(key=path, texts=((text.split("\n")[1], text.split("---\n")[-1]),), day=738000 + i % days)
            for i, (path, text) in enumerate(sorted(_two_topic_site().items()))]


def test_a_memo_of_analysed_text_changes_nothing():
    """The build keeps analysed text between builds; lists must be what a fresh analysis gives."""
    from dataclasses import replace

    from generator.config import RelatedConfig
    from generator.related import TermMemo, find_related
    items = _two_topic_items()
    config = RelatedConfig(topics=3)
    memo = TermMemo()
    assert find_related(items, config, 8, memo=memo) == find_related(items, config, 8)
    edited = [replace(items[0], texts=(("خبر", "الدوري اللاعب الحارس"),))] + items[1:-1]  # one edited, one deleted
    assert find_related(edited, config, 8, memo=memo) == find_related(edited, config, 8)
    assert len(memo.groups) == len(edited)


def test_lists_are_the_same_whatever_number_of_stories_is_weighed_at_once(monkeypatch):
    """Stories' terms are weighed, projected on the topics and matched to their clusters a block at a time
    (memory at 100,000 stories): any block size, one story included, gives the same vectors, clusters and
    lists as all stories at once."""
    import numpy

    from generator import relatedmodel
    from generator.config import RelatedConfig
    from generator.related import TermMemo, find_related
    items = _two_topic_items(days=9)
    config = RelatedConfig(topics=3)
    monkeypatch.setattr(relatedmodel, "_CLUSTERED_FROM", 16)  # clusters, as on a large site
    results = []
    for block in (10**6, 7, 1):
        monkeypatch.setattr(relatedmodel, "_BLOCK_GROUPS", block)
        state = relatedmodel.RelatedState()
        results.append((find_related(items, config, 8, memo=TermMemo(), state=state), state))
    (whole, whole_state), *blocked = results
    assert sum(map(len, whole.values())) > len(items), "stories have lists to compare"
    for lists, state in blocked:
        assert lists == whole
        assert all(numpy.array_equal(a, b) for a, b in zip(state.words, whole_state.words))
        assert numpy.array_equal(state.fit["idf"], whole_state.fit["idf"])
        assert numpy.array_equal(state.topics, whole_state.topics)
        assert numpy.array_equal(state.probes, whole_state.probes)
    assert whole_state.probes is not None and whole_state.topics.any(), "topics and clusters took part"


def test_tags_with_line_breaks_and_twin_stories(site):
    """Found by the fuzz test: a tag holding a line break broke the term memo's encoding."""
    site.write({
        "content/a.ar.md": article("قمة", tags='["سطر\\nآخر"]', category='"قسم\\nثان"', body="نص عن القمة."),
        "content/b.ar.md": article("قمة", tags='["سطر\\nآخر"]', category='"قسم\\nثان"', body="نص عن القمة."),
        "content/c.ar.md": article("قمة أخرى", tags='["سطر\\nآخر"]', body="نص آخر عن القمة."),
    })
    site.build()
    assert related_of(site, "2023/09/13/a/")[0] == "b"
    site.write({"content/c.ar.md": article("قمة أخرى", tags='["سطر\\nآخر"]', body="نص آخر عن القمة اليوم.")})
    site.build()  # the memo from the first build is read back
    assert set(related_of(site, "2023/09/13/c/")) == {"a", "b"}


def test_scores_are_exact_however_each_term_is_multiplied_and_blocked(monkeypatch):
    """Frequent terms are multiplied dense and rare ones sparse, in blocks of any shape; with entries in
    steps of 2^-bits every score must be the exact product, bit for bit (what makes edits exact)."""
    import numpy
    from scipy import sparse

    from generator import relatedmodel
    from generator.config import RelatedConfig
    rng = numpy.random.default_rng(7)
    rows, terms, dims = 300, 400, 5
    bits = relatedmodel.quantum_bits(1.0)
    share = 0.6 / numpy.arange(1, terms + 1)  # from a term in most groups down to terms in one or two
    dense = rng.random((rows, terms)) * (rng.random((rows, terms)) < share)
    dense /= numpy.maximum(numpy.linalg.norm(dense, axis=1, keepdims=True), 1e-9)
    dense = relatedmodel._quantize(dense, bits).astype(numpy.float64)
    topics = rng.standard_normal((rows, dims))
    topics = relatedmodel._quantize(topics / numpy.linalg.norm(topics, axis=1, keepdims=True), bits)
    matrix = sparse.csr_matrix(dense.astype(numpy.float32))
    words = (matrix.indptr.astype(numpy.int64), matrix.indices.astype(numpy.int64), matrix.data)
    expected = dense @ dense.T + topics.astype(numpy.float64) @ topics.astype(numpy.float64).T  # exact in float64
    numpy.fill_diagonal(expected, -numpy.inf)
    config = RelatedConfig(recency_weight=0)
    for sparse_share, dense_limit in ((0.0, 2**28), (0.03, 2**28), (1.0, 2**28), (0.0, 64 * rows)):
        monkeypatch.setattr(relatedmodel, "_SPARSE_SHARE", sparse_share)
        monkeypatch.setattr(relatedmodel, "_DENSE_LIMIT", dense_limit)  # the last: room for 11 dense columns only
        scorer = relatedmodel._Scorer(words, topics, numpy.zeros(rows), config)
        for block_rows in (numpy.arange(rows), numpy.arange(0, rows, 7), numpy.array([5])):
            for block_cols in (numpy.arange(rows), rng.permutation(rows)[:33], numpy.array([5, 9])):
                block = scorer.scores(block_rows, block_cols)
                assert block.dtype == numpy.float32
                assert (block.astype(numpy.float64) == expected[numpy.ix_(block_rows, block_cols)]).all()


def test_each_row_keeps_its_best_candidates_whatever_order_blocks_come_in():
    """Best by score, equal scores by the tie-break: the same kept set for any order of the blocks."""
    import numpy

    from generator import relatedmodel
    rng = numpy.random.default_rng(3)
    n, margin = 120, 10
    scores = rng.integers(0, 12, (n, n)).astype(numpy.float32)  # many equal scores
    numpy.fill_diagonal(scores, -numpy.inf)
    tiebreak = rng.permutation(n)
    for _ in range(5):
        values = numpy.full((n, margin), -numpy.inf, dtype=numpy.float32)
        columns = numpy.full((n, margin), -1, dtype=numpy.int64)
        rows = numpy.arange(n)
        for block in numpy.array_split(rng.permutation(n), 7):
            relatedmodel._keep_best(values, columns, rows, scores[:, block], block, tiebreak, margin)
        for row in range(n):
            best = sorted(range(n), key=lambda col: (-scores[row, col], tiebreak[col]))[:margin]
            assert set(columns[row].tolist()) == set(best), row
            assert sorted(values[row].tolist()) == sorted(scores[row, best].tolist())


def test_word_vectors_are_assembled_row_by_row_from_the_last_build_and_the_fresh_rows():
    """Rows kept, edited, added between others and removed, in runs long and short: each row holds exactly
    the entries of its source."""
    import numpy

    from generator import relatedmodel
    rng = numpy.random.default_rng(5)

    def csr(rows):
        indptr = numpy.concatenate([[0], numpy.cumsum([len(r) for r in rows])]).astype(numpy.int64)
        ids = numpy.array([t for r in rows for t, _ in r], dtype=numpy.int32)
        return indptr, ids, numpy.array([v for r in rows for _, v in r], dtype=numpy.float32)

    def random_row():
        terms = sorted(rng.choice(50, int(rng.integers(0, 6)), replace=False).tolist())
        return [(t, float(rng.integers(1, 9))) for t in terms]

    for trial in range(40):
        before = [random_row() for _ in range(int(rng.integers(1, 30)))]
        now, old = [], []  # this build's rows, and the last build's place of each (-1: none)
        for place, row in enumerate(before):
            if rng.random() < 0.15:
                continue  # removed
            if rng.random() < 0.2:
                now.append(random_row())  # added before it
                old.append(-1)
            now.append(random_row() if rng.random() < 0.2 else row)  # edited, or kept
            old.append(place)
        if not now:
            continue
        old = numpy.array(old, dtype=numpy.int64)
        same = numpy.array([o >= 0 and now[i] == before[o] for i, o in enumerate(old.tolist())])
        fresh = numpy.flatnonzero(~same)
        previous = relatedmodel.RelatedState(words=csr(before))
        indptr, ids, values = relatedmodel._assemble_words(previous, old, same, csr([now[i] for i in fresh]), fresh,
                                                           len(now))
        assert ids.dtype == numpy.int32 and values.dtype == numpy.float32
        assert [list(zip(ids[indptr[i]:indptr[i + 1]].tolist(), values[indptr[i]:indptr[i + 1]].tolist()))
                for i in range(len(now))] == now, trial


def test_each_group_keeps_its_strongest_terms_later_terms_first_on_ties(monkeypatch):
    """The padded partition, and the sort it falls back to for a huge group, both pick what a full sort picks."""
    import numpy

    from generator import relatedmodel
    rng = numpy.random.default_rng(5)

    def by_full_sort(row, col, weight, n, k):
        """Plain Python, nothing shared with the code under test: each row's k entries of highest weight,
        the later term first among equal weights."""
        kept = set()
        for r in range(n):
            entries = [i for i in range(len(row)) if row[i] == r]
            kept |= set(sorted(entries, key=lambda i: (-weight[i], -col[i]))[:k])
        return numpy.array([i in kept for i in range(len(row))], dtype=bool)

    for limit in (4096, 8):
        monkeypatch.setattr(relatedmodel, "_PADDED_WIDTH_LIMIT", limit)
        for _ in range(200):
            n, k = int(rng.integers(1, 20)), int(rng.integers(1, 10))
            lengths = rng.integers(0, 20, n)
            row = numpy.repeat(numpy.arange(n, dtype=numpy.int32), lengths)
            col = numpy.concatenate([rng.permutation(50)[:m] for m in lengths] or [[]]).astype(numpy.int32)
            weight = rng.integers(1, 5, len(row)) * 0.5  # many ties
            assert (relatedmodel._strongest(row, col, weight, n, k) == by_full_sort(row, col, weight, n, k)).all()


DESALINATION = """---
title: افتتاح محطة جديدة لتحلية مياه البحر على الساحل
date: 2024-05-20
tags: [مياه, بيئة]
summary: محطة تنتج مئات آلاف الأمتار المكعبة من المياه العذبة يومياً.
---
افتُتحت محطة لتحلية مياه البحر تنتج مئات آلاف الأمتار المكعبة من المياه العذبة يومياً، لتخفيف العجز المائي في
المدن الساحلية.

وتعمل المحطة بتقنية التناضح العكسي، وتعتمد جزئياً على الطاقة الشمسية لتقليل تكلفة التشغيل.
"""


def test_a_new_story_on_the_sample_site_gets_no_noise_under_read_also(site):
    import shutil

    from conftest import REPO
    shutil.copytree(REPO / "content", site.root / "content")
    site.write({"content/2024/05/desalination-plant.ar.md": DESALINATION},
               config=(REPO / "config.yaml").read_text(encoding="utf-8"))
    site.build()
    shown = related_of(site, "2024/05/20/desalination-plant/")
    assert shown, "the floods story, about water too, is linked"
    assert set(shown) <= {"derna-floods", "cop28-fossil-fuels-agreement", "cop28-opens-loss-and-damage"}, shown
    summit = related_of(site, "2023/09/13/kim-putin-vostochny-summit/")
    assert "saudi-iran-restore-ties" not in summit and "kim-visits-komsomolsk-aircraft-plant" in summit


def test_an_attached_letter_does_not_keep_two_stories_apart():
    from generator.config import RelatedConfig
    from generator.related import RelatedInput, find_related

    def story(key, text):
        return RelatedInput(key=key, texts=(("", text),))

    filler = ["نهائي كرة القدم في الملعب الكبير", "أسعار النفط ترتفع في الأسواق", "انتخابات برلمانية في البلاد"]
    items = [story("a", "محطة لتحلية المياه"), story("b", "مشروع تحلية جديد"),
             *[story(f"f{i}", text) for i, text in enumerate(filler)], story("sea", "بحر هادئ"),
             story("free", "سوق حر")]
    related = find_related(items, RelatedConfig(min_score=0.01, topic_weight=0), 3)
    assert related["a"][:1] == ("b",), "لتحلية counts as تحلية, a word the other story uses"
    assert "free" not in related["sea"], "but بحر is not ب + حر: a rest of two letters is never folded"
