"""An archive of a few hundred stories, big enough for topics and the topic clusters, built on two processes:
after every kind of change, the incremental build (cache and output/ kept) equals a clean build, byte for
byte, related lists included; and the related engine rescored only what the change could touch."""

from __future__ import annotations

import random
import re
import shutil
from pathlib import Path

import pytest

from conftest import BASE_CONFIG, Site, article
import generator.rebuild
from generator import pagegraph, pipeline, relatedmodel

# Word lists of our own: each subject has words of its own, and every story borrows some common ones.
SUBJECTS = {
    "water": ("مياه سد نهر جفاف أمطار تحلية خزان ري", "water dam river drought rain desalination reservoir irrigation"),
    "space": ("فضاء صاروخ قمر مدار رائد محطة إطلاق كوكب", "space rocket moon orbit astronaut station launch planet"),
    "trade": ("تجارة ميناء شحن رسوم تصدير استيراد سفينة جمارك", "trade port shipping tariff export import vessel customs"),
    "health": ("صحة مستشفى لقاح طبيب وباء دواء عيادة مرض", "health hospital vaccine doctor epidemic medicine clinic disease"),
    "football": ("كرة ملعب هدف مباراة دوري مدرب لاعب بطولة", "football stadium goal match league coach player cup"),
    "energy": ("طاقة نفط غاز شمسية رياح كهرباء وقود شبكة", "energy oil gas solar wind power fuel grid"),
}
COMMON = ("قال أعلن اليوم الحكومة مسؤول تقرير جديد العام", "said announced today government official report new year")
COUNT = 190  # fitted on the oldest 156 (the steps: … 125, 156, 195): five more stories cross a step
SAMPLE = 60  # of them, the topics' (as at 100,000 stories, where they are fitted on 20,000)


def _story(number: int, rng: random.Random, day: str = "") -> dict[str, str]:
    subject = sorted(SUBJECTS)[number % len(SUBJECTS)]
    other = sorted(SUBJECTS)[rng.randrange(len(SUBJECTS))]
    day = day or f"20{20 + number % 5}-{1 + number % 12:02d}-{1 + number % 27:02d}"
    files = {}
    for lang, index in (("ar", 0), ("en", 1)):
        own, second, common = SUBJECTS[subject][index].split(), SUBJECTS[other][index].split(), COMMON[index].split()
        words = rng.choices(own, k=40) + rng.choices(second, k=8) + rng.choices(common, k=20)
        rng.shuffle(words)
        title = " ".join(rng.sample(own, 3) + [str(number)])
        files[f"content/{day[:4]}/story-{number}.{lang}.md"] = article(
            title, day, " ".join(words) + ".", tags=f"[{own[0]}, {second[1]}]", category=subject)
    return files


def _archive(count: int = COUNT) -> dict[str, str]:
    rng = random.Random(11)
    files = {}
    for number in range(count):
        files.update(_story(number, rng))
    return files


CONFIG = BASE_CONFIG + "images: {cards: false}\n"


def _edit(site: Site, rel: str, old: str, new: str) -> None:
    path = site.root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, (old, rel)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _newest(site: Site) -> str:
    """The newest story's Arabic file: outside the fitted part, as an everyday edit is."""
    return sorted((p for p in site.root.glob("content/*/*.ar.md")),
                  key=lambda p: p.read_text(encoding="utf-8").split("date: ")[1][:10])[-1].relative_to(site.root).as_posix()


def _body_word(site: Site, rel: str) -> str:
    return (site.root / rel).read_text(encoding="utf-8").split("---\n")[-1].split()[0]


def _redate(site: Site, rel: str, day: str) -> None:
    path = site.root / rel
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"^date: .*$", f"date: {day}", text, count=1, flags=re.M), encoding="utf-8")


def _rewrite(site: Site, rel: str, subject: str) -> None:
    """The story's text replaced by another subject's: it leaves the lists it was in."""
    for lang, index in (("ar", 0), ("en", 1)):
        path = site.root / rel.replace(".ar.md", f".{lang}.md")
        head = path.read_text(encoding="utf-8").split("---\n")[1]
        path.write_text(f"---\n{head}---\n" + " ".join(SUBJECTS[subject][index].split() * 6) + ".\n",
                        encoding="utf-8")


def _retag_as(site: Site, rel: str, like: str, field: str = "tags") -> None:
    """The story's tags (or section) made those of the story in `like`, which differ."""
    line = re.compile(rf"^{field}: .*$", re.M)
    theirs = line.search((site.root / like).read_text(encoding="utf-8"))[0]
    path = site.root / rel
    text = path.read_text(encoding="utf-8")
    assert line.search(text)[0] != theirs
    path.write_text(line.sub(theirs, text, count=1), encoding="utf-8")


def _delete(site: Site, rel: str) -> None:
    for lang in ("ar", "en"):
        (site.root / rel.replace(".ar.md", f".{lang}.md")).unlink()


CHANGES = {  # change -> (what it does, whether the model is fitted again)
    "edit": (lambda s: _edit(s, _newest(s), _body_word(s, _newest(s)), "تحلية سد سفينة"), False),
    "rewrite": (lambda s: _rewrite(s, _newest(s), "space" if "مياه" in (s.root / _newest(s)).read_text() else "water"),
                False),
    "add": (lambda s: s.write(_story(COUNT + 1, random.Random(5), "2024-12-28"), config=CONFIG), False),
    "delete": (lambda s: _delete(s, _newest(s)), False),
    "delete_translation": (lambda s: (s.root / _newest(s).replace(".ar.md", ".en.md")).unlink(), False),
    "retitle": (lambda s: _edit(s, _newest(s), "title: '", "title: 'عاجل: "), False),
    "retag": (lambda s: _edit(s, _newest(s), "tags: [", "tags: [قمة, "), False),
    "redate": (lambda s: _redate(s, _newest(s), "2024-06-15"), False),
    "redate_later": (lambda s: _redate(s, _newest(s), "2025-01-05"), False),  # still the newest: the order stays
    # Tags and a section other stories have already: no new term, only which stories each one lists.
    "retag_known": (lambda s: _retag_as(s, _newest(s), "content/2020/story-0.ar.md"), False),
    "recategorise": (lambda s: _retag_as(s, _newest(s), "content/2020/story-0.ar.md", "category"), False),
    "pin": (lambda s: _edit(s, _newest(s), "tags: [", "related: [story-3]\ntags: ["), False),
    "edit_old": (lambda s: _edit(s, "content/2020/story-0.ar.md", _body_word(s, "content/2020/story-0.ar.md"),
                                 "صاروخ"), True),
    # A fitted story's front matter, not its terms: the model reads nothing of it, so no refit and no rescoring.
    "summary_old": (lambda s: _edit(s, "content/2020/story-0.ar.md", "tags: [", "summary: 'ملخص مصحح'\ntags: ["),
                    False),
    "cross_a_step": (lambda s: [s.write(_story(COUNT + extra, random.Random(extra)), config=CONFIG)
                                for extra in range(1, 7)], True),
}


def _watch_families(monkeypatch: pytest.MonkeyPatch) -> tuple[list[tuple], list[str]]:
    """Collects, for each build, (its families, its articles' keys, the families it kept), and the name of every
    family whose arguments a build hashed."""
    planned: list[tuple] = []
    hashed: list[str] = []
    plan_changed, family_key = pipeline._plan_changed, pipeline.family_key

    def watched(families, config, urls, keys, last, *rest):
        made = plan_changed(families, config, urls, keys, last, *rest)
        planned.append((families, keys, made[2]))
        return made

    monkeypatch.setattr(pipeline, "_plan_changed", watched)
    monkeypatch.setattr(pipeline, "family_key", lambda family, keys: hashed.append(family.name) or family_key(family, keys))
    return planned, hashed


def _clustered(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(relatedmodel, "_CLUSTERED_FROM", 100)  # so the archive's lists come from clusters
    monkeypatch.setattr(relatedmodel, "_PROBES", 4)  # of 12: a story meets a third of the others
    monkeypatch.setattr(relatedmodel, "_TOPIC_SAMPLE", SAMPLE)  # topics fitted on some of the fitted stories


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The archive built once with its cache, copied for every change (a build takes seconds)."""
    site = Site(tmp_path_factory.mktemp("archive") / "site")
    site.write(_archive(), config=CONFIG)
    with pytest.MonkeyPatch.context() as monkeypatch:
        _clustered(monkeypatch)
        site.build(jobs=2)
    return site


# make test runs two; CI runs every one (make test-slow): each is two builds of 380 pages. Each change is
# published in place (output/ kept) and as CI does (.cache/ restored, no output/: pages copied from the cache).
EVERYDAY = {("edit", "in place"), ("cross_a_step", "in place"), ("summary_old", "in place")}  # from the cache: test_pagestore.py


@pytest.mark.parametrize("change,publish", [
    (change, publish) if (change, publish) in EVERYDAY else pytest.param(change, publish, marks=pytest.mark.slow)
    for change in sorted(CHANGES) for publish in ("in place", "from the cache")])
def test_every_kind_of_change_to_an_archive_equals_a_clean_build(built, tmp_path, monkeypatch, change, publish):
    _clustered(monkeypatch)
    site = Site(tmp_path / "site")
    shutil.copytree(built.root, site.root, symlinks=True)
    scored = []
    real = relatedmodel.score
    monkeypatch.setattr(relatedmodel, "score", lambda *a: scored.append(real(*a)) or scored[-1])
    planned, hashed = _watch_families(monkeypatch)
    apply, refits = CHANGES[change]
    apply(site)
    if publish == "from the cache":
        shutil.rmtree(site.output)
    result = site.build(jobs=2)
    families, keys, kept = planned[-1]
    # A family kept without hashing its arguments has the key they hash to now: nothing it is made from changed.
    assert [family.name for family, record in kept if pagegraph.family_key(family, keys) != record.key] == []
    # Only the families that read what changed are hashed, not the whole site's: a story added, deleted or moved
    # hashes its listings' families (13% of them for an added story), and the stories whose lists it enters. Six
    # stories crossing a step refit the model, which changes most lists.
    if change != "cross_a_step":
        assert 0 < len(hashed) < len(families) / 4, f"{change}: {len(hashed)} of {len(families)} families hashed"
    if publish == "from the cache" and not refits:  # most pages came from the cache's copies
        assert 0 < result.rendered < sum(result.pages.values()) / 2, result.rendered
    after = scored[-1]
    ours = site.snapshot()
    _assert_same_files(ours, _clean_build(site, tmp_path / "clean").snapshot())
    assert after.refitted == refits
    if not refits:
        # Scored again: the story, the lists it leaves and those it enters (a story sits in about `margin`,
        # 60, others' kept candidates), not the archive; a pin or a summary changes no score at all.
        assert after.rescored < (1 if change in ("pin", "summary_old") else COUNT * 2 // 3), f"{change}: {after.rescored} scored again"
    lists = [page for page in ours if page.endswith("/index.html") and "/story-" in page]
    assert sum(b"related" in ours[page] for page in lists) > len(lists) * 0.9  # lists are there to compare
    assert after.topics


def test_a_build_stopped_after_its_related_lists_were_saved_leaves_no_list_behind(built, tmp_path, monkeypatch):
    """The cache saves the related lists before the pages: a build stopped in between leaves lists newer than
    the page graph. The next build finds the same lists (nothing changed since), and must not take them for
    the ones the graph's pages show."""
    _clustered(monkeypatch)
    site = Site(tmp_path / "site")
    shutil.copytree(built.root, site.root, symlinks=True)
    CHANGES["rewrite"][0](site)  # the story leaves the lists it was in, and joins others
    with monkeypatch.context() as stopped:
        stopped.setattr(generator.rebuild, "_write", lambda *a: (_ for _ in ()).throw(KeyboardInterrupt))
        with pytest.raises(KeyboardInterrupt):
            site.build(jobs=2)
    planned, _ = _watch_families(monkeypatch)
    site.build(jobs=2)
    _assert_same_files(site.snapshot(), _clean_build(site, tmp_path / "clean").snapshot())
    families, keys, kept = planned[0]
    assert [family.name for family, record in kept if pagegraph.family_key(family, keys) != record.key] == []


def test_the_archive_built_weighing_a_few_stories_at_a_time_is_the_same_site(built, tmp_path, monkeypatch):
    """The related stage weighs stories' terms a block at a time (memory at 100,000 stories); blocks of 7 of
    the archive's 190 stories give every page of a build that weighs them all at once. (And the topics are
    fitted on SAMPLE of the fitted stories, as on every archive test here.)"""
    _clustered(monkeypatch)
    monkeypatch.setattr(relatedmodel, "_BLOCK_GROUPS", 7)
    fitted_on = []
    basis = relatedmodel._topic_basis
    monkeypatch.setattr(relatedmodel, "_topic_basis", lambda words, size, *a: fitted_on.append(size) or basis(words, size, *a))
    _assert_same_files(_clean_build(built, tmp_path / "site").snapshot(), built.snapshot())
    assert fitted_on == [SAMPLE], "the topics were fitted on a sample of the fitted stories"


def _clean_build(site: Site, folder: Path) -> Site:
    """`site`'s files (not its output/ or cache) built in `folder` from nothing, on two processes."""
    clean = Site(folder)
    shutil.copytree(site.root, clean.root, ignore=shutil.ignore_patterns("output", ".cache", ".output-*"))
    clean.build(cache=False, jobs=2)
    return clean


def _assert_same_files(ours: dict[str, bytes], theirs: dict[str, bytes]) -> None:
    assert sorted(ours) == sorted(theirs)
    assert [rel for rel in sorted(ours) if ours[rel] != theirs[rel]] == [], "files that differ from a clean build"


def test_the_archive_is_large_enough_to_exercise_what_it_tests():
    assert relatedmodel.fit_size(COUNT) == 156 and relatedmodel.fit_size(COUNT + 6) == 195
    assert relatedmodel.fit_size(COUNT + 1) == 156 and relatedmodel.fit_size(COUNT) > SAMPLE
    assert relatedmodel.topic_count(relatedmodel.RelatedConfig(), 156, 1000) > 0
